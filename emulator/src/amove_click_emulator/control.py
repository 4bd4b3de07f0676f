"""The emulator's own endpoints under /_emulator/ (no token, never logged), and the Emulator they act on."""

from __future__ import annotations

import json

from .common import AGENT_DESKTOP_DEFAULTS, AGENT_STATUSES, Reply, desktop_problem, is_int
from .faults import FaultTable, RequestLog, validate_fault
from .store import ClickStore


class Emulator:
    """One process: the shared store, the request log and the fault table."""

    def __init__(self, store: ClickStore, request_log: RequestLog, faults: FaultTable):
        self.store = store
        self.log = request_log
        self.faults = faults

    def reset(self) -> None:
        """Reload the seed: fresh store and settings, empty log, no faults."""
        self.store.load()
        self.log.clear()
        self.faults.clear()


CONTROL_ROUTES = {}


def control(method: str, path: str):
    """Register a control endpoint under /_emulator/."""
    def register(handler):
        CONTROL_ROUTES.setdefault(path, {})[method] = handler
        return handler
    return register


class ControlError(Exception):
    """A bad control request: answered 400 {"error": message}."""


def control_json(raw_body: bytes, kind):
    """Decode a control request body of the expected JSON type."""
    try:
        value = json.loads(raw_body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        raise ControlError("the body is not valid JSON") from None
    if not isinstance(value, kind):
        raise ControlError(f"the body must be a JSON {'object' if kind is dict else 'array or object'}")
    return value


@control("GET", "/_emulator/requests")
def control_list_requests(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """The request log of all agents."""
    return Reply(200, emulator.log.snapshot())


@control("DELETE", "/_emulator/requests")
def control_clear_requests(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Empty the request log."""
    emulator.log.clear()
    return Reply(200, {"cleared": True})


@control("GET", "/_emulator/faults")
def control_list_faults(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Pending faults."""
    return Reply(200, emulator.faults.pending())


@control("POST", "/_emulator/faults")
def control_add_faults(emulator: Emulator, _port: int, body: bytes) -> Reply:
    """Queue one fault (object) or several (array)."""
    specs = control_json(body, (dict, list))
    specs = specs if isinstance(specs, list) else [specs]
    try:
        validated = [validate_fault(spec) for spec in specs]
    except ValueError as err:
        raise ControlError(str(err)) from None
    return Reply(200, [emulator.faults.add(spec) for spec in validated])


@control("DELETE", "/_emulator/faults")
def control_clear_faults(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Drop pending faults."""
    emulator.faults.clear()
    return Reply(200, {"cleared": True})


SETTING_CHECKS = {
    "show_deleted": (lambda value: isinstance(value, bool), "a boolean"),
    "older_agent": (lambda value: isinstance(value, bool), "a boolean"),
    "invalid_keys": (lambda value: isinstance(value, list) and all(isinstance(key, str) and key for key in value),
                     "a list of non-empty strings"),
    "drive_quota": (lambda value: is_int(value) and value >= 0, "an integer >= 0"),
    "max_page_size": (lambda value: is_int(value) and value >= 1, "an integer >= 1"),
    "max_sessions": (lambda value: is_int(value) and value >= 1, "an integer >= 1"),
}


@control("GET", "/_emulator/settings")
def control_get_settings(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Current runtime settings."""
    with emulator.store.lock:
        return Reply(200, dict(emulator.store.settings))


@control("PATCH", "/_emulator/settings")
def control_patch_settings(emulator: Emulator, _port: int, body: bytes) -> Reply:
    """Change show_deleted, max_page_size, max_sessions, drive_quota, older_agent or invalid_keys until the next reset."""
    changes = control_json(body, dict)
    for key, value in changes.items():
        if key not in SETTING_CHECKS:
            raise ControlError(f"unknown setting {key}")
        check, expected = SETTING_CHECKS[key]
        if not check(value):
            raise ControlError(f"{key} must be {expected}")
    with emulator.store.lock:
        emulator.store.settings.update(changes)
        return Reply(200, dict(emulator.store.settings))


@control("GET", "/_emulator/agent")
def control_get_agent(emulator: Emulator, port: int, _body: bytes) -> Reply:
    """The local state of the agent on this port."""
    with emulator.store.lock:
        return Reply(200, emulator.store.agent_view(emulator.store.agents[port]))


@control("PATCH", "/_emulator/agent")
def control_patch_agent(emulator: Emulator, port: int, body: bytes) -> Reply:
    """Set this agent's status, signed-in user (username), and desktop (platform, osLetters, resetOnSync, maxCacheSize, driveHealth)."""
    changes = control_json(body, dict)
    store = emulator.store
    with store.lock:
        agent = store.agents[port]
        for key, value in changes.items():
            if key == "status" and value in AGENT_STATUSES and is_int(value):
                agent["status"] = value
            elif key == "username" and isinstance(value, str) and store.find_user(value):
                agent["userId"] = store.find_user(value)["id"]
            elif key in AGENT_DESKTOP_DEFAULTS:
                problem = desktop_problem(key, value)
                if problem:
                    raise ControlError(problem)
                agent[key] = value
            else:
                raise ControlError(f"invalid {key}: status must be one of {AGENT_STATUSES}, username a known user, or a desktop setting "
                                   f"({', '.join(AGENT_DESKTOP_DEFAULTS)})")
        return Reply(200, store.agent_view(agent))


@control("POST", "/_emulator/reset")
def control_reset(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Reload the seed: fresh store and settings, empty log, no faults."""
    emulator.reset()
    return Reply(200, {"reset": True})


@control("GET", "/_emulator/state")
def control_state(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """The whole store, for out-of-band checks."""
    with emulator.store.lock:
        return Reply(200, emulator.store.snapshot())


def dispatch_control(emulator: Emulator, port: int, method: str, path: str, body: bytes) -> Reply:
    """Route a control request; mistakes are 400 with a JSON message."""
    methods = CONTROL_ROUTES.get(path)
    if methods is None:
        return Reply(404, {"error": f"unknown control endpoint {path}"})
    handler = methods.get(method)
    if handler is None:
        return Reply(405, {"error": f"use one of {', '.join(sorted(methods))}"}, {"Allow": ", ".join(sorted(methods))})
    try:
        return handler(emulator, port, body)
    except ControlError as err:
        return Reply(400, {"error": str(err)})
