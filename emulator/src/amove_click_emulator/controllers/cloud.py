"""Cloud controller: the account's cloud accounts (/cloud/accounts, /cloud/account, insert_account, manage_share, delete).

Keys are never answered in clear (see ClickStore.cloud_account_view).  The
agent checks new keys with the provider before saving; the emulator's stand-in
for that check refuses the keys listed in the invalid_keys setting.  There is
no route that changes a cloud account's name, type or keys: manage_share keeps
only `shared`.
"""

from __future__ import annotations

from ..common import (
    CLOUD_TYPE_NAMES, CREDENTIALS_REFUSED, SIGN_IN_CLOUD_TYPES, STORAGE_TIER_GLOBAL, UNEMULATED_CLOUD_TYPES, ApiError, Reply, is_uuid, new_id,
)
from ..params import CLOUD_ACCOUNT_TYPES, cloud_account_fields, json_type_errors, require_object, uuid_param
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


@route("POST", "/cloud/insert_account", json_body=True)
def insert_account(req: ApiRequest) -> Reply:
    """Add a cloud account owned by the caller; answers the stored CloudAccount, keys masked.

    Names need not be unique (no document says they must).  region and endpoint
    are taken but are not fields of CloudAccount: they are never answered.
    """
    req.require_admin()
    store = req.store
    fields = cloud_account_fields(req.json)
    provider = CLOUD_TYPE_NAMES[fields["cloudType"]]
    if fields["cloudType"] in SIGN_IN_CLOUD_TYPES:
        raise ApiError("DEFAULT", f"{provider} accounts are connected through the provider's sign-in in the Amove app "
                                  "(credentialsData), not with keys.")
    if fields["cloudType"] in UNEMULATED_CLOUD_TYPES:
        raise ApiError("DEFAULT", f"The emulator does not make {provider} cloud accounts.")
    refused = set(store.settings["invalid_keys"])
    if fields["accessKey"] in refused or fields["secretKey"] in refused:
        raise ApiError("DEFAULT", CREDENTIALS_REFUSED)
    account = store.add_record(store.cloud_accounts, dict(
        fields, id=new_id(), accountId=store.account["id"], userId=req.user["id"], credentialsData=None, active=True,
        internalStorage=False, storageTier=STORAGE_TIER_GLOBAL, deleted=False))
    return Reply(200, store.cloud_account_view(account))


@route("PUT", "/cloud/manage_share", json_body=True)
def manage_share(req: ApiRequest) -> Reply:
    """Body: the full CloudAccount; only `shared` is kept (an omitted one is false).  Only its owner may change it."""
    req.require_admin()
    body = require_object(req.json)
    errors = json_type_errors(body, CLOUD_ACCOUNT_TYPES)
    if not is_uuid(body.get("id")):
        errors.append("The id field is required and must be a uuid.")
    if errors:
        raise ApiError("DEFAULT", *errors)
    account = req.store.cloud_accounts.get(body["id"].lower())
    if account is None or account["deleted"]:
        raise ApiError("NOT_FOUND", "Cloud account not found.")
    if account["userId"] != req.user["id"]:
        raise ApiError("ACCESS", "Access denied: only the owner of a cloud account may change its sharing.")
    account["shared"] = bool(body.get("shared"))
    return Reply(200)


@route("DELETE", "/cloud/delete")
def delete_account(req: ApiRequest) -> Reply:
    """Soft delete; answers `true`.  Unknown, deleted or another user's account: 499 Global "Object not found." (as documented).

    The drives made on it are left as they are (no document says what becomes of them).
    """
    req.require_admin()
    account = req.store.cloud_accounts.get(uuid_param(req.query, "id"))
    if account is None or account["deleted"] or account["userId"] != req.user["id"]:
        raise ApiError("Global", "Object not found.")
    account["deleted"] = True
    return Reply(200, True)
