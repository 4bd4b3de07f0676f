"""Authentication: login, MFA, sessions, logout, token checks."""

from __future__ import annotations

import base64
import json
import re

import pytest

from emulator_testlib import ACCOUNT_ID, ADMIN_ID, ADMIN_TOKEN, assert_api_error, assert_no_body

JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
PROFILE_KEYS = {"accountName", "accountId", "userId", "firstName", "lastName", "username", "userType", "jwtToken", "owner",
                "migration", "subscriptionType", "mfa", "authProvider"}
PROTECTED_GETS = ["/authentication/user", "/cloud/accounts", "/sharedclouddrive/get_all", "/sharedclouddrive/get_all_with_details",
                  "/user/get_all_users", "/usergroup/get_all", "/projects/get_all", "/user/package_inquiry", "/cloud/account"]


def test_login_returns_a_jwt_shaped_token(emu):
    response = emu.login()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"jwtToken", "challenge", "session"}
    assert body["challenge"] == 0 and body["session"] == ""
    assert JWT_SHAPE.match(body["jwtToken"])
    payload = body["jwtToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["sub"] == ADMIN_ID


def test_login_token_works_and_profile_has_every_field(emu):
    token = emu.login().json()["jwtToken"]
    response = emu.get("/authentication/user", token=token)
    assert response.status_code == 200
    profile = response.json()
    assert set(profile) == PROFILE_KEYS
    assert profile["jwtToken"] == token
    assert profile["userId"] == ADMIN_ID and profile["accountId"] == ACCOUNT_ID
    assert profile["accountName"] == "Example Co"
    assert profile["username"] == "admin@example.com" and profile["userType"] == 16 and profile["owner"] is True
    assert profile["subscriptionType"] in (1, 2) and profile["authProvider"] == 0 and profile["mfa"] is False


def test_api_token_works_as_query_token(emu):
    response = emu.get("/authentication/user", token=ADMIN_TOKEN)
    assert response.status_code == 200
    assert response.json()["jwtToken"] == ADMIN_TOKEN
    assert emu.get("/authentication/user", token="future-api-token").status_code == 200
    assert emu.get("/authentication/user", token="alice-api-token").json()["username"] == "alice@example.com"


@pytest.mark.parametrize("username,password,user_type", [
    ("admin@example.com", "wrong", 16),
    ("nobody@example.com", "admin-password", 16),
    ("ADMIN@example.com", "admin-password", 16),  # usernames are matched exactly
    ("admin@example.com", "admin-password", 32),  # type must equal the user's UserType
    ("admin@example.com", "admin-password", 64),
    ("alice@example.com", "alice-password", 16),
])
def test_bad_credentials_or_type_mismatch_are_401_without_body(emu, username, password, user_type):
    assert_no_body(emu.login(username, password, user_type), 401)


def test_login_without_type_is_401(emu):
    response = emu.post("/authentication/login", token=None, json={"username": "admin@example.com", "password": "admin-password"})
    assert_no_body(response, 401)


def test_login_as_creative_user_with_matching_type(emu):
    assert emu.login("alice@example.com", "alice-password", 32).status_code == 200


@pytest.mark.parametrize("body", [
    {"password": "admin-password", "type": 16},
    {"username": "admin@example.com", "type": 16},
    {"username": "admin@example.com", "password": "admin-password", "type": "16"},
    {"username": 5, "password": "admin-password", "type": 16},
    ["admin@example.com"],
])
def test_malformed_login_bodies_are_default_errors(emu, body):
    assert_api_error(emu.post("/authentication/login", token=None, json=body), "DEFAULT")


def test_login_with_invalid_json_is_default_error(emu):
    response = emu.post("/authentication/login", token=None, data="{not json", headers={"Content-Type": "application/json"})
    assert "not valid JSON" in assert_api_error(response, "DEFAULT")


def test_login_without_json_content_type_is_415(emu):
    body = json.dumps({"username": "admin@example.com", "password": "admin-password", "type": 16})
    assert_no_body(emu.post("/authentication/login", token=None, data=body, headers={"Content-Type": "text/plain"}), 415)


def test_inactive_user_cannot_log_in(emu):
    assert_api_error(emu.login("dave@example.com", "dave-password", 64), "INACTIVE_USER")


def test_mfa_challenge_then_response(emu):
    first = emu.login("carol@example.com", "carol-password", 32)
    assert first.status_code == 200
    challenge = first.json()
    assert challenge["jwtToken"] == "" and challenge["challenge"] == 1 and challenge["session"]
    assert emu.state()["sessions"]["pendingMfa"] == 1

    wrong = emu.post("/authentication/mfa_respond", token=None, json={"userCode": "000000", "session": challenge["session"]})
    assert_api_error(wrong, "TOTP")
    unknown = emu.post("/authentication/mfa_respond", token=None, json={"userCode": "123456", "session": "nope"})
    assert_api_error(unknown, "TOTP")  # a stale or unknown session is a failed challenge, like a wrong code

    done = emu.post("/authentication/mfa_respond", token=None, json={"userCode": "123456", "session": challenge["session"]})
    assert done.status_code == 200
    body = done.json()
    assert body["challenge"] == 0 and body["session"] == "" and JWT_SHAPE.match(body["jwtToken"])
    profile = emu.get("/authentication/user", token=body["jwtToken"]).json()
    assert profile["username"] == "carol@example.com" and profile["mfa"] is True

    again = emu.post("/authentication/mfa_respond", token=None, json={"userCode": "123456", "session": challenge["session"]})
    assert_api_error(again, "TOTP")


def test_mfa_respond_validates_body(emu):
    assert_api_error(emu.post("/authentication/mfa_respond", token=None, json={"userCode": 123456, "session": "x"}), "DEFAULT")


def test_session_maxout_and_logout_frees_a_slot(emu):
    emu.settings(max_sessions=2)
    first = emu.login().json()["jwtToken"]
    emu.login()
    assert "maximum number of concurrent sessions" in assert_api_error(emu.login(), "SESSION_MAXOUT")
    assert emu.state()["sessions"]["byUser"] == {"admin@example.com": 2}
    assert_no_body(emu.post("/authentication/logout", token=None, json={"jwtToken": first}), 200)
    assert emu.login().status_code == 200


def test_default_session_limit_is_ten(emu):
    assert emu.control("GET", "settings").json()["max_sessions"] == 10
    for _attempt in range(10):
        assert emu.login().status_code == 200
    assert_api_error(emu.login(), "SESSION_MAXOUT")


def test_logout_ends_only_that_session(emu):
    token = emu.login().json()["jwtToken"]
    other = emu.login().json()["jwtToken"]
    assert emu.get("/authentication/user", token=token).status_code == 200
    assert_no_body(emu.post("/authentication/logout", token=None, json={"jwtToken": token}), 200)
    assert_no_body(emu.get("/authentication/user", token=token), 401)
    assert emu.get("/authentication/user", token=other).status_code == 200
    # Logging out an unknown or ended session is not an error.
    assert_no_body(emu.post("/authentication/logout", token=None, json={"jwtToken": token}), 200)
    assert_api_error(emu.post("/authentication/logout", token=None, json={}), "DEFAULT")


def test_logout_does_not_revoke_api_tokens(emu):
    emu.post("/authentication/logout", token=None, json={"jwtToken": ADMIN_TOKEN})
    assert emu.get("/authentication/user", token=ADMIN_TOKEN).status_code == 200


@pytest.mark.parametrize("path", PROTECTED_GETS)
@pytest.mark.parametrize("token", [None, "", "wrong-token", "expired-api-token", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"])
def test_missing_wrong_or_expired_token_is_401_without_body(emu, path, token):
    assert_no_body(emu.get(path, token=token), 401)


def test_token_is_only_read_from_the_query_string(emu):
    response = emu.get("/authentication/user", token=None, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert_no_body(response, 401)


def test_protected_writes_need_a_token(emu):
    assert_no_body(emu.post("/sharedclouddrive/insert", token=None, json={}), 401)
    assert_no_body(emu.put("/sharedclouddrive/update", token="wrong", json={}), 401)
    assert_no_body(emu.delete("/sharedclouddrive/delete", token=None, params={"id": "x"}), 401)
