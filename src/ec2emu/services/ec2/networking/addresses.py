"""Private IPv4 addresses in subnets: handing them out, checking those asked for, and
counting those held.

Every address held is a network interface's (an instance's is its primary interface's):
the interface holds it from its creation until it is deleted — for an instance's primary
interface, until the instance's termination is over, as readers see the clock
(:mod:`ec2emu.store.shown`); a stopped instance keeps it. The address is free again from
that moment (:mod:`ec2emu.store.subnets`).

An address asked for by name (``PrivateIpAddress`` and its neighbours) must be an IPv4
address inside the subnet's block and not one of the five AWS reserves
(``InvalidParameterValue`` "invalid value for parameter address: x"), and must not be
held (``InvalidIPAddress.InUse``); the same address twice in one request is in use too.

A launch takes addresses in turn from a per-subnet cursor kept in the store's settings
(``ip:<subnet>``), skipping those an instance still holds, so addresses are not handed
out again soon after they are freed; the first four and the last address of a subnet
are never given (AWS reserves them). A launch whose ``MaxCount`` the subnet cannot take
gets as many addresses as are free, as long as that is at least its ``MinCount`` (as EC2
does when capacity runs short); with fewer it answers ``InsufficientFreeAddressesInSubnet``
and nothing is launched.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection
from typing import Any

from ec2emu.services.ec2.networking.cidrs import FIRST_USABLE, usable
from ec2emu.services.ec2.networking.errors import insufficient_free_addresses
from ec2emu.services.ec2.networking.interface_errors import address_in_use, invalid_address
from ec2emu.services.shared.context import RequestContext

_BATCH = 500  # candidates checked per statement


def check_requested(ctx: RequestContext, subnet: dict[str, Any], wanted: list[str], *, launch: bool,
                    taken: Collection[str] = ()) -> list[str]:
    """The addresses asked for in ``subnet``, each checked (see the module's note; ``taken``:
    those the request holds already); ``launch``: RunInstances' wording of the error."""
    network = ipaddress.IPv4Network(subnet["cidr_block"])
    last = network.num_addresses - 1
    seen = set(taken)
    for value in wanted:
        try:
            address = ipaddress.IPv4Address(value)
        except ValueError:
            raise invalid_address(value) from None
        if address not in network or not FIRST_USABLE <= int(address) - int(network.network_address) < last:
            raise invalid_address(value)
        if value in seen:
            raise address_in_use(value, launch=launch)
        seen.add(value)
    held = ctx.uow.subnets.held_among(subnet["subnet_id"], list(wanted)) if wanted else set()
    for value in wanted:
        if value in held:
            raise address_in_use(value, launch=launch)
    return list(wanted)


def allocate(ctx: RequestContext, subnet: dict[str, Any], count: int, minimum: int | None = None,
             taken: Collection[str] = ()) -> list[str]:
    """``count`` addresses of ``subnet`` no interface holds (nor ``taken``: those the request
    holds already), or as many as are free if that is at least ``minimum``
    (``InsufficientFreeAddressesInSubnet`` otherwise)."""
    if count <= 0:
        return []
    network = ipaddress.IPv4Network(subnet["cidr_block"])
    size = usable(subnet["cidr_block"])
    free = size - ctx.uow.subnets.addresses_held([subnet["subnet_id"]]).get(subnet["subnet_id"], 0) - len(taken)
    if free < (count if minimum is None else minimum):
        raise insufficient_free_addresses()  # known from the count alone: no address is tried
    count = min(count, free)
    key = _cursor_key(subnet["subnet_id"])
    stored: int | None = ctx.uow.settings.get(key)  # the cursor this module stored
    cursor = (FIRST_USABLE if stored is None else stored) - FIRST_USABLE
    chosen: list[str] = []
    looked = 0
    while len(chosen) < count and looked < size:
        want = min(max(count - len(chosen), 1) * 2, _BATCH, size - looked)
        candidates = [str(network.network_address + FIRST_USABLE + (cursor + looked + i) % size)
                      for i in range(want)]
        held = ctx.uow.subnets.held_among(subnet["subnet_id"], candidates)
        for address in candidates:
            looked += 1
            if address not in held and address not in taken:
                chosen.append(address)
                if len(chosen) == count:
                    break
    if len(chosen) < (count if minimum is None else minimum):
        raise insufficient_free_addresses()
    ctx.uow.settings.set(key, FIRST_USABLE + (cursor + looked) % size)
    return chosen


def forget(ctx: RequestContext, subnet_id: str) -> None:
    """Drop a deleted subnet's cursor."""
    ctx.uow.settings.delete(_cursor_key(subnet_id))


def _cursor_key(subnet_id: str) -> str:
    return f"ip:{subnet_id}"


def available_counts(ctx: RequestContext, subnets: list[dict[str, Any]]) -> dict[str, int]:
    """Each subnet's ``AvailableIpAddressCount``: its usable addresses less those held."""
    held = ctx.uow.subnets.addresses_held(row["subnet_id"] for row in subnets)
    return {row["subnet_id"]: usable(row["cidr_block"]) - held.get(row["subnet_id"], 0) for row in subnets}


def private_dns_name(region: str, ip: str) -> str:
    host = "ip-" + ip.replace(".", "-")
    if region == "us-east-1":
        return f"{host}.ec2.internal"
    return f"{host}.{region}.compute.internal"
