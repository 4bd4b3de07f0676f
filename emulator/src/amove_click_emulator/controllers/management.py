"""Management controller: the agent itself, its life cycle and its local drive list (/management/*, no token)."""

from __future__ import annotations

from ..common import (
    AGENT_COMMANDS, AGENT_DISPOSED, AGENT_PAUSED, AGENT_STARTED, AGENT_STOPPED, ALL_LETTERS, INT_PATTERN, READ_WRITE, USER_STATUS_ACTIVE, ApiError,
    HttpStatus, Reply, has_json_type, is_uuid, new_id,
)
from ..routing import ApiRequest, route


@route("GET", "/management/agent_status", needs_token=False)
def agent_status(req: ApiRequest) -> Reply:
    """A bare integer, not an object."""
    return Reply(200, req.agent["status"])


@route("POST", "/management/command/{cmd}", needs_token=False)
def agent_command(req: ApiRequest) -> Reply:
    """Drive the agent's life cycle; only Start takes a token (to load the user it signs in).

    Start (0) signs in the token's user and starts the agent from any status.
    Resume (4) starts a created, stopped or paused agent again (a started one stays so).
    Pause (2) pauses a started agent.  Dispose (1) forgets the local drive list:
    only Start brings a disposed agent back.  Exit (8) stops the agent (the
    emulator keeps answering, with status Stopped).  Pause and Resume of a
    disposed agent are 499 DISPOSED; Pause of an agent that is not started is
    499 DEFAULT.  An unknown command is 499 DEFAULT.
    """
    raw = req.path_params["cmd"]
    command = int(raw) if INT_PATTERN.match(raw) else AGENT_COMMANDS.get(raw.lower())
    if command not in AGENT_COMMANDS.values():
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for cmd.")
    agent = req.agent
    if command == AGENT_COMMANDS["start"]:
        req.token = req.query.get("token")
        user = req.store.authenticate(req.token)
        if user["status"] != USER_STATUS_ACTIVE:
            raise ApiError("INACTIVE_USER", "The user is not active.")
        agent.update(status=AGENT_STARTED, userId=user["id"])
    elif command == AGENT_COMMANDS["dispose"]:
        agent.update(status=AGENT_DISPOSED, clouddrives=[], localSettings={})
    elif command == AGENT_COMMANDS["exit"]:
        agent["status"] = AGENT_STOPPED
    elif agent["status"] == AGENT_DISPOSED:
        raise ApiError("DISPOSED", "The agent is disposed: start it with a token.")
    elif command == AGENT_COMMANDS["resume"]:
        agent["status"] = AGENT_STARTED
    elif agent["status"] in (AGENT_STARTED, AGENT_PAUSED):  # pause
        agent["status"] = AGENT_PAUSED
    else:
        raise ApiError("DEFAULT", "The agent is not started.")
    return Reply(200)


@route("POST", "/management/sync_shareddrive", needs_token=False)
def sync_shared_drives(req: ApiRequest) -> Reply:
    """Refresh this agent's local drive list; only a started agent can sync."""
    if req.agent["status"] != AGENT_STARTED:
        raise ApiError("SYNC", "Agent is not started.")
    req.store.sync_agent(req.agent)
    return Reply(200)


@route("GET", "/management/clouddrive", needs_token=False)
def local_cloud_drives(req: ApiRequest) -> Reply:
    """This agent's local drives (a bare array); ?path= keeps the drive owning that path."""
    entries = req.agent["clouddrives"]
    path = req.query.get("path")
    if path:
        entries = [entry for entry in entries if path.lower().startswith(entry["localPath"].lower())]
    return Reply(200, [dict(entry) for entry in entries])


@route("GET", "/management/clouddrive/sync/{id}", needs_token=False)
def sync_local_drive(req: ApiRequest) -> Reply:
    """An immediate sync pass of one local drive (?path=, default /): 404 without a body for an unknown id.

    The id is the local drive's own id, not its shared drive's.  A known drive on
    an agent that is not started is 499 SYNC, like a shared-drive sync.
    """
    drive_id = req.path_params["id"].lower()
    if not any(entry["id"] == drive_id for entry in req.agent["clouddrives"]):
        raise HttpStatus(404)
    if req.agent["status"] != AGENT_STARTED:
        raise ApiError("SYNC", "Agent is not started.")
    return Reply(200)


# -- the desktop side: local drive settings, letters, and the desktop's own drives --------------

# JSON types of the CloudDriveModel fields the agent reads from a body; others are ignored.
LOCAL_FIELD_TYPES = {
    "id": str, "sharedDriveId": str, "active": bool, "name": str, "localPath": str, "permanentLocalPath": str, "prefix": str,
    "storageName": str, "driveName": str, "syncIntervalSeconds": int, "objectsPerFolder": int, "maximumCacheSize": int,
    "allowDelete": bool, "sharedDrive": bool, "rotationalCache": bool, "localCacheEncrypted": bool, "cloudObjectsEncrypted": bool,
    "keepFileAfterUpload": bool, "permissionType": int, "driveType": int, "syncType": int, "transferOptions": dict, "account": dict,
}
# What PUT /management/clouddrive/{id} replaces (an omitted one gets its default, the full-replace
# reading); everything else of the stored drive stays, cache fields included (only change_cache
# changes those).  A desktop's own drive takes its name too; a shared drive's comes from the account.
DRIVE_REPLACED = {"driveName": "", "syncIntervalSeconds": 60, "active": True}
CACHE_REPLACED = {"localCacheEncrypted": False, "maximumCacheSize": 0, "rotationalCache": False}
STANDARD_TRANSFER = {"chunkSize": 5 * 1024 * 1024, "retryCount": 5, "concurrentChunks": 5, "concurrentFiles": 5}


def local_body(req: ApiRequest) -> dict:
    """A CloudDriveModel body with the documented JSON types (499 DEFAULT otherwise)."""
    body = req.json
    if not isinstance(body, dict):
        raise ApiError("DEFAULT", "The request body must be a CloudDriveModel object.")
    for key, kind in LOCAL_FIELD_TYPES.items():
        if body.get(key) is not None and not has_json_type(body[key], kind):
            raise ApiError("DEFAULT", f"The JSON value of {key} could not be converted.")
    return body


def local_entry(req: ApiRequest) -> dict:
    """The agent's local drive of the path's id: 404 without a body when it has none."""
    drive_id = req.path_params["id"].lower()
    entry = next((entry for entry in req.agent["clouddrives"] if entry["id"] == drive_id), None)
    if entry is None:
        raise HttpStatus(404)
    return entry


def drive_letter(req: ApiRequest, entry: dict | None, wanted: str, drive_type: int) -> str:
    """The letter a drive gets: macOS keeps none; on Windows '' lets the agent pick, else it must be free."""
    agent = req.agent
    if agent["platform"] != "windows" or drive_type != 1:
        return ""
    taken = req.store.taken_letters(agent, entry["id"] if entry else None)
    if not wanted:
        return req.store.first_free_letter(agent, taken)
    if len(wanted) != 1 or wanted not in ALL_LETTERS:
        raise ApiError("DEFAULT", f"The value '{wanted}' is not valid for driveName.")
    if wanted in taken:
        raise ApiError("DEFAULT", f"Drive letter {wanted} is in use.")
    return wanted


def cache_size(req: ApiRequest, value: int) -> int:
    """maximumCacheSize as the agent keeps it: at least 0, capped at the agent's maxCacheSize."""
    if value < 0:
        raise ApiError("DEFAULT", "The value of maximumCacheSize must not be negative.")
    cap = req.agent["maxCacheSize"]
    return value if cap is None else min(value, cap)


def local_path(req: ApiRequest, drive_id: str, letter: str) -> str:
    if req.agent["platform"] != "windows":
        return f"~/Library/Containers/com.amove.AmoveExtension.Ext/Data/Library/Application Support/Cache/{drive_id}"
    return f"{letter}:\\" if letter else f"C:\\Amove\\cache\\{drive_id}"


def remember_local(req: ApiRequest, entry: dict, changes: dict) -> dict:
    """Apply local changes to an entry; a shared drive's survive the next sync (unless resetOnSync)."""
    entry.update(changes)
    if entry["sharedDrive"]:
        req.agent["localSettings"].setdefault(entry["id"], {}).update(changes)
    return dict(entry)


@route("POST", "/management/clouddrive", needs_token=False, json_body=True)
def insert_local_drive(req: ApiRequest) -> Reply:
    """A desktop's own drive on a cloud account's bucket; answers the stored model.

    Like the documented insert: keepFileAfterUpload is forced true and the
    standard transfer options applied.  Names are not checked for duplicates
    (undocumented, so the harder reading).  An unknown or deleted cloud
    account is 499 NOT_FOUND; a letter in use, 499 DEFAULT.
    """
    body = local_body(req)
    for key in ("name", "storageName"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            raise ApiError("DEFAULT", f"The {key} field is required.")
    account_id = (body.get("account") or {}).get("id")
    if not is_uuid(account_id):
        raise ApiError("DEFAULT", "The account.id field is required.")
    account = req.store.drive_cloud_account(account_id.lower())
    drive_type = body.get("driveType") or 1
    drive_id = new_id()
    letter = drive_letter(req, None, body.get("driveName") or "", drive_type)
    path = local_path(req, drive_id, letter)
    entry = {
        "id": drive_id, "sharedDriveId": "", "active": True, "name": body["name"], "localPath": path, "permanentLocalPath": path,
        "prefix": body.get("prefix") or "", "storageName": body["storageName"], "driveName": letter,
        "syncIntervalSeconds": body.get("syncIntervalSeconds") or 60, "objectsPerFolder": body.get("objectsPerFolder") or 1000,
        "maximumCacheSize": cache_size(req, body.get("maximumCacheSize") or 0), "allowDelete": bool(body.get("allowDelete")),
        "sharedDrive": False, "rotationalCache": bool(body.get("rotationalCache")),
        "localCacheEncrypted": bool(body.get("localCacheEncrypted")), "cloudObjectsEncrypted": bool(body.get("cloudObjectsEncrypted")),
        "keepFileAfterUpload": True, "permissionType": body.get("permissionType") or READ_WRITE, "driveType": drive_type,
        "syncType": body.get("syncType") or 1, "transferOptions": dict(STANDARD_TRANSFER),
        "account": {"id": account["id"], "cloudType": account["cloudType"]},
    }
    if entry["syncIntervalSeconds"] < 1:
        raise ApiError("DEFAULT", "The value of syncIntervalSeconds must be at least 1.")
    req.agent["clouddrives"].append(entry)
    return Reply(200, dict(entry))


@route("PUT", "/management/clouddrive/{id}", needs_token=False, json_body=True)
def update_local_drive(req: ApiRequest) -> Reply:
    """Replace a drive's configuration: letter, sync interval, active (and a desktop's own drive's name).

    The full-replace reading: a field of those the body leaves out gets its
    default (an empty driveName lets the agent pick a letter).  Cache fields
    are kept whatever the body says: only change_cache changes them.  On macOS
    the letter is not kept (driveName stays "").  A body id other than the
    path's is 499 DEFAULT.
    """
    entry = local_entry(req)
    body = local_body(req)
    if body.get("id") is not None and body["id"].lower() != entry["id"]:
        raise ApiError("DEFAULT", "The id of the body does not match the id of the path.")
    changes = {key: body[key] if body.get(key) is not None else default for key, default in DRIVE_REPLACED.items()}
    if changes["syncIntervalSeconds"] < 1:
        raise ApiError("DEFAULT", "The value of syncIntervalSeconds must be at least 1.")
    changes["driveName"] = drive_letter(req, entry, changes["driveName"], entry["driveType"])
    if entry["driveType"] == 1:
        changes["localPath"] = local_path(req, entry["id"], changes["driveName"])
    if not entry["sharedDrive"] and isinstance(body.get("name"), str) and body["name"].strip():
        changes["name"] = body["name"]
    return Reply(200, remember_local(req, entry, changes))


@route("PUT", "/management/clouddrive_change_cache/{id}", needs_token=False, json_body=True)
def change_local_cache(req: ApiRequest) -> Reply:
    """Set the cache fields (localCacheEncrypted, maximumCacheSize, rotationalCache, permanentLocalPath).

    The full-replace reading: an omitted cache field gets its default.  A
    maximumCacheSize above the agent's maxCacheSize is kept as that cap.  An
    omitted, empty or "$$$" permanentLocalPath keeps the current folder.
    """
    entry = local_entry(req)
    body = local_body(req)
    changes = {key: body[key] if body.get(key) is not None else default for key, default in CACHE_REPLACED.items()}
    changes["maximumCacheSize"] = cache_size(req, changes["maximumCacheSize"])
    if body.get("permanentLocalPath") not in (None, "", "$$$"):
        changes["permanentLocalPath"] = body["permanentLocalPath"]
    return Reply(200, remember_local(req, entry, changes))


@route("DELETE", "/management/clouddrive/{id}", needs_token=False)
def delete_local_drive(req: ApiRequest) -> Reply:
    """Unregister a local drive (200, no body; 404 for an unknown id).  A shared one comes back with the next sync."""
    entry = local_entry(req)
    req.agent["clouddrives"].remove(entry)
    req.agent["localSettings"].pop(entry["id"], None)
    return Reply(200)


@route("GET", "/management/list_available_drives", needs_token=False)
def list_available_drives(req: ApiRequest) -> Reply:
    """Letters C to Z that neither the operating system nor an Amove drive of this agent holds.

    A macOS agent lists them too (what it answers there is undocumented), yet keeps none.
    """
    taken = req.store.taken_letters(req.agent)
    return Reply(200, [letter for letter in ALL_LETTERS if letter not in taken])


@route("GET", "/management/list_drives", needs_token=False)
def list_drives(req: ApiRequest) -> Reply:
    """Every logical drive: Windows letters as "C:\\", macOS mount points."""
    agent = req.agent
    if agent["platform"] != "windows":
        return Reply(200, ["/"] + [f"/Volumes/{entry['name']}" for entry in agent["clouddrives"]])
    return Reply(200, [f"{letter}:\\" for letter in sorted(req.store.taken_letters(agent))])
