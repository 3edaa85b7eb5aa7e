"""Security groups as a scope holds them, stored or derived; their views; each VPC's
default group; DescribeSecurityGroups.

Every VPC has its group ``default`` ("default VPC security group"), with AWS's default
rules: all traffic in from members of the group, all out to ``0.0.0.0/0``. A new group
gets the outbound rule only.

Derived until first written, then stored — the pattern of VPCs and subnets
(:mod:`~ec2emu.services.ec2.networking.network`), for the same reason: any key is an
account in permissive mode and every account has a default VPC in every region, so
storing each VPC's default group when the VPC is made would cost rows for scopes that
never touch a group. Until a request writes a group of the scope (creates, deletes one,
or changes rules), each VPC's default group is derived from the VPC: its ID a stable
hash of the scope and the VPC (the first default VPC's keeps the ID it always had), its
rules' IDs stable hashes of the group. The first write stores every VPC's default group
with those same IDs and marks the scope's groups stored (:func:`ensure_stored`); from
then on a VPC made in the scope gets its default group as a row (:func:`vpc_created`),
and a deleted VPC takes its default group with it (:func:`vpc_deleted`). The groups'
flag is the scope's own, apart from the network's: a group write does not store the
scope's VPCs, nor a VPC write its groups. Readers never write; launching an instance
with a group is not a write to the group.

Rows are the store's (``group_id``, ``vpc_id``, ``group_name``, ``name_key`` — the
lower-cased name, as names are unique per VPC case-insensitively — ``description``,
``is_default``, and ``rules``, each rule one peer), whichever way they come.

DescribeSecurityGroups filters ``group-id``, ``group-name``, ``vpc-id``, ``owner-id``,
``description`` and the tag filters through the scope's indexes; the ``ip-permission.*``
and ``egress.ip-permission.*`` filters are matched on the page's views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.services.ec2.errors import group_name_not_found, group_not_found, malformed_group_id
from ec2emu.services.ec2.networking import network
from ec2emu.services.ec2.networking.errors import no_default_vpc_for_name
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe
from ec2emu.services.shared.lookups import ResourceKind
from ec2emu.services.shared.tagging import with_tags
from ec2emu.store.repository import Match

Row = dict[str, Any]

DEFAULT_GROUP_NAME = "default"
DEFAULT_DESCRIPTION = "default VPC security group"
ALL = "-1"
# Protocols whose rules have a port range (or, for ICMP, a type and code).
WITH_PORTS = ("tcp", "udp", "icmp", "icmpv6")


def default_group_id(account_id: str, region: str, vpc_id: str) -> str:
    """The ID of a VPC's default security group."""
    if vpc_id == network.derived_default_vpc_id(account_id, region):
        return ids.stable_id("sg", account_id, region, "default-sg")
    return ids.stable_id("sg", account_id, region, vpc_id)


def rule_row(ctx: RequestContext, group_id: str, rule_id: str, *, egress: bool, protocol: str = ALL,
             from_port: int = -1, to_port: int = -1, **peer: Any) -> Row:
    """A rule: the group's, a protocol and ports, one peer (``cidr_ipv4``, ``cidr_ipv6``,
    ``prefix_list_id`` or ``referenced_group_id`` with ``referenced_user_id``) and its
    ``description``."""
    row = {"rule_id": rule_id, "group_id": group_id, "account_id": ctx.account_id, "region": ctx.region,
           "is_egress": egress, "ip_protocol": protocol, "from_port": from_port, "to_port": to_port,
           "cidr_ipv4": None, "cidr_ipv6": None, "prefix_list_id": None, "referenced_group_id": None,
           "referenced_user_id": None, "description": None}
    row.update(peer)
    return row


def group_row(ctx: RequestContext, group_id: str, vpc_id: str, name: str, description: str, *,
              rule_ids: tuple[str, ...]) -> Row:
    """A group as created: the default group (two rule IDs: its inbound rule from itself,
    then its outbound one) or another (one rule ID: the outbound rule)."""
    rules = [rule_row(ctx, group_id, rule_ids[-1], egress=True, cidr_ipv4="0.0.0.0/0")]
    if len(rule_ids) > 1:
        rules.insert(0, rule_row(ctx, group_id, rule_ids[0], egress=False, referenced_group_id=group_id,
                                 referenced_user_id=ctx.account_id))
    return {"group_id": group_id, "account_id": ctx.account_id, "region": ctx.region, "vpc_id": vpc_id,
            "group_name": name, "name_key": name.lower(), "description": description,
            "is_default": len(rule_ids) > 1, "rules": rules}


def _default_group(ctx: RequestContext, vpc_id: str) -> Row:
    """A VPC's default group as derived (and as stored, the first time)."""
    group_id = default_group_id(ctx.account_id, ctx.region, vpc_id)
    return group_row(ctx, group_id, vpc_id, DEFAULT_GROUP_NAME, DEFAULT_DESCRIPTION,
                     rule_ids=(ids.stable_id("sgr", group_id, "ingress"), ids.stable_id("sgr", group_id, "egress")))


def _derived(ctx: RequestContext) -> list[Row]:
    return [_default_group(ctx, vpc["vpc_id"]) for vpc in network.find_vpcs(ctx, [])]


# --------------------------------------------------------------------------- stored or derived


def is_stored(ctx: RequestContext) -> bool:
    return ctx.uow.security_groups.is_stored(ctx.account_id, ctx.region)


def ensure_stored(ctx: RequestContext) -> None:
    """Before a write to the scope's groups: store its VPCs' derived default groups, once."""
    if is_stored(ctx):
        return
    for row in _derived(ctx):
        ctx.uow.security_groups.insert(row)
    ctx.uow.security_groups.mark_stored(ctx.account_id, ctx.region)


def vpc_created(ctx: RequestContext, vpc_id: str) -> None:
    """A VPC was made: its default group is a row when the scope's groups are stored."""
    if is_stored(ctx):
        group_id = ids.new_id("sg")
        ctx.uow.security_groups.insert(group_row(ctx, group_id, vpc_id, DEFAULT_GROUP_NAME, DEFAULT_DESCRIPTION,
                                                 rule_ids=(ids.new_id("sgr"), ids.new_id("sgr"))))


def others_in(ctx: RequestContext, vpc_id: str) -> list[Row]:
    """The groups of a VPC other than its default one (what keeps the VPC from deletion)."""
    return [row for row in in_vpc(ctx, vpc_id) if not row["is_default"]]


def vpc_deleted(ctx: RequestContext, vpc_id: str) -> None:
    """A VPC was deleted: its default group goes with it, and the tags of the group and
    its rules (a derived group is no longer derived, but tags put on it were stored)."""
    if is_stored(ctx):
        for row in in_vpc(ctx, vpc_id):
            ctx.uow.security_groups.delete(row["group_id"])
        return
    group = _default_group(ctx, vpc_id)
    ctx.uow.tags.delete_all(ctx.account_id, ctx.region,
                            [group["group_id"], *(rule["rule_id"] for rule in group["rules"])])


def find_groups(ctx: RequestContext, matches: list[Match], after: Any = None, limit: int | None = None) -> list[Row]:
    """The scope's groups meeting every criterion, by ID, after ``after``."""
    if is_stored(ctx):
        return ctx.uow.security_groups.find(ctx.account_id, ctx.region, matches, after_id=after, limit=limit)
    return network.derived_rows(ctx, _derived(ctx), "group_id", matches, after, limit)


def find_rules(ctx: RequestContext, matches: list[Match], after: Any = None, limit: int | None = None) -> list[Row]:
    """The scope's rules meeting every criterion, by ID, after ``after``."""
    if is_stored(ctx):
        return ctx.uow.security_groups.find_rules(ctx.account_id, ctx.region, matches, after_id=after, limit=limit)
    rules = [rule for group in _derived(ctx) for rule in group["rules"]]
    return network.derived_rows(ctx, rules, "rule_id", matches, after, limit)


def in_vpc(ctx: RequestContext, vpc_id: str) -> list[Row]:
    return find_groups(ctx, [Match("vpc_id", (vpc_id,))])


def _by_id(ctx: RequestContext, wanted: list[str], **_: Any) -> Mapping[str, Row]:
    return {row["group_id"]: row for row in find_groups(ctx, [Match("group_id", tuple(wanted))])} if wanted else {}


# Look-ups by ID with EC2's errors (``InvalidGroupId.Malformed``, ``InvalidGroup.NotFound``
# naming the first unknown group).
GROUPS = ResourceKind("sg", malformed_group_id, lambda missing: group_not_found(missing[0]), _by_id)


def named(ctx: RequestContext, vpc_id: str, name: str) -> Row | None:
    """The group of a VPC with that name (case-insensitively), if any."""
    found = find_groups(ctx, [Match("vpc_id", (vpc_id,)), Match("name_key", (name.lower(),))])
    return found[0] if found else None


def in_default_vpc(ctx: RequestContext, name: str) -> Row:
    """A group named in the default VPC (``VPCIdNotSpecified`` without one;
    ``InvalidGroup.NotFound`` "… does not exist in default VPC 'vpc-…'")."""
    vpc = network.default_vpc(ctx)
    if vpc is None:
        raise no_default_vpc_for_name()
    group = named(ctx, vpc["vpc_id"], name)
    if group is None:
        raise group_name_not_found(name, vpc["vpc_id"])
    return group


def addressed(ctx: RequestContext, params: dict[str, Any]) -> Row:
    """The group a request names by ``GroupId`` or, in the default VPC, by ``GroupName``."""
    if params.get("GroupId"):
        return GROUPS.one(ctx, params["GroupId"])
    if params.get("GroupName"):
        return in_default_vpc(ctx, params["GroupName"])
    raise missing_parameter("groupName or groupId")


# --------------------------------------------------------------------------- views


def _peer(rule: Row) -> tuple[str, dict[str, Any]]:
    """The IpPermission member a rule's peer is listed in, and its item."""
    described = {"Description": rule["description"]} if rule["description"] is not None else {}
    if rule["cidr_ipv4"] is not None:
        return "IpRanges", {"CidrIp": rule["cidr_ipv4"], **described}
    if rule["cidr_ipv6"] is not None:
        return "Ipv6Ranges", {"CidrIpv6": rule["cidr_ipv6"], **described}
    if rule["prefix_list_id"] is not None:
        return "PrefixListIds", {"PrefixListId": rule["prefix_list_id"], **described}
    return "UserIdGroupPairs", {"GroupId": rule["referenced_group_id"], "UserId": rule["referenced_user_id"],
                                **described}


def permissions(rules: list[Row]) -> list[dict[str, Any]]:
    """Rules as EC2's IpPermissions: one per protocol and port range, its peers listed."""
    found: dict[tuple[str, int, int], dict[str, Any]] = {}
    for rule in rules:
        key = (rule["ip_protocol"], rule["from_port"], rule["to_port"])
        permission = found.get(key)
        if permission is None:
            permission = found[key] = {"IpProtocol": rule["ip_protocol"], "IpRanges": [], "Ipv6Ranges": [],
                                       "PrefixListIds": [], "UserIdGroupPairs": []}
            if rule["ip_protocol"] in WITH_PORTS:
                permission.update(FromPort=rule["from_port"], ToPort=rule["to_port"])
        member, item = _peer(rule)
        permission[member].append(item)
    return list(found.values())


def group_arn(ctx: RequestContext, group_id: str) -> str:
    return f"arn:aws:ec2:{ctx.region}:{ctx.account_id}:security-group/{group_id}"


def group_view(ctx: RequestContext, row: Row) -> dict[str, Any]:
    return {
        "GroupId": row["group_id"],
        "GroupName": row["group_name"],
        "Description": row["description"],
        "OwnerId": row["account_id"],
        "VpcId": row["vpc_id"],
        "SecurityGroupArn": group_arn(ctx, row["group_id"]),
        "IpPermissions": permissions([rule for rule in row["rules"] if not rule["is_egress"]]),
        "IpPermissionsEgress": permissions([rule for rule in row["rules"] if rule["is_egress"]]),
    }


def group_views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    return with_tags(ctx, [group_view(ctx, row) for row in rows], "GroupId")


def launch_group(ctx: RequestContext, vpc_id: str) -> dict[str, str]:
    """The group an instance launched into ``vpc_id`` gets when it names none."""
    return {"GroupId": default_group_id(ctx.account_id, ctx.region, vpc_id), "GroupName": DEFAULT_GROUP_NAME}


# --------------------------------------------------------------------------- DescribeSecurityGroups


def _named_groups(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], Mapping[str, Row]]:
    """Groups by ID (each checked well formed first) and by name (in the default VPC)."""
    keys, found = GROUPS.load(ctx, params.get("GroupIds") or [])
    for name in params.get("GroupNames") or []:
        group = in_default_vpc(ctx, name)
        if group["group_id"] not in found:
            keys.append(group["group_id"])
            found[group["group_id"]] = group
    return keys, found


_PERMISSION_FILTERS = {
    "protocol": "IpProtocol",
    "from-port": "FromPort",
    "to-port": "ToPort",
    "cidr": "IpRanges.CidrIp",
    "ipv6-cidr": "Ipv6Ranges.CidrIpv6",
    "prefix-list-id": "PrefixListIds.PrefixListId",
    "group-id": "UserIdGroupPairs.GroupId",
    "user-id": "UserIdGroupPairs.UserId",
}

DESCRIBE_SECURITY_GROUPS = Describe(
    result="SecurityGroups",
    key="group_id",
    find=find_groups,
    view=group_views,
    filters={
        "group-id": "group_id",
        "group-name": "group_name",
        "vpc-id": "vpc_id",
        "owner-id": "account_id",
        "description": "description",
    },
    view_filters={
        **{f"ip-permission.{name}": f"IpPermissions.{path}" for name, path in _PERMISSION_FILTERS.items()},
        **{f"egress.ip-permission.{name}": f"IpPermissionsEgress.{path}" for name, path in _PERMISSION_FILTERS.items()},
    },
    named=Naming(("GroupIds", "GroupNames"), _named_groups, "groupIds"),
)


@operation("DescribeSecurityGroups")
def describe_security_groups(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_SECURITY_GROUPS)
