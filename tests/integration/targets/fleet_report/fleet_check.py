"""Checks of the fleet report, read out of band: the emulator's state and request log, and the files written.

    python fleet_check.py URL inventory FILE PORT...    an inventory of desktops, one per agent (see fleet_inventory.py)
    python fleet_check.py URL forget FILE               empty the request log and FILE.executions
    python fleet_check.py URL executions FILE EACH [HOST=N...]
                                                        since the last forget, each of the three desktops ran EACH
                                                        remote executions (HOST: N), one the account step's as well
    python fleet_check.py URL reads-only                since the last forget, only GET requests reached the agents
    python fleet_check.py URL no-requests               since the last forget, no request reached an agent
    python fleet_check.py URL letter PORT NAME LETTER   a person gives the drive another letter in the Amove app
    python fleet_check.py URL unmount PORT NAME         the drive is taken off the desktop (until its next sync)
    python fleet_check.py URL health PORT JSON          what the agent's drive reports say (driveHealth)
    python fleet_check.py URL status PORT STATUS        set the agent's status (4: paused)
    python fleet_check.py URL report DIR SCHEMA EXPECT...
        fleet.json is valid against SCHEMA, and says exactly EXPECT: each DESKTOP=STATE and
        DESKTOP/DRIVE=STATE[:SETTING:CURRENT:WANTED] (every desktop and listed drive not named is in_sync);
        junit.xml fails exactly the named drives, and its counts and fleet.json's agree with them.

Request checks read what came since the last forget.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from xml.etree import ElementTree

import jsonschema

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'setup_click_emulator', 'files'))
import fleet_inventory  # noqa: E402  pylint: disable=wrong-import-position

NOT_READ = ('failed', 'unreachable', 'not_run')


def call(url, method='GET', body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


def fail(message):
    sys.exit('FAILED: ' + message)


def agent(port):
    return 'http://127.0.0.1:%s' % port


def local_drive(port, name):
    named = [drive for drive in call(agent(port) + '/management/clouddrive') if drive['name'] == name]
    if len(named) != 1:
        fail('agent %s has %d drives named %r' % (port, len(named), name))
    return named[0]


def check_report(directory, schema_path, expectations):
    with open(os.path.join(directory, 'fleet.json')) as stream:
        fleet = json.load(stream)
    with open(schema_path) as stream:
        jsonschema.validate(fleet, json.load(stream))
    wanted_desktops, wanted_drives, changes = {}, {}, {}
    for expectation in expectations:
        where, state = expectation.split('=', 1)
        if '/' in where:
            state, _colon, change = state.partition(':')
            wanted_drives[tuple(where.split('/', 1))] = state
            if change:
                setting, current, wanted = change.split(':')
                changes[tuple(where.split('/', 1))] = [{'setting': setting, 'current': current, 'wanted': wanted}]
        else:
            wanted_desktops[where] = state
    seen_desktops = dict((desktop['name'], desktop['state']) for desktop in fleet['desktops'])
    if seen_desktops != dict((name, wanted_desktops.get(name, 'in_sync')) for name in seen_desktops):
        fail('desktop states %r, wanted %r (others in_sync)' % (seen_desktops, wanted_desktops))
    seen_drives = dict(((desktop['name'], drive['name']), drive['state']) for desktop in fleet['desktops'] for drive in desktop['drives'])
    expected = dict((key, wanted_drives.get(key, 'in_sync')) for key in seen_drives)
    if seen_drives != expected or not set(wanted_drives) <= set(seen_drives):
        fail('drive states %r, wanted %r (others in_sync)' % (seen_drives, wanted_drives))
    for desktop in fleet['desktops']:
        for drive in desktop['drives']:
            drift = changes.get((desktop['name'], drive['name']), [])
            if drive['drift'] != drift:
                fail('%s/%s: drift %r, wanted %r' % (desktop['name'], drive['name'], drive['drift'], drift))
            if drive['state'] == 'unhealthy' and drive['health']['state'] != 'bad':
                fail('%s/%s is unhealthy with health %r' % (desktop['name'], drive['name'], drive['health']))
    states = list(seen_desktops.values())
    counts = fleet['counts']
    derived = {'desktops': len(states), 'in_sync': states.count('in_sync'), 'drifted': states.count('drift'),
               'missing_drives': list(seen_drives.values()).count('missing'), 'drifted_drives': len(changes),
               'not_read': sum(states.count(state) for state in NOT_READ)}
    if any(counts[key] != value for key, value in derived.items()):
        fail('counts %r, wanted %r' % (counts, derived))
    if fleet['drift'] != bool(counts['drifted'] or counts['account_changes']):
        fail('drift %r with counts %r' % (fleet['drift'], counts))

    junit = ElementTree.parse(os.path.join(directory, 'junit.xml')).getroot()
    failing = sorted((case.get('classname'), case.get('name')) for case in junit.iter('testcase')
                     if case.find('failure') is not None or case.find('error') is not None)
    named = sorted([(desktop, 'drive %s' % drive) for (desktop, drive), state in wanted_drives.items() if state != 'in_sync']
                   + [(desktop, 'agent') for desktop, state in wanted_desktops.items() if state in NOT_READ])
    if failing != named:
        fail('junit fails %r, wanted %r' % (failing, named))
    cases = list(junit.iter('testcase'))
    if int(junit.get('tests')) != len(cases) or int(junit.get('failures')) + int(junit.get('errors')) != len(named):
        fail('junit counts tests=%s failures=%s errors=%s for %d cases, %d failing'
             % (junit.get('tests'), junit.get('failures'), junit.get('errors'), len(cases), len(named)))
    return fleet


def main():
    base, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'inventory':
        fleet_inventory.write(args[0], [(port, None) for port in args[1:]])
    elif command == 'forget':
        call(base + '/_emulator/requests', 'DELETE')
        fleet_inventory.forget(args[0])
    elif command == 'executions':
        counts = fleet_inventory.executions(args[0])
        wanted = dict(('desktop%d' % number, int(args[1])) for number in range(1, 4))
        wanted.update((host, int(count)) for host, count in (arg.split('=') for arg in args[2:]))
        over = [host for host in sorted(set(counts) | set(wanted)) if counts.get(host) != wanted.get(host)]
        if len(over) != 1 or counts.get(over[0], 0) <= wanted.get(over[0], 0):
            fail('remote executions per desktop %r, wanted %r and more on the one that takes the account step'
                 % (dict(counts), wanted))
        print('the account step took %d executions' % (counts[over[0]] - wanted[over[0]]))
    elif command == 'reads-only':
        log = call(base + '/_emulator/requests')
        writes = [entry for entry in log if entry['method'] != 'GET']
        if writes or not log:
            fail('%d requests, writes among them: %r' % (len(log), writes))
        print('%d requests, every one a GET' % len(log))
    elif command == 'no-requests':
        log = call(base + '/_emulator/requests')
        if log:
            fail('%d requests, wanted none: %r' % (len(log), log))
    elif command == 'letter':
        drive = local_drive(args[0], args[1])
        call(agent(args[0]) + '/management/clouddrive/' + drive['id'], 'PUT', dict(drive, driveName=args[2]))
        if local_drive(args[0], args[1])['driveName'] != args[2]:
            fail('the letter was not changed')
    elif command == 'unmount':
        drive = local_drive(args[0], args[1])
        call(agent(args[0]) + '/management/clouddrive/' + drive['id'], 'DELETE')
    elif command == 'status':
        call(agent(args[0]) + '/_emulator/agent', 'PATCH', {'status': int(args[1])})
    elif command == 'health':
        call(agent(args[0]) + '/_emulator/agent', 'PATCH', {'driveHealth': json.loads(args[1])})
    elif command == 'report':
        check_report(args[0], args[1], args[2:])
    else:
        fail('unknown command ' + command)
    print('ok:', command, *args)


if __name__ == '__main__':
    main()
