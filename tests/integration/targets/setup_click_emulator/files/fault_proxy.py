"""A fault-injecting HTTP proxy in front of the Click API emulator, for tests.

It forwards every request to the emulator, except those that match a fault:

  drop          close the connection without forwarding: the write never lands
  lose_answer   forward, then close the connection without answering: the write
                landed, its answer is lost
  hold          answer nothing and keep the request until the client gave up;
                forward it when the next request of the same method and path
                arrives, before it ("land": "before_retry", the default) or
                after it was answered ("land": "after_retry"); or when
                POST /_proxy/flush is called
  reshape       forward, then answer `status` (default 200) with `body` (any
                JSON) instead of the agent's answer: an answer of the wrong shape
  truncate      forward, then answer the agent's status line and headers and
                half of its body, and close the connection: the body breaks off
                after the status line (the request landed)

Faults are JSON objects {"method", "path", "action", "count", "land", "status",
"body"}; "path" is required and matched without the query string, "method"
matches any when left out, "count" (default 1) is how many matching requests
the fault takes.

Control routes (never forwarded):
  POST /_proxy/faults     add a fault or a list of faults
  DELETE /_proxy/faults   drop every pending fault and flush held requests
  GET /_proxy/faults      the pending faults
  POST /_proxy/flush      forward every held request now
  GET /_proxy/requests    what the proxy saw: [{method, path, fault}] (no query:
                          it holds the token)

Usage: python fault_proxy.py --upstream http://127.0.0.1:PORT [--port N] [--tls]
(prints the port it listens on). With --tls it serves https with a
certificate of its own that no client trusts (made with the cryptography
package, which ansible-core requires); otherwise Python standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ACTIONS = ('drop', 'lose_answer', 'hold', 'reshape', 'truncate')
FORWARDED_HEADERS = ('Content-Type', 'Accept', 'X-App-Origin')


class Held:
    """A request kept back by a hold fault, and when to let it land."""

    def __init__(self, method, target, path, headers, body, land):
        self.method = method
        self.target = target
        self.path = path
        self.headers = headers
        self.body = body
        self.land = land


class FaultProxy:
    """The proxy's state: upstream, faults, held requests, and what it saw."""

    def __init__(self, upstream):
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port or 80)
        self.lock = threading.Lock()
        self.faults = []
        self.held = []
        self.seen = []

    # ---- faults --------------------------------------------------------

    def add(self, spec):
        if not isinstance(spec, dict) or not isinstance(spec.get('path'), str) or spec.get('action') not in ACTIONS:
            raise ValueError('a fault needs a path and an action of %s' % ', '.join(ACTIONS))
        fault = dict(method=None, count=1, land='before_retry', status=200, body=None)
        fault.update(spec)
        if fault['method']:
            fault['method'] = fault['method'].upper()
        with self.lock:
            self.faults.append(fault)

    def take(self, method, path):
        with self.lock:
            for fault in self.faults:
                if fault['path'] == path and fault['method'] in (None, method):
                    fault['count'] -= 1
                    if fault['count'] <= 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    def clear(self):
        with self.lock:
            self.faults = []
        self.flush()

    # ---- held requests -------------------------------------------------

    def due(self, method, path, when):
        """Take the held requests that land now, around a request of this method and path."""
        with self.lock:
            ready = [held for held in self.held if (held.method, held.path, held.land) == (method, path, when)]
            self.held = [held for held in self.held if held not in ready]
        return ready

    def flush(self):
        with self.lock:
            ready, self.held = self.held, []
        for held in ready:
            self.forward(held.method, held.target, held.headers, held.body)

    # ---- forwarding ----------------------------------------------------

    def forward(self, method, target, headers, body):
        """Send one request upstream; return (status, headers, body)."""
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (the handler's naming)
        self.serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    @property
    def proxy(self):
        return self.server.proxy

    def serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        path = urlsplit(self.path).path
        if path.startswith('/_proxy/'):
            self.control(path, body)
            return
        headers = dict((name, self.headers[name]) for name in FORWARDED_HEADERS if self.headers.get(name))
        fault = self.proxy.take(self.command, path)
        action = fault['action'] if fault else None
        with self.proxy.lock:
            self.proxy.seen.append({'method': self.command, 'path': path, 'fault': action})
        for held in self.proxy.due(self.command, path, 'before_retry'):
            self.proxy.forward(held.method, held.target, held.headers, held.body)
        try:
            if action == 'drop':
                self.drop()
            elif action == 'hold':
                with self.proxy.lock:
                    self.proxy.held.append(Held(self.command, self.path, path, headers, body, fault['land']))
                self.drop(wait=True)
            else:
                status, answer_headers, answer = self.proxy.forward(self.command, self.path, headers, body)
                if action == 'lose_answer':
                    self.drop()
                elif action == 'truncate':
                    self.answer(status, answer_headers, answer, cut=True)
                elif action == 'reshape':
                    self.answer(fault['status'], [('Content-Type', 'application/json')],
                                json.dumps(fault['body']).encode())
                else:
                    self.answer(status, answer_headers, answer)
        finally:
            if action != 'hold':  # not on the held request itself, when its client gave up
                for held in self.proxy.due(self.command, path, 'after_retry'):
                    self.proxy.forward(held.method, held.target, held.headers, held.body)

    def answer(self, status, headers, body, cut=False):
        """Answer; with `cut`, only half of the body, then close the connection."""
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ('content-length', 'connection', 'transfer-encoding', 'date', 'server'):
                self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if cut:
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.drop()
            return
        self.wfile.write(body)

    def drop(self, wait=False):
        """Close without a byte of answer; with `wait`, only once the client gave up (it closes first)."""
        self.close_connection = True
        if wait:
            self.connection.settimeout(60)
            try:
                while self.connection.recv(1024):
                    pass
            except OSError:
                pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def control(self, path, body):
        proxy = self.proxy
        try:
            if (self.command, path) == ('POST', '/_proxy/faults'):
                specs = json.loads(body.decode() or 'null')
                for spec in specs if isinstance(specs, list) else [specs]:
                    proxy.add(spec)
                reply = {'pending': len(proxy.faults)}
            elif (self.command, path) == ('DELETE', '/_proxy/faults'):
                proxy.clear()
                reply = {'pending': 0}
            elif (self.command, path) == ('GET', '/_proxy/faults'):
                with proxy.lock:
                    reply = [dict(fault) for fault in proxy.faults]
            elif (self.command, path) == ('POST', '/_proxy/flush'):
                proxy.flush()
                reply = {'held': 0}
            elif (self.command, path) == ('GET', '/_proxy/requests'):
                with proxy.lock:
                    reply = list(proxy.seen)
            elif (self.command, path) == ('DELETE', '/_proxy/requests'):
                with proxy.lock:
                    proxy.seen = []
                reply = {}
            else:
                self.answer(404, [('Content-Type', 'application/json')], b'{"error": "unknown control route"}')
                return
        except ValueError as error:
            self.answer(400, [('Content-Type', 'application/json')], json.dumps({'error': str(error)}).encode())
            return
        self.answer(200, [('Content-Type', 'application/json')], json.dumps(reply).encode())


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream, port=0, host='127.0.0.1', tls=False):
        super().__init__((host, port), ProxyHandler)
        self.proxy = FaultProxy(upstream)
        self.port = self.server_address[1]
        if tls:
            self.socket = untrusted_tls_context(host).wrap_socket(self.socket, server_side=True)


def untrusted_tls_context(host):
    """A server TLS context with a fresh self-signed certificate for `host` (an IP address), which no client trusts."""
    # pylint: disable=import-outside-toplevel
    import datetime
    import ipaddress
    import ssl
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
                   .sign(key, hashes.SHA256()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as directory:
        path = directory + '/server.pem'
        with open(path, 'wb') as pem:
            pem.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
            pem.write(certificate.public_bytes(serialization.Encoding.PEM))
        context.load_cert_chain(path)
    return context


def start(upstream, port=0, tls=False):
    """Serve in a thread of this process; returns the server (call shutdown() when done)."""
    server = ProxyServer(upstream, port, tls=tls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description='Fault-injecting HTTP proxy in front of the Click API emulator.')
    parser.add_argument('--upstream', required=True, help='base URL of the emulator, such as http://127.0.0.1:29123')
    parser.add_argument('--port', type=int, default=0, help='port to listen on (default: a free one)')
    parser.add_argument('--tls', action='store_true', help='serve https with a certificate no client trusts')
    args = parser.parse_args(argv)
    server = ProxyServer(args.upstream, args.port, tls=args.tls)
    print(server.port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
