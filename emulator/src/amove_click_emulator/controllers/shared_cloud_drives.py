"""SharedCloudDrive controller: list, insert, update and soft delete shared cloud drives (/sharedclouddrive/*)."""

from __future__ import annotations

from ..common import ApiError, Reply, new_id
from ..params import contains_casefold, paginate, parse_paging, uuid_param, validate_drive_body
from ..routing import ApiRequest, route


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


def required_live_drive(req: ApiRequest, param: str) -> dict:
    """The live drive named by a query parameter; missing id is DEFAULT, unknown is NOT_FOUND."""
    drive = req.store.live_drive(uuid_param(req.query, param))
    if drive is None:
        raise ApiError("NOT_FOUND", "Shared cloud drive not found.")
    return drive
