#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: agent
short_description: Wait for a desktop's Amove agent, and have it sync its shared drives
version_added: 0.1.0
description:
  - Waits until the Amove agent of the desktop answers that it is started (a user is signed in).
  - With O(sync_shared_drives=true), then asks the agent to pull the shared cloud drives its
    signed-in user may reach, and reports a change only when the agent's local drive list
    differs before and after.
  - With O(expected_drives), it also tells which of those shared drives the desktop has (after the sync) and
    which it does not, so that one task per desktop waits, syncs and reports.
  - With O(start_agent=true), an agent found paused is resumed, and one found created, stopped or disposed
    is started, before the wait goes on; that is reported as a change.
  - Without O(sync_shared_drives) and O(expected_drives), it only waits, with one request per look.
  - On a started agent, a sync takes four requests (status, local drives, sync, local drives).
  - With O(desktop_drives), it then gives the desktop's drives their settings (drive letter, cache, sync interval),
    so that one task per desktop waits, syncs, tunes and reports.
  - With O(health=true), each local drive of RV(cloud_drives) also tells its health from the agent's drive reports,
    in the same run (one remote execution per desktop on the module path).
  - These are the agent's own management routes, which need no token or credentials, except to start an
    agent (O(start_agent)); the connection options are accepted so that C(module_defaults) for the action
    group apply.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Waits and reads the local drive list, but does not ask the agent to sync, resume or start.
    support: partial
    details: What a sync would change depends on the drives the agent's user may reach, which the agent alone
      decides, so check mode reports no change for it (a resume or start it would send is reported as a change,
      without waiting).
  diff_mode:
    description:
      - Shows the shared drives of the desktop before and after the sync, and each desktop setting that
        O(desktop_drives) changes (or in check mode would change), before and after.
    support: full
options:
  wait_timeout:
    description:
      - Seconds to wait for the agent to be started, as a deadline for the whole wait (each look waits for an
        answer only as long as is left, but at least half a second). V(0) checks once.
    type: int
    default: 60
  start_agent:
    description:
      - Bring up an agent that is not started instead of only waiting for it. A paused agent is resumed
        (C(POST /management/command/4), no token); a created, stopped or disposed one is started
        (C(POST /management/command/0)), which needs O(token) and signs that token's user in on the agent,
        so give the token of the desktop's own user.
      - The agent is then awaited for the rest of O(wait_timeout); the result has RV(command).
    type: bool
    default: false
  expected_drives:
    description:
      - Names of the shared cloud drives this desktop is meant to have. The result lists which of them
        the agent has (RV(received)) and which not (RV(missing)), after the sync with O(sync_shared_drives=true).
    type: list
    elements: str
  new_drives:
    description:
      - Those of O(expected_drives) that the account step of the same run creates. In check mode the
        account does not have them yet, and the summary says so instead of saying they are not for the
        desktop's user.
    type: list
    elements: str
  sync_shared_drives:
    description:
      - Ask the agent to sync its shared drives once it is started.
    type: bool
    default: false
  desktop_drives:
    description:
      - Settings of drives on this desktop, applied after the sync from the drive list the sync read, as
        M(amove.click.desktop_drive) applies them. A dictionary of drive name to settings, each with the keys
        C(drive_letter), C(max_cache_size), C(cache_encrypted), C(rotational_cache), C(sync_interval) and C(active)
        of that module (each only when given).
      - Unchanged settings cost no request; a drive this desktop does not have is left out
        (RV(desktop_drives[].present) is V(false)). Two drives asking for one letter are refused before any request.
      - Drives of this dictionary may trade letters, as a new desktop's sync gives letters in the agent's order. A letter
        that another drive of it leaves is taken once that drive has moved, and a ring of them (A takes B's letter,
        B takes A's) passes through one spare free letter that none of them asks for (one more request), or fails
        before any write when the desktop has none.
      - Since a sync may reset local settings, giving them on every run puts them back.
    type: dict
  health:
    description:
      - Also return each local drive's health (RV(cloud_drives[].health)) from the agent's drive reports, as
        M(amove.click.desktop_drive_info) with O(amove.click.desktop_drive_info#module:health=true) does.
      - Two more requests per local drive (C(GET /drivereport/summary/{id}) and C(GET /drivereport/sync_health/{id})),
        made in the same module run; on the controller path (Windows desktops) each is one more remote execution.
      - Reads only, so in check mode too.
    type: bool
    default: false
notes:
  - The agent's management routes need no credentials, and O(token) only to start an agent
    (O(start_agent)); O(username) and O(password) are not used.
  - The agent's status is asked again until it is started or O(wait_timeout) is over. Reads of its
    local drives are retried a few times when the agent is briefly unreachable or answers HTTP 500,
    502 or 503; the sync, resume and start commands are sent once, never repeated. Settings of
    O(desktop_drives) are written as M(amove.click.desktop_drive) writes them; a write whose answer
    is lost is verified by reading the drive, never repeated blindly.
  - An answer of a shape the module cannot use fails as C(unexpected answer from METHOD path).
seealso:
  - module: amove.click.shared_cloud_drive_set
  - name: The role amove.click.shared_cloud_drives
    description: Provisions drives across a fleet of desktops, then has each agent sync with this module.
    link: https://github.com/amove-io/amove.click/blob/main/roles/shared_cloud_drives/README.md
'''

EXAMPLES = r'''
- name: Wait up to two minutes for the desktop's agent
  amove.click.agent:
    wait_timeout: 120

- name: Have the agent pull the shared drives of its user
  amove.click.agent:
    sync_shared_drives: true
  register: agent

- name: Show the shared drives this desktop has now
  ansible.builtin.debug:
    msg: "{{ agent.cloud_drives | selectattr('shared_drive') | map(attribute='name') | list }}"

- name: Resume a paused agent, sync, and tell which of two drives arrived
  amove.click.agent:
    start_agent: true
    sync_shared_drives: true
    expected_drives:
      - Creative
      - Footage
  register: desktop

- name: Say what arrived
  ansible.builtin.debug:
    msg: "{{ desktop.summary }}"

- name: Tell which drives the desktop has and their sync health, changing nothing
  amove.click.agent:
    expected_drives:
      - Creative
    health: true
  register: desktop

- name: Name the drives with files that could not sync
  ansible.builtin.debug:
    msg: "{{ desktop.cloud_drives | selectattr('health.files_with_errors', 'gt', 0) | map(attribute='name') | list }}"
'''

RETURN = r'''
status:
  description: The agent's status, V(started) once it is.
  returned: success
  type: str
  sample: started
command:
  description: The command sent to bring the agent up, V(resume) or V(start) (in check mode, the one it would send).
  returned: when O(start_agent=true) found the agent not started
  type: str
  sample: resume
cloud_drives:
  description:
    - The agent's local cloud drives after the sync and the settings of O(desktop_drives); in check mode, as they are
      (the settings that would change are in RV(desktop_drives)).
  returned: when O(sync_shared_drives=true), O(expected_drives), O(desktop_drives) or O(health=true) is given
  type: list
  elements: dict
  contains:
    id:
      description: Id of the local drive.
      type: str
    name:
      description: Name of the drive.
      type: str
    shared_drive:
      description: Whether it is a shared cloud drive of the account.
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
      description: Drive letter or name on the desktop.
      type: str
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
      description: The most disk its cache may take, in bytes.
      type: int
    cache_encrypted:
      description: Whether its local cache is encrypted.
      type: bool
    rotational_cache:
      description: Whether its cache is rotational.
      type: bool
    sync_interval:
      description: Seconds between its syncs.
      type: int
    health:
      description:
        - The drive reports' view of the drive, as RV(amove.click.desktop_drive_info#module:desktop_drives[].health)
          returns it (status strings as the agent gives them; sync state in numbers such as C(files_with_errors),
          C(files_pending_upload), C(overall_sync_completion_percent); C(cache_size_bytes)).
      returned: when O(health=true)
      type: dict
      sample: {status: Running, drive_status: Running, files_with_errors: 0, files_pending_upload: 0,
               overall_sync_completion_percent: 100, cache_size_bytes: 1048576}
desktop_drives:
  description: One entry per drive of O(desktop_drives), sorted by name.
  returned: when O(desktop_drives) is given
  type: list
  elements: dict
  contains:
    name:
      description: Name of the drive.
      type: str
    present:
      description: Whether the desktop has the drive (its settings are applied only then).
      type: bool
    changed:
      description: Whether its settings were changed (in check mode, would be).
      type: bool
    changed_settings:
      description: The settings changed, sorted.
      type: list
      elements: str
      sample: [drive_letter, max_cache_size]
    desktop_drive:
      description:
        - The drive as the agent keeps it, as RV(amove.click.desktop_drive#module:desktop_drive) returns it ({} when absent);
          in check mode, as it would keep it.
      type: dict
added:
  description: Names of the shared drives the sync added to this desktop.
  returned: when O(sync_shared_drives=true), not in check mode
  type: list
  elements: str
removed:
  description: Names of the shared drives the sync removed from this desktop.
  returned: when O(sync_shared_drives=true), not in check mode
  type: list
  elements: str
received:
  description: The names of O(expected_drives) that the agent has, sorted.
  returned: when O(expected_drives) is given
  type: list
  elements: str
  sample: [Creative, Footage]
missing:
  description:
    - The names of O(expected_drives) that the agent does not have, sorted; its user may not reach them, or, in
      check mode, they are among O(new_drives), which the account does not have yet.
  returned: when O(expected_drives) is given
  type: list
  elements: str
  sample: [Stills]
summary:
  description: One line on what the desktop has of O(expected_drives); in check mode it starts with
    C(not synced (check mode)). With O(desktop_drives), it ends with C(settings changed:) (in check mode
    C(settings to change:)) and, per drive changed, its name with the settings changed in brackets, or with
    C(settings unchanged).
  returned: when O(expected_drives) is given
  type: str
  sample: '2 of the 3 listed drives on this desktop: Creative, Footage; not for its user: Stills'
'''

from ansible_collections.amove.click.plugins.module_utils._runner import run_module
from ansible_collections.amove.click.plugins.module_utils._agent import AGENT


def main():
    run_module(AGENT)


if __name__ == '__main__':
    main()
