# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one client of the amove.click modules for the Amove agent's Click API.

PRIVATE to the amove.click collection: its interface may change in any release.

It knows how to talk to an agent, and nothing of what it talks about:
authentication (a token, or logging in and out with credentials), retries of
reads, the error model (401, 499 with an error code, 500 with no body), and
paging. Resources (drives, groups, ...) are declared elsewhere and use it.
It uses only the standard library and ansible.module_utils, because modules
run on the desktops of a fleet, which have nothing but a bare Python.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from ansible_collections.amove.click.plugins.module_utils._errors import (
    AuthError,
    ClickApiError,
    TransientError,
    cannot_serve,
    checked_records,
    json_kind,
    read_problem,
    seconds,
    unexpected,
)
from ansible_collections.amove.click.plugins.module_utils._options import DEFAULT_URL, USER_TYPE_NAMES, USER_TYPES
from ansible_collections.amove.click.plugins.module_utils._transport import TransportError, urllib_transport

# Reads are retried after these pauses (seconds) when the agent is briefly away
# (restarting, busy). Writes are never repeated blindly: see _converge.verified_write.
RETRY_DELAYS = (0.5, 1.0, 2.0)
RETRY_STATUSES = (500, 502, 503)

# Asked for on every listing. The agent may cap it lower (the cap is not
# documented), so listings always follow pages until `total` is reached.
PAGE_SIZE = 100

# Answers that mean the credential itself is no good. The Click API says 401;
# an expired session may also come back as 499 TOKEN or SESSION (not documented).
AUTH_ERROR_CODES = ('TOKEN', 'SESSION')


class ClickApiClient:
    """A session with one Amove agent.

    With a token every request carries it. With username and password the
    client logs in on first use, logs in again once if the session is rejected,
    and logs out in close(), because agents cap concurrent sessions.
    """

    def __init__(self, url=DEFAULT_URL, token=None, username=None, password=None,
                 user_type='desktop_admin', timeout=30, validate_certs=True, sleep=None, transport=None):
        self.base_url = url.rstrip('/')
        # How a request reaches the agent: see urllib_transport for the contract.
        self._transport = transport or urllib_transport
        self.username = username
        self._password = password
        self._user_type = user_type
        self.timeout = timeout
        self.validate_certs = validate_certs
        self._sleep = sleep or time.sleep
        self._token = token or None
        self._token_given = bool(token)
        self._logged_in = False
        self.warnings = []  # for the task's result: what was skipped, and why

    @classmethod
    def from_params(cls, params, transport=None):
        return cls(url=params['url'], token=params['token'], username=params['username'],
                   password=params['password'], user_type=params['user_type'],
                   timeout=params['timeout'], validate_certs=params['validate_certs'], transport=transport)

    # ---- authentication ---------------------------------------------------

    def login(self):
        body = {'username': self.username, 'password': self._password, 'type': USER_TYPES[self._user_type]}
        try:
            answer = self._call('POST', '/authentication/login', body=body, retry='unsent')
        except AuthError:
            raise AuthError('login as %r failed: wrong username or password, or user_type %s does not match '
                            "the user's role" % (self.username, self._user_type), status=401) from None
        if not isinstance(answer, dict) or not isinstance(answer.get('jwtToken', ''), str):
            raise unexpected('POST /authentication/login', 'not an object with a jwtToken string')
        if answer.get('challenge') or not answer.get('jwtToken'):
            raise AuthError('login as %r needs multi-factor authentication, which a playbook cannot answer: '
                            'create an API token for automation and pass it as token '
                            '(or AMOVE_CLICK_TOKEN)' % self.username)
        self._token = answer['jwtToken']
        self._logged_in = True

    def close(self):
        """Log out when this client logged in. Returns a warning, or None."""
        if not self._logged_in:
            return None
        self._logged_in = False
        token, self._token = self._token, None
        try:
            self._call('POST', '/authentication/logout', body={'jwtToken': token}, retry=False)
        except ClickApiError as error:
            return 'logging out of the Amove agent failed (the session ends when it expires): %s' % error
        return None

    def advisory(self, read, skipped):
        """The outcome of `read()`, a read that only predicts or explains; None when the agent cannot serve it.

        Such a read must never block what the agent would accept: when it
        gets a bare 404 or an answer of a shape it cannot use, it is skipped
        with a warning that names the route and says what was `skipped`.
        """
        try:
            return read()
        except ClickApiError as error:
            if not cannot_serve(error):
                raise
            lacking = ' (an agent without this route)' if error.status == 404 else ''
            self.warnings.append('%s%s; %s' % (error, lacking, skipped))
            return None

    # ---- requests ---------------------------------------------------------

    def request(self, method, path, query=None, body=None):
        """Call a protected route and return its decoded JSON (None when empty).

        Reads (GET) are retried on transient failures; writes are not, so the
        caller can look before it tries again.
        """
        if self._token is None:
            self.login()
        try:
            return self._call(method, path, query, body, retry=(method == 'GET'), token=self._token)
        except ClickApiError as error:
            if error.code == 'ACCESS' and method != 'GET':
                raise self._access_refused(method, path, error) from None
            if not isinstance(error, AuthError):
                raise
            if self._token_given:
                raise AuthError('%s %s: token rejected (expired or invalid); give a valid session '
                                'or API token' % (method, path), status=401) from None
        # Our own session ended (expired, or dropped by the agent): log in
        # again once; a second refusal is final.
        self.login()
        try:
            return self._call(method, path, query, body, retry=(method == 'GET'), token=self._token)
        except AuthError:
            raise AuthError('%s %s: the agent rejected a fresh session for %r' % (method, path, self.username),
                            status=401) from None

    def _access_refused(self, method, path, error):
        """A write refused with ACCESS, explained by the signed-in user's type (one more request)."""
        def user_type():
            profile = self.request('GET', '/authentication/user')
            if not isinstance(profile, dict):
                raise unexpected('GET /authentication/user', 'not an object (it is %s)' % json_kind(profile))
            number = profile.get('userType')
            if not isinstance(number, int) or isinstance(number, bool):
                raise unexpected('GET /authentication/user', 'userType is %s, not a number' % json_kind(number))
            return number

        try:
            number = self.advisory(user_type, 'the refusal is reported without the user type')
        except ClickApiError:
            number = None  # the refusal is what the task reports, however this read failed
        if number is not None:
            who = 'the signed-in user is a %s (user type %d)' % (USER_TYPE_NAMES.get(number, 'user of another kind'), number)
        else:
            who = 'the type of the signed-in user could not be read'
        refused = ClickApiError('%s %s: HTTP 499 ACCESS: %s; %s, and changing the account (drives, groups, projects, '
                                'cloud accounts and who gets them) needs a desktop_admin (user type 16): use a token or user of a desktop admin'
                                % (method, path, error.detail or 'access denied', who),
                                status=error.status, code=error.code, detail=error.detail)
        return refused

    def _call(self, method, path, query=None, body=None, retry=False, token=None, timeout=None):
        """Send once; with `retry`, again after a transient failure (`'unsent'`: only when it never reached the agent).

        `timeout` bounds this call's wait for an answer instead of the client's.
        """
        delays = RETRY_DELAYS if retry else ()
        attempt = 0
        while True:
            try:
                return self._send(method, path, query, body, token, timeout or self.timeout)
            except TransientError as error:
                if attempt >= len(delays) or (retry == 'unsent' and error.reached):
                    raise
                self._sleep(delays[attempt])
                attempt += 1

    def _send(self, method, path, query, body, token, timeout):
        query = dict(query or {})
        if token is not None:
            query['token'] = token
        url = self.base_url + path + ('?' + urlencode(query) if query else '')
        headers = {'Accept': 'application/json', 'X-App-Origin': 'ansible amove.click'}
        data = None
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers['Content-Type'] = 'application/json'
        where = '%s %s' % (method, path)
        try:
            status, answer_headers, raw = self._transport(method, url, headers, data, timeout, self.validate_certs)
        except TransportError as error:
            raise self._no_answer(where, error.kind, timeout) from None
        if status >= 300:
            raise self._http_error(where, status, answer_headers, raw)
        if not raw or not raw.strip():
            return None
        try:
            return json.loads(raw.decode('utf-8'))
        except ValueError:
            raise ClickApiError('%s: the agent answered with something that is not JSON' % where) from None

    def _no_answer(self, where, kind, timeout):
        """The error for a request that got no HTTP answer, in fixed words: library texts can hold the URL."""
        if kind == 'timeout':
            return TransientError('%s: the Amove agent at %s did not answer within %s'
                                  % (where, self.base_url, seconds(timeout)))
        if kind == 'certificate':
            # Not worth another try, and nothing was sent.
            return ClickApiError('%s: the certificate of the Amove agent at %s is not trusted; trust its CA, or set '
                                 'validate_certs to false' % (where, self.base_url))
        if kind == 'tls':
            if self.base_url.startswith('https:'):
                return ClickApiError('%s: no TLS session with the Amove agent at %s: it answers plain HTTP, as an agent '
                                     'not set up for TLS does; use url %s'
                                     % (where, self.base_url, 'http:' + self.base_url[6:]))
            return ClickApiError('%s: the TLS handshake with the Amove agent at %s failed' % (where, self.base_url))
        if kind in ('refused', 'name'):
            reason = 'connection refused' if kind == 'refused' else 'host name not found'
            return TransientError('%s: cannot reach the Amove agent at %s (%s); is the agent running?'
                                  % (where, self.base_url, reason), reached=False)
        if kind == 'reset':
            return TransientError('%s: the connection to the Amove agent at %s broke (connection reset)'
                                  % (where, self.base_url))
        return TransientError('%s: cannot reach the Amove agent at %s; is the agent running?' % (where, self.base_url))

    def _http_error(self, where, status, headers, raw):
        if status == 401:
            return AuthError('%s: HTTP 401 unauthorized' % where, status=401)
        if status in RETRY_STATUSES:
            return TransientError('%s: HTTP %s from the Amove agent at %s' % (where, status, self.base_url),
                                  status=status)
        code, message = read_problem(headers, raw)
        if status == 499 and code in AUTH_ERROR_CODES:
            return AuthError('%s: HTTP 499 %s: %s' % (where, code, message), status=499, code=code)
        if code:
            return ClickApiError('%s: HTTP %s %s: %s' % (where, status, code, message), status=status, code=code,
                                 detail=message)
        return ClickApiError('%s: HTTP %s' % (where, status), status=status)

    # ---- listings ---------------------------------------------------------

    def pages(self, path, query=None, name_key='name'):
        """Yield the records of a paginated listing page by page, with the overall total.

        Accepts the documented {data, total, options} shape and, defensively,
        a bare array. Follows pages until `total` records came; stops when a
        page brings nothing new, so a server that ignores `page` cannot make
        this loop forever.
        """
        where = 'GET %s' % path
        seen = set()
        count = 0
        page = 1
        while True:
            answer = self.request('GET', path, dict(query or {}, page=page, pagesize=PAGE_SIZE))
            if isinstance(answer, list):
                yield checked_records(where, answer, name_key), len(answer)
                return
            if not isinstance(answer, dict) or not isinstance(answer.get('data'), list):
                raise unexpected(where, 'no data list (the answer is %s)' % json_kind(answer))
            total = answer.get('total')
            if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
                raise unexpected(where, 'total is %s, not a count' % json_kind(total))
            fresh = [record for record in checked_records(where, answer['data'], name_key) if record['id'] not in seen]
            seen.update(record['id'] for record in fresh)
            count += len(fresh)
            yield fresh, total
            if not fresh or (total is not None and count >= total):
                return
            page += 1

    def list_all(self, path, query=None, name_key='name'):
        """Every record of a paginated listing (objects with an id and a `name_key`)."""
        return [record for records, _total in self.pages(path, query, name_key) for record in records]

    def agent_request(self, method, path, retry=None, body=None, timeout=None):
        """Call a /management or /drivereport route: these act on the agent itself and take no token.

        Reads are retried unless `retry` says otherwise; `timeout` bounds this call's wait instead of the client's.
        """
        return self._call(method, path, body=body, retry=(method == 'GET') if retry is None else retry, timeout=timeout)

    def listing(self, path, query=None, name_key='name', agent=False):
        """The records of a listing that is one bare array (an agent may answer a collection): not paged."""
        where = 'GET %s' % path
        answer = self.agent_request('GET', path) if agent else self.request('GET', path, query)
        if isinstance(answer, dict):
            answer = answer.get('data')
        if not isinstance(answer, list):
            raise unexpected(where, 'not a list (it is %s)' % json_kind(answer))
        return checked_records(where, answer, name_key)
