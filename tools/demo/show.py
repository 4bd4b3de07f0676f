"""Print what the account and each desktop's agent have, through the Click API itself.

Usage: python show.py TOKEN URL...   (the first URL is asked for the account's drives)
"""

from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request


def get(url, **query):
    with urllib.request.urlopen(url + ('?' + urllib.parse.urlencode(query) if query else '')) as answer:
        return json.load(answer)


def main():
    token, urls = sys.argv[1], sys.argv[2:]
    drives, page = [], 1
    while True:
        answer = get(urls[0] + '/sharedclouddrive/get_all_with_details', token=token, page=page, pagesize=100)
        drives += [drive for drive in answer['data'] if not drive.get('deleted')]
        if not answer['data'] or len(drives) >= answer['total']:
            break
        page += 1
    print('The account has %d shared cloud drives:' % len(drives))
    for drive in drives:
        print('  %-15s bucket %-16s sync %-7s for %s' % (
            drive['name'], drive['storageName'], {1: 'stream', 2: 'mirror'}.get(drive['syncType']), who_gets(drive)))
    print('Each desktop has synced what its signed-in user may reach:')
    for number, url in enumerate(urls, 1):
        user = get(url + '/_emulator/agent').get('username', '?')
        local = sorted(drive['name'] for drive in get(url + '/management/clouddrive') if drive.get('sharedDrive'))
        print('  desktop%d %-20s %s' % (number, user, ', '.join(local) or 'nothing'))


def who_gets(drive):
    """Who a drive is assigned to, from the detailed listing's rows."""
    rows = ['user ' + row['user']['username'] for row in drive.get('usersData', [])]
    rows += ['group ' + row['userGroup']['name'] for row in drive.get('groupsData', [])]
    rows += ['project ' + row['project']['name'] for row in drive.get('projectsData', [])]
    return ', '.join(rows) or 'nobody (admins only)'


if __name__ == '__main__':
    main()
