"""Who gets a drive: users, groups, projects, permissions, project links, and what sync mounts."""

from __future__ import annotations

import uuid

import pytest

from emulator_testlib import (
    ACCOUNT_ID, ADMIN_ID, ALICE_ID, ALICE_TOKEN, BOB_ID, CANCELLED_PROJECT_ID, DAVE_ID, DRIVE_KEYS, EDITORS_ID, ENGINEERING_ID, ERIN_ID,
    FINANCE_ID, LAUNCH_ASSETS_ID, LAUNCH_PROJECT_ID, MARKETING_ID, OLD_ARCHIVE_ID, OLD_TEAM_ID, STUDIO_PROJECT_ID, VIEWERS_ID,
    assert_api_error, assert_no_body,
)

USER_PERMS = "/userspermission/users_sharedclouddrive_permision"
GROUP_PERMS = "/userspermission/usergroup_sharedclouddrive_permission"
USERS_OF_DRIVE = "/userspermission/get_users_assigned_to_sharedclouddrive"
GROUPS_OF_DRIVE = "/userspermission/get_usergroups_assigned_to_sharedclouddrive"
USER_KEYS = {"id", "firstname", "lastname", "username", "email", "userType", "status", "owner", "mfa", "createDate"}
GROUP_KEYS = {"id", "accountId", "name", "description", "active", "deleted"}


def collection(response):
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "total", "options"}
    return body


def user_rows(emu, drive_id, **params):
    return collection(emu.get(USERS_OF_DRIVE, params=dict(params, sharedCloudDriveId=drive_id)))


def group_rows(emu, drive_id, **params):
    return collection(emu.get(GROUPS_OF_DRIVE, params=dict(params, sharedCloudDrive=drive_id)))


def reach(emu, username):
    """What the agent mounts for `username` after a sync: shared drive id -> permission type."""
    emu.agent(username=username)
    return {entry["sharedDriveId"]: entry["permissionType"] for entry in emu.sync()}


# -- users, groups, projects ------------------------------------------------

def test_get_all_users_defaults_to_newest_first(emu):
    body = collection(emu.get("/user/get_all_users"))
    assert body["total"] == 6
    assert body["options"]["sort"] == [{"field": "CreateDate", "descending": True}]
    assert [user["username"] for user in body["data"]][:2] == ["erin@example.com", "dave@example.com"]
    assert all(set(user) == USER_KEYS for user in body["data"])
    admin = next(user for user in body["data"] if user["id"] == ADMIN_ID)
    assert admin["owner"] is True and admin["userType"] == 16 and admin["email"] == "admin@example.com"


def test_get_all_users_filters(emu):
    def usernames(**params):
        params.update(sortfield="Username", descending="false")
        return [user["username"] for user in collection(emu.get("/user/get_all_users", params=params))["data"]]
    assert usernames(username="ALI") == ["alice@example.com"]
    assert usernames(username="example") == ["admin@example.com", "alice@example.com", "bob@example.com", "carol@example.com",
                                             "dave@example.com", "erin@example.com"]
    assert usernames(userStatus=2) == ["dave@example.com"]
    assert usernames(userType=16) == ["admin@example.com", "erin@example.com"]
    assert usernames(userType=96) == ["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"]
    assert usernames(userType=0) == usernames()
    assert [u["username"] for u in collection(emu.get("/user/get_all_users", params={"pagesize": 2, "page": 3}))["data"]] == [
        "alice@example.com", "admin@example.com"]
    assert_api_error(emu.get("/user/get_all_users", params={"sortfield": "Password"}), "DEFAULT")
    assert_api_error(emu.get("/user/get_all_users", params={"userStatus": "x"}), "DEFAULT")


def test_user_groups_list_excludes_deleted_and_filters_by_substring(emu):
    body = collection(emu.get("/usergroup/get_all"))
    assert [group["name"] for group in body["data"]] == ["Editors", "Viewers"]
    assert all(set(group) == GROUP_KEYS and group["accountId"] == ACCOUNT_ID for group in body["data"])
    assert [g["id"] for g in collection(emu.get("/usergroup/get_all", params={"name": "VIEW"}))["data"]] == [VIEWERS_ID]
    assert [g["name"] for g in collection(emu.get("/usergroup/get_all", params={"descending": "true"}))["data"]] == ["Viewers", "Editors"]


def test_group_members(emu):
    body = collection(emu.get("/usergroup/get_assigned_users", params={"userGroupId": EDITORS_ID}))
    assert body["total"] == 1
    row = body["data"][0]
    assert set(row) == {"user", "userUserGroup"}
    assert row["user"]["id"] == ALICE_ID and set(row["user"]) == USER_KEYS
    assert row["userUserGroup"]["userId"] == ALICE_ID and row["userUserGroup"]["userGroupId"] == EDITORS_ID
    uuid.UUID(row["userUserGroup"]["id"])
    assert collection(emu.get("/usergroup/get_assigned_users", params={"userGroupId": EDITORS_ID, "username": "bob"}))["total"] == 0
    assert_api_error(emu.get("/usergroup/get_assigned_users"), "DEFAULT")
    assert_api_error(emu.get("/usergroup/get_assigned_users", params={"userGroupId": OLD_TEAM_ID}), "NOT_FOUND")
    assert_api_error(emu.get("/usergroup/get_assigned_users", params={"userGroupId": str(uuid.uuid4())}), "NOT_FOUND")


def test_projects_list(emu):
    body = collection(emu.get("/projects/get_all"))
    assert [(p["id"], p["name"]) for p in body["data"]] == [(LAUNCH_PROJECT_ID, "Launch"), (STUDIO_PROJECT_ID, "Studio")]
    assert all(set(p) == GROUP_KEYS for p in body["data"])
    assert [p["name"] for p in collection(emu.get("/projects/get_all", params={"name": "stu"}))["data"]] == ["Studio"]
    assert_api_error(emu.get("/projects/get_all", params={"sortfield": "Project.Name"}), "DEFAULT")


# -- user permissions -------------------------------------------------------

def test_user_permission_lifecycle(emu):
    assert_no_body(emu.post(USER_PERMS, json=[{"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}]), 200)
    body = user_rows(emu, FINANCE_ID)
    assert body["total"] == 1 and body["options"]["sort"] == [{"field": "User.Username", "descending": False}]
    row = body["data"][0]
    assert set(row) == {"user", "sharedClouDrive", "permission"}  # the misspelt key is real
    assert row["user"]["id"] == ERIN_ID and set(row["sharedClouDrive"]) == DRIVE_KEYS and row["sharedClouDrive"]["id"] == FINANCE_ID
    permission = row["permission"]
    assert set(permission) == {"id", "userId", "sharedCloudDriveId", "permissionType"}
    assert (permission["userId"], permission["sharedCloudDriveId"], permission["permissionType"]) == (ERIN_ID, FINANCE_ID, 1)

    duplicate = emu.post(USER_PERMS, json=[{"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 2}])
    assert_api_error(duplicate, "DUPLICATE")

    changed = dict(permission, permissionType=2)
    assert_no_body(emu.put(USER_PERMS, json=[changed]), 200)
    assert user_rows(emu, FINANCE_ID)["data"][0]["permission"] == changed

    assert_no_body(emu.delete(USER_PERMS, params={"id": permission["id"]}), 200)
    assert user_rows(emu, FINANCE_ID)["total"] == 0
    assert_api_error(emu.delete(USER_PERMS, params={"id": permission["id"]}), "NOT_FOUND")
    assert_api_error(emu.put(USER_PERMS, json=[changed]), "NOT_FOUND")


def test_user_permission_list_paging_and_filter(emu):
    emu.post(USER_PERMS, json=[{"userId": user_id, "sharedCloudDriveId": MARKETING_ID, "permissionType": 2}
                               for user_id in (ALICE_ID, ERIN_ID, DAVE_ID)])
    body = user_rows(emu, MARKETING_ID, pagesize=2)
    assert body["total"] == 4 and [r["user"]["username"] for r in body["data"]] == ["alice@example.com", "bob@example.com"]
    assert [r["user"]["username"] for r in user_rows(emu, MARKETING_ID, username="ERIN")["data"]] == ["erin@example.com"]
    assert [r["user"]["username"] for r in user_rows(emu, MARKETING_ID, descending="true")["data"]][0] == "erin@example.com"
    assert_api_error(emu.get(USERS_OF_DRIVE, params={"sharedCloudDriveId": MARKETING_ID, "sortfield": "Username"}), "DEFAULT")


@pytest.mark.parametrize("body,code", [
    ({"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 3}, "DEFAULT"),
    ({"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": True}, "DEFAULT"),
    ({"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID}, "DEFAULT"),
    ({"userId": "erin", "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}, "DEFAULT"),
    ({"userId": str(uuid.uuid4()), "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}, "NOT_FOUND"),
    ({"userId": ERIN_ID, "sharedCloudDriveId": str(uuid.uuid4()), "permissionType": 1}, "NOT_FOUND"),
    ({"userId": ERIN_ID, "sharedCloudDriveId": OLD_ARCHIVE_ID, "permissionType": 1}, "NOT_FOUND"),
    ({"userId": BOB_ID, "sharedCloudDriveId": MARKETING_ID, "permissionType": 2}, "DUPLICATE"),
])
def test_bad_user_permissions_write_nothing(emu, body, code):
    good = {"userId": DAVE_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}
    assert_api_error(emu.post(USER_PERMS, json=[good, body]), code)
    assert len(emu.state()["user_permissions"]) == 2  # all or nothing


def test_the_same_pair_twice_in_one_request_is_duplicate(emu):
    pair = {"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}
    assert_api_error(emu.post(USER_PERMS, json=[pair, dict(pair, permissionType=2)]), "DUPLICATE")


def test_permission_bodies_must_be_arrays(emu):
    single = {"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}
    assert_api_error(emu.post(USER_PERMS, json=single), "DEFAULT")
    assert_api_error(emu.post(USER_PERMS, json=["x"]), "DEFAULT")
    assert_api_error(emu.post(USER_PERMS, data=b"[", headers={"Content-Type": "application/json"}), "DEFAULT")
    assert_no_body(emu.post(USER_PERMS, json=[]), 200)


def test_permission_delete_and_list_need_valid_ids(emu):
    assert_api_error(emu.delete(USER_PERMS), "DEFAULT")
    assert_api_error(emu.delete(USER_PERMS, params={"id": "nope"}), "DEFAULT")
    assert_api_error(emu.delete(USER_PERMS, params={"id": str(uuid.uuid4())}), "NOT_FOUND")
    assert_api_error(emu.get(USERS_OF_DRIVE), "DEFAULT")
    assert_api_error(emu.get(USERS_OF_DRIVE, params={"sharedCloudDriveId": str(uuid.uuid4())}), "NOT_FOUND")
    assert_api_error(emu.get(USERS_OF_DRIVE, params={"sharedCloudDriveId": OLD_ARCHIVE_ID}), "NOT_FOUND")


def test_put_cannot_move_a_permission_onto_an_existing_pair(emu):
    permission = user_rows(emu, MARKETING_ID)["data"][0]["permission"]
    emu.post(USER_PERMS, json=[{"userId": ERIN_ID, "sharedCloudDriveId": MARKETING_ID, "permissionType": 1}])
    assert_api_error(emu.put(USER_PERMS, json=[dict(permission, userId=ERIN_ID)]), "DUPLICATE")
    assert_api_error(emu.put(USER_PERMS, json=[dict(permission, permissionType=0)]), "DEFAULT")
    assert_api_error(emu.put(USER_PERMS, json=[{k: v for k, v in permission.items() if k != "id"}]), "DEFAULT")


def test_double_s_spelling_does_not_exist(emu):
    body = [{"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}]
    assert_no_body(emu.post("/userspermission/users_sharedclouddrive_permission", json=body), 404)


# -- group permissions ------------------------------------------------------

def test_group_permission_lifecycle(emu):
    assert_no_body(emu.post(GROUP_PERMS, json=[{"userGroupId": VIEWERS_ID, "sharedCloudDriveId": ENGINEERING_ID, "permissionType": 1}]), 200)
    body = group_rows(emu, ENGINEERING_ID)
    assert [row["userGroup"]["name"] for row in body["data"]] == ["Editors", "Viewers"]
    row = body["data"][1]
    assert set(row) == {"userGroup", "sharedCloudDrive", "permission"}
    assert set(row["userGroup"]) == GROUP_KEYS and row["sharedCloudDrive"]["id"] == ENGINEERING_ID
    permission = row["permission"]
    assert set(permission) == {"id", "userGroupId", "sharedCloudDriveId", "permissionType"}
    assert (permission["userGroupId"], permission["permissionType"]) == (VIEWERS_ID, 1)
    assert [r["userGroup"]["name"] for r in group_rows(emu, ENGINEERING_ID, name="view")["data"]] == ["Viewers"]

    assert_api_error(emu.post(GROUP_PERMS, json=[{"userGroupId": VIEWERS_ID, "sharedCloudDriveId": ENGINEERING_ID, "permissionType": 2}]),
                     "DUPLICATE")
    assert_no_body(emu.put(GROUP_PERMS, json=[dict(permission, permissionType=2)]), 200)
    assert group_rows(emu, ENGINEERING_ID, name="view")["data"][0]["permission"]["permissionType"] == 2
    assert_no_body(emu.delete(GROUP_PERMS, params={"id": permission["id"]}), 200)
    assert group_rows(emu, ENGINEERING_ID)["total"] == 1
    assert_api_error(emu.delete(GROUP_PERMS, params={"id": permission["id"]}), "NOT_FOUND")


def test_group_list_takes_the_drive_id_as_shared_cloud_drive(emu):
    response = emu.get(GROUPS_OF_DRIVE, params={"sharedCloudDriveId": ENGINEERING_ID})  # the wrong, "obvious" name
    assert "sharedCloudDrive field is required" in assert_api_error(response, "DEFAULT")


@pytest.mark.parametrize("body,code", [
    ({"userGroupId": OLD_TEAM_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}, "NOT_FOUND"),
    ({"userGroupId": str(uuid.uuid4()), "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}, "NOT_FOUND"),
    ({"userGroupId": VIEWERS_ID, "sharedCloudDriveId": OLD_ARCHIVE_ID, "permissionType": 1}, "NOT_FOUND"),
    ({"userGroupId": VIEWERS_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 0}, "DEFAULT"),
    ({"userId": VIEWERS_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}, "DEFAULT"),
])
def test_bad_group_permissions(emu, body, code):
    assert_api_error(emu.post(GROUP_PERMS, json=[body]), code)


# -- projects and drives ----------------------------------------------------

def test_project_assignment_lifecycle(emu):
    link = {"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": FINANCE_ID}
    assert_no_body(emu.post("/projects/assign_sharedclouddrive", json=[link]), 200)
    assert_no_body(emu.post("/projects/assign_sharedclouddrive", json=[link, link]), 200)  # existing pairs are skipped
    body = collection(emu.get("/projects/get_assigned_projects", params={"sharedCloudDriveId": FINANCE_ID}))
    assert body["options"]["sort"] == [{"field": "Project.Name", "descending": False}]
    assert [row["project"]["name"] for row in body["data"]] == ["Cancelled", "Studio"]
    row = body["data"][1]
    assert set(row) == {"project", "projectSharedCloudDrive"}
    join = row["projectSharedCloudDrive"]
    assert set(join) == {"id", "projectId", "sharedCloudDriveId"} and join["projectId"] == STUDIO_PROJECT_ID
    assert len([j for j in emu.state()["project_drives"] if j["sharedCloudDriveId"] == FINANCE_ID]) == 2

    assert_api_error(emu.delete("/projects/unassign_sharedclouddrive", params={"id": STUDIO_PROJECT_ID}), "NOT_FOUND")  # a project id
    assert_no_body(emu.delete("/projects/unassign_sharedclouddrive", params={"id": join["id"]}), 200)
    assert_api_error(emu.delete("/projects/unassign_sharedclouddrive", params={"id": join["id"]}), "NOT_FOUND")
    assert_api_error(emu.delete("/projects/unassign_sharedclouddrive"), "DEFAULT")
    remaining = collection(emu.get("/projects/get_assigned_projects", params={"sharedCloudDriveId": FINANCE_ID}))
    assert [row["project"]["id"] for row in remaining["data"]] == [CANCELLED_PROJECT_ID]


@pytest.mark.parametrize("link,code", [
    ({"projectId": str(uuid.uuid4()), "sharedCloudDriveId": FINANCE_ID}, "NOT_FOUND"),
    ({"projectId": CANCELLED_PROJECT_ID, "sharedCloudDriveId": MARKETING_ID}, "NOT_FOUND"),
    ({"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": OLD_ARCHIVE_ID}, "NOT_FOUND"),
    ({"projectId": STUDIO_PROJECT_ID}, "DEFAULT"),
    ({"projectId": "studio", "sharedCloudDriveId": FINANCE_ID}, "DEFAULT"),
])
def test_bad_project_assignments_write_nothing(emu, link, code):
    good = {"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": MARKETING_ID}
    assert_api_error(emu.post("/projects/assign_sharedclouddrive", json=[good, link]), code)
    assert len(emu.state()["project_drives"]) == 2


def test_assigned_projects_needs_a_live_drive(emu):
    assert_api_error(emu.get("/projects/get_assigned_projects"), "DEFAULT")
    assert_api_error(emu.get("/projects/get_assigned_projects", params={"sharedCloudDriveId": OLD_ARCHIVE_ID}), "NOT_FOUND")


def test_non_admins_cannot_change_assignments(emu):
    assert_api_error(emu.post(USER_PERMS, token=ALICE_TOKEN, json=[]), "ACCESS")
    assert_api_error(emu.post(GROUP_PERMS, token=ALICE_TOKEN, json=[]), "ACCESS")
    assert_api_error(emu.post("/projects/assign_sharedclouddrive", token=ALICE_TOKEN, json=[]), "ACCESS")
    assert_api_error(emu.delete("/projects/unassign_sharedclouddrive", token=ALICE_TOKEN, params={"id": str(uuid.uuid4())}), "ACCESS")
    assert user_rows(emu, MARKETING_ID)["total"] == 1  # reading is allowed to everyone with a token
    assert emu.get(USERS_OF_DRIVE, token=ALICE_TOKEN, params={"sharedCloudDriveId": MARKETING_ID}).status_code == 200


# -- details and cascade ----------------------------------------------------

def test_details_inline_projects_users_and_groups(emu):
    drives = collection(emu.get("/sharedclouddrive/get_all_with_details"))["data"]
    by_name = {drive["name"]: drive for drive in drives}
    engineering = by_name["Engineering"]
    assert [(row["user"]["id"], row["permission"]["permissionType"]) for row in engineering["usersData"]] == [(ALICE_ID, 2)]
    assert set(engineering["usersData"][0]) == {"user", "permission"}
    assert [(row["userGroup"]["id"], row["permission"]["permissionType"]) for row in engineering["groupsData"]] == [(EDITORS_ID, 1)]
    assert set(engineering["groupsData"][0]) == {"userGroup", "permission"}
    launch = by_name["Launch Assets"]
    assert [(row["project"]["id"], row["projectSharedCloudDrive"]["sharedCloudDriveId"]) for row in launch["projectsData"]] == [
        (LAUNCH_PROJECT_ID, LAUNCH_ASSETS_ID)]
    assert set(launch["projectsData"][0]) == {"project", "projectSharedCloudDrive"}


def test_deleting_a_drive_removes_its_permissions_and_project_links(emu):
    emu.delete("/sharedclouddrive/delete", params={"id": ENGINEERING_ID})
    emu.delete("/sharedclouddrive/delete", params={"id": LAUNCH_ASSETS_ID})
    state = emu.state()
    for table in ("user_permissions", "group_permissions", "project_drives"):
        assert all(link["sharedCloudDriveId"] not in (ENGINEERING_ID, LAUNCH_ASSETS_ID) for link in state[table])
    assert len(state["user_permissions"]) == 1 and len(state["group_permissions"]) == 1


# -- reach: what an agent mounts -------------------------------------------

def test_reach_of_each_seeded_user(emu):
    assert reach(emu, "admin@example.com") == {MARKETING_ID: 2, ENGINEERING_ID: 2, LAUNCH_ASSETS_ID: 2, FINANCE_ID: 2}
    assert reach(emu, "alice@example.com") == {ENGINEERING_ID: 2}
    # Bob: direct Read on Marketing, project Launch; deleted group "Old Team" and deleted project "Cancelled" give nothing.
    assert reach(emu, "bob@example.com") == {MARKETING_ID: 1, LAUNCH_ASSETS_ID: 2}
    assert reach(emu, "erin@example.com") == {}  # a DesktopAdmin who is not the owner needs permissions
    assert reach(emu, "dave@example.com") == {}


def test_reach_through_a_group_and_a_group_project(emu):
    emu.post(GROUP_PERMS, json=[{"userGroupId": VIEWERS_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}])
    assert reach(emu, "bob@example.com")[FINANCE_ID] == 1
    emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": MARKETING_ID}])
    assert reach(emu, "alice@example.com") == {ENGINEERING_ID: 2, MARKETING_ID: 1}  # Editors belong to Studio, with Read


def test_a_project_gives_its_drives_with_the_membership_permission(emu):
    emu.post("/projects/assign_sharedclouddrive", json=[{"projectId": STUDIO_PROJECT_ID, "sharedCloudDriveId": FINANCE_ID},
                                                        {"projectId": LAUNCH_PROJECT_ID, "sharedCloudDriveId": MARKETING_ID}])
    assert reach(emu, "alice@example.com")[FINANCE_ID] == 1  # through Editors' Read membership of Studio, never more
    assert reach(emu, "bob@example.com")[MARKETING_ID] == 2  # bob's own ReadWrite membership of Launch beats his direct Read


def test_removing_reach_unmounts_on_next_sync(emu):
    emu.post(USER_PERMS, json=[{"userId": ERIN_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}])
    assert reach(emu, "erin@example.com") == {FINANCE_ID: 1}
    permission = user_rows(emu, FINANCE_ID)["data"][0]["permission"]
    emu.delete(USER_PERMS, params={"id": permission["id"]})
    assert emu.sync() == []


def test_highest_permission_wins(emu):
    emu.post(GROUP_PERMS, json=[{"userGroupId": EDITORS_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 2}])
    emu.post(USER_PERMS, json=[{"userId": ALICE_ID, "sharedCloudDriveId": FINANCE_ID, "permissionType": 1}])
    assert reach(emu, "alice@example.com")[FINANCE_ID] == 2
