"""pytest plugin (entry point ``pytest11``): fixtures that give a test a running Click API emulator.

Installed with the package, it offers:

* ``click_emulator``: the emulator of this test session, reset to its seed before
  each test (a fresh account, empty request log, no faults).
* ``click_emulator_factory``: starts emulators of a test's own (a seed, several
  agents, settings); each is stopped when the test ends.

Both give a `ClickEmulator`: its ``url``/``urls``, its API ``token``, the request
log, fault injection, settings, the agents' local state and the whole store.
The options ``--click-emulator-seed`` (or the ini key ``click_emulator_seed``)
and ``--click-emulator-agents`` shape the session's emulator.
"""

from __future__ import annotations

import json
import os
import ssl
import urllib.error
import urllib.request

import pytest

from .seed import DEFAULT_API_TOKEN
from .server import start


def _opener_for(url: str):
    """urlopen's opener; for http, without the TLS context Python 3.12 and later fill with the system's CAs (20 ms a call)."""
    context = None if url.startswith("https:") else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))


class ClickEmulator:
    """A running emulator as a test sees it; every method talks to its control endpoints over HTTP.

    `ClickEmulator(urls, token)` also works for an emulator started elsewhere
    (for example by the ``amove-click-emulator`` command).
    """

    def __init__(self, urls: list, token: str = DEFAULT_API_TOKEN):
        self.urls = list(urls)
        self.token = token

    @property
    def url(self) -> str:
        """The first agent's base URL (``http://127.0.0.1:PORT``)."""
        return self.urls[0]

    def control(self, method: str, path: str, body=None, agent: int = 0):
        """Call ``/_emulator/<path>`` on one agent; return the decoded JSON answer (ValueError on a 4xx)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{self.urls[agent]}/_emulator/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with _opener_for(self.urls[agent]).open(request, timeout=10) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            raise ValueError(f"{method} /_emulator/{path}: {err.code} {err.read().decode('utf-8', 'replace')}") from None

    def requests(self) -> list:
        """The request log of every agent, in arrival order (never a token or a body)."""
        return self.control("GET", "requests")

    def clear_requests(self) -> None:
        """Forget the request log, for example after a test's set-up."""
        self.control("DELETE", "requests")

    def fault(self, path: str, action: str = "error", **spec) -> None:
        """Queue a fault: ``fault("/sharedclouddrive/insert", "drop")``, ``fault(path, status=503, count=2)``..."""
        self.control("POST", "faults", dict(spec, path=path, action=action))

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        self.control("DELETE", "faults")

    def settings(self, **changes) -> dict:
        """Read the settings, or change some until the next reset.

        The settings: show_deleted, max_page_size, max_sessions, drive_quota, older_agent, invalid_keys.
        """
        return self.control("PATCH", "settings", changes) if changes else self.control("GET", "settings")

    def agent(self, index: int = 0, **changes) -> dict:
        """One agent's local state; ``status=`` and ``username=`` change it."""
        return self.control("PATCH", "agent", changes, agent=index) if changes else self.control("GET", "agent", agent=index)

    def state(self) -> dict:
        """The whole store: users, drives (soft-deleted ones too), permissions, agents... without secrets."""
        return self.control("GET", "state")

    def reset(self) -> None:
        """Back to the seed: a fresh account and agents, the start-up settings, empty log, no faults."""
        self.control("POST", "reset")


def pytest_addoption(parser):
    """The session emulator's seed and number of agents."""
    group = parser.getgroup("amove-click-emulator", "Amove Click API emulator")
    group.addoption("--click-emulator-seed", default=None, help="seed JSON file of the click_emulator fixture (default: the built-in seed)")
    group.addoption("--click-emulator-agents", type=int, default=None, help="number of agents of the click_emulator fixture (default 1)")
    parser.addini("click_emulator_seed", "seed JSON file of the click_emulator fixture, relative to the rootdir", default="")
    parser.addini("click_emulator_agents", "number of agents of the click_emulator fixture", default="1")


def _seed_option(config):
    seed = config.getoption("--click-emulator-seed") or config.getini("click_emulator_seed")
    if seed and not os.path.isabs(seed):
        seed = str(config.rootpath / seed)
    return seed or None


@pytest.fixture(name="click_emulator_session", scope="session")
def session_emulator(request):
    """The session's emulator, started once (its agents on free ports); stopped at the end of the session."""
    config = request.config
    agents = config.getoption("--click-emulator-agents") or int(config.getini("click_emulator_agents"))
    with start(ports=[0] * agents, seed_file=_seed_option(config)) as running:
        yield ClickEmulator(running.urls, DEFAULT_API_TOKEN)


@pytest.fixture(name="click_emulator")
def reset_emulator(click_emulator_session):
    """The session's emulator, reset to its seed for this test."""
    click_emulator_session.reset()
    return click_emulator_session


@pytest.fixture(name="click_emulator_factory")
def emulator_factory(tmp_path):
    """Start emulators of this test's own.

    ``click_emulator_factory(seed={...} or "file.json", agents=3, api_token=..., faults=[...], drive_health=[...],
    users_only=True, **settings)``; ``seed=seed_preset("agency")`` is the realistic account shipped with the package.
    """
    started = []

    def factory(seed=None, agents: int = 1, api_token: str = DEFAULT_API_TOKEN, faults=(), drive_health=(), users_only=False, **settings):
        seed_file = seed
        if isinstance(seed, dict):
            seed_file = tmp_path / f"click-emulator-seed-{len(started)}.json"
            seed_file.write_text(json.dumps(seed), encoding="utf-8")
        running = start(ports=[0] * agents, seed_file=None if seed_file is None else str(seed_file), api_token=api_token,
                        settings=settings, faults=list(faults), drive_health=list(drive_health), users_only=users_only)
        started.append(running)
        return ClickEmulator(running.urls, api_token)

    yield factory
    for running in started:
        running.stop()
