"""Drive reports controller: a local drive's summary and sync health (/drivereport/*/{driveId}, no token).

PascalCase objects with string enums, as documented.  The allowed values of the
status strings are not documented; the emulator answers Running, Stopped or
Inactive for a drive and Idle or Stopped for its uploader and downloader.  A
drive is healthy, all synced with no files, unless the agent's driveHealth
gives it file counts (files with errors, pending uploads or downloads) and
perhaps a status of its own: then both reports tell that.
"""

from __future__ import annotations

from ..common import AGENT_STARTED, CLOUD_TYPE_NAMES, DRIVE_HEALTH_COUNTS, Reply
from ..routing import ApiRequest, route
from .management import local_entry

DRIVE_TYPE_NAMES = {1: "VirtualDrive", 2: "LocalPath"}
SYNC_TYPE_NAMES = {1: "Stream", 2: "Mirror"}
PERMISSION_NAMES = {1: "Read", 2: "ReadWrite"}
STATE_COLORS = (("Normal", "#22c55e"), ("Uploading", "#3b82f6"), ("Downloading", "#8b5cf6"), ("Error", "#ef4444"))


def formatted(size: int) -> str:
    """A byte count as the agent formats it ("0 B", "10 KB", "1.5 GB")."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" or value == int(value) else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def drive_status(req: ApiRequest, entry: dict) -> str:
    """The drive's status: the driveHealth's own, else Inactive, Running or Stopped (the agent is not started)."""
    given = req.agent["driveHealth"].get(entry["name"], {}).get("status")
    if given:
        return given
    if not entry["active"]:
        return "Inactive"
    return "Running" if req.agent["status"] == AGENT_STARTED else "Stopped"


def health_counts(req: ApiRequest, entry: dict) -> dict:
    """File counts of a drive (from the agent's driveHealth, by drive name) and the completion percentages they give."""
    health = req.agent["driveHealth"].get(entry["name"], {})
    counts = {key: health.get(key, 0) for key in DRIVE_HEALTH_COUNTS}
    total = sum(counts.values())

    def percent(done):
        return 100 * done // total if total else 100

    counts.update(total=total, upload=percent(total - counts["filesPendingUpload"]), download=percent(total - counts["filesPendingDownload"]),
                  overall=percent(counts["filesNormal"]))
    return counts


def state_breakdown(counts: dict) -> list:
    """FilesByState / SyncStateBreakdown: files in each state, with the agent's colours."""
    values = {"Normal": counts["filesNormal"], "Uploading": counts["filesPendingUpload"], "Downloading": counts["filesPendingDownload"],
              "Error": counts["filesWithErrors"]}
    return [{"Label": label, "Value": values[label], "Color": color} for label, color in STATE_COLORS]


@route("GET", "/drivereport/summary/{id}", needs_token=False)
def summary(req: ApiRequest) -> Reply:
    """DriveSummaryReport of one local drive (404 without a body for an unknown id)."""
    entry = local_entry(req)
    status = drive_status(req, entry)
    worker = "Idle" if status == "Running" else "Stopped"
    options = entry["transferOptions"]
    counts = health_counts(req, entry)
    return Reply(200, {
        "DriveId": entry["id"], "DriveName": entry["driveName"], "Name": entry["name"], "Status": status,
        "UploaderStatus": worker, "DownloaderStatus": worker,
        "CloudProvider": CLOUD_TYPE_NAMES.get(entry["account"].get("cloudType"), "Unknown"), "StorageBucket": entry["storageName"],
        "LocalPath": entry["localPath"], "Prefix": entry["prefix"], "Active": entry["active"],
        "DriveType": DRIVE_TYPE_NAMES.get(entry["driveType"], "Unknown"), "SyncType": SYNC_TYPE_NAMES.get(entry["syncType"], "Unknown"),
        "SharedDrive": entry["sharedDrive"], "SharedDriveId": entry["sharedDriveId"],
        "PermissionType": PERMISSION_NAMES.get(entry["permissionType"], "Unknown"), "AllowDelete": entry["allowDelete"],
        "MaximumCacheSize": entry["maximumCacheSize"], "MaximumCacheSizeFormatted": formatted(entry["maximumCacheSize"]),
        "RotationalCache": entry["rotationalCache"], "CloudObjectsEncrypted": entry["cloudObjectsEncrypted"],
        "LocalCacheEncrypted": entry["localCacheEncrypted"], "KeepFileAfterUpload": entry["keepFileAfterUpload"],
        "SyncIntervalSeconds": entry["syncIntervalSeconds"], "TotalFiles": counts["total"], "TotalDirectories": 0, "TotalSizeBytes": 0,
        "TotalSizeFormatted": formatted(0), "CacheSizeBytes": 0, "CacheSizeFormatted": formatted(0),
        "FilesByState": state_breakdown(counts),
        "TransferOptions": {key[0].upper() + key[1:]: value for key, value in options.items()},
    })


@route("GET", "/drivereport/sync_health/{id}", needs_token=False)
def sync_health(req: ApiRequest) -> Reply:
    """DriveSyncHealthReport of one local drive: everything synced, unless the agent's driveHealth says otherwise."""
    entry = local_entry(req)
    counts = health_counts(req, entry)
    return Reply(200, {
        "DriveId": entry["id"], "DriveStatus": drive_status(req, entry),
        "FilesPendingUpload": counts["filesPendingUpload"], "FilesUploading": 0, "FilesPendingDownload": counts["filesPendingDownload"],
        "FilesDownloading": 0, "FilesNormal": counts["filesNormal"], "FilesTemporary": 0, "FilesWithErrors": counts["filesWithErrors"],
        "FilesDeleting": 0, "TotalTrackedFiles": counts["total"], "UploadCompletionPercent": counts["upload"],
        "DownloadCompletionPercent": counts["download"], "OverallSyncCompletionPercent": counts["overall"], "ActiveUploadCount": 0,
        "ActiveDownloadCount": 0, "SyncStateBreakdown": state_breakdown(counts),
    })
