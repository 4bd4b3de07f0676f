# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The desktop agent itself: its status, and the shared drives it has synced.

PRIVATE to the amove.click collection: its interface may change in any release.

These are the agent's /management routes, which act on the desktop's own agent
and its signed-in user, and take no token.
"""

from __future__ import annotations

import json
import time

from ansible_collections.amove.click.plugins.module_utils._click_api import ClickApiError, TransientError, unexpected
from ansible_collections.amove.click.plugins.module_utils._drive_access import PERMISSIONS
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import (
    DRIVE_TYPES,
    SYNC_TYPES,
    enum_name,
)

STATUSES = {0: 'created', 1: 'started', 2: 'stopped', 4: 'paused', 8: 'disposed'}
STARTED = 1
POLL_INTERVAL = 1.0


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


def wait_until_started(client, timeout):
    """Poll the agent until it says Started; return its status name or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            number = _status_number(client.agent_request('GET', '/management/agent_status', retry=False))
            last = 'status %s (%s)' % (number, status_name(number))
        except TransientError as error:
            number, last = None, 'not reachable: %s' % error
        if number == STARTED:
            return status_name(number)
        if time.monotonic() >= deadline:
            raise ClickApiError('the Amove agent at %s did not reach Started within %s seconds; last seen: %s'
                                % (client.base_url, timeout, last))
        time.sleep(min(POLL_INTERVAL, max(deadline - time.monotonic(), 0)))


def cloud_drives(client):
    """The agent's local cloud drives (a bare array of CloudDriveModel)."""
    answer = client.agent_request('GET', '/management/clouddrive')
    if not isinstance(answer, list) or not all(isinstance(record, dict) for record in answer):
        raise unexpected('GET /management/clouddrive', 'not a list of objects')
    return answer


def sync_shared_drives(client):
    """Ask the agent to pull its user's shared drives; return (changed, before, after) local lists."""
    before = cloud_drives(client)
    client.agent_request('POST', '/management/sync_shareddrive')
    after = cloud_drives(client)
    return _fingerprint(before) != _fingerprint(after), before, after


def _fingerprint(records):
    return sorted(json.dumps(record, sort_keys=True) for record in records)


def to_local_options(record):
    """A CloudDriveModel in the modules' vocabulary."""
    return {
        'id': record.get('id'),
        'name': record.get('name'),
        'shared_drive': bool(record.get('sharedDrive')),
        'shared_drive_id': record.get('sharedDriveId'),
        'permission': enum_name(PERMISSIONS, record.get('permissionType')),
        'storage_name': record.get('storageName'),
        'prefix': record.get('prefix'),
        'drive_letter': record.get('driveName'),
        'local_path': record.get('localPath'),
        'drive_type': enum_name(DRIVE_TYPES, record.get('driveType')),
        'sync_type': enum_name(SYNC_TYPES, record.get('syncType')),
        'active': record.get('active'),
    }
