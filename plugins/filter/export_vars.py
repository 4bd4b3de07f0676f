# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account and its desktops' drive settings as the variables of the role amove.click.shared_cloud_drives.

The playbook amove.click.export reads the account with amove.click.account_info
and each desktop's drives with amove.click.desktop_drive_info, then writes what
this filter makes: one group_vars file for the account and the desktop settings
all desktops share, and one host_vars file per desktop whose settings differ.
The files are small (only what differs from what the agent keeps by default),
stable (names in order, no time stamp: an unchanged account exports byte for
byte the same) and hold no secret.
"""

from __future__ import annotations

import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.amove.click.plugins.module_utils._account import KINDS
from ansible_collections.amove.click.plugins.module_utils._cloud_account import CLOUD_ACCOUNTS
from ansible_collections.amove.click.plugins.module_utils._desktop_drive import DESKTOP_DRIVES

# The role's variable for each list of amove.click.account.
ROLE_VARIABLES = {'cloud_accounts': 'shared_cloud_drives_cloud_accounts', 'groups': 'shared_cloud_drives_groups',
                  'projects': 'shared_cloud_drives_projects', 'drives': 'shared_cloud_drives_list'}
DESKTOP_VARIABLE = 'shared_cloud_drives_desktop_drives'


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, as ansible-lint wants them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _plain(value):
    """Ansible's values (tagged strings, lists and dicts) as plain Python ones, which YAML writes."""
    if isinstance(value, dict):
        return dict((str(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _yaml(data):
    return yaml.dump(_plain(data), Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                     width=120)


def _settings(record, drive):
    """A desktop drive's settings that differ from what the agent keeps by default ({} when none)."""
    settings = {}
    for field in DESKTOP_DRIVES.settings:
        value = record.get(field.option)
        # A drive's cache follows its shared drive's encryption unless set otherwise.
        default = drive.get('local_cache_encrypted', False) if field.option == 'cache_encrypted' else field.default
        if value is not None and value != '' and value != default:
            settings[field.option] = value
    return settings


def _desktop_settings(drives, desktops):
    """Per drive, the settings every desktop that has it shares, and per desktop those it does not share.

    A setting with one value on every desktop that has the drive goes with the
    drive (the role's `desktop:`); any other goes to each desktop that differs
    from the agent's default.
    """
    by_drive = dict((drive['name'], drive) for drive in drives)
    seen = {}  # drive name -> {host: settings}
    private = []
    for host, result in sorted(desktops.items()):
        for record in (result or {}).get('desktop_drives') or []:
            if not record.get('shared_drive'):
                private.append('desktop %s: its own drive %r (amove.click.desktop_drive manages it)' % (host, record.get('name')))
            elif record.get('name') in by_drive:
                seen.setdefault(record['name'], {})[host] = _settings(record, by_drive[record['name']])
    common, own = {}, {}
    for name, hosts in seen.items():
        options = sorted(set(option for settings in hosts.values() for option in settings))
        for option in options:
            values = [settings.get(option) for settings in hosts.values()]
            if all(value == values[0] for value in values):
                common.setdefault(name, {})[option] = values[0]
            else:
                for host, settings in hosts.items():
                    if option in settings:
                        own.setdefault(host, {}).setdefault(name, {})[option] = settings[option]
    # Drives on different desktops may have one letter: said with each drive, those letters would
    # be two drives asking for one letter. They are said per desktop instead.
    letters = {}
    for name, settings in common.items():
        letters.setdefault(settings.get('drive_letter'), []).append(name)
    for letter, names in letters.items():
        if letter and len(names) > 1:
            for name in names:
                del common[name]['drive_letter']
                for host in seen[name]:
                    own.setdefault(host, {}).setdefault(name, {})['drive_letter'] = letter
    return dict((name, settings) for name, settings in common.items() if settings), own, private


def export_vars(account, desktops, source):
    """The texts of the files that amove.click.export writes (see DOCUMENTATION)."""
    if not isinstance(account, dict) or 'definitions' not in account:
        raise AnsibleFilterError('export_vars takes the registered result of amove.click.account_info')
    definitions = account['definitions']
    drives = [dict(drive) for drive in definitions.get('drives') or []]
    common, own, private = _desktop_settings(drives, desktops or {})
    for drive in drives:
        if drive['name'] in common:
            drive['desktop'] = dict(sorted(common[drive['name']].items()))
    unexpressed = ['%s %r: %s' % (entry['kind'], entry['name'], entry['reason']) for entry in account.get('unexpressed') or []]
    unexpressed += private
    variables = {}
    for option, resource in KINDS:
        if option in definitions:
            entries = drives if option == 'drives' else definitions[option]
            # Secrets are never exported: each is a reference to the variable the user keeps in a vault.
            variables[ROLE_VARIABLES[option]] = [dict(entry, **resource.secret_references(entry['name'])) for entry in entries]
    keys = [entry['name'] for entry in definitions.get('cloud_accounts') or []]
    header = ['# The Amove account as the variables of the role amove.click.shared_cloud_drives, exported by the',
              '# playbook amove.click.export from the agent at %s.' % source,
              '# Check it with: ansible-playbook amove.click.provision -i <this inventory> --check --diff']
    if keys:
        header += ['# Cloud account keys are never exported: keep them in a vault as the variable %s,'
                   % CLOUD_ACCOUNTS.secrets_variable,
                   '# {name: {access_key: ..., secret_key: ...}}. Without them, existing cloud accounts stay as they are.']
    text = '\n'.join(header) + '\n---\n' + _yaml(variables)
    if unexpressed:
        text += '\n# Not exported (%d), with why:\n' % len(unexpressed) + ''.join('# - %s\n' % line for line in unexpressed)
    host_vars = {}
    for host in sorted(desktops or {}):
        if own.get(host):
            host_vars[host] = ('# The drive settings of desktop %s that differ from the other desktops\', exported by the\n'
                               '# playbook amove.click.export; they override the drives\' desktop settings of the group.\n'
                               % host) + '---\n' + _yaml({DESKTOP_VARIABLE: dict(sorted(own[host].items()))})
        else:
            host_vars[host] = None
    summary = dict((option, len(variables[ROLE_VARIABLES[option]])) for option, _resource in KINDS if ROLE_VARIABLES[option] in variables)
    summary.update(desktops_with_own_settings=sum(1 for text in host_vars.values() if text), not_exported=len(unexpressed))
    return dict(group_vars=text, host_vars=host_vars, summary=summary, not_exported=unexpressed)


class FilterModule:
    def filters(self):
        return {'export_vars': export_vars}
