"""The zone data file against its sources in reach: botocore's own partitions data names
the Regions, their long names and DNS suffixes; every zone is of its Region and every
parent zone is one of its Region's Availability Zones."""

from __future__ import annotations

import json
from pathlib import Path

import botocore

from ec2emu.services.ec2.zone_catalogue import AVAILABILITY_ZONE, REGIONS

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def _botocore_partitions() -> dict[str, dict[str, object]]:
    data = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text())
    return {p["id"]: p for p in data["partitions"] if p["id"] in PARTITIONS}


def test_every_region_of_botocores_partitions_and_no_other() -> None:
    partitions = _botocore_partitions()
    assert set(partitions) == set(PARTITIONS)
    for pid, partition in partitions.items():
        regions = {name: info for name, info in partition["regions"].items()  # type: ignore[attr-defined]
                   if not name.endswith("-global")}
        ours = {name: entry for name, entry in REGIONS.items() if entry.partition == pid}
        assert set(ours) == set(regions), pid
        for name, entry in ours.items():
            assert entry.long_name == regions[name]["description"]
            assert entry.endpoint == f"ec2.{name}.{partition['outputs']['dnsSuffix']}"  # type: ignore[index]


def test_zones_belong_to_their_region() -> None:
    for name, entry in REGIONS.items():
        assert entry.availability_zones, name
        prefixes = {zone.zone_id.split("-az")[0] for zone in entry.availability_zones}
        assert len(prefixes) == 1, name
        for zone in entry.availability_zones:
            assert zone.name[:-1] == name and zone.name[-1].isalpha()
            assert zone.zone_type == AVAILABILITY_ZONE and zone.parent_id is None
        for zone in entry.zones:
            assert zone.name.startswith(name) and zone.region == name
            assert entry.by_name[zone.name] is entry.by_id[zone.zone_id] is zone
            if zone.opt_in_required:
                assert zone.zone_type in ("local-zone", "wavelength-zone")
                assert zone.zone_id.startswith(next(iter(prefixes)))
                assert zone.parent_id is not None
                assert entry.by_id[zone.parent_id].zone_type == AVAILABILITY_ZONE


def test_only_regions_launched_opt_in_are_opt_in() -> None:
    """Regions that need enabling are those AWS launched after March 2019; none in China or
    GovCloud."""
    default = {"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1",
               "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1",
               "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2"}
    for name, entry in REGIONS.items():
        assert entry.opt_in == (entry.partition == "aws" and name not in default), name


def test_the_data_files_ship_with_the_package() -> None:
    import tomllib

    root = Path(__file__).resolve().parents[3]
    shipped = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["ec2emu"]
    data = {f"services/ec2/{path.name}" for path in (root / "src" / "ec2emu" / "services" / "ec2").glob("*.json")}
    assert data == {"services/ec2/zones.json", "services/ec2/instance_types.json",
                    "services/ec2/instance_type_offerings.json"}
    assert data <= set(shipped)
