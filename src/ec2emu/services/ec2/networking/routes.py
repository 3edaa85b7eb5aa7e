"""Routes: CreateRoute, ReplaceRoute and DeleteRoute.

What is honoured: IPv4 destinations (``DestinationCidrBlock``, taken as its network:
``10.0.0.9/8`` is ``10.0.0.0/8``, as EC2 canonicalises it) and internet gateways as
targets (``GatewayId`` ``igw-…``, attached to the table's VPC). Every other destination and
target member (IPv6, prefix lists, NAT gateways, instances, interfaces, peering, transit,
…, and ReplaceRoute's ``LocalTarget``) is refused by name (``UnsupportedOperation``), as is
a ``GatewayId`` of another kind (``vgw-``, ``local``).

Rules, with EC2's errors: one route per destination (``RouteAlreadyExists``); a
destination equal to or inside one of the VPC's blocks cannot target a gateway
(``InvalidParameterValue``); the gateway must exist (``InvalidGatewayID.NotFound``, also
for a malformed ID) and be attached to the table's VPC ("… belong to different
networks"); a local route cannot be removed or replaced; DeleteRoute of a destination
the table has no route for answers ``InvalidRoute.NotFound``, ReplaceRoute of one
``InvalidParameterValue`` ("Use CreateRoute instead"). A route made or replaced is
``active`` (its gateway is attached); its origin is ``CreateRoute``.

Choices where AWS's documentation is silent: the quota ``routes-per-route-table``
(:mod:`ec2emu.quotas`) counts the routes other than the local ones; a route without a
target answers ``MissingParameter``.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.networking import cidrs, network, routing
from ec2emu.services.ec2.networking.network import GATEWAYS, ROUTE_TABLES
from ec2emu.services.ec2.networking.routing_errors import (
    different_networks,
    local_route,
    missing_target,
    more_specific_than_local,
    no_route_to_replace,
    route_exists,
    route_limit_exceeded,
    route_not_found,
    target_not_found,
    unsupported_target,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext

Row = dict[str, Any]

_UNHONOURED_DESTINATIONS = ("DestinationIpv6CidrBlock", "DestinationPrefixListId")
_UNHONOURED_TARGETS = ("VpcEndpointId", "TransitGatewayId", "LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn",
                       "OdbNetworkArn", "EgressOnlyInternetGatewayId", "InstanceId", "NetworkInterfaceId",
                       "VpcPeeringConnectionId", "NatGatewayId")


def _table_and_destination(ctx: RequestContext, params: dict[str, Any]) -> tuple[Row, str, Row | None]:
    """The table, the destination (canonical) and the table's route to it, if any."""
    table = ROUTE_TABLES.one(ctx, params["RouteTableId"])
    destination = str(cidrs.destination(params.get("DestinationCidrBlock")))
    route = next((r for r in table["routes"] if r["destination_cidr_block"] == destination), None)
    return table, destination, route


def _target(ctx: RequestContext, params: dict[str, Any], table: Row, destination: str) -> str:
    """The internet gateway a route goes to, checked against the table and its VPC."""
    gateway_id = params.get("GatewayId")
    if not gateway_id:
        raise missing_target()
    if not gateway_id.startswith("igw-"):
        raise unsupported_target(gateway_id)
    gateway = GATEWAYS.get(ctx, [gateway_id]).get(gateway_id) if ids.is_well_formed("igw", gateway_id) else None
    if gateway is None:
        raise target_not_found(gateway_id)
    if gateway["vpc_id"] != table["vpc_id"]:
        raise different_networks(table["route_table_id"], gateway_id)
    wanted = cidrs.parse(destination)
    if any(wanted.subnet_of(cidrs.parse(r["destination_cidr_block"]))
           for r in table["routes"] if r["gateway_id"] == routing.LOCAL):
        raise more_specific_than_local(destination)
    return str(gateway_id)


@operation("CreateRoute", refuses=(*_UNHONOURED_DESTINATIONS, *_UNHONOURED_TARGETS))
def create_route(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    table, destination, route = _table_and_destination(ctx, params)
    if route is not None:
        raise route_exists(destination)
    gateway_id = _target(ctx, params, table, destination)
    if sum(r["gateway_id"] != routing.LOCAL for r in table["routes"]) >= ctx.quota("routes-per-route-table"):
        raise route_limit_exceeded()
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.route_tables.add_routes([routing.route_row(ctx, table["route_table_id"], destination, gateway_id)])
    return {"Return": True}


@operation("ReplaceRoute", refuses=(*_UNHONOURED_DESTINATIONS, *_UNHONOURED_TARGETS),
           defaults={"LocalTarget": False})
def replace_route(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    table, destination, route = _table_and_destination(ctx, params)
    if route is None:
        raise no_route_to_replace(destination)
    if route["gateway_id"] == routing.LOCAL:
        raise local_route("replace", destination, table["route_table_id"])
    gateway_id = _target(ctx, params, table, destination)
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.route_tables.update_route(table["route_table_id"], destination,
                                      {"gateway_id": gateway_id, "origin": "CreateRoute", "state": "active"})
    return {}


@operation("DeleteRoute", refuses=_UNHONOURED_DESTINATIONS)
def delete_route(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    table, destination, route = _table_and_destination(ctx, params)
    if route is None:
        raise route_not_found(destination, table["route_table_id"])
    if route["gateway_id"] == routing.LOCAL:
        raise local_route("remove", destination, table["route_table_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.route_tables.delete_route(table["route_table_id"], destination)
    return {}
