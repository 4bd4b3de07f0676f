# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""shared_cloud_drive and shared_cloud_drive_set against the emulator, on every path (tests/unit/emulated.py).

Proven by the emulator's store and request log, as the integration target
shared_cloud_drive proves the lifecycle a playbook drives.
"""

from __future__ import annotations

LIST = '/sharedclouddrive/get_all'


def names(emulator):
    return sorted(drive['name'] for drive in emulator.live())


def test_a_name_near_a_drive_is_never_silent(emulator, desktop):
    """State absent on another letter case fails with the drive's id (as present does), a typo warns naming
    the drive, and a rename onto a taken name names its holder; the module and the set alike."""
    account = emulator.cloud_account_id()
    made = [desktop.run('shared_cloud_drive', name=name, cloud_account_id=account, storage_name='near-names')
            for name in ('Creative', 'Footage')]
    creative_id = made[0]['shared_cloud_drive']['id']
    emulator.clear_requests()

    case_only = desktop.run('shared_cloud_drive', name='creative', state='absent')
    case_only_set = desktop.run('shared_cloud_drive_set', drives=[{'name': 'Footage'}, {'name': 'creative', 'state': 'absent'}])
    typo = desktop.run('shared_cloud_drive', name='Creatve', state='absent')
    typo_set = desktop.run('shared_cloud_drive_set', drives=[{'name': 'Footage'}, {'name': 'Creatve', 'state': 'absent'}])

    requests = emulator.take_requests()
    assert names(emulator) == ['Creative', 'Footage']
    assert [request for request in requests if request['method'] != 'GET'] == []
    assert case_only['failed'] and not case_only['changed']
    assert "named 'Creative' (id %s)" % creative_id in case_only['msg']
    assert case_only_set['failed'] and not case_only_set['changed']
    assert "drives[1] (creative): a shared cloud drive named 'Creative' (id %s)" % creative_id in case_only_set['msg']
    typo_warning = "named 'Creatve', so none was deleted; did you mean 'Creative'"
    assert not typo['changed'] and not typo['failed']
    assert typo['shared_cloud_drive'] == {}
    assert len([warning for warning in typo['warnings'] if typo_warning in warning]) == 1
    assert not typo_set['changed'] and not typo_set['failed']
    assert [drive['action'] for drive in typo_set['shared_cloud_drives']] == ['unchanged', 'unchanged']
    assert len([warning for warning in typo_set['warnings'] if typo_warning in warning]) == 1
    # Near names come from the account's first page, which each task reads anyway: one request each.
    assert [request['path'] for request in requests] == [LIST] * 4
    assert [request for request in requests if 'name' in request['query']] == []

    taken = desktop.run('shared_cloud_drive', id=made[1]['shared_cloud_drive']['id'], name='Creative')
    requests = emulator.take_requests()
    assert taken['failed'] and not taken['changed']
    assert taken['error_code'] == 'DUPLICATE'
    assert "the name 'Creative' is taken by shared cloud drive 'Creative' (id %s)" % creative_id in taken['msg']
    assert names(emulator) == ['Creative', 'Footage']
    assert [request['method'] for request in requests] == ['GET', 'PUT', 'GET']
    assert requests[-1]['query']['name'] == 'Creative'


def test_each_path_runs_as_it_says(emulator, desktop):
    """One execution on the desktop for the module path; on the controller path, one uri or win_uri execution a request."""
    result = desktop.run('shared_cloud_drive', name='Creative', cloud_account_id=emulator.cloud_account_id(), storage_name='paths')
    requests = emulator.take_requests()
    assert result['changed'] and names(emulator) == ['Creative']
    assert [(request['method'], request['path']) for request in requests] == [('GET', LIST), ('POST', '/sharedclouddrive/insert')]
    assert desktop.remote_executions == (1 if desktop.path == 'module' else 2)
