# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""account's refusals against the emulator, on every path (tests/unit/emulated.py): every problem named, nothing written.

Proven by the emulator's store and request log, as the integration target
account proves the lifecycle a playbook drives.
"""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.tests.unit.emulated import module_desktop, writes

CREW = dict(
    groups=[{'name': 'Crew', 'description': 'The film crew', 'members': ['alice@example.com']}],
    drives=[{'name': 'Dailies', 'cloud_account': 'Demo S3', 'storage_name': 'dailies-bucket',
             'groups': [{'name': 'Crew', 'permission': 'read_write'}], 'desktop': {'drive_letter': 'd', 'max_cache_size': '20 GB'}},
            {'name': 'Archive', 'cloud_account': 'Demo S3', 'storage_name': 'archive-bucket', 'users': [{'name': 'bob@example.com'}]}])


def held(emulator):
    """(live groups by name, live drives by name, grants as "drive:group or username:permission type", sorted)."""
    state = emulator.state()
    names = dict((record['id'], record['name']) for record in state['shared_cloud_drives'] + state['user_groups'])
    names.update((user['id'], user['username']) for user in state['users'])
    grants = ['%s:%s:%s' % (names[grant['sharedCloudDriveId']], names[grant['userGroupId']], grant['permissionType'])
              for grant in state['group_permissions']]
    grants += ['%s:%s:%s' % (names[grant['sharedCloudDriveId']], names[grant['userId']], grant['permissionType'])
               for grant in state['user_permissions']]
    return (dict((group['name'], group) for group in state['user_groups'] if not group.get('deleted')),
            dict((drive['name'], drive) for drive in state['shared_cloud_drives'] if not drive.get('deleted')),
            sorted(grants))


@pytest.fixture
def crew(emulator):
    """The crew's group and two drives, the first for the group (set up on the module path), the request log emptied."""
    made = module_desktop(emulator).run('account', **CREW)
    assert made['changed'] and not made['failed']
    emulator.clear_requests()


def test_every_problem_of_the_options_is_named_before_any_request(emulator, desktop, crew):
    """Bad letters, sizes and intervals, one letter asked twice and one drive named twice (in another letter case), beside a new
    group and a new drive: each named with its entry in one failure, and not one request made."""
    bad_options = desktop.run('account', groups=[{'name': 'Sound', 'members': ['bob@example.com']}], drives=[
        {'name': 'Dailies', 'desktop': {'drive_letter': 'ZZ:', 'max_cache_size': '10 B'}},
        {'name': 'Archive', 'desktop': {'drive_letter': 'e', 'sync_interval': '5 years'}},
        {'name': 'Stills', 'cloud_account': 'Demo S3', 'storage_name': 'stills-bucket', 'desktop': {'drive_letter': 'E:'}},
        {'name': 'archive'}])

    msg = bad_options['msg']
    assert bad_options['failed'] and not bad_options['changed']
    assert "drives[0] (Dailies).desktop.drive_letter must be one letter C to Z, such as G or g:, got 'ZZ:'" in msg
    assert 'drives[0] (Dailies).desktop.max_cache_size must be ' in msg
    assert "got '10 B': it is less than 5 MB" in msg
    assert 'drives[1] (Archive).desktop.sync_interval must be ' in msg
    assert "got '5 years'" in msg
    assert 'drives[2] (Stills).desktop and drives[1] (Archive).desktop both ask for drive letter E' in msg
    assert "drives[3] names the same shared cloud drive as drives[1] (name 'archive')" in msg
    assert emulator.take_requests() == []


def test_every_unknown_name_is_named_after_reads_only(emulator, desktop, crew):
    """A member, a group, a project and a cloud account that do not exist, beside a new group and a new drive: each named with
    its entry (a near name offered) in one failure that says nothing was changed, after reads only."""
    bad_names = desktop.run('account', groups=[
        {'name': 'Crew', 'members': ['alice@example.com', 'carol@example.com']},
        {'name': 'Sound', 'members': ['bob@example.com']}], drives=[
        {'name': 'Dailies', 'groups': [{'name': 'Editor'}]},
        {'name': 'Archive', 'projects': ['Lunch']},
        {'name': 'Stills', 'cloud_account': 'Demo S4', 'storage_name': 'stills-bucket'}])

    requests = emulator.take_requests()
    user_groups, drives, grants = held(emulator)
    msg = bad_names['msg']
    assert bad_names['failed'] and not bad_names['changed']
    assert "groups[0] (Crew): members: no user is named 'carol@example.com'" in msg
    assert "drives[0] (Dailies): groups: no user group is named 'Editor'; did you mean 'Editors'?" in msg
    assert "drives[1] (Archive): projects: no project is named 'Lunch'" in msg
    assert "drives[2] (Stills): cloud_account: no cloud account is named 'Demo S4'" in msg
    assert msg.endswith('; nothing was changed')
    assert len(requests) > 0
    assert writes(requests) == []
    assert 'Sound' not in user_groups
    assert 'Stills' not in drives
    assert user_groups['Crew']['members'] == ['alice@example.com']
    assert grants == ['Archive:bob@example.com:1', 'Dailies:Crew:2']
