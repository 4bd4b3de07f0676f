#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: desktop_drive
short_description: Set the drive letter, cache and sync interval of one drive on a desktop
version_added: 0.2.0
description:
  - Manages one drive of the Amove agent on the desktop where the task runs, through the agent's own
    management routes, which need no token.
  - A drive that came from the account's shared cloud drives (with the agent's sync, see M(amove.click.agent))
    can be tuned here, never created or deleted on one desktop.
  - A desktop's own drive (a private drive on a cloud account's bucket) is created when it does not exist and
    O(storage_name) and the cloud account are given, and deleted with O(state=absent).
  - Each setting is managed only when given. Drives are looked up on every run, since local ids may change
    with a sync. A write sends the drive whole as just read, with only the given settings changed; cache
    settings go through the agent's cache route. Every setting written is compared with what the agent
    answers, and one it did not keep (a drive letter on a macOS agent, a cache size it capped) fails the task,
    naming the setting and the value kept.
  - A drive letter must be free on the desktop (listed by the agent as available) or already the drive's
    own; otherwise the task fails before any write, naming the letter and the free ones.
  - An unchanged drive costs one request; a changed letter one more (the free letters), and each of the two
    writes one (drive settings, cache settings).
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._read_only.DESKTOP_DRIVE
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Reads the drive (and the free letters), checks everything, and reports what would change.
    support: full
  diff_mode:
    description: Shows the drive's settings before and after.
    support: full
options:
  name:
    description:
      - Exact name of the drive (case included); for a drive that came from the account, its shared cloud drive's name.
      - Two drives of that name fail the task, listing their ids.
      - Given with O(id), it must be that drive's name (a drive on a desktop is not renamed).
    type: str
  id:
    description:
      - Id of the drive on this desktop. Local ids may change with a sync, so prefer O(name).
    type: str
  state:
    description:
      - V(absent) deletes a desktop's own drive; on a drive that came from the account's shared cloud drives it
        fails, saying how to take that drive away (its access, or the account's drive).
    type: str
    default: present
    choices: [present, absent]
  drive_letter:
    description:
      - Windows drive letter of the drive, C to Z; V(G), V(g) and V(g:) all mean V(G).
      - V('') is no letter, as the agent says it of a drive without one (a local-path drive, a macOS
        desktop), so that a record of M(amove.click.desktop_drive_info) goes back in as it is.
      - A macOS agent keeps no letters, so giving one there fails after the write, naming it.
    type: str
  max_cache_size:
    description:
      - The most disk the drive's cache may take, sent in bytes.
      - A whole number of bytes, or a number and a unit, such as V(50 GB), V(50GiB), V(50 gb) or V(1.5 TB). The units
        are V(B), V(KB), V(MB), V(GB) and V(TB), also written V(K), V(KiB), V(G), V(GiB) and so on, in any case; they
        are binary (1 GB = 1024 MB). A fraction needs a unit and must come to whole bytes.
      - At least V(5 MB), one transfer chunk of the agent (a smaller cache cannot hold a file being
        transferred), and at most what the agent's 64-bit field holds. Anything else fails before any request,
        with this grammar in the message.
    type: raw
  cache_encrypted:
    description:
      - Whether the drive's local cache is encrypted.
    type: bool
  rotational_cache:
    description:
      - Whether the drive's cache is rotational, as the agent reads it (the Click API does not say more).
    type: bool
  sync_interval:
    description:
      - Time between the drive's syncs, sent in seconds.
      - Whole seconds such as V(60), or a duration of hours, minutes and seconds such as V(30s), V(15m), V(1h) or
        V(1h30m); at least 1 second and at most 2147483647 seconds (the agent's 32-bit field). Anything else fails
        before any request, with this grammar in the message.
    type: raw
  active:
    description:
      - Whether the drive is active on this desktop.
    type: bool
  storage_name:
    description:
      - Bucket of a desktop's own drive, to create it. Not needed to tune an existing drive.
    type: str
  cloud_account_id:
    description:
      - UUID of the cloud account of a desktop's own drive, to create it.
    type: str
  cloud_account:
    description:
      - Name of the cloud account of a desktop's own drive, to create it; looked up with O(token) (or a user name
        and password). Given with O(cloud_account_id), both must name the same cloud account.
    type: str
notes:
  - Settings written on a desktop may be reset by the agent's next sync (the Click API says only that a sync adds
    and removes drives to match). To keep them, give them on every run after the sync, as
    O(amove.click.agent#module:desktop_drives) does in the same task as the sync; the role
    C(amove.click.shared_cloud_drives) gives the C(desktop) settings of its drives that way.
seealso:
  - module: amove.click.desktop_drive_info
  - module: amove.click.agent
'''

EXAMPLES = r'''
- name: Have the agent pull its user's shared drives first
  amove.click.agent:
    sync_shared_drives: true

# cloud_account by name needs the account's token (here from AMOVE_CLICK_TOKEN); cloud_account_id does not
- name: Give a desktop drive of its own a bigger, encrypted cache, syncing every five minutes
  amove.click.desktop_drive:
    name: Scratch
    storage_name: scratch-bucket
    cloud_account: Demo S3
    drive_letter: "u:"
    max_cache_size: 50 GB
    cache_encrypted: true
    sync_interval: 5m
  register: scratch

- name: Show the letter it has
  ansible.builtin.debug:
    msg: "{{ scratch.desktop_drive.name }} is on {{ scratch.desktop_drive.drive_letter }}:"

- name: Delete that drive of the desktop's own
  amove.click.desktop_drive:
    name: Scratch
    state: absent
'''

RETURN = r'''
desktop_drive:
  description: The drive as the agent keeps it after the task ({} once deleted); in check mode, as it would be.
  returned: success
  type: dict
  contains:
    id:
      description: Id of the drive on this desktop.
      type: str
    name:
      description: Name of the drive.
      type: str
    shared_drive:
      description: Whether it came from the account's shared cloud drives.
      type: bool
    shared_drive_id:
      description: Id of the shared cloud drive it mounts.
      type: str
    permission:
      description: What the signed-in user may do, V(read) or V(read_write).
      type: str
    storage_name:
      description: Name of the bucket.
      type: str
    prefix:
      description: Path prefix inside the bucket.
      type: str
    drive_letter:
      description: Drive letter on the desktop (empty when it has none).
      type: str
      sample: G
    local_path:
      description: Local path of the drive.
      type: str
    drive_type:
      description: V(virtual_drive) or V(local_path).
      type: str
    sync_type:
      description: V(stream) or V(mirror).
      type: str
    active:
      description: Whether the drive is active.
      type: bool
    max_cache_size:
      description: The most disk its cache may take, in bytes; V(null) when it was never set (the agent says 0).
      type: int
      sample: 53687091200
    cache_encrypted:
      description: Whether its local cache is encrypted.
      type: bool
    rotational_cache:
      description: Whether its cache is rotational.
      type: bool
    sync_interval:
      description: Seconds between its syncs.
      type: int
changed_settings:
  description: The options whose values this task changed (or would change, in check mode), sorted.
  returned: success
  type: list
  elements: str
  sample: [drive_letter, max_cache_size]
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._desktop_drive import DESKTOP_DRIVE


def main():
    run_module(DESKTOP_DRIVE)


if __name__ == '__main__':
    main()
