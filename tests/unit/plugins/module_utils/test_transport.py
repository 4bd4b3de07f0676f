# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module path's transport: one request with the standard library."""

from __future__ import annotations

import ssl

from ansible_collections.amove.click.plugins.module_utils._transport import urllib_transport


def test_an_http_request_reads_no_ca_store(emulator, monkeypatch):
    """The system's CA store is read for https only: Python 3.12 and later would read it for every request (20 ms)."""
    def read(_context):
        raise AssertionError('the CA store was read for an http request')
    monkeypatch.setattr(ssl.SSLContext, 'set_default_verify_paths', read)
    status, headers, body = urllib_transport('GET', emulator.url + '/management/agent_status', {}, None, 5, True)
    assert status == 200 and headers['content-type'].startswith('application/json') and body
