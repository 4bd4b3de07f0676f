# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client of the amove.click modules for the Amove agent's Click API.

PRIVATE to the amove.click collection: its interface may change in any release.

It owns everything that is about talking to the agent: the connection options,
authentication (token, or log in and out with credentials), retries of reads,
the error model (401, 499 with an error code, 500 with no body), paging, and
lookups of shared cloud drives and cloud accounts. It uses only the standard
library and ansible.module_utils, because modules run on the desktops of a fleet,
which have nothing but a bare Python.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.amove.click.plugins.module_utils._secrets import mask_secrets, register_secrets

DEFAULT_URL = 'http://localhost:29123'

# Login 'type' of the Click API: the UserType of the desktop role.
USER_TYPES = {
    'desktop_admin': 16,
    'desktop_creative_user': 32,
    'desktop_standard_user': 64,
}


def non_empty_env_fallback(*names):
    """Like ansible's env_fallback, except that a variable set to '' counts as unset.

    AWX injects '' for every credential field left empty: an empty URL or user
    type must mean the default, not fail every task.
    """
    return first_set_variable(names, os.environ)


def first_set_variable(names, environment):
    """The value of the first of `names` that `environment` sets to something other than ''."""
    for name in names:
        if environment.get(name):
            return environment[name]
    raise AnsibleFallbackNotFound


CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type='str', default=DEFAULT_URL, fallback=(non_empty_env_fallback, ['AMOVE_CLICK_URL'])),
    token=dict(type='str', no_log=True, fallback=(non_empty_env_fallback, ['AMOVE_CLICK_TOKEN'])),
    username=dict(type='str', fallback=(non_empty_env_fallback, ['AMOVE_CLICK_USERNAME'])),
    password=dict(type='str', no_log=True, fallback=(non_empty_env_fallback, ['AMOVE_CLICK_PASSWORD'])),
    user_type=dict(type='str', default='desktop_admin', choices=list(USER_TYPES),
                   fallback=(non_empty_env_fallback, ['AMOVE_CLICK_USER_TYPE'])),
    timeout=dict(type='int', default=30),
    validate_certs=dict(type='bool', default=True),
)

# Reads are retried after these pauses (seconds) when the agent is briefly away
# (restarting, busy). Writes are never repeated blindly: see the callers.
RETRY_DELAYS = (0.5, 1.0, 2.0)
RETRY_STATUSES = (500, 502, 503)

# Asked for on every listing. The agent may cap it lower (the cap is not
# documented), so listings always follow pages until `total` is reached.
PAGE_SIZE = 100

# Answers that mean the credential itself is no good. The Click API says 401;
# an expired session may also come back as 499 TOKEN or SESSION (not documented).
AUTH_ERROR_CODES = ('TOKEN', 'SESSION')

SHARED_DRIVES = '/sharedclouddrive'

# The JSON type of each drive field the modules read. A field may be missing
# or null (the agent leaves it unset); any other type is refused at the edge.
DRIVE_FIELD_TYPES = {
    'name': str, 'cloudAccountId': str, 'storageName': str, 'prefix': str, 'prefixId': str, 'storageId': str,
    'objectsPerFolder': int, 'allowDelete': bool, 'localCacheEncrypted': bool, 'cloudObjectsEncrypted': bool,
    'driveType': int, 'syncType': int, 'active': bool, 'deleted': bool, 'cloudAccount': dict,
    'usersData': list, 'groupsData': list, 'projectsData': list,
}
# Rows of the detailed listing: each names its subject in an object under this key.
ACCESS_ROW_SUBJECTS = {'usersData': 'user', 'groupsData': 'userGroup', 'projectsData': 'project'}

# What each user type is called in options and messages.
USER_TYPE_NAMES = dict((number, name) for name, number in USER_TYPES.items())


def seconds(number):
    """'1 second', '2 seconds'."""
    return '1 second' if number == 1 else '%s seconds' % number


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the token in its query string elsewhere: answer with the 3xx instead."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def open_url(url, data=None, headers=None, method='GET', timeout=30, validate_certs=True):
    """One HTTP request with the standard library.

    Not ansible.module_utils.urls: its features (proxies, netrc, GSSAPI,
    client certificates) are of no use against a loopback agent, and importing
    it costs every task more than the request itself (see docs/benchmarks.md).
    No proxy from the environment applies, and redirects are not followed.
    """
    handlers = [urllib.request.ProxyHandler({}), _RefuseRedirects()]
    if url.startswith('https:'):
        context = ssl.create_default_context()
        if not validate_certs:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        handlers.append(urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    return urllib.request.build_opener(*handlers).open(request, timeout=timeout)


class TransportError(Exception):
    """No HTTP answer came. `kind` says why in one word, never in the HTTP library's
    words, which may quote the URL and so the token in it."""

    KINDS = ('refused', 'name', 'timeout', 'reset', 'certificate', 'tls', 'other')

    def __init__(self, kind):
        kind = kind if kind in self.KINDS else 'other'
        super().__init__(kind)
        self.kind = kind


def urllib_transport(method, url, headers, body, timeout, validate_certs):
    """The module path's transport: one request from the desktop with the standard library.

    Returns (status, headers with lower-case names, body bytes) for any HTTP
    status; raises TransportError when no HTTP answer came.
    """
    try:
        with open_url(url, data=body, headers=headers, method=method, timeout=timeout,
                      validate_certs=validate_certs) as response:
            return response.status, _lower_keys(response.headers), response.read()
    except urllib.error.HTTPError as error:
        try:
            raw = error.read()
        except (OSError, http.client.HTTPException):
            raw = b''
        return error.code, _lower_keys(error.headers), raw or b''
    except urllib.error.URLError as error:
        raise TransportError(_failure_kind(error.reason)) from None
    except (ConnectionError, http.client.HTTPException, OSError, ValueError) as error:
        # ValueError: such as a request line the library refuses to encode
        raise TransportError(_failure_kind(error)) from None


def _lower_keys(headers):
    return dict((str(key).lower(), value) for key, value in (headers.items() if headers else ()))


def _failure_kind(reason):
    if isinstance(reason, (http.client.InvalidURL, UnicodeError)):
        return 'other'  # the request never left: nothing to say but that
    if isinstance(reason, ConnectionRefusedError):
        return 'refused'
    if isinstance(reason, socket.gaierror):
        return 'name'
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return 'timeout'
    if isinstance(reason, (ssl.SSLCertVerificationError, ssl.CertificateError)):
        return 'certificate'
    if isinstance(reason, ssl.SSLError):
        return 'tls'
    if isinstance(reason, (ConnectionError, http.client.HTTPException)):
        return 'reset'
    return 'other'


class ClickApiError(Exception):
    """A failed Click API call, in words a user can act on.

    The message names the method and path but never the query string, which
    carries the token.
    """

    def __init__(self, message, status=None, code=None, detail=''):
        super().__init__(message)
        self.status = status
        self.code = code
        self.detail = detail  # the agent's own message of a 499
        self.extra = {}

    def result(self):
        """Extra keys for fail_json."""
        extra = dict(self.extra)
        if self.status is not None:
            extra['status'] = self.status
        if self.code is not None:
            extra['error_code'] = self.code
        return extra


class TransientError(ClickApiError):
    """The agent could not be reached or answered 500/502/503: worth another try.

    `reached` is False only when the request surely never got to the agent
    (connection refused, no TLS session): only then is a login tried again,
    because a login that reached the agent may have opened a session.
    """

    def __init__(self, message, status=None, reached=True):
        super().__init__(message, status)
        self.reached = reached


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


def checked_drive(where, record, number=0):
    """A shared cloud drive record whose fields have the documented JSON types."""
    checked_records(where, [record])
    for field, kind in DRIVE_FIELD_TYPES.items():
        value = record.get(field)
        if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
            raise unexpected(where, 'drive %d: %s is %s' % (number, field, json_kind(value)))
    for field, subject in ACCESS_ROW_SUBJECTS.items():
        for row in record.get(field) or []:
            if not isinstance(row, dict) or not isinstance(row.get(subject), dict):
                raise unexpected(where, 'drive %d: an entry of %s has no %s object' % (number, field, subject))
    return record


class AuthError(ClickApiError):
    """The agent refused the credential (HTTP 401, or 499 TOKEN/SESSION)."""


def url_problems(url):
    """What is wrong with the url option. Never repeats a url that may carry a secret."""
    example = 'give only the base URL such as %s' % DEFAULT_URL
    if not url:
        return ["url must be the agent's base URL such as %s" % DEFAULT_URL]
    if any(not 0x21 <= ord(char) <= 0x7e for char in url):
        return ['url must be printable ASCII without spaces (percent-encode anything else); %s' % example]
    try:
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed [ of an IPv6 address
        return ["url must be the agent's base URL, an absolute http or https URL such as %s" % DEFAULT_URL]
    if '@' in parts.netloc or url_password(url):
        return ['url must not carry a user name or password; give the credentials as token, or username and '
                'password, and %s' % example]
    if '?' in url or '#' in url:
        return ['url must not carry a query string or fragment; %s' % example]
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        return ["url must be the agent's base URL, an absolute http or https URL such as %s, got %r" % (DEFAULT_URL, url)]
    try:
        parts.port
    except ValueError:
        return ['url has a port that is not a number from 1 to 65535; %s' % example]
    return []


def connection_problems(params, credentials=True):
    """Return what is wrong with the connection options, checked before any request."""
    problems = url_problems(params['url'])
    if credentials and not params['token'] and not (params['username'] and params['password']):
        problems.append('no credentials: set token (or AMOVE_CLICK_TOKEN), '
                        'or username and password (or AMOVE_CLICK_USERNAME and AMOVE_CLICK_PASSWORD)')
    if params['timeout'] is not None and not isinstance(params['timeout'], bool) and params['timeout'] < 1:
        problems.append('timeout must be at least 1 second, got %s' % params['timeout'])
    return problems


def type_problems(spec, args, where=''):
    """Booleans given where integers are expected, and numbers where booleans are.

    Ansible converts both silently (true becomes 1, 1 becomes true); a task
    that says objects_per_folder: true means something else, so refuse it.
    `args` are the task's arguments as given, before that conversion.
    """
    problems = []
    if not isinstance(args, dict):
        return problems
    for option, rules in spec.items():
        value = args.get(option)
        if value is None:
            continue
        name = where + option
        kind = rules.get('type', 'str')
        if kind == 'int' and isinstance(value, bool):
            problems.append('%s must be a whole number, got the boolean %s; write a number such as 1'
                            % (name, str(value).lower()))
        elif kind == 'bool' and isinstance(value, (int, float)) and not isinstance(value, bool):
            problems.append('%s must be true or false, got the number %s; write true or false' % (name, value))
        elif rules.get('options') and isinstance(value, list):
            for number, entry in enumerate(value):
                problems.extend(type_problems(rules['options'], entry, '%s[%d].' % (name, number)))
    return problems


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
        refused = ClickApiError('%s %s: HTTP 499 ACCESS: %s; %s, and changing shared cloud drives and who gets them '
                                'needs a desktop_admin (user type 16): use a token or user of a desktop admin'
                                % (method, path, error.detail or 'access denied', who),
                                status=error.status, code=error.code, detail=error.detail)
        return refused

    def _call(self, method, path, query=None, body=None, retry=False, token=None):
        """Send once; with `retry`, again after a transient failure (`'unsent'`: only when it never reached the agent)."""
        delays = RETRY_DELAYS if retry else ()
        attempt = 0
        while True:
            try:
                return self._send(method, path, query, body, token)
            except TransientError as error:
                if attempt >= len(delays) or (retry == 'unsent' and error.reached):
                    raise
                self._sleep(delays[attempt])
                attempt += 1

    def _send(self, method, path, query, body, token):
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
            status, answer_headers, raw = self._transport(method, url, headers, data, self.timeout,
                                                          self.validate_certs)
        except TransportError as error:
            raise self._no_answer(where, error.kind) from None
        if status >= 300:
            raise self._http_error(where, status, answer_headers, raw)
        if not raw or not raw.strip():
            return None
        try:
            return json.loads(raw.decode('utf-8'))
        except ValueError:
            raise ClickApiError('%s: the agent answered with something that is not JSON' % where) from None

    def _no_answer(self, where, kind):
        """The error for a request that got no HTTP answer, in fixed words: library texts can hold the URL."""
        if kind == 'timeout':
            return TransientError('%s: the Amove agent at %s did not answer within %s'
                                  % (where, self.base_url, seconds(self.timeout)))
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
        code, message = _read_problem(headers, raw)
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

    def agent_request(self, method, path, retry=None, body=None):
        """Call a /management or /drivereport route: these act on the agent itself and take no token."""
        return self._call(method, path, body=body, retry=(method == 'GET') if retry is None else retry)

    def find_shared_cloud_drives(self, name, details=False):
        """Live drives whose name is exactly `name`.

        The server's name filter may match substrings and ignore case, and
        soft-deleted records may show up, so this keeps exact, live matches only.
        """
        return same_name(name, self.shared_cloud_drives_named_like(name, details))[0]

    def shared_cloud_drives_named_like(self, name, details=False):
        """Live drives whose name is `name`, or clashes with it by our name rule (see same_name)."""
        records = self.drive_records(details, {'name': name})
        exact, clashing = same_name(name, records)
        return exact + clashing

    def drive_pages(self, details=False, query=None):
        """The drive listing page by page (with its total), each drive checked for the shape the modules read."""
        where = 'GET %s' % drive_listing(details)
        number = 0
        for records, total in self.pages(drive_listing(details), query):
            for record in records:
                checked_drive(where, record, number)
                number += 1
            yield records, total

    def drive_records(self, details=False, query=None):
        """Live drives of the listing, checked."""
        return [record for records, _total in self.drive_pages(details, query) for record in records
                if not record.get('deleted')]

    def all_shared_cloud_drives(self, details=False):
        """Every live drive of the account."""
        return self.drive_records(details)

    def get_shared_cloud_drive(self, drive_id, details=False):
        """The live drive with this id, or None. The API has no read-by-id, so this lists."""
        for record in self.all_shared_cloud_drives(details):
            if record['id'].lower() == drive_id.lower():
                return record
        return None

    def cloud_accounts(self):
        """Live cloud accounts visible to the caller (a bare array; a collection is accepted too)."""
        answer = self.request('GET', '/cloud/accounts')
        if isinstance(answer, dict):
            answer = answer.get('data')
        if not isinstance(answer, list):
            raise unexpected('GET /cloud/accounts', 'not a list (it is %s)' % json_kind(answer))
        return [account for account in checked_records('GET /cloud/accounts', answer) if not account.get('deleted')]

    def cloud_account_exists(self, account_id):
        """Whether a live cloud account has this id (GET /cloud/account?id=): 499 "not found" says it has not."""
        where = 'GET /cloud/account'
        try:
            answer = self.request('GET', '/cloud/account', {'id': account_id})
        except ClickApiError as error:
            if is_not_found(error):
                return False
            raise
        if not isinstance(answer, dict):
            raise unexpected(where, 'not an object (it is %s)' % json_kind(answer))
        checked_records(where, [answer])
        if answer['id'].lower() != account_id.lower():
            raise unexpected(where, 'a cloud account of another id')
        return not answer.get('deleted')

    def remaining_drives(self):
        """How many more shared cloud drives the account's plan allows, or None when it sets no limit."""
        where = 'GET /user/package_inquiry'
        answer = self.request('GET', '/user/package_inquiry')
        if not isinstance(answer, dict):
            raise unexpected(where, 'not an object (it is %s)' % json_kind(answer))
        drives = answer.get('drives')
        if drives is None:
            return None
        if not isinstance(drives, int) or isinstance(drives, bool):
            raise unexpected(where, 'drives is %s, not a count' % json_kind(drives))
        return drives if drives >= 0 else None

    def find_cloud_account(self, name):
        """The id of the one cloud account named exactly `name`; fails on none or several."""
        accounts = self.cloud_accounts()
        matches = [account for account in accounts if account['name'] == name]
        if not matches:
            known = sorted(account['name'] for account in accounts)
            raise ClickApiError('cloud_account: no cloud account is named %r; the agent knows %s'
                                % (name, ', '.join(repr(n) for n in known) or 'none'))
        if len(matches) > 1:
            raise ClickApiError('cloud_account: %d cloud accounts are named %r (ids %s); give cloud_account_id instead'
                                % (len(matches), name, ', '.join(str(m.get('id')) for m in matches)))
        return matches[0]['id']


def drive_listing(details):
    return SHARED_DRIVES + ('/get_all_with_details' if details else '/get_all')


def same_name(name, records):
    """Split `records` by the one name rule of this collection: (same drive, clashing drives).

    Our policy, not a documented fact of the API: the same drive only by exact
    name; a name equal ignoring case the way the agent's name filter does
    (plain lower-casing, not Unicode case folding) clashes, so creating it is
    refused; any other name is left to the agent, whose DUPLICATE answer has
    the last word.
    """
    wanted = name.lower()
    exact = [record for record in records if record.get('name') == name]
    clashing = [record for record in records
                if record.get('name') != name and str(record.get('name', '')).lower() == wanted]
    return exact, clashing


def name_key(name):
    """Names that same_name() takes as one name have one key."""
    return name.lower()


def is_not_found(error):
    """A 499 that says the object does not exist: NOT_FOUND, or any code with a 'not found' message ('Global')."""
    return error.status == 499 and (error.code == 'NOT_FOUND' or 'not found' in (error.detail or '').lower())


def _read_problem(headers, raw):
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


def task_args(module):
    """The task's arguments as written, before Ansible converted their types (module.params when unknown)."""
    if getattr(basic, '_ANSIBLE_ARGS', None) is None:  # not in a module process
        return module.params
    return basic._load_params()


def url_password(url):
    """A password written into url (refused), which must not show in the task's result either; or None.

    Also one that urlsplit reads wrong: a / left unencoded in it ends the host there.
    """
    try:
        password = urlsplit(url or '').password
    except ValueError:
        password = None
    scheme, separator, rest = str(url or '').partition('://')
    userinfo = rest.rpartition('@')[0] if separator and scheme else ''
    if ':' in userinfo:
        return userinfo.split(':', 1)[1]
    return password


class ModuleDefinition:
    """What a module is, for the module on the desktop and its action plugin on the controller alike.

    `options` (argument spec without the connection options), `mutually_exclusive`
    and `required_one_of` as AnsibleModule takes them; `problems(params)` lists
    what is wrong with the input beyond the spec; `run(client, params,
    check_mode, diff)` does the work and returns the result.
    """

    def __init__(self, options, run, problems=None, mutually_exclusive=None, required_one_of=None, credentials=True):
        self.argument_spec = dict(options, **CONNECTION_ARGUMENT_SPEC)
        self.run = run
        self._problems = problems
        self.mutually_exclusive = mutually_exclusive or []
        self.required_one_of = required_one_of or []
        # Modules that use only the agent's own /management routes need no credentials.
        self.credentials = credentials

    def problems(self, params):
        return connection_problems(params, self.credentials) + list(self._problems(params) if self._problems else [])


def execute(definition, params, check_mode=False, diff=False, transport=None, raw_args=None):
    """Run a module's work; return (result, warnings). A failure is a result with failed and msg.

    Bad input fails here before any request. With credentials, the session is
    closed whatever happens.
    """
    problems = type_problems(definition.argument_spec, params if raw_args is None else raw_args) \
        + definition.problems(params)
    if problems:
        return dict(failed=True, msg='; '.join(problems)), []
    client = ClickApiClient.from_params(params, transport)
    try:
        result = definition.run(client, params, check_mode, diff)
    except ClickApiError as error:
        result = dict(error.result(), failed=True, msg=str(error))
    finally:
        warning = client.close()
    # The work's own warnings (a near name, say) and the client's (an advisory
    # read skipped), for module.warn or the action's result alike.
    warnings = list(result.pop('warnings', None) or [])
    return result, client.warnings + warnings + ([warning] if warning else [])


def run_module(definition):
    """The main() of every module: parse the arguments, execute, exit."""
    module = AnsibleModule(argument_spec=definition.argument_spec, supports_check_mode=True,
                           mutually_exclusive=definition.mutually_exclusive,
                           required_one_of=definition.required_one_of)
    secrets = register_secrets(list(module.no_log_values) + [url_password(module.params['url'])])
    # ansible-core before 2.22 replaces these in the result too; from 2.22 on, only mask_secrets does.
    module.no_log_values.update(secrets)
    result, warnings = execute(definition, module.params, module.check_mode, module._diff, raw_args=task_args(module))
    result, warnings = mask_secrets((result, warnings), secrets)
    for warning in warnings:
        module.warn(warning)
    if result.pop('failed', False):
        module.fail_json(**result)
    module.exit_json(**result)
