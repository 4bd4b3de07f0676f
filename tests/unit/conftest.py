# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.module_utils import _client, _transport
from ansible_collections.amove.click.tests.unit.click_fake import FakeAgent
from ansible_collections.amove.click.tests.unit.emulated import PATHS, TOKEN, Desktop, start_emulator, start_proxy, stop_proxy


def pytest_configure(config):
    config.addinivalue_line('markers', 'seed(name): the emulator fixture starts from that seed of emulated.SEEDS')
    config.addinivalue_line('markers', 'emulator_settings(**settings): the emulator fixture starts with these settings')
    config.addinivalue_line('markers', 'agents(count): the emulator fixture runs that many agents (desktops), `urls` in order')


@pytest.fixture
def agent(monkeypatch):
    """The fake agent, with retries made instant. Checks at the end that nothing expected was left."""
    fake = FakeAgent()
    monkeypatch.setattr(_transport, 'open_url', fake.open_url)
    monkeypatch.setattr(_client, 'RETRY_DELAYS', (0, 0, 0))
    yield fake
    assert not fake.expected, 'expected requests never made: %r' % fake.expected


@pytest.fixture
def emulator(request, monkeypatch):
    """The Click API emulator for this test, in this process (tests/unit/emulated.py), with retries made instant.

    The built-in seed, or `@pytest.mark.seed(NAME)`; `@pytest.mark.emulator_settings(...)` for its settings;
    `@pytest.mark.agents(N)` for N desktops' agents (one by default).
    Function-scoped: ansible-test runs each test in a fork of its own, which ends without the teardown of a wider fixture.
    """
    monkeypatch.setattr(_client, 'RETRY_DELAYS', (0, 0, 0))
    seed = request.node.get_closest_marker('seed')
    settings = request.node.get_closest_marker('emulator_settings')
    agents = request.node.get_closest_marker('agents')
    running, emulator = start_emulator(seed.args[0] if seed else None, agents.args[0] if agents else 1,
                                       **(settings.kwargs if settings else {}))
    try:
        yield emulator
    finally:
        running.stop()


@pytest.fixture(params=PATHS)
def desktop(request, emulator):
    """A desktop on one path (module, uri, win_uri): its tasks reach `emulator` with its token."""
    return Desktop(request.param, emulator.url, TOKEN)


@pytest.fixture
def fault_proxy(emulator):
    """The integration targets' fault proxy (setup_click_emulator/files/fault_proxy.py) in front of `emulator`, in this
    process: it can lose an answer after the write landed, which the emulator's own faults cannot. Stopped when the test
    ends, however it ends."""
    server = start_proxy(emulator.url)
    try:
        yield server
    finally:
        stop_proxy(server)
