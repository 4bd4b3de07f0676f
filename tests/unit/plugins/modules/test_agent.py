# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import urllib.error

from ansible_collections.amove.click.plugins.module_utils import _agent
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


def test_a_local_drive_list_of_the_wrong_shape_fails_clearly(agent, capsys):
    agent.expect(status(1), Expect('GET', LOCAL, token=None, answer=['G:\\']))
    result = run(capsys, agent_module, token=None, sync_shared_drives=True)
    assert result['msg'] == 'unexpected answer from GET /management/clouddrive: not a list of objects'
