"""Checks of the export's round trip, read out of band from the emulator, the files and the plays' recaps.

    python check.py inventory FILE LEAD PORT:TRANSPORT...
                                                 desktop1..N, one per agent, each on its amove_click_transport,
                                                 desktopLEAD first: the play's first host, which takes the account step
                                                 (see fleet_inventory.py)
    python check.py forget URL                   empty the emulator's request log
    python check.py export-requests URL DESKTOPS one listing per kind (all its pages) and one read per desktop, nothing else
    python check.py no-writes URL                nothing but reads since the last forget
    python check.py files DIR HOST...            the export's files: a header, the four lists, no key; host_vars for HOST... only
    python check.py recap FILE HOST[=N]...       each host ran with no failure, and changed=N (0 by default)
    python check.py part DIR NAME...             a partial export holds exactly these drives, and no other list
    python check.py keys GROUP_VARS              keys for the exported cloud accounts, as a user keeps them in a vault (YAML)
    python check.py same FIRST SECOND            two exports say the same, but for the agent named in the header
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'setup_click_emulator', 'files'))
import fleet_inventory  # noqa: E402  pylint: disable=wrong-import-position

LISTINGS = {'/cloud/accounts', '/usergroup/get_all_with_details', '/projects/get_all_with_details',
            '/sharedclouddrive/get_all_with_details'}
ACCOUNT = 'group_vars/desktops/amove_click.yml'


def call(url, method='GET'):
    with urllib.request.urlopen(urllib.request.Request(url, method=method)) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


def fail(message):
    sys.exit('FAILED: ' + message)


def requests(url):
    return call(url + '/_emulator/requests')


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'inventory':
        fleet_inventory.write(args[0], [agent.split(':') for agent in args[2:]], lead=int(args[1]))
    elif command == 'forget':
        call(args[0] + '/_emulator/requests', 'DELETE')
    elif command == 'export-requests':
        seen = requests(args[0])
        paths = [request['path'] for request in seen]
        other = [path for path in paths if path not in LISTINGS and path != '/management/clouddrive']
        if other:
            fail('the export asked more than the listings and the desktops: %r' % other)
        # Pages of 10: 24 drives are three pages; the rest fit in one each.
        expected = {'/cloud/accounts': 1, '/usergroup/get_all_with_details': 1, '/projects/get_all_with_details': 1,
                    '/sharedclouddrive/get_all_with_details': 3, '/management/clouddrive': int(args[1])}
        counts = dict((path, paths.count(path)) for path in expected)
        if counts != expected:
            fail('requests of the export: %r, expected %r' % (counts, expected))
        print('export: %d requests (%r)' % (len(paths), counts))
    elif command == 'no-writes':
        writes = [request for request in requests(args[0]) if request['method'] != 'GET']
        if writes:
            fail('writes: %r' % [(request['method'], request['path']) for request in writes])
    elif command == 'files':
        root, hosts = args[0], args[1:]
        text = read(os.path.join(root, ACCOUNT))
        if not text.startswith('# The Amove account as the variables of the role amove.click.shared_cloud_drives'):
            fail('no header')
        data = yaml.safe_load(text)
        if sorted(data) != ['shared_cloud_drives_cloud_accounts', 'shared_cloud_drives_groups', 'shared_cloud_drives_list',
                            'shared_cloud_drives_projects']:
            fail('lists: %r' % sorted(data))
        for account in data['shared_cloud_drives_cloud_accounts']:
            if not account['access_key'].startswith('{{ amove_click_cloud_account_keys['):
                fail('a key that is not a reference to the vault variable: %r' % account['name'])
        if re.search(r'\bid\b|[0-9a-f]{8}-[0-9a-f]{4}-', text):
            fail('an id in the export')
        drives = dict((drive['name'], drive) for drive in data['shared_cloud_drives_list'])
        # Set on every desktop: said with the drive; set differently: said per desktop.
        if drives['Templates'].get('desktop') != {'sync_interval': 900}:
            fail('the setting every desktop shares is not the drive\'s: %r' % drives['Templates'].get('desktop'))
        found = sorted(name[:-4] for name in os.listdir(os.path.join(root, 'host_vars')))
        if found != sorted(hosts):
            fail('host_vars for %r, expected %r' % (found, sorted(hosts)))
        own = yaml.safe_load(read(os.path.join(root, 'host_vars', 'desktop2.yml')))['shared_cloud_drives_desktop_drives']
        if own['Raw Footage'].get('max_cache_size') != 30 * 2 ** 30 or own['Sound Library'].get('cache_encrypted') is not True:
            fail('desktop2\'s own settings: %r' % own)
        print('export files: %d drives, %d groups, %d projects, %d cloud accounts; host_vars of %s'
              % (len(drives), len(data['shared_cloud_drives_groups']), len(data['shared_cloud_drives_projects']),
                 len(data['shared_cloud_drives_cloud_accounts']), ', '.join(found)))
    elif command == 'recap':
        text = read(args[0])
        for host, _sep, changed in (arg.partition('=') for arg in args[1:]):
            match = re.search(r'^%s\s*: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)' % re.escape(host), text, re.M)
            if not match or match.groups() != (changed or '0', '0', '0'):
                fail('%s: %s' % (host, match.group(0) if match else 'not in the recap'))
    elif command == 'part':
        data = yaml.safe_load(read(os.path.join(args[0], ACCOUNT)))
        if sorted(data) != ['shared_cloud_drives_list']:
            fail('lists of a drives-only export: %r' % sorted(data))
        names = [drive['name'] for drive in data['shared_cloud_drives_list']]
        if names != args[1:]:
            fail('drives %r, expected %r' % (names, args[1:]))
    elif command == 'keys':
        data = yaml.safe_load(read(os.path.join(args[0], 'desktops', 'amove_click.yml')))
        keys = dict((account['name'], {'access_key': 'AKIAEXAMPLE%d' % number, 'secret_key': 'secret-example-%d' % number})
                    for number, account in enumerate(data['shared_cloud_drives_cloud_accounts']))
        print(yaml.safe_dump({'amove_click_cloud_account_keys': keys}))
    elif command == 'same':
        first, second = args
        for path in [ACCOUNT] + ['host_vars/' + name for name in sorted(os.listdir(os.path.join(first, 'host_vars')))]:
            one, two = (re.sub(r'from the agent at \S+', '', read(os.path.join(root, path))) for root in (first, second))
            if one != two:
                fail('%s differs between the first account and the rebuilt one' % path)
        print('the rebuilt account exports the same files')
    else:
        fail('unknown command %s' % command)


if __name__ == '__main__':
    main()
