"""Users' own parameters: PutParameter, DeleteParameter and DeleteParameters.

PutParameter makes version 1 of a new parameter, or — with ``Overwrite`` — the next
version of an existing one (the last 100 versions are kept). ``String`` and
``StringList`` are served; ``SecureString`` is refused by name
(``UnsupportedParameterType``: no KMS here), and so are ``KeyId`` and ``Policies``
(``ValidationException`` naming them) and a ``Tier`` other than ``Standard``.

Choices AWS's documentation leaves open:

* ``DataType`` ``aws:ec2:image`` is checked when the parameter is put, not afterwards
  (AWS validates asynchronously and drops a parameter that fails): the value must be an
  ``ami-`` ID of a public image or of an available image of the caller's account in the
  region, else ``ValidationException``;
* an overwrite without ``Type`` keeps the parameter's type; without ``Description`` or
  ``AllowedPattern`` it keeps the parameter's; ``DataType`` defaults to ``text`` each time;
* ``AllowedPattern`` must match the whole value (for a ``StringList``, the whole list); an
  empty one is none;
* tags are given when a parameter is made (``Tags`` with ``Overwrite`` is AWS's
  ``ValidationException``); at most 50.
"""

from __future__ import annotations

import re
from typing import Any

from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.public_images import public_image_ids
from ec2emu.services.ssm.common import (
    IMAGE,
    SECURE_STRING,
    STANDARD,
    STRING,
    TEXT,
    check_name,
)
from ec2emu.services.ssm.errors import (
    already_exists,
    image_data_type_for_string,
    invalid_allowed_pattern,
    not_an_image,
    parameter_not_found,
    pattern_mismatch,
    tags_with_overwrite,
    too_many_tags,
    type_required,
    unsupported_data_type,
    unsupported_type,
    value_too_long,
)
from ec2emu.services.ssm.service import operation

MAX_VALUE = 4096
MAX_TAGS = 50
IMAGE_ID = re.compile(r"ami-([0-9a-f]{8}|[0-9a-f]{17})")


def _check_pattern(pattern: str, value: str) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error:
        raise invalid_allowed_pattern(pattern) from None
    if compiled.fullmatch(value) is None:
        raise pattern_mismatch(pattern)


def _check_image(ctx: RequestContext, value: str) -> None:
    """An ``aws:ec2:image`` value: a public image's ID, or an available image of the caller's."""
    if not IMAGE_ID.fullmatch(value):
        raise not_an_image(value)
    if value in public_image_ids(ctx.region):
        return
    row = ctx.uow.images.get(ctx.region, [value]).get(value)
    if row is None or row["account_id"] != ctx.account_id or row["state"] != "available":
        raise not_an_image(value)


def tag_pairs(tags: list[dict[str, Any]] | None) -> list[list[str]]:
    """Tags as stored: ``[key, value]`` pairs, a later key replacing an earlier one."""
    pairs = {str(tag["Key"]): str(tag.get("Value", "")) for tag in tags or []}
    if len(pairs) > MAX_TAGS:
        raise too_many_tags()
    return [[key, value] for key, value in pairs.items()]


@operation("PutParameter", refuses=("KeyId", "Policies"), defaults={"Tier": STANDARD})
def put_parameter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name, value = params["Name"], params["Value"]
    check_name(name)
    kind = params.get("Type")
    if kind == SECURE_STRING:
        raise unsupported_type(kind)
    if len(value) > MAX_VALUE:
        raise value_too_long()
    overwrite = bool(params.get("Overwrite", False))
    if overwrite and params.get("Tags"):
        raise tags_with_overwrite()
    repository = ctx.uow.ssm_parameters
    existing = repository.get(ctx.account_id, ctx.region, name)
    if existing is not None and not overwrite:
        raise already_exists()
    if kind is None:
        if existing is None:
            raise type_required()
        kind = existing["parameter_type"]
    data_type = params.get("DataType", TEXT)
    if data_type not in (TEXT, IMAGE):
        raise unsupported_data_type(data_type)
    if data_type == IMAGE:
        if kind != STRING:
            raise image_data_type_for_string()
        _check_image(ctx, value)
    pattern = params.get("AllowedPattern", existing["allowed_pattern"] if existing else None) or None
    if pattern is not None:
        _check_pattern(pattern, value)
    tags = existing["tags"] if existing is not None else tag_pairs(params.get("Tags"))
    description = params.get("Description", existing["description"] if existing else "")
    version = existing["version"] + 1 if existing is not None else 1
    principal = ctx.principal
    repository.put({
        "account_id": ctx.account_id, "region": ctx.region, "name": name, "version": version,
        "parameter_type": kind, "value": value, "data_type": data_type, "description": description,
        "allowed_pattern": pattern, "tier": STANDARD, "last_modified": ctx.now_ts,
        "last_modified_user": principal.arn if principal is not None else "", "tags": tags,
    })
    return {"Version": version, "Tier": STANDARD}


@operation("DeleteParameter")
def delete_parameter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Name"]
    repository = ctx.uow.ssm_parameters
    if repository.get(ctx.account_id, ctx.region, name) is None:
        raise parameter_not_found()
    repository.delete(ctx.account_id, ctx.region, [name])
    return {}


@operation("DeleteParameters")
def delete_parameters(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    names = list(dict.fromkeys(params["Names"]))
    repository = ctx.uow.ssm_parameters
    found = repository.by_names(ctx.account_id, ctx.region, names)
    repository.delete(ctx.account_id, ctx.region, list(found))
    return {"DeletedParameters": [name for name in names if name in found],
            "InvalidParameters": [name for name in names if name not in found]}
