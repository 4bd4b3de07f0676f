"""What a request brings: query parameters, paging, sorting and request bodies, validated."""

from __future__ import annotations

from .common import (
    CLOUD_TYPE_NAMES, DEFAULT_PAGE_SIZE, DRIVE_USER_FIELDS, GROUP_NAME_MAX_LENGTH, INT_PATTERN, JSON_TYPE_NAMES, KEYED_CLOUD_TYPES, NAME_MAX_LENGTH,
    READ, READ_WRITE, SERVICE_URL_CLOUD_TYPES, ApiError, has_json_type, is_int, is_uuid,
)

# ---------------------------------------------------------------------------
# Query parameters and paging
# ---------------------------------------------------------------------------


class Paging:
    """Validated page, page size and sort order of one list request."""

    def __init__(self, page: int, page_size: int, sort_field: str, descending: bool):
        self.page = page
        self.page_size = page_size
        self.sort_field = sort_field
        self.descending = descending


def positive_int_param(query: dict, name: str, default: int) -> int:
    """Read an int >= 1; anything else (text, 0, negative, empty) is a 499 DEFAULT."""
    raw = query.get(name)
    if raw is None:
        return default
    if not INT_PATTERN.match(raw.strip()) or int(raw) < 1:
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for {name}.")
    return int(raw)


def bool_param(query: dict, name: str, default: bool) -> bool:
    """Read true/false (any case), like .NET's bool binder; 1/0/yes are rejected."""
    raw = query.get(name)
    if raw is None:
        return default
    if raw.strip().lower() not in ("true", "false"):
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for {name}.")
    return raw.strip().lower() == "true"


def uuid_param(query: dict, name: str) -> str:
    """Read a required uuid query parameter (lowercased)."""
    raw = query.get(name)
    if not raw:
        raise ApiError("DEFAULT", f"The {name} field is required.")
    if not is_uuid(raw):
        raise ApiError("DEFAULT", f"The value '{raw}' is not valid for {name}.")
    return raw.lower()


def parse_paging(query: dict, sort_keys: dict, default_sort: str, default_descending: bool, max_page_size: int) -> Paging:
    """Validate page/pagesize/sortfield/descending.

    The page size is silently capped at max_page_size (options.pageSize tells the
    truth), so a client asking for a huge page must still follow the pages.
    """
    page = positive_int_param(query, "page", 1)
    page_size = min(positive_int_param(query, "pagesize", DEFAULT_PAGE_SIZE), max_page_size)
    wanted = query.get("sortfield") or default_sort
    by_lower = {field.lower(): field for field in sort_keys}
    if wanted.lower() not in by_lower:
        raise ApiError("DEFAULT", f"The sort field '{wanted}' is not supported; use one of: {', '.join(sort_keys)}.")
    return Paging(page, page_size, by_lower[wanted.lower()], bool_param(query, "descending", default_descending))


def paginate(items: list, paging: Paging, sort_keys: dict, view) -> dict:
    """Sort, cut one page and wrap it in a DTOCollection; total counts every match."""
    key = sort_keys[paging.sort_field]
    ordered = sorted(items, key=lambda item: (key(item), item["_order"]), reverse=paging.descending)
    start = (paging.page - 1) * paging.page_size
    return {
        "data": [view(item) for item in ordered[start:start + paging.page_size]],
        "total": len(ordered),
        "options": {"page": paging.page, "pageSize": paging.page_size,
                    "sort": [{"field": paging.sort_field, "descending": paging.descending}]},
    }


# Sort fields of lists of named records (groups, projects).
NAMED_SORTS = {"Name": lambda record: record["name"].casefold(), "CreateDate": lambda record: record["createDate"]}


def contains_casefold(text, needle) -> bool:
    """Case-insensitive substring match; an empty or absent needle matches everything."""
    return not needle or needle.casefold() in (text or "").casefold()


# ---------------------------------------------------------------------------
# Request body validation
# ---------------------------------------------------------------------------


def require_object(body) -> dict:
    """The body must be a JSON object."""
    if not isinstance(body, dict):
        raise ApiError("DEFAULT", "The request body must be a JSON object.")
    return body


def named_record_fields(body, require_id: bool) -> tuple:
    """Check a user group or project insert/update body; return (id or None, {name, description, active}).

    Update is a full replace: an omitted description becomes null, an omitted active true.
    """
    body = require_object(body)
    errors = []
    record_id = None
    if require_id:
        record_id = body.get("id")
        if not is_uuid(record_id):
            errors.append("The id field is required and must be a uuid.")
        else:
            record_id = record_id.lower()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append("The name field is required.")
    elif len(name) > GROUP_NAME_MAX_LENGTH:
        errors.append(f"The name field must be at most {GROUP_NAME_MAX_LENGTH} characters long.")
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        errors.append("The JSON value of field 'description' must be a string.")
    active = body.get("active", True)
    if not isinstance(active, bool):
        errors.append("The JSON value of field 'active' must be a boolean.")
    if errors:
        raise ApiError("DEFAULT", *errors)
    return record_id, {"name": name, "description": description, "active": active}


def validate_drive_body(body, require_id: bool) -> tuple:
    """Check a SharedCloudDrive insert/update body; return (id or None, user fields).

    Unknown keys and the server-owned keys (id on insert, accountId,
    creatorUserId, deleted, cloudAccount) are ignored, as ASP.NET ignores them.
    An explicit null for prefix/prefixId/storageId is kept as null (a .NET string
    may be null), so clients must treat null and "" alike.
    """
    body = require_object(body)
    errors = []
    drive_id = None
    if require_id:
        drive_id = body.get("id")
        if drive_id is None:
            errors.append("The id field is required.")
        elif not is_uuid(drive_id):
            errors.append("The id field must be a uuid.")
        else:
            drive_id = drive_id.lower()
    fields = {}
    for field, (kind, default) in DRIVE_USER_FIELDS.items():
        value = body.get(field, default)
        if value is None and kind is str:
            fields[field] = None
        elif has_json_type(value, kind):
            fields[field] = value
        else:
            errors.append(f"The JSON value of field '{field}' must be {JSON_TYPE_NAMES[kind]}.")
    errors.extend(drive_field_errors(fields))
    if errors:
        raise ApiError("DEFAULT", *errors)
    fields["cloudAccountId"] = fields["cloudAccountId"].lower()
    return drive_id, fields


def drive_field_errors(fields: dict) -> list:
    """Value checks for the fields that had the right JSON type."""
    errors = []
    if "name" in fields:
        name = fields["name"]
        if name is None:
            errors.append("The name field is required.")
        elif not name.strip():
            errors.append("The name field must not be empty.")
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(f"The name field must be at most {NAME_MAX_LENGTH} characters long.")
    if "cloudAccountId" in fields:
        if fields["cloudAccountId"] is None:
            errors.append("The cloudAccountId field is required.")
        elif not is_uuid(fields["cloudAccountId"]):
            errors.append("The cloudAccountId field must be a uuid.")
    if "storageName" in fields and (fields["storageName"] is None or not fields["storageName"].strip()):
        errors.append("The storageName field is required.")
    if is_int(fields.get("objectsPerFolder")) and fields["objectsPerFolder"] < 1:
        errors.append("The objectsPerFolder field must be at least 1.")
    if is_int(fields.get("driveType")) and fields["driveType"] not in (1, 2):
        errors.append("The driveType field must be 1 (VirtualDrive) or 2 (LocalPath).")
    if is_int(fields.get("syncType")) and fields["syncType"] not in (1, 2):
        errors.append("The syncType field must be 1 (Stream) or 2 (Mirror).")
    return errors


def parse_link_items(body, uuid_keys: tuple, with_permission: bool) -> list:
    """Validate an array body of link objects (permissions, project assignments)."""
    if not isinstance(body, list):
        raise ApiError("DEFAULT", "The request body must be a JSON array.")
    errors = []
    items = []
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            errors.append(f"Item {index} must be a JSON object.")
            continue
        for key in uuid_keys:
            if not is_uuid(item.get(key)):
                errors.append(f"Item {index}: the {key} field is required and must be a uuid.")
        if with_permission and (not is_int(item.get("permissionType")) or item["permissionType"] not in (READ, READ_WRITE)):
            errors.append(f"Item {index}: the permissionType field must be 1 (Read) or 2 (ReadWrite).")
        items.append(item)
    if errors:
        raise ApiError("DEFAULT", *errors)
    parsed = []
    for item in items:
        link = {key: item[key].lower() for key in uuid_keys}
        if with_permission:
            link["permissionType"] = item["permissionType"]
        parsed.append(link)
    return parsed


# The insert_account body: JSON type of each field (strings may be null).
CLOUD_ACCOUNT_INSERT_TYPES = {"name": str, "cloudType": int, "region": str, "endpoint": str, "accessKey": str, "secretKey": str,
                              "serviceUrl": str, "shared": bool}
# The CloudAccount fields manage_share binds (the full object is sent; only `shared` is kept).
CLOUD_ACCOUNT_TYPES = {"id": str, "accountId": str, "userId": str, "cloudType": int, "name": str, "accessKey": str, "secretKey": str,
                       "credentialsData": str, "serviceUrl": str, "active": bool, "shared": bool, "internalStorage": bool,
                       "storageTier": int, "deleted": bool}


def json_type_errors(body: dict, types: dict) -> list:
    """A message for each present, non-null field of the wrong JSON type."""
    return [f"The JSON value of field '{key}' must be {JSON_TYPE_NAMES[kind]}." for key, kind in types.items()
            if body.get(key) is not None and not has_json_type(body[key], kind)]


def cloud_account_fields(body) -> dict:
    """Check an insert_account body; return its fields (absent strings None, "" as None, shared False).

    Required: name (at most 50), cloudType (one documented provider), accessKey and
    secretKey for the S3-compatible providers, serviceUrl for S3Generic, LocalHttp
    and FastrServer.  Unknown keys are ignored.
    """
    body = require_object(body)
    errors = json_type_errors(body, CLOUD_ACCOUNT_INSERT_TYPES)
    if errors:
        raise ApiError("DEFAULT", *errors)
    fields = {key: body.get(key) or None for key in ("name", "region", "endpoint", "accessKey", "secretKey", "serviceUrl")}
    fields["cloudType"] = body.get("cloudType")
    fields["shared"] = bool(body.get("shared"))
    name = fields["name"]
    if name is None or not name.strip():
        errors.append("The name field is required.")
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(f"The name field must be at most {NAME_MAX_LENGTH} characters long.")
    cloud_type = fields["cloudType"]
    if cloud_type not in CLOUD_TYPE_NAMES:
        errors.append("The cloudType field must be one CloudProvider value: "
                      + ", ".join(f"{value} ({label})" for value, label in CLOUD_TYPE_NAMES.items()) + ".")
    provider = CLOUD_TYPE_NAMES.get(cloud_type)
    if cloud_type in KEYED_CLOUD_TYPES:
        errors.extend(f"The {key} field is required for {provider}." for key in ("accessKey", "secretKey") if not fields[key])
    if cloud_type in SERVICE_URL_CLOUD_TYPES and not fields["serviceUrl"]:
        errors.append(f"The serviceUrl field is required for {provider}.")
    if errors:
        raise ApiError("DEFAULT", *errors)
    return fields
