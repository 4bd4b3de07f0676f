#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: user_group
short_description: Make an Amove user group exist, or not, with its members
version_added: 0.2.0
description:
  - Creates, updates, renames and deletes a user group of an Amove account, and says who is in it,
    through the Click API of an Amove desktop agent.
  - Drives and projects given to a group reach every member (see
    O(amove.click.shared_cloud_drive#module:groups)), so adding someone to a group is how a desktop
    of theirs receives the group's drives at its next sync.
  - The group is found by its exact O(name) (or by O(id)), by the same rule as shared cloud drives.
    Groups whose names merely contain O(name), and soft-deleted groups, are never touched.
  - This collection does not create, invite or delete users. Users are invited in the Amove web
    app (an invite sends an email and takes a billing seat); O(members) names users that exist.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._read_only.GROUP
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Predicts the group a real run would leave, and makes no write request.
    support: full
  diff_mode:
    description: Shows the group and its members before and after.
    support: full
options:
  name:
    description:
      - Name of the group, at most 100 characters.
      - "Our naming policy (the Click API documents none): a group is this one only when its name is
        exactly O(name). A group whose name differs only in letter case is taken as the same name:
        the task fails with that group's id instead of creating a second one, or, with
        O(state=absent), instead of reporting a group gone that is still there."
      - With O(state=absent), a name no group has returns unchanged, with a warning naming the
        groups whose names are close to it (a typo deletes nothing, and says so).
      - Selects the group by exact name unless O(id) is given; with O(id), renames the group to
        this name.
      - One of O(name) and O(id) is required.
    type: str
  id:
    description:
      - UUID of the group to manage. Use it to rename a group, or to pick one of several groups
        that share a name.
    type: str
  description:
    description:
      - Description of the group. Left out, it is not managed.
    type: str
  members:
    description:
      - Usernames of the users who must be in the group.
      - Every username must belong to a user of the account; an unknown one fails the task before
        any write, with the close names it may have meant. Usernames are e-mail addresses, so one
        written in another letter case is the user whose username equals it ignoring case, when
        exactly one does.
      - Left out, members are not managed.
    type: list
    elements: str
  purge_members:
    description:
      - V(false) only adds the O(members) listed; V(true) also removes the members not listed.
      - V(true) needs O(members); with O(members=[]) it empties the group, which is refused unless
        O(allow_empty_purge=true).
    type: bool
    default: false
  allow_empty_purge:
    description:
      - Allow O(purge_members=true) with an empty O(members) list, which removes every member (and so
        takes the group's drives away from them).
    type: bool
    default: false
  state:
    description:
      - V(present) makes the group exist as written; V(absent) deletes it (a soft delete).
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=absent), a group that still gives shared cloud drives or projects to its
        members is refused, naming them, because the Click API does not say that a deleted group
        takes its grants with it.
      - V(true) removes those grants first, then deletes the group, so no grant of a deleted group
        is left behind.
    type: bool
    default: false
notes:
  - Run the task on one desktop per account, with C(run_once) in a play of many desktops; groups
    belong to the account, not to a desktop.
  - A group with nothing to change costs one request (with a token), members included, because the
    detailed listing carries them. Each member to add costs one request to find the user by name, and
    every name is found before the first write; the members to add are then written in one request,
    and each member to remove in one request.
seealso:
  - module: amove.click.user_group_info
  - module: amove.click.shared_cloud_drive
'''

EXAMPLES = r'''
# The connection comes from AMOVE_CLICK_URL and AMOVE_CLICK_TOKEN in the environment.
- name: Make the Design Team group exist with alice in it
  amove.click.user_group:
    name: Design Team
    description: Works on the creative material
    members:
      - alice@example.com
  register: design

- name: Add bob, keeping everyone already in the group
  amove.click.user_group:
    name: Design Team
    members:
      - bob@example.com

- name: Make bob the only member
  amove.click.user_group:
    name: Design Team
    members:
      - bob@example.com
    purge_members: true

- name: Rename the group, selected by its id
  amove.click.user_group:
    id: "{{ design.user_group.id }}"
    name: Designers

- name: Give the Designers group a drive, in the same play
  amove.click.shared_cloud_drive:
    name: Design Work
    cloud_account: Demo S3
    storage_name: design-bucket
    groups:
      - name: Designers
        permission: read_write

- name: Delete the group, and the drive and project grants it still gives
  amove.click.user_group:
    name: Designers
    state: absent
    force: true
'''

RETURN = r'''
user_group:
  description:
    - The group after the task; in check mode, the group a real run would leave.
    - For a group that check mode predicts to be created, V(id) is left out, never invented.
    - An empty dictionary when the group is absent.
  returned: always
  type: dict
  sample:
    id: 2c8e6a4f-1b3d-4e5f-9a7b-6c5d4e3f2a1b
    name: Design Team
    description: Works on the creative material
    active: true
    members:
      - alice@example.com
    drives: []
    projects: []
  contains:
    id:
      description: UUID of the group.
      type: str
      returned: success, except for a group that check mode predicts to be created
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
      returned: success, except for a group that check mode predicts to be created
    members:
      description: Usernames of the members, sorted.
      type: list
      elements: str
      returned: success
    drives:
      description: Shared cloud drives the group gives its members, each with V(name) and V(permission).
      type: list
      elements: dict
      returned: success, except for a group that check mode predicts to be created
    projects:
      description: Projects the group gives its members, each with V(name) and V(permission).
      type: list
      elements: dict
      returned: success, except for a group that check mode predicts to be created
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._user_group import USER_GROUP


def main():
    run_module(USER_GROUP)


if __name__ == '__main__':
    main()
