"""DescribeRegions and DescribeAvailabilityZones through boto3: real names and zone IDs,
opt-in regions, filters, name validation, and per-region views."""

from __future__ import annotations

from typing import Any

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


def test_all_regions_includes_not_opted_in_regions(ec2: Any) -> None:
    regions = ec2.describe_regions(AllRegions=True)["Regions"]
    by_name = {r["RegionName"]: r for r in regions}
    assert by_name["af-south-1"]["OptInStatus"] == "not-opted-in"
    assert by_name["me-south-1"]["OptInStatus"] == "not-opted-in"
    assert by_name["us-east-1"]["OptInStatus"] == "opt-in-not-required"
    assert len(regions) > len(ec2.describe_regions()["Regions"])


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
    err = error_of(ec2.describe_regions, Filters=[{"Name": "bogus", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'bogus' is invalid", "Status": 400}


def test_describe_regions_dry_run(ec2: Any) -> None:
    err = error_of(ec2.describe_regions, DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412


def test_zones_of_us_east_1_have_real_names_and_ids(ec2: Any) -> None:
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == [f"us-east-1{c}" for c in "abcdef"]
    ids = [z["ZoneId"] for z in zones]
    assert sorted(ids) == [f"use1-az{n}" for n in range(1, 7)]
    first = zones[0]
    assert first["RegionName"] == "us-east-1"
    assert first["State"] == "available"
    assert first["ZoneType"] == "availability-zone"
    assert first["GroupName"] == "us-east-1"
    assert first["NetworkBorderGroup"] == "us-east-1"
    assert first["OptInStatus"] == "opt-in-not-required"
    assert first["Messages"] == []


def test_each_region_sees_its_own_zones(make_client: Any) -> None:
    west2 = make_client(region="us-west-2").describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in west2] == ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]
    assert all(z["RegionName"] == "us-west-2" and z["ZoneId"].startswith("usw2-az") for z in west2)
    # us-west-1 has only two zones for an account, a and c, whose IDs are usw1-az1/az3.
    west1 = make_client(region="us-west-1").describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in west1] == [
        ("us-west-1a", "usw1-az1"),
        ("us-west-1c", "usw1-az3"),
    ]
    tokyo = make_client(region="ap-northeast-1").describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in tokyo] == ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]


def test_zone_names_and_ids_select_zones(ec2: Any) -> None:
    zones = ec2.describe_availability_zones(ZoneNames=["us-east-1b", "us-east-1d"])["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == ["us-east-1b", "us-east-1d"]
    zone_id = zones[0]["ZoneId"]
    by_id = ec2.describe_availability_zones(ZoneIds=[zone_id])["AvailabilityZones"]
    assert [z["ZoneName"] for z in by_id] == ["us-east-1b"]


def test_unknown_zone_names_and_ids_are_rejected(ec2: Any) -> None:
    err = error_of(ec2.describe_availability_zones, ZoneNames=["us-east-1a", "us-east-1z"])
    assert err == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid availability zone: [us-east-1z]",
        "Status": 400,
    }
    # Another region's zone does not exist here.
    err = error_of(ec2.describe_availability_zones, ZoneNames=["us-west-2a"])
    assert err["Message"] == "Invalid availability zone: [us-west-2a]"
    err = error_of(ec2.describe_availability_zones, ZoneIds=["usw2-az1"])
    assert err == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid availability zone-id: [usw2-az1]",
        "Status": 400,
    }


def test_zone_filters(ec2: Any) -> None:
    def names(filters: list[dict[str, Any]]) -> list[str]:
        return [z["ZoneName"] for z in ec2.describe_availability_zones(Filters=filters)["AvailabilityZones"]]

    assert names([{"Name": "zone-name", "Values": ["us-east-1a", "us-east-1c"]}]) == ["us-east-1a", "us-east-1c"]
    assert names([{"Name": "zone-name", "Values": ["us-east-1?"]}]) == [f"us-east-1{c}" for c in "abcdef"]
    assert names([{"Name": "state", "Values": ["available"]}, {"Name": "region-name", "Values": ["us-east-1"]}])
    assert names([{"Name": "state", "Values": ["unavailable"]}]) == []
    assert names([{"Name": "region-name", "Values": ["us-west-2"]}]) == []
    zone_id = ec2.describe_availability_zones(ZoneNames=["us-east-1e"])["AvailabilityZones"][0]["ZoneId"]
    assert names([{"Name": "zone-id", "Values": [zone_id]}]) == ["us-east-1e"]
    err = error_of(ec2.describe_availability_zones, Filters=[{"Name": "colour", "Values": ["x"]}])
    assert err["Code"] == "InvalidParameterValue" and err["Message"] == "The filter 'colour' is invalid"


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
