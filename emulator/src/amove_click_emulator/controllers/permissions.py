"""UsersPermission controller: which users and groups get a shared cloud drive or a project (/userspermission/*).

Drive and project grants follow one set of rules (see the permission kinds in
common.py): POST inserts all or nothing and refuses a second grant of the same
subject on the same target (DUPLICATE), PUT replaces entries found by their id,
DELETE takes one entry by its id.
"""

from __future__ import annotations

from ..common import GROUP_PERMISSION, GROUP_PROJECT_PERMISSION, USER_PERMISSION, USER_PROJECT_PERMISSION, ApiError, Reply, new_id
from ..params import contains_casefold, paginate, parse_link_items, parse_paging, uuid_param
from ..routing import ApiRequest, route
from ..store import ClickStore
from .projects import required_live_project
from .shared_cloud_drives import required_live_drive


def check_permission_targets(store: ClickStore, kind: dict, links: list) -> None:
    """Every subject and target must exist (groups, drives and projects: not soft-deleted)."""
    for link in links:
        if store.permission_subject(kind, link[kind["subject"]]) is None:
            raise ApiError("NOT_FOUND", f"{kind['label']} {link[kind['subject']]} not found.")
        if store.permission_target(kind, link[kind["target"]]) is None:
            raise ApiError("NOT_FOUND", f"{kind['target_label']} {link[kind['target']]} not found.")


def duplicate_permission(kind: dict) -> ApiError:
    """Posting a second permission for the same subject and target is refused (not merged)."""
    return ApiError("DUPLICATE", f"{kind['label']} already has a permission on this {kind['target_label'].lower()}.")


def refuse_taken_pairs(kind: dict, links: list, taken: set) -> None:
    """DUPLICATE when a pair exists already or comes twice in one request."""
    for link in links:
        pair = (link[kind["subject"]], link[kind["target"]])
        if pair in taken:
            raise duplicate_permission(kind)
        taken.add(pair)


def insert_permissions(req: ApiRequest, kind: dict) -> Reply:
    """POST: all-or-nothing insert of permission entries."""
    req.require_admin()
    store = req.store
    table = getattr(store, kind["table"])
    links = parse_link_items(req.json, (kind["subject"], kind["target"]), with_permission=True)
    check_permission_targets(store, kind, links)
    refuse_taken_pairs(kind, links, {(perm[kind["subject"]], perm[kind["target"]]) for perm in table.values()})
    for link in links:
        store.add_record(table, dict(link, id=new_id()))
    return Reply(200)


def update_permissions(req: ApiRequest, kind: dict) -> Reply:
    """PUT: replace existing entries, found by their `id`."""
    req.require_admin()
    store = req.store
    table = getattr(store, kind["table"])
    links = parse_link_items(req.json, ("id", kind["subject"], kind["target"]), with_permission=True)
    for link in links:
        if link["id"] not in table:
            raise ApiError("NOT_FOUND", f"Permission {link['id']} not found.")
    check_permission_targets(store, kind, links)
    changed = {link["id"] for link in links}
    refuse_taken_pairs(kind, links, {(perm[kind["subject"]], perm[kind["target"]]) for perm in table.values() if perm["id"] not in changed})
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


def permission_rows(req: ApiRequest, kind: dict, permissions: list, sorts: dict, default_sort: str) -> Reply:
    """One page of {subject, target, permission} rows."""
    store = req.store
    subjects = getattr(store, kind["subjects"])
    targets = store.projects if kind["target"] == "projectId" else store.drives
    paging = parse_paging(req.query, sorts, default_sort, False, store.settings["max_page_size"])
    return Reply(200, paginate(permissions, paging, sorts, lambda perm: {
        kind["row_subject"]: store.subject_view(kind, subjects[perm[kind["subject"]]]),
        kind["row_target"]: store.target_view(kind, targets[perm[kind["target"]]]),
        "permission": store.permission_view(perm, kind)}))


def list_target_permissions(req: ApiRequest, kind: dict, target_param: str, filter_param: str) -> Reply:
    """Who holds a permission on one live drive or project (grants of deleted groups included)."""
    store = req.store
    if kind["target"] == "projectId":
        target = required_live_project(req, target_param)
    else:
        target = required_live_drive(req, target_param)
    subjects = getattr(store, kind["subjects"])

    def subject_name(perm):
        return subjects[perm[kind["subject"]]][kind["name_key"]]

    sorts = {kind["sort"]: lambda perm: subject_name(perm).casefold(), "PermissionType": lambda perm: perm["permissionType"]}
    permissions = [perm for perm in getattr(store, kind["table"]).values()
                   if perm[kind["target"]] == target["id"] and contains_casefold(subject_name(perm), req.query.get(filter_param))]
    return permission_rows(req, kind, permissions, sorts, kind["sort"])


def list_subject_projects(req: ApiRequest, kind: dict, subject_param: str) -> Reply:
    """The live projects a user or a live group holds a permission on; `name` filters on the project's name."""
    store = req.store
    subject_id = uuid_param(req.query, subject_param)
    if store.permission_subject(kind, subject_id) is None:
        raise ApiError("NOT_FOUND", f"{kind['label']} not found.")
    sorts = {"Project.Name": lambda perm: store.projects[perm["projectId"]]["name"].casefold(),
             "PermissionType": lambda perm: perm["permissionType"]}
    permissions = [perm for perm in getattr(store, kind["table"]).values()
                   if perm[kind["subject"]] == subject_id and store.live_project(perm["projectId"])
                   and contains_casefold(store.projects[perm["projectId"]]["name"], req.query.get("name"))]
    return permission_rows(req, kind, permissions, sorts, "Project.Name")


# -- shared cloud drives ----------------------------------------------------

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
    return list_target_permissions(req, USER_PERMISSION, "sharedCloudDriveId", "username")


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
    return list_target_permissions(req, GROUP_PERMISSION, "sharedCloudDrive", "name")


# -- projects ---------------------------------------------------------------

USER_PROJECT_PERMISSION_PATH = "/userspermission/users_project_permission"
GROUP_PROJECT_PERMISSION_PATH = "/userspermission/usergroups_project_permission"  # plural "usergroups": the real spelling


@route("POST", USER_PROJECT_PERMISSION_PATH, json_body=True)
def insert_user_project_permissions(req: ApiRequest) -> Reply:
    """Body: array of {userId, projectId, permissionType}."""
    return insert_permissions(req, USER_PROJECT_PERMISSION)


@route("PUT", USER_PROJECT_PERMISSION_PATH, json_body=True)
def update_user_project_permissions(req: ApiRequest) -> Reply:
    """Body: array of {id, userId, projectId, permissionType}."""
    return update_permissions(req, USER_PROJECT_PERMISSION)


@route("DELETE", USER_PROJECT_PERMISSION_PATH)
def delete_user_project_permission(req: ApiRequest) -> Reply:
    """Query: id of the permission entry."""
    return delete_permission(req, USER_PROJECT_PERMISSION)


@route("GET", "/userspermission/get_users_assigned_to_project")
def get_project_user_permissions(req: ApiRequest) -> Reply:
    """Query projectId; rows {user, project, permission}; `username` filters."""
    return list_target_permissions(req, USER_PROJECT_PERMISSION, "projectId", "username")


@route("GET", "/userspermission/get_projects_assigned_to_user")
def get_user_project_permissions(req: ApiRequest) -> Reply:
    """Query userId; rows {user, project, permission} of live projects; `name` filters on the project."""
    return list_subject_projects(req, USER_PROJECT_PERMISSION, "userId")


@route("POST", GROUP_PROJECT_PERMISSION_PATH, json_body=True)
def insert_group_project_permissions(req: ApiRequest) -> Reply:
    """Body: array of {userGroupId, projectId, permissionType}."""
    return insert_permissions(req, GROUP_PROJECT_PERMISSION)


@route("PUT", GROUP_PROJECT_PERMISSION_PATH, json_body=True)
def update_group_project_permissions(req: ApiRequest) -> Reply:
    """Body: array of {id, userGroupId, projectId, permissionType}."""
    return update_permissions(req, GROUP_PROJECT_PERMISSION)


@route("DELETE", GROUP_PROJECT_PERMISSION_PATH)
def delete_group_project_permission(req: ApiRequest) -> Reply:
    """Take a project grant from a user group; `id` is the permission entry's."""
    return delete_permission(req, GROUP_PROJECT_PERMISSION)


@route("GET", "/userspermission/get_usergroups_assigned_to_project")
def get_project_group_permissions(req: ApiRequest) -> Reply:
    """Query projectId; rows {userGroup, project, permission}; `name` filters on the group's name."""
    return list_target_permissions(req, GROUP_PROJECT_PERMISSION, "projectId", "name")


@route("GET", "/userspermission/get_projects_assigned_to_usergroup")
def get_group_project_permissions(req: ApiRequest) -> Reply:
    """Query userGroupId (a live group); rows {userGroup, project, permission} of live projects."""
    return list_subject_projects(req, GROUP_PROJECT_PERMISSION, "userGroupId")
