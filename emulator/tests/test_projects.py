"""Projects: listing (with details), insert, update, soft delete, their drives, and who is in them (project permissions)."""

from __future__ import annotations

import uuid

import pytest

from emulator_testlib import (
    ACCOUNT_ID, ALICE_ID, ALICE_TOKEN, BOB_ID, CANCELLED_PROJECT_ID, DAVE_ID, DRIVE_KEYS, EDITORS_ID, ERIN_ID, FINANCE_ID, LAUNCH_ASSETS_ID,
    LAUNCH_PROJECT_ID, MARKETING_ID, OLD_ARCHIVE_ID, OLD_TEAM_ID, STUDIO_PROJECT_ID, VIEWERS_ID, assert_api_error, assert_no_body,
)

PROJECT_KEYS = {"id", "accountId", "name", "description", "active", "deleted"}
DETAILS = "/projects/get_all_with_details"
DRIVES_OF_PROJECT = "/projects/get_assigned_sharedclouddrives"
USER_GRANTS = "/userspermission/users_project_permission"
GROUP_GRANTS = "/userspermission/usergroups_project_permission"
USERS_OF_PROJECT = "/userspermission/get_users_assigned_to_project"
GROUPS_OF_PROJECT = "/userspermission/get_usergroups_assigned_to_project"
PROJECTS_OF_USER = "/userspermission/get_projects_assigned_to_user"
PROJECTS_OF_GROUP = "/userspermission/get_projects_assigned_to_usergroup"


def collection(response):
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "total", "options"}
    return body


def details(emu, **params):
    return {project["name"]: project for project in collection(emu.get(DETAILS, params=params))["data"]}


def reach(emu, username):
    """What the agent mounts for `username` after a sync: shared drive id -> permission type."""
    emu.agent(username=username)
    return {entry["sharedDriveId"]: entry["permissionType"] for entry in emu.sync()}


# -- projects ---------------------------------------------------------------

def test_details_inline_user_and_group_grants_and_drives(emu):
    projects = details(emu)
    assert list(projects) == ["Launch", "Studio"]
    launch = projects["Launch"]
    assert set(launch) == PROJECT_KEYS | {"usersData", "groupsData", "drivesData"}
    assert [set(row) for row in launch["usersData"]] == [{"user", "permission"}]
    assert launch["usersData"][0]["user"]["id"] == BOB_ID
    assert launch["usersData"][0]["permission"] == {"id": launch["usersData"][0]["permission"]["id"], "userId": BOB_ID,
                                                    "projectId": LAUNCH_PROJECT_ID, "permissionType": 2}
    assert launch["groupsData"] == []
    assert [set(row) for row in launch["drivesData"]] == [{"sharedCloudDrive", "projectSharedCloudDrive"}]
    drive_row = launch["drivesData"][0]
    assert set(drive_row["sharedCloudDrive"]) == DRIVE_KEYS and drive_row["sharedCloudDrive"]["id"] == LAUNCH_ASSETS_ID
    assert set(drive_row["projectSharedCloudDrive"]) == {"id", "projectId", "sharedCloudDriveId"}
    assert drive_row["projectSharedCloudDrive"]["projectId"] == LAUNCH_PROJECT_ID
    studio = projects["Studio"]
    assert [(row["userGroup"]["id"], row["permission"]["userGroupId"], row["permission"]["permissionType"]) for row in studio["groupsData"]] == [
        (EDITORS_ID, EDITORS_ID, 1)]
    assert set(studio["groupsData"][0]["permission"]) == {"id", "userGroupId", "projectId", "permissionType"}
    assert studio["usersData"] == [] and studio["drivesData"] == []


def test_name_filter_paging_and_deleted_projects_under_the_switch(emu):
    assert list(details(emu, name="AUN")) == ["Launch"]
    assert [p["name"] for p in collection(emu.get("/projects/get_all", params={"name": "cancel"}))["data"]] == []
    emu.settings(show_deleted=True)
    listed = details(emu, name="cancel")
    assert list(listed) == ["Cancelled"] and listed["Cancelled"]["deleted"] is True
    assert [p["id"] for p in collection(emu.get("/projects/get_all", params={"name": "CANCEL"}))["data"]] == [CANCELLED_PROJECT_ID]
    emu.settings(show_deleted=False, max_page_size=1)
    first = collection(emu.get(DETAILS, params={"pagesize": 50}))
    second = collection(emu.get(DETAILS, params={"pagesize": 50, "page": 2}))
    assert first["total"] == 2 and first["options"]["pageSize"] == 1
    assert [p["name"] for p in first["data"] + second["data"]] == ["Launch", "Studio"]


def test_insert_update_and_duplicates(emu):
    response = emu.post("/projects/insert", json={"name": "Campaign 2026", "description": "Q1", "active": True})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json"), response.text
    created = response.json()
    assert set(created) == PROJECT_KEYS and created["accountId"] == ACCOUNT_ID and created["deleted"] is False
    assert (created["name"], created["description"], created["active"]) == ("Campaign 2026", "Q1", True)
    uuid.UUID(created["id"])
    assert_api_error(emu.post("/projects/insert", json={"name": "CAMPAIGN 2026"}), "DUPLICATE")
    assert_api_error(emu.post("/projects/insert", json={"name": "x" * 101}), "DEFAULT")
    assert_api_error(emu.post("/projects/insert", json={"name": ""}), "DEFAULT")
    assert_api_error(emu.post("/projects/insert", json={"name": "Typed", "active": "yes"}), "DEFAULT")
    assert emu.post("/projects/insert", json={"name": "y" * 100}).json()["name"] == "y" * 100
    # Full replace: an omitted description becomes null, an omitted active true.
    renamed = emu.put("/projects/update", json={"id": created["id"], "name": "Campaign 2027"}).json()
    assert (renamed["name"], renamed["description"], renamed["active"]) == ("Campaign 2027", None, True)
    paused = emu.put("/projects/update", json={"id": created["id"], "name": "Campaign 2027", "active": False}).json()
    assert paused["active"] is False
    assert_api_error(emu.put("/projects/update", json={"id": created["id"], "name": "studio"}), "DUPLICATE")
    assert_api_error(emu.put("/projects/update", json={"id": CANCELLED_PROJECT_ID, "name": "Cancelled"}), "NOT_FOUND")
    assert_api_error(emu.put("/projects/update", json={"id": str(uuid.uuid4()), "name": "Nobody"}), "NOT_FOUND")
    assert_api_error(emu.put("/projects/update", json={"name": "No id"}), "DEFAULT")
    # The name of a deleted project can be taken again.
    assert emu.post("/projects/insert", json={"name": "Cancelled"}).json()["name"] == "Cancelled"
    names = [p["name"] for p in emu.state()["projects"] if not p["deleted"]]
    assert names == ["Launch", "Studio", "Campaign 2027", "y" * 100, "Cancelled"]


def test_project_writes_need_a_desktop_admin(emu):
    assert_api_error(emu.post("/projects/insert", json={"name": "Mine"}, token=ALICE_TOKEN), "ACCESS")
    assert_api_error(emu.put("/projects/update", json={"id": STUDIO_PROJECT_ID, "name": "Mine"}, token=ALICE_TOKEN), "ACCESS")
    assert_api_error(emu.delete("/projects/delete", params={"id": STUDIO_PROJECT_ID}, token=ALICE_TOKEN), "ACCESS")
    for path in (USER_GRANTS, GROUP_GRANTS):
        assert_api_error(emu.post(path, json=[], token=ALICE_TOKEN), "ACCESS")
        assert_api_error(emu.put(path, json=[], token=ALICE_TOKEN), "ACCESS")
        assert_api_error(emu.delete(path, params={"id": str(uuid.uuid4())}, token=ALICE_TOKEN), "ACCESS")
    assert [p["name"] for p in emu.state()["projects"]] == ["Launch", "Studio", "Cancelled"]
    assert collection(emu.get(DETAILS, token=ALICE_TOKEN))["total"] == 2  # reading is allowed to every token holder


def test_delete_is_soft_keeps_links_and_grants_and_gives_nothing(emu):
    assert reach(emu, "bob@example.com")[LAUNCH_ASSETS_ID] == 2
    assert_no_body(emu.delete("/projects/delete", params={"id": LAUNCH_PROJECT_ID}), 200)
    assert_api_error(emu.delete("/projects/delete", params={"id": LAUNCH_PROJECT_ID}), "NOT_FOUND")
    assert_api_error(emu.delete("/projects/delete", params={"id": str(uuid.uuid4())}), "NOT_FOUND")
    assert_api_error(emu.delete("/projects/delete"), "DEFAULT")
    state = emu.state()
    launch = next(project for project in state["projects"] if project["id"] == LAUNCH_PROJECT_ID)
    assert launch["deleted"] is True and launch["users"] == ["bob@example.com"]
    assert [link["sharedCloudDriveId"] for link in state["project_drives"] if link["projectId"] == LAUNCH_PROJECT_ID] == [LAUNCH_ASSETS_ID]
    assert [perm["userId"] for perm in state["user_project_permissions"] if perm["projectId"] == LAUNCH_PROJECT_ID] == [BOB_ID]
    assert LAUNCH_ASSETS_ID not in reach(emu, "bob@example.com")
    assert "Launch" not in details(emu)
    assert_api_error(emu.get(DRIVES_OF_PROJECT, params={"projectId": LAUNCH_PROJECT_ID}), "NOT_FOUND")
    assert_api_error(emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": LAUNCH_PROJECT_ID,
                                                                          "sharedCloudDriveId": MARKETING_ID}]), "NOT_FOUND")
    # What a deleted project keeps can still be taken back by its ids.
    link = next(link for link in state["project_drives"] if link["projectId"] == LAUNCH_PROJECT_ID)
    grant = next(perm for perm in state["user_project_permissions"] if perm["projectId"] == LAUNCH_PROJECT_ID)
    assert_no_body(emu.delete("/projects/unassign_sharedclouddrive", params={"id": link["id"]}), 200)
    assert_no_body(emu.delete(USER_GRANTS, params={"id": grant["id"]}), 200)
    state = emu.state()
    assert all(link["projectId"] != LAUNCH_PROJECT_ID for link in state["project_drives"])
    assert all(perm["projectId"] != LAUNCH_PROJECT_ID for perm in state["user_project_permissions"])


def test_drives_of_a_project(emu):
    emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": drive_id}
                                                        for drive_id in (MARKETING_ID, FINANCE_ID, LAUNCH_ASSETS_ID)])
    body = collection(emu.get(DRIVES_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))
    assert body["total"] == 3 and body["options"]["sort"] == [{"field": "SharedCloudDrive.Name", "descending": False}]
    assert [row["sharedCloudDrive"]["name"] for row in body["data"]] == ["Finance", "Launch Assets", "Marketing"]
    row = body["data"][0]
    assert set(row) == {"sharedCloudDrive", "projectSharedCloudDrive"} and set(row["sharedCloudDrive"]) == DRIVE_KEYS
    assert row["projectSharedCloudDrive"]["projectId"] == STUDIO_PROJECT_ID and row["projectSharedCloudDrive"]["sharedCloudDriveId"] == FINANCE_ID
    emu.settings(max_page_size=2)
    page_two = collection(emu.get(DRIVES_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID, "page": 2, "pagesize": 10}))
    assert [row["sharedCloudDrive"]["name"] for row in page_two["data"]] == ["Marketing"]
    newest_first = collection(emu.get(DRIVES_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID, "sortfield": "SharedCloudDrive.CreateDate",
                                                                 "descending": "true"}))
    assert [row["sharedCloudDrive"]["name"] for row in newest_first["data"]] == ["Finance", "Launch Assets"]
    emu.delete("/sharedclouddrive/delete", params={"id": FINANCE_ID})
    assert collection(emu.get(DRIVES_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))["total"] == 2
    assert [d["sharedCloudDrive"]["name"] for d in details(emu)["Studio"]["drivesData"]] == ["Launch Assets", "Marketing"]
    assert_api_error(emu.get(DRIVES_OF_PROJECT), "DEFAULT")
    assert_api_error(emu.get(DRIVES_OF_PROJECT, params={"projectId": str(uuid.uuid4())}), "NOT_FOUND")
    assert_api_error(emu.get(DRIVES_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID, "sortfield": "Name"}), "DEFAULT")


# -- who is in a project ----------------------------------------------------

def test_user_grant_lifecycle(emu):
    assert_no_body(emu.post(USER_GRANTS, json=[{"userId": ERIN_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 1}]), 200)
    body = collection(emu.get(USERS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))
    assert body["total"] == 1 and body["options"]["sort"] == [{"field": "User.Username", "descending": False}]
    row = body["data"][0]
    assert set(row) == {"user", "project", "permission"}
    assert row["user"]["id"] == ERIN_ID and set(row["project"]) == PROJECT_KEYS and row["project"]["id"] == STUDIO_PROJECT_ID
    permission = row["permission"]
    assert set(permission) == {"id", "userId", "projectId", "permissionType"}
    assert (permission["userId"], permission["projectId"], permission["permissionType"]) == (ERIN_ID, STUDIO_PROJECT_ID, 1)

    # A second grant of the same user on the same project is refused, as for drives; PUT changes it.
    assert_api_error(emu.post(USER_GRANTS, json=[{"userId": ERIN_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 2}]), "DUPLICATE")
    changed = dict(permission, permissionType=2)
    assert_no_body(emu.put(USER_GRANTS, json=[changed]), 200)
    assert collection(emu.get(USERS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))["data"][0]["permission"] == changed
    assert_no_body(emu.delete(USER_GRANTS, params={"id": permission["id"]}), 200)
    assert collection(emu.get(USERS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))["total"] == 0
    assert_api_error(emu.delete(USER_GRANTS, params={"id": permission["id"]}), "NOT_FOUND")
    assert_api_error(emu.put(USER_GRANTS, json=[changed]), "NOT_FOUND")


def test_group_grant_lifecycle(emu):
    assert_no_body(emu.post(GROUP_GRANTS, json=[{"userGroupId": VIEWERS_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 2}]), 200)
    body = collection(emu.get(GROUPS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))
    assert body["options"]["sort"] == [{"field": "UserGroup.Name", "descending": False}]
    assert [(row["userGroup"]["name"], row["permission"]["permissionType"]) for row in body["data"]] == [("Editors", 1), ("Viewers", 2)]
    row = body["data"][1]
    assert set(row) == {"userGroup", "project", "permission"} and row["project"]["id"] == STUDIO_PROJECT_ID
    permission = row["permission"]
    assert set(permission) == {"id", "userGroupId", "projectId", "permissionType"} and permission["userGroupId"] == VIEWERS_ID
    filtered = collection(emu.get(GROUPS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID, "name": "VIEW"}))
    assert [r["userGroup"]["name"] for r in filtered["data"]] == ["Viewers"]
    assert_api_error(emu.post(GROUP_GRANTS, json=[{"userGroupId": VIEWERS_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 1}]),
                     "DUPLICATE")
    assert_no_body(emu.put(GROUP_GRANTS, json=[dict(permission, permissionType=1)]), 200)
    assert_no_body(emu.delete(GROUP_GRANTS, params={"id": permission["id"]}), 200)
    assert [r["userGroup"]["name"] for r in collection(emu.get(GROUPS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))["data"]] == [
        "Editors"]


@pytest.mark.parametrize("path,body,code", [
    (USER_GRANTS, {"userId": str(uuid.uuid4()), "projectId": STUDIO_PROJECT_ID, "permissionType": 1}, "NOT_FOUND"),
    (USER_GRANTS, {"userId": ERIN_ID, "projectId": CANCELLED_PROJECT_ID, "permissionType": 1}, "NOT_FOUND"),
    (USER_GRANTS, {"userId": ERIN_ID, "projectId": MARKETING_ID, "permissionType": 1}, "NOT_FOUND"),
    (USER_GRANTS, {"userId": ERIN_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 0}, "DEFAULT"),
    (USER_GRANTS, {"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}, "DEFAULT"),
    (USER_GRANTS, {"userId": BOB_ID, "projectId": LAUNCH_PROJECT_ID, "permissionType": 1}, "DUPLICATE"),
    (GROUP_GRANTS, {"userGroupId": OLD_TEAM_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 1}, "NOT_FOUND"),
    (GROUP_GRANTS, {"userGroupId": VIEWERS_ID, "projectId": str(uuid.uuid4()), "permissionType": 1}, "NOT_FOUND"),
    (GROUP_GRANTS, {"userGroupId": VIEWERS_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": "2"}, "DEFAULT"),
    (GROUP_GRANTS, {"userGroupId": EDITORS_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 2}, "DUPLICATE"),
])
def test_bad_grants_write_nothing(emu, path, body, code):
    good = ({"userId": DAVE_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 1} if path == USER_GRANTS
            else {"userGroupId": VIEWERS_ID, "projectId": LAUNCH_PROJECT_ID, "permissionType": 1})
    before = emu.state()
    assert_api_error(emu.post(path, json=[good, body]), code)
    after = emu.state()
    assert after["user_project_permissions"] == before["user_project_permissions"]
    assert after["group_project_permissions"] == before["group_project_permissions"]


def test_the_same_grant_twice_in_one_request_is_duplicate_and_bodies_must_be_arrays(emu):
    grant = {"userId": ERIN_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 1}
    assert_api_error(emu.post(USER_GRANTS, json=[grant, dict(grant, permissionType=2)]), "DUPLICATE")
    assert_api_error(emu.post(USER_GRANTS, json=grant), "DEFAULT")
    assert_no_body(emu.post(USER_GRANTS, json=[]), 200)
    assert len(emu.state()["user_project_permissions"]) == 2


def test_projects_of_a_user_and_of_a_group(emu):
    emu.post(USER_GRANTS, json=[{"userId": BOB_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 1}])
    body = collection(emu.get(PROJECTS_OF_USER, params={"userId": BOB_ID}))
    assert body["options"]["sort"] == [{"field": "Project.Name", "descending": False}]
    # The grant on the deleted project "Cancelled" is not listed.
    assert [(row["project"]["name"], row["permission"]["permissionType"]) for row in body["data"]] == [("Launch", 2), ("Studio", 1)]
    assert set(body["data"][0]) == {"user", "project", "permission"} and body["data"][0]["user"]["id"] == BOB_ID
    assert [row["project"]["name"] for row in collection(emu.get(PROJECTS_OF_USER, params={"userId": BOB_ID, "name": "STU"}))["data"]] == [
        "Studio"]
    assert collection(emu.get(PROJECTS_OF_USER, params={"userId": ALICE_ID}))["total"] == 0  # alice is in Studio only through Editors
    assert_api_error(emu.get(PROJECTS_OF_USER), "DEFAULT")
    assert_api_error(emu.get(PROJECTS_OF_USER, params={"userId": str(uuid.uuid4())}), "NOT_FOUND")
    groups = collection(emu.get(PROJECTS_OF_GROUP, params={"userGroupId": EDITORS_ID}))
    assert [(row["userGroup"]["id"], row["project"]["id"]) for row in groups["data"]] == [(EDITORS_ID, STUDIO_PROJECT_ID)]
    assert set(groups["data"][0]) == {"userGroup", "project", "permission"}
    assert_api_error(emu.get(PROJECTS_OF_GROUP, params={"userGroupId": OLD_TEAM_ID}), "NOT_FOUND")
    assert_api_error(emu.get(PROJECTS_OF_GROUP, params={"userGroupId": "editors"}), "DEFAULT")


def test_grants_of_a_deleted_group_stay_listed_on_the_project(emu):
    emu.delete("/usergroup/delete", params={"id": EDITORS_ID})
    rows = collection(emu.get(GROUPS_OF_PROJECT, params={"projectId": STUDIO_PROJECT_ID}))["data"]
    assert [(row["userGroup"]["id"], row["userGroup"]["deleted"]) for row in rows] == [(EDITORS_ID, True)]
    assert [row["userGroup"]["deleted"] for row in details(emu)["Studio"]["groupsData"]] == [True]
    assert_api_error(emu.get(PROJECTS_OF_GROUP, params={"userGroupId": EDITORS_ID}), "NOT_FOUND")


# -- access through a project reaches desktops ------------------------------

def test_grants_made_through_the_routes_reach_desktops(emu):
    assert reach(emu, "erin@example.com") == {}
    emu.post(USER_GRANTS, json=[{"userId": ERIN_ID, "projectId": LAUNCH_PROJECT_ID, "permissionType": 1}])
    assert reach(emu, "erin@example.com") == {LAUNCH_ASSETS_ID: 1}
    emu.post(GROUP_GRANTS, json=[{"userGroupId": VIEWERS_ID, "projectId": STUDIO_PROJECT_ID, "permissionType": 2}])
    emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": MARKETING_ID}])
    assert reach(emu, "bob@example.com")[MARKETING_ID] == 2  # Viewers' ReadWrite grant on Studio beats bob's direct Read
    assert reach(emu, "alice@example.com")[MARKETING_ID] == 1  # Editors' Read grant on Studio
    grant = collection(emu.get(USERS_OF_PROJECT, params={"projectId": LAUNCH_PROJECT_ID, "username": "erin"}))["data"][0]["permission"]
    emu.delete(USER_GRANTS, params={"id": grant["id"]})
    assert reach(emu, "erin@example.com") == {}
    emu.put("/projects/update", json={"id": STUDIO_PROJECT_ID, "name": "Studio", "active": False})
    assert reach(emu, "alice@example.com")[MARKETING_ID] == 1  # an inactive project still gives its drives (only deleted ones do not)


def test_deleted_drive_links_do_not_appear_and_old_archive_is_not_assignable(emu):
    assert_api_error(emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": STUDIO_PROJECT_ID,
                                                                          "sharedCloudDriveId": OLD_ARCHIVE_ID}]), "NOT_FOUND")
    assert details(emu)["Studio"]["drivesData"] == []
