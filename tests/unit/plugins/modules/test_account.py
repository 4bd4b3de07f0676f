# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole account in one execution through amove.click.account: groups, then drives, all checked first."""

from __future__ import annotations

from ansible_collections.amove.click.plugins.modules import account
from ansible_collections.amove.click.tests.unit.click_fake import (
    ACCESS_KEY,
    CLOUD_ID,
    DRIVE_ID,
    Expect,
    account_check,
    page,
    problem,
    quota,
    record,
    run,
    SECRET_KEY,
)

GROUP_ID = '2c8e6a4f-1b3d-4e5f-9a7b-6c5d4e3f2a1b'
GROUPS = '/usergroup/get_all_with_details'
DRIVES = '/sharedclouddrive/get_all_with_details'
CREW = dict(name='Crew', members=['alice@example.com'])
DAILIES = dict(name='Dailies', cloud_account_id=CLOUD_ID, storage_name='dailies', groups=[{'name': 'Crew', 'permission': 'read_write'}])


def no_group(name='Crew'):
    return Expect('GET', GROUPS, {'name': name}, answer=page([]))


def no_drive(name='Dailies'):
    return Expect('GET', DRIVES, {'name': name}, answer=page([]))


def alice():
    return Expect('GET', '/user/get_all_users', {'username': 'alice@example.com'},
                  answer=page([{'id': 'u-alice', 'username': 'alice@example.com'}]))


def new_group():
    return {'id': GROUP_ID, 'name': 'Crew', 'description': '', 'active': True, 'deleted': False}


def test_a_drive_names_a_group_made_in_the_same_run_in_check_mode_with_reads_only(agent, capsys):
    # Check mode reads the cloud account given by id, where no write lets the agent say it.
    agent.expect(no_group(), no_drive(), quota(), account_check(), alice())
    result = run(capsys, account, check=True, diff=True, groups=[CREW], drives=[DAILIES])
    assert result['changed'] is True
    assert [entry['action'] for entry in result['user_groups'] + result['shared_cloud_drives']] == ['created', 'created']
    assert result['shared_cloud_drives'][0]['shared_cloud_drive']['groups'] == [{'name': 'Crew', 'permission': 'read_write'}]
    assert [diff['before_header'] for diff in result['diff']] == ['user group Crew', 'shared cloud drive Dailies']
    assert agent.requests('POST') == [] and agent.requests('PUT') == []


def test_the_real_run_makes_the_group_then_the_drive_that_names_it(agent, capsys):
    agent.expect(no_group(), no_drive(), quota(), alice(),
                 Expect('POST', '/usergroup/insert', body={'name': 'Crew', 'active': True}, answer=new_group()),
                 Expect('POST', '/usergroup/assign_users', body=[{'userId': 'u-alice', 'userGroupId': GROUP_ID}]),
                 Expect('POST', '/sharedclouddrive/insert', answer=record(name='Dailies', storageName='dailies')),
                 Expect('POST', '/userspermission/usergroup_sharedclouddrive_permission',
                        body=[{'userGroupId': GROUP_ID, 'sharedCloudDriveId': DRIVE_ID, 'permissionType': 2}]))
    result = run(capsys, account, groups=[CREW], drives=[DAILIES])
    assert result['changed'] is True
    assert result['user_groups'][0]['user_group']['id'] == GROUP_ID


def test_every_problem_of_every_list_is_named_before_any_write(agent, capsys):
    unknown_user = Expect('GET', '/user/get_all_users', {'username': 'carol@example.com'}, answer=page([]))
    everyone = Expect('GET', '/user/get_all_users', answer=page([{'id': 'u-alice', 'username': 'alice@example.com'}]))
    # Every list is planned first, then the names they add are resolved.
    agent.expect(Expect('GET', GROUPS, {'page': 1}, answer=page([])), no_drive(), quota(), alice(), unknown_user, everyone,
                 Expect('GET', '/usergroup/get_all', {'name': 'Editors'}, answer=page([])),
                 Expect('GET', '/usergroup/get_all', answer=page([{'id': 'g-1', 'name': 'Editor'}])))
    groups = [dict(name='Rigging', members=['alice@example.com']), dict(name='Sound', members=['carol@example.com'])]
    drives = [dict(DAILIES, groups=[{'name': 'Rigging'}, {'name': 'Editors'}])]
    result = run(capsys, account, groups=groups, drives=drives)
    assert result['failed'] is True and result.get('changed', False) is False
    assert result['msg'] == ("groups[1] (Sound): members: no user is named 'carol@example.com'; did you mean 'alice@example.com'? "
                             "(names are matched exactly, letter case too); "
                             "drives[0] (Dailies): groups: no user group is named 'Editors'; did you mean 'Editor'? "
                             "(names are matched exactly, letter case too); nothing was changed")
    assert [made for made in agent.made if made[0] != 'GET'] == []


def test_bad_desktop_settings_fail_before_any_request_naming_each_drive(agent, capsys):
    drives = [dict(DAILIES, desktop={'drive_letter': 'ZZ:', 'max_cache_size': 'lots'}),
              dict(name='Stills', desktop={'drive_letter': 'R'}), dict(name='Reels', desktop={'drive_letter': 'r:'})]
    result = run(capsys, account, drives=drives)
    assert result['failed'] is True
    assert "drives[0] (Dailies).desktop.drive_letter must be one letter C to Z, such as G or g:, got 'ZZ:'" in result['msg']
    assert "drives[0] (Dailies).desktop.max_cache_size must be a number of bytes" in result['msg']
    assert ('drives[2] (Reels).desktop and drives[1] (Stills).desktop both ask for drive letter R; give each drive a '
            'letter of its own') in result['msg']
    assert agent.made == []


def test_a_failure_after_writes_counts_as_changed_and_says_what_was_done(agent, capsys):
    # Two drives: their listing's first page is read once, up front.
    agent.expect(Expect('GET', DRIVES, {'page': 1}, answer=page([])), no_group(), quota(), alice(),
                 Expect('POST', '/usergroup/insert', body={'name': 'Crew', 'active': True}, answer=new_group()),
                 Expect('POST', '/usergroup/assign_users', body=[{'userId': 'u-alice', 'userGroupId': GROUP_ID}]),
                 Expect('POST', '/sharedclouddrive/insert', **problem('DB_INSERT', 'The drive could not be saved.')))
    result = run(capsys, account, groups=[CREW], drives=[DAILIES, dict(name='Later', state='absent')])
    assert result['failed'] is True and result['changed'] is True
    assert result['msg'] == ("drives[0] (Dailies): POST /sharedclouddrive/insert: HTTP 499 DB_INSERT: The drive could not be "
                             "saved.; done before this failure: created user group 'Crew' (id %s); "
                             "not reached: shared cloud drive 'Later'" % GROUP_ID)
    assert [entry['action'] for entry in result['user_groups']] == ['created']
    assert [entry['action'] for entry in result['shared_cloud_drives']] == ['failed', 'not_reached']


# ---- cloud accounts and projects: each kind before those that name it ------------------------------------

CLOUD_ACCOUNTS = '/cloud/accounts'
PROJECTS = '/projects/get_all_with_details'
PROJECT_ID = '8e4d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f'
NEW_CLOUD_ID = '6d2f8b4c-0e3a-4f9b-87d5-1a2b3c4d5e6f'
CREW_S3 = dict(name='Crew S3', provider='aws', access_key=ACCESS_KEY, secret_key=SECRET_KEY)
SHOOT = dict(name='Shoot', groups=[{'name': 'Crew', 'permission': 'read_write'}], drives=['Dailies'])
ON_CREW_S3 = dict(name='Dailies', cloud_account='Crew S3', storage_name='dailies', groups=[{'name': 'Crew'}])


def cloud_account_record(account_id=CLOUD_ID, name='Crew S3'):
    return {'id': account_id, 'name': name, 'cloudType': 1, 'accessKey': 'AKIA************', 'secretKey': 'unit************',
            'serviceUrl': None, 'shared': False, 'active': True, 'deleted': False}


def new_project(**rows):
    return dict({'id': PROJECT_ID, 'name': 'Shoot', 'description': None, 'active': True, 'deleted': False}, **rows)


def the_reads_of_four_new_records():
    return [Expect('GET', CLOUD_ACCOUNTS, answer=[]), no_group(), Expect('GET', PROJECTS, {'name': 'Shoot'}, answer=page([])),
            no_drive(), quota(), alice()]


def test_a_drive_names_a_cloud_account_a_group_and_a_project_made_in_the_same_run_in_check_mode(agent, capsys):
    agent.expect(*the_reads_of_four_new_records())
    result = run(capsys, account, check=True, diff=True, cloud_accounts=[CREW_S3], groups=[CREW], projects=[SHOOT],
                 drives=[dict(ON_CREW_S3, projects=['Shoot'])])
    assert result['changed'] is True
    assert [entry['action'] for kind in ('cloud_accounts', 'user_groups', 'projects', 'shared_cloud_drives')
            for entry in result[kind]] == ['created'] * 4
    assert result['cloud_accounts'][0]['cloud_account'] == {'name': 'Crew S3', 'provider': 'aws'}
    assert result['projects'][0]['project']['drives'] == ['Dailies']
    assert result['shared_cloud_drives'][0]['shared_cloud_drive']['projects'] == ['Shoot']
    assert [diff['before_header'] for diff in result['diff']] == [
        'cloud account Crew S3', 'user group Crew', 'project Shoot', 'shared cloud drive Dailies']
    assert [made[0] for made in agent.made] == ['GET'] * 6


def test_the_real_run_writes_in_dependency_order_and_links_the_projects_drive_once_it_is_made(agent, capsys):
    agent.expect(*the_reads_of_four_new_records())
    agent.expect(Expect('POST', '/cloud/insert_account',
                        body={'name': 'Crew S3', 'cloudType': 1, 'accessKey': ACCESS_KEY, 'secretKey': SECRET_KEY},
                        answer=cloud_account_record()),
                 Expect('POST', '/usergroup/insert', body={'name': 'Crew', 'active': True}, answer=new_group()),
                 Expect('POST', '/usergroup/assign_users', body=[{'userId': 'u-alice', 'userGroupId': GROUP_ID}]),
                 Expect('POST', '/projects/insert', body={'name': 'Shoot', 'active': True}, answer=new_project()),
                 Expect('POST', '/userspermission/usergroups_project_permission',
                        body=[{'userGroupId': GROUP_ID, 'projectId': PROJECT_ID, 'permissionType': 2}]),
                 Expect('POST', '/sharedclouddrive/insert', body={'name': 'Dailies', 'storageName': 'dailies',
                                                                  'cloudAccountId': CLOUD_ID},
                        answer=record(name='Dailies', storageName='dailies')),
                 Expect('POST', '/userspermission/usergroup_sharedclouddrive_permission',
                        body=[{'userGroupId': GROUP_ID, 'sharedCloudDriveId': DRIVE_ID, 'permissionType': 1}]),
                 # The project's drive did not exist when the project was written: it is linked now.
                 Expect('GET', PROJECTS, {'page': 1}, answer=page([new_project(
                     groupsData=[{'userGroup': {'id': GROUP_ID, 'name': 'Crew'},
                                  'permission': {'id': 'p1', 'userGroupId': GROUP_ID, 'projectId': PROJECT_ID,
                                                 'permissionType': 2}}], usersData=[], drivesData=[])])),
                 Expect('POST', '/projects/assign_sharedclouddrive', body=[{'sharedCloudDriveId': DRIVE_ID,
                                                                            'projectId': PROJECT_ID}]))
    result = run(capsys, account, cloud_accounts=[CREW_S3], groups=[CREW], projects=[SHOOT], drives=[ON_CREW_S3])
    assert result['changed'] is True
    assert result['cloud_accounts'][0]['cloud_account']['id'] == CLOUD_ID
    assert result['shared_cloud_drives'][0]['shared_cloud_drive']['cloud_account_id'] == CLOUD_ID


def test_a_drive_made_in_the_run_that_makes_its_cloud_account_anew_gets_the_new_accounts_id(agent, capsys):
    agent.expect(Expect('GET', CLOUD_ACCOUNTS, answer=[cloud_account_record()]),
                 Expect('GET', '/sharedclouddrive/get_all', {'page': 1}, answer=page([])),
                 Expect('GET', '/sharedclouddrive/get_all', {'name': 'Rushes'}, answer=page([])), quota(),
                 Expect('POST', '/cloud/insert_account', answer=cloud_account_record(NEW_CLOUD_ID)),
                 Expect('DELETE', '/cloud/delete', {'id': CLOUD_ID}),
                 Expect('POST', '/sharedclouddrive/insert', body={'name': 'Rushes', 'storageName': 'rushes',
                                                                  'cloudAccountId': NEW_CLOUD_ID},
                        answer=record(name='Rushes', cloudAccountId=NEW_CLOUD_ID)))
    result = run(capsys, account, cloud_accounts=[dict(CREW_S3, update_credentials='always')],
                 drives=[dict(name='Rushes', cloud_account='Crew S3', storage_name='rushes')])
    assert result['changed'] is True
    assert result['cloud_accounts'][0]['cloud_account']['id'] == NEW_CLOUD_ID


def test_purging_cloud_accounts_never_deletes_one_that_drives_use(agent, capsys):
    unused = cloud_account_record('7e3a9c5d-1f4b-4a0c-98e6-2b3c4d5e6f7a', 'Unused')
    # The drives are read once for every account the purge would delete, before any write.
    agent.expect(Expect('GET', CLOUD_ACCOUNTS, answer=[cloud_account_record(), cloud_account_record(NEW_CLOUD_ID, 'Old'), unused]),
                 Expect('GET', '/sharedclouddrive/get_all', {'page': 1},
                        answer=page([record(name='Rushes', cloudAccountId=NEW_CLOUD_ID)])))
    result = run(capsys, account, cloud_accounts=[dict(name='Crew S3')], purge=['cloud_accounts'])
    assert result['failed'] is True
    assert result['msg'] == ("purging 'Old' (id %s): cloud account 'Old' is used by the shared cloud drives 'Rushes': delete "
                             "them, or move them to another cloud account, first; nothing was changed" % NEW_CLOUD_ID)
    assert [made for made in agent.made if made[0] != 'GET'] == []
