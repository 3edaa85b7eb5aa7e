"""Networking basics: each account's default VPC in each region, one default subnet per
Availability Zone, and the VPC's default security group.

These are derived, not stored: their IDs are stable hashes of (account, region, zone),
so every account and region has them from the first request on, they survive restarts,
and two accounts (or two regions) never share one. The VPC is ``172.31.0.0/16``; the
default subnets are consecutive ``/20`` blocks, one per zone in zone-name order, each
with ``DefaultForAz``. Private IPv4 addresses are handed out per subnet from a counter
in the store (the first four and the last address of a subnet are reserved, as on AWS);
``AvailableIpAddressCount`` counts the addresses held by instances that are not
terminated.

Tags on these resources are the caller's own (CreateTags on a VPC, subnet or group).
Unknown IDs answer EC2's codes: ``InvalidVpcID.NotFound`` "The vpc ID 'vpc-…' does not
exist", ``InvalidSubnetID.NotFound`` "The subnet ID 'subnet-…' does not exist" (plural
form for several), ``InvalidGroup.NotFound`` "The security group 'sg-…' does not exist"
(or "… does not exist in default VPC 'vpc-…'" for a name); malformed IDs answer
``<Kind>ID.Malformed`` / ``InvalidGroupId.Malformed`` 'Invalid id: "x" (expecting
"vpc-...")'.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ec2emu.services.ec2.errors import (
    group_name_not_found,
    group_not_found,
    malformed_group_id,
    malformed_subnet_id,
    malformed_vpc_id,
    subnet_not_found,
    vpc_not_found,
)
from ec2emu.services.ec2.regions import zones
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Finder, Naming, by_ids, describe, in_memory
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.services.shared.tagging import with_tags
from ec2emu.store.repository import Match

VPC_CIDR = "172.31.0.0/16"


@dataclass(frozen=True)
class Subnet:
    subnet_id: str
    vpc_id: str
    zone: str
    zone_id: str
    cidr: str

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.cidr)


def default_vpc_id(account_id: str, region: str) -> str:
    return ids.stable_id("vpc", account_id, region, "default-vpc")


def default_security_group_id(account_id: str, region: str) -> str:
    return ids.stable_id("sg", account_id, region, "default-sg")


def default_subnets(account_id: str, region: str) -> list[Subnet]:
    vpc_id = default_vpc_id(account_id, region)
    return [
        Subnet(
            subnet_id=ids.stable_id("subnet", account_id, region, zone.name),
            vpc_id=vpc_id,
            zone=zone.name,
            zone_id=zone.zone_id,
            cidr=f"172.31.{index * 16}.0/20",
        )
        for index, zone in enumerate(zones(region))
    ]


def subnet_by_id(account_id: str, region: str, subnet_id: str) -> Subnet | None:
    for subnet in default_subnets(account_id, region):
        if subnet.subnet_id == subnet_id:
            return subnet
    return None


def subnet_for_zone(account_id: str, region: str, zone: str) -> Subnet:
    for subnet in default_subnets(account_id, region):
        if subnet.zone == zone:
            return subnet
    raise LookupError(zone)


def allocate_private_ips(ctx: RequestContext, subnet: Subnet, count: int) -> list[str]:
    """``count`` unused addresses from ``subnet`` (AWS reserves the first four)."""
    first = ctx.uow.settings.next_counter(f"ip:{subnet.subnet_id}", count, start=4)
    network = subnet.network
    usable = network.num_addresses - 5
    return [str(network.network_address + 4 + ((first - 4 + i) % usable)) for i in range(count)]


def private_dns_name(region: str, ip: str) -> str:
    host = "ip-" + ip.replace(".", "-")
    if region == "us-east-1":
        return f"{host}.ec2.internal"
    return f"{host}.{region}.compute.internal"


def security_group_view(account_id: str, region: str) -> dict[str, Any]:
    vpc_id = default_vpc_id(account_id, region)
    return {
        "GroupId": default_security_group_id(account_id, region),
        "GroupName": "default",
        "Description": "default VPC security group",
        "OwnerId": account_id,
        "VpcId": vpc_id,
        "SecurityGroupArn": (
            f"arn:aws:ec2:{region}:{account_id}:security-group/"
            f"{default_security_group_id(account_id, region)}"
        ),
        "IpPermissions": [
            {
                "IpProtocol": "-1",
                "IpRanges": [],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
                "UserIdGroupPairs": [
                    {"GroupId": default_security_group_id(account_id, region), "UserId": account_id}
                ],
            }
        ],
        "IpPermissionsEgress": [
            {
                "IpProtocol": "-1",
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
                "UserIdGroupPairs": [],
            }
        ],
    }


def vpc_view(account_id: str, region: str) -> dict[str, Any]:
    vpc_id = default_vpc_id(account_id, region)
    return {
        "VpcId": vpc_id,
        "OwnerId": account_id,
        "InstanceTenancy": "default",
        "CidrBlock": VPC_CIDR,
        "CidrBlockAssociationSet": [
            {
                "AssociationId": ids.stable_id("vpc-cidr-assoc", vpc_id),
                "CidrBlock": VPC_CIDR,
                "CidrBlockState": {"State": "associated"},
            }
        ],
        "IsDefault": True,
        "DhcpOptionsId": ids.stable_id("dopt", account_id, region),
        "State": "available",
    }


def subnet_view(account_id: str, region: str, subnet: Subnet) -> dict[str, Any]:
    return {
        "AvailabilityZone": subnet.zone,
        "AvailabilityZoneId": subnet.zone_id,
        "AvailableIpAddressCount": subnet.network.num_addresses - 5,
        "CidrBlock": subnet.cidr,
        "DefaultForAz": True,
        "MapPublicIpOnLaunch": True,
        "MapCustomerOwnedIpOnLaunch": False,
        "State": "available",
        "SubnetId": subnet.subnet_id,
        "VpcId": subnet.vpc_id,
        "OwnerId": account_id,
        "AssignIpv6AddressOnCreation": False,
        "Ipv6CidrBlockAssociationSet": [],
        "SubnetArn": f"arn:aws:ec2:{region}:{account_id}:subnet/{subnet.subnet_id}",
        "EnableDns64": False,
        "Ipv6Native": False,
        "PrivateDnsNameOptionsOnLaunch": {
            "HostnameType": "ip-name",
            "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": False,
        },
    }


def _vpcs(ctx: RequestContext) -> list[dict[str, Any]]:
    return [vpc_view(ctx.account_id, ctx.region)]


_HOLDS_ADDRESS = ("pending", "running", "shutting-down", "stopping", "stopped")


def _subnets(ctx: RequestContext) -> list[dict[str, Any]]:
    views = []
    for subnet in default_subnets(ctx.account_id, ctx.region):
        view = subnet_view(ctx.account_id, ctx.region, subnet)
        in_use = ctx.uow.instances.find(
            ctx.account_id,
            ctx.region,
            [Match("subnet_id", (subnet.subnet_id,)), Match("state", _HOLDS_ADDRESS)],
        )
        view["AvailableIpAddressCount"] -= len(in_use)
        views.append(view)
    return views


def _groups(ctx: RequestContext) -> list[dict[str, Any]]:
    return [security_group_view(ctx.account_id, ctx.region)]


VPCS = ResourceKind("vpc", malformed_vpc_id, vpc_not_found,
                    lambda ctx, wanted: {default_vpc_id(ctx.account_id, ctx.region): True})
SUBNETS = ResourceKind("subnet", malformed_subnet_id, subnet_not_found,
                       lambda ctx, wanted: {s.subnet_id: s for s in default_subnets(ctx.account_id, ctx.region)})


def _tagged(views: Callable[[RequestContext], list[dict[str, Any]]], key: str) -> Finder:
    return in_memory(key, lambda ctx: with_tags(ctx, views(ctx), key))


DESCRIBE_VPCS = Describe(
    result="Vpcs",
    key="VpcId",
    find=_tagged(_vpcs, "VpcId"),
    filters={
        "vpc-id": "VpcId",
        "is-default": "IsDefault",
        "isDefault": "IsDefault",
        "state": "State",
        "cidr": "CidrBlock",
        "cidr-block-association.cidr-block": "CidrBlockAssociationSet.CidrBlock",
        "cidr-block-association.association-id": "CidrBlockAssociationSet.AssociationId",
        "cidr-block-association.state": "CidrBlockAssociationSet.CidrBlockState.State",
        "owner-id": "OwnerId",
        "dhcp-options-id": "DhcpOptionsId",
        "instance-tenancy": "InstanceTenancy",
    },
    named=by_ids("VpcIds", "vpcIds", VPCS, read=False),
)


@operation("DescribeVpcs")
def describe_vpcs(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_VPCS)


DESCRIBE_SUBNETS = Describe(
    result="Subnets",
    key="SubnetId",
    find=_tagged(_subnets, "SubnetId"),
    filters={
        "subnet-id": "SubnetId",
        "subnet-arn": "SubnetArn",
        "vpc-id": "VpcId",
        "availability-zone": "AvailabilityZone",
        "availabilityZone": "AvailabilityZone",
        "availability-zone-id": "AvailabilityZoneId",
        "availabilityZoneId": "AvailabilityZoneId",
        "available-ip-address-count": "AvailableIpAddressCount",
        "default-for-az": "DefaultForAz",
        "defaultForAz": "DefaultForAz",
        "cidr": "CidrBlock",
        "cidr-block": "CidrBlock",
        "cidrBlock": "CidrBlock",
        "ipv6-native": "Ipv6Native",
        "map-public-ip-on-launch": "MapPublicIpOnLaunch",
        "owner-id": "OwnerId",
        "state": "State",
    },
    named=by_ids("SubnetIds", "subnetIds", SUBNETS, read=False),
)


@operation("DescribeSubnets")
def describe_subnets(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_SUBNETS)


def _named_groups(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    """Groups by ID (each checked well formed first) and by name."""
    group = security_group_view(ctx.account_id, ctx.region)
    wanted = params.get("GroupIds") or []
    for value in wanted:
        if not ids.is_well_formed("sg", value):
            raise malformed_group_id(value)
    for value in wanted:
        if value != group["GroupId"]:
            raise group_not_found(value)
    names = params.get("GroupNames") or []
    for name in names:
        if name != group["GroupName"]:
            raise group_name_not_found(name, group["VpcId"])
    keys = list(dict.fromkeys(wanted))
    if names and group["GroupId"] not in keys:
        keys.append(group["GroupId"])
    return keys, None


DESCRIBE_SECURITY_GROUPS = Describe(
    result="SecurityGroups",
    key="GroupId",
    find=_tagged(_groups, "GroupId"),
    filters={
        "group-id": "GroupId",
        "group-name": "GroupName",
        "vpc-id": "VpcId",
        "owner-id": "OwnerId",
        "description": "Description",
        "ip-permission.protocol": "IpPermissions.IpProtocol",
        "ip-permission.cidr": "IpPermissions.IpRanges.CidrIp",
        "ip-permission.group-id": "IpPermissions.UserIdGroupPairs.GroupId",
        "egress.ip-permission.protocol": "IpPermissionsEgress.IpProtocol",
        "egress.ip-permission.cidr": "IpPermissionsEgress.IpRanges.CidrIp",
        "egress.ip-permission.group-id": "IpPermissionsEgress.UserIdGroupPairs.GroupId",
    },
    named=Naming(("GroupIds", "GroupNames"), _named_groups, "groupIds"),
)


@operation("DescribeSecurityGroups")
def describe_security_groups(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_SECURITY_GROUPS)
