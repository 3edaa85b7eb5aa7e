"""A scope's network as it stands: its VPCs, subnets, internet gateways and route tables,
stored or derived.

Every account has, in every region, a default VPC ``172.31.0.0/16`` with one default
``/20`` subnet per Availability Zone (consecutive blocks in zone-name order,
``DefaultForAz`` and ``MapPublicIpOnLaunch`` true, DNS support and hostnames on), an
internet gateway attached and a main route table that routes ``0.0.0.0/0`` to it
(:mod:`~ec2emu.services.ec2.networking.routing`), from its first request on, as on AWS.

Derived until first written, then stored. Until a request changes a scope's network
(creates, modifies or deletes a VPC, subnet, CIDR block, gateway, route table, route or
association), the scope's default VPC, subnets, gateway and main route table are
derived, not stored: their IDs are stable hashes of (account, region, zone), so the
unbounded set of accounts (any key is an account in permissive mode) and regions costs
no rows, and IDs survive restarts and never collide across scopes. The first write
stores the derived rows with those same IDs and marks the scope stored
(:func:`ensure_stored`); from then on every VPC, subnet, gateway and route table of the
scope is a row, so the default VPC can be modified, deleted and created again like any
other. Readers never write: a scope not yet stored is read from the derived rows, which
take the same criteria as stored ones (matched in memory). Launching an instance is not
a write to the network (its address is counted from its network interface, which names a
derived subnet by its stable ID), so it stores nothing.

Rows are the store's (``vpc_id``, ``cidr_block``, ``is_default``, … with ``cidr_blocks``
for a VPC, ``routes`` and ``associations`` for a route table), whichever way they come.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from ec2emu.services.ec2.errors import malformed_subnet_id, malformed_vpc_id, subnet_not_found, vpc_not_found
from ec2emu.services.ec2.networking import routing
from ec2emu.services.ec2.networking.errors import (
    unsupported_parameter,
)
from ec2emu.services.ec2.networking.routing_errors import (
    gateway_not_found,
    malformed_gateway_id,
    malformed_route_table_id,
    route_table_not_found,
)
from ec2emu.services.ec2.regions import zones
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import matching
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.services.shared.pagination import page_after
from ec2emu.services.shared.tagging import with_tags
from ec2emu.store.queries import TAG_KEY, TAG_VALUE
from ec2emu.store.repository import Match

Row = dict[str, Any]

DEFAULT_VPC_CIDR = "172.31.0.0/16"
DEFAULT_SUBNET_PREFIX = 20

# The IPv6 association filters VPCs and subnets share, matched on the views: nothing meets
# them, as no VPC or subnet has an IPv6 block here.
IPV6_ASSOCIATION_FILTERS = {
    "ipv6-cidr-block-association.ipv6-cidr-block": "Ipv6CidrBlockAssociationSet.Ipv6CidrBlock",
    "ipv6-cidr-block-association.association-id": "Ipv6CidrBlockAssociationSet.AssociationId",
    "ipv6-cidr-block-association.state": "Ipv6CidrBlockAssociationSet.Ipv6CidrBlockState.State",
}


def derived_default_vpc_id(account_id: str, region: str) -> str:
    """The ID of the scope's first default VPC (the derived one, and its stored row)."""
    return ids.stable_id("vpc", account_id, region, "default-vpc")


def dhcp_options_id(account_id: str, region: str) -> str:
    """The scope's default DHCP options set (every VPC uses it)."""
    return ids.stable_id("dopt", account_id, region)


def vpc_row(ctx: RequestContext, vpc_id: str, cidr: str, association_id: str, *, is_default: bool,
            created: float) -> Row:
    """A VPC as created: its primary block associated, DNS support on, DNS hostnames on
    only for a default VPC (the VPC guide's defaults)."""
    return {
        "vpc_id": vpc_id, "account_id": ctx.account_id, "region": ctx.region, "cidr_block": cidr,
        "state": "available", "is_default": is_default, "instance_tenancy": "default",
        "dhcp_options_id": dhcp_options_id(ctx.account_id, ctx.region), "enable_dns_support": True,
        "enable_dns_hostnames": is_default, "enable_network_address_usage_metrics": False, "create_time": created,
        "cidr_blocks": [block_row(ctx, vpc_id, association_id, cidr, 0)],
    }


def block_row(ctx: RequestContext, vpc_id: str, association_id: str, cidr: str, position: int) -> Row:
    return {"association_id": association_id, "vpc_id": vpc_id, "account_id": ctx.account_id,
            "region": ctx.region, "cidr_block": cidr, "state": "associated", "position": position}


def subnet_row(ctx: RequestContext, subnet_id: str, vpc_id: str, zone: Any, cidr: str, *, default: bool,
               created: float) -> Row:
    """A subnet as created (a default subnet maps public addresses on launch)."""
    return {
        "subnet_id": subnet_id, "account_id": ctx.account_id, "region": ctx.region, "vpc_id": vpc_id,
        "availability_zone": zone.name, "availability_zone_id": zone.zone_id, "cidr_block": cidr,
        "state": "available", "default_for_az": default, "map_public_ip_on_launch": default, "create_time": created,
    }


def default_subnet_blocks(count: int) -> list[str]:
    """The first ``count`` default-subnet blocks of the default VPC, in order."""
    blocks = ipaddress.IPv4Network(DEFAULT_VPC_CIDR).subnets(new_prefix=DEFAULT_SUBNET_PREFIX)
    return [str(next(blocks)) for _ in range(count)]


def _derived(ctx: RequestContext) -> tuple[Row, list[Row], list[Row], list[Row]]:
    """The scope's derived default VPC, subnets, internet gateway and main route table
    (created at the epoch)."""
    vpc_id = derived_default_vpc_id(ctx.account_id, ctx.region)
    vpc = vpc_row(ctx, vpc_id, DEFAULT_VPC_CIDR, ids.stable_id("vpc-cidr-assoc", vpc_id), is_default=True,
                  created=0.0)
    region_zones = zones(ctx.region)
    subnets = [
        subnet_row(ctx, ids.stable_id("subnet", ctx.account_id, ctx.region, zone.name), vpc_id, zone, block,
                   default=True, created=0.0)
        for zone, block in zip(region_zones, default_subnet_blocks(len(region_zones)))
    ]
    gateway, table = routing.derived_default_routing(ctx, vpc)
    return vpc, subnets, [gateway], [table]


def is_stored(ctx: RequestContext) -> bool:
    return ctx.uow.vpcs.is_stored(ctx.account_id, ctx.region)


def ensure_stored(ctx: RequestContext) -> None:
    """Before a write to the scope's network: store its derived default network, once."""
    if is_stored(ctx):
        return
    vpc, subnets, gateways, tables = _derived(ctx)
    ctx.uow.vpcs.insert(vpc)
    ctx.uow.subnets.insert(subnets)
    ctx.uow.internet_gateways.insert(gateways)
    for table in tables:
        ctx.uow.route_tables.insert(table)
    ctx.uow.vpcs.mark_stored(ctx.account_id, ctx.region)


# --------------------------------------------------------------------------- reading


def derived_rows(ctx: RequestContext, rows: list[Row], key: str, matches: list[Match], after: Any,
               limit: int | None) -> list[Row]:
    """Derived rows meeting the criteria (tag criteria on the caller's tags), a page of them."""
    if any(match.field in (TAG_KEY, TAG_VALUE) for match in matches):
        chosen = matching(with_tags(ctx, [dict(row) for row in rows], key), matches)
        for row in chosen:
            row.pop("Tags", None)
    else:
        chosen = matching(rows, matches)
    return page_after(chosen, key, after, limit)


def find_vpcs(ctx: RequestContext, matches: list[Match], after: Any = None, limit: int | None = None) -> list[Row]:
    """The scope's VPCs meeting every criterion, by ID, after ``after``."""
    if is_stored(ctx):
        return ctx.uow.vpcs.find(ctx.account_id, ctx.region, matches, after_id=after, limit=limit)
    return derived_rows(ctx, [_derived(ctx)[0]], "vpc_id", matches, after, limit)


def find_subnets(ctx: RequestContext, matches: list[Match], after: Any = None,
                 limit: int | None = None) -> list[Row]:
    """The scope's subnets meeting every criterion, by ID, after ``after``."""
    if is_stored(ctx):
        return ctx.uow.subnets.find(ctx.account_id, ctx.region, matches, after_id=after, limit=limit)
    return derived_rows(ctx, _derived(ctx)[1], "subnet_id", matches, after, limit)


def find_gateways(ctx: RequestContext, matches: list[Match], after: Any = None,
                  limit: int | None = None) -> list[Row]:
    """The scope's internet gateways meeting every criterion, by ID, after ``after``."""
    if is_stored(ctx):
        return ctx.uow.internet_gateways.find(ctx.account_id, ctx.region, matches, after_id=after, limit=limit)
    return derived_rows(ctx, _derived(ctx)[2], "internet_gateway_id", matches, after, limit)


def find_route_tables(ctx: RequestContext, matches: list[Match], after: Any = None,
                      limit: int | None = None) -> list[Row]:
    """The scope's route tables (with routes and associations) meeting every criterion."""
    if is_stored(ctx):
        return ctx.uow.route_tables.find(ctx.account_id, ctx.region, matches, after_id=after, limit=limit)
    return derived_rows(ctx, _derived(ctx)[3], "route_table_id", matches, after, limit)


def count(ctx: RequestContext, repository: str, find: Any, matches: list[Match]) -> int:
    """How many of the scope's resources meet every criterion: counted by the repository
    (``ctx.uow.<repository>``) once the scope is stored, else among the derived rows
    (``find``)."""
    if is_stored(ctx):
        found: int = getattr(ctx.uow, repository).count_where(ctx.account_id, ctx.region, matches)
        return found
    return len(find(ctx, matches))


def _by_id(find: Any, key: str) -> Any:
    def get(ctx: RequestContext, wanted: list[str], **_: Any) -> Mapping[str, Row]:
        if not wanted:
            return {}
        return {row[key]: row for row in find(ctx, [Match(key, tuple(wanted))])}

    return get


# Look-ups by ID with EC2's errors (``InvalidVpcID.Malformed`` / ``.NotFound``, …).
VPCS = ResourceKind("vpc", malformed_vpc_id, vpc_not_found, _by_id(find_vpcs, "vpc_id"))
SUBNETS = ResourceKind("subnet", malformed_subnet_id, subnet_not_found, _by_id(find_subnets, "subnet_id"))
GATEWAYS = ResourceKind("igw", malformed_gateway_id, gateway_not_found,
                        _by_id(find_gateways, "internet_gateway_id"))
ROUTE_TABLES = ResourceKind("rtb", malformed_route_table_id, route_table_not_found,
                            _by_id(find_route_tables, "route_table_id"))


def default_vpc(ctx: RequestContext) -> Row | None:
    """The scope's default VPC, if it has one."""
    found = find_vpcs(ctx, [Match("is_default", (True,))])
    return found[0] if found else None


def subnets_of(ctx: RequestContext, vpc_id: str) -> list[Row]:
    """Every subnet of a VPC, by ID."""
    return find_subnets(ctx, [Match("vpc_id", (vpc_id,))])


def default_subnets(ctx: RequestContext, vpc_id: str) -> list[Row]:
    """The default subnets of the default VPC, in zone-name order."""
    found = find_subnets(ctx, [Match("vpc_id", (vpc_id,)), Match("default_for_az", (True,))])
    return sorted(found, key=lambda row: str(row["availability_zone"]))


def cidr_association(ctx: RequestContext, association_id: str) -> tuple[Row, Row] | None:
    """The VPC that has the CIDR block association of that ID, and the association."""
    if is_stored(ctx):
        block = ctx.uow.vpcs.cidr_block(ctx.account_id, ctx.region, association_id)
        vpc = None if block is None else ctx.uow.vpcs.get(ctx.account_id, ctx.region, [block["vpc_id"]]).get(
            block["vpc_id"])
        return None if vpc is None or block is None else (vpc, block)
    vpc = _derived(ctx)[0]
    return next(((vpc, block) for block in vpc["cidr_blocks"] if block["association_id"] == association_id), None)


def blocks_of(vpc: Row) -> list[str]:
    """A VPC's IPv4 CIDR blocks, the primary one first."""
    return [block["cidr_block"] for block in vpc["cidr_blocks"]]


def refuse_unhonoured(params: dict[str, Any], names: Iterable[str]) -> None:
    """``UnsupportedOperation`` naming the first of ``names`` the request gives a value
    (``False`` for a flag is no value: it asks for what is done anyway)."""
    for name in names:
        if params.get(name) not in (None, False, ""):
            raise unsupported_parameter(name)
