"""Private IPv4 addresses in subnets: handing them out at launch, and counting those held.

An instance holds its address from its launch until its termination is over (a stopped
instance keeps it), as readers see the clock (:mod:`ec2emu.store.shown`); the address is
free again from that moment. Nothing is stored per address: what a subnet's instances
hold is read from the instances, through an index that covers it.

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
from typing import Any

from ec2emu.services.ec2.networking.cidrs import FIRST_USABLE, usable
from ec2emu.services.ec2.networking.errors import insufficient_free_addresses
from ec2emu.services.shared.context import RequestContext

_BATCH = 500  # candidates checked per statement


def allocate(ctx: RequestContext, subnet: dict[str, Any], count: int, minimum: int | None = None) -> list[str]:
    """``count`` addresses of ``subnet`` no instance holds, or as many as are free if that
    is at least ``minimum`` (``InsufficientFreeAddressesInSubnet`` otherwise)."""
    network = ipaddress.IPv4Network(subnet["cidr_block"])
    size = usable(subnet["cidr_block"])
    free = size - ctx.uow.subnets.addresses_held([subnet["subnet_id"]]).get(subnet["subnet_id"], 0)
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
            if address not in held:
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
