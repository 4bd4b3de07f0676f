# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""user_group and user_group_info against the emulator seeded with the demo account, on every path (tests/unit/emulated.py).

Proven by the emulator's store and request log, as the integration target
user_group proves the lifecycle a playbook drives. The demo seed holds the
groups Editors (alice, joann) and Viewers (bob), and the project Launch that
Viewers is granted.
"""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.tests.unit.emulated import paths, writes


DETAILS = '/usergroup/get_all_with_details'

pytestmark = pytest.mark.seed('demo')


def lose_answer(proxy, method, path):
    """The next request of that method and path reaches the emulator, and its answer is lost on the way back."""
    proxy.proxy.add({'method': method, 'path': path, 'action': 'lose_answer'})


def groups(emulator):
    """The live groups by name: {id, description, members}."""
    return dict((group['name'], group) for group in emulator.live('user_groups'))


def deleted_groups(emulator):
    return [group['name'] for group in emulator.state()['user_groups'] if group['deleted']]


def group_drives(emulator):
    """The names of the groups that hold a drive grant, one a grant."""
    state = emulator.state()
    names_by_id = dict((group['id'], group['name']) for group in state['user_groups'])
    return [names_by_id[grant['userGroupId']] for grant in state['group_permissions']]


def project_groups(emulator):
    return dict((project['name'], project['groups']) for project in emulator.state()['projects'])


def make(desktop, emulator, name, members, **args):
    """A group made for a case to start from; the requests of its making forgotten."""
    made = desktop.run('user_group', name=name, members=members, **args)
    assert made['changed'] and not made['failed'], made
    emulator.clear_requests()
    return made


# ---- members, rename, refusals (after the lifecycle of the integration target) ----------------------


def test_purge_members_keeps_only_the_named_ones(emulator, desktop):
    """purge_members in check mode predicts and writes nothing; for real it removes the others one by one and adds the
    new one; again it does nothing."""
    make(desktop, emulator, 'Design Team', ['alice@example.com', 'ann@example.com', 'bob@example.com'])
    bob_and_joann = dict(name='Design Team', members=['bob@example.com', 'joann@example.com'], purge_members=True)

    check_purge = desktop.run('user_group', check=True, **bob_and_joann)
    requests = emulator.take_requests()
    assert check_purge['changed'] and not check_purge['failed']
    assert check_purge['user_group']['members'] == ['bob@example.com', 'joann@example.com']
    assert writes(requests) == []
    assert len(groups(emulator)['Design Team']['members']) == 3

    purge = desktop.run('user_group', **bob_and_joann)
    purge_again = desktop.run('user_group', **bob_and_joann)
    requests = emulator.take_requests()
    assert purge['changed'] and not purge['failed']
    assert purge['user_group']['members'] == ['bob@example.com', 'joann@example.com']
    assert not purge_again['changed'] and not purge_again['failed']
    assert sorted(groups(emulator)['Design Team']['members']) == ['bob@example.com', 'joann@example.com']
    assert sorted(paths(writes(requests))) == ['/usergroup/assign_users', '/usergroup/unassign_user', '/usergroup/unassign_user']


def test_rename_by_id_keeps_the_group_and_its_members(emulator, desktop):
    """A group selected by id is renamed and its description changed in one update, its members kept."""
    made = make(desktop, emulator, 'Design Team', ['bob@example.com', 'joann@example.com'])
    group_id = made['user_group']['id']

    rename = desktop.run('user_group', diff=True, id=group_id, name='Designers', description='Design, renamed')
    requests = emulator.take_requests()
    assert rename['changed'] and not rename['failed']
    assert rename['diff']['before']['name'] == 'Design Team'
    assert rename['diff']['after']['name'] == 'Designers'
    assert rename['user_group']['members'] == ['bob@example.com', 'joann@example.com']
    live = groups(emulator)
    assert live['Designers']['id'] == group_id
    assert live['Designers']['description'] == 'Design, renamed'
    assert 'Design Team' not in live
    assert paths(writes(requests)) == ['/usergroup/update']


def test_an_unknown_member_is_refused_with_the_close_name_before_any_write(emulator, desktop):
    """A member no user has fails naming the close username, and nothing is written, not even the description change
    of the same task."""
    make(desktop, emulator, 'Designers', ['bob@example.com', 'joann@example.com'], description='Design, renamed')

    unknown = desktop.run('user_group', name='Designers', description='Never written', members=['alise@example.com'])
    requests = emulator.take_requests()
    assert unknown['failed']
    assert "no user is named 'alise@example.com'" in unknown['msg']
    assert "did you mean 'alice@example.com'" in unknown['msg']
    assert 'nothing was changed' in unknown['msg']
    assert writes(requests) == []
    assert groups(emulator)['Designers']['description'] == 'Design, renamed'


def test_a_member_in_another_letter_case_is_the_user_equal_to_it_ignoring_case(emulator, desktop):
    """An e-mail address in another letter case is the one user equal to it ignoring case: already a member, nothing to do."""
    make(desktop, emulator, 'Designers', ['bob@example.com', 'joann@example.com'])

    other_case = desktop.run('user_group', name='Designers', members=['Bob@Example.com'])
    requests = emulator.take_requests()
    assert not other_case['failed']
    assert not other_case['changed']
    assert other_case['user_group']['members'] == ['bob@example.com', 'joann@example.com']
    assert writes(requests) == []


def test_bad_options_are_refused_before_any_request(emulator, desktop):
    """A name too long and a member listed twice are both named in one failure, before any request."""
    bad_options = desktop.run('user_group', name='x' * 101, members=['alice@example.com', 'alice@example.com'])
    assert bad_options['failed']
    assert 'name must be at most 100 characters' in bad_options['msg']
    assert "members lists 'alice@example.com' twice" in bad_options['msg']
    assert emulator.take_requests() == []


def test_a_group_that_gives_drives_and_projects_is_deleted_only_with_force(emulator, desktop):
    """Without force, the delete of a group with grants fails naming them; check mode with force predicts the delete;
    with force its grants go first, then the group, and no grant of it is left; again, nothing to do."""
    review = desktop.run('shared_cloud_drive', name='Review', cloud_account='Demo S3', storage_name='review-bucket',
                         groups=[{'name': 'Viewers'}])
    assert review['changed'] and not review['failed'], review

    refused = desktop.run('user_group', name='Viewers', state='absent')
    check_force = desktop.run('user_group', check=True, diff=True, name='Viewers', state='absent', force=True)
    requests = emulator.take_requests()
    assert refused['failed']
    assert "drive 'Review'" in refused['msg']
    assert "project 'Launch'" in refused['msg']
    assert 'force' in refused['msg']
    assert check_force['changed'] and not check_force['failed']
    assert check_force['diff']['after'] == {}
    assert check_force['diff']['before']['members'] == ['bob@example.com']
    # The drive's making is all that was written.
    assert paths(writes(requests)) == ['/sharedclouddrive/insert', '/userspermission/usergroup_sharedclouddrive_permission']
    assert 'Viewers' in groups(emulator)
    assert group_drives(emulator) == ['Viewers']

    forced = desktop.run('user_group', name='Viewers', state='absent', force=True)
    forced_again = desktop.run('user_group', name='Viewers', state='absent', force=True)
    requests = emulator.take_requests()
    assert forced['changed'] and not forced['failed']
    assert forced['user_group'] == {}
    assert not forced_again['changed'] and not forced_again['failed']
    assert 'Viewers' not in groups(emulator)
    assert deleted_groups(emulator) == ['Viewers']
    assert group_drives(emulator) == []
    assert project_groups(emulator)['Launch'] == []
    assert paths(writes(requests)) == ['/userspermission/usergroup_sharedclouddrive_permission',
                                       '/userspermission/usergroups_project_permission', '/usergroup/delete']


# ---- the name rule of the drives -------------------------------------------------------------------


def test_a_name_contained_in_another_is_a_group_of_its_own_and_another_case_is_refused(emulator, desktop):
    """Edit is made beside Editors, whose name contains it; editors, which differs from Editors only in letter case,
    is refused naming it; Editors is untouched."""
    edit = desktop.run('user_group', name='Edit', members=['ann@example.com'])
    case_clash = desktop.run('user_group', name='editors')
    requests = emulator.take_requests()
    live = groups(emulator)
    assert edit['changed'] and not edit['failed']
    assert live['Edit']['members'] == ['ann@example.com']
    assert sorted(live['Editors']['members']) == ['alice@example.com', 'joann@example.com']
    assert case_clash['failed']
    assert "a user group named 'Editors'" in case_clash['msg']
    assert 'editors' not in live
    assert paths(writes(requests)) == ['/usergroup/insert', '/usergroup/assign_users']


def test_pages_past_the_agents_page_size_are_followed(emulator, desktop):
    """With one group a page, Edit's name filter (which Editors also matches) reads two pages, and Editors by id the
    three pages of every group; nothing to change, nothing written."""
    make(desktop, emulator, 'Edit', ['ann@example.com'])
    emulator.settings(max_page_size=1)

    edit_paged = desktop.run('user_group', name='Edit', members=['ann@example.com'])
    editors_by_id = desktop.run('user_group', id=groups(emulator)['Editors']['id'], members=['joann@example.com'])
    requests = emulator.take_requests()
    assert not edit_paged['changed'] and not edit_paged['failed']
    assert not editors_by_id['changed'] and not editors_by_id['failed']
    assert editors_by_id['user_group']['name'] == 'Editors'
    assert sorted(set(paths(requests))) == [DETAILS]
    assert len(requests) == 5


def test_a_soft_deleted_twin_is_never_taken_for_the_group(emulator, desktop):
    """With soft-deleted groups listed, a group made again beside its deleted twin is a new one, converges unchanged
    after, and the info module shows only it."""
    edit = make(desktop, emulator, 'Edit', ['ann@example.com'])
    emulator.settings(show_deleted=True, max_page_size=100)
    deleted = desktop.run('user_group', name='Edit', state='absent')
    assert deleted['changed'] and not deleted['failed']

    second_edit = desktop.run('user_group', name='Edit')
    third_edit = desktop.run('user_group', name='Edit')
    edit_info = desktop.run('user_group_info', name='Edit')
    assert second_edit['changed'] and not second_edit['failed']
    assert second_edit['user_group']['id'] != edit['user_group']['id']
    assert second_edit['user_group']['members'] == []
    assert not third_edit['changed'] and not third_edit['failed']
    assert [group['id'] for group in edit_info['user_groups']] == [second_edit['user_group']['id']]
    assert deleted_groups(emulator) == ['Edit']


# ---- answers lost on the way back: the write landed, a read finds it and adopts it, never repeated --------


def test_a_lost_insert_is_found_and_adopted_not_repeated(emulator, desktop, fault_proxy):
    """The insert landed but its answer was lost: the group is found by a read and adopted, its member assigned once."""
    lose_answer(fault_proxy, 'POST', '/usergroup/insert')
    via_proxy = dict(url='http://127.0.0.1:%d' % fault_proxy.port, timeout=1)

    lost_insert = desktop.run('user_group', name='Lost', members=['bob@example.com'], **via_proxy)
    requests = emulator.take_requests()
    live = groups(emulator)
    assert lost_insert['changed'] and not lost_insert['failed'], lost_insert
    assert lost_insert['user_group']['id'] == live['Lost']['id']
    assert lost_insert['user_group']['members'] == ['bob@example.com']
    assert live['Lost']['members'] == ['bob@example.com']
    assert paths(writes(requests)) == ['/usergroup/insert', '/usergroup/assign_users']


def test_a_lost_assignment_is_verified_by_a_read_and_adopted(emulator, desktop, fault_proxy):
    """The assignment landed but its answer was lost: a read of the group finds the member, and it is not assigned again."""
    make(desktop, emulator, 'Lost', ['bob@example.com'])
    lose_answer(fault_proxy, 'POST', '/usergroup/assign_users')

    lost_assignment = desktop.run('user_group', url='http://127.0.0.1:%d' % fault_proxy.port, timeout=1, name='Lost',
                                  members=['ann@example.com'])
    requests = emulator.take_requests()
    assert lost_assignment['changed'] and not lost_assignment['failed'], lost_assignment
    assert lost_assignment['user_group']['members'] == ['ann@example.com', 'bob@example.com']
    assert sorted(groups(emulator)['Lost']['members']) == ['ann@example.com', 'bob@example.com']
    assert paths(writes(requests)) == ['/usergroup/assign_users']
    assert paths(requests) == [DETAILS, '/user/get_all_users', '/usergroup/assign_users', DETAILS]


def test_a_lost_delete_is_found_by_a_read_and_adopted(emulator, desktop, fault_proxy):
    """The delete landed but its answer was lost: a read finds the group gone, and the task reports the delete."""
    make(desktop, emulator, 'Lost', ['ann@example.com', 'bob@example.com'])
    lose_answer(fault_proxy, 'DELETE', '/usergroup/delete')

    lost_delete = desktop.run('user_group', url='http://127.0.0.1:%d' % fault_proxy.port, timeout=1, name='Lost', state='absent')
    requests = emulator.take_requests()
    assert lost_delete['changed'] and not lost_delete['failed'], lost_delete
    assert 'Lost' not in groups(emulator)
    assert paths(writes(requests)) == ['/usergroup/delete']


# ---- the info module ---------------------------------------------------------------------------------


def test_info_reads_every_group_one_by_exact_name_or_by_id_with_grants_only_in_details(emulator, desktop):
    """Every group with its members; a name only contained in another's finds none; by id or by name with details, the
    drives and projects granted; check mode reads alike; one request each, nothing written."""
    creative = desktop.run('shared_cloud_drive', name='Creative', cloud_account='Demo S3', storage_name='creative-bucket',
                           groups=[{'name': 'Editors', 'permission': 'read_write'}])
    assert creative['changed'] and not creative['failed'], creative
    viewers_id = groups(emulator)['Viewers']['id']
    emulator.clear_requests()

    every_group = desktop.run('user_group_info')
    edit = desktop.run('user_group_info', name='Edit')
    viewers = desktop.run('user_group_info', id=viewers_id, details=True)
    editors = desktop.run('user_group_info', check=True, name='Editors', details=True)
    requests = emulator.take_requests()
    assert not every_group['changed'] and not every_group['failed']
    assert [group['name'] for group in every_group['user_groups']] == ['Editors', 'Viewers']
    assert every_group['user_groups'][0]['members'] == ['alice@example.com', 'joann@example.com']
    assert 'drives' not in every_group['user_groups'][0]
    assert edit['user_groups'] == []
    assert len(viewers['user_groups']) == 1
    assert viewers['user_groups'][0]['members'] == ['bob@example.com']
    assert viewers['user_groups'][0]['drives'] == []
    assert viewers['user_groups'][0]['projects'] == [{'name': 'Launch', 'permission': 'read_write'}]
    assert editors['user_groups'][0]['drives'] == [{'name': 'Creative', 'permission': 'read_write'}]
    assert editors['user_groups'][0]['description'] == 'Edit the creative work'
    assert len(requests) == 4
    assert writes(requests) == []
