"""Seeds shipped with the package (--seed-preset), and an empty account with the same users (--users-only)."""

from __future__ import annotations

import json
import subprocess

import pytest

import amove_click_emulator

from emulator_testlib import EMULATOR, EMULATOR_ENV, Emu

AGENCY_USERS = ["ops@northwind.example", "it@northwind.example", "maya@northwind.example", "leo@northwind.example", "sara@northwind.example",
                "dan@northwind.example", "priya@northwind.example", "tom@northwind.example", "grace@northwind.example",
                "ex.intern@northwind.example", "new.hire@northwind.example"]
AGENCY_SECRETS = ["northwind-aws-production-secret", "northwind-wasabi-archive-secret", "northwind-minio-studio-secret",
                  "northwind-cloudflare-r2-secret", "AKIANORTHWINDPROD001", "ops-password"]


def every_page(emu, path, **params):
    """All rows of a list route, page after page; and how many pages it took."""
    rows, page = [], 1
    while True:
        response = emu.get(path, params=dict(params, page=page, pagesize=100))
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["data"]
        if not body["data"] or len(rows) >= body["total"]:
            return rows, page
        page += 1


@pytest.fixture(scope="module")
def agency():
    """The agency preset on three agents, with pages of at most 10 rows."""
    process = amove_click_emulator.start(ports=[0, 0, 0], seed_file=amove_click_emulator.seed_preset("agency"), settings={"max_page_size": 10})
    yield [Emu(url) for url in process.urls]
    process.stop()


def test_the_presets_shipped(tmp_path):
    assert amove_click_emulator.seed_presets() == ["agency"]
    assert amove_click_emulator.seed_preset("agency").endswith("agency.json")
    with pytest.raises(ValueError, match="unknown seed preset 'nope'"):
        amove_click_emulator.seed_preset("nope")
    seed = json.loads(open(amove_click_emulator.seed_preset("agency"), encoding="utf-8").read())
    assert [user["username"] for user in seed["users"]] == AGENCY_USERS


def test_agency_holds_an_account_worth_exporting(agency):
    ops, _maya, _dan = agency
    assert ops.get("/authentication/user").json()["username"] == "ops@northwind.example"  # the default API token is the owner's
    accounts = ops.get("/cloud/accounts").json()
    assert [(account["name"], account["cloudType"]) for account in accounts] == [
        ("AWS Production", 1), ("Wasabi Archive", 2), ("MinIO Studio", 8), ("Cloudflare R2", 64)]
    drives, pages = every_page(ops, "/sharedclouddrive/get_all_with_details")
    assert len(drives) == 24 and pages == 3  # more than one page of drives
    assert len({drive["cloudAccountId"] for drive in drives}) == 4
    assert all(drive["usersData"] or drive["groupsData"] or drive["projectsData"] for drive in drives)
    assert sum(bool(drive["usersData"]) for drive in drives) >= 8 and sum(bool(drive["projectsData"]) for drive in drives) >= 10
    assert {drive["syncType"] for drive in drives} == {1, 2} and {drive["driveType"] for drive in drives} == {1, 2}
    assert any(not drive["active"] for drive in drives) and any(drive["cloudObjectsEncrypted"] for drive in drives)
    groups, _pages = every_page(ops, "/usergroup/get_all_with_details")
    members = {group["name"]: sorted(row["user"]["username"] for row in group["usersData"]) for group in groups}
    assert list(members) == ["Contractors", "Editors", "Everyone", "Finance", "Producers"]
    assert members["Editors"] == ["leo@northwind.example", "maya@northwind.example", "sara@northwind.example"]
    assert "ex.intern@northwind.example" in members["Contractors"]  # an inactive member
    projects, _pages = every_page(ops, "/projects/get_all_with_details")
    assert [project["name"] for project in projects] == ["Brand Refresh", "Client Portal", "Documentary", "Spring Campaign"]
    spring = projects[3]
    assert len(spring["usersData"]) == 2 and len(spring["groupsData"]) == 2 and len(spring["drivesData"]) == 3
    state = ops.state()
    deleted = {name for table in ("cloud_accounts", "user_groups", "projects", "shared_cloud_drives")
               for name in (record["name"] for record in state[table] if record["deleted"])}
    assert deleted == {"Old Backblaze", "Interns 2023", "Archive 2023", "Old Renders"}
    text = json.dumps(state) + json.dumps(accounts) + json.dumps(drives)
    assert not [secret for secret in AGENCY_SECRETS if secret in text]


def test_agency_has_three_desktops_of_different_people(agency):
    agents = [emu.control("GET", "agent").json() for emu in agency]
    assert [(agent["username"], agent["platform"], agent["osLetters"]) for agent in agents] == [
        ("ops@northwind.example", "windows", ["C"]), ("maya@northwind.example", "windows", ["C", "D"]), ("dan@northwind.example", "macos", ["C"])]
    mounted = [{entry["name"] for entry in emu.sync()} for emu in agency]
    assert len(mounted[0]) == 24 and 5 <= len(mounted[1]) < 24 and 5 <= len(mounted[2]) < 24 and mounted[1] != mounted[2]


def test_users_only_is_an_empty_account_with_the_same_users(start_emulator):
    emu = Emu(start_emulator("--seed-preset", "agency", "--users-only", "--agents", "3", agents=3).url)
    for _attempt in range(2):  # a reset keeps it so
        state = emu.state()
        assert sorted(user["username"] for user in state["users"]) == sorted(AGENCY_USERS)
        assert state["account"]["name"] == "Northwind Studio"
        for table in ("cloud_accounts", "user_groups", "projects", "shared_cloud_drives", "user_permissions", "group_permissions",
                      "user_project_permissions", "group_project_permissions", "project_drives"):
            assert state[table] == [], table
        assert [agent["username"] for agent in state["agents"]] == ["ops@northwind.example", "maya@northwind.example", "dan@northwind.example"]
        assert state["agents"][2]["platform"] == "macos"
        assert emu.get("/authentication/user").json()["username"] == "ops@northwind.example"
        assert emu.get("/user/package_inquiry").json()["drives"] == 200
        emu.reset()
    # The people are there to be given what the account is rebuilt with.
    maya = next(user["id"] for user in emu.state()["users"] if user["username"] == "maya@northwind.example")
    group = emu.post("/usergroup/insert", json={"name": "Editors"}).json()
    assert emu.post("/usergroup/assign_users", json=[{"userId": maya, "userGroupId": group["id"]}]).status_code == 200


def test_users_only_of_the_built_in_seed_and_from_python():
    with amove_click_emulator.start(users_only=True) as running:
        emu = Emu(running.url)
        assert emu.get("/cloud/accounts").json() == []
        assert [user["username"] for user in emu.state()["users"]] == ["admin@example.com", "alice@example.com", "bob@example.com"]


@pytest.mark.parametrize("args", [["--seed-preset", "nope"], ["--seed-preset", "agency", "--seed", "seed.json"], ["--users-only", "yes"]])
def test_bad_preset_arguments_exit_with_2(args):
    result = subprocess.run([*EMULATOR, "--port", "0", *args], capture_output=True, text=True, timeout=20, check=False, env=EMULATOR_ENV)
    assert result.returncode == 2 and "usage:" in result.stderr
