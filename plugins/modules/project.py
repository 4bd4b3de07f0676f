#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: project
short_description: Make an Amove project exist, or not, with who is in it and its drives
version_added: 0.2.0
description:
  - Creates, updates, renames and deletes a project of an Amove account through the Click API of
    an Amove desktop agent, and says who is in it (O(users) and O(groups), each with a permission)
    and which shared cloud drives belong to it (O(drives)).
  - Every user in a project, directly or through a group, reaches the project's drives, so a
    desktop of theirs receives them at its next sync.
  - The project is found by its exact O(name) (or by O(id)), by the same rule as shared cloud
    drives. Projects whose names merely contain O(name), and soft-deleted projects, are never
    touched.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._connection.ACCOUNT
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Predicts the project a real run would leave, and makes no write request.
    support: full
  diff_mode:
    description: Shows the project, who is in it and its drives, before and after.
    support: full
options:
  name:
    description:
      - Name of the project, at most 100 characters.
      - "Our naming policy (the Click API documents none): a project is this one only when its name
        is exactly O(name). A project whose name differs only in letter case is taken as the same
        name: the task fails with that project's id instead of creating a second one, or, with
        O(state=absent), instead of reporting a project gone that is still there."
      - With O(state=absent), a name no project has returns unchanged, with a warning naming the
        projects whose names are close to it.
      - Selects the project by exact name unless O(id) is given; with O(id), renames the project to
        this name.
      - One of O(name) and O(id) is required.
    type: str
  id:
    description:
      - UUID of the project to manage. Use it to rename a project, or to pick one of several
        projects that share a name.
    type: str
  state:
    description:
      - V(present) makes the project exist as written; V(absent) deletes it (a soft delete).
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the project. Left out, it is not managed.
    type: str
  active:
    description:
      - Whether the project is active. Left out, it is not managed (a new project is active).
    type: bool
  users:
    description:
      - Users who are in the project, each with the permission they get on its drives.
      - Listed users are added, or get the permission given; with O(purge_access=true), users not
        listed are taken out. Left out, users are not managed.
      - Every username must belong to a user of the account; an unknown one fails the task before
        any write, with the close names it may have meant.
    type: list
    elements: dict
    suboptions:
      name:
        description: The username, matched exactly (a username in another letter case is the one
          user whose username equals it ignoring case, when exactly one does).
        type: str
        required: true
      permission:
        description: V(read) or V(read_write).
        type: str
        choices: [read, read_write]
        default: read
  groups:
    description:
      - User groups whose members are in the project, as O(users) for users.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the user group, matched exactly.
        type: str
        required: true
      permission:
        description: V(read) or V(read_write).
        type: str
        choices: [read, read_write]
        default: read
  drives:
    description:
      - Names of the shared cloud drives (matched exactly) that belong to the project.
      - Listed drives are linked to the project; with O(purge_access=true), drives not listed are
        unlinked (the drives themselves stay). Left out, drives are not managed.
    type: list
    elements: str
  purge_access:
    description:
      - V(false) adds and updates the O(users), O(groups) and O(drives) listed and leaves the
        others; V(true) also removes those not listed, for each of the three lists that is given.
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), a project that still holds drives, users or groups is refused,
        naming them, because the agent keeps a deleted project's drive links and grants.
      - V(true) takes them back first (the drives and groups themselves stay), then deletes the
        project, so nothing of a deleted project is left behind.
    type: bool
    default: false
notes:
  - Run the task on one desktop per account, with C(run_once) in a play of many desktops; projects
    belong to the account, not to a desktop.
  - Requests made - nothing to change, 1 (with a token), users, groups and drives included,
    because the detailed listing carries them. Each user, group or drive to add costs one request
    to find it by name, and every name is found before the first write, so an unknown name
    changes nothing; the additions of each list are then written in one request, permission
    changes of each list in one, and each removal in one.
seealso:
  - module: amove.click.project_info
  - module: amove.click.shared_cloud_drive
  - module: amove.click.user_group
  - module: amove.click.account
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Make the Campaign drive exist
  amove.click.shared_cloud_drive:
    name: Campaign
    cloud_account: Demo S3
    storage_name: campaign-bucket

- name: Make the Spring Campaign project exist, with who is in it and its drive
  amove.click.project:
    name: Spring Campaign
    description: The spring campaign's material
    users:
      - name: alice@example.com
        permission: read_write
    groups:
      - name: Viewers
    drives:
      - Campaign
  register: spring

- name: Make the Editors the only group in it, alice's grant kept
  amove.click.project:
    name: Spring Campaign
    groups:
      - name: Editors
        permission: read_write
    purge_access: true

- name: Rename the project, selected by its id
  amove.click.project:
    id: "{{ spring.project.id }}"
    name: Spring Campaign 2026

- name: Delete the project, after taking back its drive and grants
  amove.click.project:
    name: Spring Campaign 2026
    state: absent
    force: true
'''

RETURN = r'''
project:
  description:
    - The project after the task; in check mode, the project a real run would leave.
    - For a project that check mode predicts to be created, V(id) is left out, never invented.
    - An empty dictionary when the project is absent.
  returned: always
  type: dict
  sample:
    id: 8e4d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f
    name: Spring Campaign
    description: The spring campaign's material
    active: true
    users:
      - name: alice@example.com
        permission: read_write
    groups:
      - name: Viewers
        permission: read
    drives:
      - Campaign
  contains:
    id:
      description: UUID of the project.
      type: str
      returned: success, except for a project that check mode predicts to be created
    name:
      description: Name of the project.
      type: str
      returned: success
    description:
      description: Description of the project.
      type: str
      returned: success, except for a project that check mode predicts to be created without O(description)
    active:
      description: Whether the project is active.
      type: bool
      returned: success, except for a project that check mode predicts to be created without O(active)
    users:
      description: Users in the project, each with V(name) (the username) and V(permission), sorted.
      type: list
      elements: dict
      returned: success, except for a project that check mode predicts to be created without O(users), O(groups) or O(drives)
    groups:
      description: User groups in the project, each with V(name) and V(permission), sorted.
      type: list
      elements: dict
      returned: success, except for a project that check mode predicts to be created without O(users), O(groups) or O(drives)
    drives:
      description: Names of the shared cloud drives that belong to the project, sorted.
      type: list
      elements: str
      returned: success, except for a project that check mode predicts to be created without O(users), O(groups) or O(drives)
'''

from ansible_collections.amove.click.plugins.module_utils._project import PROJECT
from ansible_collections.amove.click.plugins.module_utils._runner import run_module


def main():
    run_module(PROJECT)


if __name__ == '__main__':
    main()
