"""What the actions on internet gateways, route tables and Elastic IPs ask permission for (their
describers, see :mod:`ec2emu.services.shared.permissions`), by the resource types of
AWS's service authorization reference:

* ``internet-gateway/<id>`` (``ec2:InternetGatewayID``, ``ec2:Region``, its tags):
  DeleteInternetGateway the gateway; Attach/DetachInternetGateway the gateway and the VPC;
  CreateInternetGateway ``internet-gateway/*`` with the request's tags;
* ``route-table/<id>`` (``ec2:RouteTableID``, ``ec2:Vpc``, ``ec2:Region``, its tags):
  DeleteRouteTable, CreateRoute, ReplaceRoute and DeleteRoute the table;
  AssociateRouteTable the table and the subnet; DisassociateRouteTable and
  ReplaceRouteTableAssociation the tables of the association (and its subnet);
  CreateRouteTable the VPC and ``route-table/*`` (``ec2:Vpc``) with the request's tags;
* ``elastic-ip/<id>`` (``ec2:AllocationId``, ``ec2:Domain``, ``ec2:PublicIpAddress``,
  ``ec2:Region``, its tags): ReleaseAddress the address; AssociateAddress the address and
  the instance or the network interface (``network-interface/eni-…``, as
  :mod:`~ec2emu.services.ec2.networking.interface_permissions` describes it);
  DisassociateAddress the address of the association; AllocateAddress ``elastic-ip/*``
  with the request's tags;
* tags given at creation are also checked as ``ec2:CreateTags`` on the new resource, and
  CreateTags/DeleteTags on ``igw-``, ``rtb-`` and ``eipalloc-`` IDs check these ARNs
  (registered in :data:`~ec2emu.services.ec2.permissions.TAGGABLE`).

A resource that does not exist in the caller's account and region is left to the
handler (its ``NotFound``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ec2emu.auth.arn import ec2_arn, vpc_arn
from ec2emu.auth.authorization import Resource
from ec2emu.services.ec2.networking import elastic_ips, network
from ec2emu.services.ec2.networking.interface_permissions import interfaces
from ec2emu.services.ec2.networking.route_tables import association_of
from ec2emu.services.ec2.permissions import (
    TAGGABLE,
    created,
    created_in_vpc,
    existing,
    instance_resources,
    lookup,
    spec_tags,
    subnet_resources,
    vpc_resources,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.permissions import describes


def gateways(ctx: RequestContext, gateway_ids: Iterable[Any]) -> list[Resource]:
    return existing(ctx, lookup(ctx, network.GATEWAYS), gateway_ids,
                    lambda gateway_id: ec2_arn(ctx.region, ctx.account_id, "internet-gateway", gateway_id),
                    lambda row: {"ec2:Region": ctx.region, "ec2:InternetGatewayID": row["internet_gateway_id"]})


def route_tables(ctx: RequestContext, table_ids: Iterable[Any]) -> list[Resource]:
    return existing(ctx, lookup(ctx, network.ROUTE_TABLES), table_ids,
                    lambda table_id: ec2_arn(ctx.region, ctx.account_id, "route-table", table_id),
                    lambda row: {"ec2:Region": ctx.region, "ec2:RouteTableID": row["route_table_id"],
                                 "ec2:Vpc": vpc_arn(ctx.region, ctx.account_id, row["vpc_id"])})


def addresses(ctx: RequestContext, allocation_ids: Iterable[Any]) -> list[Resource]:
    return existing(ctx, ctx.uow.elastic_ips, allocation_ids,
                    lambda allocation_id: ec2_arn(ctx.region, ctx.account_id, "elastic-ip", allocation_id),
                    lambda row: {"ec2:Region": ctx.region, "ec2:AllocationId": row["allocation_id"],
                                 "ec2:Domain": row["domain"], "ec2:PublicIpAddress": row["public_ip"]})


TAGGABLE.update(igw=gateways, rtb=route_tables, eipalloc=addresses)


@describes("ec2", "CreateInternetGateway")
def _create_gateway(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return created(ctx, "CreateInternetGateway", ec2_arn(ctx.region, ctx.account_id, "internet-gateway", "*"),
                   {"ec2:Region": ctx.region}, spec_tags(params, "internet-gateway"))


@describes("ec2", "DeleteInternetGateway")
def _one_gateway(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return gateways(ctx, [params.get("InternetGatewayId")])


@describes("ec2", "AttachInternetGateway", "DetachInternetGateway")
def _gateway_and_vpc(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return gateways(ctx, [params.get("InternetGatewayId")]) + vpc_resources(ctx, [params.get("VpcId")])


@describes("ec2", "CreateRouteTable")
def _create_route_table(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return created_in_vpc(ctx, params, "CreateRouteTable", "route-table")


@describes("ec2", "DeleteRouteTable", "CreateRoute", "ReplaceRoute", "DeleteRoute")
def _one_route_table(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return route_tables(ctx, [params.get("RouteTableId")])


@describes("ec2", "AssociateRouteTable")
def _associate(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return route_tables(ctx, [params.get("RouteTableId")]) + subnet_resources(ctx, [params.get("SubnetId")])


@describes("ec2", "DisassociateRouteTable", "ReplaceRouteTableAssociation")
def _association_tables(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    association_id = params.get("AssociationId")
    found = association_of(ctx, association_id) if isinstance(association_id, str) else None
    if found is None:
        return []  # the handler's NotFound
    association = found[1]
    tables = route_tables(ctx, [association["route_table_id"], params.get("RouteTableId")])
    return tables + subnet_resources(ctx, [association["subnet_id"]] if association["subnet_id"] else [])


@describes("ec2", "AllocateAddress")
def _allocate_address(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return created(ctx, "AllocateAddress", ec2_arn(ctx.region, ctx.account_id, "elastic-ip", "*"),
                   {"ec2:Region": ctx.region}, spec_tags(params, "elastic-ip"))


@describes("ec2", "ReleaseAddress")
def _one_address(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    return addresses(ctx, [params.get("AllocationId")])


@describes("ec2", "AssociateAddress")
def _associate_address(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    resources = addresses(ctx, [params.get("AllocationId")]) + instance_resources(ctx, [params.get("InstanceId")])
    return resources + interfaces(ctx, [params.get("NetworkInterfaceId")])


@describes("ec2", "DisassociateAddress")
def _disassociate_address(ctx: RequestContext, params: dict[str, Any]) -> list[Resource]:
    association_id = params.get("AssociationId")
    address = elastic_ips.associated_by(ctx, association_id) if isinstance(association_id, str) else None
    return [] if address is None else addresses(ctx, [address["allocation_id"]])
