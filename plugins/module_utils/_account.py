# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account as code in one execution: cloud accounts, user groups, projects and drives, each before what names it.

PRIVATE to the amove.click collection: its interface may change in any release.

Not a resource: the amove.click.account module composes the declared
resources. Every list is checked, and every record planned and every name
resolved, before the first write (_lists.converge_lists), so a user group made
by this run may be named by a drive of this run, in check mode too; and the
desktop settings a drive carries for the desktops (role variables) are checked
here as well, so a bad letter fails before the account changes.
"""

from __future__ import annotations

import fnmatch

from ansible_collections.amove.click.plugins.module_utils._cloud_account import CLOUD_ACCOUNTS
from ansible_collections.amove.click.plugins.module_utils._converge import read_records
from ansible_collections.amove.click.plugins.module_utils._desktop_drive import SETTINGS_SPEC, settings_problems
from ansible_collections.amove.click.plugins.module_utils._lists import converge_kinds, list_problems
from ansible_collections.amove.click.plugins.module_utils._project import PROJECTS
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import DRIVES
from ansible_collections.amove.click.plugins.module_utils._user_group import GROUPS

# (option, resource), in the order the lists are written: a kind before the kinds that name it. A project's
# drives made in the same run are linked once they are made (see _lists.converge_lists).
KINDS = (('cloud_accounts', CLOUD_ACCOUNTS), ('groups', GROUPS), ('projects', PROJECTS), ('drives', DRIVES))


def account_problems(params):
    """What is wrong with the lists, and with the desktop settings of the drives, before any request."""
    problems = []
    for option, resource in KINDS:
        problems.extend(list_problems(resource, params[option] or [], option, option in params['purge'],
                                      params['allow_empty_purge']))
    drives = params['drives'] or []
    problems.extend(settings_problems(('drives[%d] (%s).desktop' % (number, drive.get('name') or drive.get('id')),
                                       drive.get('name'), drive['desktop'])
                                      for number, drive in enumerate(drives) if drive.get('desktop') is not None)[1])
    return problems


def run_account(client, params, check_mode, diff):
    return converge_kinds(client, [(resource, params[option] or [], option, option in params['purge'])
                                   for option, resource in KINDS], check_mode, diff)


ACCOUNT = ModuleDefinition(
    dict(cloud_accounts=dict(type='list', elements='dict', options=CLOUD_ACCOUNTS.selection_spec()),
         groups=dict(type='list', elements='dict', options=GROUPS.selection_spec()),
         projects=dict(type='list', elements='dict', options=PROJECTS.selection_spec()),
         drives=dict(type='list', elements='dict', options=dict(DRIVES.selection_spec(),
                                                                desktop=dict(type='dict', options=SETTINGS_SPEC))),
         purge=dict(type='list', elements='str', choices=[option for option, _resource in KINDS], default=[]),
         allow_empty_purge=dict(type='bool', default=False)),
    run_account, account_problems)


# ---- reading the account, and saying it as code ------------------------------------------

def read_account(client, params, check_mode, diff):
    """Every record of the kinds asked whose name matches a pattern: as _info modules give them, and as definitions.

    One listing per kind (its detailed listing, with every page). The
    definitions are what amove.click.account takes to make the same records
    (see Resource.definition); what cannot be said is told with its reason.
    """
    result = dict(changed=False, definitions={}, unexpressed=[])
    for option, resource in KINDS:
        if option not in params['kinds']:
            continue
        records = [record for record in read_records(resource, client, {}, details=True)[0]
                   if any(fnmatch.fnmatchcase(str(record.get(resource.listing.name_key)), pattern)
                          for pattern in params['names'])]
        records.sort(key=lambda record: str(record.get(resource.listing.name_key)))
        result[resource.plural] = [resource.to_options(record) for record in records]
        definitions = result['definitions'][option] = []
        for record in records:
            entry, reasons = resource.definition(record)
            if reasons:
                result['unexpressed'].extend(dict(kind=option, name=entry['name'], reason=reason) for reason in reasons)
            else:
                definitions.append(entry)
    return result


ACCOUNT_INFO = ModuleDefinition(
    dict(kinds=dict(type='list', elements='str', choices=[option for option, _resource in KINDS],
                    default=[option for option, _resource in KINDS]),
         names=dict(type='list', elements='str', default=['*'])),
    read_account)
