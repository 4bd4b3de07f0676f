"""Control endpoints: request log, faults, settings, reset, state."""

from __future__ import annotations

import json
import time

import pytest
import requests

from emulator_testlib import ADMIN_TOKEN, ALICE_TOKEN, DEMO_S3_ID, SECRETS, assert_api_error, assert_no_body

LOG_KEYS = {"seq", "time", "port", "method", "path", "query", "status"}


# -- request log ------------------------------------------------------------

def test_request_log_records_api_calls_but_not_control_calls(emu):
    emu.get("/sharedclouddrive/get_all", params={"page": 1, "name": "mark"})
    emu.get("/management/agent_status", token=None)
    emu.get("/nope")
    emu.control("GET", "state")
    entries = emu.log()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/sharedclouddrive/get_all", 200), ("GET", "/management/agent_status", 200), ("GET", "/nope", 404)]
    first = entries[0]
    assert set(first) == LOG_KEYS
    assert first["query"] == {"page": "1", "name": "mark"}
    assert first["port"] == emu.process.ports[0]
    assert first["time"].endswith("Z")
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)


def test_tokens_and_bodies_never_reach_the_log(emu):
    jwt = emu.login().json()["jwtToken"]
    emu.get("/authentication/user", token=jwt)
    emu.get("/cloud/accounts", token=ADMIN_TOKEN)
    emu.get("/cloud/accounts", token=None, params={"Token": ALICE_TOKEN})
    emu.post("/authentication/logout", token=None, json={"jwtToken": jwt})
    emu.get("/cloud/accounts", token="wrong-secret-token")
    text = emu.control("GET", "requests").text
    for secret in (jwt, ADMIN_TOKEN, ALICE_TOKEN, "wrong-secret-token", "admin-password"):
        assert secret not in text
    statuses = [(e["path"], e["status"]) for e in emu.log()]
    assert statuses[-1] == ("/cloud/accounts", 401)
    assert all("token" not in {key.lower() for key in e["query"]} for e in emu.log())


def test_log_file_gets_one_json_line_per_entry_without_tokens(emu, log_file):
    emu.get("/sharedclouddrive/get_all", params={"marker": "log-file-check"})
    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    mine = [entry for entry in lines if entry["query"].get("marker") == "log-file-check"]
    assert len(mine) == 1 and set(mine[0]) == LOG_KEYS and mine[0]["status"] == 200
    assert ADMIN_TOKEN not in log_file.read_text(encoding="utf-8")


def test_request_log_can_be_cleared(emu):
    emu.get("/management/agent_status", token=None)
    assert emu.log()
    assert emu.control("DELETE", "requests").status_code == 200
    assert emu.log() == []


# -- faults -----------------------------------------------------------------

def test_error_fault_answers_twice_without_body_then_succeeds(emu):
    emu.fault(path="/sharedclouddrive/get_all", count=2, action="error", status=503)
    assert_no_body(emu.get("/sharedclouddrive/get_all"), 503)
    assert_no_body(emu.get("/sharedclouddrive/get_all"), 503)
    assert emu.get("/sharedclouddrive/get_all").status_code == 200
    assert [e["status"] for e in emu.log()] == [503, 503, 200]
    assert emu.control("GET", "faults").json() == []


def test_default_error_fault_is_a_bodyless_500(emu):
    emu.fault(path="/cloud/accounts", action="error")
    assert_no_body(emu.get("/cloud/accounts"), 500)


def test_error_fault_can_fake_an_expired_session(emu):
    emu.fault(path="/authentication/user", action="error", status=401)
    assert_no_body(emu.get("/authentication/user"), 401)
    assert emu.get("/authentication/user").status_code == 200


def test_fault_matches_method_and_port(emu):
    emu.fault(method="post", path="/sharedclouddrive/insert", action="error", status=502)
    emu.fault(path="/cloud/accounts", action="error", status=502, port=1)
    assert emu.get("/sharedclouddrive/insert").status_code == 405  # GET does not match a POST fault
    assert emu.get("/cloud/accounts").status_code == 200  # other port
    response = emu.post("/sharedclouddrive/insert", json={"name": "x"})
    assert_no_body(response, 502)
    pending = emu.control("GET", "faults").json()
    assert [(fault["path"], fault["count"], fault["port"]) for fault in pending] == [("/cloud/accounts", 1, 1)]


def test_fault_on_an_unknown_path_still_fires(emu):
    emu.fault(path="/not/a/route", action="error", status=418)
    assert_no_body(emu.get("/not/a/route"), 418)
    assert_no_body(emu.get("/not/a/route"), 404)


def test_delay_fault_sleeps_then_answers_normally(emu):
    emu.fault(path="/management/agent_status", action="delay", seconds=0.6)
    started = time.monotonic()
    response = emu.get("/management/agent_status", token=None)
    assert time.monotonic() - started >= 0.6
    assert response.status_code == 200 and response.json() == 1
    started = time.monotonic()
    emu.get("/management/agent_status", token=None)
    assert time.monotonic() - started < 0.5


def test_drop_fault_closes_the_connection_without_a_response(emu):
    emu.fault(method="GET", path="/sharedclouddrive/get_all", action="drop")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{emu.url}/sharedclouddrive/get_all", params={"token": ADMIN_TOKEN}, timeout=5)
    assert emu.get("/sharedclouddrive/get_all").status_code == 200
    assert [e["status"] for e in emu.log()] == [0, 200]


def test_drop_fault_on_a_post_with_a_body(emu):
    emu.fault(path="/sharedclouddrive/insert", action="drop")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{emu.url}/sharedclouddrive/insert", params={"token": ADMIN_TOKEN}, json={"name": "x" * 5000}, timeout=5)
    assert len(emu.state()["shared_cloud_drives"]) == 5


def test_unexpected_exception_is_a_bodyless_500_and_the_agent_keeps_working(emu):
    emu.fault(path="/sharedclouddrive/get_all", action="exception")
    assert_no_body(emu.get("/sharedclouddrive/get_all"), 500)
    assert "fault injected" in emu.process.stderr()
    assert emu.get("/sharedclouddrive/get_all").status_code == 200  # the store lock was released
    assert [e["status"] for e in emu.log()] == [500, 200]


def test_several_faults_at_once_and_clearing(emu):
    response = emu.control("POST", "faults", json=[{"path": "/a", "action": "error"}, {"path": "/b", "action": "delay", "seconds": 0}])
    assert response.status_code == 200 and len(response.json()) == 2
    assert len(emu.control("GET", "faults").json()) == 2
    assert emu.control("DELETE", "faults").status_code == 200
    assert emu.control("GET", "faults").json() == []


@pytest.mark.parametrize("spec", [
    {"action": "error"},
    {"path": "no-slash", "action": "error"},
    {"path": "/x", "action": "explode"},
    {"path": "/x", "action": "error", "count": 0},
    {"path": "/x", "action": "error", "status": 700},
    {"path": "/x", "action": "delay", "seconds": -1},
    {"path": "/x", "action": "delay", "seconds": "1"},
    {"path": "/x", "action": "error", "port": "1"},
    {"path": "/x", "action": "error", "colour": "red"},
    "not an object",
])
def test_invalid_fault_specs_are_400(emu, spec):
    response = emu.control("POST", "faults", json=spec)
    assert response.status_code == 400 and response.json()["error"]
    assert emu.control("GET", "faults").json() == []


def test_control_body_must_be_json(emu):
    assert emu.control("POST", "faults", data=b"{oops").status_code == 400
    assert emu.control("GET", "nothing-here").status_code == 404
    assert emu.control("PUT", "reset").status_code == 405


# -- settings, reset, state -------------------------------------------------

def test_settings_read_patch_and_validation(emu):
    assert emu.control("GET", "settings").json() == {"show_deleted": False, "max_page_size": 100, "max_sessions": 10, "drive_quota": 1000,
                                                     "older_agent": False, "invalid_keys": []}
    assert emu.settings(max_page_size=5, show_deleted=True) == {"show_deleted": True, "max_page_size": 5, "max_sessions": 10,
                                                                "drive_quota": 1000, "older_agent": False, "invalid_keys": []}
    for bad in ({"show_deleted": "yes"}, {"max_page_size": 0}, {"max_page_size": True}, {"max_sessions": 1.5}, {"verbose": True},
                {"drive_quota": -1}, {"drive_quota": True}, {"older_agent": 1}, {"older_agent": "true"}, {"invalid_keys": "KEY"},
                {"invalid_keys": [""]}, {"invalid_keys": [1]}):
        assert emu.control("PATCH", "settings", json=bad).status_code == 400
    assert emu.control("GET", "settings").json()["max_page_size"] == 5


LACKED_BY_OLDER_AGENTS = ["/cloud/account", "/user/package_inquiry", "/authentication/user"]


def test_older_agent_answers_the_routes_it_lacks_with_a_bare_404_and_serves_the_rest(emu):
    emu.settings(older_agent=True)
    for path in LACKED_BY_OLDER_AGENTS:
        assert_no_body(emu.get(path, params={"id": DEMO_S3_ID}), 404)
        assert_no_body(emu.get(path, token=None), 404)  # before any token check, as for an unknown path
    assert emu.get("/cloud/accounts").status_code == 200
    created = emu.insert_drive("Still served")  # the drive routes are not affected, and the quota still applies
    assert created["cloudAccountId"] == DEMO_S3_ID
    assert [(e["path"], e["status"]) for e in emu.log()][:2] == [("/cloud/account", 404), ("/cloud/account", 404)]
    emu.settings(older_agent=False)
    for path in LACKED_BY_OLDER_AGENTS:
        assert emu.get(path, params={"id": DEMO_S3_ID}).status_code == 200


def test_reset_restores_seed_settings_and_clears_log_and_faults(emu):
    emu.insert_drive("Temporary")
    emu.settings(max_page_size=3, older_agent=True)
    emu.agent(status=2)
    emu.fault(path="/cloud/accounts", action="error")
    token = emu.login().json()["jwtToken"]
    emu.reset()
    assert "Temporary" not in [d["name"] for d in emu.state()["shared_cloud_drives"]]
    assert emu.control("GET", "settings").json()["max_page_size"] == 100
    assert emu.control("GET", "settings").json()["older_agent"] is False
    assert emu.control("GET", "faults").json() == []
    assert emu.log() == []
    assert emu.get("/management/agent_status", token=None).json() == 1
    assert_no_body(emu.get("/authentication/user", token=token), 401)  # sessions are gone too
    assert emu.get("/cloud/accounts").status_code == 200


def test_state_shows_everything_but_secrets(emu):
    jwt = emu.login().json()["jwtToken"]
    state = emu.state()
    assert set(state) == {"account", "users", "api_tokens", "sessions", "cloud_accounts", "shared_cloud_drives", "user_groups",
                          "projects", "user_permissions", "group_permissions", "user_project_permissions", "group_project_permissions",
                          "project_drives", "agents", "settings", "package"}
    assert state["sessions"]["count"] == 1
    assert len(state["shared_cloud_drives"]) == 5 and sum(d["deleted"] for d in state["shared_cloud_drives"]) == 1
    assert len(state["cloud_accounts"]) == 4
    assert [token["title"] for token in state["api_tokens"]][0] == "Admin automation"
    assert all("password" not in user and "token" not in user for user in state["users"])
    text = json.dumps(state)
    for secret in [jwt, ADMIN_TOKEN, ALICE_TOKEN, "expired-api-token", *SECRETS]:
        assert secret not in text


def test_failed_writes_leave_the_state_untouched(emu):
    before = emu.state()["shared_cloud_drives"]
    assert_api_error(emu.post("/sharedclouddrive/insert", json={"name": "Marketing", "cloudAccountId": "x"}), "DEFAULT")
    assert_api_error(emu.post("/sharedclouddrive/insert", json={"name": "marketing", "cloudAccountId": "3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c",
                                                                "storageName": "b"}), "DUPLICATE")
    assert emu.state()["shared_cloud_drives"] == before
