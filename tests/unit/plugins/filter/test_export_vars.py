# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The export's files: small, stable, no secret, and settings said once where every desktop shares them."""

from __future__ import annotations

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.amove.click.plugins.filter.export_vars import export_vars
from ansible_collections.amove.click.plugins.module_utils._cloud_account import CLOUD_ACCOUNTS
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import DRIVES

CLOUD = '0c6f3a51-2d7e-4b8a-9f10-5e4d3c2b1a09'


def drive_record(name, **fields):
    record = {'id': 'd-' + name, 'name': name, 'cloudAccountId': CLOUD, 'cloudAccount': {'id': CLOUD, 'name': 'Demo S3'},
              'storageName': 'b', 'prefix': '', 'prefixId': '', 'storageId': '', 'objectsPerFolder': 10000,
              'allowDelete': False, 'localCacheEncrypted': False, 'cloudObjectsEncrypted': False, 'driveType': 1,
              'syncType': 1, 'active': True, 'accountId': 'a', 'creatorUserId': 'u',
              'usersData': [], 'groupsData': [], 'projectsData': []}
    record.update(fields)
    return record


def local(name, letter='', **settings):
    return dict({'name': name, 'shared_drive': True, 'drive_letter': letter, 'sync_interval': 60, 'max_cache_size': None,
                 'cache_encrypted': False, 'rotational_cache': False, 'active': True}, **settings)


def account(*records):
    definitions = [DRIVES.definition(record)[0] for record in records]
    return {'definitions': {'drives': definitions, 'cloud_accounts': [{'name': 'Demo S3', 'provider': 'aws'}]},
            'unexpressed': [{'kind': 'drives', 'name': 'Lost', 'reason': 'its cloud account (id x) is not one the agent lists'}]}


def test_a_definition_says_only_what_differs_from_the_defaults_by_name():
    entry, reasons = DRIVES.definition(drive_record('Creative', prefix='projects/', objectsPerFolder=500, syncType=2,
                                                    groupsData=[{'userGroup': {'name': 'Editors'},
                                                                 'permission': {'id': 'p', 'permissionType': 2}}]))
    assert entry == {'name': 'Creative', 'cloud_account': 'Demo S3', 'storage_name': 'b', 'prefix': 'projects/',
                     'objects_per_folder': 500, 'sync_type': 'mirror', 'groups': [{'name': 'Editors', 'permission': 'read_write'}]}
    assert reasons == []


def test_a_drive_on_a_cloud_account_the_agent_does_not_list_cannot_be_said():
    entry, reasons = DRIVES.definition(drive_record('Hidden', cloudAccount=None))
    assert reasons == ['its cloud account (id %s) is not one the agent lists' % CLOUD]


def test_secrets_are_references_to_the_vault_variable_never_values():
    assert CLOUD_ACCOUNTS.secret_references('Demo "S3"') == {
        'access_key': '{{ amove_click_cloud_account_keys["Demo \\"S3\\""].access_key | default(none) }}',
        'secret_key': '{{ amove_click_cloud_account_keys["Demo \\"S3\\""].secret_key | default(none) }}'}


def test_settings_every_desktop_shares_go_with_the_drive_the_others_to_each_desktop():
    desktops = {'d1': {'desktop_drives': [local('A', 'G', sync_interval=900), local('B', 'K'), local('Own', shared_drive=False)]},
                'd2': {'desktop_drives': [local('A', 'H', sync_interval=900, max_cache_size=2 ** 30)]},
                'd3': {'desktop_drives': []}}
    files = export_vars(account(drive_record('A'), drive_record('B')), desktops, 'http://agent:29123')
    data = yaml.safe_load(files['group_vars'])
    drives = dict((drive['name'], drive) for drive in data['shared_cloud_drives_list'])
    assert drives['A']['desktop'] == {'sync_interval': 900}
    assert drives['B']['desktop'] == {'drive_letter': 'K'}
    assert yaml.safe_load(files['host_vars']['d1'])['shared_cloud_drives_desktop_drives'] == {'A': {'drive_letter': 'G'}}
    assert yaml.safe_load(files['host_vars']['d2'])['shared_cloud_drives_desktop_drives'] == {
        'A': {'drive_letter': 'H', 'max_cache_size': 2 ** 30}}
    assert files['host_vars']['d3'] is None
    assert data['shared_cloud_drives_cloud_accounts'][0]['access_key'].startswith('{{ amove_click_cloud_account_keys[')
    assert "# - drives 'Lost': its cloud account" in files['group_vars']
    assert "# - desktop d1: its own drive 'Own'" in files['group_vars']
    assert files['summary'] == {'cloud_accounts': 1, 'drives': 2, 'desktops_with_own_settings': 2, 'not_exported': 2}


def test_one_letter_of_drives_on_different_desktops_is_said_per_desktop():
    desktops = {'d1': {'desktop_drives': [local('A', 'G')]}, 'd2': {'desktop_drives': [local('B', 'G')]}}
    files = export_vars(account(drive_record('A'), drive_record('B')), desktops, 'x')
    drives = yaml.safe_load(files['group_vars'])['shared_cloud_drives_list']
    assert all('desktop' not in drive for drive in drives)
    assert yaml.safe_load(files['host_vars']['d2'])['shared_cloud_drives_desktop_drives'] == {'B': {'drive_letter': 'G'}}


def test_the_same_account_exports_the_same_text():
    desktops = {'d1': {'desktop_drives': [local('A', 'G')]}}
    assert export_vars(account(drive_record('A')), desktops, 'x') == export_vars(account(drive_record('A')), desktops, 'x')


def test_only_an_account_info_result_is_taken():
    with pytest.raises(AnsibleFilterError, match='amove.click.account_info'):
        export_vars({'changed': False}, {}, 'x')
