"""Emulator of the Amove desktop agent's local HTTP "Click API".

Serves the shared-cloud-drive part of the Click API (authentication, cloud
accounts, shared cloud drives, who may reach them, and each agent's local drive
list) from an in-memory store, so the collection can be developed and tested
without a real agent.  Where the published API reference is silent, the
emulator picks the behaviour that is least convenient for a client, so that
clients written against it are defensive.

Usage: ``python3 tools/click_emulator.py --help``.  docs/emulator.md describes
the command line, the seed file, the control endpoints under ``/_emulator/``
and every defensive choice.  Python standard library only, Python 3.9+.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import re
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 29123
DEFAULT_ADMIN_USER = "admin@example.com"
DEFAULT_ADMIN_PASSWORD = "admin-password"
DEFAULT_API_TOKEN = "emulator-api-token"
DEFAULT_ACCOUNT_ID = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
DEFAULT_ADMIN_ID = "0d9b8a7c-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
DEMO_S3_ID = "3b2f4a6c-8d0e-4f1a-9b3c-5d7e9f1a3b5c"
ALICE_ID = "a11ce000-0000-4000-8000-000000000001"
BOB_ID = "b0b00000-0000-4000-8000-000000000002"
EDITORS_ID = "6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b"
VIEWERS_ID = "7f8a9b0c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"
LAUNCH_ID = "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"

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
DEFAULT_PAGE_SIZE = 50
DRIVE_LETTERS = "DEFGHIJKLMNOPQRSTUVWXYZ"

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
SEED_SECTIONS = ("account", "users", "api_tokens", "cloud_accounts", "shared_cloud_drives", "user_groups", "projects", "agents",
                 "package")
# The account's plan, as GET /user/package_inquiry counts it: totals of the plan (the route answers
# what remains of each count) and the plan's features.  The seed's "package" section overrides them.
PACKAGE_COUNTS = {"adminUsers": 5, "creativeUsers": 25, "standardUsers": 100, "storage": 1000, "connections": 25,
                  "projects": 50, "teams": 25, "drives": 1000, "syncs": 25}
PACKAGE_FEATURES = {"logs": True, "sso": False}

# The two permission families differ only in these names; the misspelt
# "sharedClouDrive" row key of the user family is real.
USER_PERMISSION = {"subject": "userId", "table": "user_permissions", "subjects": "users", "label": "User", "name_key": "username",
                   "sort": "User.Username", "row_subject": "user", "row_drive": "sharedClouDrive"}
GROUP_PERMISSION = {"subject": "userGroupId", "table": "group_permissions", "subjects": "user_groups", "label": "User group", "name_key": "name",
                    "sort": "UserGroup.Name", "row_subject": "userGroup", "row_drive": "sharedCloudDrive"}

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


class SeedError(Exception):
    """The seed file cannot be loaded."""


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


# ---------------------------------------------------------------------------
# Query parameters and paging
# ---------------------------------------------------------------------------

class Paging:
    """Validated page, page size and sort order of one list request."""

    def __init__(self, page: int, page_size: int, sort_field: str, descending: bool):
        self.page = page
        self.page_size = page_size
        self.sort_field = sort_field
        self.descending = descending


def positive_int_param(query: dict, name: str, default: int) -> int:
    """Read an int >= 1; anything else (text, 0, negative, empty) is a 499 DEFAULT."""
    raw = query.get(name)
    if raw is None:
        return default
    if not INT_PATTERN.match(raw.strip()) or int(raw) < 1:
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for {name}.")
    return int(raw)


def bool_param(query: dict, name: str, default: bool) -> bool:
    """Read true/false (any case), like .NET's bool binder; 1/0/yes are rejected."""
    raw = query.get(name)
    if raw is None:
        return default
    if raw.strip().lower() not in ("true", "false"):
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for {name}.")
    return raw.strip().lower() == "true"


def uuid_param(query: dict, name: str) -> str:
    """Read a required uuid query parameter (lowercased)."""
    raw = query.get(name)
    if not raw:
        raise ApiError("DEFAULT", f"The {name} field is required.")
    if not is_uuid(raw):
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for {name}.")
    return raw.lower()


def parse_paging(query: dict, sort_keys: dict, default_sort: str, default_descending: bool, max_page_size: int) -> Paging:
    """Validate page/pagesize/sortfield/descending.

    The page size is silently capped at max_page_size (options.pageSize tells the
    truth), so a client asking for a huge page must still follow the pages.
    """
    page = positive_int_param(query, "page", 1)
    page_size = min(positive_int_param(query, "pagesize", DEFAULT_PAGE_SIZE), max_page_size)
    wanted = query.get("sortfield") or default_sort
    by_lower = {field.lower(): field for field in sort_keys}
    if wanted.lower() not in by_lower:
        raise ApiError("DEFAULT", f"The sort field '{wanted}' is not supported; use one of: {', '.join(sort_keys)}.")
    return Paging(page, page_size, by_lower[wanted.lower()], bool_param(query, "descending", default_descending))


def paginate(items: list, paging: Paging, sort_keys: dict, view) -> dict:
    """Sort, cut one page and wrap it in a DTOCollection; total counts every match."""
    key = sort_keys[paging.sort_field]
    ordered = sorted(items, key=lambda item: (key(item), item["_order"]), reverse=paging.descending)
    start = (paging.page - 1) * paging.page_size
    return {
        "data": [view(item) for item in ordered[start:start + paging.page_size]],
        "total": len(ordered),
        "options": {"page": paging.page, "pageSize": paging.page_size,
                    "sort": [{"field": paging.sort_field, "descending": paging.descending}]},
    }


def contains_casefold(text, needle) -> bool:
    """Case-insensitive substring match; an empty or absent needle matches everything."""
    return not needle or needle.casefold() in (text or "").casefold()


# ---------------------------------------------------------------------------
# Request body validation
# ---------------------------------------------------------------------------

def require_object(body) -> dict:
    """The body must be a JSON object."""
    if not isinstance(body, dict):
        raise ApiError("DEFAULT", "The request body must be a JSON object.")
    return body


def validate_drive_body(body, require_id: bool) -> tuple:
    """Check a SharedCloudDrive insert/update body; return (id or None, user fields).

    Unknown keys and the server-owned keys (id on insert, accountId,
    creatorUserId, deleted, cloudAccount) are ignored, as ASP.NET ignores them.
    An explicit null for prefix/prefixId/storageId is kept as null (a .NET string
    may be null), so clients must treat null and "" alike.
    """
    body = require_object(body)
    errors = []
    drive_id = None
    if require_id:
        drive_id = body.get("id")
        if drive_id is None:
            errors.append("The id field is required.")
        elif not is_uuid(drive_id):
            errors.append("The id field must be a uuid.")
        else:
            drive_id = drive_id.lower()
    fields = {}
    for field, (kind, default) in DRIVE_USER_FIELDS.items():
        value = body.get(field, default)
        if value is None and kind is str:
            fields[field] = None
        elif has_json_type(value, kind):
            fields[field] = value
        else:
            errors.append(f"The JSON value of field '{field}' must be {JSON_TYPE_NAMES[kind]}.")
    errors.extend(drive_field_errors(fields))
    if errors:
        raise ApiError("DEFAULT", *errors)
    fields["cloudAccountId"] = fields["cloudAccountId"].lower()
    return drive_id, fields


def drive_field_errors(fields: dict) -> list:
    """Value checks for the fields that had the right JSON type."""
    errors = []
    if "name" in fields:
        name = fields["name"]
        if name is None:
            errors.append("The name field is required.")
        elif not name.strip():
            errors.append("The name field must not be empty.")
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(f"The name field must be at most {NAME_MAX_LENGTH} characters long.")
    if "cloudAccountId" in fields:
        if fields["cloudAccountId"] is None:
            errors.append("The cloudAccountId field is required.")
        elif not is_uuid(fields["cloudAccountId"]):
            errors.append("The cloudAccountId field must be a uuid.")
    if "storageName" in fields and (fields["storageName"] is None or not fields["storageName"].strip()):
        errors.append("The storageName field is required.")
    if is_int(fields.get("objectsPerFolder")) and fields["objectsPerFolder"] < 1:
        errors.append("The objectsPerFolder field must be at least 1.")
    if is_int(fields.get("driveType")) and fields["driveType"] not in (1, 2):
        errors.append("The driveType field must be 1 (VirtualDrive) or 2 (LocalPath).")
    if is_int(fields.get("syncType")) and fields["syncType"] not in (1, 2):
        errors.append("The syncType field must be 1 (Stream) or 2 (Mirror).")
    return errors


def parse_link_items(body, uuid_keys: tuple, with_permission: bool) -> list:
    """Validate an array body of link objects (permissions, project assignments)."""
    if not isinstance(body, list):
        raise ApiError("DEFAULT", "The request body must be a JSON array.")
    errors = []
    items = []
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            errors.append(f"Item {index} must be a JSON object.")
            continue
        for key in uuid_keys:
            if not is_uuid(item.get(key)):
                errors.append(f"Item {index}: the {key} field is required and must be a uuid.")
        if with_permission and (not is_int(item.get("permissionType")) or item["permissionType"] not in (READ, READ_WRITE)):
            errors.append(f"Item {index}: the permissionType field must be 1 (Read) or 2 (ReadWrite).")
        items.append(item)
    if errors:
        raise ApiError("DEFAULT", *errors)
    parsed = []
    for item in items:
        link = {key: item[key].lower() for key in uuid_keys}
        if with_permission:
            link["permissionType"] = item["permissionType"]
        parsed.append(link)
    return parsed


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------

class ClickStore:
    """Everything the agents of one process know, guarded by one lock.

    The account data (users, tokens, cloud accounts, drives, groups, projects,
    permissions) is shared by all agents, like the agents of one account share
    the hosted account.  Each agent (one per port) keeps its own status,
    signed-in user and local cloud-drive list.
    """

    def __init__(self, seed: dict, settings: dict, ports: list):
        self.lock = threading.RLock()
        self.seed = seed
        self.initial_settings = dict(settings)
        self.ports = list(ports)
        self.settings = dict(settings)
        self.order = 0
        self.admin_id = ""
        self.account = {}
        self.users = {}  # id -> user (with password)
        self.api_tokens = {}  # token -> {userId, title, expirationDate}
        self.sessions = {}  # login JWT -> {userId}
        self.mfa_sessions = {}  # opaque MFA session -> user id
        self.cloud_accounts = {}
        self.drives = {}  # id -> drive record, soft-deleted ones included
        self.user_groups = {}
        self.group_members = {}  # id -> {userId, userGroupId}
        self.projects = {}
        self.project_users = {}  # id -> {projectId, userId, permissionType}
        self.project_groups = {}  # id -> {projectId, userGroupId, permissionType}
        self.user_permissions = {}
        self.group_permissions = {}
        self.project_drives = {}  # ProjectSharedCloudDrive join records
        self.agents = {}  # port -> {index, port, status, userId, clouddrives}
        self.package = {}  # the plan: PACKAGE_COUNTS totals and PACKAGE_FEATURES (drives: settings["drive_quota"])
        self.load()

    # -- loading -----------------------------------------------------------

    def load(self) -> None:
        """(Re)build the whole store from the seed and the start-up settings."""
        with self.lock:
            self.settings = dict(self.initial_settings)
            self.order = 0
            for table in (self.account, self.users, self.api_tokens, self.sessions, self.mfa_sessions, self.cloud_accounts,
                          self.drives, self.user_groups, self.group_members, self.projects, self.project_users,
                          self.project_groups, self.user_permissions, self.group_permissions, self.project_drives, self.agents,
                          self.package):
                table.clear()
            SeedLoader(self, self.seed).load()

    def next_order(self) -> int:
        """Creation sequence number: the stable tie-break of every sort."""
        self.order += 1
        return self.order

    def add_record(self, table: dict, record: dict) -> dict:
        """Insert a record with its creation order and date."""
        record["_order"] = self.next_order()
        record.setdefault("createDate", utc_now())
        table[record["id"]] = record
        return record

    # -- authentication ----------------------------------------------------

    def authenticate(self, token) -> dict:
        """Return the user behind a session JWT or a live API token, else 401."""
        if not token:
            raise HttpStatus(401)
        session = self.sessions.get(token)
        if session is not None:
            return self.users[session["userId"]]
        api_token = self.api_tokens.get(token)
        if api_token is not None and not self.token_expired(api_token):
            return self.users[api_token["userId"]]
        raise HttpStatus(401)

    @staticmethod
    def token_expired(api_token: dict) -> bool:
        """An API token without expirationDate never expires."""
        expiry = api_token.get("expirationDate")
        return expiry is not None and parse_iso_datetime(expiry) <= datetime.datetime.now(datetime.timezone.utc)

    def open_session(self, user: dict) -> str:
        """Issue a JWT; past max_sessions live sessions the agent answers SESSION_MAXOUT."""
        live = sum(1 for session in self.sessions.values() if session["userId"] == user["id"])
        if live >= self.settings["max_sessions"]:
            raise ApiError("SESSION_MAXOUT", "The maximum number of concurrent sessions has been reached.")
        token = make_jwt(user)
        self.sessions[token] = {"userId": user["id"], "createDate": utc_now()}
        return token

    def find_user(self, username: str):
        """Usernames are matched exactly (case-sensitive), the stricter reading."""
        return next((user for user in self.users.values() if user["username"] == username), None)

    def is_account_admin(self, user: dict) -> bool:
        """The seeded admin, or a DesktopAdmin owner, reaches every drive."""
        return user["id"] == self.admin_id or (user["userType"] == DESKTOP_ADMIN and user["owner"])

    # -- lookups -----------------------------------------------------------

    def live_drive(self, drive_id: str):
        """A drive that exists and is not soft-deleted, else None."""
        drive = self.drives.get(drive_id)
        return drive if drive is not None and not drive["deleted"] else None

    def live_group(self, group_id: str):
        """A user group that exists and is not deleted, else None."""
        group = self.user_groups.get(group_id)
        return group if group is not None and not group["deleted"] else None

    def live_project(self, project_id: str):
        """A project that exists and is not deleted, else None."""
        project = self.projects.get(project_id)
        return project if project is not None and not project["deleted"] else None

    def permission_subject(self, kind: dict, subject_id: str):
        """The user or live group a permission points at, else None."""
        if kind is USER_PERMISSION:
            return self.users.get(subject_id)
        return self.live_group(subject_id)

    def live_drive_named(self, name: str, except_id: str | None = None):
        """A live drive whose name equals `name` ignoring case (the duplicate rule)."""
        wanted = name.casefold()
        for drive in self.drives.values():
            if not drive["deleted"] and drive["id"] != except_id and drive["name"].casefold() == wanted:
                return drive
        return None

    def drive_cloud_account(self, cloud_account_id: str) -> dict:
        """The cloud account a new or updated drive may use: it must exist and not be deleted."""
        account = self.cloud_accounts.get(cloud_account_id)
        if account is None or account["deleted"]:
            raise ApiError("NOT_FOUND", "Cloud account not found.")
        return account

    def remaining_package(self) -> dict:
        """What is left of the plan (GET /user/package_inquiry): each count minus what the account uses, at least 0."""
        def live(table):
            return sum(1 for record in table.values() if not record.get("deleted"))

        used = {
            "adminUsers": sum(1 for user in self.users.values() if user["userType"] == DESKTOP_ADMIN),
            "creativeUsers": sum(1 for user in self.users.values() if user["userType"] == 32),
            "standardUsers": sum(1 for user in self.users.values() if user["userType"] == 64),
            "connections": live(self.cloud_accounts), "projects": live(self.projects), "teams": live(self.user_groups),
            "drives": live(self.drives),
        }
        totals = dict(self.package, drives=self.settings["drive_quota"])
        remaining = {key: max(0, totals[key] - used.get(key, 0)) for key in PACKAGE_COUNTS}
        remaining.update((key, totals[key]) for key in PACKAGE_FEATURES)
        return remaining

    # -- views (what the API returns) --------------------------------------

    @staticmethod
    def cloud_account_view(account) -> dict | None:
        """A CloudAccount with its credentials masked."""
        if account is None:
            return None
        view = {key: account[key] for key in (
            "id", "accountId", "userId", "cloudType", "name", "accessKey", "secretKey", "credentialsData", "serviceUrl",
            "active", "shared", "internalStorage", "storageTier", "deleted")}
        view["accessKey"] = mask_secret(view["accessKey"])
        view["secretKey"] = mask_secret(view["secretKey"])
        view["credentialsData"] = mask_secret(view["credentialsData"])
        return view

    def drive_view(self, drive: dict) -> dict:
        """A SharedCloudDrive record with its cloud account embedded."""
        view = {key: drive[key] for key in DRIVE_RECORD_KEYS}
        view["cloudAccount"] = self.cloud_account_view(self.cloud_accounts.get(drive["cloudAccountId"]))
        return view

    def drive_details_view(self, drive: dict) -> dict:
        """A SharedCloudDriveWithDetailsDTO: the drive plus who reaches it."""
        view = self.drive_view(drive)
        links = sorted((link for link in self.project_drives.values() if link["sharedCloudDriveId"] == drive["id"]),
                       key=lambda link: self.projects[link["projectId"]]["name"].casefold())
        view["projectsData"] = [{"project": self.project_view(self.projects[link["projectId"]]),
                                 "projectSharedCloudDrive": self.project_link_view(link)} for link in links]
        users = sorted((perm for perm in self.user_permissions.values() if perm["sharedCloudDriveId"] == drive["id"]),
                       key=lambda perm: self.users[perm["userId"]]["username"].casefold())
        view["usersData"] = [{"user": self.user_view(self.users[perm["userId"]]),
                              "permission": self.permission_view(perm, USER_PERMISSION)} for perm in users]
        groups = sorted((perm for perm in self.group_permissions.values() if perm["sharedCloudDriveId"] == drive["id"]),
                        key=lambda perm: self.user_groups[perm["userGroupId"]]["name"].casefold())
        view["groupsData"] = [{"userGroup": self.group_view(self.user_groups[perm["userGroupId"]]),
                               "permission": self.permission_view(perm, GROUP_PERMISSION)} for perm in groups]
        return view

    @staticmethod
    def user_view(user: dict) -> dict:
        """A user row as /user/get_all_users returns it (never the password)."""
        return {key: user[key] for key in (
            "id", "firstname", "lastname", "username", "email", "userType", "status", "owner", "mfa", "createDate")}

    @staticmethod
    def group_view(group: dict) -> dict:
        """A UserGroup."""
        return {key: group[key] for key in ("id", "accountId", "name", "description", "active", "deleted")}

    @staticmethod
    def project_view(project: dict) -> dict:
        """A Project."""
        return {key: project[key] for key in ("id", "accountId", "name", "description", "active", "deleted")}

    @staticmethod
    def project_link_view(link: dict) -> dict:
        """A ProjectSharedCloudDrive join record."""
        return {key: link[key] for key in ("id", "projectId", "sharedCloudDriveId")}

    @staticmethod
    def permission_view(permission: dict, kind: dict) -> dict:
        """A user or group permission entry."""
        return {key: permission[key] for key in ("id", kind["subject"], "sharedCloudDriveId", "permissionType")}

    # -- drive writes ------------------------------------------------------

    def delete_drive_links(self, drive_id: str) -> None:
        """Deleting a drive first removes its permissions and project links, like the hosted API."""
        for table in (self.user_permissions, self.group_permissions, self.project_drives):
            for link_id in [link_id for link_id, link in table.items() if link["sharedCloudDriveId"] == drive_id]:
                del table[link_id]

    # -- who reaches which drive -------------------------------------------

    def reachable_drives(self, user: dict) -> dict:
        """Map drive id -> highest permission type the user gets on each live drive."""
        live = {drive_id for drive_id, drive in self.drives.items() if not drive["deleted"]}
        if self.is_account_admin(user):
            return {drive_id: READ_WRITE for drive_id in live}
        if user["status"] != USER_STATUS_ACTIVE:
            return {}
        reach = {}

        def grant(drive_id, permission_type):
            if drive_id in live:
                reach[drive_id] = max(reach.get(drive_id, 0), permission_type)

        groups = {member["userGroupId"] for member in self.group_members.values()
                  if member["userId"] == user["id"] and self.live_group(member["userGroupId"])}
        for permission in self.user_permissions.values():
            if permission["userId"] == user["id"]:
                grant(permission["sharedCloudDriveId"], permission["permissionType"])
        for permission in self.group_permissions.values():
            if permission["userGroupId"] in groups:
                grant(permission["sharedCloudDriveId"], permission["permissionType"])
        # A project gives its drives with the permission of the membership (of the user, or of one of its groups).
        projects = {}
        memberships = [link for link in self.project_users.values() if link["userId"] == user["id"]]
        memberships += [link for link in self.project_groups.values() if link["userGroupId"] in groups]
        for link in memberships:
            if self.live_project(link["projectId"]):
                projects[link["projectId"]] = max(projects.get(link["projectId"], 0), link["permissionType"])
        for link in self.project_drives.values():
            if link["projectId"] in projects:
                grant(link["sharedCloudDriveId"], projects[link["projectId"]])
        return reach

    def sync_agent(self, agent: dict) -> None:
        """Make the agent's local list match the drives its user reaches.

        Missing drives are added, unreachable ones removed, changed ones updated in
        place.  Local ids of kept entries never change, even when their content
        does, so a client must compare content, not ids, to see what changed.
        """
        reach = self.reachable_drives(self.users[agent["userId"]])
        kept = [entry for entry in agent["clouddrives"] if entry["sharedDriveId"] in reach]
        letters = {entry["driveName"] for entry in kept if entry["driveName"]}
        result = []
        for entry in kept:
            result.append(self.local_drive_model(self.drives[entry["sharedDriveId"]], reach[entry["sharedDriveId"]], entry, letters))
        known = {entry["sharedDriveId"] for entry in kept}
        added = sorted((self.drives[drive_id] for drive_id in reach if drive_id not in known), key=lambda drive: drive["_order"])
        for drive in added:
            result.append(self.local_drive_model(drive, reach[drive["id"]], None, letters))
        agent["clouddrives"] = result

    def local_drive_model(self, drive: dict, permission_type: int, previous, taken_letters: set) -> dict:
        """A CloudDriveModel for a mounted shared drive (previous = the local entry it replaces)."""
        letter = ""
        if drive["driveType"] == 1:
            letter = previous["driveName"] if previous and previous["driveName"] else ""
            if not letter:
                letter = next((candidate for candidate in DRIVE_LETTERS if candidate not in taken_letters), "")
                taken_letters.add(letter)
        local_path = f"{letter}:\\" if letter else f"C:\\Amove\\{drive['name']}"
        account = self.cloud_accounts.get(drive["cloudAccountId"]) or {"id": drive["cloudAccountId"], "cloudType": 0}
        return {
            "id": previous["id"] if previous else new_id(),
            "sharedDriveId": drive["id"],
            "active": drive["active"],
            "name": drive["name"],
            "localPath": local_path,
            "permanentLocalPath": local_path if drive["driveType"] == 2 else "",
            "prefix": drive["prefix"],
            "storageName": drive["storageName"],
            "driveName": letter,
            "syncIntervalSeconds": 60,
            "objectsPerFolder": drive["objectsPerFolder"],
            "maximumCacheSize": 10240,
            "allowDelete": drive["allowDelete"],
            "sharedDrive": True,
            "rotationalCache": False,
            "localCacheEncrypted": drive["localCacheEncrypted"],
            "cloudObjectsEncrypted": drive["cloudObjectsEncrypted"],
            "keepFileAfterUpload": True,
            "permissionType": permission_type,
            "driveType": drive["driveType"],
            "syncType": drive["syncType"],
            "transferOptions": {"chunkSize": 5 * 1024 * 1024, "retryCount": 5, "concurrentChunks": 5, "concurrentFiles": 5},
            "account": {"id": account["id"], "cloudType": account["cloudType"]},
        }

    # -- out-of-band views for tests ----------------------------------------

    def agent_view(self, agent: dict) -> dict:
        """One agent's local state."""
        return {"index": agent["index"], "port": agent["port"], "status": agent["status"],
                "username": self.users[agent["userId"]]["username"], "clouddrives": agent["clouddrives"]}

    def snapshot(self) -> dict:
        """The whole store, for tests: no passwords, no tokens, credentials masked."""
        sessions_by_user = {}
        for session in self.sessions.values():
            username = self.users[session["userId"]]["username"]
            sessions_by_user[username] = sessions_by_user.get(username, 0) + 1

        def ordered(table):
            return sorted(table.values(), key=lambda record: record["_order"])

        return {
            "account": dict(self.account),
            "users": [self.user_view(user) for user in ordered(self.users)],
            "api_tokens": [{"title": token["title"], "username": self.users[token["userId"]]["username"],
                            "expirationDate": token["expirationDate"]} for token in self.api_tokens.values()],
            "sessions": {"count": len(self.sessions), "byUser": sessions_by_user, "pendingMfa": len(self.mfa_sessions)},
            "cloud_accounts": [self.cloud_account_view(account) for account in ordered(self.cloud_accounts)],
            "shared_cloud_drives": [dict(self.drive_view(drive), createDate=drive["createDate"]) for drive in ordered(self.drives)],
            "user_groups": [dict(self.group_view(group), members=[self.users[m["userId"]]["username"] for m in ordered(self.group_members)
                                                                  if m["userGroupId"] == group["id"]])
                            for group in ordered(self.user_groups)],
            "projects": [dict(self.project_view(project),
                              users=[self.users[link["userId"]]["username"] for link in ordered(self.project_users)
                                     if link["projectId"] == project["id"]],
                              groups=[self.user_groups[link["userGroupId"]]["name"] for link in ordered(self.project_groups)
                                      if link["projectId"] == project["id"]])
                         for project in ordered(self.projects)],
            "user_permissions": [self.permission_view(perm, USER_PERMISSION) for perm in ordered(self.user_permissions)],
            "group_permissions": [self.permission_view(perm, GROUP_PERMISSION) for perm in ordered(self.group_permissions)],
            "project_drives": [self.project_link_view(link) for link in ordered(self.project_drives)],
            "agents": [self.agent_view(self.agents[port]) for port in self.ports],
            "settings": dict(self.settings),
            "package": self.remaining_package(),
        }


class SeedLoader:
    """Fills a ClickStore from a seed dict, reporting mistakes as SeedError."""

    def __init__(self, store: ClickStore, seed: dict):
        self.store = store
        self.seed = seed

    def load(self) -> None:
        """Apply every section in dependency order."""
        store = self.store
        account = self.seed.get("account") or {}
        store.account.update(id=self.uuid_or_new(account, "account"), name=account.get("name", "Example Co"))
        for index, user in enumerate(self.section("users")):
            self.add_user(index, user)
        admin = store.find_user(self.seed["admin_username"])
        store.admin_id = admin["id"]
        for index, token in enumerate(self.section("api_tokens")):
            self.add_api_token(index, token)
        for index, cloud_account in enumerate(self.section("cloud_accounts")):
            self.add_cloud_account(index, cloud_account)
        for index, group in enumerate(self.section("user_groups")):
            self.add_group(index, group)
        for index, project in enumerate(self.section("projects")):
            self.add_project(index, project)
        for index, drive in enumerate(self.section("shared_cloud_drives")):
            self.add_drive(index, drive)
        self.add_agents()
        self.add_package()

    def section(self, name: str) -> list:
        """A list section of the seed; each entry must be an object."""
        entries = self.seed.get(name) or []
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise SeedError(f"{name} must be a list of objects")
        return entries

    @staticmethod
    def uuid_or_new(entry: dict, where: str) -> str:
        """The entry's id if given (must be a uuid), else a new one."""
        if "id" not in entry:
            return new_id()
        if not is_uuid(entry["id"]):
            raise SeedError(f"{where}: id must be a uuid")
        return entry["id"].lower()

    @staticmethod
    def typed(entry: dict, key: str, kind, default, where: str):
        """Read an optional key of a given JSON type."""
        value = entry.get(key, default)
        if value is not None and not has_json_type(value, kind):
            raise SeedError(f"{where}: {key} must be {JSON_TYPE_NAMES[kind]}")
        return value

    def required_str(self, entry: dict, key: str, where: str) -> str:
        """Read a required non-empty string."""
        value = self.typed(entry, key, str, None, where)
        if not value:
            raise SeedError(f"{where}: {key} is required")
        return value

    def user_id(self, username: str, where: str) -> str:
        """Resolve a username of the seed."""
        user = self.store.find_user(username)
        if user is None:
            raise SeedError(f"{where}: unknown user {username!r}")
        return user["id"]

    def group_id(self, name: str, where: str) -> str:
        """Resolve a user group name of the seed."""
        group = next((group for group in self.store.user_groups.values() if group["name"] == name), None)
        if group is None:
            raise SeedError(f"{where}: unknown user group {name!r}")
        return group["id"]

    def add_user(self, index: int, entry: dict) -> None:
        """users[]: username, password, userType, status, mfa, owner, names, email."""
        where = f"users[{index}]"
        username = self.required_str(entry, "username", where)
        if self.store.find_user(username):
            raise SeedError(f"{where}: duplicate username {username!r}")
        user_type = self.typed(entry, "userType", int, 64, where)
        if user_type not in USER_TYPES:
            raise SeedError(f"{where}: userType must be one of {USER_TYPES}")
        self.store.add_record(self.store.users, {
            "id": self.uuid_or_new(entry, where),
            "username": username,
            "password": self.required_str(entry, "password", where),
            "firstname": self.typed(entry, "firstname", str, "", where),
            "lastname": self.typed(entry, "lastname", str, "", where),
            "email": self.typed(entry, "email", str, username, where),
            "userType": user_type,
            "status": self.typed(entry, "status", int, USER_STATUS_ACTIVE, where),
            "owner": self.typed(entry, "owner", bool, False, where),
            "mfa": self.typed(entry, "mfa", bool, False, where),
        })

    def add_api_token(self, index: int, entry: dict) -> None:
        """api_tokens[]: token, username, title, expirationDate (ISO or null)."""
        where = f"api_tokens[{index}]"
        token = self.required_str(entry, "token", where)
        expiry = self.typed(entry, "expirationDate", str, None, where)
        if expiry is not None:
            try:
                parse_iso_datetime(expiry)
            except ValueError:
                raise SeedError(f"{where}: expirationDate must be an ISO date") from None
        self.store.api_tokens[token] = {
            "id": new_id(), "userId": self.user_id(self.required_str(entry, "username", where), where),
            "title": self.typed(entry, "title", str, "", where), "expirationDate": expiry, "createDate": utc_now(),
        }

    def add_cloud_account(self, index: int, entry: dict) -> None:
        """cloud_accounts[]: name, cloudType and optional CloudAccount fields."""
        where = f"cloud_accounts[{index}]"
        self.store.add_record(self.store.cloud_accounts, {
            "id": self.uuid_or_new(entry, where),
            "accountId": self.store.account["id"],
            "userId": self.store.admin_id,
            "cloudType": self.typed(entry, "cloudType", int, 1, where),
            "name": self.required_str(entry, "name", where),
            "accessKey": self.typed(entry, "accessKey", str, None, where),
            "secretKey": self.typed(entry, "secretKey", str, None, where),
            "credentialsData": self.typed(entry, "credentialsData", str, None, where),
            "serviceUrl": self.typed(entry, "serviceUrl", str, None, where),
            "active": self.typed(entry, "active", bool, True, where),
            "shared": self.typed(entry, "shared", bool, False, where),
            "internalStorage": self.typed(entry, "internalStorage", bool, False, where),
            "storageTier": self.typed(entry, "storageTier", int, 2, where),
            "deleted": self.typed(entry, "deleted", bool, False, where),
        })

    def add_group(self, index: int, entry: dict) -> None:
        """user_groups[]: name, description, active, deleted, members (usernames)."""
        where = f"user_groups[{index}]"
        group = self.store.add_record(self.store.user_groups, {
            "id": self.uuid_or_new(entry, where), "accountId": self.store.account["id"],
            "name": self.required_str(entry, "name", where), "description": self.typed(entry, "description", str, "", where),
            "active": self.typed(entry, "active", bool, True, where), "deleted": self.typed(entry, "deleted", bool, False, where),
        })
        for username in entry.get("members") or []:
            self.store.add_record(self.store.group_members, {
                "id": new_id(), "userId": self.user_id(username, where), "userGroupId": group["id"]})

    def add_project(self, index: int, entry: dict) -> None:
        """projects[]: name, description, active, deleted, users and groups (members, see `members`)."""
        where = f"projects[{index}]"
        project = self.store.add_record(self.store.projects, {
            "id": self.uuid_or_new(entry, where), "accountId": self.store.account["id"],
            "name": self.required_str(entry, "name", where), "description": self.typed(entry, "description", str, "", where),
            "active": self.typed(entry, "active", bool, True, where), "deleted": self.typed(entry, "deleted", bool, False, where),
        })
        for username, permission_type in self.members(entry, "users", where):
            self.store.add_record(self.store.project_users, {
                "id": new_id(), "projectId": project["id"], "userId": self.user_id(username, where), "permissionType": permission_type})
        for group_name, permission_type in self.members(entry, "groups", where):
            self.store.add_record(self.store.project_groups, {
                "id": new_id(), "projectId": project["id"], "userGroupId": self.group_id(group_name, where),
                "permissionType": permission_type})

    @staticmethod
    def members(entry: dict, key: str, where: str) -> list:
        """Project members as (name, permissionType): a list of names (each ReadWrite) or a map name -> 1 or 2."""
        given = entry.get(key) or []
        if isinstance(given, list) and all(isinstance(name, str) for name in given):
            return [(name, READ_WRITE) for name in given]
        if isinstance(given, dict) and all(is_int(value) and value in (READ, READ_WRITE) for value in given.values()):
            return list(given.items())
        raise SeedError(f"{where}: {key} must be a list of names or map names to a permissionType 1 or 2")

    def add_package(self) -> None:
        """package: the plan's totals (integers >= 0) and features (booleans); drives is the drive quota."""
        given = self.seed.get("package") or {}
        if not isinstance(given, dict):
            raise SeedError("package must be a JSON object")
        unknown = sorted(set(given) - set(PACKAGE_COUNTS) - set(PACKAGE_FEATURES))
        if unknown:
            raise SeedError(f"package: unknown keys {', '.join(unknown)}")
        package = dict(PACKAGE_COUNTS, **PACKAGE_FEATURES)
        for key, value in given.items():
            if key in PACKAGE_COUNTS and not (is_int(value) and value >= 0):
                raise SeedError(f"package: {key} must be an integer >= 0")
            if key in PACKAGE_FEATURES and not isinstance(value, bool):
                raise SeedError(f"package: {key} must be a boolean")
            package[key] = value
        self.store.package.update(package)
        self.store.settings["drive_quota"] = package["drives"]

    def add_drive(self, index: int, entry: dict) -> None:
        """shared_cloud_drives[]: API fields, plus cloudAccountName, deleted and links."""
        where = f"shared_cloud_drives[{index}]"
        body = dict(entry)
        account_name = body.pop("cloudAccountName", None)
        if isinstance(body.get("cloudAccount"), str):
            account_name = body.pop("cloudAccount")
        if account_name is not None:
            account = next((acc for acc in self.store.cloud_accounts.values() if acc["name"] == account_name), None)
            if account is None:
                raise SeedError(f"{where}: unknown cloud account {account_name!r}")
            body["cloudAccountId"] = account["id"]
        elif "cloudAccountId" not in body and self.store.cloud_accounts:
            body["cloudAccountId"] = next(iter(self.store.cloud_accounts))
        try:
            fields = validate_drive_body(body, require_id=False)[1]
        except ApiError as err:
            raise SeedError(f"{where}: {' '.join(err.messages)}") from None
        if fields["cloudAccountId"] not in self.store.cloud_accounts:
            raise SeedError(f"{where}: unknown cloud account id {fields['cloudAccountId']}")
        deleted = self.typed(entry, "deleted", bool, False, where)
        if not deleted and self.store.live_drive_named(fields["name"]):
            raise SeedError(f"{where}: duplicate live drive name {fields['name']!r}")
        drive = self.store.add_record(self.store.drives, dict(
            fields, id=self.uuid_or_new(entry, where), accountId=self.store.account["id"], creatorUserId=self.store.admin_id, deleted=deleted))
        self.add_drive_links(drive, entry, where)

    def add_drive_links(self, drive: dict, entry: dict, where: str) -> None:
        """Optional seed links of a drive: users {username: type}, groups {name: type}, projects [names]."""
        for key in ("users", "groups"):
            links = entry.get(key) or {}
            if not isinstance(links, dict) or any(not is_int(value) or value not in (READ, READ_WRITE) for value in links.values()):
                raise SeedError(f"{where}: {key} must map names to a permissionType 1 or 2")
        for username, permission_type in (entry.get("users") or {}).items():
            self.store.add_record(self.store.user_permissions, {
                "id": new_id(), "userId": self.user_id(username, where), "sharedCloudDriveId": drive["id"], "permissionType": permission_type})
        for group_name, permission_type in (entry.get("groups") or {}).items():
            self.store.add_record(self.store.group_permissions, {
                "id": new_id(), "userGroupId": self.group_id(group_name, where), "sharedCloudDriveId": drive["id"],
                "permissionType": permission_type})
        for project_name in entry.get("projects") or []:
            project = next((p for p in self.store.projects.values() if p["name"] == project_name), None)
            if project is None:
                raise SeedError(f"{where}: unknown project {project_name!r}")
            self.store.add_record(self.store.project_drives, {"id": new_id(), "projectId": project["id"], "sharedCloudDriveId": drive["id"]})

    def add_agents(self) -> None:
        """agents[i] is the agent on the i-th port; agents beyond the list are the admin, started."""
        entries = self.section("agents")
        for index, port in enumerate(self.store.ports):
            entry = entries[index] if index < len(entries) else {}
            where = f"agents[{index}]"
            username = entry.get("username")
            status = self.typed(entry, "status", int, AGENT_STARTED, where)
            if status not in AGENT_STATUSES:
                raise SeedError(f"{where}: status must be one of {AGENT_STATUSES}")
            self.store.agents[port] = {
                "index": index + 1, "port": port, "status": status,
                "userId": self.user_id(username, where) if username else self.store.admin_id, "clouddrives": [],
            }


def builtin_seed() -> dict:
    """The seed used for every section a seed file does not give: what the module examples name.

    The users alice and bob, the groups Editors and Viewers and the project Launch
    are those of the examples.  The groups and the project name built-in users, so
    they are left out when a seed file gives its own users.
    """
    return {
        "account": {"id": DEFAULT_ACCOUNT_ID, "name": "Example Co"},
        "users": [
            {"id": DEFAULT_ADMIN_ID, "username": DEFAULT_ADMIN_USER, "password": DEFAULT_ADMIN_PASSWORD, "firstname": "Example",
             "lastname": "Admin", "userType": DESKTOP_ADMIN, "status": 1, "mfa": False, "owner": True},
            {"id": ALICE_ID, "username": "alice@example.com", "password": "alice-password", "firstname": "Alice",
             "lastname": "Editor", "userType": 32, "status": 1, "mfa": False},
            {"id": BOB_ID, "username": "bob@example.com", "password": "bob-password", "firstname": "Bob",
             "lastname": "Viewer", "userType": 64, "status": 1, "mfa": False},
        ],
        "api_tokens": [{"token": DEFAULT_API_TOKEN, "username": DEFAULT_ADMIN_USER, "title": "Emulator API token", "expirationDate": None}],
        "cloud_accounts": [{"id": DEMO_S3_ID, "name": "Demo S3", "cloudType": 1, "accessKey": "AKIAEMULATORDEMO0001",
                            "secretKey": "emulator-demo-secret-access-key", "active": True, "shared": True, "storageTier": 2}],
        "shared_cloud_drives": [],
        "user_groups": [
            {"id": EDITORS_ID, "name": "Editors", "description": "Edit the creative work", "members": ["alice@example.com"]},
            {"id": VIEWERS_ID, "name": "Viewers", "description": "Look, do not touch", "members": ["bob@example.com"]},
        ],
        "projects": [{"id": LAUNCH_ID, "name": "Launch", "description": "The product launch", "users": {"bob@example.com": READ}}],
        "agents": [],
        "package": {},
    }


def build_seed(seed_file: str | None, admin_user: str | None, admin_password: str | None, api_token: str | None) -> dict:
    """Merge a seed file over the built-in seed and apply the admin flags.

    Each section a file gives replaces the built-in one.  The admin is the
    --admin-user (which renames the built-in admin when the file has no users,
    and is added when the file's users lack it), else the first owner, else the
    first DesktopAdmin, else the built-in admin (added).  The admin is always an
    owner DesktopAdmin.
    """
    given = {}
    if seed_file:
        try:
            with open(seed_file, encoding="utf-8") as handle:
                given = json.load(handle)
        except (OSError, ValueError) as err:
            raise SeedError(f"cannot read {seed_file}: {err}") from None
        if not isinstance(given, dict):
            raise SeedError("the seed must be a JSON object")
        unknown = sorted(set(given) - set(SEED_SECTIONS))
        if unknown:
            raise SeedError(f"unknown seed sections: {', '.join(unknown)}")
    for key, value in given.items():
        expected = dict if key in ("account", "package") else list
        if value is not None and not isinstance(value, expected):
            raise SeedError(f"{key} must be a JSON {'object' if expected is dict else 'array'}")
    seed = builtin_seed()
    if "users" in given:  # the built-in groups and project name built-in users
        seed.update(user_groups=[], projects=[])
    seed.update({key: json.loads(json.dumps(value)) for key, value in given.items()})
    users = seed["users"] = list(seed["users"] or [])
    if not all(isinstance(user, dict) for user in users):
        raise SeedError("users must be a list of objects")
    admin = None
    if admin_user:
        admin = next((user for user in users if user.get("username") == admin_user), None)
        if admin is None and "users" not in given:
            admin = users[0]  # the flag renames the built-in admin
            admin.update(username=admin_user, email=admin_user)
        elif admin is None:
            admin = {"username": admin_user, "password": DEFAULT_ADMIN_PASSWORD, "firstname": "Example", "lastname": "Admin"}
            users.append(admin)
    admin = admin or next((user for user in users if user.get("owner") is True), None)
    admin = admin or next((user for user in users if user.get("userType") == DESKTOP_ADMIN), None)
    if admin is None:
        admin = dict(builtin_seed()["users"][0])
        admin.pop("id")
        users.append(admin)
    admin.update(userType=DESKTOP_ADMIN, owner=True)
    if admin_password:
        admin["password"] = admin_password
    seed["admin_username"] = admin.get("username")
    if "api_tokens" not in given:
        seed["api_tokens"] = [{"token": api_token or DEFAULT_API_TOKEN, "username": admin.get("username"), "title": "Emulator API token"}]
    elif api_token:
        seed["api_tokens"] = [token for token in seed["api_tokens"] or [] if not isinstance(token, dict) or token.get("token") != api_token]
        seed["api_tokens"].append({"token": api_token, "username": admin.get("username"), "title": "Emulator API token"})
    return seed


# ---------------------------------------------------------------------------
# API routes
# ---------------------------------------------------------------------------

class Route:
    """One method of one path: its handler and what it needs."""

    def __init__(self, handler, needs_token: bool, json_body: bool):
        self.handler = handler
        self.needs_token = needs_token
        self.json_body = json_body


API_ROUTES = {}  # exact path -> {method: Route}
API_TEMPLATES = []  # (regex of a path with {name} segments, {method: Route})


def route(method: str, path: str, needs_token: bool = True, json_body: bool = False):
    """Register an API handler for `method path`; a `{name}` segment matches one path segment."""
    def register(handler):
        if "{" not in path:
            API_ROUTES.setdefault(path, {})[method] = Route(handler, needs_token, json_body)
            return handler
        pattern = re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")
        methods = next((methods for known, methods in API_TEMPLATES if known.pattern == pattern.pattern), None)
        if methods is None:
            methods = {}
            API_TEMPLATES.append((pattern, methods))
        methods[method] = Route(handler, needs_token, json_body)
        return handler
    return register


def find_route(path: str) -> tuple:
    """The methods served at a path and the values of its {name} segments; (None, {}) when none."""
    if path in API_ROUTES:
        return API_ROUTES[path], {}
    for pattern, methods in API_TEMPLATES:
        match = pattern.match(path)
        if match:
            return methods, match.groupdict()
    return None, {}


class ApiRequest:
    """What a handler gets: the store, the agent, the query, the JSON body and the caller."""

    def __init__(self, store: ClickStore, port: int, query: dict, headers, raw_body: bytes):
        self.store = store
        self.port = port
        self.query = query
        self.headers = headers
        self.raw_body = raw_body
        self.json = None
        self.path_params = {}  # values of the route's {name} segments
        self.user = {}  # the caller, once the token is checked
        self.token = None

    @property
    def agent(self) -> dict:
        """The local state of the agent this request was sent to."""
        return self.store.agents[self.port]

    def require_admin(self) -> None:
        """Writes need a DesktopAdmin (the stricter reading of an undocumented rule)."""
        if self.user["userType"] != DESKTOP_ADMIN:
            raise ApiError("ACCESS", "Access denied: only a DesktopAdmin may change shared cloud drives and their assignments.")


def parse_json_body(request: ApiRequest):
    """Like ASP.NET [FromBody]: a non-JSON content type is 415, bad JSON is 499 DEFAULT."""
    media_type = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HttpStatus(415)
    if not request.raw_body.strip():
        raise ApiError("DEFAULT", "A non-empty request body is required.")
    try:
        return json.loads(request.raw_body.decode("utf-8"), parse_constant=reject_json_constant)
    except (UnicodeDecodeError, ValueError):
        raise ApiError("DEFAULT", "The request body is not valid JSON.") from None


def dispatch_api(store: ClickStore, method: str, path: str, request: ApiRequest, inject_exception: bool = False) -> Reply:
    """Route one API request: 404 unknown path, 405 wrong method, 401 bad token, then the handler.

    Paths are matched exactly (lowercase, no trailing slash): the stricter
    reading, since the agent's routing case rules are undocumented.
    """
    methods, request.path_params = find_route(path)
    if methods is None:
        return Reply(404)
    selected = methods.get(method)
    if selected is None:
        return Reply(405, headers={"Allow": ", ".join(sorted(methods))})
    try:
        with store.lock:
            if selected.needs_token:
                request.token = request.query.get("token")
                request.user = store.authenticate(request.token)
            if inject_exception:
                raise RuntimeError("fault injected by /_emulator/faults")
            if selected.json_body:
                request.json = parse_json_body(request)
            return selected.handler(request)
    except ApiError as err:
        return api_error_reply(err)
    except HttpStatus as err:
        return Reply(err.status)


# -- authentication ---------------------------------------------------------

@route("POST", "/authentication/login", needs_token=False, json_body=True)
def login(req: ApiRequest) -> Reply:
    """Credentials and a `type` equal to the user's UserType give a JWT, or an MFA challenge."""
    body = require_object(req.json)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not username or not isinstance(password, str) or not password:
        raise ApiError("DEFAULT", "The username and password fields are required.")
    user_type = body.get("type", 0)  # an omitted enum is 0 in .NET, which matches no user: 401
    if not is_int(user_type):
        raise ApiError("DEFAULT", "The JSON value of field 'type' must be an integer.")
    user = req.store.find_user(username)
    if user is None or user["password"] != password or user["userType"] != user_type:
        raise HttpStatus(401)
    if user["status"] != USER_STATUS_ACTIVE:
        raise ApiError("INACTIVE_USER", "The user is not active.")
    if user["mfa"]:
        session = b64url(secrets.token_bytes(48))
        req.store.mfa_sessions[session] = user["id"]
        return Reply(200, {"jwtToken": "", "challenge": 1, "session": session})
    return Reply(200, {"jwtToken": req.store.open_session(user), "challenge": 0, "session": ""})


@route("POST", "/authentication/mfa_respond", needs_token=False, json_body=True)
def mfa_respond(req: ApiRequest) -> Reply:
    """Complete an MFA login; the emulator's TOTP code is always 123456."""
    body = require_object(req.json)
    session, code = body.get("session"), body.get("userCode")
    if not isinstance(session, str) or not isinstance(code, str):
        raise ApiError("DEFAULT", "The userCode and session fields are required strings.")
    user_id = req.store.mfa_sessions.get(session)
    # A wrong code and an unknown or used session are one answer: "MFA challenge failed" (W-AUTH).
    if user_id is None:
        raise ApiError("TOTP", "The MFA challenge failed: the session is invalid or has expired.")
    if code != MFA_CODE:
        raise ApiError("TOTP", "The MFA challenge failed: the code is not valid.")
    token = req.store.open_session(req.store.users[user_id])
    del req.store.mfa_sessions[session]
    return Reply(200, {"jwtToken": token, "challenge": 0, "session": ""})


@route("POST", "/authentication/logout", needs_token=False, json_body=True)
def logout(req: ApiRequest) -> Reply:
    """End the session of the JWT in the body; an unknown token is not an error."""
    token = require_object(req.json).get("jwtToken")
    if not isinstance(token, str) or not token:
        raise ApiError("DEFAULT", "The jwtToken field is required.")
    req.store.sessions.pop(token, None)
    return Reply(200)


@route("GET", "/authentication/user")
def current_user(req: ApiRequest) -> Reply:
    """The caller's profile (a cheap token probe)."""
    user = req.user
    return Reply(200, {
        "accountName": req.store.account["name"], "accountId": req.store.account["id"], "userId": user["id"],
        "firstName": user["firstname"], "lastName": user["lastname"], "username": user["username"],
        "userType": user["userType"], "jwtToken": req.token, "owner": user["owner"], "migration": False,
        "subscriptionType": 1, "mfa": user["mfa"], "authProvider": 0,
    })


# -- management (agent-local, no token) -------------------------------------

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
        agent.update(status=AGENT_DISPOSED, clouddrives=[])
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


# -- cloud accounts ---------------------------------------------------------

@route("GET", "/cloud/accounts")
def cloud_accounts(req: ApiRequest) -> Reply:
    """Live, active cloud accounts as a bare array, credentials masked."""
    accounts = sorted((account for account in req.store.cloud_accounts.values() if account["active"] and not account["deleted"]),
                      key=lambda account: account["_order"])
    return Reply(200, [req.store.cloud_account_view(account) for account in accounts])


@route("GET", "/cloud/account")
def cloud_account(req: ApiRequest) -> Reply:
    """One cloud account by ?id=, credentials masked; inactive ones too, deleted or unknown ones are NOT_FOUND."""
    account = req.store.cloud_accounts.get(uuid_param(req.query, "id"))
    if account is None or account["deleted"]:
        raise ApiError("NOT_FOUND", "Cloud account not found.")
    return Reply(200, req.store.cloud_account_view(account))


# -- shared cloud drives ----------------------------------------------------

DRIVE_SORTS = {"Name": lambda drive: drive["name"].casefold(), "CreateDate": lambda drive: drive["createDate"]}


def list_drives(req: ApiRequest, view) -> Reply:
    """get_all and get_all_with_details: soft-deleted drives only when show_deleted is on."""
    store = req.store
    paging = parse_paging(req.query, DRIVE_SORTS, "Name", False, store.settings["max_page_size"])
    name = req.query.get("name")
    drives = [drive for drive in store.drives.values()
              if (store.settings["show_deleted"] or not drive["deleted"]) and contains_casefold(drive["name"], name)]
    return Reply(200, paginate(drives, paging, DRIVE_SORTS, view))


@route("GET", "/sharedclouddrive/get_all")
def get_all_drives(req: ApiRequest) -> Reply:
    """DTOCollection<SharedCloudDrive>."""
    return list_drives(req, req.store.drive_view)


@route("GET", "/sharedclouddrive/get_all_with_details")
def get_all_drives_with_details(req: ApiRequest) -> Reply:
    """DTOCollection<SharedCloudDriveWithDetailsDTO>."""
    return list_drives(req, req.store.drive_details_view)


@route("POST", "/sharedclouddrive/insert", json_body=True)
def insert_drive(req: ApiRequest) -> Reply:
    """Create a drive; the server sets id, accountId, creatorUserId, deleted and cloudAccount."""
    req.require_admin()
    fields = validate_drive_body(req.json, require_id=False)[1]
    req.store.drive_cloud_account(fields["cloudAccountId"])
    if req.store.live_drive_named(fields["name"]):
        raise ApiError("DUPLICATE", "A resource with the same name already exists.")
    if req.store.remaining_package()["drives"] < 1:
        # No document names the code of this refusal: the generic one, so clients read the quota first.
        raise ApiError("DEFAULT", "The plan's shared cloud drive quota is used up (see /user/package_inquiry).")
    drive = req.store.add_record(req.store.drives, dict(
        fields, id=new_id(), accountId=req.store.account["id"], creatorUserId=req.user["id"], deleted=False))
    return Reply(200, req.store.drive_view(drive))


@route("PUT", "/sharedclouddrive/update", json_body=True)
def update_drive(req: ApiRequest) -> Reply:
    """Full replace: omitted user fields take their defaults, not their previous values."""
    req.require_admin()
    drive_id, fields = validate_drive_body(req.json, require_id=True)
    drive = req.store.live_drive(drive_id)
    if drive is None:
        raise ApiError("NOT_FOUND", "Shared cloud drive not found.")
    req.store.drive_cloud_account(fields["cloudAccountId"])
    if req.store.live_drive_named(fields["name"], except_id=drive_id):
        raise ApiError("DUPLICATE", "A resource with the same name already exists.")
    drive.update(fields, accountId=req.store.account["id"], creatorUserId=req.user["id"])
    return Reply(200, req.store.drive_view(drive))


@route("DELETE", "/sharedclouddrive/delete")
def delete_drive(req: ApiRequest) -> Reply:
    """Soft delete; deleting an unknown or already-deleted drive is NOT_FOUND, not a silent 200."""
    req.require_admin()
    drive = req.store.live_drive(uuid_param(req.query, "id"))
    if drive is None:
        raise ApiError("NOT_FOUND", "Shared cloud drive not found.")
    req.store.delete_drive_links(drive["id"])
    drive["deleted"] = True
    return Reply(200)


# -- users, groups, projects ------------------------------------------------

USER_SORTS = {
    "CreateDate": lambda user: user["createDate"], "Username": lambda user: user["username"].casefold(),
    "Email": lambda user: user["email"].casefold(), "FirstName": lambda user: user["firstname"].casefold(),
    "LastName": lambda user: user["lastname"].casefold(),
}
NAMED_SORTS = {"Name": lambda record: record["name"].casefold(), "CreateDate": lambda record: record["createDate"]}


@route("GET", "/user/get_all_users")
def get_all_users(req: ApiRequest) -> Reply:
    """Users of the account; userStatus/userType are flag filters, username a substring."""
    paging = parse_paging(req.query, USER_SORTS, "CreateDate", True, req.store.settings["max_page_size"])
    status_flags = positive_int_param(req.query, "userStatus", 7)
    # userType is a flags filter; absent or 0 means All.
    type_flags = 127 if req.query.get("userType") in (None, "0") else positive_int_param(req.query, "userType", 127)
    username = req.query.get("username")
    users = [user for user in req.store.users.values()
             if user["status"] & status_flags and user["userType"] & type_flags and contains_casefold(user["username"], username)]
    return Reply(200, paginate(users, paging, USER_SORTS, req.store.user_view))


@route("GET", "/user/package_inquiry")
def package_inquiry(req: ApiRequest) -> Reply:
    """What remains of the account's plan: counts (never below 0) and the plan's features."""
    return Reply(200, req.store.remaining_package())


@route("GET", "/usergroup/get_all")
def get_all_user_groups(req: ApiRequest) -> Reply:
    """Live user groups; name is a substring filter."""
    paging = parse_paging(req.query, NAMED_SORTS, "Name", False, req.store.settings["max_page_size"])
    groups = [group for group in req.store.user_groups.values() if not group["deleted"] and contains_casefold(group["name"], req.query.get("name"))]
    return Reply(200, paginate(groups, paging, NAMED_SORTS, req.store.group_view))


@route("GET", "/usergroup/get_assigned_users")
def get_group_users(req: ApiRequest) -> Reply:
    """Members of a user group, as {user, userUserGroup} rows."""
    store = req.store
    group_id = uuid_param(req.query, "userGroupId")
    if store.live_group(group_id) is None:
        raise ApiError("NOT_FOUND", "User group not found.")
    sorts = {"User.Username": lambda member: store.users[member["userId"]]["username"].casefold(),
             "User.CreateDate": lambda member: store.users[member["userId"]]["createDate"]}
    paging = parse_paging(req.query, sorts, "User.Username", False, store.settings["max_page_size"])
    members = [member for member in store.group_members.values()
               if member["userGroupId"] == group_id and contains_casefold(store.users[member["userId"]]["username"], req.query.get("username"))]
    return Reply(200, paginate(members, paging, sorts, lambda member: {
        "user": store.user_view(store.users[member["userId"]]),
        "userUserGroup": {"id": member["id"], "userId": member["userId"], "userGroupId": member["userGroupId"]}}))


@route("GET", "/projects/get_all")
def get_all_projects(req: ApiRequest) -> Reply:
    """Live projects; name is a substring filter."""
    paging = parse_paging(req.query, NAMED_SORTS, "Name", False, req.store.settings["max_page_size"])
    projects = [project for project in req.store.projects.values()
                if not project["deleted"] and contains_casefold(project["name"], req.query.get("name"))]
    return Reply(200, paginate(projects, paging, NAMED_SORTS, req.store.project_view))


def required_live_drive(req: ApiRequest, param: str) -> dict:
    """The live drive named by a query parameter; missing id is DEFAULT, unknown is NOT_FOUND."""
    drive = req.store.live_drive(uuid_param(req.query, param))
    if drive is None:
        raise ApiError("NOT_FOUND", "Shared cloud drive not found.")
    return drive


@route("GET", "/projects/get_assigned_projects")
def get_drive_projects(req: ApiRequest) -> Reply:
    """Projects a drive is assigned to, as {project, projectSharedCloudDrive} rows."""
    store = req.store
    drive = required_live_drive(req, "sharedCloudDriveId")
    sorts = {"Project.Name": lambda link: store.projects[link["projectId"]]["name"].casefold(),
             "Project.CreateDate": lambda link: store.projects[link["projectId"]]["createDate"]}
    paging = parse_paging(req.query, sorts, "Project.Name", False, store.settings["max_page_size"])
    links = [link for link in store.project_drives.values()
             if link["sharedCloudDriveId"] == drive["id"] and contains_casefold(store.projects[link["projectId"]]["name"], req.query.get("name"))]
    return Reply(200, paginate(links, paging, sorts, lambda link: {
        "project": store.project_view(store.projects[link["projectId"]]), "projectSharedCloudDrive": store.project_link_view(link)}))


@route("POST", "/projects/assign_sharedclouddrive", json_body=True)
def assign_drives_to_projects(req: ApiRequest) -> Reply:
    """Link drives to projects; an existing pair is silently skipped (as documented for the Web API)."""
    req.require_admin()
    store = req.store
    links = parse_link_items(req.json, ("projectId", "sharedCloudDriveId"), with_permission=False)
    for link in links:
        if store.live_project(link["projectId"]) is None:
            raise ApiError("NOT_FOUND", f"Project {link['projectId']} not found.")
        if store.live_drive(link["sharedCloudDriveId"]) is None:
            raise ApiError("NOT_FOUND", f"Shared cloud drive {link['sharedCloudDriveId']} not found.")
    existing = {(link["projectId"], link["sharedCloudDriveId"]) for link in store.project_drives.values()}
    for link in links:
        pair = (link["projectId"], link["sharedCloudDriveId"])
        if pair not in existing:
            existing.add(pair)
            store.add_record(store.project_drives, dict(link, id=new_id()))
    return Reply(200)


@route("DELETE", "/projects/unassign_sharedclouddrive")
def unassign_drive_from_project(req: ApiRequest) -> Reply:
    """`id` is the ProjectSharedCloudDrive join id, not a project id."""
    req.require_admin()
    link_id = uuid_param(req.query, "id")
    if link_id not in req.store.project_drives:
        raise ApiError("NOT_FOUND", "Project shared cloud drive assignment not found.")
    del req.store.project_drives[link_id]
    return Reply(200)


# -- permissions ------------------------------------------------------------

def check_permission_targets(store: ClickStore, kind: dict, links: list) -> None:
    """Every subject and drive must exist (drives: not soft-deleted)."""
    for link in links:
        if store.permission_subject(kind, link[kind["subject"]]) is None:
            raise ApiError("NOT_FOUND", f"{kind['label']} {link[kind['subject']]} not found.")
        if store.live_drive(link["sharedCloudDriveId"]) is None:
            raise ApiError("NOT_FOUND", f"Shared cloud drive {link['sharedCloudDriveId']} not found.")


def duplicate_permission(kind: dict) -> ApiError:
    """Posting a second permission for the same subject and drive is refused (not merged)."""
    return ApiError("DUPLICATE", f"{kind['label']} already has a permission on this shared cloud drive.")


def insert_permissions(req: ApiRequest, kind: dict) -> Reply:
    """POST: all-or-nothing insert of permission entries."""
    req.require_admin()
    store = req.store
    table = getattr(store, kind["table"])
    links = parse_link_items(req.json, (kind["subject"], "sharedCloudDriveId"), with_permission=True)
    check_permission_targets(store, kind, links)
    taken = {(perm[kind["subject"]], perm["sharedCloudDriveId"]) for perm in table.values()}
    for link in links:
        pair = (link[kind["subject"]], link["sharedCloudDriveId"])
        if pair in taken:
            raise duplicate_permission(kind)
        taken.add(pair)
    for link in links:
        store.add_record(table, dict(link, id=new_id()))
    return Reply(200)


def update_permissions(req: ApiRequest, kind: dict) -> Reply:
    """PUT: replace existing entries, found by their `id`."""
    req.require_admin()
    store = req.store
    table = getattr(store, kind["table"])
    links = parse_link_items(req.json, ("id", kind["subject"], "sharedCloudDriveId"), with_permission=True)
    for link in links:
        if link["id"] not in table:
            raise ApiError("NOT_FOUND", f"Permission {link['id']} not found.")
    check_permission_targets(store, kind, links)
    changed = {link["id"] for link in links}
    taken = {(perm[kind["subject"]], perm["sharedCloudDriveId"]) for perm in table.values() if perm["id"] not in changed}
    for link in links:
        pair = (link[kind["subject"]], link["sharedCloudDriveId"])
        if pair in taken:
            raise duplicate_permission(kind)
        taken.add(pair)
    for link in links:
        table[link["id"]].update(link)
    return Reply(200)


def delete_permission(req: ApiRequest, kind: dict) -> Reply:
    """DELETE ?id= of one permission entry."""
    req.require_admin()
    table = getattr(req.store, kind["table"])
    permission_id = uuid_param(req.query, "id")
    if permission_id not in table:
        raise ApiError("NOT_FOUND", f"Permission {permission_id} not found.")
    del table[permission_id]
    return Reply(200)


def list_drive_permissions(req: ApiRequest, kind: dict, drive_param: str, filter_param: str) -> Reply:
    """Who holds a permission on one drive, as {subject, drive, permission} rows."""
    store = req.store
    drive = required_live_drive(req, drive_param)
    table = getattr(store, kind["table"])
    subjects = getattr(store, kind["subjects"])
    subject_view = store.user_view if kind is USER_PERMISSION else store.group_view

    def subject_name(perm):
        return subjects[perm[kind["subject"]]][kind["name_key"]]

    sorts = {kind["sort"]: lambda perm: subject_name(perm).casefold(), "PermissionType": lambda perm: perm["permissionType"]}
    paging = parse_paging(req.query, sorts, kind["sort"], False, store.settings["max_page_size"])
    permissions = [perm for perm in table.values()
                   if perm["sharedCloudDriveId"] == drive["id"] and contains_casefold(subject_name(perm), req.query.get(filter_param))]
    drive_view = store.drive_view(drive)
    return Reply(200, paginate(permissions, paging, sorts, lambda perm: {
        kind["row_subject"]: subject_view(subjects[perm[kind["subject"]]]), kind["row_drive"]: drive_view,
        "permission": store.permission_view(perm, kind)}))


USER_PERMISSION_PATH = "/userspermission/users_sharedclouddrive_permision"  # one "s" in "permision": the real spelling
GROUP_PERMISSION_PATH = "/userspermission/usergroup_sharedclouddrive_permission"


@route("POST", USER_PERMISSION_PATH, json_body=True)
def insert_user_permissions(req: ApiRequest) -> Reply:
    """Body: array of {userId, sharedCloudDriveId, permissionType}."""
    return insert_permissions(req, USER_PERMISSION)


@route("PUT", USER_PERMISSION_PATH, json_body=True)
def update_user_permissions(req: ApiRequest) -> Reply:
    """Body: array of {id, userId, sharedCloudDriveId, permissionType}."""
    return update_permissions(req, USER_PERMISSION)


@route("DELETE", USER_PERMISSION_PATH)
def delete_user_permission(req: ApiRequest) -> Reply:
    """Query: id of the permission entry."""
    return delete_permission(req, USER_PERMISSION)


@route("GET", "/userspermission/get_users_assigned_to_sharedclouddrive")
def get_drive_user_permissions(req: ApiRequest) -> Reply:
    """Query sharedCloudDriveId; rows {user, sharedClouDrive, permission}."""
    return list_drive_permissions(req, USER_PERMISSION, "sharedCloudDriveId", "username")


@route("POST", GROUP_PERMISSION_PATH, json_body=True)
def insert_group_permissions(req: ApiRequest) -> Reply:
    """Body: array of {userGroupId, sharedCloudDriveId, permissionType}."""
    return insert_permissions(req, GROUP_PERMISSION)


@route("PUT", GROUP_PERMISSION_PATH, json_body=True)
def update_group_permissions(req: ApiRequest) -> Reply:
    """Body: array of {id, userGroupId, sharedCloudDriveId, permissionType}."""
    return update_permissions(req, GROUP_PERMISSION)


@route("DELETE", GROUP_PERMISSION_PATH)
def delete_group_permission(req: ApiRequest) -> Reply:
    """Query: id of the permission entry."""
    return delete_permission(req, GROUP_PERMISSION)


@route("GET", "/userspermission/get_usergroups_assigned_to_sharedclouddrive")
def get_drive_group_permissions(req: ApiRequest) -> Reply:
    """The drive id comes in `sharedCloudDrive` (not ...Id); rows {userGroup, sharedCloudDrive, permission}."""
    return list_drive_permissions(req, GROUP_PERMISSION, "sharedCloudDrive", "name")


# ---------------------------------------------------------------------------
# Request log, faults and control endpoints
# ---------------------------------------------------------------------------

class RequestLog:
    """Every API request of every agent (control requests excluded), token removed."""

    def __init__(self, log_file: str | None):
        self.lock = threading.Lock()
        self.log_file = log_file
        self.entries = []
        self.seq = 0

    def next_seq(self) -> int:
        """Sequence numbers are taken on arrival, so the log reads in arrival order."""
        with self.lock:
            self.seq += 1
            return self.seq

    def record(self, seq: int, port: int, method: str, path: str, query: dict, status: int) -> None:
        """Append one entry; bodies are never logged, the token query parameter is dropped."""
        entry = {"seq": seq, "time": utc_now(), "port": port, "method": method, "path": path,
                 "query": {key: value for key, value in query.items() if key.lower() != "token"}, "status": status}
        with self.lock:
            self.entries.append(entry)
            if self.log_file:
                with open(self.log_file, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry) + "\n")

    def snapshot(self) -> list:
        """Entries in arrival order."""
        with self.lock:
            return sorted(self.entries, key=lambda entry: entry["seq"])

    def clear(self) -> None:
        """Forget all entries (sequence numbers keep growing)."""
        with self.lock:
            self.entries = []


FAULT_ACTIONS = ("error", "delay", "drop", "exception")
FAULT_KEYS = ("method", "path", "count", "action", "status", "seconds", "port")


def validate_fault(spec) -> dict:
    """Check a fault spec; raise ValueError with a readable message."""
    if not isinstance(spec, dict):
        raise ValueError("a fault must be a JSON object")
    unknown = sorted(set(spec) - set(FAULT_KEYS))
    if unknown:
        raise ValueError(f"unknown fault keys: {', '.join(unknown)}")
    if not isinstance(spec.get("path"), str) or not spec["path"].startswith("/"):
        raise ValueError("path is required and must start with /")
    if spec.get("action") not in FAULT_ACTIONS:
        raise ValueError(f"action must be one of {', '.join(FAULT_ACTIONS)}")
    fault = {"method": None, "path": spec["path"], "count": spec.get("count", 1), "action": spec["action"],
             "status": spec.get("status", 500), "seconds": spec.get("seconds", 1.0), "port": spec.get("port")}
    if spec.get("method") is not None:
        if not isinstance(spec["method"], str):
            raise ValueError("method must be a string")
        fault["method"] = spec["method"].upper()
    if not is_int(fault["count"]) or fault["count"] < 1:
        raise ValueError("count must be an integer >= 1")
    if not is_int(fault["status"]) or not 100 <= fault["status"] <= 599:
        raise ValueError("status must be an HTTP status code")
    if isinstance(fault["seconds"], bool) or not isinstance(fault["seconds"], (int, float)) or fault["seconds"] < 0:
        raise ValueError("seconds must be a number >= 0")
    if fault["port"] is not None and not is_int(fault["port"]):
        raise ValueError("port must be an integer")
    return fault


class FaultTable:
    """Pending injected faults; each matches the next `count` matching API requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []

    def add(self, spec) -> dict:
        """Validate and queue a fault."""
        fault = validate_fault(spec)
        with self.lock:
            self.faults.append(fault)
        return dict(fault)

    def take(self, method: str, path: str, port: int):
        """Consume one use of the first fault matching this request, if any."""
        with self.lock:
            for fault in self.faults:
                if fault["path"] == path and fault["method"] in (None, method) and fault["port"] in (None, port):
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    def pending(self) -> list:
        """Pending faults with their remaining counts."""
        with self.lock:
            return [dict(fault) for fault in self.faults]

    def clear(self) -> None:
        """Drop every pending fault."""
        with self.lock:
            self.faults = []


class Emulator:
    """One process: the shared store, the request log and the fault table."""

    def __init__(self, store: ClickStore, request_log: RequestLog, faults: FaultTable):
        self.store = store
        self.log = request_log
        self.faults = faults


CONTROL_ROUTES = {}


def control(method: str, path: str):
    """Register a control endpoint under /_emulator/."""
    def register(handler):
        CONTROL_ROUTES.setdefault(path, {})[method] = handler
        return handler
    return register


class ControlError(Exception):
    """A bad control request: answered 400 {"error": message}."""


def control_json(raw_body: bytes, kind):
    """Decode a control request body of the expected JSON type."""
    try:
        value = json.loads(raw_body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        raise ControlError("the body is not valid JSON") from None
    if not isinstance(value, kind):
        raise ControlError(f"the body must be a JSON {'object' if kind is dict else 'array or object'}")
    return value


@control("GET", "/_emulator/requests")
def control_list_requests(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """The request log of all agents."""
    return Reply(200, emulator.log.snapshot())


@control("DELETE", "/_emulator/requests")
def control_clear_requests(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Empty the request log."""
    emulator.log.clear()
    return Reply(200, {"cleared": True})


@control("GET", "/_emulator/faults")
def control_list_faults(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Pending faults."""
    return Reply(200, emulator.faults.pending())


@control("POST", "/_emulator/faults")
def control_add_faults(emulator: Emulator, _port: int, body: bytes) -> Reply:
    """Queue one fault (object) or several (array)."""
    specs = control_json(body, (dict, list))
    specs = specs if isinstance(specs, list) else [specs]
    try:
        validated = [validate_fault(spec) for spec in specs]
    except ValueError as err:
        raise ControlError(str(err)) from None
    return Reply(200, [emulator.faults.add(spec) for spec in validated])


@control("DELETE", "/_emulator/faults")
def control_clear_faults(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Drop pending faults."""
    emulator.faults.clear()
    return Reply(200, {"cleared": True})


SETTING_CHECKS = {
    "show_deleted": (lambda value: isinstance(value, bool), "a boolean"),
    "drive_quota": (lambda value: is_int(value) and value >= 0, "an integer >= 0"),
    "max_page_size": (lambda value: is_int(value) and value >= 1, "an integer >= 1"),
    "max_sessions": (lambda value: is_int(value) and value >= 1, "an integer >= 1"),
}


@control("GET", "/_emulator/settings")
def control_get_settings(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Current runtime settings."""
    with emulator.store.lock:
        return Reply(200, dict(emulator.store.settings))


@control("PATCH", "/_emulator/settings")
def control_patch_settings(emulator: Emulator, _port: int, body: bytes) -> Reply:
    """Change show_deleted, max_page_size, max_sessions or drive_quota until the next reset."""
    changes = control_json(body, dict)
    for key, value in changes.items():
        if key not in SETTING_CHECKS:
            raise ControlError(f"unknown setting {key}")
        check, expected = SETTING_CHECKS[key]
        if not check(value):
            raise ControlError(f"{key} must be {expected}")
    with emulator.store.lock:
        emulator.store.settings.update(changes)
        return Reply(200, dict(emulator.store.settings))


@control("GET", "/_emulator/agent")
def control_get_agent(emulator: Emulator, port: int, _body: bytes) -> Reply:
    """The local state of the agent on this port."""
    with emulator.store.lock:
        return Reply(200, emulator.store.agent_view(emulator.store.agents[port]))


@control("PATCH", "/_emulator/agent")
def control_patch_agent(emulator: Emulator, port: int, body: bytes) -> Reply:
    """Set this agent's status and/or signed-in user (username)."""
    changes = control_json(body, dict)
    store = emulator.store
    with store.lock:
        agent = store.agents[port]
        for key, value in changes.items():
            if key == "status" and value in AGENT_STATUSES and is_int(value):
                agent["status"] = value
            elif key == "username" and isinstance(value, str) and store.find_user(value):
                agent["userId"] = store.find_user(value)["id"]
            else:
                raise ControlError(f"invalid {key}: status must be one of {AGENT_STATUSES}, username a known user")
        return Reply(200, store.agent_view(agent))


@control("POST", "/_emulator/reset")
def control_reset(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """Reload the seed: fresh store and settings, empty log, no faults."""
    emulator.store.load()
    emulator.log.clear()
    emulator.faults.clear()
    return Reply(200, {"reset": True})


@control("GET", "/_emulator/state")
def control_state(emulator: Emulator, _port: int, _body: bytes) -> Reply:
    """The whole store, for out-of-band checks."""
    with emulator.store.lock:
        return Reply(200, emulator.store.snapshot())


def dispatch_control(emulator: Emulator, port: int, method: str, path: str, body: bytes) -> Reply:
    """Route a control request; mistakes are 400 with a JSON message."""
    methods = CONTROL_ROUTES.get(path)
    if methods is None:
        return Reply(404, {"error": f"unknown control endpoint {path}"})
    handler = methods.get(method)
    if handler is None:
        return Reply(405, {"error": f"use one of {', '.join(sorted(methods))}"}, {"Allow": ", ".join(sorted(methods))})
    try:
        return handler(emulator, port, body)
    except ControlError as err:
        return Reply(400, {"error": str(err)})


# ---------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------

class ClickRequestHandler(BaseHTTPRequestHandler):
    """Turns HTTP/1.1 requests into API or control dispatches."""

    protocol_version = "HTTP/1.1"
    server_version = "ClickEmulator/1.0"
    sys_version = ""
    replied = False  # set once a response (or a deliberate drop) has started
    disable_nagle_algorithm = True  # headers and body go out in separate writes; avoid delayed-ACK stalls on keep-alive

    def do_GET(self):
        """Every method goes through one dispatcher (so unknown methods get 404/405)."""
        self.serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_request(self, code="-", size="-"):
        """Requests are logged in the request log, not on stderr."""

    def version_string(self):
        """The Server header, without the Python version."""
        return self.server_version

    def serve(self):
        """Read the request, answer it; an unexpected error is a 500 without a body."""
        self.replied = False
        try:
            split = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
            try:
                body = self.read_body()
            except ValueError:
                self.close_connection = True
                self.send_reply(Reply(400))
                return
            if split.path == "/_emulator" or split.path.startswith("/_emulator/"):
                self.send_reply(dispatch_control(self.server.emulator, self.server.port, self.command, split.path, body))
            else:
                self.serve_api(split.path, query, body)
        except ConnectionError:
            self.close_connection = True  # the client went away; nothing left to answer
        except Exception:  # pylint: disable=broad-exception-caught
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            if not self.replied:
                self.send_reply(Reply(500))

    def serve_api(self, path: str, query: dict, body: bytes) -> None:
        """Apply a pending fault, else dispatch; log before answering so the log is never behind."""
        emulator = self.server.emulator
        port = self.server.port
        seq = emulator.log.next_seq()
        fault = emulator.faults.take(self.command, path, port)
        action = fault["action"] if fault else None
        if action == "drop":
            emulator.log.record(seq, port, self.command, path, query, 0)
            self.drop_connection()
            return
        if action == "delay":
            time.sleep(fault["seconds"])
        if action == "error":
            reply = Reply(fault["status"])
        else:
            request = ApiRequest(emulator.store, port, query, self.headers, body)
            try:
                reply = dispatch_api(emulator.store, self.command, path, request, inject_exception=action == "exception")
            except Exception:  # pylint: disable=broad-exception-caught
                traceback.print_exc(file=sys.stderr)
                reply = Reply(500)
        emulator.log.record(seq, port, self.command, path, query, reply.status)
        self.send_reply(reply)

    def read_body(self) -> bytes:
        """The request body, by Content-Length or chunked; ValueError when malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(65537).split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length)

    def send_reply(self, reply: Reply) -> None:
        """Write status, headers and the JSON body (Content-Length always set)."""
        payload = b"" if reply.body is NO_BODY else json.dumps(reply.body).encode("utf-8")
        self.replied = True
        self.send_response(reply.status)
        if reply.body is not NO_BODY:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def drop_connection(self) -> None:
        """Close the socket without writing a single byte."""
        self.replied = True
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class AgentServer(ThreadingHTTPServer):
    """The HTTP server of one emulated agent (one port)."""

    daemon_threads = True

    def __init__(self, host: str, port: int):
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), ClickRequestHandler)
        self.port = self.server_address[1]
        self.emulator = None

    def server_bind(self):
        """Bind without HTTPServer's reverse DNS lookup, which can stall start-up."""
        TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def fault_argument(text: str) -> dict:
    """argparse type for --fault: a JSON fault spec."""
    try:
        return validate_fault(json.loads(text))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"invalid fault {text!r}: {err}") from None


def port_list(text: str) -> list:
    """argparse type for --ports: comma-separated port numbers."""
    try:
        ports = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port list {text!r}") from None
    if not ports or any(not 0 <= port <= 65535 for port in ports):
        raise argparse.ArgumentTypeError(f"invalid port list {text!r}")
    return ports


def positive_int(text: str) -> int:
    """argparse type for counts and sizes."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {text!r}")
    return value


def parse_args(argv=None) -> argparse.Namespace:
    """The emulator's command line."""
    parser = argparse.ArgumentParser(prog="click_emulator.py", description="Emulator of the Amove agent's local Click API.")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port of the first agent; 0 lets the OS choose (default %(default)s)")
    fleet = parser.add_mutually_exclusive_group()
    fleet.add_argument("--agents", type=positive_int, default=1, help="number of agents, on consecutive ports from --port")
    fleet.add_argument("--ports", type=port_list, help="explicit comma-separated agent ports")
    parser.add_argument("--seed", help="seed JSON file (see docs/emulator.md)")
    parser.add_argument("--admin-user", help=f"admin username (default {DEFAULT_ADMIN_USER})")
    parser.add_argument("--admin-password", help=f"admin password (default {DEFAULT_ADMIN_PASSWORD})")
    parser.add_argument("--api-token", help=f"API token of the admin (default {DEFAULT_API_TOKEN})")
    parser.add_argument("--max-page-size", type=positive_int, default=100, help="server-side page size cap (default %(default)s)")
    parser.add_argument("--show-deleted", action="store_true", help="mix soft-deleted drives into list results")
    parser.add_argument("--max-sessions", type=positive_int, default=10, help="live login sessions per user (default %(default)s)")
    parser.add_argument("--log-file", help="append each request log entry to this JSON-lines file")
    parser.add_argument("--fault", type=fault_argument, action="append", default=[], help="fault spec as JSON (repeatable)")
    args = parser.parse_args(argv)
    if args.ports:
        args.agent_ports = args.ports
    elif args.port == 0:
        args.agent_ports = [0] * args.agents  # the OS picks each port; the start-up lines tell which
    else:
        args.agent_ports = [args.port + offset for offset in range(args.agents)]
    if any(not 0 <= port <= 65535 for port in args.agent_ports):
        parser.error("agent ports must lie between 0 and 65535")
    return args


def open_servers(host: str, ports: list) -> list:
    """Bind one server per agent port; on failure close what was opened and re-raise."""
    servers = []
    try:
        for port in ports:
            servers.append(AgentServer(host, port))
    except OSError as err:
        for server in servers:
            server.server_close()
        raise OSError(f"cannot listen on {host}:{ports[len(servers)]}: {err}") from None
    return servers


def main(argv=None) -> int:
    """Start the agents and serve until SIGTERM/SIGINT."""
    args = parse_args(argv)
    try:
        seed = build_seed(args.seed, args.admin_user, args.admin_password, args.api_token)
    except SeedError as err:
        print(f"click-emulator: bad seed: {err}", file=sys.stderr)
        return 2
    try:
        servers = open_servers(args.host, args.agent_ports)
    except OSError as err:
        print(f"click-emulator: {err}", file=sys.stderr)
        return 1
    settings = {"show_deleted": args.show_deleted, "max_page_size": args.max_page_size, "max_sessions": args.max_sessions}
    try:
        store = ClickStore(seed, settings, [server.port for server in servers])
    except SeedError as err:
        print(f"click-emulator: bad seed: {err}", file=sys.stderr)
        for server in servers:
            server.server_close()
        return 2
    faults = FaultTable()
    for spec in args.fault:
        faults.add(spec)
    emulator = Emulator(store, RequestLog(args.log_file), faults)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for index, server in enumerate(servers, 1):
        server.emulator = emulator
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=f"agent-{index}", daemon=True).start()
        url_host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"click-emulator: agent {index} listening on http://{url_host}:{server.port}", flush=True)
    while not stop.wait(0.2):  # a timed wait keeps signal handling prompt on every Python version
        pass
    for server in servers:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
