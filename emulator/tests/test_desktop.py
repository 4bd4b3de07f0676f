"""The desktop side of each agent: local drive settings, letters, a desktop's own drives and the drive reports."""

from __future__ import annotations

import pytest

from emulator_testlib import DEMO_S3_ID, ENGINEERING_ID, MARKETING_ID, RETIRED_AZURE_ID, assert_api_error, assert_no_body


def local(emu, shared_id):
    return next(entry for entry in emu.get("/management/clouddrive", token=None).json() if entry["sharedDriveId"] == shared_id)


def available(emu):
    response = emu.get("/management/list_available_drives", token=None)
    assert response.status_code == 200
    return response.json()


def put(emu, entry, **changes):
    return emu.put(f"/management/clouddrive/{entry['id']}", token=None, json=dict(entry, **changes))


def change_cache(emu, entry, **changes):
    return emu.put(f"/management/clouddrive_change_cache/{entry['id']}", token=None, json=dict(entry, **changes))


def private_drive(emu, **fields):
    body = {"name": "Scratch", "storageName": "scratch-bucket", "driveName": "", "driveType": 1, "syncType": 1, "permissionType": 2,
            "maximumCacheSize": 0, "permanentLocalPath": "$$$", "account": {"id": DEMO_S3_ID}}
    body.update(fields)
    return emu.post("/management/clouddrive", token=None, json=body)


def test_letters_free_and_held_by_the_os_and_the_drives(emu):
    emu.agent(osLetters=["C", "D", "Z"])
    entries = emu.sync()
    letters = sorted(entry["driveName"] for entry in entries if entry["driveName"])
    assert "D" not in letters and "C" not in letters and letters[0] == "E"  # the OS letters are skipped
    free = available(emu)
    assert free[0] == "F" or "E" not in free
    assert not set(free) & ({"C", "D", "Z"} | set(letters))
    assert set(free) | {"C", "D", "Z"} | set(letters) == set("CDEFGHIJKLMNOPQRSTUVWXYZ")
    drives = emu.get("/management/list_drives", token=None).json()
    assert drives == sorted(f"{letter}:\\" for letter in {"C", "D", "Z"} | set(letters))


def test_put_changes_letter_interval_and_active_and_they_survive_a_sync(emu):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    response = put(emu, entry, driveName="R", syncIntervalSeconds=300, active=False)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["driveName"], answer["syncIntervalSeconds"], answer["active"], answer["localPath"]) == ("R", 300, False, "R:\\")
    assert "R" not in available(emu) and entry["driveName"] in available(emu)
    emu.sync()
    kept = local(emu, MARKETING_ID)
    assert (kept["id"], kept["driveName"], kept["syncIntervalSeconds"], kept["active"]) == (entry["id"], "R", 300, False)


def test_put_is_a_full_replace_and_keeps_cache_fields(emu):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    body = {"id": entry["id"], "name": entry["name"], "maximumCacheSize": 1, "rotationalCache": True, "localCacheEncrypted": True}
    answer = emu.put(f"/management/clouddrive/{entry['id']}", token=None, json=body).json()
    assert answer["syncIntervalSeconds"] == 60 and answer["active"] is True  # omitted: the defaults
    assert answer["driveName"] and answer["driveName"] in "DEFGHIJKLMNOPQRSTUVWXYZ"  # omitted letter: the agent picks one
    assert (answer["maximumCacheSize"], answer["rotationalCache"], answer["localCacheEncrypted"]) == \
        (entry["maximumCacheSize"], entry["rotationalCache"], entry["localCacheEncrypted"])


@pytest.mark.parametrize("letter", ["g", "G:", "GH", "A", "1"])
def test_put_refuses_a_letter_in_another_form(emu, letter):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    assert assert_api_error(put(emu, entry, driveName=letter), "DEFAULT") == f"The value '{letter}' is not valid for driveName."
    assert local(emu, MARKETING_ID) == entry


def test_put_refuses_a_letter_in_use(emu):
    emu.agent(osLetters=["C", "Q"])
    emu.sync()
    entry, other = local(emu, MARKETING_ID), local(emu, ENGINEERING_ID)
    assert assert_api_error(put(emu, entry, driveName="Q"), "DEFAULT") == "Drive letter Q is in use."
    assert assert_api_error(put(emu, entry, driveName=other["driveName"]), "DEFAULT") == f"Drive letter {other['driveName']} is in use."
    assert local(emu, MARKETING_ID) == entry


def test_put_of_an_unknown_drive_or_another_id_or_bad_interval(emu):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    assert_no_body(emu.put("/management/clouddrive/00000000-0000-4000-8000-000000000000", token=None, json=entry), 404)
    assert assert_api_error(put(emu, entry, id="00000000-0000-4000-8000-000000000000"), "DEFAULT").startswith("The id of the body")
    assert_api_error(put(emu, entry, syncIntervalSeconds=0), "DEFAULT")
    assert_api_error(put(emu, entry, syncIntervalSeconds="60"), "DEFAULT")


def test_change_cache_sets_the_cache_fields_capped_and_they_survive_a_sync(emu):
    emu.agent(maxCacheSize=1000)
    emu.sync()
    entry = local(emu, MARKETING_ID)
    answer = change_cache(emu, entry, maximumCacheSize=5000, localCacheEncrypted=True, rotationalCache=True, driveName="Y").json()
    assert (answer["maximumCacheSize"], answer["localCacheEncrypted"], answer["rotationalCache"]) == (1000, True, True)
    assert answer["driveName"] == entry["driveName"]  # only cache fields change here
    assert change_cache(emu, entry, maximumCacheSize=500).json()["maximumCacheSize"] == 500
    emu.sync()
    assert local(emu, MARKETING_ID)["maximumCacheSize"] == 500


def test_reset_on_sync_puts_the_defaults_back(emu):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    put(emu, entry, driveName="S", syncIntervalSeconds=30)
    change_cache(emu, local(emu, MARKETING_ID), maximumCacheSize=7)
    assert emu.agent(resetOnSync=True)["resetOnSync"] is True
    emu.sync()
    reset = local(emu, MARKETING_ID)
    assert reset["id"] == entry["id"]
    assert (reset["driveName"], reset["syncIntervalSeconds"], reset["maximumCacheSize"]) == (entry["driveName"], 60, 0)


def test_macos_keeps_no_letters(emu):
    emu.agent(platform="macos")
    entries = emu.sync()
    assert all(entry["driveName"] == "" for entry in entries)
    entry = local(emu, MARKETING_ID)
    assert "G" in available(emu)  # listed, yet not kept
    answer = put(emu, entry, driveName="G", syncIntervalSeconds=120).json()
    assert (answer["driveName"], answer["syncIntervalSeconds"]) == ("", 120)
    assert emu.get("/management/list_drives", token=None).json()[0] == "/"


def test_a_desktop_drive_is_created_tuned_kept_by_sync_and_deleted(emu):
    emu.sync()
    response = private_drive(emu, driveName="P", localCacheEncrypted=True, maximumCacheSize=2048)
    assert response.status_code == 200
    created = response.json()
    assert (created["sharedDrive"], created["sharedDriveId"], created["driveName"], created["keepFileAfterUpload"]) == (False, "", "P", True)
    assert (created["localCacheEncrypted"], created["maximumCacheSize"], created["account"]["id"]) == (True, 2048, DEMO_S3_ID)
    assert put(emu, created, name="Scratch 2", syncIntervalSeconds=10).json()["name"] == "Scratch 2"
    entries = emu.sync()
    assert [entry["name"] for entry in entries if not entry["sharedDrive"]] == ["Scratch 2"]
    assert_no_body(emu.delete(f"/management/clouddrive/{created['id']}", token=None), 200)
    assert_no_body(emu.delete(f"/management/clouddrive/{created['id']}", token=None), 404)
    assert all(entry["sharedDrive"] for entry in emu.get("/management/clouddrive", token=None).json())


def test_a_desktop_drive_needs_a_live_account_a_bucket_and_a_free_letter(emu):
    assert_api_error(private_drive(emu, account={"id": RETIRED_AZURE_ID}), "NOT_FOUND")
    assert_api_error(private_drive(emu, storageName=""), "DEFAULT")
    assert_api_error(private_drive(emu, driveName="C"), "DEFAULT")
    assert emu.get("/management/clouddrive", token=None).json() == []


def test_deleting_a_shared_drive_locally_is_undone_by_the_next_sync(emu):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    assert_no_body(emu.delete(f"/management/clouddrive/{entry['id']}", token=None), 200)
    emu.sync()
    assert local(emu, MARKETING_ID)["id"] != entry["id"]


def test_reports_in_pascal_case_with_string_enums(emu):
    emu.sync()
    entry = local(emu, MARKETING_ID)
    report = emu.get(f"/drivereport/summary/{entry['id']}", token=None).json()
    assert (report["DriveId"], report["DriveName"], report["Name"], report["Status"]) == (entry["id"], entry["driveName"], "Marketing", "Running")
    enums = (report["UploaderStatus"], report["DownloaderStatus"], report["DriveType"], report["SyncType"])
    assert enums == ("Idle", "Idle", "VirtualDrive", "Mirror")  # Marketing mirrors (seed)
    assert report["PermissionType"] in ("Read", "ReadWrite") and report["TransferOptions"]["ChunkSize"] == 5242880
    health = emu.get(f"/drivereport/sync_health/{entry['id']}", token=None).json()
    assert (health["DriveStatus"], health["FilesPendingUpload"], health["OverallSyncCompletionPercent"]) == ("Running", 0, 100)
    put(emu, entry, active=False)
    assert emu.get(f"/drivereport/sync_health/{entry['id']}", token=None).json()["DriveStatus"] == "Inactive"
    assert_no_body(emu.get("/drivereport/summary/00000000-0000-4000-8000-000000000000", token=None), 404)


@pytest.mark.parametrize("change", [{"platform": "linux"}, {"osLetters": ["c"]}, {"osLetters": "C"}, {"resetOnSync": 1},
                                    {"maxCacheSize": -1}])
def test_desktop_settings_are_checked(emu, change):
    response = emu.control("PATCH", "agent", json=change)
    assert response.status_code == 400
    assert emu.control("GET", "agent").json()["platform"] == "windows"


def test_seed_desktop_settings(start_emulator, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text('{"agents": [{"platform": "macos", "osLetters": ["C", "E"], "resetOnSync": true, "maxCacheSize": 10}]}')
    process = start_emulator("--seed", str(seed))
    from emulator_testlib import Emu  # pylint: disable=import-outside-toplevel
    agent = Emu(process.url).control("GET", "agent").json()
    assert (agent["platform"], agent["osLetters"], agent["resetOnSync"], agent["maxCacheSize"]) == ("macos", ["C", "E"], True, 10)
    bad = tmp_path / "bad.json"
    bad.write_text('{"agents": [{"platform": "beos"}]}')
    with pytest.raises(RuntimeError):
        start_emulator("--seed", str(bad))


# -- drive health: what the reports say when a drive is not well -----------

def reports(emu, entry):
    summary = emu.get(f"/drivereport/summary/{entry['id']}", token=None).json()
    health = emu.get(f"/drivereport/sync_health/{entry['id']}", token=None).json()
    return summary, health


def breakdown(rows):
    return {row["Label"]: row["Value"] for row in rows}


def test_drive_health_makes_one_drive_unhealthy_in_both_reports(emu):
    emu.sync()
    marketing, engineering = local(emu, MARKETING_ID), local(emu, ENGINEERING_ID)
    agent = emu.agent(driveHealth={"Marketing": {"filesNormal": 6, "filesWithErrors": 2, "filesPendingUpload": 2}})
    assert agent["driveHealth"] == {"Marketing": {"filesNormal": 6, "filesWithErrors": 2, "filesPendingUpload": 2}}
    summary, health = reports(emu, marketing)
    assert (health["FilesNormal"], health["FilesWithErrors"], health["FilesPendingUpload"], health["FilesPendingDownload"],
            health["TotalTrackedFiles"]) == (6, 2, 2, 0, 10)
    assert (health["UploadCompletionPercent"], health["DownloadCompletionPercent"], health["OverallSyncCompletionPercent"]) == (80, 100, 60)
    assert health["DriveStatus"] == "Running" and summary["Status"] == "Running"  # numbers only, unless a status is given
    assert breakdown(health["SyncStateBreakdown"]) == {"Normal": 6, "Uploading": 2, "Downloading": 0, "Error": 2}
    assert summary["TotalFiles"] == 10 and breakdown(summary["FilesByState"]) == breakdown(health["SyncStateBreakdown"])
    other_summary, other = reports(emu, engineering)
    assert (other["FilesWithErrors"], other["TotalTrackedFiles"], other["OverallSyncCompletionPercent"], other_summary["TotalFiles"]) == (
        0, 0, 100, 0)
    emu.agent(driveHealth={"Marketing": {"filesWithErrors": 1, "filesPendingDownload": 3, "status": "Error"}})
    summary, health = reports(emu, marketing)
    assert (summary["Status"], health["DriveStatus"], health["DownloadCompletionPercent"], health["OverallSyncCompletionPercent"]) == (
        "Error", "Error", 25, 0)
    # It follows the drive by name: across a sync, and on a drive deleted locally and mounted again under a new id.
    emu.delete(f"/management/clouddrive/{marketing['id']}", token=None)
    emu.sync()
    assert reports(emu, local(emu, MARKETING_ID))[1]["FilesWithErrors"] == 1
    emu.agent(driveHealth={})
    assert reports(emu, local(emu, MARKETING_ID))[1]["FilesWithErrors"] == 0


@pytest.mark.parametrize("health", [
    {"Marketing": {"filesWithErrors": -1}}, {"Marketing": {"filesWithErrors": "2"}}, {"Marketing": {"errors": 2}},
    {"Marketing": {"status": ""}}, {"Marketing": 2}, ["Marketing"], {"": {}},
])
def test_drive_health_is_checked(emu, health):
    assert emu.control("PATCH", "agent", json={"driveHealth": health}).status_code == 400
    assert emu.control("GET", "agent").json()["driveHealth"] == {}


def test_seed_drive_health_and_its_mistakes(start_emulator, tmp_path):
    from emulator_testlib import Emu  # pylint: disable=import-outside-toplevel
    seed = tmp_path / "seed.json"
    seed.write_text('{"agents": [{}, {"driveHealth": {"Reports": {"filesWithErrors": 4, "status": "Error"}}}]}')
    process = start_emulator("--seed", str(seed), "--agents", "2", agents=2)
    first, second = Emu(process.urls[0]), Emu(process.urls[1])
    assert first.control("GET", "agent").json()["driveHealth"] == {}
    assert second.control("GET", "agent").json()["driveHealth"] == {"Reports": {"filesWithErrors": 4, "status": "Error"}}
    drive = first.insert_drive("Reports")
    entry = next(entry for entry in second.sync() if entry["sharedDriveId"] == drive["id"])
    assert reports(second, entry)[1]["FilesWithErrors"] == 4
    assert reports(first, next(e for e in first.sync() if e["sharedDriveId"] == drive["id"]))[1]["FilesWithErrors"] == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"agents": [{"driveHealth": {"Reports": {"filesWithErrors": -4}}}]}')
    with pytest.raises(RuntimeError):
        start_emulator("--seed", str(bad))
