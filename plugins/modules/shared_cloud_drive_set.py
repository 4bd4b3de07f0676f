#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: shared_cloud_drive_set
short_description: Make many Amove shared cloud drives match a list, in one run
version_added: 0.1.0
description:
  - Converges a whole list of shared cloud drives in one module run, through the Click API of an
    Amove desktop agent. Each entry of O(drives) takes the options of
    M(amove.click.shared_cloud_drive) and behaves exactly as that module would.
  - It reads the account's drives once (or one query per drive, whichever takes fewer requests),
    then makes only the writes that are needed. A loop over M(amove.click.shared_cloud_drive)
    gives the same result but pays Ansible's cost of a task for every drive.
  - With O(purge=true), live drives of the account that the list does not name are deleted.
  - Every entry is checked before any request, and every name the list needs (drives, cloud
    accounts, users, groups, projects) is resolved before the first write, each distinct name
    once. A list with unknown names writes nothing and names every one of them, with close
    names.
  - Writes are made in list order; the first failure stops the run and says which drive failed,
    what was done before it, and which drives were not reached. When earlier writes landed, the
    task fails with C(changed=true), and RV(shared_cloud_drives) tells each drive's outcome.
  - When the list creates drives, the account's remaining drive quota is read first
    (C(GET /user/package_inquiry), also in check mode); a list that does not fit fails before any
    write, naming the quota. A deletion listed before a creation frees its place.
  - A create costs its insert only, as with M(amove.click.shared_cloud_drive); check mode reads
    each cloud account given by O(drives[].cloud_account_id) once instead.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._connection.ACCOUNT
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Predicts every drive a real run would leave, and makes no write request.
    support: full
  diff_mode:
    description: Shows each drive that changes, before and after.
    support: full
options:
  drives:
    description:
      - The drives, each with the options of M(amove.click.shared_cloud_drive). Each drive may
        be listed once. The records of M(amove.click.shared_cloud_drive_info) are accepted as they are.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - Name of the drive; with O(drives[].id), the new name. Matched as
            O(amove.click.shared_cloud_drive#module:name) is, in both states. A drive whose name
            differs only in letter case fails the task with its id, and an absent name close to
            live drives' names warns naming them.
        type: str
      id:
        description: UUID of the drive, to select it by id.
        type: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
        default: present
      cloud_account_id:
        description: UUID of the cloud account that holds the bucket.
        type: str
      cloud_account:
        description: Name of the cloud account that holds the bucket.
        type: str
      storage_name:
        description: Name of the bucket.
        type: str
      prefix:
        description: Path prefix inside the bucket.
        type: str
      prefix_id:
        description: Provider-specific id of the prefix folder.
        type: str
      storage_id:
        description: Provider-specific id of the bucket.
        type: str
      objects_per_folder:
        description: Largest number of objects listed per folder; at least 1.
        type: int
      allow_delete:
        description: Whether deletions on the desktop propagate to the cloud.
        type: bool
      local_cache_encrypted:
        description: Whether the local cache is encrypted.
        type: bool
      cloud_objects_encrypted:
        description: Whether objects are encrypted at rest in the cloud.
        type: bool
      drive_type:
        description: V(virtual_drive) or V(local_path).
        type: str
        choices: [virtual_drive, local_path]
      sync_type:
        description: V(stream) or V(mirror).
        type: str
        choices: [stream, mirror]
      active:
        description: Whether the drive is active.
        type: bool
      users:
        description: Users who get the drive directly, as in M(amove.click.shared_cloud_drive).
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
        description: User groups whose members get the drive.
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
        description: Names of the projects the drive is assigned to.
        type: list
        elements: str
      purge_access:
        description: Also remove the users, groups and projects that the given lists do not name.
        type: bool
        default: false
      account_id:
        description: The agent's, as M(amove.click.shared_cloud_drive_info) returns it; ignored.
        type: raw
      creator_user_id:
        description: The agent's, as M(amove.click.shared_cloud_drive_info) returns it; ignored.
        type: raw
  purge:
    description:
      - Also delete every live drive of the account that O(drives) does not name.
    type: bool
    default: false
  allow_empty_purge:
    description:
      - O(purge=true) with an empty O(drives) list deletes every drive of the account, so it is
        refused unless this is V(true).
    type: bool
    default: false
notes:
  - Drives belong to the account, not to a desktop. In a play over many desktops, run this once
    (C(run_once)); the role C(amove.click.shared_cloud_drives) does.
seealso:
  - module: amove.click.shared_cloud_drive
  - module: amove.click.shared_cloud_drive_info
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Make the team's drives exist
  amove.click.shared_cloud_drive_set:
    drives:
      - name: Creative
        cloud_account: Demo S3
        storage_name: creative-bucket
        sync_type: mirror
        groups:
          - name: Editors
            permission: read_write
      - name: Footage
        cloud_account: Demo S3
        storage_name: footage-bucket
        sync_type: stream
        projects:
          - Launch
      - name: Old Footage
        state: absent
  register: team_drives

- name: Show what happened to each drive
  ansible.builtin.debug:
    msg: "{{ team_drives.shared_cloud_drives | items2dict(key_name='name', value_name='action') }}"

- name: Keep exactly these drives, deleting every other drive of the account
  amove.click.shared_cloud_drive_set:
    purge: true
    drives:
      - name: Creative
      - name: Footage
'''

RETURN = r'''
shared_cloud_drives:
  description:
    - One entry per listed drive, in list order, then one per purged drive.
    - When a write failed, also returned with the failure; the drives done before it, the one
      that failed (V(failed)) and those not reached (V(not_reached)).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the drive.
      type: str
      returned: always
    changed:
      description: Whether the drive changed.
      type: bool
      returned: always
    action:
      description:
        - What was done, or in check mode what would be done.
        - V(failed) and V(not_reached) only in the result of a failed task.
      type: str
      returned: always
      sample: created
      choices: [created, updated, deleted, purged, unchanged, failed, not_reached]
    shared_cloud_drive:
      description:
        - The drive after the task, as M(amove.click.shared_cloud_drive) returns it;
          V({}) when it is absent.
      type: dict
      returned: always
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import SHARED_CLOUD_DRIVE_SET


def main():
    run_module(SHARED_CLOUD_DRIVE_SET)


if __name__ == '__main__':
    main()
