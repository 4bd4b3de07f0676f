# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A fake Click API for unit tests: an ordered list of expected requests and canned answers.

Every request the code makes must be the next one expected, with the same
method, path, query (the token included) and JSON body; anything else fails
the test at once. At the end, every expected request must have been made.
"""

from __future__ import annotations

import email.message
import io
import json
import urllib.error
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.testing import patch_module_args

BASE_URL = 'http://localhost:29123'
TOKEN = 'unit-test-token-4f2a9c'
# Keys of a cloud account, which no output may show either.
ACCESS_KEY = 'AKIAUNITTEST7Q2WX'
SECRET_KEY = 'unit/secret+key=9Zk3'


class Expect:
    """One expected request and what the fake agent answers to it.

    `query` lists query parameters that must be present with these values
    (`token` is checked separately); `body` must equal the JSON sent. The
    answer is `status` with `answer` as JSON, or `error`: an exception to raise
    (a connection failure).
    """

    def __init__(self, method, path, query=None, body=None, status=200, answer=None, error=None,
                 headers=None, token=TOKEN, raw=None):
        self.method = method
        self.path = path
        self.query = query or {}
        self.body = body
        self.status = status
        self.answer = answer
        self.error = error
        self.headers = headers or {}
        self.token = token
        self.raw = raw

    def __repr__(self):
        return '%s %s %r' % (self.method, self.path, self.query)


class FakeResponse:
    def __init__(self, payload):
        self._payload = payload
        self.status = 200
        self.headers = {'Content-Type': 'application/json'}

    def read(self):
        return self._payload

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeAgent:
    def __init__(self):
        self.expected = []
        self.made = []

    def expect(self, *calls):
        self.expected.extend(calls)
        return self

    def open_url(self, url, data=None, headers=None, method=None, **_kwargs):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        body = json.loads(data.decode('utf-8')) if data is not None else None
        self.made.append((method, parts.path, query, body))
        assert self.expected, 'unexpected request %s %s %r' % (method, parts.path, query)
        call = self.expected.pop(0)
        assert (method, parts.path) == (call.method, call.path), \
            'expected %r, got %s %s %r' % (call, method, parts.path, query)
        assert '%s://%s' % (parts.scheme, parts.netloc) == BASE_URL
        assert query.pop('token', None) == call.token, 'wrong token on %r' % call
        for key, value in call.query.items():
            assert query.get(key) == str(value), 'query %s=%r expected on %r, got %r' % (key, value, call, query)
        if call.body is not None:
            assert body == call.body, 'body of %r:\n%r\n!=\n%r' % (call, body, call.body)
        if call.error is not None:
            raise call.error
        payload = call.raw if call.raw is not None else (b'' if call.answer is None else json.dumps(call.answer).encode())
        if call.status >= 400:
            message = email.message.Message()
            for key, value in call.headers.items():
                message[key] = value
            raise urllib.error.HTTPError(url, call.status, 'error', message, io.BytesIO(payload))
        return FakeResponse(payload)

    def requests(self, method=None):
        return [made for made in self.made if method is None or made[0] == method]


def problem(code, message, status=499):
    """The keyword arguments of an Expect answering with a Click API 499 error."""
    return dict(status=status, answer={'type': code, 'status': status, 'errors': {code: [message]}},
                headers={'error-code': code})


def page(records, total=None, number=1, size=100):
    """A paginated collection answer."""
    return {'data': records, 'total': len(records) if total is None else total,
            'options': {'page': number, 'pageSize': size, 'sort': [{'field': 'Name', 'descending': False}]}}


# ---- drives and module runs ----------------------------------------------------

LIST = '/sharedclouddrive/get_all'
INSERT = '/sharedclouddrive/insert'
UPDATE = '/sharedclouddrive/update'
DELETE = '/sharedclouddrive/delete'

DRIVE_ID = '6f1c9f0e-7a1b-4d7e-9a55-3c2d1e0f4b21'
OTHER_ID = '7e2d0a1f-8b2c-4e8f-8b66-4d3e2f1a5c32'
CLOUD_ID = '0c6f3a51-2d7e-4b8a-9f10-5e4d3c2b1a09'
NEW_CLOUD_ID = '1d7a4b62-3e8f-4c9b-8a21-6f5e4d3c2b1a'
ACCOUNT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
USER_ID = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e'


# A create of the drive record() describes: the module's options, and the body they make.
CREATE_ARGS = dict(name='Creative', cloud_account_id=CLOUD_ID, storage_name='my-shared-bucket',
                   prefix='projects/creative/', sync_type='mirror')
CREATE_BODY = {'name': 'Creative', 'cloudAccountId': CLOUD_ID, 'storageName': 'my-shared-bucket',
               'prefix': 'projects/creative/', 'syncType': 2}


def record(**overrides):
    """A drive as the agent lists it."""
    base = {
        'id': DRIVE_ID, 'accountId': ACCOUNT_ID, 'creatorUserId': USER_ID, 'cloudAccountId': CLOUD_ID,
        'active': True, 'name': 'Creative', 'prefix': 'projects/creative/', 'prefixId': '', 'storageId': '',
        'storageName': 'my-shared-bucket', 'objectsPerFolder': 10000, 'allowDelete': False,
        'localCacheEncrypted': False, 'cloudObjectsEncrypted': False, 'driveType': 1, 'syncType': 2,
        'deleted': False, 'cloudAccount': {'id': CLOUD_ID, 'name': 'Demo S3', 'accessKey': 'AKIA****'},
    }
    base.update(overrides)
    return base


def writable(**overrides):
    """What a full PUT of record() carries: no server-owned fields."""
    body = record(**overrides)
    for key in ('accountId', 'creatorUserId', 'deleted', 'cloudAccount'):
        body.pop(key)
    return body


def lookup(name='Creative', records=(), total=None):
    return Expect('GET', LIST, {'name': name, 'page': 1, 'pagesize': 100}, answer=page(list(records), total))


def first_page(records=(), total=None):
    """The account's first page of drives, unfiltered: what a lone drive to delete is looked up in."""
    return Expect('GET', LIST, {'page': 1, 'pagesize': 100}, answer=page(list(records), total))


def account_check(account_id=CLOUD_ID, name='Demo S3'):
    """GET /cloud/account?id=, made in check mode (where no write is sent) before a drive is created on, or moved to, a cloud account id."""
    return Expect('GET', '/cloud/account', {'id': account_id}, answer={'id': account_id, 'name': name, 'deleted': False})


def cloud_accounts(*accounts):
    """GET /cloud/accounts answering (id, name) pairs: read after a write the agent refused as "not found"."""
    return Expect('GET', '/cloud/accounts', answer=[{'id': account_id, 'name': name} for account_id, name in accounts])


# An answer of an agent that lacks the route: 404, no error code, no body.
BARE_404 = dict(status=404)


def quota(drives=10):
    """GET /user/package_inquiry, made before a set creates its first drive."""
    return Expect('GET', '/user/package_inquiry', answer={'adminUsers': 1, 'projects': 10, 'drives': drives, 'logs': True})


def run(capsys, module, check=False, diff=False, **args):
    args.setdefault('url', BASE_URL)
    args.setdefault('token', TOKEN)
    args['_ansible_check_mode'] = check
    args['_ansible_diff'] = diff
    # Warnings of a module are kept for the process: only this run's may count.
    module_warnings._global_warnings.clear()
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    result = json.loads(capsys.readouterr().out)
    # ansible-core 2.22 and later send the module's secrets to the controller, which takes them out to mask them.
    result.pop('_ansible_new_secrets', None)
    shown = json.dumps(result)
    for secret in (TOKEN, ACCESS_KEY, SECRET_KEY):
        assert secret not in shown
    if 'warnings' in result:
        # Newer ansible-core returns each warning as {'event': {'msg': ...}, ...}: keep the message.
        result['warnings'] = [warning['event']['msg'] if isinstance(warning, dict) else warning for warning in result['warnings']]
    return result


def warnings_of(result):
    """The warning texts of a module result (run() has made them plain strings on every ansible-core)."""
    return [warning['event']['msg'] if isinstance(warning, dict) else warning for warning in result.get('warnings', [])]
