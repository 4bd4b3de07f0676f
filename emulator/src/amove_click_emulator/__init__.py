"""Emulator of the Amove desktop agent's local HTTP "Click API".

Serves the shared-cloud-drive part of the Click API (authentication, cloud
accounts, shared cloud drives, who may reach them, the plan's quota, and each
agent's life cycle and local drive list) from an in-memory store, so that
clients can be developed and tested without a real agent.  Where the published
API reference is silent, the emulator picks the behaviour that is least
convenient for a client, so that clients written against it are defensive.

From Python::

    from amove_click_emulator import start
    with start() as running:            # one agent on a free port, the built-in seed
        print(running.url)

    with start(ports=[0, 0, 0], seed_file=seed_preset("agency")) as running:   # a realistic account, three desktops
        ...

Standard library only, Python 3.9 or later.
"""

from __future__ import annotations

from .seed import DEFAULT_API_TOKEN, SeedError, seed_preset, seed_presets
from .server import RunningEmulator, start

__version__ = "0.1.0"
__all__ = ["DEFAULT_API_TOKEN", "RunningEmulator", "SeedError", "__version__", "seed_preset", "seed_presets", "start"]
