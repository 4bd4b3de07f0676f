"""Projects controller: projects and the drives assigned to them (/projects/*)."""

from __future__ import annotations

from ..common import ApiError, Reply, new_id
from ..params import NAMED_SORTS, contains_casefold, paginate, parse_link_items, parse_paging, uuid_param
from ..routing import ApiRequest, route
from .shared_cloud_drives import required_live_drive


@route("GET", "/projects/get_all")
def get_all_projects(req: ApiRequest) -> Reply:
    """Live projects; name is a substring filter."""
    paging = parse_paging(req.query, NAMED_SORTS, "Name", False, req.store.settings["max_page_size"])
    projects = [project for project in req.store.projects.values()
                if not project["deleted"] and contains_casefold(project["name"], req.query.get("name"))]
    return Reply(200, paginate(projects, paging, NAMED_SORTS, req.store.project_view))


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


@route("DELETE", "/userspermission/usergroups_project_permission")
def delete_group_project_permission(req: ApiRequest) -> Reply:
    """Take a project grant from a user group; `id` is the permission entry's (plural "usergroups": the real spelling)."""
    req.require_admin()
    permission_id = uuid_param(req.query, "id")
    if permission_id not in req.store.project_groups:
        raise ApiError("NOT_FOUND", "User group project permission not found.")
    del req.store.project_groups[permission_id]
    return Reply(200)
