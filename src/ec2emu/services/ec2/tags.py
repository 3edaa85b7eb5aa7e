"""Tags: CreateTags, DeleteTags and DescribeTags across every taggable resource.

Tags stay on a terminated instance for as long as it is listed and go with it. Each call
validates every resource ID and tag before changing anything.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import empty_tag_key, invalid_parameter_value, missing_parameter, tag_limit_exceeded
from ec2emu.services.ec2.errors import (
    group_not_found,
    image_not_found,
    instance_not_found,
    invalid_id,
    key_pair_id_not_found,
    reservation_not_found,
    snapshot_not_found,
    subnet_not_found,
    volume_not_found,
    vpc_not_found,
)
from ec2emu.services.ec2.images import common as images
from ec2emu.services.ec2.launch_templates.common import TEMPLATES
from ec2emu.services.ec2.networking import elastic_ips, group_rules, network
from ec2emu.services.ec2.networking import groups as security_groups
from ec2emu.services.ec2.networking.errors import rule_not_found
from ec2emu.services.ec2.networking.interfaces import INTERFACES
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, describe
from ec2emu.services.shared.filters import store_values
from ec2emu.services.shared.tagging import MAX_TAGS_PER_RESOURCE, check_tags, resource_type_of
from ec2emu.store.repository import Match


def _check_resources(ctx: RequestContext, resource_ids: list[str]) -> dict[str, str]:
    """resource id -> resource type, for resources that exist for this account here."""
    if not resource_ids:
        raise missing_parameter("ResourceId")
    kinds: dict[str, str] = {}
    for resource_id in resource_ids:
        kind = resource_type_of(resource_id)
        prefix = resource_id.split("-", 1)[0]
        if kind is None or not ids.is_well_formed(prefix, resource_id):
            raise invalid_id(resource_id)
        kinds[resource_id] = kind
    instance_ids = [r for r, k in kinds.items() if k == "instance"]
    found = ctx.uow.instances.get(ctx.account_id, ctx.region, instance_ids)
    missing = [r for r in instance_ids if r not in found]
    if missing:
        raise instance_not_found(missing)
    volumes = ctx.uow.volumes.get(
        ctx.account_id, ctx.region, [r for r, k in kinds.items() if k == "volume"]
    )
    snapshots = ctx.uow.snapshots.get(
        ctx.account_id, ctx.region, [r for r, k in kinds.items() if k == "snapshot"]
    )
    key_pairs = ctx.uow.key_pairs.get(ctx.account_id, ctx.region, [r for r, k in kinds.items() if k == "key-pair"])
    vpcs = network.VPCS.get(ctx, [r for r, k in kinds.items() if k == "vpc"])
    subnets = network.SUBNETS.get(ctx, [r for r, k in kinds.items() if k == "subnet"])
    for kind, lookup in (("internet-gateway", network.GATEWAYS), ("route-table", network.ROUTE_TABLES),
                         ("elastic-ip", elastic_ips.ADDRESSES), ("network-interface", INTERFACES),
                         ("launch-template", TEMPLATES)):
        named = [r for r, k in kinds.items() if k == kind]
        if named:
            lookup.load(ctx, named)
    groups = security_groups.GROUPS.get(ctx, [r for r, k in kinds.items() if k == "security-group"])
    rules = group_rules.RULES.get(ctx, [r for r, k in kinds.items() if k == "security-group-rule"])
    for resource_id, kind in kinds.items():
        if kind == "image" and images.find_image(ctx, resource_id) is None:
            raise image_not_found([resource_id])
        if kind == "vpc" and resource_id not in vpcs:
            raise vpc_not_found([resource_id])
        if kind == "subnet" and resource_id not in subnets:
            raise subnet_not_found([resource_id])
        if kind == "security-group" and resource_id not in groups:
            raise group_not_found(resource_id)
        if kind == "security-group-rule" and resource_id not in rules:
            raise rule_not_found(resource_id)
        if kind == "volume" and resource_id not in volumes:
            raise volume_not_found([resource_id])
        if kind == "snapshot" and resource_id not in snapshots:
            raise snapshot_not_found([resource_id])
        if kind == "key-pair" and resource_id not in key_pairs:
            raise key_pair_id_not_found([resource_id])
        if kind == "reservation":
            raise reservation_not_found(resource_id)
    return kinds


@operation("CreateTags")
def create_tags(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    resource_ids = list(dict.fromkeys(params.get("Resources") or []))
    tags = params.get("Tags")
    if not tags:
        raise missing_parameter("Tag")
    pairs = check_tags(tags)
    kinds = _check_resources(ctx, resource_ids)
    existing = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, resource_ids)
    for resource_id in resource_ids:
        keys = {k for k, _ in existing.get(resource_id, [])} | {k for k, _ in pairs}
        if len(keys) > MAX_TAGS_PER_RESOURCE:
            raise tag_limit_exceeded(MAX_TAGS_PER_RESOURCE)
    ctx.dry_run(params)
    for resource_id in resource_ids:
        ctx.uow.tags.put(ctx.account_id, ctx.region, resource_id, kinds[resource_id], pairs)
    return {}


@operation("DeleteTags")
def delete_tags(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    resource_ids = list(dict.fromkeys(params.get("Resources") or []))
    if not resource_ids:
        raise missing_parameter("ResourceId")
    for resource_id in resource_ids:
        kind = resource_type_of(resource_id)
        prefix = resource_id.split("-", 1)[0]
        if kind is None or not ids.is_well_formed(prefix, resource_id):
            raise invalid_id(resource_id)
    for tag in params.get("Tags") or []:
        if not tag.get("Key"):
            raise empty_tag_key()
        if tag["Key"].lower().startswith("aws:"):
            raise invalid_parameter_value("Tag keys starting with 'aws:' are reserved for internal use")
    ctx.dry_run(params)
    tags = params.get("Tags")
    existing = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, resource_ids)
    for resource_id in resource_ids:
        if tags is None:
            for key, _ in existing.get(resource_id, []):
                ctx.uow.tags.delete(ctx.account_id, ctx.region, resource_id, key)
            continue
        for tag in tags:
            ctx.uow.tags.delete(ctx.account_id, ctx.region, resource_id, tag["Key"], tag.get("Value"))
    return {}


def _tag_filter(name: str, values: tuple[str, ...]) -> list[Match] | None:
    """``tag:<Key>`` = ``<Value>``: the tag with that key and (one of) those values;
    ``tag-key`` and ``tag-value`` are not filters of this call."""
    if name.startswith("tag:") and len(name) > 4:
        return [Match("key", store_values((name[4:],))), Match("value", store_values(values))]
    return None


def _tag_view(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"Key": row["key"], "ResourceId": row["resource_id"], "ResourceType": row["resource_type"],
         "Value": row["value"]}
        for row in rows
    ]


DESCRIBE_TAGS = Describe(
    result="Tags",
    key=("resource_id", "key"),
    find=lambda ctx, matches, after, limit: ctx.uow.tags.find(ctx.account_id, ctx.region, matches, after=after,
                                                             limit=limit),
    view=_tag_view,
    filters={"key": "key", "value": "value", "resource-id": "resource_id", "resource-type": "resource_type"},
    tags=_tag_filter,
)


@operation("DescribeTags")
def describe_tags(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_TAGS)
