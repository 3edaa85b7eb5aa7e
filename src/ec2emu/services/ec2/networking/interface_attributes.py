"""ModifyNetworkInterfaceAttribute, DescribeNetworkInterfaceAttribute,
AssignPrivateIpAddresses and UnassignPrivateIpAddresses.

ModifyNetworkInterfaceAttribute takes one attribute per call (``InvalidParameterCombination``
otherwise, and for none): ``Description``, ``SourceDestCheck``, ``Groups`` (of the
interface's VPC, at most ``security-groups-per-interface``; on an instance's primary
interface they are the instance's groups too) or ``Attachment`` (``AttachmentId``, which
must be the interface's current attachment, and ``DeleteOnTermination``). The ENA,
IPv6, connection-tracking and associated-subnet members are refused by name;
``AssociatePublicIpAddress`` too (public addresses are decided at launch here).

DescribeNetworkInterfaceAttribute answers ``description``, ``groupSet``,
``sourceDestCheck`` and ``attachment`` (none for a detached interface);
``associatePublicIpAddress`` is refused by name.

AssignPrivateIpAddresses adds secondary addresses, named (each checked as
:mod:`~ec2emu.services.ec2.networking.addresses` says: ``InvalidIPAddress.InUse`` "The
specified address is already in use") and/or counted; an interface attached to an
instance may hold at most its type's addresses per interface
(``PrivateIpAddressLimitExceeded``). ``AllowReassignment`` (taking an address from another
interface) and the prefix members are refused by name. UnassignPrivateIpAddresses
releases secondary addresses at once; the primary one cannot be released. An Elastic IP
associated with a released address is disassociated and stays allocated (the EC2 user
guide: when a secondary private address is unassigned, its Elastic IP is disassociated).
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.services.ec2 import instance_types
from ec2emu.services.ec2.networking import elastic_ips, network, security_groups
from ec2emu.services.ec2.networking.errors import multiple_attributes, no_attribute, unsupported_value
from ec2emu.services.ec2.networking.interface_errors import (
    address_limit,
    attachment_not_found,
    not_assigned,
    primary_address,
)
from ec2emu.services.ec2.networking.interfaces import INTERFACES, attachment_view, planned_addresses
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext

_MODIFY_UNHONOURED = ("EnaSrdSpecification", "ConnectionTrackingSpecification", "AssociatedSubnetIds")
_ATTRIBUTES = ("Description", "SourceDestCheck", "Groups", "Attachment")


def _value(params: dict[str, Any], member: str) -> Any:
    value = params[member].get("Value") if isinstance(params[member], dict) else params[member]
    if value is None:
        raise missing_parameter(f"{member}.Value")
    return value


@operation("ModifyNetworkInterfaceAttribute", refuses=_MODIFY_UNHONOURED,
           defaults={"EnablePrimaryIpv6": False, "AssociatePublicIpAddress": False})
def modify_network_interface_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INTERFACES.one(ctx, params["NetworkInterfaceId"])
    given = [member for member in _ATTRIBUTES if params.get(member) not in (None, [])]
    if not given:
        raise no_attribute()
    if len(given) > 1:
        raise multiple_attributes([member[0].lower() + member[1:] for member in given])
    [member] = given
    interface_id = row["network_interface_id"]
    if member == "Groups":
        chosen = security_groups.instance_groups(ctx, params["Groups"], row["vpc_id"])
        ctx.dry_run(params)
        ctx.uow.network_interfaces.set_groups(row, chosen)
        if row["device_index"] == 0:
            ctx.uow.instances.update(row["instance_id"], {"security_groups": chosen})
        return {}
    if member == "Attachment":
        changes = params["Attachment"]
        network.refuse_unhonoured(changes, ("EnaQueueCount", "DefaultEnaQueueCount"))
        if changes.get("AttachmentId") is None or changes["AttachmentId"] != row["attachment_id"]:
            raise attachment_not_found(str(changes.get("AttachmentId")))
        if changes.get("DeleteOnTermination") is None:
            raise missing_parameter("Attachment.DeleteOnTermination")
        ctx.dry_run(params)
        ctx.uow.network_interfaces.update(interface_id, {"delete_on_termination": bool(changes["DeleteOnTermination"])})
        return {}
    value = _value(params, member)
    ctx.dry_run(params)
    column = "description" if member == "Description" else "source_dest_check"
    ctx.uow.network_interfaces.update(interface_id, {column: str(value) if member == "Description" else bool(value)})
    return {}


@operation("DescribeNetworkInterfaceAttribute")
def describe_network_interface_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INTERFACES.one(ctx, params["NetworkInterfaceId"])
    attribute = params.get("Attribute")
    if not attribute:
        raise missing_parameter("Attribute")
    if attribute not in ("description", "groupSet", "sourceDestCheck", "attachment"):
        raise unsupported_value("Attribute", attribute)
    ctx.dry_run(params)
    result: dict[str, Any] = {"NetworkInterfaceId": row["network_interface_id"]}
    if attribute == "description":
        result["Description"] = {"Value": row["description"]}
    elif attribute == "groupSet":
        result["Groups"] = [dict(group) for group in row["groups"]]
    elif attribute == "sourceDestCheck":
        result["SourceDestCheck"] = {"Value": row["source_dest_check"]}
    elif row["attachment_id"] is not None:
        result["Attachment"] = attachment_view(row)
    return result


@operation("AssignPrivateIpAddresses", refuses=("Ipv4Prefixes", "Ipv4PrefixCount"),
           defaults={"AllowReassignment": False})
def assign_private_ip_addresses(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INTERFACES.one(ctx, params["NetworkInterfaceId"])
    named = [str(value) for value in params.get("PrivateIpAddresses") or []]
    count = params.get("SecondaryPrivateIpAddressCount")
    if not named and not count:
        raise missing_parameter("SecondaryPrivateIpAddressCount")
    if row["instance_id"] is not None:
        instance = ctx.uow.instances.get(ctx.account_id, ctx.region, [row["instance_id"]]).get(row["instance_id"])
        itype = instance_types.get(instance["instance_type"]) if instance is not None else None
        if itype is not None and len(row["addresses"]) + len(named) + (count or 0) > itype.ipv4_per_interface:
            raise address_limit(itype.name, itype.ipv4_per_interface)
    subnet = network.SUBNETS.one(ctx, row["subnet_id"])
    listed = [{"PrivateIpAddress": address} for address in named]
    added = planned_addresses(ctx, subnet, named[0] if named else None, listed, count if named else (count or 0) - 1,
                              launch=False)
    ctx.dry_run(params)
    ctx.uow.network_interfaces.add_addresses(row, added)
    return {"NetworkInterfaceId": row["network_interface_id"],
            "AssignedPrivateIpAddresses": [{"PrivateIpAddress": address} for address in added],
            "AssignedIpv4Prefixes": []}


@operation("UnassignPrivateIpAddresses", refuses=("Ipv4Prefixes",))
def unassign_private_ip_addresses(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INTERFACES.one(ctx, params["NetworkInterfaceId"])
    wanted = [str(value) for value in params.get("PrivateIpAddresses") or []]
    if not wanted:
        raise missing_parameter("PrivateIpAddress")
    held = {address["private_ip"]: address["is_primary"] for address in row["addresses"]}
    for address in wanted:
        if address not in held:
            raise not_assigned(row["network_interface_id"])
        if held[address]:
            raise primary_address(address, row["network_interface_id"])
    ctx.dry_run(params)
    elastic_ips.disassociate_from(ctx, row["network_interface_id"], wanted)
    ctx.uow.network_interfaces.remove_addresses(row["network_interface_id"], wanted)
    return {}
