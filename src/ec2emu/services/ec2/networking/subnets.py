"""Subnets: CreateSubnet, DeleteSubnet, DescribeSubnets, ModifySubnetAttribute and
CreateDefaultSubnet.

What is honoured: IPv4 blocks (:mod:`~ec2emu.services.ec2.networking.cidrs`), the zone by
name or ID, tags at creation, ``MapPublicIpOnLaunch``, and ``AvailableIpAddressCount`` as
it is: the usable addresses (all but five) less those its network interfaces hold — an
instance's primary interface until the instance's termination is over
(:mod:`~ec2emu.services.ec2.networking.addresses`). IPv6 blocks
and IPv6-only subnets, IPAM pools and Outposts are refused by name
(``UnsupportedOperation``); so are the other attributes of ModifySubnetAttribute, unless
the value asked for is the one every subnet here has (``false``, hostname type
``ip-name``), which is accepted as it changes nothing.

Choices where AWS's documentation is silent:

* CreateSubnet answers ``State: pending`` (AWS's example), the subnet being ``available``
  from the next request on; CreateDefaultSubnet answers ``available`` (the VPC guide's
  example).
* Without a zone, CreateSubnet takes the region's zones in turn (AWS picks one, maybe the
  same each time). A zone the region does not have answers ``InvalidParameterValue``
  listing the zones subnets can be created in (the wording AWS gives for a zone closed to
  new subnets); both ``AvailabilityZone`` and ``AvailabilityZoneId`` answer
  ``InvalidParameterCombination``.
* The quota ``subnets-per-vpc`` (:mod:`ec2emu.quotas`) counts every subnet of the VPC.
* DeleteSubnet refuses a subnet a network interface lives in — an instance's primary one
  until the instance's termination is over (``DependencyViolation``); the subnet's route
  table association goes with it.
* CreateDefaultSubnet puts the /20 in the first free space of the default VPC's block
  (``172.31.0.0/16``); when no /20 is free it answers ``InvalidSubnet.Conflict``. Its
  ``MapPublicIpOnLaunch`` is true (the guide's example; its text says to set it again).
* ModifySubnetAttribute takes one attribute per call (``InvalidParameterCombination``
  otherwise, and for none).

DescribeSubnets filters: ``subnet-id``, ``vpc-id``, ``availability-zone``,
``availability-zone-id``, ``cidr-block`` (``cidr``, ``cidrBlock``), ``default-for-az``,
``map-public-ip-on-launch``, ``owner-id``, ``state`` and the tag filters are criteria on
the scope's rows (through their indexes); ``available-ip-address-count``, ``subnet-arn``
and the IPv6, Outpost, customer-owned-address and DNS-name-option filters are matched on
each page's views.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import invalid_parameter_value, missing_parameter
from ec2emu.services.ec2.errors import invalid_zone, invalid_zone_id
from ec2emu.services.ec2.networking import addresses, cidrs, network
from ec2emu.services.ec2.networking.errors import (
    default_subnet_exists,
    default_vpc_missing,
    multiple_attributes,
    no_attribute,
    subnet_conflict,
    subnet_dependency,
    subnet_limit_exceeded,
    zone_and_zone_id,
)
from ec2emu.services.ec2.networking.network import SUBNETS, VPCS
from ec2emu.services.ec2.regions import Zone, zone_named, zone_with_id, zones
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe
from ec2emu.services.shared.filters import booleans
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags

_CREATE_UNHONOURED = ("Ipv6CidrBlock", "OutpostArn", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6IpamPoolId",
                      "Ipv6NetmaskLength")
_OFF = {"Value": False}
# ModifySubnetAttribute's members but MapPublicIpOnLaunch: the value each has here (the
# only one accepted), or none (refused whatever its value).
_FIXED_ATTRIBUTES: dict[str, Any] = {
    "AssignIpv6AddressOnCreation": _OFF, "MapCustomerOwnedIpOnLaunch": _OFF, "EnableDns64": _OFF,
    "EnableResourceNameDnsARecordOnLaunch": _OFF, "EnableResourceNameDnsAAAARecordOnLaunch": _OFF,
    "PrivateDnsHostnameTypeOnLaunch": "ip-name", "DisableLniAtDeviceIndex": _OFF,
}
_REFUSED_ATTRIBUTES = ("CustomerOwnedIpv4Pool", "EnableLniAtDeviceIndex")


# --------------------------------------------------------------------------- views


def subnet_view(row: dict[str, Any], available: int) -> dict[str, Any]:
    return {
        "AvailabilityZone": row["availability_zone"],
        "AvailabilityZoneId": row["availability_zone_id"],
        "AvailableIpAddressCount": available,
        "CidrBlock": row["cidr_block"],
        "DefaultForAz": row["default_for_az"],
        "MapPublicIpOnLaunch": row["map_public_ip_on_launch"],
        "MapCustomerOwnedIpOnLaunch": False,
        "State": row["state"],
        "SubnetId": row["subnet_id"],
        "VpcId": row["vpc_id"],
        "OwnerId": row["account_id"],
        "AssignIpv6AddressOnCreation": False,
        "Ipv6CidrBlockAssociationSet": [],
        "SubnetArn": f"arn:aws:ec2:{row['region']}:{row['account_id']}:subnet/{row['subnet_id']}",
        "EnableDns64": False,
        "Ipv6Native": False,
        "PrivateDnsNameOptionsOnLaunch": {
            "HostnameType": "ip-name",
            "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": False,
        },
        "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
    }


def subnet_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    available = addresses.available_counts(ctx, rows)
    return with_tags(ctx, [subnet_view(row, available[row["subnet_id"]]) for row in rows], "SubnetId")


def _created_view(ctx: RequestContext, row: dict[str, Any], state: str) -> dict[str, Any]:
    [view] = subnet_views(ctx, [row])
    view["State"] = state
    return view


# --------------------------------------------------------------------------- DescribeSubnets

_ON_VIEWS = {
    "available-ip-address-count": "AvailableIpAddressCount",
    "subnet-arn": "SubnetArn",
    "ipv6-native": "Ipv6Native",
    "enable-dns64": "EnableDns64",
    "map-customer-owned-ip-on-launch": "MapCustomerOwnedIpOnLaunch",
    "customer-owned-ipv4-pool": "CustomerOwnedIpv4Pool",
    "outpost-arn": "OutpostArn",
    "enable-lni-at-device-index": "EnableLniAtDeviceIndex",
    "private-dns-name-options-on-launch.hostname-type": "PrivateDnsNameOptionsOnLaunch.HostnameType",
    "private-dns-name-options-on-launch.enable-resource-name-dns-a-record":
        "PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsARecord",
    "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record":
        "PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsAAAARecord",
    **network.IPV6_ASSOCIATION_FILTERS,
}

DESCRIBE_SUBNETS = Describe(
    result="Subnets",
    key="subnet_id",
    find=network.find_subnets,
    view=subnet_views,
    filters={
        "subnet-id": "subnet_id",
        "vpc-id": "vpc_id",
        "availability-zone": "availability_zone",
        "availabilityZone": "availability_zone",
        "availability-zone-id": "availability_zone_id",
        "availabilityZoneId": "availability_zone_id",
        "cidr-block": "cidr_block",
        "cidr": "cidr_block",
        "cidrBlock": "cidr_block",
        "default-for-az": booleans("default_for_az", "subnet_id"),
        "defaultForAz": booleans("default_for_az", "subnet_id"),
        "map-public-ip-on-launch": booleans("map_public_ip_on_launch", "subnet_id"),
        "owner-id": "account_id",
        "state": "state",
    },
    view_filters=_ON_VIEWS,
    named=by_ids("SubnetIds", "subnetIds", SUBNETS),
)


@operation("DescribeSubnets")
def describe_subnets(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_SUBNETS)


# --------------------------------------------------------------------------- zones


def _zone(ctx: RequestContext, params: dict[str, Any], *, required: bool) -> Zone | None:
    """The zone a request names by name or ID (``None`` when it names none and need not)."""
    name, zone_id = params.get("AvailabilityZone"), params.get("AvailabilityZoneId")
    if name and zone_id:
        raise zone_and_zone_id()
    if zone_id:
        zone = zone_with_id(ctx.region, zone_id)
        if zone is None:
            raise invalid_zone_id(zone_id)
        return zone
    if name:
        zone = zone_named(ctx.region, name)
        if zone is None:
            if required:
                raise invalid_zone(name)
            raise invalid_parameter_value(
                f"Value ({name}) for parameter availabilityZone is invalid. Subnets can currently only be created "
                f"in the following availability zones: {', '.join(z.name for z in zones(ctx.region))}.")
        return zone
    if required:
        raise missing_parameter("AvailabilityZone")
    return None


# --------------------------------------------------------------------------- CreateSubnet


@operation("CreateSubnet", refuses=_CREATE_UNHONOURED, defaults={"Ipv6Native": False})
def create_subnet(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = VPCS.one(ctx, params["VpcId"])
    zone = _zone(ctx, params, required=False)
    siblings = network.subnets_of(ctx, vpc["vpc_id"])
    block = cidrs.subnet_block(params.get("CidrBlock"), network.blocks_of(vpc),
                               [sibling["cidr_block"] for sibling in siblings])
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("subnet",))
    if len(siblings) >= ctx.quota("subnets-per-vpc"):
        raise subnet_limit_exceeded()
    ctx.dry_run(params)
    if zone is None:
        region_zones = zones(ctx.region)
        zone = region_zones[ctx.next_turn(f"subnet-zone:{ctx.account_id}:{ctx.region}") % len(region_zones)]
    network.ensure_stored(ctx)
    row = network.subnet_row(ctx, ids.new_id("subnet"), vpc["vpc_id"], zone, str(block), default=False,
                             created=ctx.now_ts)
    ctx.uow.subnets.insert([row])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["subnet_id"], "subnet", tags)
    return {"Subnet": _created_view(ctx, row, "pending")}


@operation("CreateDefaultSubnet", defaults={"Ipv6Native": False})
def create_default_subnet(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    zone = _zone(ctx, params, required=True)
    assert zone is not None
    vpc = network.default_vpc(ctx)
    if vpc is None:
        raise default_vpc_missing()
    siblings = network.subnets_of(ctx, vpc["vpc_id"])
    if any(s["default_for_az"] and s["availability_zone"] == zone.name for s in siblings):
        raise default_subnet_exists(zone.name)
    if len(siblings) >= ctx.quota("subnets-per-vpc"):
        raise subnet_limit_exceeded()
    block = cidrs.free_block(vpc["cidr_block"], network.DEFAULT_SUBNET_PREFIX, [s["cidr_block"] for s in siblings])
    if block is None:
        raise subnet_conflict(vpc["cidr_block"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    row = network.subnet_row(ctx, ids.new_id("subnet"), vpc["vpc_id"], zone, str(block), default=True,
                             created=ctx.now_ts)
    ctx.uow.subnets.insert([row])
    return {"Subnet": _created_view(ctx, row, "available")}


# --------------------------------------------------------------------------- DeleteSubnet


@operation("DeleteSubnet")
def delete_subnet(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    subnet = SUBNETS.one(ctx, params["SubnetId"])
    if ctx.uow.subnets.holds_addresses(subnet["subnet_id"]):
        raise subnet_dependency(subnet["subnet_id"])
    ctx.dry_run(params)
    network.ensure_stored(ctx)
    ctx.uow.route_tables.disassociate_subnet(ctx.account_id, ctx.region, subnet["subnet_id"])
    ctx.uow.subnets.delete(subnet["subnet_id"])
    addresses.forget(ctx, subnet["subnet_id"])
    return {}


# --------------------------------------------------------------------------- ModifySubnetAttribute


def _asked(value: Any) -> Any:
    """An attribute's value as asked: a boolean structure's ``Value``, or the value."""
    return value.get("Value") if isinstance(value, dict) else value


@operation("ModifySubnetAttribute", refuses=_REFUSED_ATTRIBUTES, defaults=_FIXED_ATTRIBUTES)
def modify_subnet_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    subnet = SUBNETS.one(ctx, params["SubnetId"])
    given = [member for member in ("MapPublicIpOnLaunch", *_FIXED_ATTRIBUTES) if params.get(member) is not None]
    if not given:
        raise no_attribute()
    if len(given) > 1:
        raise multiple_attributes([member[0].lower() + member[1:] for member in given])
    [member] = given
    value = _asked(params[member])
    if member != "MapPublicIpOnLaunch":
        return {}  # at the value it has (Service.screen refuses any other)
    if value is None:
        raise missing_parameter("MapPublicIpOnLaunch.Value")
    network.ensure_stored(ctx)
    ctx.uow.subnets.update(subnet["subnet_id"], {"map_public_ip_on_launch": bool(value)})
    return {}
