# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Drives on one desktop: the agent's local drives, their settings, and a desktop's own drives.

PRIVATE to the amove.click collection: its interface may change in any release.

These are the agent's own /management routes (no token). The Click API does
not say what PUT /management/clouddrive/{id} does with fields it is not sent,
nor whether local ids survive a sync, so: drives are looked up on every run,
every write sends the drive whole as just read with only the given settings
changed (cache fields through clouddrive_change_cache), and every setting
written is compared with what the agent answers. Names and writes follow the
collection's one engine (_converge.pick_named, _converge.verified_write).
"""

from __future__ import annotations

import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.text.formatters import human_to_bytes

from ansible_collections.amove.click.plugins.module_utils._click_api import (
    ClickApiError,
    ModuleDefinition,
    checked_records,
    json_kind,
    unexpected,
)
from ansible_collections.amove.click.plugins.module_utils._converge import (
    pick_named,
    verified_write,
)
from ansible_collections.amove.click.plugins.module_utils._drive_access import PERMISSIONS
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import (
    DRIVE_TYPES,
    SYNC_TYPES,
    enum_name,
    is_uuid,
)

LOCAL_DRIVES = '/management/clouddrive'
CHANGE_CACHE = '/management/clouddrive_change_cache'
AVAILABLE_LETTERS = '/management/list_available_drives'
WHAT = 'desktop drive'

# Letters list_available_drives may list: C to Z.
LETTERS = 'CDEFGHIJKLMNOPQRSTUVWXYZ'
LETTER_PATTERN = re.compile(r'^\s*([A-Za-z])\s*(:\\?)?\s*$')

# option -> (CloudDriveModel field, the route that writes it). Cache fields go
# through clouddrive_change_cache, as documented; the rest through the drive's PUT.
SETTINGS = {
    'drive_letter': ('driveName', 'drive'),
    'sync_interval': ('syncIntervalSeconds', 'drive'),
    'active': ('active', 'drive'),
    'max_cache_size': ('maximumCacheSize', 'cache'),
    'cache_encrypted': ('localCacheEncrypted', 'cache'),
    'rotational_cache': ('rotationalCache', 'cache'),
}
ROUTES = {'drive': LOCAL_DRIVES, 'cache': CHANGE_CACHE}

SETTINGS_ARGUMENT_SPEC = dict(
    drive_letter=dict(type='str'),
    # raw: a number of bytes or a size such as '50 GB' (a str spec would turn 1024 into '1024' with a warning).
    max_cache_size=dict(type='raw'),
    cache_encrypted=dict(type='bool'),
    rotational_cache=dict(type='bool'),
    sync_interval=dict(type='int'),
    active=dict(type='bool'),
)

# What the drive reports say of a drive's health: (report route, PascalCase key, option).
HEALTH_FIELDS = (
    ('summary', 'Status', 'status'),
    ('summary', 'UploaderStatus', 'uploader_status'),
    ('summary', 'DownloaderStatus', 'downloader_status'),
    ('summary', 'CloudProvider', 'cloud_provider'),
    ('summary', 'TotalFiles', 'total_files'),
    ('summary', 'TotalSizeBytes', 'total_size_bytes'),
    ('summary', 'CacheSizeBytes', 'cache_size_bytes'),
    ('sync_health', 'DriveStatus', 'drive_status'),
    ('sync_health', 'FilesPendingUpload', 'files_pending_upload'),
    ('sync_health', 'FilesUploading', 'files_uploading'),
    ('sync_health', 'FilesPendingDownload', 'files_pending_download'),
    ('sync_health', 'FilesDownloading', 'files_downloading'),
    ('sync_health', 'FilesWithErrors', 'files_with_errors'),
    ('sync_health', 'FilesDeleting', 'files_deleting'),
    ('sync_health', 'TotalTrackedFiles', 'total_tracked_files'),
    ('sync_health', 'UploadCompletionPercent', 'upload_completion_percent'),
    ('sync_health', 'DownloadCompletionPercent', 'download_completion_percent'),
    ('sync_health', 'OverallSyncCompletionPercent', 'overall_sync_completion_percent'),
    ('sync_health', 'ActiveUploadCount', 'active_upload_count'),
    ('sync_health', 'ActiveDownloadCount', 'active_download_count'),
)
REPORTS = ('summary', 'sync_health')


# ---- the vocabulary ---------------------------------------------------------------

def letter_of(value):
    """'G' for 'G', 'g', 'g:' or 'G:\\'; None for anything else."""
    match = LETTER_PATTERN.match(value or '') if isinstance(value, str) else None
    return match.group(1).upper() if match else None


def cache_bytes(value):
    """Bytes of a max_cache_size ('50 GB', '512 MB', 1024); raises ValueError for anything else."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    else:
        number = human_to_bytes(str(value).strip())
    if number < 0:
        raise ValueError(value)
    return int(number)


def wanted_settings(spec):
    """CloudDriveModel fields of the settings `spec` gives, as the agent writes them."""
    wanted = {}
    for option, (field, _route) in SETTINGS.items():
        value = spec.get(option)
        if value is None:
            continue
        if option == 'drive_letter':
            value = letter_of(value)
        elif option == 'max_cache_size':
            value = cache_bytes(value)
        wanted[field] = value
    return wanted


def _as_kept(field, value):
    """A record's value in the form wanted_settings writes, for comparison."""
    if field == 'driveName':
        return letter_of(value) or ''
    return value


def setting_differences(record, wanted):
    """The fields of `wanted` whose value the record does not have."""
    return dict((field, value) for field, value in wanted.items() if _as_kept(field, record.get(field)) != value)


def option_of(field):
    return next(option for option, (name, _route) in SETTINGS.items() if name == field)


def to_local_options(record):
    """A CloudDriveModel in the modules' vocabulary ({} for no drive)."""
    if not record:
        return {}
    return {
        'id': record.get('id'),
        'name': record.get('name'),
        'shared_drive': bool(record.get('sharedDrive')),
        'shared_drive_id': record.get('sharedDriveId'),
        'permission': enum_name(PERMISSIONS, record.get('permissionType')),
        'storage_name': record.get('storageName'),
        'prefix': record.get('prefix'),
        'drive_letter': record.get('driveName'),
        'local_path': record.get('localPath'),
        'drive_type': enum_name(DRIVE_TYPES, record.get('driveType')),
        'sync_type': enum_name(SYNC_TYPES, record.get('syncType')),
        'active': record.get('active'),
        'max_cache_size': record.get('maximumCacheSize'),
        'cache_encrypted': record.get('localCacheEncrypted'),
        'rotational_cache': record.get('rotationalCache'),
        'sync_interval': record.get('syncIntervalSeconds'),
    }


# ---- what the input may be ---------------------------------------------------------

def settings_problems(spec, prefix=''):
    """What is wrong with the settings of one drive, checked before any request."""
    problems = []
    letter = spec.get('drive_letter')
    if letter is not None and (letter_of(letter) is None or letter_of(letter) not in LETTERS):
        problems.append('%sdrive_letter must be one letter C to Z, such as G or g:, got %r' % (prefix, letter))
    if spec.get('max_cache_size') is not None:
        try:
            cache_bytes(spec['max_cache_size'])
        except (ValueError, TypeError):
            problems.append('%smax_cache_size must be a size such as 50 GB or 512 MB (1 GB = 1024 MB), or a number of bytes; '
                            'got %r' % (prefix, spec['max_cache_size']))
    interval = spec.get('sync_interval')
    if interval is not None and not isinstance(interval, bool) and interval < 1:
        problems.append('%ssync_interval must be at least 1 second, got %s' % (prefix, interval))
    return problems


def drive_problems(params):
    """What is wrong with the options of desktop_drive, checked before any request."""
    problems = []
    if params.get('name') is not None and not params['name'].strip():
        problems.append('name must not be empty')
    if params.get('id') is not None and not params['id'].strip():
        problems.append('id must not be empty')
    problems.extend(settings_problems(params))
    for option in ('storage_name', 'cloud_account'):
        if params.get(option) is not None and not params[option].strip():
            problems.append('%s must not be empty' % option)
    if params.get('cloud_account_id') is not None and not is_uuid(params['cloud_account_id']):
        problems.append('cloud_account_id must be a UUID such as 3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11, got %r'
                        % params['cloud_account_id'])
    if params.get('cloud_account') is not None and not params.get('token') \
            and not (params.get('username') and params.get('password')):
        problems.append('cloud_account is looked up by name with a token: set token (or AMOVE_CLICK_TOKEN), or give '
                        'cloud_account_id instead')
    return problems


def desktop_drive_specs(settings, where='desktop_drives'):
    """The drives of a `desktop_drives` option (drive name -> settings) as specs, and what is wrong with it.

    Each drive's settings are checked as the module's options are; no letter may
    be asked for by two drives. Returns (specs, problems); nothing is requested.
    """
    specs, problems, letters = [], [], {}
    for name, value in sorted((settings or {}).items()):
        place = '%s[%r]' % (where, name)
        if not isinstance(value, dict):
            problems.append('%s must be a dictionary of settings (%s), got %r' % (place, ', '.join(SETTINGS), value))
            continue
        checked = ArgumentSpecValidator(SETTINGS_ARGUMENT_SPEC).validate(value)
        if checked.error_messages:
            problems.extend('%s: %s' % (place, message) for message in checked.error_messages)
            continue
        spec = dict(checked.validated_parameters, name=name)
        problems.extend(settings_problems(spec, place + '.'))
        letter = letter_of(spec.get('drive_letter'))
        if letter is not None and letter in letters:
            problems.append('%s and %s[%r] both ask for drive letter %s; give each drive a letter of its own'
                            % (place, where, letters[letter], letter))
        letters.setdefault(letter, name)
        specs.append(spec)
    return specs, problems


# ---- reading the desktop ---------------------------------------------------------------

def cloud_drives(client):
    """The agent's local drives (a bare array of CloudDriveModel), each with an id and a name."""
    where = 'GET %s' % LOCAL_DRIVES
    answer = client.agent_request('GET', LOCAL_DRIVES)
    if not isinstance(answer, list):
        raise unexpected(where, 'not a list (it is %s)' % json_kind(answer))
    return checked_records(where, answer)


class Desktop:
    """One desktop's drives, read once per run (ids may not survive a sync, so never kept across runs)."""

    def __init__(self, client, records=None, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self.records = cloud_drives(client) if records is None else records
        self._free = None

    def find(self, spec, records=None):
        """The drive `spec` names (by id, or by exact name through the one name rule), or None."""
        records = self.records if records is None else records
        if spec.get('id'):
            wanted = spec['id'].lower()
            return next((record for record in records if record['id'].lower() == wanted), None)
        return pick_named(WHAT, spec['name'], records, spec.get('state') or 'present')

    def fresh(self, spec):
        """The drive as the agent has it now (after a write whose answer was lost)."""
        return self.find(spec, cloud_drives(self.client))

    def free_letters(self):
        """Letters no drive and nothing of the operating system holds (asked once per run, only when a letter changes)."""
        if self._free is None:
            where = 'GET %s' % AVAILABLE_LETTERS
            answer = self.client.agent_request('GET', AVAILABLE_LETTERS)
            if not isinstance(answer, list) or not all(isinstance(letter, str) for letter in answer):
                raise unexpected(where, 'not a list of letters')
            self._free = [letter_of(letter) or letter for letter in answer]
        return self._free

    def check_letter(self, name, letter, own):
        """Fail before any write unless `letter` is free on this desktop or already the drive's own."""
        if letter == own:
            return
        free = self.free_letters()
        if letter not in free:
            raise ClickApiError('drive %r: drive letter %s is not free on this desktop (the operating system or another '
                                'drive holds it); free letters: %s' % (name, letter, ', '.join(free) or 'none'))

    # ---- planning: every check before any write --------------------------------------

    def plan(self, spec):
        """(record or None, the fields to write) for one drive, checked; fails before any write."""
        record = self.find(spec)
        label = spec.get('name') or spec.get('id')
        wanted = wanted_settings(spec)
        if (spec.get('state') or 'present') == 'absent':
            if record is not None and record.get('sharedDrive'):
                raise ClickApiError('drive %r came from the account\'s shared cloud drives, which a desktop cannot delete '
                                    '(its next sync brings it back): to take it away from this desktop, take its user\'s '
                                    'access away (amove.click.shared_cloud_drive users, groups or projects), or delete the '
                                    'account\'s drive (amove.click.shared_cloud_drive state=absent)' % record.get('name'))
            return record, {}
        if record is None:
            if spec.get('id'):
                raise ClickApiError('no drive on this desktop has id %s; drives are looked up on every run, as local ids '
                                    'may change: select the drive by name' % spec['id'])
            missing = [] if spec.get('storage_name') else ['storage_name']
            if spec.get('cloud_account_id') is None and spec.get('cloud_account') is None:
                missing.append('cloud_account_id (or cloud_account)')
            if missing:
                raise ClickApiError('no drive on this desktop is named %r: a shared cloud drive arrives with the agent\'s '
                                    'sync (amove.click.agent sync_shared_drives); to create a drive of this desktop\'s own, '
                                    'also set %s' % (label, ' and '.join(missing)))
            if 'driveName' in wanted:
                self.check_letter(label, wanted['driveName'], None)
            return None, wanted
        changes = setting_differences(record, wanted)
        if 'driveName' in changes:
            self.check_letter(record.get('name'), changes['driveName'], _as_kept('driveName', record.get('driveName')))
        return record, changes

    # ---- writes -------------------------------------------------------------------------

    def write(self, record, changes):
        """Write `changes` to the drive, the drive's PUT first, then its cache; returns the drive as the agent keeps it."""
        for route in ('drive', 'cache'):
            part = dict((field, value) for field, value in changes.items() if SETTINGS[option_of(field)][1] == route)
            if part:
                record = self._put(ROUTES[route], record, part)
        return record

    def _put(self, path, record, part):
        select = {'id': record['id']}
        route = '%s/%s' % (path, record['id'])

        def write(state):
            # The drive whole, as just read, with only the given settings changed.
            body = dict(state)
            body.update(part)
            return self.client.agent_request('PUT', route, body=body, retry=False)

        def look():
            found = self.fresh(select)
            if found is None:
                raise ClickApiError('drive %r vanished from this desktop while it was being written' % record.get('name'))
            return found

        answer, answered = verified_write(write, look, lambda state: not setting_differences(state, part), record)
        if answered and not isinstance(answer, dict):
            # Documented to answer with the drive; should an agent answer with nothing, read it back.
            answer = look()
        kept = setting_differences(answer, part)
        if kept:
            raise ClickApiError('drive %r: the agent did not keep %s' % (record.get('name'), '; '.join(
                '%s %r (it has %r)' % (option_of(field), value, answer.get(field)) for field, value in kept.items())))
        return answer

    def create(self, spec, wanted, account_id):
        """A desktop's own drive on a cloud account's bucket, then its other settings; returns it as kept."""
        body = {
            'name': spec['name'], 'storageName': spec['storage_name'], 'prefix': '', 'driveName': wanted.get('driveName', ''),
            'driveType': DRIVE_TYPES['virtual_drive'], 'syncType': SYNC_TYPES['stream'], 'permissionType': PERMISSIONS['read_write'],
            'localCacheEncrypted': wanted.get('localCacheEncrypted', False), 'cloudObjectsEncrypted': False, 'allowDelete': True,
            'maximumCacheSize': wanted.get('maximumCacheSize', 0), 'permanentLocalPath': '$$$', 'account': {'id': account_id},
        }
        select = {'name': spec['name']}
        answer, answered = verified_write(lambda state: self.client.agent_request('POST', LOCAL_DRIVES, body=body, retry=False),
                                          lambda: self.fresh(select), lambda state: state is not None, None)
        if answered:
            answer = answer if isinstance(answer, dict) and answer.get('id') else self.fresh(select)
        if answer is None:
            raise ClickApiError('drive %r: the agent answered the insert, yet lists no such drive' % spec['name'])
        self.records.append(answer)
        return self.write(answer, setting_differences(answer, wanted))

    def delete(self, record):
        """Delete a desktop's own drive; a lost answer or a 404 is checked by a read."""
        select = {'id': record['id']}
        verified_write(lambda state: self.client.agent_request('DELETE', '%s/%s' % (LOCAL_DRIVES, record['id']), retry=False),
                       lambda: self.fresh(select), lambda state: state is None, record, lambda error: error.status == 404)
        self.records = [other for other in self.records if other is not record]

    def apply(self, spec, planned):
        """Carry out one drive's plan: (changed, before, after, the options changed)."""
        record, changes = planned
        if (spec.get('state') or 'present') == 'absent':
            if record is None:
                return False, None, None, []
            if not self.check_mode:
                self.delete(record)
            return True, record, None, []
        options = sorted(option_of(field) for field in changes)
        if record is None:
            account_id = spec.get('cloud_account_id') or self.client.find_cloud_account(spec['cloud_account'])
            if self.check_mode:
                predicted = dict(name=spec['name'], storageName=spec['storage_name'], sharedDrive=False, **changes)
                return True, None, predicted, options
            return True, None, self.create(spec, changes, account_id), options
        if not changes:
            return False, record, record, []
        after = dict(record, **changes) if self.check_mode else self.write(record, changes)
        return True, record, after, options


def converge_drives(desktop, specs):
    """Plan every drive (all checks, no write), then write; returns one outcome per spec."""
    plans = []
    for spec in specs:
        try:
            plans.append(desktop.plan(spec))
        except ClickApiError as error:
            if len(specs) > 1:
                error.args = ('desktop drive %r: %s' % (spec.get('name') or spec.get('id'), error),)
            raise
    return [desktop.apply(spec, planned) for spec, planned in zip(specs, plans)]


# ---- the modules ------------------------------------------------------------------------

def _run_drive(client, params, check_mode, diff):
    changed, before, after, options = converge_drives(Desktop(client, check_mode=check_mode), [params])[0]
    result = dict(changed=changed, desktop_drive=to_local_options(after), changed_settings=options)
    if diff:
        result['diff'] = dict(before=to_local_options(before), after=to_local_options(after))
    return result


DESKTOP_DRIVE = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), state=dict(type='str', default='present', choices=['present', 'absent']),
         storage_name=dict(type='str'), cloud_account_id=dict(type='str'), cloud_account=dict(type='str'),
         **SETTINGS_ARGUMENT_SPEC),
    _run_drive, drive_problems, mutually_exclusive=[('cloud_account', 'cloud_account_id'), ('name', 'id')],
    required_one_of=[('name', 'id')], credentials=False)


def health(client, record):
    """The drive reports' view of one drive's health, with their string enums as the agent gives them."""
    view = {}
    answers = {}
    for report in REPORTS:
        where = 'GET /drivereport/%s' % report
        answer = client.agent_request('GET', '/drivereport/%s/%s' % (report, record['id']))
        if not isinstance(answer, dict):
            raise unexpected(where, 'not an object')
        answers[report] = answer
    for report, key, option in HEALTH_FIELDS:
        view[option] = answers[report].get(key)
    view['files_by_state'] = dict((str(row.get('Label')), row.get('Value')) for row in answers['summary'].get('FilesByState') or []
                                  if isinstance(row, dict))
    return view


def _read_drives(client, params, check_mode, diff):
    desktop = Desktop(client)
    records = desktop.records
    if params['id']:
        records = [record for record in records if record['id'].lower() == params['id'].lower()]
    if params['name'] is not None:
        records = [record for record in records if record['name'] == params['name']]
    drives = []
    for record in records:
        view = to_local_options(record)
        if params['health']:
            view['health'] = health(client, record)
        drives.append(view)
    return dict(changed=False, desktop_drives=drives)


DESKTOP_DRIVE_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), health=dict(type='bool', default=False)),
    _read_drives, credentials=False)
