# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the _info modules return beyond the options: accepted, and ignored, so that a record read goes back in.

PRIVATE to the amove.click collection: use it only from this collection's modules.
"""

from __future__ import annotations


class ModuleDocFragment:

    DRIVE = r'''
options:
  account_id:
    description:
      - The agent's, as M(amove.click.shared_cloud_drive_info) returns it. Ignored, so that a record of that
        module can be given back as it is.
    type: raw
  creator_user_id:
    description:
      - The agent's, as M(amove.click.shared_cloud_drive_info) returns it. Ignored.
    type: raw
'''

    GROUP = r'''
options:
  active:
    description:
      - The agent's, as M(amove.click.user_group_info) returns it. Ignored, so that a record of that module can be
        given back as it is.
    type: raw
  drives:
    description:
      - The drive grants the group gives, as M(amove.click.user_group_info) returns them with details. Ignored
        (a drive's O(amove.click.shared_cloud_drive#module:groups) gives them).
    type: raw
  projects:
    description:
      - The project grants the group gives, as M(amove.click.user_group_info) returns them with details. Ignored.
    type: raw
'''

    DESKTOP_DRIVE = r'''
options:
  shared_drive:
    description:
      - The agent's, as M(amove.click.desktop_drive_info) returns it, like O(shared_drive_id), O(permission),
        O(prefix), O(local_path), O(drive_type), O(sync_type) and O(health). Ignored, so that a record of that module
        can be given back as it is.
    type: raw
  shared_drive_id:
    description: The agent's. Ignored.
    type: raw
  permission:
    description: The agent's. Ignored.
    type: raw
  prefix:
    description: The agent's. Ignored.
    type: raw
  local_path:
    description: The agent's. Ignored.
    type: raw
  drive_type:
    description: The agent's. Ignored.
    type: raw
  sync_type:
    description: The agent's. Ignored.
    type: raw
  health:
    description: The drive reports' view, as M(amove.click.desktop_drive_info) returns it with O(health). Ignored.
    type: raw
'''

    CLOUD_ACCOUNT = r'''
options:
  active:
    description:
      - The agent's, as M(amove.click.cloud_account_info) returns it, like O(internal_storage), O(storage_tier),
        O(user_id) and O(account_id). Ignored, so that a record of that module can be given back as it is.
    type: raw
  internal_storage:
    description: The agent's. Ignored.
    type: raw
  storage_tier:
    description: The agent's. Ignored.
    type: raw
  user_id:
    description: The agent's (the account's owner). Ignored.
    type: raw
  account_id:
    description: The agent's. Ignored.
    type: raw
'''
