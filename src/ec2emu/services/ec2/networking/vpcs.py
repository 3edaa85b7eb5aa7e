"""VPCs: CreateVpc, DeleteVpc, DescribeVpcs, ModifyVpcAttribute, DescribeVpcAttribute,
AssociateVpcCidrBlock, DisassociateVpcCidrBlock and CreateDefaultVpc.

What is honoured: IPv4 blocks (the rules of :mod:`~ec2emu.services.ec2.networking.cidrs`),
``default`` tenancy, tags at creation, the three attributes (``enableDnsSupport``,
``enableDnsHostnames``, ``enableNetworkAddressUsageMetrics``; one per ModifyVpcAttribute
call; DNS hostnames only with DNS support). IPv6 blocks, IPAM pools, encryption control
and ``dedicated``/``host`` tenancy are refused by name (``UnsupportedOperation``).

Choices where AWS's documentation is silent or AWS is eventually consistent:

* CreateVpc and CreateDefaultVpc answer ``State: pending`` (as AWS's example does); the
  VPC is ``available`` from the next request on. AssociateVpcCidrBlock answers the block
  ``associating`` and DisassociateVpcCidrBlock ``disassociating``; the block is
  associated, or gone, from the next request on (AWS lists a disassociated block for a
  while; here it goes at once).
* The quota ``vpcs-per-region`` (:mod:`ec2emu.quotas`) counts the default VPC, as AWS's
  does; ``ipv4-cidr-blocks-per-vpc`` counts the primary block.
* DeleteVpc refuses a VPC that still has subnets, security groups other than its default
  one, an internet gateway attached or a route table other than its main one
  (``DependencyViolation``, never naming which); its default security group, main route
  table and network ACL go with it. A VPC is made with its main route table
  (:mod:`~ec2emu.services.ec2.networking.route_tables`); a default one also with an
  internet gateway attached and a ``0.0.0.0/0`` route to it, so deleting the default VPC
  takes detaching (and deleting) its gateway first, as on AWS. The default VPC can be
  deleted: launches that name no subnet then answer ``VPCIdNotSpecified``, and
  CreateDefaultVpc makes a new one — a new ID, ``172.31.0.0/16``, a default subnet in
  every zone — as AWS does (an old default VPC is never restored).
* A block a subnet of the VPC lies in cannot be disassociated (``DependencyViolation``),
  nor the primary block (``OperationNotPermitted``). Associating a block adds its ``local``
  route to every route table of the VPC; disassociating it removes the route.

DescribeVpcs filters: ``vpc-id``, ``state``, ``cidr`` (the primary block; also spelled
``cidr-block`` and ``cidrBlock``, as DescribeSubnets documents them: AWS accepts both for
VPCs too, and Ansible's ``ec2_vpc_net`` finds its VPC by ``cidr-block``),
``cidr-block-association.cidr-block`` / ``.association-id`` / ``.state``, ``is-default``,
``owner-id``, ``dhcp-options-id``, ``instance-tenancy``, the tag filters, and the
``ipv6-cidr-block-association.*`` ones (which nothing meets: no VPC has IPv6 here). Each
is a criterion on the scope's rows, through the scope's indexes (an ID, a block or
``is-default`` through its own).
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import invalid_parameter_value, missing_parameter
from ec2emu.services.ec2.networking import cidrs, groups, network, route_tables, routing
from ec2emu.services.ec2.networking.errors import (
    association_not_found,
    cidr_block_in_use,
    cidr_block_limit_exceeded,
    default_vpc_exists,
    dns_hostnames_need_support,
    multiple_attributes,
    no_attribute,
    primary_cidr_block,
    vpc_dependency,
    vpc_limit_exceeded,
)
from ec2emu.services.ec2.networking.network import VPCS
from ec2emu.services.ec2.regions import zones
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe
from ec2emu.services.shared.filters import booleans
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match

# Request members each operation does not honour (refused by name when given).
# IPv6 blocks and IPAM pools, not honoured: refused by name (AmazonProvidedIpv6CidrBlock
# accepted when false).
_IPV6_AND_IPAM = ("Ipv6Pool", "Ipv6CidrBlock", "Ipv6CidrBlockNetworkBorderGroup", "Ipv4IpamPoolId",
                  "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength")
_NO_IPV6 = {"AmazonProvidedIpv6CidrBlock": False}
# ModifyVpcAttribute / DescribeVpcAttribute: request member -> (attribute name, column).
ATTRIBUTES = {
    "EnableDnsSupport": ("enableDnsSupport", "enable_dns_support"),
    "EnableDnsHostnames": ("enableDnsHostnames", "enable_dns_hostnames"),
    "EnableNetworkAddressUsageMetrics": ("enableNetworkAddressUsageMetrics", "enable_network_address_usage_metrics"),
}


# --------------------------------------------------------------------------- views


def block_view(block: dict[str, Any], state: str | None = None) -> dict[str, Any]:
    return {"AssociationId": block["association_id"], "CidrBlock": block["cidr_block"],
            "CidrBlockState": {"State": state or block["state"]}}


def vpc_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "VpcId": row["vpc_id"],
        "OwnerId": row["account_id"],
        "InstanceTenancy": row["instance_tenancy"],
        "CidrBlock": row["cidr_block"],
        "CidrBlockAssociationSet": [block_view(block) for block in row["cidr_blocks"]],
        "IsDefault": row["is_default"],
        "DhcpOptionsId": row["dhcp_options_id"],
        "State": row["state"],
        "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
    }


def vpc_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return with_tags(ctx, [vpc_view(row) for row in rows], "VpcId")


def _created_view(ctx: RequestContext, row: dict[str, Any]) -> dict[str, Any]:
    """A VPC as its creation answers it: ``pending``, with the tags it was given."""
    [view] = vpc_views(ctx, [row])
    view["State"] = "pending"
    return view


# --------------------------------------------------------------------------- DescribeVpcs

_IPV6_ASSOCIATIONS = {**network.IPV6_ASSOCIATION_FILTERS,
                      "ipv6-cidr-block-association.ipv6-pool": "Ipv6CidrBlockAssociationSet.Ipv6Pool"}

DESCRIBE_VPCS = Describe(
    result="Vpcs",
    key="vpc_id",
    find=network.find_vpcs,
    view=vpc_views,
    filters={
        "vpc-id": "vpc_id",
        "state": "state",
        "cidr": "cidr_block",
        "cidr-block": "cidr_block",
        "cidrBlock": "cidr_block",
        "cidr-block-association.cidr-block": "cidr_blocks.cidr_block",
        "cidr-block-association.association-id": "cidr_blocks.association_id",
        "cidr-block-association.state": "cidr_blocks.state",
        "is-default": booleans("is_default", "vpc_id"),
        "isDefault": booleans("is_default", "vpc_id"),
        "owner-id": "account_id",
        "dhcp-options-id": "dhcp_options_id",
        "instance-tenancy": "instance_tenancy",
    },
    view_filters=_IPV6_ASSOCIATIONS,
    named=by_ids("VpcIds", "vpcIds", VPCS),
)


@operation("DescribeVpcs")
def describe_vpcs(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_VPCS)


# --------------------------------------------------------------------------- CreateVpc, CreateDefaultVpc


def _count(ctx: RequestContext) -> int:
    return ctx.uow.vpcs.count(ctx.account_id, ctx.region) if network.is_stored(ctx) else 1


@operation("CreateVpc", refuses=(*_IPV6_AND_IPAM, "VpcEncryptionControl"),
           defaults={**_NO_IPV6, "InstanceTenancy": "default"})
def create_vpc(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    block = cidrs.vpc_block(params.get("CidrBlock"))
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("vpc",))
    if _count(ctx) >= ctx.quota("vpcs-per-region"):
        raise vpc_limit_exceeded()
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = network.vpc_row(ctx, ids.new_id("vpc"), str(block), ids.new_id("vpc-cidr-assoc"), is_default=False,
                          created=ctx.now_ts)
    ctx.uow.vpcs.insert(row)
    ctx.uow.route_tables.insert(routing.new_main_table(ctx, row))
    groups.vpc_created(ctx, row["vpc_id"])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["vpc_id"], "vpc", tags)
    return {"Vpc": _created_view(ctx, row)}


@operation("CreateDefaultVpc")
def create_default_vpc(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if network.default_vpc(ctx) is not None:
        raise default_vpc_exists()
    if _count(ctx) >= ctx.quota("vpcs-per-region"):
        raise vpc_limit_exceeded()
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = network.vpc_row(ctx, ids.new_id("vpc"), network.DEFAULT_VPC_CIDR, ids.new_id("vpc-cidr-assoc"),
                          is_default=True, created=ctx.now_ts)
    ctx.uow.vpcs.insert(row)
    gateway, table = routing.new_default_routing(ctx, row)
    ctx.uow.internet_gateways.insert([gateway])
    ctx.uow.route_tables.insert(table)
    groups.vpc_created(ctx, row["vpc_id"])
    region_zones = zones(ctx.region)
    ctx.uow.subnets.insert([
        network.subnet_row(ctx, ids.new_id("subnet"), row["vpc_id"], zone, block, default=True, created=ctx.now_ts)
        for zone, block in zip(region_zones, network.default_subnet_blocks(len(region_zones)))
    ])
    return {"Vpc": _created_view(ctx, row)}


# --------------------------------------------------------------------------- DeleteVpc


@operation("DeleteVpc")
def delete_vpc(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = VPCS.one(ctx, params["VpcId"])
    vpc_id = vpc["vpc_id"]
    if (network.subnets_of(ctx, vpc_id) or groups.others_in(ctx, vpc_id)
            or network.find_gateways(ctx, [Match("vpc_id", (vpc_id,))])
            or route_tables.has_dependent_tables(ctx, vpc_id)):
        raise vpc_dependency(vpc_id)
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    route_tables.delete_tables_of(ctx, vpc_id)
    ctx.uow.vpcs.delete(vpc_id)
    groups.vpc_deleted(ctx, vpc_id)
    return {}


# --------------------------------------------------------------------------- attributes


@operation("ModifyVpcAttribute")
def modify_vpc_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = VPCS.one(ctx, params["VpcId"])
    given = [member for member in ATTRIBUTES if params.get(member) is not None]
    if not given:
        raise no_attribute()
    if len(given) > 1:
        raise multiple_attributes([ATTRIBUTES[member][0] for member in given])
    [member] = given
    value = params[member].get("Value")
    if value is None:
        raise missing_parameter(f"{member}.Value")
    if member == "EnableDnsHostnames" and value and not vpc["enable_dns_support"]:
        raise dns_hostnames_need_support()
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.vpcs.update(vpc["vpc_id"], {ATTRIBUTES[member][1]: bool(value)})
    return {}


@operation("DescribeVpcAttribute")
def describe_vpc_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = VPCS.one(ctx, params["VpcId"])
    member = next((member for member, (name, _) in ATTRIBUTES.items() if name == params["Attribute"]), None)
    if member is None:
        raise invalid_parameter_value(f"Value ({params['Attribute']}) for parameter attribute is invalid. "
                                      f"Expected: {', '.join(name for name, _ in ATTRIBUTES.values())}.")
    ctx.dry_run(params)
    return {"VpcId": vpc["vpc_id"], member: {"Value": vpc[ATTRIBUTES[member][1]]}}


# --------------------------------------------------------------------------- CIDR blocks


@operation("AssociateVpcCidrBlock", refuses=_IPV6_AND_IPAM, defaults=_NO_IPV6)
def associate_vpc_cidr_block(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = VPCS.one(ctx, params["VpcId"])
    block = cidrs.vpc_block(params.get("CidrBlock"), network.blocks_of(vpc))
    limit = ctx.quota("ipv4-cidr-blocks-per-vpc")
    if len(vpc["cidr_blocks"]) >= limit:
        raise cidr_block_limit_exceeded(vpc["vpc_id"], limit)
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    position = max(existing["position"] for existing in vpc["cidr_blocks"]) + 1
    row = network.block_row(ctx, vpc["vpc_id"], ids.new_id("vpc-cidr-assoc"), str(block), position)
    ctx.uow.vpcs.add_cidr_block(row)
    route_tables.add_local_routes(ctx, vpc["vpc_id"], row["cidr_block"])
    return {"VpcId": vpc["vpc_id"], "CidrBlockAssociation": block_view(row, "associating")}


@operation("DisassociateVpcCidrBlock")
def disassociate_vpc_cidr_block(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    association_id = params["AssociationId"]
    found = network.cidr_association(ctx, association_id)
    if found is None:
        raise association_not_found(association_id)
    vpc, block = found
    if block["position"] == 0:
        raise primary_cidr_block(association_id)
    taken = cidrs.parse(block["cidr_block"])
    if any(cidrs.parse(subnet["cidr_block"]).subnet_of(taken) for subnet in network.subnets_of(ctx, vpc["vpc_id"])):
        raise cidr_block_in_use(association_id)
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.vpcs.remove_cidr_block(association_id)
    route_tables.remove_local_routes(ctx, vpc["vpc_id"], block["cidr_block"])
    return {"VpcId": vpc["vpc_id"], "CidrBlockAssociation": block_view(block, "disassociating")}
