"""The Regions and zones AWS publishes, read once from ``zones.json`` beside this module.

The data file holds every Region of botocore's partitions ``aws``, ``aws-cn`` and
``aws-us-gov`` with its long name, whether it must be enabled (opted in) before use,
its Availability Zones (zone name → zone ID, as AWS's lists give them) and the Local and
Wavelength Zones AWS lists for it; each Region cites where its figures come from
(``source``, ``edge_source``). Nothing is derived from a Region's name: a Region the
file does not hold is no Region here.

Choices the documentation leaves open, written down here and in the data file:

- a zone's name-to-ID pairing differs between accounts in the oldest Regions; every
  account here sees the one pairing the file gives;
- an Availability Zone's group is ``<region>-zg-1``, long name ``<Region long name> 1``
  (the form AWS answers today); its network border group is the Region;
- a Local or Wavelength Zone's parent zone ID is the file's; its parent zone name is the
  name this account sees for that ID.

Look-ups are dicts keyed by Region, zone name, zone ID and zone group.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

AVAILABILITY_ZONE = "availability-zone"


@dataclass(frozen=True)
class Zone:
    name: str
    zone_id: str
    region: str
    zone_type: str = AVAILABILITY_ZONE
    group: str = ""
    group_long_name: str = ""
    network_border_group: str = ""
    parent_id: str | None = None

    @property
    def opt_in_required(self) -> bool:
        """Local and Wavelength Zones are listed once the account opts in to their group."""
        return self.zone_type != AVAILABILITY_ZONE


@dataclass(frozen=True)
class Region:
    name: str
    partition: str
    long_name: str
    opt_in: bool
    endpoint: str
    # Availability Zones in name order, then every zone (edge zones too) by name and by ID.
    availability_zones: tuple[Zone, ...]
    by_name: dict[str, Zone]
    by_id: dict[str, Zone]
    groups: dict[str, tuple[Zone, ...]]

    @property
    def zones(self) -> list[Zone]:
        """Every zone of the Region, Availability Zones first, each part by name."""
        edge = sorted((z for z in self.by_name.values() if z.opt_in_required), key=lambda z: z.name)
        return [*self.availability_zones, *edge]


def _region(name: str, entry: dict[str, Any], dns_suffix: str) -> Region:
    group = f"{name}-zg-1"
    long_group = f"{entry['long_name']} 1"
    zones = [Zone(zone_name, zone_id, name, AVAILABILITY_ZONE, group, long_group, name)
             for zone_name, zone_id in sorted(entry["zones"].items())]
    edge = [Zone(z["name"], z["id"], name, z["type"], z["group"], z["group_long_name"],
                 z["network_border_group"], z["parent_zone_id"]) for z in entry.get("edge_zones", [])]
    groups: dict[str, list[Zone]] = {}
    for zone in [*zones, *edge]:
        groups.setdefault(zone.group, []).append(zone)
    return Region(
        name=name, partition=entry["partition"], long_name=entry["long_name"], opt_in=entry["opt_in"],
        endpoint=f"ec2.{name}.{dns_suffix}", availability_zones=tuple(zones),
        by_name={zone.name: zone for zone in [*zones, *edge]},
        by_id={zone.zone_id: zone for zone in [*zones, *edge]},
        groups={key: tuple(members) for key, members in groups.items()},
    )


def _load() -> dict[str, Region]:
    data = json.loads(resources.files("ec2emu.services.ec2").joinpath("zones.json").read_text("utf-8"))
    partitions = data["partitions"]
    return {name: _region(name, entry, partitions[entry["partition"]]["dns_suffix"])
            for name, entry in data["regions"].items()}


REGIONS: dict[str, Region] = _load()
_BY_PARTITION: dict[str, list[Region]] = {}
for _entry in REGIONS.values():
    _BY_PARTITION.setdefault(_entry.partition, []).append(_entry)


def region(name: str) -> Region | None:
    return REGIONS.get(name)


def regions_of_partition(partition: str) -> list[Region]:
    """The Regions of ``partition``, by name."""
    return _BY_PARTITION.get(partition, [])
