# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""User groups and their members, declared: drives and projects reach people through them.

PRIVATE to the amove.click collection: its interface may change in any release.

A group is read from the detailed listing, which carries its members and the
drive and project grants it gives, so an unchanged group costs one request.
The agent would keep a deleted group's grants, so a group that still gives
any is deleted only with force, which takes them back first. Users themselves
are invited in the Amove web app: this collection never creates or deletes one.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._converge import converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._listings import PROJECT_LISTING, DRIVE_LISTING, GROUP_LISTING, USER_LISTING
from ansible_collections.amove.click.plugins.module_utils._resource import Association, Field, Resource
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition

# Where a group's grants are taken back (plural "usergroups" for projects: the real spelling).
DRIVE_GRANTS = '/userspermission/usergroup_sharedclouddrive_permission'
PROJECT_GRANTS = '/userspermission/usergroups_project_permission'


class UserGroups(Resource):
    what = 'user group'
    label = 'group'
    key = 'user_group'
    plural = 'user_groups'
    listing = GROUP_LISTING
    name_max_length = 100
    fields = (
        Field('name', 'name'),
        Field('description', 'description'),
        Field('active', 'active', 'bool', read_only=True),
    )
    associations = (
        # The membership's id, not the user's, is what unassign_user takes.
        Association('members', 'usersData', 'user', 'userUserGroup', USER_LISTING, 'userId', 'userGroupId',
                    add_path='/usergroup/assign_users', remove_path='/usergroup/unassign_user', permissions=False,
                    purge='purge_members'),
        # Grants are given by the drive and the project: shown here, never written but to take them back.
        Association('drives', 'drivesData', 'sharedCloudDrive', 'permission', DRIVE_LISTING, remove_path=DRIVE_GRANTS,
                    managed=False, label='drive'),
        Association('projects', 'projectsData', 'project', 'permission', PROJECT_LISTING, remove_path=PROJECT_GRANTS,
                    managed=False),
    )
    # The agent would keep a deleted group's grants: taken back first, and only with force.
    kept_after_delete = ('drives', 'projects')
    extra_options = dict(force=dict(type='bool', default=False))
    # Emptying a group takes every member's drives away: say so explicitly.
    empty_purge_guard = 'allow_empty_purge'
    server_owned = ('accountId', 'deleted')
    insert_path = '/usergroup/insert'
    update_path = '/usergroup/update'
    delete_path = '/usergroup/delete'
    insert_defaults = {'active': True}
    details_always = True


GROUPS = UserGroups()


# ---- the modules --------------------------------------------------------------

USER_GROUP = ModuleDefinition(
    GROUPS.selection_spec(), lambda client, params, check_mode, diff: converge_one(GROUPS, client, params, check_mode, diff),
    GROUPS.problems, required_one_of=[('name', 'id')])


def _read_groups(client, params, check_mode, diff):
    records, warnings = read_records(GROUPS, client, params)
    return dict(changed=False, user_groups=[GROUPS.to_options(record, params['details']) for record in records],
                warnings=warnings)


USER_GROUP_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), details=dict(type='bool', default=False)),
    _read_groups, GROUPS.selection_problems)
