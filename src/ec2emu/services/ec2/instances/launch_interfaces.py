"""The network interfaces of a launch: RunInstances' ``PrivateIpAddress`` and its
``NetworkInterfaces`` members.

``PrivateIpAddress`` names the instance's primary address: inside its subnet, not one of
the five reserved (``InvalidParameterValue`` "invalid value for parameter address: x"),
not held (``InvalidIPAddress.InUse`` "Address x is in use."), and only for a launch of one
instance (``MaxCount`` 1; ``InvalidParameterCombination`` otherwise). Without a subnet
named, the default subnet whose block holds it.

``NetworkInterfaces``: one member per interface, each with a ``DeviceIndex`` (unique; one
of them 0, the primary interface, which places the instance), either an existing
``available`` interface (``NetworkInterfaceId``; ``InvalidNetworkInterface.InUse``
"Interface: [eni-…] in use." when attached; nothing else may be given for it, and only for
a launch of one instance) or a new one: ``SubnetId`` (for the others than the primary, the
instance's subnet when none is given), ``Groups`` (of that subnet's VPC; none, its
default group), ``PrivateIpAddress`` / ``PrivateIpAddresses`` (only for one instance) and
``SecondaryPrivateIpAddressCount``, ``Description``, ``DeleteOnTermination`` (default
true; true only for an interface the launch creates). Every interface must be in the
instance's zone. The members come without the instance-level ``SubnetId``,
``PrivateIpAddress`` and security groups (``InvalidParameterCombination``, as EC2 says).
The instance type limits the interfaces (``AttachmentLimitExceeded``) and the addresses
of each (``PrivateIpAddressLimitExceeded``). ``AssociatePublicIpAddress`` is read where
public addresses are decided (it is not this module's); ``InterfaceType`` ``interface``
and ``NetworkCardIndex`` 0 are accepted, every other member is refused by name.
A launch with interfaces launches ``MaxCount`` instances or none
(``InsufficientFreeAddressesInSubnet`` when their addresses are not free). The
``network-interface`` tags of ``TagSpecifications`` go on the interfaces the launch
creates (not on existing ones it attaches). An existing interface's Elastic IPs stay
associated with it and name the instance.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from ec2emu.errors import invalid_parameter_value
from ec2emu.services.ec2.networking import addresses, elastic_ips, network, security_groups
from ec2emu.services.ec2.networking.errors import (
    interface_without_device_index,
    unsupported_parameter,
    unsupported_value,
)
from ec2emu.services.ec2.networking.interface_errors import (
    address_for_many,
    address_limit,
    attachment_limit,
    interface_in_use,
    interfaces_with_address,
    interfaces_with_groups,
    interfaces_with_subnet,
    invalid_address,
    launch_interface,
)
from ec2emu.services.ec2.networking.interfaces import (
    INTERFACES,
    attachment,
    interface_row,
    planned_addresses,
    primary_rows,
)
from ec2emu.services.shared.context import RequestContext

Row = dict[str, Any]

_HONOURED = {"DeviceIndex", "NetworkInterfaceId", "SubnetId", "Groups", "PrivateIpAddress", "PrivateIpAddresses",
             "SecondaryPrivateIpAddressCount", "Description", "DeleteOnTermination", "AssociatePublicIpAddress",
             "InterfaceType", "NetworkCardIndex"}
_NEW_ONLY = ("SubnetId", "Groups", "PrivateIpAddress", "PrivateIpAddresses", "SecondaryPrivateIpAddressCount",
             "Description")


def check_members(params: dict[str, Any], max_count: int) -> None:
    """The combinations EC2 refuses before looking anything up."""
    specs = params.get("NetworkInterfaces") or []
    if params.get("PrivateIpAddress"):
        if specs:
            raise interfaces_with_address()
        if max_count > 1:
            raise address_for_many()
    if not specs:
        return
    if params.get("SubnetId"):
        raise interfaces_with_subnet()
    if params.get("SecurityGroupIds") or params.get("SecurityGroups"):
        raise interfaces_with_groups()
    indexes = []
    for spec in specs:
        for member, value in spec.items():
            if member not in _HONOURED and value not in (None, False, [], 0):
                raise unsupported_parameter(f"NetworkInterface.{member}")
        if spec.get("InterfaceType") not in (None, "interface"):
            raise unsupported_value("NetworkInterface.InterfaceType", spec["InterfaceType"])
        if spec.get("NetworkCardIndex") not in (None, 0):
            raise unsupported_value("NetworkInterface.NetworkCardIndex", spec["NetworkCardIndex"])
        if spec.get("DeviceIndex") is None:
            raise interface_without_device_index()
        indexes.append(spec["DeviceIndex"])
        if spec.get("NetworkInterfaceId"):
            if any(spec.get(member) not in (None, []) for member in _NEW_ONLY):
                raise launch_interface("A network interface ID cannot be specified with the settings of a new "
                                       "network interface.")
            if max_count > 1:
                raise launch_interface("An existing network interface can only be attached to a single instance.")
        elif max_count > 1 and (spec.get("PrivateIpAddress") or spec.get("PrivateIpAddresses")):
            raise address_for_many()
    if len(set(indexes)) != len(indexes) or 0 not in indexes:
        raise launch_interface("The network interfaces must have distinct device indexes, one of them 0.")


def _primary(params: dict[str, Any]) -> Row | None:
    return next((spec for spec in params.get("NetworkInterfaces") or [] if spec.get("DeviceIndex") == 0), None)


def primary_subnet_id(ctx: RequestContext, params: dict[str, Any]) -> str | None:
    """The subnet the launch's primary interface names (its own, or its existing interface's)."""
    spec = _primary(params)
    if spec is None:
        return None
    if spec.get("NetworkInterfaceId"):
        subnet_id: str = INTERFACES.one(ctx, spec["NetworkInterfaceId"])["subnet_id"]
        return subnet_id
    found: str | None = spec.get("SubnetId")
    return found


def subnet_of_address(defaults: list[Row], address: str) -> Row:
    """The default subnet whose block holds a ``PrivateIpAddress`` named without a subnet."""
    try:
        wanted = ipaddress.IPv4Address(address)
    except ValueError:
        raise invalid_address(address) from None
    for subnet in defaults:
        if wanted in ipaddress.IPv4Network(subnet["cidr_block"]):
            return subnet
    raise invalid_address(address)


@dataclass
class LaunchInterfaces:
    """What a launch's interfaces come to: per instance, the new interfaces' rows (without
    their attachment yet) and the existing interfaces to attach, by device index."""

    primary_addresses: list[str]
    groups: list[dict[str, str]] | None  # the primary interface's (the instance's), if set here
    new: list[list[tuple[Row, int, bool]]] = field(default_factory=list)  # (row, index, DeleteOnTermination)
    existing: list[tuple[Row, int]] = field(default_factory=list)

    def rows(self, ctx: RequestContext, instances: list[Row]) -> list[Row]:
        """The new interfaces, attached to their instances; the existing ones attached
        (without ``NetworkInterfaces``, each instance's primary interface)."""
        if not self.new and not self.existing:
            return primary_rows(ctx, instances)
        now = ctx.now_ts
        instance_ids = [instance["instance_id"] for instance in instances]
        made = []
        for instance_id, rows in zip(instance_ids, self.new):
            for row, index, delete in rows:
                made.append({**row, **attachment(instance_id, index, delete, now)})
        for row, index in self.existing:
            ctx.uow.network_interfaces.update(row["network_interface_id"],
                                              attachment(instance_ids[0], index, False, now))
            elastic_ips.follow_interface(ctx, row["network_interface_id"], instance_ids[0])
        return made


def plan(ctx: RequestContext, params: dict[str, Any], subnet: Row, itype: Any,
         max_count: int) -> LaunchInterfaces | None:
    """The interfaces of a launch into ``subnet`` that names ``PrivateIpAddress`` or
    ``NetworkInterfaces`` (``None`` when it names neither: the primary interfaces are the
    launch's own)."""
    if params.get("PrivateIpAddress"):
        [address] = addresses.check_requested(ctx, subnet, [params["PrivateIpAddress"]], launch=True)
        return LaunchInterfaces([address], None)
    specs = sorted(params.get("NetworkInterfaces") or [], key=lambda spec: spec["DeviceIndex"])
    if not specs:
        return None
    if itype is not None and len(specs) > itype.max_interfaces:
        raise attachment_limit(len(specs), itype.name)
    planned = LaunchInterfaces([], None, [[] for _ in range(max_count)])
    taken: dict[str, list[str]] = {}
    for spec in specs:
        index = spec["DeviceIndex"]
        if spec.get("NetworkInterfaceId"):
            row = INTERFACES.one(ctx, spec["NetworkInterfaceId"])
            _same_zone(row, subnet)
            if row["status"] != "available":
                raise interface_in_use(row["network_interface_id"])
            if spec.get("DeleteOnTermination"):
                raise invalid_parameter_value("DeleteOnTermination can only be true for a network interface "
                                              "the launch creates.")
            planned.existing.append((row, index))
            if index == 0:
                planned.primary_addresses, planned.groups = [row["private_ip"]], row["groups"]
            continue
        own = network.SUBNETS.one(ctx, spec["SubnetId"]) if spec.get("SubnetId") else subnet
        _same_zone(own, subnet)
        chosen = security_groups.interface_groups(ctx, spec.get("Groups"), own["vpc_id"])
        for instance in range(max_count):
            held = planned_addresses(ctx, own, spec.get("PrivateIpAddress"), spec.get("PrivateIpAddresses"),
                                     spec.get("SecondaryPrivateIpAddressCount"), launch=True,
                                     taken=taken.setdefault(own["subnet_id"], []))
            if itype is not None and len(held) > itype.ipv4_per_interface:
                raise address_limit(itype.name, itype.ipv4_per_interface)
            row = interface_row(ctx, own, held, chosen, description=spec.get("Description") or "")
            planned.new[instance].append((row, index, bool(spec.get("DeleteOnTermination", True))))
            if index == 0:
                planned.primary_addresses.append(held[0])
                planned.groups = chosen
    return planned


def _same_zone(interface_or_subnet: Row, subnet: Row) -> None:
    if interface_or_subnet["availability_zone"] != subnet["availability_zone"]:
        raise launch_interface(
            f"The network interfaces of an instance must be in its Availability Zone ({subnet['availability_zone']}).")
