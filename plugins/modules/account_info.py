#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: account_info
short_description: Read an Amove account's cloud accounts, user groups, projects and shared cloud drives, and say them as code
version_added: 0.2.0
description:
  - Reads the records of an Amove account that M(amove.click.account) manages - its cloud accounts, user
    groups (with their members), projects (with who is in them) and shared cloud drives (with who gets
    them) - through the Click API of an Amove desktop agent, in one request per kind (each kind's
    detailed listing, every page).
  - Returns each kind's records as its C(_info) module does, and RV(definitions) - the same records as
    the options that make them, which M(amove.click.account) and the role C(amove.click.shared_cloud_drives)
    take as they are. The playbook C(amove.click.export) writes them as the role's variables.
  - Never changes anything.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._connection.ACCOUNT
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Runs in check mode as in a normal run, since it changes nothing.
    support: full
  diff_mode:
    description: Changes nothing, so shows no difference.
    support: N/A
options:
  kinds:
    description:
      - The kinds of records to read.
    type: list
    elements: str
    choices: [cloud_accounts, groups, projects, drives]
    default: [cloud_accounts, groups, projects, drives]
  names:
    description:
      - Shell-style patterns (C(*), C(?), C([...])) of the names to read, matched with letter case; a record
        is read when its name matches one of them.
    type: list
    elements: str
    default: ['*']
seealso:
  - module: amove.click.account
'''

EXAMPLES = r'''
- name: Read the drives and groups whose names start with Crea or Edit
  amove.click.account_info:
    kinds: [groups, drives]
    names: ['Crea*', 'Edit*']
  register: part

- name: Apply the definitions read, which changes nothing
  amove.click.account:
    groups: "{{ part.definitions.groups }}"
    drives: "{{ part.definitions.drives }}"
'''

RETURN = r'''
definitions:
  description:
    - The records read, as the options of M(amove.click.account) that make them - C(cloud_accounts),
      C(groups), C(projects) and C(drives), each present when its kind was read.
    - Names, not ids; only what differs from what the agent keeps by default; a project's drives are said
      by the drives' C(projects); a cloud account's keys are references to the variable
      C(amove_click_cloud_account_keys), never their values.
  returned: success
  type: dict
unexpressed:
  description: The records that cannot be said as options, each with C(kind), C(name) and C(reason).
  returned: success
  type: list
  elements: dict
cloud_accounts:
  description: The cloud accounts read, as M(amove.click.cloud_account_info) returns them.
  returned: when cloud accounts were read
  type: list
  elements: dict
user_groups:
  description: The user groups read, as M(amove.click.user_group_info) returns them with details.
  returned: when groups were read
  type: list
  elements: dict
projects:
  description: The projects read, as M(amove.click.project_info) returns them with details.
  returned: when projects were read
  type: list
  elements: dict
shared_cloud_drives:
  description: The shared cloud drives read, as M(amove.click.shared_cloud_drive_info) returns them with details.
  returned: when drives were read
  type: list
  elements: dict
'''

from ansible_collections.amove.click.plugins.module_utils._account import ACCOUNT_INFO
from ansible_collections.amove.click.plugins.module_utils._runner import run_module


def main():
    run_module(ACCOUNT_INFO)


if __name__ == '__main__':
    main()
