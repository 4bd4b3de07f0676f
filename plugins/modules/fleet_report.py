#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fleet_report
short_description: Write the fleet report of the shared cloud drives (index.html, fleet.json, junit.xml)
version_added: 0.2.0
description:
  - Writes, on the controller, what a check-mode run of the role C(amove.click.shared_cloud_drives) found on each
    desktop and in the account into one directory - C(index.html), one page that needs no network (the fleet at a
    glance - desktops by drives, each cell with the drive's state and health, drift marked, counts on top, each
    desktop's details one click away), C(fleet.json) (for other tools; its schema is C(docs/fleet_report.schema.json)
    of the collection) and C(junit.xml) (a test case per desktop and drive, failing on drift, a missing drive or bad
    health, for any CI).
  - Drift is what C(amove.click.provision) would change - the account step's check-mode actions, and per desktop the
    settings its agent would change, the listed drives it lacks, and an agent it would resume or start.
  - A drive's health comes from its drive reports (O(amove.click.agent#module:health=true)) and is judged on their
    numbers only, since the Click API does not list the values of their status strings - V(bad) when files could
    not sync (C(files_with_errors)), V(warning) when files are waiting to sync or its cache is 90% full, else V(good).
  - Asks no desktop and no agent; the playbook C(amove.click.report) runs it once, after the role.
  - This is an action plugin; it runs on the controller whatever the host.
author:
  - Amove Click collection maintainers (@amove-io)
attributes:
  check_mode:
    description: Writes the files in check mode too - they are what a check-mode run reports, not state on a managed host.
    support: full
  diff_mode:
    description: Shows no difference; the report itself tells what differs.
    support: none
  action:
    description: Runs on the controller.
    support: full
options:
  dest:
    description:
      - The directory to write C(index.html), C(fleet.json) and C(junit.xml) into; made when missing. Existing files of
        those names are replaced, each at once.
    type: path
    required: true
  desktops:
    description:
      - Each desktop's name, to the result of its M(amove.click.agent) task (as the role registers it in
        C(shared_cloud_drives_desktop)), with O(amove.click.agent#module:expected_drives) and, for health,
        O(amove.click.agent#module:health=true).
      - A failed or unreachable result is reported as such; an empty one as a desktop that was not read.
    type: dict
    required: true
  account:
    description:
      - The result of the account step, M(amove.click.account) in check mode (as the role registers it in
        C(shared_cloud_drives_account)). Empty when the play had no account step.
    type: dict
    default: {}
  title:
    description: The title of the page and of the JUnit test suites.
    type: str
    default: Amove fleet report
notes:
  - Nothing of the results but names, settings, health, actions and messages reaches the files; the modules' results
    hold no secret.
seealso:
  - module: amove.click.agent
  - module: amove.click.account
  - name: The fleet report
    description: What the report shows, the schema of fleet.json, the health rule and the JUnit layout.
    link: https://github.com/amove-io/amove.click/blob/main/docs/report.md
'''

EXAMPLES = r'''
# The playbook amove.click.report does this for a fleet, with the role; here, by hand, on each host of a play.
- name: Have each desktop's agent tell its drives, their health and the settings a real run would change
  amove.click.agent:
    expected_drives:
      - Creative
    desktop_drives:
      Creative:
        drive_letter: R
    health: true
  check_mode: true
  register: desktop

- name: Write index.html, fleet.json and junit.xml on the controller, once
  amove.click.fleet_report:
    dest: "{{ playbook_dir }}/fleet-report"
    desktops: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars) | map(attribute='desktop', default={}))) }}"
  run_once: true
  register: report

- name: Say what the report found
  ansible.builtin.debug:
    msg: "{{ report.msg }}"
  run_once: true
'''

RETURN = r'''
msg:
  description: One line - the counts, and the desktops to look at.
  returned: success
  type: str
  sample: '3 desktops: 0 in sync, 2 drifted, 1 with unhealthy drives, 0 not read; account: in sync; drifted: desktop1, desktop2; unhealthy drives on: desktop3'
files:
  description: The paths written.
  returned: success
  type: dict
  contains:
    html:
      description: The page, C(index.html).
      type: str
    json:
      description: The data, C(fleet.json).
      type: str
    junit:
      description: The test report, C(junit.xml).
      type: str
counts:
  description: The counts on top of the page, as in C(fleet.json).
  returned: success
  type: dict
  contains:
    desktops:
      description: Desktops in the report.
      type: int
    in_sync:
      description: Desktops with nothing to change and no unhealthy drive.
      type: int
    drifted:
      description: Desktops that provision would change (settings, missing drives, an agent to bring up).
      type: int
    unhealthy:
      description: Desktops with at least one drive of bad health (drifted ones included).
      type: int
    not_read:
      description: Desktops that failed, were unreachable, or were not reached by the play.
      type: int
    listed_drives:
      description: Drives each desktop should have.
      type: int
    missing_drives:
      description: Listed drives missing, summed over the desktops.
      type: int
    drifted_drives:
      description: Drives whose desktop settings provision would change, summed over the desktops.
      type: int
    unhealthy_drives:
      description: Drives of bad health, summed over the desktops.
      type: int
    account_changes:
      description: Records of the account that provision would create, update or delete.
      type: int
  sample: {desktops: 3, in_sync: 0, drifted: 2, unhealthy: 1, not_read: 0, listed_drives: 3, missing_drives: 1,
           drifted_drives: 1, unhealthy_drives: 1, account_changes: 0}
drift:
  description: Whether provision would change anything, in the account or on a desktop.
  returned: success
  type: bool
unhealthy:
  description: Whether a drive has bad health.
  returned: success
  type: bool
not_read:
  description: Whether a desktop could not be read, or the account step failed.
  returned: success
  type: bool
account_changes:
  description: What provision would change in the account, one line per record, such as C(created shared cloud drive Reels).
  returned: success
  type: list
  elements: str
drifted_desktops:
  description: The desktops that drifted, worst first.
  returned: success
  type: list
  elements: str
unhealthy_desktops:
  description: The desktops with a drive of bad health.
  returned: success
  type: list
  elements: str
not_read_desktops:
  description: The desktops that could not be read.
  returned: success
  type: list
  elements: str
'''
