"""Command line: built-in seed, flags, bad input, start-up output and clean shutdown."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import amove_click_emulator

from emulator_testlib import DEMO_S3_ID, EMULATOR, EMULATOR_ENV, SEED_FILE, Emu, assert_no_body


def run_briefly(*args: str) -> subprocess.CompletedProcess:
    """Run an emulator command line that is expected to exit by itself."""
    return subprocess.run([*EMULATOR, *args], capture_output=True, text=True, timeout=20, check=False, env=EMULATOR_ENV)


def test_console_script_and_module_run_the_same_command_line():
    script = Path(sys.executable).with_name("amove-click-emulator")  # installed with the package, next to this interpreter
    by_script = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=20, check=False)
    by_module = run_briefly("--version")
    assert by_script.returncode == by_module.returncode == 0
    assert by_script.stdout == by_module.stdout == f"amove-click-emulator {amove_click_emulator.__version__}\n"
    assert "usage: amove-click-emulator" in run_briefly("--help").stdout


def test_built_in_seed(start_emulator):
    emu = Emu(start_emulator().url)
    profile = emu.get("/authentication/user").json()  # the default API token belongs to the admin
    assert profile["username"] == "admin@example.com" and profile["userType"] == 16 and profile["owner"] is True
    assert profile["accountName"] == "Example Co"
    assert emu.login("admin@example.com", "admin-password", 16).status_code == 200
    accounts = emu.get("/cloud/accounts").json()
    assert [(a["id"], a["name"], a["cloudType"]) for a in accounts] == [(DEMO_S3_ID, "Demo S3", 1)]
    assert emu.drives() == {"data": [], "total": 0, "options": {"page": 1, "pageSize": 50, "sort": [{"field": "Name", "descending": False}]}}
    # what the module examples name: users alice and bob, the group Editors, the project Launch
    state = emu.state()
    assert [(u["username"], u["userType"]) for u in state["users"]] == [
        ("admin@example.com", 16), ("alice@example.com", 32), ("bob@example.com", 64)]
    assert [(g["name"], g["members"]) for g in state["user_groups"]] == [("Editors", ["alice@example.com"]), ("Viewers", ["bob@example.com"])]
    assert [(p["name"], p["users"], p["groups"]) for p in state["projects"]] == [("Launch", ["bob@example.com"], [])]
    assert emu.login("alice@example.com", "alice-password", 32).status_code == 200
    assert emu.login("bob@example.com", "bob-password", 64).status_code == 200
    assert emu.get("/user/package_inquiry").json()["drives"] == 1000
    # bob's membership of Launch is Read: a drive of the project reaches him read-only
    launch = emu.get("/projects/get_all", params={"name": "Launch"}).json()["data"][0]
    drive = emu.insert_drive("Footage")
    assert emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": launch["id"], "sharedCloudDriveId": drive["id"]}]).status_code == 200
    emu.agent(username="bob@example.com")
    assert [(entry["name"], entry["permissionType"]) for entry in emu.sync()] == [("Footage", 1)]


def test_seed_users_drop_the_built_in_groups_and_projects(start_emulator, tmp_path):
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"users": [{"username": "admin@example.com", "password": "p", "userType": 16}]}), encoding="utf-8")
    state = Emu(start_emulator("--seed", str(path)).url).state()
    assert [u["username"] for u in state["users"]] == ["admin@example.com"]
    assert state["user_groups"] == [] and state["projects"] == []
    assert [a["name"] for a in state["cloud_accounts"]] == ["Demo S3"]  # sections not given stay built in


def test_package_seed_section_sets_the_plan(start_emulator, tmp_path):
    path = tmp_path / "package.json"
    path.write_text(json.dumps({"package": {"drives": 3, "projects": 0, "sso": True}}), encoding="utf-8")
    emu = Emu(start_emulator("--seed", str(path)).url)
    package = emu.get("/user/package_inquiry").json()
    assert package["drives"] == 3 and package["projects"] == 0 and package["sso"] is True and package["logs"] is True
    assert emu.control("GET", "settings").json()["drive_quota"] == 3


def test_admin_flags_override_the_built_in_admin(start_emulator):
    emu = Emu(start_emulator("--admin-user", "boss@example.com", "--admin-password", "s3cret", "--api-token", "tok-123").url)
    assert emu.login("boss@example.com", "s3cret", 16).status_code == 200
    assert_no_body(emu.login("admin@example.com", "admin-password", 16), 401)
    assert_no_body(emu.get("/authentication/user", token="emulator-api-token"), 401)
    assert emu.get("/authentication/user", token="tok-123").json()["username"] == "boss@example.com"


def test_admin_flags_with_a_seed(start_emulator):
    emu = Emu(start_emulator("--seed", str(SEED_FILE), "--admin-password", "changed", "--api-token", "extra-token").url)
    assert emu.login("admin@example.com", "changed", 16).status_code == 200
    assert emu.get("/authentication/user", token="extra-token").json()["username"] == "admin@example.com"
    assert emu.get("/authentication/user", token="alice-api-token").status_code == 200  # seeded tokens stay


def test_new_admin_user_is_added_to_seeded_users(start_emulator):
    emu = Emu(start_emulator("--seed", str(SEED_FILE), "--admin-user", "root@example.com").url)
    assert emu.login("root@example.com", "admin-password", 16).status_code == 200
    assert len(emu.state()["users"]) == 7


def test_show_deleted_max_page_size_and_max_sessions_flags(start_emulator):
    emu = Emu(start_emulator("--seed", str(SEED_FILE), "--show-deleted", "--max-page-size", "2", "--max-sessions", "1").url)
    first = emu.drives(pagesize=100)
    assert first["options"]["pageSize"] == 2 and first["total"] == 5
    everything = first["data"] + emu.drives(page=2, pagesize=2)["data"] + emu.drives(page=3, pagesize=2)["data"]
    assert [d["name"] for d in everything if d["deleted"]] == ["Old Archive"]
    assert emu.login().status_code == 200
    assert emu.login().json()["type"] == "SESSION_MAXOUT"
    emu.reset()  # reset goes back to the command-line settings, not the built-in ones
    assert emu.control("GET", "settings").json() == {"show_deleted": True, "max_page_size": 2, "max_sessions": 1, "drive_quota": 1000,
                                                     "older_agent": False, "invalid_keys": []}


def test_older_agent_flag(start_emulator):
    emu = Emu(start_emulator("--older-agent").url)
    for path in ("/cloud/account", "/user/package_inquiry", "/authentication/user"):
        assert_no_body(emu.get(path, params={"id": DEMO_S3_ID}), 404)
    assert emu.get("/cloud/accounts").status_code == 200
    emu.reset()  # the command line's setting stays
    assert emu.control("GET", "settings").json()["older_agent"] is True
    assert_no_body(emu.get("/user/package_inquiry"), 404)
    assert emu.settings(older_agent=False)["older_agent"] is False
    assert emu.get("/user/package_inquiry").json()["drives"] == 1000


def test_fault_flag(start_emulator):
    spec = {"method": "GET", "path": "/cloud/accounts", "count": 1, "action": "error", "status": 503}
    emu = Emu(start_emulator("--fault", json.dumps(spec), "--fault", '{"path": "/authentication/user", "action": "error"}').url)
    assert_no_body(emu.get("/cloud/accounts"), 503)
    assert emu.get("/cloud/accounts").status_code == 200
    assert_no_body(emu.get("/authentication/user"), 500)


def test_log_file_flag(start_emulator, tmp_path):
    log = tmp_path / "log.jsonl"
    emu = Emu(start_emulator("--log-file", str(log)).url)
    emu.get("/cloud/accounts")
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(e["path"], e["status"]) for e in entries] == [("/management/agent_status", 200), ("/cloud/accounts", 200)]
    assert "emulator-api-token" not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_emulator_cleanly(start_emulator, sig):
    process = start_emulator("--agents", "2", agents=2)
    assert process.stop(sig) == 0
    assert "Traceback" not in process.stderr()


def test_start_up_lines(start_emulator):
    process = start_emulator("--agents", "3", agents=3)
    assert [url.startswith("http://127.0.0.1:") for url in process.urls] == [True, True, True]


@pytest.mark.parametrize("seed,message", [
    ("[]", "must be a JSON object"),
    ("{bad json", "cannot read"),
    ('{"drives": []}', "unknown seed sections: drives"),
    ('{"users": [{"username": "x"}]}', "password is required"),
    ('{"users": [{"username": "x", "password": "p", "userType": 8}]}', "userType"),
    ('{"shared_cloud_drives": [{"name": "A", "storageName": "b", "cloudAccountName": "Nope"}]}', "unknown cloud account"),
    ('{"shared_cloud_drives": [{"name": "A", "storageName": "b"}, {"name": "a", "storageName": "c"}]}', "duplicate live drive name"),
    ('{"shared_cloud_drives": [{"name": "A"}]}', "storageName field is required"),
    ('{"shared_cloud_drives": [{"name": "A", "storageName": "b", "users": {"admin@example.com": 3}}]}', "permissionType"),
    ('{"api_tokens": [{"token": "t", "username": "ghost"}]}', "unknown user"),
    ('{"api_tokens": [{"token": "t", "username": "admin@example.com", "expirationDate": "soon"}]}', "ISO date"),
    ('{"agents": [{"username": "admin@example.com", "status": 3}]}', "status must be one of"),
    ('{"user_groups": [{"name": "G", "members": ["ghost"]}]}', "unknown user"),
    ('{"projects": [{"name": "P", "users": {"alice@example.com": 3}}]}', "permissionType 1 or 2"),
    ('{"projects": [{"name": "P", "groups": "Editors"}]}', "list of names"),
    ('{"package": []}', "must be a JSON object"),
    ('{"package": {"drives": -1}}', "drives must be an integer >= 0"),
    ('{"package": {"drives": true}}', "drives must be an integer >= 0"),
    ('{"package": {"sso": 1}}', "sso must be a boolean"),
    ('{"package": {"seats": 1}}', "unknown keys seats"),
])
def test_bad_seed_exits_with_2_and_a_message(tmp_path, seed, message):
    path = tmp_path / "seed.json"
    path.write_text(seed, encoding="utf-8")
    result = run_briefly("--port", "0", "--seed", str(path))
    assert result.returncode == 2
    assert "bad seed" in result.stderr and message in result.stderr, result.stderr


@pytest.mark.parametrize("args", [
    ["--fault", '{"path": "/x"}'],
    ["--fault", "not json"],
    ["--agents", "0"],
    ["--agents", "2", "--ports", "1,2"],
    ["--ports", "a,b"],
    ["--max-page-size", "0"],
    ["--port", "65535", "--agents", "2"],
])
def test_bad_arguments_exit_with_2(args):
    assert run_briefly(*args).returncode == 2


def test_busy_port_exits_with_1():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_briefly("--port", str(busy.getsockname()[1]))
    assert result.returncode == 1 and "cannot listen" in result.stderr


def test_seed_file_with_only_some_sections(start_emulator, tmp_path):
    path = tmp_path / "partial.json"
    path.write_text(json.dumps({"shared_cloud_drives": [{"name": "Only", "storageName": "only-bucket", "deleted": False}]}), encoding="utf-8")
    emu = Emu(start_emulator("--seed", str(path)).url)
    drive = emu.drives()["data"][0]
    assert drive["name"] == "Only" and drive["cloudAccountId"] == DEMO_S3_ID  # defaults to the first cloud account
    assert emu.login().status_code == 200


def test_start_from_python_serves_until_stopped():
    with amove_click_emulator.start(ports=[0, 0], settings={"drive_quota": 2}) as running:
        assert len(running.urls) == 2 and running.url == running.urls[0]
        emu = Emu(running.urls[1])
        assert emu.get("/user/package_inquiry").json()["drives"] == 2
        emu.reset()  # a quota given at start-up survives a reset
        assert emu.get("/user/package_inquiry").json()["drives"] == 2
    with pytest.raises(OSError):
        Emu(running.url).get("/management/agent_status", token=None, timeout=2)


@pytest.mark.parametrize("settings,message", [
    ({"max_page_size": 0}, "max_page_size: must be an integer >= 1"),
    ({"drive_quota": -1}, "drive_quota: must be an integer >= 0"),
    ({"colour": "red"}, "colour: unknown"),
])
def test_start_from_python_refuses_bad_settings(settings, message):
    with pytest.raises(ValueError, match=message):
        amove_click_emulator.start(settings=settings)


def test_start_from_python_takes_drive_healths():
    with amove_click_emulator.start(ports=[0, 0], drive_health=[{"agent": 2, "drive": "Launch", "filesWithErrors": 1}]) as running:
        assert Emu(running.urls[1]).control("GET", "agent").json()["driveHealth"] == {"Launch": {"filesWithErrors": 1}}
    with pytest.raises(ValueError, match="only 1 agents"):
        amove_click_emulator.start(drive_health=[{"agent": 2, "drive": "Launch"}])
    with pytest.raises(ValueError, match="drive"):
        amove_click_emulator.start(drive_health=[{"filesWithErrors": 1}])


def test_start_from_python_on_a_busy_port_leaves_nothing_open():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(OSError, match="cannot listen"):
            amove_click_emulator.start(ports=[0, busy.getsockname()[1]])


def test_drive_health_flag_is_per_agent_and_kept_across_resets(start_emulator):
    health = '{"agent": 2, "drive": "Launch", "filesWithErrors": 3, "filesNormal": 1}'
    process = start_emulator("--agents", "2", "--drive-health", health, "--drive-health", '{"drive": "Launch", "status": "Paused"}', agents=2)
    first, second = Emu(process.urls[0]), Emu(process.urls[1])
    for _attempt in range(2):
        assert first.control("GET", "agent").json()["driveHealth"] == {"Launch": {"status": "Paused"}}
        assert second.control("GET", "agent").json()["driveHealth"] == {"Launch": {"filesWithErrors": 3, "filesNormal": 1}}
        second.control("PATCH", "agent", json={"driveHealth": {}})
        first.reset()


@pytest.mark.parametrize("spec", ['{"agent": 3, "drive": "Launch"}', '{"agent": 0, "drive": "Launch"}', '{"filesWithErrors": 1}',
                                  '{"drive": "Launch", "filesWithErrors": -1}', '{"drive": "Launch", "colour": "red"}', "Launch"])
def test_bad_drive_health_flags_exit_with_2(spec):
    result = run_briefly("--port", "0", "--agents", "2", "--drive-health", spec)
    assert result.returncode == 2 and "drive" in result.stderr
