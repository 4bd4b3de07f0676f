"""Authentication controller: login, MFA, logout and the caller's profile (/authentication/*)."""

from __future__ import annotations

import secrets

from ..common import MFA_CODE, USER_STATUS_ACTIVE, ApiError, HttpStatus, Reply, b64url, is_int
from ..params import require_object
from ..routing import ApiRequest, route


@route("POST", "/authentication/login", needs_token=False, json_body=True)
def login(req: ApiRequest) -> Reply:
    """Credentials and a `type` equal to the user's UserType give a JWT, or an MFA challenge."""
    body = require_object(req.json)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not username or not isinstance(password, str) or not password:
        raise ApiError("DEFAULT", "The username and password fields are required.")
    user_type = body.get("type", 0)  # an omitted enum is 0 in .NET, which matches no user: 401
    if not is_int(user_type):
        raise ApiError("DEFAULT", "The JSON value of field 'type' must be an integer.")
    user = req.store.find_user(username)
    if user is None or user["password"] != password or user["userType"] != user_type:
        raise HttpStatus(401)
    if user["status"] != USER_STATUS_ACTIVE:
        raise ApiError("INACTIVE_USER", "The user is not active.")
    if user["mfa"]:
        session = b64url(secrets.token_bytes(48))
        req.store.mfa_sessions[session] = user["id"]
        return Reply(200, {"jwtToken": "", "challenge": 1, "session": session})
    return Reply(200, {"jwtToken": req.store.open_session(user), "challenge": 0, "session": ""})


@route("POST", "/authentication/mfa_respond", needs_token=False, json_body=True)
def mfa_respond(req: ApiRequest) -> Reply:
    """Complete an MFA login; the emulator's TOTP code is always 123456."""
    body = require_object(req.json)
    session, code = body.get("session"), body.get("userCode")
    if not isinstance(session, str) or not isinstance(code, str):
        raise ApiError("DEFAULT", "The userCode and session fields are required strings.")
    user_id = req.store.mfa_sessions.get(session)
    # A wrong code and an unknown or used session are one answer: "MFA challenge failed" (W-AUTH).
    if user_id is None:
        raise ApiError("TOTP", "The MFA challenge failed: the session is invalid or has expired.")
    if code != MFA_CODE:
        raise ApiError("TOTP", "The MFA challenge failed: the code is not valid.")
    token = req.store.open_session(req.store.users[user_id])
    del req.store.mfa_sessions[session]
    return Reply(200, {"jwtToken": token, "challenge": 0, "session": ""})


@route("POST", "/authentication/logout", needs_token=False, json_body=True)
def logout(req: ApiRequest) -> Reply:
    """End the session of the JWT in the body; an unknown token is not an error."""
    token = require_object(req.json).get("jwtToken")
    if not isinstance(token, str) or not token:
        raise ApiError("DEFAULT", "The jwtToken field is required.")
    req.store.sessions.pop(token, None)
    return Reply(200)


@route("GET", "/authentication/user")
def current_user(req: ApiRequest) -> Reply:
    """The caller's profile (a cheap token probe)."""
    user = req.user
    return Reply(200, {
        "accountName": req.store.account["name"], "accountId": req.store.account["id"], "userId": user["id"],
        "firstName": user["firstname"], "lastName": user["lastname"], "username": user["username"],
        "userType": user["userType"], "jwtToken": req.token, "owner": user["owner"], "migration": False,
        "subscriptionType": 1, "mfa": user["mfa"], "authProvider": 0,
    })
