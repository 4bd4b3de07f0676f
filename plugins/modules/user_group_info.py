#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user_group_info
short_description: Read the user groups of an Amove account and their members
version_added: 0.2.0
description:
  - Lists the live user groups of an Amove account through the Click API of an Amove desktop
    agent, all of them or those selected by exact name or by id, each with its members.
  - Never changes anything.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Runs in check mode as in a normal run, since it changes nothing.
    support: full
  diff_mode:
    description: Changes nothing, so there is no difference to show.
    support: N/A
options:
  name:
    description:
      - Only the group with exactly this name (case included). Groups whose names merely contain
        it are left out.
      - A name that no group has exactly returns an empty list, with a warning naming the groups
        whose names are close to it (the same name in another letter case, or a typo).
    type: str
  id:
    description:
      - Only the group with this UUID.
    type: str
  details:
    description:
      - Also return the shared cloud drives and projects each group gives its members, as
        RV(user_groups[].drives) and RV(user_groups[].projects).
    type: bool
    default: false
notes:
  - One request, whatever is asked, while the account has at most 100 groups, because the
    detailed listing carries the members and grants.
seealso:
  - module: amove.click.user_group
'''

EXAMPLES = r'''
# The connection comes from AMOVE_CLICK_URL and AMOVE_CLICK_TOKEN in the environment.
- name: Read every user group of the account with its members
  amove.click.user_group_info:
  register: all_groups

- name: Read the Editors group, and the drives and projects it gives
  amove.click.user_group_info:
    name: Editors
    details: true
  register: editors

- name: Show who is in each group
  ansible.builtin.debug:
    msg: "{{ all_groups.user_groups | items2dict(key_name='name', value_name='members') }}"
'''

RETURN = r'''
user_groups:
  description:
    - The live groups that match. Always a list; empty when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 2c8e6a4f-1b3d-4e5f-9a7b-6c5d4e3f2a1b
      name: Editors
      description: Edit the creative work
      active: true
      members:
        - alice@example.com
      drives:
        - name: Creative
          permission: read_write
      projects: []
  contains:
    id:
      description: UUID of the group.
      type: str
      returned: success
    name:
      description: Name of the group.
      type: str
      returned: success
    description:
      description: Description of the group.
      type: str
      returned: success
    active:
      description: Whether the group is active.
      type: bool
      returned: success
    members:
      description: Usernames of the members, sorted.
      type: list
      elements: str
      returned: success
    drives:
      description: Shared cloud drives the group gives its members, each with V(name) and V(permission) (V(read) or V(read_write)).
      type: list
      elements: dict
      returned: when O(details=true)
    projects:
      description: Projects the group gives its members, each with V(name) and V(permission) (V(read) or V(read_write)).
      type: list
      elements: dict
      returned: when O(details=true)
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._user_group import USER_GROUP_INFO


def main():
    run_module(USER_GROUP_INFO)


if __name__ == '__main__':
    main()
