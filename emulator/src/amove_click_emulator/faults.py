"""The request log (what every agent was asked, never a token or a body) and injected faults."""

from __future__ import annotations

import json
import threading

from .common import is_int, utc_now


class RequestLog:
    """Every API request of every agent (control requests excluded), token removed."""

    def __init__(self, log_file: str | None):
        self.lock = threading.Lock()
        self.log_file = log_file
        self.entries = []
        self.seq = 0

    def next_seq(self) -> int:
        """Sequence numbers are taken on arrival, so the log reads in arrival order."""
        with self.lock:
            self.seq += 1
            return self.seq

    def record(self, seq: int, port: int, method: str, path: str, query: dict, status: int) -> None:
        """Append one entry; bodies are never logged, the token query parameter is dropped."""
        entry = {"seq": seq, "time": utc_now(), "port": port, "method": method, "path": path,
                 "query": {key: value for key, value in query.items() if key.lower() != "token"}, "status": status}
        with self.lock:
            self.entries.append(entry)
            if self.log_file:
                with open(self.log_file, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry) + "\n")

    def snapshot(self) -> list:
        """Entries in arrival order."""
        with self.lock:
            return sorted(self.entries, key=lambda entry: entry["seq"])

    def clear(self) -> None:
        """Forget all entries (sequence numbers keep growing)."""
        with self.lock:
            self.entries = []


FAULT_ACTIONS = ("error", "delay", "drop", "exception")
FAULT_KEYS = ("method", "path", "count", "action", "status", "seconds", "port")


def validate_fault(spec) -> dict:
    """Check a fault spec; raise ValueError with a readable message."""
    if not isinstance(spec, dict):
        raise ValueError("a fault must be a JSON object")
    unknown = sorted(set(spec) - set(FAULT_KEYS))
    if unknown:
        raise ValueError(f"unknown fault keys: {', '.join(unknown)}")
    if not isinstance(spec.get("path"), str) or not spec["path"].startswith("/"):
        raise ValueError("path is required and must start with /")
    if spec.get("action") not in FAULT_ACTIONS:
        raise ValueError(f"action must be one of {', '.join(FAULT_ACTIONS)}")
    fault = {"method": None, "path": spec["path"], "count": spec.get("count", 1), "action": spec["action"],
             "status": spec.get("status", 500), "seconds": spec.get("seconds", 1.0), "port": spec.get("port")}
    if spec.get("method") is not None:
        if not isinstance(spec["method"], str):
            raise ValueError("method must be a string")
        fault["method"] = spec["method"].upper()
    if not is_int(fault["count"]) or fault["count"] < 1:
        raise ValueError("count must be an integer >= 1")
    if not is_int(fault["status"]) or not 100 <= fault["status"] <= 599:
        raise ValueError("status must be an HTTP status code")
    if isinstance(fault["seconds"], bool) or not isinstance(fault["seconds"], (int, float)) or fault["seconds"] < 0:
        raise ValueError("seconds must be a number >= 0")
    if fault["port"] is not None and not is_int(fault["port"]):
        raise ValueError("port must be an integer")
    return fault


class FaultTable:
    """Pending injected faults; each matches the next `count` matching API requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []

    def add(self, spec) -> dict:
        """Validate and queue a fault."""
        fault = validate_fault(spec)
        with self.lock:
            self.faults.append(fault)
        return dict(fault)

    def take(self, method: str, path: str, port: int):
        """Consume one use of the first fault matching this request, if any."""
        with self.lock:
            for fault in self.faults:
                if fault["path"] == path and fault["method"] in (None, method) and fault["port"] in (None, port):
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    def pending(self) -> list:
        """Pending faults with their remaining counts."""
        with self.lock:
            return [dict(fault) for fault in self.faults]

    def clear(self) -> None:
        """Drop every pending fault."""
        with self.lock:
            self.faults = []
