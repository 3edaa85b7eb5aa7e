"""DescribeInstances' filters on what an instance shows beyond its own columns' plain
values: its zone's ID, its attached volumes (``block-device-mapping.*``), its times, the
members every instance here shows alike, names derived from its addresses, and more of
its attached interfaces' members.

Choices the documentation leaves open:

- ``block-device-mapping.*`` match the instance's attached EBS volumes as the clock shows
  them (a terminated instance has none), through the volumes' scope indexes.
- ``launch-time``, ``usage-operation-update-time`` (the launch time here),
  ``block-device-mapping.attach-time`` and ``network-interface.attachment.attach-time``:
  a value with wildcards meets the time as EC2 writes it (``2021-09-29T*`` is a day); one
  without is read as an ISO-8601 time and meets the millisecond it names, or the whole
  second when it has no fraction (:func:`~ec2emu.services.shared.filters.times`).
- ``instance.group-id`` and ``instance.group-name`` are the groups of the instance's
  attached interfaces (AWS's instance groups are theirs), as ``network-interface.group-*``.
- ``source-dest-check`` is met when an attached interface of the instance has that
  setting (the primary one decides the instance's ``SourceDestCheck``; an instance here
  has one interface unless more were attached).
- ``private-dns-name`` and ``network-interface[.addresses].private-dns-name`` are the
  private addresses' names (``ip-10-0-0-5.ec2.internal`` in us-east-1,
  ``ip-….REGION.compute.internal`` elsewhere): a name is read back to its address, so the
  addresses' indexes serve it; a value with wildcards is read the same way: its part
  from the first literal dot must meet the Region's domain, and the rest, less ``ip-``,
  with ``-`` read as ``.``, is a pattern of addresses (``ip-10-0-*`` and
  ``*.ec2.internal`` work as they read). A value whose host part starts with a literal
  other than ``ip-`` (``i*``) meets nothing; so does a name of another Region.
- ``hypervisor`` (``xen``), ``ena-support`` (true), ``enclave-options.enabled`` (false),
  ``maintenance-options.auto-recovery`` (``default``) and
  ``network-interface.attachment.network-card-index`` (0) are what every instance here
  shows; ``product-code`` and ``product-code.type`` meet nothing (no image here carries a
  product code). ``current-instance-boot-mode`` follows the architecture (``uefi`` for
  arm64), ``platform-details`` and ``usage-operation`` the platform.
- ``network-interface.tag-key`` and ``network-interface.tag-value`` match the tags of the
  instance's attached interfaces (any key, for a value).
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.networking.addresses import private_dns_name
from ec2emu.services.ec2.regions import zone_ids
from ec2emu.services.shared.filters import (
    InContext,
    booleans,
    chosen,
    constant,
    integers,
    met_by,
    nothing,
    store_values,
    times,
)
from ec2emu.store.patterns import value_matches
from ec2emu.store.queries import TAG_KEY, TAG_VALUE, Match, Pattern, Wildcard

ID = "instance_id"
ARCHITECTURES = ("i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac")


def _any_interface(shown: str) -> Any:
    """A member every attached interface shows alike: instances with one, if it is met."""

    def build(values: tuple[str, ...]) -> Match:
        if met_by(values, shown):
            return Match("interfaces.network_interface_id", (Pattern((Wildcard.ANY,)),))
        return nothing(ID)

    return build


def _address_pattern(value: Any, suffix: str) -> Any:
    """A private DNS name (or a pattern of one) as the address (or pattern of addresses)
    it names, ``None`` when it names none: a name splits at its first dot into the host
    (``ip-`` and the address, dashed) and the Region's domain (``suffix``), which the
    value's part from its first literal dot on must meet; without one, the value must end
    with ``*`` (which takes the domain)."""
    parts = list(value.parts) if isinstance(value, Pattern) else [value]
    host: list[Any] = []
    domain: list[Any] | None = None
    for index, part in enumerate(parts):
        if isinstance(part, str) and "." in part:
            head, tail = part.split(".", 1)
            host.append(head)
            domain = ["." + tail, *parts[index + 1:]]
            break
        host.append(part)
    if domain is None and (not host or host[-1] is not Wildcard.ANY):
        return None
    if domain is not None and not value_matches(Pattern(tuple(domain)), suffix):
        return None
    if host and isinstance(host[0], str):
        if not host[0].startswith("ip-"):
            return None
        host[0] = host[0][3:]
    pieces = tuple(part.replace("-", ".") if isinstance(part, str) else part for part in host if part != "")
    if not any(isinstance(piece, Wildcard) for piece in pieces):
        return "".join(pieces) or None
    return Pattern(pieces)


def dns_names(field: str) -> InContext:
    """A filter on private DNS names, as the addresses ``field`` holds."""

    def build(ctx: Any, values: tuple[str, ...]) -> Match:
        suffix = private_dns_name(ctx.region, "0.0.0.0")[len("ip-0-0-0-0"):]
        wanted = tuple(found for value in store_values(values)
                       if (found := _address_pattern(value, suffix)) is not None)
        return Match(field, wanted) if wanted else nothing(ID)

    return InContext(build)


def _boot_modes(values: tuple[str, ...]) -> Match:
    wanted = tuple(arch for arch in ARCHITECTURES if met_by(values, "uefi" if arch == "arm64" else "legacy-bios"))
    return Match("architecture", wanted) if wanted else nothing(ID)


MORE_INSTANCE_FILTERS: dict[str, Any] = {
    "availability-zone-id": zone_ids("availability_zone", ID),
    "launch-index": integers("ami_launch_index", ID),
    "launch-time": times("launch_time", ID),
    "usage-operation-update-time": times("launch_time", ID),
    "ebs-optimized": booleans("ebs_optimized", ID),
    "hibernation-options.configured": booleans("hibernation_configured", ID),
    "current-instance-boot-mode": _boot_modes,
    "platform-details": chosen("platform", ID, {"Windows": "windows", "Linux/UNIX": None}),
    "usage-operation": chosen("platform", ID, {"RunInstances:0002": "windows", "RunInstances": None}),
    "hypervisor": constant("xen", ID),
    "ena-support": constant("true", ID),
    "enclave-options.enabled": constant("false", ID),
    "maintenance-options.auto-recovery": constant("default", ID),
    "product-code": lambda values: nothing(ID),
    "product-code.type": lambda values: nothing(ID),
    "private-dns-name": dns_names("private_ip"),
    # Its attached EBS volumes (through the volumes' scope indexes).
    "block-device-mapping.attach-time": times("volumes.attach_time", ID),
    "block-device-mapping.delete-on-termination": booleans("volumes.delete_on_termination", ID),
    "block-device-mapping.device-name": "volumes.device",
    "block-device-mapping.status": "volumes.attachment_state",
    "block-device-mapping.volume-id": "volumes.volume_id",
    # Its attached interfaces' groups are its groups.
    "instance.group-id": "interfaces.groups.group_id",
    "instance.group-name": "interfaces.groups.group_name",
    "source-dest-check": booleans("interfaces.source_dest_check", ID),
    # More of its attached interfaces' members.
    "network-interface.attachment.attach-time": times("interfaces.attach_time", ID),
    "network-interface.attachment.delete-on-termination": booleans("interfaces.delete_on_termination", ID),
    "network-interface.attachment.device-index": integers("interfaces.device_index", ID),
    "network-interface.attachment.status": "interfaces.attachment_status",
    "network-interface.attachment.instance-owner-id": "interfaces.account_id",
    "network-interface.attachment.network-card-index": _any_interface("0"),
    "network-interface.requester-managed": booleans("interfaces.requester_managed", ID),
    "network-interface.source-dest-check": booleans("interfaces.source_dest_check", ID),
    "network-interface.addresses.primary": booleans("interfaces.addresses.is_primary", ID),
    "network-interface.private-dns-name": dns_names("interfaces.private_ip"),
    "network-interface.addresses.private-dns-name": dns_names("interfaces.addresses.private_ip"),
    "network-interface.tag-key": f"interfaces.{TAG_KEY}",
    "network-interface.tag-value": f"interfaces.{TAG_VALUE}",
}
