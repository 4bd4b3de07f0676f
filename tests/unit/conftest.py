# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.module_utils import _client, _transport
from ansible_collections.amove.click.tests.unit.click_fake import FakeAgent


@pytest.fixture
def agent(monkeypatch):
    """The fake agent, with retries made instant. Checks at the end that nothing expected was left."""
    fake = FakeAgent()
    monkeypatch.setattr(_transport, 'open_url', fake.open_url)
    monkeypatch.setattr(_client, 'RETRY_DELAYS', (0, 0, 0))
    yield fake
    assert not fake.expected, 'expected requests never made: %r' % fake.expected
