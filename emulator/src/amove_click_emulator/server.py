"""The HTTP side: one threaded server per agent port, each request to the request log, a fault, or a route.

A request goes: ClickRequestHandler.serve -> a control endpoint (/_emulator/...)
or serve_api -> a pending fault, else routing.dispatch_api -> the controller ->
the store.  `start` builds a whole running emulator: seed, store, agents.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from urllib.parse import parse_qs, urlsplit

# Importing the controllers registers every route.
from . import controllers  # noqa: F401  pylint: disable=unused-import
from .common import NO_BODY, Reply
from .control import SETTING_CHECKS, Emulator, dispatch_control
from .faults import FaultTable, RequestLog
from .routing import ApiRequest, dispatch_api
from .seed import SeedError, build_seed, validate_drive_health
from .store import ClickStore


class ClickRequestHandler(BaseHTTPRequestHandler):
    """Turns HTTP/1.1 requests into API or control dispatches."""

    protocol_version = "HTTP/1.1"
    server_version = "ClickEmulator/1.0"
    sys_version = ""
    replied = False  # set once a response (or a deliberate drop) has started
    disable_nagle_algorithm = True  # headers and body go out in separate writes; avoid delayed-ACK stalls on keep-alive

    def do_GET(self):
        """Every method goes through one dispatcher (so unknown methods get 404/405)."""
        self.serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_request(self, code="-", size="-"):
        """Requests are logged in the request log, not on stderr."""

    def version_string(self):
        """The Server header, without the Python version."""
        return self.server_version

    def serve(self):
        """Read the request, answer it; an unexpected error is a 500 without a body."""
        self.replied = False
        try:
            split = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
            try:
                body = self.read_body()
            except ValueError:
                self.close_connection = True
                self.send_reply(Reply(400))
                return
            if split.path == "/_emulator" or split.path.startswith("/_emulator/"):
                self.send_reply(dispatch_control(self.server.emulator, self.server.port, self.command, split.path, body))
            else:
                self.serve_api(split.path, query, body)
        except ConnectionError:
            self.close_connection = True  # the client went away; nothing left to answer
        except Exception:  # pylint: disable=broad-exception-caught
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            if not self.replied:
                self.send_reply(Reply(500))

    def serve_api(self, path: str, query: dict, body: bytes) -> None:
        """Apply a pending fault, else dispatch; log before answering so the log is never behind."""
        emulator = self.server.emulator
        port = self.server.port
        seq = emulator.log.next_seq()
        fault = emulator.faults.take(self.command, path, port)
        action = fault["action"] if fault else None
        if action == "drop":
            emulator.log.record(seq, port, self.command, path, query, 0)
            self.drop_connection()
            return
        if action == "delay":
            time.sleep(fault["seconds"])
        if action == "error":
            reply = Reply(fault["status"])
        else:
            request = ApiRequest(emulator.store, port, query, self.headers, body)
            try:
                reply = dispatch_api(emulator.store, self.command, path, request, inject_exception=action == "exception")
            except Exception:  # pylint: disable=broad-exception-caught
                traceback.print_exc(file=sys.stderr)
                reply = Reply(500)
        emulator.log.record(seq, port, self.command, path, query, reply.status)
        self.send_reply(reply)

    def read_body(self) -> bytes:
        """The request body, by Content-Length or chunked; ValueError when malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(65537).split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length)

    def send_reply(self, reply: Reply) -> None:
        """Write status, headers and the JSON body (Content-Length always set)."""
        payload = b"" if reply.body is NO_BODY else json.dumps(reply.body).encode("utf-8")
        self.replied = True
        self.send_response(reply.status)
        if reply.body is not NO_BODY:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def drop_connection(self) -> None:
        """Close the socket without writing a single byte."""
        self.replied = True
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class AgentServer(ThreadingHTTPServer):
    """The HTTP server of one emulated agent (one port)."""

    daemon_threads = True

    def __init__(self, host: str, port: int):
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), ClickRequestHandler)
        self.port = self.server_address[1]
        self.emulator = None

    def server_bind(self):
        """Bind without HTTPServer's reverse DNS lookup, which can stall start-up."""
        TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]


def open_servers(host: str, ports: list) -> list:
    """Bind one server per agent port; on failure close what was opened and raise OSError."""
    servers = []
    try:
        for port in ports:
            servers.append(AgentServer(host, port))
    except OSError as err:
        for server in servers:
            server.server_close()
        raise OSError(f"cannot listen on {host}:{ports[len(servers)]}: {err}") from None
    return servers


def _knock(server) -> None:
    """Open and close a connection to the server's port."""
    host = server.server_address[0]
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        socket.create_connection((host, server.port), timeout=0.5).close()
    except OSError:
        pass


class RunningEmulator:
    """Agents that listen and answer from threads of this process, until `stop`."""

    def __init__(self, emulator: Emulator, servers: list, host: str):
        self.emulator = emulator
        self.servers = servers
        url_host = f"[{host}]" if ":" in host else host
        self.urls = [f"http://{url_host}:{server.port}" for server in servers]
        for index, server in enumerate(servers, 1):
            server.emulator = emulator
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"agent-{index}", daemon=True).start()

    @property
    def url(self) -> str:
        """The first agent's base URL."""
        return self.urls[0]

    def stop(self) -> None:
        """Stop serving and close every port."""
        for server in self.servers:
            stopping = threading.Thread(target=server.shutdown)
            stopping.start()
            while stopping.is_alive():
                # serve_forever sees the shutdown at its next poll (0.1 s) or connection: a connection makes it now.
                _knock(server)
                stopping.join(0.01)
            server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start(host: str = "127.0.0.1", ports=(0,), seed_file: str | None = None, admin_user: str | None = None,
          admin_password: str | None = None, api_token: str | None = None, settings: dict | None = None,
          log_file: str | None = None, faults: list = (), drive_health: list = (), users_only: bool = False) -> RunningEmulator:
    """Start an emulator: one agent per port (0: any free port), the seed file's account (None: the built-in one).

    `settings` may set show_deleted, max_page_size, max_sessions, older_agent, invalid_keys and drive_quota
    (else the seed's); `faults` are fault specs queued from the start; `drive_health` are
    drive healths ({"agent": 1, "drive": "Marketing", "filesWithErrors": 3}) kept across
    resets; `users_only` keeps only the seed's users, tokens, agents and plan (an empty
    account with the same users).  A seed shipped with the package is
    `seed_file=seed_preset("agency")`.  Raises ValueError for a bad setting, fault or drive health, SeedError for a
    bad seed and OSError when a port cannot be bound (nothing is left open then).
    """
    for key, value in (settings or {}).items():
        if key not in SETTING_CHECKS or not SETTING_CHECKS[key][0](value):
            raise ValueError(f"setting {key}: " + (f"must be {SETTING_CHECKS[key][1]}" if key in SETTING_CHECKS else "unknown"))
    health = [validate_drive_health(spec) for spec in drive_health]
    if any(spec["agent"] > len(ports) for spec in health):
        raise ValueError(f"drive health: there are only {len(ports)} agents")
    seed = build_seed(seed_file, admin_user, admin_password, api_token, health, users_only)
    fault_table = FaultTable()
    for spec in faults:
        fault_table.add(spec)
    settings = dict({"show_deleted": False, "max_page_size": 100, "max_sessions": 10, "older_agent": False, "invalid_keys": []},
                    **(settings or {}))
    servers = open_servers(host, list(ports))
    try:
        store = ClickStore(seed, settings, [server.port for server in servers])
    except SeedError:
        for server in servers:
            server.server_close()
        raise
    return RunningEmulator(Emulator(store, RequestLog(log_file), fault_table), servers, host)
