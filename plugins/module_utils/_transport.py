# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How a request reaches the agent on the module path: one HTTP request with the standard library.

PRIVATE to the amove.click collection: its interface may change in any release.

The client (_client.py) calls a transport as transport(method, url, headers,
body, timeout, validate_certs) and gets (status, headers with lower-case names,
body bytes) for any HTTP status, or a TransportError when no HTTP answer came.
This is the transport of a module on the desktop; the controller path's is
plugin_utils/_click_action.DesktopTransport (uri or win_uri on the desktop).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.error
import urllib.request


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
    if url.startswith('https:'):
        context = ssl.create_default_context()
        if not validate_certs:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    else:
        # Unused for http, yet Python 3.12 and later would make one for the opener and read the system's CA store
        # into it (20 ms a request): this one is made empty, and trusts nothing.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    handlers = [urllib.request.ProxyHandler({}), _RefuseRedirects(), urllib.request.HTTPSHandler(context=context)]
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
