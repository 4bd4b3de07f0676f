# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Projects, who is in them and their drives, through amove.click.project and project_info."""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.modules import project, project_info
from ansible_collections.amove.click.tests.unit.click_fake import ACCOUNT_ID, Expect, page, run, warnings_of

DETAILS = '/projects/get_all_with_details'
USER_GRANTS = '/userspermission/users_project_permission'
GROUP_GRANTS = '/userspermission/usergroups_project_permission'
ASSIGN = '/projects/assign_sharedclouddrive'
UNASSIGN = '/projects/unassign_sharedclouddrive'
PROJECT_ID = '8e4d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f'
OTHER_ID = '9f5e3d2c-1b0a-4f9e-a8d7-6b5c4d3e2f1a'
TIMEOUT = dict(error=TimeoutError('timed out'))


def spring(users=(), groups=(), drives=(), **overrides):
    """A project as the detailed listing shows it: users and groups as (name, grant id, permission type), drives as (name, link id)."""
    base = {'id': PROJECT_ID, 'accountId': ACCOUNT_ID, 'name': 'Spring', 'description': 'Campaign', 'active': True,
            'deleted': False,
            'usersData': [{'user': {'id': 'u-' + name.split('@')[0], 'username': name},
                           'permission': {'id': grant, 'userId': 'u-' + name.split('@')[0], 'projectId': PROJECT_ID,
                                          'permissionType': kind}} for name, grant, kind in users],
            'groupsData': [{'userGroup': {'id': 'g-' + name, 'name': name},
                            'permission': {'id': grant, 'userGroupId': 'g-' + name, 'projectId': PROJECT_ID,
                                           'permissionType': kind}} for name, grant, kind in groups],
            'drivesData': [{'sharedCloudDrive': {'id': 'd-' + name, 'name': name},
                            'projectSharedCloudDrive': {'id': link, 'projectId': PROJECT_ID, 'sharedCloudDriveId': 'd-' + name}}
                           for name, link in drives]}
    base.update(overrides)
    return base


def bare(**overrides):
    """A project as insert and update answer it."""
    record = spring(**overrides)
    for key in ('usersData', 'groupsData', 'drivesData'):
        record.pop(key)
    return record


def listing(*records, name='Spring'):
    query = {'name': name, 'page': 1, 'pagesize': 100} if name else {'page': 1}
    return Expect('GET', DETAILS, query, answer=page(list(records)))


def user_named(name):
    return Expect('GET', '/user/get_all_users', {'username': name},
                  answer=page([{'id': 'u-' + name.split('@')[0], 'username': name}]))


def group_named(name, *others):
    return Expect('GET', '/usergroup/get_all', {'name': name},
                  answer=page([{'id': 'g-' + group, 'name': group} for group in (name,) + others]))


def drive_named(name, *others):
    return Expect('GET', '/sharedclouddrive/get_all', {'name': name},
                  answer=page([{'id': 'd-' + drive, 'name': drive} for drive in (name,) + others]))


def converge(capsys, **args):
    args.setdefault('name', 'Spring')
    return run(capsys, project, **args)


EVERYONE = dict(users=[{'name': 'alice@example.com', 'permission': 'read_write'}], groups=[{'name': 'Editors'}],
                drives=['Campaign'])
VIEW = {'id': PROJECT_ID, 'name': 'Spring', 'description': 'Campaign', 'active': True,
        'users': [{'name': 'alice@example.com', 'permission': 'read_write'}],
        'groups': [{'name': 'Editors', 'permission': 'read'}], 'drives': ['Campaign']}


def test_an_unchanged_project_with_users_groups_and_drives_costs_one_request(agent, capsys):
    agent.expect(listing(spring(users=[('alice@example.com', 'p1', 2)], groups=[('Editors', 'p2', 1)],
                                drives=[('Campaign', 'l1')])))
    result = converge(capsys, description='Campaign', active=True, purge_access=True, diff=True, **EVERYONE)
    assert result['changed'] is False and result['project'] == VIEW
    assert len(agent.made) == 1


def test_create_resolves_every_name_then_inserts_and_writes_each_list_in_one_request(agent, capsys):
    agent.expect(listing(spring(id=OTHER_ID, name='Spring Sale')),
                 user_named('alice@example.com'), group_named('Editors', 'Editors Archive'), drive_named('Campaign'),
                 Expect('POST', '/projects/insert', body={'name': 'Spring', 'description': 'Campaign', 'active': True},
                        answer=bare()),
                 Expect('POST', USER_GRANTS, body=[{'userId': 'u-alice', 'projectId': PROJECT_ID, 'permissionType': 2}]),
                 Expect('POST', GROUP_GRANTS, body=[{'userGroupId': 'g-Editors', 'projectId': PROJECT_ID, 'permissionType': 1}]),
                 Expect('POST', ASSIGN, body=[{'sharedCloudDriveId': 'd-Campaign', 'projectId': PROJECT_ID}]))
    result = converge(capsys, description='Campaign', diff=True, **EVERYONE)
    assert result['changed'] is True
    assert result['project'] == VIEW
    assert result['diff'] == {'before': {}, 'after': VIEW}


def test_check_mode_resolves_the_names_and_writes_nothing(agent, capsys):
    agent.expect(listing(), user_named('alice@example.com'), group_named('Editors'), drive_named('Campaign'))
    result = converge(capsys, check=True, diff=True, **EVERYONE)
    assert result['changed'] is True
    assert result['project'] == dict((key, value) for key, value in VIEW.items() if key not in ('id', 'description', 'active'))
    assert [made[0] for made in agent.made] == ['GET'] * 4


def test_permissions_change_in_place_additions_keep_the_others_and_purge_takes_out_what_is_not_listed(agent, capsys):
    had = spring(users=[('alice@example.com', 'p1', 1), ('bob@example.com', 'p3', 1)], groups=[('Editors', 'p2', 1)],
                 drives=[('Campaign', 'l1'), ('Archive', 'l2')])
    agent.expect(listing(had), drive_named('Stills'),
                 Expect('PUT', USER_GRANTS, body=[{'userId': 'u-alice', 'projectId': PROJECT_ID, 'permissionType': 2,
                                                   'id': 'p1'}]),
                 Expect('POST', ASSIGN, body=[{'sharedCloudDriveId': 'd-Stills', 'projectId': PROJECT_ID}]))
    result = converge(capsys, users=[{'name': 'alice@example.com', 'permission': 'read_write'}], drives=['Stills'], diff=True)
    assert result['project']['users'] == [{'name': 'alice@example.com', 'permission': 'read_write'},
                                          {'name': 'bob@example.com', 'permission': 'read'}]
    assert result['project']['drives'] == ['Archive', 'Campaign', 'Stills']
    # Purge makes each list given exact: bob's grant and the Archive link go, by their ids; the groups are left.
    agent.expect(listing(had),
                 Expect('DELETE', USER_GRANTS, {'id': 'p3'}),
                 Expect('DELETE', UNASSIGN, {'id': 'l2'}))
    result = converge(capsys, users=[{'name': 'alice@example.com'}], drives=['Campaign'], purge_access=True, diff=True)
    assert result['changed'] is True
    assert result['diff']['before']['drives'] == ['Archive', 'Campaign']
    assert result['project']['users'] == [{'name': 'alice@example.com', 'permission': 'read'}]
    assert result['project']['groups'] == [{'name': 'Editors', 'permission': 'read'}]
    assert result['project']['drives'] == ['Campaign']


def test_an_unknown_drive_is_refused_before_any_write_with_close_names(agent, capsys):
    agent.expect(listing(spring()), Expect('GET', '/sharedclouddrive/get_all', {'name': 'Campain'}, answer=page([])),
                 Expect('GET', '/sharedclouddrive/get_all', answer=page([{'id': 'd-Campaign', 'name': 'Campaign'}])))
    result = converge(capsys, description='Changed', drives=['Campain'])
    assert result['failed'] is True
    assert result['msg'] == ("drives: no shared cloud drive is named 'Campain'; did you mean 'Campaign'? (names are matched "
                             "exactly, letter case too); nothing was changed")
    assert [made[0] for made in agent.made] == ['GET'] * 3


def test_rename_by_id_puts_the_whole_project_and_keeps_who_is_in_it(agent, capsys):
    agent.expect(listing(spring(users=[('bob@example.com', 'p3', 1)]), spring(id=OTHER_ID, name='Other'), name=None),
                 Expect('PUT', '/projects/update', body={'id': PROJECT_ID, 'name': 'Summer', 'description': 'Campaign',
                                                         'active': True},
                        answer=bare(name='Summer')))
    result = converge(capsys, id=PROJECT_ID.upper(), name='Summer', diff=True)
    assert result['changed'] is True
    assert (result['diff']['before']['name'], result['diff']['after']['name']) == ('Spring', 'Summer')
    assert result['project']['users'] == [{'name': 'bob@example.com', 'permission': 'read'}]


def test_a_name_in_another_case_fails_with_the_projects_id(agent, capsys):
    agent.expect(listing(spring(name='spring', id=OTHER_ID)))
    result = converge(capsys)
    assert result['failed'] is True
    assert result['msg'].startswith("a project named 'spring' (id %s) already exists" % OTHER_ID)
    assert 'rename that project with id and name' in result['msg']
    assert agent.requests('POST') == []


def test_a_project_that_holds_drives_or_grants_is_not_deleted_without_force(agent, capsys):
    agent.expect(listing(spring(users=[('alice@example.com', 'p1', 2)], groups=[('Editors', 'p2', 1)],
                                drives=[('Campaign', 'l1')]), name=None))
    result = converge(capsys, state='absent')
    assert result['failed'] is True
    assert result['msg'] == ("project 'Spring' still holds drive 'Campaign', user 'alice@example.com', user group 'Editors'; "
                             "the agent would keep them after the delete: remove them first, or set force to true to take "
                             "them back and delete the project")
    assert len(agent.made) == 1


def test_force_takes_the_links_and_grants_back_then_deletes(agent, capsys):
    held = spring(users=[('alice@example.com', 'p1', 2)], groups=[('Editors', 'p2', 1)], drives=[('Campaign', 'l1')])
    agent.expect(listing(held, name=None))
    result = converge(capsys, state='absent', force=True, check=True, diff=True)
    assert result['changed'] is True and result['diff']['after'] == {} and result['diff']['before'] == VIEW
    agent.expect(listing(held, name=None),
                 Expect('DELETE', UNASSIGN, {'id': 'l1'}),
                 Expect('DELETE', USER_GRANTS, {'id': 'p1'}),
                 Expect('DELETE', GROUP_GRANTS, {'id': 'p2'}),
                 Expect('DELETE', '/projects/delete', {'id': PROJECT_ID}))
    result = converge(capsys, state='absent', force=True)
    assert result['changed'] is True and result['project'] == {}
    agent.expect(listing(spring(name='Spring Sale'), name=None))
    result = converge(capsys, name='Sprin', state='absent')
    assert result['changed'] is False
    assert warnings_of(result) == ["no live project is named 'Sprin', so none was deleted; did you mean 'Spring Sale'? "
                                   "(names are matched exactly)"]


def test_an_empty_project_is_deleted_without_force(agent, capsys):
    agent.expect(listing(spring(), name=None), Expect('DELETE', '/projects/delete', {'id': PROJECT_ID}))
    assert converge(capsys, state='absent')['changed'] is True


def test_a_lost_grant_is_verified_by_a_read_and_adopted(agent, capsys):
    agent.expect(listing(spring()), user_named('alice@example.com'),
                 Expect('POST', USER_GRANTS, **TIMEOUT),
                 listing(spring(users=[('alice@example.com', 'p1', 1)]), name=None))
    result = converge(capsys, users=[{'name': 'alice@example.com'}])
    assert result['changed'] is True and result['project']['users'] == [{'name': 'alice@example.com', 'permission': 'read'}]
    assert len(agent.requests('POST')) == 1


@pytest.mark.parametrize('args, fragment', [
    (dict(name='x' * 101), 'name must be at most 100 characters'),
    (dict(purge_access=True), 'purge_access makes users and groups and drives exact, and none is given'),
    (dict(drives=['Campaign', 'Campaign'], users=[{'name': ' '}]), "drives lists 'Campaign' twice"),
    (dict(users=[{'name': ' '}]), 'users[0] needs a username'),
    (dict(id='nope'), 'id must be a UUID'),
])
def test_bad_options_fail_before_any_request(agent, capsys, args, fragment):
    result = converge(capsys, **args)
    assert result['failed'] is True and fragment in result['msg']
    assert agent.made == []


def test_info_reads_all_by_name_or_by_id_in_one_request_with_details_on_demand(agent, capsys):
    projects = [spring(users=[('alice@example.com', 'p1', 2)], groups=[('Editors', 'p2', 1)], drives=[('Campaign', 'l1')]),
                spring(id=OTHER_ID, name='Launch')]
    agent.expect(listing(*projects, name=None))
    every = run(capsys, project_info)['projects']
    assert every == [{'id': PROJECT_ID, 'name': 'Spring', 'description': 'Campaign', 'active': True},
                     {'id': OTHER_ID, 'name': 'Launch', 'description': 'Campaign', 'active': True}]
    agent.expect(listing(projects[0], spring(id=OTHER_ID, name='Spring Sale')))
    assert run(capsys, project_info, name='Spring', details=True)['projects'] == [VIEW]
    agent.expect(listing(*projects, name=None))
    assert [entry['name'] for entry in run(capsys, project_info, id=OTHER_ID)['projects']] == ['Launch']
    assert len(agent.made) == 3
