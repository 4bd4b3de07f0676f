"""User controller: users and the plan's remaining quota (/user/*)."""

from __future__ import annotations

from ..common import Reply
from ..params import contains_casefold, paginate, parse_paging, positive_int_param
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
