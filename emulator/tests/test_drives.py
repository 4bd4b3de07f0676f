"""Shared cloud drives: insert, update, delete, listing, paging, filters, validation."""

from __future__ import annotations

import uuid

import pytest

from emulator_testlib import (
    ACCOUNT_ID, ADMIN_ID, ALICE_TOKEN, DEMO_S3_ID, DRIVE_KEYS, ERIN_ID, ERIN_TOKEN, LIVE_SEEDED_DRIVES, MARKETING_ID, OLD_ARCHIVE_ID,
    PAUSED_GCS_ID, RETIRED_AZURE_ID, SECRETS, WASABI_ID, assert_api_error, assert_no_body,
)

DEFAULTS = {"prefix": "", "prefixId": "", "storageId": "", "objectsPerFolder": 10000, "allowDelete": False, "localCacheEncrypted": False,
            "cloudObjectsEncrypted": False, "driveType": 1, "syncType": 1, "active": True}


def minimal(name="Team", **fields):
    body = {"name": name, "cloudAccountId": DEMO_S3_ID, "storageName": "team-bucket"}
    body.update(fields)
    return body


def names(collection):
    return [drive["name"] for drive in collection["data"]]


# -- insert -----------------------------------------------------------------

def test_insert_returns_full_record_with_defaults(emu):
    response = emu.post("/sharedclouddrive/insert", json=minimal())
    assert response.status_code == 200
    drive = response.json()
    assert set(drive) == DRIVE_KEYS
    uuid.UUID(drive["id"])
    assert drive["accountId"] == ACCOUNT_ID and drive["creatorUserId"] == ADMIN_ID and drive["deleted"] is False
    assert drive["name"] == "Team" and drive["storageName"] == "team-bucket" and drive["cloudAccountId"] == DEMO_S3_ID
    assert {key: drive[key] for key in DEFAULTS} == DEFAULTS
    account = drive["cloudAccount"]
    assert account["id"] == DEMO_S3_ID and account["name"] == "Demo S3" and account["cloudType"] == 1
    assert account["accessKey"].endswith("*" * 12) and account["secretKey"].endswith("*" * 12)
    assert all(secret not in response.text for secret in SECRETS)


def test_insert_keeps_every_given_field(emu):
    body = minimal("Full", prefix="a/b/", prefixId="p1", storageId="s1", objectsPerFolder=500, allowDelete=True, localCacheEncrypted=True,
                   cloudObjectsEncrypted=True, driveType=2, syncType=2, active=False, cloudAccountId=WASABI_ID)
    drive = emu.insert_drive(**body)
    assert {key: drive[key] for key in body} == body
    assert drive["cloudAccount"]["id"] == WASABI_ID
    stored = next(d for d in emu.state()["shared_cloud_drives"] if d["id"] == drive["id"])
    assert {key: stored[key] for key in body} == body


def test_insert_ignores_server_owned_fields(emu):
    body = minimal(id=str(uuid.uuid4()), accountId=str(uuid.uuid4()), creatorUserId=str(uuid.uuid4()), deleted=True,
                   cloudAccount={"id": WASABI_ID, "name": "forged"}, unknownField=[1, 2])
    drive = emu.insert_drive(token=ERIN_TOKEN, **body)
    assert drive["id"] != body["id"]
    assert drive["accountId"] == ACCOUNT_ID
    assert drive["creatorUserId"] == ERIN_ID  # the caller, not the body
    assert drive["deleted"] is False
    assert drive["cloudAccount"]["id"] == DEMO_S3_ID and drive["cloudAccount"]["name"] == "Demo S3"
    assert "unknownField" not in drive


def test_explicit_null_optional_string_is_kept_as_null(emu):
    drive = emu.insert_drive("Nulls", prefix=None)
    assert drive["prefix"] is None and drive["prefixId"] == ""


def test_name_of_exactly_fifty_characters_is_accepted(emu):
    assert emu.insert_drive("x" * 50)["name"] == "x" * 50


def test_inactive_cloud_account_can_back_a_drive(emu):
    assert emu.insert_drive("Paused", cloudAccountId=PAUSED_GCS_ID)["cloudAccount"]["active"] is False


@pytest.mark.parametrize("change,needle", [
    ({"name": None}, "name field is required"),
    ({"name": 123}, "'name' must be a string"),
    ({"name": ""}, "must not be empty"),
    ({"name": "   "}, "must not be empty"),
    ({"name": "x" * 51}, "at most 50"),
    ({"name": ["a"]}, "'name' must be a string"),
    ({"cloudAccountId": None}, "cloudAccountId field is required"),
    ({"cloudAccountId": "not-a-uuid"}, "must be a uuid"),
    ({"cloudAccountId": "{3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c}"}, "must be a uuid"),
    ({"cloudAccountId": 7}, "'cloudAccountId' must be a string"),
    ({"storageName": None}, "storageName field is required"),
    ({"storageName": ""}, "storageName field is required"),
    ({"storageName": False}, "'storageName' must be a string"),
    ({"prefix": 5}, "'prefix' must be a string"),
    ({"allowDelete": "true"}, "'allowDelete' must be a boolean"),
    ({"allowDelete": 1}, "'allowDelete' must be a boolean"),
    ({"active": None}, "'active' must be a boolean"),
    ({"localCacheEncrypted": "no"}, "'localCacheEncrypted' must be a boolean"),
    ({"cloudObjectsEncrypted": 0}, "'cloudObjectsEncrypted' must be a boolean"),
    ({"objectsPerFolder": True}, "'objectsPerFolder' must be an integer"),
    ({"objectsPerFolder": "100"}, "'objectsPerFolder' must be an integer"),
    ({"objectsPerFolder": 1.5}, "'objectsPerFolder' must be an integer"),
    ({"objectsPerFolder": 0}, "at least 1"),
    ({"objectsPerFolder": -5}, "at least 1"),
    ({"driveType": 3}, "driveType field must be 1"),
    ({"driveType": 0}, "driveType field must be 1"),
    ({"driveType": "1"}, "'driveType' must be an integer"),
    ({"syncType": 4}, "syncType field must be 1"),
    ({"syncType": True}, "'syncType' must be an integer"),
])
def test_insert_validation_is_499_default(emu, change, needle):
    body = minimal()
    body.update(change)
    response = emu.post("/sharedclouddrive/insert", json=body)
    messages = response.json()["errors"]["DEFAULT"]
    assert_api_error(response, "DEFAULT")
    assert any(needle in message for message in messages), messages
    assert len(emu.state()["shared_cloud_drives"]) == 5  # nothing written


def test_missing_required_fields_are_all_reported(emu):
    response = emu.post("/sharedclouddrive/insert", json={})
    assert_api_error(response, "DEFAULT")
    assert len(response.json()["errors"]["DEFAULT"]) == 3


@pytest.mark.parametrize("raw", ["{not json", "", "[1, 2]", "\"Creative\"", "42", "null", "{\"name\": NaN}", "\xff\xfe"])
def test_non_object_or_malformed_body_is_499_default(emu, raw):
    response = emu.post("/sharedclouddrive/insert", data=raw.encode("latin-1"), headers={"Content-Type": "application/json"})
    assert_api_error(response, "DEFAULT")


def test_insert_without_json_content_type_is_415(emu):
    response = emu.post("/sharedclouddrive/insert", data=b'{"name": "x"}', headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_no_body(response, 415)


@pytest.mark.parametrize("cloud_account_id", [str(uuid.uuid4()), RETIRED_AZURE_ID])
def test_unknown_or_deleted_cloud_account_is_not_found(emu, cloud_account_id):
    response = emu.post("/sharedclouddrive/insert", json=minimal(cloudAccountId=cloud_account_id))
    assert "Cloud account not found" in assert_api_error(response, "NOT_FOUND")


@pytest.mark.parametrize("name", ["Marketing", "MARKETING", "marketing", "mArKeTiNg"])
def test_duplicate_live_name_is_rejected_case_insensitively(emu, name):
    response = emu.post("/sharedclouddrive/insert", json=minimal(name))
    assert assert_api_error(response, "DUPLICATE") == "A resource with the same name already exists."


def test_soft_deleted_name_can_be_reused(emu):
    drive = emu.insert_drive("old archive")
    assert drive["id"] != OLD_ARCHIVE_ID


def test_only_desktop_admins_may_write(emu):
    assert_api_error(emu.post("/sharedclouddrive/insert", token=ALICE_TOKEN, json=minimal()), "ACCESS")
    assert_api_error(emu.put("/sharedclouddrive/update", token=ALICE_TOKEN, json=minimal(id=MARKETING_ID)), "ACCESS")
    assert_api_error(emu.delete("/sharedclouddrive/delete", token=ALICE_TOKEN, params={"id": MARKETING_ID}), "ACCESS")


# -- the plan's drive quota ---------------------------------------------------

PACKAGE_KEYS = {"adminUsers", "creativeUsers", "standardUsers", "storage", "connections", "projects", "teams", "drives", "syncs",
                "logs", "sso"}


def test_package_inquiry_counts_what_remains_of_the_plan(emu):
    response = emu.get("/user/package_inquiry")
    assert response.status_code == 200
    package = response.json()
    assert set(package) == PACKAGE_KEYS
    # the seed: 2 live DesktopAdmins, 2 creative and 2 standard users, 3 live cloud accounts,
    # 2 live projects, 2 live groups and 4 live drives, against the default plan
    assert package == {"adminUsers": 3, "creativeUsers": 23, "standardUsers": 98, "storage": 1000, "connections": 22,
                       "projects": 48, "teams": 23, "drives": 996, "syncs": 25, "logs": True, "sso": False}
    emu.insert_drive("One more")
    assert emu.get("/user/package_inquiry").json()["drives"] == 995
    assert emu.get("/user/package_inquiry", token=ALICE_TOKEN).json()["drives"] == 995  # any signed-in user may ask


def test_an_exhausted_drive_quota_refuses_inserts_and_writes_nothing(emu):
    emu.settings(drive_quota=5)  # 4 live drives in the seed
    assert emu.get("/user/package_inquiry").json()["drives"] == 1
    emu.insert_drive("Fifth")
    assert emu.get("/user/package_inquiry").json()["drives"] == 0
    before = emu.state()["shared_cloud_drives"]
    assert "quota" in assert_api_error(emu.post("/sharedclouddrive/insert", json=minimal("Sixth")), "DEFAULT")
    assert emu.state()["shared_cloud_drives"] == before
    # updates are not creations; a delete gives room again; a soft-deleted drive does not count
    fifth = emu.drives(name="Fifth")["data"][0]
    assert emu.put("/sharedclouddrive/update", json=dict(minimal("Fifth renamed"), id=fifth["id"])).status_code == 200
    assert_no_body(emu.delete("/sharedclouddrive/delete", params={"id": fifth["id"]}), 200)
    emu.insert_drive("Sixth")


def test_a_quota_below_what_is_used_reads_as_zero(emu):
    emu.settings(drive_quota=0)
    assert emu.get("/user/package_inquiry").json()["drives"] == 0
    assert_api_error(emu.post("/sharedclouddrive/insert", json=minimal()), "DEFAULT")
    emu.reset()  # the quota comes back from the seed
    assert emu.get("/user/package_inquiry").json()["drives"] == 996


def test_duplicate_and_access_come_before_the_quota(emu):
    emu.settings(drive_quota=0)
    assert_api_error(emu.post("/sharedclouddrive/insert", json=minimal("Marketing")), "DUPLICATE")
    assert_api_error(emu.post("/sharedclouddrive/insert", token=ALICE_TOKEN, json=minimal()), "ACCESS")


# -- update -----------------------------------------------------------------

def test_update_is_a_full_replace(emu):
    drive = emu.insert_drive("Replace", prefix="keep/", allowDelete=True, syncType=2, objectsPerFolder=42, storageId="sid", active=False)
    response = emu.put("/sharedclouddrive/update", json=minimal("Replace", id=drive["id"]))
    assert response.status_code == 200
    updated = response.json()
    assert set(updated) == DRIVE_KEYS and updated["id"] == drive["id"]
    assert {key: updated[key] for key in DEFAULTS} == DEFAULTS  # omitted fields fell back to defaults
    assert updated["storageName"] == "team-bucket"
    stored = next(d for d in emu.state()["shared_cloud_drives"] if d["id"] == drive["id"])
    assert {key: stored[key] for key in DEFAULTS} == DEFAULTS


def test_update_changes_fields_and_re_embeds_the_cloud_account(emu):
    drive = emu.insert_drive("Move")
    body = dict(drive, name="Moved", cloudAccountId=WASABI_ID, prefix="new/", driveType=2)
    updated = emu.put("/sharedclouddrive/update", json=body).json()
    assert updated["name"] == "Moved" and updated["prefix"] == "new/" and updated["driveType"] == 2
    assert updated["cloudAccountId"] == WASABI_ID and updated["cloudAccount"]["id"] == WASABI_ID
    assert updated["cloudAccount"]["name"] == "Wasabi Archive"


def test_update_sets_server_owned_fields_itself(emu):
    drive = emu.insert_drive("Owned")
    body = dict(drive, accountId=str(uuid.uuid4()), creatorUserId=str(uuid.uuid4()), deleted=True, cloudAccount={"id": "forged"})
    updated = emu.put("/sharedclouddrive/update", token=ERIN_TOKEN, json=body).json()
    assert updated["accountId"] == ACCOUNT_ID
    assert updated["creatorUserId"] == ERIN_ID
    assert updated["deleted"] is False
    assert updated["cloudAccount"]["id"] == DEMO_S3_ID


def test_update_read_modify_write_round_trip_keeps_the_record(emu):
    current = emu.drives(name="Marketing")["data"][0]
    updated = emu.put("/sharedclouddrive/update", json=current).json()
    assert updated == current


def test_update_to_same_name_in_other_case_is_allowed(emu):
    current = emu.drives(name="Marketing")["data"][0]
    assert emu.put("/sharedclouddrive/update", json=dict(current, name="MARKETING")).json()["name"] == "MARKETING"


def test_update_onto_another_live_name_is_duplicate(emu):
    current = emu.drives(name="Marketing")["data"][0]
    response = emu.put("/sharedclouddrive/update", json=dict(current, name="finance"))
    assert_api_error(response, "DUPLICATE")
    assert emu.drives(name="Marketing")["data"][0]["name"] == "Marketing"


def test_update_onto_a_soft_deleted_name_is_allowed(emu):
    current = emu.drives(name="Marketing")["data"][0]
    assert emu.put("/sharedclouddrive/update", json=dict(current, name="Old Archive")).status_code == 200


@pytest.mark.parametrize("drive_id,code", [
    (None, "DEFAULT"),
    ("not-a-uuid", "DEFAULT"),
    (12, "DEFAULT"),
    (str(uuid.uuid4()), "NOT_FOUND"),
    (OLD_ARCHIVE_ID, "NOT_FOUND"),
])
def test_update_bad_or_unknown_id(emu, drive_id, code):
    body = minimal("Whatever")
    if drive_id is not None:
        body["id"] = drive_id
    assert_api_error(emu.put("/sharedclouddrive/update", json=body), code)


def test_update_validates_like_insert(emu):
    current = emu.drives(name="Marketing")["data"][0]
    assert_api_error(emu.put("/sharedclouddrive/update", json=dict(current, name="y" * 51)), "DEFAULT")
    assert_api_error(emu.put("/sharedclouddrive/update", json=dict(current, allowDelete="yes")), "DEFAULT")
    assert_api_error(emu.put("/sharedclouddrive/update", json=dict(current, cloudAccountId=str(uuid.uuid4()))), "NOT_FOUND")
    assert_api_error(emu.put("/sharedclouddrive/update", json=[current]), "DEFAULT")
    assert emu.drives(name="Marketing")["data"][0] == current


# -- delete -----------------------------------------------------------------

def test_delete_is_soft_and_a_second_delete_is_not_found(emu):
    drive = emu.insert_drive("Doomed")
    assert_no_body(emu.delete("/sharedclouddrive/delete", params={"id": drive["id"]}), 200)
    assert "Doomed" not in names(emu.drives())
    stored = next(d for d in emu.state()["shared_cloud_drives"] if d["id"] == drive["id"])
    assert stored["deleted"] is True
    assert_api_error(emu.delete("/sharedclouddrive/delete", params={"id": drive["id"]}), "NOT_FOUND")
    assert_api_error(emu.put("/sharedclouddrive/update", json=minimal("Doomed", id=drive["id"])), "NOT_FOUND")


def test_delete_accepts_uppercase_uuid(emu):
    assert_no_body(emu.delete("/sharedclouddrive/delete", params={"id": MARKETING_ID.upper()}), 200)


@pytest.mark.parametrize("params,code", [
    ({}, "DEFAULT"),
    ({"id": ""}, "DEFAULT"),
    ({"id": "abc"}, "DEFAULT"),
    ({"id": str(uuid.uuid4())}, "NOT_FOUND"),
    ({"id": OLD_ARCHIVE_ID}, "NOT_FOUND"),
])
def test_delete_bad_unknown_or_deleted_id(emu, params, code):
    assert_api_error(emu.delete("/sharedclouddrive/delete", params=params), code)


# -- listing ----------------------------------------------------------------

def test_get_all_shape_defaults_and_soft_deleted_excluded(emu):
    collection = emu.drives()
    assert set(collection) == {"data", "total", "options"}
    assert collection["options"] == {"page": 1, "pageSize": 50, "sort": [{"field": "Name", "descending": False}]}
    assert names(collection) == LIVE_SEEDED_DRIVES
    assert collection["total"] == 4
    assert all(set(drive) == DRIVE_KEYS and drive["deleted"] is False for drive in collection["data"])
    assert all(secret not in str(collection) for secret in SECRETS)


def test_paging_is_capped_at_the_max_page_size(emu):
    for index in range(246):
        emu.insert_drive(f"bulk-{index:03d}")
    seen = []
    for page in (1, 2, 3):
        collection = emu.drives(page=page, pagesize=1000)
        assert collection["total"] == 250
        assert collection["options"]["pageSize"] == 100 and collection["options"]["page"] == page
        assert len(collection["data"]) == (100 if page < 3 else 50)
        seen += [drive["id"] for drive in collection["data"]]
    assert len(set(seen)) == 250
    past_end = emu.drives(page=4, pagesize=1000)
    assert past_end["data"] == [] and past_end["total"] == 250


def test_small_pages_walk_in_order(emu):
    pages = [names(emu.drives(page=page, pagesize=3)) for page in (1, 2)]
    assert pages == [LIVE_SEEDED_DRIVES[:3], LIVE_SEEDED_DRIVES[3:]]


def test_max_page_size_setting(emu):
    emu.settings(max_page_size=2)
    collection = emu.drives(pagesize=50)
    assert collection["options"]["pageSize"] == 2 and len(collection["data"]) == 2 and collection["total"] == 4


def test_name_filter_is_a_case_insensitive_substring(emu):
    for name in ("Joann", "ANN", "Annex", "Bob", "joANNa"):
        emu.insert_drive(name)
    collection = emu.drives(name="ann")
    assert names(collection) == ["ANN", "Annex", "Joann", "joANNa"]
    assert collection["total"] == 4
    assert names(emu.drives(name="ARKET")) == ["Marketing"]
    assert emu.drives(name="%")["total"] == 0  # wildcards are literal
    assert emu.drives(name="")["total"] == 9


def test_sorting_by_name_and_create_date(emu):
    emu.insert_drive("alpha")
    emu.insert_drive("Zulu")
    assert names(emu.drives()) == ["alpha", "Engineering", "Finance", "Launch Assets", "Marketing", "Zulu"]
    descending = emu.drives(descending="true")
    assert names(descending) == ["Zulu", "Marketing", "Launch Assets", "Finance", "Engineering", "alpha"]
    assert descending["options"]["sort"] == [{"field": "Name", "descending": True}]
    by_date = emu.drives(sortfield="createdate")
    assert names(by_date) == ["Marketing", "Engineering", "Launch Assets", "Finance", "alpha", "Zulu"]
    assert by_date["options"]["sort"][0]["field"] == "CreateDate"
    assert names(emu.drives(sortfield="CreateDate", descending="True"))[:2] == ["Zulu", "alpha"]
    assert names(emu.drives(sortfield="NAME"))[0] == "alpha"


@pytest.mark.parametrize("params", [
    {"sortfield": "Bogus"}, {"sortfield": "StorageName"}, {"page": "0"}, {"page": "-1"}, {"page": "abc"}, {"page": "1.5"},
    {"pagesize": "0"}, {"pagesize": "ten"}, {"pagesize": ""}, {"descending": "yes"}, {"descending": "1"},
])
def test_bad_paging_or_sort_parameters_are_499_default(emu, params):
    assert_api_error(emu.get("/sharedclouddrive/get_all", params=params), "DEFAULT")
    assert_api_error(emu.get("/sharedclouddrive/get_all_with_details", params=params), "DEFAULT")


def test_query_parameter_names_are_case_sensitive(emu):
    # "pageSize" is not "pagesize": it is ignored and the default of 50 applies.
    assert emu.drives(pageSize=2)["options"]["pageSize"] == 50


def test_show_deleted_setting_mixes_in_soft_deleted_drives(emu):
    emu.settings(show_deleted=True)
    collection = emu.drives()
    assert names(collection) == ["Engineering", "Finance", "Launch Assets", "Marketing", "Old Archive"]
    assert collection["total"] == 5
    deleted = [drive for drive in collection["data"] if drive["deleted"]]
    assert [drive["id"] for drive in deleted] == [OLD_ARCHIVE_ID]
    assert names(emu.drives(name="archive")) == ["Old Archive"]
    emu.settings(show_deleted=False)
    assert emu.drives()["total"] == 4


def test_show_deleted_lets_a_name_appear_twice(emu):
    emu.insert_drive("Old Archive")
    emu.settings(show_deleted=True)
    rows = emu.drives(name="old archive")["data"]
    assert sorted(drive["deleted"] for drive in rows) == [False, True]


def test_get_all_with_details_adds_the_three_arrays(emu):
    response = emu.get("/sharedclouddrive/get_all_with_details", params={"pagesize": 2, "page": 2})
    assert response.status_code == 200
    collection = response.json()
    assert collection["total"] == 4 and collection["options"]["pageSize"] == 2
    assert names(collection) == ["Launch Assets", "Marketing"]
    for drive in collection["data"]:
        assert set(drive) == DRIVE_KEYS | {"projectsData", "usersData", "groupsData"}
    fresh = emu.insert_drive("Plain")
    plain = emu.get("/sharedclouddrive/get_all_with_details", params={"name": "Plain"}).json()["data"][0]
    assert plain["id"] == fresh["id"]
    assert plain["projectsData"] == [] and plain["usersData"] == [] and plain["groupsData"] == []


# -- the two Python samples of the Click API documentation ------------------

def test_docs_sample_listing_drives(emu, capsys):
    import requests  # pylint: disable=import-outside-toplevel
    BASE = emu.url  # noqa: N806 pylint: disable=invalid-name
    TOKEN = "emulator-api-token"  # noqa: N806 pylint: disable=invalid-name
    r = requests.get(f"{BASE}/sharedclouddrive/get_all", params={"token": TOKEN, "page": 1, "pagesize": 20})  # pylint: disable=missing-timeout
    r.raise_for_status()
    for d in r.json()["data"]:
        print(d["id"], d["name"], d["storageName"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "d2000000-0000-4000-8000-000000000002 Engineering eng-bucket"
    assert len(lines) == 4


def test_docs_sample_inserting_the_creative_drive(emu):
    import requests  # pylint: disable=import-outside-toplevel
    BASE = emu.url  # noqa: N806 pylint: disable=invalid-name
    TOKEN = "emulator-api-token"  # noqa: N806 pylint: disable=invalid-name
    body = {
        "name": "Creative",
        "cloudAccountId": DEMO_S3_ID,
        "storageName": "my-shared-bucket",
        "prefix": "projects/creative/",
        "prefixId": "",
        "storageId": "",
        "objectsPerFolder": 10000,
        "allowDelete": False,
        "localCacheEncrypted": False,
        "cloudObjectsEncrypted": False,
        "driveType": 1,
        "syncType": 2,
        "active": True,
    }
    r = requests.post(f"{BASE}/sharedclouddrive/insert", params={"token": TOKEN}, json=body)  # pylint: disable=missing-timeout
    r.raise_for_status()
    drive_id = r.json()["id"]
    uuid.UUID(drive_id)
    listed = emu.drives(name="Creative")["data"]
    assert [(d["id"], d["prefix"], d["syncType"]) for d in listed] == [(drive_id, "projects/creative/", 2)]
