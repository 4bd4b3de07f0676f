# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import urllib.error

import pytest

from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import DRIVES
from ansible_collections.amove.click.plugins.modules import shared_cloud_drive, shared_cloud_drive_info
from ansible_collections.amove.click.tests.unit.click_fake import (
    BASE_URL,
    CLOUD_ID,
    CREATE_ARGS,
    CREATE_BODY,
    DELETE,
    DRIVE_ID,
    INSERT,
    LIST,
    NEW_CLOUD_ID,
    OTHER_ID,
    UPDATE,
    BARE_404,
    Expect,
    account_check,
    cloud_accounts,
    first_page,
    lookup,
    page,
    problem,
    record,
    run,
    warnings_of,
    writable,
)


def drive(capsys, check=False, diff=False, **args):
    return run(capsys, shared_cloud_drive, check, diff, **args)


# ---- present: create --------------------------------------------------------

def test_create_makes_two_requests_the_lookup_and_the_insert(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, answer=record()))
    result = drive(capsys, diff=True, **CREATE_ARGS)
    assert result['changed'] is True
    assert result['shared_cloud_drive']['id'] == DRIVE_ID
    assert result['shared_cloud_drive']['sync_type'] == 'mirror'
    assert result['shared_cloud_drive']['drive_type'] == 'virtual_drive'
    assert result['shared_cloud_drive']['cloud_account'] == 'Demo S3'
    assert result['diff']['before'] == {}
    assert result['diff']['after']['name'] == 'Creative'
    assert [made[:2] for made in agent.made] == [('GET', LIST), ('POST', INSERT)]
    assert 'warnings' not in result


def test_create_in_check_mode_predicts_and_writes_nothing(agent, capsys):
    agent.expect(lookup(), account_check())
    result = drive(capsys, check=True, diff=True, **CREATE_ARGS)
    assert result['changed'] is True
    predicted = result['shared_cloud_drive']
    # Only what the task sets: no invented id: null, allow_delete: null, ...
    assert predicted == {'name': 'Creative', 'cloud_account_id': CLOUD_ID, 'storage_name': 'my-shared-bucket',
                         'prefix': 'projects/creative/', 'sync_type': 'mirror'}
    assert result['diff'] == {'before': {}, 'after': predicted}
    # Where no insert is sent, the cloud account is read instead: 2 requests, as for the real create.
    assert [made[:2] for made in agent.made] == [('GET', LIST), ('GET', '/cloud/account')]
    assert 'warnings' not in result


@pytest.mark.parametrize('answer, warning', [
    (BARE_404, 'GET /cloud/account: HTTP 404 (an agent without this route); cloud_account_id %s was not checked, '
               'so check mode cannot tell whether the agent would accept it' % CLOUD_ID),
    (dict(answer='ok'), 'unexpected answer from GET /cloud/account: not an object (it is a string); cloud_account_id %s '
                        'was not checked' % CLOUD_ID),
    (dict(answer={'id': NEW_CLOUD_ID, 'name': 'Other'}),
     'unexpected answer from GET /cloud/account: a cloud account of another id; cloud_account_id %s was not checked' % CLOUD_ID),
])
def test_check_mode_goes_on_with_a_warning_when_the_agent_cannot_say_whether_the_account_exists(agent, capsys, answer, warning):
    agent.expect(lookup(), Expect('GET', '/cloud/account', {'id': CLOUD_ID}, **answer))
    result = drive(capsys, check=True, **CREATE_ARGS)
    assert 'failed' not in result and result['changed'] is True
    assert len(result['warnings']) == 1 and result['warnings'][0].startswith(warning)
    assert agent.requests('POST') == []


def test_check_mode_fails_on_what_the_agent_answers_about_the_account(agent, capsys):
    agent.expect(lookup(), Expect('GET', '/cloud/account', {'id': CLOUD_ID}, **problem('DEFAULT', 'The id is not valid.')))
    result = drive(capsys, check=True, **CREATE_ARGS)
    assert result['msg'] == 'GET /cloud/account: HTTP 499 DEFAULT: The id is not valid.'
    assert (result['status'], result['error_code']) == (499, 'DEFAULT')


def test_create_with_cloud_account_by_name_resolves_it(agent, capsys):
    args = dict(CREATE_ARGS, cloud_account='Demo S3')
    del args['cloud_account_id']
    agent.expect(lookup(),
                 Expect('GET', '/cloud/accounts', answer=[{'id': CLOUD_ID, 'name': 'Demo S3'}, {'id': NEW_CLOUD_ID, 'name': 'Demo'}]),
                 Expect('POST', INSERT, body=CREATE_BODY, answer=record()))
    assert drive(capsys, **args)['changed'] is True


@pytest.mark.parametrize('missing, message', [
    ('storage_name', "shared cloud drive 'Creative' does not exist; to create it, also set storage_name"),
    ('cloud_account_id', 'also set cloud_account (or cloud_account_id)'),
])
def test_create_without_what_it_needs_fails_after_looking_and_writes_nothing(agent, capsys, missing, message):
    args = dict(CREATE_ARGS)
    del args[missing]
    agent.expect(lookup())
    result = drive(capsys, **args)
    assert result['failed'] is True
    assert message in result['msg']


def test_a_lost_insert_answer_is_not_repeated_when_the_drive_exists(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, status=500), lookup(records=[record()]))
    result = drive(capsys, **CREATE_ARGS)
    assert result['changed'] is True and result['shared_cloud_drive']['id'] == DRIVE_ID
    assert len(agent.requests('POST')) == 1


def test_a_failed_insert_is_tried_again_only_after_looking(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, status=503), lookup(),
                 Expect('POST', INSERT, body=CREATE_BODY, answer=record()))
    assert drive(capsys, **CREATE_ARGS)['changed'] is True


def test_a_drive_created_meanwhile_by_another_host_is_adopted(agent, capsys):
    agent.expect(lookup(),
                 Expect('POST', INSERT, body=CREATE_BODY, **problem('DUPLICATE', 'A resource with the same name already exists.')),
                 lookup(records=[record()]))
    result = drive(capsys, **CREATE_ARGS)
    assert result['changed'] is True and result['shared_cloud_drive']['id'] == DRIVE_ID


def test_an_insert_that_answers_nothing_is_read_back(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY), lookup(records=[record()]))
    assert drive(capsys, **CREATE_ARGS)['shared_cloud_drive']['id'] == DRIVE_ID


NOT_FOUND = problem('NOT_FOUND', 'Cloud account not found.')
REFUSED = 'POST /sharedclouddrive/insert: HTTP 499 NOT_FOUND: Cloud account not found.'


def test_an_insert_refused_for_an_unknown_account_keeps_the_agents_answer_and_names_the_accounts_it_knows(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, **NOT_FOUND), cloud_accounts((OTHER_ID, 'Wasabi')))
    result = drive(capsys, **CREATE_ARGS)
    assert result['msg'] == ("%s; cloud_account_id %s: no cloud account of the agent has this id; it knows 'Wasabi' (id %s)"
                             % (REFUSED, CLOUD_ID, OTHER_ID))
    assert (result['status'], result['error_code']) == (499, 'NOT_FOUND')
    assert 'warnings' not in result


def test_an_insert_refused_as_not_found_for_another_reason_is_reported_as_the_agent_said(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, **NOT_FOUND), cloud_accounts((CLOUD_ID.upper(), 'Demo S3')))
    result = drive(capsys, **CREATE_ARGS)
    assert result['msg'] == REFUSED
    assert (result['status'], result['error_code']) == (499, 'NOT_FOUND')


@pytest.mark.parametrize('accounts, warning', [
    (BARE_404, 'GET /cloud/accounts: HTTP 404 (an agent without this route); the cloud accounts the agent knows are not named'),
    (dict(answer={'rows': []}), 'unexpected answer from GET /cloud/accounts: not a list (it is null); the cloud accounts'),
])
def test_an_insert_refused_keeps_the_agents_answer_when_the_accounts_cannot_be_listed(agent, capsys, accounts, warning):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, **NOT_FOUND), Expect('GET', '/cloud/accounts', **accounts))
    result = drive(capsys, **CREATE_ARGS)
    assert result['msg'] == REFUSED
    assert (result['status'], result['error_code']) == (499, 'NOT_FOUND')
    assert len(result['warnings']) == 1 and result['warnings'][0].startswith(warning)


def test_an_insert_refused_for_another_reason_reads_nothing_more(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, **problem('DEFAULT', "'storageName' is required.")))
    result = drive(capsys, **CREATE_ARGS)
    assert result['msg'] == "POST /sharedclouddrive/insert: HTTP 499 DEFAULT: 'storageName' is required."
    assert (result['status'], result['error_code']) == (499, 'DEFAULT')
    assert len(agent.made) == 2


# ---- present: unchanged and update ------------------------------------------

def test_unchanged_drive_costs_one_request(agent, capsys):
    agent.expect(lookup(records=[record(name='Creative Team', id=OTHER_ID), record()]))
    result = drive(capsys, diff=True, **CREATE_ARGS)
    assert result['changed'] is False
    assert result['shared_cloud_drive']['id'] == DRIVE_ID
    assert result['diff']['before'] == result['diff']['after']
    assert len(agent.made) == 1


def test_unchanged_drive_with_cloud_account_by_name_costs_one_request(agent, capsys):
    args = dict(CREATE_ARGS, cloud_account='Demo S3')
    del args['cloud_account_id']
    agent.expect(lookup(records=[record()]))
    assert drive(capsys, **args)['changed'] is False


def test_options_left_out_are_not_compared(agent, capsys):
    agent.expect(lookup(records=[record(allowDelete=True, objectsPerFolder=5)]))
    assert drive(capsys, name='Creative')['changed'] is False


def test_update_puts_the_whole_drive_with_only_the_wanted_change(agent, capsys):
    agent.expect(lookup(records=[record()]),
                 Expect('PUT', UPDATE, body=writable(allowDelete=True), answer=record(allowDelete=True)))
    result = drive(capsys, diff=True, name='Creative', allow_delete=True)
    assert result['changed'] is True
    assert result['diff']['before']['allow_delete'] is False
    assert result['diff']['after']['allow_delete'] is True
    assert result['shared_cloud_drive']['allow_delete'] is True


def test_update_in_check_mode_predicts_and_writes_nothing(agent, capsys):
    agent.expect(lookup(records=[record()]))
    result = drive(capsys, check=True, diff=True, name='Creative', sync_type='stream', objects_per_folder=500)
    assert result['changed'] is True
    assert result['diff']['before']['sync_type'] == 'mirror'
    assert result['shared_cloud_drive']['sync_type'] == 'stream'
    assert result['shared_cloud_drive']['objects_per_folder'] == 500
    assert result['shared_cloud_drive']['id'] == DRIVE_ID
    assert len(agent.made) == 1


def test_changing_the_cloud_account_by_name_resolves_it_and_drops_the_stale_embed(agent, capsys):
    agent.expect(lookup(records=[record()]),
                 Expect('GET', '/cloud/accounts', answer=[{'id': NEW_CLOUD_ID, 'name': 'Wasabi'}]),
                 Expect('PUT', UPDATE, body=writable(cloudAccountId=NEW_CLOUD_ID),
                        answer=record(cloudAccountId=NEW_CLOUD_ID, cloudAccount={'id': NEW_CLOUD_ID, 'name': 'Wasabi'})))
    result = drive(capsys, name='Creative', cloud_account='Wasabi')
    assert result['shared_cloud_drive']['cloud_account'] == 'Wasabi'


def test_moving_to_another_cloud_account_id_is_the_lookup_and_the_update(agent, capsys):
    agent.expect(lookup(records=[record()]),
                 Expect('PUT', UPDATE, body=writable(cloudAccountId=NEW_CLOUD_ID), answer=record(cloudAccountId=NEW_CLOUD_ID)))
    assert drive(capsys, name='Creative', cloud_account_id=NEW_CLOUD_ID)['shared_cloud_drive']['cloud_account_id'] == NEW_CLOUD_ID
    assert len(agent.made) == 2


def test_moving_to_another_cloud_account_id_in_check_mode_reads_that_account(agent, capsys):
    agent.expect(lookup(records=[record()]), account_check(NEW_CLOUD_ID, 'Wasabi'))
    result = drive(capsys, check=True, name='Creative', cloud_account_id=NEW_CLOUD_ID)
    assert result['changed'] is True and 'cloud_account' not in result['shared_cloud_drive']


def test_uuid_case_does_not_count_as_a_change(agent, capsys):
    agent.expect(lookup(records=[record()]))
    assert drive(capsys, name='Creative', cloud_account_id=CLOUD_ID.upper())['changed'] is False


def test_rename_by_id(agent, capsys):
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([record(id=OTHER_ID, name='Other'), record()])),
                 Expect('PUT', UPDATE, body=writable(name='Creative Team'), answer=record(name='Creative Team')))
    result = drive(capsys, id=DRIVE_ID, name='Creative Team')
    assert result['changed'] is True and result['shared_cloud_drive']['name'] == 'Creative Team'


def test_rename_onto_a_taken_name_names_the_drive_that_holds_it_with_one_read(agent, capsys):
    agent.expect(Expect('GET', LIST, answer=page([record()])),
                 Expect('PUT', UPDATE, **problem('DUPLICATE', 'A resource with the same name already exists.')),
                 lookup('Other', records=[record(id=OTHER_ID, name='Other')]))
    result = drive(capsys, id=DRIVE_ID, name='Other')
    assert result['msg'] == ('PUT /sharedclouddrive/update: HTTP 499 DUPLICATE: A resource with the same name already exists.; '
                             "the name 'Other' is taken by shared cloud drive 'Other' (id %s): rename or delete that "
                             'shared cloud drive first, or choose another name' % OTHER_ID)
    assert result['error_code'] == 'DUPLICATE' and len(agent.made) == 3


def test_rename_refused_with_no_holder_in_sight_says_the_agent_decides(agent, capsys):
    agent.expect(Expect('GET', LIST, answer=page([record()])),
                 Expect('PUT', UPDATE, **problem('DUPLICATE', 'A resource with the same name already exists.')),
                 lookup('Other', records=[record(id=OTHER_ID, name='Other drive')]))
    result = drive(capsys, id=DRIVE_ID, name='Other')
    assert "no other live shared cloud drive is named 'Other', nor a name equal ignoring case" in result['msg']


def test_an_unknown_id_fails_and_writes_nothing(agent, capsys):
    agent.expect(Expect('GET', LIST, answer=page([record(id=OTHER_ID)])))
    result = drive(capsys, id=DRIVE_ID, name='Creative')
    assert result['failed'] is True and 'no live shared cloud drive has id %s' % DRIVE_ID in result['msg']


def test_a_lost_update_answer_is_checked_before_writing_again(agent, capsys):
    agent.expect(lookup(records=[record()]),
                 Expect('PUT', UPDATE, body=writable(active=False), error=ConnectionResetError(104, 'reset')),
                 Expect('GET', LIST, answer=page([record(active=False)])))
    result = drive(capsys, name='Creative', active=False)
    assert result['changed'] is True and result['shared_cloud_drive']['active'] is False
    assert len(agent.requests('PUT')) == 1


# ---- lookups that must not pick the wrong drive -----------------------------

def test_two_live_drives_with_the_name_fail_listing_ids(agent, capsys):
    agent.expect(lookup(records=[record(), record(id=OTHER_ID)]))
    result = drive(capsys, **CREATE_ARGS)
    assert result['failed'] is True
    assert DRIVE_ID in result['msg'] and OTHER_ID in result['msg'] and 'select one with id' in result['msg']


def test_names_that_contain_the_name_are_never_touched(agent, capsys):
    agent.expect(lookup(records=[record(name='Creative Team'), record(name='My Creative', id=OTHER_ID)]),
                 Expect('POST', INSERT, body=CREATE_BODY, answer=record(id='8f3e1b20-9c3d-4f90-9c77-5e4f3a2b6d43')))
    result = drive(capsys, **CREATE_ARGS)
    assert result['changed'] is True and agent.requests('PUT') == []


def test_a_soft_deleted_twin_is_ignored(agent, capsys):
    agent.expect(lookup(records=[record(deleted=True)]), Expect('POST', INSERT, body=CREATE_BODY, answer=record()))
    assert drive(capsys, **CREATE_ARGS)['changed'] is True


def test_a_name_taken_in_another_case_fails_before_writing(agent, capsys):
    agent.expect(lookup(records=[record(name='CREATIVE')]))
    result = drive(capsys, **CREATE_ARGS)
    assert "named 'CREATIVE'" in result['msg'] and 'differ only in letter case' in result['msg']


# ---- absent -----------------------------------------------------------------

def test_delete(agent, capsys):
    agent.expect(first_page(records=[record()]), Expect('DELETE', DELETE, {'id': DRIVE_ID}))
    result = drive(capsys, diff=True, name='Creative', state='absent')
    assert result['changed'] is True and result['shared_cloud_drive'] == {}
    assert result['diff'] == {'before': shared_cloud_drive_view(), 'after': {}}


def shared_cloud_drive_view():
    return DRIVES.to_options(record())


def test_delete_in_check_mode_writes_nothing(agent, capsys):
    agent.expect(first_page(records=[record()]))
    assert drive(capsys, check=True, name='Creative', state='absent')['changed'] is True


def test_delete_of_an_absent_drive_is_ok(agent, capsys):
    agent.expect(first_page([record(name='Creative Team Archive'), record(id=OTHER_ID, name='Footage')]))
    result = drive(capsys, name='Creative', state='absent')
    assert result['changed'] is False and 'failed' not in result and 'warnings' not in result


def test_delete_of_a_near_name_is_ok_and_warns_naming_the_near_drives(agent, capsys):
    agent.expect(first_page([record(), record(id=OTHER_ID, name='Footage')]))
    result = drive(capsys, name='Creatve', state='absent')
    assert result['changed'] is False and result['shared_cloud_drive'] == {}
    assert warnings_of(result) == ["no live shared cloud drive is named 'Creatve', so none was deleted; did you mean 'Creative'? "
                                   '(names are matched exactly)']
    assert len(agent.made) == 1


def test_delete_in_a_large_account_asks_by_name_and_compares_near_names_with_the_first_page(agent, capsys):
    agent.expect(first_page([record(id=OTHER_ID, name='Creatives')], total=500), lookup('Creative', [record(name='Creative Team')]))
    result = drive(capsys, name='Creative', state='absent')
    assert result['changed'] is False
    assert warnings_of(result) == ["no live shared cloud drive is named 'Creative', so none was deleted; did you mean 'Creatives'? "
                                   '(names are matched exactly)']


def test_delete_of_a_name_differing_only_in_case_fails_with_the_drives_id(agent, capsys):
    agent.expect(first_page([record()]))
    result = drive(capsys, name='creative', state='absent')
    assert result['failed'] is True and result['msg'] == (
        "a shared cloud drive named 'Creative' (id %s) already exists, and this collection takes names that differ "
        'only in letter case for the same name; use that exact name, or select it by id' % DRIVE_ID)
    assert [m[0] for m in agent.made] == ['GET']


def test_delete_of_a_drive_deleted_meanwhile_is_ok(agent, capsys):
    agent.expect(first_page(records=[record()]), Expect('DELETE', DELETE, **problem('NOT_FOUND', 'Object not found.')),
                 Expect('GET', LIST, answer=page([record(deleted=True)])))
    result = drive(capsys, name='Creative', state='absent')
    assert 'failed' not in result and result['changed'] is True


def test_a_lost_delete_answer_is_checked_before_deleting_again(agent, capsys):
    agent.expect(first_page(records=[record()]), Expect('DELETE', DELETE, status=502),
                 Expect('GET', LIST, answer=page([record(deleted=True)])))
    assert drive(capsys, name='Creative', state='absent')['changed'] is True
    assert len(agent.requests('DELETE')) == 1


def test_delete_refuses_to_guess_between_twins(agent, capsys):
    agent.expect(first_page(records=[record(), record(id=OTHER_ID)]))
    assert drive(capsys, name='Creative', state='absent')['failed'] is True


# ---- bad input: refused before any request ----------------------------------

@pytest.mark.parametrize('args, fragment', [
    (dict(name=''), 'name must not be empty'),
    (dict(name='x' * 51), 'name must be at most 50 characters'),
    (dict(id='42', name='A'), 'id must be a UUID'),
    (dict(name='A', cloud_account_id='demo'), 'cloud_account_id must be a UUID'),
    (dict(name='A', objects_per_folder=0), 'objects_per_folder must be at least 1'),
    (dict(name='A', storage_name=' '), 'storage_name must not be empty'),
    (dict(state='present'), 'one of the following is required: name, id'),
    (dict(name='A', token=None), 'no credentials'),
    (dict(name='A', url='localhost'), "url must be the agent's base URL"),
    (dict(name='A', sync_type='fast'), 'value of sync_type must be one of'),
])
def test_bad_input_fails_before_any_request(agent, capsys, args, fragment):
    result = drive(capsys, **args)
    assert result['failed'] is True and fragment in result['msg']
    assert agent.made == []


# ---- credentials and secrets ------------------------------------------------

def test_credentials_log_out_even_when_the_task_fails(agent, capsys):
    jwt = 'jwt.session.abc'
    agent.expect(Expect('POST', '/authentication/login', token=None, answer={'jwtToken': jwt, 'challenge': 0, 'session': ''}),
                 Expect('GET', LIST, token=jwt, answer=page([record(), record(id=OTHER_ID)])),
                 Expect('POST', '/authentication/logout', token=None, body={'jwtToken': jwt}))
    result = drive(capsys, name='Creative', token=None, username='admin@example.com', password='s3cret-pw')
    assert result['failed'] is True
    assert 's3cret-pw' not in json.dumps(result) and jwt not in json.dumps(result)


def test_token_is_not_in_the_error_of_an_unreachable_agent(agent, capsys):
    refused = urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused'))
    agent.expect(*[Expect('GET', LIST, error=refused) for attempt in range(4)])
    result = drive(capsys, name='Creative')
    assert 'cannot reach the Amove agent at %s' % BASE_URL in result['msg']


# ---- info -------------------------------------------------------------------

def info(capsys, **args):
    return run(capsys, shared_cloud_drive_info, **args)


def test_info_by_exact_name_returns_a_list(agent, capsys):
    agent.expect(lookup(records=[record(), record(name='Creative Team', id=OTHER_ID)]))
    result = info(capsys, name='Creative')
    assert result['changed'] is False
    assert [d['id'] for d in result['shared_cloud_drives']] == [DRIVE_ID]


def test_info_with_no_match_returns_an_empty_list(agent, capsys):
    # Nothing named like it: the whole listing is read for near names, and none is near.
    agent.expect(lookup(name='Nope'), first_page([record()]))
    result = info(capsys, name='Nope')
    assert result['shared_cloud_drives'] == [] and not warnings_of(result)


@pytest.mark.parametrize('asked, listed, near', [
    ('creative', [record()], "did you mean 'Creative'?"),   # the filter gives it: no second read
    ('Creatve', [], "did you mean 'Creative'?"),             # a typo: the whole listing is read
])
def test_info_by_a_case_only_or_near_name_returns_nothing_and_warns(agent, capsys, asked, listed, near):
    agent.expect(lookup(name=asked, records=listed), *([] if listed else [first_page([record()])]))
    result = info(capsys, name=asked)
    assert result['shared_cloud_drives'] == []
    assert warnings_of(result) == ["no live shared cloud drive is named %r; %s (names are matched exactly, letter case too)"
                                   % (asked, near)]


def test_info_all_reads_every_page_and_skips_deleted(agent, capsys):
    first = [record(id='00000000-0000-4000-8000-%012d' % i, name='d%03d' % i) for i in range(100)]
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page(first, 102)),
                 Expect('GET', LIST, {'page': 2}, answer=page([record(), record(id=OTHER_ID, deleted=True)], 102, 2)))
    assert len(info(capsys)['shared_cloud_drives']) == 101


def test_info_by_id(agent, capsys):
    agent.expect(Expect('GET', LIST, answer=page([record(id=OTHER_ID), record()])))
    assert [d['name'] for d in info(capsys, id=DRIVE_ID)['shared_cloud_drives']] == ['Creative']


def test_info_details_say_who_gets_the_drive(agent, capsys):
    detailed = record(
        usersData=[{'user': {'username': 'joann@example.com'}, 'permission': {'id': 'p1', 'permissionType': 2}},
                   {'user': {'username': 'ann@example.com'}, 'permission': {'id': 'p2', 'permissionType': 1}}],
        groupsData=[{'userGroup': {'name': 'Editors'}, 'permission': {'id': 'p3', 'permissionType': 2}}],
        projectsData=[{'project': {'name': 'Launch'}, 'projectSharedCloudDrive': {'id': 'j1'}}])
    agent.expect(Expect('GET', '/sharedclouddrive/get_all_with_details', {'name': 'Creative'}, answer=page([detailed])))
    found = info(capsys, name='Creative', details=True)['shared_cloud_drives'][0]
    assert found['users'] == [{'name': 'ann@example.com', 'permission': 'read'},
                              {'name': 'joann@example.com', 'permission': 'read_write'}]
    assert found['groups'] == [{'name': 'Editors', 'permission': 'read_write'}]
    assert found['projects'] == ['Launch']


def test_info_rejects_a_bad_id_before_any_request(agent, capsys):
    result = info(capsys, id='not-a-uuid')
    assert result['failed'] is True and 'id must be a UUID' in result['msg']


def test_a_record_of_the_info_module_goes_back_in_unchanged(agent, capsys):
    """An _info record, read-only facts and both forms of its cloud account included, changes nothing."""
    agent.expect(first_page([record()]))  # its id selects it
    found = DRIVES.to_options(record())
    assert found['account_id'] and found['cloud_account'] == 'Demo S3' and found['cloud_account_id'] == CLOUD_ID
    result = drive(capsys, **found)
    assert result['changed'] is False and len(agent.made) == 1


def test_a_cloud_account_and_an_id_that_disagree_are_refused_before_any_write(agent, capsys):
    agent.expect(lookup(records=[record()]), cloud_accounts((NEW_CLOUD_ID, 'Other S3')))
    result = drive(capsys, name='Creative', cloud_account='Other S3', cloud_account_id=CLOUD_ID)
    assert result['failed'] is True
    assert result['msg'] == ("cloud_account 'Other S3' is the cloud account with id %s, and cloud_account_id is %s: "
                             "give one of them" % (NEW_CLOUD_ID, CLOUD_ID))
    assert agent.requests('PUT') == []
