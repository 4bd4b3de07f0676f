# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared cloud drives in the modules' own vocabulary, and how to converge one.

PRIVATE to the amove.click collection: its interface may change in any release.

The Click API speaks camelCase and enum numbers; users write snake_case and
enum names. Everything crosses between the two here, through one table, and
the same comparison decides check mode and real mode.
"""

from __future__ import annotations

import re

from ansible_collections.amove.click.plugins.module_utils._click_api import (
    ClickApiError,
    ModuleDefinition,
    SHARED_DRIVES,
    TransientError,
    checked_drive,
    is_not_found,
    name_key,
    same_name,
)
from ansible_collections.amove.click.plugins.module_utils._converge import (
    converged,
    pick_named,
    verified_save,
    verified_write,
)
from ansible_collections.amove.click.plugins.module_utils._drive_access import (
    ACCESS_ARGUMENT_SPEC,
    access_changes,
    access_problems,
    access_view,
    apply,
    resolve_names,
    wants_access,
    with_access,
)

DRIVE_TYPES = {'virtual_drive': 1, 'local_path': 2}
SYNC_TYPES = {'stream': 1, 'mirror': 2}

# option name -> (API field, kind). The options a user may set on a drive.
DRIVE_FIELDS = {
    'name': ('name', 'str'),
    'cloud_account_id': ('cloudAccountId', 'uuid'),
    'storage_name': ('storageName', 'str'),
    'prefix': ('prefix', 'str'),
    'prefix_id': ('prefixId', 'str'),
    'storage_id': ('storageId', 'str'),
    'objects_per_folder': ('objectsPerFolder', 'int'),
    'allow_delete': ('allowDelete', 'bool'),
    'local_cache_encrypted': ('localCacheEncrypted', 'bool'),
    'cloud_objects_encrypted': ('cloudObjectsEncrypted', 'bool'),
    'drive_type': ('driveType', DRIVE_TYPES),
    'sync_type': ('syncType', SYNC_TYPES),
    'active': ('active', 'bool'),
}

# Set by the server on every write; never sent, never compared.
ACCESS_ROWS = ('usersData', 'groupsData', 'projectsData')
SERVER_OWNED = ('accountId', 'creatorUserId', 'deleted', 'cloudAccount') + ACCESS_ROWS

NAME_MAX_LENGTH = 50
UUID_PATTERN = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')

# Argument spec of the options that describe a drive (without name, id, state).
DRIVE_ARGUMENT_SPEC = dict(
    cloud_account_id=dict(type='str'),
    cloud_account=dict(type='str'),
    storage_name=dict(type='str'),
    prefix=dict(type='str'),
    prefix_id=dict(type='str'),
    storage_id=dict(type='str'),
    objects_per_folder=dict(type='int'),
    allow_delete=dict(type='bool'),
    local_cache_encrypted=dict(type='bool'),
    cloud_objects_encrypted=dict(type='bool'),
    drive_type=dict(type='str', choices=list(DRIVE_TYPES)),
    sync_type=dict(type='str', choices=list(SYNC_TYPES)),
    active=dict(type='bool'),
    **ACCESS_ARGUMENT_SPEC
)


def is_uuid(value):
    return isinstance(value, str) and bool(UUID_PATTERN.match(value))


def name_problem(option, name):
    """What is wrong with a drive name, or None."""
    if not name or not name.strip():
        return '%s must not be empty' % option
    if len(name) > NAME_MAX_LENGTH:
        return '%s must be at most %d characters, %r has %d' % (option, NAME_MAX_LENGTH, name, len(name))
    return None


def drive_problems(spec, where='options'):
    """What is wrong with one drive definition, checked before any request.

    `spec` holds module options (None = not set). `where` names the place in
    messages, such as 'options' or 'drives[2]'.
    """
    problems = []
    prefix = '' if where == 'options' else where + '.'
    if spec.get('name') is not None:
        problem = name_problem(prefix + 'name', spec['name'])
        if problem:
            problems.append(problem)
    for option in ('id', 'cloud_account_id'):
        if spec.get(option) is not None and not is_uuid(spec[option]):
            problems.append('%s%s must be a UUID such as 3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11, got %r'
                            % (prefix, option, spec[option]))
    if spec.get('cloud_account') is not None and spec.get('cloud_account_id') is not None:
        problems.append('%scloud_account and %scloud_account_id are mutually exclusive: give one' % (prefix, prefix))
    if spec.get('cloud_account') is not None and not spec['cloud_account'].strip():
        problems.append('%scloud_account must not be empty' % prefix)
    # A boolean here is refused by type_problems, with its own message.
    if spec.get('objects_per_folder') is not None and not isinstance(spec['objects_per_folder'], bool) \
            and spec['objects_per_folder'] < 1:
        problems.append('%sobjects_per_folder must be at least 1, got %s' % (prefix, spec['objects_per_folder']))
    if spec.get('storage_name') is not None and not spec['storage_name'].strip():
        problems.append('%sstorage_name must not be empty' % prefix)
    if spec.get('state', 'present') != 'query' and spec.get('name') is None and spec.get('id') is None:
        problems.append('%sname or %sid is required' % (prefix, prefix))
    problems.extend(access_problems(spec, prefix))
    return problems


# ---- the vocabulary ---------------------------------------------------------

def _normalize(kind, value):
    """One normalisation for both sides of a comparison (API record and wish)."""
    if value is None:
        return '' if kind == 'str' else value
    if kind == 'uuid':
        return str(value).lower()
    if kind == 'str':
        return str(value)
    if kind == 'int':
        return int(value)
    if kind == 'bool':
        return bool(value)
    return value


def wanted_fields(spec):
    """API fields that the user set, with enum names turned into numbers."""
    wanted = {}
    for option, (field, kind) in DRIVE_FIELDS.items():
        value = spec.get(option)
        if value is None:
            continue
        wanted[field] = kind[value] if isinstance(kind, dict) else value
    return wanted


def differences(record, wanted):
    """Options (by name) whose wanted value differs from the record's."""
    changed = []
    for option, (field, kind) in DRIVE_FIELDS.items():
        if field in wanted and _normalize(kind, record.get(field)) != _normalize(kind, wanted[field]):
            changed.append(option)
    return changed


def enum_name(names, number):
    """The name of an enum number, or the number itself when it has no name."""
    for name, value in names.items():
        if value == number:
            return name
    return number


def to_options(record):
    """A drive record of the API in the modules' vocabulary ({} for no drive).

    Only what the record says: a drive predicted in check mode has no id and
    none of the values the agent would choose, so those keys are left out.
    """
    if not record:
        return {}
    result = {}
    if 'id' in record:
        result['id'] = record['id']
    for option, (field, kind) in DRIVE_FIELDS.items():
        if field in record:
            value = record[field]
            result[option] = enum_name(kind, value) if isinstance(kind, dict) else value
    if 'cloudAccount' in record:
        cloud_account = record['cloudAccount']
        result['cloud_account'] = cloud_account.get('name') if isinstance(cloud_account, dict) else None
    for option, field in (('account_id', 'accountId'), ('creator_user_id', 'creatorUserId')):
        if field in record:
            result[option] = record[field]
    if any(key in record for key in ('usersData', 'groupsData', 'projectsData')):
        result.update(access_view(record))
    return result


def writable(record):
    """A record ready to PUT: the full object without server-owned fields."""
    return dict((key, value) for key, value in record.items() if key not in SERVER_OWNED)


# ---- where drives are looked up --------------------------------------------

class LiveDrives:
    """Looks drives up on the agent, one query each: cheapest for a few drives.

    With `details`, the records carry who gets each drive. A name is asked
    once per run, and again after this run wrote a drive of that name.
    """

    def __init__(self, client, details=False, first_page=None):
        self.client = client
        self.details = details
        self._named = {}
        self._first_page = first_page

    def near(self):
        """Drives to look for near names among: the listing's first page, read once.

        A name with no drive is compared with these; in an account larger than
        a page, with those only (the rest would cost a request per page).
        """
        if self._first_page is None:
            self._first_page = [record for record in next(self.client.drive_pages(self.details))[0]
                                if not record.get('deleted')]
        return self._first_page

    def named_like(self, name):
        key = name_key(name)
        if key not in self._named:
            self._named[key] = self.client.shared_cloud_drives_named_like(name, self.details)
        return self._named[key]

    def by_id(self, drive_id):
        return self.client.get_shared_cloud_drive(drive_id, self.details)

    def remember(self, before, after):
        for record in (before, after):
            if record is not None:
                self._named.pop(name_key(str(record.get('name', ''))), None)


class DriveIndex:
    """The account's live drives from one listing, looked up the way the agent would be.

    Used when many drives are converged in one run: one listing instead of a
    query per drive. It is kept up to date with this run's own writes.
    """

    def __init__(self, records):
        self.records = [record for record in records if not record.get('deleted')]

    def named_like(self, name):
        exact, clashing = same_name(name, self.records)
        return exact + clashing

    def near(self):
        return self.records

    def by_id(self, drive_id):
        for record in self.records:
            if str(record.get('id', '')).lower() == drive_id.lower():
                return record
        return None

    def remember(self, before, after):
        if before is not None:
            self.records = [record for record in self.records if record is not before]
        if after is not None:
            self.records.append(after)


def drives_for(client, specs, purge=False):
    """The cheapest way to look up the drives of `specs`, as LiveDrives or a DriveIndex.

    Purging, or selecting by id, needs every drive. Otherwise read the first
    page: a small account is then known whole; in a large one, reading the rest
    pays off only when it takes fewer requests than one query per drive. So
    the number of requests never grows with the size of the account.
    """
    details = any(wants_access(spec) for spec in specs)
    every_drive = purge or any(spec.get('id') for spec in specs)
    # A lone name to delete reads the first page too: in an account of one
    # page that is all it takes, and a name with no drive is compared with it
    # for near names (see pick_named) at no further cost.
    deleting = len(specs) == 1 and specs[0].get('state', 'present') == 'absent' and not specs[0].get('id')
    if not every_drive and len(specs) <= 1 and not deleting:
        return LiveDrives(client, details)
    pages = client.drive_pages(details)
    records, total = next(pages)
    if not every_drive and total is not None and total > len(records):
        pages_left = -(-(total - len(records)) // max(len(records), 1))
        if pages_left >= len(specs):
            return LiveDrives(client, details, [record for record in records if not record.get('deleted')])
    return DriveIndex(records + [record for more, _total in pages for record in more])


# ---- converging drives ------------------------------------------------------

class DriveConverger:
    """Makes drives match their definitions: look up, compare, then write only if needed.

    Every decision is taken before any write, so check mode runs exactly the
    same code and stops short of the write. Lookups go through `drives`
    (LiveDrives or a DriveIndex); checks after a failed write always ask the
    agent itself.
    """

    def __init__(self, client, check_mode=False, drives=None):
        self.client = client
        self.check_mode = check_mode
        self.drives = drives
        self._cloud_account_ids = {}
        self._known_account_ids = set()
        # Who users, groups and projects are, by (option, name): each asked once per run.
        self.ids = {}
        self.unknown = {}
        self.warnings = []

    # lookups

    def find(self, spec, fresh=False):
        """The live drive that `spec` designates, or None; fails when ambiguous.

        `fresh` asks the agent itself, as checks after a failed write must.
        """
        drives = self.drives
        if fresh or drives is None:
            drives = LiveDrives(self.client, wants_access(spec))
        if spec.get('id'):
            return drives.by_id(spec['id'])
        name = spec['name']
        # Checks after a write only look: a near name was told of before.
        return pick_named('shared cloud drive', name, drives.named_like(name), spec.get('state', 'present'),
                          near=drives.near, warn=None if fresh else self.warn)

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def cloud_account_id(self, name):
        if name not in self._cloud_account_ids:
            self._cloud_account_ids[name] = self.client.find_cloud_account(name)
        return self._cloud_account_ids[name]

    def check_cloud_account_id(self, account_id):
        """In check mode, where no write lets the agent say it: fail when no live cloud account has this id.

        A real run asks nothing first: the write itself answers "not found" (see _save).
        """
        if account_id.lower() in self._known_account_ids:
            return
        exists = self.client.advisory(lambda: self.client.cloud_account_exists(account_id),
                                      'cloud_account_id %s was not checked, so check mode cannot tell whether the agent '
                                      'would accept it' % account_id)
        if exists is False:
            raise ClickApiError(self._unknown_account(account_id))
        self._known_account_ids.add(account_id.lower())

    def _unknown_account(self, account_id, error=None):
        """Why a cloud_account_id failed, naming the cloud accounts the agent knows (one read); None when it knows this id.

        `error` is the write that the agent refused as "not found"; without it,
        the check mode read already said that no account has this id.
        """
        try:
            accounts = self.client.advisory(self.client.cloud_accounts, 'the cloud accounts the agent knows are not named')
        except ClickApiError:
            accounts = None  # what is being explained is what the task reports
        if error is not None and (accounts is None or any(account['id'].lower() == account_id.lower() for account in accounts)):
            return None
        known = '' if accounts is None else '; it knows %s' % (
            ', '.join('%r (id %s)' % (account['name'], account['id']) for account in accounts) or 'none')
        return '%scloud_account_id %s: no cloud account of the agent has this id%s' % (
            '' if error is None else '%s; ' % error, account_id, known)

    def wanted(self, spec, current):
        """API fields to set; checks a new cloud_account_id in check mode, resolves cloud_account by name only when the drive does not already say it."""
        wanted = wanted_fields(spec)
        account_id = spec.get('cloud_account_id')
        if account_id is not None and self.check_mode and (current is None or 'cloud_account_id' in differences(current, wanted)):
            self.check_cloud_account_id(account_id)
        account_name = spec.get('cloud_account')
        if account_name is not None:
            embedded = (current or {}).get('cloudAccount')
            if current and isinstance(embedded, dict) and embedded.get('name') == account_name \
                    and current.get('cloudAccountId'):
                wanted['cloudAccountId'] = current['cloudAccountId']
            else:
                wanted['cloudAccountId'] = self.cloud_account_id(account_name)
        return wanted

    # the state machine

    def converge(self, spec):
        """Return (changed, before, after) records for one drive definition."""
        changed, before, after = self._converge(spec)
        if changed and self.drives is not None:
            self.drives.remember(before, after)
        return changed, before, after

    def plan(self, spec):
        """What converging `spec` takes, decided before any write: (current, wanted, access changes).

        `wanted` is None when nothing is to be written but a deletion (state
        absent and `current` live). Names of users, groups and projects are
        not resolved here (see unresolved), so a set can ask each name once.
        """
        current = self.find(spec)
        if spec.get('state', 'present') == 'absent':
            return current, None, []
        if current is None and spec.get('id'):
            raise ClickApiError('no live shared cloud drive has id %s; to create a drive give name (without id)'
                                % spec['id'])
        if current is None:
            missing = [option for option in ('storage_name',) if spec.get(option) is None]
            if spec.get('cloud_account') is None and spec.get('cloud_account_id') is None:
                missing.insert(0, 'cloud_account (or cloud_account_id)')
            if missing:
                raise ClickApiError('shared cloud drive %r does not exist; to create it, also set %s'
                                    % (spec['name'], ' and '.join(missing)))
        wanted = self.wanted(spec, current)
        changes = access_changes(spec, current)
        if current is not None and not differences(current, wanted) and not changes:
            return current, None, []
        return current, wanted, changes

    def unresolved(self, changes):
        """What is wrong with the names `changes` add (one message each), resolving those not asked yet."""
        resolve_names(self.client, changes, self.ids, self.unknown)
        return [self.unknown[key] for key in dict.fromkeys((c.kind.option, c.name) for c in changes if c.action == 'add')
                if key in self.unknown]

    def _converge(self, spec):
        current, wanted, changes = self.plan(spec)
        if wanted is None:
            if current is None or spec.get('state', 'present') != 'absent':
                return False, current, current
            if not self.check_mode:
                self.delete(current)
            return True, current, None
        # Names of users, groups and projects become ids now, before any write.
        problems = self.unresolved(changes)
        if problems:
            raise ClickApiError('; '.join(problems) + '; nothing was changed')
        ids = self.ids
        if self.check_mode:
            return True, current, with_access(self._predicted(current, wanted, spec), changes)
        if current is None:
            return True, None, self._create_with_access(spec, wanted, changes, ids)
        after = current
        if differences(current, wanted):
            after = self._save(spec, wanted, current)[0]
            after = dict(after, **dict((key, current[key]) for key in ACCESS_ROWS if key in current))
        if changes:
            self._apply_access(spec, current, ids)
        return True, current, with_access(after, changes)

    def _create_with_access(self, spec, wanted, changes, ids):
        record, inserted = self._save(spec, wanted, None)
        if not changes:
            return record
        try:
            self._apply_access(spec, record, ids)
        except ClickApiError as error:
            if not inserted:
                raise
            # Never leave a drive that exists without the access it was meant
            # to have: take back the drive this task created.
            try:
                self.delete(record)
            except ClickApiError as undo_error:
                raise ClickApiError('%s; the new drive %r (id %s) could not be deleted again (%s): delete it, or run '
                                    'the task again to finish it' % (error, record.get('name'), record.get('id'),
                                                                     undo_error), error.status, error.code) from None
            raise ClickApiError('%s; the new drive %r was deleted again, so nothing was left half made'
                                % (error, record.get('name')), error.status, error.code) from None
        return with_access(record, changes)

    def _as_record(self, answer, spec, where):
        # Insert and update are documented to answer with the drive; should an
        # agent answer with nothing, read the drive back rather than guess.
        if answer is None or answer == '':
            return self.find(spec, fresh=True)
        return checked_drive(where, answer)

    def _predicted(self, current, wanted, spec):
        predicted = dict(current or {})
        predicted.update(wanted)
        if spec.get('cloud_account') is not None:
            predicted['cloudAccount'] = {'name': spec['cloud_account'], 'id': wanted['cloudAccountId']}
        elif current and wanted.get('cloudAccountId', current.get('cloudAccountId')) != current.get('cloudAccountId'):
            predicted.pop('cloudAccount', None)
        return predicted

    # ---- writes --------------------------------------------------------------

    def _save(self, spec, wanted, current):
        """Insert the drive (current None) or update it until it is as wanted.

        Returns (record, whether this call's own insert made it). A drive that
        another host created meanwhile (DUPLICATE) is adopted, and updated if
        it differs.
        """
        select = spec if current is None else dict(spec, id=current['id'])
        made = []  # the writes answered, as 'METHOD path'

        def write(state):
            if state is None:
                answer = self.client.request('POST', SHARED_DRIVES + '/insert', body=wanted)
                made.append('POST %s/insert' % SHARED_DRIVES)
                return answer
            body = writable(state)
            body.update(wanted)
            answer = self.client.request('PUT', SHARED_DRIVES + '/update', body=body)
            made.append('PUT %s/update' % SHARED_DRIVES)
            return answer

        try:
            answer, answered = verified_save('shared cloud drive', spec.get('name'), write,
                                             lambda: self.find(select, fresh=True),
                                             lambda state: not differences(state, wanted), current)
        except ClickApiError as error:
            if error.code == 'DUPLICATE' and current is not None and 'name' in differences(current, wanted):
                raise ClickApiError('%s; %s' % (error, self._holder(wanted['name'], current)),
                                    error.status, error.code, error.detail) from None
            # The agent's own answer for an unknown cloud account; name the ones it knows.
            explained = is_not_found(error) and spec.get('cloud_account_id') and self._unknown_account(spec['cloud_account_id'], error)
            if explained:
                raise ClickApiError(explained, error.status, error.code, error.detail) from None
            raise
        if not answered:
            return answer, False
        return self._as_record(answer, select, made[-1]), made[-1].startswith('POST')

    def _holder(self, name, renamed):
        """Which drive holds the name that a rename was refused (one read, on that failure path only)."""
        holders = [record for record in self.client.shared_cloud_drives_named_like(name)
                   if str(record.get('id', '')).lower() != str(renamed['id']).lower()]
        if not holders:
            return _agent_decides('no other live drive', name)
        return 'the name %r is taken by %s: rename or delete that drive first, or choose another name' \
            % (name, ' and '.join('shared cloud drive %r (id %s)' % (h.get('name'), h.get('id')) for h in holders))

    def _apply_access(self, spec, record, ids):
        """Give the drive exactly the access `spec` asks for, by the one write rule."""
        select = dict(spec, id=record['id'])

        def write(state):
            changes = access_changes(spec, state)
            unknown = [change for change in changes
                       if change.action == 'add' and (change.kind.option, change.name) not in ids]
            problems = self.unresolved(unknown) if unknown else []
            if problems:
                # Other writes may have landed before this one: no "nothing was changed" here.
                raise ClickApiError('; '.join(problems))
            apply(self.client, record['id'], changes, ids)

        def look():
            found = self.find(select, fresh=True)
            if found is None:
                raise ClickApiError('shared cloud drive %s vanished while its access was being written' % record['id'])
            return found

        verified_write(write, look, lambda state: not access_changes(spec, state), record,
                       lambda error: error.code == 'DUPLICATE' or is_not_found(error))

    def delete(self, current):
        """Delete the drive; a delete whose answer was lost, or that says "not found", is checked by a read."""
        select = {'id': current['id']}
        verified_write(lambda state: self.client.request('DELETE', SHARED_DRIVES + '/delete', {'id': current['id']}),
                       lambda: self.find(select, fresh=True), lambda state: state is None, current, is_not_found)


def _agent_decides(which, name):
    """Why the agent answered DUPLICATE for a name that no drive we can see holds."""
    return ('%s is named %r, nor a name equal ignoring case, so the agent takes some other name for the same one '
            '(its rule decides): choose another name' % (which, name))


# ---- converging a set of drives ---------------------------------------------

def set_problems(specs, purge, allow_empty_purge):
    """What is wrong with a list of drive definitions, checked before any request."""
    problems = []
    names = {}
    for number, spec in enumerate(specs):
        where = 'drives[%d]' % number
        problems.extend(drive_problems(spec, where))
        if spec.get('name') is None and spec.get('id') is None:
            continue
        key = ('id', spec['id'].lower()) if spec.get('id') else ('name', name_key(spec['name']))
        if key in names:
            problems.append('%s names the same drive as drives[%d] (%s %r); list each drive once'
                            % (where, names[key], key[0], spec.get(key[0])))
        names.setdefault(key, number)
    if purge and not specs and not allow_empty_purge:
        problems.append('purge with an empty drives list would delete every shared cloud drive of the account; '
                        'set allow_empty_purge to true if that is really wanted')
    return problems


def converge_set(client, specs, purge=False, check_mode=False, warnings=None):
    """Make the account's drives match `specs`; with `purge`, delete live drives not listed.

    Every name the list needs is resolved, and every problem found, before
    the first write. Returns (changed, results, diffs): one result per listed
    drive, then one per purged drive, in the modules' vocabulary. Warnings
    (near names) are added to `warnings`.
    """
    drives = drives_for(client, specs, purge)
    converger = DriveConverger(client, check_mode, drives)
    try:
        check_quota(client, converger, specs)
        _resolve_all(converger, specs)
        changed, results, diffs = _write_set(converger, drives, specs, purge)
    except ClickApiError as error:
        if converger.warnings:
            error.extra['warnings'] = converger.warnings
        raise
    if warnings is not None:
        warnings.extend(converger.warnings)
    return changed, results, diffs


def _where(number, spec):
    return 'drives[%d] (%s)' % (number, spec.get('name') or spec.get('id'))


def _resolve_all(converger, specs):
    """Find every problem of the list before its first write: drives, cloud accounts, users, groups, projects.

    Each distinct name is asked once; the writes then reuse the answers.
    """
    problems, failures = [], []
    for number, spec in enumerate(specs):
        try:
            _current, _wanted, changes = converger.plan(spec)
            found = converger.unresolved(changes) if changes else []
        except TransientError as error:
            error.args = ('%s: %s' % (_where(number, spec), error),)
            raise
        except ClickApiError as error:
            failures.append(error)
            found = [str(error)]
        problems.extend('%s: %s' % (_where(number, spec), problem) for problem in found)
    if not problems:
        return
    message = '; '.join(problems) + '; nothing was changed'
    if len(failures) == 1 and len(problems) == 1:
        failures[0].args = (message,)
        raise failures[0]
    raise ClickApiError(message)


def _write_set(converger, drives, specs, purge):
    results, diffs, kept = [], [], set()
    for number, spec in enumerate(specs):
        try:
            changed, before, after = converger.converge(spec)
        except ClickApiError as error:
            raise _stopped(error, _where(number, spec), spec.get('name') or spec.get('id'), results,
                           specs[number + 1:], converger.check_mode) from None
        if after is not None:
            kept.add(id(after))
        results.append(_outcome(spec.get('name') or (before or {}).get('name'), changed, before, after))
        if changed:
            diffs.append(_diff(before, after))
    if purge:
        for record in [record for record in drives.records if id(record) not in kept]:
            if not converger.check_mode:
                try:
                    converger.delete(record)
                except ClickApiError as error:
                    raise _stopped(error, 'purging %r (id %s)' % (record.get('name'), record.get('id')),
                                   record.get('name'), results, [], False) from None
            drives.remember(record, None)
            results.append(_outcome(record.get('name'), True, record, None, purged=True))
            diffs.append(_diff(record, None))
    return any(result['changed'] for result in results), results, diffs


def _stopped(error, where, name, results, rest, check_mode):
    """The error of a set stopped by a failed write: what was done before it, what failed, what was not reached."""
    done = [result for result in results if result['changed']]
    message = '%s: %s' % (where, error)
    if done and not check_mode:
        message += '; done before this failure: %s' % ', '.join(
            '%s %r%s' % (result['action'], result['name'],
                         ' (id %s)' % result['shared_cloud_drive']['id'] if result['shared_cloud_drive'].get('id') else '')
            for result in done)
        error.extra['changed'] = True
    if rest:
        message += '; not reached: %s' % ', '.join(repr(spec.get('name') or spec.get('id')) for spec in rest)
    error.args = (message,)
    error.extra['shared_cloud_drives'] = results + [
        {'name': name, 'changed': False, 'action': 'failed', 'shared_cloud_drive': {}}] + [
        {'name': spec.get('name') or spec.get('id'), 'changed': False, 'action': 'not_reached', 'shared_cloud_drive': {}}
        for spec in rest]
    return error


def check_quota(client, converger, specs):
    """Fail before any write when the drives to create do not fit in the account's plan.

    Drives are written in list order, so a deletion listed before a creation
    frees its place. The lookups are the ones the run makes anyway; the quota
    costs one request, and only when something is to be created.
    """
    balance, lowest, creating = 0, 0, []
    for number, spec in enumerate(specs):
        if spec.get('id'):
            continue
        try:
            current = converger.find(spec)
        except ClickApiError as error:
            error.args = ('drives[%d] (%s): %s' % (number, spec['name'], error),)
            raise
        if spec.get('state', 'present') == 'absent':
            balance += current is not None
        elif current is None:
            balance -= 1
            lowest = min(lowest, balance)
            creating.append(spec['name'])
    if not creating:
        return
    remaining = client.advisory(client.remaining_drives, 'the drive quota was not checked before the creates; '
                                'the agent refuses a create past it')
    if remaining is not None and remaining + lowest < 0:
        raise ClickApiError('the account may have %d more shared cloud drives (drives in GET /user/package_inquiry), '
                            'and this list creates %d (%s); nothing was changed: delete drives first, list fewer, '
                            'or raise the plan' % (remaining, len(creating), ', '.join(repr(n) for n in creating)))


def _outcome(name, changed, before, after, purged=False):
    if purged:
        action = 'purged'
    elif not changed:
        action = 'unchanged'
    elif before is None:
        action = 'created'
    elif after is None:
        action = 'deleted'
    else:
        action = 'updated'
    return {'name': name, 'changed': changed, 'action': action, 'shared_cloud_drive': to_options(after)}


def _diff(before, after):
    name = (after or before or {}).get('name')
    return {'before_header': 'shared cloud drive %s' % name, 'after_header': 'shared cloud drive %s' % name,
            'before': to_options(before), 'after': to_options(after)}


# ---- the modules --------------------------------------------------------------
# Each module's spec and work, run by the module on the desktop or by its
# action plugin on the controller (see plugins/plugin_utils/_click_action.py).

SELECTION_ARGUMENT_SPEC = dict(
    name=dict(type='str'),
    id=dict(type='str'),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    **DRIVE_ARGUMENT_SPEC
)


def _run_drive(client, params, check_mode, diff):
    # A lone name to delete is looked up in the account's first page, where its near names are too.
    converger = DriveConverger(client, check_mode, drives_for(client, [params]) if params['state'] == 'absent' else None)
    return converged('shared_cloud_drive', converger, to_options, params, diff)


SHARED_CLOUD_DRIVE = ModuleDefinition(
    SELECTION_ARGUMENT_SPEC, _run_drive, drive_problems,
    mutually_exclusive=[('cloud_account', 'cloud_account_id')], required_one_of=[('name', 'id')])


def _read_drives(client, params, check_mode, diff):
    if params['id']:
        found = client.get_shared_cloud_drive(params['id'], params['details'])
        drives = [found] if found and params['name'] in (None, found.get('name')) else []
    elif params['name'] is not None:
        drives = client.find_shared_cloud_drives(params['name'], params['details'])
    else:
        drives = client.all_shared_cloud_drives(params['details'])
    return dict(changed=False, shared_cloud_drives=[to_options(drive) for drive in drives])


SHARED_CLOUD_DRIVE_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), details=dict(type='bool', default=False)),
    _read_drives, lambda params: drive_problems(dict(name=params['name'], id=params['id'], state='query')))


def _run_set(client, params, check_mode, diff):
    warnings = []
    changed, results, diffs = converge_set(client, params['drives'], params['purge'], check_mode, warnings)
    result = dict(changed=changed, shared_cloud_drives=results, warnings=warnings)
    if diff:
        result['diff'] = diffs
    return result


SHARED_CLOUD_DRIVE_SET = ModuleDefinition(
    dict(drives=dict(type='list', elements='dict', required=True, options=SELECTION_ARGUMENT_SPEC,
                     mutually_exclusive=[('cloud_account', 'cloud_account_id')]),
         purge=dict(type='bool', default=False),
         allow_empty_purge=dict(type='bool', default=False)),
    _run_set, lambda params: set_problems(params['drives'], params['purge'], params['allow_empty_purge']))
