"""Each VPC's default security group, and DescribeSecurityGroups over them.

Security groups are not stored resources yet: every VPC has its group ``default``
("default VPC security group"), derived from the VPC — its ID a stable hash of the
scope and the VPC (the first default VPC's keeps the ID it always had), its rules AWS's
defaults (all traffic in from members of the group, all out to ``0.0.0.0/0``). It comes
and goes with its VPC. Tags on a group are the caller's own (CreateTags).

Errors as EC2 words them: ``InvalidGroup.NotFound`` "The security group 'sg-…' does not
exist" (by ID), "… does not exist in default VPC 'vpc-…'" (by name: names are looked up
in the default VPC only); ``InvalidGroupId.Malformed``; a name asked for in a region
without a default VPC answers ``VPCIdNotSpecified``.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.errors import group_name_not_found, group_not_found, malformed_group_id
from ec2emu.services.ec2.networking import network
from ec2emu.services.ec2.networking.errors import no_default_vpc_for_name
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_memory
from ec2emu.services.shared.tagging import with_tags

DEFAULT_GROUP_NAME = "default"


def default_group_id(account_id: str, region: str, vpc_id: str) -> str:
    """The ID of a VPC's default security group."""
    if vpc_id == network.derived_default_vpc_id(account_id, region):
        return ids.stable_id("sg", account_id, region, "default-sg")
    return ids.stable_id("sg", account_id, region, vpc_id)


def group_view(account_id: str, region: str, vpc_id: str) -> dict[str, Any]:
    group_id = default_group_id(account_id, region, vpc_id)
    return {
        "GroupId": group_id,
        "GroupName": DEFAULT_GROUP_NAME,
        "Description": "default VPC security group",
        "OwnerId": account_id,
        "VpcId": vpc_id,
        "SecurityGroupArn": f"arn:aws:ec2:{region}:{account_id}:security-group/{group_id}",
        "IpPermissions": [
            {"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
             "UserIdGroupPairs": [{"GroupId": group_id, "UserId": account_id}]},
        ],
        "IpPermissionsEgress": [
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
             "UserIdGroupPairs": []},
        ],
    }


def launch_group(ctx: RequestContext, vpc_id: str) -> dict[str, str]:
    """The group an instance launched into ``vpc_id`` gets (``GroupId``, ``GroupName``)."""
    return {"GroupId": default_group_id(ctx.account_id, ctx.region, vpc_id), "GroupName": DEFAULT_GROUP_NAME}


def _groups(ctx: RequestContext) -> list[dict[str, Any]]:
    views = [group_view(ctx.account_id, ctx.region, vpc["vpc_id"]) for vpc in network.find_vpcs(ctx, [])]
    return with_tags(ctx, views, "GroupId")


def _named_groups(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    """Groups by ID (each checked well formed first) and by name (in the default VPC)."""
    wanted = params.get("GroupIds") or []
    for value in wanted:
        if not ids.is_well_formed("sg", value):
            raise malformed_group_id(value)
    known = {view["GroupId"] for view in _groups(ctx)}
    for value in wanted:
        if value not in known:
            raise group_not_found(value)
    keys = list(dict.fromkeys(wanted))
    names = params.get("GroupNames") or []
    if names:
        vpc = network.default_vpc(ctx)
        if vpc is None:
            raise no_default_vpc_for_name()
        for name in names:
            if name != DEFAULT_GROUP_NAME:
                raise group_name_not_found(name, vpc["vpc_id"])
        group_id = default_group_id(ctx.account_id, ctx.region, vpc["vpc_id"])
        if group_id not in keys:
            keys.append(group_id)
    return keys, None


DESCRIBE_SECURITY_GROUPS = Describe(
    result="SecurityGroups",
    key="GroupId",
    find=in_memory("GroupId", _groups),
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
