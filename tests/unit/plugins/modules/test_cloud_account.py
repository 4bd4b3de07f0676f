# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cloud accounts through amove.click.cloud_account and cloud_account_info: keys sent, never shown."""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.modules import cloud_account, cloud_account_info
from ansible_collections.amove.click.tests.unit.click_fake import (
    ACCESS_KEY,
    ACCOUNT_ID,
    SECRET_KEY,
    USER_ID,
    Expect,
    first_page,
    problem,
    record,
    run,
    warnings_of,
)

ACCOUNTS = '/cloud/accounts'
INSERT = '/cloud/insert_account'
SHARE = '/cloud/manage_share'
DELETE = '/cloud/delete'
FOOTAGE_ID = '5c1e7a3b-9d2f-4e8a-b6c4-0f1e2d3c4b5a'
NEW_ID = '6d2f8b4c-0e3a-4f9b-87d5-1a2b3c4d5e6f'
OTHER_ID = '7e3a9c5d-1f4b-4a0c-98e6-2b3c4d5e6f7a'
KEYS = dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
REFUSED = 'The cloud provider refused the credentials: the access key or the secret key is not valid.'
TIMEOUT = dict(error=TimeoutError('timed out'))


def account(**overrides):
    """A cloud account as the agent answers it: keys masked."""
    base = {'id': FOOTAGE_ID, 'accountId': ACCOUNT_ID, 'userId': USER_ID, 'cloudType': 1, 'name': 'Footage',
            'accessKey': 'AKIA************', 'secretKey': 'unit************', 'credentialsData': None, 'serviceUrl': None,
            'active': True, 'shared': False, 'internalStorage': False, 'storageTier': 2, 'deleted': False}
    base.update(overrides)
    return base


VIEW = {'id': FOOTAGE_ID, 'name': 'Footage', 'provider': 'aws', 'service_url': None, 'shared': False, 'active': True,
        'internal_storage': False, 'storage_tier': 2, 'user_id': USER_ID, 'account_id': ACCOUNT_ID}


def accounts(*records):
    return Expect('GET', ACCOUNTS, answer=list(records))


def drives_on(*names, cloud_account_id=FOOTAGE_ID):
    """The account's first page of drives, each on the given cloud account."""
    return first_page([record(id='d-' + name, name=name, cloudAccountId=cloud_account_id) for name in names])


def converge(capsys, **args):
    args.setdefault('name', 'Footage')
    return run(capsys, cloud_account, **args)


def test_create_sends_the_keys_region_and_endpoint_in_the_insert_and_shows_none_of_them(agent, capsys):
    agent.expect(accounts(account(id=OTHER_ID, name='Footage Archive')),
                 Expect('POST', INSERT, body={'name': 'Footage', 'cloudType': 1, 'shared': True, 'region': 'us-east-1',
                                              'endpoint': 'https://s3.example.com', 'accessKey': ACCESS_KEY,
                                              'secretKey': SECRET_KEY},
                        answer=account(shared=True)))
    result = converge(capsys, provider='aws', region='us-east-1', endpoint='https://s3.example.com', shared=True, diff=True,
                      **KEYS)
    assert result['changed'] is True
    assert result['cloud_account'] == dict(VIEW, shared=True)
    assert result['diff'] == {'before': {}, 'after': dict(VIEW, shared=True)}
    assert len(agent.made) == 2


def test_an_unchanged_account_costs_one_request_and_its_keys_are_not_sent_again(agent, capsys):
    agent.expect(accounts(account(), account(id=OTHER_ID, name='Other')))
    result = converge(capsys, provider='aws', region='eu-west-1', shared=False, diff=True, **KEYS)
    assert result['changed'] is False and result['cloud_account'] == VIEW
    assert result['diff'] == {'before': VIEW, 'after': VIEW}
    assert len(agent.made) == 1


def test_create_in_check_mode_predicts_without_keys_and_writes_nothing(agent, capsys):
    agent.expect(accounts())
    result = converge(capsys, check=True, diff=True, provider='s3_generic', service_url='https://minio.example.com', **KEYS)
    assert result['changed'] is True
    assert result['cloud_account'] == {'name': 'Footage', 'provider': 's3_generic', 'service_url': 'https://minio.example.com'}
    assert result['diff']['after'] == result['cloud_account']
    assert len(agent.made) == 1


def test_sharing_puts_the_whole_account_with_only_shared_changed(agent, capsys):
    current = account()
    body = dict(current, shared=True)
    del body['deleted']
    agent.expect(accounts(current), Expect('PUT', SHARE, body=body))
    result = converge(capsys, shared=True, diff=True)
    assert result['changed'] is True
    assert (result['diff']['before']['shared'], result['diff']['after']['shared']) == (False, True)
    assert result['cloud_account'] == dict(VIEW, shared=True)
    agent.expect(accounts(account(shared=True)))
    assert converge(capsys, shared=False, check=True)['cloud_account']['shared'] is False
    assert len(agent.requests('PUT')) == 1


def test_a_lost_share_answer_is_verified_by_a_read_and_adopted(agent, capsys):
    agent.expect(accounts(account()), Expect('PUT', SHARE, **TIMEOUT), accounts(account(shared=True)))
    result = converge(capsys, shared=True)
    assert result['changed'] is True and result['cloud_account']['shared'] is True
    assert len(agent.requests('PUT')) == 1


def test_the_agents_refusal_of_the_keys_is_kept_word_for_word(agent, capsys):
    agent.expect(accounts(), Expect('POST', INSERT, **problem('DEFAULT', REFUSED)))
    result = converge(capsys, provider='wasabi', **KEYS)
    assert result['failed'] is True and result.get('changed', False) is False
    assert result['msg'] == 'POST /cloud/insert_account: HTTP 499 DEFAULT: ' + REFUSED


@pytest.mark.parametrize('args, message', [
    (dict(provider='wasabi', shared=True),
     "cloud account 'Footage': provider cannot change once it exists (the agent has no route that changes it)"),
    (dict(provider='wasabi', service_url='https://minio.example.com'),
     "cloud account 'Footage': provider, service_url cannot change once it exists (the agent has no route that changes "
     "them); give the values it has, or delete it and create it anew"),
    (dict(id=FOOTAGE_ID, name='Rushes'),
     "cloud account 'Footage': name cannot change once it exists (the agent has no route that changes it)"),
])
def test_a_change_no_route_makes_fails_before_any_write(agent, capsys, args, message):
    agent.expect(accounts(account()))
    result = converge(capsys, **args)
    assert result['failed'] is True
    assert message in result['msg']
    assert len(agent.made) == 1


@pytest.mark.parametrize('args, message', [
    (dict(provider='dropbox'),
     "cloud account 'Footage': dropbox accounts are connected through the provider's sign-in in the Amove app, not with "
     "keys: connect it there, then name it in cloud_account"),
    (dict(provider='aws'),
     "cloud account 'Footage' does not exist; to create it with provider aws, also set access_key and secret_key"),
    (dict(provider='s3_generic', **KEYS),
     "cloud account 'Footage' does not exist; to create it with provider s3_generic, also set service_url"),
    (dict(shared=True), "cloud account 'Footage' does not exist; to create it, also set provider"),
])
def test_an_account_that_cannot_be_made_here_is_refused_before_any_write(agent, capsys, args, message):
    agent.expect(accounts())
    result = converge(capsys, **args)
    assert result['failed'] is True and result['msg'] == message
    assert len(agent.made) == 1


@pytest.mark.parametrize('args, fragment', [
    (dict(provider='aws', access_key=ACCESS_KEY), 'access_key and secret_key go together'),
    (dict(secret_key=SECRET_KEY), 'access_key and secret_key go together'),
    (dict(name='x' * 51, provider='aws'), 'name must be at most 50 characters'),
    (dict(id='nope'), 'id must be a UUID'),
])
def test_bad_options_fail_before_any_request(agent, capsys, args, fragment):
    result = converge(capsys, **args)
    assert result['failed'] is True and fragment in result['msg']
    assert agent.made == []


def test_a_name_in_another_case_fails_with_the_accounts_id_and_two_of_a_name_with_both(agent, capsys):
    agent.expect(accounts(account(name='footage')))
    result = converge(capsys, provider='aws', **KEYS)
    assert result['failed'] is True
    assert result['msg'] == ("a cloud account named 'footage' (id %s) already exists, and this collection takes names that "
                             "differ only in letter case for the same name; use that exact name, or select it by id (no "
                             "route renames a cloud account)" % FOOTAGE_ID)
    agent.expect(accounts(account(), account(id=OTHER_ID)))
    result = converge(capsys, shared=True)
    assert result['failed'] is True
    assert "2 live cloud accounts are named 'Footage' (ids %s, %s); select one with id" % (FOOTAGE_ID, OTHER_ID) in result['msg']
    agent.expect(accounts(account(), account(id=OTHER_ID)))
    assert converge(capsys, id=OTHER_ID)['cloud_account']['id'] == OTHER_ID
    assert agent.requests('POST') == [] and agent.requests('PUT') == []


def test_delete_reads_the_drives_first_and_refuses_while_one_uses_the_account(agent, capsys):
    agent.expect(accounts(account()), drives_on('Rushes', 'Dailies'))
    result = converge(capsys, state='absent')
    assert result['failed'] is True
    assert result['msg'] == ("cloud account 'Footage' is used by the shared cloud drives 'Dailies', 'Rushes': delete them, "
                             "or move them to another cloud account, first")
    assert agent.requests('DELETE') == []


def test_delete_of_an_account_no_drive_uses(agent, capsys):
    agent.expect(accounts(account()), drives_on('Elsewhere', cloud_account_id=OTHER_ID), Expect('DELETE', DELETE, {'id': FOOTAGE_ID}))
    result = converge(capsys, state='absent', diff=True)
    assert result['changed'] is True and result['cloud_account'] == {} and result['diff']['before'] == VIEW
    agent.expect(accounts(account()), drives_on())
    assert converge(capsys, state='absent', check=True)['changed'] is True
    agent.expect(accounts(account(name='Footage Archive')))
    result = converge(capsys, name='Footage Archiv', state='absent')
    assert result['changed'] is False
    assert warnings_of(result) == ["no live cloud account is named 'Footage Archiv', so none was deleted; did you mean "
                                   "'Footage Archive'? (names are matched exactly)"]


def test_update_credentials_always_makes_the_account_anew_first_then_deletes_the_old_one(agent, capsys):
    current = account(cloudType=8, serviceUrl='https://minio.example.com', shared=True)
    agent.expect(accounts(current), drives_on(),
                 Expect('POST', INSERT, body={'name': 'Footage', 'cloudType': 8, 'serviceUrl': 'https://minio.example.com',
                                              'shared': True, 'region': 'eu', 'accessKey': ACCESS_KEY, 'secretKey': SECRET_KEY},
                        answer=dict(current, id=NEW_ID)),
                 Expect('DELETE', DELETE, {'id': FOOTAGE_ID}))
    result = converge(capsys, update_credentials='always', region='eu', diff=True, **KEYS)
    assert result['changed'] is True
    assert result['cloud_account']['id'] == NEW_ID and result['diff']['before']['id'] == FOOTAGE_ID
    assert result['cloud_account']['shared'] is True


def test_update_credentials_always_in_check_mode_predicts_no_id_and_writes_nothing(agent, capsys):
    agent.expect(accounts(account()), drives_on())
    result = converge(capsys, update_credentials='always', check=True, **KEYS)
    assert result['changed'] is True and 'id' not in result['cloud_account']
    assert result['cloud_account']['name'] == 'Footage'
    assert len(agent.made) == 2


def test_keys_refused_when_made_anew_leave_the_old_account(agent, capsys):
    agent.expect(accounts(account()), drives_on(), Expect('POST', INSERT, **problem('DEFAULT', REFUSED)))
    result = converge(capsys, update_credentials='always', **KEYS)
    assert result['failed'] is True and REFUSED in result['msg']
    assert agent.requests('DELETE') == []


def test_an_account_that_drives_use_is_never_made_anew(agent, capsys):
    agent.expect(accounts(account()), drives_on('Rushes'))
    result = converge(capsys, update_credentials='always', check=True, **KEYS)
    assert result['failed'] is True and "is used by the shared cloud drives 'Rushes'" in result['msg']
    assert len(agent.made) == 2


def test_a_lost_answer_when_made_anew_finds_the_new_account_beside_the_old(agent, capsys):
    agent.expect(accounts(account()), drives_on(), Expect('POST', INSERT, **TIMEOUT),
                 accounts(account(), account(id=NEW_ID)),
                 Expect('DELETE', DELETE, {'id': FOOTAGE_ID}))
    result = converge(capsys, update_credentials='always', **KEYS)
    assert result['changed'] is True and result['cloud_account']['id'] == NEW_ID
    assert len(agent.requests('POST')) == 1


def test_an_insert_answered_with_nothing_when_made_anew_is_read_back(agent, capsys):
    agent.expect(accounts(account()), drives_on(), Expect('POST', INSERT, answer=None),
                 accounts(account(), account(id=NEW_ID)), Expect('DELETE', DELETE, {'id': FOOTAGE_ID}))
    result = converge(capsys, update_credentials='always', **KEYS)
    assert result['changed'] is True and result['cloud_account']['id'] == NEW_ID


def test_a_failed_delete_of_the_old_account_names_both(agent, capsys):
    agent.expect(accounts(account()), drives_on(), Expect('POST', INSERT, answer=account(id=NEW_ID)),
                 Expect('DELETE', DELETE, {'id': FOOTAGE_ID}, **problem('DEFAULT', 'The account could not be deleted.')))
    result = converge(capsys, update_credentials='always', **KEYS)
    assert result['failed'] is True and result['changed'] is True
    assert ("the new keys are in a new cloud account 'Footage' (id %s), and the old one (id %s) is still there: delete it "
            "by id" % (NEW_ID, FOOTAGE_ID)) in result['msg']


def test_info_reads_every_account_in_one_request_without_keys(agent, capsys):
    listed = [account(), account(id=OTHER_ID, name='Demo S3', shared=True), account(id=NEW_ID, name='Gone', deleted=True)]
    agent.expect(Expect('GET', ACCOUNTS, answer=listed))
    every = run(capsys, cloud_account_info)['cloud_accounts']
    assert [entry['name'] for entry in every] == ['Footage', 'Demo S3']
    assert not [key for entry in every for key in entry if 'key' in key or 'credentials' in key]
    agent.expect(Expect('GET', ACCOUNTS, answer=listed))
    assert run(capsys, cloud_account_info, name='Footage')['cloud_accounts'] == [VIEW]
    agent.expect(Expect('GET', ACCOUNTS, answer=listed))
    assert [entry['name'] for entry in run(capsys, cloud_account_info, id=OTHER_ID.upper())['cloud_accounts']] == ['Demo S3']
    agent.expect(Expect('GET', ACCOUNTS, answer=listed))
    result = run(capsys, cloud_account_info, name='footage')
    assert result['cloud_accounts'] == []
    assert warnings_of(result) == ["no live cloud account is named 'footage'; did you mean 'Footage'? (names are matched "
                                   "exactly, letter case too)"]
    assert len(agent.made) == 4
