"""Tag rules shared by CreateTags and the TagSpecifications of create calls, and the
caller's tags on the views of resources that are not stored per account (built-in ones).

EC2's limits: keys 1–128 characters, values up to 256, at most 50 tags per resource,
and keys starting with ``aws:`` are reserved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ec2emu.errors import empty_tag_key, invalid_parameter_value, tag_limit_exceeded
from ec2emu.services.shared.context import RequestContext

MAX_TAGS_PER_RESOURCE = 50

# ID prefix -> resource type, as DescribeTags reports it.
RESOURCE_TYPES = {
    "i": "instance",
    "vol": "volume",
    "ami": "image",
    "snap": "snapshot",
    "vpc": "vpc",
    "subnet": "subnet",
    "sg": "security-group",
    "sgr": "security-group-rule",
    "key": "key-pair",
    "lt": "launch-template",
    "igw": "internet-gateway",
    "rtb": "route-table",
    "eipalloc": "elastic-ip",
    "eni": "network-interface",
    "r": "reservation",
}


def resource_type_of(resource_id: str) -> str | None:
    prefix = resource_id.split("-", 1)[0]
    return RESOURCE_TYPES.get(prefix) if "-" in resource_id else None


def check_tags(tags: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """Validated ``(key, value)`` pairs in order; a later duplicate key wins."""
    pairs: dict[str, str] = {}
    for tag in tags:
        key = tag.get("Key")
        value = tag.get("Value", "") or ""
        if key is None or key == "":
            raise empty_tag_key()
        if len(key) > 128:
            raise invalid_parameter_value(
                f"Tag key exceeds the maximum length of 128 characters: {key[:20]}..."
            )
        if len(value) > 256:
            raise invalid_parameter_value(
                f"Tag value exceeds the maximum length of 256 characters: {value[:20]}..."
            )
        if key.lower().startswith("aws:"):
            raise invalid_parameter_value(
                "Tag keys starting with 'aws:' are reserved for internal use"
            )
        pairs[key] = value
    if len(pairs) > MAX_TAGS_PER_RESOURCE:
        raise tag_limit_exceeded(MAX_TAGS_PER_RESOURCE)
    return list(pairs.items())


def tags_from_specifications(
    specifications: list[dict[str, Any]] | None, accepted: tuple[str, ...]
) -> tuple[list[tuple[str, str]], ...]:
    """Tags per accepted resource type, in the order of ``accepted``.

    A resource type the call cannot tag answers ``InvalidParameterValue``; naming one
    type twice answers ``InvalidParameterValue`` as well.
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for spec in specifications or []:
        resource_type = spec.get("ResourceType")
        if resource_type not in accepted:
            raise invalid_parameter_value(
                f"'{resource_type}' is not a valid taggable resource type for this operation."
            )
        if resource_type in found:
            raise invalid_parameter_value(
                f"The tag specification for resource type '{resource_type}' is given more than once."
            )
        found[resource_type] = check_tags(spec.get("Tags") or [])
    return tuple(found.get(kind, []) for kind in accepted)


def with_tags(ctx: RequestContext, views: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Attach this account's tags (``Tags``, absent when untagged) to each view, the
    resource's ID being the view's ``key``: the tags of a public resource are the caller's
    own."""
    found = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [view[key] for view in views])
    for view in views:
        pairs = found.get(view[key])
        if pairs:
            view["Tags"] = [{"Key": tag_key, "Value": value} for tag_key, value in pairs]
    return views
