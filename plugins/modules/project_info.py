#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: project_info
short_description: Read the projects of an Amove account, who is in them and their drives
version_added: 0.2.0
description:
  - Lists the live projects of an Amove account through the Click API of an Amove desktop agent,
    all of them or those selected by exact name or by id.
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
    description: Changes nothing, so there is no difference to show.
    support: N/A
options:
  name:
    description:
      - Only the project with exactly this name (case included). Projects whose names merely
        contain it are left out; with none, a warning names the projects whose names are close to it.
    type: str
  id:
    description:
      - Only the project with this UUID.
    type: str
  details:
    description:
      - Also return who is in each project and its drives, as RV(projects[].users),
        RV(projects[].groups) and RV(projects[].drives).
    type: bool
    default: false
notes:
  - One request, whatever is asked, while the account has at most 100 projects, because the
    detailed listing carries who is in them and their drives.
seealso:
  - module: amove.click.project
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Read every project of the account
  amove.click.project_info:
  register: all_projects

- name: Read the Launch project, who is in it and its drives
  amove.click.project_info:
    name: Launch
    details: true
  register: launch

- name: Show who is in Launch
  ansible.builtin.debug:
    msg: "{{ launch.projects[0].users | map(attribute='name') | list }}"
'''

RETURN = r'''
projects:
  description:
    - The live projects that match. Always a list; empty when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e
      name: Launch
      description: The product launch
      active: true
      users:
        - name: bob@example.com
          permission: read
      groups: []
      drives: []
  contains:
    id:
      description: UUID of the project.
      type: str
      returned: success
    name:
      description: Name of the project.
      type: str
      returned: success
    description:
      description: Description of the project.
      type: str
      returned: success
    active:
      description: Whether the project is active.
      type: bool
      returned: success
    users:
      description: Users in the project, each with V(name) (the username) and V(permission) (V(read) or V(read_write)).
      type: list
      elements: dict
      returned: when O(details=true)
    groups:
      description: User groups in the project, each with V(name) and V(permission) (V(read) or V(read_write)).
      type: list
      elements: dict
      returned: when O(details=true)
    drives:
      description: Names of the shared cloud drives that belong to the project.
      type: list
      elements: str
      returned: when O(details=true)
'''

from ansible_collections.amove.click.plugins.module_utils._project import PROJECT_INFO
from ansible_collections.amove.click.plugins.module_utils._runner import run_module


def main():
    run_module(PROJECT_INFO)


if __name__ == '__main__':
    main()
