# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Drives on one desktop, declared: the agent's local drives, their settings, and a desktop's own drives.

PRIVATE to the amove.click collection: its interface may change in any release.

These are the agent's own /management routes (no token), listed as one bare
array. The Click API does not say what PUT /management/clouddrive/{id} does
with fields it is not sent, nor whether local ids survive a sync, so: drives
are looked up on every run, every write sends the drive whole as just read with
only the given settings changed, and every setting written is compared with
what the agent answers. What only a desktop drive has: its letter must be free
on the desktop, its cache settings go through the cache route, it is created
with the body the agent documents, and a drive that came from the account
cannot be deleted here (the next sync brings it back).
"""

from __future__ import annotations

import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.amove.click.plugins.module_utils._converge import Run, converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError, unexpected
from ansible_collections.amove.click.plugins.module_utils._lists import ListRun, plan_lists
from ansible_collections.amove.click.plugins.module_utils._listings import CLOUD_ACCOUNT_LISTING, DESKTOP_DRIVE_LISTING
from ansible_collections.amove.click.plugins.module_utils._lookup import IndexLookup
from ansible_collections.amove.click.plugins.module_utils._resource import PERMISSIONS, Field, Reference, Resource
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition
from ansible_collections.amove.click.plugins.module_utils._write_rule import verified_write

LOCAL_DRIVES = DESKTOP_DRIVE_LISTING.path
CHANGE_CACHE = '/management/clouddrive_change_cache'
AVAILABLE_LETTERS = '/management/list_available_drives'
DRIVE_TYPES = {'virtual_drive': 1, 'local_path': 2}
SYNC_TYPES = {'stream': 1, 'mirror': 2}

# Letters list_available_drives may list: C to Z.
LETTERS = 'CDEFGHIJKLMNOPQRSTUVWXYZ'
LETTER_PATTERN = re.compile(r'^\s*([A-Za-z])\s*(:\\?)?\s*$')

# Cache settings are written through clouddrive_change_cache, as documented; the rest through the drive's PUT.
CACHE_KEYS = ('maximumCacheSize', 'localCacheEncrypted', 'rotationalCache')

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


# ---- the settings' own grammar ------------------------------------------------------------

def letter_of(value):
    """'G' for 'G', 'g', 'g:' or 'G:\\'; None for anything else."""
    match = LETTER_PATTERN.match(value or '') if isinstance(value, str) else None
    return match.group(1).upper() if match else None


# Sizes: a whole number of bytes, or a number and a binary unit in any case
# (1 GB = 1 GiB = 1 G = 1024 MB); a fraction only with a unit, and only when it
# comes to whole bytes. A cache smaller than one transfer chunk of the agent
# (its standard profile sends 5 MB chunks) cannot hold a file being
# transferred; the agent keeps the size in a 64-bit field.
SIZE_UNITS = dict([('', 1), ('b', 1)] + [(prefix + suffix, 1024 ** power) for power, prefix in enumerate('kmgt', 1)
                                         for suffix in ('', 'b', 'ib')])
SIZE_PATTERN = re.compile(r'^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$')
MIN_CACHE_SIZE = 5 * 1024 ** 2
MAX_CACHE_SIZE = 2 ** 63 - 1
SIZE_GRAMMAR = ('a number of bytes, or a number and a unit B, KB, MB, GB or TB (also K, KiB, ...; any case; '
                '1 GB = 1024 MB), such as 50 GB or 1.5 TB; at least 5 MB (one transfer chunk of the agent) and at most '
                '%d TB' % (MAX_CACHE_SIZE // 1024 ** 4))

# Intervals: whole seconds, or a duration of hours, minutes and seconds such as
# 30s, 15m, 1h or 1h30m; the agent keeps syncIntervalSeconds in a 32-bit field.
DURATION_PATTERN = re.compile(r'^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s?)?\s*$', re.IGNORECASE)
MAX_INTERVAL = 2 ** 31 - 1
INTERVAL_GRAMMAR = ('whole seconds such as 60, or a duration such as 30s, 15m, 1h or 1h30m; at least 1 second and at '
                    'most %d seconds' % MAX_INTERVAL)


def cache_bytes(value):
    """Bytes of a size ('50 GB', '1.5 TB', 1073741824); raises ValueError saying why for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError('not a size')
    if isinstance(value, float):
        raise ValueError('a fraction needs a unit, such as 1.5 GB')
    if isinstance(value, int):
        number = value
    else:
        match = SIZE_PATTERN.match(value)
        unit = match.group(2).lower() if match else None
        if unit not in SIZE_UNITS:
            raise ValueError('not a size' if not match else 'unknown unit %r' % match.group(2))
        whole, _dot, fraction = match.group(1).partition('.')
        if fraction and SIZE_UNITS[unit] == 1:
            raise ValueError('a fraction needs a unit, such as 1.5 GB')
        scale = 10 ** len(fraction)
        exact = int(whole + fraction) * SIZE_UNITS[unit]
        if exact % scale:
            raise ValueError('it is not a whole number of bytes')
        number = exact // scale
    if number < MIN_CACHE_SIZE:
        raise ValueError('it is less than 5 MB')
    if number > MAX_CACHE_SIZE:
        raise ValueError('it is more than the agent can keep')
    return number


def interval_seconds(value):
    """Seconds of a sync interval (60, '60', '30s', '15m', '1h30m'); raises ValueError for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(value)
    if isinstance(value, int):
        seconds = value
    else:
        match = DURATION_PATTERN.match(value)
        if not match or not any(match.groups()):
            raise ValueError(value)
        hours, minutes, rest = (int(part or 0) for part in match.groups())
        seconds = hours * 3600 + minutes * 60 + rest
    if not 1 <= seconds <= MAX_INTERVAL:
        raise ValueError(value)
    return seconds


class LetterField(Field):
    """A drive letter: one upper-case letter C to Z, however it is written; '' for none, as the agent says it."""

    def to_agent(self, value):
        return letter_of(value) or ''

    def normalized(self, value):
        return letter_of(value) or ''

    def problems(self, value, where):
        if value is not None and value != '' and (letter_of(value) is None or letter_of(value) not in LETTERS):
            return ['%s%s must be one letter C to Z, such as G or g:, got %r' % (where, self.option, value)]
        return []


class SizeField(Field):
    """A size in bytes, written as a number of bytes or a size such as '50 GB' (see SIZE_GRAMMAR).

    The agent says 0 for a drive whose size was never set: that reads back as
    no size (null), which a task leaves as it is.
    """

    def to_agent(self, value):
        return cache_bytes(value)

    def from_agent(self, value):
        return None if value == 0 else value

    def problems(self, value, where):
        if value is not None:
            try:
                cache_bytes(value)
            except ValueError as error:
                return ['%s%s must be %s; got %r: %s' % (where, self.option, SIZE_GRAMMAR, value, error)]
        return []


class IntervalField(Field):
    """A number of seconds, written as such or as a duration such as '15m' (see INTERVAL_GRAMMAR)."""

    def to_agent(self, value):
        return interval_seconds(value)

    def problems(self, value, where):
        if value is not None:
            try:
                interval_seconds(value)
            except ValueError:
                return ['%s%s must be %s; got %r' % (where, self.option, INTERVAL_GRAMMAR, value)]
        return []


class DesktopDrives(Resource):
    what = 'desktop drive'
    label = 'drive'
    key = 'desktop_drive'
    plural = 'desktop_drives'
    listing = DESKTOP_DRIVE_LISTING
    # Defaults: what a drive has as the agent syncs it (the emulator's; the Click API documents none), so that an
    # export leaves them out; a drive's cache_encrypted follows its shared drive's local_cache_encrypted.
    settings = (
        LetterField('drive_letter', 'driveName', default=''),
        # raw: whole seconds, or a duration such as '15m'.
        IntervalField('sync_interval', 'syncIntervalSeconds', 'raw', default=60),
        Field('active', 'active', 'bool', default=True),
        # raw: a number of bytes or a size such as '50 GB' (a str spec would turn 1024 into '1024' with a warning).
        SizeField('max_cache_size', 'maximumCacheSize', 'raw', default=0),
        Field('cache_encrypted', 'localCacheEncrypted', 'bool'),
        Field('rotational_cache', 'rotationalCache', 'bool', default=False),
    )
    # A local drive is not renamed here (a shared one takes its name from the account): with id, name must be its own.
    fields = (Field('name', 'name', create_only=True),) + settings + (
        # What a desktop's own drive is created from; never compared (a drive from the account has its own).
        Field('storage_name', 'storageName', insert_only=True),
        Field('cloud_account_id', 'account', 'uuid', insert_only=True, within='id'),
        Reference('cloud_account', 'account', CLOUD_ACCOUNT_LISTING, alternative='cloud_account_id', insert_only=True),
        Field('shared_drive', 'sharedDrive', 'bool', read_only=True),
        Field('shared_drive_id', 'sharedDriveId', read_only=True),
        Field('permission', 'permissionType', choices=PERMISSIONS, read_only=True),
        Field('prefix', 'prefix', read_only=True),
        Field('local_path', 'localPath', read_only=True),
        Field('drive_type', 'driveType', choices=DRIVE_TYPES, read_only=True),
        Field('sync_type', 'syncType', choices=SYNC_TYPES, read_only=True),
    )
    required_to_create = (('storage_name',), ('cloud_account_id', 'cloud_account'))
    ignored = ('health',)
    rename = 'select it by id'
    to_create = ("no drive on this desktop is named %(name)r: a shared cloud drive arrives with the agent's sync "
                 "(amove.click.agent sync_shared_drives); to create a drive of this desktop's own, also set %(missing)s")
    unknown_id = ('no drive on this desktop has id %(id)s; drives are looked up on every run, as local ids may change: '
                  'select the drive by name')

    def problems(self, spec, where=''):
        """Local ids are not UUIDs, and a local drive's name has no documented limit: the checks are its own."""
        problems = ['%s%s must not be empty' % (where, option) for option in ('name', 'id', 'storage_name', 'cloud_account')
                    if spec.get(option) is not None and not spec[option].strip()]
        for field in self.options:
            if field.option in SETTINGS or field.option == 'cloud_account_id':
                problems.extend(field.problems(spec.get(field.option), where))
        if spec.get('cloud_account') is not None and not spec.get('token') \
                and not (spec.get('username') and spec.get('password')):
            problems.append('cloud_account is looked up by name with a token: set token (or AMOVE_CLICK_TOKEN), or give '
                            'cloud_account_id instead')
        return problems

    def to_options(self, record, details=True):
        if not record:
            return {}
        view = dict((field.option, None) for field in self.fields if not field.insert_only)
        view.update(super().to_options(record, details))
        view['id'] = record.get('id')
        view['shared_drive'] = bool(record.get('sharedDrive'))
        return view

    # ---- its own hooks ---------------------------------------------------------------------

    def prepare(self, converger, spec, current, wanted):
        """A letter must be free on this desktop or already the drive's own; asked once per run, only when it changes."""
        letter = wanted.get('driveName')
        own = letter_of((current or {}).get('driveName'))
        if not letter or letter == own:  # '' is no letter (a drive on a local path): nothing to be free
            return
        free = converger.run.facts.get('free letters')
        if free is None:
            answer = converger.client.agent_request('GET', AVAILABLE_LETTERS)
            if not isinstance(answer, list) or not all(isinstance(item, str) for item in answer):
                raise unexpected('GET %s' % AVAILABLE_LETTERS, 'not a list of letters')
            free = converger.run.facts['free letters'] = [letter_of(item) or item for item in answer]
        if letter in free:
            return
        holders = [record for record in converger.lookup.near()
                   if letter_of(record.get('driveName')) == letter and record is not current] if converger.lookup else []
        moves = converger.run.facts.get('letter moves', {})
        if holders and all(self.leaves(record, moves) for record in holders):
            # Drives of this list trade letters: free by the time it is written (see exchange_letters).
            converger.run.facts['letters traded'] = True
            if self.spare(converger) is None and self.in_a_ring(converger, current, moves):
                raise ClickApiError('drive %r: drive letter %s is held by drive %s, which this list moves to the letter of '
                                    'another drive of the ring; trading letters in a ring takes one spare free letter '
                                    'that no drive of the list asks for, and this desktop has none'
                                    % (spec.get('name') or (current or {}).get('name'), letter, repr(holders[0].get('name'))))
            return
        holder = 'drive %s holds it' % ' and '.join(repr(record.get('name')) for record in holders) if holders \
            else 'the operating system holds it'
        raise ClickApiError('drive %r: drive letter %s is not free on this desktop (%s); free letters: %s'
                            % (spec.get('name') or (current or {}).get('name'), letter, holder, ', '.join(free) or 'none'))

    # ---- letters traded within a list ------------------------------------------------------
    # Drives synced on a new desktop get letters in the agent's order; the settings of an
    # export give them back their own, often a ring (A takes B's letter, B takes A's). The
    # agent keeps one drive per letter, so a list's letter changes are written first, each
    # when its letter is free, a ring passing through one spare free letter.

    def before_writes(self, converger, specs, where):
        """The letters the list asks for, by drive name and id: a letter held by a drive that leaves it is taken."""
        moves = {}
        for spec in specs:
            if spec.get('drive_letter') is not None:
                for key in (spec.get('name'), (spec.get('id') or '').lower()):
                    if key:
                        moves[key] = letter_of(spec['drive_letter']) or ''
        converger.run.facts['letter moves'] = moves

    @staticmethod
    def wish(record, moves):
        """The letter the list asks for this drive, or None."""
        return moves.get(record.get('name'), moves.get(str(record.get('id', '')).lower()))

    def leaves(self, record, moves):
        wish = self.wish(record, moves)
        return wish is not None and wish != (letter_of(record.get('driveName')) or '')

    def in_a_ring(self, converger, current, moves):
        """Whether following who holds each asked letter comes back to `current` (no drive can go first)."""
        records = converger.lookup.near()
        record, seen = current, set()
        while record is not None and id(record) not in seen:
            seen.add(id(record))
            wish = self.wish(record, moves)
            if not wish:
                return False
            record = next((other for other in records if other is not record and letter_of(other.get('driveName')) == wish), None)
            if record is current:
                return True
        return False

    def spare(self, converger, held=()):
        """A free letter that no drive of the list asks for (nor holds now), or None."""
        wished = set(converger.run.facts.get('letter moves', {}).values())
        return next((letter for letter in converger.run.facts.get('free letters') or []
                     if letter not in wished and letter not in held), None)

    def exchange_letters(self, converger):
        """Give the drives of the list the letters they trade, once, before any other write of the list.

        Each drive takes its letter when it is free; when none can (a ring),
        one drive of the ring passes through a spare letter: one more request.
        """
        facts = converger.run.facts
        if not facts.pop('letters traded', False):
            return
        moves, moved = facts['letter moves'], facts.setdefault('moved', {})
        records = dict((record['id'], record) for record in converger.lookup.near())
        pending = [record_id for record_id, record in records.items() if self.leaves(record, moves)]
        while pending:
            held = dict((letter_of(record.get('driveName')), record_id) for record_id, record in records.items())
            ready = [record_id for record_id in pending if not self.wish(records[record_id], moves)
                     or held.get(self.wish(records[record_id], moves)) in (None, record_id)]
            if ready:
                record_id = ready[0]
                letter = self.wish(records[record_id], moves)
                pending.remove(record_id)
            else:
                # A ring: one drive whose letter another one waits for passes through a spare letter.
                wanted = set(self.wish(records[other], moves) for other in pending)
                record_id = next(one for one in pending if letter_of(records[one].get('driveName')) in wanted)
                letter = self.spare(converger, held)
                if letter is None:
                    raise ClickApiError('drives %s trade letters in a ring, and this desktop has no spare free letter '
                                        'to pass through' % ', '.join(repr(records[one].get('name')) for one in pending))
            records[record_id] = moved[record_id] = self._put(converger, LOCAL_DRIVES, records[record_id], {'driveName': letter})

    def predict(self, plan, record):
        """A drive's local path is its letter's root on Windows: it moves with the letter."""
        old, new = letter_of((plan.current or {}).get('driveName')), plan.wanted.get('driveName')
        if old and new and record.get('localPath') == '%s:\\' % old:
            record = dict(record, localPath='%s:\\' % new)
        return record

    def before_delete(self, converger, current, spec):
        if current.get('sharedDrive'):
            raise ClickApiError("drive %r came from the account's shared cloud drives, which a desktop cannot delete "
                                "(its next sync brings it back): to take it away from this desktop, take its user's "
                                "access away (amove.click.shared_cloud_drive users, groups or projects), or delete the "
                                "account's drive (amove.click.shared_cloud_drive state=absent)" % current.get('name'))

    def create(self, converger, plan):
        """A desktop's own drive on a cloud account's bucket, then its other settings; returns it as kept."""
        self.exchange_letters(converger)
        spec, wanted = plan.spec, plan.wanted
        body = {
            'name': spec['name'], 'storageName': spec['storage_name'], 'prefix': '', 'driveName': wanted.get('driveName', ''),
            'driveType': DRIVE_TYPES['virtual_drive'], 'syncType': SYNC_TYPES['stream'], 'permissionType': PERMISSIONS['read_write'],
            'localCacheEncrypted': wanted.get('localCacheEncrypted', False), 'cloudObjectsEncrypted': False, 'allowDelete': True,
            'maximumCacheSize': wanted.get('maximumCacheSize', 0), 'permanentLocalPath': '$$$',
            'account': {'id': spec.get('cloud_account_id') or wanted['account']},
        }
        select = {'name': spec['name']}
        client = converger.client
        answer, answered = verified_write(lambda state: client.agent_request('POST', LOCAL_DRIVES, body=body, retry=False),
                                          lambda: converger.find(select, fresh=True), lambda state: state is not None, None)
        if answered:
            answer = answer if isinstance(answer, dict) and answer.get('id') else converger.find(select, fresh=True)
        if answer is None:
            raise ClickApiError('drive %r: the agent answered the insert, yet lists no such drive' % spec['name'])
        return self.write(converger, answer, self.settings_of(wanted, answer))

    def update(self, converger, plan):
        self.exchange_letters(converger)
        # A drive that took its letter in the exchange is written from what the agent answered then.
        current = converger.run.facts.get('moved', {}).pop(plan.current['id'], plan.current)
        return self.write(converger, current, self.settings_of(plan.wanted, current))

    def settings_of(self, wanted, record):
        """The settings of `wanted` whose value the record does not have."""
        return dict((field.key, wanted[field.key]) for field in self.settings if field.differs(record, wanted))

    def write(self, converger, record, changes):
        """Write `changes` to the drive, the drive's PUT first, then its cache; returns the drive as the agent keeps it."""
        for path, keys in ((LOCAL_DRIVES, [key for key in changes if key not in CACHE_KEYS]), (CHANGE_CACHE, CACHE_KEYS)):
            part = dict((key, changes[key]) for key in keys if key in changes)
            if part:
                record = self._put(converger, path, record, part)
        return record

    def _put(self, converger, path, record, part):
        route = '%s/%s' % (path, record['id'])
        client = converger.client

        def write(state):
            # The drive whole, as just read, with only the given settings changed.
            return client.agent_request('PUT', route, body=dict(state, **part), retry=False)

        def look():
            found = converger.find({'id': record['id']}, fresh=True)
            if found is None:
                raise ClickApiError('drive %r vanished from this desktop while it was being written' % record.get('name'))
            return found

        answer, answered = verified_write(write, look, lambda state: not self.settings_of(part, state), record)
        if answered and not isinstance(answer, dict):
            # Documented to answer with the drive; should an agent answer with nothing, read it back.
            answer = look()
        kept = self.settings_of(part, answer)
        if kept:
            raise ClickApiError('drive %r: the agent did not keep %s' % (record.get('name'), '; '.join(
                '%s %r (it has %r)' % (self.option_of(key), value, answer.get(key)) for key, value in kept.items())))
        return answer

    def option_of(self, key):
        return next(field.option for field in self.settings if field.key == key)

    def remove(self, converger, record):
        return converger.client.agent_request('DELETE', '%s/%s' % (LOCAL_DRIVES, record['id']), retry=False)

    def gone(self, error):
        return error.status == 404

    def result(self, outcome):
        settings = [field.option for field in self.settings]
        return {'changed_settings': sorted(option for option in outcome.options if option in settings)}


DESKTOP_DRIVES = DesktopDrives()
SETTINGS = tuple(field.option for field in DESKTOP_DRIVES.settings)


SETTINGS_SPEC = dict((field.option, field.argument_spec()) for field in DESKTOP_DRIVES.settings)


def settings_problems(entries):
    """What is wrong with the desktop settings of several drives, checked before any request.

    `entries` are (place in messages, drive name, settings): each drive's
    settings are checked as the module's options are, and no letter may be
    asked for by two drives. Returns (specs, problems).
    """
    specs, problems, letters = [], [], {}
    for place, name, value in entries:
        if not isinstance(value, dict):
            problems.append('%s must be a dictionary of settings (%s), got %r' % (place, ', '.join(SETTINGS), value))
            continue
        checked = ArgumentSpecValidator(SETTINGS_SPEC).validate(value)
        if checked.error_messages:
            problems.extend('%s: %s' % (place, message) for message in checked.error_messages)
            continue
        spec = dict(checked.validated_parameters, name=name)
        problems.extend(problem for field in DESKTOP_DRIVES.settings for problem in field.problems(spec.get(field.option), place + '.'))
        letter = letter_of(spec.get('drive_letter'))
        if letter is not None and letter in letters:
            problems.append('%s and %s both ask for drive letter %s; give each drive a letter of its own'
                            % (place, letters[letter], letter))
        letters.setdefault(letter, place)
        specs.append(spec)
    return specs, problems


def desktop_drive_specs(settings, where='desktop_drives'):
    """The drives of a `desktop_drives` option (drive name -> settings) as specs, and what is wrong with it."""
    return settings_problems(('%s[%r]' % (where, name), name, value) for name, value in sorted((settings or {}).items()))


def converge_settings(client, records, specs, check_mode):
    """Give a desktop's drives (`records`, as just read) their settings: every check first, then the writes.

    Returns the Outcome of each spec; `records` is kept up to date.
    """
    lookup = IndexLookup(DESKTOP_DRIVES, records)
    run = Run(client, check_mode)
    job = ListRun(DESKTOP_DRIVES, run, specs, 'desktop_drives', lookup=lookup)
    outcomes = [job.converger.converge(plan.spec, plan) for plan in plan_lists(run, [job])[0]]
    records[:] = lookup.records
    return outcomes


# ---- the modules ------------------------------------------------------------------------

DESKTOP_DRIVE = ModuleDefinition(
    DESKTOP_DRIVES.selection_spec(),
    lambda client, params, check_mode, diff: converge_one(DESKTOP_DRIVES, client, params, check_mode, diff),
    DESKTOP_DRIVES.problems, required_one_of=[('name', 'id')], credentials=False)


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
    records, warnings = read_records(DESKTOP_DRIVES, client, params)
    drives = []
    for record in records:
        view = DESKTOP_DRIVES.to_options(record)
        if params['health']:
            view['health'] = health(client, record)
        drives.append(view)
    return dict(changed=False, desktop_drives=drives, warnings=warnings)


DESKTOP_DRIVE_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), health=dict(type='bool', default=False)),
    _read_drives, credentials=False)
