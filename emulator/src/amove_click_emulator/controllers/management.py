"""Management controller: the agent itself, its life cycle and its local drive list (/management/*, no token)."""

from __future__ import annotations

from ..common import AGENT_COMMANDS, AGENT_DISPOSED, AGENT_PAUSED, AGENT_STARTED, AGENT_STOPPED, INT_PATTERN, USER_STATUS_ACTIVE, ApiError, HttpStatus, Reply
from ..routing import ApiRequest, route


@route("GET", "/management/agent_status", needs_token=False)
def agent_status(req: ApiRequest) -> Reply:
    """A bare integer, not an object."""
    return Reply(200, req.agent["status"])


@route("POST", "/management/command/{cmd}", needs_token=False)
def agent_command(req: ApiRequest) -> Reply:
    """Drive the agent's life cycle; only Start takes a token (to load the user it signs in).

    Start (0) signs in the token's user and starts the agent from any status.
    Resume (4) starts a created, stopped or paused agent again (a started one stays so).
    Pause (2) pauses a started agent.  Dispose (1) forgets the local drive list:
    only Start brings a disposed agent back.  Exit (8) stops the agent (the
    emulator keeps answering, with status Stopped).  Pause and Resume of a
    disposed agent are 499 DISPOSED; Pause of an agent that is not started is
    499 DEFAULT.  An unknown command is 499 DEFAULT.
    """
    raw = req.path_params["cmd"]
    command = int(raw) if INT_PATTERN.match(raw) else AGENT_COMMANDS.get(raw.lower())
    if command not in AGENT_COMMANDS.values():
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for cmd.")
    agent = req.agent
    if command == AGENT_COMMANDS["start"]:
        req.token = req.query.get("token")
        user = req.store.authenticate(req.token)
        if user["status"] != USER_STATUS_ACTIVE:
            raise ApiError("INACTIVE_USER", "The user is not active.")
        agent.update(status=AGENT_STARTED, userId=user["id"])
    elif command == AGENT_COMMANDS["dispose"]:
        agent.update(status=AGENT_DISPOSED, clouddrives=[])
    elif command == AGENT_COMMANDS["exit"]:
        agent["status"] = AGENT_STOPPED
    elif agent["status"] == AGENT_DISPOSED:
        raise ApiError("DISPOSED", "The agent is disposed: start it with a token.")
    elif command == AGENT_COMMANDS["resume"]:
        agent["status"] = AGENT_STARTED
    elif agent["status"] in (AGENT_STARTED, AGENT_PAUSED):  # pause
        agent["status"] = AGENT_PAUSED
    else:
        raise ApiError("DEFAULT", "The agent is not started.")
    return Reply(200)


@route("POST", "/management/sync_shareddrive", needs_token=False)
def sync_shared_drives(req: ApiRequest) -> Reply:
    """Refresh this agent's local drive list; only a started agent can sync."""
    if req.agent["status"] != AGENT_STARTED:
        raise ApiError("SYNC", "Agent is not started.")
    req.store.sync_agent(req.agent)
    return Reply(200)


@route("GET", "/management/clouddrive", needs_token=False)
def local_cloud_drives(req: ApiRequest) -> Reply:
    """This agent's local drives (a bare array); ?path= keeps the drive owning that path."""
    entries = req.agent["clouddrives"]
    path = req.query.get("path")
    if path:
        entries = [entry for entry in entries if path.lower().startswith(entry["localPath"].lower())]
    return Reply(200, [dict(entry) for entry in entries])


@route("GET", "/management/clouddrive/sync/{id}", needs_token=False)
def sync_local_drive(req: ApiRequest) -> Reply:
    """An immediate sync pass of one local drive (?path=, default /): 404 without a body for an unknown id.

    The id is the local drive's own id, not its shared drive's.  A known drive on
    an agent that is not started is 499 SYNC, like a shared-drive sync.
    """
    drive_id = req.path_params["id"].lower()
    if not any(entry["id"] == drive_id for entry in req.agent["clouddrives"]):
        raise HttpStatus(404)
    if req.agent["status"] != AGENT_STARTED:
        raise ApiError("SYNC", "Agent is not started.")
    return Reply(200)
