#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: shared_cloud_drive_info
short_description: Read the shared cloud drives of an Amove account
version_added: 0.1.0
description:
  - Lists the live shared cloud drives of an Amove account through the Click API of an Amove
    desktop agent, all of them or those selected by exact name or by id.
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
      - Only the drive with exactly this name (case included). Drives whose names merely
        contain it are left out.
      - A name that no drive has exactly returns an empty list, with a warning naming the drives
        whose names are close to it (the same name in another letter case, or a typo).
    type: str
  id:
    description:
      - Only the drive with this UUID.
    type: str
  details:
    description:
      - Also return who gets each drive, as RV(shared_cloud_drives[].users),
        RV(shared_cloud_drives[].groups) and RV(shared_cloud_drives[].projects).
    type: bool
    default: false
seealso:
  - module: amove.click.shared_cloud_drive
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Read every shared cloud drive of the account
  amove.click.shared_cloud_drive_info:
  register: all_drives

- name: Read one drive and who gets it
  amove.click.shared_cloud_drive_info:
    name: Creative
    details: true
  register: creative

- name: Show the names of all drives
  ansible.builtin.debug:
    msg: "{{ all_drives.shared_cloud_drives | map(attribute='name') | list }}"
'''

RETURN = r'''
shared_cloud_drives:
  description:
    - The live drives that match, in the vocabulary of the options of M(amove.click.shared_cloud_drive).
    - Always a list; empty when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 6f1c9f0e-7a1b-4d7e-9a55-3c2d1e0f4b21
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
      returned: success
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
      description: UUID of the Amove account that owns the drive.
      type: str
      returned: success
    creator_user_id:
      description: UUID of the user who last wrote the drive.
      type: str
      returned: success
    users:
      description: Users who get the drive directly, each with V(name) (the username) and V(permission) (V(read) or V(read_write)).
      type: list
      elements: dict
      returned: when O(details=true)
    groups:
      description: User groups that get the drive, each with V(name) and V(permission) (V(read) or V(read_write)).
      type: list
      elements: dict
      returned: when O(details=true)
    projects:
      description: Names of the projects the drive is assigned to.
      type: list
      elements: str
      returned: when O(details=true)
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import SHARED_CLOUD_DRIVE_INFO


def main():
    run_module(SHARED_CLOUD_DRIVE_INFO)


if __name__ == '__main__':
    main()
