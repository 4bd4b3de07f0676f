"""UserGroup controller: user groups and their members (/usergroup/*).

What the documentation leaves unsaid is read defensively: the name filter is a
case-insensitive substring, soft-deleted groups show up in listings when the
show_deleted switch is on, a name equal ignoring case to a live group's is
DUPLICATE, assign_users skips pairs that exist, and a delete leaves the
group's members and its drive and project grants in place.
"""

from __future__ import annotations

from ..common import ApiError, Reply, new_id
from ..params import NAMED_SORTS, contains_casefold, named_record_fields, paginate, parse_link_items, parse_paging, uuid_param
from ..routing import ApiRequest, route


def list_groups(req: ApiRequest, view) -> Reply:
    """get_all and get_all_with_details: soft-deleted groups only when show_deleted is on."""
    store = req.store
    paging = parse_paging(req.query, NAMED_SORTS, "Name", False, store.settings["max_page_size"])
    groups = [group for group in store.user_groups.values()
              if (store.settings["show_deleted"] or not group["deleted"]) and contains_casefold(group["name"], req.query.get("name"))]
    return Reply(200, paginate(groups, paging, NAMED_SORTS, view))


@route("GET", "/usergroup/get_all")
def get_all_user_groups(req: ApiRequest) -> Reply:
    """DTOCollection<UserGroup>; name is a case-insensitive substring filter."""
    return list_groups(req, req.store.group_view)


@route("GET", "/usergroup/get_all_with_details")
def get_all_user_groups_with_details(req: ApiRequest) -> Reply:
    """DTOCollection<UserGroupWithDetailsDTO>: members (usersData), drive grants (drivesData), project grants (projectsData)."""
    return list_groups(req, req.store.group_details_view)


@route("POST", "/usergroup/insert", json_body=True)
def insert_user_group(req: ApiRequest) -> Reply:
    """Create a group; the server sets id, accountId and deleted."""
    req.require_admin()
    store = req.store
    fields = named_record_fields(req.json, require_id=False)[1]
    if store.live_named(store.user_groups, fields["name"]):
        raise ApiError("DUPLICATE", "A resource with the same name already exists.")
    group = store.add_record(store.user_groups, dict(fields, id=new_id(), accountId=store.account["id"], deleted=False))
    return Reply(200, store.group_view(group))


@route("PUT", "/usergroup/update", json_body=True)
def update_user_group(req: ApiRequest) -> Reply:
    """Full replace of name, description and active; accountId reset to the caller's."""
    req.require_admin()
    store = req.store
    group_id, fields = named_record_fields(req.json, require_id=True)
    group = store.live_group(group_id)
    if group is None:
        raise ApiError("NOT_FOUND", "User group not found.")
    if store.live_named(store.user_groups, fields["name"], except_id=group_id):
        raise ApiError("DUPLICATE", "A resource with the same name already exists.")
    group.update(fields, accountId=store.account["id"])
    return Reply(200, store.group_view(group))


@route("DELETE", "/usergroup/delete")
def delete_user_group(req: ApiRequest) -> Reply:
    """Soft delete. Members and grants stay: the documentation does not say that they go."""
    req.require_admin()
    group = req.store.live_group(uuid_param(req.query, "id"))
    if group is None:
        raise ApiError("NOT_FOUND", "User group not found.")
    group["deleted"] = True
    return Reply(200)


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
        "user": store.user_view(store.users[member["userId"]]), "userUserGroup": store.membership_view(member)}))


@route("POST", "/usergroup/assign_users", json_body=True)
def assign_users(req: ApiRequest) -> Reply:
    """Body: array of {userId, userGroupId}; a pair that exists is skipped silently (as documented for the Web API)."""
    req.require_admin()
    store = req.store
    pairs = parse_link_items(req.json, ("userId", "userGroupId"), with_permission=False)
    for pair in pairs:
        if pair["userId"] not in store.users:
            raise ApiError("NOT_FOUND", f"User {pair['userId']} not found.")
        if store.live_group(pair["userGroupId"]) is None:
            raise ApiError("NOT_FOUND", f"User group {pair['userGroupId']} not found.")
    existing = {(member["userId"], member["userGroupId"]) for member in store.group_members.values()}
    for pair in pairs:
        key = (pair["userId"], pair["userGroupId"])
        if key not in existing:
            existing.add(key)
            store.add_record(store.group_members, dict(pair, id=new_id()))
    return Reply(200)


@route("DELETE", "/usergroup/unassign_user")
def unassign_user(req: ApiRequest) -> Reply:
    """`id` is the UserUserGroup membership id, not the user's."""
    req.require_admin()
    member_id = uuid_param(req.query, "id")
    if member_id not in req.store.group_members:
        raise ApiError("NOT_FOUND", "User group assignment not found.")
    del req.store.group_members[member_id]
    return Reply(200)
