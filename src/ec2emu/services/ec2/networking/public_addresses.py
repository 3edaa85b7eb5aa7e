"""The public IPv4 address an instance shows: an Elastic IP associated with it, else the
address of Amazon's pool it gets while it runs, if its launch decided it gets one.

Auto-assigned addresses (``networking-facts.md`` §5.2): decided at launch and stored on the
instance (``public_ip_on_launch``) — the subnet's ``MapPublicIpOnLaunch`` (a default subnet
maps, another does not unless ModifySubnetAttribute set it), or the launch's
``NetworkInterfaces[0].AssociatePublicIpAddress``, true or false, which overrides the
subnet (:func:`launch_choice`: only for a single new interface at device index 0). The
instance holds one while ``pending``, ``running`` or ``shutting-down``; none while
stopping, stopped or terminated; each start gives a new one. While an Elastic IP is
associated the instance holds none, and a new one comes when the Elastic IP moves off.

An instance's public DNS name (``ec2-1-2-3-4.compute-1.amazonaws.com`` in us-east-1,
``ec2-….REGION.compute.amazonaws.com`` elsewhere) is given only when its VPC has both
``enableDnsSupport`` and ``enableDnsHostnames`` (§1.6: on in a default VPC, off in others
until ModifyVpcAttribute), ``""`` otherwise.

No two instances show the same address, and Elastic IPs never meet auto-assigned ones
(our scheme, AWS's pools being its own). An auto-assigned address is chosen by the writer
that starts a run — RunInstances for its whole batch (:func:`launching`), StartInstances
(:func:`starting`), an Elastic IP moving off a running instance (:func:`renewing`) — and
stored (``instances.public_ip``, unique across every account and region): the first free
candidate of a hash sequence seeded by the instance and the run, within ``3.80.0.0/12``
(:mod:`ec2emu.store.public_ips`). Readers show it only while the instance holds it (the
states and Elastic IP rules above); a stopped or terminated instance keeps its stale
value, which keeps only that one address from being given, until its next run replaces
it or its row goes. Elastic IPs are handed out in turn from ``44.192.0.0/10`` (a cursor in
the store's settings, ``eip:cursor``), each unique across every account and region,
skipping those held, so a released address is not given again soon.

An Elastic IP is associated with one private address of one interface
(:mod:`~ec2emu.services.ec2.networking.elastic_ips`). The instance's own public address is
the one of its primary private address (on its primary interface): an Elastic IP there
releases the address of Amazon's pool. An Elastic IP on a secondary private address, or
on another interface, shows on that address and interface only (DescribeInstances'
``PublicIpAddress`` stays the primary address's; the EC2 documentation ties the
instance's public address to its primary interface).

:func:`of_instances` is the one answer to "what is this instance's public address"; an
instance's view and its primary interface's ``Association`` both show it;
:func:`of_interfaces` adds the Elastic IPs of every other address of the interfaces
(:func:`association_view`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from ec2emu.lifecycle.machines import PENDING, RUNNING, SHUTTING_DOWN, STOPPED, TERMINATED
from ec2emu.services.ec2.networking import network
from ec2emu.services.ec2.networking.address_errors import (
    address_limit_exceeded,
    public_ip_device_index,
    public_ip_existing_interface,
    public_ip_multiple_interfaces,
)
from ec2emu.services.shared.context import RequestContext
from ec2emu.store import public_ips

Row = dict[str, Any]

AMAZON = "amazon"  # the owner of an auto-assigned address
# The states in which an instance that maps a public address of Amazon's pool holds one.
HOLDING_STATES = (PENDING, RUNNING, SHUTTING_DOWN)
ELASTIC_POOL = ipaddress.IPv4Network("44.192.0.0/10")
_CURSOR = "eip:cursor"


@dataclass(frozen=True)
class PublicAddress:
    """An instance's public address: ``owner`` is ``amazon`` or, for an Elastic IP, the
    account; ``dns_name`` is ``""`` when the VPC gives no public DNS names."""

    ip: str
    dns_name: str
    owner: str
    allocation_id: str | None = None
    association_id: str | None = None


# --------------------------------------------------------------------------- at launch


def launch_choice(params: dict[str, Any]) -> bool | None:
    """What a launch's ``NetworkInterfaces`` say of a public address (``None``: nothing,
    the subnet decides). ``InvalidParameterCombination`` when ``AssociatePublicIpAddress``
    is given with several interfaces, for an existing interface, or off device index 0."""
    interfaces = params.get("NetworkInterfaces") or []
    if not any(spec.get("AssociatePublicIpAddress") is not None for spec in interfaces):
        return None
    if len(interfaces) > 1:
        raise public_ip_multiple_interfaces()
    [spec] = interfaces
    if spec.get("NetworkInterfaceId"):
        raise public_ip_existing_interface()
    if spec.get("DeviceIndex", 0) != 0:
        raise public_ip_device_index()
    return bool(spec["AssociatePublicIpAddress"])


def maps_public_ip(choice: bool | None, subnet: Row) -> bool:
    """Whether an instance launched in ``subnet`` gets a public address of Amazon's pool."""
    return bool(subnet["map_public_ip_on_launch"]) if choice is None else choice


# --------------------------------------------------------------------------- addresses


def _hold(ctx: RequestContext, seeds: dict[str, str]) -> dict[str, str]:
    """Free addresses of Amazon's pool for these instances (ID → seed of the run), placed
    together: one look-up of the candidates for them all (more only where one is held)."""
    return public_ips.choose(seeds, ctx.uow.instances.held_public_ips)


def launching(ctx: RequestContext, rows: list[Row]) -> None:
    """The rows of a launch's instances, before they are stored, get ``public_ip``: an
    address of Amazon's pool for each that maps one, none for the others."""
    chosen = _hold(ctx, {row["instance_id"]: public_ips.run_seed(row["instance_id"], row["launch_time"])
                         for row in rows if row["public_ip_on_launch"]})
    for row in rows:
        row["public_ip"] = chosen.get(row["instance_id"])


def renewing(ctx: RequestContext, row: Row) -> None:
    """An Elastic IP moved off the primary address of this instance, which maps an address
    of Amazon's pool: it gets a new one if it is in a state that holds one (else its next
    start gives it one)."""
    if row["state"] in HOLDING_STATES:
        seed = public_ips.run_seed(row["instance_id"], row["launch_time"], ctx.now_ts)
        ctx.uow.instances.hold_public_ips(_hold(ctx, {row["instance_id"]: seed}))


def public_dns_name(region: str, ip: str) -> str:
    host = "ec2-" + ip.replace(".", "-")
    if region == "us-east-1":
        return f"{host}.compute-1.amazonaws.com"
    return f"{host}.{region}.compute.amazonaws.com"


def next_elastic_ip(ctx: RequestContext) -> str:
    """A public address of the Elastic IP pool that nobody holds (``AddressLimitExceeded``
    if none is left)."""
    size = ELASTIC_POOL.num_addresses - 2
    start = ctx.uow.settings.get(_CURSOR) or 0
    for step in range(size):
        offset = (start + step) % size
        candidate = str(ELASTIC_POOL.network_address + 1 + offset)
        if not ctx.uow.elastic_ips.is_taken(candidate):
            ctx.uow.settings.set(_CURSOR, offset + 1)
            return candidate
    raise address_limit_exceeded()


def _dns_hostnames(ctx: RequestContext, vpc_ids: set[str]) -> set[str]:
    """Those of the VPCs that give public DNS names. These are the VPCs of live instances
    and interfaces, and a VPC with either cannot be deleted, so the scope's default VPC
    missing from the rows means its network is still derived — whose default VPC gives
    DNS names."""
    if not vpc_ids:
        return set()
    stored = ctx.uow.vpcs.gives_dns_names(ctx.account_id, ctx.region, sorted(vpc_ids))
    named = {vpc_id for vpc_id, gives in stored.items() if gives}
    default = network.derived_default_vpc_id(ctx.account_id, ctx.region)
    if default in vpc_ids and default not in stored:
        named.add(default)
    return named


def starting(ctx: RequestContext, rows: list[Row]) -> None:
    """Stopped instances being started (their run starts now): each that maps one gets a new
    address of Amazon's pool, all placed together — except one with an Elastic IP on its
    primary private address, which holds none while it is there, and one with more than
    one network interface attached, which gets none now (the EC2 user guide: a released
    public IP is not replaced while more than one interface is attached) nor at a later
    start, as after an Elastic IP left it in that case."""
    mapped = [row for row in rows if row["public_ip_on_launch"] and row["state"] == STOPPED]
    if not mapped:
        return
    ids = [row["instance_id"] for row in mapped]
    attached = ctx.uow.network_interfaces.attached_to(ids)
    elastic = ctx.uow.elastic_ips.of_instances(ctx.account_id, ctx.region, ids)
    seeds = {}
    for row in mapped:
        instance_id = row["instance_id"]
        if len(attached.get(instance_id, [])) > 1:
            ctx.uow.instances.update(instance_id, {"public_ip_on_launch": False})
        elif not any(held["private_ip"] == row["private_ip"] for held in elastic.get(instance_id, [])):
            seeds[instance_id] = public_ips.run_seed(instance_id, ctx.now_ts)
    ctx.uow.instances.hold_public_ips(_hold(ctx, seeds))


def of_instances(ctx: RequestContext, rows: list[Row]) -> dict[str, PublicAddress]:
    """The public address each of these instances (of the request's scope, as shown) has,
    by instance; an instance without one is left out."""
    live = [row for row in rows if row["state"] != TERMINATED and row["vpc_id"]]
    if not live:
        return {}
    elastic = ctx.uow.elastic_ips.of_instances(ctx.account_id, ctx.region, [row["instance_id"] for row in live])
    found = _instance_addresses(live, elastic)
    return _with_dns(ctx, found, _dns_hostnames(ctx, {row["vpc_id"] for row, _, _, _ in found.values()}))


_Found = dict[str, tuple[Row, str, str, "Row | None"]]


def _instance_addresses(live: list[Row], elastic: dict[str, list[Row]]) -> _Found:
    """Each live instance's public address — the Elastic IP on its primary private
    address (``elastic``: the associated addresses by instance), else the address of
    Amazon's pool it holds — with its owner and the Elastic IP's row."""
    found: _Found = {}
    for row in live:
        eip = next((held for held in elastic.get(row["instance_id"], []) if held["private_ip"] == row["private_ip"]),
                   None)
        if eip is not None:
            found[row["instance_id"]] = (row, eip["public_ip"], row["account_id"], eip)
        elif row["public_ip_on_launch"] and row["state"] in HOLDING_STATES and row["public_ip"]:
            found[row["instance_id"]] = (row, row["public_ip"], AMAZON, None)
    return found


def _with_dns(ctx: RequestContext, found: _Found, named: set[str]) -> dict[str, PublicAddress]:
    return {
        instance_id: PublicAddress(
            ip, public_dns_name(ctx.region, ip) if row["vpc_id"] in named else "", owner,
            eip["allocation_id"] if eip else None, eip["association_id"] if eip else None)
        for instance_id, (row, ip, owner, eip) in found.items()
    }


def of_described(ctx: RequestContext, rows: list[Row], attached: dict[str, list[Row]],
                 ) -> tuple[dict[str, PublicAddress], dict[tuple[str, str], PublicAddress]]:
    """:func:`of_instances` and :func:`of_interfaces` together for instances being
    described, given the interfaces attached to the live ones (by instance): one read of
    the Elastic IPs (those of the interfaces, which hold every address associated with
    their instance) and one of the VPCs' DNS settings."""
    live = [row for row in rows if row["state"] != TERMINATED and row["vpc_id"]]
    interfaces = [interface for found in attached.values() for interface in found]
    ids = [interface["network_interface_id"] for interface in interfaces]
    elastic = ctx.uow.elastic_ips.of_interfaces(ctx.account_id, ctx.region, ids) if ids else {}
    by_instance: dict[str, list[Row]] = {}
    for interface in interfaces:
        by_instance.setdefault(interface["instance_id"], []).extend(elastic.get(interface["network_interface_id"], ()))
    found = _instance_addresses(live, by_instance)
    vpcs = {interface["network_interface_id"]: interface["vpc_id"] for interface in interfaces}
    named = _dns_hostnames(ctx, {row["vpc_id"] for row, _, _, _ in found.values()} | {vpcs[i] for i in elastic})
    instances = _with_dns(ctx, found, named)
    return instances, _interface_addresses(ctx, interfaces, instances, elastic, vpcs, named)


def of_interfaces(ctx: RequestContext, rows: list[Row],
                  instances: dict[str, PublicAddress] | None = None) -> dict[tuple[str, str], PublicAddress]:
    """The public address of each private address of these interfaces (of the request's
    scope, as shown), by (interface ID, private address); one without is left out.
    ``instances``: the public addresses of the instances they are attached to
    (:func:`of_instances`), read here when not given."""
    if instances is None:
        primary = [row["instance_id"] for row in rows if row["device_index"] == 0]
        found = ctx.uow.instances.get(ctx.account_id, ctx.region, primary) if primary else {}
        instances = of_instances(ctx, list(found.values()))
    ids = [row["network_interface_id"] for row in rows]
    elastic = ctx.uow.elastic_ips.of_interfaces(ctx.account_id, ctx.region, ids) if ids else {}
    vpcs = {row["network_interface_id"]: row["vpc_id"] for row in rows}
    named = _dns_hostnames(ctx, {vpcs[interface_id] for interface_id in elastic})
    return _interface_addresses(ctx, rows, instances, elastic, vpcs, named)


def _interface_addresses(ctx: RequestContext, rows: list[Row], instances: dict[str, PublicAddress],
                         elastic: dict[str, list[Row]], vpcs: dict[str, str],
                         named: set[str]) -> dict[tuple[str, str], PublicAddress]:
    """By (interface ID, private address): a primary interface's primary address shows its
    instance's public address; every other address its Elastic IP, if any."""
    result: dict[tuple[str, str], PublicAddress] = {}
    for row in rows:
        public = instances.get(row["instance_id"]) if row["device_index"] == 0 else None
        if public is not None:
            result[(row["network_interface_id"], row["private_ip"])] = public
    for interface_id, held in elastic.items():
        for eip in held:
            dns = public_dns_name(ctx.region, eip["public_ip"]) if vpcs[interface_id] in named else ""
            result.setdefault((interface_id, eip["private_ip"]), PublicAddress(
                eip["public_ip"], dns, eip["account_id"], eip["allocation_id"], eip["association_id"]))
    return result


def association_view(address: PublicAddress, *, with_ids: bool = True) -> dict[str, Any]:
    """A network interface's (or its private address's) ``Association``; an Elastic IP's
    carries its allocation and association IDs (``with_ids``: not in DescribeInstances,
    whose shape has no such members)."""
    view: dict[str, Any] = {"IpOwnerId": address.owner, "PublicDnsName": address.dns_name, "PublicIp": address.ip}
    if with_ids and address.allocation_id is not None:
        view.update(AllocationId=address.allocation_id, AssociationId=address.association_id)
    return view
