"""The command line: `amove-click-emulator [options]` (or `python -m amove_click_emulator`)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from . import __version__
from .faults import validate_fault
from .seed import DEFAULT_ADMIN_PASSWORD, DEFAULT_ADMIN_USER, DEFAULT_API_TOKEN, SeedError, seed_preset, seed_presets, validate_drive_health
from .server import start

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 29123


def fault_argument(text: str) -> dict:
    """argparse type for --fault: a JSON fault spec."""
    try:
        return validate_fault(json.loads(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"invalid fault {text!r}: {err}") from None


def drive_health_argument(text: str) -> dict:
    """argparse type for --drive-health: a JSON drive health of one agent's drive."""
    try:
        spec = json.loads(text)
        validate_drive_health(spec)
        return spec
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"invalid drive health {text!r}: {err}") from None


def port_list(text: str) -> list:
    """argparse type for --ports: comma-separated port numbers."""
    try:
        ports = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port list {text!r}") from None
    if not ports or any(not 0 <= port <= 65535 for port in ports):
        raise argparse.ArgumentTypeError(f"invalid port list {text!r}")
    return ports


def positive_int(text: str) -> int:
    """argparse type for counts and sizes."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {text!r}")
    return value


def parse_args(argv=None) -> argparse.Namespace:
    """The emulator's command line."""
    parser = argparse.ArgumentParser(prog="amove-click-emulator", description="Emulator of the Amove agent's local Click API.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port of the first agent; 0 lets the OS choose (default %(default)s)")
    fleet = parser.add_mutually_exclusive_group()
    fleet.add_argument("--agents", type=positive_int, default=1, help="number of agents, on consecutive ports from --port")
    fleet.add_argument("--ports", type=port_list, help="explicit comma-separated agent ports")
    seeds = parser.add_mutually_exclusive_group()
    seeds.add_argument("--seed", help="seed JSON file (see docs/emulator.md)")
    seeds.add_argument("--seed-preset", choices=seed_presets(),
                       help="a seed shipped with the package: agency is a realistic account of several cloud accounts, "
                            "groups, projects and drives")
    parser.add_argument("--users-only", action="store_true",
                        help="keep only the seed's users, API tokens, agents and plan: an empty account with the same users")
    parser.add_argument("--admin-user", help=f"admin username (default {DEFAULT_ADMIN_USER})")
    parser.add_argument("--admin-password", help=f"admin password (default {DEFAULT_ADMIN_PASSWORD})")
    parser.add_argument("--api-token", help=f"API token of the admin (default {DEFAULT_API_TOKEN})")
    parser.add_argument("--max-page-size", type=positive_int, default=100, help="server-side page size cap (default %(default)s)")
    parser.add_argument("--show-deleted", action="store_true", help="mix soft-deleted drives, user groups and projects into list results")
    parser.add_argument("--older-agent", action="store_true",
                        help="answer GET /cloud/account, /user/package_inquiry and /authentication/user with a bare 404, "
                             "as an older agent without them")
    parser.add_argument("--invalid-key", action="append", default=[], metavar="KEY",
                        help="an access or secret key the cloud provider refuses when a cloud account is inserted (repeatable)")
    parser.add_argument("--max-sessions", type=positive_int, default=10, help="live login sessions per user (default %(default)s)")
    parser.add_argument("--log-file", help="append each request log entry to this JSON-lines file")
    parser.add_argument("--fault", type=fault_argument, action="append", default=[], help="fault spec as JSON (repeatable)")
    parser.add_argument("--drive-health", type=drive_health_argument, action="append", default=[], metavar="JSON",
                        help='what the drive reports of one agent say of a drive, e.g. {"agent": 2, "drive": "Marketing", '
                             '"filesWithErrors": 3} (repeatable; kept across resets)')
    args = parser.parse_args(argv)
    if args.seed_preset:
        args.seed = seed_preset(args.seed_preset)
    if args.ports:
        args.agent_ports = args.ports
    elif args.port == 0:
        args.agent_ports = [0] * args.agents  # the OS picks each port; the start-up lines tell which
    else:
        args.agent_ports = [args.port + offset for offset in range(args.agents)]
    if any(not 0 <= port <= 65535 for port in args.agent_ports):
        parser.error("agent ports must lie between 0 and 65535")
    if any(spec.get("agent", 1) > len(args.agent_ports) for spec in args.drive_health):
        parser.error(f"--drive-health names an agent beyond the {len(args.agent_ports)} started")
    return args


def main(argv=None) -> int:
    """Start the agents and serve until SIGTERM/SIGINT; exit 2 for a bad seed, 1 when a port is taken."""
    args = parse_args(argv)
    settings = {"show_deleted": args.show_deleted, "max_page_size": args.max_page_size, "max_sessions": args.max_sessions,
                "older_agent": args.older_agent, "invalid_keys": args.invalid_key}
    try:
        running = start(args.host, args.agent_ports, args.seed, args.admin_user, args.admin_password, args.api_token, settings,
                        args.log_file, args.fault, args.drive_health, args.users_only)
    except SeedError as err:
        print(f"click-emulator: bad seed: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"click-emulator: {err}", file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for index, url in enumerate(running.urls, 1):
        print(f"click-emulator: agent {index} listening on {url}", flush=True)
    while not stop.wait(0.2):  # a timed wait keeps signal handling prompt on every Python version
        pass
    running.stop()
    return 0
