"""Agent-local routes (status, sync, local drive list), cloud accounts and routing errors."""

from __future__ import annotations

import pytest

from emulator_testlib import (
    ADMIN_TOKEN, ALICE_TOKEN, DEMO_S3_ID, ENGINEERING_ID, FINANCE_ID, LAUNCH_ASSETS_ID, MARKETING_ID, PAUSED_GCS_ID, RETIRED_AZURE_ID,
    SECRETS, WASABI_ID, assert_api_error, assert_no_body,
)

LOCAL_DRIVE_KEYS = {
    "id", "sharedDriveId", "active", "name", "localPath", "permanentLocalPath", "prefix", "storageName", "driveName",
    "syncIntervalSeconds", "objectsPerFolder", "maximumCacheSize", "allowDelete", "sharedDrive", "rotationalCache",
    "localCacheEncrypted", "cloudObjectsEncrypted", "keepFileAfterUpload", "permissionType", "driveType", "syncType",
    "transferOptions", "account",
}
CLOUD_ACCOUNT_KEYS = {"id", "accountId", "userId", "cloudType", "name", "accessKey", "secretKey", "credentialsData", "serviceUrl",
                      "active", "shared", "internalStorage", "storageTier", "deleted"}


def by_shared_id(entries):
    return {entry["sharedDriveId"]: entry for entry in entries}


# -- agent status -----------------------------------------------------------

def test_agent_status_is_a_bare_integer_without_token(emu):
    response = emu.get("/management/agent_status", token=None)
    assert response.status_code == 200
    assert response.text == "1" and response.json() == 1


@pytest.mark.parametrize("status", [0, 2, 4, 8])
def test_agent_status_follows_the_control_setting_and_blocks_sync(emu, status):
    assert emu.agent(status=status)["status"] == status
    assert emu.get("/management/agent_status", token=None).json() == status
    response = emu.post("/management/sync_shareddrive", token=None)
    assert assert_api_error(response, "SYNC") == "Agent is not started."
    assert emu.get("/management/clouddrive", token=None).json() == []


def test_agent_control_rejects_bad_values(emu):
    assert emu.control("PATCH", "agent", json={"status": 3}).status_code == 400
    assert emu.control("PATCH", "agent", json={"status": True}).status_code == 400
    assert emu.control("PATCH", "agent", json={"username": "ghost@example.com"}).status_code == 400
    assert emu.control("PATCH", "agent", json={"colour": "red"}).status_code == 400
    assert emu.control("GET", "agent").json()["status"] == 1


# -- lifecycle commands -------------------------------------------------------

def command(emu, cmd, token=None):
    return emu.post(f"/management/command/{cmd}", token=token)


def status(emu):
    return emu.get("/management/agent_status", token=None).json()


@pytest.mark.parametrize("before", [0, 1, 2, 4, 8])
def test_start_with_a_token_starts_from_any_status_and_signs_its_user_in(emu, before):
    emu.agent(status=before)
    assert_no_body(command(emu, 0, token=ALICE_TOKEN), 200)
    assert status(emu) == 1
    assert emu.control("GET", "agent").json()["username"] == "alice@example.com"
    assert {entry["sharedDriveId"] for entry in emu.sync()} == {ENGINEERING_ID}  # what alice reaches


@pytest.mark.parametrize("token", [None, "", "not-a-token", "expired-api-token"])
def test_start_needs_a_valid_token(emu, token):
    emu.agent(status=2)
    assert_no_body(command(emu, 0, token=token), 401)
    assert status(emu) == 2
    assert [entry["status"] for entry in emu.log()] == [401, 200]  # the log keeps no token


def test_start_takes_a_login_jwt_but_not_an_inactive_user(emu):
    emu.agent(status=2)
    assert_api_error(command(emu, 0, token="dave-api-token"), "INACTIVE_USER")
    assert status(emu) == 2
    jwt = emu.login().json()["jwtToken"]
    assert_no_body(command(emu, 0, token=jwt), 200)  # a login JWT starts the agent like an API token
    assert status(emu) == 1


@pytest.mark.parametrize("cmd,before,after", [
    (4, 0, 1), (4, 1, 1), (4, 2, 1), (4, 4, 1),   # Resume
    (2, 1, 4), (2, 4, 4),                          # Pause
    (1, 0, 8), (1, 1, 8), (1, 2, 8), (1, 4, 8), (1, 8, 8),  # Dispose
    (8, 0, 2), (8, 1, 2), (8, 4, 2), (8, 8, 2),   # Exit
])
def test_commands_move_the_agent_status_as_documented(emu, cmd, before, after):
    emu.agent(status=before)
    assert_no_body(command(emu, cmd), 200)  # no token needed
    assert status(emu) == after


@pytest.mark.parametrize("cmd,before,code", [(4, 8, "DISPOSED"), (2, 8, "DISPOSED"), (2, 0, "DEFAULT"), (2, 2, "DEFAULT")])
def test_commands_that_cannot_apply_are_refused_and_change_nothing(emu, cmd, before, code):
    emu.agent(status=before)
    assert_api_error(command(emu, cmd), code)
    assert status(emu) == before


def test_pause_blocks_sync_and_resume_allows_it_again(emu):
    emu.sync()
    assert_no_body(command(emu, 2), 200)
    assert_api_error(emu.post("/management/sync_shareddrive", token=None), "SYNC")
    assert_no_body(command(emu, 4), 200)
    assert len(emu.sync()) == 4


def test_dispose_forgets_the_local_drives_until_a_start(emu):
    emu.sync()
    assert_no_body(command(emu, 1), 200)
    assert emu.get("/management/clouddrive", token=None).json() == []
    assert_api_error(command(emu, 4), "DISPOSED")
    assert_no_body(command(emu, "start", token=ADMIN_TOKEN), 200)  # the enum's name binds too
    assert len(emu.sync()) == 4


@pytest.mark.parametrize("cmd", ["3", "16", "-1", "restart", "1.0", "%20"])
def test_unknown_commands_are_499_default(emu, cmd):
    assert "not valid for cmd" in assert_api_error(command(emu, cmd), "DEFAULT")
    assert status(emu) == 1


def test_command_routes_only_post(emu):
    response = emu.get("/management/command/4", token=None)
    assert_no_body(response, 405)
    assert response.headers["Allow"] == "POST"
    assert_no_body(emu.post("/management/command", token=None), 404)
    assert_no_body(emu.post("/management/command/4/now", token=None), 404)


# -- sync of one local drive ---------------------------------------------------

def test_sync_of_one_local_drive(emu):
    local = emu.sync()[0]
    assert_no_body(emu.get(f"/management/clouddrive/sync/{local['id']}", token=None), 200)
    assert_no_body(emu.get(f"/management/clouddrive/sync/{local['id'].upper()}", token=None, params={"path": "/sub/"}), 200)
    assert [(entry["path"], entry["query"], entry["status"]) for entry in emu.log()[-2:]] == [
        (f"/management/clouddrive/sync/{local['id']}", {}, 200),
        (f"/management/clouddrive/sync/{local['id'].upper()}", {"path": "/sub/"}, 200)]


@pytest.mark.parametrize("drive_id", [MARKETING_ID, "d9000000-0000-4000-8000-000000000009", "not-a-uuid"])
def test_sync_of_an_unknown_local_drive_is_404(emu, drive_id):
    emu.sync()
    assert_no_body(emu.get(f"/management/clouddrive/sync/{drive_id}", token=None), 404)  # a shared drive id is not a local id


def test_sync_of_one_drive_needs_a_started_agent(emu):
    local = emu.sync()[0]
    emu.agent(status=4)
    assert_api_error(emu.get(f"/management/clouddrive/sync/{local['id']}", token=None), "SYNC")
    assert_no_body(emu.post(f"/management/clouddrive/sync/{local['id']}", token=None), 405)


# -- sync and the local drive list -------------------------------------------

def test_local_list_is_empty_until_the_first_sync(emu):
    assert emu.get("/management/clouddrive", token=None).json() == []


def test_sync_mounts_every_live_drive_for_the_admin(emu):
    assert_no_body(emu.post("/management/sync_shareddrive", token=None), 200)
    entries = emu.get("/management/clouddrive", token=None).json()
    assert isinstance(entries, list)
    assert set(by_shared_id(entries)) == {MARKETING_ID, ENGINEERING_ID, LAUNCH_ASSETS_ID, FINANCE_ID}
    for entry in entries:
        assert set(entry) == LOCAL_DRIVE_KEYS
        assert entry["sharedDrive"] is True and entry["keepFileAfterUpload"] is True
        assert entry["permissionType"] == 2
        assert entry["id"] != entry["sharedDriveId"]
        assert set(entry["transferOptions"]) == {"chunkSize", "retryCount", "concurrentChunks", "concurrentFiles"}
    marketing = by_shared_id(entries)[MARKETING_ID]
    assert marketing["name"] == "Marketing" and marketing["prefix"] == "marketing/" and marketing["storageName"] == "marketing-bucket"
    assert marketing["syncType"] == 2 and marketing["driveType"] == 1 and marketing["driveName"]
    assert marketing["account"] == {"id": DEMO_S3_ID, "cloudType": 1}
    engineering = by_shared_id(entries)[ENGINEERING_ID]
    assert engineering["account"] == {"id": WASABI_ID, "cloudType": 2} and engineering["allowDelete"] is True
    finance = by_shared_id(entries)[FINANCE_ID]
    assert finance["localCacheEncrypted"] is True and finance["cloudObjectsEncrypted"] is True
    launch = by_shared_id(entries)[LAUNCH_ASSETS_ID]
    assert launch["driveType"] == 2 and launch["driveName"] == "" and launch["localPath"]
    letters = [entry["driveName"] for entry in entries if entry["driveName"]]
    assert len(letters) == len(set(letters)) == 3


def test_sync_adds_removes_and_updates_keeping_local_ids(emu):
    first = by_shared_id(emu.sync())
    assert by_shared_id(emu.sync()) == first  # a second sync changes nothing

    created = emu.insert_drive("Newcomer")
    marketing = emu.drives(name="Marketing")["data"][0]
    emu.put("/sharedclouddrive/update", json=dict(marketing, name="Marketing EU", prefix="eu/"))
    emu.delete("/sharedclouddrive/delete", params={"id": FINANCE_ID})

    # Nothing changes locally until the next sync.
    assert by_shared_id(emu.get("/management/clouddrive", token=None).json()) == first

    second = by_shared_id(emu.sync())
    assert set(second) == {MARKETING_ID, ENGINEERING_ID, LAUNCH_ASSETS_ID, created["id"]}
    assert second[MARKETING_ID]["id"] == first[MARKETING_ID]["id"]  # updated in place: same local id
    assert second[MARKETING_ID]["name"] == "Marketing EU" and second[MARKETING_ID]["prefix"] == "eu/"
    assert second[MARKETING_ID]["driveName"] == first[MARKETING_ID]["driveName"]
    assert second[ENGINEERING_ID] == first[ENGINEERING_ID]
    assert second[created["id"]]["name"] == "Newcomer"
    assert second[created["id"]]["id"] not in {entry["id"] for entry in first.values()}


def test_inactive_drives_are_mounted_inactive(emu):
    inactive = emu.insert_drive("Dormant", active=False)
    assert by_shared_id(emu.sync())[inactive["id"]]["active"] is False


def test_clouddrive_path_filter(emu):
    entries = emu.sync()
    target = entries[0]
    found = emu.get("/management/clouddrive", token=None, params={"path": target["localPath"] + "sub"}).json()
    assert [entry["id"] for entry in found] == [target["id"]]
    assert emu.get("/management/clouddrive", token=None, params={"path": "/nowhere"}).json() == []


def test_signed_in_user_can_be_switched_by_control(emu):
    assert emu.agent(username="alice@example.com")["username"] == "alice@example.com"
    assert set(by_shared_id(emu.sync())) == {ENGINEERING_ID}


# -- cloud accounts ---------------------------------------------------------

def test_cloud_accounts_are_a_bare_array_of_live_active_accounts_masked(emu):
    response = emu.get("/cloud/accounts")
    assert response.status_code == 200
    accounts = response.json()
    assert isinstance(accounts, list)
    assert [account["name"] for account in accounts] == ["Demo S3", "Wasabi Archive"]
    for account in accounts:
        assert set(account) == CLOUD_ACCOUNT_KEYS and account["deleted"] is False and account["active"] is True
        assert account["secretKey"].endswith("************") and account["accessKey"].endswith("************")
    assert accounts[0]["accessKey"] == "AKIA************"
    assert accounts[1]["serviceUrl"] == "https://s3.wasabisys.com"
    assert all(secret not in response.text for secret in SECRETS)


def test_cloud_accounts_never_leak_secrets_in_state(emu):
    text = emu.control("GET", "state").text
    assert all(secret not in text for secret in SECRETS)


def test_one_cloud_account_by_id(emu):
    response = emu.get("/cloud/account", params={"id": WASABI_ID})
    assert response.status_code == 200
    account = response.json()
    assert set(account) == CLOUD_ACCOUNT_KEYS and account["id"] == WASABI_ID and account["name"] == "Wasabi Archive"
    assert account["secretKey"].endswith("************") and all(secret not in response.text for secret in SECRETS)
    assert emu.get("/cloud/account", params={"id": DEMO_S3_ID.upper()}).json()["id"] == DEMO_S3_ID
    paused = emu.get("/cloud/account", params={"id": PAUSED_GCS_ID}).json()  # inactive: read, and says so
    assert paused["active"] is False


@pytest.mark.parametrize("params,code", [
    ({"id": RETIRED_AZURE_ID}, "NOT_FOUND"),
    ({"id": "0a0a0a0a-0000-4000-8000-000000000000"}, "NOT_FOUND"),
    ({"id": MARKETING_ID}, "NOT_FOUND"),  # a drive's id
    ({"id": "demo-s3"}, "DEFAULT"),
    ({"id": ""}, "DEFAULT"),
    ({}, "DEFAULT"),
])
def test_cloud_account_unknown_deleted_or_malformed(emu, params, code):
    assert_api_error(emu.get("/cloud/account", params=params), code)


def test_cloud_account_needs_a_token(emu):
    assert_no_body(emu.get("/cloud/account", token=None, params={"id": DEMO_S3_ID}), 401)


# -- routing ----------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/nope", "/", "/sharedclouddrive/get_all/", "/SharedCloudDrive/get_all", "/api/v1/sharedclouddrive/get_all",
    "/userspermission/users_sharedclouddrive_permission", "/sharedclouddrive",
])
def test_unknown_routes_are_404_without_body(emu, path):
    assert_no_body(emu.get(path), 404)


@pytest.mark.parametrize("method,path,allowed", [
    ("POST", "/sharedclouddrive/get_all", "GET"),
    ("DELETE", "/sharedclouddrive/insert", "POST"),
    ("GET", "/sharedclouddrive/update", "PUT"),
    ("GET", "/authentication/login", "POST"),
    ("PUT", "/management/agent_status", "GET"),
    ("PATCH", "/userspermission/users_sharedclouddrive_permision", "DELETE, POST, PUT"),
    ("HEAD", "/cloud/accounts", "GET"),
])
def test_wrong_method_is_405_without_body(emu, method, path, allowed):
    response = emu.call(method, path)
    assert_no_body(response, 405)
    assert response.headers["Allow"] == allowed
