# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who reaches a shared cloud drive (shared_cloud_drive's users, groups and projects, shared_cloud_drive_info's details) against the
emulator seeded with the demo account, on every path (tests/unit/emulated.py).

Proven by the emulator's store and request log, as the integration target
drive_access proves the lifecycle a playbook drives.
"""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.tests.unit.emulated import TOKEN, Desktop, module_desktop, writes

pytestmark = pytest.mark.seed('demo')


def access(emulator):
    """(user permissions as [username, permission type], group permissions as [group name, permission type], project names linked)."""
    state = emulator.state()
    users = dict((user['id'], user['username']) for user in state['users'])
    groups = dict((group['id'], group['name']) for group in state['user_groups'])
    projects = dict((project['id'], project['name']) for project in state['projects'])
    return ([[users[grant['userId']], grant['permissionType']] for grant in state['user_permissions']],
            [[groups[grant['userGroupId']], grant['permissionType']] for grant in state['group_permissions']],
            [projects[link['projectId']] for link in state['project_drives']])


def written(emulator):
    """The requests since the last take other than reads, as "METHOD path"; then all are forgotten."""
    return ['%s %s' % (request['method'], request['path']) for request in writes(emulator.take_requests())]


@pytest.fixture
def finance(emulator):
    """Finance, read_write for ann@example.com, read for the Editors group, in the Launch project (set up on the module path)."""
    made = module_desktop(emulator).run(
        'shared_cloud_drive', name='Finance', cloud_account='Demo S3', storage_name='finance-bucket',
        users=[{'name': 'ann@example.com', 'permission': 'read_write'}], groups=[{'name': 'Editors'}], projects=['Launch'])
    assert made['changed'] and not made['failed']
    assert access(emulator) == ([['ann@example.com', 2]], [['Editors', 1]], ['Launch'])
    emulator.clear_requests()


def test_a_user_named_without_purge_access_is_added_beside_the_others(emulator, desktop, finance):
    """Only bob named, without purge_access: bob gets read, ann keeps read_write, the group and the project stay."""
    add_bob = desktop.run('shared_cloud_drive', name='Finance', users=[{'name': 'bob@example.com'}])

    user_permissions, group_permissions, project_links = access(emulator)
    assert add_bob['changed'] and not add_bob['failed']
    assert sorted(user_permissions) == [['ann@example.com', 2], ['bob@example.com', 1]]
    assert (group_permissions, project_links) == ([['Editors', 1]], ['Launch'])
    assert written(emulator) == ['POST /userspermission/users_sharedclouddrive_permision']


def test_unknown_names_are_refused_together_with_nothing_written(emulator, desktop, finance):
    """An unknown user, group and project beside a change of the drive: each named in one failure, the change not made."""
    unknown = desktop.run('shared_cloud_drive', name='Finance', allow_delete=True, users=[{'name': 'nobody@example.com'}],
                          groups=[{'name': 'Edit'}], projects=['Launc'])

    assert unknown['failed'] and not unknown['changed']
    assert "no user is named 'nobody@example.com'" in unknown['msg']
    assert "no user group is named 'Edit'" in unknown['msg']
    assert "no project is named 'Launc'" in unknown['msg']
    assert written(emulator) == []
    assert [drive['allowDelete'] for drive in emulator.live()] == [False]
    assert access(emulator) == ([['ann@example.com', 2]], [['Editors', 1]], ['Launch'])


def test_purge_access_revokes_what_is_not_listed_then_has_nothing_to_do(emulator, desktop, finance):
    """Only ann (read_write), no group, no project, with purge_access: bob, Editors and Launch are revoked; again is ok; the
    info module reads the same grants."""
    only_ann = dict(name='Finance', users=[{'name': 'ann@example.com', 'permission': 'read_write'}], groups=[], projects=[],
                    purge_access=True)
    assert desktop.run('shared_cloud_drive', name='Finance', users=[{'name': 'bob@example.com'}])['changed']

    revoke = desktop.run('shared_cloud_drive', **only_ann)
    revoke_again = desktop.run('shared_cloud_drive', **only_ann)
    finance_info = desktop.run('shared_cloud_drive_info', name='Finance', details=True)

    assert revoke['changed'] and not revoke['failed']
    assert not revoke_again['changed'] and not revoke_again['failed']
    assert access(emulator) == ([['ann@example.com', 2]], [], [])
    assert revoke['shared_cloud_drive']['users'] == [{'name': 'ann@example.com', 'permission': 'read_write'}]
    assert not finance_info['failed']
    assert finance_info['shared_cloud_drives'][0]['users'] == [{'name': 'ann@example.com', 'permission': 'read_write'}]
    assert finance_info['shared_cloud_drives'][0]['groups'] == []


@pytest.mark.agents(3)
def test_the_desktops_of_different_users_sync_different_drives(emulator, desktop):
    """With Finance for ann alone, Creative for the Editors group (alice and joann) and Footage for the Launch project (joann):
    the admin's desktop gets all three, alice's Creative (read_write), joann's Creative and Footage."""
    setup = module_desktop(emulator)
    assert setup.run('shared_cloud_drive', name='Finance', cloud_account='Demo S3', storage_name='finance-bucket',
                     users=[{'name': 'ann@example.com', 'permission': 'read_write'}])['changed']
    desktops = [Desktop(desktop.path, url, TOKEN) for url in emulator.urls]

    given = desktops[0].run('shared_cloud_drive_set', drives=[
        {'name': 'Creative', 'cloud_account': 'Demo S3', 'storage_name': 'creative-bucket',
         'groups': [{'name': 'Editors', 'permission': 'read_write'}]},
        {'name': 'Footage', 'cloud_account': 'Demo S3', 'storage_name': 'footage-bucket', 'projects': ['Launch']}])
    synced = [desktop.run('agent', sync_shared_drives=True) for desktop in desktops]

    assert given['changed'] and not given['failed']
    assert [result['failed'] for result in synced] == [False] * 3
    assert synced[0]['added'] == ['Creative', 'Finance', 'Footage']
    assert synced[1]['added'] == ['Creative']
    assert synced[2]['added'] == ['Creative', 'Footage']
    assert synced[1]['cloud_drives'][0]['permission'] == 'read_write'
