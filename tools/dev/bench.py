"""Benchmarks of the amove.click collection against the Click API emulator.

    python tools/dev/bench.py [--quick]        (`make bench` runs it in the development venv)

Writes docs/benchmarks.md (tables, targets, a chart) and docs/benchmarks.json.
Every request count comes from the emulator's request log. Timings on a
shared machine are noisy, so every time is reported as a ratio of two things
measured side by side in this run (alternating, median of several), or per
unit of the same run; absolute seconds are given only to read the ratios.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import pathlib
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent
PYTHON = sys.executable
TOKEN = 'bench-token'
CLOUD_ACCOUNT_ID = '5d1f0c2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f'
ADMIN = ('admin@example.com', 'admin-password')


# ---- plumbing -----------------------------------------------------------------

def free_ports(count):
    sockets = [socket.socket() for number in range(count)]
    for sock in sockets:
        sock.bind(('127.0.0.1', 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def call(url, method='GET', body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


class Emulator:
    """The emulator as a context manager: N agents, an optional seed."""

    def __init__(self, work, agents=1, seed=None):
        self.ports = free_ports(agents)
        self.urls = ['http://127.0.0.1:%d' % port for port in self.ports]
        self.url = self.urls[0]
        command = [str(BIN / 'amove-click-emulator'), '--ports', ','.join(map(str, self.ports)),
                   '--api-token', TOKEN, '--seed', str(seed or work / 'seed.json')]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        for url in self.urls:
            while True:
                try:
                    call(url + '/management/agent_status')
                    break
                except OSError:
                    if time.time() > deadline:
                        raise SystemExit('the emulator did not start')
                    time.sleep(0.05)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()

    def reset(self):
        call(self.url + '/_emulator/reset', 'POST')

    def forget(self):
        call(self.url + '/_emulator/requests', 'DELETE')

    def requests(self):
        return call(self.url + '/_emulator/requests')


def write_seed(path, drives=0, extra=None):
    """A seed: the admin, the Demo S3 cloud account, `drives` filler drives and `extra` ones."""
    seed = {
        'users': [{'username': ADMIN[0], 'password': ADMIN[1], 'userType': 16, 'owner': True}],
        'cloud_accounts': [{'id': CLOUD_ACCOUNT_ID, 'name': 'Demo S3', 'cloudType': 1}],
        'shared_cloud_drives': [{'name': 'Filler %05d' % n, 'cloudAccountId': CLOUD_ACCOUNT_ID,
                                 'storageName': 'filler'} for n in range(drives)] + list(extra or []),
    }
    path.write_text(json.dumps(seed))
    return path


class Ansible:
    """Runs playbooks and modules with the collection from this working tree."""

    def __init__(self, work):
        collections = work / 'collections' / 'ansible_collections' / 'amove'
        collections.mkdir(parents=True, exist_ok=True)
        link = collections / 'click'
        if not link.exists():
            link.symlink_to(ROOT)
        self.work = work
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(work / 'collections'),
                        ANSIBLE_PYTHON_INTERPRETER=PYTHON, ANSIBLE_STDOUT_CALLBACK='default',
                        ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_RETRY_FILES_ENABLED='False',
                        PYTHONPATH=str(work / 'collections'))
        self.env.pop('AMOVE_CLICK_TOKEN', None)

    def playbook(self, text, inventory=None, forks=5, env=None, extra=()):
        """Run a playbook given as YAML text; return (seconds, output)."""
        path = self.work / 'playbook.yml'
        path.write_text(text)
        command = [str(BIN / 'ansible-playbook'), str(path), '-f', str(forks)]
        command += ['-i', str(inventory)] if inventory else ['-i', 'localhost,', '-c', 'local']
        command += list(extra)
        started = time.perf_counter()
        done = subprocess.run(command, env=dict(self.env, **(env or {})), capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit('playbook failed:\n%s\n%s' % (done.stdout[-4000:], done.stderr[-2000:]))
        return seconds, done.stdout

    def module(self, name, args):
        """Run a module's Python process directly, as the managed node would; return (seconds, result)."""
        path = self.work / 'args.json'
        path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        if '.' in name:
            target = ['-m', name]
        else:
            target = ['-m', 'ansible_collections.amove.click.plugins.modules.' + name]
        started = time.perf_counter()
        done = subprocess.run([PYTHON] + target + [str(path)], env=self.env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        result = json.loads(done.stdout)
        if result.get('failed'):
            raise SystemExit('%s failed: %s' % (name, result.get('msg')))
        return seconds, result


def median(values):
    return statistics.median(values)


def alternate(reps, *runs):
    """Run each callable in turn, `reps` rounds, and return the median of each one's results."""
    results = [[] for run in runs]
    for _round in range(reps):
        for number, run in enumerate(runs):
            results[number].append(run())
    return [median(values) for values in results]


# ---- 1. requests per task --------------------------------------------------------

def requests_per_task(ansible, emulator):
    rows = []
    drive = {'name': 'Bench', 'storage_name': 'bench-bucket', 'url': emulator.url}
    for auth_name, auth in (('token', {'token': TOKEN}),
                            ('username/password', {'username': ADMIN[0], 'password': ADMIN[1]})):
        for account_name, account in (('cloud_account_id', {'cloud_account_id': CLOUD_ACCOUNT_ID}),
                                      ('cloud_account (name)', {'cloud_account': 'Demo S3'})):
            emulator.reset()
            counts = {}
            for step, args in (('create', {}), ('unchanged', {}), ('update', {'allow_delete': True}),
                               ('delete', {'state': 'absent'})):
                emulator.forget()
                ansible.module('shared_cloud_drive', dict(drive, **auth, **account, **args))
                counts[step] = len(emulator.requests())
            rows.append({'auth': auth_name, 'cloud_account_by': account_name, **counts})
    return rows


# ---- 2. one unchanged drive against the floor of a uri task -------------------------

def per_task_seconds(ansible, task, tasks=10, env=None):
    """Seconds one more task adds to a play: (play of 1 + tasks) minus (play of 1), over tasks."""
    def play(count):
        return '- hosts: localhost\n  gather_facts: false\n  tasks:\n' + ''.join(
            '    - name: Task %d\n%s' % (n, task) for n in range(count))

    def run():
        short = ansible.playbook(play(1), env=env)[0]
        long = ansible.playbook(play(1 + tasks), env=env)[0]
        return (long - short) / tasks
    return run


def unchanged_versus_uri(ansible, emulator, reps):
    emulator.reset()
    ansible.module('shared_cloud_drive', {'url': emulator.url, 'token': TOKEN, 'name': 'Bench',
                                          'cloud_account_id': CLOUD_ACCOUNT_ID, 'storage_name': 'bench-bucket'})
    module_task = ('      amove.click.shared_cloud_drive:\n        url: %s\n        token: %s\n        name: Bench\n'
                   '        cloud_account_id: %s\n        storage_name: bench-bucket\n' % (emulator.url, TOKEN, CLOUD_ACCOUNT_ID))
    uri_task = ('      ansible.builtin.uri:\n        url: "%s/sharedclouddrive/get_all?token=%s&name=Bench"\n'
                % (emulator.url, TOKEN))
    results = {}
    for pipelining in ('False', 'True'):
        env = {'ANSIBLE_PIPELINING': pipelining}
        module_s, uri_s = alternate(reps, per_task_seconds(ansible, module_task, env=env),
                                    per_task_seconds(ansible, uri_task, env=env))
        results['pipelining' if pipelining == 'True' else 'no_pipelining'] = {
            'module_task_s': module_s, 'uri_task_s': uri_s, 'ratio': module_s / uri_s}

    emulator.forget()
    process = {}
    args = {'url': emulator.url, 'token': TOKEN, 'name': 'Bench'}
    uri_args = {'url': emulator.url + '/sharedclouddrive/get_all?token=%s&name=Bench' % TOKEN}
    module_s, uri_s = alternate(reps * 2, lambda: ansible.module('shared_cloud_drive', args)[0],
                                lambda: ansible.module('ansible.modules.uri', uri_args)[0])
    process = {'module_process_s': module_s, 'uri_process_s': uri_s, 'ratio': module_s / uri_s}
    imports = dict(zip(('basic_s', 'basic_and_urls_s'), alternate(
        reps * 2, lambda: timed([PYTHON, '-c', 'import ansible.module_utils.basic']),
        lambda: timed([PYTHON, '-c', 'import ansible.module_utils.basic, ansible.module_utils.urls']))))
    return {'per_task': results, 'process': process, 'imports': imports}


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


# ---- 3. the role against hand-written uri tasks ---------------------------------------

def drive_definitions(count):
    return [{'name': 'Team %02d' % n, 'cloud_account_id': CLOUD_ACCOUNT_ID, 'storage_name': 'team-%02d' % n,
             'sync_type': 'mirror'} for n in range(count)]


HAND_WRITTEN = '''- hosts: localhost
  gather_facts: false
  vars:
    click: "{url}"
    token: "{token}"
    drives: {drives}
  tasks:
    - name: Look each drive up by name
      ansible.builtin.uri:
        url: "{{{{ click }}}}/sharedclouddrive/get_all?token={{{{ token }}}}&pagesize=100&name={{{{ item.name | urlencode }}}}"
      loop: "{{{{ drives }}}}"
      register: found

    - name: Create the drives that do not exist
      ansible.builtin.uri:
        url: "{{{{ click }}}}/sharedclouddrive/insert?token={{{{ token }}}}"
        method: POST
        body_format: json
        body: "{{{{ item.item }}}}"
      loop: "{{{{ found.results }}}}"
      when: item.json.data | selectattr('name', 'equalto', item.item.name) | list | length == 0
      changed_when: true

    - name: Update the drives that differ
      ansible.builtin.uri:
        url: "{{{{ click }}}}/sharedclouddrive/update?token={{{{ token }}}}"
        method: PUT
        body_format: json
        body: "{{{{ current | combine(item.item) }}}}"
      loop: "{{{{ found.results }}}}"
      vars:
        current: "{{{{ item.json.data | selectattr('name', 'equalto', item.item.name) | first | default({{}}) }}}}"
      when: current | length > 0 and current | combine(item.item) != current
      changed_when: true
'''

ROLE = '''- hosts: localhost
  gather_facts: false
  roles:
    - role: amove.click.shared_cloud_drives
      vars:
        shared_cloud_drives_url: "{url}"
        shared_cloud_drives_token: "{token}"
        shared_cloud_drives_list: {drives}
'''


def role_versus_uri(ansible, emulator, reps, count=20):
    drives = drive_definitions(count)
    api_drives = [{'name': d['name'], 'cloudAccountId': d['cloud_account_id'], 'storageName': d['storage_name'],
                   'syncType': 2} for d in drives]
    role = ROLE.format(url=emulator.url, token=TOKEN, drives=json.dumps(drives))
    hand = HAND_WRITTEN.format(url=emulator.url, token=TOKEN, drives=json.dumps(api_drives))
    writes = {}

    def pair(text, label):
        def run():
            emulator.reset()
            first = ansible.playbook(text)[0]
            emulator.forget()
            second, output = ansible.playbook(text)
            writes[label] = [e for e in emulator.requests() if e['method'] != 'GET' and '/management/' not in e['path']]
            assert 'changed=0' in output, output[-2000:]
            return first, second
        return run

    runs = {'role': [], 'uri': []}
    for _round in range(reps):
        runs['role'].append(pair(role, 'role')())
        runs['uri'].append(pair(hand, 'uri')())
    result = {}
    for number, name in enumerate(('first_run', 'second_run')):
        role_s = median([r[number] for r in runs['role']])
        uri_s = median([r[number] for r in runs['uri']])
        result[name] = {'role_s': role_s, 'uri_s': uri_s, 'ratio': role_s / uri_s}
    result['second_run_writes'] = {'role': len(writes['role']), 'uri': len(writes['uri'])}
    result['drives'] = count
    return result


# ---- 4. account size --------------------------------------------------------------------

def account_size(ansible, work, reps, sizes=(10, 1000, 10000)):
    rows = []
    target = {'name': 'Target', 'cloudAccountId': CLOUD_ACCOUNT_ID, 'storageName': 'target'}
    emulators = {}
    try:
        for size in sizes:
            emulators[size] = Emulator(work, seed=write_seed(work / ('seed-%d.json' % size), size - 1, [target]))

        def args(size):
            return {'url': emulators[size].url, 'token': TOKEN, 'name': 'Target',
                    'cloud_account_id': CLOUD_ACCOUNT_ID, 'storage_name': 'target'}
        for size in sizes:
            emulators[size].forget()
            result = ansible.module('shared_cloud_drive', args(size))[1]
            assert result['changed'] is False
            set_args = {'url': emulators[size].url, 'token': TOKEN,
                        'drives': [{'name': 'Target'}] + [{'name': 'Filler %05d' % n} for n in range(min(size - 1, 19))]}
            requests = len(emulators[size].requests())
            emulators[size].forget()
            ansible.module('shared_cloud_drive_set', set_args)
            rows.append({'drives': size, 'requests': requests, 'set_of_20_requests': len(emulators[size].requests())})
        seconds = alternate(reps * 2, *[(lambda size=size: ansible.module('shared_cloud_drive', args(size))[0])
                                        for size in sizes])
        for row, value in zip(rows, seconds):
            row['seconds'] = value
            row['ratio_to_smallest'] = value / seconds[0]
    finally:
        for emulator in emulators.values():
            emulator.__exit__()
    return rows


# ---- 5. fleet size ------------------------------------------------------------------------

def fleet_inventory(work, emulator, name):
    inventory = work / ('%s.ini' % name)
    inventory.write_text('[desktops]\n' + ''.join(
        'desktop%d shared_cloud_drives_url=%s\n' % (n, url) for n, url in enumerate(emulator.urls, 1))
        + '[desktops:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' % PYTHON)
    return inventory


FLEET_ROLE = ('- hosts: desktops\n  gather_facts: false\n  roles:\n    - role: amove.click.shared_cloud_drives\n'
              '      vars:\n        shared_cloud_drives_token: %s\n        shared_cloud_drives_list: %s\n')

# The floor: one ansible.builtin.uri GET of each desktop's agent, the least any
# per-desktop task that talks to the agent can cost.
FLEET_FLOOR = ('- hosts: desktops\n  gather_facts: false\n  tasks:\n    - name: Ask each agent for its status\n'
               '      ansible.builtin.uri:\n        url: "{{ shared_cloud_drives_url }}/management/agent_status"\n')


def fleet_size(ansible, work, reps, sizes=(1, 5, 20)):
    rows = []
    drives = drive_definitions(3)
    play = FLEET_ROLE % (TOKEN, json.dumps(drives))
    for size in sizes:
        with Emulator(work, agents=size) as emulator:
            inventory = fleet_inventory(work, emulator, 'fleet-%d' % size)

            def run(forks):
                def once():
                    emulator.reset()
                    seconds = ansible.playbook(play, inventory=inventory, forks=forks)[0]
                    inserts = sum(1 for e in emulator.requests() if e['path'] == '/sharedclouddrive/insert')
                    assert inserts == len(drives), inserts
                    return seconds
                return once
            wide, narrow = alternate(reps, run(size), run(1)) if size > 1 else (alternate(reps, run(1))[0],) * 2
        rows.append({'agents': size, 'forks': size, 'seconds': wide, 'seconds_per_agent': wide / size,
                     'seconds_forks_1': narrow, 'speed_up': narrow / wide})
    return rows


def executions(output):
    """Remote executions in a -vvv play output: one "Using module file" line each."""
    return output.count('Using module file ')


# Settings of each drive on every desktop (the role's `desktop:`), so that the
# settled fleet also proves its settings unchanged at no extra cost.
FLEET_DESKTOP_SETTINGS = ({'drive_letter': 'R', 'max_cache_size': '10 GB'},
                          {'drive_letter': 'S', 'sync_interval': 300},
                          {'drive_letter': 'T', 'cache_encrypted': True})


def assert_settings_applied(emulator, drives):
    """Every agent has every drive, on the letter its settings ask for."""
    wanted = dict((drive['name'], drive['desktop']['drive_letter']) for drive in drives)
    for agent in call(emulator.url + '/_emulator/state')['agents']:
        letters = dict((d.get('name'), d.get('driveName')) for d in agent['clouddrives'])
        assert all(letters.get(name) == letter for name, letter in wanted.items()), (wanted, letters)


def fleet_floor(ansible, work, reps, sizes=(30, 50, 100), forks=10):
    """The settled role, with settings on every drive, against one uri GET per desktop, side by side, at the same forks."""
    rows = []
    drives = [dict(drive, desktop=settings) for drive, settings in zip(drive_definitions(3), FLEET_DESKTOP_SETTINGS)]
    play = FLEET_ROLE % (TOKEN, json.dumps(drives))
    for size in sizes:
        with Emulator(work, agents=size) as emulator:
            inventory = fleet_inventory(work, emulator, 'floor-%d' % size)
            ansible.playbook(play, inventory=inventory, forks=forks)
            assert_settings_applied(emulator, drives)
            emulator.forget()
            role_out = ansible.playbook(play, inventory=inventory, forks=forks, extra=['-vvv'])[1]
            assert 'changed=0' in role_out and 'changed=1' not in role_out, role_out[-3000:]
            log = emulator.requests()
            per_port = collections.Counter(entry['port'] for entry in log)
            per_desktop = collections.Counter(per_port.values()).most_common(1)[0][0]
            floor_out = ansible.playbook(FLEET_FLOOR, inventory=inventory, forks=forks, extra=['-vvv'])[1]
            role_s, floor_s = alternate(reps, lambda: ansible.playbook(play, inventory=inventory, forks=forks)[0],
                                        lambda: ansible.playbook(FLEET_FLOOR, inventory=inventory, forks=forks)[0])
        rows.append({'agents': size, 'forks': forks, 'role_s': role_s, 'floor_s': floor_s, 'ratio': role_s / floor_s,
                     'role_executions': executions(role_out), 'floor_executions': executions(floor_out),
                     'executions_per_desktop': executions(role_out) / size,
                     'requests_per_desktop': per_desktop, 'account_step_requests': len(log) - per_desktop * size})
    return rows


# ---- 7. the fleet report against provision --check ----------------------------------------

IMPORT = '- name: %s\n  ansible.builtin.import_playbook: %s\n'


def report_versus_check(ansible, work, reps, size=30, forks=10):
    """amove.click.report of a settled fleet against `provision --check` of the same fleet, side by side."""
    drives = [dict(drive, desktop=settings) for drive, settings in zip(drive_definitions(3), FLEET_DESKTOP_SETTINGS)]
    variables = work / 'report-vars.json'
    variables.write_text(json.dumps({'shared_cloud_drives_token': TOKEN, 'shared_cloud_drives_list': drives,
                                     'amove_click_report_dir': str(work / 'report')}))
    extra = ('-e', '@%s' % variables)
    report_play = IMPORT % ('The fleet report', 'amove.click.report')
    check_play = IMPORT % ('Provision, in check mode', 'amove.click.provision')
    with Emulator(work, agents=size) as emulator:
        inventory = fleet_inventory(work, emulator, 'report-%d' % size)
        ansible.playbook(check_play, inventory=inventory, forks=forks, extra=extra)
        assert_settings_applied(emulator, drives)
        counted = {}
        for name, play, more in (('report', report_play, ()), ('check', check_play, ('--check',))):
            emulator.forget()
            output = ansible.playbook(play, inventory=inventory, forks=forks, extra=extra + more + ('-vvv',))[1]
            log = emulator.requests()
            assert not [entry for entry in log if entry['method'] != 'GET'], 'a write in a run that changes nothing'
            per_port = collections.Counter(entry['port'] for entry in log)
            per_desktop = collections.Counter(per_port.values()).most_common(1)[0][0]
            counted[name] = {'executions': executions(output), 'requests_per_desktop': per_desktop,
                             'account_step_requests': len(log) - per_desktop * size}
        fleet = json.loads((work / 'report' / 'fleet.json').read_text())
        assert fleet['counts']['in_sync'] == size and not fleet['drift'], fleet['counts']
        load = os.getloadavg()[0]
        rounds = []
        for _round in range(reps):
            report_s = ansible.playbook(report_play, inventory=inventory, forks=forks, extra=extra)[0]
            check_s = ansible.playbook(check_play, inventory=inventory, forks=forks, extra=extra + ('--check',))[0]
            rounds.append({'report_s': report_s, 'check_s': check_s, 'ratio': report_s / check_s})
    report_s, check_s = median([one['report_s'] for one in rounds]), median([one['check_s'] for one in rounds])
    return {'when': time.strftime('%Y-%m-%d'), 'load': load, 'load_after': os.getloadavg()[0], 'desktops': size, 'forks': forks,
            'drives': len(drives), 'report_s': report_s, 'check_s': check_s, 'ratio': report_s / check_s, 'rounds': rounds,
            'report': counted['report'], 'check': counted['check'], 'page_bytes': (work / 'report' / 'index.html').stat().st_size}


def report_section(r):
    row = r.get('report_versus_check')
    if not row:
        return []
    lines = ['## 7. The fleet report against `provision --check`', '',
             'Measured on %s (load average %.1f when the timed rounds began, %.1f when they ended, on %s cores; '
             '`tools/dev/bench.py --only-report` runs this section alone). '
             '`amove.click.report` (the role in check mode with each drive\'s health, then the three files written on '
             'the controller) of a settled fleet of %d emulated desktops, each with %d drives with desktop settings, '
             'against `ansible-playbook amove.click.provision --check` of the same fleet and variables, at forks %d; the '
             'two alternate, median of %d rounds. Target: ratio at most 1.2, and at most one remote execution per '
             'desktop plus the account step. Executions are counted in a `-vvv` run of each; requests come from the '
             'emulator\'s log, which holds only reads for both.'
             % (row['when'], row['load'], row.get('load_after', row['load']), r['cores'], row['desktops'], row['drives'],
                row['forks'], len(row.get('rounds', ())) or r['reps']), '',
             '| | report | provision --check |', '|---|---|---|',
             '| seconds | %.2f | %.2f |' % (row['report_s'], row['check_s']),
             '| ratio | %.2f (target 1.2: %s) | 1 |' % (row['ratio'], verdict(row['ratio'] <= 1.2)),
             '| remote executions | %d | %d |' % (row['report']['executions'], row['check']['executions']),
             '| executions per desktop | %.2f (%s) | %.2f |' % (
                 row['report']['executions'] / row['desktops'],
                 verdict(row['report']['executions'] <= row['desktops'] + 2), row['check']['executions'] / row['desktops']),
             '| HTTP requests per desktop | %d | %d |' % (row['report']['requests_per_desktop'], row['check']['requests_per_desktop']),
             '| account step requests | %d | %d |' % (row['report']['account_step_requests'], row['check']['account_step_requests']),
             '', 'Each round, report / check: %s.' % ', '.join('%.2f s / %.2f s = %.2f' % (one['report_s'], one['check_s'], one['ratio'])
                                                               for one in row.get('rounds', ())),
             '', 'Per desktop the report\'s one task makes the check\'s 2 requests (status, drive list) and 2 per drive '
             '(the summary and sync-health reports), in the same execution: %d more requests, no more executions. On the '
             'controller path (Windows desktops) each request is an execution, so the report costs 2 + 2 per drive '
             'executions per desktop there. The page of this fleet is %d KB.'
             % (row['report']['requests_per_desktop'] - row['check']['requests_per_desktop'], row['page_bytes'] // 1024), '']
    return lines


# ---- 8. exporting an account ---------------------------------------------------------------------

EXPORT_LISTINGS = ('/cloud/accounts', '/usergroup/get_all_with_details', '/projects/get_all_with_details',
                   '/sharedclouddrive/get_all_with_details')


def export_requests(ansible, work, drives=100, desktops=3):
    """The requests of `amove.click.export` of an account of `drives` drives on `desktops` synced desktops."""
    seed = write_seed(work / 'export-seed.json', drives=drives)
    variables = work / 'export-vars.json'
    variables.write_text(json.dumps({'shared_cloud_drives_token': TOKEN, 'shared_cloud_drives_export_dir': str(work / 'export')}))
    extra = ('-e', '@%s' % variables)
    with Emulator(work, agents=desktops, seed=seed) as emulator:
        inventory = fleet_inventory(work, emulator, 'export-%d' % drives)
        ansible.playbook(IMPORT % ('Sync the desktops', 'amove.click.provision'), inventory=inventory, extra=extra)
        emulator.forget()
        seconds = ansible.playbook(IMPORT % ('Export the account', 'amove.click.export'), inventory=inventory, extra=extra)[0]
        log = emulator.requests()
    paths = collections.Counter(entry['path'] for entry in log)
    account = sum(paths[path] for path in EXPORT_LISTINGS)
    per_desktop = paths['/management/clouddrive']
    assert sum(paths.values()) == account + per_desktop, 'the export asked more than listings: %r' % paths
    return {'when': time.strftime('%Y-%m-%d'), 'drives': drives, 'desktops': desktops, 'seconds': seconds,
            'requests': sum(paths.values()), 'account_requests': account, 'desktop_requests': per_desktop,
            'by_path': dict(sorted(paths.items())), 'writes': len([entry for entry in log if entry['method'] != 'GET'])}


def export_section(r):
    row = r.get('export_requests')
    if not row:
        return []
    return ['## 8. Exporting an account', '',
            'Measured on %s (`tools/dev/bench.py --only-export` runs this section alone). `ansible-playbook amove.click.export` '
            'of an account of %d drives on %d synced desktops. Target: no more requests than one `_info` call per kind '
            'of record (cloud accounts, user groups, projects, drives: each its listing, every page of %d records) plus '
            'one per desktop. Requests come from the emulator\'s log.' % (row['when'], row['drives'], row['desktops'], 100), '',
            '| | requests | target |', '|---|---|---|',
            '| the account (one listing per kind) | %d | %d listings, one page each (%s) |' % (
                row['account_requests'], len(EXPORT_LISTINGS), verdict(row['account_requests'] <= len(EXPORT_LISTINGS))),
            '| the desktops (one read each) | %d | %d (%s) |' % (
                row['desktop_requests'], row['desktops'], verdict(row['desktop_requests'] <= row['desktops'])),
            '| writes | %d | 0 (%s) |' % (row['writes'], verdict(row['writes'] == 0)),
            '', 'By route: %s. The export took %.1f s.' % (
                ', '.join('%s %d' % (path, count) for path, count in row['by_path'].items()), row['seconds']), '']


# ---- report ----------------------------------------------------------------------------------

# ---- 6. the controller path (amove_click_transport=uri) against the module path ----------

def executions_per_task(ansible, emulator, transport, auth, account):
    """Remote executions ("Using module file" lines at -vvv) of each step of section 1, on one path."""
    emulator.reset()
    drive = dict({'name': 'Bench', 'storage_name': 'bench-bucket', 'url': emulator.url}, **auth, **account)
    steps = (('create', {}), ('unchanged', {}), ('update', {'allow_delete': True}), ('delete', {'state': 'absent'}))
    tasks = ''.join('    - name: %s\n      amove.click.shared_cloud_drive: %s\n' % (step, json.dumps(dict(drive, **args)))
                    for step, args in steps)
    output = ansible.playbook('- hosts: localhost\n  gather_facts: false\n  tasks:\n' + tasks,
                              extra=('-vvv', '-e', 'amove_click_transport=' + transport))[1]
    counts = {}
    for block in output.split('\nTASK [')[1:]:
        counts[block.split(']', 1)[0]] = block.count('\nUsing module file ')
    return dict((step, counts[step]) for step, _args in steps)


def controller_path(ansible, emulator, reps):
    rows = []
    for auth_name, auth in (('token', {'token': TOKEN}),
                            ('username/password', {'username': ADMIN[0], 'password': ADMIN[1]})):
        for account_name, account in (('cloud_account_id', {'cloud_account_id': CLOUD_ACCOUNT_ID}),
                                      ('cloud_account (name)', {'cloud_account': 'Demo S3'})):
            for transport in ('module', 'uri'):
                rows.append(dict({'transport': transport, 'auth': auth_name, 'cloud_account_by': account_name},
                                 **executions_per_task(ansible, emulator, transport, auth, account)))
    emulator.reset()
    ansible.module('shared_cloud_drive', {'url': emulator.url, 'token': TOKEN, 'name': 'Bench',
                                          'cloud_account_id': CLOUD_ACCOUNT_ID, 'storage_name': 'bench-bucket'})
    task = ('      amove.click.shared_cloud_drive:\n        url: %s\n        token: %s\n        name: Bench\n'
            '        cloud_account_id: %s\n        storage_name: bench-bucket\n' % (emulator.url, TOKEN, CLOUD_ACCOUNT_ID))
    controller_task = task + '      vars:\n        amove_click_transport: uri\n'
    module_s, controller_s = alternate(reps, per_task_seconds(ansible, task), per_task_seconds(ansible, controller_task))
    unchanged = {'module_task_s': module_s, 'controller_task_s': controller_s, 'ratio': controller_s / module_s}
    return {'when': time.strftime('%Y-%m-%d'), 'executions': rows, 'unchanged': unchanged}


def verdict(ok):
    return 'met' if ok else '**not met**'


def report(results):
    r = results
    lines = ['# Benchmarks', '',
             'Measured by `make bench` (`tools/dev/bench.py`) against the Click API emulator on %s, Python %s, '
             'ansible-core %s, %s cores. Request counts come from the emulator\'s request log. Times are ratios of '
             'two things measured side by side in the same run, alternating, median of %d rounds; the seconds '
             'beside them only help read the ratios. Machine-readable: [benchmarks.json](benchmarks.json).'
             % (r['when'], r['python'], r['ansible_core'], r['cores'], r['reps']), '']
    lines += ['## 1. HTTP requests per task', '',
              '`amove.click.shared_cloud_drive`, one drive. Target: unchanged = 1 with a token, an update or a delete = 2, '
              'a create = 2 with `cloud_account_id` (the lookup and the insert), 3 with `cloud_account` by name (which '
              'the cloud accounts resolve to an id).', '',
              '| auth | cloud account by | create | unchanged | update | delete | target |', '|---|---|---|---|---|---|---|']
    for row in r['requests_per_task']:
        create = 2 if row['cloud_account_by'] == 'cloud_account_id' else 3
        target = 'unchanged 1, changes 2, create %d' % create if row['auth'] == 'token' else 'plus log in and log out'
        ok = (row['auth'] != 'token' or (row['unchanged'] == 1 and row['update'] == 2 and row['delete'] == 2
                                         and row['create'] == create))
        lines.append('| %s | %s | %d | %d | %d | %d | %s: %s |' % (
            row['auth'], row['cloud_account_by'], row['create'], row['unchanged'], row['update'], row['delete'],
            target, verdict(ok)))
    if r.get('counts_when'):
        lines += ['', 'The counts of this section were measured again on %s, without the timings.' % r['counts_when']]
    lines += ['', 'A create by `cloud_account_id` sends the insert right after the lookup: the agent itself refuses an '
              'unknown cloud account (`499 NOT_FOUND`), and only then are its cloud accounts read, to name them. Check mode, '
              'which sends no insert, reads the cloud account instead (`GET /cloud/account?id=`): 2 requests too. By name, '
              '`GET /cloud/accounts` finds the id; an existing drive names its cloud account itself, so nothing else is '
              'asked. With a user name and password every task adds its login and logout.', '']
    u = r['unchanged_versus_uri']
    lines += ['## 2. One unchanged drive against the floor of an Ansible task', '',
              'Seconds one more task adds to a play: a `shared_cloud_drive` task that finds its drive unchanged, '
              'against an `ansible.builtin.uri` GET of the same agent (the least any task that asks the agent pays). '
              'Target: ratio at most 1.05.', '',
              '| | shared_cloud_drive | uri GET | ratio | target |', '|---|---|---|---|---|']
    for key, label in (('no_pipelining', 'per task, without pipelining (default)'), ('pipelining', 'per task, with pipelining')):
        row = u['per_task'][key]
        lines.append('| %s | %.3f s | %.3f s | %.2f | %s |' % (
            label, row['module_task_s'], row['uri_task_s'], row['ratio'], verdict(row['ratio'] <= 1.05)))
    p = u['process']
    lines.append('| the module\'s own Python process | %.3f s | %.3f s | %.2f | |' % (
        p['module_process_s'], p['uri_process_s'], p['ratio']))
    i = u['imports']
    lines += ['', 'The modules talk HTTP through the standard library\'s `urllib.request`, not '
              '`ansible.module_utils.urls`: importing that module as well as `ansible.module_utils.basic` costs '
              '%.2f times the time of `basic` alone here (%.3f s against %.3f s, a whole Python process each), for '
              'features a loopback agent does not need.' % (i['basic_and_urls_s'] / i['basic_s'], i['basic_and_urls_s'], i['basic_s']), '']
    h = r['role_versus_uri']
    lines += ['## 3. The role against hand-written `uri` tasks', '',
              'Converging %d drives on one desktop: the role `amove.click.shared_cloud_drives` (which converges the '
              'whole list in one `shared_cloud_drive_set` run) against the idiomatic hand-written play: a `uri` GET '
              'with the name filter per drive, then a conditional `uri` POST or PUT per drive. Target: the collection '
              'takes at most half the time, and its second run writes nothing.' % h['drives'], '',
              '| run | role | hand-written uri | ratio | target |', '|---|---|---|---|---|']
    for key, label in (('first_run', 'first (creates every drive)'), ('second_run', 'second (nothing to change)')):
        row = h[key]
        lines.append('| %s | %.2f s | %.2f s | %.2f | %s |' % (
            label, row['role_s'], row['uri_s'], row['ratio'], verdict(row['ratio'] <= 0.5)))
    lines += ['', 'Writes on the second run: role %d, hand-written %d (target for the role: 0, %s). The role also waits '
              'for the agent and has it sync, which the hand-written play does not do.'
              % (h['second_run_writes']['role'], h['second_run_writes']['uri'], verdict(h['second_run_writes']['role'] == 0)), '']
    lines += ['## 4. Account size', '',
              'Converging one unchanged drive in an account of 10, 1,000 and 10,000 drives (the module\'s own process, '
              'with a token). Target: requests constant, time ratio 10,000 against 10 at most 1.2.', '',
              '| drives in the account | requests | seconds | ratio to 10 drives | a set of 20 drives: requests |',
              '|---|---|---|---|---|']
    for row in r['account_size']:
        lines.append('| %s | %d | %.3f | %.2f | %d |' % (
            '{:,}'.format(row['drives']), row['requests'], row['seconds'], row['ratio_to_smallest'], row['set_of_20_requests']))
    sizes = r['account_size']
    ok = len(set(row['requests'] for row in sizes)) == 1 and sizes[-1]['ratio_to_smallest'] <= 1.2
    lines += ['', 'Target: %s. The lookup asks the agent for the name (a filtered listing), so the account\'s size never '
              'reaches the module. `shared_cloud_drive_set` reads the first page, then asks per drive when reading every '
              'page would take more requests, so its cost is bounded by the list, not the account.' % verdict(ok), '']
    f = r['fleet_size']
    lines += ['## 5. Fleet size', '',
              'The role over 1, 5 and 20 emulated agents sharing one account, forks equal to the fleet size, first '
              'run (3 drives created once, every agent synced), against the same fleet with forks=1. This machine '
              'has %s cores, which bounds the speed-up.' % r['cores'], '',
              '| agents | seconds | seconds per agent | seconds with forks=1 | speed-up |', '|---|---|---|---|---|']
    for row in f:
        lines.append('| %d | %.2f | %.2f | %.2f | %.2f |' % (
            row['agents'], row['seconds'], row['seconds_per_agent'], row['seconds_forks_1'], row['speed_up']))
    lines += ['', '```mermaid', 'xychart-beta', '    title "Seconds per agent (forks = fleet size)"',
              '    x-axis "agents" [%s]' % ', '.join(str(row['agents']) for row in f),
              '    y-axis "seconds per agent" 0 --> %.1f' % (max(row['seconds_per_agent'] for row in f) * 1.2),
              '    bar [%s]' % ', '.join('%.2f' % row['seconds_per_agent'] for row in f), '```', '']
    lines += fleet_floor_report(r)
    if 'controller_path' in r:
        lines += controller_report(r['controller_path'])
    lines += report_section(r)
    lines += export_section(r)
    return '\n'.join(lines)


def fleet_floor_report(r):
    rows = r.get('fleet_floor')
    if not rows:
        return []
    lines = ['### The settled role against one `uri` task per desktop', '']
    if r.get('fleet_when'):
        lines += ['Section 5 was measured again on %s, on the same machine.' % r['fleet_when'], '']
    lines += ['The role\'s second run (nothing to change, every agent asked to sync, each of the 3 drives with desktop '
              'settings: a drive letter, and a cache size, a sync interval or cache encryption) over %s emulated desktops at forks '
              '%d, against a play of one `ansible.builtin.uri` GET per desktop, the least any per-desktop work can cost; '
              'the two alternate, median of %d rounds. Target: ratio at most 1.2. Remote executions are counted in a '
              '`-vvv` run of each (its "Using module file" lines); HTTP requests come from the emulator\'s log. On the '
              'controller path (Windows desktops), each HTTP request is one remote execution, so the requests are that '
              'path\'s executions.' % (', '.join(str(row['agents']) for row in rows), rows[0]['forks'], r['reps']), '',
              '| desktops | role | one uri per desktop | ratio | target | executions: role / uri | per desktop | '
              'HTTP requests per desktop | account step requests |', '|---|---|---|---|---|---|---|---|---|']
    for row in rows:
        lines.append('| %d | %.2f s | %.2f s | %.2f | %s | %d / %d | %.2f | %d | %d |' % (
            row['agents'], row['role_s'], row['floor_s'], row['ratio'], verdict(row['ratio'] <= 1.2),
            row['role_executions'], row['floor_executions'], row['executions_per_desktop'],
            row['requests_per_desktop'], row['account_step_requests']))
    lines += ['', 'Per desktop the role runs one task, `amove.click.agent`, which waits for the agent, has it sync and '
              'tells which listed drives arrived, and finds their settings unchanged in the drive list the sync read: %d '
              'requests (status, local drives, sync, local drives), none for the settings. Once per play '
              'it waits for the agent of the desktop that changes the account and runs `shared_cloud_drive_set` (2 '
              'executions, %d requests on a settled account). The `tests/integration/targets/shared_cloud_drives_role` '
              'target fails if a settled run takes more than one execution per desktop and two for the account step, '
              'counted by each desktop\'s interpreter.' % (rows[0]['requests_per_desktop'], rows[0]['account_step_requests']),
              '', '```mermaid', 'xychart-beta', '    title "Settled role / one uri GET per desktop (forks %d)"' % rows[0]['forks'],
              '    x-axis "desktops" [%s]' % ', '.join(str(row['agents']) for row in rows),
              '    y-axis "ratio" 0 --> %.1f' % max(1.5, max(row['ratio'] for row in rows) * 1.2),
              '    bar [%s]' % ', '.join('%.2f' % row['ratio'] for row in rows),
              '    line [%s]' % ', '.join('1.2' for row in rows), '```', '',
              'Bars: the measured ratio; line: the target.', '']
    return lines


def controller_report(c):
    lines = ['## 6. The controller path (Windows desktops)', '',
             'Measured on %s (`tools/dev/bench.py --controller-path` runs this section alone). ' % c['when'] +
             'Remote executions per `shared_cloud_drive` task (`Using module file` lines at `-vvv`), with '
             '`amove_click_transport=module` (the module runs on the desktop) and `uri` (its logic runs on the controller, '
             'each HTTP request is one `ansible.builtin.uri` execution on the desktop; `win_uri` on Windows makes the '
             'same requests). Target: module path 1 per task; controller path: unchanged 1, an update or delete 2, a create 2 '
             'with `cloud_account_id` (the lookup and the insert), 3 with `cloud_account` by name (its id is looked up).', '',
             '| path | auth | cloud account by | create | unchanged | update | delete | target |',
             '|---|---|---|---|---|---|---|---|']
    for row in c['executions']:
        if row['transport'] == 'module':
            wanted = (1, 1, 1, 1)
        elif row['auth'] == 'token':
            # A create is the lookup and the insert; by name, the cloud accounts too.
            wanted = (2 if row['cloud_account_by'] == 'cloud_account_id' else 3, 1, 2, 2)
        else:
            wanted = None
        got = (row['create'], row['unchanged'], row['update'], row['delete'])
        target = verdict(got == wanted) if wanted else 'plus log in and log out'
        lines.append('| %s | %s | %s | %d | %d | %d | %d | %s |' % ((row['transport'], row['auth'], row['cloud_account_by']) + got + (target,)))
    if c.get('counts_when'):
        lines += ['', 'The executions of this table were measured again on %s, without the timings.' % c['counts_when']]
    u = c['unchanged']
    lines += ['', 'Seconds one more unchanged `shared_cloud_drive` task adds to a play (token), both paths measured side by '
              'side: module path %.3f s, controller path %.3f s, ratio %.2f. With a user name and password the controller '
              'path adds two executions per task (log in, log out): give Windows desktops an API token.'
              % (u['module_task_s'], u['controller_task_s'], u['ratio']), '']
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='fewer rounds and a smaller fleet (to try it out)')
    parser.add_argument('--controller-path', action='store_true',
                        help='only section 6, keeping the other results in docs/benchmarks.json')
    parser.add_argument('--only-fleet', action='store_true',
                        help='measure only the fleet section; keep the other sections from docs/benchmarks.json')
    parser.add_argument('--floor-sizes', default='30,50,100',
                        help='fleet sizes of the settled role against one uri task per desktop (default 30,50,100)')
    parser.add_argument('--only-floor', action='store_true',
                        help='measure only that comparison; keep everything else from docs/benchmarks.json')
    parser.add_argument('--only-report', action='store_true',
                        help='measure only section 7 (the report against provision --check); keep the rest')
    parser.add_argument('--only-export', action='store_true',
                        help='measure only section 8 (the requests of an export of an account of 100 drives); keep the rest')
    options = parser.parse_args()
    reps = 1 if options.quick else 3
    work = pathlib.Path(tempfile.mkdtemp(prefix='amove-click-bench-'))
    if options.controller_path:
        results = json.loads((ROOT / 'docs' / 'benchmarks.json').read_text())
        try:
            write_seed(work / 'seed.json')
            with Emulator(work) as emulator:
                results['controller_path'] = controller_path(Ansible(work), emulator, reps)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        (ROOT / 'docs' / 'benchmarks.json').write_text(json.dumps(results, indent=2) + '\n')
        (ROOT / 'docs' / 'benchmarks.md').write_text(report(results))
        print('\n'.join(controller_report(results['controller_path'])))
        return
    try:
        write_seed(work / 'seed.json')
        ansible = Ansible(work)
        results = {'when': time.strftime('%Y-%m-%d'), 'python': platform.python_version(), 'cores': os.cpu_count(),
                   'ansible_core': subprocess.run([str(BIN / 'ansible'), '--version'], capture_output=True,
                                                  text=True, check=True).stdout.split(']')[0].split()[-1],
                   'reps': reps}
        floor_sizes = (30,) if options.quick else tuple(int(size) for size in options.floor_sizes.split(','))
        if options.only_export:
            results = dict(json.loads((ROOT / 'docs' / 'benchmarks.json').read_text()))
            print('8/8 exporting an account', flush=True)
            results['export_requests'] = export_requests(ansible, work)
            return write_report(results)
        if options.only_report:
            results = dict(json.loads((ROOT / 'docs' / 'benchmarks.json').read_text()))
            print('7/7 the fleet report against provision --check', flush=True)
            results['report_versus_check'] = report_versus_check(ansible, work, reps)
            return write_report(results)
        if options.only_floor:
            results = dict(json.loads((ROOT / 'docs' / 'benchmarks.json').read_text()), fleet_when=results['when'])
            print('5/7 the settled role against one uri task per desktop', flush=True)
            results['fleet_floor'] = fleet_floor(ansible, work, reps, floor_sizes)
            return write_report(results)
        if options.only_fleet:
            results = dict(json.loads((ROOT / 'docs' / 'benchmarks.json').read_text()), fleet_when=results['when'])
        else:
            with Emulator(work) as emulator:
                print('1/7 requests per task', flush=True)
                results['requests_per_task'] = requests_per_task(ansible, emulator)
                print('2/7 one unchanged drive against a uri task', flush=True)
                results['unchanged_versus_uri'] = unchanged_versus_uri(ansible, emulator, reps)
                print('3/7 the role against hand-written uri tasks', flush=True)
                results['role_versus_uri'] = role_versus_uri(ansible, emulator, reps)
            print('4/7 account size', flush=True)
            results['account_size'] = account_size(ansible, work, reps)
        print('5/7 fleet size', flush=True)
        results['fleet_size'] = fleet_size(ansible, work, reps, (1, 5) if options.quick else (1, 5, 20))
        print('5/7 the settled role against one uri task per desktop', flush=True)
        results['fleet_floor'] = fleet_floor(ansible, work, reps, floor_sizes)
        if not options.only_fleet:
            print('6/7 the controller path', flush=True)
            with Emulator(work) as emulator:
                results['controller_path'] = controller_path(ansible, emulator, reps)
        print('7/7 the fleet report against provision --check', flush=True)
        results['report_versus_check'] = report_versus_check(ansible, work, reps)
        print('8/8 exporting an account', flush=True)
        results['export_requests'] = export_requests(ansible, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return write_report(results)


def write_report(results):
    (ROOT / 'docs' / 'benchmarks.json').write_text(json.dumps(results, indent=2) + '\n')
    (ROOT / 'docs' / 'benchmarks.md').write_text(report(results))
    print(report(results))


if __name__ == '__main__':
    with contextlib.suppress(KeyboardInterrupt):
        main()
