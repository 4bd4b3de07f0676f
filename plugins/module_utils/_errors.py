# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What can go wrong talking to the agent, in words a user can act on, and the checks of its answers.

PRIVATE to the amove.click collection: its interface may change in any release.

Every message names the method and path of a request, never its query string,
which carries the token. An error is never changed once raised: reworded()
makes the error again with more words (where it happened, what was done before).
"""

from __future__ import annotations

import copy
import json


def seconds(number):
    """'1 second', '2 seconds'."""
    return '1 second' if number == 1 else '%s seconds' % number


class ClickApiError(Exception):
    """A failed Click API call, or a task that cannot be done, in words a user can act on."""

    def __init__(self, message, status=None, code=None, detail='', extra=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.detail = detail  # the agent's own message of a 499
        self.extra = dict(extra or {})  # more keys for the task's result

    def result(self):
        """Extra keys for fail_json."""
        extra = dict(self.extra)
        if self.status is not None:
            extra['status'] = self.status
        if self.code is not None:
            extra['error_code'] = self.code
        return extra

    def reworded(self, message, **extra):
        """This error again, of the same kind, with `message` and more result keys."""
        other = copy.copy(self)
        other.args = (message,)
        other.extra = dict(self.extra, **extra)
        return other

    def prefixed(self, where):
        """This error again, its message led by `where` ('drives[2] (Footage)')."""
        return self.reworded('%s: %s' % (where, self))


class TransientError(ClickApiError):
    """The agent could not be reached or answered 500/502/503: worth another try.

    `reached` is False only when the request surely never got to the agent
    (connection refused, no TLS session): only then is a login tried again,
    because a login that reached the agent may have opened a session.
    """

    def __init__(self, message, status=None, reached=True):
        super().__init__(message, status)
        self.reached = reached


class AuthError(ClickApiError):
    """The agent refused the credential (HTTP 401, or 499 TOKEN/SESSION)."""


class UnexpectedAnswer(ClickApiError):
    """An answer of a shape the client cannot use."""


def unexpected(where, what):
    """The error for an answer of a shape the client cannot use. Names types, never values."""
    return UnexpectedAnswer('unexpected answer from %s: %s' % (where, what))


def cannot_serve(error):
    """Whether a failed read says the agent cannot serve it: a bare 404 (a route this agent lacks), or an unusable answer.

    Only reads that predict or explain may be skipped for this; a 499 of the
    agent is its answer, and counts.
    """
    return isinstance(error, UnexpectedAnswer) or (error.status == 404 and error.code is None)


def is_not_found(error):
    """A 499 that says the object does not exist: NOT_FOUND, or any code with a 'not found' message ('Global')."""
    return error.status == 499 and (error.code == 'NOT_FOUND' or 'not found' in (error.detail or '').lower())


def read_problem(headers, raw):
    """Error code and first message of a 499 answer ({type, status, errors: {TYPE: [msg]}})."""
    code = (headers or {}).get('error-code')
    message = ''
    try:
        problem = json.loads(raw.decode('utf-8'))
    except (ValueError, AttributeError):
        problem = None
    if isinstance(problem, dict):
        code = problem.get('type') or code
        messages = (problem.get('errors') or {}).get(code) if isinstance(problem.get('errors'), dict) else None
        if isinstance(messages, list) and messages:
            message = str(messages[0])
        elif isinstance(problem.get('title'), str):
            message = problem['title']
    return code, message


# ---- checks of the agent's answers -----------------------------------------------

def json_kind(value):
    """How a JSON value is called in messages."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, (int, float)):
        return 'a number'
    if isinstance(value, str):
        return 'a string'
    if isinstance(value, list):
        return 'a list'
    return 'an object' if isinstance(value, dict) else type(value).__name__


def is_a(kind, value):
    """Whether a JSON value is of a Python type (a boolean is no int here)."""
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def checked_records(where, records, name_key='name'):
    """`records`, when each is an object with a non-empty string id and a string `name_key`."""
    for number, record in enumerate(records):
        if not isinstance(record, dict):
            raise unexpected(where, 'item %d is %s, not an object' % (number, json_kind(record)))
        if not isinstance(record.get('id'), str) or not record['id']:
            raise unexpected(where, 'item %d has no id (it is %s)' % (number, json_kind(record.get('id'))))
        if not isinstance(record.get(name_key), str):
            raise unexpected(where, 'item %d has no %s (it is %s)' % (number, name_key, json_kind(record.get(name_key))))
    return records
