"""User and UserGroup controllers: users, the plan's remaining quota, groups and their members (/user/*, /usergroup/*)."""

from __future__ import annotations

from ..common import ApiError, Reply
from ..params import NAMED_SORTS, contains_casefold, paginate, parse_paging, positive_int_param, uuid_param
from ..routing import ApiRequest, route


USER_SORTS = {
    "CreateDate": lambda user: user["createDate"], "Username": lambda user: user["username"].casefold(),
    "Email": lambda user: user["email"].casefold(), "FirstName": lambda user: user["firstname"].casefold(),
    "LastName": lambda user: user["lastname"].casefold(),
}


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
