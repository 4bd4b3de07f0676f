# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""project and project_info against the emulator's built-in seed, on every path (tests/unit/emulated.py).

Proven by the emulator's store and request log, as the integration target
project proves the lifecycle a playbook drives: each test reaches the state its
case starts from (the drives Dailies and Stills, the project Spring created,
then changed), as the target's one playbook did; that set-up runs on the
module path, the case itself on each path.
"""

from __future__ import annotations

from ansible_collections.amove.click.tests.unit.emulated import module_desktop, paths, writes

SPRING = dict(name='Spring', description='The spring campaign', users=[{'name': 'alice@example.com', 'permission': 'read_write'}],
              groups=[{'name': 'Editors'}], drives=['Dailies'])
PURGE = dict(name='Spring', users=[{'name': 'bob@example.com'}], groups=[{'name': 'Viewers', 'permission': 'read_write'}],
             drives=['Stills'], purge_access=True)


def store(emulator):
    """What the target's tasks/state.yml names: live projects by name, deleted project names, user and group grants
    ("PROJECT NAME PERMISSION-TYPE", sorted) and links ("PROJECT DRIVE", sorted)."""
    state = emulator.state()
    project_names = dict((project['id'], project['name']) for project in state['projects'])
    user_names = dict((user['id'], user['username']) for user in state['users'])
    group_names = dict((group['id'], group['name']) for group in state['user_groups'])
    drive_names = dict((drive['id'], drive['name']) for drive in state['shared_cloud_drives'])
    return dict(
        projects=dict((project['name'], project) for project in state['projects'] if not project['deleted']),
        deleted_projects=[project['name'] for project in state['projects'] if project['deleted']],
        user_grants=sorted('%s %s %s' % (project_names[grant['projectId']], user_names[grant['userId']], grant['permissionType'])
                           for grant in state['user_project_permissions']),
        group_grants=sorted('%s %s %s' % (project_names[grant['projectId']], group_names[grant['userGroupId']], grant['permissionType'])
                            for grant in state['group_project_permissions']),
        links=sorted('%s %s' % (project_names[link['projectId']], drive_names[link['sharedCloudDriveId']])
                     for link in state['project_drives']),
    )


def make_drives(desktop):
    result = desktop.run('account', drives=[{'name': 'Dailies', 'cloud_account': 'Demo S3', 'storage_name': 'dailies'},
                                            {'name': 'Stills', 'cloud_account': 'Demo S3', 'storage_name': 'stills'}])
    assert result['changed'] and not result['failed'], result


def spring_with_bob_and_stills(emulator):
    """Dailies and Stills; Spring created with alice, the Editors and Dailies, then bob and Stills added: (create, add)."""
    desktop = module_desktop(emulator)
    make_drives(desktop)
    create = desktop.run('project', diff=True, **SPRING)
    add = desktop.run('project', diff=True, name='Spring', users=[{'name': 'alice@example.com'}, {'name': 'bob@example.com'}],
                      drives=['Stills'])
    assert create['changed'] and add['changed'], (create, add)
    emulator.clear_requests()
    return create, add


def summer(emulator):
    """Spring purged to bob, the Viewers and Stills, then renamed Summer by id: (create, rename)."""
    create, _add = spring_with_bob_and_stills(emulator)
    desktop = module_desktop(emulator)
    assert desktop.run('project', **PURGE)['changed']
    rename = desktop.run('project', diff=True, id=create['project']['id'], name='Summer')
    assert rename['changed'], rename
    emulator.clear_requests()
    return create, rename


def test_purge_access_keeps_only_what_is_listed(emulator, desktop):
    """purge_access in check mode predicts the exact lists and writes nothing; for real, alice, the Editors and Dailies
    are taken out by their grant and link ids, and the Viewers added with their permission."""
    create, _add = spring_with_bob_and_stills(emulator)

    check_purge = desktop.run('project', check=True, diff=True, **PURGE)
    assert writes(emulator.take_requests()) == []
    assert check_purge['changed'] and not check_purge['failed']
    assert check_purge['project']['users'] == [{'name': 'bob@example.com', 'permission': 'read'}]
    assert check_purge['project']['groups'] == [{'name': 'Viewers', 'permission': 'read_write'}]
    assert check_purge['project']['drives'] == ['Stills']
    assert check_purge['diff']['before']['drives'] == ['Dailies', 'Stills']

    purge = desktop.run('project', **PURGE)
    held = store(emulator)
    requests = emulator.take_requests()
    assert purge['changed'] and not purge['failed']
    assert purge['project'] == dict(check_purge['project'], id=create['project']['id'], active=True)
    assert held['user_grants'] == ['Launch bob@example.com 1', 'Spring bob@example.com 1']
    assert held['group_grants'] == ['Spring Viewers 2']
    assert held['links'] == ['Spring Stills']
    assert sorted(paths(writes(requests))) == [
        '/projects/unassign_sharedclouddrive', '/userspermission/usergroups_project_permission',
        '/userspermission/usergroups_project_permission', '/userspermission/users_project_permission']


def test_rename_by_id_keeps_members_and_drives(emulator, desktop):
    """A project selected by id is renamed in one update; who is in it and its drives stay."""
    create, _add = spring_with_bob_and_stills(emulator)
    purge = module_desktop(emulator).run('project', **PURGE)
    emulator.clear_requests()

    rename = desktop.run('project', diff=True, id=create['project']['id'], name='Summer')
    held = store(emulator)
    requests = emulator.take_requests()
    assert rename['changed'] and not rename['failed']
    assert (rename['diff']['before']['name'], rename['diff']['after']['name']) == ('Spring', 'Summer')
    assert rename['project']['users'] == purge['project']['users']
    assert held['projects']['Summer']['id'] == create['project']['id']
    assert 'Spring' not in held['projects']
    assert held['links'] == ['Summer Stills']
    assert paths(writes(requests)) == ['/projects/update']


def test_refused_before_any_write(emulator, desktop):
    """A case-only name fails with the project's id, a drive no drive is named fails naming the close one, a project
    that holds a drive and grants is refused absent without force naming them; check mode with force predicts the
    delete. Nothing is written, the description included."""
    create, rename = summer(emulator)

    case_clash = desktop.run('project', name='summer', description='Never written')
    unknown_drive = desktop.run('project', name='Summer', description='Never written', drives=['Stils'])
    refused = desktop.run('project', name='Summer', state='absent')
    check_force = desktop.run('project', check=True, diff=True, name='Summer', state='absent', force=True)
    held = store(emulator)
    requests = emulator.take_requests()

    assert case_clash['failed'] and not case_clash['changed']
    assert case_clash['msg'].startswith("a project named 'Summer' (id %s) already exists" % create['project']['id'])
    assert unknown_drive['failed'] and not unknown_drive['changed']
    assert unknown_drive['msg'] == ("drives: no shared cloud drive is named 'Stils'; did you mean 'Stills'? (names are"
                                    " matched exactly, letter case too); nothing was changed")
    assert refused['failed'] and not refused['changed']
    assert refused['msg'].startswith("project 'Summer' still holds drive 'Stills', user 'bob@example.com', user group 'Viewers'")
    assert 'force' in refused['msg']
    assert check_force['changed'] and not check_force['failed']
    assert check_force['diff']['after'] == {}
    assert check_force['diff']['before'] == rename['project']
    assert writes(requests) == []
    assert held['projects']['Summer']['description'] == 'The spring campaign'


def test_force_deletes_links_and_grants_first(emulator, desktop):
    """With force, the project's link and grants go first, then the project; again, nothing to do."""
    summer(emulator)

    forced = desktop.run('project', name='Summer', state='absent', force=True)
    forced_again = desktop.run('project', name='Summer', state='absent', force=True)
    held = store(emulator)
    requests = emulator.take_requests()

    assert forced['changed'] and not forced['failed']
    assert forced['project'] == {}
    assert not forced_again['changed'] and not forced_again['failed']
    assert held['deleted_projects'] == ['Summer']
    assert 'Summer' not in held['projects']
    assert held['user_grants'] == ['Launch bob@example.com 1']
    assert held['group_grants'] == []
    assert held['links'] == []
    assert paths(writes(requests)) == [
        '/projects/unassign_sharedclouddrive', '/userspermission/users_project_permission',
        '/userspermission/usergroups_project_permission', '/projects/delete']


def test_info_reads_live_projects_and_details_on_demand(emulator, desktop):
    """project_info lists live projects only (not the deleted Summer); who is in them and their drives only with details
    (in check mode too); by id, and a name a project only contains finds none; one request each, no write."""
    summer(emulator)
    assert module_desktop(emulator).run('project', name='Summer', state='absent', force=True)['changed']
    launch_id = store(emulator)['projects']['Launch']['id']
    emulator.clear_requests()

    every_project = desktop.run('project_info')
    launch = desktop.run('project_info', check=True, name='Launch', details=True)
    by_id = desktop.run('project_info', id=launch_id)
    contained = desktop.run('project_info', name='Laun')
    requests = emulator.take_requests()

    assert not every_project['changed'] and not every_project['failed']
    assert [project['name'] for project in every_project['projects']] == ['Launch']
    assert 'users' not in every_project['projects'][0]
    assert launch['projects'] == [dict(every_project['projects'][0], users=[{'name': 'bob@example.com', 'permission': 'read'}],
                                       groups=[], drives=[])]
    assert by_id['projects'] == every_project['projects']
    assert contained['projects'] == []
    assert len(requests) == 4
    assert writes(requests) == []
