#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: shared_cloud_drive
short_description: Make an Amove shared cloud drive exist, or not, exactly as written
version_added: 0.1.0
description:
  - Creates, updates, renames and deletes a shared cloud drive of an Amove account through the
    Click API of an Amove desktop agent.
  - A shared cloud drive is a virtual drive backed by a bucket (and optional prefix) of one of the
    account's cloud accounts, shared across the users of the account.
  - The drive is found by its exact O(name) (or by O(id)). Drives whose names merely contain
    O(name), and soft-deleted drives, are never touched.
  - An option that is left out is not managed. On update the drive keeps its current value; on
    create the agent's default applies. Updates read the whole drive, change only the options
    that are set, and write it back, so nothing else is lost.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._read_only.DRIVE
  - amove.click._connection.ACCOUNT
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Predicts the drive a real run would leave, and makes no write request.
    support: full
  diff_mode:
    description: Shows the drive before and after, in the vocabulary of the options.
    support: full
options:
  name:
    description:
      - Name of the drive, at most 50 characters.
      - "Our naming policy (the Click API documents none): a drive is this one only when its name is
        exactly O(name). A drive whose name differs only in letter case (compared by plain
        lower-casing, as the agent's name filter does) is taken as the same name: with
        O(state=present) or O(state=absent) alike, the task fails with that drive's id instead of
        creating a second drive or deleting nothing. The agent may refuse other names as
        duplicates too; its C(DUPLICATE) answer then has the last word."
      - With O(state=absent), a name that no drive has is already absent (V(ok)); when live drives
        have close names (a typo, say), a warning names them.
      - Selects the drive by exact name unless O(id) is given; with O(id), renames the drive to
        this name. A rename onto a name another drive holds fails naming that drive and its id.
      - One of O(name) and O(id) is required.
    type: str
  id:
    description:
      - UUID of the drive to manage. Use it to rename a drive, or to pick one of several drives
        that share a name.
      - The Click API has no read by id, so selecting by id lists every drive of the account.
    type: str
  state:
    description:
      - V(present) makes the drive exist with the options given; V(absent) deletes it (a soft
        delete).
    type: str
    choices: [present, absent]
    default: present
  cloud_account_id:
    description:
      - UUID of the cloud account that holds the bucket.
      - Creating a drive needs this or O(cloud_account).
      - Given with O(cloud_account) (as M(amove.click.shared_cloud_drive_info) returns both), both must
        name the same cloud account.
    type: str
  cloud_account:
    description:
      - Name of the cloud account that holds the bucket, looked up in the cloud accounts the
        agent knows. It must name exactly one.
      - Given with O(cloud_account_id), both must name the same cloud account.
    type: str
  storage_name:
    description:
      - Name of the bucket. Creating a drive needs it.
    type: str
  prefix:
    description:
      - Path prefix inside the bucket, such as V(projects/creative/).
    type: str
  prefix_id:
    description:
      - Provider-specific id of the prefix folder (used by some providers).
    type: str
  storage_id:
    description:
      - Provider-specific id of the bucket (used by some providers).
    type: str
  objects_per_folder:
    description:
      - Largest number of objects listed per folder; at least 1. The agent's default is 10000.
    type: int
  allow_delete:
    description:
      - Whether deletions on the desktop propagate to the cloud.
    type: bool
  local_cache_encrypted:
    description:
      - Whether the local cache is encrypted.
    type: bool
  cloud_objects_encrypted:
    description:
      - Whether objects are encrypted at rest in the cloud.
    type: bool
  drive_type:
    description:
      - V(virtual_drive) mounts the drive as a virtual drive; V(local_path) syncs it to a local
        folder.
    type: str
    choices: [virtual_drive, local_path]
  sync_type:
    description:
      - V(stream) keeps files in the cloud and fetches them on demand; V(mirror) keeps a full
        local copy.
    type: str
    choices: [stream, mirror]
  active:
    description:
      - Whether the drive is active.
    type: bool
  users:
    description:
      - Users who get the drive directly. An agent syncs only the drives its signed-in user may
        reach, directly, through a group, or through a project.
      - Listed users get the drive with the permission given; with O(purge_access=true), users
        not listed lose it. Left out, users are not managed.
    type: list
    elements: dict
    suboptions:
      name:
        description: The username, matched exactly.
        type: str
        required: true
      permission:
        description: V(read) or V(read_write).
        type: str
        choices: [read, read_write]
        default: read
  groups:
    description:
      - User groups whose members get the drive, as O(users) for users.
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
  projects:
    description:
      - Names of the projects (matched exactly) the drive is assigned to; their members get it.
      - With O(purge_access=true), the drive leaves projects not listed.
    type: list
    elements: str
  purge_access:
    description:
      - V(false) adds and updates the O(users), O(groups) and O(projects) listed and leaves the
        others; V(true) also removes those not listed, for each of the three lists that is given.
    type: bool
    default: false
notes:
  - Run the task on the desktop whose agent it talks to, or on one desktop per account with
    C(run_once); drives belong to the account, not to a desktop.
  - A drive with nothing to change costs one request (with a token), also with O(users), O(groups)
    and O(projects), because the listing carries the drive's assignments; an update or a delete
    costs 2, and a create with O(cloud_account_id) 2, the lookup and the insert. The agent itself refuses a
    cloud account it does not know (C(HTTP 499 NOT_FOUND)); only then does the module read the
    cloud accounts once more, to name those the agent knows in the failure. Check mode sends no
    insert, so it reads the cloud account instead (C(GET /cloud/account)). Giving
    O(cloud_account) by name costs one more request (C(GET /cloud/accounts)), and only when the
    drive does not already name that cloud account. Each user, group or project to add costs
    one request to find it by name, and every name is found before the first write, so an
    unknown name changes nothing (the failure lists close names). With O(state=absent), the drive
    is looked up in the account's first page of drives, which also gives the close names to warn
    of; an account of more than one page costs one more request. A refused rename costs one
    more request, to name the drive that holds the name.
seealso:
  - module: amove.click.shared_cloud_drive_info
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Make the Creative drive exist
  amove.click.shared_cloud_drive:
    name: Creative
    cloud_account: Demo S3
    storage_name: creative-bucket
    prefix: projects/creative/
    sync_type: mirror
  register: creative

- name: Let deletions on desktops reach the cloud, leaving every other option as it is
  amove.click.shared_cloud_drive:
    name: Creative
    allow_delete: true

- name: Rename the drive, selected by its id
  amove.click.shared_cloud_drive:
    id: "{{ creative.shared_cloud_drive.id }}"
    name: Creative Team

- name: Make a drive in the cloud account of another drive, given by its id
  amove.click.shared_cloud_drive:
    name: Archive
    cloud_account_id: "{{ creative.shared_cloud_drive.cloud_account_id }}"
    storage_name: archive-bucket
    sync_type: stream

- name: Say who gets the Creative Team drive, and take it from everyone else
  amove.click.shared_cloud_drive:
    name: Creative Team
    users:
      - name: alice@example.com
        permission: read_write
      - name: bob@example.com
    groups:
      - name: Editors
        permission: read_write
    projects:
      - Launch
    purge_access: true

- name: Delete a drive
  amove.click.shared_cloud_drive:
    name: Archive
    state: absent

- name: Set options once for every module of the collection
  module_defaults:
    group/amove.click.click_api:
      timeout: 60
  block:
    - name: Make the Footage drive exist
      amove.click.shared_cloud_drive:
        name: Footage
        cloud_account: Demo S3
        storage_name: footage-bucket

    - name: Read it back
      amove.click.shared_cloud_drive_info:
        name: Footage
'''

RETURN = r'''
shared_cloud_drive:
  description:
    - The drive after the task, in the vocabulary of the options; in check mode, the drive a real
      run would leave.
    - For a drive that check mode predicts to be created, only what the task sets (and
      RV(shared_cloud_drive.cloud_account) when given by name); what the agent would choose
      (V(id), RV(shared_cloud_drive.account_id), options left out) is left out, never invented.
    - An empty dictionary when the drive is absent.
  returned: always
  type: dict
  sample:
    id: 6f1c9f0e-7a1b-4d7e-9a55-3c2d1e0f4b21
    name: Creative
    cloud_account_id: 0c6f3a51-2d7e-4b8a-9f10-5e4d3c2b1a09
    cloud_account: Demo S3
    storage_name: creative-bucket
    prefix: projects/creative/
    prefix_id: ''
    storage_id: ''
    objects_per_folder: 10000
    allow_delete: false
    local_cache_encrypted: false
    cloud_objects_encrypted: false
    drive_type: virtual_drive
    sync_type: mirror
    active: true
    account_id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
    creator_user_id: 1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e
  contains:
    id:
      description: UUID of the drive.
      type: str
      returned: success, except for a drive that check mode predicts to be created
    name:
      description: Name of the drive.
      type: str
      returned: success
    cloud_account_id:
      description: UUID of the cloud account that holds the bucket.
      type: str
      returned: success
    cloud_account:
      description: Name of that cloud account, when the agent says it.
      type: str
      returned: success
    storage_name:
      description: Name of the bucket.
      type: str
      returned: success
    prefix:
      description: Path prefix inside the bucket.
      type: str
      returned: success
    prefix_id:
      description: Provider-specific id of the prefix folder.
      type: str
      returned: success
    storage_id:
      description: Provider-specific id of the bucket.
      type: str
      returned: success
    objects_per_folder:
      description: Largest number of objects listed per folder.
      type: int
      returned: success
    allow_delete:
      description: Whether deletions on the desktop propagate to the cloud.
      type: bool
      returned: success
    local_cache_encrypted:
      description: Whether the local cache is encrypted.
      type: bool
      returned: success
    cloud_objects_encrypted:
      description: Whether objects are encrypted at rest in the cloud.
      type: bool
      returned: success
    drive_type:
      description: V(virtual_drive) or V(local_path).
      type: str
      returned: success
    sync_type:
      description: V(stream) or V(mirror).
      type: str
      returned: success
    active:
      description: Whether the drive is active.
      type: bool
      returned: success
    account_id:
      description: UUID of the Amove account that owns the drive (set by the agent).
      type: str
      returned: success
    creator_user_id:
      description: UUID of the user who last wrote the drive (set by the agent).
      type: str
      returned: success
    users:
      description: Users who get the drive directly, each with V(name) and V(permission).
      type: list
      elements: dict
      returned: when O(users), O(groups) or O(projects) is given
    groups:
      description: User groups that get the drive, each with V(name) and V(permission).
      type: list
      elements: dict
      returned: when O(users), O(groups) or O(projects) is given
    projects:
      description: Names of the projects the drive is assigned to.
      type: list
      elements: str
      returned: when O(users), O(groups) or O(projects) is given
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import SHARED_CLOUD_DRIVE


def main():
    run_module(SHARED_CLOUD_DRIVE)


if __name__ == '__main__':
    main()
