# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The desktop agent itself: its status, and the shared drives it has synced.

PRIVATE to the amove.click collection: its interface may change in any release.

These are the agent's /management routes, which act on the desktop's own agent
and its signed-in user, and take no token (except Start, which signs a user in).
The agent module's whole run is here (run_agent), so that it runs the same way
as a module on the desktop and from the controller.
"""

from __future__ import annotations

import json
import time

from ansible_collections.amove.click.plugins.module_utils._desktop_drive import (
    DESKTOP_DRIVES,
    converge_settings,
    desktop_drive_specs,
    health,
)
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError, TransientError, seconds
from ansible_collections.amove.click.plugins.module_utils._listings import DESKTOP_DRIVE_LISTING
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition

STATUSES = {0: 'created', 1: 'started', 2: 'stopped', 4: 'paused', 8: 'disposed'}
STARTED = 1
PAUSED = 4
POLL_INTERVAL = 1.0
# POST /management/command/{cmd}: Resume (4) takes no token; Start (0) takes the
# token of the user it signs in, so it is only for an agent with nobody running.
RESUME = 4
START = 0
# The shortest a poll may wait for an answer, however little of the deadline is left.
MIN_POLL_TIMEOUT = 0.5


def _status_number(answer):
    # Documented as a bare integer; one page calls it "a status object", so
    # accept {"status": n} (and a number in a string) as well.
    if isinstance(answer, dict):
        answer = answer.get('status')
    try:
        return int(answer)
    except (TypeError, ValueError):
        raise ClickApiError('GET /management/agent_status: unexpected answer %r' % (answer,)) from None


def status_name(number):
    return STATUSES.get(number, str(number))


def _look(client, remaining):
    """One status request, its answer awaited no longer than the time left (the deadline is for the whole wait)."""
    try:
        number = _status_number(client.agent_request('GET', '/management/agent_status', retry=False,
                                                     timeout=max(min(client.timeout, remaining), MIN_POLL_TIMEOUT)))
        return number, 'status %s (%s)' % (number, status_name(number))
    except TransientError as error:
        return None, 'not reachable: %s' % error


def bring_up(client, number, with_token, check_mode):
    """Resume a paused agent, or Start one that is not running; return the command's name."""
    if number == PAUSED:
        if not check_mode:
            client.agent_request('POST', '/management/command/%d' % RESUME, retry=False)
        return 'resume'
    if not with_token:
        raise ClickApiError('the Amove agent at %s is %s; start_agent starts it with a token, which signs that '
                            "token's user in on the agent: set token (or AMOVE_CLICK_TOKEN) to the token of the "
                            "desktop's user" % (client.base_url, status_name(number)))
    if not check_mode:
        client.request('POST', '/management/command/%d' % START)
    return 'start'


def wait_until_started(client, timeout, start=False, check_mode=False, with_token=False):
    """Poll the agent until it says Started; return (status name, command sent or None).

    `timeout` seconds is a deadline for the whole wait: each poll waits only for
    what is left of it. With `start`, a paused, stopped or created agent is
    brought up once (in check mode, only reported), then awaited; Start needs
    `with_token` (a token given, not a user name and password).
    """
    deadline = time.monotonic() + timeout
    command = None
    while True:
        number, last = _look(client, deadline - time.monotonic())
        if number == STARTED:
            return status_name(number), command
        if start and command is None and number in (0, 2, PAUSED, 8):
            command = bring_up(client, number, with_token, check_mode)
            if check_mode:
                return status_name(number), command
            continue
        if time.monotonic() >= deadline:
            raise ClickApiError('the Amove agent at %s did not reach Started within %s; last seen: %s'
                                % (client.base_url, seconds(timeout), last))
        time.sleep(min(POLL_INTERVAL, max(deadline - time.monotonic(), 0)))


def cloud_drives(client):
    """The agent's local drives, each checked."""
    return DESKTOP_DRIVE_LISTING.records(client)


def sync_shared_drives(client):
    """Ask the agent to pull its user's shared drives; return (changed, before, after) local lists."""
    before = cloud_drives(client)
    client.agent_request('POST', '/management/sync_shareddrive')
    after = cloud_drives(client)
    return _fingerprint(before) != _fingerprint(after), before, after


def run_agent(client, params, check_mode, diff=False):
    """The agent module: wait (bringing the agent up if asked), sync, and tell what the desktop has."""
    status, command = wait_until_started(client, params['wait_timeout'], params['start_agent'], check_mode,
                                         with_token=bool(params['token']))
    result = dict(changed=command is not None, status=status)
    if command:
        result['command'] = command
    expected = params['expected_drives']
    if not params['sync_shared_drives'] and expected is None and not params['desktop_drives'] and not params['health']:
        return result
    diffs = []
    synced = params['sync_shared_drives'] and not check_mode and status == status_name(STARTED)
    if synced:
        changed, before, after = sync_shared_drives(client)
        names_before, names_after = _shared_names(before), _shared_names(after)
        result.update(changed=changed or result['changed'], added=sorted(names_after - names_before),
                      removed=sorted(names_before - names_after))
        if names_before != names_after:
            diffs.append(dict(before_header='shared drives on this desktop', after_header='shared drives on this desktop',
                              before=''.join('%s\n' % name for name in sorted(names_before)),
                              after=''.join('%s\n' % name for name in sorted(names_after))))
    else:
        after = cloud_drives(client)
    # Check mode tells the drives as they are: the settings it would give are in desktop_drives.
    shown = list(after) if check_mode else after
    settings = None
    if params['desktop_drives']:
        # After the sync, from the list it read: settled settings cost no request of their own.
        settings, outcomes = _apply_settings(client, after, params['desktop_drives'], check_mode)
        result.update(changed=result['changed'] or any(drive['changed'] for drive in settings), desktop_drives=settings)
        diffs.extend(_settings_diff(outcome) for outcome in outcomes if outcome.changed)
    result['cloud_drives'] = [_drive_view(client, drive, params['health']) for drive in shown]
    if expected is not None:
        result.update(_received(expected, _shared_names(after), synced or not params['sync_shared_drives'],
                                params['new_drives'] or []))
        if settings:
            result['summary'] += _settings_line(settings, check_mode)
    if diff:
        result['diff'] = diffs
    return result


def _apply_settings(client, records, settings, check_mode):
    """Give the desktop's drives their settings; `records` (the list just read) is kept up to date.

    Returns the outcome of each listed drive for the result, and the engine's outcomes of those present.
    """
    specs = desktop_drive_specs(settings)[0]
    names = set(record['name'] for record in records)
    # A drive this desktop's user does not get has nothing to tune here (the summary says it is missing).
    present = [spec for spec in specs if spec['name'] in names]
    outcomes = dict((spec['name'], dict(name=spec['name'], changed=False, changed_settings=[], desktop_drive={}, present=False))
                    for spec in specs)
    converged = converge_settings(client, records, present, check_mode)
    for spec, outcome in zip(present, converged):
        outcomes[spec['name']] = dict(name=spec['name'], changed=outcome.changed, desktop_drive=DESKTOP_DRIVES.to_options(outcome.after),
                                      present=True, **DESKTOP_DRIVES.result(outcome))
    return [outcomes[spec['name']] for spec in specs], converged


def _drive_view(client, record, with_health):
    """A local drive as the result shows it; with its health from the drive reports when asked (two requests)."""
    view = DESKTOP_DRIVES.to_options(record)
    if with_health:
        view['health'] = health(client, record)
    return view


def _settings_diff(outcome):
    """A drive's changed settings, before and after."""
    before, after = DESKTOP_DRIVES.to_options(outcome.before), DESKTOP_DRIVES.to_options(outcome.after)
    changed = DESKTOP_DRIVES.result(outcome)['changed_settings']
    header = 'desktop drive %s' % (outcome.after or outcome.before).get('name')
    return dict(before_header=header, after_header=header, before=dict((option, before.get(option)) for option in changed),
                after=dict((option, after.get(option)) for option in changed))


def _settings_line(settings, check_mode):
    changed = ['%s (%s)' % (drive['name'], ', '.join(drive['changed_settings'])) for drive in settings if drive['changed']]
    if not changed:
        return '; settings unchanged'
    return '; settings %s: %s' % ('to change' if check_mode else 'changed', ', '.join(changed))


def _shared_names(records):
    return set(drive.get('name') for drive in records if drive.get('sharedDrive'))


def _received(expected, names, synced, new):
    """Which of the expected drives the desktop has, which not, and a line that says so.

    `new` are the expected drives this run creates in the account: in check mode
    they are not there yet, which the line says rather than blame the user's access.
    """
    expected = sorted(set(expected))
    received = [name for name in expected if name in names]
    missing = [name for name in expected if name not in names]
    summary = '%d of the %d listed drives on this desktop: %s' % (
        len(received), len(expected), ', '.join(received) or 'none')
    if not synced:
        summary = 'not synced (check mode); ' + summary
    not_yet = [name for name in missing if not synced and name in new]
    not_for_user = [name for name in missing if name not in not_yet]
    if not_for_user:
        summary += '; not for its user: ' + ', '.join(not_for_user)
    if not_yet:
        summary += '; not in the account yet (this run creates them): ' + ', '.join(not_yet)
    return dict(received=received, missing=missing, summary=summary)


def _fingerprint(records):
    return sorted(json.dumps(record, sort_keys=True) for record in records)


# ---- the module -----------------------------------------------------------------

def _agent_problems(params):
    problems = []
    if params['wait_timeout'] < 0:
        problems.append('wait_timeout must be 0 or more seconds, got %s' % params['wait_timeout'])
    return problems + desktop_drive_specs(params['desktop_drives'])[1]


AGENT = ModuleDefinition(
    dict(wait_timeout=dict(type='int', default=60), sync_shared_drives=dict(type='bool', default=False),
         start_agent=dict(type='bool', default=False), expected_drives=dict(type='list', elements='str'),
         new_drives=dict(type='list', elements='str'),
         desktop_drives=dict(type='dict'), health=dict(type='bool', default=False)),
    run_agent, _agent_problems, credentials=False)
