"""Cloud accounts: insert with the provider's stand-in credential check, masked keys, sharing, soft delete, and the drives left behind."""

from __future__ import annotations

import json
import uuid

import pytest

from emulator_testlib import (
    ACCOUNT_ID, ADMIN_ID, ALICE_TOKEN, DEMO_S3_ID, ERIN_TOKEN, MARKETING_ID, PAUSED_GCS_ID, RETIRED_AZURE_ID, Emu, assert_api_error,
    assert_no_body,
)

CLOUD_ACCOUNT_KEYS = {"id", "accountId", "userId", "cloudType", "name", "accessKey", "secretKey", "credentialsData", "serviceUrl", "active",
                      "shared", "internalStorage", "storageTier", "deleted"}
ACCESS_KEY = "AKIANEWACCOUNTKEY123"
SECRET_KEY = "new-account-secret-never-shown"
# The provider's refusal, word for word (the invalid_keys switch).
REFUSED = "The cloud provider refused the credentials: the access key or the secret key is not valid."


def aws(name="Production AWS", **changes):
    body = {"name": name, "cloudType": 1, "region": "eu-west-1", "endpoint": "", "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY,
            "serviceUrl": "", "shared": False}
    body.update(changes)
    return body


def listed(emu):
    response = emu.get("/cloud/accounts")
    assert response.status_code == 200, response.text
    return response.json()


def stored(emu, account_id):
    return next(account for account in emu.state()["cloud_accounts"] if account["id"] == account_id)


# -- insert -----------------------------------------------------------------

def test_insert_answers_the_stored_account_with_its_keys_masked(emu):
    response = emu.post("/cloud/insert_account", json=aws(shared=True))
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == CLOUD_ACCOUNT_KEYS  # region and endpoint are not CloudAccount fields
    uuid.UUID(created["id"])
    assert (created["accountId"], created["userId"], created["cloudType"], created["name"]) == (ACCOUNT_ID, ADMIN_ID, 1, "Production AWS")
    assert (created["active"], created["shared"], created["internalStorage"], created["storageTier"], created["deleted"]) == (
        True, True, False, 2, False)
    assert created["serviceUrl"] is None and created["credentialsData"] is None  # "" is kept as null
    assert created["accessKey"] == "AKIA" + "*" * 12 and created["secretKey"] == "new-" + "*" * 12
    assert [account["name"] for account in listed(emu)] == ["Demo S3", "Wasabi Archive", "Production AWS"]
    again = emu.get("/cloud/account", params={"id": created["id"]}).json()
    assert again == created
    out_of_band = stored(emu, created["id"])
    assert (out_of_band["region"], out_of_band["endpoint"]) == ("eu-west-1", None)


def test_keys_never_show_in_any_answer_state_request_log_or_log_file(emu, log_file):
    created = emu.post("/cloud/insert_account", json=aws()).json()
    emu.post("/cloud/insert_account", json=aws(name="Generic", cloudType=8, serviceUrl="https://minio.example.com"))
    emu.put("/cloud/manage_share", json=dict(created, shared=True))
    answers = [emu.get("/cloud/accounts").text, emu.get("/cloud/account", params={"id": created["id"]}).text, json.dumps(created),
               json.dumps(emu.state()), json.dumps(emu.log()), log_file.read_text(encoding="utf-8"), emu.process.stderr()]
    for text in answers:
        assert ACCESS_KEY not in text and SECRET_KEY not in text
    assert [entry["path"] for entry in emu.log()].count("/cloud/insert_account") == 2


@pytest.mark.parametrize("changes,message", [
    ({"name": None}, "The name field is required."),
    ({"name": "  "}, "The name field is required."),
    ({"name": "x" * 51}, "The name field must be at most 50 characters long."),
    ({"cloudType": 3}, "The cloudType field must be one CloudProvider value"),
    ({"cloudType": "AWS"}, "The JSON value of field 'cloudType' must be an integer."),
    ({"cloudType": None}, "The cloudType field must be one CloudProvider value"),
    ({"accessKey": ""}, "The accessKey field is required for AWS."),
    ({"secretKey": None}, "The secretKey field is required for AWS."),
    ({"cloudType": 64, "secretKey": ""}, "The secretKey field is required for Cloudflare."),
    ({"cloudType": 8}, "The serviceUrl field is required for S3Generic."),
    ({"cloudType": 2048, "accessKey": None, "secretKey": None}, "The serviceUrl field is required for LocalHttp."),
    ({"shared": "yes"}, "The JSON value of field 'shared' must be a boolean."),
    ({"region": 1}, "The JSON value of field 'region' must be a string."),
])
def test_bad_inserts_write_nothing(emu, changes, message):
    before = emu.state()["cloud_accounts"]
    error = emu.post("/cloud/insert_account", json=aws(**changes))
    assert message in assert_api_error(error, "DEFAULT")
    assert emu.state()["cloud_accounts"] == before


def test_every_missing_field_is_named_in_one_answer(emu):
    response = emu.post("/cloud/insert_account", json={"name": "Keys?", "cloudType": 8})
    assert_api_error(response, "DEFAULT")
    messages = response.json()["errors"]["DEFAULT"]
    assert messages == ["The accessKey field is required for S3Generic.", "The secretKey field is required for S3Generic.",
                        "The serviceUrl field is required for S3Generic."]


@pytest.mark.parametrize("cloud_type,provider", [(128, "Dropbox"), (256, "Box"), (512, "OneDrive"), (1024, "GoogleDrive")])
def test_sign_in_providers_cannot_be_inserted_with_keys(emu, cloud_type, provider):
    message = assert_api_error(emu.post("/cloud/insert_account", json=aws(name=provider, cloudType=cloud_type)), "DEFAULT")
    assert message == f"{provider} accounts are connected through the provider's sign-in in the Amove app (credentialsData), not with keys."
    assert len(emu.state()["cloud_accounts"]) == 4


def test_a_local_http_server_needs_no_keys_and_frame_is_not_emulated(emu):
    created = emu.post("/cloud/insert_account", json={"name": "Studio NAS", "cloudType": 2048, "serviceUrl": "http://nas.local:8080"}).json()
    assert (created["cloudType"], created["serviceUrl"], created["accessKey"], created["shared"]) == (2048, "http://nas.local:8080", None, False)
    assert "does not make Frame" in assert_api_error(emu.post("/cloud/insert_account", json=aws(cloudType=32)), "DEFAULT")


def test_invalid_keys_switch_refuses_the_access_key_or_the_secret_key(emu):
    emu.settings(invalid_keys=[ACCESS_KEY])
    assert assert_api_error(emu.post("/cloud/insert_account", json=aws()), "DEFAULT") == REFUSED
    emu.settings(invalid_keys=[SECRET_KEY])
    assert assert_api_error(emu.post("/cloud/insert_account", json=aws()), "DEFAULT") == REFUSED
    assert len(emu.state()["cloud_accounts"]) == 4
    assert emu.post("/cloud/insert_account", json=aws(secretKey="another-secret")).status_code == 200
    # Validation comes first: a refused key in an incomplete body is answered with the missing field.
    assert assert_api_error(emu.post("/cloud/insert_account", json=aws(name="")), "DEFAULT") == "The name field is required."
    emu.reset()
    assert emu.control("GET", "settings").json()["invalid_keys"] == []
    assert emu.post("/cloud/insert_account", json=aws()).status_code == 200


def test_invalid_key_flag(start_emulator):
    emu = Emu(start_emulator("--invalid-key", ACCESS_KEY, "--invalid-key", "OTHERKEY").url)
    assert emu.control("GET", "settings").json()["invalid_keys"] == [ACCESS_KEY, "OTHERKEY"]
    assert assert_api_error(emu.post("/cloud/insert_account", json=aws()), "DEFAULT") == REFUSED
    emu.reset()  # a reset goes back to the command line's keys
    assert assert_api_error(emu.post("/cloud/insert_account", json=aws()), "DEFAULT") == REFUSED


def test_names_need_not_be_unique(emu):
    assert emu.post("/cloud/insert_account", json=aws(name="Demo S3")).status_code == 200
    assert emu.post("/cloud/insert_account", json=aws(name="demo s3")).status_code == 200
    assert [account["name"] for account in listed(emu)] == ["Demo S3", "Wasabi Archive", "Demo S3", "demo s3"]


def test_cloud_account_writes_need_a_desktop_admin(emu):
    assert_api_error(emu.post("/cloud/insert_account", json=aws(), token=ALICE_TOKEN), "ACCESS")
    assert_api_error(emu.put("/cloud/manage_share", json={"id": DEMO_S3_ID, "shared": False}, token=ALICE_TOKEN), "ACCESS")
    assert_api_error(emu.delete("/cloud/delete", params={"id": DEMO_S3_ID}, token=ALICE_TOKEN), "ACCESS")
    assert stored(emu, DEMO_S3_ID)["shared"] is True and stored(emu, DEMO_S3_ID)["deleted"] is False


# -- sharing ----------------------------------------------------------------

def test_manage_share_keeps_only_shared(emu):
    account = emu.get("/cloud/account", params={"id": DEMO_S3_ID}).json()
    assert account["shared"] is True
    assert_no_body(emu.put("/cloud/manage_share", json=dict(account, shared=False, name="Renamed", cloudType=2, active=False)), 200)
    after = emu.get("/cloud/account", params={"id": DEMO_S3_ID}).json()
    assert after == dict(account, shared=False)
    assert_no_body(emu.put("/cloud/manage_share", json=dict(account, shared=True)), 200)
    assert emu.get("/cloud/account", params={"id": DEMO_S3_ID}).json()["shared"] is True
    # The full-object reading: an omitted `shared` is false.
    assert_no_body(emu.put("/cloud/manage_share", json={"id": DEMO_S3_ID}), 200)
    assert emu.get("/cloud/account", params={"id": DEMO_S3_ID}).json()["shared"] is False
    assert_no_body(emu.put("/cloud/manage_share", json={"id": PAUSED_GCS_ID, "shared": True}), 200)  # inactive accounts too
    assert stored(emu, PAUSED_GCS_ID)["shared"] is True


def test_manage_share_refusals(emu):
    assert_api_error(emu.put("/cloud/manage_share", json={"id": DEMO_S3_ID, "shared": False}, token=ERIN_TOKEN), "ACCESS")  # not the owner
    assert_api_error(emu.put("/cloud/manage_share", json={"id": RETIRED_AZURE_ID, "shared": True}), "NOT_FOUND")
    assert_api_error(emu.put("/cloud/manage_share", json={"id": str(uuid.uuid4()), "shared": True}), "NOT_FOUND")
    assert_api_error(emu.put("/cloud/manage_share", json={"shared": True}), "DEFAULT")
    assert_api_error(emu.put("/cloud/manage_share", json={"id": DEMO_S3_ID, "shared": "false"}), "DEFAULT")
    assert_api_error(emu.put("/cloud/manage_share", json={"id": DEMO_S3_ID, "shared": False, "cloudType": "AWS"}), "DEFAULT")
    assert_api_error(emu.put("/cloud/manage_share", json=[{"id": DEMO_S3_ID}]), "DEFAULT")
    assert stored(emu, DEMO_S3_ID)["shared"] is True


def test_the_owner_of_a_seeded_account_is_the_one_who_may_share_it(start_emulator, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({
        "users": [{"username": "owner@example.com", "password": "p", "owner": True},
                  {"username": "deputy@example.com", "password": "p", "userType": 16}],
        "api_tokens": [{"token": "owner-token", "username": "owner@example.com"}, {"token": "deputy-token", "username": "deputy@example.com"}],
        "cloud_accounts": [{"name": "Deputy's S3", "owner": "deputy@example.com", "region": "us-east-2"}],
    }), encoding="utf-8")
    emu = Emu(start_emulator("--seed", str(seed)).url)
    account = emu.get("/cloud/accounts", token="owner-token").json()[0]
    assert_api_error(emu.put("/cloud/manage_share", token="owner-token", json=dict(account, shared=True)), "ACCESS")
    assert_no_body(emu.put("/cloud/manage_share", token="deputy-token", json=dict(account, shared=True)), 200)
    assert "region" not in account and emu.state()["cloud_accounts"][0]["region"] == "us-east-2"
    assert_api_error(emu.delete("/cloud/delete", token="owner-token", params={"id": account["id"]}), "Global")
    assert emu.delete("/cloud/delete", token="deputy-token", params={"id": account["id"]}).json() is True


# -- delete -----------------------------------------------------------------

def test_delete_is_soft_answers_true_and_then_object_not_found(emu):
    created = emu.post("/cloud/insert_account", json=aws()).json()
    response = emu.delete("/cloud/delete", params={"id": created["id"]})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert response.json() is True
    assert stored(emu, created["id"])["deleted"] is True
    assert created["id"] not in [account["id"] for account in listed(emu)]
    assert_api_error(emu.get("/cloud/account", params={"id": created["id"]}), "NOT_FOUND")
    for account_id in (created["id"], RETIRED_AZURE_ID, str(uuid.uuid4())):
        assert assert_api_error(emu.delete("/cloud/delete", params={"id": account_id}), "Global") == "Object not found."
    assert_api_error(emu.delete("/cloud/delete", params={"id": DEMO_S3_ID}, token=ERIN_TOKEN), "Global")  # another user's account
    assert_api_error(emu.delete("/cloud/delete"), "DEFAULT")
    assert_api_error(emu.delete("/cloud/delete", params={"id": "demo"}), "DEFAULT")


def test_drives_of_a_deleted_cloud_account_are_left_as_they_are(emu):
    before = emu.get("/user/package_inquiry").json()["connections"]
    assert emu.delete("/cloud/delete", params={"id": DEMO_S3_ID}).json() is True
    assert emu.get("/user/package_inquiry").json()["connections"] == before + 1
    marketing = next(drive for drive in emu.drives()["data"] if drive["id"] == MARKETING_ID)
    assert marketing["cloudAccountId"] == DEMO_S3_ID and marketing["cloudAccount"]["deleted"] is True
    assert MARKETING_ID in {entry["sharedDriveId"] for entry in emu.sync()}
    # The drive cannot be saved again on it, and no new drive can be made on it.
    update = {key: marketing[key] for key in ("id", "name", "cloudAccountId", "storageName", "prefix", "syncType")}
    assert_api_error(emu.put("/sharedclouddrive/update", json=update), "NOT_FOUND")
    assert_api_error(emu.post("/sharedclouddrive/insert", json={"name": "New", "cloudAccountId": DEMO_S3_ID, "storageName": "b"}), "NOT_FOUND")
    assert_no_body(emu.delete("/sharedclouddrive/delete", params={"id": MARKETING_ID}), 200)


def test_seeded_cloud_accounts_belong_to_the_admin(emu):
    assert {account["userId"] for account in emu.state()["cloud_accounts"]} == {ADMIN_ID}
