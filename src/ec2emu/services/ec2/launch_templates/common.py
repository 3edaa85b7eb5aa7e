"""What every launch-template call shares: names, look-ups by ID or name, versions named
by number or alias, the data as stored, and the views.

Choices AWS's documentation leaves open, made here:

* A name is 3–128 characters of ``[a-zA-Z0-9().\\-/_]`` (the model's pattern; one observed
  error text says 125, the model and a later observed text 128). A name that breaks the
  pattern answers ``InvalidLaunchTemplateName.MalformedException`` wherever a template is
  named, in look-ups as in creation.
* A call naming a template takes ``LaunchTemplateId`` or ``LaunchTemplateName``: neither
  answers ``MissingParameter``, both ``InvalidParameterCombination`` (AWS's texts are not
  on record; ours say which members).
* A version is a number from 1, ``$Latest`` or ``$Default``; omitted, the default. Any
  other text answers ``InvalidParameterValue``; a number the template does not have,
  ``InvalidLaunchTemplateId.VersionNotFound``.
* The data is kept as the caller gave it (JSON, AWS's member names; a timestamp as its
  ISO 8601 text) and answered in ``ResponseLaunchTemplateData``'s shape, which has the
  same members.
* ``CreatedBy`` is the caller's ARN (an account's root: ``arn:aws:iam::<account>:root``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ec2emu.services.ec2.launch_templates.errors import (
    bad_version,
    id_and_name,
    id_not_found,
    id_or_name,
    malformed_id,
    malformed_name,
    name_not_found,
    version_not_found,
)
from ec2emu.services.ec2.views import tagged, timestamp
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.lookups import ResourceKind, stored

Row = dict[str, Any]

NAME = re.compile(r"[a-zA-Z0-9().\-/_]{3,128}")
LATEST, DEFAULT = "$Latest", "$Default"
MAX_VERSIONS_PER_TEMPLATE = 10000
MAX_VERSION_NUMBER = 2**31 - 1  # what the store's version column holds; no template gets near it
_DIGITS = re.compile(r"[0-9]{1,40}")


def number_in(text: str) -> int | None:
    """The number a version text writes in ASCII decimal digits (``None`` for any other
    text: ``str.isdigit`` would also take other scripts' digits)."""
    return int(text) if _DIGITS.fullmatch(text) else None

TEMPLATES = ResourceKind("lt", malformed_id, lambda missing: id_not_found(missing[0]), stored("launch_templates"))


def check_name(name: Any) -> str:
    if not isinstance(name, str) or NAME.fullmatch(name) is None:
        raise malformed_name()
    return name


def created_by(ctx: RequestContext) -> str:
    principal = ctx.principal
    return principal.arn if principal is not None else f"arn:aws:iam::{ctx.account_id}:root"


def named_template(ctx: RequestContext, template_id: Any, name: Any) -> Row:
    """The template a call names by ``LaunchTemplateId`` or ``LaunchTemplateName``."""
    if template_id and name:
        raise id_and_name()
    if template_id:
        return TEMPLATES.one(ctx, template_id)
    if not name:
        raise id_or_name()
    found = ctx.uow.launch_templates.by_names(ctx.account_id, ctx.region, [check_name(name)])
    if name not in found:
        raise name_not_found(name)
    return dict(found[name])


def version_number(template: Row, version: Any) -> int:
    """The number a version names (omitted: the default), which the template may not have."""
    if version is None or version == DEFAULT:
        default: int = template["default_version"]
        return default
    if version == LATEST:
        latest: int = template["latest_version"]
        return latest
    text = str(version)
    number = number_in(text)
    if number is None or number < 1:
        raise bad_version(text)
    if number > MAX_VERSION_NUMBER:
        raise version_not_found(text, template["launch_template_id"])
    return number


def template_version(ctx: RequestContext, template: Row, version: Any) -> Row:
    """The version a call names, which must exist."""
    number = version_number(template, version)
    found = ctx.uow.launch_templates.versions(template["launch_template_id"], [number])
    if not found:
        raise version_not_found(version if version is not None else number, template["launch_template_id"])
    return found[0]


# --------------------------------------------------------------------------- data


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    raise TypeError(f"{type(value).__name__} is not template data")


def encode_data(data: dict[str, Any]) -> str:
    return json.dumps(data, default=_plain, separators=(",", ":"), sort_keys=True)


def decode_data(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


# --------------------------------------------------------------------------- views


def iso(seconds: float) -> str:
    """A stored time as EC2's filters take it (``2026-01-02T03:04:05.000Z``)."""
    text: str = _plain(timestamp(seconds))
    return text


def template_view(row: Row, tags: list[tuple[str, str]] | None) -> dict[str, Any]:
    view = {
        "LaunchTemplateId": row["launch_template_id"],
        "LaunchTemplateName": row["launch_template_name"],
        "CreateTime": timestamp(row["create_time"]),
        "CreatedBy": row["created_by"],
        "DefaultVersionNumber": row["default_version"],
        "LatestVersionNumber": row["latest_version"],
    }
    return tagged(view, tags)


def version_view(template: Row, version: Row) -> dict[str, Any]:
    view = {
        "LaunchTemplateId": template["launch_template_id"],
        "LaunchTemplateName": template["launch_template_name"],
        "VersionNumber": version["version_number"],
        "CreateTime": timestamp(version["create_time"]),
        "CreatedBy": version["created_by"],
        "DefaultVersion": version["version_number"] == template["default_version"],
        "LaunchTemplateData": decode_data(version["data"]),
    }
    if version["version_description"] is not None:
        view["VersionDescription"] = version["version_description"]
    return view
