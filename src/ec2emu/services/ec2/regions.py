"""Regions and zones: DescribeRegions, DescribeAvailabilityZones and
ModifyAvailabilityZoneGroup over the published catalogue (:mod:`.zone_catalogue`), and
the zone look-ups the other families use.

A Region is one of botocore's partitions ``aws``, ``aws-cn`` and ``aws-us-gov``; a
credential scope naming any other is refused (``AuthFailure``) before a handler runs.
DescribeRegions answers the Regions of the caller's partition (a China client sees the
two China Regions, endpoints ``ec2.<region>.amazonaws.com.cn``). Regions that must be
enabled are ``not-opted-in`` and listed only with ``AllRegions`` — except the caller's
own Region, which is ``opted-in``: enabling a Region is the Account service's, not
EC2's, and an account can call only a Region it has enabled.

DescribeAvailabilityZones answers the caller's Region's zones: Availability Zones
(``opt-in-not-required``) and the Local and Wavelength Zones AWS lists, ``not-opted-in``
until ModifyAvailabilityZoneGroup opts the account in to their group (stored per account
and Region). Without ``AllAvailabilityZones`` only zones the account may use are listed;
zones named in ``ZoneNames`` or ``ZoneIds`` are answered whatever their status (as named
Regions are). Opting out of a group is refused as AWS's reference says: it takes AWS
Support. Naming an Availability Zone group opts in to nothing and succeeds.

The other families place resources in Availability Zones only (:func:`zones`,
:func:`zone_named`, :func:`zone_with_id`): a Local or Wavelength Zone named to
CreateSubnet, CreateVolume or RunInstances answers as a zone that does not exist.

Errors, as EC2 words them: an unknown name in ``RegionNames`` → ``InvalidParameterValue``
"Invalid region: [name]"; an unknown ``ZoneNames`` entry → "Invalid availability zone:
[name]" (another Region's zone is unknown here), an unknown ``ZoneIds`` entry → "Invalid
availability zone-id: [id]"; an unknown zone group → "Invalid availability zone group:
[name]" (AWS's wording is not published; this follows the other three).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ec2emu.errors import invalid_parameter_value
from ec2emu.services.ec2 import zone_catalogue
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.zone_catalogue import Region, Zone
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_memory
from ec2emu.services.shared.filters import Builder, met_by, nothing
from ec2emu.store.repository import Match

__all__ = ["Zone", "is_valid_region", "known_regions", "zone_ids", "zone_named", "zone_with_id", "zones"]

NOT_REQUIRED = "opt-in-not-required"
OPTED_IN = "opted-in"
NOT_OPTED_IN = "not-opted-in"


def known_regions() -> list[str]:
    return list(zone_catalogue.REGIONS)


def is_valid_region(region: str) -> bool:
    return zone_catalogue.region(region) is not None


def _here(region: str) -> Region:
    entry = zone_catalogue.region(region)
    if entry is None:  # the pipeline admits only catalogued Regions
        raise invalid_parameter_value(f"Invalid region: [{region}]")
    return entry


def zones(region: str) -> list[Zone]:
    """The Availability Zones of ``region``, ordered by name."""
    return list(_here(region).availability_zones)


def zone_named(region: str, name: str) -> Zone | None:
    """The Availability Zone of ``region`` named ``name``."""
    zone = _here(region).by_name.get(name)
    return zone if zone is not None and not zone.opt_in_required else None


def zone_with_id(region: str, zone_id: str) -> Zone | None:
    """The Availability Zone of ``region`` whose ID is ``zone_id``."""
    zone = _here(region).by_id.get(zone_id)
    return zone if zone is not None and not zone.opt_in_required else None


# --------------------------------------------------------------------------- Regions
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


def _region_status(ctx: RequestContext, entry: Region) -> str:
    if not entry.opt_in:
        return NOT_REQUIRED
    return OPTED_IN if entry.name == ctx.region else NOT_OPTED_IN


def _region_views(ctx: RequestContext) -> list[dict[str, Any]]:
    """Every Region of the caller's partition."""
    return [
        {"Endpoint": entry.endpoint, "RegionName": entry.name, "OptInStatus": _region_status(ctx, entry)}
        for entry in zone_catalogue.regions_of_partition(_here(ctx.region).partition)
    ]


def _named_regions(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    partition = _here(ctx.region).partition
    names = list(dict.fromkeys(params["RegionNames"]))
    for name in names:
        entry = zone_catalogue.region(name)
        if entry is None or entry.partition != partition:
            raise invalid_parameter_value(f"Invalid region: [{name}]")
    return names, None


def _enabled_unless_all(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    """Regions named explicitly are answered whether or not they are enabled."""
    if params.get("RegionNames") or params.get("AllRegions"):
        return []
    return [Match("OptInStatus", (NOT_REQUIRED, OPTED_IN))]


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


# --------------------------------------------------------------------------- zones
def _zone_view(entry: Region, zone: Zone, opted_in: set[str]) -> dict[str, Any]:
    status = NOT_REQUIRED
    if zone.opt_in_required:
        status = OPTED_IN if zone.group in opted_in else NOT_OPTED_IN
    view: dict[str, Any] = {
        "OptInStatus": status,
        "Messages": [],
        "RegionName": zone.region,
        "ZoneName": zone.name,
        "ZoneId": zone.zone_id,
        "GroupName": zone.group,
        "GroupLongName": zone.group_long_name,
        "NetworkBorderGroup": zone.network_border_group,
        "ZoneType": zone.zone_type,
        "State": "available",
    }
    if zone.parent_id is not None:
        view["ParentZoneId"] = zone.parent_id
        view["ParentZoneName"] = entry.by_id[zone.parent_id].name
    return view


def _zone_views(ctx: RequestContext) -> list[dict[str, Any]]:
    entry = _here(ctx.region)
    opted_in = ctx.uow.zone_groups.opted_in(ctx.account_id, ctx.region)
    return [_zone_view(entry, zone, opted_in) for zone in entry.zones]


def _named_zones(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], None]:
    """Zones by name and by zone ID; another Region's zones are unknown here."""
    entry = _here(ctx.region)
    names = params.get("ZoneNames") or []
    zone_ids = params.get("ZoneIds") or []
    for name in names:
        if name not in entry.by_name:
            raise invalid_parameter_value(f"Invalid availability zone: [{name}]")
    for zone_id in zone_ids:
        if zone_id not in entry.by_id:
            raise invalid_parameter_value(f"Invalid availability zone-id: [{zone_id}]")
    wanted = set(names) | {entry.by_id[zone_id].name for zone_id in zone_ids}
    return [zone.name for zone in entry.zones if zone.name in wanted], None


def _usable_unless_all(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    if params.get("AllAvailabilityZones") or params.get("ZoneNames") or params.get("ZoneIds"):
        return []
    return [Match("OptInStatus", (NOT_REQUIRED, OPTED_IN))]


DESCRIBE_AVAILABILITY_ZONES = Describe(
    result="AvailabilityZones",
    key="ZoneName",
    find=in_memory("ZoneName", _zone_views),
    filters={
        "zone-name": "ZoneName",
        "zone-id": "ZoneId",
        "region-name": "RegionName",
        "state": "State",
        "zone-type": "ZoneType",
        "group-name": "GroupName",
        "group-long-name": "GroupLongName",
        "network-border-group": "NetworkBorderGroup",
        "opt-in-status": "OptInStatus",
        "message": "Messages.Message",
        "parent-zone-name": "ParentZoneName",
        "parent-zone-id": "ParentZoneId",
    },
    tags=None,
    criteria=_usable_unless_all,
    named=Naming(("ZoneNames", "ZoneIds"), _named_zones),
    page_size=None,
)


@operation("DescribeAvailabilityZones")
def describe_availability_zones(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_AVAILABILITY_ZONES)


@operation("ModifyAvailabilityZoneGroup")
def modify_availability_zone_group(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    group = params["GroupName"]
    members = _here(ctx.region).groups.get(group)
    if members is None:
        raise invalid_parameter_value(f"Invalid availability zone group: [{group}]")
    if params["OptInStatus"] != OPTED_IN:
        raise invalid_parameter_value(
            f"Value ({params['OptInStatus']}) for parameter optInStatus is invalid. You must contact AWS Support "
            "to opt out of a Local Zone or Wavelength Zone group.")
    ctx.dry_run(params)
    if members[0].opt_in_required:
        ctx.uow.zone_groups.opt_in(ctx.account_id, ctx.region, group, ctx.now_ts)
    return {"Return": True}
