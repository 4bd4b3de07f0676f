"""Cloud controller: the account's cloud accounts (/cloud/accounts, /cloud/account)."""

from __future__ import annotations

from ..common import ApiError, Reply
from ..params import uuid_param
from ..routing import ApiRequest, route


@route("GET", "/cloud/accounts")
def cloud_accounts(req: ApiRequest) -> Reply:
    """Live, active cloud accounts as a bare array, credentials masked."""
    accounts = sorted((account for account in req.store.cloud_accounts.values() if account["active"] and not account["deleted"]),
                      key=lambda account: account["_order"])
    return Reply(200, [req.store.cloud_account_view(account) for account in accounts])


@route("GET", "/cloud/account")
def cloud_account(req: ApiRequest) -> Reply:
    """One cloud account by ?id=, credentials masked; inactive ones too, deleted or unknown ones are NOT_FOUND."""
    account = req.store.cloud_accounts.get(uuid_param(req.query, "id"))
    if account is None or account["deleted"]:
        raise ApiError("NOT_FOUND", "Cloud account not found.")
    return Reply(200, req.store.cloud_account_view(account))
