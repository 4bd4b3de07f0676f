"""Checks of a fleet run, read out of band from the Click API emulator and the play's recap.

    python fleet.py URL inventory FILE LEAD PORT:TRANSPORT...
                                                    an inventory of desktops, one per agent, each on its
                                                    amove_click_transport, desktopLEAD first (see fleet_inventory.py)
    python fleet.py URL executions FILE HOST=N...    since the last forget, exactly these hosts ran, N remote executions each
    python fleet.py URL recap FILE HOST=CHANGED...   each host's changed count (F = failed)
    python fleet.py URL writes INSERTS UPDATES DELETES
    python fleet.py URL synced PORT...               each of these agents synced exactly once
    python fleet.py URL drives NAME...               the account's live drives, exactly
    python fleet.py URL api-requests N               N requests to the API since the last forget
    python fleet.py URL account-requests N           N of them not to an agent's own /management routes
    python fleet.py URL api-writes N [PORT...]       N requests other than GET since the last forget (to these agents)
    python fleet.py URL same-plan CHECK REAL         the account step's --diff in CHECK (a --check run) shows the records
                                                     of REAL's, each as REAL's does (a new one: what the play sets)
    python fleet.py URL status PORT STATUS           set an agent's status
    python fleet.py URL desktop PORT JSON            set an agent's desktop (platform, osLetters, resetOnSync...)
    python fleet.py URL local PORT NAME KEY=JSON...  an agent's local drive NAME has these field values
    python fleet.py URL signin PORT USERNAME         sign a user in on an agent
    python fleet.py URL received PORT NAME...        the drives on an agent's local list, exactly
    python fleet.py URL groups NAME=MEMBER,...       the account's live user groups and their members, exactly
    python fleet.py URL group-writes N               N writes to /usergroup/* routes
    python fleet.py URL commands [PORT:CMD...]       exactly these agent commands were sent
    python fleet.py URL delay PATH SECONDS COUNT     the next COUNT requests to PATH answer SECONDS late
    python fleet.py URL refuse PATH AFTER            the request to PATH after the next AFTER ones is refused (499)
    python fleet.py URL forget [FILE]                empty the request log (and FILE.executions)

Request checks read what came since the last forget.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'setup_click_emulator', 'files'))
import fleet_inventory  # noqa: E402  pylint: disable=wrong-import-position


def call(url, method='GET', body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


def read_log(base):
    return call(base + '/_emulator/requests')


def fail(message):
    sys.exit('FAILED: ' + message)


def account_changes(name):
    """The records the account step's --diff in a play's output shows, in order: (header, before, after).

    Before and after are the JSON the diff shows when it shows all of it (a record made or deleted), else
    the changed lines.
    """
    records, inside = [], False
    for line in open(name).read().splitlines():
        if line.startswith('TASK ['):
            # The role's account task: "Make the account's cloud accounts, ... match the lists".
            inside = "shared_cloud_drives : Make the account's " in line
        elif inside and line.startswith('--- before: '):
            records.append((line[len('--- before: '):], [], []))
        elif inside and records and line[:1] in ('-', '+') and not line.startswith('+++ '):
            records[-1][1 if line[0] == '-' else 2].append(line[1:])
    return [(header, parsed(before), parsed(after)) for header, before, after in records]


def parsed(lines):
    try:
        return json.loads('\n'.join(lines))
    except ValueError:
        return lines


def predicted(check, real):
    """Whether a check run's diff says what the real run's does: the same records, each the same way.

    A record the check run makes shows what the play sets; the real one also what the agent fills in.
    """
    return len(check) == len(real) and all(
        check_header == real_header and check_before == real_before
        and (check_after == real_after or isinstance(check_after, dict) and isinstance(real_after, dict)
             and all(real_after.get(key) == value for key, value in check_after.items()))
        for (check_header, check_before, check_after), (real_header, real_before, real_after) in zip(check, real))


def main():
    base, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'inventory':
        fleet_inventory.write(args[0], [agent.split(':') for agent in args[2:]], lead=int(args[1]))
    elif command == 'executions':
        counts = fleet_inventory.executions(args[0])
        wanted = dict((host, int(count)) for host, count in (arg.split('=') for arg in args[1:]))
        if dict(counts) != wanted:
            fail('remote executions per desktop %r, wanted %r' % (dict(sorted(counts.items())), wanted))
    elif command == 'recap':
        text = open(args[0]).read()
        seen = dict((host, (int(changed), int(failed))) for host, changed, failed in
                    re.findall(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)', text, re.M))
        for expectation in args[1:]:
            host, wanted = expectation.split('=')
            changed, failed = seen.get(host, (None, None))
            if wanted == 'F' and failed != 1:
                fail('%s should have failed: %r' % (host, seen))
            if wanted != 'F' and (failed != 0 or (wanted == '+' and not changed) or (wanted.isdigit() and changed != int(wanted))):
                fail('%s should have changed=%s: %r' % (host, wanted, seen))
    elif command == 'writes':
        log = read_log(base)
        counts = [sum(1 for entry in log if entry['path'] == '/sharedclouddrive/' + action) for action in ('insert', 'update', 'delete')]
        if counts != [int(n) for n in args]:
            fail('inserts, updates, deletes = %r, wanted %r' % (counts, args))
    elif command == 'synced':
        log = read_log(base)
        synced = sorted(str(entry['port']) for entry in log if entry['path'] == '/management/sync_shareddrive')
        if synced != sorted(args):
            fail('agents synced: %r, wanted each of %r once' % (synced, args))
    elif command == 'drives':
        state = call(base + '/_emulator/state')
        live = sorted(drive['name'] for drive in state['shared_cloud_drives'] if not drive['deleted'])
        if live != sorted(args):
            fail('live drives %r, wanted %r' % (live, sorted(args)))
    elif command == 'api-requests':
        log = read_log(base)
        if len(log) != int(args[0]):
            fail('%d requests, wanted %s: %r' % (len(log), args[0], log))
    elif command == 'account-requests':
        log = [entry for entry in read_log(base) if not entry['path'].startswith('/management/')]
        if len(log) != int(args[0]):
            fail('%d requests to the account, wanted %s: %r' % (len(log), args[0], log))
    elif command == 'api-writes':
        writes = [entry for entry in read_log(base) if entry['method'] != 'GET' and (len(args) == 1 or str(entry['port']) in args[1:])]
        if len(writes) != int(args[0]):
            fail('%d write requests, wanted %s: %r' % (len(writes), args[0], writes))
    elif command == 'same-plan':
        check, real = (account_changes(name) for name in args)
        if not check or not predicted(check, real):
            fail('the check run predicted %r, the real run did %r' % (check, real))
        print('predicted:', ', '.join(header for header, _before, _after in check))
    elif command == 'commands':
        sent = sorted('%s:%s' % (entry['port'], entry['path'].rsplit('/', 1)[1]) for entry in read_log(base)
                      if entry['path'].startswith('/management/command/'))
        if sent != sorted(args):
            fail('agent commands %r, wanted %r' % (sent, sorted(args)))
    elif command == 'delay':
        call(base + '/_emulator/faults', 'POST', {'path': args[0], 'action': 'delay', 'seconds': float(args[1]),
                                                  'count': int(args[2])})
    elif command == 'refuse':
        # A fault takes the next matching requests: AFTER of them pass undelayed, then one is refused.
        call(base + '/_emulator/faults', 'POST', [{'path': args[0], 'action': 'delay', 'seconds': 0, 'count': int(args[1])},
                                                  {'path': args[0], 'action': 'error', 'status': 499}])
    elif command == 'forget':
        call(base + '/_emulator/requests', 'DELETE')
        if args:
            fleet_inventory.forget(args[0])
    elif command == 'desktop':
        call('http://127.0.0.1:%s/_emulator/agent' % args[0], 'PATCH', json.loads(args[1]))
    elif command == 'local':
        agent = call('http://127.0.0.1:%s/_emulator/agent' % args[0])
        named = [entry for entry in agent['clouddrives'] if entry['name'] == args[1]]
        if len(named) != 1:
            fail('agent %s has %d drives named %r' % (args[0], len(named), args[1]))
        for expectation in args[2:]:
            key, wanted = expectation.split('=', 1)
            if named[0].get(key) != json.loads(wanted):
                fail('agent %s, drive %r: %s is %r, wanted %s' % (args[0], args[1], key, named[0].get(key), wanted))
    elif command == 'status':
        call('http://127.0.0.1:%s/_emulator/agent' % args[0], 'PATCH', {'status': int(args[1])})
    elif command == 'signin':
        call('http://127.0.0.1:%s/_emulator/agent' % args[0], 'PATCH', {'username': args[1]})
    elif command == 'received':
        agents = call(base + '/_emulator/state')['agents']
        local = [sorted(entry['name'] for entry in agent['clouddrives']) for agent in agents if str(agent['port']) == args[0]]
        if local != [sorted(args[1:])]:
            fail('the agent on port %s has %r, wanted %r' % (args[0], local, sorted(args[1:])))
    elif command == 'groups':
        state = call(base + '/_emulator/state')
        live = dict((group['name'], sorted(group['members'])) for group in state['user_groups'] if not group['deleted'])
        wanted = dict((name, sorted(filter(None, members.split(',')))) for name, members in (arg.split('=') for arg in args))
        if live != wanted:
            fail('live groups %r, wanted %r' % (live, wanted))
    elif command == 'group-writes':
        writes = [entry for entry in read_log(base) if entry['path'].startswith('/usergroup/') and entry['method'] != 'GET']
        if len(writes) != int(args[0]):
            fail('%d writes to user groups, wanted %s: %r' % (len(writes), args[0], writes))
    else:
        fail('unknown command ' + command)
    print('ok:', command, *args)


if __name__ == '__main__':
    main()
