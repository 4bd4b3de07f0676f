"""User groups: listing (with details), insert, update, soft delete, members, and what a delete leaves behind."""

from __future__ import annotations

import uuid

from emulator_testlib import (
    ACCOUNT_ID, ALICE_ID, BOB_ID, EDITORS_ID, ENGINEERING_ID, ERIN_ID, OLD_TEAM_ID, STUDIO_PROJECT_ID, VIEWERS_ID, assert_api_error,
    assert_no_body,
)

GROUP_KEYS = {"id", "accountId", "name", "description", "active", "deleted"}
DETAILS = "/usergroup/get_all_with_details"
PROJECT_GRANTS = "/userspermission/usergroups_project_permission"


def collection(response):
    assert response.status_code == 200, response.text
    return response.json()


def details(emu, **params):
    return {group["name"]: group for group in collection(emu.get(DETAILS, params=params))["data"]}


def test_details_inline_members_and_grants(emu):
    groups = details(emu)
    assert list(groups) == ["Editors", "Viewers"]
    editors = groups["Editors"]
    assert set(editors) == GROUP_KEYS | {"usersData", "drivesData", "projectsData"}
    assert [(row["user"]["username"], row["userUserGroup"]["userId"]) for row in editors["usersData"]] == [("alice@example.com", ALICE_ID)]
    assert [row["sharedCloudDrive"]["id"] for row in editors["drivesData"]] == [ENGINEERING_ID]
    assert editors["drivesData"][0]["permission"]["userGroupId"] == EDITORS_ID
    assert [(row["project"]["id"], row["permission"]["permissionType"]) for row in editors["projectsData"]] == [(STUDIO_PROJECT_ID, 1)]
    assert groups["Viewers"]["drivesData"] == [] and groups["Viewers"]["projectsData"] == []


def test_name_filter_is_a_case_insensitive_substring_and_deleted_groups_show_under_the_switch(emu):
    assert list(details(emu, name="DIT")) == ["Editors"]
    assert list(details(emu, name="team")) == []
    emu.settings(show_deleted=True)
    listed = details(emu, name="team")
    assert list(listed) == ["Old Team"] and listed["Old Team"]["deleted"] is True
    assert [g["id"] for g in collection(emu.get("/usergroup/get_all", params={"name": "TEAM"}))["data"]] == [OLD_TEAM_ID]


def test_pages_are_capped_and_followed(emu):
    emu.settings(max_page_size=1)
    first = collection(emu.get(DETAILS, params={"pagesize": 100}))
    second = collection(emu.get(DETAILS, params={"pagesize": 100, "page": 2}))
    assert first["total"] == 2 and [g["name"] for g in first["data"] + second["data"]] == ["Editors", "Viewers"]


def test_insert_update_and_duplicates(emu):
    created = collection(emu.post("/usergroup/insert", json={"name": "Design Team", "description": "Creative", "active": True}))
    assert set(created) == GROUP_KEYS and created["accountId"] == ACCOUNT_ID and created["deleted"] is False
    uuid.UUID(created["id"])
    assert assert_api_error(emu.post("/usergroup/insert", json={"name": "design TEAM"}), "DUPLICATE")
    assert_api_error(emu.post("/usergroup/insert", json={"name": "x" * 101}), "DEFAULT")
    assert_api_error(emu.post("/usergroup/insert", json={"name": " "}), "DEFAULT")
    assert collection(emu.post("/usergroup/insert", json={"name": "x" * 100}))["name"] == "x" * 100
    # Full replace: an omitted description becomes null.
    renamed = collection(emu.put("/usergroup/update", json={"id": created["id"], "name": "Designers"}))
    assert renamed["name"] == "Designers" and renamed["description"] is None and renamed["active"] is True
    assert_api_error(emu.put("/usergroup/update", json={"id": created["id"], "name": "editors"}), "DUPLICATE")
    assert_api_error(emu.put("/usergroup/update", json={"id": OLD_TEAM_ID, "name": "Old Team"}), "NOT_FOUND")
    # The name of a deleted group can be taken again.
    assert collection(emu.post("/usergroup/insert", json={"name": "Old Team"}))["name"] == "Old Team"


def test_group_writes_need_a_desktop_admin(emu):
    assert_api_error(emu.post("/usergroup/insert", json={"name": "Mine"}, token="alice-api-token"), "ACCESS")
    assert_api_error(emu.post("/usergroup/assign_users", json=[{"userId": ALICE_ID, "userGroupId": VIEWERS_ID}],
                              token="alice-api-token"), "ACCESS")


def test_assign_users_skips_existing_pairs_and_unassign_takes_the_membership_id(emu):
    pairs = [{"userId": ALICE_ID, "userGroupId": EDITORS_ID}, {"userId": ERIN_ID, "userGroupId": EDITORS_ID}]
    assert_no_body(emu.post("/usergroup/assign_users", json=pairs), 200)
    assert_no_body(emu.post("/usergroup/assign_users", json=pairs), 200)
    members = details(emu)["Editors"]["usersData"]
    assert sorted(row["user"]["username"] for row in members) == ["alice@example.com", "erin@example.com"]
    assert_api_error(emu.post("/usergroup/assign_users", json=[{"userId": str(uuid.uuid4()), "userGroupId": EDITORS_ID}]), "NOT_FOUND")
    assert_api_error(emu.post("/usergroup/assign_users", json=[{"userId": BOB_ID, "userGroupId": OLD_TEAM_ID}]), "NOT_FOUND")
    assert_api_error(emu.post("/usergroup/assign_users", json={"userId": BOB_ID}), "DEFAULT")
    erin = next(row for row in members if row["user"]["id"] == ERIN_ID)
    assert_api_error(emu.delete("/usergroup/unassign_user", params={"id": ERIN_ID}), "NOT_FOUND")
    assert_no_body(emu.delete("/usergroup/unassign_user", params={"id": erin["userUserGroup"]["id"]}), 200)
    assert_api_error(emu.delete("/usergroup/unassign_user", params={"id": erin["userUserGroup"]["id"]}), "NOT_FOUND")
    assert [row["user"]["id"] for row in details(emu)["Editors"]["usersData"]] == [ALICE_ID]


def test_delete_is_soft_and_leaves_members_and_grants(emu):
    assert_no_body(emu.delete("/usergroup/delete", params={"id": EDITORS_ID}), 200)
    assert_api_error(emu.delete("/usergroup/delete", params={"id": EDITORS_ID}), "NOT_FOUND")
    state = emu.state()
    editors = next(group for group in state["user_groups"] if group["id"] == EDITORS_ID)
    assert editors["deleted"] is True and editors["members"] == ["alice@example.com"]
    assert [perm["sharedCloudDriveId"] for perm in state["group_permissions"] if perm["userGroupId"] == EDITORS_ID] == [ENGINEERING_ID]
    assert next(project for project in state["projects"] if project["id"] == STUDIO_PROJECT_ID)["groups"] == ["Editors"]
    # A deleted group gives nothing: alice keeps Engineering through her own grant only.
    assert "Editors" not in details(emu)


def test_project_grant_of_a_group_is_taken_by_its_id(emu):
    grant = details(emu)["Editors"]["projectsData"][0]["permission"]
    assert_api_error(emu.delete(PROJECT_GRANTS, params={"id": STUDIO_PROJECT_ID}), "NOT_FOUND")
    assert_no_body(emu.delete(PROJECT_GRANTS, params={"id": grant["id"]}), 200)
    assert details(emu)["Editors"]["projectsData"] == []
    assert_api_error(emu.delete(PROJECT_GRANTS, params={"id": grant["id"]}, token="alice-api-token"), "ACCESS")
