# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""User groups and their members through amove.click.user_group and user_group_info."""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.modules import user_group, user_group_info
from ansible_collections.amove.click.tests.unit.click_fake import Expect, page, problem, run, warnings_of

DETAILS = '/usergroup/get_all_with_details'
GROUP_ID = '2c8e6a4f-1b3d-4e5f-9a7b-6c5d4e3f2a1b'
OTHER_ID = '3d9f7b50-2c4e-4f60-8b8c-7d6e5f4a3b2c'
ACCOUNT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
TIMEOUT = dict(error=TimeoutError('timed out'))


def group(members=(), drives=(), projects=(), **overrides):
    """A group as the detailed listing shows it; members as (username, membership id)."""
    base = {'id': GROUP_ID, 'accountId': ACCOUNT_ID, 'name': 'Design Team', 'description': 'Creative', 'active': True,
            'deleted': False,
            'usersData': [{'user': {'id': 'u-' + name.split('@')[0], 'username': name},
                           'userUserGroup': {'id': join, 'userId': 'u-' + name.split('@')[0], 'userGroupId': GROUP_ID}}
                          for name, join in members],
            'drivesData': [{'sharedCloudDrive': {'id': 'd-' + name, 'name': name},
                            'permission': {'id': grant, 'userGroupId': GROUP_ID, 'permissionType': 2}} for name, grant in drives],
            'projectsData': [{'project': {'id': 'p-' + name, 'name': name},
                              'permission': {'id': grant, 'userGroupId': GROUP_ID, 'permissionType': 1}} for name, grant in projects]}
    base.update(overrides)
    return base


def bare(**overrides):
    """A group as insert and update answer it: no members, no grants."""
    record = group(**overrides)
    for key in ('usersData', 'drivesData', 'projectsData'):
        record.pop(key)
    return record


def listing(*records, name='Design Team', **answer):
    query = {'name': name, 'page': 1, 'pagesize': 100} if name else {'page': 1}
    return Expect('GET', DETAILS, query, answer=page(list(records)), **answer)


def users_named(name, *usernames):
    return Expect('GET', '/user/get_all_users', {'username': name},
                  answer=page([{'id': 'u-' + user.split('@')[0], 'username': user} for user in usernames]))


def assign(*user_ids, **answer):
    return Expect('POST', '/usergroup/assign_users', body=[{'userId': user_id, 'userGroupId': GROUP_ID} for user_id in user_ids],
                  **answer)


def converge(capsys, **args):
    args.setdefault('name', 'Design Team')
    return run(capsys, user_group, **args)


def test_an_unchanged_group_with_its_members_costs_one_request(agent, capsys):
    agent.expect(listing(group(members=[('alice@example.com', 'm1')]), name='Design Team'))
    result = converge(capsys, description='Creative', members=['alice@example.com'], diff=True)
    assert result['changed'] is False
    assert result['user_group'] == {'id': GROUP_ID, 'name': 'Design Team', 'description': 'Creative', 'active': True,
                                    'members': ['alice@example.com'], 'drives': [], 'projects': []}
    assert len(agent.made) == 1


def test_create_with_members_resolves_every_name_then_writes(agent, capsys):
    agent.expect(listing(group(name='Design Teams', id=OTHER_ID)),  # a neighbour whose name contains this one
                 users_named('alice@example.com', 'malice@example.com', 'alice@example.com'),
                 Expect('POST', '/usergroup/insert', body={'name': 'Design Team', 'description': 'Creative', 'active': True},
                        answer=bare()),
                 assign('u-alice'))
    result = converge(capsys, description='Creative', members=['alice@example.com'], diff=True)
    assert result['changed'] is True
    assert result['diff']['before'] == {}
    assert result['user_group']['id'] == GROUP_ID
    assert result['diff']['after']['members'] == ['alice@example.com']


def test_check_mode_reads_and_writes_nothing(agent, capsys):
    agent.expect(listing(), users_named('alice@example.com', 'alice@example.com'))
    result = converge(capsys, check=True, members=['alice@example.com'])
    assert result['changed'] is True
    assert result['user_group'] == {'name': 'Design Team', 'members': ['alice@example.com']}
    assert agent.requests('POST') == []


def test_members_are_added_without_purge_and_removed_by_membership_id_with_it(agent, capsys):
    agent.expect(listing(group(members=[('alice@example.com', 'm1')])), users_named('bob@example.com', 'bob@example.com'),
                 assign('u-bob'))
    assert converge(capsys, members=['bob@example.com'])['user_group']['members'] == ['alice@example.com', 'bob@example.com']
    agent.expect(listing(group(members=[('alice@example.com', 'm1'), ('bob@example.com', 'm2')])),
                 Expect('DELETE', '/usergroup/unassign_user', {'id': 'm1'}))
    result = converge(capsys, members=['bob@example.com'], purge_members=True, diff=True)
    assert result['diff']['before']['members'] == ['alice@example.com', 'bob@example.com']
    assert result['user_group']['members'] == ['bob@example.com']


def test_an_unknown_member_is_refused_before_any_write_with_close_names(agent, capsys):
    agent.expect(listing(group()), users_named('alise@example.com'),
                 Expect('GET', '/user/get_all_users', answer=page([{'id': 'u-alice', 'username': 'alice@example.com'},
                                                                   {'id': 'u-zed', 'username': 'zed@example.org'}])))
    result = converge(capsys, description='Changed', members=['alise@example.com'])
    assert result['failed'] is True
    assert "members: no user is named 'alise@example.com'; did you mean 'alice@example.com'" in result['msg']
    assert 'nothing was changed' in result['msg']
    assert [made[0] for made in agent.made] == ['GET'] * 3


def test_rename_by_id_puts_the_whole_group_without_server_owned_fields(agent, capsys):
    agent.expect(listing(group(name='Other', id=OTHER_ID), group(members=[('bob@example.com', 'm2')]), name=None),
                 Expect('PUT', '/usergroup/update',
                        body={'id': GROUP_ID, 'name': 'Designers', 'description': 'Creative', 'active': True},
                        answer=bare(name='Designers')))
    result = converge(capsys, id=GROUP_ID.upper(), name='Designers', diff=True)
    assert result['changed'] is True
    assert (result['diff']['before']['name'], result['diff']['after']['name']) == ('Design Team', 'Designers')
    assert result['user_group']['members'] == ['bob@example.com']


def test_an_unknown_id_is_not_created(agent, capsys):
    agent.expect(listing(name=None))
    result = converge(capsys, id=GROUP_ID, name='Designers')
    assert result['failed'] is True and 'no live user group has id %s' % GROUP_ID in result['msg']


def test_a_group_with_grants_is_not_deleted_without_force(agent, capsys):
    agent.expect(listing(group(drives=[('Creative', 'g1')], projects=[('Launch', 'g2')]), name=None))
    result = converge(capsys, state='absent')
    assert result['failed'] is True
    assert result['msg'] == ("user group 'Design Team' still holds drive 'Creative', project 'Launch'; the agent would keep "
                             "them after the delete: remove them first, or set force to true to take them back and delete "
                             "the user group")
    assert 'force' in result['msg']
    assert len(agent.made) == 1


def test_force_takes_the_grants_back_before_the_delete(agent, capsys):
    agent.expect(listing(group(drives=[('Creative', 'g1')], projects=[('Launch', 'g2')]), name=None),
                 Expect('DELETE', '/userspermission/usergroup_sharedclouddrive_permission', {'id': 'g1'}),
                 Expect('DELETE', '/userspermission/usergroups_project_permission', {'id': 'g2'}),
                 Expect('DELETE', '/usergroup/delete', {'id': GROUP_ID}))
    result = converge(capsys, state='absent', force=True, diff=True)
    assert result['changed'] is True and result['user_group'] == {} and result['diff']['after'] == {}
    agent.expect(listing(group(drives=[('Creative', 'g1')]), name=None))
    assert converge(capsys, state='absent', force=True, check=True)['changed'] is True
    agent.expect(listing(name=None))
    assert converge(capsys, state='absent')['changed'] is False


def test_a_lost_insert_is_found_and_adopted_not_repeated(agent, capsys):
    agent.expect(listing(), users_named('alice@example.com', 'alice@example.com'),
                 Expect('POST', '/usergroup/insert', **TIMEOUT),
                 listing(group()),
                 assign('u-alice'))
    result = converge(capsys, description='Creative', members=['alice@example.com'])
    assert result['changed'] is True and result['user_group']['id'] == GROUP_ID
    assert len(agent.requests('POST')) == 2


def test_a_lost_assignment_is_verified_by_a_read_and_adopted(agent, capsys):
    agent.expect(listing(group()), users_named('alice@example.com', 'alice@example.com'),
                 assign('u-alice', **TIMEOUT),
                 listing(group(members=[('alice@example.com', 'm1')]), name=None))
    result = converge(capsys, members=['alice@example.com'])
    assert result['changed'] is True and result['user_group']['members'] == ['alice@example.com']
    assert len(agent.requests('POST')) == 1


def test_an_assignment_that_did_not_land_is_written_again_from_what_was_seen(agent, capsys):
    agent.expect(listing(group()), users_named('alice@example.com', 'alice@example.com'),
                 assign('u-alice', **TIMEOUT),
                 listing(group(), name=None),
                 assign('u-alice'))
    assert converge(capsys, members=['alice@example.com'])['changed'] is True


def test_the_name_rule_of_the_drives(agent, capsys):
    agent.expect(listing(group(name='design team', id=OTHER_ID)))
    result = converge(capsys)
    assert result['failed'] is True and "a user group named 'design team' (id %s) already exists" % OTHER_ID in result['msg']
    agent.expect(listing(group(), group(id=OTHER_ID)))
    result = converge(capsys)
    assert result['failed'] is True and '2 live user groups are named' in result['msg']
    agent.expect(listing(group(id=OTHER_ID, deleted=True), name='Design Team'),
                 Expect('POST', '/usergroup/insert', answer=bare()))
    assert converge(capsys)['changed'] is True  # a soft-deleted twin is not the group


def test_a_duplicate_answer_to_an_insert_says_to_choose_another_name(agent, capsys):
    duplicate = Expect('POST', '/usergroup/insert', **problem('DUPLICATE', 'exists'))
    # Each DUPLICATE is looked at: no such group is found, so the insert is tried once more, then refused.
    agent.expect(listing(), duplicate, listing(), duplicate, listing())
    result = converge(capsys)
    assert result['failed'] is True and 'choose another name' in result['msg'] and result['error_code'] == 'DUPLICATE'


def test_bad_options_fail_before_any_request(agent, capsys):
    result = converge(capsys, name='x' * 101, id='nope', members=['a@example.com', 'a@example.com', ' '])
    assert result['failed'] is True
    for words in ('name must be at most 100 characters', 'id must be a UUID', "members lists 'a@example.com' twice",
                  'members[2] needs a username'):
        assert words in result['msg']
    assert agent.made == []


def test_an_answer_of_the_wrong_shape_is_refused_at_the_edge(agent, capsys):
    agent.expect(listing(group(usersData=[{'user': {'id': 'u-alice'}, 'userUserGroup': {'id': 'm1'}}])))
    result = converge(capsys, members=['alice@example.com'])
    assert result['failed'] is True
    assert 'unexpected answer from GET /usergroup/get_all_with_details' in result['msg'] and 'usersData' in result['msg']


def test_info_reads_all_by_name_or_by_id_in_one_request(agent, capsys):
    groups = [group(members=[('alice@example.com', 'm1')], drives=[('Creative', 'g1')]), group(id=OTHER_ID, name='Other')]
    agent.expect(listing(*groups, name=None))
    every = run(capsys, user_group_info)['user_groups']
    assert [g['name'] for g in every] == ['Design Team', 'Other'] and 'drives' not in every[0]
    agent.expect(listing(groups[0], group(id=OTHER_ID, name='Design Teams')))
    named = run(capsys, user_group_info, name='Design Team', details=True)['user_groups']
    assert named == [{'id': GROUP_ID, 'name': 'Design Team', 'description': 'Creative', 'active': True, 'members': ['alice@example.com'],
                      'drives': [{'name': 'Creative', 'permission': 'read_write'}], 'projects': []}]
    agent.expect(listing(*groups, name=None))
    assert [g['id'] for g in run(capsys, user_group_info, id=OTHER_ID)['user_groups']] == [OTHER_ID]
    assert len(agent.made) == 3


def test_absent_on_a_near_name_warns_and_changes_nothing(agent, capsys):
    agent.expect(listing(group(), name=None))
    result = converge(capsys, name='Design Teem', state='absent')
    assert result['changed'] is False and result['user_group'] == {}
    assert warnings_of(result) == ["no live user group is named 'Design Teem', so none was deleted; did you mean "
                                   "'Design Team'? (names are matched exactly)"]
    assert len(agent.made) == 1


def test_absent_on_a_case_only_variant_fails_with_the_groups_id(agent, capsys):
    agent.expect(listing(group(), name=None))
    result = converge(capsys, name='design team', state='absent')
    assert result['failed'] is True
    assert result['msg'].startswith("a user group named 'Design Team' (id %s) already exists" % GROUP_ID)
    assert [m for m in agent.made if m[0] != 'GET'] == []


def test_a_member_written_in_another_case_is_the_one_user_equal_ignoring_case(agent, capsys):
    agent.expect(listing(group()), users_named('Alice@Example.com', 'alice@example.com', 'malice@example.com'),
                 assign('u-alice'))
    result = converge(capsys, members=['Alice@Example.com'])
    assert result['changed'] is True and len(agent.requests('POST')) == 1


def test_a_member_equal_ignoring_case_to_two_users_is_refused(agent, capsys):
    agent.expect(listing(group()), users_named('Bob@Example.com', 'bob@example.com', 'BOB@example.com'))
    result = converge(capsys, members=['Bob@Example.com'])
    assert result['failed'] is True
    assert ("members: no user is named 'Bob@Example.com'; did you mean 'bob@example.com' or 'BOB@example.com'?"
            in result['msg'])
    assert agent.requests('POST') == []


@pytest.mark.parametrize('args, message', [
    (dict(purge_members=True, members=[]),
     'purge_members with an empty members would remove every one; set allow_empty_purge to true if that is really wanted'),
    (dict(purge_members=True), 'purge_members makes members exact, and none is given: give members (or leave purge_members out)'),
])
def test_a_purge_that_means_nothing_or_empties_the_group_is_refused_before_any_request(agent, capsys, args, message):
    result = converge(capsys, **args)
    assert result['failed'] is True and result['msg'] == message
    assert agent.made == []


def test_an_empty_group_is_made_empty_when_allowed(agent, capsys):
    agent.expect(listing(group(members=[('alice@example.com', 'm1')])), Expect('DELETE', '/usergroup/unassign_user', {'id': 'm1'}))
    result = converge(capsys, members=[], purge_members=True, allow_empty_purge=True)
    assert result['changed'] is True and result['user_group']['members'] == []


def test_a_member_in_another_case_who_is_in_the_group_changes_nothing(agent, capsys):
    agent.expect(listing(group(members=[('alice@example.com', 'm1')])))
    result = converge(capsys, members=['ALICE@example.com'], purge_members=True)
    assert result['changed'] is False and len(agent.made) == 1
