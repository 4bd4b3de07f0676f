"""Agent-local routes (status, sync, local drive list), cloud accounts and routing errors."""

from __future__ import annotations

import pytest

from emulator_testlib import (
    DEMO_S3_ID, ENGINEERING_ID, FINANCE_ID, LAUNCH_ASSETS_ID, MARKETING_ID, SECRETS, WASABI_ID, assert_api_error, assert_no_body,
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
