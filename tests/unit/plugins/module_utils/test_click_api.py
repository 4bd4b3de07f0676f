# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import http.client
import http.server
import json
import socket
import ssl
import threading
import urllib.error

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.amove.click.plugins.module_utils._client import ClickApiClient
from ansible_collections.amove.click.plugins.module_utils._errors import AuthError, ClickApiError, TransientError
from ansible_collections.amove.click.plugins.module_utils._lookup import QueryLookup
from ansible_collections.amove.click.plugins.module_utils._listings import CLOUD_ACCOUNT_LISTING
from ansible_collections.amove.click.plugins.module_utils._names import References
from ansible_collections.amove.click.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC, connection_problems
from ansible_collections.amove.click.plugins.module_utils._shared_cloud_drive import DRIVES as SHARED_DRIVES
from ansible_collections.amove.click.plugins.modules import shared_cloud_drive_info
from ansible_collections.amove.click.tests.unit.click_fake import BASE_URL, TOKEN, Expect, page, problem

DRIVES = '/sharedclouddrive/get_all'
PASSWORD = 'unit-test-password-77'
JWT = 'header.payload.signature-1'
JWT2 = 'header.payload.signature-2'


def drive(name, number=1, **extra):
    record = {'id': '00000000-0000-4000-8000-%012d' % number, 'name': name, 'deleted': False}
    record.update(extra)
    return record


def token_client():
    return ClickApiClient(BASE_URL, token=TOKEN)


def credentials_client():
    return ClickApiClient(BASE_URL, username='admin@example.com', password=PASSWORD)


def login(jwt=JWT, **answer):
    reply = {'jwtToken': jwt, 'challenge': 0, 'session': ''}
    reply.update(answer)
    return Expect('POST', '/authentication/login', token=None, answer=reply,
                  body={'username': 'admin@example.com', 'password': PASSWORD, 'type': 16})


def assert_no_secret(text):
    for secret in (TOKEN, PASSWORD, JWT, JWT2):
        assert secret not in text


# ---- paging ---------------------------------------------------------------

def test_list_all_follows_every_page_until_total(agent):
    records = [drive('d%03d' % i, i) for i in range(250)]
    agent.expect(
        Expect('GET', DRIVES, {'page': 1, 'pagesize': 100}, answer=page(records[:100], 250)),
        Expect('GET', DRIVES, {'page': 2, 'pagesize': 100}, answer=page(records[100:200], 250, 2)),
        Expect('GET', DRIVES, {'page': 3, 'pagesize': 100}, answer=page(records[200:], 250, 3)),
    )
    assert token_client().list_all(DRIVES) == records


def test_list_all_follows_pages_when_the_server_caps_the_page_size_lower(agent):
    records = [drive('d%02d' % i, i) for i in range(25)]
    agent.expect(*[
        Expect('GET', DRIVES, {'page': n + 1}, answer=page(records[n * 10:n * 10 + 10], 25, n + 1, 10))
        for n in range(3)
    ])
    assert len(token_client().list_all(DRIVES)) == 25


def test_list_all_stops_when_the_server_ignores_page(agent):
    first = [drive('a', 1), drive('b', 2)]
    agent.expect(
        Expect('GET', DRIVES, {'page': 1}, answer=page(first, 5)),
        Expect('GET', DRIVES, {'page': 2}, answer=page(first, 5)),
    )
    assert token_client().list_all(DRIVES) == first


def test_list_all_accepts_a_bare_array(agent):
    agent.expect(Expect('GET', DRIVES, answer=[drive('a')]))
    assert token_client().list_all(DRIVES) == [drive('a')]


def test_list_all_rejects_a_shape_it_does_not_know(agent):
    agent.expect(Expect('GET', DRIVES, answer={'items': []}))
    with pytest.raises(ClickApiError, match='unexpected answer'):
        token_client().list_all(DRIVES)


# ---- lookup by name (the engine's lookups over this client) ----------------

def test_a_name_lookup_keeps_live_records_of_that_name_or_a_case_variant_only(agent):
    listing = [drive('Creative', 1), drive('Creative Team', 2), drive('creative', 3),
               drive('Creative', 4, deleted=True), drive('My Creative', 5)]
    agent.expect(Expect('GET', DRIVES, {'name': 'Creative', 'page': 1}, answer=page(listing)))
    assert QueryLookup(SHARED_DRIVES, token_client()).named_like('Creative') == [listing[0], listing[2]]


def test_a_name_lookup_reads_matches_beyond_the_first_page(agent):
    neighbours = [drive('Creative %03d' % i, i) for i in range(100)]
    agent.expect(
        Expect('GET', DRIVES, {'name': 'Creative', 'page': 1}, answer=page(neighbours, 101)),
        Expect('GET', DRIVES, {'name': 'Creative', 'page': 2}, answer=page([drive('Creative', 500)], 101, 2)),
    )
    found = QueryLookup(SHARED_DRIVES, token_client()).named_like('Creative')
    assert [d['id'] for d in found] == [drive('x', 500)['id']]


def test_a_name_lookup_with_details_uses_the_detailed_listing(agent):
    agent.expect(Expect('GET', '/sharedclouddrive/get_all_with_details', {'name': 'A'}, answer=page([drive('A')])))
    assert QueryLookup(SHARED_DRIVES, token_client(), details=True).named_like('A') == [drive('A')]


def test_a_lookup_by_id_lists_and_ignores_deleted_records(agent):
    wanted = drive('A', 7)
    agent.expect(Expect('GET', DRIVES, answer=page([drive('A', 7, deleted=True), wanted])))
    assert QueryLookup(SHARED_DRIVES, token_client()).by_id(wanted['id'].upper()) == wanted


# ---- retries --------------------------------------------------------------

@pytest.mark.parametrize('status', [500, 502, 503])
def test_get_is_retried_after_a_server_error(agent, status):
    agent.expect(Expect('GET', DRIVES, status=status), Expect('GET', DRIVES, answer=page([])))
    assert token_client().list_all(DRIVES) == []


def test_get_is_retried_after_a_dropped_connection(agent):
    agent.expect(Expect('GET', DRIVES, error=http.client.RemoteDisconnected('closed')),
                 Expect('GET', DRIVES, error=ConnectionResetError(104, 'reset')),
                 Expect('GET', DRIVES, answer=page([])))
    assert token_client().list_all(DRIVES) == []


def test_agent_down_is_reported_after_retries(agent):
    refused = urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused'))
    agent.expect(*[Expect('GET', DRIVES, error=refused) for attempt in range(4)])
    with pytest.raises(TransientError) as caught:
        token_client().list_all(DRIVES)
    assert 'cannot reach the Amove agent at http://localhost:29123' in str(caught.value)
    assert_no_secret(str(caught.value))


@pytest.mark.parametrize('error, message, attempts', [
    (urllib.error.URLError(socket.timeout('timed out')), 'did not answer within 30 seconds', 4),
    (TimeoutError('The read operation timed out'), 'did not answer within 30 seconds', 4),
    (ConnectionResetError(104, 'Connection reset by peer'), 'broke (connection reset)', 4),
    (urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused')), '(connection refused); is the agent', 4),
    (urllib.error.URLError(OSError('unknown host in %s/?token=%s' % (BASE_URL, TOKEN))), 'cannot reach the Amove agent at '
     'http://localhost:29123; is the agent running?', 4),
    (urllib.error.URLError(ssl.SSLCertVerificationError(1, 'certificate verify failed for %s' % TOKEN)),
     'the certificate of the Amove agent at http://localhost:29123 is not trusted', 1),
])
def test_no_answer_is_told_in_our_words_never_the_http_library(agent, error, message, attempts):
    # The library's words may quote the URL, and so the token: messages say only what kind of failure it was.
    agent.expect(*[Expect('GET', DRIVES, error=error) for attempt in range(attempts)])
    with pytest.raises(ClickApiError) as caught:
        token_client().list_all(DRIVES)
    assert message in str(caught.value)
    assert str(caught.value).startswith('GET %s: ' % DRIVES)
    assert_no_secret(str(caught.value))


def test_a_write_is_not_repeated_after_a_server_error(agent):
    agent.expect(Expect('POST', '/sharedclouddrive/insert', status=500))
    with pytest.raises(TransientError, match='POST /sharedclouddrive/insert: HTTP 500'):
        token_client().request('POST', '/sharedclouddrive/insert', body={'name': 'A'})


# ---- errors ---------------------------------------------------------------

def test_499_reports_method_path_code_and_message(agent):
    agent.expect(Expect('POST', '/sharedclouddrive/insert',
                        **problem('DUPLICATE', 'A resource with the same name already exists.')))
    with pytest.raises(ClickApiError) as caught:
        token_client().request('POST', '/sharedclouddrive/insert', body={})
    assert str(caught.value) == ('POST /sharedclouddrive/insert: HTTP 499 DUPLICATE: '
                                 'A resource with the same name already exists.')
    assert (caught.value.status, caught.value.code) == (499, 'DUPLICATE')


def test_499_code_from_the_header_when_the_body_is_not_json(agent):
    agent.expect(Expect('DELETE', '/sharedclouddrive/delete', status=499, raw=b'oops',
                        headers={'error-code': 'NOT_FOUND'}))
    with pytest.raises(ClickApiError) as caught:
        token_client().request('DELETE', '/sharedclouddrive/delete', {'id': 'x'})
    assert caught.value.code == 'NOT_FOUND'


def test_unexpected_status_is_reported(agent):
    agent.expect(Expect('GET', '/cloud/accounts', status=404))
    with pytest.raises(ClickApiError, match=r'^GET /cloud/accounts: HTTP 404$'):
        token_client().request('GET', '/cloud/accounts')


def test_an_answer_that_is_not_json_fails_clearly(agent):
    agent.expect(Expect('GET', '/cloud/accounts', raw=b'<html>'))
    with pytest.raises(ClickApiError, match='not JSON'):
        token_client().request('GET', '/cloud/accounts')


# ---- authentication -------------------------------------------------------

def test_401_with_a_token_says_the_token_was_rejected(agent):
    agent.expect(Expect('GET', DRIVES, status=401))
    with pytest.raises(AuthError) as caught:
        token_client().list_all(DRIVES)
    assert 'token rejected (expired or invalid)' in str(caught.value)
    assert_no_secret(str(caught.value))


@pytest.mark.parametrize('code', ['TOKEN', 'SESSION'])
def test_499_token_or_session_counts_as_rejected_token(agent, code):
    agent.expect(Expect('GET', DRIVES, **problem(code, 'Session expired.')))
    with pytest.raises(AuthError, match='token rejected'):
        token_client().list_all(DRIVES)


def test_credentials_log_in_use_the_session_and_log_out(agent):
    agent.expect(login(), Expect('GET', DRIVES, token=JWT, answer=page([])),
                 Expect('POST', '/authentication/logout', token=None, body={'jwtToken': JWT}))
    client = credentials_client()
    assert client.list_all(DRIVES) == []
    assert client.close() is None
    assert client.close() is None  # once only


def test_credentials_log_in_again_once_after_401(agent):
    agent.expect(login(), Expect('GET', DRIVES, token=JWT, status=401),
                 login(JWT2), Expect('GET', DRIVES, token=JWT2, answer=page([drive('a')])))
    assert credentials_client().list_all(DRIVES) == [drive('a')]


def test_credentials_fail_after_a_second_401(agent):
    agent.expect(login(), Expect('GET', DRIVES, token=JWT, status=401),
                 login(JWT2), Expect('GET', DRIVES, token=JWT2, status=401))
    with pytest.raises(AuthError, match='rejected a fresh session') as caught:
        credentials_client().list_all(DRIVES)
    assert_no_secret(str(caught.value))


def test_wrong_credentials_say_so(agent):
    agent.expect(Expect('POST', '/authentication/login', token=None, status=401))
    with pytest.raises(AuthError) as caught:
        credentials_client().list_all(DRIVES)
    assert "login as 'admin@example.com' failed" in str(caught.value)
    assert 'user_type desktop_admin' in str(caught.value)
    assert_no_secret(str(caught.value))


def test_mfa_login_recommends_an_api_token(agent):
    agent.expect(login(jwt='', challenge=1, session='opaque'))
    with pytest.raises(AuthError, match='multi-factor authentication.*API token'):
        credentials_client().list_all(DRIVES)


def test_failed_logout_is_a_warning_not_an_error(agent):
    agent.expect(login(), Expect('GET', DRIVES, token=JWT, answer=page([])),
                 Expect('POST', '/authentication/logout', token=None, status=400))
    client = credentials_client()
    client.list_all(DRIVES)
    assert 'logging out of the Amove agent failed' in client.close()


def test_a_token_wins_over_credentials(agent):
    agent.expect(Expect('GET', DRIVES, answer=page([])))
    client = ClickApiClient(BASE_URL, token=TOKEN, username='admin@example.com', password=PASSWORD)
    client.list_all(DRIVES)
    assert client.close() is None
    assert agent.requests('POST') == []


# ---- names of cloud accounts (the one name rule, over a bare listing) ------

ACCOUNTS = [{'id': 'c1', 'name': 'Demo S3'}, {'id': 'c2', 'name': 'Twin'}, {'id': 'c3', 'name': 'Twin'},
            {'id': 'c4', 'name': 'Gone', 'deleted': True}]


def cloud_account(name):
    return References(token_client()).require(CLOUD_ACCOUNT_LISTING, 'cloud_account', name, 'cloud_account_id')


def test_cloud_account_by_exact_name(agent):
    agent.expect(Expect('GET', '/cloud/accounts', answer=ACCOUNTS))
    assert cloud_account('Demo S3') == 'c1'


def test_cloud_accounts_in_a_collection_are_accepted(agent):
    agent.expect(Expect('GET', '/cloud/accounts', answer=page(ACCOUNTS)))
    assert cloud_account('Demo S3') == 'c1'


def test_cloud_accounts_are_listed_once_for_every_name(agent):
    agent.expect(Expect('GET', '/cloud/accounts', answer=ACCOUNTS))
    references = References(token_client())
    assert [references.require(CLOUD_ACCOUNT_LISTING, 'cloud_account', name) for name in ('Demo S3', 'Demo S3')] == ['c1', 'c1']
    with pytest.raises(ClickApiError, match="2 cloud accounts are named 'Twin'"):
        references.require(CLOUD_ACCOUNT_LISTING, 'cloud_account', 'Twin')


@pytest.mark.parametrize('name, message', [
    ('Demo', "no cloud account is named 'Demo'; the agent knows 'Demo S3', 'Twin', 'Twin'"),
    ('Gone', "no cloud account is named 'Gone'"),
    ('Twin', "2 cloud accounts are named 'Twin' \\(ids c2, c3\\); give cloud_account_id instead"),
])
def test_cloud_account_name_that_is_unknown_or_ambiguous_fails(agent, name, message):
    agent.expect(Expect('GET', '/cloud/accounts', answer=ACCOUNTS))
    with pytest.raises(ClickApiError, match=message):
        cloud_account(name)


# ---- input ----------------------------------------------------------------

def params(**overrides):
    base = dict(url=BASE_URL, token=TOKEN, username=None, password=None, timeout=30)
    base.update(overrides)
    return base


@pytest.mark.parametrize('overrides, fragment', [
    (dict(url='localhost:29123'), "url must be the agent's base URL"),
    (dict(url='ftp://localhost'), "url must be the agent's base URL"),
    (dict(url='http://localhost:29123/?token=x'), 'url must not carry a query string'),
    (dict(token=None), 'no credentials: set token'),
    (dict(token=None, username='u'), 'no credentials: set token'),
    (dict(timeout=0), 'timeout must be at least 1 second'),
])
def test_connection_problems(overrides, fragment):
    problems = connection_problems(params(**overrides))
    assert len(problems) == 1 and fragment in problems[0]


def test_good_connection_options_have_no_problems():
    assert connection_problems(params()) == []
    assert connection_problems(params(token=None, username='u', password='p')) == []


# ---- the HTTP function itself, against a local server ----------------------

class _Agent(http.server.BaseHTTPRequestHandler):
    """Answers /redirect with a 302 to another host, everything else with the request it saw."""

    def do_GET(self):  # noqa: N802 (the handler's naming)
        if self.path.startswith('/redirect'):
            self.send_response(302)
            self.send_header('Location', 'http://elsewhere.invalid/steal')
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        body = json.dumps({'path': self.path, 'origin': self.headers.get('X-App-Origin')}).encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_agent():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Agent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_requests_reach_the_agent_without_a_proxy_from_the_environment(local_agent, monkeypatch):
    monkeypatch.setenv('http_proxy', 'http://127.0.0.1:9')
    monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:9')
    client = ClickApiClient(local_agent, token=TOKEN)
    assert client.request('GET', '/x', {'a': 'b'}) == {'path': '/x?a=b&token=%s' % TOKEN, 'origin': 'ansible amove.click'}


def test_redirects_are_not_followed(local_agent):
    with pytest.raises(ClickApiError, match=r'^GET /redirect: HTTP 302$') as caught:
        ClickApiClient(local_agent, token=TOKEN).request('GET', '/redirect')
    assert TOKEN not in str(caught.value)


# ---- connection options from the environment -------------------------------

CONNECTION_VARIABLES = ('AMOVE_CLICK_URL', 'AMOVE_CLICK_TOKEN', 'AMOVE_CLICK_USERNAME',
                        'AMOVE_CLICK_PASSWORD', 'AMOVE_CLICK_USER_TYPE')


def connection_params(monkeypatch, environment, **args):
    """The connection options a module ends up with, given these variables and task arguments."""
    for name in CONNECTION_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with patch_module_args(args):
        return AnsibleModule(argument_spec=CONNECTION_ARGUMENT_SPEC).params


def test_empty_variables_count_as_unset(monkeypatch):
    # AWX injects '' for every credential field left empty.
    params = connection_params(monkeypatch, dict((name, '') for name in CONNECTION_VARIABLES))
    assert params['url'] == 'http://localhost:29123'
    assert params['user_type'] == 'desktop_admin'
    assert params['token'] is None and params['username'] is None and params['password'] is None


def test_variables_with_a_value_are_used(monkeypatch):
    params = connection_params(monkeypatch, {
        'AMOVE_CLICK_URL': 'http://127.0.0.1:29124', 'AMOVE_CLICK_TOKEN': TOKEN, 'AMOVE_CLICK_USERNAME': 'ann',
        'AMOVE_CLICK_PASSWORD': 'secret', 'AMOVE_CLICK_USER_TYPE': 'desktop_standard_user'})
    assert (params['url'], params['token'], params['username'], params['password'], params['user_type']) == (
        'http://127.0.0.1:29124', TOKEN, 'ann', 'secret', 'desktop_standard_user')


def test_task_arguments_win_over_variables(monkeypatch):
    params = connection_params(monkeypatch, {'AMOVE_CLICK_URL': 'http://127.0.0.1:29124',
                                             'AMOVE_CLICK_USER_TYPE': 'desktop_standard_user'},
                               url='http://127.0.0.1:29125', user_type='desktop_creative_user')
    assert (params['url'], params['user_type']) == ('http://127.0.0.1:29125', 'desktop_creative_user')


def test_a_module_run_with_empty_variables_uses_the_defaults(agent, capsys, monkeypatch):
    # The task names no connection option: the token comes from the environment,
    # the empty URL and user type mean the defaults (BASE_URL is the default URL).
    for name in CONNECTION_VARIABLES:
        monkeypatch.setenv(name, '')
    monkeypatch.setenv('AMOVE_CLICK_TOKEN', TOKEN)
    agent.expect(Expect('GET', DRIVES, {'page': 1, 'pagesize': 100}, answer=page([drive('Creative')])))
    with patch_module_args({'name': 'Creative'}):
        with pytest.raises(SystemExit):
            shared_cloud_drive_info.main()
    result = json.loads(capsys.readouterr().out)
    assert 'failed' not in result, result
    assert [found['name'] for found in result['shared_cloud_drives']] == ['Creative']


# ---- what the HTTP library says never reaches a message ---------------------

ENCODED_TOKEN = 'tok+en/with=='


def assert_token_hidden(text):
    assert ENCODED_TOKEN not in text and 'tok%2Ben%2Fwith%3D%3D' not in text


@pytest.fixture
def no_delays(monkeypatch):
    from ansible_collections.amove.click.plugins.module_utils import _client
    monkeypatch.setattr(_client, 'RETRY_DELAYS', (0, 0, 0))


def test_a_url_the_library_refuses_fails_in_fixed_words_without_the_token(local_agent, no_delays):
    with pytest.raises(TransientError) as caught:
        ClickApiClient(local_agent + '/ x', token=ENCODED_TOKEN).request('GET', DRIVES, {'name': 'a b'})
    assert_token_hidden(str(caught.value))
    assert str(caught.value).endswith('cannot reach the Amove agent at %s/ x; is the agent running?' % local_agent)


def test_a_non_ascii_url_is_an_error_not_a_crash(local_agent, no_delays):
    with pytest.raises(ClickApiError) as caught:
        ClickApiClient(local_agent + '/\u00e9', token=ENCODED_TOKEN).request('GET', DRIVES)
    assert_token_hidden(str(caught.value))


def test_https_to_an_agent_that_speaks_http_says_so(local_agent, no_delays):
    url = local_agent.replace('http:', 'https:')
    with pytest.raises(ClickApiError) as caught:
        ClickApiClient(url, token=ENCODED_TOKEN).request('GET', DRIVES)
    message = str(caught.value)
    assert 'is the agent running' not in message
    assert 'it answers plain HTTP, as an agent not set up for TLS does; use url %s' % local_agent in message
    assert_token_hidden(message)


def test_a_token_that_needs_encoding_reaches_the_agent_intact(local_agent):
    answer = ClickApiClient(local_agent, token=ENCODED_TOKEN).request('GET', '/x')
    assert answer['path'] == '/x?token=tok%2Ben%2Fwith%3D%3D'
