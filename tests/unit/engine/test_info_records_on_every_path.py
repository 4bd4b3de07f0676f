# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The records of every _info module, given back to their module as they are, change nothing, on every path
(tests/unit/emulated.py).

Against the emulator's realistic account (the agency seed: four cloud accounts, groups with members, projects,
24 drives over three pages of 10), on a desktop that synced the drives and tuned some by hand. Proven by the
results and by the request log: not one write. The integration target export does the same in a playbook
(register, then the records as a task's arguments) on the module path, after a round trip of the whole account.
"""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.tests.unit.emulated import module_desktop, writes

pytestmark = [pytest.mark.seed('agency'), pytest.mark.emulator_settings(max_page_size=10)]


@pytest.fixture
def tuned(emulator):
    """The desktop synced the account's drives; two are tuned by hand (set up on the module path), the request log emptied."""
    setup = module_desktop(emulator)
    synced = setup.run('agent', sync_shared_drives=True, wait_timeout=5)
    assert not synced['failed'] and synced['cloud_drives'], synced
    for name, settings in (('Templates', dict(sync_interval='15m')), ('Raw Footage', dict(max_cache_size='20 GB', cache_encrypted=True))):
        made = setup.run('desktop_drive', name=name, **settings)
        assert made['changed'] and not made['failed'], made
    emulator.clear_requests()


def read(desktop, module, key, **args):
    """The records an _info module returns under `key`; it must not fail, and must return some."""
    result = desktop.run(module, **args)
    assert not result['failed'] and not result['changed'], result
    assert result[key], '%s returned no %s' % (module, key)
    return result[key]


def given_back(desktop, module, record):
    """(module, the record's name, whether its task changed anything, its diff); the task must not fail."""
    result = desktop.run(module, diff=True, **record)
    assert not result['failed'], (module, record.get('name'), result.get('msg'))
    return module, record.get('name', 'all'), result['changed'], result.get('diff')


def test_every_info_modules_records_go_back_unchanged(emulator, desktop, tuned):
    """Each record of shared_cloud_drive_info, user_group_info, project_info, cloud_account_info and desktop_drive_info
    (with details and health), given back to its module, and the drives all at once to shared_cloud_drive_set, and
    account_info's definitions to account: ok, and nothing written."""
    drives = read(desktop, 'shared_cloud_drive_info', 'shared_cloud_drives', details=True)
    groups = read(desktop, 'user_group_info', 'user_groups', details=True)
    projects = read(desktop, 'project_info', 'projects', details=True)
    cloud_accounts = read(desktop, 'cloud_account_info', 'cloud_accounts')
    desktop_drives = read(desktop, 'desktop_drive_info', 'desktop_drives', health=True)
    definitions = read(desktop, 'account_info', 'definitions')
    assert (len(drives), len(groups), len(projects), len(cloud_accounts)) == (24, 5, 4, 4)
    tuned_here = dict((drive['name'], drive) for drive in desktop_drives)
    assert tuned_here['Templates']['sync_interval'] == 900 and tuned_here['Raw Footage']['cache_encrypted'] is True

    back = [given_back(desktop, 'shared_cloud_drive_set', dict(drives=drives))]
    back += [given_back(desktop, 'shared_cloud_drive', drive) for drive in drives]
    back += [given_back(desktop, 'user_group', group) for group in groups]
    back += [given_back(desktop, 'project', project) for project in projects]
    back += [given_back(desktop, 'cloud_account', account) for account in cloud_accounts]
    back += [given_back(desktop, 'desktop_drive', drive) for drive in desktop_drives]
    back.append(given_back(desktop, 'account', dict((kind, definitions[kind]) for kind in ('cloud_accounts', 'groups', 'projects', 'drives'))))

    assert [(module, name, diff) for module, name, changed, diff in back if changed] == []
    assert writes(emulator.take_requests()) == []
