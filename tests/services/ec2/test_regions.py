"""DescribeRegions through boto3: every Region of the caller's partition (aws, aws-cn,
aws-us-gov), opt-in Regions, filters, name validation, and per-Region views."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.services.ec2.zone_catalogue import REGIONS
from tests.helpers import error_of, launch


def _names(regions: list[dict[str, Any]]) -> list[str]:
    return [r["RegionName"] for r in regions]


def test_describe_regions_lists_enabled_regions_with_endpoints(ec2: Any) -> None:
    regions = ec2.describe_regions()["Regions"]
    names = _names(regions)
    for expected in ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1",
                     "ap-northeast-1", "ap-southeast-2", "sa-east-1", "ca-central-1"):
        assert expected in names
    assert len(names) == len(set(names))
    east = next(r for r in regions if r["RegionName"] == "us-east-1")
    assert east == {
        "Endpoint": "ec2.us-east-1.amazonaws.com",
        "RegionName": "us-east-1",
        "OptInStatus": "opt-in-not-required",
    }
    # Regions that need opting in are not enabled, so they are not listed by default.
    assert "af-south-1" not in names
    assert all(r["OptInStatus"] == "opt-in-not-required" for r in regions)
    assert set(names) == {name for name, entry in REGIONS.items() if entry.partition == "aws" and not entry.opt_in}


def test_all_regions_includes_not_opted_in_regions(ec2: Any) -> None:
    regions = ec2.describe_regions(AllRegions=True)["Regions"]
    by_name = {r["RegionName"]: r for r in regions}
    assert by_name["af-south-1"]["OptInStatus"] == "not-opted-in"
    assert by_name["me-south-1"]["OptInStatus"] == "not-opted-in"
    assert by_name["us-east-1"]["OptInStatus"] == "opt-in-not-required"
    assert len(regions) > len(ec2.describe_regions()["Regions"])
    assert set(by_name) == {name for name, entry in REGIONS.items() if entry.partition == "aws"}
    assert "cn-north-1" not in by_name and "us-gov-west-1" not in by_name


def test_the_callers_opt_in_region_is_opted_in(make_client: Any) -> None:
    cape_town = make_client(region="af-south-1")
    regions = {r["RegionName"]: r for r in cape_town.describe_regions()["Regions"]}
    assert regions["af-south-1"] == {"Endpoint": "ec2.af-south-1.amazonaws.com", "RegionName": "af-south-1",
                                     "OptInStatus": "opted-in"}
    assert "me-south-1" not in regions
    opted = cape_town.describe_regions(Filters=[{"Name": "opt-in-status", "Values": ["opted-in"]}])["Regions"]
    assert _names(opted) == ["af-south-1"]


@pytest.mark.parametrize(("region", "partition", "suffix"), [
    ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
    ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
    ("us-gov-east-1", "aws-us-gov", "amazonaws.com"),
])
def test_other_partitions_see_their_own_regions(make_client: Any, region: str, partition: str,
                                                suffix: str) -> None:
    client = make_client(region=region)
    regions = client.describe_regions(AllRegions=True)["Regions"]
    assert sorted(_names(regions)) == sorted(name for name, entry in REGIONS.items() if entry.partition == partition)
    assert all(r["Endpoint"] == f"ec2.{r['RegionName']}.{suffix}" and r["OptInStatus"] == "opt-in-not-required"
               for r in regions)
    err = error_of(client.describe_regions, RegionNames=["us-east-1"])
    assert err == {"Code": "InvalidParameterValue", "Message": "Invalid region: [us-east-1]", "Status": 400}
    zones = client.describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in zones] == [
        (zone.name, zone.zone_id) for zone in REGIONS[region].availability_zones]


def test_a_region_of_no_partition_is_refused(make_client: Any) -> None:
    for region in ("mars-north-1", "us-iso-east-1"):
        err = error_of(make_client(region=region).describe_regions)
        assert err == {"Code": "AuthFailure", "Message": f"The region '{region}' is not valid.", "Status": 401}


def test_region_names_select_and_unknown_names_are_rejected(ec2: Any) -> None:
    regions = ec2.describe_regions(RegionNames=["eu-west-1", "us-west-2"])["Regions"]
    assert sorted(_names(regions)) == ["eu-west-1", "us-west-2"]
    err = error_of(ec2.describe_regions, RegionNames=["us-west-2", "mars-north-1"])
    assert err == {"Code": "InvalidParameterValue", "Message": "Invalid region: [mars-north-1]", "Status": 400}
    err = error_of(ec2.describe_regions, RegionNames=["us--east-1"])
    assert err["Message"] == "Invalid region: [us--east-1]"


def test_region_filters(ec2: Any) -> None:
    regions = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["eu-*"]}])["Regions"]
    assert regions and all(name.startswith("eu-") for name in _names(regions))
    regions = ec2.describe_regions(
        Filters=[{"Name": "endpoint", "Values": ["ec2.ap-northeast-1.amazonaws.com"]}]
    )["Regions"]
    assert _names(regions) == ["ap-northeast-1"]
    regions = ec2.describe_regions(
        AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": ["not-opted-in"]}]
    )["Regions"]
    assert "ap-east-1" in _names(regions) and "us-east-1" not in _names(regions)
    assert set(_names(regions)) == {name for name, entry in REGIONS.items() if entry.partition == "aws" and entry.opt_in}
    err = error_of(ec2.describe_regions, Filters=[{"Name": "bogus", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'bogus' is invalid", "Status": 400}


def test_describe_regions_dry_run(ec2: Any) -> None:
    err = error_of(ec2.describe_regions, DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412


def test_instances_in_one_region_are_invisible_from_another(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    west = make_client(region="us-west-2")
    [east_id] = launch(east)
    [west_id] = launch(west)
    assert [i["InstanceId"] for r in east.describe_instances()["Reservations"] for i in r["Instances"]] == [east_id]
    assert [i["InstanceId"] for r in west.describe_instances()["Reservations"] for i in r["Instances"]] == [west_id]
    west_zone = west.describe_instances(InstanceIds=[west_id])["Reservations"][0]["Instances"][0]
    assert west_zone["Placement"]["AvailabilityZone"].startswith("us-west-2")
    err = error_of(east.describe_instances, InstanceIds=[west_id])
    assert err["Code"] == "InvalidInstanceID.NotFound"
