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

from ec2emu.errors import Ec2Error, ids_with_max_results, invalid_next_token
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
from ec2emu.services.shared.filters import FilterSpec, apply_filters
from ec2emu.services.shared.pagination import decode_token, encode_token, page_size
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


def _check_ids(prefix: str, wanted: list[str], known: set[str], malformed: Callable[[str], Ec2Error],
               not_found: Callable[[list[str]], Ec2Error]) -> None:
    for value in wanted:
        if not ids.is_well_formed(prefix, value):
            raise malformed(value)
    missing = list(dict.fromkeys(v for v in wanted if v not in known))
    if missing:
        raise not_found(missing)


def _with_tags(ctx: RequestContext, views: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Attach this account's tags (``Tags``, absent when untagged) to each view."""
    resource_ids = tuple(view[key] for view in views)
    if not resource_ids:
        return views
    found: dict[str, list[dict[str, str]]] = {}
    for row in ctx.uow.tags.find(ctx.account_id, ctx.region, [Match("resource_id", resource_ids)]):
        found.setdefault(row["resource_id"], []).append({"Key": row["key"], "Value": row["value"]})
    for view in views:
        if view[key] in found:
            view["Tags"] = found[view[key]]
    return views


def _page(
    views: list[dict[str, Any]], key: str, params: dict[str, Any], has_ids: bool, ids_name: str
) -> dict[str, Any]:
    """One page of ``views`` (ordered by ``key``) after the request's NextToken."""
    if has_ids and "MaxResults" in params:
        raise ids_with_max_results(ids_name)
    limit = page_size(params.get("MaxResults"))
    after = decode_token(params.get("NextToken"))
    views = sorted(views, key=lambda v: v[key])
    if after is not None:
        if not isinstance(after, str):
            raise invalid_next_token(params.get("NextToken"))
        views = [v for v in views if v[key] > after]
    result: dict[str, Any] = {}
    if limit is not None and len(views) > limit:
        views = views[:limit]
        result["NextToken"] = encode_token(views[-1][key])
    result["items"] = views
    return result


def _tags_of(view: dict[str, Any]) -> list[dict[str, str]]:
    return list(view.get("Tags", []))


_VPC_FILTERS = FilterSpec(
    {
        "vpc-id": lambda v: [v["VpcId"]],
        "is-default": lambda v: [v["IsDefault"]],
        "isDefault": lambda v: [v["IsDefault"]],
        "state": lambda v: [v["State"]],
        "cidr": lambda v: [v["CidrBlock"]],
        "cidr-block-association.cidr-block": lambda v: [a["CidrBlock"] for a in v["CidrBlockAssociationSet"]],
        "cidr-block-association.association-id": lambda v: [
            a["AssociationId"] for a in v["CidrBlockAssociationSet"]
        ],
        "cidr-block-association.state": lambda v: [
            a["CidrBlockState"]["State"] for a in v["CidrBlockAssociationSet"]
        ],
        "owner-id": lambda v: [v["OwnerId"]],
        "dhcp-options-id": lambda v: [v["DhcpOptionsId"]],
        "instance-tenancy": lambda v: [v["InstanceTenancy"]],
    },
    tags=_tags_of,
)


@operation("DescribeVpcs")
def describe_vpcs(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    vpc = vpc_view(ctx.account_id, ctx.region)
    wanted = params.get("VpcIds") or []
    _check_ids("vpc", wanted, {vpc["VpcId"]}, malformed_vpc_id, vpc_not_found)
    views = _with_tags(ctx, [vpc], "VpcId")
    views = apply_filters(_VPC_FILTERS, views, params.get("Filters"))
    page = _page(views, "VpcId", params, bool(wanted), "vpcIds")
    ctx.dry_run(params)
    result = {"Vpcs": page.pop("items")}
    result.update(page)
    return result


_SUBNET_FILTERS = FilterSpec(
    {
        "subnet-id": lambda s: [s["SubnetId"]],
        "subnet-arn": lambda s: [s["SubnetArn"]],
        "vpc-id": lambda s: [s["VpcId"]],
        "availability-zone": lambda s: [s["AvailabilityZone"]],
        "availabilityZone": lambda s: [s["AvailabilityZone"]],
        "availability-zone-id": lambda s: [s["AvailabilityZoneId"]],
        "availabilityZoneId": lambda s: [s["AvailabilityZoneId"]],
        "available-ip-address-count": lambda s: [s["AvailableIpAddressCount"]],
        "default-for-az": lambda s: [s["DefaultForAz"]],
        "defaultForAz": lambda s: [s["DefaultForAz"]],
        "cidr": lambda s: [s["CidrBlock"]],
        "cidr-block": lambda s: [s["CidrBlock"]],
        "cidrBlock": lambda s: [s["CidrBlock"]],
        "ipv6-native": lambda s: [s["Ipv6Native"]],
        "map-public-ip-on-launch": lambda s: [s["MapPublicIpOnLaunch"]],
        "owner-id": lambda s: [s["OwnerId"]],
        "state": lambda s: [s["State"]],
    },
    tags=_tags_of,
)

_HOLDS_ADDRESS = ("pending", "running", "shutting-down", "stopping", "stopped")


@operation("DescribeSubnets")
def describe_subnets(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    subnets = default_subnets(ctx.account_id, ctx.region)
    wanted = params.get("SubnetIds") or []
    _check_ids("subnet", wanted, {s.subnet_id for s in subnets}, malformed_subnet_id, subnet_not_found)
    chosen = [s for s in subnets if not wanted or s.subnet_id in wanted]
    views = []
    for subnet in chosen:
        view = subnet_view(ctx.account_id, ctx.region, subnet)
        in_use = ctx.uow.instances.find(
            ctx.account_id,
            ctx.region,
            [Match("subnet_id", (subnet.subnet_id,)), Match("state", _HOLDS_ADDRESS)],
        )
        view["AvailableIpAddressCount"] -= len(in_use)
        views.append(view)
    views = _with_tags(ctx, views, "SubnetId")
    views = apply_filters(_SUBNET_FILTERS, views, params.get("Filters"))
    page = _page(views, "SubnetId", params, bool(wanted), "subnetIds")
    ctx.dry_run(params)
    result = {"Subnets": page.pop("items")}
    result.update(page)
    return result


def _permission_values(group: dict[str, Any], egress: bool, field: str) -> list[Any]:
    permissions = group["IpPermissionsEgress" if egress else "IpPermissions"]
    if field == "protocol":
        return [p["IpProtocol"] for p in permissions]
    if field == "cidr":
        return [r["CidrIp"] for p in permissions for r in p["IpRanges"]]
    return [pair["GroupId"] for p in permissions for pair in p["UserIdGroupPairs"]]


_SG_FILTERS = FilterSpec(
    {
        "group-id": lambda g: [g["GroupId"]],
        "group-name": lambda g: [g["GroupName"]],
        "vpc-id": lambda g: [g["VpcId"]],
        "owner-id": lambda g: [g["OwnerId"]],
        "description": lambda g: [g["Description"]],
        "ip-permission.protocol": lambda g: _permission_values(g, False, "protocol"),
        "ip-permission.cidr": lambda g: _permission_values(g, False, "cidr"),
        "ip-permission.group-id": lambda g: _permission_values(g, False, "group"),
        "egress.ip-permission.protocol": lambda g: _permission_values(g, True, "protocol"),
        "egress.ip-permission.cidr": lambda g: _permission_values(g, True, "cidr"),
        "egress.ip-permission.group-id": lambda g: _permission_values(g, True, "group"),
    },
    tags=_tags_of,
)


@operation("DescribeSecurityGroups")
def describe_security_groups(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = security_group_view(ctx.account_id, ctx.region)
    wanted = params.get("GroupIds") or []
    names = params.get("GroupNames") or []
    for value in wanted:
        if not ids.is_well_formed("sg", value):
            raise malformed_group_id(value)
    for value in wanted:
        if value != group["GroupId"]:
            raise group_not_found(value)
    for name in names:
        if name != group["GroupName"]:
            raise group_name_not_found(name, group["VpcId"])
    views = _with_tags(ctx, [group], "GroupId")
    views = apply_filters(_SG_FILTERS, views, params.get("Filters"))
    page = _page(views, "GroupId", params, bool(wanted or names), "groupIds")
    ctx.dry_run(params)
    result = {"SecurityGroups": page.pop("items")}
    result.update(page)
    return result
