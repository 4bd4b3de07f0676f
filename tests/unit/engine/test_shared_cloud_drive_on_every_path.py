# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""shared_cloud_drive and shared_cloud_drive_set against the emulator, on every path (tests/unit/emulated.py).

Proven by the emulator's store and request log, as the integration target
shared_cloud_drive proves the lifecycle a playbook drives.
"""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.tests.unit.emulated import paths, writes

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
    assert writes(requests) == []
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
    assert paths(requests) == [LIST] * 4
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


UNKNOWN_ACCOUNT = '3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11'


def statuses(requests):
    return [request['status'] for request in requests]


def ok(result):
    """A task's result, which must not have failed (a task of the playbook without ignore_errors)."""
    assert not result['failed'], result.get('msg')
    return result


def create_creative(emulator, desktop):
    """The drive Creative, made as the integration target's lifecycle makes it."""
    return ok(desktop.run('shared_cloud_drive', name='Creative', cloud_account_id=emulator.cloud_account_id(), storage_name='my-shared-bucket',
                          prefix='projects/creative/', sync_type='mirror'))


def live_named(emulator, name):
    return next(drive for drive in emulator.live() if drive['name'] == name)


def test_a_drive_named_by_its_cloud_accounts_name_is_the_same_drive(emulator, desktop):
    """A drive made with cloud_account_id converges unchanged when named by its cloud account's name, which the
    listing's embedded cloud account answers without another request."""
    create_creative(emulator, desktop)
    emulator.clear_requests()

    by_account_name = desktop.run('shared_cloud_drive', name='Creative', cloud_account='Demo S3', storage_name='my-shared-bucket')

    requests = emulator.take_requests()
    assert not by_account_name['changed'] and not by_account_name['failed']
    assert len(requests) == 1
    assert names(emulator) == ['Creative']


def test_check_mode_predicts_an_update_as_the_real_run_does_it(emulator, desktop):
    """An update in check mode with diff predicts the change and writes nothing; the real run then returns the same
    drive and the same diff."""
    create_creative(emulator, desktop)
    emulator.clear_requests()

    check_update = desktop.run('shared_cloud_drive', check=True, diff=True, name='Creative', sync_type='stream')

    requests = emulator.take_requests()
    assert check_update['changed'] and not check_update['failed']
    assert check_update['diff']['before']['sync_type'] == 'mirror'
    assert check_update['diff']['after']['sync_type'] == 'stream'
    assert emulator.live()[0]['syncType'] == 2
    assert writes(requests) == []

    real_update = desktop.run('shared_cloud_drive', diff=True, name='Creative', sync_type='stream')
    assert real_update['changed'] and not real_update['failed']
    assert real_update['shared_cloud_drive'] == check_update['shared_cloud_drive']
    assert real_update['diff'] == check_update['diff']


def test_rename_by_id_keeps_the_drive(emulator, desktop):
    """A rename by id changes the name of the same drive, and again is ok."""
    drive_id = create_creative(emulator, desktop)['shared_cloud_drive']['id']

    rename = desktop.run('shared_cloud_drive', id=drive_id, name='Creative Team')
    rename_again = desktop.run('shared_cloud_drive', id=drive_id, name='Creative Team')

    assert rename['changed'] and not rename['failed']
    assert not rename_again['changed'] and not rename_again['failed']
    drives = emulator.live()
    assert len(drives) == 1
    assert drives[0]['name'] == 'Creative Team'
    assert drives[0]['id'] == drive_id


def test_names_containing_the_name_or_in_another_case_are_never_taken_for_it(emulator, desktop):
    """Drives whose names contain the wanted one (Joann, Anna, Ann Archive) are never created over, updated or
    deleted for it, and the same name in capitals fails as differing only in letter case."""
    account = emulator.cloud_account_id()
    for name in ('Joann', 'Anna', 'Ann Archive'):
        ok(desktop.run('shared_cloud_drive', name=name, cloud_account_id=account, storage_name='neighbours'))

    ann = ok(desktop.run('shared_cloud_drive', name='Ann', cloud_account_id=account, storage_name='ann-bucket'))
    ann_update = ok(desktop.run('shared_cloud_drive', name='Ann', allow_delete=True))
    capitals = desktop.run('shared_cloud_drive', name='ANN', cloud_account_id=account, storage_name='ann-bucket')
    ann_delete = ok(desktop.run('shared_cloud_drive', name='Ann', state='absent'))

    requests = emulator.take_requests()
    assert ann['changed'] and ann_update['changed'] and ann_delete['changed']
    assert names(emulator) == ['Ann Archive', 'Anna', 'Joann']
    assert [drive for drive in emulator.live() if drive['allowDelete']] == []
    assert [drive['id'] for drive in emulator.state()['shared_cloud_drives'] if drive.get('deleted')] == [ann['shared_cloud_drive']['id']]
    assert capitals['failed']
    assert 'differ only in letter case' in capitals['msg']
    assert len([request for request in writes(requests) if request['path'] == '/sharedclouddrive/insert']) == 4


@pytest.mark.emulator_settings(max_page_size=2)
def test_the_lookup_follows_every_page_of_a_capped_listing(emulator, desktop):
    """With the agent answering at most 2 drives a page, an exact match that lists last (after five names that
    contain it) is found on the third page, by the module and by the info module."""
    account = emulator.cloud_account_id()
    for letter in 'ABCDE':
        ok(desktop.run('shared_cloud_drive', name='%s Zed' % letter, cloud_account_id=account, storage_name='paging'))
    zed = ok(desktop.run('shared_cloud_drive', name='Zed', cloud_account_id=account, storage_name='paging'))
    emulator.clear_requests()

    zed_again = desktop.run('shared_cloud_drive', name='Zed', cloud_account_id=account, storage_name='paging')
    zed_info = ok(desktop.run('shared_cloud_drive_info', name='Zed'))

    requests = emulator.take_requests()
    assert zed['changed']
    assert not zed_again['changed'] and not zed_again['failed']
    assert [drive['id'] for drive in zed_info['shared_cloud_drives']] == [zed['shared_cloud_drive']['id']]
    assert len(emulator.live()) == 6
    assert [request['query']['page'] for request in requests] == ['1', '2', '3', '1', '2', '3']
    assert writes(requests) == []


@pytest.mark.emulator_settings(show_deleted=True)
def test_soft_deleted_drives_listed_by_the_agent_are_ignored(emulator, desktop):
    """An agent that lists soft-deleted drives (deleted: true): a drive is made again beside its deleted twin,
    converges, is read and deleted once, and the twin is never touched."""
    account = emulator.cloud_account_id()
    first_ghost = ok(desktop.run('shared_cloud_drive', name='Ghost', cloud_account_id=account, storage_name='ghost'))
    ok(desktop.run('shared_cloud_drive', name='Ghost', state='absent'))
    second_ghost = ok(desktop.run('shared_cloud_drive', name='Ghost', cloud_account_id=account, storage_name='ghost'))
    third_ghost = desktop.run('shared_cloud_drive', name='Ghost', cloud_account_id=account, storage_name='ghost')
    ghost_info = ok(desktop.run('shared_cloud_drive_info', name='Ghost'))

    emulator.clear_requests()
    second_id = second_ghost['shared_cloud_drive']['id']
    assert second_ghost['changed']
    assert second_id != first_ghost['shared_cloud_drive']['id']
    assert not third_ghost['changed'] and not third_ghost['failed']
    assert [drive['id'] for drive in ghost_info['shared_cloud_drives']] == [second_id]
    assert len(emulator.state()['shared_cloud_drives']) == 2
    assert [drive['id'] for drive in emulator.live()] == [second_id]

    ghost_deletes = [desktop.run('shared_cloud_drive', name='Ghost', state='absent') for _attempt in range(2)]

    requests = emulator.take_requests()
    assert [result['changed'] for result in ghost_deletes] == [True, False]
    assert [result['failed'] for result in ghost_deletes] == [False, False]
    assert emulator.live() == []
    assert len(writes(requests)) == 1


def test_credentials_log_in_and_out_and_a_rejected_session_is_renewed_once(emulator, desktop):
    """With username and password the task logs in, and logs out before it ends; a 401 on the session logs in
    again once; a wrong password and a role the user lacks fail clearly after one login request each."""
    credentials = dict(token='', username='admin@example.com', password='admin-password')
    with_credentials = desktop.run('shared_cloud_drive', name='Login', cloud_account_id=emulator.cloud_account_id(), storage_name='login',
                                   **credentials)

    requests = emulator.take_requests()
    assert with_credentials['changed'] and not with_credentials['failed']
    assert paths(requests) == ['/authentication/login', LIST, '/sharedclouddrive/insert', '/authentication/logout']
    assert emulator.state()['sessions']['count'] == 0

    emulator.fault(LIST, 'error', status=401, count=1)
    relogin = desktop.run('shared_cloud_drive', name='Login', **credentials)

    requests = emulator.take_requests()
    assert not relogin['changed'] and not relogin['failed']
    assert paths(requests).count('/authentication/login') == 2
    assert statuses(requests) == [200, 401, 200, 200, 200]
    assert requests[-1]['path'] == '/authentication/logout'

    wrong_password = desktop.run('shared_cloud_drive', name='Login', **dict(credentials, password='not-the-password'))
    wrong_role = desktop.run('shared_cloud_drive', name='Login', user_type='desktop_standard_user', **credentials)

    requests = emulator.take_requests()
    assert wrong_password['failed']
    assert "login as 'admin@example.com' failed" in wrong_password['msg']
    assert wrong_role['failed']
    assert 'user_type desktop_standard_user' in wrong_role['msg']
    assert paths(requests) == ['/authentication/login', '/authentication/login']


def test_failures_are_clear_write_nothing_half_and_transient_ones_heal(emulator, desktop):
    """A rejected token and an unknown cloud account are reported in words a user can act on; a 500 on the
    listing is retried and an insert is tried again only after looking, making one drive; a dropped connection
    heals; an agent not running, a name too long and an id that is not a UUID fail clearly, bad input with no request."""
    account = emulator.cloud_account_id()
    bad_token = desktop.run('shared_cloud_drive', name='Errors', token='wrong-token-7c1e')
    unknown_account = desktop.run('shared_cloud_drive', name='Errors', cloud_account_id=UNKNOWN_ACCOUNT, storage_name='errors')

    requests = emulator.take_requests()
    assert bad_token['failed']
    assert 'token rejected (expired or invalid)' in bad_token['msg']
    assert bad_token['status'] == 401
    assert unknown_account['failed']
    assert unknown_account['msg'].startswith('POST /sharedclouddrive/insert: HTTP 499 NOT_FOUND: Cloud account not found.; ')
    assert 'cloud_account_id %s: no cloud account of the agent has this id' % UNKNOWN_ACCOUNT in unknown_account['msg']
    assert "it knows 'Demo S3'" in unknown_account['msg']
    assert unknown_account['status'] == 499
    assert unknown_account['error_code'] == 'NOT_FOUND'
    assert emulator.live() == []
    # The agent's refusal answers for the account; only then are the accounts it knows read.
    assert paths(requests) == [LIST, LIST, '/sharedclouddrive/insert', '/cloud/accounts']
    assert statuses(requests) == [401, 200, 499, 200]

    emulator.control('POST', 'faults', [dict(method='GET', path=LIST, action='error', status=500, count=1),
                                        dict(method='POST', path='/sharedclouddrive/insert', action='error', status=500, count=1)])
    through_faults = desktop.run('shared_cloud_drive', name='Errors', cloud_account_id=account, storage_name='errors')

    requests = emulator.take_requests()
    assert through_faults['changed'] and not through_faults['failed']
    assert len(emulator.live()) == 1
    assert [request['method'] for request in requests] == ['GET', 'GET', 'POST', 'GET', 'POST']
    assert statuses(requests) == [500, 200, 500, 200, 200]

    emulator.control('POST', 'faults', dict(method='GET', path=LIST, action='drop', count=1))
    through_drop = desktop.run('shared_cloud_drive', name='Errors', storage_name='errors')
    agent_down = desktop.run('shared_cloud_drive', name='Errors', url='http://127.0.0.1:9')
    long_name = desktop.run('shared_cloud_drive', name='x' * 51, cloud_account_id=account, storage_name='errors')
    bad_id = desktop.run('shared_cloud_drive', id='42', state='absent')

    requests = emulator.take_requests()
    assert not through_drop['changed'] and not through_drop['failed']
    assert agent_down['failed']
    assert 'cannot reach the Amove agent at http://127.0.0.1:9' in agent_down['msg']
    assert long_name['failed']
    assert 'name must be at most 50 characters' in long_name['msg']
    assert bad_id['failed']
    assert 'id must be a UUID' in bad_id['msg']
    assert statuses(requests) == [0, 200]
    assert len(emulator.live()) == 1


@pytest.mark.emulator_settings(older_agent=True)
def test_an_older_agent_without_some_routes_still_decides_each_write(emulator, desktop):
    """An older agent answers GET /cloud/account, /user/package_inquiry and /authentication/user with a bare 404: a
    read that only predicts or explains is skipped with a warning naming the route, the agent decides, and the
    writes (create, a set's update and creates, update, delete) never needed those reads."""
    account = emulator.cloud_account_id()
    older_check = desktop.run('shared_cloud_drive', check=True, name='Older', cloud_account_id=account, storage_name='older')

    requests = emulator.take_requests()
    assert older_check['changed'] and not older_check['failed']
    assert older_check['shared_cloud_drive']['name'] == 'Older'
    assert len(older_check['warnings']) == 1
    assert older_check['warnings'][0].startswith('GET /cloud/account: HTTP 404 (an agent without this route); cloud_account_id %s was not checked'
                                                 % account)
    assert paths(requests) == [LIST, '/cloud/account']
    assert statuses(requests) == [200, 404]
    assert emulator.live() == []

    older_create = desktop.run('shared_cloud_drive', name='Older', cloud_account_id=account, storage_name='older')

    requests = emulator.take_requests()
    assert older_create['changed'] and not older_create['failed']
    assert older_create['warnings'] == []
    assert names(emulator) == ['Older']
    assert older_create['shared_cloud_drive']['id'] == emulator.live()[0]['id']
    assert paths(requests) == [LIST, '/sharedclouddrive/insert']

    older_set = desktop.run('shared_cloud_drive_set', drives=[
        dict(name='Older', cloud_account_id=account, storage_name='older', allow_delete=True),
        dict(name='Older 2', cloud_account_id=account, storage_name='older'),
        dict(name='Older 3', cloud_account_id=account, storage_name='older'),
    ])

    requests = emulator.take_requests()
    assert older_set['changed'] and not older_set['failed']
    assert [drive['action'] for drive in older_set['shared_cloud_drives']] == ['updated', 'created', 'created']
    assert len(older_set['warnings']) == 1
    assert older_set['warnings'][0].startswith('GET /user/package_inquiry: HTTP 404 (an agent without this route); the drive quota was not checked')
    assert names(emulator) == ['Older', 'Older 2', 'Older 3']
    assert live_named(emulator, 'Older')['allowDelete']
    assert paths(requests) == [LIST, '/user/package_inquiry', '/sharedclouddrive/update', '/sharedclouddrive/insert', '/sharedclouddrive/insert']
    assert statuses(requests) == [200, 404, 200, 200, 200]

    older_check_move = desktop.run('shared_cloud_drive', check=True, name='Older 2', cloud_account_id=UNKNOWN_ACCOUNT)
    older_move = desktop.run('shared_cloud_drive', name='Older 2', cloud_account_id=UNKNOWN_ACCOUNT)

    requests = emulator.take_requests()
    assert older_check_move['changed'] and not older_check_move['failed']
    assert len(older_check_move['warnings']) == 1
    assert older_check_move['warnings'][0].startswith('GET /cloud/account: HTTP 404 (an agent without this route); cloud_account_id 3f0c2a9e-')
    assert older_move['failed']
    assert older_move['msg'] == ("PUT /sharedclouddrive/update: HTTP 499 NOT_FOUND: Cloud account not found.; cloud_account_id %s: "
                                 "no cloud account of the agent has this id; it knows 'Demo S3' (id %s)" % (UNKNOWN_ACCOUNT, account))
    assert older_move['status'] == 499
    assert older_move['error_code'] == 'NOT_FOUND'
    assert paths(requests) == [LIST, '/cloud/account', LIST, '/sharedclouddrive/update', '/cloud/accounts']
    assert live_named(emulator, 'Older 2')['cloudAccountId'] == account

    older_update = desktop.run('shared_cloud_drive', name='Older 2', sync_type='mirror')
    older_refused = desktop.run('shared_cloud_drive', name='Older 3', sync_type='mirror', token='', username='alice@example.com',
                                password='alice-password', user_type='desktop_creative_user')

    requests = emulator.take_requests()
    assert older_update['changed'] and not older_update['failed']
    assert older_update['warnings'] == []
    assert live_named(emulator, 'Older 2')['syncType'] == 2
    assert older_refused['failed']
    assert older_refused['msg'].startswith('PUT /sharedclouddrive/update: HTTP 499 ACCESS: ')
    assert ('; the type of the signed-in user could not be read, and changing the account (drives, groups, projects, cloud accounts'
            in older_refused['msg'])
    assert older_refused['status'] == 499
    assert older_refused['error_code'] == 'ACCESS'
    assert older_refused['warnings'] == ['GET /authentication/user: HTTP 404 (an agent without this route); the refusal is reported without the user type']
    assert live_named(emulator, 'Older 3')['syncType'] == 1
    assert paths(requests) == [LIST, '/sharedclouddrive/update', '/authentication/login', LIST, '/sharedclouddrive/update',
                               '/authentication/user', '/authentication/logout']
    assert statuses(requests) == [200, 200, 200, 200, 499, 404, 200]

    older_delete = desktop.run('shared_cloud_drive', name='Older 3', state='absent')

    requests = emulator.take_requests()
    assert older_delete['changed'] and not older_delete['failed']
    assert older_delete['warnings'] == []
    assert names(emulator) == ['Older', 'Older 2']
    assert paths(requests) == [LIST, '/sharedclouddrive/delete']


def test_a_set_resolves_every_name_before_writing_and_a_late_failure_says_what_was_done(emulator, desktop):
    """A set with an unknown user and a group typo writes nothing and names both at once, each name asked once; a
    set whose second insert the agent refuses fails as a change, naming the drive made and the one not reached;
    the same set again finishes what is left."""
    unknown = desktop.run('shared_cloud_drive_set', drives=[
        dict(name='Creative', cloud_account='Demo S3', storage_name='creative-bucket', groups=[dict(name='Editors')]),
        dict(name='Finance', cloud_account='Demo S3', storage_name='finance-bucket', users=[dict(name='ann@example.com')]),
        dict(name='Footage', cloud_account='Demo S3', storage_name='footage-bucket', groups=[dict(name='Editers')]),
    ])

    requests = emulator.take_requests()
    assert unknown['failed'] and not unknown['changed']
    assert "drives[1] (Finance): users: no user is named 'ann@example.com'" in unknown['msg']
    assert "drives[2] (Footage): groups: no user group is named 'Editers'; did you mean 'Editors'?" in unknown['msg']
    assert unknown['msg'].endswith('nothing was changed')
    assert emulator.live() == []
    assert writes(requests) == []
    # Each name asked once: the listing, the quota, the cloud account, Editors, ann (and the
    # whole user list for a close name), Editers (and the whole group list).
    assert len(requests) == 8

    # A fault takes the next matching request: the first insert passes (no delay), the second is refused.
    emulator.control('POST', 'faults', [dict(method='POST', path='/sharedclouddrive/insert', action='delay', seconds=0),
                                        dict(method='POST', path='/sharedclouddrive/insert', action='error', status=499)])
    plain = [dict(name=name, cloud_account='Demo S3', storage_name='%s-bucket' % name.lower()) for name in ('Creative', 'Finance', 'Footage')]
    refused = desktop.run('shared_cloud_drive_set', drives=plain)

    requests = emulator.take_requests()
    creative_id = emulator.live()[0]['id']
    assert refused['failed'] and refused['changed']
    assert 'nothing was changed' not in refused['msg']
    assert refused['msg'].startswith('drives[1] (Finance): POST /sharedclouddrive/insert: HTTP 499')
    assert "done before this failure: created 'Creative' (id %s)" % creative_id in refused['msg']
    assert refused['msg'].endswith("; not reached: 'Footage'")
    assert [drive['action'] for drive in refused['shared_cloud_drives']] == ['created', 'failed', 'not_reached']
    assert refused['shared_cloud_drives'][0]['shared_cloud_drive']['id'] == creative_id
    assert [drive['name'] for drive in emulator.live()] == ['Creative']
    assert statuses(writes(requests)) == [200, 499]

    finished = desktop.run('shared_cloud_drive_set', drives=plain)

    assert finished['changed'] and not finished['failed']
    assert [drive['action'] for drive in finished['shared_cloud_drives']] == ['unchanged', 'created', 'created']
    assert names(emulator) == ['Creative', 'Finance', 'Footage']
