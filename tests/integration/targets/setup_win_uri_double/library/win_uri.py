#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A contract double of ansible.windows.win_uri, for the tests of the controller path.

The tests run the controller path (amove_click_transport=win_uri) on POSIX
hosts, where the real module (PowerShell) cannot run. This Python module takes
its place in a stand-in collection ansible.windows (see win_uri_double.sh).
It makes real HTTP requests, and answers as win_uri 3.3.0 does, read from its
source (plugins/modules/win_uri.ps1 and plugins/module_utils/WebRequest.psm1):

- options: win_uri's own, with WebRequest's (Get-AnsibleWindowsWebRequestSpec),
  their types, defaults and aliases (url_timeout/timeout, url_method/method);
- an answer: `msg` and `status_code` (Invoke-AnsibleWindowsWebRequest), the
  properties of the HttpWebResponse in snake case, then every response header
  with its dashes removed, then in snake case (Error-Code: error_code,
  error-code: errorcode; Content-Length overwrites the property content_length
  with the header's text), `content` and `json` (ConvertFrom-SafeJson, kept
  only when PowerShell takes it for true);
- no answer: FailJson "Unhandled exception occurred when sending web request.
  Exception: ..." with the message .NET Framework gives for the failure, at the
  point where HttpWebRequest meets it:
    GetRequestStream (only with a body): connecting and the TLS handshake;
      PowerShell wraps the .NET exception ('Exception calling
      "GetRequestStream" ...'), and no status_code is set;
    GetResponse: connecting (without a body), sending, the status line and
      headers; the WebException is rethrown by WebRequest.psm1 after it set
      msg and status_code to null;
    CopyTo, in win_uri's response script: the body, after the status, the
      properties and the headers were set ('Exception calling "CopyTo" ...'),
      so the result has status_code and no content.
  HttpWebRequest.Timeout (url_timeout) bounds GetRequestStream and
  GetResponse; the body is read under ReadWriteTimeout, which win_uri leaves at
  .NET's default of 300 seconds.

What the controller path never uses (dest, client certificates, credentials,
proxies, following redirects) is refused, not imitated.

Standard library only, and run as Ansible runs a module in any language (the
"WANT_JSON" mark below): its arguments come in a JSON file, its result goes to
standard output. Like the real win_uri, which is PowerShell, it carries no
Python module_utils, so each request costs a bare interpreter start, not an
AnsiballZ payload: it checks its arguments itself, as Ansible.Basic does.
"""

# WANT_JSON

from __future__ import annotations

import datetime
import email.utils
import http.client
import json
import os
import re
import socket
import ssl
import sys
import time
from urllib.parse import urlsplit

# win_uri.ps1's options, merged with WebRequest.psm1's as Ansible.Basic merges fragments.
ARGUMENT_SPEC = dict(
    url=dict(type='str', required=True),
    content_type=dict(type='str'),
    body=dict(type='raw'),
    dest=dict(type='path'),
    creates=dict(type='path'),
    removes=dict(type='path'),
    return_content=dict(type='bool', default=False),
    status_code=dict(type='list', elements='int', default=[200]),
    url_timeout=dict(type='int', default=30, aliases=['timeout']),
    url_method=dict(type='str', default='GET', aliases=['method']),
    follow_redirects=dict(type='str', default='safe', choices=['all', 'none', 'safe']),
    headers=dict(type='dict'),
    http_agent=dict(type='str', default='ansible-httpget'),
    maximum_redirection=dict(type='int', default=50),
    validate_certs=dict(type='bool', default=True),
    client_cert=dict(type='str'),
    client_cert_password=dict(type='str', no_log=True),
    force_basic_auth=dict(type='bool', default=False),
    url_username=dict(type='str'),
    url_password=dict(type='str', no_log=True),
    use_default_credential=dict(type='bool', default=False),
    use_proxy=dict(type='bool', default=True),
    proxy_url=dict(type='str'),
    proxy_username=dict(type='str'),
    proxy_password=dict(type='str', no_log=True),
    proxy_use_default_credential=dict(type='bool', default=False),
)
NOT_IMITATED = ('dest', 'client_cert', 'url_username', 'use_default_credential', 'proxy_url', 'proxy_username',
                'proxy_use_default_credential')

UNHANDLED = 'Unhandled exception occurred when sending web request. Exception: '
JSON_CANDIDATES = re.compile('text|json|javascript', re.IGNORECASE)
READ_WRITE_TIMEOUT = 300  # HttpWebRequest.ReadWriteTimeout, which win_uri does not set

# .NET Framework's texts, by where HttpWebRequest meets the failure.
CONNECT_FAILURE = 'Unable to connect to the remote server'
TIMEOUT = 'The operation has timed out'
TRUST_FAILURE = 'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.'
SECURE_CHANNEL_FAILURE = 'The request was aborted: Could not create SSL/TLS secure channel.'
SEND_FAILURE = 'The underlying connection was closed: An unexpected error occurred on a send.'
RECEIVE_FAILURE = 'The underlying connection was closed: An unexpected error occurred on a receive.'
PROTOCOL_VIOLATION = 'The server committed a protocol violation. Section=ResponseStatusLine'
BODY_VERB = 'Cannot send a content-body with this verb-type.'
READ_FAILURE = 'Unable to read data from the transport connection: %s.'
READ_CLOSED = 'The connection was closed'
READ_RESET = 'An existing connection was forcibly closed by the remote host'
READ_TIMEOUT = ('A connection attempt failed because the connected party did not properly respond after a period of '
                'time, or established connection failed because connected host has failed to respond')

# System.Net.HttpStatusCode names, for the message of a status outside status_code.
STATUS_NAMES = {
    100: 'Continue', 101: 'SwitchingProtocols', 200: 'OK', 201: 'Created', 202: 'Accepted',
    203: 'NonAuthoritativeInformation', 204: 'NoContent', 205: 'ResetContent', 206: 'PartialContent',
    300: 'MultipleChoices', 301: 'MovedPermanently', 302: 'Found', 303: 'SeeOther', 304: 'NotModified',
    305: 'UseProxy', 306: 'Unused', 307: 'TemporaryRedirect', 400: 'BadRequest', 401: 'Unauthorized',
    402: 'PaymentRequired', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
    407: 'ProxyAuthenticationRequired', 408: 'RequestTimeout', 409: 'Conflict', 410: 'Gone', 411: 'LengthRequired',
    412: 'PreconditionFailed', 413: 'RequestEntityTooLarge', 414: 'RequestUriTooLong', 415: 'UnsupportedMediaType',
    416: 'RequestedRangeNotSatisfiable', 417: 'ExpectationFailed', 426: 'UpgradeRequired', 500: 'InternalServerError',
    501: 'NotImplemented', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
    505: 'HttpVersionNotSupported',
}


class DotNetFailure(Exception):
    """A .NET exception as win_uri's catch block sees it: `message` is $_.Exception.Message."""

    def __init__(self, message, answered=False):
        super().__init__(message)
        self.message = message
        self.answered = answered  # the status line and headers came: only the body failed


class NotImitated(Exception):
    """Something win_uri does that the double refuses to pretend."""


class StatusOutsideList(Exception):
    """win_uri's FailJson for a status that status_code does not list."""


def method_call(name, count, message):
    """PowerShell's wrapping of an exception thrown by a .NET method it called."""
    return 'Exception calling "%s" with "%d" argument(s): "%s"' % (name, count, message)


def snake_case(name):
    """Convert-StringToSnakeCase of Ansible.ModuleUtils.CamelConversion."""
    plural = re.search('[A-Z]{3,}s', name)
    if plural:
        replaced = name.replace(plural.group(0), '_' + plural.group(0).lower())
        if replaced.startswith('_') and not name.startswith('_'):
            replaced = replaced[1:]
        name = replaced
    name = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', name)
    name = re.sub('([a-z0-9])([A-Z])', r'\1_\2', name)
    return name.lower()


def powershell_true(value):
    """Whether `if ($value)` runs: an empty or one-false-item list, '', 0, false and null do not."""
    if isinstance(value, list):
        return len(value) > 1 or (len(value) == 1 and powershell_true(value[0]))
    return value is not None and value is not False and value != '' and value != 0


def body_text(body):
    """The request body as win_uri makes it: dicts and lists as compressed JSON, anything else as its text."""
    if isinstance(body, (dict, list)):
        return json.dumps(body, separators=(',', ':'))
    if isinstance(body, bool):
        return 'True' if body else 'False'
    return str(body)


def connect_failure(error):
    """What .NET says when connecting (and the TLS handshake) fails."""
    if isinstance(error, (socket.timeout, TimeoutError)):
        return TIMEOUT
    if isinstance(error, ssl.SSLCertVerificationError):
        return TRUST_FAILURE
    if isinstance(error, ssl.SSLError) and 'ALERT' in str(error).upper():
        return SECURE_CHANNEL_FAILURE
    if isinstance(error, (ssl.SSLError, ConnectionResetError, BrokenPipeError)):
        # such as an https URL to a server that answers plain HTTP: the handshake meets no TLS
        return SEND_FAILURE
    return CONNECT_FAILURE


def response_failure(error):
    """What .NET says when sending the request, or reading the status line and headers, fails."""
    if isinstance(error, (socket.timeout, TimeoutError)):
        return TIMEOUT
    if isinstance(error, (BrokenPipeError, ssl.SSLError)):
        return SEND_FAILURE
    if isinstance(error, (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return RECEIVE_FAILURE
    return PROTOCOL_VIOLATION


def read_failure(error):
    """What .NET's response stream says when the body breaks off."""
    if isinstance(error, (socket.timeout, TimeoutError)):
        return READ_FAILURE % READ_TIMEOUT
    if isinstance(error, ConnectionResetError):
        return READ_FAILURE % READ_RESET
    return READ_FAILURE % READ_CLOSED


class Request:
    """One HttpWebRequest, in the steps where .NET can fail."""

    def __init__(self, params):
        self.url = params['url']
        parts = urlsplit(self.url)
        self.host = parts.hostname
        self.https = parts.scheme == 'https'
        self.port = parts.port or (443 if self.https else 80)
        self.target = (parts.path or '/') + ('?' + parts.query if parts.query else '')
        self.method = params['url_method'].upper()
        self.timeout = params['url_timeout']
        self.validate_certs = params['validate_certs']
        self.headers = self._headers(params, parts)
        self.body = None if params['body'] is None else body_text(params['body']).encode('utf-8')
        self.connection = None
        self.deadline = None

    @staticmethod
    def _headers(params, parts):
        headers = dict(params['headers'] or {})
        agent = params['http_agent']
        for name in list(headers):
            if name.lower() == 'user-agent':
                value = headers.pop(name)
                agent = value if agent == ARGUMENT_SPEC['http_agent']['default'] else agent
        headers['User-Agent'] = agent
        if params['content_type'] is not None:
            for name in [name for name in headers if name.lower() == 'content-type']:
                del headers[name]
            headers['Content-Type'] = params['content_type']
        headers.setdefault('Host', parts.netloc.rsplit('@', 1)[-1])
        return headers

    def _remaining(self):
        return max(0.001, self.deadline - time.monotonic())

    def connect(self):
        """Connect, and shake hands for https: GetRequestStream's work, or the start of GetResponse's."""
        self.deadline = time.monotonic() + self.timeout
        if self.https:
            context = ssl.create_default_context()
            if not self.validate_certs:
                # WebRequest.psm1: ServerCertificateValidationCallback = { $true }
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            connection = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=context)
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.connect()
        except socket.gaierror:
            raise DotNetFailure('The remote name could not be resolved: \'%s\'' % self.host) from None
        except OSError as error:
            raise DotNetFailure(connect_failure(error)) from None
        self.connection = connection

    def get_request_stream(self):
        """HttpWebRequest.GetRequestStream: only when there is a body to send."""
        if self.method in ('GET', 'HEAD'):
            raise DotNetFailure(method_call('GetRequestStream', 0, BODY_VERB))
        try:
            self.connect()
        except DotNetFailure as failure:
            raise DotNetFailure(method_call('GetRequestStream', 0, failure.message)) from None

    def get_response(self):
        """HttpWebRequest.GetResponse: send, then read the status line and the headers, within url_timeout."""
        if self.connection is None:
            self.connect()
        else:
            self.deadline = time.monotonic() + self.timeout  # Timeout bounds each of the two calls
        connection = self.connection
        try:
            connection.sock.settimeout(self._remaining())
            connection.putrequest(self.method, self.target, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                connection.putheader(name, value)
            if self.body is not None:
                connection.putheader('Content-Length', str(len(self.body)))
                # .NET Framework's default (ServicePointManager.Expect100Continue)
                connection.putheader('Expect', '100-continue')
            connection.putheader('Connection', 'Keep-Alive')
            connection.endheaders(self.body)
            connection.sock.settimeout(self._remaining())
            return connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            raise DotNetFailure(response_failure(error)) from None

    @staticmethod
    def copy_to(response):
        """Stream.CopyTo in win_uri's response script: the body, under ReadWriteTimeout."""
        try:
            response.fp.raw._sock.settimeout(READ_WRITE_TIMEOUT)  # pylint: disable=protected-access
        except AttributeError:
            pass
        try:
            return response.read()
        except (OSError, http.client.HTTPException) as error:
            raise DotNetFailure(method_call('CopyTo', 1, read_failure(error)), answered=True) from None

    def close(self):
        if self.connection is not None:
            self.connection.close()


def local_iso(moment):
    """A DateTime as win_uri returns it: ToString("o") of local time, seven digits of fractions."""
    text = moment.astimezone().isoformat(timespec='microseconds')
    return text[:26] + '0' + text[26:]


def response_properties(request, response):
    """The HttpWebResponse properties win_uri returns, in snake case (before the headers)."""
    headers = response.headers
    content_type = headers.get('Content-Type') or ''
    charset = re.search(r'charset\s*=\s*"?([^";]+)', content_type, re.IGNORECASE)
    modified = headers.get('Last-Modified')
    try:
        last_modified = email.utils.parsedate_to_datetime(modified) if modified else datetime.datetime.now()
    except (TypeError, ValueError):
        last_modified = datetime.datetime.now()
    length = headers.get('Content-Length')
    return dict(
        is_mutually_authenticated=False,
        cookies=[],
        headers=list(dict.fromkeys(headers.keys())),
        supports_headers=True,
        content_length=int(length) if length and length.isdigit() else -1,
        content_encoding=headers.get('Content-Encoding') or '',
        content_type=content_type,
        character_set=charset.group(1) if charset else ('ISO-8859-1' if content_type.lower().startswith('text/') else ''),
        server=headers.get('Server') or '',
        last_modified=local_iso(last_modified),
        status_code=response.status,
        status_description=response.reason,
        protocol_version=dict(Major=1, Minor=1 if response.version == 11 else 0, Build=-1, Revision=-1,
                              MajorRevision=-1, MinorRevision=-1),
        response_uri=request.url,
        method=request.method,
        is_from_cache=False,
    )


def send(params, result):
    """Invoke-AnsibleWindowsWebRequest with win_uri's response script; fills `result`, raises DotNetFailure."""
    request = Request(params)
    start = time.monotonic()
    try:
        if request.body is not None:
            request.get_request_stream()  # outside the try of Invoke-AnsibleWindowsWebRequest: elapsed stays 0
        try:
            try:
                response = request.get_response()
            except DotNetFailure:
                # its catch of the WebException: no Response, so msg and status_code from it (null), rethrown
                result['msg'] = None
                result['status_code'] = None
                raise
            result['msg'] = response.reason
            result['status_code'] = response.status
            respond(params, request, response, result)
        finally:
            result['elapsed'] = time.monotonic() - start
    finally:
        request.close()


def respond(params, request, response, result):
    """win_uri's response script."""
    result.update(response_properties(request, response))
    for name in dict.fromkeys(response.headers.keys()):
        values = response.headers.get_all(name)
        result[snake_case(name.replace('-', ''))] = ','.join(values)
    if 300 <= response.status < 400 and params['follow_redirects'] != 'none' \
            and (params['follow_redirects'] == 'all' or request.method in ('GET', 'HEAD')):
        raise NotImitated('following redirects')
    if params['return_content']:
        raw = request.copy_to(response)
        result['content'] = raw.decode('utf-8', errors='replace')
        if 'content_type' in result and JSON_CANDIDATES.search(str(result['content_type'])):
            try:
                parsed = json.loads(result['content']) if result['content'] else None
            except ValueError:
                parsed = None
            if powershell_true(parsed):
                result['json'] = parsed
    if response.status not in params['status_code']:
        raise StatusOutsideList("Status code of request '%d' is not in list of valid status codes %s : %s'."
                                % (response.status, ' '.join(str(code) for code in params['status_code']),
                                   STATUS_NAMES.get(response.status, response.status)))


def run(params, verbosity=0):
    """win_uri with these (validated) params: (result, failed). The same as main(), without a process."""
    result = dict(changed=False, elapsed=0, url=params['url'])
    for option in NOT_IMITATED:
        if params.get(option):
            return dict(result, msg='the win_uri double does not imitate %s' % option), True
    method = params['url_method'].upper()
    if not re.match('^[A-Z]+$', method):
        return dict(result, msg="Parameter 'method' needs to be a single word in uppercase, like GET or POST."), True
    if params['creates'] and os.path.exists(params['creates']):
        return dict(result, skipped=True, msg="The 'creates' file or directory (%s) already exists." % params['creates']), False
    if params['removes'] and not os.path.exists(params['removes']):
        return dict(result, skipped=True, msg="The 'removes' file or directory (%s) does not exist." % params['removes']), False
    try:
        send(params, result)
    except DotNetFailure as failure:
        result['msg'] = UNHANDLED + failure.message
        if verbosity > 2:
            result['exception'] = failure.message
        return result, True
    except StatusOutsideList as failure:
        return dict(result, msg=str(failure)), True
    except NotImitated as failure:
        return dict(result, msg='the win_uri double does not imitate %s' % failure), True
    return result, False


# ---- its arguments, checked as Ansible.Basic checks them

NO_LOG_PLACEHOLDER = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
TRUE_WORDS = ('yes', 'on', '1', 'true', 't', 'y')
FALSE_WORDS = ('no', 'off', '0', 'false', 'f', 'n')


class InvalidArguments(Exception):
    """Arguments that Ansible.Basic refuses before the module runs."""


def converted(name, option, value):
    """`value` as the option's type (a list's items as its elements'), or InvalidArguments naming the option."""
    kind = option['type']
    try:
        if kind == 'str':
            # Ansible.Basic, like Ansible's argument spec, turns any other value into its text.
            return value if isinstance(value, str) else str(value)
        if kind == 'path':
            if not isinstance(value, str):
                raise ValueError
            return os.path.expanduser(os.path.expandvars(value))
        if kind == 'bool':
            if isinstance(value, bool):
                return value
            word = str(value).lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                return word in TRUE_WORDS
            raise ValueError
        if kind == 'int':
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == 'dict':
            if not isinstance(value, dict):
                raise ValueError
            return value
        if kind == 'list':
            items = value.split(',') if isinstance(value, str) else value
            if not isinstance(items, list):
                raise ValueError
            return [converted(name, dict(type=option['elements']), item) for item in items]
    except (TypeError, ValueError):
        raise InvalidArguments('argument for %s is of type %s and we were unable to convert to %s'
                               % (name, type(value).__name__, kind)) from None
    return value  # raw


def validated(arguments):
    """(params, no_log values, verbosity, core version) from the module's arguments, as ARGUMENT_SPEC says."""
    names = dict((alias, name) for name, option in ARGUMENT_SPEC.items() for alias in [name] + option.get('aliases', []))
    unknown = [key for key in arguments if key not in names and not key.startswith('_ansible_')]
    # An option given by its name and an alias takes the alias's value, as Ansible's argument spec does.
    params = dict((key, value) for key, value in arguments.items() if key in ARGUMENT_SPEC)
    params.update((names[key], value) for key, value in arguments.items() if key in names and key not in ARGUMENT_SPEC)
    if unknown:
        raise InvalidArguments('Unsupported parameters for (win_uri) module: %s. Supported parameters include: %s'
                               % (', '.join(sorted(unknown)), ', '.join(sorted(names))))
    no_log = []
    for name, option in ARGUMENT_SPEC.items():
        value = params.get(name)
        if value is None:
            if option.get('required'):
                raise InvalidArguments('missing required arguments: %s' % name)
            params[name] = option.get('default')
            continue
        params[name] = converted(name, option, value)
        if option.get('choices') and params[name] not in option['choices']:
            raise InvalidArguments('value of %s must be one of: %s, got: %s' % (name, ', '.join(option['choices']), value))
        if option.get('no_log'):
            no_log.append(params[name])
    return params, no_log, int(arguments.get('_ansible_verbosity') or 0), str(arguments.get('_ansible_version') or '')


def masks_no_log(version):
    """Whether results carry no_log values as a placeholder: before ansible-core 2.22, which masks them itself."""
    numbers = re.findall(r'\d+', version)[:2]
    return not numbers or tuple(int(number) for number in numbers) < (2, 22)


def main():
    with open(sys.argv[1], encoding='utf-8') as handle:
        arguments = json.load(handle)
    try:
        params, no_log, verbosity, version = validated(arguments)
    except InvalidArguments as error:
        print(json.dumps(dict(failed=True, msg=str(error))))
        sys.exit(1)
    result, failed = run(params, verbosity)
    if failed:
        result['failed'] = True
    # As Ansible.Basic's ExitJson and FailJson print it: the result with its invocation, exit code 1 on failure.
    if masks_no_log(version):
        params = dict((name, NO_LOG_PLACEHOLDER if value is not None and value in no_log else value)
                      for name, value in params.items())
    result['invocation'] = dict(module_args=params)
    print(json.dumps(result))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
