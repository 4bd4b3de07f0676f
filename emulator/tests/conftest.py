"""Fixtures that run the installed emulator (python -m amove_click_emulator) as a subprocess and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

import amove_click_emulator

# The package under test is the one this interpreter imports (installed, or on PYTHONPATH).  The
# emulator may run under another interpreter than the tests (e.g. the oldest supported Python):
# CLICK_EMULATOR_PYTHON names it, and it is given the same package through PYTHONPATH.
PACKAGE_PARENT = str(Path(amove_click_emulator.__file__).resolve().parents[1])
EMULATOR_PYTHON = os.environ.get("CLICK_EMULATOR_PYTHON", sys.executable)
EMULATOR = [EMULATOR_PYTHON, "-m", "amove_click_emulator"]
EMULATOR_ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [PACKAGE_PARENT, os.environ.get("PYTHONPATH")])))
SEED_FILE = Path(__file__).with_name("seed.json")
SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))

ADMIN_TOKEN = "emulator-api-token"
ALICE_TOKEN = "alice-api-token"
BOB_TOKEN = "bob-api-token"
ERIN_TOKEN = "erin-api-token"
DEMO_S3_ID = "3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c"
WASABI_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f2a3b4c5d"
RETIRED_AZURE_ID = "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"
PAUSED_GCS_ID = "5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a"
ACCOUNT_ID = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
ADMIN_ID = "0d9b8a7c-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
ALICE_ID = "a11ce000-0000-4000-8000-000000000001"
BOB_ID = "b0b00000-0000-4000-8000-000000000002"
DAVE_ID = "da7e0000-0000-4000-8000-000000000004"
ERIN_ID = "e412e000-0000-4000-8000-000000000005"
EDITORS_ID = "6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b"
VIEWERS_ID = "7f8a9b0c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"
OLD_TEAM_ID = "8a9b0c1d-2e3f-4a4b-9c5d-6e7f8a9b0c1d"
LAUNCH_PROJECT_ID = "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"
STUDIO_PROJECT_ID = "0c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f"
CANCELLED_PROJECT_ID = "1d2e3f4a-5b6c-4d7e-8f8a-9b0c1d2e3f4a"
MARKETING_ID = "d1000000-0000-4000-8000-000000000001"
ENGINEERING_ID = "d2000000-0000-4000-8000-000000000002"
LAUNCH_ASSETS_ID = "d3000000-0000-4000-8000-000000000003"
OLD_ARCHIVE_ID = "d4000000-0000-4000-8000-000000000004"
FINANCE_ID = "d5000000-0000-4000-8000-000000000005"
LIVE_SEEDED_DRIVES = ["Engineering", "Finance", "Launch Assets", "Marketing"]
SECRETS = ["seeded-secret-key-do-not-leak", "wasabi-secret-do-not-leak", "SEEDEDACCESSKEY", "admin-password", "alice-password"]

DRIVE_KEYS = {
    "id", "accountId", "creatorUserId", "cloudAccountId", "active", "name", "prefix", "prefixId", "storageId", "storageName",
    "objectsPerFolder", "allowDelete", "localCacheEncrypted", "cloudObjectsEncrypted", "driveType", "syncType", "deleted", "cloudAccount",
}
LISTENING = re.compile(r"^click-emulator: agent (\d+) listening on (http://\S+)$")

# Other test trees have their own conftest.py, so test modules import these
# helpers under a name of their own rather than as "conftest".
sys.modules.setdefault("emulator_testlib", sys.modules[__name__])


class EmulatorProcess:
    """One emulator subprocess; `urls` lists its agents' base URLs in order."""

    def __init__(self, *args: str, agents: int = 1, tmp_dir: Path | None = None):
        self.args = [*EMULATOR, *args]
        if "--port" not in args and "--ports" not in args:
            self.args += ["--port", "0"]
        self.stderr_path = (tmp_dir or Path("/tmp")) / f"click-emulator-{id(self)}.stderr"
        self.stderr_file = open(self.stderr_path, "w+", encoding="utf-8")  # pylint: disable=consider-using-with
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.stderr_file, text=True,  # pylint: disable=consider-using-with
                                     env=EMULATOR_ENV)
        watchdog = threading.Timer(15, self.proc.kill)  # never let a stuck start hang the suite
        watchdog.start()
        try:
            self.urls = [self.read_listening_line(index) for index in range(1, agents + 1)]
        finally:
            watchdog.cancel()
        self.wait_until_ready()

    def read_listening_line(self, index: int) -> str:
        line = self.proc.stdout.readline().strip()
        match = LISTENING.match(line)
        if not match or int(match.group(1)) != index:
            self.stop()
            raise RuntimeError(f"emulator did not start: {line!r}\n{self.stderr()}")
        return match.group(2)

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 10
        for url in self.urls:
            while True:
                try:
                    if requests.get(f"{url}/management/agent_status", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"emulator at {url} never answered")
                time.sleep(0.05)

    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def ports(self) -> list:
        return [int(url.rsplit(":", 1)[1]) for url in self.urls]

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8")

    def stop(self, sig=None) -> int:
        """Stop the process (SIGTERM by default) and return its exit code."""
        if self.proc.poll() is None:
            if sig is None:
                self.proc.terminate()
            else:
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.stderr_file.close()
        return self.proc.returncode


class Emu:
    """A small client for one agent of an emulator: API calls plus the control endpoints."""

    def __init__(self, url: str, process: EmulatorProcess | None = None):
        self.url = url
        self.process = process
        self.http = requests.Session()

    def call(self, method: str, path: str, token: str | None = ADMIN_TOKEN, params: dict | None = None, **kwargs) -> requests.Response:
        query = dict(params or {})
        if token is not None:
            query["token"] = token
        kwargs.setdefault("timeout", 10)
        return self.http.request(method, self.url + path, params=query, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.call("DELETE", path, **kwargs)

    # -- convenience --------------------------------------------------------

    def login(self, username: str = "admin@example.com", password: str = "admin-password", user_type: int = 16) -> requests.Response:
        return self.post("/authentication/login", token=None, json={"username": username, "password": password, "type": user_type})

    def insert_drive(self, name: str, token: str = ADMIN_TOKEN, **fields) -> dict:
        body = {"name": name, "cloudAccountId": DEMO_S3_ID, "storageName": "bucket"}
        body.update(fields)
        response = self.post("/sharedclouddrive/insert", token=token, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def drives(self, **params) -> dict:
        response = self.get("/sharedclouddrive/get_all", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def sync(self) -> list:
        assert self.post("/management/sync_shareddrive", token=None).status_code == 200
        response = self.get("/management/clouddrive", token=None)
        assert response.status_code == 200
        return response.json()

    def control(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, f"{self.url}/_emulator/{path}", timeout=10, **kwargs)

    def reset(self) -> None:
        assert self.control("POST", "reset").status_code == 200

    def log(self) -> list:
        return self.control("GET", "requests").json()

    def state(self) -> dict:
        return self.control("GET", "state").json()

    def settings(self, **changes) -> dict:
        response = self.control("PATCH", "settings", json=changes)
        assert response.status_code == 200, response.text
        return response.json()

    def agent(self, **changes) -> dict:
        response = self.control("PATCH", "agent", json=changes)
        assert response.status_code == 200, response.text
        return response.json()

    def fault(self, **spec) -> None:
        response = self.control("POST", "faults", json=spec)
        assert response.status_code == 200, response.text


def assert_api_error(response: requests.Response, code: str) -> str:
    """Check the full 499 shape and return the first message."""
    assert response.status_code == 499, (response.status_code, response.text)
    assert response.headers["error-code"] == code
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] == code
    assert body["status"] == 499
    assert list(body["errors"]) == [code]
    messages = body["errors"][code]
    assert messages and all(isinstance(message, str) and message for message in messages)
    return messages[0]


def assert_no_body(response: requests.Response, status: int) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.content == b""


def find_free_port_block(count: int) -> int:
    """A base port with `count` consecutive free ports (best effort; callers retry on a race)."""
    for _attempt in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count > 65535:
            continue
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports found")


@pytest.fixture(scope="session")
def log_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("emulator") / "requests.jsonl"


@pytest.fixture(scope="session")
def emulator_process(tmp_path_factory, log_file):
    process = EmulatorProcess("--seed", str(SEED_FILE), "--log-file", str(log_file), tmp_dir=tmp_path_factory.mktemp("stderr"))
    yield process
    process.stop()


@pytest.fixture
def emu(emulator_process) -> Emu:
    """The seeded single agent, reset to its seed before each test."""
    client = Emu(emulator_process.url, emulator_process)
    client.reset()
    return client


@pytest.fixture
def start_emulator(tmp_path):
    """Start extra emulator processes for one test; all are stopped afterwards."""
    started = []

    def start(*args: str, agents: int = 1) -> EmulatorProcess:
        process = EmulatorProcess(*args, agents=agents, tmp_dir=tmp_path)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
