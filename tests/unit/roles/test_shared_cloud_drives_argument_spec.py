# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The role validates its drive entries exactly as the modules it passes them to do."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from ansible_collections.amove.click.plugins.module_utils._desktop_drive import SETTINGS
from ansible_collections.amove.click.plugins.modules import account, desktop_drive, shared_cloud_drive_set

ROOT = pathlib.Path(shared_cloud_drive_set.__file__).resolve().parents[2]


def shape(options):
    """What validation depends on: names, types, element types, choices, defaults, required, nesting."""
    return dict((name, (spec.get('type'), spec.get('elements'), spec.get('choices'), spec.get('default'),
                        bool(spec.get('required')), shape(spec.get('suboptions') or spec.get('options') or {})))
                for name, spec in options.items())


def test_role_drive_entries_match_the_module_suboptions():
    module_doc = yaml.safe_load(shared_cloud_drive_set.DOCUMENTATION)
    role_spec = yaml.safe_load((ROOT / 'roles' / 'shared_cloud_drives' / 'meta' / 'argument_specs.yml').read_text())
    module_entries = module_doc['options']['drives']['suboptions']
    role_entries = dict(role_spec['argument_specs']['main']['options']['shared_cloud_drives_list']['options'])
    # `desktop:` is the desktops' (amove.click.agent desktop_drives), never sent to the account's module.
    desktop = role_entries.pop('desktop')
    assert shape(role_entries) == shape(module_entries)
    desktop_options = yaml.safe_load(desktop_drive.DOCUMENTATION)['options']
    assert shape(desktop['options']) == shape(dict((name, desktop_options[name]) for name in SETTINGS))


@pytest.mark.parametrize('variable, option', [
    ('shared_cloud_drives_cloud_accounts', 'cloud_accounts'),
    ('shared_cloud_drives_groups', 'groups'),
    ('shared_cloud_drives_projects', 'projects'),
])
def test_role_lists_of_the_account_step_match_the_account_module(variable, option):
    module_entries = yaml.safe_load(account.DOCUMENTATION)['options'][option]['suboptions']
    role_spec = yaml.safe_load((ROOT / 'roles' / 'shared_cloud_drives' / 'meta' / 'argument_specs.yml').read_text())
    assert shape(role_spec['argument_specs']['main']['options'][variable]['options']) == shape(module_entries)


def test_role_defaults_are_the_documented_ones():
    role_spec = yaml.safe_load((ROOT / 'roles' / 'shared_cloud_drives' / 'meta' / 'argument_specs.yml').read_text())
    defaults = yaml.safe_load((ROOT / 'roles' / 'shared_cloud_drives' / 'defaults' / 'main.yml').read_text())
    # Every entry point's options have a default in defaults/main.yml, and every default is some entry point's option.
    options = {}
    for entry in role_spec['argument_specs'].values():
        options.update(entry['options'])
    assert sorted(defaults) == sorted(options)
    for name, spec in options.items():
        if 'default' in spec:
            assert defaults[name] == spec['default'], name
