# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared cloud drives, declared: their fields, who gets them, and what only a drive has.

PRIVATE to the amove.click collection: its interface may change in any release.

A drive is a bucket (and prefix) of a cloud account, shared with users, user
groups and projects: an agent syncs only the drives its signed-in user may
reach. Its own hooks: in check mode a cloud_account_id is checked (a real run
lets the agent's insert say it), an insert refused as "not found" names the
cloud accounts the agent knows, and a list checks the account's drive quota
before its first create.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._converge import converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._errors import (
    ClickApiError,
    is_not_found,
    json_kind,
    checked_records,
    unexpected,
)
from ansible_collections.amove.click.plugins.module_utils._lists import converge_list, list_problems
from ansible_collections.amove.click.plugins.module_utils._listings import (
    CLOUD_ACCOUNT_LISTING,
    PROJECT_LISTING,
    DRIVE_LISTING,
    GROUP_LISTING,
    USER_LISTING,
)
from ansible_collections.amove.click.plugins.module_utils._resource import Association, Field, Reference, Resource
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition

DRIVE_TYPES = {'virtual_drive': 1, 'local_path': 2}
SYNC_TYPES = {'stream': 1, 'mirror': 2}
QUOTA = '/user/package_inquiry'


class SharedCloudDrives(Resource):
    what = 'shared cloud drive'
    label = 'drive'
    key = 'shared_cloud_drive'
    plural = 'shared_cloud_drives'
    listing = DRIVE_LISTING
    name_max_length = 50
    fields = (
        Field('name', 'name'),
        Field('cloud_account_id', 'cloudAccountId', 'uuid'),
        Reference('cloud_account', 'cloudAccountId', CLOUD_ACCOUNT_LISTING, embedded='cloudAccount', alternative='cloud_account_id'),
        Field('storage_name', 'storageName', required=True),
        Field('prefix', 'prefix', default=''),
        Field('prefix_id', 'prefixId', default=''),
        Field('storage_id', 'storageId', default=''),
        Field('objects_per_folder', 'objectsPerFolder', 'int', minimum=1, default=10000),  # documented
        Field('allow_delete', 'allowDelete', 'bool', default=False),
        Field('local_cache_encrypted', 'localCacheEncrypted', 'bool', default=False),
        Field('cloud_objects_encrypted', 'cloudObjectsEncrypted', 'bool', default=False),
        Field('drive_type', 'driveType', choices=DRIVE_TYPES, default='virtual_drive'),
        # No default: the documents' example and the emulator differ.
        Field('sync_type', 'syncType', choices=SYNC_TYPES),
        Field('active', 'active', 'bool', default=True),
        Field('account_id', 'accountId', read_only=True),
        Field('creator_user_id', 'creatorUserId', read_only=True),
    )
    associations = (
        # One "s" in "permision": the real spelling of this route.
        Association('users', 'usersData', 'user', 'permission', USER_LISTING, 'userId', 'sharedCloudDriveId',
                    path='/userspermission/users_sharedclouddrive_permision'),
        Association('groups', 'groupsData', 'userGroup', 'permission', GROUP_LISTING, 'userGroupId', 'sharedCloudDriveId',
                    path='/userspermission/usergroup_sharedclouddrive_permission'),
        # Removed by the id of the join record, not of the project.
        Association('projects', 'projectsData', 'project', 'projectSharedCloudDrive', PROJECT_LISTING, 'projectId',
                    'sharedCloudDriveId', add_path='/projects/assign_sharedclouddrive',
                    remove_path='/projects/unassign_sharedclouddrive', permissions=False),
    )
    # Set by the server on every write; never sent back.
    server_owned = ('accountId', 'creatorUserId', 'deleted', 'cloudAccount')
    insert_path = '/sharedclouddrive/insert'
    update_path = '/sharedclouddrive/update'
    delete_path = '/sharedclouddrive/delete'
    required_to_create = (('cloud_account', 'cloud_account_id'), ('storage_name',))

    def prepare(self, converger, spec, current, wanted):
        """In check mode, where no write lets the agent say it: a new cloud_account_id must be a live cloud account's."""
        account_id = spec.get('cloud_account_id')
        if account_id is not None and converger.check_mode and \
                (current is None or 'cloud_account_id' in self.differences(current, wanted)):
            checked = converger.run.facts.setdefault('live cloud account ids', set())
            if account_id.lower() in checked:
                return
            client = converger.client
            exists = client.advisory(lambda: cloud_account_exists(client, account_id),
                                     'cloud_account_id %s was not checked, so check mode cannot tell whether the agent '
                                     'would accept it' % account_id)
            if exists is False:
                raise ClickApiError(unknown_account(client, account_id))
            checked.add(account_id.lower())

    def explain(self, converger, error, spec):
        """The agent's own answer for an unknown cloud account, with the cloud accounts it knows."""
        if is_not_found(error) and spec.get('cloud_account_id'):
            return unknown_account(converger.client, spec['cloud_account_id'], error)
        return None

    def before_writes(self, converger, specs, where):
        """Fail before any write when the drives to create do not fit in the account's plan.

        Drives are written in list order, so a deletion listed before a
        creation frees its place. The lookups are the ones the run makes
        anyway; the quota costs one request, and only when something is to be
        created.
        """
        balance, lowest, creating = 0, 0, []
        for number, spec in enumerate(specs):
            if spec.get('id'):
                continue
            try:
                current = converger.find(spec)
            except ClickApiError as error:
                raise error.prefixed(where(number)) from None
            if (spec.get('state') or 'present') == 'absent':
                balance += current is not None
            elif current is None:
                balance -= 1
                lowest = min(lowest, balance)
                creating.append(spec['name'])
        if not creating:
            return
        client = converger.client
        remaining = client.advisory(lambda: remaining_drives(client), 'the drive quota was not checked before the creates; '
                                    'the agent refuses a create past it')
        if remaining is not None and remaining + lowest < 0:
            raise ClickApiError('the account may have %d more shared cloud drives (drives in GET %s), and this list '
                                'creates %d (%s); nothing was changed: delete drives first, list fewer, or raise the plan'
                                % (remaining, QUOTA, len(creating), ', '.join(repr(name) for name in creating)))


def cloud_account_exists(client, account_id):
    """Whether a live cloud account has this id (GET /cloud/account?id=): 499 "not found" says it has not."""
    where = 'GET /cloud/account'
    try:
        answer = client.request('GET', '/cloud/account', {'id': account_id})
    except ClickApiError as error:
        if is_not_found(error):
            return False
        raise
    if not isinstance(answer, dict):
        raise unexpected(where, 'not an object (it is %s)' % json_kind(answer))
    checked_records(where, [answer])
    if answer['id'].lower() != account_id.lower():
        raise unexpected(where, 'a cloud account of another id')
    return not answer.get('deleted')


def unknown_account(client, account_id, error=None):
    """Why a cloud_account_id failed, naming the cloud accounts the agent knows (one read); None when it knows this id.

    `error` is the write that the agent refused as "not found"; without it,
    the check mode read already said that no account has this id.
    """
    try:
        accounts = client.advisory(lambda: CLOUD_ACCOUNT_LISTING.records(client), 'the cloud accounts the agent knows are not named')
    except ClickApiError:
        accounts = None  # what is being explained is what the task reports
    if error is not None and (accounts is None or any(account['id'].lower() == account_id.lower() for account in accounts)):
        return None
    known = '' if accounts is None else '; it knows %s' % (
        ', '.join('%r (id %s)' % (account['name'], account['id']) for account in accounts) or 'none')
    return '%scloud_account_id %s: no cloud account of the agent has this id%s' % (
        '' if error is None else '%s; ' % error, account_id, known)


def remaining_drives(client):
    """How many more shared cloud drives the account's plan allows, or None when it sets no limit."""
    where = 'GET %s' % QUOTA
    answer = client.request('GET', QUOTA)
    if not isinstance(answer, dict):
        raise unexpected(where, 'not an object (it is %s)' % json_kind(answer))
    drives = answer.get('drives')
    if drives is None:
        return None
    if not isinstance(drives, int) or isinstance(drives, bool):
        raise unexpected(where, 'drives is %s, not a count' % json_kind(drives))
    return drives if drives >= 0 else None


DRIVES = SharedCloudDrives()


# ---- the modules --------------------------------------------------------------
# Each module's spec and work, run by the module on the desktop or by its
# action plugin on the controller (see plugins/plugin_utils/_click_action.py).

SHARED_CLOUD_DRIVE = ModuleDefinition(
    DRIVES.selection_spec(), lambda client, params, check_mode, diff: converge_one(DRIVES, client, params, check_mode, diff),
    DRIVES.problems, required_one_of=[('name', 'id')])


def _read_drives(client, params, check_mode, diff):
    records, warnings = read_records(DRIVES, client, params, params['details'])
    return dict(changed=False, shared_cloud_drives=[DRIVES.to_options(record) for record in records], warnings=warnings)


SHARED_CLOUD_DRIVE_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), details=dict(type='bool', default=False)),
    _read_drives, DRIVES.selection_problems)


SHARED_CLOUD_DRIVE_SET = ModuleDefinition(
    dict(drives=dict(type='list', elements='dict', required=True, options=DRIVES.selection_spec()),
         purge=dict(type='bool', default=False),
         allow_empty_purge=dict(type='bool', default=False)),
    lambda client, params, check_mode, diff: converge_list(DRIVES, client, params['drives'], 'drives', params['purge'],
                                                           check_mode, diff),
    lambda params: list_problems(DRIVES, params['drives'], 'drives', params['purge'], params['allow_empty_purge']))
