"""Elastic IP addresses: AllocateAddress, AssociateAddress, DisassociateAddress,
ReleaseAddress and DescribeAddresses (``networking-facts.md`` §5.3, §1.7).

An address is for use in a VPC (``Domain: vpc``; ``standard``, EC2-Classic's, is refused as
for a VPC-only account), from Amazon's pool (``PublicIpv4Pool: amazon``), advertised in the
region's network border group. Its public address comes from the Elastic IP pool
(:func:`~ec2emu.services.ec2.networking.public_addresses.next_elastic_ip`), never one an
instance has of Amazon's pool. The quota ``elastic-ips-per-region`` (:mod:`ec2emu.quotas`)
counts an account's addresses in a region (``AddressLimitExceeded``).

What is honoured: ``TagSpecifications`` (``elastic-ip``), ``NetworkBorderGroup`` when it
is the region, ``PublicIpv4Pool`` when it is ``amazon``; ``Address`` (recovering a
released address), another pool, ``CustomerOwnedIpv4Pool`` and ``IpamPoolId`` are refused
by name (``UnsupportedOperation``).

Association (AssociateAddress, with ``AllocationId`` and ``InstanceId`` or
``NetworkInterfaceId``) maps the address to one private address of one interface
(stored: the interface, its owner, the private address, and the instance the interface
is attached to, if it is):

* by ``InstanceId``: the instance must be ``running``, ``stopping`` or ``stopped``
  (``InvalidInstanceID`` "The pending instance '…' is not in a valid state for this
  operation." otherwise) and have one interface attached (``InvalidInstanceID`` "There are
  multiple interfaces attached to instance '…'. Please specify an interface ID for the
  operation instead."); the address goes to its primary interface, on its primary private
  address or ``PrivateIpAddress``, which must be one of that interface's;
* by ``NetworkInterfaceId``: the interface, attached or not (the state of an instance it
  is attached to is not checked: AWS documents no rule), on its primary private address or
  ``PrivateIpAddress``, which must be one of its own (``InvalidParameterValue``);
* the VPC (the interface's, the instance's) must have an internet gateway attached
  (``Gateway.NotAttached``);
* repeating the association the address has is idempotent (the same association ID);
* an address associated elsewhere moves (reassociation is automatic in a VPC-only
  account) unless ``AllowReassociation`` is given as false (``Resource.AlreadyAssociated``);
* a private address that has another Elastic IP loses it: that one is disassociated and
  stays allocated;
* while an Elastic IP is on an instance's primary private address, the instance holds no
  address of Amazon's pool; when it moves off, is disassociated or released, the instance
  gets a new one — unless it has more than one interface attached, or an Elastic IP on a
  secondary private address (``networking-facts.md`` §5.2): then it holds none from then
  on (not after a later start either: our choice, AWS's documentation saying only that no
  new one comes).

DisassociateAddress takes ``AssociationId`` and is idempotent: a well-formed association
ID that no address of the account has now (disassociated already, or never made — the two
are not told apart here) succeeds and changes nothing; a malformed one answers
``InvalidAssociationID.NotFound``. ReleaseAddress takes ``AllocationId``; an
address associated in the default VPC is disassociated first, one associated in another
VPC answers ``InvalidIPAddress.InUse`` (the model's documentation, taken over the user
guide's general rule). The ``PublicIp`` forms of the three calls are EC2-Classic's and
answer the errors AWS gives for VPC addresses; ``PublicIp`` beside the allocation or
association ID is refused (``InvalidParameterCombination``), never ignored.

When an instance's termination is over, its Elastic IPs on interfaces that go with it
are disassociated and stay allocated (readers show it so at once:
:mod:`ec2emu.store.shown`); those on an interface that outlives it (not marked
DeleteOnTermination: detached, ``available``) stay associated with that interface; a
stopped instance keeps them. An interface detached keeps its Elastic IPs, one attached
takes them along (:func:`follow_interface`); one deleted, or a secondary private address
unassigned, disassociates them (:func:`disassociate_from`).

DescribeAddresses: ``AllocationIds`` (``InvalidAllocationID.NotFound``), ``PublicIps``
(``InvalidAddress.NotFound``), and the filters ``allocation-id``, ``association-id``,
``domain``, ``instance-id``, ``network-border-group``, ``network-interface-id``,
``network-interface-owner-id``, ``private-ip-address``, ``public-ip``, ``tag:<key>``,
``tag-key``, each a criterion through the scope's indexes; no paging (the call has none).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.lifecycle.machines import RUNNING, STOPPED, STOPPING
from ec2emu.services.ec2.instances.common import INSTANCES
from ec2emu.services.ec2.networking import gateways, network, public_addresses
from ec2emu.services.ec2.networking.address_errors import (
    address_in_use,
    address_limit_exceeded,
    address_not_found,
    allocation_not_found,
    already_associated,
    border_group,
    both_targets,
    classic_domain,
    instance_not_valid,
    malformed_address,
    malformed_allocation_id,
    mapping_needs_allocation,
    multiple_interfaces,
    no_gateway,
    no_target,
    not_in_border_group,
    not_instance_address,
    not_interface_address,
    public_ip_with_id,
    release_needs_allocation,
    unmapping_needs_association,
)
from ec2emu.services.ec2.networking.errors import association_not_found
from ec2emu.services.ec2.networking.interfaces import INTERFACES
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_repository
from ec2emu.services.shared.lookups import ResourceKind, stored
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match
from ec2emu.store.shown import UNASSOCIATED

Row = dict[str, Any]
VPC = "vpc"
POOL = "amazon"
ASSOCIABLE_STATES = (RUNNING, STOPPING, STOPPED)

# Look-ups by allocation ID (``InvalidAllocationID.NotFound`` naming every unknown one).
ADDRESSES = ResourceKind("eipalloc", malformed_allocation_id, allocation_not_found, stored("elastic_ips"))


# --------------------------------------------------------------------------- views


def address_view(row: Row) -> dict[str, Any]:
    view: dict[str, Any] = {"AllocationId": row["allocation_id"], "Domain": row["domain"],
                            "NetworkBorderGroup": row["network_border_group"], "PublicIp": row["public_ip"],
                            "PublicIpv4Pool": POOL}
    for member, column in (("AssociationId", "association_id"), ("InstanceId", "instance_id"),
                           ("NetworkInterfaceId", "network_interface_id"),
                           ("NetworkInterfaceOwnerId", "network_interface_owner_id"),
                           ("PrivateIpAddress", "private_ip")):
        if row[column]:
            view[member] = row[column]
    return view


def address_views(ctx: RequestContext, rows: list[Row]) -> list[dict[str, Any]]:
    return with_tags(ctx, [address_view(row) for row in rows], "AllocationId")


# --------------------------------------------------------------------------- DescribeAddresses


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], dict[str, Row]]:
    """The addresses named by allocation ID, then by public address, each of which must
    be the account's here."""
    allocation_ids, found = ADDRESSES.load(ctx, params.get("AllocationIds") or [])
    public_ips = list(dict.fromkeys(params.get("PublicIps") or []))
    for value in public_ips:
        try:
            ipaddress.IPv4Address(value)
        except ValueError:
            raise malformed_address(value) from None
    by_ip = {row["public_ip"]: row for row in ctx.uow.elastic_ips.find(
        ctx.account_id, ctx.region, [Match("public_ip", tuple(public_ips))])} if public_ips else {}
    missing = [value for value in public_ips if value not in by_ip]
    if missing:
        raise address_not_found(missing)
    for row in by_ip.values():
        found[row["allocation_id"]] = row
    return list(dict.fromkeys([*allocation_ids, *(by_ip[value]["allocation_id"] for value in public_ips)])), found


DESCRIBE_ADDRESSES = Describe(
    result="Addresses",
    key="allocation_id",
    find=in_repository("elastic_ips"),
    view=address_views,
    filters={
        "allocation-id": "allocation_id",
        "association-id": "association_id",
        "domain": "domain",
        "instance-id": "instance_id",
        "network-border-group": "network_border_group",
        "network-interface-id": "network_interface_id",
        "network-interface-owner-id": "network_interface_owner_id",
        "private-ip-address": "private_ip",
        "public-ip": "public_ip",
    },
    named=Naming(("AllocationIds", "PublicIps"), _named),
    page_size=None,
)


@operation("DescribeAddresses")
def describe_addresses(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_ADDRESSES)


# --------------------------------------------------------------------------- AllocateAddress


@operation("AllocateAddress", refuses=("Address", "CustomerOwnedIpv4Pool", "IpamPoolId"),
           defaults={"PublicIpv4Pool": POOL})
def allocate_address(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("Domain") == "standard":
        raise classic_domain()
    group = params.get("NetworkBorderGroup")
    if group is not None and group != ctx.region:
        raise border_group(group)
    tags, = tags_from_specifications(params.get("TagSpecifications"), ("elastic-ip",))
    if ctx.uow.elastic_ips.count_where(ctx.account_id, ctx.region) >= ctx.quota("elastic-ips-per-region"):
        raise address_limit_exceeded()
    ctx.dry_run(params)
    row = {"allocation_id": ids.new_id("eipalloc"), "account_id": ctx.account_id, "region": ctx.region,
           "public_ip": public_addresses.next_elastic_ip(ctx), "domain": VPC, "network_border_group": ctx.region,
           "allocate_time": ctx.now_ts, **UNASSOCIATED}
    ctx.uow.elastic_ips.insert(row)
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["allocation_id"], "elastic-ip", tags)
    return {"AllocationId": row["allocation_id"], "Domain": VPC, "NetworkBorderGroup": ctx.region,
            "PublicIp": row["public_ip"], "PublicIpv4Pool": POOL}


# --------------------------------------------------------------------------- associations


@dataclass(frozen=True)
class _Target:
    """Where an association maps the address: an interface's private address, and the
    instance the interface is attached to (if it is)."""

    interface_id: str | None
    private_ip: str
    instance_id: str | None
    vpc_id: str


def _released(ctx: RequestContext, address: Row) -> None:
    """An Elastic IP moved off the primary address of an instance: the instance gets a
    new address of Amazon's pool (if it maps one) — unless it has more than one interface
    attached or an Elastic IP on a secondary address, when it gets none again."""
    instance_id = address["instance_id"]
    if not instance_id:
        return
    instance = ctx.uow.instances.get(ctx.account_id, ctx.region, [instance_id]).get(instance_id)
    if instance is None or address["private_ip"] != instance["private_ip"]:
        return
    attached = ctx.uow.network_interfaces.attached_to([instance_id]).get(instance_id, [])
    others = ctx.uow.elastic_ips.of_instances(ctx.account_id, ctx.region, [instance_id]).get(instance_id, [])
    if len(attached) > 1 or any(other["allocation_id"] != address["allocation_id"] for other in others):
        ctx.uow.instances.update(instance_id, {"public_ip_on_launch": False})
    elif instance["public_ip_on_launch"]:
        public_addresses.renewing(ctx, instance)


def _disassociate(ctx: RequestContext, address: Row, *, renew: bool = True) -> None:
    ctx.uow.elastic_ips.update(address["allocation_id"], dict(UNASSOCIATED))
    if renew:
        _released(ctx, address)


def disassociate_from(ctx: RequestContext, interface_id: str, private_ips: list[str] | None = None) -> None:
    """The Elastic IPs on the interface (on ``private_ips`` of it, if given) are
    disassociated, still allocated: the interface is deleted, or those addresses released."""
    held = ctx.uow.elastic_ips.of_interfaces(ctx.account_id, ctx.region, [interface_id]).get(interface_id, [])
    for address in held:
        if private_ips is None or address["private_ip"] in private_ips:
            _disassociate(ctx, address)


def follow_interface(ctx: RequestContext, interface_id: str, instance_id: str | None) -> None:
    """The interface was attached to ``instance_id`` (``None``: detached): its Elastic IPs
    stay associated with it and name that instance."""
    ctx.uow.elastic_ips.follow_interface(ctx.account_id, ctx.region, interface_id, instance_id)


def _association_target(params: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """The allocation ID, and the instance ID or the interface ID, an association names."""
    allocation_id, instance_id = params.get("AllocationId"), params.get("InstanceId")
    interface_id = params.get("NetworkInterfaceId")
    if not allocation_id:
        if params.get("PublicIp"):
            raise mapping_needs_allocation()
        raise missing_parameter("AllocationId")
    if params.get("PublicIp"):
        raise public_ip_with_id("AllocationId")
    if instance_id and interface_id:
        raise both_targets()
    if not instance_id and not interface_id:
        raise no_target()
    return allocation_id, instance_id, interface_id


def _on_interface(ctx: RequestContext, interface_id: str, private_ip: str | None) -> _Target:
    interface = INTERFACES.one(ctx, interface_id)
    wanted = private_ip or interface["private_ip"]
    if wanted not in {held["private_ip"] for held in interface["addresses"]}:
        raise not_interface_address(wanted, interface_id)
    return _Target(interface["network_interface_id"], wanted, interface["instance_id"], interface["vpc_id"])


def _on_instance(ctx: RequestContext, instance_id: str, private_ip: str | None) -> _Target:
    instance = INSTANCES.one(ctx, instance_id)
    if instance["state"] not in ASSOCIABLE_STATES:
        raise instance_not_valid(instance["state"], instance_id)
    attached = ctx.uow.network_interfaces.attached_to([instance_id]).get(instance_id, [])
    if len(attached) > 1:
        raise multiple_interfaces(instance_id)
    primary = attached[0] if attached else None
    held = [address["private_ip"] for address in primary["addresses"]] if primary else [instance["private_ip"]]
    wanted = private_ip or instance["private_ip"]
    if wanted not in held:
        raise not_instance_address(wanted, instance_id)
    return _Target(primary["network_interface_id"] if primary else None, wanted, instance_id, instance["vpc_id"])


@operation("AssociateAddress")
def associate_address(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    allocation_id, instance_id, interface_id = _association_target(params)
    address = ADDRESSES.one(ctx, allocation_id)
    private_ip = params.get("PrivateIpAddress")
    target = (_on_interface(ctx, interface_id, private_ip) if interface_id
              else _on_instance(ctx, str(instance_id), private_ip))
    if gateways.attached_to(ctx, target.vpc_id) is None:
        raise no_gateway(target.vpc_id)
    current = address["association_id"]
    if current and (address["network_interface_id"], address["private_ip"], address["instance_id"]) == (
            target.interface_id, target.private_ip, target.instance_id):
        ctx.dry_run(params)
        return {"AssociationId": current}
    if current and params.get("AllowReassociation") is False:
        raise already_associated(allocation_id, current)
    ctx.dry_run(params)
    if target.interface_id is not None:
        on_target = ctx.uow.elastic_ips.of_interfaces(ctx.account_id, ctx.region, [target.interface_id])
        for previous in on_target.get(target.interface_id, []):
            if previous["private_ip"] == target.private_ip and previous["allocation_id"] != allocation_id:
                _disassociate(ctx, previous, renew=False)
    if current:
        _disassociate(ctx, address)
    association_id = ids.new_id("eipassoc")
    ctx.uow.elastic_ips.update(allocation_id, {
        "association_id": association_id, "instance_id": target.instance_id,
        "network_interface_id": target.interface_id, "network_interface_owner_id": ctx.account_id,
        "private_ip": target.private_ip})
    return {"AssociationId": association_id}


def associated_by(ctx: RequestContext, association_id: str) -> Row | None:
    """The account's address that has this association now, if any."""
    found = ctx.uow.elastic_ips.find(ctx.account_id, ctx.region, [Match("association_id", (association_id,))])
    return found[0] if found else None


@operation("DisassociateAddress")
def disassociate_address(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    association_id = params.get("AssociationId")
    if not association_id:
        if params.get("PublicIp"):
            raise unmapping_needs_association()
        raise missing_parameter("AssociationId")
    if params.get("PublicIp"):
        raise public_ip_with_id("AssociationId")
    if not ids.is_well_formed("eipassoc", association_id):
        raise association_not_found(association_id)
    address = associated_by(ctx, association_id)
    ctx.dry_run(params)
    if address is not None:
        _disassociate(ctx, address)
    return {}


def _association_vpc(ctx: RequestContext, address: Row) -> str | None:
    """The VPC of the interface (or the instance) the address is associated with."""
    if address["network_interface_id"]:
        interface = INTERFACES.get(ctx, [address["network_interface_id"]]).get(address["network_interface_id"])
        if interface is not None:
            return str(interface["vpc_id"])
    if address["instance_id"]:
        return str(INSTANCES.one(ctx, address["instance_id"])["vpc_id"])
    return None


@operation("ReleaseAddress")
def release_address(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    allocation_id = params.get("AllocationId")
    if not allocation_id:
        if params.get("PublicIp"):
            raise release_needs_allocation()
        raise missing_parameter("AllocationId")
    if params.get("PublicIp"):
        raise public_ip_with_id("AllocationId")
    address = ADDRESSES.one(ctx, allocation_id)
    group = params.get("NetworkBorderGroup")
    if group is not None and group != address["network_border_group"]:
        raise not_in_border_group(allocation_id, group)
    if address["association_id"]:
        vpc_id = _association_vpc(ctx, address)
        vpc = network.VPCS.get(ctx, [vpc_id]).get(vpc_id) if vpc_id else None
        if vpc is None or not vpc["is_default"]:
            raise address_in_use(allocation_id)
    ctx.dry_run(params)
    if address["association_id"]:
        _disassociate(ctx, address)
    ctx.uow.elastic_ips.delete(allocation_id)
    return {}
