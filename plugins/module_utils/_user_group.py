# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""User groups and their members, converged by the engine the drives use.

PRIVATE to the amove.click collection: its interface may change in any release.

A group is found by the one name rule (_converge.pick_named) in the detailed
listing, which carries its members and grants, so an unchanged group costs one
request. Every write goes through the one write rule (_converge.verified_write);
member names become ids the way drive access resolves them (_drive_access.resolve),
all before the first write. Users themselves are invited in the Amove web app:
this collection never creates or deletes one.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._click_api import (
    ClickApiError,
    ModuleDefinition,
    checked_records,
    is_not_found,
    json_kind,
    same_name,
    unexpected,
)
from ansible_collections.amove.click.plugins.module_utils._converge import (
    converged,
    pick_named,
    verified_save,
    verified_write,
)
from ansible_collections.amove.click.plugins.module_utils._drive_access import (
    GROUPS,
    PERMISSION_NAMES,
    Change,
    Kind,
    resolve,
)
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import is_uuid

USER_GROUPS = '/usergroup'
GROUP_LISTING = USER_GROUPS + '/get_all_with_details'
# Where a group's project grants are taken back (plural "usergroups": the real spelling).
PROJECT_GRANTS = '/userspermission/usergroups_project_permission'
NAME_MAX_LENGTH = 100

# Members are users named by username, found as drive access finds users.
MEMBERS = Kind('members', 'usersData', 'user', 'username', '/user/get_all_users', 'username')

# Rows of the detailed listing: key -> (the subject's key, its name key, the join record's key).
GROUP_ROWS = {
    'usersData': ('user', 'username', 'userUserGroup'),
    'drivesData': ('sharedCloudDrive', 'name', 'permission'),
    'projectsData': ('project', 'name', 'permission'),
}
# Set by the server; never sent back on update.
SERVER_OWNED = ('accountId', 'deleted') + tuple(GROUP_ROWS)


def checked_group(where, record):
    """A detailed group record whose rows name their subject and carry the join record's id."""
    checked_records(where, [record])
    description = record.get('description')
    if description is not None and not isinstance(description, str):
        raise unexpected(where, 'group %s: description is %s' % (record['id'], json_kind(description)))
    for rows, (subject, name, join) in GROUP_ROWS.items():
        value = record.get(rows)
        if value is not None and not isinstance(value, list):
            raise unexpected(where, 'group %s: %s is %s, not a list' % (record['id'], rows, json_kind(value)))
        for row in value or []:
            if not isinstance(row, dict) or not isinstance(row.get(subject), dict) \
                    or not isinstance(row[subject].get(name), str) or not isinstance(row.get(join), dict) \
                    or not isinstance(row[join].get('id'), str):
                raise unexpected(where, 'group %s: an entry of %s has no %s with a %s, or no %s with an id'
                                 % (record['id'], rows, subject, name, join))
    return record


def group_records(client, query=None):
    """Live groups of the detailed listing (every page), checked."""
    where = 'GET %s' % GROUP_LISTING
    return [checked_group(where, record) for record in client.list_all(GROUP_LISTING, query) if not record.get('deleted')]


def group_by_id(client, group_id):
    """The live group with this id, or None. The API has no read by id, so this lists."""
    return next((record for record in group_records(client) if record['id'].lower() == group_id.lower()), None)


def members_of(record):
    """{username: membership id} of a detailed group record."""
    return dict((row['user']['username'], row['userUserGroup']['id']) for row in (record or {}).get('usersData') or [])


def to_options(record, details=True):
    """A group in the modules' vocabulary ({} for no group): members by username, grants by name."""
    if not record:
        return {}
    result = dict((key, record[key]) for key in ('id', 'name', 'description', 'active') if key in record)
    result['members'] = sorted(members_of(record))
    if details:
        for option, rows in (('drives', 'drivesData'), ('projects', 'projectsData')):
            if rows in record:
                result[option] = sorted(({'name': row[GROUP_ROWS[rows][0]]['name'],
                                          'permission': PERMISSION_NAMES.get(row['permission'].get('permissionType'),
                                                                             row['permission'].get('permissionType'))}
                                         for row in record[rows]), key=lambda entry: entry['name'])
    return result


def group_problems(params):
    """What is wrong with the options, checked before any request."""
    problems = []
    name = params.get('name')
    if name is not None:
        if not name.strip():
            problems.append('name must not be empty')
        elif len(name) > NAME_MAX_LENGTH:
            problems.append('name must be at most %d characters, %r has %d' % (NAME_MAX_LENGTH, name, len(name)))
    if params.get('id') is not None and not is_uuid(params['id']):
        problems.append('id must be a UUID such as 3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11, got %r' % params['id'])
    members = params.get('members') or []
    for number, member in enumerate(members):
        if member is None or not str(member).strip():
            problems.append('members[%d] needs a username' % number)
        elif members.index(member) != number:
            problems.append('members lists %r twice' % member)
    return problems


class GroupConverger:
    """Makes one group match its options: look up, compare, then write only what differs.

    Every decision, and every member name, is settled before the first write,
    so check mode runs the same code and stops short of the writes.
    """

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self.warnings = []

    def find(self, spec):
        if spec.get('id'):
            return group_by_id(self.client, spec['id'])
        state = spec.get('state', 'present')
        # A group to delete is looked up in the whole listing (one request for
        # most accounts, as the filtered one), so that a near name is told of.
        records = group_records(self.client, None if state == 'absent' else {'name': spec['name']})
        return pick_named('user group', spec['name'], records, state, near=lambda: records, warn=self.warnings.append)

    def converge(self, spec):
        """Return (changed, before, after) records."""
        current = self.find(spec)
        if spec.get('state', 'present') == 'absent':
            if current is None:
                return False, None, None
            self._check_grants(current, spec.get('force'))
            if not self.check_mode:
                self.delete(current)
            return True, current, None
        if current is None and spec.get('id'):
            raise ClickApiError('no live user group has id %s; to create a group give name (without id)' % spec['id'])
        wanted = self.wanted(spec)
        changes = member_changes(spec, current)
        if current is not None and not differences(current, wanted) and not changes:
            return False, current, current
        ids = resolve(self.client, changes)
        predicted = with_members(dict(current or {}, **wanted), changes)
        if self.check_mode:
            return True, current, predicted
        record = current
        if current is None or differences(current, wanted):
            record = self._save(spec, wanted, current)
        changes = member_changes(spec, record)
        if changes:
            self._write_members(spec, record, ids)
        return True, current, with_members(record, changes)

    @staticmethod
    def wanted(spec):
        """The group fields the task sets."""
        return dict((key, spec[key]) for key in ('name', 'description') if spec.get(key) is not None)

    def _check_grants(self, current, force):
        """A group that still gives drives or projects is deleted only with force: its grants would outlive it."""
        grants = ['drive %r' % row['sharedCloudDrive']['name'] for row in current.get('drivesData') or []] \
            + ['project %r' % row['project']['name'] for row in current.get('projectsData') or []]
        if grants and not force:
            raise ClickApiError('user group %r still gives %s to its members; the agent would keep those grants after '
                                'the delete: remove them first, or set force to true to remove them and delete the group'
                                % (current['name'], ', '.join(grants)))

    # ---- writes --------------------------------------------------------------

    def _save(self, spec, wanted, current):
        """Insert the group (current None) or update it; a lost answer is verified and adopted."""
        made = []  # the writes answered, as 'METHOD path'

        def write(state):
            if state is None:
                answer = self.client.request('POST', USER_GROUPS + '/insert', body=dict(wanted, active=True))
                made.append('POST %s/insert' % USER_GROUPS)
                return answer
            body = dict((key, value) for key, value in state.items() if key not in SERVER_OWNED)
            body.update(wanted)
            answer = self.client.request('PUT', USER_GROUPS + '/update', body=body)
            made.append('PUT %s/update' % USER_GROUPS)
            return answer

        select = spec if current is None else {'id': current['id']}
        answer, answered = verified_save('user group', wanted.get('name', spec.get('name')), write, lambda: self.find(select),
                                         lambda state: not differences(state, wanted), current)
        if not answered:
            return answer
        if not isinstance(answer, dict):
            # Documented to answer with the group; should it not, read it back rather than guess.
            return self.find(select)
        record = checked_group(made[-1], answer)
        # Insert and update answer with the bare group: members and grants are as they were.
        return dict(record, **dict((key, (current or {}).get(key) or []) for key in GROUP_ROWS))

    def _write_members(self, spec, record, ids):
        """Add the missing members in one request, remove the others one by one."""
        group_id = record['id']

        def write(state):
            changes = member_changes(spec, state)
            unknown = [change for change in changes if change.action == 'add' and ('members', change.name) not in ids]
            if unknown:
                ids.update(resolve(self.client, unknown))
            added = [{'userId': ids[('members', change.name)], 'userGroupId': group_id}
                     for change in changes if change.action == 'add']
            if added:
                self.client.request('POST', USER_GROUPS + '/assign_users', body=added)
            for change in changes:
                if change.action == 'remove':
                    # The membership's id, not the user's.
                    self.client.request('DELETE', USER_GROUPS + '/unassign_user', {'id': change.entry_id})

        def look():
            found = group_by_id(self.client, group_id)
            if found is None:
                raise ClickApiError('user group %s vanished while its members were being written' % group_id)
            return found

        verified_write(write, look, lambda state: not member_changes(spec, state), record, is_not_found)

    def delete(self, current):
        """Take back the group's drive and project grants, then delete it (a soft delete)."""
        def write(state):
            for row in state.get('drivesData') or []:
                self.client.request('DELETE', GROUPS.write_path, {'id': row['permission']['id']})
            for row in state.get('projectsData') or []:
                self.client.request('DELETE', PROJECT_GRANTS, {'id': row['permission']['id']})
            self.client.request('DELETE', USER_GROUPS + '/delete', {'id': state['id']})

        # A lost answer, or "not found" (a delete that landed late), is looked at; what is left is written again.
        verified_write(write, lambda: group_by_id(self.client, current['id']), lambda state: state is None, current,
                       is_not_found)


def differences(record, wanted):
    """Fields whose wanted value differs from the record's (a missing description is '')."""
    return [key for key, value in wanted.items() if (record.get(key) or '') != value]


def member_changes(spec, record):
    """The Change list that makes the group's members match `spec` (none when it already does)."""
    if spec.get('members') is None:
        return []
    have = members_of(record)
    changes = [Change(MEMBERS, 'add', username) for username in spec['members'] if username not in have]
    if spec.get('purge_members'):
        changes.extend(Change(MEMBERS, 'remove', username, entry_id=entry_id)
                       for username, entry_id in have.items() if username not in spec['members'])
    return changes


def with_members(record, changes):
    """The group record as it is once `changes` are made (for results, diffs and check mode)."""
    removed = set(change.name for change in changes if change.action == 'remove')
    rows = [row for row in record.get('usersData') or [] if row['user']['username'] not in removed]
    rows += [{'user': {'username': change.name}, 'userUserGroup': {'id': None}} for change in changes if change.action == 'add']
    return dict(record, usersData=sorted(rows, key=lambda row: row['user']['username']))


# ---- the modules --------------------------------------------------------------

def _run_group(client, params, check_mode, diff):
    return converged('user_group', GroupConverger(client, check_mode), to_options, params, diff)


USER_GROUP = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), description=dict(type='str'),
         members=dict(type='list', elements='str'), purge_members=dict(type='bool', default=False),
         state=dict(type='str', default='present', choices=['present', 'absent']),
         force=dict(type='bool', default=False)),
    _run_group, group_problems, required_one_of=[('name', 'id')])


def _read_groups(client, params, check_mode, diff):
    if params['id']:
        found = group_by_id(client, params['id'])
        groups = [found] if found and params['name'] in (None, found['name']) else []
    elif params['name'] is not None:
        groups = same_name(params['name'], group_records(client, {'name': params['name']}))[0]
    else:
        groups = group_records(client)
    return dict(changed=False, user_groups=[to_options(group, params['details']) for group in groups])


USER_GROUP_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), details=dict(type='bool', default=False)),
    _read_groups, group_problems)
