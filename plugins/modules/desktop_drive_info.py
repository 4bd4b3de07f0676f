#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: desktop_drive_info
short_description: Read the drives on a desktop, their settings and their sync health
version_added: 0.2.0
description:
  - Lists the drives of the Amove agent on the desktop where the task runs, all of them or one selected by exact
    name or by id, with their settings, through the agent's own management routes (no token).
  - With O(health=true), adds each drive's state from the agent's drive reports (summary and sync health).
  - Never changes anything. One request, and two more per drive with O(health=true).
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
      - Only the drives with exactly this name (case included).
      - A name that no drive on the desktop has exactly returns an empty list, with a warning naming the
        drives whose names are close to it (the same name in another letter case, or a typo).
    type: str
  id:
    description:
      - Only the drive with this id on this desktop.
    type: str
  health:
    description:
      - Also return RV(desktop_drives[].health) from the drive reports.
    type: bool
    default: false
seealso:
  - module: amove.click.desktop_drive
'''

EXAMPLES = r'''
- name: Have the agent pull its user's shared drives
  amove.click.agent:
    sync_shared_drives: true

- name: Read the desktop's drives with their sync health
  amove.click.desktop_drive_info:
    health: true
  register: desktop

- name: Fail when a drive has files it could not sync
  ansible.builtin.assert:
    that: desktop.desktop_drives | map(attribute='health.files_with_errors') | select('gt', 0) | list | length == 0
    fail_msg: some drives have files with errors
'''

RETURN = r'''
desktop_drives:
  description:
    - The selected drives, in the agent's order. Each has the keys of RV(amove.click.desktop_drive#module:desktop_drive)
      (id, name, shared_drive, shared_drive_id, permission, storage_name, prefix, drive_letter, local_path, drive_type,
      sync_type, active, max_cache_size, cache_encrypted, rotational_cache, sync_interval), and with O(health=true) RV(desktop_drives[].health).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Id of the drive on this desktop.
      type: str
    name:
      description: Name of the drive.
      type: str
    drive_letter:
      description: Drive letter on the desktop (empty when it has none).
      type: str
    max_cache_size:
      description: The most disk its cache may take, in bytes.
      type: int
    health:
      description:
        - The drive reports' view of the drive. The status strings are passed on as the agent gives them (the
          Click API does not list their values).
      returned: when O(health=true)
      type: dict
      contains:
        status:
          description: The drive's status (summary report C(Status)), such as V(Running).
          type: str
        uploader_status:
          description: Status of its uploader (C(UploaderStatus)).
          type: str
        downloader_status:
          description: Status of its downloader (C(DownloaderStatus)).
          type: str
        cloud_provider:
          description: The cloud provider (C(CloudProvider)), such as V(AWS).
          type: str
        total_files:
          description: Files the drive holds (C(TotalFiles)).
          type: int
        total_size_bytes:
          description: Their size in bytes (C(TotalSizeBytes)).
          type: int
        cache_size_bytes:
          description: Bytes the local cache takes (C(CacheSizeBytes)).
          type: int
        files_by_state:
          description: Number of files per state label (C(FilesByState)).
          type: dict
        drive_status:
          description: The sync health report's C(DriveStatus).
          type: str
        files_pending_upload:
          description: Files waiting to be uploaded.
          type: int
        files_uploading:
          description: Files being uploaded.
          type: int
        files_pending_download:
          description: Files waiting to be downloaded.
          type: int
        files_downloading:
          description: Files being downloaded.
          type: int
        files_with_errors:
          description: Files whose sync failed.
          type: int
        files_deleting:
          description: Files being deleted.
          type: int
        total_tracked_files:
          description: Files the agent tracks.
          type: int
        upload_completion_percent:
          description: How much of the uploads is done, in percent.
          type: float
        download_completion_percent:
          description: How much of the downloads is done, in percent.
          type: float
        overall_sync_completion_percent:
          description: How much of the sync is done, in percent.
          type: float
        active_upload_count:
          description: Uploads in flight.
          type: int
        active_download_count:
          description: Downloads in flight.
          type: int
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._desktop_drive import DESKTOP_DRIVE_INFO


def main():
    run_module(DESKTOP_DRIVE_INFO)


if __name__ == '__main__':
    main()
