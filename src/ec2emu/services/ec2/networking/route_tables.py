"""Route tables: CreateRouteTable, DeleteRouteTable, DescribeRouteTables,
AssociateRouteTable, DisassociateRouteTable and ReplaceRouteTableAssociation, and what a
VPC's changes do to its tables.

Every VPC has a main route table, made with it and deleted with it; every table has a
``local`` route for each IPv4 block of its VPC (:mod:`~ec2emu.services.ec2.networking.routing`),
added to and removed from every table of the VPC as blocks are associated and
disassociated. A subnet has at most one explicit association; one without uses the main
table. Association IDs are ``rtbassoc-``. Deleting a subnet removes its association.

What is honoured: subnet associations (``GatewayId`` and ``PublicIpv4Pool`` of
AssociateRouteTable are refused by name), tags at creation, ``ClientToken`` (the same token
answers the table it made; with another VPC, ``IdempotentParameterMismatch``).

Choices where AWS's documentation is silent:

* DeleteRouteTable refuses a table with any association, the main one included
  (``DependencyViolation``), as the fact sheet has it.
* AssociateRouteTable of a subnet associated explicitly already, with this table or
  another, answers ``Resource.AlreadyAssociated`` (the subnet's table is changed with
  ReplaceRouteTableAssociation); a subnet of another VPC ``InvalidParameterValue``.
* ReplaceRouteTableAssociation gives a new association ID; on the main association it makes
  the new table the VPC's main one. The table must be of the same VPC.
* The quota ``route-tables-per-vpc`` (:mod:`ec2emu.quotas`) counts the main table.
* Routes are listed local ones first, then by destination; associations the main one first.
* DescribeRouteTables pages hold 5 to 100 tables (the model's bounds for ``MaxResults``).

DescribeRouteTables filters: ``route-table-id``, ``vpc-id``, ``owner-id``,
``association.main``, ``association.subnet-id``, ``association.route-table-association-id``,
``association.route-table-id``, ``route.destination-cidr-block``, ``route.gateway-id``,
``route.state``, ``route.origin`` and the tag filters are criteria on the scope's rows
(through the indexes of tables, routes and associations); the filters on route targets
and destinations this endpoint does not have (NAT gateways, peering, prefix lists, IPv6,
…) and ``association.gateway-id`` are matched on the page's views, and nothing meets them.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.services.ec2.errors import idempotent_parameter_mismatch
from ec2emu.services.ec2.networking import network, routing
from ec2emu.services.ec2.networking.errors import (
    association_not_found,
)
from ec2emu.services.ec2.networking.network import ROUTE_TABLES, SUBNETS, VPCS
from ec2emu.services.ec2.networking.routing_errors import (
    association_conflict,
    main_association,
    route_table_dependency,
    route_table_limit_exceeded,
    subnet_in_other_network,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe
from ec2emu.services.shared.filters import booleans
from ec2emu.services.shared.pagination import PageSize
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match

Row = dict[str, Any]
ASSOCIATED = {"State": "associated"}


# --------------------------------------------------------------------------- views


def _route_view(route: Row) -> dict[str, Any]:
    return {"DestinationCidrBlock": route["destination_cidr_block"], "GatewayId": route["gateway_id"],
            "Origin": route["origin"], "State": route["state"]}


def _association_view(association: Row) -> dict[str, Any]:
    view = {"Main": association["is_main"], "RouteTableAssociationId": association["association_id"],
            "RouteTableId": association["route_table_id"], "AssociationState": dict(ASSOCIATED)}
    if association["subnet_id"]:
        view["SubnetId"] = association["subnet_id"]
    return view


def route_table_view(row: Row) -> dict[str, Any]:
    routes = sorted(row["routes"], key=lambda r: (r["gateway_id"] != routing.LOCAL, r["destination_cidr_block"]))
    associations = sorted(row["associations"], key=lambda a: (not a["is_main"], a["association_id"]))
    return {"Associations": [_association_view(a) for a in associations], "PropagatingVgws": [],
            "RouteTableId": row["route_table_id"], "Routes": [_route_view(r) for r in routes],
            "VpcId": row["vpc_id"], "OwnerId": row["account_id"]}


def route_table_views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    return with_tags(ctx, [route_table_view(row) for row in rows], "RouteTableId")


# --------------------------------------------------------------------------- DescribeRouteTables

_ABSENT_TARGETS = {
    f"route.{name}": f"Routes.{member}" for name, member in (
        ("destination-ipv6-cidr-block", "DestinationIpv6CidrBlock"),
        ("destination-prefix-list-id", "DestinationPrefixListId"),
        ("egress-only-internet-gateway-id", "EgressOnlyInternetGatewayId"), ("instance-id", "InstanceId"),
        ("nat-gateway-id", "NatGatewayId"), ("transit-gateway-id", "TransitGatewayId"),
        ("vpc-peering-connection-id", "VpcPeeringConnectionId"))
}

DESCRIBE_ROUTE_TABLES = Describe(
    result="RouteTables",
    key="route_table_id",
    find=network.find_route_tables,
    view=route_table_views,
    filters={
        "route-table-id": "route_table_id",
        "vpc-id": "vpc_id",
        "owner-id": "account_id",
        "association.main": booleans("associations.is_main", "route_table_id"),
        "association.subnet-id": "associations.subnet_id",
        "association.route-table-association-id": "associations.association_id",
        "association.route-table-id": "associations.route_table_id",
        "route.destination-cidr-block": "routes.destination_cidr_block",
        "route.gateway-id": "routes.gateway_id",
        "route.state": "routes.state",
        "route.origin": "routes.origin",
    },
    view_filters={**_ABSENT_TARGETS, "association.gateway-id": "Associations.GatewayId"},
    named=by_ids("RouteTableIds", "routeTableIds", ROUTE_TABLES),
    page_size=PageSize(maximum=100),
)


@operation("DescribeRouteTables")
def describe_route_tables(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_ROUTE_TABLES)


# --------------------------------------------------------------------------- a VPC's tables


def tables_of(ctx: RequestContext, vpc_id: str) -> list[Row]:
    return network.find_route_tables(ctx, [Match("vpc_id", (vpc_id,))])


def is_main(table: Row) -> bool:
    return any(association["is_main"] for association in table["associations"])


def add_local_routes(ctx: RequestContext, vpc_id: str, block: str) -> None:
    """A block associated with a VPC: a local route in each of its tables (stored scope)."""
    ctx.uow.route_tables.add_routes([routing.local_routes(ctx, table["route_table_id"], [block])[0]
                                     for table in tables_of(ctx, vpc_id)])


def remove_local_routes(ctx: RequestContext, vpc_id: str, block: str) -> None:
    for table in tables_of(ctx, vpc_id):
        ctx.uow.route_tables.delete_route(table["route_table_id"], block)


def has_dependent_tables(ctx: RequestContext, vpc_id: str) -> bool:
    """Whether a VPC has a route table other than its main one (DeleteVpc's dependency)."""
    return any(not is_main(table) for table in tables_of(ctx, vpc_id))


def delete_tables_of(ctx: RequestContext, vpc_id: str) -> None:
    """A deleted VPC's route tables (its main one) go with it (stored scope)."""
    for table in tables_of(ctx, vpc_id):
        ctx.uow.route_tables.delete(table["route_table_id"])


# --------------------------------------------------------------------------- CreateRouteTable, DeleteRouteTable


@operation("CreateRouteTable")
def create_route_table(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = VPCS.one(ctx, params["VpcId"])
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("route-table",))
    token = ids.client_token(params)
    if token is not None and network.is_stored(ctx):
        made = ctx.uow.route_tables.find(ctx.account_id, ctx.region, [Match("client_token", (token,))])
        if made:
            earlier = made[0]
            if earlier["vpc_id"] != vpc["vpc_id"]:
                raise idempotent_parameter_mismatch()
            ctx.dry_run(params)
            return {"RouteTable": route_table_views(ctx, [earlier])[0], "ClientToken": token}
    in_vpc = [Match("vpc_id", (vpc["vpc_id"],))]
    if network.count(ctx, "route_tables", network.find_route_tables, in_vpc) >= ctx.quota("route-tables-per-vpc"):
        raise route_table_limit_exceeded()
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = routing.route_table_row(ctx, ids.new_id("rtb"), vpc, ctx.now_ts)
    row["client_token"] = token
    ctx.uow.route_tables.insert(row)
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["route_table_id"], "route-table", tags)
    result: dict[str, Any] = {"RouteTable": route_table_views(ctx, [row])[0]}
    if token is not None:
        result["ClientToken"] = token
    return result


@operation("DeleteRouteTable")
def delete_route_table(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    table = ROUTE_TABLES.one(ctx, params["RouteTableId"])
    if table["associations"]:
        raise route_table_dependency(table["route_table_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.route_tables.delete(table["route_table_id"])
    return {}


# --------------------------------------------------------------------------- associations


def association_of(ctx: RequestContext, association_id: str) -> tuple[Row, Row] | None:
    """The table holding an association of that ID, and the association, if any."""
    for table in network.find_route_tables(ctx, [Match("associations.association_id", (association_id,))]):
        for association in table["associations"]:
            if association["association_id"] == association_id:
                return table, association
    return None


def _association(ctx: RequestContext, association_id: str) -> tuple[Row, Row]:
    found = association_of(ctx, association_id)
    if found is None:
        raise association_not_found(association_id)
    return found


@operation("AssociateRouteTable", refuses=("GatewayId", "PublicIpv4Pool"))
def associate_route_table(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    table = ROUTE_TABLES.one(ctx, params["RouteTableId"])
    if not params.get("SubnetId"):
        raise missing_parameter("subnetId")
    subnet = SUBNETS.one(ctx, params["SubnetId"])
    if subnet["vpc_id"] != table["vpc_id"]:
        raise subnet_in_other_network(table["route_table_id"], subnet["subnet_id"])
    if network.find_route_tables(ctx, [Match("associations.subnet_id", (subnet["subnet_id"],))]):
        raise association_conflict(table["route_table_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = routing.association_row(ctx, ids.new_id("rtbassoc"), table["route_table_id"], subnet["subnet_id"])
    ctx.uow.route_tables.associate(row)
    return {"AssociationId": row["association_id"], "AssociationState": dict(ASSOCIATED)}


@operation("DisassociateRouteTable")
def disassociate_route_table(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _, association = _association(ctx, params["AssociationId"])
    if association["is_main"]:
        raise main_association(association["association_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.route_tables.disassociate(association["association_id"])
    return {}


@operation("ReplaceRouteTableAssociation")
def replace_route_table_association(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    current, association = _association(ctx, params["AssociationId"])
    table = ROUTE_TABLES.one(ctx, params["RouteTableId"])
    if table["vpc_id"] != current["vpc_id"]:
        raise subnet_in_other_network(table["route_table_id"], association["subnet_id"] or current["vpc_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = routing.association_row(ctx, ids.new_id("rtbassoc"), table["route_table_id"], association["subnet_id"],
                                  main=association["is_main"])
    ctx.uow.route_tables.disassociate(association["association_id"])
    ctx.uow.route_tables.associate(row)
    return {"NewAssociationId": row["association_id"], "AssociationState": dict(ASSOCIATED)}
