"""IPv4 CIDR blocks as EC2 takes them for VPCs and subnets (fact sheet §1.1, §1.2).

* A block is written ``a.b.c.d/n``; anything else answers ``InvalidParameterValue``
  ("… This is not a valid CIDR block."). A block with host bits set is taken as its
  network (``10.0.1.0/16`` is ``10.0.0.0/16``), as EC2 silently does.
* VPC blocks, the primary and those associated later, are /16 to /28 and may not overlap
  the link-local range 169.254.0.0/16 nor one another (``InvalidVpc.Range``). The other
  range-mixing rules of the VPC guide's 2023 table are left out: AWS's current rule is
  in conflict between sources (fact sheet §1.1).
* Subnet blocks are /16 to /28 and lie within one block of their VPC
  (``InvalidSubnet.Range``), overlapping no other subnet of the VPC
  (``InvalidSubnet.Conflict``).
* Five addresses of every subnet are reserved: the first four and the last.
* A route's destination is any IPv4 block (``/0`` to ``/32``), read the same way, its
  errors naming ``destinationCidrBlock``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable

from ec2emu.errors import Ec2Error
from ec2emu.services.ec2.networking.errors import (
    invalid_cidr,
    invalid_subnet_range,
    invalid_vpc_range,
    missing_cidr,
    subnet_conflict,
)
from ec2emu.services.ec2.networking.routing_errors import (
    invalid_destination,
    missing_destination,
)

MIN_PREFIX, MAX_PREFIX = 16, 28
RESERVED_PER_SUBNET = 5  # the network address, the router, DNS, one for the future, broadcast
FIRST_USABLE = 4  # the offset of the first address an instance can have
LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")

Network = ipaddress.IPv4Network
_WRITTEN = re.compile(r"\d{1,3}(\.\d{1,3}){3}/\d{1,2}")


def parse(value: str | None, missing: Callable[[], Ec2Error] = missing_cidr,
          invalid: Callable[[str], Ec2Error] = invalid_cidr) -> Network:
    """A CIDR block as written in a request, taken as its network (``missing()`` for none,
    ``invalid(value)`` for one that cannot be read)."""
    if not value:
        raise missing()
    if not _WRITTEN.fullmatch(value):
        raise invalid(value)
    try:
        return ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise invalid(value) from None


def destination(value: str | None) -> Network:
    """A route's IPv4 destination (``destinationCidrBlock``), any size."""
    return parse(value, missing_destination, invalid_destination)


def _sized(network: Network) -> bool:
    return MIN_PREFIX <= network.prefixlen <= MAX_PREFIX


def vpc_block(value: str | None, existing: Iterable[str] = ()) -> Network:
    """A block for a VPC whose blocks are ``existing``."""
    network = parse(value)
    if not _sized(network) or network.overlaps(LINK_LOCAL):
        raise invalid_vpc_range(str(value))
    if any(network.overlaps(ipaddress.IPv4Network(block)) for block in existing):
        raise invalid_vpc_range(str(value))
    return network


def subnet_block(value: str | None, vpc_blocks: Iterable[str], siblings: Iterable[str]) -> Network:
    """A block for a subnet of a VPC with these blocks and these other subnets."""
    network = parse(value)
    if not _sized(network) or not any(network.subnet_of(ipaddress.IPv4Network(b)) for b in vpc_blocks):
        raise invalid_subnet_range(str(value))
    if any(network.overlaps(ipaddress.IPv4Network(block)) for block in siblings):
        raise subnet_conflict(str(value))
    return network


def usable(cidr: str) -> int:
    """How many addresses of a subnet instances can have."""
    return ipaddress.IPv4Network(cidr).num_addresses - RESERVED_PER_SUBNET


def free_block(within: str, prefix: int, taken: Iterable[str]) -> Network | None:
    """The first block of ``prefix`` in ``within`` that overlaps none of ``taken``."""
    used = [ipaddress.IPv4Network(block) for block in taken]
    for candidate in ipaddress.IPv4Network(within).subnets(new_prefix=prefix):
        if not any(candidate.overlaps(block) for block in used):
            return candidate
    return None
