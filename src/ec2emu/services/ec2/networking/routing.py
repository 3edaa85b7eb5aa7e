"""The rows of internet gateways and route tables as they are made: a gateway, a route, an
association, a VPC's main route table, and the default VPC's gateway and main table.

Every route table has a ``local`` route for each IPv4 block of its VPC (``GatewayId``
``local``, origin ``CreateRouteTable``, state ``active``; AWS's documentation gives no
origin for it, and ``CreateRouteTable`` is what DescribeRouteTables shows for it). A VPC's
main table has the main association (``Main`` true, no subnet). The default VPC has, as
on AWS, an internet gateway attached and a ``0.0.0.0/0`` route to it in its main table
(origin ``CreateRoute``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext

Row = dict[str, Any]

LOCAL = "local"
EVERYWHERE = "0.0.0.0/0"
ATTACHED = "available"  # an attachment's state, as DescribeInternetGateways shows it


def _scope(ctx: RequestContext) -> Row:
    return {"account_id": ctx.account_id, "region": ctx.region}


def gateway_row(ctx: RequestContext, gateway_id: str, created: float, vpc_id: str | None = None) -> Row:
    """An internet gateway, attached to ``vpc_id`` if given."""
    return {"internet_gateway_id": gateway_id, **_scope(ctx), "vpc_id": vpc_id,
            "attachment_state": ATTACHED if vpc_id else None, "create_time": created}


def route_row(ctx: RequestContext, route_table_id: str, destination: str, gateway_id: str, *,
              origin: str = "CreateRoute", state: str = "active") -> Row:
    return {"route_table_id": route_table_id, "destination_cidr_block": destination, **_scope(ctx),
            "gateway_id": gateway_id, "origin": origin, "state": state}


def local_routes(ctx: RequestContext, route_table_id: str, blocks: Iterable[str]) -> list[Row]:
    return [route_row(ctx, route_table_id, block, LOCAL, origin="CreateRouteTable") for block in blocks]


def association_row(ctx: RequestContext, association_id: str, route_table_id: str, subnet_id: str | None = None,
                    *, main: bool = False) -> Row:
    return {"association_id": association_id, "route_table_id": route_table_id, **_scope(ctx),
            "subnet_id": subnet_id, "is_main": main}


def route_table_row(ctx: RequestContext, route_table_id: str, vpc: Row, created: float,
                    main_association: str | None = None) -> Row:
    """A route table of ``vpc`` with its local routes; its main one when given the main
    association's ID."""
    blocks = [block["cidr_block"] for block in vpc["cidr_blocks"]]
    associations = [] if main_association is None else [
        association_row(ctx, main_association, route_table_id, main=True)]
    return {"route_table_id": route_table_id, **_scope(ctx), "vpc_id": vpc["vpc_id"], "client_token": None,
            "create_time": created, "routes": local_routes(ctx, route_table_id, blocks), "associations": associations}


def new_main_table(ctx: RequestContext, vpc: Row) -> Row:
    """The main route table a new VPC gets."""
    return route_table_row(ctx, ids.new_id("rtb"), vpc, ctx.now_ts, ids.new_id("rtbassoc"))


def default_routing(ctx: RequestContext, vpc: Row, gateway_id: str, route_table_id: str, association_id: str,
                    created: float) -> tuple[Row, Row]:
    """A default VPC's internet gateway (attached) and main table (with a route to it)."""
    table = route_table_row(ctx, route_table_id, vpc, created, association_id)
    table["routes"].append(route_row(ctx, route_table_id, EVERYWHERE, gateway_id))
    return gateway_row(ctx, gateway_id, created, vpc["vpc_id"]), table


def new_default_routing(ctx: RequestContext, vpc: Row) -> tuple[Row, Row]:
    """What a default VPC made by CreateDefaultVpc gets."""
    return default_routing(ctx, vpc, ids.new_id("igw"), ids.new_id("rtb"), ids.new_id("rtbassoc"), ctx.now_ts)


def derived_default_routing(ctx: RequestContext, vpc: Row) -> tuple[Row, Row]:
    """The scope's first default VPC's gateway and main table, derived (stable IDs)."""
    scope = (ctx.account_id, ctx.region)
    return default_routing(ctx, vpc, ids.stable_id("igw", *scope, "default-igw"),
                           ids.stable_id("rtb", *scope, "default-rtb"),
                           ids.stable_id("rtbassoc", *scope, "default-rtb"), 0.0)
