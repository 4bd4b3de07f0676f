# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""User groups and their members, declared: drives and projects reach people through them.

PRIVATE to the amove.click collection: its interface may change in any release.

A group is read from the detailed listing, which carries its members and the
drive and project grants it gives, so an unchanged group costs one request.
Its own hook: a group that still gives grants is deleted only with force,
which takes the grants back first (the agent would keep them after the
delete). Users themselves are invited in the Amove web app: this collection
never creates or deletes one.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._converge import converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
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
        # Grants are given by the drive and the project: shown here, never written.
        Association('drives', 'drivesData', 'sharedCloudDrive', 'permission', DRIVE_LISTING, managed=False),
        Association('projects', 'projectsData', 'project', 'permission', PROJECT_LISTING, managed=False),
    )
    extra_options = dict(force=dict(type='bool', default=False))
    # Emptying a group takes every member's drives away: say so explicitly.
    empty_purge_guard = 'allow_empty_purge'
    server_owned = ('accountId', 'deleted')
    insert_path = '/usergroup/insert'
    update_path = '/usergroup/update'
    delete_path = '/usergroup/delete'
    insert_defaults = {'active': True}
    details_always = True

    @staticmethod
    def grants(record):
        return ['drive %r' % row['sharedCloudDrive']['name'] for row in record.get('drivesData') or []] \
            + ['project %r' % row['project']['name'] for row in record.get('projectsData') or []]

    def before_delete(self, converger, current, spec):
        """A group that still gives drives or projects is deleted only with force: its grants would outlive it."""
        grants = self.grants(current)
        if grants and not spec.get('force'):
            raise ClickApiError('user group %r still gives %s to its members; the agent would keep those grants after '
                                'the delete: remove them first, or set force to true to remove them and delete the group'
                                % (current['name'], ', '.join(grants)))

    def remove(self, converger, record):
        """Take back the group's drive and project grants, then delete it (a soft delete)."""
        client = converger.client
        for row in record.get('drivesData') or []:
            client.request('DELETE', DRIVE_GRANTS, {'id': row['permission']['id']})
        for row in record.get('projectsData') or []:
            client.request('DELETE', PROJECT_GRANTS, {'id': row['permission']['id']})
        client.request('DELETE', self.delete_path, {'id': record['id']})


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
