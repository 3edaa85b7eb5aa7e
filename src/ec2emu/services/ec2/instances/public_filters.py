"""DescribeInstances' filters on public addresses: ``ip-address`` and ``dns-name`` (the
instance's own), ``network-interface.association.*`` (its interfaces' primary private
addresses') and ``network-interface.addresses.association.*`` (any of their private
addresses').

What an instance shows of a public address follows its state, its VPC's DNS settings and
its Elastic IPs (:mod:`~ec2emu.services.ec2.networking.public_addresses`), so such a
filter first finds candidates through indexes — instances whose address of Amazon's pool,
and Elastic IPs whose address, allocation or association meets the values (a DNS name is
read back to its address; a pattern on one, or an owner, takes every instance of the
scope that holds an address) — and then keeps those whose shown address meets a value,
as DescribeInstances would show it. The criterion handed on is the instances' IDs.
``…association.carrier-ip`` and ``…customer-owned-ip`` are not modelled (no Wavelength or
Outpost addresses) and are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ec2emu.services.ec2.networking import public_addresses
from ec2emu.services.ec2.networking.public_addresses import PublicAddress
from ec2emu.services.shared.filters import InContext, met_by, nothing, store_values
from ec2emu.store.queries import Match, Pattern, Wildcard

ID = "instance_id"
ANY = (Pattern((Wildcard.ANY,)),)
_DNS = re.compile(r"ec2-(\d+)-(\d+)-(\d+)-(\d+)\.")
Shown = Callable[[PublicAddress], "str | None"]


def _ips(values: tuple[str, ...]) -> tuple[Any, ...]:
    return store_values(values)


def _dns_ips(values: tuple[str, ...]) -> tuple[Any, ...]:
    """The addresses public DNS names name; any address for a pattern."""
    found: list[Any] = []
    for value in store_values(values):
        if isinstance(value, Pattern):
            return ANY
        if (parsed := _DNS.match(value)) is not None:
            found.append(".".join(parsed.groups()))
    return tuple(found)


# Member -> (what an address shows for it, the candidates' criterion on an Elastic IP's
# column and on an instance's pool address, from the values).
_MEMBERS: dict[str, tuple[Shown, Callable[[tuple[str, ...]], tuple[str, tuple[Any, ...]]]]] = {
    "public-ip": (lambda a: a.ip, lambda v: ("public_ip", _ips(v))),
    "public-dns-name": (lambda a: a.dns_name, lambda v: ("public_ip", _dns_ips(v))),
    "allocation-id": (lambda a: a.allocation_id, lambda v: ("allocation_id", store_values(v))),
    "association-id": (lambda a: a.association_id, lambda v: ("association_id", store_values(v))),
    "ip-owner-id": (lambda a: a.owner, lambda v: ("public_ip", ANY)),
}


def _candidates(ctx: Any, column: str, wanted: tuple[Any, ...]) -> list[str]:
    """Instances that may show an address meeting: by their pool address, or by an
    Elastic IP associated with them or their interfaces."""
    if not wanted:
        return []
    scope = (ctx.account_id, ctx.region)
    ids = []
    if column == "public_ip":
        ids = [row[ID] for row in ctx.uow.instances.find(*scope, [Match("public_ip", wanted)])]
    eips = ctx.uow.elastic_ips.find(*scope, [Match(column, wanted), Match("network_interface_id", ANY)])
    interfaces = ctx.uow.network_interfaces.get(*scope, [eip["network_interface_id"] for eip in eips])
    ids += [row[ID] for row in interfaces.values() if row[ID]]
    return list(dict.fromkeys(ids))


def _build(shown: Shown, candidates: Callable[[tuple[str, ...]], tuple[str, tuple[Any, ...]]],
           level: str) -> InContext:
    """``level``: ``instance`` (its own address), ``interface`` (its interfaces' primary
    private addresses') or ``addresses`` (any private address of its interfaces)."""

    def build(ctx: Any, values: tuple[str, ...]) -> Match:
        ids = _candidates(ctx, *candidates(values))
        rows = list(ctx.uow.instances.get(ctx.account_id, ctx.region, ids).values())
        if level == "instance":
            addresses = public_addresses.of_instances(ctx, rows)
            met = [i for i, address in addresses.items() if _meets(values, shown(address))]
        else:
            met = _met_on_interfaces(ctx, rows, values, shown, primary_only=level == "interface")
        return Match(ID, tuple(met)) if met else nothing(ID)

    return InContext(build)


def _meets(values: tuple[str, ...], shown: str | None) -> bool:
    """Whether a value meets what an address shows (nothing, when it shows none)."""
    return bool(shown) and met_by(values, str(shown))


def _met_on_interfaces(ctx: Any, rows: list[dict[str, Any]], values: tuple[str, ...], shown: Shown,
                       primary_only: bool) -> list[str]:
    live = [row[ID] for row in rows if row["vpc_id"]]
    attached = ctx.uow.network_interfaces.attached_to(live) if live else {}
    interfaces = [row for found in attached.values() for row in found]
    owners = {row["network_interface_id"]: row for row in interfaces}
    met = []
    for (interface_id, private_ip), address in public_addresses.of_interfaces(ctx, interfaces).items():
        interface = owners[interface_id]
        if primary_only and private_ip != interface["private_ip"]:
            continue
        if _meets(values, shown(address)):
            met.append(interface[ID])
    return list(dict.fromkeys(met))


PUBLIC_FILTERS: dict[str, Any] = {
    "ip-address": _build(*_MEMBERS["public-ip"], "instance"),
    "dns-name": _build(*_MEMBERS["public-dns-name"], "instance"),
    **{f"network-interface.association.{member}": _build(shown, candidates, "interface")
       for member, (shown, candidates) in _MEMBERS.items()},
    **{f"network-interface.addresses.association.{member}": _build(shown, candidates, "addresses")
       for member, (shown, candidates) in _MEMBERS.items()},
    "network-interface.public-dns-name": _build(*_MEMBERS["public-dns-name"], "interface"),
}
