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

BASE_URL = 'http://localhost:29123'
TOKEN = 'unit-test-token-4f2a9c'


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

    def read(self):
        return self._payload


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
