"""CreateNetworkInterface, DeleteNetworkInterface, AttachNetworkInterface and
DetachNetworkInterface.

CreateNetworkInterface: in a subnet (its VPC and zone), with the groups named (of that
VPC; none named, the VPC's default group; at most ``security-groups-per-interface``), a
description, tags, and its private addresses
(:func:`~ec2emu.services.ec2.networking.interfaces.planned_addresses`: an address in use
answers ``InvalidIPAddress.InUse`` "The specified address is already in use"). Only
``InterfaceType`` ``interface`` is honoured; ``efa``, ``efa-only`` and ``trunk`` are
refused by name, as are the IPv6 and prefix members, ``EnablePrimaryIpv6``,
``ConnectionTrackingSpecification`` and ``Operator``. A repeated ``ClientToken`` answers
the interface it created first (AWS documents no mismatch check for this call). The new
interface is ``available`` at once (AWS's example answer shows ``pending``; its own
enumeration has no such status).

DeleteNetworkInterface: an attached interface answers ``InvalidParameterValue`` "Network
interface '…' is currently in use."; its addresses return to the subnet at once, and an
Elastic IP associated with it is disassociated and stays allocated (the EC2 user guide:
deleting an interface releases its Elastic IP addresses for use by another instance).

AttachNetworkInterface: the interface must be ``available`` (``InvalidNetworkInterface.InUse``
otherwise), in the instance's zone (``InvalidParameterCombination``; its VPC may differ, as
AWS allows), the instance running or stopped (``IncorrectInstanceState``), the device
index free on it (``InvalidParameterValue`` "Instance '…' already has an interface attached
at device index '…'.") and below the instance type's interface count
(``AttachmentLimitExceeded``). ``NetworkCardIndex`` 0 is the only card; the ENA Express
and queue members are refused by name. The attachment's DeleteOnTermination is false
(set it with ModifyNetworkInterfaceAttribute). Attaching takes no time: the attachment is
``attached`` at once. The interface's Elastic IPs go with it (they name the instance).

DetachNetworkInterface: by attachment ID; the primary interface (device index 0) answers
``OperationNotPermitted``; the instance must be running or stopped
(``IncorrectInstanceState``). ``Force`` is accepted and changes nothing, a detachment being
immediate here. The interface is ``available`` at once, its addresses kept, and its
Elastic IPs stay associated with it.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.lifecycle.machines import RUNNING, STOPPED
from ec2emu.services.ec2 import instance_types
from ec2emu.services.ec2.instances.common import INSTANCES
from ec2emu.services.ec2.networking import elastic_ips, network, security_groups
from ec2emu.services.ec2.networking.errors import unsupported_value
from ec2emu.services.ec2.networking.interface_errors import (
    attached_interface,
    attachment_limit,
    attachment_not_found,
    device_index_taken,
    interface_in_use,
    malformed_attachment_id,
    not_attachable,
    primary_not_detachable,
    zone_mismatch,
)
from ec2emu.services.ec2.networking.interfaces import (
    AVAILABLE,
    DETACHED,
    INTERFACES,
    attachment,
    interface_row,
    interface_views,
    planned_addresses,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications
from ec2emu.store.repository import Match

_CREATE_UNHONOURED = ("Ipv4Prefixes", "Ipv4PrefixCount", "Ipv6Prefixes", "Ipv6PrefixCount", "Ipv6Addresses",
                      "Ipv6AddressCount", "ConnectionTrackingSpecification", "Operator")
_ATTACH_UNHONOURED = ("EnaSrdSpecification", "EnaQueueCount")


def _created(ctx: RequestContext, interface_id: str, token: str | None) -> dict[str, Any]:
    row = INTERFACES.one(ctx, interface_id)
    result: dict[str, Any] = {"NetworkInterface": interface_views(ctx, [row])[0]}
    if token:
        result["ClientToken"] = token
    return result


@operation("CreateNetworkInterface", refuses=_CREATE_UNHONOURED, defaults={"EnablePrimaryIpv6": False})
def create_network_interface(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    kind = params.get("InterfaceType") or "interface"
    if kind != "interface":
        raise unsupported_value("InterfaceType", kind)
    token = ids.client_token(params)
    if token:
        existing = ctx.uow.network_interfaces.find(ctx.account_id, ctx.region, [Match("client_token", (token,))])
        if existing:
            ctx.dry_run(params)
            return _created(ctx, existing[0]["network_interface_id"], token)
    subnet = network.SUBNETS.one(ctx, params["SubnetId"])
    groups = security_groups.interface_groups(ctx, params.get("Groups"), subnet["vpc_id"])
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("network-interface",))
    addresses = planned_addresses(ctx, subnet, params.get("PrivateIpAddress"), params.get("PrivateIpAddresses"),
                                  params.get("SecondaryPrivateIpAddressCount"), launch=False)
    ctx.dry_run(params)
    row = interface_row(ctx, subnet, addresses, groups, description=params.get("Description") or "", token=token)
    ctx.uow.network_interfaces.insert([row])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["network_interface_id"], "network-interface", tags)
    return _created(ctx, row["network_interface_id"], token)


@operation("DeleteNetworkInterface")
def delete_network_interface(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INTERFACES.one(ctx, params["NetworkInterfaceId"])
    if row["instance_id"] is not None:
        raise attached_interface(row["network_interface_id"])
    ctx.dry_run(params)
    elastic_ips.disassociate_from(ctx, row["network_interface_id"])
    ctx.uow.network_interfaces.delete(row["network_interface_id"])
    return {}


@operation("AttachNetworkInterface", refuses=_ATTACH_UNHONOURED, defaults={"NetworkCardIndex": 0})
def attach_network_interface(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INTERFACES.one(ctx, params["NetworkInterfaceId"])
    instance = INSTANCES.one(ctx, params["InstanceId"])
    index = params["DeviceIndex"]
    if row["status"] != AVAILABLE:
        raise interface_in_use(row["network_interface_id"])
    if instance["state"] not in (RUNNING, STOPPED):
        raise not_attachable(instance["instance_id"])
    if row["availability_zone"] != instance["availability_zone"]:
        raise zone_mismatch()
    attached = ctx.uow.network_interfaces.attached_to([instance["instance_id"]]).get(instance["instance_id"], [])
    if any(other["device_index"] == index for other in attached):
        raise device_index_taken(instance["instance_id"], index)
    itype = instance_types.get(instance["instance_type"])
    limit = itype.max_interfaces if itype is not None else None
    if index < 0 or (limit is not None and (index >= limit or len(attached) >= limit)):
        raise attachment_limit(max(index, len(attached)) + 1, instance["instance_type"])
    ctx.dry_run(params)
    values = attachment(instance["instance_id"], index, False, ctx.now_ts)
    ctx.uow.network_interfaces.update(row["network_interface_id"], values)
    elastic_ips.follow_interface(ctx, row["network_interface_id"], instance["instance_id"])
    return {"AttachmentId": values["attachment_id"], "NetworkCardIndex": 0}


def attachment_of(ctx: RequestContext, attachment_id: Any) -> dict[str, Any]:
    """The interface attached by ``attachment_id`` (well formed, and the account's)."""
    if not attachment_id:
        raise missing_parameter("AttachmentId")
    if not ids.is_well_formed("eni-attach", str(attachment_id)):
        raise malformed_attachment_id(str(attachment_id))
    found = ctx.uow.network_interfaces.find(ctx.account_id, ctx.region, [Match("attachment_id", (attachment_id,))])
    if not found:
        raise attachment_not_found(str(attachment_id))
    return found[0]


@operation("DetachNetworkInterface")
def detach_network_interface(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = attachment_of(ctx, params.get("AttachmentId"))
    if row["device_index"] == 0:
        raise primary_not_detachable()
    instance = INSTANCES.one(ctx, row["instance_id"])
    if instance["state"] not in (RUNNING, STOPPED):
        raise not_attachable(instance["instance_id"])
    ctx.dry_run(params)
    ctx.uow.network_interfaces.update(row["network_interface_id"], dict(DETACHED))
    elastic_ips.follow_interface(ctx, row["network_interface_id"], None)
    return {}

