# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet report from the results a check-mode run registers: states, drift, health, JSON, JUnit, the page."""

from __future__ import annotations

import json
import os
import re
import time
from xml.etree import ElementTree
from html.parser import HTMLParser
from unittest.mock import MagicMock

import pytest

from ansible_collections.amove.click.plugins.action.fleet_report import ActionModule
from ansible_collections.amove.click.plugins.plugin_utils._fleet_page import to_html
from ansible_collections.amove.click.plugins.plugin_utils._fleet_report import build, judge_health, summary_line, to_json, to_junit

NOW = '2026-01-02T03:04:05Z'
LETTERS = dict(Creative='R', Footage='S', Stills='T')


def local(name, letter, shared=True, **health):
    report = dict({'status': 'Running', 'drive_status': 'Running', 'files_with_errors': 0, 'files_pending_upload': 0,
                   'cache_size_bytes': 0}, **health)
    return {'id': 'local-%s' % name, 'name': name, 'shared_drive': shared, 'drive_letter': letter, 'max_cache_size': 10 * 1024 ** 3,
            'cache_encrypted': False, 'rotational_cache': False, 'sync_interval': 60, 'active': True, 'health': report}


def agent_result(drives=None, listed=('Creative', 'Footage', 'Stills'), letters=None, wanted=None, **extra):
    """An amove.click.agent result in check mode, as the role registers it."""
    letters = dict(LETTERS, **(letters or {}))
    drives = [local(name, letters[name]) for name in listed] if drives is None else drives
    names = set(drive['name'] for drive in drives if drive['shared_drive'])
    tuned = []
    for name, letter in sorted((wanted or LETTERS).items()):
        current = next((drive for drive in drives if drive['name'] == name), None)
        changed = current is not None and current['drive_letter'] != letter
        tuned.append({'name': name, 'present': current is not None, 'changed': changed,
                      'changed_settings': ['drive_letter'] if changed else [],
                      'desktop_drive': dict(current, drive_letter=letter) if current else {}})
    result = {'changed': any(entry['changed'] for entry in tuned), 'status': 'started', 'cloud_drives': drives,
              'desktop_drives': tuned, 'received': sorted(name for name in listed if name in names),
              'missing': sorted(name for name in listed if name not in names), 'summary': 'not synced (check mode); ...'}
    result.update(extra)
    return result


def account_result(**actions):
    drives = [{'name': name, 'changed': actions.get(name, 'unchanged') != 'unchanged', 'action': actions.get(name, 'unchanged'),
               'shared_cloud_drive': {'name': name}} for name in ('Creative', 'Footage', 'Stills')]
    return {'changed': any(entry['changed'] for entry in drives), 'shared_cloud_drives': drives, 'user_groups': [],
            'cloud_accounts': [], 'projects': []}


def three_desktops():
    """One drifted (a letter changed by hand), one missing a drive, one unhealthy."""
    return {
        'desktop1': agent_result(letters={'Creative': 'Q'}),
        'desktop2': agent_result(drives=[local('Creative', 'R'), local('Stills', 'T')]),
        'desktop3': agent_result(drives=[local('Creative', 'R'), local('Footage', 'S', files_with_errors=2), local('Stills', 'T')]),
    }


class Tags(HTMLParser):
    """The tags of a page, and every attribute that would load something or lead out of it."""

    def __init__(self):
        super().__init__()
        self.tags, self.outside = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ('src', 'srcset', 'action', 'data', 'poster') or (name == 'href' and not (value or '').startswith('#')) \
                    or tag in ('link', 'iframe', 'img', 'object', 'embed'):
                self.outside.append((tag, name, value))


def by_name(fleet):
    return dict((desktop['name'], desktop) for desktop in fleet['desktops'])


def cells(desktop):
    return dict((drive['name'], drive) for drive in desktop['drives'])


def test_a_drifted_a_missing_and_an_unhealthy_desktop_are_told_apart():
    fleet = build(account_result(), three_desktops(), NOW)
    desktops = by_name(fleet)
    assert [(name, desktops[name]['state']) for name in sorted(desktops)] == [
        ('desktop1', 'drift'), ('desktop2', 'drift'), ('desktop3', 'unhealthy')]
    assert cells(desktops['desktop1'])['Creative']['drift'] == [{'setting': 'drive_letter', 'current': 'Q', 'wanted': 'R'}]
    assert desktops['desktop1']['drift'] == ['Creative: drive letter is Q:, provision sets R:']
    assert cells(desktops['desktop2'])['Footage']['state'] == 'missing'
    assert cells(desktops['desktop2'])['Footage']['health']['state'] == 'unknown'
    footage = cells(desktops['desktop3'])['Footage']
    assert (footage['state'], footage['health']['state'], footage['health']['problems']) == ('unhealthy', 'bad', ['2 files could not sync'])
    assert fleet['counts'] == {'desktops': 3, 'in_sync': 0, 'drifted': 2, 'unhealthy': 1, 'not_read': 0, 'listed_drives': 3,
                               'missing_drives': 1, 'drifted_drives': 1, 'unhealthy_drives': 1, 'account_changes': 0}
    assert (fleet['drift'], fleet['unhealthy'], fleet['not_read']) == (True, True, False)
    assert summary_line(fleet) == ('3 desktops: 0 in sync, 2 drifted, 1 with unhealthy drives, 0 not read; account: in sync; '
                                   'drifted: desktop1, desktop2; unhealthy drives on: desktop3')


def test_a_settled_fleet_has_no_drift():
    fleet = build(account_result(), dict(('desktop%d' % n, agent_result()) for n in range(1, 4)), NOW)
    assert fleet['counts']['in_sync'] == 3 and not fleet['drift'] and not fleet['unhealthy'] and not fleet['not_read']
    junit = ElementTree.fromstring(to_junit(fleet))
    assert (junit.get('tests'), junit.get('failures'), junit.get('errors')) == ('15', '0', '0')


def test_junit_fails_exactly_the_drifted_missing_and_unhealthy_drives():
    junit = ElementTree.fromstring(to_junit(build(account_result(), three_desktops(), NOW)))
    failing = sorted((case.get('classname'), case.get('name'), case.find('failure').get('message'))
                     for case in junit.iter('testcase') if case.find('failure') is not None)
    assert failing == [
        ('desktop1', 'drive Creative', 'drift: drive letter is Q:, provision sets R:'),
        ('desktop2', 'drive Footage', 'missing: not on this desktop: a sync brings it when its user may reach it'),
        ('desktop3', 'drive Footage', 'unhealthy: 2 files could not sync')]
    assert [suite.get('name') for suite in junit] == ['account', 'desktop1', 'desktop2', 'desktop3']
    assert [(suite.get('tests'), suite.get('failures')) for suite in junit] == [('3', '0'), ('4', '1'), ('4', '1'), ('4', '1')]
    assert junit.get('failures') == '3' and junit.get('tests') == '15'


def test_what_the_account_step_would_create_is_drift_and_tells_why_desktops_lack_it():
    desktops = {'desktop1': agent_result(drives=[local('Creative', 'R'), local('Footage', 'S')], wanted={})}
    fleet = build(account_result(Stills='created'), desktops, NOW)
    assert fleet['account']['state'] == 'drift' and fleet['account']['changes'] == ['created shared cloud drive Stills']
    stills = cells(fleet['desktops'][0])['Stills']
    assert stills['missing_reason'] == 'not in the account yet: provision creates it'
    junit = ElementTree.fromstring(to_junit(fleet))
    assert [case.find('failure').get('message') for case in junit.iter('testcase') if case.get('name') == 'shared cloud drive Stills'] \
        == ['drift: provision would leave it created']


def test_desktops_that_were_not_read_come_first_and_say_why():
    desktops = dict(three_desktops(), desktop0={'failed': True, 'msg': 'the Amove agent did not reach Started within 60 seconds'},
                    desktop9={'unreachable': True, 'msg': 'Failed to connect to the host via ssh'}, desktop5={})
    fleet = build(account_result(), desktops, NOW)
    assert [(desktop['name'], desktop['state']) for desktop in fleet['desktops']][:3] == [
        ('desktop0', 'failed'), ('desktop9', 'unreachable'), ('desktop5', 'not_run')]
    assert fleet['counts']['not_read'] == 3 and fleet['not_read']
    junit = ElementTree.fromstring(to_junit(fleet))
    errors = [(case.get('classname'), case.find('error').get('message')) for case in junit.iter('testcase') if case.find('error') is not None]
    assert errors[0] == ('desktop0', 'failed: the Amove agent did not reach Started within 60 seconds')
    assert len(errors) == 3 and junit.get('skipped') == '9'


def test_a_failed_account_step_is_not_read_and_an_absent_one_not_checked():
    failed = build({'failed': True, 'msg': "drives[2] (Nowhere): no cloud account is named 'x'"}, {}, NOW)
    assert failed['account']['state'] == 'failed' and failed['not_read'] and not failed['drift']
    assert build({}, {}, NOW)['account']['state'] == 'not_checked'
    assert build({'skipped': True, 'changed': False}, {}, NOW)['account']['state'] == 'not_checked'


def test_a_desktops_own_drive_is_unlisted_and_does_not_stand_for_a_listed_one():
    drives = [local('Creative', 'R'), local('Footage', 'S'), local('Stills', 'G', shared=False), local('Scratch', 'H', shared=False)]
    desktop = build({}, {'desktop1': agent_result(drives=drives, wanted={})}, NOW)['desktops'][0]
    assert [(drive['name'], drive['state']) for drive in desktop['drives']] == [
        ('Creative', 'in_sync'), ('Footage', 'in_sync'), ('Stills', 'missing'), ('Scratch', 'unlisted')]


@pytest.mark.parametrize('report, state, words', [
    ({'files_with_errors': 3, 'files_pending_upload': 1}, 'bad', ['3 files could not sync', '1 file waiting to sync']),
    ({'files_pending_upload': 1, 'files_downloading': 1}, 'warning', ['2 files waiting to sync']),
    ({'cache_size_bytes': 950}, 'warning', ['cache 95% full (950 B of 1000 B)']),
    ({'files_with_errors': 0, 'status': 'Anything', 'cache_size_bytes': 10}, 'good', []),
    (None, 'unknown', []),
])
def test_health_is_judged_on_the_reports_numbers(report, state, words):
    health = judge_health(report, 1000)
    assert health['state'] == state and health['problems'] + health['warnings'] == words


def test_json_is_the_fleet_as_built():
    fleet = build(account_result(), three_desktops(), NOW)
    assert json.loads(to_json(fleet)) == fleet
    assert json.loads(to_json(dict(fleet, desktops=[]))) == dict(fleet, desktops=[])


def test_the_page_needs_no_network_and_escapes_what_the_results_hold():
    desktops = three_desktops()
    desktops['<img src=x onerror=alert(1)>'] = {'failed': True, 'msg': '</script><script>alert(2)</script>'}
    page = to_html(build(account_result(), desktops, NOW))
    assert '<img src=x' not in page and '</script><script>alert(2)' not in page
    assert '&lt;img src=x onerror=alert(1)&gt;' in page
    # Nothing loads from anywhere: no element with a source or a link out, no import or URL in the style.
    parser = Tags()
    parser.feed(page)
    assert parser.outside == [] and parser.tags >= {'style', 'script', 'table'}
    assert not re.search(r'@import|url\(|https?://', page)


def test_500_desktops_render_in_one_page_of_modest_size_quickly():
    listed = tuple('Drive %02d' % n for n in range(12))
    letters = dict((name, 'DEFGHIJKLMNOPQ'[n]) for n, name in enumerate(listed))
    results = {}
    for n in range(500):
        drives = [local(name, letters[name], files_with_errors=1 if n % 97 == 0 and name == 'Drive 03' else 0) for name in listed
                  if not (n % 50 == 7 and name == 'Drive 05')]
        results['studio-%03d.example.com' % n] = agent_result(drives=drives, listed=listed, letters=letters,
                                                              wanted=dict(letters, **({'Drive 01': 'Z'} if n % 40 == 3 else {})))
    started = time.perf_counter()
    fleet = build(account_result(), results, NOW)
    page, junit = to_html(fleet), to_junit(fleet)
    took = time.perf_counter() - started
    assert fleet['counts']['desktops'] == 500 and fleet['counts']['drifted'] == 13 + 10
    assert page.count('<tr class="s-') == 500 and len(page) < 2.5 * 1024 ** 2
    assert ElementTree.fromstring(junit).get('tests') == str(3 + 500 * 13)
    assert took < 10


def run_action(tmp_path, check_mode=False, **args):
    task = MagicMock(args=dict({'dest': str(tmp_path / 'report'), 'desktops': three_desktops(), 'account': account_result()}, **args),
                     async_val=0, check_mode=check_mode, diff=False)
    action = ActionModule(task, MagicMock(), MagicMock(check_mode=check_mode), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


def test_the_action_writes_the_three_files_in_check_mode_too(tmp_path):
    result = run_action(tmp_path, check_mode=True)
    assert result.get('failed') is not True, result
    assert sorted(os.listdir(tmp_path / 'report')) == ['fleet.json', 'index.html', 'junit.xml']
    assert json.loads((tmp_path / 'report' / 'fleet.json').read_text())['counts'] == result['counts']
    assert (result['drift'], result['drifted_desktops'], result['unhealthy_desktops']) == (True, ['desktop1', 'desktop2'], ['desktop3'])
    assert result['changed'] is False and result['files']['html'] == str(tmp_path / 'report' / 'index.html')


@pytest.mark.parametrize('args, message', [
    ({'dest': ' '}, 'dest must name the directory to write the report into'),
    ({'desktops': 'desktop1'}, "argument 'desktops' is of type"),
    ({'colour': 'red'}, 'colour'),
])
def test_the_action_refuses_bad_input_saying_what_to_give(tmp_path, args, message):
    result = run_action(tmp_path, **args)
    assert result['failed'] is True and message in result['msg']
    assert not (tmp_path / 'report').exists()


def test_a_directory_that_cannot_be_written_fails_naming_it(tmp_path):
    (tmp_path / 'report').write_text('a file, not a directory')
    result = run_action(tmp_path)
    assert result['failed'] is True and result['msg'].startswith('could not write the report into %s' % (tmp_path / 'report'))
