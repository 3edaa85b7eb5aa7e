"""Security-group rules as requests give them: IpPermissions, the legacy flat form and
ModifySecurityGroupRules' rule requests, read into rule rows (one peer each); a rule's
identity (what makes two rules the same) and its views.

What EC2 documents and this follows: a protocol is a name (``tcp``, ``udp``, ``icmp``,
``icmpv6``, any case) or an IANA number 0–255, ``-1`` for all; ``1``, ``6``, ``17`` and
``58`` are rewritten to their names. ``tcp`` and ``udp`` need a port range 0–65535,
``FromPort`` ≤ ``ToPort``; ``icmp`` a type and code (-1 for all; a type of -1 needs a
code of -1); ``icmpv6`` may omit them (all). Any other protocol allows every port, and the
rule is kept with ports -1, as DescribeSecurityGroupRules shows ``-1``. A CIDR is kept in
its canonical form (``10.0.0.1/8`` is ``10.0.0.0/8``), so a non-canonical spelling of an
existing rule is a duplicate. Two rules are the same when direction, protocol, ports and
peer agree; the description does not count.

Choices where AWS's documentation is silent: a peer group must be one of the account's,
in the same VPC (peered VPCs do not exist here), named by ID or — in the default VPC —
by name; ``UserId`` or ``SourceSecurityGroupOwnerId`` naming another account,
``VpcId``, ``VpcPeeringConnectionId`` and ``PeeringStatus`` in a pair, and the legacy
flat fields of an egress call (documented "Not supported": its registration refuses them)
are refused by name (``UnsupportedOperation``).
A prefix list is taken as any well-formed ``pl-`` ID: this endpoint keeps no prefix
lists, and AWS's managed ones exist in every region. A permission with no peer answers
``MissingParameter``. The legacy ``SourceSecurityGroupName`` without a protocol grants
TCP and UDP 0–65535 and all ICMP, three rules.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ec2emu.errors import invalid_parameter_combination, invalid_parameter_value, missing_parameter
from ec2emu.protocol.scalars import ScalarError, parse_integer
from ec2emu.services.ec2.networking import groups
from ec2emu.services.ec2.networking.errors import (
    group_of_other_vpc,
    invalid_ports,
    invalid_rule_cidr,
    unknown_protocol,
    unsupported_parameter,
)
from ec2emu.services.ec2.networking.groups import ALL, Row, rule_row
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext

_NUMBERED = {"1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6"}
# The legacy flat form of an ingress call (egress calls refuse it: their registrations).
FLAT = ("IpProtocol", "FromPort", "ToPort", "CidrIp", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId")
_MAX_DESCRIPTION = 255


def protocol(value: Any) -> str:
    text = str(value).strip().lower() if value is not None else ""
    text = _NUMBERED.get(text, text)
    if text in (ALL, *groups.WITH_PORTS):
        return text
    try:
        return str(parse_integer(text, 0, 255))
    except ScalarError:
        raise unknown_protocol(value) from None


def _port(value: Any) -> int | None:
    """A port as parsed (the model's integer), or None when not given."""
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    raise invalid_ports(value, "Ports must be whole numbers.")


def ports(proto: str, from_value: Any, to_value: Any) -> tuple[int, int]:
    """A rule's ports (or ICMP type and code) as kept: -1 for all."""
    start, end = _port(from_value), _port(to_value)
    if proto in ("tcp", "udp"):
        if start is None or end is None:
            raise invalid_ports("Must specify both from and to ports with TCP/UDP.")
        for port in (start, end):
            if not 0 <= port <= 65535:
                raise invalid_ports(port, "Ports must be between 0 and 65535.")
        if start > end:
            raise invalid_ports(f"{start}-{end}", "The from port must not be greater than the to port.")
        return start, end
    if proto in ("icmp", "icmpv6"):
        if start is None and end is None and proto == "icmpv6":
            return -1, -1
        if start is None or end is None:
            raise invalid_ports("Must specify both the ICMP type and code.")
        for value in (start, end):
            if not -1 <= value <= 255:
                raise invalid_ports(value, "An ICMP type or code is from -1 to 255.")
        if start == -1 and end != -1:
            raise invalid_ports(end, "The ICMP code must be -1 when the type is -1.")
        return start, end
    return -1, -1


def _description(value: Any) -> str | None:
    if value is not None and len(str(value)) > _MAX_DESCRIPTION:
        raise invalid_parameter_value(f"Value ({value}) for parameter description is invalid. "
                                      f"It must be at most {_MAX_DESCRIPTION} characters.")
    return None if value is None else str(value)


def cidr(value: Any, parameter: str, version: int) -> str:
    try:
        if "/" not in str(value):
            raise ValueError(value)
        network = ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        raise invalid_rule_cidr(value, parameter) from None
    if network.version != version:
        raise invalid_rule_cidr(value, parameter)
    return str(network)


def peer_group(ctx: RequestContext, group: Row, pair: dict[str, Any]) -> dict[str, Any]:
    """The ``referenced_*`` columns of a rule whose peer is a group (of the same VPC)."""
    for name in ("VpcId", "VpcPeeringConnectionId", "PeeringStatus"):
        if pair.get(name):
            raise unsupported_parameter(f"UserIdGroupPairs.{name}")
    if pair.get("UserId") not in (None, "", ctx.account_id):
        raise unsupported_parameter("UserIdGroupPairs.UserId")
    if pair.get("GroupId"):
        peer = groups.GROUPS.one(ctx, pair["GroupId"])
    elif pair.get("GroupName"):
        peer = groups.in_default_vpc(ctx, pair["GroupName"])
    else:
        raise missing_parameter("UserIdGroupPairs.GroupId")
    if peer["vpc_id"] != group["vpc_id"]:
        raise group_of_other_vpc(peer["group_id"], group["vpc_id"])
    return {"referenced_group_id": peer["group_id"], "referenced_user_id": ctx.account_id}


def _peers(ctx: RequestContext, group: Row, permission: dict[str, Any]) -> list[dict[str, Any]]:
    """Each peer of a permission as a rule's peer columns and description."""
    found: list[dict[str, Any]] = []
    for item in permission.get("IpRanges") or []:
        if not item.get("CidrIp"):
            raise missing_parameter("IpRanges.CidrIp")
        found.append({"cidr_ipv4": cidr(item["CidrIp"], "cidrIp", 4), "description": _description(
            item.get("Description"))})
    for item in permission.get("Ipv6Ranges") or []:
        if not item.get("CidrIpv6"):
            raise missing_parameter("Ipv6Ranges.CidrIpv6")
        found.append({"cidr_ipv6": cidr(item["CidrIpv6"], "cidrIpv6", 6),
                      "description": _description(item.get("Description"))})
    for item in permission.get("PrefixListIds") or []:
        if not ids.is_well_formed("pl", str(item.get("PrefixListId") or "")):
            raise invalid_parameter_value(f"The prefix list ID '{item.get('PrefixListId')}' is malformed")
        found.append({"prefix_list_id": item["PrefixListId"], "description": _description(item.get("Description"))})
    for item in permission.get("UserIdGroupPairs") or []:
        found.append({**peer_group(ctx, group, item), "description": _description(item.get("Description"))})
    if not found:
        raise missing_parameter("IpPermissions.IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs")
    return found


def rules_of(ctx: RequestContext, group: Row, permissions: list[dict[str, Any]], *, egress: bool) -> list[Row]:
    """The rules a list of IpPermissions asks for, each with a new ID."""
    rules: list[Row] = []
    for permission in permissions:
        if permission.get("IpProtocol") is None:
            raise missing_parameter("IpPermissions.IpProtocol")
        proto = protocol(permission["IpProtocol"])
        start, end = ports(proto, permission.get("FromPort"), permission.get("ToPort"))
        for peer in _peers(ctx, group, permission):
            rules.append(rule_row(ctx, group["group_id"], ids.new_id("sgr"), egress=egress, protocol=proto,
                                  from_port=start, to_port=end, **peer))
    return rules


def _flat_permissions(ctx: RequestContext, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The legacy flat form of AuthorizeSecurityGroupIngress as IpPermissions."""
    owner = params.get("SourceSecurityGroupOwnerId")
    if owner not in (None, "", ctx.account_id):
        raise unsupported_parameter("SourceSecurityGroupOwnerId")
    source, cidr_ip = params.get("SourceSecurityGroupName"), params.get("CidrIp")
    if source and cidr_ip:
        raise invalid_parameter_combination("The parameter CidrIp cannot be used with the parameter "
                                            "SourceSecurityGroupName")
    if source:
        pair = {"UserIdGroupPairs": [{"GroupName": source}]}
        if params.get("IpProtocol") is None:
            return [{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, **pair},
                    {"IpProtocol": "udp", "FromPort": 0, "ToPort": 65535, **pair},
                    {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, **pair}]
        return [{"IpProtocol": params["IpProtocol"], "FromPort": params.get("FromPort"),
                 "ToPort": params.get("ToPort"), **pair}]
    if params.get("IpProtocol") is None:
        raise missing_parameter("ipProtocol")
    return [{"IpProtocol": params["IpProtocol"], "FromPort": params.get("FromPort"), "ToPort": params.get("ToPort"),
             "IpRanges": [{"CidrIp": cidr_ip if cidr_ip is not None else "0.0.0.0/0"}]}]


def requested(ctx: RequestContext, group: Row, params: dict[str, Any], *, egress: bool) -> list[Row]:
    """The rules an Authorize or Revoke call asks for (IpPermissions or the flat form)."""
    flat = [name for name in FLAT if params.get(name) not in (None, "")]
    if flat and params.get("IpPermissions"):
        raise invalid_parameter_combination(f"The parameter {flat[0]} cannot be used with the parameter "
                                            "IpPermissions")
    if flat:
        return rules_of(ctx, group, _flat_permissions(ctx, params), egress=egress)
    if not params.get("IpPermissions"):
        raise missing_parameter("IpPermissions")
    return rules_of(ctx, group, params["IpPermissions"], egress=egress)


def from_request(ctx: RequestContext, group: Row, rule: Row, request: dict[str, Any]) -> Row:
    """A rule changed as ModifySecurityGroupRules' ``SecurityGroupRule`` asks: the whole
    rule given anew, one peer."""
    if request.get("IpProtocol") is None:
        raise missing_parameter("SecurityGroupRule.IpProtocol")
    proto = protocol(request["IpProtocol"])
    start, end = ports(proto, request.get("FromPort"), request.get("ToPort"))
    given = [name for name in ("CidrIpv4", "CidrIpv6", "PrefixListId", "ReferencedGroupId") if request.get(name)]
    if len(given) != 1:
        raise invalid_parameter_combination("A security group rule has exactly one of CidrIpv4, CidrIpv6, "
                                            "PrefixListId and ReferencedGroupId.")
    permission: dict[str, Any] = {
        "CidrIpv4": {"IpRanges": [{"CidrIp": request.get("CidrIpv4")}]},
        "CidrIpv6": {"Ipv6Ranges": [{"CidrIpv6": request.get("CidrIpv6")}]},
        "PrefixListId": {"PrefixListIds": [{"PrefixListId": request.get("PrefixListId")}]},
        "ReferencedGroupId": {"UserIdGroupPairs": [{"GroupId": request.get("ReferencedGroupId")}]},
    }[given[0]]
    [peer] = _peers(ctx, group, permission)
    peer["description"] = _description(request.get("Description"))
    return rule_row(ctx, group["group_id"], rule["rule_id"], egress=rule["is_egress"], protocol=proto,
                    from_port=start, to_port=end, **peer)


# --------------------------------------------------------------------------- identity and views


def identity(rule: Row) -> tuple[Any, ...]:
    """What makes two rules of a group the same (not their ID or description)."""
    return (rule["is_egress"], rule["ip_protocol"], rule["from_port"], rule["to_port"], rule["cidr_ipv4"],
            rule["cidr_ipv6"], rule["prefix_list_id"], rule["referenced_group_id"])


def described(rule: Row) -> str:
    """A rule as EC2's ``InvalidPermission.Duplicate`` spells it."""
    peer = rule["cidr_ipv4"] or rule["cidr_ipv6"] or rule["prefix_list_id"] or rule["referenced_group_id"]
    proto = rule["ip_protocol"]
    if proto == ALL:
        shape = "ALL"
    elif proto in ("tcp", "udp"):
        shape = f"{proto.upper()}, from port: {rule['from_port']}, to port: {rule['to_port']}"
    elif proto in ("icmp", "icmpv6"):
        shape = f"{proto.upper()}, type: {rule['from_port']}, code: {rule['to_port']}"
    else:
        shape = f"protocol: {proto}"
    return f"peer: {peer}, {shape}, ALLOW"


def rule_view(ctx: RequestContext, rule: Row) -> dict[str, Any]:
    """A rule as DescribeSecurityGroupRules and Authorize answer it."""
    view: dict[str, Any] = {
        "SecurityGroupRuleId": rule["rule_id"], "GroupId": rule["group_id"], "GroupOwnerId": rule["account_id"],
        "IsEgress": rule["is_egress"], "IpProtocol": rule["ip_protocol"], "FromPort": rule["from_port"],
        "ToPort": rule["to_port"],
        "SecurityGroupRuleArn": f"arn:aws:ec2:{ctx.region}:{ctx.account_id}:security-group-rule/{rule['rule_id']}",
    }
    for column, member in (("cidr_ipv4", "CidrIpv4"), ("cidr_ipv6", "CidrIpv6"), ("prefix_list_id", "PrefixListId"),
                           ("description", "Description")):
        if rule[column] is not None:
            view[member] = rule[column]
    if rule["referenced_group_id"] is not None:
        view["ReferencedGroupInfo"] = {"GroupId": rule["referenced_group_id"], "UserId": rule["referenced_user_id"]}
    return view


def revoked_view(rule: Row) -> dict[str, Any]:
    view = {"SecurityGroupRuleId": rule["rule_id"], "GroupId": rule["group_id"], "IsEgress": rule["is_egress"],
            "IpProtocol": rule["ip_protocol"], "FromPort": rule["from_port"], "ToPort": rule["to_port"]}
    for column, member in (("cidr_ipv4", "CidrIpv4"), ("cidr_ipv6", "CidrIpv6"), ("prefix_list_id", "PrefixListId"),
                           ("referenced_group_id", "ReferencedGroupId"), ("description", "Description")):
        if rule[column] is not None:
            view[member] = rule[column]
    return view
