#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: cloud_account_info
short_description: Read the cloud accounts of an Amove account, without their keys
version_added: 0.2.0
description:
  - Lists the live cloud accounts that the signed-in user may use through the Click API of an
    Amove desktop agent - the user's own and those shared with the account - all of them or
    those selected by exact name or by id.
  - Never returns a key, not even masked as the agent answers it.
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
      - Only the accounts with exactly this name (case included); the agent lets two accounts share
        a name. With none, a warning names the accounts whose names are close to it.
    type: str
  id:
    description:
      - Only the account with this UUID.
    type: str
notes:
  - One request, whatever is asked, as the agent lists every cloud account in one answer.
seealso:
  - module: amove.click.cloud_account
'''

EXAMPLES = r'''
# The connection comes from the environment of the host the task runs on (AMOVE_CLICK_TOKEN,
# and AMOVE_CLICK_URL when the agent is not on http://localhost:29123), or from module_defaults.
- name: Read every cloud account the signed-in user may use
  amove.click.cloud_account_info:
  register: all_accounts

- name: Read the Demo S3 account
  amove.click.cloud_account_info:
    name: Demo S3
  register: demo

- name: Show each account's provider
  ansible.builtin.debug:
    msg: "{{ all_accounts.cloud_accounts | items2dict(key_name='name', value_name='provider') }}"
'''

RETURN = r'''
cloud_accounts:
  description:
    - The live cloud accounts that match, in the vocabulary of the options of
      M(amove.click.cloud_account), without their keys.
    - Always a list; empty when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c
      name: Demo S3
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
      returned: success
    name:
      description: Name of the cloud account.
      type: str
      returned: success
    provider:
      description: The storage provider, one of the choices of O(amove.click.cloud_account#module:provider).
      type: str
      returned: success
    service_url:
      description: Base URL of the storage service; null when it has none.
      type: str
      returned: success
    shared:
      description: Whether the account is shared with the whole Amove account.
      type: bool
      returned: success
    active:
      description: Whether the account is active.
      type: bool
      returned: success
    internal_storage:
      description: Whether the account is storage of Amove's own.
      type: bool
      returned: success
    storage_tier:
      description: Storage tier of the account.
      type: int
      returned: success
    user_id:
      description: UUID of the user who owns the account.
      type: str
      returned: success
    account_id:
      description: UUID of the Amove account the cloud account belongs to.
      type: str
      returned: success
'''

from ansible_collections.amove.click.plugins.module_utils._cloud_account import CLOUD_ACCOUNT_INFO
from ansible_collections.amove.click.plugins.module_utils._runner import run_module


def main():
    run_module(CLOUD_ACCOUNT_INFO)


if __name__ == '__main__':
    main()
