# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who gets a drive: users, groups and projects through amove.click.shared_cloud_drive."""

from __future__ import annotations

from ansible_collections.amove.click.plugins.modules import shared_cloud_drive, shared_cloud_drive_set
from ansible_collections.amove.click.tests.unit.click_fake import (
    CLOUD_ID,
    DRIVE_ID,
    INSERT,
    Expect,
    page,
    problem,
    record,
    run,
)

DETAILS = '/sharedclouddrive/get_all_with_details'
USER_PERMS = '/userspermission/users_sharedclouddrive_permision'
GROUP_PERMS = '/userspermission/usergroup_sharedclouddrive_permission'
ANN = 'u-ann'
JOANN = 'u-joann'
EDITORS = 'g-editors'
LAUNCH = 'p-launch'


def detailed(users=(), groups=(), projects=(), **overrides):
    """A drive as the detailed listing shows it, with (name, permission type, entry id) assignments."""
    return record(
        usersData=[{'user': {'id': 'u-' + n.split('@')[0], 'username': n},
                    'permission': {'id': e, 'userId': 'u-' + n.split('@')[0], 'permissionType': t}} for n, t, e in users],
        groupsData=[{'userGroup': {'id': 'g-' + n.lower(), 'name': n},
                     'permission': {'id': e, 'userGroupId': 'g-' + n.lower(), 'permissionType': t}} for n, t, e in groups],
        projectsData=[{'project': {'id': 'p-' + n.lower(), 'name': n},
                       'projectSharedCloudDrive': {'id': e, 'projectId': 'p-' + n.lower()}} for n, e in projects],
        **overrides)


def listing(*records, name='Creative'):
    return Expect('GET', DETAILS, {'name': name, 'page': 1}, answer=page(list(records)))


def users_named(name, *rows):
    return Expect('GET', '/user/get_all_users', {'username': name}, answer=page(list(rows)))


def drive(capsys, **args):
    args.setdefault('name', 'Creative')
    return run(capsys, shared_cloud_drive, **args)


def test_unchanged_access_costs_one_request(agent, capsys):
    agent.expect(listing(detailed(users=[('ann@example.com', 1, 'e1')], groups=[('Editors', 2, 'e2')],
                                  projects=[('Launch', 'j1')])))
    result = drive(capsys, diff=True, users=[{'name': 'ann@example.com'}],
                   groups=[{'name': 'Editors', 'permission': 'read_write'}], projects=['Launch'])
    assert result['changed'] is False
    assert result['shared_cloud_drive']['users'] == [{'name': 'ann@example.com', 'permission': 'read'}]
    assert result['shared_cloud_drive']['projects'] == ['Launch']
    assert len(agent.made) == 1


def test_grant_resolves_the_exact_user_and_not_a_substring_neighbour(agent, capsys):
    agent.expect(listing(detailed()),
                 users_named('ann@example.com', {'id': JOANN, 'username': 'joann@example.com'},
                             {'id': ANN, 'username': 'ann@example.com'}),
                 Expect('POST', USER_PERMS, body=[{'userId': ANN, 'sharedCloudDriveId': DRIVE_ID, 'permissionType': 2}]))
    result = drive(capsys, diff=True, users=[{'name': 'ann@example.com', 'permission': 'read_write'}])
    assert result['changed'] is True
    assert result['diff']['before']['users'] == []
    assert result['diff']['after']['users'] == [{'name': 'ann@example.com', 'permission': 'read_write'}]


def test_read_becomes_read_write_with_a_put_of_the_entry(agent, capsys):
    agent.expect(listing(detailed(users=[('ann@example.com', 1, 'e1')])),
                 Expect('PUT', USER_PERMS, body=[{'id': 'e1', 'userId': 'u-ann', 'sharedCloudDriveId': DRIVE_ID,
                                                  'permissionType': 2}]))
    result = drive(capsys, users=[{'name': 'ann@example.com', 'permission': 'read_write'}])
    assert result['shared_cloud_drive']['users'] == [{'name': 'ann@example.com', 'permission': 'read_write'}]


def test_unlisted_entries_stay_without_purge_access(agent, capsys):
    agent.expect(listing(detailed(users=[('joann@example.com', 2, 'e9')], groups=[('Viewers', 1, 'e8')])))
    result = drive(capsys, users=[], groups=[])
    assert result['changed'] is False


def test_purge_access_revokes_what_is_not_listed_by_entry_and_join_id(agent, capsys):
    agent.expect(listing(detailed(users=[('ann@example.com', 1, 'e1'), ('joann@example.com', 2, 'e9')],
                                  groups=[('Viewers', 1, 'e8')], projects=[('Launch', 'j1')])),
                 Expect('DELETE', USER_PERMS, {'id': 'e9'}),
                 Expect('DELETE', GROUP_PERMS, {'id': 'e8'}),
                 Expect('DELETE', '/projects/unassign_sharedclouddrive', {'id': 'j1'}))
    result = drive(capsys, users=[{'name': 'ann@example.com'}], groups=[], projects=[], purge_access=True)
    assert result['shared_cloud_drive']['users'] == [{'name': 'ann@example.com', 'permission': 'read'}]
    assert result['shared_cloud_drive']['groups'] == [] and result['shared_cloud_drive']['projects'] == []


def test_purge_access_leaves_lists_that_are_not_given(agent, capsys):
    agent.expect(listing(detailed(users=[('ann@example.com', 1, 'e1')], groups=[('Viewers', 1, 'e8')])))
    assert drive(capsys, users=[{'name': 'ann@example.com'}], purge_access=True)['changed'] is False


def test_groups_and_projects_are_added_in_one_request_each(agent, capsys):
    agent.expect(listing(detailed()),
                 Expect('GET', '/usergroup/get_all', {'name': 'Editors'},
                        answer=page([{'id': EDITORS, 'name': 'Editors'}, {'id': 'g-old', 'name': 'Editors', 'deleted': True}])),
                 Expect('GET', '/projects/get_all', {'name': 'Launch'},
                        answer=page([{'id': LAUNCH, 'name': 'Launch'}, {'id': 'p-2', 'name': 'Launch 2'}])),
                 Expect('POST', GROUP_PERMS, body=[{'userGroupId': EDITORS, 'sharedCloudDriveId': DRIVE_ID, 'permissionType': 1}]),
                 Expect('POST', '/projects/assign_sharedclouddrive', body=[{'projectId': LAUNCH, 'sharedCloudDriveId': DRIVE_ID}]))
    assert drive(capsys, groups=[{'name': 'Editors'}], projects=['Launch'])['changed'] is True


def test_unknown_names_fail_together_before_any_write(agent, capsys):
    agent.expect(listing(detailed()),
                 users_named('nobody@example.com', {'id': 'x', 'username': 'somebody@example.com'}),
                 Expect('GET', '/projects/get_all', {'name': 'Nope'}, answer=page([])),
                 Expect('GET', '/projects/get_all', answer=page([{'id': LAUNCH, 'name': 'Launch'}])))
    result = drive(capsys, users=[{'name': 'nobody@example.com'}], projects=['Nope'], allow_delete=True)
    assert result['failed'] is True
    assert result['msg'] == ("users: no user is named 'nobody@example.com'; did you mean 'somebody@example.com'? "
                             "(names are matched exactly, letter case too); "
                             "projects: no project is named 'Nope' (and no name is close to it); nothing was changed")
    assert [m for m in agent.made if m[0] != 'GET'] == []


def test_an_ambiguous_group_name_fails_before_any_write(agent, capsys):
    agent.expect(listing(detailed()),
                 Expect('GET', '/usergroup/get_all', answer=page([{'id': 'g1', 'name': 'Editors'}, {'id': 'g2', 'name': 'Editors'}])))
    result = drive(capsys, groups=[{'name': 'Editors'}])
    assert "groups: 2 user groups are named 'Editors' (ids g1, g2)" in result['msg']


def test_check_mode_predicts_access_and_writes_nothing(agent, capsys):
    agent.expect(listing(detailed(users=[('ann@example.com', 1, 'e1')])),
                 Expect('GET', '/projects/get_all', answer=page([{'id': LAUNCH, 'name': 'Launch'}])))
    result = run(capsys, shared_cloud_drive, check=True, diff=True, name='Creative',
                 users=[{'name': 'ann@example.com', 'permission': 'read_write'}], projects=['Launch'])
    assert result['changed'] is True
    assert result['diff']['after']['users'] == [{'name': 'ann@example.com', 'permission': 'read_write'}]
    assert result['diff']['after']['projects'] == ['Launch']
    assert [m for m in agent.made if m[0] != 'GET'] == []


def test_a_new_drive_gets_its_access_after_the_insert(agent, capsys):
    agent.expect(listing(name='Creative'),
                 users_named('ann@example.com', {'id': ANN, 'username': 'ann@example.com'}),
                 Expect('POST', INSERT, answer=record()),
                 Expect('POST', USER_PERMS, body=[{'userId': ANN, 'sharedCloudDriveId': DRIVE_ID, 'permissionType': 1}]))
    result = drive(capsys, cloud_account_id=CLOUD_ID, storage_name='b', users=[{'name': 'ann@example.com'}])
    assert result['shared_cloud_drive']['users'] == [{'name': 'ann@example.com', 'permission': 'read'}]


def test_a_new_drive_whose_access_fails_is_deleted_again(agent, capsys):
    agent.expect(listing(name='Creative'),
                 users_named('ann@example.com', {'id': ANN, 'username': 'ann@example.com'}),
                 Expect('POST', INSERT, answer=record()),
                 Expect('POST', USER_PERMS, **problem('ACCESS', 'Access denied.')),
                 Expect('GET', '/authentication/user', answer={'username': 'admin@example.com', 'userType': 32}),
                 Expect('DELETE', '/sharedclouddrive/delete', {'id': DRIVE_ID}))
    result = drive(capsys, cloud_account_id=CLOUD_ID, storage_name='b', users=[{'name': 'ann@example.com'}])
    assert result['failed'] is True
    assert result['msg'] == ("POST /userspermission/users_sharedclouddrive_permision: HTTP 499 ACCESS: Access denied.; "
                             "the signed-in user is a desktop_creative_user (user type 32), and changing the account "
                             "(drives, groups, projects, cloud accounts and who gets them) needs a desktop_admin (user type "
                             "16): use a token or user of a desktop admin; the new shared cloud drive 'Creative' was "
                             "deleted again, so nothing was left half made")


def test_names_listed_twice_are_refused_before_any_request(agent, capsys):
    result = drive(capsys, users=[{'name': 'ann@example.com'}, {'name': 'ann@example.com', 'permission': 'read_write'}],
                   projects=['Launch', ''])
    assert "users lists 'ann@example.com' twice" in result['msg'] and 'projects[1] needs a name' in result['msg']
    assert agent.made == []


def test_the_set_module_reads_details_in_its_one_listing(agent, capsys):
    agent.expect(Expect('GET', DETAILS, {'page': 1}, answer=page([detailed(projects=[('Launch', 'j1')]),
                                                                  detailed(id='7e2d0a1f-8b2c-4e8f-8b66-4d3e2f1a5c32', name='Other')])))
    result = run(capsys, shared_cloud_drive_set, drives=[{'name': 'Creative', 'projects': ['Launch']}, {'name': 'Other'}])
    assert result['changed'] is False and len(agent.made) == 1
