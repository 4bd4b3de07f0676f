# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A misbehaving agent: late and lost writes, answers of the wrong shape, hostile input, other name rules."""

from __future__ import annotations

import json
import urllib.error

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.amove.click.plugins.module_utils import _converge
from ansible_collections.amove.click.plugins.modules import shared_cloud_drive, shared_cloud_drive_set
from ansible_collections.amove.click.tests.unit.click_fake import (
    CLOUD_ID,
    CREATE_ARGS,
    CREATE_BODY,
    DELETE,
    DRIVE_ID,
    INSERT,
    LIST,
    OTHER_ID,
    UPDATE,
    Expect,
    first_page,
    lookup,
    page,
    problem,
    quota,
    record,
    run,
    writable,
)

DUPLICATE = problem('DUPLICATE', 'A resource with the same name already exists.')
NOT_FOUND = problem('NOT_FOUND', 'Shared cloud drive not found.')
GLOBAL_NOT_FOUND = problem('Global', 'Object not found.')
USER_PERMS = '/userspermission/users_sharedclouddrive_permision'
DETAILS = '/sharedclouddrive/get_all_with_details'
JWT = 'jwt.session.reliability'
PASSWORD = 'reliability-pw-9'


def drive(capsys, check=False, **args):
    return run(capsys, shared_cloud_drive, check, **args)


def drive_set(capsys, drives, check=False, **args):
    return run(capsys, shared_cloud_drive_set, check, drives=drives, **args)


def by_id(*records):
    """The full listing a look by id makes."""
    return Expect('GET', LIST, {'page': 1}, answer=page(list(records)))


def timeout():
    return dict(error=TimeoutError('timed out'))


# ---- a write whose answer is lost, landing late --------------------------------

def test_an_insert_that_lands_after_the_look_and_before_the_retry_is_adopted(agent, capsys):
    # The first insert times out; the look finds nothing yet; the insert then
    # lands, so the second insert is a DUPLICATE: look again, and adopt it.
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, **timeout()), lookup(),
                 Expect('POST', INSERT, body=CREATE_BODY, **DUPLICATE), lookup(records=[record()]))
    result = drive(capsys, **CREATE_ARGS)
    assert 'failed' not in result, result
    assert result['changed'] is True and result['shared_cloud_drive']['id'] == DRIVE_ID


def test_an_insert_that_lands_after_the_retry_leaves_one_drive(agent, capsys):
    # The retry answered; the late first insert meets a DUPLICATE at the agent.
    agent.expect(lookup(), Expect('POST', INSERT, body=CREATE_BODY, status=500), lookup(),
                 Expect('POST', INSERT, body=CREATE_BODY, answer=record()))
    result = drive(capsys, **CREATE_ARGS)
    assert result['changed'] is True and result['shared_cloud_drive']['id'] == DRIVE_ID
    assert len(agent.requests('POST')) == 2


def test_a_delete_that_lands_before_the_retry_is_verified_not_failed(agent, capsys):
    agent.expect(first_page(records=[record()]), Expect('DELETE', DELETE, {'id': DRIVE_ID}, **timeout()),
                 by_id(record()), Expect('DELETE', DELETE, {'id': DRIVE_ID}, **NOT_FOUND), by_id(record(deleted=True)))
    result = drive(capsys, name='Creative', state='absent')
    assert 'failed' not in result, result
    assert result['changed'] is True


def test_an_update_whose_retry_also_loses_its_answer_is_verified(agent, capsys):
    agent.expect(lookup(records=[record()]),
                 Expect('PUT', UPDATE, body=writable(active=False), error=ConnectionResetError(104, 'reset')),
                 by_id(record()), Expect('PUT', UPDATE, body=writable(active=False), status=502),
                 by_id(record(active=False)))
    result = drive(capsys, name='Creative', active=False)
    assert 'failed' not in result, result
    assert result['changed'] is True and result['shared_cloud_drive']['active'] is False


def test_an_update_that_never_lands_fails_after_two_writes(agent, capsys):
    agent.expect(lookup(records=[record()]), Expect('PUT', UPDATE, status=503), by_id(record()),
                 Expect('PUT', UPDATE, status=503), by_id(record()))
    result = drive(capsys, name='Creative', active=False)
    assert result['failed'] is True and result['msg'].startswith('PUT /sharedclouddrive/update: HTTP 503')


def test_an_access_write_whose_answer_is_lost_is_verified_and_adopted(agent, capsys):
    ann = {'user': {'id': 'u-ann', 'username': 'ann@example.com'},
           'permission': {'id': 'e1', 'userId': 'u-ann', 'permissionType': 1}}
    grant = [{'userId': 'u-ann', 'sharedCloudDriveId': DRIVE_ID, 'permissionType': 1}]
    agent.expect(Expect('GET', DETAILS, {'name': 'Creative'}, answer=page([record(usersData=[])])),
                 Expect('GET', '/user/get_all_users', {'username': 'ann@example.com'},
                        answer=page([{'id': 'u-ann', 'username': 'ann@example.com'}])),
                 Expect('POST', USER_PERMS, body=grant, **timeout()),
                 Expect('GET', DETAILS, {'page': 1}, answer=page([record(usersData=[])])),
                 Expect('POST', USER_PERMS, body=grant, **DUPLICATE),
                 Expect('GET', DETAILS, {'page': 1}, answer=page([record(usersData=[ann])])))
    result = drive(capsys, name='Creative', users=[{'name': 'ann@example.com'}])
    assert 'failed' not in result, result
    assert result['shared_cloud_drive']['users'] == [{'name': 'ann@example.com', 'permission': 'read'}]


def test_the_set_adopts_a_late_insert_the_same_way(agent, capsys):
    body = {'name': 'A', 'cloudAccountId': CLOUD_ID, 'storageName': 'a'}
    created = record(id=OTHER_ID, name='A', storageName='a')
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([record()])), quota(),
                 Expect('POST', INSERT, body=body, **timeout()), lookup('A'),
                 Expect('POST', INSERT, body=body, **DUPLICATE), lookup('A', records=[created]))
    result = drive_set(capsys, [dict(name='A', cloud_account_id=CLOUD_ID, storage_name='a'), dict(name='Creative')])
    assert 'failed' not in result, result
    assert [(r['action'], r['shared_cloud_drive'].get('id')) for r in result['shared_cloud_drives']] == [
        ('created', OTHER_ID), ('unchanged', DRIVE_ID)]


# ---- "not found" is verified by a read, not by the code's name -----------------

def test_a_delete_answered_global_object_not_found_is_verified_by_a_read(agent, capsys):
    agent.expect(first_page(records=[record()]), Expect('DELETE', DELETE, **GLOBAL_NOT_FOUND), by_id())
    result = drive(capsys, name='Creative', state='absent')
    assert 'failed' not in result, result
    assert result['changed'] is True


def test_a_delete_answered_not_found_while_the_drive_is_still_there_fails(agent, capsys):
    agent.expect(first_page(records=[record()]), Expect('DELETE', DELETE, **NOT_FOUND), by_id(record()),
                 Expect('DELETE', DELETE, **NOT_FOUND), by_id(record()))
    result = drive(capsys, name='Creative', state='absent')
    assert result['failed'] is True and 'HTTP 499 NOT_FOUND' in result['msg']


# ---- answers of the wrong shape ------------------------------------------------

@pytest.mark.parametrize('data, fragment', [
    (['Creative'], 'item 0 is a string, not an object'),
    ([None], 'item 0 is null, not an object'),
    ([7], 'item 0 is a number, not an object'),
    ([{'name': 'Creative'}], 'item 0 has no id (it is null)'),
    ([{'id': DRIVE_ID, 'name': None}], 'item 0 has no name (it is null)'),
    ([record(objectsPerFolder='10000')], 'drive 0: objectsPerFolder is a string'),
    ([record(allowDelete='no')], 'drive 0: allowDelete is a string'),
    ([record(driveType=True)], 'drive 0: driveType is a boolean'),
])
def test_a_listing_of_the_wrong_shape_fails_clearly_and_logs_out(agent, capsys, data, fragment):
    agent.expect(Expect('POST', '/authentication/login', token=None, answer={'jwtToken': JWT, 'challenge': 0}),
                 Expect('GET', LIST, token=JWT, answer=page(data)),
                 Expect('POST', '/authentication/logout', token=None, body={'jwtToken': JWT}))
    result = drive(capsys, name='Creative', allow_delete=True, token=None, username='admin@example.com', password=PASSWORD)
    assert result['failed'] is True
    assert result['msg'] == 'unexpected answer from GET /sharedclouddrive/get_all: ' + fragment
    assert PASSWORD not in json.dumps(result) and JWT not in json.dumps(result)


@pytest.mark.parametrize('answer, fragment', [
    ({'data': 'nope', 'total': 1}, 'no data list (the answer is an object)'),
    ({'data': [], 'total': 'many'}, 'total is a string, not a count'),
    ('ok', 'no data list (the answer is a string)'),
])
def test_a_collection_of_the_wrong_shape_fails_clearly(agent, capsys, answer, fragment):
    agent.expect(Expect('GET', LIST, answer=answer))
    assert drive(capsys, name='Creative')['msg'] == 'unexpected answer from GET /sharedclouddrive/get_all: ' + fragment


def test_an_insert_answered_with_a_string_fails_clearly(agent, capsys):
    agent.expect(lookup(), Expect('POST', INSERT, answer='created'))
    result = drive(capsys, **CREATE_ARGS)
    assert result['msg'] == 'unexpected answer from POST /sharedclouddrive/insert: item 0 is a string, not an object'


def test_a_user_lookup_of_the_wrong_shape_fails_clearly(agent, capsys):
    agent.expect(Expect('GET', DETAILS, answer=page([record(usersData=[])])),
                 Expect('GET', '/user/get_all_users', answer=page([{'id': 'u1', 'username': None}])))
    result = drive(capsys, name='Creative', users=[{'name': 'ann@example.com'}])
    assert result['msg'] == 'unexpected answer from GET /user/get_all_users: item 0 has no username (it is null)'


def test_an_access_row_of_the_wrong_shape_fails_clearly(agent, capsys):
    agent.expect(Expect('GET', DETAILS, answer=page([record(usersData=['ann'])])))
    result = drive(capsys, name='Creative', users=[{'name': 'ann@example.com'}])
    assert result['msg'] == ('unexpected answer from GET /sharedclouddrive/get_all_with_details: '
                             'drive 0: an entry of usersData has no user object')


def test_any_exception_still_logs_the_session_out(agent, capsys, monkeypatch):
    def open_a_session_then_break(self, spec, plan=None):
        self.client.login()
        raise KeyError('a bug')
    monkeypatch.setattr(_converge.Converger, 'converge', open_a_session_then_break)
    agent.expect(Expect('POST', '/authentication/login', token=None, answer={'jwtToken': JWT, 'challenge': 0}),
                 Expect('POST', '/authentication/logout', token=None, body={'jwtToken': JWT}))
    args = dict(name='Creative', username='admin@example.com', password=PASSWORD, url='http://localhost:29123',
                _ansible_check_mode=False, _ansible_diff=False)
    with patch_module_args(args):
        with pytest.raises(KeyError):
            shared_cloud_drive.main()
    assert [made[1] for made in agent.made] == ['/authentication/login', '/authentication/logout']


# ---- input that must be refused before any request ---------------------------

@pytest.mark.parametrize('url, fragment', [
    ('http://localhost:29123/ x', 'url must be printable ASCII without spaces'),
    ('http://localhost:29123/\u00e9', 'url must be printable ASCII without spaces'),
    ('http://localhost:29123\n', 'url must be printable ASCII without spaces'),
    ('http://admin:hunter2@localhost:29123', 'url must not carry a user name or password'),
    ('http://localhost:29123/?', 'url must not carry a query string or fragment'),
    ('http://localhost:29123/#top', 'url must not carry a query string or fragment'),
    ('http://localhost:99999', 'url has a port that is not a number'),
    ('http:///x', "url must be the agent's base URL"),
    ('http://[::1:29123', "url must be the agent's base URL"),
    ('file:///etc/passwd', "url must be the agent's base URL"),
])
def test_a_bad_url_is_refused_before_any_request_without_repeating_it(agent, capsys, url, fragment):
    result = drive(capsys, name='Creative', url=url)
    assert result['failed'] is True and fragment in result['msg']
    assert 'hunter2' not in json.dumps(result)
    assert agent.made == []


def test_a_password_that_ends_the_host_for_urlsplit_never_shows(agent, capsys):
    # an unencoded / in the password makes urlsplit read "admin:hun" as the host and port
    result = drive(capsys, name='Creative', url='http://admin:hun/ter2@localhost:29123')
    assert result['failed'] is True and 'url must not carry a user name or password' in result['msg']
    assert 'hun/ter2' not in json.dumps(result) and 'hun%2Fter2' not in json.dumps(result)
    assert agent.made == []


@pytest.mark.parametrize('args, fragment', [
    (dict(objects_per_folder=True), 'objects_per_folder must be a whole number, got the boolean true'),
    (dict(objects_per_folder=False), 'objects_per_folder must be a whole number, got the boolean false'),
    (dict(allow_delete=1), 'allow_delete must be true or false, got the number 1'),
    (dict(active=0), 'active must be true or false, got the number 0'),
    (dict(timeout=True), 'timeout must be a whole number, got the boolean true'),
])
def test_booleans_and_numbers_are_not_taken_for_each_other(agent, capsys, args, fragment):
    result = drive(capsys, name='Creative', **args)
    assert result['failed'] is True and fragment in result['msg']
    assert agent.made == []


def test_the_set_refuses_a_boolean_for_a_number_in_any_entry(agent, capsys):
    result = drive_set(capsys, [dict(name='A'), dict(name='B', objects_per_folder=True, local_cache_encrypted=1)])
    assert 'drives[1].objects_per_folder must be a whole number, got the boolean true' in result['msg']
    assert 'drives[1].local_cache_encrypted must be true or false, got the number 1' in result['msg']
    assert agent.made == []


def test_a_token_that_needs_encoding_works_and_never_shows(agent, capsys):
    token = 'tok+en/with=base64=='
    agent.expect(Expect('GET', LIST, token=token, status=500), Expect('GET', LIST, token=token, status=500),
                 Expect('GET', LIST, token=token, status=500), Expect('GET', LIST, token=token, status=500))
    result = drive(capsys, name='Creative', token=token)
    output = json.dumps(result)
    assert 'HTTP 500' in result['msg']
    assert token not in output and 'tok%2Ben%2Fwith%3Dbase64%3D%3D' not in output


# ---- one name rule: plain lower-casing, the agent has the last word -------------

def test_the_set_and_the_single_module_apply_the_same_name_rule(agent, capsys):
    # 'Straße' and 'STRASSE' are equal under Unicode case folding, not under
    # lower-casing: neither module refuses, the agent decides.
    strasse = record(id=OTHER_ID, name='STRASSE')
    body = {'name': 'Straße', 'cloudAccountId': CLOUD_ID, 'storageName': 'b'}
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([strasse, record()])), quota(),
                 Expect('POST', INSERT, body=body, answer=record(id=DRIVE_ID[:-1] + '9', name='Straße')))
    result = drive_set(capsys, [dict(name='Straße', cloud_account_id=CLOUD_ID, storage_name='b'), dict(name='Creative')])
    assert 'failed' not in result, result
    assert result['shared_cloud_drives'][0]['action'] == 'created'


def test_the_agents_duplicate_has_the_last_word_on_other_names(agent, capsys):
    body = {'name': 'Straße', 'cloudAccountId': CLOUD_ID, 'storageName': 'b'}
    agent.expect(lookup('Straße'), Expect('POST', INSERT, body=body, **DUPLICATE), lookup('Straße'),
                 Expect('POST', INSERT, body=body, **DUPLICATE), lookup('Straße'))
    result = drive(capsys, name='Straße', cloud_account_id=CLOUD_ID, storage_name='b')
    assert result['failed'] is True and result['error_code'] == 'DUPLICATE'
    assert "no live shared cloud drive is named 'Straße', nor a name equal ignoring case" in result['msg']


def test_a_set_may_list_names_that_only_case_folding_makes_equal(agent, capsys):
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([record(name='Straße'), record(id=OTHER_ID, name='STRASSE')])))
    result = drive_set(capsys, [dict(name='Straße'), dict(name='STRASSE')])
    assert 'failed' not in result and result['changed'] is False


# ---- honest checks -------------------------------------------------------------

def test_check_mode_fails_on_a_cloud_account_id_the_agent_does_not_know(agent, capsys):
    agent.expect(lookup(), Expect('GET', '/cloud/account', {'id': CLOUD_ID}, **problem('NOT_FOUND', 'Cloud account not found.')),
                 Expect('GET', '/cloud/accounts', answer=[{'id': OTHER_ID, 'name': 'Wasabi'}]))
    result = drive(capsys, check=True, **CREATE_ARGS)
    assert result['failed'] is True
    assert result['msg'] == ("cloud_account_id %s: no cloud account of the agent has this id; it knows 'Wasabi' (id %s)"
                             % (CLOUD_ID, OTHER_ID))
    assert agent.requests('POST') == []


def test_a_set_that_exceeds_the_drive_quota_fails_before_any_write(agent, capsys):
    wanted = [dict(name=n, cloud_account_id=CLOUD_ID, storage_name='b') for n in ('A', 'B', 'C')]
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([record()])), quota(2))
    result = drive_set(capsys, wanted + [dict(name='Creative')])
    assert result['failed'] is True
    assert result['msg'] == ("the account may have 2 more shared cloud drives (drives in GET /user/package_inquiry), and "
                             "this list creates 3 ('A', 'B', 'C'); nothing was changed: delete drives first, list fewer, "
                             "or raise the plan")
    assert [m[0] for m in agent.made] == ['GET', 'GET']


def test_a_deletion_listed_first_frees_its_place_in_the_quota(agent, capsys):
    body = {'name': 'A', 'cloudAccountId': CLOUD_ID, 'storageName': 'b'}
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([record(), record(id=OTHER_ID, name='Keep')])), quota(0),
                 Expect('DELETE', DELETE, {'id': DRIVE_ID}),
                 Expect('POST', INSERT, body=body, answer=record(id=DRIVE_ID[:-1] + '9', name='A', storageName='b')))
    result = drive_set(capsys, [dict(name='Creative', state='absent'), dict(name='A', cloud_account_id=CLOUD_ID, storage_name='b'),
                                dict(name='Keep')])
    assert [r['action'] for r in result['shared_cloud_drives']] == ['deleted', 'created', 'unchanged']


def test_a_write_refused_for_access_says_which_user_type_may_write(agent, capsys):
    agent.expect(lookup(records=[record()]), Expect('PUT', UPDATE, **problem('ACCESS', 'Access denied.')),
                 Expect('GET', '/authentication/user', answer={'username': 'std@example.com', 'userType': 64}))
    result = drive(capsys, name='Creative', active=False)
    assert result['msg'] == ('PUT /sharedclouddrive/update: HTTP 499 ACCESS: Access denied.; the signed-in user is a '
                             'desktop_standard_user (user type 64), and changing the account (drives, groups, projects, '
                             'cloud accounts and who gets them) needs a desktop_admin (user type 16): use a token or user of a desktop admin')
    assert result['error_code'] == 'ACCESS'


@pytest.mark.parametrize('profile, warning', [
    (dict(status=404), 'GET /authentication/user: HTTP 404 (an agent without this route); '
                       'the refusal is reported without the user type'),
    (dict(answer={'username': 'std@example.com'}), 'unexpected answer from GET /authentication/user: userType is null, '
                                                   'not a number; the refusal is reported without the user type'),
])
def test_an_access_refusal_is_reported_with_a_warning_when_the_user_type_cannot_be_read(agent, capsys, profile, warning):
    agent.expect(lookup(records=[record()]), Expect('PUT', UPDATE, **problem('ACCESS', 'Access denied.')),
                 Expect('GET', '/authentication/user', **profile))
    result = drive(capsys, name='Creative', active=False)
    assert result['msg'] == ('PUT /sharedclouddrive/update: HTTP 499 ACCESS: Access denied.; the type of the signed-in user '
                             'could not be read, and changing the account (drives, groups, projects, cloud accounts and '
                             'who gets them) needs a desktop_admin (user type 16): use a token or user of a desktop admin')
    assert (result['status'], result['error_code']) == (499, 'ACCESS')
    assert result['warnings'] == [warning]


def test_a_login_answered_500_is_not_repeated(agent, capsys):
    # It may have opened a session on the agent; a second login would open another.
    agent.expect(Expect('POST', '/authentication/login', token=None, status=500))
    result = drive(capsys, name='Creative', token=None, username='admin@example.com', password=PASSWORD)
    assert result['failed'] is True and 'POST /authentication/login: HTTP 500' in result['msg']


def test_a_login_that_never_reached_the_agent_is_tried_again(agent, capsys):
    refused = urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused'))
    agent.expect(Expect('POST', '/authentication/login', token=None, error=refused),
                 Expect('POST', '/authentication/login', token=None, answer={'jwtToken': JWT, 'challenge': 0}),
                 Expect('GET', LIST, token=JWT, answer=page([record()])),
                 Expect('POST', '/authentication/logout', token=None, body={'jwtToken': JWT}))
    result = drive(capsys, name='Creative', token=None, username='admin@example.com', password=PASSWORD)
    assert result['changed'] is False and len(agent.requests('POST')) == 3


def test_the_unchanged_case_still_costs_one_request(agent, capsys):
    agent.expect(lookup(records=[record()]))
    assert drive(capsys, **CREATE_ARGS)['changed'] is False
    assert len(agent.made) == 1


def test_the_sets_one_listing_is_checked_like_every_other(agent, capsys):
    agent.expect(Expect('GET', LIST, {'page': 1}, answer=page([record(), record(id=OTHER_ID, name='B', objectsPerFolder='many')])))
    result = drive_set(capsys, [dict(name='Creative'), dict(name='B')])
    assert result['msg'] == 'unexpected answer from GET /sharedclouddrive/get_all: drive 1: objectsPerFolder is a string'
