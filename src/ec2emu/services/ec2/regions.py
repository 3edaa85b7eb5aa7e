"""Regions and Availability Zones: the built-in catalogue and its Describe operations.

The catalogue names real regions with their real zone letters and zone IDs (a zone's
name-to-ID pairing differs between AWS accounts; each region here uses one pairing an
account really sees, e.g. ``us-west-1`` has only ``a``/``c`` = ``usw1-az1``/``usw1-az3``).
Regions that need opting in (``af-south-1``, ``ap-east-1``, ``me-south-1``,
``eu-south-1``) are reported as ``not-opted-in`` and only listed with ``AllRegions``.
A region that is not in the catalogue but is well formed (``xx-name-N``) is accepted
with zones ``a``, ``b`` and ``c``, so a client configured for a newer region still
works; state in one region is never visible from another.

Errors, as EC2 words them: an unknown name in ``RegionNames`` → ``InvalidParameterValue``
"Invalid region: [name]"; an unknown ``ZoneNames`` entry → ``InvalidParameterValue``
"Invalid availability zone: [name]" (another region's zone is unknown here), an unknown
``ZoneIds`` entry → "Invalid availability zone-id: [id]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ec2emu.errors import invalid_parameter_value
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_memory
from ec2emu.services.shared.filters import Builder, met_by, nothing
from ec2emu.store.repository import Match


@dataclass(frozen=True)
class Zone:
    name: str
    zone_id: str
    region: str


@dataclass(frozen=True)
class _Region:
    zone_prefix: str
    # zone letter -> number in its zone ID ("a": 4 means <region>a is <prefix>-az4)
    zones: dict[str, int]
    opt_in: bool = False


_CATALOGUE: dict[str, _Region] = {
    "us-east-1": _Region("use1", {"a": 4, "b": 6, "c": 1, "d": 2, "e": 3, "f": 5}),
    "us-east-2": _Region("use2", {"a": 1, "b": 2, "c": 3}),
    "us-west-1": _Region("usw1", {"a": 1, "c": 3}),
    "us-west-2": _Region("usw2", {"a": 2, "b": 1, "c": 3, "d": 4}),
    "ca-central-1": _Region("cac1", {"a": 1, "b": 2, "d": 4}),
    "sa-east-1": _Region("sae1", {"a": 1, "b": 2, "c": 3}),
    "eu-west-1": _Region("euw1", {"a": 1, "b": 2, "c": 3}),
    "eu-west-2": _Region("euw2", {"a": 2, "b": 3, "c": 1}),
    "eu-west-3": _Region("euw3", {"a": 1, "b": 2, "c": 3}),
    "eu-central-1": _Region("euc1", {"a": 2, "b": 3, "c": 1}),
    "eu-north-1": _Region("eun1", {"a": 1, "b": 2, "c": 3}),
    "ap-south-1": _Region("aps1", {"a": 1, "b": 3, "c": 2}),
    "ap-northeast-1": _Region("apne1", {"a": 4, "c": 1, "d": 2}),
    "ap-northeast-2": _Region("apne2", {"a": 1, "b": 2, "c": 3, "d": 4}),
    "ap-northeast-3": _Region("apne3", {"a": 3, "b": 1, "c": 2}),
    "ap-southeast-1": _Region("apse1", {"a": 2, "b": 1, "c": 3}),
    "ap-southeast-2": _Region("apse2", {"a": 1, "b": 3, "c": 2}),
    "af-south-1": _Region("afs1", {"a": 1, "b": 2, "c": 3}, opt_in=True),
    "ap-east-1": _Region("ape1", {"a": 1, "b": 2, "c": 3}, opt_in=True),
    "eu-south-1": _Region("eus1", {"a": 1, "b": 2, "c": 3}, opt_in=True),
    "me-south-1": _Region("mes1", {"a": 1, "b": 2, "c": 3}, opt_in=True),
}

_REGION_PATTERN = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d")


def known_regions() -> list[str]:
    return list(_CATALOGUE)


def is_valid_region(region: str) -> bool:
    return region in _CATALOGUE or _REGION_PATTERN.fullmatch(region) is not None


def _region_entry(region: str) -> _Region:
    entry = _CATALOGUE.get(region)
    if entry is not None:
        return entry
    parts = region.split("-")
    prefix = parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1] if len(parts) >= 3 else region
    return _Region(prefix, {"a": 1, "b": 2, "c": 3})


def zones(region: str) -> list[Zone]:
    """The zones of ``region``, ordered by name."""
    entry = _region_entry(region)
    return [
        Zone(name=f"{region}{letter}", zone_id=f"{entry.zone_prefix}-az{number}", region=region)
        for letter, number in sorted(entry.zones.items())
    ]


def zone_named(region: str, name: str) -> Zone | None:
    for zone in zones(region):
        if zone.name == name:
            return zone
    return None


def zone_with_id(region: str, zone_id: str) -> Zone | None:
    for zone in zones(region):
        if zone.zone_id == zone_id:
            return zone
    return None


@cache
def _zone_names() -> dict[str, str]:
    """Every zone ID of every Region -> its zone's name."""
    return {zone.zone_id: zone.name for region in known_regions() for zone in zones(region)}


def zone_ids(column: str, id_field: str) -> Builder:
    """An ``availability-zone-id`` filter on a column of zone names: the zones whose IDs
    a value meets (IDs name one Region's zones, so another Region's meet nothing)."""

    def build(values: tuple[str, ...]) -> Match:
        names = tuple(name for zone_id, name in _zone_names().items() if met_by(values, zone_id))
        return Match(column, names) if names else nothing(id_field)

    return build


def _opt_in_status(region: str) -> str:
    entry = _CATALOGUE.get(region)
    return "not-opted-in" if entry is not None and entry.opt_in else "opt-in-not-required"


def region_view(region: str) -> dict[str, Any]:
    return {
        "Endpoint": f"ec2.{region}.amazonaws.com",
        "RegionName": region,
        "OptInStatus": _opt_in_status(region),
    }


def _region_views(ctx: RequestContext) -> list[dict[str, Any]]:
    """Every region of the catalogue, and the request's own if it is not one."""
    names = list(_CATALOGUE)
    if ctx.region not in _CATALOGUE:
        names.append(ctx.region)
    return [region_view(name) for name in names]


def _named_regions(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    names = list(dict.fromkeys(params["RegionNames"]))
    for name in names:
        if name not in _CATALOGUE and name != ctx.region:
            raise invalid_parameter_value(f"Invalid region: [{name}]")
    return names, None


def _enabled_unless_all(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    """Regions named explicitly are answered whether or not they are enabled."""
    if params.get("RegionNames") or params.get("AllRegions"):
        return []
    return [Match("OptInStatus", ("opt-in-not-required",))]


DESCRIBE_REGIONS = Describe(
    result="Regions",
    key="RegionName",
    find=in_memory("RegionName", _region_views),
    filters={"endpoint": "Endpoint", "region-name": "RegionName", "opt-in-status": "OptInStatus"},
    tags=None,
    criteria=_enabled_unless_all,
    named=Naming(("RegionNames",), _named_regions),
    page_size=None,
)


@operation("DescribeRegions")
def describe_regions(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_REGIONS)


def zone_view(zone: Zone) -> dict[str, Any]:
    return {
        "OptInStatus": "opt-in-not-required",
        "Messages": [],
        "RegionName": zone.region,
        "ZoneName": zone.name,
        "ZoneId": zone.zone_id,
        "GroupName": zone.region,
        "NetworkBorderGroup": zone.region,
        "ZoneType": "availability-zone",
        "State": "available",
    }


def _named_zones(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    """Zones by name and by zone ID; another region's zones are unknown here."""
    here = zones(ctx.region)
    names = params.get("ZoneNames") or []
    zone_ids = params.get("ZoneIds") or []
    for name in names:
        if not any(zone.name == name for zone in here):
            raise invalid_parameter_value(f"Invalid availability zone: [{name}]")
    for zone_id in zone_ids:
        if not any(zone.zone_id == zone_id for zone in here):
            raise invalid_parameter_value(f"Invalid availability zone-id: [{zone_id}]")
    return [zone.name for zone in here if zone.name in names or zone.zone_id in zone_ids], None


DESCRIBE_AVAILABILITY_ZONES = Describe(
    result="AvailabilityZones",
    key="ZoneName",
    find=in_memory("ZoneName", lambda ctx: [zone_view(zone) for zone in zones(ctx.region)]),
    filters={
        "zone-name": "ZoneName",
        "zone-id": "ZoneId",
        "region-name": "RegionName",
        "state": "State",
        "zone-type": "ZoneType",
        "group-name": "GroupName",
        "network-border-group": "NetworkBorderGroup",
        "opt-in-status": "OptInStatus",
        "message": "Messages.Message",
        "parent-zone-name": "ParentZoneName",
        "parent-zone-id": "ParentZoneId",
    },
    tags=None,
    named=Naming(("ZoneNames", "ZoneIds"), _named_zones),
    page_size=None,
)


@operation("DescribeAvailabilityZones")
def describe_availability_zones(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_AVAILABILITY_ZONES)
