"""Networking basics: each account's default VPC in each region, one default subnet per
Availability Zone, and the VPC's default security group.

These are derived, not stored: their IDs are stable hashes of (account, region, zone),
so every account and region has them from the first request on and they survive
restarts. Private IPv4 addresses are handed out per subnet from a counter in the store.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.service import ids
from ec2emu.service.context import RequestContext
from ec2emu.service.filters import FilterSpec, apply_filters
from ec2emu.service.regions import zones
from ec2emu.service.registry import operation

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


def _check_ids(kind: str, code_prefix: str, prefix: str, wanted: list[str], known: set[str]) -> None:
    for value in wanted:
        if not ids.is_well_formed(prefix, value):
            raise Ec2Error(f"{code_prefix}.Malformed", f'Invalid id: "{value}"')
    missing = [v for v in wanted if v not in known]
    if missing:
        raise Ec2Error(
            f"{code_prefix}.NotFound",
            f"The {kind} ID '{missing[0]}' does not exist"
            if len(missing) == 1
            else f"The {kind} IDs '{', '.join(missing)}' do not exist",
        )


_VPC_FILTERS = FilterSpec(
    {
        "vpc-id": lambda v: [v["VpcId"]],
        "is-default": lambda v: [v["IsDefault"]],
        "state": lambda v: [v["State"]],
        "cidr": lambda v: [v["CidrBlock"]],
        "cidr-block-association.cidr-block": lambda v: [v["CidrBlock"]],
        "owner-id": lambda v: [v["OwnerId"]],
        "dhcp-options-id": lambda v: [v["DhcpOptionsId"]],
    },
    tags=lambda v: [],
)


@operation("DescribeVpcs")
def describe_vpcs(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = vpc_view(ctx.account_id, ctx.region)
    wanted = params.get("VpcIds") or []
    _check_ids("vpc", "InvalidVpcID", "vpc", wanted, {vpc["VpcId"]})
    ctx.dry_run(params)
    return {"Vpcs": apply_filters(_VPC_FILTERS, [vpc], params.get("Filters"))}


_SUBNET_FILTERS = FilterSpec(
    {
        "subnet-id": lambda s: [s["SubnetId"]],
        "vpc-id": lambda s: [s["VpcId"]],
        "availability-zone": lambda s: [s["AvailabilityZone"]],
        "availability-zone-id": lambda s: [s["AvailabilityZoneId"]],
        "availabilityZone": lambda s: [s["AvailabilityZone"]],
        "default-for-az": lambda s: [s["DefaultForAz"]],
        "defaultForAz": lambda s: [s["DefaultForAz"]],
        "cidr-block": lambda s: [s["CidrBlock"]],
        "state": lambda s: [s["State"]],
        "owner-id": lambda s: [s["OwnerId"]],
        "map-public-ip-on-launch": lambda s: [s["MapPublicIpOnLaunch"]],
    },
    tags=lambda s: [],
)


@operation("DescribeSubnets")
def describe_subnets(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    subnets = default_subnets(ctx.account_id, ctx.region)
    wanted = params.get("SubnetIds") or []
    _check_ids("subnet", "InvalidSubnetID", "subnet", wanted, {s.subnet_id for s in subnets})
    ctx.dry_run(params)
    views = [
        subnet_view(ctx.account_id, ctx.region, s)
        for s in subnets
        if not wanted or s.subnet_id in wanted
    ]
    return {"Subnets": apply_filters(_SUBNET_FILTERS, views, params.get("Filters"))}


_SG_FILTERS = FilterSpec(
    {
        "group-id": lambda g: [g["GroupId"]],
        "group-name": lambda g: [g["GroupName"]],
        "vpc-id": lambda g: [g["VpcId"]],
        "owner-id": lambda g: [g["OwnerId"]],
        "description": lambda g: [g["Description"]],
    },
    tags=lambda g: [],
)


@operation("DescribeSecurityGroups")
def describe_security_groups(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = security_group_view(ctx.account_id, ctx.region)
    wanted = params.get("GroupIds") or []
    names = params.get("GroupNames") or []
    for value in wanted:
        if not ids.is_well_formed("sg", value):
            raise Ec2Error("InvalidGroupId.Malformed", f'Invalid id: "{value}"')
        if value != group["GroupId"]:
            raise Ec2Error("InvalidGroup.NotFound", f"The security group '{value}' does not exist")
    for name in names:
        if name != group["GroupName"]:
            raise Ec2Error(
                "InvalidGroup.NotFound",
                f"The security group '{name}' does not exist in default VPC "
                f"'{group['VpcId']}'",
            )
    ctx.dry_run(params)
    return {"SecurityGroups": apply_filters(_SG_FILTERS, [group], params.get("Filters"))}
