# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who gets a shared cloud drive: its users, user groups and projects.

PRIVATE to the amove.click collection: its interface may change in any release.

An agent syncs only the drives its signed-in user may reach: directly, through
a user group, or through a project. The current assignments come with the
detailed drive listing, so comparing costs no extra request; names are turned
into ids only when something must be written, and all of them before the
first write, so an unknown name never leaves half a change behind.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._click_api import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._converge import close_names

PERMISSIONS = {'read': 1, 'read_write': 2}
PERMISSION_NAMES = dict((number, name) for name, number in PERMISSIONS.items())

_PERMISSION_ENTRY = dict(
    name=dict(type='str', required=True),
    permission=dict(type='str', default='read', choices=list(PERMISSIONS)),
)

ACCESS_ARGUMENT_SPEC = dict(
    users=dict(type='list', elements='dict', options=_PERMISSION_ENTRY),
    groups=dict(type='list', elements='dict', options=_PERMISSION_ENTRY),
    projects=dict(type='list', elements='str'),
    purge_access=dict(type='bool', default=False),
)


class Kind:
    """One kind of assignment and the routes that read and write it."""

    def __init__(self, option, rows, subject, name_key, lookup, lookup_filter, write_path=None, id_key=None):
        self.option = option            # users, groups, projects
        self.rows = rows                # key of the detailed drive record that lists them
        self.subject = subject          # key of the subject in a row (user, userGroup, project)
        self.name_key = name_key        # how the subject is named (username, name)
        self.lookup = lookup            # listing to resolve a name
        self.lookup_filter = lookup_filter
        self.write_path = write_path    # where permissions are written
        self.id_key = id_key            # the subject's id in a permission entry


USERS = Kind('users', 'usersData', 'user', 'username', '/user/get_all_users', 'username',
             # One "s" in "permision": the real spelling of this route.
             '/userspermission/users_sharedclouddrive_permision', 'userId')
GROUPS = Kind('groups', 'groupsData', 'userGroup', 'name', '/usergroup/get_all', 'name',
              '/userspermission/usergroup_sharedclouddrive_permission', 'userGroupId')
PROJECTS = Kind('projects', 'projectsData', 'project', 'name', '/projects/get_all', 'name')
KINDS = (USERS, GROUPS, PROJECTS)


def wants_access(spec):
    return any(spec.get(kind.option) is not None for kind in KINDS)


def access_problems(spec, prefix=''):
    """What is wrong with the access lists of a definition, checked before any request."""
    problems = []
    for kind in KINDS:
        entries = spec.get(kind.option)
        if entries is None:
            continue
        names = [entry['name'] if isinstance(entry, dict) else entry for entry in entries]
        for number, name in enumerate(names):
            if name is None or not str(name).strip():
                problems.append('%s%s[%d] needs a name' % (prefix, kind.option, number))
            elif names.index(name) != number:
                problems.append('%s%s lists %r twice' % (prefix, kind.option, name))
    return problems


# ---- what a drive has, and what it should have ------------------------------

def _name_in(kind, row):
    return (row.get(kind.subject) or {}).get(kind.name_key)


def current_access(record):
    """{kind option: {name: (permission type or None, entry id, subject id)}} from a detailed drive record."""
    access = {}
    for kind in KINDS:
        entries = {}
        for row in (record or {}).get(kind.rows) or []:
            entry = row.get('permission') if kind is not PROJECTS else row.get('projectSharedCloudDrive')
            entry = entry or {}
            entries[_name_in(kind, row)] = (entry.get('permissionType'), entry.get('id'),
                                            (row.get(kind.subject) or {}).get('id'))
        access[kind.option] = entries
    return access


def access_view(record):
    """Who gets a drive, in the modules' vocabulary: users and groups with permission names, project names."""
    current = current_access(record)
    view = {}
    for kind in (USERS, GROUPS):
        view[kind.option] = sorted(({'name': name, 'permission': PERMISSION_NAMES.get(entry[0], entry[0])}
                                    for name, entry in current[kind.option].items()), key=lambda e: str(e['name']))
    view['projects'] = sorted(current['projects'], key=str)
    return view


class Change:
    """One assignment to add, change or remove."""

    def __init__(self, kind, action, name, permission=None, entry_id=None, subject_id=None):
        self.kind = kind
        self.action = action            # add, change, remove
        self.name = name
        self.permission = permission    # permission type number (users, groups)
        self.entry_id = entry_id        # permission entry or project link id (change, remove)
        self.subject_id = subject_id    # the user's or group's id (change)


def access_changes(spec, record):
    """The Change list that makes a drive's assignments match `spec` (none when it already does)."""
    current = current_access(record)
    changes = []
    for kind in KINDS:
        entries = spec.get(kind.option)
        if entries is None:
            continue
        have = current[kind.option]
        if kind is PROJECTS:
            wanted = dict((name, None) for name in entries)
        else:
            wanted = dict((entry['name'], PERMISSIONS[entry['permission']]) for entry in entries)
        for name, permission in wanted.items():
            if name not in have:
                changes.append(Change(kind, 'add', name, permission))
            elif kind is not PROJECTS and have[name][0] != permission:
                changes.append(Change(kind, 'change', name, permission, have[name][1], have[name][2]))
        if spec.get('purge_access'):
            changes.extend(Change(kind, 'remove', name, entry_id=have[name][1]) for name in have if name not in wanted)
    return changes


def with_access(record, changes):
    """The drive record as it is once `changes` are made (for results, diffs and check mode)."""
    result = dict(record)
    for kind in KINDS:
        rows = list(record.get(kind.rows) or [])
        for change in [c for c in changes if c.kind is kind]:
            rows = [row for row in rows if _name_in(kind, row) != change.name]
            if change.action != 'remove':
                entry = {'permissionType': change.permission} if kind is not PROJECTS else {}
                rows.append({kind.subject: {kind.name_key: change.name},
                             'permission' if kind is not PROJECTS else 'projectSharedCloudDrive': entry})
        if rows or kind.rows in record or any(c.kind is kind for c in changes):
            result[kind.rows] = rows
    return result


# ---- names to ids, then the writes -------------------------------------------

def resolve(client, changes):
    """Ids of the users, groups and projects that `changes` add; fails on any unknown or ambiguous name.

    Every name is resolved before any write, so a typo costs nothing. An
    unknown name is answered with the names it may have meant.
    """
    ids, problems = {}, {}
    resolve_names(client, changes, ids, problems)
    if problems:
        raise ClickApiError('; '.join(problems.values()) + '; nothing was changed')
    return ids


def resolve_names(client, changes, ids, problems):
    """Resolve the names that `changes` add and neither `ids` nor `problems` holds yet.

    Each name is asked once: its id goes to `ids`, or what is wrong with it to
    `problems`, both keyed by (option, name), so that several drives of one
    run share the answers.
    """
    for change in changes:
        key = (change.kind.option, change.name)
        if change.action != 'add' or key in ids or key in problems:
            continue
        kind = change.kind
        records = [r for r in client.list_all(kind.lookup, {kind.lookup_filter: change.name}, kind.name_key)
                   if not r.get('deleted')]
        exact = [r for r in records if r[kind.name_key] == change.name]
        if not exact:
            what = 'user group' if kind is GROUPS else kind.subject
            problems[key] = '%s: no %s is named %r%s' % (kind.option, what, change.name,
                                                         _did_you_mean(client, kind, change.name, records))
        elif len(exact) > 1:
            ids_found = ', '.join(str(r.get('id')) for r in exact)
            problems[key] = '%s: %d are named %r (ids %s)' % (kind.option, len(exact), change.name, ids_found)
        else:
            ids[key] = exact[0]['id']


def _did_you_mean(client, kind, name, near):
    """Names close to `name`: those the agent's filter found, else close ones of the whole listing."""
    names = [record[kind.name_key] for record in near]
    if not names:
        # The filter finds only names that contain this one: a typo needs the whole list.
        names = [record[kind.name_key] for record in client.list_all(kind.lookup, name_key=kind.name_key)
                 if not record.get('deleted')]
    close = close_names(name, names)
    if not close:
        return ' (and no name is close to it)'
    return '; did you mean %s? (names are matched exactly, letter case too)' % ' or '.join(repr(c) for c in close)


def apply(client, drive_id, changes, ids):
    """Make the changes: additions and permission changes in one request each, removals one by one."""
    for kind in (USERS, GROUPS):
        mine = [c for c in changes if c.kind is kind]
        added = [{kind.id_key: ids[(kind.option, c.name)], 'sharedCloudDriveId': drive_id, 'permissionType': c.permission}
                 for c in mine if c.action == 'add']
        if added:
            client.request('POST', kind.write_path, body=added)
        updated = [{'id': c.entry_id, kind.id_key: c.subject_id, 'sharedCloudDriveId': drive_id,
                    'permissionType': c.permission} for c in mine if c.action == 'change']
        if updated:
            client.request('PUT', kind.write_path, body=updated)
        for change in mine:
            if change.action == 'remove':
                client.request('DELETE', kind.write_path, {'id': change.entry_id})
    projects = [c for c in changes if c.kind is PROJECTS]
    assigned = [{'projectId': ids[('projects', c.name)], 'sharedCloudDriveId': drive_id}
                for c in projects if c.action == 'add']
    if assigned:
        client.request('POST', '/projects/assign_sharedclouddrive', body=assigned)
    for change in projects:
        if change.action == 'remove':
            # The id of the join record, not of the project.
            client.request('DELETE', '/projects/unassign_sharedclouddrive', {'id': change.entry_id})
