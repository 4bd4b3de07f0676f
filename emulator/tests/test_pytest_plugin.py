"""The pytest plugin, as a user's test suite meets it: run in a pytest of its own (pytester)."""

from __future__ import annotations

import sys
from importlib import metadata

import pytest

pytest_plugins = ["pytester"]


def plugin_args() -> list:
    """The installed package's entry point loads the plugin; without it (PYTHONPATH only) load it by name."""
    if sys.version_info >= (3, 10):
        installed = metadata.entry_points(group="pytest11")
    else:
        installed = metadata.entry_points().get("pytest11", [])
    if any(entry.value == "amove_click_emulator.pytest_plugin" for entry in installed):
        return []
    return ["-p", "amove_click_emulator.pytest_plugin"]


HELPERS = '''
import json
import urllib.error
import urllib.request


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, None
'''


def run(pytester, source: str, *args: str, expect_passed: int):
    pytester.makepyfile(test_user=HELPERS + source)
    result = pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=expect_passed)
    return result


def test_the_fixture_gives_a_running_emulator_with_its_token_log_and_faults(pytester):
    run(pytester, '''
def test_status_listing_log_and_fault(click_emulator):
    assert call(click_emulator.url + "/management/agent_status") == (200, 1)
    status, listing = call(click_emulator.url + "/sharedclouddrive/get_all?token=" + click_emulator.token)
    assert status == 200 and listing["total"] == 0
    assert call(click_emulator.url + "/sharedclouddrive/get_all")[0] == 401
    status, drive = call(click_emulator.url + "/sharedclouddrive/insert?token=" + click_emulator.token, "POST",
                         {"name": "Creative", "cloudAccountId": "3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c", "storageName": "b"})
    assert status == 200
    log = click_emulator.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log][-1] == ("POST", "/sharedclouddrive/insert", 200)
    assert click_emulator.token not in json.dumps(log)
    click_emulator.fault("/cloud/accounts", status=503)
    assert call(click_emulator.url + "/cloud/accounts?token=" + click_emulator.token)[0] == 503
    assert call(click_emulator.url + "/cloud/accounts?token=" + click_emulator.token)[0] == 200
    assert [d["name"] for d in click_emulator.state()["shared_cloud_drives"]] == ["Creative"]


def test_each_test_starts_from_the_seed(click_emulator):
    assert click_emulator.state()["shared_cloud_drives"] == []
    assert click_emulator.requests() == []
    assert [u["username"] for u in click_emulator.state()["users"]] == [
        "admin@example.com", "alice@example.com", "bob@example.com"]


def test_settings_and_agents(click_emulator):
    assert click_emulator.settings(drive_quota=0)["drive_quota"] == 0
    assert call(click_emulator.url + "/user/package_inquiry?token=" + click_emulator.token)[1]["drives"] == 0
    assert click_emulator.agent(status=4)["status"] == 4
    assert call(click_emulator.url + "/management/agent_status") == (200, 4)
    try:
        click_emulator.settings(colour="red")
    except ValueError as err:
        assert "unknown setting colour" in str(err)
    else:
        raise AssertionError("a bad setting was accepted")
''', expect_passed=3)


def test_the_factory_starts_emulators_of_a_test_of_its_own(pytester):
    run(pytester, '''
def test_factory(click_emulator_factory, click_emulator):
    seed = {"users": [{"username": "root@example.com", "password": "pw", "userType": 16}],
            "shared_cloud_drives": [{"name": "Only", "storageName": "only-bucket"}]}
    fleet = click_emulator_factory(seed=seed, agents=2, api_token="my-token", drive_quota=1, show_deleted=True,
                                   drive_health=[{"agent": 2, "drive": "Only", "filesWithErrors": 2}], invalid_keys=["BADKEY"])
    assert len(fleet.urls) == 2 and fleet.token == "my-token" and fleet.url != click_emulator.url
    status, listing = call(fleet.urls[1] + "/sharedclouddrive/get_all?token=my-token")
    assert status == 200 and [d["name"] for d in listing["data"]] == ["Only"]
    assert call(fleet.url + "/user/package_inquiry?token=my-token")[1]["drives"] == 0
    assert fleet.settings()["show_deleted"] is True
    assert fleet.agent(1)["username"] == "root@example.com"
    assert fleet.agent(1)["driveHealth"] == {"Only": {"filesWithErrors": 2}} and fleet.agent(0)["driveHealth"] == {}
    assert fleet.settings()["invalid_keys"] == ["BADKEY"]
    plain = click_emulator_factory()
    assert call(plain.url + "/authentication/user?token=emulator-api-token")[1]["username"] == "admin@example.com"
    from amove_click_emulator import seed_preset
    empty = click_emulator_factory(seed=seed_preset("agency"), users_only=True)
    assert empty.state()["shared_cloud_drives"] == [] and len(empty.state()["users"]) == 11
''', expect_passed=1)


@pytest.mark.parametrize("how", ["option", "ini"])
def test_the_session_emulator_takes_a_seed_and_a_number_of_agents(pytester, how):
    pytester.makefile(".json", seed='{"users": [{"username": "ops@example.com", "password": "pw", "userType": 16}]}')
    args = ["--click-emulator-seed", "seed.json", "--click-emulator-agents", "3"]
    if how == "ini":
        pytester.makeini("[pytest]\nclick_emulator_seed = seed.json\nclick_emulator_agents = 3\n")
        args = []
    run(pytester, '''
def test_seeded(click_emulator):
    assert len(click_emulator.urls) == 3
    assert [u["username"] for u in click_emulator.state()["users"]] == ["ops@example.com"]
    assert click_emulator.agent(2)["username"] == "ops@example.com"
''', *args, expect_passed=1)


def test_a_bad_seed_fails_the_tests_that_use_the_fixture(pytester):
    pytester.makefile(".json", seed='{"users": "nobody"}')
    pytester.makepyfile(test_user="def test_x(click_emulator):\n    pass\n\ndef test_y():\n    pass\n")
    result = pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", "--click-emulator-seed", "seed.json")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*SeedError*users must be*"])
