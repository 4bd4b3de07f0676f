#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: cloud_account
short_description: Make an Amove cloud account exist, or not, and say whether it is shared
version_added: 0.2.0
description:
  - Creates, shares, unshares and deletes a cloud account of an Amove account through the Click API
    of an Amove desktop agent. A cloud account holds the keys of a storage provider (AWS, Wasabi,
    an S3-compatible server...); shared cloud drives are made from its buckets (see
    O(amove.click.shared_cloud_drive#module:cloud_account)).
  - The agent checks new keys with the provider before it saves an account. When the provider
    refuses them, the task fails with the agent's own message, and nothing is saved.
  - The agent answers keys masked and has no route that changes a saved account, except its sharing.
    So the keys are sent when the account is created (see O(update_credentials)); O(shared) is
    made to match on every run; and a change of O(provider) or O(service_url) of an existing
    account fails before any write, naming the options, because no route could make it.
  - Accounts whose credentials come from a sign-in with the provider (V(dropbox), V(box),
    V(onedrive), V(google_drive)) are connected in the Amove app; this module refuses to create
    them, and says so. Once connected, they can be named by drives, shared and read.
  - The account is found by its exact O(name) (or by O(id)), by the same rule as shared cloud
    drives. Soft-deleted accounts are never touched.
  - O(access_key) and O(secret_key) never appear in results, diffs, warnings, errors or verbose output.
author:
  - Amove Click collection maintainers (@amove-io)
extends_documentation_fragment:
  - amove.click._read_only.CLOUD_ACCOUNT
  - amove.click._connection.ACCOUNT
  - amove.click._connection
  - amove.click._connection.ATTRIBUTES
attributes:
  check_mode:
    description:
      - Predicts the account a real run would leave, and makes no write request. The provider's
        check of new keys happens on a real write only, so check mode cannot foresee its refusal.
    support: full
  diff_mode:
    description: Shows the account before and after, without its keys.
    support: full
options:
  name:
    description:
      - Name of the cloud account, at most 50 characters.
      - "Our naming policy (the Click API documents none, and the agent lets two accounts share a
        name): an account is this one only when its name is exactly O(name). An account whose
        name differs only in letter case is taken as the same name: the task fails with that
        account's id instead of creating a second one, or, with O(state=absent), instead of
        reporting an account gone that is still there. Two accounts with exactly this name fail
        the task with their ids: select one with O(id)."
      - With O(state=absent), a name no account has returns unchanged, with a warning naming the
        accounts whose names are close to it.
      - No route renames a cloud account. With O(id), O(name) must be the account's name; another
        name fails before any write.
      - One of O(name) and O(id) is required.
    type: str
  id:
    description:
      - UUID of the cloud account to manage, to pick one of several accounts that share a name.
    type: str
  state:
    description:
      - V(present) makes the account exist; V(absent) deletes it (a soft delete).
      - An account that shared cloud drives still use is never deleted, with or without
        O(update_credentials=always); the task fails naming those drives. Delete them, or move
        them to another cloud account, first.
    type: str
    choices: [present, absent]
    default: present
  provider:
    description:
      - The storage provider, the agent's C(cloudType). Creating an account needs it.
      - V(aws), V(wasabi), V(azure), V(s3_generic), V(google) and V(cloudflare) take keys
        (O(access_key) and O(secret_key), both needed to create the account); V(s3_generic),
        V(local_http) and V(fastr_server) also need O(service_url).
      - V(dropbox), V(box), V(onedrive) and V(google_drive) are connected in the Amove app, and
        creating one here is refused before any write.
      - It cannot change once the account exists.
    type: str
    choices: [aws, wasabi, azure, s3_generic, google, frame, cloudflare, dropbox, box, onedrive,
              google_drive, local_http, fastr_server, atomosphere]
  region:
    description:
      - Region of the provider, such as V(us-east-1), where the provider has regions.
      - Sent when the account is created, or made anew with O(update_credentials=always). The agent
        never answers it, so a different value for an existing account cannot be seen, and is not
        written.
    type: str
  endpoint:
    description:
      - Custom endpoint of the provider, for S3-compatible and self-hosted storage.
      - Sent when the account is created, or made anew, as O(region) is; never read back.
    type: str
  service_url:
    description:
      - Base URL of the storage service. V(s3_generic), V(local_http) and V(fastr_server)
        accounts need it to be created.
      - It cannot change once the account exists.
    type: str
  access_key:
    description:
      - Access key of the provider. Give it with O(secret_key), or neither.
      - Sent when the account is created, and with O(update_credentials=always). The agent answers
        keys masked, so a change cannot be seen; without O(update_credentials=always), the keys of
        an existing account are left as they are.
    type: str
  secret_key:
    description:
      - Secret key of the provider, as O(access_key).
    type: str
  shared:
    description:
      - Whether the account is shared with the whole Amove account, so that other users' desktops
        can reach the drives made from it. Only the account's owner may change it.
      - Left out, sharing is not managed (a new account is not shared).
    type: bool
  update_credentials:
    description:
      - V(on_create) sends O(access_key) and O(secret_key) only when the account is created.
      - V(always) makes the account anew with the keys given, on every run (so the task always
        reports a change when keys are given) - the agent has no route that changes keys. The new
        account is made first, so keys the provider refuses change nothing; then the old one is
        deleted. It keeps the name, provider, service URL and sharing, but gets a new id, and
        O(region) and O(endpoint) must be given again. An account that drives use is never made
        anew (the drives would lose it); the task fails naming them, before any write.
    type: str
    choices: [on_create, always]
    default: on_create
notes:
  - Run the task on one desktop per account, with C(run_once) in a play of many desktops; cloud
    accounts belong to the account, not to a desktop.
  - Requests made - nothing to change, 1 (with a token), as the agent lists every cloud account
    in one answer; create, 2; share or unshare, 2; delete, 3 (the drives are read first, to keep
    an account they use); made anew, 4.
  - Keep the keys in Ansible Vault, or another secret store, rather than in plain playbooks.
seealso:
  - module: amove.click.cloud_account_info
  - module: amove.click.shared_cloud_drive
  - module: amove.click.account
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Cloud accounts, with their keys taken from variables
  vars:
    # In a real playbook these come from a vault file; here, the provider's documented example keys.
    vault_footage_access_key: AKIAIOSFODNN7EXAMPLE
    vault_footage_secret_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  block:
    - name: Make the Footage AWS account exist
      amove.click.cloud_account:
        name: Footage
        provider: aws
        region: us-east-1
        access_key: "{{ vault_footage_access_key }}"
        secret_key: "{{ vault_footage_secret_key }}"
      register: footage

    - name: Share it with the whole account, keeping its keys
      amove.click.cloud_account:
        name: Footage
        shared: true

    - name: Make a MinIO server's account exist
      amove.click.cloud_account:
        name: Studio MinIO
        provider: s3_generic
        service_url: https://minio.example.com:9000
        access_key: "{{ vault_footage_access_key }}"
        secret_key: "{{ vault_footage_secret_key }}"

    - name: Give it new keys (it is made anew, as no drive uses it)
      amove.click.cloud_account:
        name: Studio MinIO
        access_key: "{{ vault_footage_access_key }}"
        secret_key: "{{ vault_footage_secret_key }}"
        update_credentials: always

- name: Make a drive from a bucket of the Footage account
  amove.click.shared_cloud_drive:
    name: Rushes
    cloud_account_id: "{{ footage.cloud_account.id }}"
    storage_name: rushes-bucket

- name: Delete the MinIO account, which no drive uses
  amove.click.cloud_account:
    name: Studio MinIO
    state: absent
'''

RETURN = r'''
cloud_account:
  description:
    - The cloud account after the task, without its keys; in check mode, the account a real run
      would leave.
    - For an account that check mode predicts to be created (or made anew), only what the task
      sets; what the agent would choose (V(id) and the rest) is left out, never invented.
    - An empty dictionary when the account is absent.
  returned: always
  type: dict
  sample:
    id: 5c1e7a3b-9d2f-4e8a-b6c4-0f1e2d3c4b5a
    name: Footage
    provider: aws
    service_url: null
    shared: true
    active: true
    internal_storage: false
    storage_tier: 2
    user_id: 1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e
    account_id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
  contains:
    id:
      description: UUID of the cloud account.
      type: str
      returned: success, except for an account that check mode predicts to be created or made anew
    name:
      description: Name of the cloud account.
      type: str
      returned: success
    provider:
      description: The storage provider, one of the choices of O(provider).
      type: str
      returned: success
    service_url:
      description: Base URL of the storage service; null when it has none.
      type: str
      returned: success, except for an account that check mode predicts to be created without O(service_url)
    shared:
      description: Whether the account is shared with the whole Amove account.
      type: bool
      returned: success, except for an account that check mode predicts to be created without O(shared)
    active:
      description: Whether the account is active.
      type: bool
      returned: success, except for an account that check mode predicts to be created
    internal_storage:
      description: Whether the account is storage of Amove's own (set by the agent).
      type: bool
      returned: success, except for an account that check mode predicts to be created
    storage_tier:
      description: Storage tier of the account (set by the agent).
      type: int
      returned: success, except for an account that check mode predicts to be created
    user_id:
      description: UUID of the user who owns the account, the only one who may share or delete it.
      type: str
      returned: success, except for an account that check mode predicts to be created
    account_id:
      description: UUID of the Amove account the cloud account belongs to.
      type: str
      returned: success, except for an account that check mode predicts to be created
'''

from ansible_collections.amove.click.plugins.module_utils._cloud_account import CLOUD_ACCOUNT
from ansible_collections.amove.click.plugins.module_utils._runner import run_module


def main():
    run_module(CLOUD_ACCOUNT)


if __name__ == '__main__':
    main()
