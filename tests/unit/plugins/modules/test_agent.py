# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import socket
import urllib.error

from ansible_collections.amove.click.plugins.module_utils import _agent, _transport
from ansible_collections.amove.click.plugins.modules import agent as agent_module
from ansible_collections.amove.click.tests.unit.click_fake import DRIVE_ID, Expect, run

STATUS = '/management/agent_status'
LOCAL = '/management/clouddrive'
SYNC = '/management/sync_shareddrive'


def local(name, number=1, **extra):
    drive = {'id': 'local-%d' % number, 'name': name, 'sharedDrive': True, 'sharedDriveId': DRIVE_ID,
             'permissionType': 2, 'driveType': 1, 'syncType': 2, 'storageName': 'b', 'prefix': '',
             'driveName': 'G', 'localPath': 'G:\\', 'active': True}
    drive.update(extra)
    return drive


def status(number):
    return Expect('GET', STATUS, token=None, answer=number)


def test_a_started_agent_needs_one_look_and_no_credentials(agent, capsys):
    agent.expect(status(1))
    result = run(capsys, agent_module, token=None)
    assert result['changed'] is False and result['status'] == 'started'
    assert 'cloud_drives' not in result


def test_waits_through_created_and_unreachable_until_started(agent, capsys, monkeypatch):
    slept = []
    monkeypatch.setattr(_agent.time, 'sleep', slept.append)
    refused = urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused'))
    agent.expect(status(0), Expect('GET', STATUS, token=None, error=refused), status({'status': 1}))
    assert run(capsys, agent_module, wait_timeout=30)['status'] == 'started'
    assert slept == [1.0, 1.0]


def test_an_agent_that_never_starts_fails_clearly(agent, capsys):
    agent.expect(status(4))
    result = run(capsys, agent_module, wait_timeout=0)
    assert result['failed'] is True
    assert result['msg'] == ('the Amove agent at http://localhost:29123 did not reach Started within 0 seconds; '
                             'last seen: status 4 (paused)')


def test_an_agent_that_is_down_fails_clearly(agent, capsys):
    agent.expect(Expect('GET', STATUS, token=None, error=urllib.error.URLError(ConnectionRefusedError(111, 'x'))))
    result = run(capsys, agent_module, wait_timeout=0)
    assert 'last seen: not reachable' in result['msg'] and 'connection refused' in result['msg']


def test_sync_that_brings_a_drive_reports_the_change(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Own', 9, sharedDrive=False)]),
                 Expect('POST', SYNC, token=None),
                 Expect('GET', LOCAL, token=None, answer=[local('Own', 9, sharedDrive=False), local('Creative')]))
    result = run(capsys, agent_module, sync_shared_drives=True)
    assert result['changed'] is True
    assert (result['added'], result['removed']) == (['Creative'], [])
    assert [d['name'] for d in result['cloud_drives']] == ['Own', 'Creative']
    assert result['cloud_drives'][1]['permission'] == 'read_write'
    assert result['cloud_drives'][1]['sync_type'] == 'mirror'
    assert result['cloud_drives'][1]['shared_drive_id'] == DRIVE_ID


def test_sync_that_changes_a_drive_reports_the_change(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]),
                 Expect('POST', SYNC, token=None),
                 Expect('GET', LOCAL, token=None, answer=[local('Creative', permissionType=1)]))
    result = run(capsys, agent_module, sync_shared_drives=True)
    assert result['changed'] is True and result['added'] == [] and result['removed'] == []


def test_sync_that_changes_nothing_reports_ok(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]),
                 Expect('POST', SYNC, token=None),
                 Expect('GET', LOCAL, token=None, answer=[local('Creative')]))
    assert run(capsys, agent_module, sync_shared_drives=True)['changed'] is False


def test_check_mode_does_not_sync(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]))
    result = run(capsys, agent_module, check=True, sync_shared_drives=True)
    assert result['changed'] is False and agent.requests('POST') == []
    assert [d['name'] for d in result['cloud_drives']] == ['Creative']


def test_a_failed_sync_is_reported_not_repeated(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[]),
                 Expect('POST', SYNC, token=None, status=499,
                        answer={'type': 'SYNC', 'status': 499, 'errors': {'SYNC': ['Agent is not started']}}))
    result = run(capsys, agent_module, sync_shared_drives=True)
    assert result['msg'] == 'POST /management/sync_shareddrive: HTTP 499 SYNC: Agent is not started'


def test_negative_wait_timeout_is_refused_before_any_request(agent, capsys):
    result = run(capsys, agent_module, wait_timeout=-1)
    assert 'wait_timeout must be 0 or more' in result['msg'] and agent.made == []


# ---- wait_timeout is a deadline for the whole wait ------------------------------------

class Clock:
    """Fake time: sleeping and hung requests move it on."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_a_hung_agent_cannot_stretch_the_wait_beyond_its_deadline(agent, capsys, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(_agent, 'time', clock)
    waited = []

    def hang(url, timeout=None, **kwargs):
        waited.append(timeout)
        clock.now += timeout  # the agent never answers: the request takes its whole timeout
        raise urllib.error.URLError(socket.timeout('timed out'))
    monkeypatch.setattr(_transport, 'open_url', hang)
    result = run(capsys, agent_module, wait_timeout=10, timeout=30)
    assert result['msg'].startswith('the Amove agent at http://localhost:29123 did not reach Started within 10 seconds')
    assert waited == [10] and clock.now == 10


def test_each_look_waits_only_for_what_is_left(agent, capsys, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(_agent, 'time', clock)
    waited = []

    def slow(url, timeout=None, **kwargs):
        waited.append(timeout)
        clock.now += 2.5
        return agent.open_url(url, timeout=timeout, **kwargs)
    monkeypatch.setattr(_transport, 'open_url', slow)
    agent.expect(status(0), status(0))
    result = run(capsys, agent_module, wait_timeout=6, timeout=30)
    # a look at 0 s answered at 2.5 s, a pause of 1 s, a look at 3.5 s allowed the 2.5 s left: done at 6 s
    assert waited == [6, 2.5] and clock.now == 6
    assert 'within 6 seconds; last seen: status 0 (created)' in result['msg']


def test_one_second_is_said_as_such(agent, capsys, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(_agent, 'time', clock)
    agent.expect(status(2), status(2))
    assert 'within 1 second; last seen: status 2 (stopped)' in run(capsys, agent_module, wait_timeout=1)['msg']


# ---- start_agent ------------------------------------------------------------------------

RESUME = '/management/command/4'
START = '/management/command/0'


def test_a_paused_agent_is_resumed_without_a_token_and_that_is_a_change(agent, capsys):
    agent.expect(status(4), Expect('POST', RESUME, token=None), status(1))
    result = run(capsys, agent_module, token=None, start_agent=True)
    assert result['changed'] is True and result['command'] == 'resume' and result['status'] == 'started'


def test_a_stopped_agent_is_started_with_the_token(agent, capsys):
    agent.expect(status(2), Expect('POST', START), status(0), status(1))
    result = run(capsys, agent_module, start_agent=True, wait_timeout=5)
    assert result['changed'] is True and result['command'] == 'start'


def test_an_agent_is_brought_up_once_then_only_awaited(agent, capsys, monkeypatch):
    monkeypatch.setattr(_agent.time, 'sleep', lambda seconds: None)
    agent.expect(status(4), Expect('POST', RESUME, token=None), status(4), status(4), status(1))
    assert run(capsys, agent_module, token=None, start_agent=True, wait_timeout=30)['command'] == 'resume'
    assert len(agent.requests('POST')) == 1


def test_starting_without_a_token_fails_clearly_and_sends_nothing(agent, capsys):
    agent.expect(status(2))
    result = run(capsys, agent_module, token=None, start_agent=True)
    assert result['failed'] is True and agent.requests('POST') == []
    assert 'is stopped; start_agent starts it with a token' in result['msg'] and 'AMOVE_CLICK_TOKEN' in result['msg']


def test_a_started_agent_is_left_alone(agent, capsys):
    agent.expect(status(1))
    result = run(capsys, agent_module, start_agent=True)
    assert result['changed'] is False and 'command' not in result


def test_without_start_agent_a_paused_agent_is_only_awaited(agent, capsys):
    agent.expect(status(4))
    assert run(capsys, agent_module, wait_timeout=0)['failed'] is True
    assert agent.requests('POST') == []


def test_check_mode_reports_the_resume_it_would_send_and_sends_nothing(agent, capsys):
    agent.expect(status(4), Expect('GET', LOCAL, token=None, answer=[local('Creative')]))
    result = run(capsys, agent_module, check=True, token=None, start_agent=True, sync_shared_drives=True,
                 expected_drives=['Creative'])
    assert result['changed'] is True and result['command'] == 'resume' and result['status'] == 'paused'
    assert agent.requests('POST') == []
    assert result['summary'] == 'not synced (check mode); 1 of the 1 listed drives on this desktop: Creative'


# ---- expected_drives: one task waits, syncs and reports -------------------------------------

def test_received_and_missing_after_the_sync(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Own', 9, sharedDrive=False)]),
                 Expect('POST', SYNC, token=None),
                 Expect('GET', LOCAL, token=None, answer=[local('Own', 9, sharedDrive=False), local('Creative'),
                                                          local('Footage', 2)]))
    result = run(capsys, agent_module, sync_shared_drives=True, expected_drives=['Stills', 'Footage', 'Creative', 'Own'])
    assert result['received'] == ['Creative', 'Footage']
    assert result['missing'] == ['Own', 'Stills']  # a local drive of its own is not a shared one
    assert result['summary'] == '2 of the 4 listed drives on this desktop: Creative, Footage; not for its user: Own, Stills'
    assert result['changed'] is True and result['added'] == ['Creative', 'Footage']


def test_a_desktop_with_every_listed_drive_says_so_in_four_requests(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]),
                 Expect('POST', SYNC, token=None), Expect('GET', LOCAL, token=None, answer=[local('Creative')]))
    result = run(capsys, agent_module, sync_shared_drives=True, expected_drives=['Creative'])
    assert result['changed'] is False and result['missing'] == []
    assert result['summary'] == '1 of the 1 listed drives on this desktop: Creative'
    assert len(agent.made) == 4


def test_check_mode_says_the_desktop_was_not_synced(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[]))
    result = run(capsys, agent_module, check=True, sync_shared_drives=True, expected_drives=['Creative'])
    assert result['summary'] == 'not synced (check mode); 0 of the 1 listed drives on this desktop: none; not for its user: Creative'
    assert agent.requests('POST') == []


def test_check_mode_says_which_drives_this_run_creates_in_the_account(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]))
    result = run(capsys, agent_module, check=True, sync_shared_drives=True, expected_drives=['Creative', 'Footage', 'Reels'],
                 new_drives=['Reels'])
    assert result['summary'] == ('not synced (check mode); 1 of the 3 listed drives on this desktop: Creative; '
                                 'not for its user: Footage; not in the account yet (this run creates them): Reels')


def test_expected_drives_without_a_sync_only_reads(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]))
    result = run(capsys, agent_module, expected_drives=['Creative', 'Footage'])
    assert result['summary'] == '1 of the 2 listed drives on this desktop: Creative; not for its user: Footage'
    assert result['changed'] is False and agent.requests('POST') == []


def test_a_local_drive_list_of_the_wrong_shape_fails_clearly(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=['G:\\']))
    result = run(capsys, agent_module, token=None, sync_shared_drives=True)
    assert result['msg'] == 'unexpected answer from GET /management/clouddrive: item 0 is a string, not an object'


# ---- health: the drive reports in the same run ----------------------------------------------

def reports(number, summary=None, sync_health=None):
    return [Expect('GET', '/drivereport/summary/local-%d' % number, token=None, answer=dict({'Status': 'Running'}, **(summary or {}))),
            Expect('GET', '/drivereport/sync_health/local-%d' % number, token=None,
                   answer=dict({'DriveStatus': 'Running', 'FilesWithErrors': 0}, **(sync_health or {})))]


def test_health_adds_each_local_drives_reports_in_the_same_run(agent, capsys):
    drives = [local('Creative'), local('Own', 9, sharedDrive=False)]
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=drives),
                 *(reports(1, {'CacheSizeBytes': 4096}, {'FilesWithErrors': 2}) + reports(9)))
    result = run(capsys, agent_module, check=True, sync_shared_drives=True, expected_drives=['Creative'], health=True)
    assert [(d['name'], d['health']['files_with_errors']) for d in result['cloud_drives']] == [('Creative', 2), ('Own', 0)]
    assert result['cloud_drives'][0]['health']['cache_size_bytes'] == 4096
    assert result['changed'] is False and agent.requests('POST') == [] and len(agent.made) == 2 + 2 * 2


def test_health_alone_reads_the_drives_and_their_reports(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative')]), *reports(1))
    result = run(capsys, agent_module, health=True)
    assert [d['health']['status'] for d in result['cloud_drives']] == ['Running'] and 'summary' not in result


def test_check_mode_tells_the_drives_as_they_are_and_the_settings_it_would_give(agent, capsys):
    # A letter changed by hand: the result shows it, and the letter a real run gives it.
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=[local('Creative', driveName='Q', localPath='Q:\\')]),
                 Expect('GET', '/management/list_available_drives', token=None, answer=['R', 'S']))
    result = run(capsys, agent_module, check=True, sync_shared_drives=True, expected_drives=['Creative'],
                 desktop_drives={'Creative': {'drive_letter': 'R'}})
    assert result['changed'] is True and agent.requests('PUT') == []
    assert [d['drive_letter'] for d in result['cloud_drives']] == ['Q']
    [tuned] = result['desktop_drives']
    assert tuned['changed_settings'] == ['drive_letter'] and tuned['desktop_drive']['drive_letter'] == 'R'
    assert result['summary'].endswith('; settings to change: Creative (drive_letter)')
