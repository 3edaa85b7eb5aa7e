"""CreateSecurityGroup and DeleteSecurityGroup, and the groups an instance is given (at
launch, and by ModifyInstanceAttribute ``GroupId.N``).

CreateSecurityGroup: a name and description of at most 255 characters from EC2's set
(``a-zA-Z0-9``, space and ``._-:/()#,@[]+=&;{}!$*``), a name not starting ``sg-``,
trailing spaces of the name dropped; ``default`` is reserved (``InvalidGroup.Reserved``);
names are unique per VPC case-insensitively (``InvalidGroup.Duplicate``). No ``VpcId``:
the default VPC (``VPCIdNotSpecified`` without one). The group gets one rule, all traffic
out to ``0.0.0.0/0``. The quota ``security-groups-per-region`` (2,500, AWS's "VPC
security groups per Region") counts the VPCs' default groups too.

DeleteSecurityGroup takes ``GroupId`` or, in the default VPC, ``GroupName``. The default
group cannot be deleted (``CannotDelete``); a group a network interface uses — an
instance's primary one until it is gone with the instance's termination, as the clock
shows it — or one another group's rule refers to answers
``DependencyViolation`` "resource sg-… has a dependent object" (AWS also publishes
``InvalidGroup.InUse``; observed answers use ``DependencyViolation``).

An instance's groups: named by ID (each well formed and the account's, of the
instance's VPC: ``InvalidGroup.NotFound`` otherwise, as EC2 answers a group of another
VPC at launch) or, at launch into the default VPC, by name; at most
``security-groups-per-interface`` (5) of them (``SecurityGroupsPerInterfaceLimitExceeded``);
none named, the VPC's default group.
"""

from __future__ import annotations

import re
from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.services.ec2.errors import group_name_not_found, group_not_found, malformed_launch_group_id
from ec2emu.services.ec2.networking import groups, network
from ec2emu.services.ec2.networking.errors import (
    default_group_undeletable,
    group_dependency,
    group_duplicate,
    group_limit_exceeded,
    group_name_invalid,
    group_name_with_subnet,
    group_reserved,
    groups_per_interface,
    no_default_vpc,
)
from ec2emu.services.ec2.networking.network import VPCS
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications

_ALLOWED = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*")
_MAX_LENGTH = 255


def _text(value: str, parameter: str) -> str:
    if len(value) > _MAX_LENGTH:
        raise group_name_invalid(value, parameter, f"Length must be at most {_MAX_LENGTH} characters.")
    if not _ALLOWED.fullmatch(value):
        raise group_name_invalid(value, parameter, "Character sets beyond ASCII are not supported.")
    return value


@operation("CreateSecurityGroup")
def create_security_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = _text(str(params["GroupName"]).rstrip(" "), "GroupName")
    description = _text(str(params["Description"]), "GroupDescription")
    if not name:
        raise missing_parameter("GroupName")
    if name.lower().startswith("sg-"):
        raise group_name_invalid(name, "GroupName", "Group names may not be in the format sg-*.")
    if params.get("VpcId"):
        vpc = VPCS.one(ctx, params["VpcId"])
    else:
        found = network.default_vpc(ctx)
        if found is None:
            raise no_default_vpc()
        vpc = found
    if name.lower() == groups.DEFAULT_GROUP_NAME:
        raise group_reserved(name)
    if groups.named(ctx, vpc["vpc_id"], name) is not None:
        raise group_duplicate(name, vpc["vpc_id"])
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("security-group",))
    if _count(ctx) >= ctx.quota("security-groups-per-region"):
        raise group_limit_exceeded()
    ctx.dry_run(params)
    groups.ensure_stored(ctx)
    group_id = ids.new_id("sg")
    ctx.uow.security_groups.insert(groups.group_row(ctx, group_id, vpc["vpc_id"], name, description,
                                                    rule_ids=(ids.new_id("sgr"),)))
    ctx.uow.tags.put(ctx.account_id, ctx.region, group_id, "security-group", tags)
    result: dict[str, Any] = {"GroupId": group_id, "SecurityGroupArn": groups.group_arn(ctx, group_id)}
    if tags:
        result["Tags"] = [{"Key": key, "Value": value} for key, value in tags]
    return result


def _count(ctx: RequestContext) -> int:
    if groups.is_stored(ctx):
        return ctx.uow.security_groups.count(ctx.account_id, ctx.region)
    return len(network.find_vpcs(ctx, []))


@operation("DeleteSecurityGroup")
def delete_security_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = groups.addressed(ctx, params)
    group_id = group["group_id"]
    if group["is_default"]:
        raise default_group_undeletable(group_id)
    if (ctx.uow.security_groups.users(ctx.account_id, ctx.region, group_id)
            or ctx.uow.security_groups.referrers(group_id)):
        raise group_dependency(group_id)
    ctx.dry_run(params)
    groups.ensure_stored(ctx)
    ctx.uow.security_groups.delete(group_id)
    return {"Return": True, "GroupId": group_id}


# --------------------------------------------------------------------------- an instance's groups


def _by_ids(ctx: RequestContext, values: list[str], vpc_id: str) -> list[dict[str, Any]]:
    unique = list(dict.fromkeys(values))
    for value in unique:
        if not ids.is_well_formed("sg", value):
            raise malformed_launch_group_id(value)
    found = groups.GROUPS.get(ctx, unique)
    for value in unique:
        if value not in found or found[value]["vpc_id"] != vpc_id:
            raise group_not_found(value)
    return [found[value] for value in unique]


def _chosen(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    if len(rows) > ctx.quota("security-groups-per-interface"):
        raise groups_per_interface()
    return [{"GroupId": row["group_id"], "GroupName": row["group_name"]} for row in rows]


def launch_groups(ctx: RequestContext, params: dict[str, Any], vpc_id: str) -> list[dict[str, str]]:
    """The groups a launch into ``vpc_id`` gives its instances (``GroupId``, ``GroupName``):
    those named by ID and — in the default VPC only — by name (a subnet of another VPC
    with names: ``InvalidParameterCombination``), else the VPC's default group."""
    rows = _by_ids(ctx, params.get("SecurityGroupIds") or [], vpc_id)
    names = params.get("SecurityGroups") or []
    if names:
        default = network.default_vpc(ctx)
        if default is None or default["vpc_id"] != vpc_id:
            raise group_name_with_subnet()
        for name in dict.fromkeys(names):
            row = groups.named(ctx, vpc_id, name)
            if row is None:
                raise group_name_not_found(name, vpc_id)
            if row not in rows:
                rows.append(row)
    if not rows:
        return [groups.launch_group(ctx, vpc_id)]
    return _chosen(ctx, rows)


def interface_groups(ctx: RequestContext, values: list[str] | None, vpc_id: str) -> list[dict[str, str]]:
    """The groups a new network interface in ``vpc_id`` gets: those named by ID, else the
    VPC's default group."""
    if not values:
        return [groups.launch_group(ctx, vpc_id)]
    return _chosen(ctx, _by_ids(ctx, [str(value) for value in values], vpc_id))


def instance_groups(ctx: RequestContext, values: Any, vpc_id: str) -> list[dict[str, str]]:
    """The groups ModifyInstanceAttribute ``GroupId.N`` gives an instance of ``vpc_id``."""
    wanted = [values] if isinstance(values, str) else list(values or [])
    if not wanted:
        raise missing_parameter("GroupId")
    return _chosen(ctx, _by_ids(ctx, [str(value) for value in wanted], vpc_id))
