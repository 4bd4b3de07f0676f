"""Agents that answer every request the same way, repeating its URL (the token's query string included).

Usage: python hostile_agent.py   (prints "refusing PORT" and "redirecting PORT", then serves until SIGTERM)

- refusing: HTTP 499 with error code GLOBAL, and an error message that quotes
  the request's method and URL, as a careless agent might;
- redirecting: HTTP 307 to the same path and query string on another port,
  where nothing listens, so the Location header carries the token.

The worst an agent can do with what it was sent: whatever it repeats must not
show in any output or result. Standard library only.
"""

from __future__ import annotations

import json
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Refusing(BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({'type': 'GLOBAL', 'status': 499,
                           'errors': {'GLOBAL': ['cannot serve %s %s' % (self.command, self.path)]}}).encode()
        self.send_response(499, 'Error')
        self.send_header('Content-Type', 'application/problem+json')
        self.send_header('error-code', 'GLOBAL')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = answer

    def log_message(self, *_args):
        pass


class Redirecting(Refusing):
    elsewhere = 'http://127.0.0.1:%d' % closed_port()

    def answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)
        self.send_response(307)
        self.send_header('Location', self.elsewhere + self.path)
        self.send_header('Content-Length', '0')
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = answer


def main():
    servers = [('refusing', ThreadingHTTPServer(('127.0.0.1', 0), Refusing)),
               ('redirecting', ThreadingHTTPServer(('127.0.0.1', 0), Redirecting))]
    for name, server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True).start()
        print('%s %d' % (name, server.server_address[1]), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass
    for _name, server in servers:
        server.shutdown()
    return 0


if __name__ == '__main__':
    sys.exit(main())
