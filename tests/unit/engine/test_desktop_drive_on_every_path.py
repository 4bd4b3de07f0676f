# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""desktop_drive, desktop_drive_info and agent against the agent's local routes of the emulator, on every path (tests/unit/emulated.py).

Proven by the agent's local state (`emulator.agent()`) and the request log, as the
integration target desktop_drive proves the lifecycle a playbook drives.
"""

from __future__ import annotations

import json
import urllib.request

from ansible_collections.amove.click.tests.unit.emulated import module_desktop

LOCAL = '/management/clouddrive'
FREE = '/management/list_available_drives'


def drives(emulator):
    """The agent's local drives by name (the last of a name wins, as the target's look does)."""
    return dict((drive['name'], drive) for drive in emulator.agent()['clouddrives'])


def requests(emulator):
    """The requests since the last take, as "METHOD path"; then forgotten."""
    return ['%s %s' % (request['method'], request['path']) for request in emulator.take_requests()]


def two_shared_drives(emulator, **creative):
    """Creative and Footage made in the account and pulled by the agent, C and Q held by the system, Creative then set to `creative`.

    Set up on the module path whatever the path of the test: one execution a task, where uri and win_uri take one a request.
    """
    desktop = module_desktop(emulator)
    for name in ('Creative', 'Footage'):
        assert desktop.run('shared_cloud_drive', name=name, cloud_account='Demo S3', storage_name=name.lower())['changed']
    assert desktop.run('agent', sync_shared_drives=True)['changed']
    emulator.agent(osLetters=['C', 'Q'])
    if creative:
        assert desktop.run('desktop_drive', name='Creative', **creative)['changed']
    emulator.clear_requests()


def post_local_drive(emulator, body):
    """POST /management/clouddrive straight to the agent, behind the module's back: the drive it made."""
    made = urllib.request.Request(emulator.url + LOCAL, data=json.dumps(body).encode('utf-8'), method='POST',
                                  headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(made, timeout=10) as answer:
        return json.loads(answer.read().decode('utf-8'))


def test_a_change_is_made_once_then_ok(emulator, desktop):
    """Each setting changed from what an earlier task set is written once; the same task again, with the letter in lower case, is ok."""
    two_shared_drives(emulator, drive_letter='k:', max_cache_size='2 GB', cache_encrypted=True, sync_interval=300)

    change = desktop.run('desktop_drive', name='Creative', drive_letter='L', max_cache_size='512 MB', cache_encrypted=False,
                         sync_interval=600)
    change_again = desktop.run('desktop_drive', name='Creative', drive_letter='l', max_cache_size='512 MB', cache_encrypted=False,
                               sync_interval=600)

    made = requests(emulator)
    held = drives(emulator)
    assert change['changed'] and not change['failed']
    assert not change_again['changed'] and not change_again['failed']
    assert held['Creative']['driveName'] == 'L' and held['Creative']['maximumCacheSize'] == 536870912
    assert not held['Creative']['localCacheEncrypted'] and held['Creative']['syncIntervalSeconds'] == 600
    # The change: a read, the free letters, the drive's PUT, the cache's PUT; again: one read.
    assert len(made) == 5


def test_the_settings_survive_the_next_sync(emulator, desktop):
    """A sync of the shared drives after the desktop's settings were changed keeps them, and says nothing changed."""
    two_shared_drives(emulator, drive_letter='L', max_cache_size='512 MB', cache_encrypted=False, sync_interval=600)

    synced = desktop.run('agent', sync_shared_drives=True)

    held = drives(emulator)
    assert not synced['changed'] and not synced['failed']
    assert held['Creative']['driveName'] == 'L' and held['Creative']['syncIntervalSeconds'] == 600


def test_what_cannot_be_done_is_refused_before_any_write(emulator, desktop):
    """A letter the system holds, the letter of another drive, one letter for two drives, and a shared drive asked absent:
    each fails saying why (the free letters named), after reads only."""
    two_shared_drives(emulator, drive_letter='L', max_cache_size='512 MB', cache_encrypted=False, sync_interval=600)

    os_letter = desktop.run('desktop_drive', name='Creative', drive_letter='Q')
    other_letter = desktop.run('desktop_drive', name='Creative', drive_letter='E', sync_interval=5)
    twice = desktop.run('agent', desktop_drives={'Creative': {'drive_letter': 'R'}, 'Footage': {'drive_letter': 'r:'}})
    shared_absent = desktop.run('desktop_drive', name='Footage', state='absent')

    made = requests(emulator)
    held = drives(emulator)
    for refused in (os_letter, other_letter, twice, shared_absent):
        assert refused['failed'] and not refused['changed']
    assert 'drive letter Q is not free on this desktop' in os_letter['msg']
    assert 'free letters: D, F, G' in os_letter['msg']
    assert 'drive letter E is not free' in other_letter['msg']
    assert 'both ask for drive letter R' in twice['msg']
    assert "came from the account's shared cloud drives" in shared_absent['msg']
    assert [request for request in made if not request.startswith('GET ')] == []
    assert len(made) == 5
    assert held['Creative']['driveName'] == 'L' and held['Creative']['syncIntervalSeconds'] == 600
    assert 'Footage' in held


def test_two_drives_of_one_name_fail_by_name_and_work_by_id(emulator, desktop):
    """Two local drives of one name made behind the module's back: the name fails listing both ids; an id picks one."""
    two_shared_drives(emulator)
    account = drives(emulator)['Creative']['account']['id']
    twins = [post_local_drive(emulator, {'name': 'Twin', 'storageName': 'twin', 'account': {'id': account}}) for dummy in (1, 2)]

    twin = desktop.run('desktop_drive', name='Twin', sync_interval=10)
    twin_by_id = desktop.run('desktop_drive', id=twins[1]['id'], sync_interval=10)

    assert twin['failed'] and not twin['changed']
    assert '2 live desktop drives are named ' in twin['msg']
    assert twins[0]['id'] in twin['msg'] and twins[1]['id'] in twin['msg']
    assert twin_by_id['changed'] and not twin_by_id['failed']
    assert twin_by_id['desktop_drive']['sync_interval'] == 10
    assert [drive['syncIntervalSeconds'] for drive in emulator.agent()['clouddrives'] if drive['name'] == 'Twin'] == [60, 10]


def test_info_reads_the_reports_with_their_string_enums(emulator, desktop):
    """With health, each drive's summary and sync health reports, their string enums as the agent wrote them; by name, one read
    and no health."""
    two_shared_drives(emulator, drive_letter='L', sync_interval=600)
    account = drives(emulator)['Creative']['account']['id']
    for dummy in (1, 2):
        post_local_drive(emulator, {'name': 'Twin', 'storageName': 'twin', 'account': {'id': account}})
    emulator.clear_requests()

    everything = desktop.run('desktop_drive_info', health=True)
    creative = desktop.run('desktop_drive_info', name='Creative')

    made = requests(emulator)
    assert not everything['failed'] and not everything['changed']
    assert len(everything['desktop_drives']) == 4
    health = everything['desktop_drives'][0]['health']
    assert health['status'] == 'Running'
    assert health['uploader_status'] == 'Idle'
    assert health['drive_status'] == 'Running'
    assert health['files_pending_upload'] == 0
    assert health['overall_sync_completion_percent'] == 100
    assert health['cloud_provider'] == 'AWS'
    assert [drive['drive_letter'] for drive in creative['desktop_drives']] == ['L']
    assert 'health' not in creative['desktop_drives'][0]
    # The list, the summary and the sync health of each of the 4 drives, then the list again.
    assert len(made) == 1 + 2 * 4 + 1
    assert made[0] == made[-1] == 'GET ' + LOCAL


def test_a_setting_the_agent_does_not_keep_fails_naming_it_and_the_value_kept(emulator, desktop):
    """A cache larger than the agent's cap, and a letter on a Mac (which keeps none): each fails naming the setting, the value
    asked and the value kept."""
    two_shared_drives(emulator)

    emulator.agent(maxCacheSize=5368709120)
    capped = desktop.run('desktop_drive', name='Footage', max_cache_size='10 GB')
    emulator.agent(platform='macos', maxCacheSize=None)
    mac = desktop.run('desktop_drive', name='Footage', drive_letter='M')

    assert capped['failed'] and mac['failed']
    assert capped['msg'] == "drive 'Footage': the agent did not keep max_cache_size 10737418240 (it has 5368709120)"
    assert mac['msg'] == "drive 'Footage': the agent did not keep drive_letter 'M' (it has '')"
