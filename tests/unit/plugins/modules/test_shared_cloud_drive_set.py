# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.modules import shared_cloud_drive_set
from ansible_collections.amove.click.tests.unit.click_fake import (
    CLOUD_ID,
    DELETE,
    INSERT,
    LIST,
    UPDATE,
    BARE_404,
    Expect,
    account_check,
    cloud_accounts,
    lookup,
    page,
    problem,
    quota,
    record,
    run,
    warnings_of,
    writable,
)


def uuid(number):
    return '00000000-0000-4000-8000-%012d' % number


DETAILS = '/sharedclouddrive/get_all_with_details'
USER_PERMS = '/userspermission/users_sharedclouddrive_permision'


def listing(records, total=None, number=1):
    return Expect('GET', LIST, {'page': number, 'pagesize': 100}, answer=page(records, total, number))


def new(name, number):
    return dict(name=name, cloud_account_id=CLOUD_ID, storage_name='bucket-%d' % number)


def inserted(name, number):
    return Expect('POST', INSERT, body={'name': name, 'cloudAccountId': CLOUD_ID, 'storageName': 'bucket-%d' % number},
                  answer=record(id=uuid(number), name=name, storageName='bucket-%d' % number))


def converge(capsys, drives, **args):
    return run(capsys, shared_cloud_drive_set, drives=drives, **args)


ACCOUNT = [record(id=uuid(1), name='Keep'), record(id=uuid(2), name='Change'), record(id=uuid(3), name='Drop'),
           record(id=uuid(4), name='Stray'), record(id=uuid(5), name='Old', deleted=True)]
WANTED = [dict(name='Keep', storage_name='my-shared-bucket'), dict(name='Change', allow_delete=True),
          dict(name='Drop', state='absent'), new('New', 6), dict(name='Old', state='absent')]


def test_one_listing_then_only_the_writes_needed(agent, capsys):
    agent.expect(listing(ACCOUNT), quota(),
                 Expect('PUT', UPDATE, body=writable(id=uuid(2), name='Change', allowDelete=True),
                        answer=record(id=uuid(2), name='Change', allowDelete=True)),
                 Expect('DELETE', DELETE, {'id': uuid(3)}),
                 inserted('New', 6))
    result = converge(capsys, WANTED, diff=True)
    assert result['changed'] is True
    assert [(r['name'], r['action']) for r in result['shared_cloud_drives']] == [
        ('Keep', 'unchanged'), ('Change', 'updated'), ('Drop', 'deleted'), ('New', 'created'), ('Old', 'unchanged')]
    assert result['shared_cloud_drives'][3]['shared_cloud_drive']['id'] == uuid(6)
    assert [d['before_header'] for d in result['diff']] == [
        'shared cloud drive Change', 'shared cloud drive Drop', 'shared cloud drive New']
    assert result['diff'][1]['after'] == {}


def test_check_mode_predicts_everything_reading_only(agent, capsys):
    agent.expect(listing(ACCOUNT), quota(), account_check())
    result = converge(capsys, WANTED, check=True)
    assert [r['action'] for r in result['shared_cloud_drives']] == ['unchanged', 'updated', 'deleted', 'created', 'unchanged']
    assert result['shared_cloud_drives'][1]['shared_cloud_drive']['allow_delete'] is True
    assert [m[0] for m in agent.made] == ['GET'] * 3


def test_a_second_run_is_one_request_and_ok(agent, capsys):
    agent.expect(listing([record(id=uuid(1), name='Keep'), record(id=uuid(6), name='New', storageName='bucket-6')]))
    result = converge(capsys, [dict(name='Keep'), new('New', 6), dict(name='Gone', state='absent')])
    assert result['changed'] is False and len(agent.made) == 1


def test_one_drive_is_one_query_by_name(agent, capsys):
    agent.expect(lookup(records=[record()]))
    assert converge(capsys, [dict(name='Creative', sync_type='mirror')])['changed'] is False


def test_creates_are_the_listing_the_quota_and_the_inserts(agent, capsys):
    agent.expect(listing([]), quota(), inserted('A', 1), inserted('B', 2))
    result = converge(capsys, [new('A', 1), new('B', 2)])
    assert [r['action'] for r in result['shared_cloud_drives']] == ['created', 'created']
    assert 'warnings' not in result


def test_a_create_refused_for_an_unknown_account_keeps_the_agents_answer(agent, capsys):
    other = '00000000-0000-4000-8000-000000000099'
    agent.expect(listing([]), quota(), inserted('A', 1),
                 Expect('POST', INSERT, **problem('NOT_FOUND', 'Cloud account not found.')), cloud_accounts((CLOUD_ID, 'Demo S3')))
    result = converge(capsys, [new('A', 1), dict(name='B', cloud_account_id=other, storage_name='b')])
    assert result['msg'] == ("drives[1] (B): POST /sharedclouddrive/insert: HTTP 499 NOT_FOUND: Cloud account not found.; "
                             "cloud_account_id %s: no cloud account of the agent has this id; it knows 'Demo S3' (id %s); "
                             "done before this failure: created 'A' (id %s)" % (other, CLOUD_ID, uuid(1)))
    assert (result['status'], result['error_code'], result['changed']) == (499, 'NOT_FOUND', True)
    assert [(r['name'], r['action']) for r in result['shared_cloud_drives']] == [('A', 'created'), ('B', 'failed')]


@pytest.mark.parametrize('answer, warning', [
    (BARE_404, 'GET /user/package_inquiry: HTTP 404 (an agent without this route); the drive quota was not checked '
               'before the creates; the agent refuses a create past it'),
    (dict(answer=[1, 2]), 'unexpected answer from GET /user/package_inquiry: not an object (it is a list); the drive quota'),
    (dict(answer={'drives': '5'}), 'unexpected answer from GET /user/package_inquiry: drives is a string, not a count;'),
])
def test_creates_go_on_with_a_warning_when_the_agent_cannot_say_the_quota(agent, capsys, answer, warning):
    agent.expect(listing([]), Expect('GET', '/user/package_inquiry', **answer), inserted('A', 1), inserted('B', 2))
    result = converge(capsys, [new('A', 1), new('B', 2)])
    assert [r['action'] for r in result['shared_cloud_drives']] == ['created', 'created']
    assert len(result['warnings']) == 1 and result['warnings'][0].startswith(warning)


def test_check_mode_goes_on_with_a_warning_for_each_read_the_agent_cannot_serve(agent, capsys):
    agent.expect(listing([]), Expect('GET', '/user/package_inquiry', **BARE_404), Expect('GET', '/cloud/account', **BARE_404))
    result = converge(capsys, [new('A', 1), new('B', 2)], check=True)
    assert [r['action'] for r in result['shared_cloud_drives']] == ['created', 'created']
    assert [warning.split(';')[0] for warning in result['warnings']] == [
        'GET /user/package_inquiry: HTTP 404 (an agent without this route)', 'GET /cloud/account: HTTP 404 (an agent without this route)']
    assert [m[0] for m in agent.made] == ['GET'] * 3


def test_a_quota_the_agent_refuses_to_tell_still_counts(agent, capsys):
    agent.expect(listing([]), Expect('GET', '/user/package_inquiry', **problem('ACCESS', 'Access denied.')))
    result = converge(capsys, [new('A', 1)])
    assert result['msg'].startswith('GET /user/package_inquiry: HTTP 499 ACCESS: Access denied.')
    assert agent.requests('POST') == []


def test_a_large_account_is_queried_by_name_not_listed_whole(agent, capsys):
    first = [record(id=uuid(n), name='d%04d' % n) for n in range(100)]
    agent.expect(listing(first, total=10000), lookup('A'), lookup('B', records=[record(id=uuid(9999), name='B')]),
                 quota(), inserted('A', 7))
    result = converge(capsys, [new('A', 7), dict(name='B')])
    assert [r['action'] for r in result['shared_cloud_drives']] == ['created', 'unchanged']
    assert len(agent.made) == 5


def test_a_mid_sized_account_is_listed_when_that_takes_fewer_requests(agent, capsys):
    names = ['d%03d' % n for n in range(250)]
    records = [record(id=uuid(n), name=name) for n, name in enumerate(names)]
    agent.expect(listing(records[:100], 250), listing(records[100:200], 250, 2), listing(records[200:], 250, 3))
    result = converge(capsys, [dict(name=name) for name in names[:5]])
    assert result['changed'] is False and len(agent.made) == 3


def test_purge_deletes_only_live_drives_that_are_not_listed(agent, capsys):
    agent.expect(listing(ACCOUNT),
                 Expect('DELETE', DELETE, {'id': uuid(3)}),
                 Expect('DELETE', DELETE, {'id': uuid(4)}))
    result = converge(capsys, [dict(name='Keep'), dict(name='Change'), dict(name='Drop', state='absent')], purge=True)
    assert [(r['name'], r['action']) for r in result['shared_cloud_drives']] == [
        ('Keep', 'unchanged'), ('Change', 'unchanged'), ('Drop', 'deleted'), ('Stray', 'purged')]


def test_purge_in_check_mode_deletes_nothing(agent, capsys):
    agent.expect(listing(ACCOUNT))
    result = converge(capsys, [dict(name='Keep')], purge=True, check=True)
    assert sorted(r['name'] for r in result['shared_cloud_drives'] if r['action'] == 'purged') == ['Change', 'Drop', 'Stray']
    assert len(agent.made) == 1


def test_purge_with_an_empty_list_is_refused_unless_allowed(agent, capsys):
    result = converge(capsys, [], purge=True)
    assert result['failed'] is True and 'allow_empty_purge' in result['msg'] and agent.made == []
    agent.expect(listing([record(id=uuid(1), name='Keep')]), Expect('DELETE', DELETE, {'id': uuid(1)}))
    assert converge(capsys, [], purge=True, allow_empty_purge=True)['changed'] is True


def test_a_drive_listed_twice_is_refused_before_any_request(agent, capsys):
    result = converge(capsys, [dict(name='Creative'), dict(name='CREATIVE', state='absent')])
    assert result['msg'] == "drives[1] names the same shared cloud drive as drives[0] (name 'CREATIVE'); list each shared cloud drive once"
    assert agent.made == []


def test_bad_entries_are_named_before_any_request(agent, capsys):
    result = converge(capsys, [dict(name='ok'), dict(name='x' * 51), dict(id='7', state='absent'), dict(state='absent')])
    assert 'drives[1].name must be at most 50 characters' in result['msg']
    assert "drives[2].id must be a UUID" in result['msg']
    assert 'drives[3].name or drives[3].id is required' in result['msg']
    assert agent.made == []


def test_the_first_failure_stops_and_says_which_drive_and_what_was_done(agent, capsys):
    agent.expect(listing([]), quota(), inserted('A', 1),
                 Expect('POST', INSERT, **problem('NOT_FOUND', 'Shared cloud drive not found.')), cloud_accounts((CLOUD_ID, 'Demo S3')))
    result = converge(capsys, [new('A', 1), new('B', 2), new('C', 3)])
    assert result['failed'] is True and result['changed'] is True
    assert result['msg'] == ('drives[1] (B): POST /sharedclouddrive/insert: HTTP 499 NOT_FOUND: Shared cloud drive not found.; '
                             "done before this failure: created 'A' (id %s); not reached: 'C'" % uuid(1))
    assert 'nothing was changed' not in result['msg']
    assert (result['status'], result['error_code']) == (499, 'NOT_FOUND')
    assert [(r['name'], r['action'], r['changed']) for r in result['shared_cloud_drives']] == [
        ('A', 'created', True), ('B', 'failed', False), ('C', 'not_reached', False)]


def test_a_failure_before_any_write_is_not_a_change(agent, capsys):
    agent.expect(listing([]), quota(),
                 Expect('POST', INSERT, **problem('NOT_FOUND', 'Cloud account not found.')), cloud_accounts((CLOUD_ID, 'Demo S3')))
    result = converge(capsys, [new('A', 1), new('B', 2)])
    assert result['failed'] is True and result.get('changed', False) is False
    assert [r['action'] for r in result['shared_cloud_drives']] == ['failed', 'not_reached']


def test_a_purge_that_fails_after_writes_says_what_was_done(agent, capsys):
    agent.expect(listing([record(id=uuid(1), name='Stray')]), quota(), inserted('A', 2),
                 Expect('DELETE', DELETE, {'id': uuid(1)}, **problem('ACCESS', 'Access denied.')),
                 Expect('GET', '/authentication/user', answer={'username': 'admin@example.com', 'userType': 1}))
    result = converge(capsys, [new('A', 2)], purge=True)
    assert result['failed'] is True and result['changed'] is True
    assert result['msg'].startswith("purging 'Stray' (id %s): DELETE" % uuid(1))
    assert "done before this failure: created 'A' (id %s)" % uuid(2) in result['msg']
    assert [r['action'] for r in result['shared_cloud_drives']] == ['created', 'failed']


def test_every_unknown_name_is_found_before_the_first_write(agent, capsys):
    users = Expect('GET', '/user/get_all_users', {'username': 'ann@example.com'}, answer=page([]))
    all_users = Expect('GET', '/user/get_all_users', answer=page([{'id': 'u-a', 'username': 'alice@example.com'}]))
    groups = Expect('GET', '/usergroup/get_all', {'name': 'Editors'}, answer=page([{'id': 'g-e', 'name': 'Editors'}]))
    accounts = Expect('GET', '/cloud/accounts', answer=[{'id': CLOUD_ID, 'name': 'Demo S3'}])
    # The cloud accounts are one bare listing: read once for both names.
    agent.expect(Expect('GET', DETAILS, {'page': 1}, answer=page([])), quota(), accounts, groups, users, all_users)
    wanted = [dict(name='A', cloud_account='Demo S3', storage_name='a', groups=[{'name': 'Editors'}]),
              dict(name='B', cloud_account='Demo S3', storage_name='b', users=[{'name': 'ann@example.com'}]),
              dict(name='C', cloud_account='Nope S3', storage_name='c', groups=[{'name': 'Editors'}]),
              dict(name='D', storage_name='d', cloud_account_id=None)]
    result = converge(capsys, wanted)
    assert result['failed'] is True and result.get('changed', False) is False
    assert result['msg'] == ("drives[1] (B): users: no user is named 'ann@example.com'; did you mean 'alice@example.com'? "
                             "(names are matched exactly, letter case too); "
                             "drives[2] (C): cloud_account: no cloud account is named 'Nope S3'; the agent knows 'Demo S3'; "
                             "drives[3] (D): shared cloud drive 'D' does not exist; to create it, also set "
                             'cloud_account (or cloud_account_id); nothing was changed')
    assert [m for m in agent.made if m[0] != 'GET'] == []


def test_a_name_wanted_by_several_drives_is_resolved_once(agent, capsys):
    users = Expect('GET', '/user/get_all_users', {'username': 'alice@example.com'},
                   answer=page([{'id': 'u-a', 'username': 'alice@example.com'}]))
    agent.expect(Expect('GET', DETAILS, {'page': 1}, answer=page([])), quota(), users,
                 Expect('POST', INSERT, answer=record(id=uuid(1), name='A')),
                 Expect('POST', USER_PERMS, body=[{'userId': 'u-a', 'sharedCloudDriveId': uuid(1), 'permissionType': 1}]),
                 Expect('POST', INSERT, answer=record(id=uuid(2), name='B')),
                 Expect('POST', USER_PERMS, body=[{'userId': 'u-a', 'sharedCloudDriveId': uuid(2), 'permissionType': 1}]))
    wanted = [dict(new(name, 1), users=[{'name': 'alice@example.com'}]) for name in ('A', 'B')]
    assert [r['action'] for r in converge(capsys, wanted)['shared_cloud_drives']] == ['created', 'created']


def test_absent_entries_refuse_a_case_only_variant(agent, capsys):
    agent.expect(listing(ACCOUNT))
    result = converge(capsys, [dict(name='Keep'), dict(name='keep2', state='absent'), dict(name='drop', state='absent')])
    assert result['failed'] is True and result['msg'].startswith(
        "drives[2] (drop): a shared cloud drive named 'Drop' (id %s) already exists" % uuid(3))
    assert warnings_of(result) == ["no live shared cloud drive is named 'keep2', so none was deleted; did you mean 'Keep'? "
                                   '(names are matched exactly)']


def test_absent_entries_warn_of_near_names_at_no_cost(agent, capsys):
    agent.expect(listing(ACCOUNT))
    result = converge(capsys, [dict(name='Keep'), dict(name='Chnage', state='absent')])
    assert result['changed'] is False and [r['action'] for r in result['shared_cloud_drives']] == ['unchanged', 'unchanged']
    assert warnings_of(result) == ["no live shared cloud drive is named 'Chnage', so none was deleted; did you mean 'Change'? "
                                   '(names are matched exactly)']


def test_a_cloud_account_name_is_resolved_once_for_all_drives(agent, capsys):
    accounts = Expect('GET', '/cloud/accounts', answer=[{'id': CLOUD_ID, 'name': 'Demo S3'}])
    wanted = [dict(name=n, cloud_account='Demo S3', storage_name='b') for n in ('A', 'B')]
    agent.expect(listing([]), quota(), accounts,
                 Expect('POST', INSERT, body={'name': 'A', 'cloudAccountId': CLOUD_ID, 'storageName': 'b'},
                        answer=record(id=uuid(1), name='A')),
                 Expect('POST', INSERT, body={'name': 'B', 'cloudAccountId': CLOUD_ID, 'storageName': 'b'},
                        answer=record(id=uuid(2), name='B')))
    assert converge(capsys, wanted)['changed'] is True
