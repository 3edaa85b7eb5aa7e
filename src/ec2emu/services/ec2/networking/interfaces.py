"""Network interfaces: their rows, look-ups, views and DescribeNetworkInterfaces, and the
primary interface every launched instance gets.

An interface lives in one subnet for ever (its VPC and zone are the subnet's) and holds its
primary private address and any secondary ones there (:mod:`addresses`). Its MAC address
is ``02:`` and five random bytes; ``SourceDestCheck`` starts true, ``InterfaceType`` is
``interface``, ``RequesterManaged`` false. Attached, it is ``in-use`` with an attachment
(``eni-attach-…``, the instance, the device index, the time, DeleteOnTermination) whose
status is ``attached`` at once: attaching and detaching take no time here (AWS's
``attaching`` and ``detaching`` are not shown). Detached, it is ``available``.

Every launched instance gets its primary interface at device index 0, marked
DeleteOnTermination, with the instance's address and security groups, in the launch's
batch (:func:`primary_rows`). An instance's groups are its primary interface's.

Views: DescribeNetworkInterfaces shows ``TagSet`` (empty when untagged), the attachment
with its instance and owner, and on each private address that has a public one its
``Association``: an Elastic IP associated with it (``IpOwnerId`` the account, with its
``AllocationId`` and ``AssociationId``), on any address of any interface, attached or
not; else, on the primary address of an instance's primary interface, the address of
Amazon's pool it holds (``IpOwnerId`` ``amazon``), as
:func:`~ec2emu.services.ec2.networking.public_addresses.of_interfaces` gives them. The
interface's own ``Association`` is its primary address's. DescribeInstances shows each
instance's interfaces (:func:`instance_interfaces`) in device-index order, their
associations without the two IDs (its shape has none).

DescribeNetworkInterfaces filters: ``network-interface-id``, ``subnet-id``, ``vpc-id``,
``availability-zone``, ``description``, ``mac-address``, ``status``, ``interface-type``,
``owner-id``, ``attachment.instance-id``, ``attachment.attachment-id``,
``private-ip-address`` and ``addresses.private-ip-address`` (any of its addresses),
``addresses.primary``, ``group-id``, ``group-name`` and the tag filters are criteria on the
scope's rows (through their indexes); the other attachment filters, ``source-dest-check``,
``requester-managed``, ``requester-id``, ``private-dns-name`` and the association and IPv6
ones are matched on each page's views.
``IncludeManagedResources`` is taken at its default (false) only: no interface here is
managed by AWS, and a request asking for them is refused by name.
"""

from __future__ import annotations

import secrets
from typing import Any

from ec2emu.services.ec2.networking import addresses as subnet_addresses
from ec2emu.services.ec2.networking import public_addresses
from ec2emu.services.ec2.networking.addresses import private_dns_name
from ec2emu.services.ec2.networking.interface_errors import (
    interface_not_found,
    launch_interface,
    malformed_interface_id,
)
from ec2emu.services.ec2.networking.public_addresses import PublicAddress
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.views import timestamp, with_members
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe, in_repository
from ec2emu.services.shared.filters import booleans
from ec2emu.services.shared.lookups import ResourceKind, stored

Row = dict[str, Any]

INTERFACES = ResourceKind("eni", malformed_interface_id, interface_not_found, stored("network_interfaces"))
IN_USE, AVAILABLE = "in-use", "available"


def mac_address() -> str:
    return "02:" + ":".join(f"{byte:02x}" for byte in secrets.token_bytes(5))


def attachment(instance_id: str, device_index: int, delete_on_termination: bool, now: float) -> Row:
    """The columns of an interface attached now."""
    return {"status": IN_USE, "attachment_id": ids.new_id("eni-attach"), "instance_id": instance_id,
            "device_index": device_index, "attach_time": now, "delete_on_termination": delete_on_termination,
            "attachment_status": "attached"}


DETACHED: Row = {"status": AVAILABLE, "attachment_id": None, "instance_id": None, "device_index": None,
                 "attach_time": None, "delete_on_termination": False, "attachment_status": None}


def interface_row(ctx: RequestContext, subnet: Row, addresses: list[str], groups: list[dict[str, str]], *,
                  description: str = "", attached: Row | None = None, token: str | None = None) -> Row:
    """A new interface in ``subnet`` holding ``addresses`` (the first its primary one)."""
    return {
        "network_interface_id": ids.new_id("eni"), "account_id": ctx.account_id, "region": ctx.region,
        "subnet_id": subnet["subnet_id"], "vpc_id": subnet["vpc_id"],
        "availability_zone": subnet["availability_zone"], "private_ip": addresses[0],
        "mac_address": mac_address(), "description": description, "source_dest_check": True,
        "interface_type": "interface", "requester_managed": False, "create_time": ctx.now_ts, "client_token": token,
        **(attached or DETACHED), "addresses": addresses, "groups": groups,
    }


def primary_rows(ctx: RequestContext, instances: list[Row]) -> list[Row]:
    """The primary interface of each instance launched (its subnet, address and groups)."""
    now = ctx.now_ts
    rows = []
    for instance in instances:
        subnet = {key: instance[key] for key in ("subnet_id", "vpc_id", "availability_zone")}
        rows.append(interface_row(ctx, subnet, [instance["private_ip"]], instance["security_groups"],
                                  attached=attachment(instance["instance_id"], 0, True, now)))
    return rows


def planned_addresses(ctx: RequestContext, subnet: Row, primary: str | None, listed: list[Row] | None,
                      count: int | None, *, launch: bool, taken: list[str] | None = None) -> list[str]:
    """The private addresses a new interface in ``subnet`` holds, its primary one first:
    ``primary`` (``PrivateIpAddress``) or the one of ``listed`` (``PrivateIpAddresses``)
    marked ``Primary``, the others listed, then ``count`` more chosen
    (``SecondaryPrivateIpAddressCount``); without a primary one named, the first chosen.
    ``taken``: addresses of the subnet the request holds already (added to)."""
    held = taken if taken is not None else []
    specs = [spec for spec in listed or [] if spec.get("PrivateIpAddress")]
    marked = [spec["PrivateIpAddress"] for spec in specs if spec.get("Primary")]
    if len(set(marked + ([primary] if primary else []))) > 1:
        raise launch_interface("Only one private IP address can be designated as primary.")
    first = primary or (marked[0] if marked else None)
    named = ([first] if first else []) + [spec["PrivateIpAddress"] for spec in specs
                                           if spec["PrivateIpAddress"] != first]
    if count is not None and count < 0:
        raise launch_interface(f"The secondary private IP address count {count} is not valid.")
    subnet_addresses.check_requested(ctx, subnet, named, launch=launch, taken=held)
    chosen = subnet_addresses.allocate(ctx, subnet, (count or 0) + (0 if first else 1), taken=[*held, *named])
    result = [first] if first else chosen[:1]
    result += [address for address in named if address != first] + (chosen if first else chosen[1:])
    held += result
    return result


# --------------------------------------------------------------------------- views


Publics = dict[tuple[str, str], PublicAddress]


def _common(row: Row, publics: Publics, *, with_ids: bool) -> Row:
    region = row["region"]
    associations = {address["private_ip"]: public_addresses.association_view(public, with_ids=with_ids)
                    for address in row["addresses"]
                    if (public := publics.get((row["network_interface_id"], address["private_ip"]))) is not None}
    addresses = [with_members({"Primary": address["is_primary"],
                               "PrivateDnsName": private_dns_name(region, address["private_ip"]),
                               "PrivateIpAddress": address["private_ip"]},
                              Association=associations.get(address["private_ip"]))
                 for address in row["addresses"]]
    view: Row = {
        "Description": row["description"], "Groups": [dict(group) for group in row["groups"]],
        "InterfaceType": row["interface_type"], "Ipv6Addresses": [], "MacAddress": row["mac_address"],
        "NetworkInterfaceId": row["network_interface_id"], "OwnerId": row["account_id"],
        "PrivateDnsName": private_dns_name(region, row["private_ip"]), "PrivateIpAddress": row["private_ip"],
        "PrivateIpAddresses": addresses, "SourceDestCheck": row["source_dest_check"], "Status": row["status"],
        "SubnetId": row["subnet_id"], "VpcId": row["vpc_id"],
    }
    return with_members(view, Association=associations.get(row["private_ip"]))


def attachment_view(row: Row, *, with_instance: bool = True) -> Row:
    """An attached interface's ``Attachment`` (DescribeInstances' has no instance and owner)."""
    view = {"AttachTime": timestamp(row["attach_time"]), "AttachmentId": row["attachment_id"],
            "DeleteOnTermination": row["delete_on_termination"], "DeviceIndex": row["device_index"],
            "NetworkCardIndex": 0, "Status": row["attachment_status"]}
    if with_instance:
        view.update(InstanceId=row["instance_id"], InstanceOwnerId=row["account_id"])
    return view


def interface_view(row: Row, tags: list[tuple[str, str]] | None, publics: Publics) -> Row:
    """DescribeNetworkInterfaces' view (``publics``: the public addresses of its private
    ones, :func:`~ec2emu.services.ec2.networking.public_addresses.of_interfaces`)."""
    view = _common(row, publics, with_ids=True)
    view.update({"AvailabilityZone": row["availability_zone"], "RequesterManaged": row["requester_managed"],
                 "TagSet": [{"Key": key, "Value": value} for key, value in tags or []]})
    if row["instance_id"] is not None:
        view["Attachment"] = attachment_view(row)
    return view


def interface_views(ctx: RequestContext, rows: list[Row]) -> list[Row]:
    tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [row["network_interface_id"] for row in rows])
    publics = public_addresses.of_interfaces(ctx, rows)
    return [interface_view(row, tags.get(row["network_interface_id"]), publics) for row in rows]


def instance_interfaces(rows: list[Row], publics: Publics) -> list[Row]:
    """An instance's interfaces as DescribeInstances shows them (``publics``: their
    addresses' public ones)."""
    views = []
    for row in rows:
        view = _common(row, publics, with_ids=False)
        view["Attachment"] = attachment_view(row, with_instance=False)
        views.append(view)
    return views


# --------------------------------------------------------------------------- DescribeNetworkInterfaces

_ON_VIEWS = {
    "attachment.attach-time": "Attachment.AttachTime",
    "attachment.delete-on-termination": "Attachment.DeleteOnTermination",
    "attachment.device-index": "Attachment.DeviceIndex",
    "attachment.status": "Attachment.Status",
    "attachment.instance-owner-id": "Attachment.InstanceOwnerId",
    "source-dest-check": "SourceDestCheck",
    "requester-managed": "RequesterManaged",
    "requester-id": "RequesterId",
    "private-dns-name": "PrivateDnsName",
    "association.public-ip": "Association.PublicIp",
    "association.ip-owner-id": "Association.IpOwnerId",
    "association.public-dns-name": "Association.PublicDnsName",
    "association.allocation-id": "Association.AllocationId",
    "association.association-id": "Association.AssociationId",
    "addresses.association.public-ip": "PrivateIpAddresses.Association.PublicIp",
    "addresses.association.owner-id": "PrivateIpAddresses.Association.IpOwnerId",
    "ipv6-addresses.ipv6-address": "Ipv6Addresses.Ipv6Address",
}

DESCRIBE_INTERFACES = Describe(
    result="NetworkInterfaces",
    key="network_interface_id",
    find=in_repository("network_interfaces"),
    view=interface_views,
    filters={
        "network-interface-id": "network_interface_id",
        "subnet-id": "subnet_id",
        "vpc-id": "vpc_id",
        "availability-zone": "availability_zone",
        "description": "description",
        "mac-address": "mac_address",
        "status": "status",
        "interface-type": "interface_type",
        "owner-id": "account_id",
        "attachment.instance-id": "instance_id",
        "attachment.attachment-id": "attachment_id",
        "private-ip-address": "addresses.private_ip",
        "addresses.private-ip-address": "addresses.private_ip",
        "addresses.primary": booleans("addresses.is_primary", "network_interface_id"),
        "group-id": "groups.group_id",
        "group-name": "groups.group_name",
    },
    view_filters=_ON_VIEWS,
    named=by_ids("NetworkInterfaceIds", "networkInterfaceIdSet", INTERFACES),
)


@operation("DescribeNetworkInterfaces", defaults={"IncludeManagedResources": False})
def describe_network_interfaces(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INTERFACES)
