# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a module's work runs, and the results of uri and win_uri as the client's seam sees them.

The win_uri answers below are recorded from its documented return values and
its source (ansible.windows 3.3.0, plugins/modules/win_uri.ps1 and
plugins/module_utils/WebRequest.psm1): the properties of the HttpWebResponse in
snake case, then each response header with its dashes removed, then in snake
case. Its failures without an answer come from the contract double of win_uri
(tests/integration/targets/setup_win_uri_double/library/win_uri.py) making real
requests to servers that fail as asked, each compared with the module path
meeting the same failure. The uri results are those of ansible-core 2.19's uri module.
"""

from __future__ import annotations

import socket
import threading
from unittest.mock import MagicMock

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.amove.click.plugins.module_utils._client import ClickApiClient
from ansible_collections.amove.click.plugins.module_utils._errors import AuthError, ClickApiError, TransientError
from ansible_collections.amove.click.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC
from ansible_collections.amove.click.plugins.module_utils._runner import execute
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import (
    DRIVES,
    SHARED_CLOUD_DRIVE,
    SHARED_CLOUD_DRIVE_INFO,
)
from ansible_collections.amove.click.plugins.module_utils._transport import TransportError
from ansible_collections.amove.click.plugins.plugin_utils._click_action import (
    ClickAction,
    DesktopTransport,
    RemoteModuleError,
    from_uri,
    from_win_uri,
    select_transport,
    uri_arguments,
    win_uri_arguments,
)
from ansible_collections.amove.click.tests.unit.emulated import FAULT_PROXY, WIN_URI

TOKEN = 'unit+token/with=signs'
URL = 'http://localhost:29123/sharedclouddrive/insert?token=unit%2Btoken%2Fwith%3Dsigns'
PROBLEM = '{"type":"NOT_FOUND","status":499,"errors":{"NOT_FOUND":["cloud account not found"]}}'


# ---- transport selection -------------------------------------------------------

@pytest.mark.parametrize('value, windows, chosen', [
    (None, False, 'module'),
    ('auto', False, 'module'),
    (None, True, 'win_uri'),
    ('auto', True, 'win_uri'),
    ('module', False, 'module'),
    ('uri', False, 'uri'),
    ('win_uri', True, 'win_uri'),
    ('win_uri', False, 'win_uri'),
])
def test_transport_selection(value, windows, chosen):
    assert select_transport(value, windows) == chosen


@pytest.mark.parametrize('value', ['module', 'uri'])
def test_python_modules_are_refused_on_windows(value):
    with pytest.raises(ValueError, match='amove_click_transport=%s runs a Python module.*Windows.*auto or win_uri' % value):
        select_transport(value, True)


@pytest.mark.parametrize('value', ['winrm', 'URI', '', True])
def test_unknown_transport_is_refused(value):
    with pytest.raises(ValueError, match='amove_click_transport must be one of auto, module, uri, win_uri'):
        select_transport(value, False)


# ---- arguments -------------------------------------------------------------------

HEADERS = {'Accept': 'application/json', 'X-App-Origin': 'ansible amove.click', 'Content-Type': 'application/json'}


def test_uri_arguments_accept_every_status_and_follow_nothing():
    arguments = uri_arguments('POST', URL, HEADERS, b'{"name": "Creative"}', 30, True)
    assert arguments['body'] == '{"name": "Creative"}' and arguments['body_format'] == 'raw'
    assert arguments['headers'] == HEADERS and arguments['timeout'] == 30
    assert {200, 401, 499, 500, 503} <= set(arguments['status_code'])
    assert arguments['follow_redirects'] == 'none' and arguments['use_proxy'] is False
    assert arguments['return_content'] is True


@pytest.mark.parametrize('asked, sent', [(0.5, 1), (2.5, 3), (30, 30)])
def test_timeouts_go_to_uri_and_win_uri_in_whole_seconds(asked, sent):
    # the agent's wait asks for what is left of its deadline, which may be a fraction
    assert uri_arguments('GET', URL, HEADERS, None, asked, True)['timeout'] == sent
    assert win_uri_arguments('GET', URL, HEADERS, None, asked, True)['url_timeout'] == sent


def test_win_uri_arguments_use_its_option_names():
    arguments = win_uri_arguments('POST', URL, HEADERS, b'{"name": "Creative"}', 12, False)
    assert arguments['content_type'] == 'application/json'
    assert 'Content-Type' not in arguments['headers'] and HEADERS['Content-Type'] == 'application/json'
    assert arguments['url_timeout'] == 12 and 'timeout' not in arguments
    assert arguments['method'] == 'POST' and arguments['validate_certs'] is False
    assert arguments['body'] == '{"name": "Creative"}'
    assert {200, 401, 499, 500} <= set(arguments['status_code'])
    get = win_uri_arguments('GET', URL, {'Accept': 'application/json'}, None, 30, True)
    assert 'body' not in get and 'content_type' not in get


# ---- win_uri results -----------------------------------------------------------

def win_uri_answer(status, description, content, **headers):
    """A win_uri result for an answer: HttpWebResponse properties, then its headers."""
    result = {
        'changed': False, 'elapsed': 0.0312, 'url': URL, 'msg': description, 'status_code': status,
        'status_description': description, 'is_mutually_authenticated': False, 'cookies': [],
        'headers': ['Content-Length', 'Content-Type', 'Date', 'Server'] + list(headers),
        'supports_headers': True, 'content_length': len(content), 'content_encoding': '',
        'character_set': 'utf-8', 'server': 'Kestrel', 'last_modified': '2026-11-28T16:00:00.0000000+00:00',
        'protocol_version': {'Major': 1, 'Minor': 1, 'Build': -1, 'Revision': -1, 'MajorRevision': -1,
                             'MinorRevision': -1}, 'response_uri': URL, 'method': 'POST', 'is_from_cache': False,
        'date': 'Sat, 28 Nov 2026 16:00:00 GMT', 'content': content,
    }
    result.update(headers)
    return result


def test_win_uri_answer():
    content = '{"id": "6f1c9f0e-7a1b-4d7e-9a55-3c2d1e0f4b21", "name": "Creative"}'
    result = win_uri_answer(200, 'OK', content, content_type='application/json; charset=utf-8')
    result['json'] = {'id': '6f1c9f0e-7a1b-4d7e-9a55-3c2d1e0f4b21', 'name': 'Creative'}
    assert from_win_uri(result) == (200, {'content-type': 'application/json; charset=utf-8'}, content.encode())


def test_win_uri_error_code_header_without_dashes():
    # "error-code" becomes "errorcode"; "Error-Code" becomes "ErrorCode", then "error_code".
    for header in ('errorcode', 'error_code'):
        result = win_uri_answer(499, '', PROBLEM, content_type='application/problem+json', **{header: 'NOT_FOUND'})
        status, headers, body = from_win_uri(result)
        assert (status, headers['error-code'], body) == (499, 'NOT_FOUND', PROBLEM.encode())


def test_win_uri_empty_answer_and_status_as_text():
    result = win_uri_answer(500, 'Internal Server Error', '')
    result['status_code'] = '500'
    assert from_win_uri(result) == (500, {}, b'')


def test_win_uri_error_status_of_a_failed_run_is_still_an_answer():
    # status_code outside the list: FailJson after the status was set.
    result = win_uri_answer(404, 'Not Found', '', failed=True)
    assert from_win_uri(result)[0] == 404


# ---- win_uri's failures without an answer, from its contract double ----------------

LISTING = b'{"data": [], "total": 0}'


class Desktop:
    """Stands for the action plugin on a desktop: each win_uri execution runs the contract double."""

    def __init__(self):
        self.results = []

    def execute_remote(self, module_name, module_args, task_vars):
        assert module_name == 'ansible.windows.win_uri'
        validated = ArgumentSpecValidator(WIN_URI.ARGUMENT_SPEC).validate(module_args)
        assert not validated.errors.errors, validated.errors.msg
        result, failed = WIN_URI.run(validated.validated_parameters)
        result = dict(result, failed=True) if failed else result
        self.results.append(result)
        return result


class Server:
    """An agent on 127.0.0.1 that meets each connection with the next of `acts`:

    answer (the listing), problem (a 499 NOT_FOUND), close (read the request, close
    without a byte), hang (read the request, answer nothing), truncate (the status
    line, the headers and half the body, then close), plain (answer plain HTTP to
    whatever came, such as a TLS handshake). With `tls`, the connections are TLS
    with a certificate that no client trusts.
    """

    def __init__(self, acts, tls=False):
        self.acts = list(acts)
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(8)
        self.context = FAULT_PROXY.untrusted_tls_context('127.0.0.1') if tls else None
        self.url = '%s://127.0.0.1:%d' % ('https' if tls else 'http', self.listener.getsockname()[1])
        self.open = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.open.append(connection)
            threading.Thread(target=self.meet, args=(connection, self.acts.pop(0)), daemon=True).start()

    def meet(self, connection, act):
        try:
            if self.context:
                connection = self.context.wrap_socket(connection, server_side=True)
            data = connection.recv(65536)
            if act == 'plain':
                connection.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
                return
            while b'\r\n\r\n' not in data:
                data += connection.recv(65536)
            # The whole request, body too: closing with some of it unread would reset the connection
            # (RST), a failure of another kind than the one a case means to make.
            head, _separator, body = data.partition(b'\r\n\r\n')
            lengths = [int(line.split(b':', 1)[1]) for line in head.split(b'\r\n') if line.lower().startswith(b'content-length:')]
            while len(body) < (lengths[0] if lengths else 0):
                body += connection.recv(65536)
            if act == 'hang':
                connection.settimeout(30)
                while connection.recv(65536):
                    pass
            elif act in ('answer', 'truncate'):
                body = LISTING[:len(LISTING) // 2] if act == 'truncate' else LISTING
                connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n'
                                   b'Content-Length: %d\r\n\r\n%s' % (len(LISTING), body))
            elif act == 'problem':
                connection.sendall(b'HTTP/1.1 499 \r\nContent-Type: application/problem+json\r\nerror-code: NOT_FOUND\r\n'
                                   b'Content-Length: %d\r\n\r\n%s' % (len(PROBLEM), PROBLEM.encode()))
        except OSError:
            pass  # such as a handshake the client refused
        finally:
            connection.close()

    def close(self):
        self.listener.close()
        for connection in self.open:
            connection.close()


def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def both_paths(url, call, acts=(), tls=False, https=False):
    """`call(client)` on the module path, then through the win_uri double, against `url` or a Server of `acts`
    (each path meets them all; `https`: an https URL to it): (module outcome, win_uri outcome, win_uri results, url)."""
    server = Server(list(acts) * 2, tls=tls) if acts else None
    url = url or (server.url.replace('http:', 'https:') if https else server.url)
    desktop = Desktop()
    outcomes = []
    try:
        for transport in (None, DesktopTransport(desktop, 'win_uri', {}, False)):
            client = ClickApiClient(url=url, token=TOKEN, timeout=1, sleep=lambda _seconds: None, transport=transport)
            try:
                outcomes.append(call(client))
            except ClickApiError as error:
                outcomes.append(error)
    finally:
        if server:
            server.close()
    return outcomes[0], outcomes[1], desktop.results, url


def insert(client):
    return client.request('POST', '/sharedclouddrive/insert', body={'name': 'Creative'})


UNREACHABLE = 'POST /sharedclouddrive/insert: cannot reach the Amove agent at %s (%s); is the agent running?'


@pytest.mark.parametrize('case, acts, tls, net, advice', [
    ('refused', (), False, 'Exception calling "GetRequestStream" with "0" argument(s): "Unable to connect to the remote server"',
     UNREACHABLE % ('{url}', 'connection refused')),
    ('name', (), False, 'Exception calling "GetRequestStream" with "0" argument(s): "The remote name could not be resolved: '
     "'no-such-desktop.invalid'\"", UNREACHABLE % ('{url}', 'host name not found')),
    ('timeout', ('hang',), False, 'The operation has timed out',
     'POST /sharedclouddrive/insert: the Amove agent at {url} did not answer within 1 second'),
    ('reset', ('close',), False, 'The underlying connection was closed: An unexpected error occurred on a receive.',
     'POST /sharedclouddrive/insert: the connection to the Amove agent at {url} broke (connection reset)'),
    ('body', ('truncate',), False, 'Exception calling "CopyTo" with "1" argument(s): "Unable to read data from the '
     'transport connection: The connection was closed."',
     'POST /sharedclouddrive/insert: the connection to the Amove agent at {url} broke (connection reset)'),
    ('certificate', ('close',), True, 'Exception calling "GetRequestStream" with "0" argument(s): "The underlying '
     'connection was closed: Could not establish trust relationship for the SSL/TLS secure channel."',
     'POST /sharedclouddrive/insert: the certificate of the Amove agent at {url} is not trusted; trust its CA, '
     'or set validate_certs to false'),
    ('https to http', ('plain',), False, 'Exception calling "GetRequestStream" with "0" argument(s): "The underlying '
     'connection was closed: An unexpected error occurred on a send."',
     'POST /sharedclouddrive/insert: no TLS session with the Amove agent at {url}: it answers plain HTTP, as an agent '
     'not set up for TLS does; use url {http}'),
], ids=['refused', 'name', 'timeout', 'reset', 'body', 'certificate', 'https-to-http'])
def test_win_uri_without_answer_fails_as_the_module_path(case, acts, tls, net, advice):
    url = {'refused': 'http://127.0.0.1:%d' % closed_port(), 'name': 'http://no-such-desktop.invalid:29123'}.get(case)
    module_path, win_uri, results, url = both_paths(url, insert, acts, tls, https=case == 'https to http')
    assert str(module_path) == advice.format(url=url, http=url.replace('https:', 'http:'))
    assert type(win_uri) is type(module_path) and str(win_uri) == str(module_path)
    assert getattr(win_uri, 'reached', None) == getattr(module_path, 'reached', None)
    assert [result['msg'] for result in results] == ['Unhandled exception occurred when sending web request. Exception: ' + net]
    assert results[0]['failed'] and 'content' not in results[0]
    if case == 'body':
        assert results[0]['status_code'] == 200 and results[0]['content_length'] == str(len(LISTING))


def test_a_read_whose_body_breaks_off_is_retried_through_win_uri():
    def listing(client):
        return client.request('GET', '/sharedclouddrive/get_all')

    module_path, win_uri, results, _url = both_paths(None, listing, ('truncate', 'answer'))
    assert module_path == win_uri == {'data': [], 'total': 0}
    assert [result.get('status_code') for result in results] == [200, 200]
    assert [('content' in result, result.get('failed', False)) for result in results] == [(False, True), (True, False)]


@pytest.mark.parametrize('arguments', [
    win_uri_arguments('POST', URL, HEADERS, b'{"name": "Creative"}', 12, False),
    win_uri_arguments('GET', URL, {'Accept': 'application/json'}, None, 30, True),
    dict(url=URL, method='get', timeout='7', status_code='200,499', return_content='yes', url_password='s3cret'),
    dict(url=URL, url_method='GET', method='POST', headers={'Accept': 'text/plain'}, validate_certs='no'),
    dict(url=URL, http_agent=5, content_type=True, creates='~/made'),
])
def test_the_double_checks_its_arguments_as_ansible_does(arguments):
    """The double runs without module_utils: its own check gives what Ansible's gives for the same spec."""
    expected = ArgumentSpecValidator(WIN_URI.ARGUMENT_SPEC).validate(dict(arguments))
    params, no_log, verbosity, version = WIN_URI.validated(dict(arguments, _ansible_verbosity=3, _ansible_version='2.19.4'))
    assert not expected.errors.errors
    assert params == dict((name, expected.validated_parameters[name]) for name in WIN_URI.ARGUMENT_SPEC)
    assert no_log == (['s3cret'] if 'url_password' in arguments else [])
    assert (verbosity, WIN_URI.masks_no_log(version), WIN_URI.masks_no_log('2.22.0rc1')) == (3, True, False)


@pytest.mark.parametrize('arguments, message', [
    (dict(url=URL, colour='red'), 'Unsupported parameters for (win_uri) module: colour. Supported parameters include: body, '),
    (dict(url=URL, url_timeout='soon'), 'argument for url_timeout is of type str and we were unable to convert to int'),
    (dict(url=URL, status_code=['ok']), 'argument for status_code is of type str and we were unable to convert to int'),
    (dict(url=URL, follow_redirects='some'), 'value of follow_redirects must be one of: all, none, safe, got: some'),
    (dict(method='GET'), 'missing required arguments: url'),
])
def test_the_double_refuses_what_ansible_refuses(arguments, message):
    assert ArgumentSpecValidator(WIN_URI.ARGUMENT_SPEC).validate(dict(arguments)).errors.errors
    with pytest.raises(WIN_URI.InvalidArguments) as refused:
        WIN_URI.validated(arguments)
    assert str(refused.value).startswith(message)


def test_an_answer_through_the_win_uri_double():
    module_path, win_uri, results, _url = both_paths(None, insert, ('problem',))
    assert str(win_uri) == str(module_path) == 'POST /sharedclouddrive/insert: HTTP 499 NOT_FOUND: cloud account not found'
    assert win_uri.result() == module_path.result() == {'status': 499, 'error_code': 'NOT_FOUND'}
    result = results[0]
    assert (result['status_code'], result['errorcode'], result['content'], result['msg']) == (499, 'NOT_FOUND', PROBLEM, '')
    assert result['json'] == {'type': 'NOT_FOUND', 'status': 499, 'errors': {'NOT_FOUND': ['cloud account not found']}}
    assert 'failed' not in result


def test_win_uri_that_did_not_run():
    result = {'failed': True, 'msg': 'MODULE FAILURE\nSee stdout/stderr for the exact error',
              'module_stdout': '', 'module_stderr': 'PowerShell: not found ' + URL, 'rc': 127}
    with pytest.raises(RemoteModuleError) as caught:
        from_win_uri(result)
    assert str(caught.value) == 'ansible.windows.win_uri did not run on the desktop: MODULE FAILURE'


# ---- uri results ---------------------------------------------------------------

def test_uri_answer_headers_are_among_its_keys():
    result = {'changed': False, 'status': 499, 'msg': 'HTTP Error 499: ', 'url': URL, 'elapsed': 0,
              'redirected': False, 'cookies': {}, 'cookies_string': '', 'content_type': 'application/problem+json',
              'content_length': str(len(PROBLEM)), 'error_code': 'NOT_FOUND', 'content': PROBLEM,
              'json': {'type': 'NOT_FOUND'}}
    assert from_uri(result) == (499, {'error-code': 'NOT_FOUND', 'content-type': 'application/problem+json'},
                                PROBLEM.encode())


@pytest.mark.parametrize('reason, kind', [
    ('Request failed: <urlopen error [Errno 111] Connection refused>', 'refused'),
    ('Request failed: <urlopen error timed out>', 'timeout'),
    ('Connection failure: The read operation timed out', 'timeout'),
    ('Request failed: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed>', 'certificate'),
    ('Request failed: <urlopen error [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)>', 'tls'),
    ('Connection failure: [Errno 104] Connection reset by peer', 'reset'),
    ('Connection failure: Remote end closed connection without response', 'reset'),
    ('Request failed: <urlopen error [Errno -2] Name or service not known>', 'name'),
    ('Request failed: <urlopen error [Errno 101] Network is unreachable>', 'other'),
])
def test_uri_no_answer(reason, kind):
    result = {'failed': True, 'status': -1, 'url': URL, 'elapsed': 0, 'redirected': False,
              'msg': 'Status code was -1 and not [100, 101]: ' + reason}
    with pytest.raises(TransportError) as caught:
        from_uri(result)
    assert caught.value.kind == kind


def test_uri_body_that_broke_off_is_no_answer():
    # uri's fail_json when reading the body raised an http.client error (here: fewer bytes than Content-Length)
    result = {'failed': True, 'msg': 'HTTP Error while fetching %s: IncompleteRead(12 bytes read, 12 more expected)' % URL}
    with pytest.raises(TransportError) as caught:
        from_uri(result)
    assert caught.value.kind == 'reset'


def test_uri_that_did_not_run():
    result = {'failed': True, 'msg': 'The module failed to execute correctly, you probably need to set the '
              'interpreter.\nSee stdout/stderr for the exact error', 'module_stderr': '/bin/sh: python3: not found'}
    with pytest.raises(RemoteModuleError, match=r'^ansible.builtin.uri did not run on the desktop: The module failed '
                                                r'to execute correctly, you probably need to set the interpreter.$'):
        from_uri(result)


# ---- the controller path's transport, under the client -------------------------

class FakeAction:
    """Stands for the action plugin: records each uri/win_uri execution and answers from a list."""

    def __init__(self, *results):
        self.results = list(results)
        self.executions = []

    def execute_remote(self, module_name, module_args, task_vars):
        self.executions.append((module_name, module_args))
        return self.results.pop(0)


def client_over(kind, action, check_mode=False, **kwargs):
    transport = DesktopTransport(action, kind, {}, check_mode)
    return ClickApiClient(token=TOKEN, sleep=lambda _seconds: None, transport=transport, **kwargs), transport


def test_errors_through_win_uri_name_method_path_status_and_code_but_no_token():
    action = FakeAction(win_uri_answer(499, '', PROBLEM, content_type='application/problem+json', errorcode='NOT_FOUND'))
    client, _transport = client_over('win_uri', action)
    with pytest.raises(ClickApiError) as caught:
        client.request('POST', '/sharedclouddrive/insert', body={'name': 'Creative'})
    assert str(caught.value) == 'POST /sharedclouddrive/insert: HTTP 499 NOT_FOUND: cloud account not found'
    assert caught.value.result() == {'status': 499, 'error_code': 'NOT_FOUND'}
    module, arguments = action.executions[0]
    assert module == 'ansible.windows.win_uri'
    assert arguments['url'].endswith('?token=unit%2Btoken%2Fwith%3Dsigns')


def test_reads_through_uri_are_retried_writes_are_not():
    refused = {'failed': True, 'status': -1, 'msg': 'Status code was -1 and not [200]: Request failed: '
               '<urlopen error [Errno 111] Connection refused>'}
    action = FakeAction(refused, {'status': 503, 'content': ''}, {'status': 200, 'content': '[]',
                                                                  'content_type': 'application/json'})
    client, _transport = client_over('uri', action)
    assert client.request('GET', '/cloud/accounts') == []
    assert len(action.executions) == 3

    action = FakeAction(refused)
    client, _transport = client_over('uri', action)
    with pytest.raises(TransientError) as caught:
        client.request('POST', '/sharedclouddrive/insert', body={})
    assert str(caught.value) == ('POST /sharedclouddrive/insert: cannot reach the Amove agent at '
                                 'http://localhost:29123 (connection refused); is the agent running?')
    assert len(action.executions) == 1


def test_a_desktop_without_the_module_is_no_reason_to_retry():
    action = FakeAction({'failed': True, 'msg': 'MODULE FAILURE'})
    client, _transport = client_over('uri', action)
    with pytest.raises(RemoteModuleError, match=r'^GET /cloud/accounts: ansible.builtin.uri did not run on the desktop'):
        client.request('GET', '/cloud/accounts')
    assert len(action.executions) == 1


def test_401_through_uri():
    action = FakeAction({'status': 401, 'content': ''})
    client, _transport = client_over('uri', action)
    with pytest.raises(AuthError, match='token rejected'):
        client.request('GET', '/cloud/accounts')


def test_no_write_leaves_in_check_mode_but_logins_do():
    login = {'status': 200, 'content': '{"jwtToken": "session-1"}', 'content_type': 'application/json'}
    action = FakeAction(login)
    transport = DesktopTransport(action, 'uri', {}, True)
    client = ClickApiClient(username='admin@example.com', password='pw', transport=transport)
    with pytest.raises(ClickApiError, match='^POST /sharedclouddrive/insert: no write is sent in check mode$'):
        client.request('POST', '/sharedclouddrive/insert', body={})
    assert [arguments['url'].split('?')[0] for _module, arguments in action.executions] == [
        'http://localhost:29123/authentication/login']


def test_a_read_the_agent_cannot_serve_comes_back_as_a_warning_through_uri():
    params = dict((name, option.get('default')) for name, option in dict(DRIVES.selection_spec(), **CONNECTION_ARGUMENT_SPEC).items())
    params.update(token=TOKEN, name='Creative', cloud_account_id='0c6f3a51-2d7e-4b8a-9f10-5e4d3c2b1a09', storage_name='b')
    listing = {'status': 200, 'content': '{"data": [], "total": 0}', 'content_type': 'application/json'}
    action = FakeAction(listing, {'status': 404, 'content': ''})
    result, warnings = execute(SHARED_CLOUD_DRIVE, params, check_mode=True, transport=DesktopTransport(action, 'uri', {}, True))
    assert result['changed'] is True and 'failed' not in result
    assert warnings == ['GET /cloud/account: HTTP 404 (an agent without this route); cloud_account_id '
                        '0c6f3a51-2d7e-4b8a-9f10-5e4d3c2b1a09 was not checked, so check mode cannot tell whether the agent '
                        'would accept it']
    assert [arguments['url'].split('?')[0] for _module, arguments in action.executions] == [
        'http://localhost:29123/sharedclouddrive/get_all', 'http://localhost:29123/cloud/account']


def test_interpreter_discovery_facts_are_kept():
    facts = {'discovered_interpreter_python': '/usr/bin/python3', 'other_fact': 1}
    answer = {'status': 200, 'content': '[]', 'ansible_facts': facts}
    client, transport = client_over('uri', FakeAction(answer))
    client.request('GET', '/cloud/accounts')
    assert transport.facts == {'discovered_interpreter_python': '/usr/bin/python3'}


# ---- the action plugin's module arguments ----------------------------------------

class Action(ClickAction):
    definition = SHARED_CLOUD_DRIVE_INFO


def make_action(check_mode=False, args=None, environment=None):
    task = MagicMock(check_mode=check_mode, no_log=False, diff=False, environment=environment or [], async_val=0,
                     args=args or {}, action='amove.click.shared_cloud_drive_info')
    connection = MagicMock(socket_path=None)
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    return Action(task, connection, MagicMock(), MagicMock(), templar, MagicMock())


def test_fallbacks_come_from_the_controller_and_the_task_environment(monkeypatch):
    monkeypatch.setenv('AMOVE_CLICK_TOKEN', 'from-the-controller')
    monkeypatch.setenv('AMOVE_CLICK_URL', 'http://agent.example:29123')
    action = make_action(environment=[{'AMOVE_CLICK_TOKEN': 'from-the-play'}, {'AMOVE_CLICK_TOKEN': TOKEN}])
    params, error = action._validated_arguments()
    assert error is None
    assert (params['token'], params['url'], params['details']) == (TOKEN, 'http://agent.example:29123', False)
    assert TOKEN in action._secrets


@pytest.mark.parametrize('args, message', [
    ({'colour': 'red'}, 'Unsupported parameters for (amove.click.shared_cloud_drive_info) module: colour.'),
    ({'details': 'maybe'}, "argument 'details' is of type str and we were unable to convert to bool"),
])
def test_arguments_are_checked_with_the_module_wording(args, message):
    params, error = make_action(args=args)._validated_arguments()
    assert params is None and message in error


@pytest.mark.parametrize('check_mode', [True, False])
def test_uri_runs_with_no_log_and_outside_check_mode(check_mode):
    action = make_action(check_mode)
    arguments = {}
    action._update_module_args('ansible.builtin.uri', arguments, {})
    assert arguments['_ansible_no_log'] is False and arguments['_ansible_check_mode'] is check_mode
    action._remote_request = True
    arguments = {}
    action._update_module_args('ansible.builtin.uri', arguments, {})
    assert arguments['_ansible_no_log'] is True and arguments['_ansible_check_mode'] is False
