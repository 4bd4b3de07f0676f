# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A misbehaving agent, on every path (tests/unit/emulated.py): the cases of the integration target reliability
that need no playbook.

The modules reach the emulator through the fault proxy of the integration tests
(setup_click_emulator/files/fault_proxy.py), run in this process: it loses
answers, holds writes until they land late, drops connections, cuts bodies short
and answers with the wrong shape, for uri's real main() and the win_uri double as
for the module's own requests. Each case acts, then proves the outcome out of
band from the emulator's store and request log. The target keeps what needs a
playbook and real time: an insert landing late before the retry and
shared_cloud_drive_set through a lost insert and a late delete (the real timeout
of a remote execution), logins through faults in a loop (no password in the
-vvvv output), and an agent nobody listens for, retried with the real pauses.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from ansible_collections.amove.click.tests.unit.emulated import paths, start_proxy, stop_proxy, writes

DEMO_S3 = '3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c'
INSERT = {'method': 'POST', 'path': '/sharedclouddrive/insert'}
UPDATE = {'method': 'PUT', 'path': '/sharedclouddrive/update'}
DELETE = {'method': 'DELETE', 'path': '/sharedclouddrive/delete'}
LISTING = {'method': 'GET', 'path': '/sharedclouddrive/get_all'}
GRANT = {'method': 'POST', 'path': '/userspermission/users_sharedclouddrive_permision'}
PASSWORDS = ('admin-password', 'alice-password')


class Proxied:
    """The fault proxy in front of the emulator, and what the target's tasks/state.yml reads through it."""

    def __init__(self, server, emulator):
        self.server = server
        self.emulator = emulator
        self.url = 'http://127.0.0.1:%d' % server.port
        self.forwarded = 0
        self.counting = threading.Lock()
        forward = server.proxy.forward

        def counted(*args):
            try:
                return forward(*args)
            finally:
                with self.counting:
                    self.forwarded += 1
        server.proxy.forward = counted

    def faults(self, *specs):
        """Queue faults, as tasks/faults.yml does."""
        for spec in specs:
            self.server.proxy.add(spec)

    def settle(self):
        """Let held requests land; then (live drives, requests, writes) since the last settle. Every queued fault was met."""
        proxy = self.server.proxy
        pending = [dict(fault) for fault in proxy.faults]
        proxy.clear()
        assert pending == [], 'faults never met: %r' % pending
        # A request held until after the retry lands from the retry's thread once the retry was answered: wait for it.
        with proxy.lock:
            landing = len([request for request in proxy.seen if request['fault'] != 'drop'])
        deadline = time.monotonic() + 10
        while self.forwarded < landing:
            assert time.monotonic() < deadline, 'held requests never landed'
            time.sleep(0.01)
        requests = self.emulator.take_requests()
        return self.emulator.live(), requests, writes(requests)


@pytest.fixture
def proxied(emulator, desktop, fault_proxy):
    """The desktop's tasks reach the emulator through the fault proxy."""
    # The target's module_defaults: through the proxy, and a held request costs 1 s.
    desktop.connection.update(url='http://127.0.0.1:%d' % fault_proxy.port, timeout=1)
    return Proxied(fault_proxy, emulator)


def create(desktop, name, storage_name, **args):
    return desktop.run('shared_cloud_drive', name=name, cloud_account_id=DEMO_S3, storage_name=storage_name, **args)


def no_password(result):
    shown = json.dumps(result, default=str)
    assert not [password for password in PASSWORDS if password in shown], shown


# ---- writes whose answer is lost, or that land late ------------------------------------------------------

def test_an_insert_whose_answer_is_lost_is_found_and_adopted(proxied, desktop):
    """The insert lands but its answer is lost: the look finds the drive and adopts it; no second insert."""
    proxied.faults(dict(INSERT, action='lose_answer'))
    lost_insert = create(desktop, 'Lost', 'lost')
    drives, _requests, written = proxied.settle()
    assert lost_insert['changed'] and not lost_insert['failed']
    assert [drive['name'] for drive in drives] == ['Lost']
    assert lost_insert['shared_cloud_drive']['id'] == drives[0]['id']
    assert paths(written) == ['/sharedclouddrive/insert']


def test_an_insert_landing_after_the_retry_leaves_one_drive(proxied, desktop):
    """The first insert is held until the retry was answered: one drive, adopted; the late insert is refused DUPLICATE."""
    proxied.faults(dict(INSERT, action='hold', land='after_retry'))
    late_after = create(desktop, 'Later', 'later')
    drives, _requests, written = proxied.settle()
    assert late_after['changed'] and not late_after['failed']
    assert [drive['name'] for drive in drives] == ['Later']
    assert late_after['shared_cloud_drive']['id'] == drives[0]['id']
    assert [write['status'] for write in written] == [200, 499]


def test_a_delete_landing_before_the_retry_is_verified_by_a_read(proxied, desktop):
    """The first delete is held and lands as the retry comes: the retry's "not found" is checked by a read, and the
    delete is reported done."""
    create(desktop, 'Later', 'later')
    proxied.settle()
    proxied.faults(dict(DELETE, action='hold'))
    late_delete = desktop.run('shared_cloud_drive', name='Later', state='absent')
    drives, _requests, written = proxied.settle()
    assert late_delete['changed'] and not late_delete['failed']
    assert drives == []
    assert [write['status'] for write in written] == [200, 499]


def test_a_dropped_insert_and_an_update_whose_answer_is_lost_each_land_once(proxied, desktop):
    """An insert whose connection drops before it is forwarded is made again; an update whose answer is lost is
    verified, not repeated: one insert and one update landed."""
    proxied.faults(dict(INSERT, action='drop'))
    dropped_insert = create(desktop, 'Dropped', 'dropped')
    proxied.faults(dict(UPDATE, action='lose_answer'))
    lost_update = desktop.run('shared_cloud_drive', name='Dropped', allow_delete=True)
    drives, _requests, written = proxied.settle()
    assert dropped_insert['changed'] and lost_update['changed']
    assert not dropped_insert['failed'] and not lost_update['failed']
    assert lost_update['shared_cloud_drive']['allow_delete'] is True
    assert len(drives) == 1 and drives[0]['allowDelete'] is True
    assert paths(written) == ['/sharedclouddrive/insert', '/sharedclouddrive/update']


def test_an_access_write_whose_answer_is_lost_is_adopted(proxied, desktop):
    """The grant lands but its answer is lost: alice has the drive once, as asked, and the grant was not repeated."""
    create(desktop, 'Dropped', 'dropped')
    proxied.settle()
    proxied.faults(dict(GRANT, action='lose_answer'))
    lost_grant = desktop.run('shared_cloud_drive', name='Dropped', users=[{'name': 'alice@example.com', 'permission': 'read_write'}])
    _drives, _requests, written = proxied.settle()
    permissions = proxied.emulator.state()['user_permissions']
    assert lost_grant['changed'] and not lost_grant['failed']
    assert lost_grant['shared_cloud_drive']['users'] == [{'name': 'alice@example.com', 'permission': 'read_write'}]
    assert len(permissions) == 1 and permissions[0]['permissionType'] == 2
    assert paths(written) == ['/userspermission/users_sharedclouddrive_permision']


# ---- answers of the wrong shape ---------------------------------------------------------------------------

def test_answers_of_the_wrong_shape_fail_clearly_and_a_second_run_finds_the_drive(proxied, desktop):
    """A listing of strings fails with what was wrong, and the session it opened is closed (one logout); an insert
    answered with a string (it landed) fails the same way, and the same task again finds the drive."""
    create(desktop, 'Set one', 'set-one')
    proxied.settle()
    proxied.faults(dict(LISTING, action='reshape', body={'data': ['Set one'], 'total': 1}))
    wrong_listing = desktop.run('shared_cloud_drive', name='Set one', token='', username='admin@example.com',
                                password='admin-password')
    proxied.faults(dict(INSERT, action='reshape', body='created'))
    wrong_insert = create(desktop, 'Shape', 'shape')
    insert_again = create(desktop, 'Shape', 'shape')
    drives, requests, _writes = proxied.settle()
    no_password(wrong_listing)
    assert wrong_listing['failed']
    assert wrong_listing['msg'] == 'unexpected answer from GET /sharedclouddrive/get_all: item 0 is a string, not an object'
    assert proxied.emulator.state()['sessions']['count'] == 0
    assert paths(requests).count('/authentication/logout') == 1
    assert wrong_insert['failed']
    assert wrong_insert['msg'] == 'unexpected answer from POST /sharedclouddrive/insert: item 0 is a string, not an object'
    assert not insert_again['changed'] and not insert_again['failed']
    assert sorted(drive['name'] for drive in drives) == ['Set one', 'Shape']


# ---- honest checks ----------------------------------------------------------------------------------------

def test_refusals_fail_before_any_write_saying_what_to_do(proxied, desktop):
    """A cloud account id the agent does not know (in check mode), a list over the plan's drive quota, a creative user
    who may not write, and a user who does not exist: each fails with the fix, and the only write is the creative
    user's insert, refused by the agent."""
    unknown_account = desktop.run('shared_cloud_drive', check=True, name='Nowhere',
                                  cloud_account_id='3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11', storage_name='nowhere')
    proxied.emulator.settings(drive_quota=3)
    over_quota = desktop.run('shared_cloud_drive_set', drives=[
        {'name': name, 'cloud_account_id': DEMO_S3, 'storage_name': 'quota'} for name in ('Q1', 'Q2', 'Q3', 'Q4')])
    not_admin = create(desktop, 'Creative', 'creative', token='', username='alice@example.com', password='alice-password',
                       user_type='desktop_creative_user')
    unknown_user = create(desktop, 'Named', 'named', users=[{'name': 'alice@example.org'}])
    drives, _requests, written = proxied.settle()
    no_password(not_admin)
    assert unknown_account['failed']
    assert 'no cloud account of the agent has this id' in unknown_account['msg']
    assert over_quota['failed']
    assert 'the account may have 3 more shared cloud drives' in over_quota['msg']
    assert 'this list creates 4' in over_quota['msg']
    assert not_admin['failed']
    assert 'desktop_creative_user (user type 32)' in not_admin['msg']
    assert 'needs a desktop_admin' in not_admin['msg']
    assert unknown_user['failed']
    assert "did you mean 'alice@example.com'" in unknown_user['msg']
    assert drives == []
    assert [write['status'] for write in written if not write['path'].startswith('/authentication/')] == [499]


# ---- hostile input, refused before any request ------------------------------------------------------------

def test_hostile_input_is_refused_with_the_fix_before_any_request(proxied, desktop):
    """A URL with a space or with a user name and password, a boolean for a number, and https to an agent that speaks
    HTTP: each refused with the fix, and nothing reached the agent."""
    url_space = desktop.run('shared_cloud_drive', name='Input', url=proxied.url + '/ x')
    url_userinfo = desktop.run('shared_cloud_drive', name='Input', url=proxied.url.replace('http://', 'http://admin:admin-password@'))
    boolean_number = desktop.run('shared_cloud_drive', name='Input', objects_per_folder=True)
    https_to_http = desktop.run('shared_cloud_drive', name='Input', url=proxied.url.replace('http://', 'https://'))
    _drives, requests, _writes = proxied.settle()
    no_password(url_userinfo)
    assert url_space['failed']
    assert 'url must be printable ASCII without spaces' in url_space['msg']
    assert url_userinfo['failed']
    assert 'url must not carry a user name or password' in url_userinfo['msg']
    assert boolean_number['failed']
    assert 'objects_per_folder must be a whole number, got the boolean true' in boolean_number['msg']
    assert https_to_http['failed']
    assert 'it answers plain HTTP, as an agent not set up for TLS does; use url ' + proxied.url in https_to_http['msg']
    assert 'is the agent running' not in https_to_http['msg']
    assert requests == []


# ---- no answer: each failure named as on the module path --------------------------------------------------

def test_an_unknown_host_and_an_untrusted_certificate_fail_in_the_module_paths_words(proxied, desktop):
    """A host name that does not resolve, and an agent whose certificate nobody trusts, fail with the same words on every
    path; the same agent read without validating its certificate answers."""
    no_answer_name = desktop.run('shared_cloud_drive_info', url='http://no-such-desktop.invalid:29123')
    tls = start_proxy(proxied.emulator.url, tls=True)
    try:
        tls_url = 'https://127.0.0.1:%d' % tls.port
        no_answer_certificate = desktop.run('shared_cloud_drive_info', url=tls_url)
        certificate_not_validated = desktop.run('shared_cloud_drive_info', url=tls_url, validate_certs=False)
    finally:
        stop_proxy(tls)
    assert no_answer_name['failed']
    assert no_answer_name['msg'] == ('GET /sharedclouddrive/get_all: cannot reach the Amove agent at '
                                     'http://no-such-desktop.invalid:29123 (host name not found); is the agent running?')
    assert no_answer_certificate['failed']
    assert no_answer_certificate['msg'] == ('GET /sharedclouddrive/get_all: the certificate of the Amove agent at %s is not '
                                            'trusted; trust its CA, or set validate_certs to false' % tls_url)
    assert not certificate_not_validated['failed']


# ---- a body that breaks off after the status line ---------------------------------------------------------

def test_a_body_cut_short_is_retried_or_verified_never_taken_for_an_answer(proxied, desktop):
    """A listing whose body breaks off is read again, never taken for an empty answer; an insert whose body breaks off
    (it landed) is found by the look and adopted, not repeated."""
    proxied.faults(dict(LISTING, action='truncate'))
    broken_read = desktop.run('shared_cloud_drive_info')
    _drives, requests, _writes = proxied.settle()
    assert not broken_read['failed']
    assert broken_read['shared_cloud_drives'] == []
    assert paths(requests) == ['/sharedclouddrive/get_all', '/sharedclouddrive/get_all']

    proxied.faults(dict(INSERT, action='truncate'))
    broken_insert = create(desktop, 'Cut', 'cut')
    drives, _requests, written = proxied.settle()
    assert broken_insert['changed'] and not broken_insert['failed']
    assert [drive['name'] for drive in drives] == ['Cut']
    assert broken_insert['shared_cloud_drive']['id'] == drives[0]['id']
    assert paths(written) == ['/sharedclouddrive/insert']
