#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: account
short_description: Make an Amove account's cloud accounts, user groups, projects and drives match lists, in one run
version_added: 0.2.0
description:
  - Converges the lists of an Amove account - its cloud accounts (O(cloud_accounts)), user groups
    (O(groups)), projects (O(projects)) and shared cloud drives (O(drives)) - in one module run,
    through the Click API of an Amove desktop agent. Each entry takes the options of the module of
    its kind, M(amove.click.cloud_account), M(amove.click.user_group), M(amove.click.project) or
    M(amove.click.shared_cloud_drive), and behaves exactly as that module would.
  - Everything is checked before the first write - every entry, the desktop settings of the drives,
    and every name the lists need (users, groups, projects, cloud accounts, drives), each distinct
    name once. Lists with problems write nothing and name every problem, with close names.
  - The lists are written in dependency order - cloud accounts, user groups, projects, then drives -
    so a drive may name a cloud account, a group or a project that this run makes, and a project a
    group, in check mode too (check mode then shows what the real run will do). A project may also
    name drives that this run makes, and they are linked to it once they are made.
  - Keys of cloud accounts (O(cloud_accounts[].access_key), O(cloud_accounts[].secret_key)) never
    appear in results, diffs, warnings, errors or verbose output.
  - Writes are made in that order, each list in its own order; the first failure stops the run and
    says which entry failed, what was done before it, and what was not reached. When earlier writes
    landed, the task fails with C(changed=true), and the results tell each entry's outcome.
  - This is the account step of the role C(amove.click.shared_cloud_drives).
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._connection.ACCOUNT
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description: Predicts every record a real run would leave, and makes no write request.
    support: full
  diff_mode:
    description: Shows each record that changes, before and after.
    support: full
options:
  cloud_accounts:
    description:
      - The cloud accounts, each with the options of M(amove.click.cloud_account). Each account may
        be listed once. Left out, no cloud account is managed.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the cloud account, matched as O(amove.click.cloud_account#module:name) is. No
            route renames a cloud account.
        type: str
      id:
        description: UUID of the cloud account, to select it by id.
        type: str
      state:
        description:
          - V(present) or V(absent). An account that drives still use is never deleted.
        type: str
        choices: [present, absent]
        default: present
      provider:
        description:
          - The storage provider, as O(amove.click.cloud_account#module:provider) takes it. Creating
            an account needs it; it cannot change once the account exists.
        type: str
        choices: [aws, wasabi, azure, s3_generic, google, frame, cloudflare, dropbox, box, onedrive,
                  google_drive, local_http, fastr_server, atomosphere]
      region:
        description: Region of the provider, sent when the account is created (never read back).
        type: str
      endpoint:
        description: Custom endpoint of the provider, sent when the account is created (never read back).
        type: str
      service_url:
        description: Base URL of the storage service; it cannot change once the account exists.
        type: str
      access_key:
        description:
          - Access key of the provider, with O(cloud_accounts[].secret_key), as
            O(amove.click.cloud_account#module:access_key) takes it.
        type: str
      secret_key:
        description: Secret key of the provider, with O(cloud_accounts[].access_key).
        type: str
      shared:
        description: Whether the account is shared with the whole Amove account. Left out, not managed.
        type: bool
      update_credentials:
        description:
          - V(on_create) sends the keys only when the account is created; V(always) makes the account
            anew with them, as O(amove.click.cloud_account#module:update_credentials) does.
        type: str
        choices: [on_create, always]
        default: on_create
      active:
        description: The agent's, as M(amove.click.cloud_account_info) returns it; ignored.
        type: raw
      internal_storage:
        description: The agent's, as M(amove.click.cloud_account_info) returns it; ignored.
        type: raw
      storage_tier:
        description: The agent's, as M(amove.click.cloud_account_info) returns it; ignored.
        type: raw
      user_id:
        description: The agent's, as M(amove.click.cloud_account_info) returns it; ignored.
        type: raw
      account_id:
        description: The agent's, as M(amove.click.cloud_account_info) returns it; ignored.
        type: raw
  groups:
    description:
      - The user groups, each with the options of M(amove.click.user_group). Each group may be
        listed once. Left out, no group is managed.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the group; with O(groups[].id), the new name. Matched as
            O(amove.click.user_group#module:name) is.
        type: str
      id:
        description: UUID of the group, to select it by id.
        type: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
        default: present
      description:
        description: Description of the group. Left out, it is not managed.
        type: str
      members:
        description:
          - Usernames of the users who must be in the group, as in
            O(amove.click.user_group#module:members).
        type: list
        elements: str
      purge_members:
        description:
          - Also remove the members that O(groups[].members) does not name; needs O(groups[].members).
        type: bool
        default: false
      allow_empty_purge:
        description:
          - Allow O(groups[].purge_members=true) with an empty O(groups[].members) list, which removes
            every member, as O(amove.click.user_group#module:allow_empty_purge) does.
        type: bool
        default: false
      force:
        description:
          - With O(groups[].state=absent), take back the grants the group still gives, then delete
            it, as O(amove.click.user_group#module:force) does.
        type: bool
        default: false
      active:
        description: The agent's, as M(amove.click.user_group_info) returns it; ignored.
        type: raw
      drives:
        description: The group's drive grants, as M(amove.click.user_group_info) returns them; ignored.
        type: raw
      projects:
        description: The group's project grants, as M(amove.click.user_group_info) returns them; ignored.
        type: raw
  projects:
    description:
      - The projects, each with the options of M(amove.click.project). Each project may be listed
        once. Left out, no project is managed.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the project; with O(projects[].id), the new name. Matched as
            O(amove.click.project#module:name) is.
        type: str
      id:
        description: UUID of the project, to select it by id.
        type: str
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
        default: present
      description:
        description: Description of the project. Left out, it is not managed.
        type: str
      active:
        description: Whether the project is active. Left out, it is not managed.
        type: bool
      users:
        description: Users who are in the project, as in M(amove.click.project).
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
        description: User groups whose members are in the project.
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
          - Names of the shared cloud drives that belong to the project; drives of O(drives) that
            this run makes may be named.
        type: list
        elements: str
      purge_access:
        description: Also remove the users, groups and drives that the given lists do not name.
        type: bool
        default: false
      force:
        description:
          - With O(projects[].state=absent), take back the drives and grants the project still
            holds, then delete it, as O(amove.click.project#module:force) does.
        type: bool
        default: false
  drives:
    description:
      - The shared cloud drives, each with the options of M(amove.click.shared_cloud_drive),
        and the desktop settings the role applies to them. Each drive may be listed once. Left
        out, no drive is managed.
    type: list
    elements: dict
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
      desktop:
        description:
          - Settings of this drive on every desktop, as the options of M(amove.click.desktop_drive)
            take them. They are checked here, before any write, so that a bad one changes nothing,
            and applied on each desktop by M(amove.click.agent)
            (O(amove.click.agent#module:desktop_drives)), as the role C(amove.click.shared_cloud_drives)
            does after each desktop's sync.
          - No letter may be asked for by two drives.
        type: dict
        suboptions:
          drive_letter:
            description: Windows drive letter, C to Z; V(G), V(g) and V(g:) all mean V(G).
            type: str
          max_cache_size:
            description:
              - The most disk the drive's cache may take, as
                O(amove.click.desktop_drive#module:max_cache_size) takes it.
            type: raw
          cache_encrypted:
            description: Whether the drive's local cache is encrypted.
            type: bool
          rotational_cache:
            description: Whether the drive's cache is rotational.
            type: bool
          sync_interval:
            description:
              - Time between the drive's syncs, as O(amove.click.desktop_drive#module:sync_interval)
                takes it.
            type: raw
          active:
            description: Whether the drive is active on the desktop.
            type: bool
  purge:
    description:
      - The kinds whose live records the lists do not name are deleted, such as V([drives]).
      - A cloud account that drives still use is never deleted; the task fails naming the drives.
    type: list
    elements: str
    choices: [cloud_accounts, groups, projects, drives]
    default: []
  allow_empty_purge:
    description:
      - Purging a kind whose list is empty deletes every record of that kind, so it is refused
        unless this is V(true).
    type: bool
    default: false
notes:
  - Cloud accounts, groups, projects and drives belong to the account, not to a desktop. In a play over many desktops, run
    this once (C(run_once)); the role C(amove.click.shared_cloud_drives) does.
seealso:
  - module: amove.click.cloud_account
  - module: amove.click.user_group
  - module: amove.click.project
  - module: amove.click.shared_cloud_drive
  - module: amove.click.shared_cloud_drive_set
  - name: The role amove.click.shared_cloud_drives
    description: Applies these lists once for a fleet of desktops, then has each desktop's agent sync.
    link: https://github.com/amove-io/amove.click/blob/main/roles/shared_cloud_drives/README.md
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Make the crew's cloud account, group, project and the drive they share, in one run
  amove.click.account:
    cloud_accounts:
      - name: Crew Wasabi
        provider: wasabi
        region: us-east-1
        access_key: "{{ vault_crew_access_key }}"
        secret_key: "{{ vault_crew_secret_key }}"
    groups:
      - name: Crew
        members:
          - alice@example.com
    projects:
      - name: Shoot
        groups:
          - name: Crew
            permission: read_write
        drives:
          - Dailies
    drives:
      - name: Dailies
        cloud_account: Crew Wasabi
        storage_name: dailies-bucket
        groups:
          - name: Crew
            permission: read_write
        desktop:
          drive_letter: "T:"
          max_cache_size: 20 GB
  vars:
    # In a real playbook these come from a vault file; here, the provider's documented example keys.
    vault_crew_access_key: AKIAIOSFODNN7EXAMPLE
    vault_crew_secret_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  register: crew

- name: Show what became of each group and drive
  ansible.builtin.debug:
    msg: >-
      {{ (crew.cloud_accounts + crew.user_groups + crew.projects + crew.shared_cloud_drives)
         | items2dict(key_name='name', value_name='action') }}
'''

RETURN = r'''
cloud_accounts:
  description:
    - One entry per listed cloud account, in list order, then one per purged account; as
      RV(amove.click.shared_cloud_drive_set#module:shared_cloud_drives) gives drives, with the
      account under C(cloud_account), without its keys.
    - When a write failed, also returned with the failure.
  returned: always
  type: list
  elements: dict
user_groups:
  description:
    - One entry per listed group, in list order, then one per purged group; as
      RV(amove.click.shared_cloud_drive_set#module:shared_cloud_drives) gives drives, with the group
      under C(user_group).
    - When a write failed, also returned with the failure.
  returned: always
  type: list
  elements: dict
projects:
  description:
    - One entry per listed project, in list order, then one per purged project; as
      RV(amove.click.shared_cloud_drive_set#module:shared_cloud_drives) gives drives, with the
      project under C(project).
    - When a write failed, also returned with the failure.
  returned: always
  type: list
  elements: dict
shared_cloud_drives:
  description:
    - One entry per listed drive, in list order, then one per purged drive, as
      RV(amove.click.shared_cloud_drive_set#module:shared_cloud_drives) gives them.
    - When a write failed, also returned with the failure.
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.amove.click.plugins.module_utils._account import ACCOUNT
from ansible_collections.amove.click.plugins.module_utils._runner import run_module


def main():
    run_module(ACCOUNT)


if __name__ == '__main__':
    main()
