"""Routing: which controller function answers a method and path, and what it gets.

Controllers register their functions with `route`; `dispatch_api` finds the
function for a request, checks the token when the route needs one, reads the
JSON body, and turns the errors a controller raises into answers.
"""

from __future__ import annotations

import json
import re

from .common import DESKTOP_ADMIN, ApiError, HttpStatus, Reply, api_error_reply, reject_json_constant
from .store import ClickStore


class Route:
    """One method of one path: its handler and what it needs."""

    def __init__(self, handler, needs_token: bool, json_body: bool):
        self.handler = handler
        self.needs_token = needs_token
        self.json_body = json_body


API_ROUTES = {}  # exact path -> {method: Route}
# Documented routes that not every agent in the field serves: with the
# older_agent setting they are answered as an agent without them answers, a bare 404.
OLDER_AGENT_LACKS = ("/cloud/account", "/user/package_inquiry", "/authentication/user")
API_TEMPLATES = []  # (regex of a path with {name} segments, {method: Route})


def route(method: str, path: str, needs_token: bool = True, json_body: bool = False):
    """Register an API handler for `method path`; a `{name}` segment matches one path segment."""
    def register(handler):
        if "{" not in path:
            API_ROUTES.setdefault(path, {})[method] = Route(handler, needs_token, json_body)
            return handler
        pattern = re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")
        methods = next((methods for known, methods in API_TEMPLATES if known.pattern == pattern.pattern), None)
        if methods is None:
            methods = {}
            API_TEMPLATES.append((pattern, methods))
        methods[method] = Route(handler, needs_token, json_body)
        return handler
    return register


def find_route(path: str) -> tuple:
    """The methods served at a path and the values of its {name} segments; (None, {}) when none."""
    if path in API_ROUTES:
        return API_ROUTES[path], {}
    for pattern, methods in API_TEMPLATES:
        match = pattern.match(path)
        if match:
            return methods, match.groupdict()
    return None, {}


class ApiRequest:
    """What a handler gets: the store, the agent, the query, the JSON body and the caller."""

    def __init__(self, store: ClickStore, port: int, query: dict, headers, raw_body: bytes):
        self.store = store
        self.port = port
        self.query = query
        self.headers = headers
        self.raw_body = raw_body
        self.json = None
        self.path_params = {}  # values of the route's {name} segments
        self.user = {}  # the caller, once the token is checked
        self.token = None

    @property
    def agent(self) -> dict:
        """The local state of the agent this request was sent to."""
        return self.store.agents[self.port]

    def require_admin(self) -> None:
        """Writes need a DesktopAdmin (the stricter reading of an undocumented rule)."""
        if self.user["userType"] != DESKTOP_ADMIN:
            raise ApiError("ACCESS", "Access denied: only a DesktopAdmin may change the account's drives, groups, projects, "
                                     "cloud accounts and who reaches them.")


def parse_json_body(request: ApiRequest):
    """Like ASP.NET [FromBody]: a non-JSON content type is 415, bad JSON is 499 DEFAULT."""
    media_type = request.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HttpStatus(415)
    if not request.raw_body.strip():
        raise ApiError("DEFAULT", "A non-empty request body is required.")
    try:
        return json.loads(request.raw_body.decode("utf-8"), parse_constant=reject_json_constant)
    except (UnicodeDecodeError, ValueError):
        raise ApiError("DEFAULT", "The request body is not valid JSON.") from None


def dispatch_api(store: ClickStore, method: str, path: str, request: ApiRequest, inject_exception: bool = False) -> Reply:
    """Route one API request: 404 unknown path, 405 wrong method, 401 bad token, then the handler.

    Paths are matched exactly (lowercase, no trailing slash): the stricter
    reading, since the agent's routing case rules are undocumented.
    """
    if path in OLDER_AGENT_LACKS and store.settings.get("older_agent"):
        return Reply(404)
    methods, request.path_params = find_route(path)
    if methods is None:
        return Reply(404)
    selected = methods.get(method)
    if selected is None:
        return Reply(405, headers={"Allow": ", ".join(sorted(methods))})
    try:
        with store.lock:
            if selected.needs_token:
                request.token = request.query.get("token")
                request.user = store.authenticate(request.token)
            if inject_exception:
                raise RuntimeError("fault injected by /_emulator/faults")
            if selected.json_body:
                request.json = parse_json_body(request)
            return selected.handler(request)
    except ApiError as err:
        return api_error_reply(err)
    except HttpStatus as err:
        return Reply(err.status)
