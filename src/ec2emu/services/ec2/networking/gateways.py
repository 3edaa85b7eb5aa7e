"""Internet gateways: CreateInternetGateway, AttachInternetGateway, DetachInternetGateway,
DeleteInternetGateway and DescribeInternetGateways.

A gateway is attached to at most one VPC and a VPC has at most one gateway: attaching a
gateway attached already answers ``Resource.AlreadyAssociated`` (also when it is the same
VPC), attaching to a VPC that has one ``InvalidParameterValue``; detaching from a VPC it is
not attached to ``Gateway.NotAttached``; deleting an attached one ``DependencyViolation``.
An attachment reads ``State: available`` (not ``attached``), as on AWS, from the request
that makes it (AWS passes through ``attaching`` too briefly to matter).

Routes to a gateway follow its attachment: detached, every route to it is ``blackhole``;
attached again to the VPC of a route's table, that route is ``active`` again. A deleted
gateway's routes stay ``blackhole`` until removed, as on AWS.

Choices where AWS's documentation is silent: the quota ``internet-gateways-per-region``
(:mod:`ec2emu.quotas`) counts the default VPC's gateway, and CreateDefaultVpc gives its
new VPC a gateway even at the quota (AWS does not say it refuses).

DetachInternetGateway answers ``DependencyViolation`` "Network vpc-… has some mapped public
address(es)…" while the VPC has an Elastic IP associated or an instance holding an
address of Amazon's pool (``pending``, ``running`` or ``shutting-down``, as the clock shows
it; :mod:`~ec2emu.services.ec2.networking.public_addresses`).

DescribeInternetGateways filters: ``internet-gateway-id``, ``attachment.vpc-id``,
``attachment.state``, ``owner-id`` and the tag filters, each a criterion through the
scope's indexes.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.networking import network, routing
from ec2emu.services.ec2.networking.address_errors import mapped_addresses
from ec2emu.services.ec2.networking.network import GATEWAYS, VPCS
from ec2emu.services.ec2.networking.public_addresses import HOLDING_STATES
from ec2emu.services.ec2.networking.routing_errors import (
    already_attached,
    gateway_dependency,
    gateway_limit_exceeded,
    not_attached,
    vpc_has_gateway,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match


def gateway_view(row: dict[str, Any]) -> dict[str, Any]:
    attachments = [{"State": row["attachment_state"], "VpcId": row["vpc_id"]}] if row["vpc_id"] else []
    return {"Attachments": attachments, "InternetGatewayId": row["internet_gateway_id"], "OwnerId": row["account_id"]}


def gateway_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return with_tags(ctx, [gateway_view(row) for row in rows], "InternetGatewayId")


DESCRIBE_INTERNET_GATEWAYS = Describe(
    result="InternetGateways",
    key="internet_gateway_id",
    find=network.find_gateways,
    view=gateway_views,
    filters={
        "internet-gateway-id": "internet_gateway_id",
        "attachment.vpc-id": "vpc_id",
        "attachment.state": "attachment_state",
        "owner-id": "account_id",
    },
    named=by_ids("InternetGatewayIds", "internetGatewayIds", GATEWAYS),
)


@operation("DescribeInternetGateways")
def describe_internet_gateways(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INTERNET_GATEWAYS)


def attached_to(ctx: RequestContext, vpc_id: str) -> dict[str, Any] | None:
    """The gateway attached to a VPC, if any."""
    found = network.find_gateways(ctx, [Match("vpc_id", (vpc_id,))])
    return found[0] if found else None


@operation("CreateInternetGateway")
def create_internet_gateway(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("internet-gateway",))
    if network.count(ctx, "internet_gateways", network.find_gateways, []) >= ctx.quota("internet-gateways-per-region"):
        raise gateway_limit_exceeded()
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = routing.gateway_row(ctx, ids.new_id("igw"), ctx.now_ts)
    ctx.uow.internet_gateways.insert([row])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["internet_gateway_id"], "internet-gateway", tags)
    [view] = gateway_views(ctx, [row])
    return {"InternetGateway": view}


@operation("AttachInternetGateway")
def attach_internet_gateway(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    gateway = GATEWAYS.one(ctx, params["InternetGatewayId"])
    vpc = VPCS.one(ctx, params["VpcId"])
    gateway_id, vpc_id = gateway["internet_gateway_id"], vpc["vpc_id"]
    if gateway["vpc_id"]:
        raise already_attached(gateway_id, gateway["vpc_id"])
    if attached_to(ctx, vpc_id) is not None:
        raise vpc_has_gateway(vpc_id)
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.internet_gateways.update(gateway_id, {"vpc_id": vpc_id, "attachment_state": routing.ATTACHED})
    tables = network.find_route_tables(ctx, [Match("vpc_id", (vpc_id,))])
    ctx.uow.route_tables.set_route_states(ctx.account_id, ctx.region, gateway_id, "active",
                                          [table["route_table_id"] for table in tables])
    return {}


@operation("DetachInternetGateway")
def detach_internet_gateway(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    gateway = GATEWAYS.one(ctx, params["InternetGatewayId"])
    vpc = VPCS.one(ctx, params["VpcId"])
    if gateway["vpc_id"] != vpc["vpc_id"]:
        raise not_attached(gateway["internet_gateway_id"], vpc["vpc_id"])
    if ctx.uow.elastic_ips.maps_public_addresses(ctx.account_id, ctx.region, vpc["vpc_id"], HOLDING_STATES):
        raise mapped_addresses(vpc["vpc_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.internet_gateways.update(gateway["internet_gateway_id"], {"vpc_id": None, "attachment_state": None})
    ctx.uow.route_tables.set_route_states(ctx.account_id, ctx.region, gateway["internet_gateway_id"], "blackhole")
    return {}


@operation("DeleteInternetGateway")
def delete_internet_gateway(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    gateway = GATEWAYS.one(ctx, params["InternetGatewayId"])
    if gateway["vpc_id"]:
        raise gateway_dependency(gateway["internet_gateway_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.internet_gateways.delete(gateway["internet_gateway_id"])
    return {}
