"""What Parameter Store's operations share: the rules of parameter names and paths, ARNs,
references (a name, an ARN, either with a ``:version`` selector), finding a parameter —
the caller's own, stored per account and region, or one of AWS's public ones
(``/aws/service/...``, from :mod:`ec2emu.services.shared.public_images`) — and the wire
views.

Choices AWS's documentation leaves open:

* a name is one level (``db-host``) or a path of at most 15 levels (``/app/db/host``),
  each level of letters, digits and ``.-_``; a first level beginning with ``aws`` or
  ``ssm`` (any case) is AWS's, refused for users' parameters as AWS refuses it;
* an ARN reference names the parameter after ``parameter`` (``parameter/app/db`` is
  ``/app/db``, or ``app/db``'s one-level sibling when no such path exists); an ARN of
  another account or region names nothing here;
* a selector that is not a number is a label; no parameter has labels here, so it names
  no version (``ParameterVersionNotFound``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.public_images import PUBLIC_PREFIX, PublicParameter, public_parameter
from ec2emu.services.ssm.errors import (
    hierarchy_too_deep,
    invalid_name,
    invalid_path,
    not_fully_qualified,
    version_not_found,
)

LEVEL = re.compile(r"[A-Za-z0-9_.\-]+")
MAX_LEVELS = 15
VERSION = re.compile(r"[1-9][0-9]{0,8}")
STRING, STRING_LIST, SECURE_STRING = "String", "StringList", "SecureString"
TEXT, IMAGE = "text", "aws:ec2:image"
STANDARD = "Standard"


def version_number(selector: str) -> int | None:
    """The version a selector names (``None``: a label, or no version there can be)."""
    if not VERSION.fullmatch(selector):
        return None
    return int(selector)


def check_name(name: str) -> None:
    """Refuse a name users may not give their own parameter."""
    if "/" in name and not name.startswith("/"):
        raise not_fully_qualified()
    levels = name[1:].split("/") if name.startswith("/") else [name]
    if not all(LEVEL.fullmatch(level) for level in levels):
        raise invalid_name()
    if levels[0].lower().startswith(("aws", "ssm")):
        raise invalid_name()
    if len(levels) > MAX_LEVELS:
        raise hierarchy_too_deep()


def check_path(path: str) -> str:
    """A path as GetParametersByPath and a ``Path`` filter take it (``/`` or ``/a/b``,
    a trailing ``/`` allowed), without its trailing ``/``."""
    trimmed = path.rstrip("/")
    levels = trimmed[1:].split("/") if trimmed else []
    if not path.startswith("/") or not all(LEVEL.fullmatch(level) for level in levels):
        raise invalid_path(path)
    if len(levels) > MAX_LEVELS:
        raise hierarchy_too_deep()
    return trimmed


def parameter_arn(region: str, account_id: str, name: str) -> str:
    """``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`` (a public parameter's has no account)."""
    return f"arn:aws:ssm:{region}:{account_id}:parameter{name if name.startswith('/') else '/' + name}"


def is_public(name: str) -> bool:
    return name.startswith(PUBLIC_PREFIX)


def split_reference(ctx: RequestContext, reference: str) -> tuple[list[str], str | None]:
    """The names ``reference`` may mean (an ARN's two readings, most likely first) and its
    selector (``None``: the latest version)."""
    selector: str | None = None
    text = reference
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        if len(parts) < 6 or not parts[5].startswith("parameter/"):
            return [], None
        region, account, rest = parts[3], parts[4], parts[5][len("parameter"):]
        if ":" in rest:
            rest, selector = rest.rsplit(":", 1)
        if region != ctx.region or account not in (ctx.account_id, ""):
            return [], selector
        return [rest, rest[1:]], selector
    if ":" in text:
        text, selector = text.rsplit(":", 1)
    return [text], selector


def find(ctx: RequestContext, reference: str) -> dict[str, Any] | None:
    """The version of the parameter ``reference`` names (its row, the public parameter's
    as a row, with ``selector`` set when one was given), or ``None`` when the parameter
    does not exist; a version that does not exist raises ``ParameterVersionNotFound``."""
    names, selector = split_reference(ctx, reference)
    for name in names:
        row = current(ctx, name)
        if row is None:
            continue
        if selector is None:
            return row
        version = version_number(selector)
        if version is None:
            raise version_not_found(name, selector)
        if row["version"] != version:
            if row.get("public"):
                raise version_not_found(name, selector)
            kept = ctx.uow.ssm_parameters.version(ctx.account_id, ctx.region, name, version)
            if kept is None:
                raise version_not_found(name, selector)
            row = {**kept, "tags": row["tags"]}
        return {**row, "selector": f":{selector}"}
    return None


def current(ctx: RequestContext, name: str) -> dict[str, Any] | None:
    """The latest version of the parameter ``name``: public, or this account's here."""
    if is_public(name):
        found = public_parameter(ctx.region, name)
        return None if found is None else public_row(ctx, found)
    return ctx.uow.ssm_parameters.get(ctx.account_id, ctx.region, name)


def public_row(ctx: RequestContext, found: PublicParameter) -> dict[str, Any]:
    """A public parameter as a stored row reads."""
    return {"account_id": "", "region": ctx.region, "name": found.name, "version": found.version,
            "parameter_type": STRING, "value": found.value, "data_type": found.data_type, "description": "",
            "allowed_pattern": None, "tier": STANDARD, "last_modified": found.last_modified,
            "last_modified_user": "", "tags": [], "public": True}


def moment(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(seconds, 3), dt.timezone.utc)


def arn_of(ctx: RequestContext, row: dict[str, Any]) -> str:
    return parameter_arn(ctx.region, row["account_id"], row["name"])


def value_view(ctx: RequestContext, row: dict[str, Any]) -> dict[str, Any]:
    """A parameter with its value, as GetParameter(s) and GetParametersByPath answer it."""
    view: dict[str, Any] = {
        "Name": row["name"], "Type": row["parameter_type"], "Value": row["value"], "Version": row["version"],
        "LastModifiedDate": moment(row["last_modified"]), "ARN": arn_of(ctx, row), "DataType": row["data_type"],
    }
    if row.get("selector"):
        view["Selector"] = row["selector"]
    return view


def metadata_view(ctx: RequestContext, row: dict[str, Any]) -> dict[str, Any]:
    """A parameter without its value, as DescribeParameters answers it."""
    view: dict[str, Any] = {
        "Name": row["name"], "ARN": arn_of(ctx, row), "Type": row["parameter_type"],
        "LastModifiedDate": moment(row["last_modified"]), "LastModifiedUser": row["last_modified_user"],
        "Version": row["version"], "Tier": row["tier"], "Policies": [], "DataType": row["data_type"],
    }
    if row["description"]:
        view["Description"] = row["description"]
    if row["allowed_pattern"] is not None:
        view["AllowedPattern"] = row["allowed_pattern"]
    return view


def history_view(row: dict[str, Any]) -> dict[str, Any]:
    """One kept version, as GetParameterHistory answers it."""
    view: dict[str, Any] = {
        "Name": row["name"], "Type": row["parameter_type"], "Value": row["value"], "Version": row["version"],
        "LastModifiedDate": moment(row["last_modified"]), "LastModifiedUser": row["last_modified_user"],
        "Labels": [], "Tier": row["tier"], "Policies": [], "DataType": row["data_type"],
    }
    if row["description"]:
        view["Description"] = row["description"]
    if row["allowed_pattern"] is not None:
        view["AllowedPattern"] = row["allowed_pattern"]
    return view
