"""UsersPermission controller: which users and groups get a shared cloud drive (/userspermission/*)."""

from __future__ import annotations

from ..common import GROUP_PERMISSION, USER_PERMISSION, ApiError, Reply, new_id
from ..params import contains_casefold, paginate, parse_link_items, parse_paging, uuid_param
from ..store import ClickStore
from ..routing import ApiRequest, route
from .shared_cloud_drives import required_live_drive


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
