"""The account state: everything the agents of one process know, and what the API shows of it."""

from __future__ import annotations

import datetime
import threading

from .common import (
    DESKTOP_ADMIN, DRIVE_LETTERS, DRIVE_RECORD_KEYS, GROUP_PERMISSION, GROUP_PROJECT_PERMISSION, PACKAGE_COUNTS, PACKAGE_FEATURES,
    READ_WRITE, USER_PERMISSION, USER_PROJECT_PERMISSION, USER_STATUS_ACTIVE, ApiError, HttpStatus, make_jwt, mask_secret, new_id,
    parse_iso_datetime, utc_now,
)
from .seed import SeedLoader


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
        if kind["subject"] == "userId":
            return self.users.get(subject_id)
        return self.live_group(subject_id)

    def permission_target(self, kind: dict, target_id: str):
        """The live drive or live project a permission grants, else None."""
        if kind["target"] == "projectId":
            return self.live_project(target_id)
        return self.live_drive(target_id)

    def subject_view(self, kind: dict, subject: dict) -> dict:
        """A permission row's user or user group."""
        return self.user_view(subject) if kind["subject"] == "userId" else self.group_view(subject)

    def target_view(self, kind: dict, target: dict) -> dict:
        """A permission row's shared cloud drive or project."""
        return self.project_view(target) if kind["target"] == "projectId" else self.drive_view(target)

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

    def group_details_view(self, group: dict) -> dict:
        """A UserGroupWithDetailsDTO: the group, its members, and the drives and live projects it gives."""
        view = self.group_view(group)
        members = sorted((member for member in self.group_members.values() if member["userGroupId"] == group["id"]),
                         key=lambda member: self.users[member["userId"]]["username"].casefold())
        view["usersData"] = [{"user": self.user_view(self.users[member["userId"]]), "userUserGroup": self.membership_view(member)}
                             for member in members]
        grants = sorted((perm for perm in self.group_permissions.values()
                         if perm["userGroupId"] == group["id"] and self.live_drive(perm["sharedCloudDriveId"])),
                        key=lambda perm: self.drives[perm["sharedCloudDriveId"]]["name"].casefold())
        view["drivesData"] = [{"sharedCloudDrive": self.drive_view(self.drives[perm["sharedCloudDriveId"]]),
                               "permission": self.permission_view(perm, GROUP_PERMISSION)} for perm in grants]
        links = sorted((link for link in self.project_groups.values()
                        if link["userGroupId"] == group["id"] and self.live_project(link["projectId"])),
                       key=lambda link: self.projects[link["projectId"]]["name"].casefold())
        view["projectsData"] = [{"project": self.project_view(self.projects[link["projectId"]]),
                                 "permission": self.permission_view(link, GROUP_PROJECT_PERMISSION)} for link in links]
        return view

    @staticmethod
    def membership_view(member: dict) -> dict:
        """A UserUserGroup join record."""
        return {key: member[key] for key in ("id", "userId", "userGroupId")}

    @staticmethod
    def live_named(table: dict, name: str, except_id: str | None = None):
        """A live group or project whose name equals `name` ignoring case (the stricter reading of an undocumented rule)."""
        wanted = name.casefold()
        return next((record for record in table.values()
                     if not record["deleted"] and record["id"] != except_id and record["name"].casefold() == wanted), None)

    @staticmethod
    def project_view(project: dict) -> dict:
        """A Project."""
        return {key: project[key] for key in ("id", "accountId", "name", "description", "active", "deleted")}

    def project_details_view(self, project: dict) -> dict:
        """A ProjectWithDetailsDTO: the project, its user and group grants, and its live drives with their join records."""
        view = self.project_view(project)
        users = sorted((perm for perm in self.project_users.values() if perm["projectId"] == project["id"]),
                       key=lambda perm: self.users[perm["userId"]]["username"].casefold())
        view["usersData"] = [{"user": self.user_view(self.users[perm["userId"]]),
                              "permission": self.permission_view(perm, USER_PROJECT_PERMISSION)} for perm in users]
        groups = sorted((perm for perm in self.project_groups.values() if perm["projectId"] == project["id"]),
                        key=lambda perm: self.user_groups[perm["userGroupId"]]["name"].casefold())
        view["groupsData"] = [{"userGroup": self.group_view(self.user_groups[perm["userGroupId"]]),
                               "permission": self.permission_view(perm, GROUP_PROJECT_PERMISSION)} for perm in groups]
        view["drivesData"] = [{"sharedCloudDrive": self.drive_view(self.drives[link["sharedCloudDriveId"]]),
                               "projectSharedCloudDrive": self.project_link_view(link)} for link in self.project_drive_links(project["id"])]
        return view

    def project_drive_links(self, project_id: str) -> list:
        """The ProjectSharedCloudDrive links of a project to live drives, by drive name."""
        return sorted((link for link in self.project_drives.values()
                       if link["projectId"] == project_id and self.live_drive(link["sharedCloudDriveId"])),
                      key=lambda link: (self.drives[link["sharedCloudDriveId"]]["name"].casefold(), link["_order"]))

    @staticmethod
    def project_link_view(link: dict) -> dict:
        """A ProjectSharedCloudDrive join record."""
        return {key: link[key] for key in ("id", "projectId", "sharedCloudDriveId")}

    @staticmethod
    def permission_view(permission: dict, kind: dict) -> dict:
        """A user or group permission entry on a drive or a project."""
        return {key: permission[key] for key in ("id", kind["subject"], kind["target"], "permissionType")}

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
        A desktop's own (private) drives are left alone.  Kept shared drives keep
        their letter and the settings written locally (agent["localSettings"], by
        local id) over the account's definition, unless the agent's
        resetOnSync switch is on: then each sync gives them the agent's defaults
        again, and letters as a fresh mount would get them.
        """
        reach = self.reachable_drives(self.users[agent["userId"]])
        private = [entry for entry in agent["clouddrives"] if not entry["sharedDrive"]]
        kept = [entry for entry in agent["clouddrives"] if entry["sharedDrive"] and entry["sharedDriveId"] in reach]
        reset = agent["resetOnSync"]
        letters = set(agent["osLetters"]) | {entry["driveName"] for entry in private if entry["driveName"]}
        if not reset:
            letters |= {entry["driveName"] for entry in kept if entry["driveName"]}
        result = list(private)
        if reset:
            agent["localSettings"].clear()
        for entry in kept:
            model = self.local_drive_model(agent, self.drives[entry["sharedDriveId"]], reach[entry["sharedDriveId"]], entry, letters)
            model.update(agent["localSettings"].get(entry["id"], {}))
            result.append(model)
        known = {entry["sharedDriveId"] for entry in kept}
        added = sorted((self.drives[drive_id] for drive_id in reach if drive_id not in known), key=lambda drive: drive["_order"])
        for drive in added:
            result.append(self.local_drive_model(agent, drive, reach[drive["id"]], None, letters))
        agent["clouddrives"] = result

    @staticmethod
    def first_free_letter(agent: dict, taken: set) -> str:
        """The letter the agent picks for a new mount: the first of D..Z not taken; none on macOS."""
        if agent["platform"] != "windows":
            return ""
        letter = next((candidate for candidate in DRIVE_LETTERS if candidate not in taken), "")
        taken.add(letter)
        return letter

    def taken_letters(self, agent: dict, except_id: str | None = None) -> set:
        """Letters the operating system or another Amove drive of this agent holds."""
        return set(agent["osLetters"]) | {entry["driveName"] for entry in agent["clouddrives"]
                                          if entry["driveName"] and entry["id"] != except_id}

    def local_drive_model(self, agent: dict, drive: dict, permission_type: int, previous, taken_letters: set) -> dict:
        """A CloudDriveModel for a mounted shared drive (previous = the local entry it replaces)."""
        letter = ""
        if drive["driveType"] == 1:
            letter = previous["driveName"] if previous and previous["driveName"] and not agent["resetOnSync"] else ""
            if not letter:
                letter = self.first_free_letter(agent, taken_letters)
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
            "maximumCacheSize": 0,  # as the documented CloudDriveModel example
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
                "username": self.users[agent["userId"]]["username"], "platform": agent["platform"], "osLetters": agent["osLetters"],
                "resetOnSync": agent["resetOnSync"], "maxCacheSize": agent["maxCacheSize"], "driveHealth": agent["driveHealth"],
                "clouddrives": agent["clouddrives"]}

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
            # region and endpoint are not CloudAccount fields: only this out-of-band view shows what insert_account was given.
            "cloud_accounts": [dict(self.cloud_account_view(account), region=account["region"], endpoint=account["endpoint"])
                               for account in ordered(self.cloud_accounts)],
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
            "user_project_permissions": [self.permission_view(perm, USER_PROJECT_PERMISSION) for perm in ordered(self.project_users)],
            "group_project_permissions": [self.permission_view(perm, GROUP_PROJECT_PERMISSION) for perm in ordered(self.project_groups)],
            "project_drives": [self.project_link_view(link) for link in ordered(self.project_drives)],
            "agents": [self.agent_view(self.agents[port]) for port in self.ports],
            "settings": dict(self.settings),
            "package": self.remaining_package(),
        }
