# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloud_account and cloud_account_info against the emulator's built-in seed, on every path (tests/unit/emulated.py).

Proven by the emulator's store and request log, as the integration target
cloud_account proves the lifecycle a playbook drives: each test reaches the
state its case starts from (Footage created with its keys and shared) on the
module path, and runs the case itself on each path. Every result, set-up
included, is checked to hold none of the keys, in any form a URL gives them
(Desktop.run checks the token only).
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from ansible_collections.amove.click.tests.unit.emulated import module_desktop, paths, writes

# Keys with + / and = like real secret keys.
FOOTAGE_ACCESS_KEY = 'AKIAUNITFOOTAGE4711'
FOOTAGE_SECRET_KEY = 'unit/secret+footage=4711'
NEW_ACCESS_KEY = 'AKIAUNITNEW0815'
NEW_SECRET_KEY = 'unit/new+secret=0815'
REFUSED_KEY = 'AKIAUNITREFUSED2342'
KEYS = (FOOTAGE_ACCESS_KEY, FOOTAGE_SECRET_KEY, NEW_ACCESS_KEY, NEW_SECRET_KEY, REFUSED_KEY)
MASKED = '*' * 12
FOOTAGE = dict(name='Footage', provider='aws', region='us-east-1', endpoint='https://s3.example.com',
               access_key=FOOTAGE_ACCESS_KEY, secret_key=FOOTAGE_SECRET_KEY)
KEY_FIELD_WORDS = ('key', 'region', 'endpoint', 'credentials')


def run(desktop, module, check=False, diff=False, **args):
    """desktop.run, and the result holds no key, raw or as a URL has it."""
    result = desktop.run(module, check=check, diff=diff, **args)
    shown = json.dumps(result, default=str)
    for key in KEYS:
        for form in (key, urllib.parse.quote(key), urllib.parse.quote(key, safe=''), urllib.parse.quote_plus(key)):
            assert form not in shown, 'a key in the result of %s: %s' % (module, shown)
    return result


def key_fields(account):
    """The fields of a returned cloud account that would hold keys, a region or an endpoint."""
    return [field for field in account if any(word in field for word in KEY_FIELD_WORDS)]


def accounts(emulator):
    """Live cloud accounts by name, as the store holds them (keys masked)."""
    return dict((account['name'], account) for account in emulator.live('cloud_accounts'))


def deleted_accounts(emulator):
    return [account['name'] for account in emulator.state()['cloud_accounts'] if account['deleted']]


def shared_footage(emulator):
    """Footage created with its keys, region and endpoint, then shared: (create, share)."""
    desktop = module_desktop(emulator)
    create = run(desktop, 'cloud_account', diff=True, **FOOTAGE)
    share = run(desktop, 'cloud_account', name='Footage', shared=True)
    assert create['changed'] and share['changed'], (create, share)
    emulator.clear_requests()
    return create, share


@pytest.mark.emulator_settings(invalid_keys=[REFUSED_KEY])
def test_changes_no_route_makes_are_refused_before_any_write(emulator, desktop):
    """A case-only name, a rename, another provider and a sign-in provider fail before any write, each saying what to do;
    keys the provider refuses fail with the agent's own words after the one refused insert, with no diff."""
    create, _share = shared_footage(emulator)

    case_clash = run(desktop, 'cloud_account', name='footage', shared=False)
    rename = run(desktop, 'cloud_account', id=create['cloud_account']['id'], name='Rushes')
    other_provider = run(desktop, 'cloud_account', name='Footage', provider='wasabi', shared=False)
    sign_in = run(desktop, 'cloud_account', name='Team Box', provider='box')
    refused_keys = run(desktop, 'cloud_account', diff=True, name='Refused', provider='wasabi', access_key=REFUSED_KEY,
                       secret_key=FOOTAGE_SECRET_KEY)
    held = accounts(emulator)
    requests = emulator.take_requests()

    for result in (case_clash, rename, other_provider, sign_in, refused_keys):
        assert result['failed'] and not result['changed'], result
    assert case_clash['msg'] == (
        "a cloud account named 'Footage' (id %s) already exists, and this collection takes names that differ only in letter"
        " case for the same name; use that exact name, or select it by id (no route renames a cloud account)" % create['cloud_account']['id'])
    assert rename['msg'] == ("cloud account 'Footage': name cannot change once it exists (the agent has no route that changes it);"
                             " give the values it has, or delete it and create it anew")
    assert other_provider['msg'].startswith("cloud account 'Footage': provider cannot change once it exists")
    assert sign_in['msg'] == ("cloud account 'Team Box': box accounts are connected through the provider's sign-in in the Amove app,"
                              " not with keys: connect it there, then name it in cloud_account")
    assert refused_keys['msg'] == ("POST /cloud/insert_account: HTTP 499 DEFAULT: The cloud provider refused the credentials:"
                                   " the access key or the secret key is not valid.")
    assert 'diff' not in refused_keys
    assert [request['status'] for request in writes(requests)] == [499]
    assert sorted(held) == ['Demo S3', 'Footage']
    assert held['Footage']['shared'] is True
    assert held['Footage']['cloudType'] == 1


def test_an_account_a_drive_uses_is_neither_deleted_nor_made_anew(emulator, desktop):
    """Delete, and new keys that would make the account anew (even in check mode), fail naming the drive that uses it;
    once the drive is gone, the account is deleted, once."""
    create, share = shared_footage(emulator)
    setup = module_desktop(emulator)
    assert run(setup, 'shared_cloud_drive', name='Rushes', cloud_account='Footage', storage_name='rushes')['changed']

    used_delete = run(desktop, 'cloud_account', name='Footage', state='absent')
    used_anew = run(desktop, 'cloud_account', check=True, name='Footage', access_key=NEW_ACCESS_KEY, secret_key=NEW_SECRET_KEY,
                    update_credentials='always')
    held = accounts(emulator)
    requests = emulator.take_requests()

    assert used_delete['failed'] and not used_delete['changed']
    assert used_delete['msg'] == ("cloud account 'Footage' is used by the shared cloud drives 'Rushes': delete them, or move them"
                                  " to another cloud account, first")
    assert used_anew['failed'] and not used_anew['changed']
    assert used_anew['msg'] == used_delete['msg']
    assert held['Footage']['id'] == create['cloud_account']['id']
    assert held['Footage']['accessKey'] == FOOTAGE_ACCESS_KEY[:4] + MASKED
    assert paths(writes(requests)) == ['/sharedclouddrive/insert']

    assert run(setup, 'shared_cloud_drive', name='Rushes', state='absent')['changed']
    delete = run(desktop, 'cloud_account', diff=True, name='Footage', state='absent')
    delete_again = run(desktop, 'cloud_account', name='Footage', state='absent')
    requests = emulator.take_requests()
    assert delete['changed'] and not delete['failed']
    assert delete['diff']['before'] == share['cloud_account']
    assert delete['cloud_account'] == {}
    assert not delete_again['changed'] and not delete_again['failed']
    assert deleted_accounts(emulator) == ['Footage']
    assert paths(writes(requests)) == ['/sharedclouddrive/delete', '/cloud/delete']


def new_keys(desktop, **changes):
    return run(desktop, 'cloud_account', diff=True, name='Studio MinIO', access_key=NEW_ACCESS_KEY, secret_key=NEW_SECRET_KEY,
               update_credentials='always', **changes)


def studio_minio(desktop):
    result = run(desktop, 'cloud_account', name='Studio MinIO', provider='s3_generic', service_url='https://minio.example.com:9000',
                 access_key=FOOTAGE_ACCESS_KEY, secret_key=FOOTAGE_SECRET_KEY, shared=True)
    assert result['changed'], result
    return result


def test_new_keys_make_the_account_anew(emulator, desktop):
    """New keys with update_credentials=always make the account anew: the new one first, with the new keys and what the
    old one had (service URL, sharing) and the new region, then the old one deleted (the writes counted from the old
    one's insert)."""
    minio = studio_minio(module_desktop(emulator))

    anew = new_keys(desktop, region='eu-central-1')
    held = accounts(emulator)
    requests = emulator.take_requests()

    assert anew['changed'] and not anew['failed']
    assert anew['cloud_account']['id'] != minio['cloud_account']['id']
    assert anew['diff']['before']['id'] == minio['cloud_account']['id']
    assert anew['cloud_account']['id'] == held['Studio MinIO']['id']
    assert [item for item in anew['cloud_account'].items() if item[0] != 'id'] == [item for item in minio['cloud_account'].items() if item[0] != 'id']
    assert held['Studio MinIO']['accessKey'] == NEW_ACCESS_KEY[:4] + MASKED
    assert held['Studio MinIO']['secretKey'] == NEW_SECRET_KEY[:4] + MASKED
    assert held['Studio MinIO']['serviceUrl'] == 'https://minio.example.com:9000'
    assert held['Studio MinIO']['shared'] is True
    assert held['Studio MinIO']['region'] == 'eu-central-1'
    assert deleted_accounts(emulator) == ['Studio MinIO']
    assert paths(writes(requests)) == ['/cloud/insert_account', '/cloud/insert_account', '/cloud/delete']


def test_info_reads_live_accounts_without_keys(emulator, desktop):
    """cloud_account_info lists live accounts only, with no key, region or endpoint field; by name (in check mode) and by
    id; one request each, and no write."""
    setup = module_desktop(emulator)
    shared_footage(emulator)
    studio_minio(setup)
    anew = new_keys(setup, region='eu-central-1')
    assert run(setup, 'cloud_account', name='Footage', state='absent')['changed']
    emulator.clear_requests()

    every_account = run(desktop, 'cloud_account_info')
    demo = run(desktop, 'cloud_account_info', check=True, name='Demo S3')
    minio_info = run(desktop, 'cloud_account_info', id=anew['cloud_account']['id'])
    requests = emulator.take_requests()

    assert sorted(deleted_accounts(emulator)) == ['Footage', 'Studio MinIO']
    assert not every_account['changed'] and not every_account['failed']
    assert [account['name'] for account in every_account['cloud_accounts']] == ['Demo S3', 'Studio MinIO']
    assert [field for account in every_account['cloud_accounts'] for field in key_fields(account)] == []
    assert [account['provider'] for account in demo['cloud_accounts']] == ['aws']
    assert minio_info['cloud_accounts'] == [anew['cloud_account']]
    assert paths(requests) == ['/cloud/accounts'] * 3
    assert writes(requests) == []
