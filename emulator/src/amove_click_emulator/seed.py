"""Seeds: the built-in account, seed files, and loading a seed into the store."""

from __future__ import annotations

import json
from pathlib import Path

from .common import (
    AGENT_DESKTOP_DEFAULTS, AGENT_STARTED, AGENT_STATUSES, DESKTOP_ADMIN, JSON_TYPE_NAMES, PACKAGE_COUNTS, PACKAGE_FEATURES, READ, READ_WRITE,
    USER_STATUS_ACTIVE, USER_TYPES, ApiError, desktop_problem, drive_health_problem, has_json_type, is_int, is_uuid, new_id,
    parse_iso_datetime, utc_now,
)
from .params import validate_drive_body

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
SEED_SECTIONS = ("account", "users", "api_tokens", "cloud_accounts", "shared_cloud_drives", "user_groups", "projects", "agents",
                 "package")
# What --users-only keeps of a seed: the people and their desktops, not what they share.
ACCOUNT_CONTENT_SECTIONS = ("cloud_accounts", "user_groups", "projects", "shared_cloud_drives")
PRESETS_DIR = Path(__file__).with_name("seeds")


class SeedError(Exception):
    """The seed file cannot be loaded."""


class SeedLoader:
    """Fills a ClickStore from a seed dict, reporting mistakes as SeedError."""

    def __init__(self, store, seed: dict):
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
        """cloud_accounts[]: name, cloudType, optional CloudAccount fields, region, endpoint, and owner (a username; default the admin)."""
        where = f"cloud_accounts[{index}]"
        owner = self.typed(entry, "owner", str, None, where)
        self.store.add_record(self.store.cloud_accounts, {
            "id": self.uuid_or_new(entry, where),
            "accountId": self.store.account["id"],
            "userId": self.user_id(owner, where) if owner else self.store.admin_id,
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
            "region": self.typed(entry, "region", str, None, where),
            "endpoint": self.typed(entry, "endpoint", str, None, where),
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
        self.store.settings.setdefault("drive_quota", package["drives"])  # a quota given at start-up wins

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
            desktop = {}
            for key, default in AGENT_DESKTOP_DEFAULTS.items():
                desktop[key] = json.loads(json.dumps(entry.get(key, default)))
                problem = desktop_problem(key, desktop[key])
                if problem:
                    raise SeedError(f"{where}: {problem}")
            self.store.agents[port] = dict(
                desktop, index=index + 1, port=port, status=status,
                userId=self.user_id(username, where) if username else self.store.admin_id, clouddrives=[], localSettings={},
            )


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


def seed_presets() -> list:
    """Names of the seed files shipped with the package (--seed-preset NAME)."""
    return sorted(path.stem for path in PRESETS_DIR.glob("*.json"))


def seed_preset(name: str) -> str:
    """The path of a seed file shipped with the package, such as "agency"; ValueError for an unknown name."""
    if name not in seed_presets():
        raise ValueError(f"unknown seed preset {name!r} (known: {', '.join(seed_presets())})")
    return str(PRESETS_DIR / f"{name}.json")


def validate_drive_health(spec) -> dict:
    """Check a --drive-health spec {"agent": 1-based index (default 1), "drive": name, health...}; raise ValueError."""
    if not isinstance(spec, dict):
        raise ValueError("a drive health must be a JSON object")
    agent = spec.get("agent", 1)
    if not is_int(agent) or agent < 1:
        raise ValueError("agent must be an integer >= 1 (the first agent is 1)")
    drive = spec.get("drive")
    if not isinstance(drive, str) or not drive:
        raise ValueError("drive (the drive's name) is required")
    health = {key: value for key, value in spec.items() if key not in ("agent", "drive")}
    problem = drive_health_problem({drive: health})
    if problem:
        raise ValueError(problem)
    return {"agent": agent, "drive": drive, "health": health}


def add_drive_health(seed: dict, specs) -> None:
    """Give agents[agent - 1] of the seed the health of each spec (validated by validate_drive_health)."""
    agents = seed["agents"] = list(seed.get("agents") or [])
    for spec in specs:
        while len(agents) < spec["agent"]:
            agents.append({})
        if not isinstance(agents[spec["agent"] - 1], dict):
            raise SeedError("agents must be a list of objects")
        health = agents[spec["agent"] - 1].setdefault("driveHealth", {})
        if not isinstance(health, dict):
            raise SeedError(f"agents[{spec['agent'] - 1}]: driveHealth must map drive names to a health object")
        health[spec["drive"]] = spec["health"]


def build_seed(seed_file: str | None, admin_user: str | None, admin_password: str | None, api_token: str | None,
               drive_health=(), users_only: bool = False) -> dict:
    """Merge a seed file over the built-in seed and apply the admin flags.

    Each section a file gives replaces the built-in one.  The admin is the
    --admin-user (which renames the built-in admin when the file has no users,
    and is added when the file's users lack it), else the first owner, else the
    first DesktopAdmin, else the built-in admin (added).  The admin is always an
    owner DesktopAdmin.  Each drive health (see validate_drive_health) is added
    to its agent's driveHealth.  users_only empties the account of what its
    people share (cloud accounts, groups, projects, drives): the same users,
    tokens, desktops and plan, nothing else.
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
    add_drive_health(seed, drive_health)
    if users_only:
        seed.update({section: [] for section in ACCOUNT_CONTENT_SECTIONS})
    return seed
