"""Checks of the whole-account case (whole_account.sh), read out of band from the Click API emulator.

    python whole_account.py URL made ACCESS_KEY SECRET_KEY  the cloud account (with these keys), the group, the
                                                            project and the drive that names all three, exactly
    python whole_account.py URL settled                     no write to the account since the last forget
"""

from __future__ import annotations

import sys

from fleet import call, fail, read_log


def masked(key):
    """A key as the emulator shows it: its first four characters, then twelve stars."""
    return key[:4] + '*' * 12


def main():
    base, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'made':
        state = call(base + '/_emulator/state')
        live = dict((kind, dict((record['name'], record) for record in state[kind] if not record['deleted']))
                    for kind in ('cloud_accounts', 'user_groups', 'projects', 'shared_cloud_drives'))
        account, group = live['cloud_accounts'].get('Crew Wasabi'), live['user_groups'].get('Crew')
        project, drive = live['projects'].get('Shoot'), live['shared_cloud_drives'].get('Crew Footage')
        if not (account and group and project and drive):
            fail('not all made: %r' % dict((kind, sorted(records)) for kind, records in live.items()))
        if (account['cloudType'], account['region'], account['accessKey'], account['secretKey']) != (
                2, 'us-east-1', masked(args[0]), masked(args[1])):
            fail('the cloud account is not as listed, or not with the keys given')
        if group['members'] != ['alice@example.com'] or project['description'] != 'The spring shoot':
            fail('group %r, project %r' % (group, project))
        grants = [(grant['userGroupId'], grant['projectId'], grant['permissionType']) for grant in state['group_project_permissions']]
        if grants != [(group['id'], project['id'], 2)]:
            fail('project grants %r' % grants)
        if drive['cloudAccountId'] != account['id']:
            fail('the drive is on cloud account %s, not on Crew Wasabi (%s)' % (drive['cloudAccountId'], account['id']))
        if [(grant['userGroupId'], grant['sharedCloudDriveId']) for grant in state['group_permissions']] != [(group['id'], drive['id'])]:
            fail('drive grants %r' % state['group_permissions'])
        if [(link['projectId'], link['sharedCloudDriveId']) for link in state['project_drives']] != [(project['id'], drive['id'])]:
            fail('project links %r' % state['project_drives'])
    elif command == 'settled':
        writes = [entry for entry in read_log(base) if entry['method'] != 'GET' and not entry['path'].startswith('/management/')]
        if writes:
            fail('writes to the account: %r' % writes)
    else:
        fail('unknown command ' + command)
    print('ok: whole account', command)


if __name__ == '__main__':
    main()
