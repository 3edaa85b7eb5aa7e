"""Regions and Availability Zones: the built-in catalogue and its Describe operations.

The catalogue names real regions with their real zone letters and zone IDs. A region
that is not in the catalogue but is well formed (``xx-name-N``) is accepted with zones
``a``, ``b`` and ``c``, so a client configured for a newer region still works; state in
one region is never visible from another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error, invalid_parameter_value
from ec2emu.service.context import RequestContext
from ec2emu.service.filters import FilterSpec, apply_filters
from ec2emu.service.registry import operation


@dataclass(frozen=True)
class Zone:
    name: str
    zone_id: str
    region: str


# region -> (zone-id prefix, zone letters in zone-id order)
_CATALOGUE: dict[str, tuple[str, str]] = {
    "us-east-1": ("use1", "cdfabe"),
    "us-east-2": ("use2", "abc"),
    "us-west-1": ("usw1", "ac"),
    "us-west-2": ("usw2", "bcad"),
    "ca-central-1": ("cac1", "abd"),
    "eu-west-1": ("euw1", "bac"),
    "eu-west-2": ("euw2", "abc"),
    "eu-central-1": ("euc1", "abc"),
    "eu-north-1": ("eun1", "abc"),
    "ap-southeast-1": ("apse1", "abc"),
    "ap-southeast-2": ("apse2", "abc"),
    "ap-northeast-1": ("apne1", "acd"),
    "ap-south-1": ("aps1", "abc"),
    "sa-east-1": ("sae1", "abc"),
}

_REGION_PATTERN = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d")


def known_regions() -> list[str]:
    return list(_CATALOGUE)


def is_valid_region(region: str) -> bool:
    return region in _CATALOGUE or _REGION_PATTERN.fullmatch(region) is not None


def zones(region: str) -> list[Zone]:
    """The zones of ``region``, ordered by name."""
    prefix, letters = _CATALOGUE.get(region, (region.replace("-", "")[:6], "abc"))
    result = [
        Zone(name=f"{region}{letter}", zone_id=f"{prefix}-az{index}", region=region)
        for index, letter in enumerate(letters, start=1)
    ]
    return sorted(result, key=lambda z: z.name)


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


def _endpoint(region: str) -> str:
    return f"ec2.{region}.amazonaws.com"


_REGION_FILTERS = FilterSpec(
    {
        "endpoint": lambda r: [r["Endpoint"]],
        "region-name": lambda r: [r["RegionName"]],
        "opt-in-status": lambda r: [r["OptInStatus"]],
    }
)


@operation("DescribeRegions")
def describe_regions(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    names = params.get("RegionNames") or []
    for name in names:
        if name not in _CATALOGUE and name != ctx.region:
            raise Ec2Error("InvalidParameterValue", f"Invalid region: {name}")
    ctx.dry_run(params)
    catalogue = list(_CATALOGUE)
    if ctx.region not in _CATALOGUE:
        catalogue.append(ctx.region)
    regions = [
        {"Endpoint": _endpoint(name), "RegionName": name, "OptInStatus": "opt-in-not-required"}
        for name in catalogue
        if not names or name in names
    ]
    return {"Regions": apply_filters(_REGION_FILTERS, regions, params.get("Filters"))}


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


_ZONE_FILTERS = FilterSpec(
    {
        "zone-name": lambda z: [z["ZoneName"]],
        "zone-id": lambda z: [z["ZoneId"]],
        "region-name": lambda z: [z["RegionName"]],
        "state": lambda z: [z["State"]],
        "zone-type": lambda z: [z["ZoneType"]],
        "group-name": lambda z: [z["GroupName"]],
        "network-border-group": lambda z: [z["NetworkBorderGroup"]],
        "opt-in-status": lambda z: [z["OptInStatus"]],
    }
)


@operation("DescribeAvailabilityZones")
def describe_availability_zones(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    views = [zone_view(z) for z in zones(ctx.region)]
    names = params.get("ZoneNames") or []
    ids = params.get("ZoneIds") or []
    for name in names:
        if not any(v["ZoneName"] == name for v in views):
            raise invalid_parameter_value(f"The zone '{name}' does not exist.")
    for zone_id in ids:
        if not any(v["ZoneId"] == zone_id for v in views):
            raise invalid_parameter_value(f"The zone ID '{zone_id}' does not exist.")
    ctx.dry_run(params)
    if names or ids:
        views = [v for v in views if v["ZoneName"] in names or v["ZoneId"] in ids]
    return {"AvailabilityZones": apply_filters(_ZONE_FILTERS, views, params.get("Filters"))}
