"""Projects controller: projects and the drives assigned to them (/projects/*).

Projects follow the user groups' readings where the documentation is silent:
the name filter is a case-insensitive substring, soft-deleted projects show up
in listings when the show_deleted switch is on, a name equal ignoring case to
a live project's is DUPLICATE, update is a full replace, and a delete leaves
the project's drive links and its user and group grants in place (a deleted
project gives nothing to anyone).  Who is in a project is kept by the
/userspermission/*_project_permission routes (permissions.py).
"""

from __future__ import annotations

from ..common import ApiError, Reply, new_id
from ..params import NAMED_SORTS, contains_casefold, named_record_fields, paginate, parse_link_items, parse_paging, uuid_param
from ..routing import ApiRequest, route
from .shared_cloud_drives import required_live_drive


def required_live_project(req: ApiRequest, param: str) -> dict:
    """The live project named by a query parameter; a missing id is DEFAULT, an unknown or deleted one NOT_FOUND."""
    project = req.store.live_project(uuid_param(req.query, param))
    if project is None:
        raise ApiError("NOT_FOUND", "Project not found.")
    return project


def list_projects(req: ApiRequest, view) -> Reply:
    """get_all and get_all_with_details: soft-deleted projects only when show_deleted is on."""
    store = req.store
    paging = parse_paging(req.query, NAMED_SORTS, "Name", False, store.settings["max_page_size"])
    projects = [project for project in store.projects.values()
                if (store.settings["show_deleted"] or not project["deleted"]) and contains_casefold(project["name"], req.query.get("name"))]
    return Reply(200, paginate(projects, paging, NAMED_SORTS, view))


@route("GET", "/projects/get_all")
def get_all_projects(req: ApiRequest) -> Reply:
    """DTOCollection<Project>; name is a case-insensitive substring filter."""
    return list_projects(req, req.store.project_view)


@route("GET", "/projects/get_all_with_details")
def get_all_projects_with_details(req: ApiRequest) -> Reply:
    """DTOCollection<ProjectWithDetailsDTO>: user grants (usersData), group grants (groupsData), drives (drivesData)."""
    return list_projects(req, req.store.project_details_view)


@route("POST", "/projects/insert", json_body=True)
def insert_project(req: ApiRequest) -> Reply:
    """Create a project from {name, description, active}; the server sets id, accountId and deleted."""
    req.require_admin()
    store = req.store
    fields = named_record_fields(req.json, require_id=False)[1]
    if store.live_named(store.projects, fields["name"]):
        raise ApiError("DUPLICATE", "A resource with the same name already exists.")
    project = store.add_record(store.projects, dict(fields, id=new_id(), accountId=store.account["id"], deleted=False))
    return Reply(200, store.project_view(project))


@route("PUT", "/projects/update", json_body=True)
def update_project(req: ApiRequest) -> Reply:
    """Full replace of name, description and active; accountId reset to the caller's."""
    req.require_admin()
    store = req.store
    project_id, fields = named_record_fields(req.json, require_id=True)
    project = store.live_project(project_id)
    if project is None:
        raise ApiError("NOT_FOUND", "Project not found.")
    if store.live_named(store.projects, fields["name"], except_id=project_id):
        raise ApiError("DUPLICATE", "A resource with the same name already exists.")
    project.update(fields, accountId=store.account["id"])
    return Reply(200, store.project_view(project))


@route("DELETE", "/projects/delete")
def delete_project(req: ApiRequest) -> Reply:
    """Soft delete. Drive links and grants stay: no document says that they go."""
    req.require_admin()
    project = req.store.live_project(uuid_param(req.query, "id"))
    if project is None:
        raise ApiError("NOT_FOUND", "Project not found.")
    project["deleted"] = True
    return Reply(200)


@route("GET", "/projects/get_assigned_sharedclouddrives")
def get_project_drives(req: ApiRequest) -> Reply:
    """Live drives of a live project, as {sharedCloudDrive, projectSharedCloudDrive} rows (no name filter is documented)."""
    store = req.store
    project = required_live_project(req, "projectId")
    sorts = {"SharedCloudDrive.Name": lambda link: store.drives[link["sharedCloudDriveId"]]["name"].casefold(),
             "SharedCloudDrive.CreateDate": lambda link: store.drives[link["sharedCloudDriveId"]]["createDate"]}
    paging = parse_paging(req.query, sorts, "SharedCloudDrive.Name", False, store.settings["max_page_size"])
    return Reply(200, paginate(store.project_drive_links(project["id"]), paging, sorts, lambda link: {
        "sharedCloudDrive": store.drive_view(store.drives[link["sharedCloudDriveId"]]),
        "projectSharedCloudDrive": store.project_link_view(link)}))


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
