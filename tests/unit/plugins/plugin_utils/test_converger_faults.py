# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Randomized: the drive converger against the emulator, behind a proxy that injects faults.

Hypothesis draws runs of shared_cloud_drive_set's converger (random drive
lists, purge or not, check mode or not) and random faults on the way (writes
that never land, land with their answer lost, land late before or after the
retry; answers of the wrong shape), and after every run checks:

- at most one live drive per name;
- when the run reports success, the account is exactly as the list says;
- nothing outside the list was touched (purge may only delete);
- check mode wrote nothing;
- no secret in any result or message;
- a run that met only faults it must survive (one write lost, dropped or
  landing late; a read dropped) succeeds whenever the same list would succeed
  without faults, and one that met an answer of the wrong shape fails with
  "unexpected answer", never with a Python exception.

Both paths: the module's transport (the standard library), and the
controller path's, whose answers pass through the adapter of uri's results.

Bounded: 25 examples of up to 3 runs each per path, 10 to 30 s each on a quiet machine
(client timeout 0.5 s; each held request costs one). Set
AMOVE_CLICK_HYPOTHESIS_EXAMPLES for a longer search.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from ansible_collections.amove.click.plugins.module_utils import _client
from ansible_collections.amove.click.plugins.module_utils._client import ClickApiClient
from ansible_collections.amove.click.plugins.module_utils._lists import converge_list, list_problems
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import DRIVES
from ansible_collections.amove.click.plugins.module_utils._transport import TransportError, urllib_transport
from ansible_collections.amove.click.plugins.plugin_utils._click_action import from_uri

# Hypothesis keeps caches in .hypothesis/ of the working directory, which is
# the collection being tested: keep them out of it (and of its tarball).
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), 'amove-click-hypothesis'))

ROOT = Path(__file__).resolve().parents[4]
# The emulator: the package in emulator/src (run from its source, it needs only
# the standard library), or the single script of earlier layouts.
EMULATOR_SOURCE = ROOT / 'emulator' / 'src'
EMULATOR_SCRIPT = ROOT / 'tools' / 'click_emulator.py'
PROXY = ROOT / 'tests' / 'integration' / 'targets' / 'setup_click_emulator' / 'files' / 'fault_proxy.py'
TOKEN = 'hyp+tok/en=='
SECRETS = (TOKEN, urllib.parse.quote(TOKEN, safe=''))
DEMO_S3 = '3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c'
SEED = {'shared_cloud_drives': [
    {'name': 'Alpha', 'cloudAccountName': 'Demo S3', 'storageName': 'b1'},
    {'name': 'Outsider', 'cloudAccountName': 'Demo S3', 'storageName': 'o', 'allowDelete': True},
    {'name': 'Beta', 'cloudAccountName': 'Demo S3', 'storageName': 'b2', 'deleted': True},
]}
NAMES = ('Alpha', 'alpha', 'Beta', 'Straße', 'STRASSE', 'Gamma 2')
WRITES = {'POST': '/sharedclouddrive/insert', 'PUT': '/sharedclouddrive/update', 'DELETE': '/sharedclouddrive/delete',
          'GET': '/sharedclouddrive/get_all'}
WRONG_SHAPES = (['Alpha'], {'data': [None], 'total': 1}, 'ok', {'data': [{'id': 'x'}], 'total': 1}, 7,
                {'id': 'x', 'name': 'Alpha', 'objectsPerFolder': 'many'},
                {'data': [{'id': 'x', 'name': 'Alpha', 'allowDelete': 'yes'}], 'total': 1})


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


@pytest.fixture
def agent(tmp_path_factory):
    """The emulator (page size 3, so listings have pages) and the fault proxy in front of it.

    Function-scoped: ansible-test runs each test in a fork of its own, which
    exits without the teardown of a wider fixture, and would leave the emulator running.
    """
    seed = tmp_path_factory.mktemp('seed') / 'seed.json'
    seed.write_text(json.dumps(SEED))
    port = free_port()
    if EMULATOR_SOURCE.is_dir():
        command = [sys.executable, '-m', 'amove_click_emulator']
        env = dict(os.environ, PYTHONPATH=str(EMULATOR_SOURCE))
    else:
        command, env = [sys.executable, str(EMULATOR_SCRIPT)], None
    emulator = subprocess.Popen(command + ['--ports', str(port), '--api-token', TOKEN, '--seed', str(seed),
                                           '--max-page-size', '3'],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    upstream = 'http://127.0.0.1:%d' % port
    proxy = None
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                call(upstream, 'GET', '/management/agent_status')
                break
            except OSError:
                if time.monotonic() > deadline or emulator.poll() is not None:
                    pytest.fail('the emulator did not start')
                time.sleep(0.1)
        spec = importlib.util.spec_from_file_location('fault_proxy', str(PROXY))
        fault_proxy = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fault_proxy)
        proxy = fault_proxy.start(upstream)
        yield upstream, 'http://127.0.0.1:%d' % proxy.port
    finally:
        if proxy is not None:
            proxy.shutdown()
            proxy.server_close()
        emulator.terminate()
        try:
            emulator.wait(10)
        except subprocess.TimeoutExpired:
            emulator.kill()
            emulator.wait()


def live_drives(upstream):
    state = call(upstream, 'GET', '/_emulator/state')
    return dict((drive['id'], drive) for drive in state['shared_cloud_drives'] if not drive['deleted'])


def drive_spec(name, state, storage, allow_delete, objects):
    spec = dict(name=name, id=None, state=state, cloud_account_id=None, cloud_account=None, storage_name=None,
                prefix=None, prefix_id=None, storage_id=None, objects_per_folder=None, allow_delete=None,
                local_cache_encrypted=None, cloud_objects_encrypted=None, drive_type=None, sync_type=None,
                active=None, users=None, groups=None, projects=None, purge_access=False)
    if state == 'present':
        spec.update(cloud_account_id=DEMO_S3, storage_name=storage, allow_delete=allow_delete, objects_per_folder=objects)
    return spec


SPECS = st.lists(st.builds(drive_spec, st.sampled_from(NAMES), st.sampled_from(('present', 'present', 'absent')),
                           st.sampled_from(('b1', 'b2')), st.one_of(st.none(), st.booleans()),
                           st.one_of(st.none(), st.integers(1, 3))),
                 max_size=4, unique_by=lambda spec: spec['name'])


@st.composite
def faults(draw):
    method = draw(st.sampled_from(sorted(WRITES)))
    fault = {'method': method, 'path': WRITES[method], 'count': draw(st.integers(1, 2)),
             'action': draw(st.sampled_from(('drop', 'lose_answer', 'hold', 'reshape')))}
    if fault['action'] == 'hold':
        fault['land'] = draw(st.sampled_from(('before_retry', 'after_retry')))
    if fault['action'] == 'reshape':
        fault['body'] = draw(st.sampled_from(WRONG_SHAPES))
    return fault


RUNS = st.lists(st.tuples(SPECS, st.booleans(), st.booleans(), st.lists(faults(), max_size=2)), min_size=1, max_size=3)


def as_wanted(record, spec):
    """Whether a live drive record is what a present spec asks for."""
    wanted = {'storageName': spec['storage_name'], 'cloudAccountId': DEMO_S3, 'allowDelete': spec['allow_delete'],
              'objectsPerFolder': spec['objects_per_folder']}
    return all(record[field] == value for field, value in wanted.items() if value is not None)


def should_succeed(before, specs):
    """Whether this list converges without faults: no name clashes with a live drive, or within the list.

    Names equal under Unicode case folding clash at the emulator (its DUPLICATE
    rule), those equal under lower-casing already with the converger, which
    also refuses to delete a drive by a name that differs from its own in case only.
    """
    live = set(drive['name'] for drive in before.values())
    for spec in specs:
        if spec['state'] == 'absent':
            if spec['name'] not in live and any(name.lower() == spec['name'].lower() for name in live):
                return False  # a case-only variant is refused, naming the drive's id
            live.discard(spec['name'])
        elif spec['name'] not in live:
            if any(name.casefold() == spec['name'].casefold() for name in live):
                return False
            live.add(spec['name'])
    return True


def check_run(before, after, specs, purge, check_mode, succeeded, output, seen):
    names = [drive['name'] for drive in after.values()]
    assert len(set(name.casefold() for name in names)) == len(names), 'two live drives share a name: %r' % names
    assert not any(secret in output for secret in SECRETS), 'a secret in the output'
    if check_mode:
        assert after == before, 'check mode changed the account'
        assert all(request['method'] == 'GET' for request in seen), 'check mode wrote'
    listed = set(spec['name'] for spec in specs)
    for drive_id, drive in before.items():
        if drive['name'] not in listed:
            assert after.get(drive_id, drive if purge else None) == drive, 'touched %r outside the list' % drive['name']
    # The answer to a delete is not read: reshaping it changes nothing.
    met = [request['fault'] for request in seen
           if request['fault'] and (request['fault'], request['method']) != ('reshape', 'DELETE')]
    if 'reshape' in met:
        assert not succeeded and 'unexpected answer from ' in output, 'a wrong answer was not refused: %s' % output
    elif len(met) <= 1 and should_succeed(before, specs):
        assert succeeded, 'failed although it should survive %r: %s' % (met, output)
    if succeeded and not check_mode:
        for spec in specs:
            matching = [drive for drive in after.values() if drive['name'] == spec['name']]
            if spec['state'] == 'absent':
                assert matching == [], '%r should be gone' % spec['name']
            else:
                assert len(matching) == 1 and as_wanted(matching[0], spec), '%r is not as listed' % spec['name']
        if purge:
            present = set(spec['name'] for spec in specs if spec['state'] == 'present')
            assert set(names) == present, 'purge left %r' % (set(names) - present)


# What ansible.builtin.uri says when no HTTP answer came, by the kind of failure.
URI_FAILURES = {
    'refused': 'Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>',
    'timeout': 'Status code was -1 and not [200]: Connection failure: The read operation timed out',
    'reset': 'Status code was -1 and not [200]: Connection failure: [Errno 104] Connection reset by peer',
    'other': 'Status code was -1 and not [200]: Connection failure: Remote end closed connection without response',
}


def uri_shaped_transport(method, url, headers, body, timeout, validate_certs):
    """The controller path's transport with the desktop's part simulated.

    The request is made here, its outcome put in the shape of an
    ansible.builtin.uri result, and read back by the action plugin's adapter
    (from_uri), as on the controller path; a real uri execution per request
    would make this test too slow (the reliability integration target runs the
    real one).
    """
    try:
        status, answer_headers, raw = urllib_transport(method, url, headers, body, timeout, validate_certs)
    except TransportError as error:
        result = {'failed': True, 'status': -1, 'msg': URI_FAILURES.get(error.kind, URI_FAILURES['other']), 'url': url}
    else:
        result = {'status': status, 'url': url, 'content': raw.decode('utf-8'),
                  'error_code': answer_headers.get('error-code'), 'content_type': answer_headers.get('content-type')}
    return from_uri(result)


@pytest.mark.parametrize('transport', [urllib_transport, uri_shaped_transport], ids=['module', 'controller'])
@settings(max_examples=int(os.environ.get('AMOVE_CLICK_HYPOTHESIS_EXAMPLES', '25')), deadline=None, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(runs=RUNS)
def test_the_converger_keeps_its_promises_whatever_the_agent_does(agent, transport, runs, monkeypatch):
    upstream, proxy = agent
    monkeypatch.setattr(_client, 'RETRY_DELAYS', (0, 0, 0))
    call(upstream, 'POST', '/_emulator/reset')
    call(proxy, 'DELETE', '/_proxy/faults')
    for specs, purge, check_mode, injected in runs:
        if list_problems(DRIVES, specs, 'drives', purge, allow_empty_purge=True):
            continue  # the module refuses these before any request
        before = live_drives(upstream)
        call(proxy, 'DELETE', '/_proxy/requests')
        if injected:
            call(proxy, 'POST', '/_proxy/faults', injected)
        client = ClickApiClient(proxy, token=TOKEN, timeout=0.5, transport=transport)
        try:
            result = converge_list(DRIVES, client, specs, 'drives', purge, check_mode, diff=True)
            succeeded, output = True, json.dumps([result['changed'], result['shared_cloud_drives'], result['diff']])
        except ClickApiError as error:
            succeeded, output = False, json.dumps([str(error), error.result()])
        seen = call(proxy, 'GET', '/_proxy/requests')
        call(proxy, 'DELETE', '/_proxy/faults')  # what was not used goes, held writes land now
        check_run(before, live_drives(upstream), specs, purge, check_mode, succeeded, output, seen)
