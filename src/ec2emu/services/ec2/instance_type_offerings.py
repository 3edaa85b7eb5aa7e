"""Which instance types each Region and zone offers, and DescribeInstanceTypeOfferings.

The offerings are ``instance_type_offerings.json`` beside this module: per Region, the
types it offers and, per zone ID, the types each zone offers (as AWS answered one
account; the data file cites it). Zone IDs are physical, so the zone names answered are
the ones this account sees for them (:mod:`.zone_catalogue`).

Choices the documentation leaves open:

- a Region the data file does not hold (the newest Regions, China, GovCloud) offers the
  types at least half the Regions it holds offer, in each of its Availability Zones;
- Local and Wavelength Zones offer nothing here (no published list, and no resource is
  placed in them);
- ``LocationType=outpost`` lists nothing: an account here has no Outposts;
- offerings are listed in (location, type) order; ``MaxResults`` is 5–1000 as EC2 allows
  for this call, with an opaque ``NextToken``.

Filters: ``location`` and ``instance-type`` (wildcards as every filter).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

from ec2emu.services.ec2 import zone_catalogue
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, describe, in_memory
from ec2emu.services.shared.pagination import PageSize
from ec2emu.store.repository import Match

MAX_RESULTS = 1000


def _load() -> dict[str, dict[str, Any]]:
    text = resources.files("ec2emu.services.ec2").joinpath("instance_type_offerings.json").read_text("utf-8")
    regions: dict[str, dict[str, Any]] = json.loads(text)["regions"]
    return regions


_DATA = _load()
_COUNTS = Counter(name for entry in _DATA.values() for name in entry["types"])
# What a Region the data file does not hold offers: the types at least half the held Regions offer.
_EVERYWHERE: frozenset[str] = frozenset(name for name, count in _COUNTS.items() if 2 * count >= len(_DATA))
_REGION_TYPES: dict[str, frozenset[str]] = {region: frozenset(entry["types"]) for region, entry in _DATA.items()}


def region_types(region: str) -> frozenset[str]:
    """The types ``region`` offers."""
    return _REGION_TYPES.get(region, _EVERYWHERE)


def offered_in_region(region: str, type_name: str) -> bool:
    return type_name in region_types(region)


@cache
def zone_types(region: str) -> dict[str, tuple[str, ...]]:
    """Zone ID → the types that zone offers, for every Availability Zone of ``region``."""
    entry = zone_catalogue.region(region)
    if entry is None:
        return {}
    held = _DATA.get(region)
    if held is None:
        everywhere = tuple(sorted(_EVERYWHERE))
        return {zone.zone_id: everywhere for zone in entry.availability_zones}
    return {zone.zone_id: tuple(held["zones"].get(zone.zone_id, ())) for zone in entry.availability_zones}


@cache
def _offerings(region: str, location_type: str) -> list[dict[str, Any]]:
    if location_type == "region":
        return [{"InstanceType": name, "LocationType": "region", "Location": region}
                for name in sorted(region_types(region))]
    if location_type not in ("availability-zone", "availability-zone-id"):
        return []
    entry = zone_catalogue.region(region)
    rows: list[dict[str, Any]] = []
    for zone_id, names in zone_types(region).items():
        location = zone_id if location_type == "availability-zone-id" or entry is None else entry.by_id[zone_id].name
        rows.extend({"InstanceType": name, "LocationType": location_type, "Location": location} for name in names)
    rows.sort(key=lambda row: (row["Location"], row["InstanceType"]))
    return rows


def _views(ctx: RequestContext) -> list[dict[str, Any]]:
    return [*_offerings(ctx.region, "region"), *_offerings(ctx.region, "availability-zone"),
            *_offerings(ctx.region, "availability-zone-id")]


def _location_type(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    """The offerings of the ``LocationType`` asked for (botocore's enum; ``region`` by
    default)."""
    return [Match("LocationType", (params.get("LocationType") or "region",))]


DESCRIBE_INSTANCE_TYPE_OFFERINGS = Describe(
    result="InstanceTypeOfferings",
    key=("Location", "InstanceType"),
    find=in_memory(("Location", "InstanceType"), _views),
    filters={"location": "Location", "instance-type": "InstanceType"},
    tags=None,
    criteria=_location_type,
    page_size=PageSize(maximum=MAX_RESULTS),
)


@operation("DescribeInstanceTypeOfferings")
def describe_instance_type_offerings(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INSTANCE_TYPE_OFFERINGS)
