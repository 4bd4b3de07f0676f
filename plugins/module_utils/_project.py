# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Projects, declared: who is in a project, and which shared cloud drives belong to it.

PRIVATE to the amove.click collection: its interface may change in any release.

A project is read from the detailed listing, which carries its user and group
grants and its drives, so an unchanged project costs one request. The agent
keeps a deleted project's drive links and grants (no document says they go),
so a project that still holds any is deleted only with force, which takes them
back first.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._converge import converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._listings import PROJECT_LISTING, DRIVE_LISTING, GROUP_LISTING, USER_LISTING
from ansible_collections.amove.click.plugins.module_utils._resource import Association, Field, Resource
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition

USER_GRANTS = '/userspermission/users_project_permission'
# Plural "usergroups": the real spelling of this route.
GROUP_GRANTS = '/userspermission/usergroups_project_permission'
UNASSIGN = '/projects/unassign_sharedclouddrive'


class Projects(Resource):
    what = 'project'
    label = 'project'
    key = 'project'
    plural = 'projects'
    listing = PROJECT_LISTING
    name_max_length = 100
    fields = (
        Field('name', 'name'),
        Field('description', 'description'),
        Field('active', 'active', 'bool', default=True),
    )
    associations = (
        Association('users', 'usersData', 'user', 'permission', USER_LISTING, 'userId', 'projectId', path=USER_GRANTS),
        Association('groups', 'groupsData', 'userGroup', 'permission', GROUP_LISTING, 'userGroupId', 'projectId',
                    path=GROUP_GRANTS),
        # A drive belongs to a project through a link, removed by the link's id.
        Association('drives', 'drivesData', 'sharedCloudDrive', 'projectSharedCloudDrive', DRIVE_LISTING,
                    'sharedCloudDriveId', 'projectId', add_path='/projects/assign_sharedclouddrive', remove_path=UNASSIGN,
                    permissions=False, exported=False, label='drive'),  # exported as the drive's projects
    )
    # The agent keeps a deleted project's links and grants: taken back first, and only with force.
    kept_after_delete = ('drives', 'users', 'groups')
    extra_options = dict(force=dict(type='bool', default=False))
    server_owned = ('accountId', 'deleted')
    insert_path = '/projects/insert'
    update_path = '/projects/update'
    delete_path = '/projects/delete'
    insert_defaults = {'active': True}
    details_always = True


PROJECTS = Projects()


# ---- the modules --------------------------------------------------------------

PROJECT = ModuleDefinition(
    PROJECTS.selection_spec(),
    lambda client, params, check_mode, diff: converge_one(PROJECTS, client, params, check_mode, diff),
    PROJECTS.problems, required_one_of=[('name', 'id')])


def _read_projects(client, params, check_mode, diff):
    records, warnings = read_records(PROJECTS, client, params)
    view = PROJECTS.to_options
    return dict(changed=False, warnings=warnings, projects=[
        view(record) if params['details'] else dict((key, value) for key, value in view(record).items()
                                                    if key not in ('users', 'groups', 'drives'))
        for record in records])


PROJECT_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str'), details=dict(type='bool', default=False)),
    _read_projects, PROJECTS.selection_problems)
