"""The Click API's vocabulary: enums, record shapes, errors, answers and small helpers."""

from __future__ import annotations

import base64
import datetime
import json
import re
import secrets
import time
import uuid

DESKTOP_ADMIN = 16
USER_TYPES = (16, 32, 64)
USER_STATUS_ACTIVE = 1
AGENT_STATUSES = (0, 1, 2, 4, 8)
AGENT_CREATED, AGENT_STARTED, AGENT_STOPPED, AGENT_PAUSED, AGENT_DISPOSED = AGENT_STATUSES
# POST /management/command/{cmd}: the documented enum (names bind too, as ASP.NET binds enums).
AGENT_COMMANDS = {"start": 0, "dispose": 1, "pause": 2, "resume": 4, "exit": 8}
READ, READ_WRITE = 1, 2
MFA_CODE = "123456"
NAME_MAX_LENGTH = 50
GROUP_NAME_MAX_LENGTH = 100  # user groups and projects (W-UG, W-PRJ)
DEFAULT_PAGE_SIZE = 50
DRIVE_LETTERS = "DEFGHIJKLMNOPQRSTUVWXYZ"
# Letters a drive may have on Windows (list_available_drives: C to Z).
ALL_LETTERS = "C" + DRIVE_LETTERS
PLATFORMS = ("windows", "macos")
# What each agent knows of its desktop, set by the seed's agents[i] or PATCH /_emulator/agent:
# the platform (macOS keeps no drive letters), the letters its operating system holds,
# whether every sync resets the local settings of the drives it keeps, the largest cache
# it keeps (a bigger maximumCacheSize is capped; null: no cap), and what the drive reports
# say of the health of its drives (by drive name; see DRIVE_HEALTH_COUNTS).
AGENT_DESKTOP_DEFAULTS = {"platform": "windows", "osLetters": ["C"], "resetOnSync": False, "maxCacheSize": None, "driveHealth": {}}
# A drive's health, as the reports tell it: file counts (integers >= 0, default 0) and an
# optional status string that replaces the drive's Status and DriveStatus.
DRIVE_HEALTH_COUNTS = ("filesNormal", "filesWithErrors", "filesPendingUpload", "filesPendingDownload")


def drive_health_problem(value):
    """What is wrong with an agent's driveHealth map (drive name -> health), or None."""
    if not isinstance(value, dict):
        return "driveHealth must map drive names to a health object"
    for name, health in value.items():
        if not name or not isinstance(health, dict):
            return "driveHealth must map drive names to a health object"
        unknown = sorted(set(health) - set(DRIVE_HEALTH_COUNTS) - {"status"})
        if unknown:
            return f"driveHealth of {name}: unknown keys {', '.join(unknown)} (use {', '.join(DRIVE_HEALTH_COUNTS)}, status)"
        if any(not (is_int(health.get(key, 0)) and health.get(key, 0) >= 0) for key in DRIVE_HEALTH_COUNTS):
            return f"driveHealth of {name}: {', '.join(DRIVE_HEALTH_COUNTS)} must be integers >= 0"
        if health.get("status") is not None and not (isinstance(health["status"], str) and health["status"]):
            return f"driveHealth of {name}: status must be a non-empty string or null"
    return None


def desktop_problem(key: str, value):
    """What is wrong with one desktop setting of an agent, or None."""
    if key == "platform" and value not in PLATFORMS:
        return f"platform must be one of {', '.join(PLATFORMS)}"
    letters_ok = isinstance(value, list) and all(isinstance(letter, str) and len(letter) == 1 and letter in ALL_LETTERS for letter in value)
    if key == "osLetters" and not letters_ok:
        return "osLetters must be a list of upper-case letters C to Z"
    if key == "resetOnSync" and not isinstance(value, bool):
        return "resetOnSync must be a boolean"
    if key == "maxCacheSize" and value is not None and not (is_int(value) and value >= 0):
        return "maxCacheSize must be an integer >= 0 or null"
    if key == "driveHealth":
        return drive_health_problem(value)
    return None


UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
INT_PATTERN = re.compile(r"^[+-]?[0-9]+$")

# User-settable SharedCloudDrive fields: JSON type, and the value an omitted field gets.
# A default of None marks a required field.  Update is a FULL replace, so an omitted
# field falls back to this default there too, never to its previous value.
DRIVE_USER_FIELDS = {
    "cloudAccountId": (str, None),
    "name": (str, None),
    "prefix": (str, ""),
    "prefixId": (str, ""),
    "storageId": (str, ""),
    "storageName": (str, None),
    "objectsPerFolder": (int, 10000),
    "allowDelete": (bool, False),
    "localCacheEncrypted": (bool, False),
    "cloudObjectsEncrypted": (bool, False),
    "driveType": (int, 1),
    "syncType": (int, 1),
    "active": (bool, True),
}
DRIVE_RECORD_KEYS = (
    "id", "accountId", "creatorUserId", "cloudAccountId", "active", "name", "prefix", "prefixId", "storageId",
    "storageName", "objectsPerFolder", "allowDelete", "localCacheEncrypted", "cloudObjectsEncrypted", "driveType",
    "syncType", "deleted",
)
JSON_TYPE_NAMES = {str: "a string", int: "an integer", bool: "a boolean"}
# CloudProvider (cloudType) flags.  Keys make the S3-compatible ones; a service URL the
# generic S3 and the self-hosted ones; the sign-in providers get credentialsData from an
# OAuth flow in the Amove app, never from insert_account.  Frame and Atomosphere are
# documented by name only: the emulator does not make them.
CLOUD_TYPE_NAMES = {1: "AWS", 2: "Wasabi", 4: "Azure", 8: "S3Generic", 16: "Google", 32: "Frame", 64: "Cloudflare", 128: "Dropbox",
                    256: "Box", 512: "OneDrive", 1024: "GoogleDrive", 2048: "LocalHttp", 4096: "FastrServer", 8192: "Atomosphere"}
KEYED_CLOUD_TYPES = (1, 2, 4, 8, 16, 64)
SERVICE_URL_CLOUD_TYPES = (8, 2048, 4096)
SIGN_IN_CLOUD_TYPES = (128, 256, 512, 1024)
UNEMULATED_CLOUD_TYPES = (32, 8192)
STORAGE_TIER_GLOBAL = 2
# The stand-in for the provider's refusal of keys (the invalid_keys setting): fixed, so tests can match it word for word.
CREDENTIALS_REFUSED = "The cloud provider refused the credentials: the access key or the secret key is not valid."
# The account's plan, as GET /user/package_inquiry counts it: totals of the plan (the route answers
# what remains of each count) and the plan's features.  The seed's "package" section overrides them.
PACKAGE_COUNTS = {"adminUsers": 5, "creativeUsers": 25, "standardUsers": 100, "storage": 1000, "connections": 25,
                  "projects": 50, "teams": 25, "drives": 1000, "syncs": 25}
PACKAGE_FEATURES = {"logs": True, "sso": False}

# The permission families differ only in these names: who is granted (subject), on what
# (target: a shared cloud drive or a project), and the keys of their list rows.  The
# misspelt "sharedClouDrive" row key of the user-drive family is real.
USER_PERMISSION = {"subject": "userId", "target": "sharedCloudDriveId", "table": "user_permissions", "subjects": "users", "label": "User",
                   "name_key": "username", "sort": "User.Username", "row_subject": "user", "row_target": "sharedClouDrive",
                   "target_label": "Shared cloud drive"}
GROUP_PERMISSION = {"subject": "userGroupId", "target": "sharedCloudDriveId", "table": "group_permissions", "subjects": "user_groups",
                    "label": "User group", "name_key": "name", "sort": "UserGroup.Name", "row_subject": "userGroup",
                    "row_target": "sharedCloudDrive", "target_label": "Shared cloud drive"}
USER_PROJECT_PERMISSION = {"subject": "userId", "target": "projectId", "table": "project_users", "subjects": "users", "label": "User",
                           "name_key": "username", "sort": "User.Username", "row_subject": "user", "row_target": "project",
                           "target_label": "Project"}
GROUP_PROJECT_PERMISSION = {"subject": "userGroupId", "target": "projectId", "table": "project_groups", "subjects": "user_groups",
                            "label": "User group", "name_key": "name", "sort": "UserGroup.Name", "row_subject": "userGroup",
                            "row_target": "project", "target_label": "Project"}

NO_BODY = object()


class ApiError(Exception):
    """An application error, answered 499 with a ValidationProblemDetails body."""

    def __init__(self, code: str, *messages: str):
        super().__init__(messages[0] if messages else code)
        self.code = code
        self.messages = list(messages) or [code]


class HttpStatus(Exception):
    """An answer that is a bare status code without a body (401, 415...)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class Reply:
    """Status, optional JSON body and extra headers of one answer."""

    def __init__(self, status: int = 200, body=NO_BODY, headers: dict | None = None):
        self.status = status
        self.body = body
        self.headers = headers or {}


def api_error_reply(err: ApiError) -> Reply:
    """Build the 499 answer: body type/status/errors plus the error-code header."""
    body = {"type": err.code, "status": 499, "errors": {err.code: err.messages}}
    return Reply(499, body, {"error-code": err.code})


def new_id() -> str:
    """Return a fresh lowercase uuid4."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """Return the current time as ISO 8601 UTC with a Z suffix."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def is_uuid(value) -> bool:
    """True for a canonical 8-4-4-4-12 uuid string (the only form accepted)."""
    return isinstance(value, str) and bool(UUID_PATTERN.match(value))


def is_int(value) -> bool:
    """True for a JSON integer; JSON booleans are not integers here."""
    return isinstance(value, int) and not isinstance(value, bool)


def has_json_type(value, kind) -> bool:
    """True when a decoded JSON value has the expected Python type."""
    if kind is int:
        return is_int(value)
    return isinstance(value, kind)


def mask_secret(value):
    """Mask a credential the way the agent does: a short visible head, then stars."""
    if not value:
        return value
    return value[:min(4, len(value) // 2)] + "*" * 12


def b64url(data: bytes) -> str:
    """Base64url without padding, as used in JWTs."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_jwt(user: dict) -> str:
    """Return an opaque token shaped like a JWT; only the session table gives it meaning."""
    header = {"alg": "HS256", "typ": "JWT"}
    payload = {"sub": user["id"], "email": user["username"], "jti": new_id(), "iat": int(time.time())}
    parts = [json.dumps(header).encode(), json.dumps(payload).encode(), secrets.token_bytes(32)]
    return ".".join(b64url(part) for part in parts)


def parse_iso_datetime(value: str) -> datetime.datetime:
    """Parse an ISO date or date-time (Z allowed) as an aware UTC datetime."""
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def reject_json_constant(name: str):
    """NaN and Infinity are not JSON; the agent's parser rejects them."""
    raise ValueError(f"invalid JSON constant {name}")
