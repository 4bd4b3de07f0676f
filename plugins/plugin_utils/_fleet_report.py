# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet report: every desktop's drives, their health and their drift, as fleet.json, junit.xml and index.html.

PRIVATE to the amove.click collection: its interface may change in any release.

Built on the controller from what a check-mode run of the role
amove.click.shared_cloud_drives registered: the account step's result (what it
would change in the account) and each desktop's amove.click.agent result (its
drives as they are, the settings a real run would give them, the listed drives
it lacks, each drive's health from the drive reports). Nothing here asks an
agent. The shape of fleet.json is docs/fleet_report.schema.json; its meaning,
the health rule and the JUnit layout are in docs/report.md.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

SCHEMA_VERSION = 1

# The account step's result lists, in the order the account is written, and how each kind is named.
ACCOUNT_KINDS = (('cloud_accounts', 'cloud account'), ('user_groups', 'user group'), ('projects', 'project'),
                 ('shared_cloud_drives', 'shared cloud drive'))

# A desktop drive's settings, as amove.click.desktop_drive names them, with the words a person reads.
SETTINGS = (('drive_letter', 'drive letter'), ('max_cache_size', 'cache size'), ('cache_encrypted', 'cache encryption'),
            ('rotational_cache', 'rotational cache'), ('sync_interval', 'sync interval'), ('active', 'active'))
SETTING_WORDS = dict(SETTINGS)

# Files on their way: a drive syncing is not unhealthy, but not settled either.
IN_FLIGHT = ('files_pending_upload', 'files_uploading', 'files_pending_download', 'files_downloading')
# A cache past this share of its maximum is about to evict what users opened.
CACHE_NEARLY_FULL = 0.9

# Worst first: the order rows are shown in, and the words of each state.
DESKTOP_STATES = ('failed', 'unreachable', 'not_run', 'drift', 'unhealthy', 'in_sync')
DRIVE_STATES = ('missing', 'drift', 'unhealthy', 'in_sync', 'unlisted')
HEALTH_STATES = ('bad', 'warning', 'good', 'unknown')
STATE_WORDS = {'failed': 'failed', 'unreachable': 'unreachable', 'not_run': 'not read', 'drift': 'drift',
               'unhealthy': 'unhealthy', 'in_sync': 'in sync', 'missing': 'missing', 'unlisted': 'not listed',
               'bad': 'bad', 'warning': 'syncing', 'good': 'good', 'unknown': 'not read'}
NOT_READ = ('failed', 'unreachable', 'not_run')


# ---- what the results say ------------------------------------------------------------------------

def size_words(number):
    """Bytes as a person reads them, in the units the collection's sizes take (1 GB = 1024 MB)."""
    if not isinstance(number, int) or isinstance(number, bool):
        return '' if number is None else str(number)
    for unit, scale in (('TB', 1024 ** 4), ('GB', 1024 ** 3), ('MB', 1024 ** 2), ('KB', 1024)):
        if number >= scale:
            value = number / scale
            return '%s %s' % (('%d' % value) if value == int(value) else ('%.1f' % value), unit)
    return '%d B' % number


def interval_words(seconds):
    """Seconds as the duration grammar writes them: 45s, 15m, 1h30m."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return '' if seconds is None else str(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    return ''.join('%d%s' % (value, unit) for value, unit in ((hours, 'h'), (minutes, 'm'), (rest, 's')) if value)


def setting_words(option, value):
    if value is None:
        return 'unset'
    if option == 'drive_letter':
        return '%s:' % value if value else 'none'
    if option == 'max_cache_size':
        return size_words(value) if value else 'no limit'
    if option == 'sync_interval':
        return interval_words(value)
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    return str(value)


def change_words(item):
    """A setting provision would change, as a person reads it: 'drive letter is Q:, provision sets R:'."""
    return '%s is %s, provision sets %s' % (SETTING_WORDS.get(item['setting'], item['setting']),
                                            setting_words(item['setting'], item['current']),
                                            setting_words(item['setting'], item['wanted']))


def _count(report, key):
    value = (report or {}).get(key)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def judge_health(report, max_cache_size=None):
    """A drive's health from its drive reports: state bad, warning, good or unknown, with the reasons.

    Judged on the reports' numbers only: the Click API does not list the values
    of their status strings, which are shown as they are.
    """
    if not isinstance(report, dict):
        return {'state': 'unknown', 'problems': [], 'warnings': [], 'report': None}
    problems, warnings = [], []
    errors = _count(report, 'files_with_errors')
    if errors:
        problems.append('%d file%s could not sync' % (errors, '' if errors == 1 else 's'))
    waiting = sum(_count(report, key) for key in IN_FLIGHT)
    if waiting:
        warnings.append('%d file%s waiting to sync' % (waiting, '' if waiting == 1 else 's'))
    used = _count(report, 'cache_size_bytes')
    if isinstance(max_cache_size, int) and max_cache_size > 0 and used >= CACHE_NEARLY_FULL * max_cache_size:
        warnings.append('cache %d%% full (%s of %s)' % (100 * used // max_cache_size, size_words(used), size_words(max_cache_size)))
    state = 'bad' if problems else 'warning' if warnings else 'good'
    return {'state': state, 'problems': problems, 'warnings': warnings, 'report': report}


def account_view(result):
    """What the account step would change: its state, its records with their actions, and the changes."""
    result = result if isinstance(result, dict) else {}
    records = [{'kind': kind, 'name': entry.get('name'), 'action': entry.get('action')}
               for key, kind in ACCOUNT_KINDS for entry in result.get(key) or [] if isinstance(entry, dict)]
    changes = [record for record in records if record['action'] not in ('unchanged', None)]
    if result.get('failed'):
        state, message = 'failed', str(result.get('msg') or 'the account step failed')
    elif not result or result.get('skipped'):
        state, message = 'not_checked', ('the account was not checked: no account step ran in this play, or no '
                                         "desktop's agent was started to run it through")
    else:
        state, message = ('drift' if changes else 'in_sync'), None
    return {'state': state, 'message': message, 'records': records,
            'changes': ['%s %s %s' % (record['action'], record['kind'], record['name']) for record in changes]}


def _creates(account):
    return set(record['name'] for record in account['records']
               if record['kind'] == 'shared cloud drive' and record['action'] == 'created')


def _settings_of(view):
    return dict((option, view.get(option)) for option, _words in SETTINGS) if view else None


def _drive(name, listed, present, local, tuned, created):
    """One drive on one desktop: its settings as they are, what a real run would change, its health, its state."""
    drift = []
    if tuned and tuned.get('changed'):
        wanted = tuned.get('desktop_drive') or {}
        drift = [{'setting': option, 'current': (local or {}).get(option), 'wanted': wanted.get(option)}
                 for option in tuned.get('changed_settings') or []]
    health = judge_health((local or {}).get('health'), (local or {}).get('max_cache_size')) if local else judge_health(None)
    reason = None
    if listed and not present:
        reason = ('not in the account yet: provision creates it' if name in created
                  else 'not on this desktop: a sync brings it when its user may reach it')
        state = 'missing'
    elif drift:
        state = 'drift'
    elif health['state'] == 'bad':
        state = 'unhealthy'
    else:
        state = 'in_sync' if listed else 'unlisted'
    return {'name': name, 'listed': listed, 'present': present, 'shared_drive': (local or {}).get('shared_drive'),
            'state': state, 'missing_reason': reason, 'settings': _settings_of(local), 'drift': drift, 'health': health}


def desktop_view(name, result, created=frozenset()):
    """One desktop from its amove.click.agent result (or what stands for it when the task did not run)."""
    result = result if isinstance(result, dict) else {}
    view = {'name': name, 'state': None, 'reachable': None, 'agent_status': result.get('status'),
            'agent_command': result.get('command'), 'message': None, 'summary': result.get('summary'), 'drift': [],
            'drives': []}
    if result.get('unreachable'):
        return dict(view, state='unreachable', reachable=False, message=str(result.get('msg') or 'unreachable'))
    if result.get('failed'):
        return dict(view, state='failed', reachable=True, message=str(result.get('msg') or 'the task failed'))
    if not result or result.get('skipped') or 'cloud_drives' not in result:
        return dict(view, state='not_run', message='no result: the play stopped before this desktop was read')
    local = [drive for drive in result.get('cloud_drives') or [] if isinstance(drive, dict)]
    received, missing = list(result.get('received') or []), list(result.get('missing') or [])
    expected = sorted(set(received + missing))
    tuned = dict((entry.get('name'), entry) for entry in result.get('desktop_drives') or [] if isinstance(entry, dict))
    # A listed drive is the shared drive of that name; a desktop's own drive of the same name does not stand for it.
    by_name = {}
    for drive in local:
        if drive.get('name') not in by_name or (drive.get('shared_drive') and not by_name[drive.get('name')].get('shared_drive')):
            by_name[drive.get('name')] = drive
    drives = [_drive(drive_name, True, drive_name in received, by_name.get(drive_name) if drive_name in received else None,
                     tuned.get(drive_name), created) for drive_name in expected]
    drives += [_drive(drive_name, False, True, by_name[drive_name], None, created)
               for drive_name in sorted(set(by_name) - set(expected), key=str)]
    drift = ['%s: %s' % (drive['name'], drive['missing_reason']) for drive in drives if drive['state'] == 'missing']
    drift += ['%s: %s' % (drive['name'], change_words(item)) for drive in drives for item in drive['drift']]
    if view['agent_command']:
        drift.insert(0, 'agent %s: provision would %s it' % (view['agent_status'], view['agent_command']))
    if drift:
        state = 'drift'
    elif any(drive['health']['state'] == 'bad' for drive in drives):
        state = 'unhealthy'
    else:
        state = 'in_sync'
    return dict(view, state=state, reachable=True, drift=drift, drives=drives)


def build(account_result, desktop_results, generated, title='Amove fleet report'):
    """The whole report (fleet.json's content) from the account step's result and each desktop's agent result."""
    account = account_view(account_result)
    created = _creates(account)
    desktops = [desktop_view(name, desktop_results[name], created) for name in desktop_results]
    desktops.sort(key=lambda desktop: (DESKTOP_STATES.index(desktop['state']), str(desktop['name'])))
    listed = sorted(set(drive['name'] for desktop in desktops for drive in desktop['drives'] if drive['listed']), key=str)
    cells = [drive for desktop in desktops for drive in desktop['drives']]
    counts = {
        'desktops': len(desktops),
        'in_sync': sum(1 for desktop in desktops if desktop['state'] == 'in_sync'),
        'drifted': sum(1 for desktop in desktops if desktop['state'] == 'drift'),
        'unhealthy': sum(1 for desktop in desktops if any(drive['health']['state'] == 'bad' for drive in desktop['drives'])),
        'not_read': sum(1 for desktop in desktops if desktop['state'] in NOT_READ),
        'listed_drives': len(listed),
        'missing_drives': sum(1 for drive in cells if drive['state'] == 'missing'),
        'drifted_drives': sum(1 for drive in cells if drive['drift']),
        'unhealthy_drives': sum(1 for drive in cells if drive['health']['state'] == 'bad'),
        'account_changes': len(account['changes']),
    }
    return {
        'schema_version': SCHEMA_VERSION, 'title': title, 'generated': generated,
        'drift': counts['drifted'] > 0 or account['state'] == 'drift',
        'unhealthy': counts['unhealthy_drives'] > 0,
        'not_read': counts['not_read'] > 0 or account['state'] == 'failed',
        'counts': counts, 'listed_drives': listed, 'account': account, 'desktops': desktops,
    }


def names_in(fleet, test):
    return [desktop['name'] for desktop in fleet['desktops'] if test(desktop)]


def summary_line(fleet):
    """One line: the counts, and the desktops to look at."""
    counts = fleet['counts']
    line = '%d desktops: %d in sync, %d drifted, %d with unhealthy drives, %d not read; account: %s' % (
        counts['desktops'], counts['in_sync'], counts['drifted'], counts['unhealthy'], counts['not_read'],
        '%d changes' % counts['account_changes'] if fleet['account']['state'] == 'drift'
        else STATE_WORDS.get(fleet['account']['state'], fleet['account']['state'].replace('_', ' ')))
    for words, state in (('drifted', 'drift'), ('not read', NOT_READ)):
        names = names_in(fleet, lambda desktop, state=state: desktop['state'] in (state if isinstance(state, tuple) else (state,)))
        if names:
            line += '; %s: %s' % (words, _some(names))
    unhealthy = names_in(fleet, lambda desktop: any(drive['health']['state'] == 'bad' for drive in desktop['drives']))
    if unhealthy:
        line += '; unhealthy drives on: %s' % _some(unhealthy)
    return line


def _some(names, most=10):
    return ', '.join(str(name) for name in names[:most]) + (' and %d more' % (len(names) - most) if len(names) > most else '')


# ---- fleet.json --------------------------------------------------------------------------------------

def to_json(fleet):
    # One line per desktop: compact at 500 desktops, and still a diff of two reports reads by desktop.
    head = dict((key, value) for key, value in fleet.items() if key != 'desktops')
    text = json.dumps(head, separators=(',', ':'), default=str)[:-1]
    desktops = ',\n'.join(json.dumps(desktop, separators=(',', ':'), default=str) for desktop in fleet['desktops'])
    return '%s,"desktops":[\n%s\n]}\n' % (text, desktops)


# ---- junit.xml -----------------------------------------------------------------------------------------

def _case(suite, classname, name, failure=None, error=None, skipped=None, detail=None):
    case = ElementTree.SubElement(suite, 'testcase', classname=str(classname), name=str(name), time='0')
    for tag, message in (('failure', failure), ('error', error), ('skipped', skipped)):
        if message:
            element = ElementTree.SubElement(case, tag, message=message, type=tag)
            if detail:
                element.text = detail
    return case


def _drive_failure(drive):
    reasons = []
    if drive['state'] == 'missing':
        reasons.append('missing: %s' % drive['missing_reason'])
    reasons += ['drift: %s' % change_words(item) for item in drive['drift']]
    reasons += ['unhealthy: %s' % problem for problem in drive['health']['problems']]
    return reasons


def to_junit(fleet):
    """A test suite for the account (a case per record) and one per desktop (its agent, then a case per drive)."""
    root = ElementTree.Element('testsuites', name=fleet['title'], timestamp=fleet['generated'])
    account = fleet['account']
    suite = ElementTree.SubElement(root, 'testsuite', name='account', timestamp=fleet['generated'])
    if account['state'] == 'failed':
        _case(suite, 'account', 'account step', error=account['message'])
    elif account['state'] == 'not_checked':
        _case(suite, 'account', 'account step', skipped=account['message'])
    for record in account['records']:
        changed = record['action'] not in ('unchanged', None)
        _case(suite, 'account', '%s %s' % (record['kind'], record['name']),
              failure='drift: provision would leave it %s' % record['action'] if changed else None)
    for desktop in fleet['desktops']:
        suite = ElementTree.SubElement(root, 'testsuite', name=str(desktop['name']), timestamp=fleet['generated'])
        if desktop['state'] in NOT_READ:
            _case(suite, desktop['name'], 'agent', error='%s: %s' % (STATE_WORDS[desktop['state']], desktop['message']))
            for drive_name in fleet['listed_drives']:
                _case(suite, desktop['name'], 'drive %s' % drive_name, skipped='not read: the desktop was not read')
            continue
        command = desktop['agent_command']
        _case(suite, desktop['name'], 'agent',
              failure='drift: agent %s, provision would %s it' % (desktop['agent_status'], command) if command else None)
        for drive in desktop['drives']:
            reasons = _drive_failure(drive)
            _case(suite, desktop['name'], 'drive %s' % drive['name'], failure='; '.join(reasons) or None,
                  detail='\n'.join(reasons) + '\n' if reasons else None)
    for suite in list(root) + [root]:
        cases = suite.iter('testcase')
        tally = {'tests': 0, 'failures': 0, 'errors': 0, 'skipped': 0}
        for case in cases:
            tally['tests'] += 1
            for tag, key in (('failure', 'failures'), ('error', 'errors'), ('skipped', 'skipped')):
                tally[key] += 1 if case.find(tag) is not None else 0
        suite.attrib.update(dict((key, str(value)) for key, value in tally.items()), time='0')
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding='unicode') + '\n'
