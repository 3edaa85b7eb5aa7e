"""DescribeAvailabilityZones and ModifyAvailabilityZoneGroup through boto3: the published
names and zone IDs, Local and Wavelength Zones behind their groups' opt-in, every filter
AWS documents, and every bad input."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.services.ec2.zone_catalogue import REGIONS
from tests.helpers import error_of, launch


def _names(ec2: Any, **kwargs: Any) -> list[str]:
    return [z["ZoneName"] for z in ec2.describe_availability_zones(**kwargs)["AvailabilityZones"]]


def _filtered(ec2: Any, name: str, *values: str, all_zones: bool = True) -> list[str]:
    return _names(ec2, AllAvailabilityZones=all_zones, Filters=[{"Name": name, "Values": list(values)}])


def test_zones_of_us_east_1_have_published_names_and_ids(ec2: Any) -> None:
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in zones] == [f"us-east-1{c}" for c in "abcdef"]
    assert sorted(z["ZoneId"] for z in zones) == [f"use1-az{n}" for n in range(1, 7)]
    assert zones[0] == {
        "RegionName": "us-east-1", "ZoneName": "us-east-1a", "ZoneId": "use1-az4", "State": "available",
        "ZoneType": "availability-zone", "GroupName": "us-east-1-zg-1", "GroupLongName": "US East (N. Virginia) 1",
        "NetworkBorderGroup": "us-east-1", "OptInStatus": "opt-in-not-required", "Messages": [],
    }


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_every_region_answers_its_own_zones(make_client: Any, region: str) -> None:
    zones = make_client(region=region).describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in zones] == [
        (zone.name, zone.zone_id) for zone in REGIONS[region].availability_zones]
    assert all(z["RegionName"] == region and z["GroupLongName"].startswith(REGIONS[region].long_name)
               for z in zones)


def test_each_region_sees_its_own_zones(make_client: Any) -> None:
    west2 = make_client(region="us-west-2").describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in west2] == [
        ("us-west-2a", "usw2-az2"), ("us-west-2b", "usw2-az1"), ("us-west-2c", "usw2-az3"), ("us-west-2d", "usw2-az4")]
    west1 = make_client(region="us-west-1").describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in west1] == [("us-west-1a", "usw1-az3"), ("us-west-1b", "usw1-az1")]
    tokyo = make_client(region="ap-northeast-1").describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in tokyo] == [
        ("ap-northeast-1a", "apne1-az4"), ("ap-northeast-1c", "apne1-az1"), ("ap-northeast-1d", "apne1-az2")]
    jakarta = make_client(region="ap-southeast-3").describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneId"] for z in jakarta] == ["apse3-az1", "apse3-az2", "apse3-az3"]


def test_local_and_wavelength_zones_wait_for_their_groups_opt_in(ec2: Any) -> None:
    everything = {z["ZoneName"]: z for z in
                  ec2.describe_availability_zones(AllAvailabilityZones=True)["AvailabilityZones"]}
    assert set(everything) == set(REGIONS["us-east-1"].by_name)
    miami = everything["us-east-1-mia-1a"]
    assert miami == {
        "RegionName": "us-east-1", "ZoneName": "us-east-1-mia-1a", "ZoneId": "use1-mia1-az1", "State": "available",
        "ZoneType": "local-zone", "GroupName": "us-east-1-mia-1", "GroupLongName": "US East (Miami) 1",
        "NetworkBorderGroup": "us-east-1-mia-1", "OptInStatus": "not-opted-in", "Messages": [],
        "ParentZoneId": "use1-az2", "ParentZoneName": "us-east-1d",
    }
    boston = everything["us-east-1-wl1-bos-wlz-1"]
    assert (boston["ZoneId"], boston["ZoneType"], boston["GroupName"], boston["NetworkBorderGroup"]) == (
        "use1-wl1-bos-wlz1", "wavelength-zone", "us-east-1-wl1", "us-east-1-wl1-bos-wlz-1")
    assert _names(ec2) == [f"us-east-1{c}" for c in "abcdef"]
    # Named zones are answered whatever their status.
    assert _names(ec2, ZoneIds=["use1-mia1-az1"]) == ["us-east-1-mia-1a"]

    assert ec2.modify_availability_zone_group(GroupName="us-east-1-mia-1", OptInStatus="opted-in")["Return"] is True
    assert _names(ec2) == [*(f"us-east-1{c}" for c in "abcdef"), "us-east-1-mia-1a"]
    [opted] = ec2.describe_availability_zones(ZoneNames=["us-east-1-mia-1a"])["AvailabilityZones"]
    assert opted["OptInStatus"] == "opted-in"
    # Opting in again changes nothing; one Wavelength group opts in every zone of it.
    assert ec2.modify_availability_zone_group(GroupName="us-east-1-mia-1", OptInStatus="opted-in")["Return"] is True
    ec2.modify_availability_zone_group(GroupName="us-east-1-wl1", OptInStatus="opted-in")
    wavelength = _filtered(ec2, "zone-type", "wavelength-zone", all_zones=False)
    assert wavelength == sorted(z.name for z in REGIONS["us-east-1"].groups["us-east-1-wl1"])
    # An Availability Zone group is always usable: naming it succeeds and changes nothing.
    assert ec2.modify_availability_zone_group(GroupName="us-east-1-zg-1", OptInStatus="opted-in")["Return"] is True
    assert len(_names(ec2)) == 6 + 1 + len(wavelength)


def test_opt_ins_belong_to_one_account_and_region(ec2: Any, make_client: Any) -> None:
    ec2.modify_availability_zone_group(GroupName="us-east-1-mia-1", OptInStatus="opted-in")
    other = make_client(region="us-west-2")
    other.modify_availability_zone_group(GroupName="us-west-2-lax-1", OptInStatus="opted-in")
    assert _names(other)[-1] == "us-west-2-lax-1a"
    assert "us-west-2-lax-1a" not in _names(ec2, AllAvailabilityZones=True)
    err = error_of(ec2.modify_availability_zone_group, GroupName="us-west-2-lax-1", OptInStatus="opted-in")
    assert err == {"Code": "InvalidParameterValue", "Message": "Invalid availability zone group: [us-west-2-lax-1]",
                   "Status": 400}


def test_bad_zone_group_requests_change_nothing(ec2: Any) -> None:
    err = error_of(ec2.modify_availability_zone_group, GroupName="us-east-1-mia-1", OptInStatus="not-opted-in")
    assert err["Code"] == "InvalidParameterValue" and err["Status"] == 400
    assert err["Message"].startswith("Value (not-opted-in) for parameter optInStatus is invalid.")
    err = error_of(ec2.modify_availability_zone_group, GroupName="us-east-1-nowhere-1", OptInStatus="opted-in")
    assert err["Message"] == "Invalid availability zone group: [us-east-1-nowhere-1]"
    err = error_of(ec2.modify_availability_zone_group, GroupName="us-east-1-mia-1", OptInStatus="maybe")
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.modify_availability_zone_group, GroupName="us-east-1-mia-1", OptInStatus="opted-in",
                   DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412
    assert _filtered(ec2, "opt-in-status", "opted-in") == []


def test_zone_names_and_ids_select_zones(ec2: Any) -> None:
    assert _names(ec2, ZoneNames=["us-east-1b", "us-east-1d"]) == ["us-east-1b", "us-east-1d"]
    assert _names(ec2, ZoneIds=["use1-az6"]) == ["us-east-1b"]
    assert _names(ec2, ZoneNames=["us-east-1a"], ZoneIds=["use1-az6"]) == ["us-east-1a", "us-east-1b"]


def test_unknown_zone_names_and_ids_are_rejected(ec2: Any) -> None:
    err = error_of(ec2.describe_availability_zones, ZoneNames=["us-east-1a", "us-east-1z"])
    assert err == {"Code": "InvalidParameterValue", "Message": "Invalid availability zone: [us-east-1z]",
                   "Status": 400}
    # Another Region's zone does not exist here.
    err = error_of(ec2.describe_availability_zones, ZoneNames=["us-west-2a"])
    assert err["Message"] == "Invalid availability zone: [us-west-2a]"
    err = error_of(ec2.describe_availability_zones, ZoneIds=["usw2-az1"])
    assert err == {"Code": "InvalidParameterValue", "Message": "Invalid availability zone-id: [usw2-az1]",
                   "Status": 400}
    err = error_of(ec2.describe_availability_zones, Filters=[{"Name": "colour", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'colour' is invalid", "Status": 400}
    err = error_of(ec2.describe_availability_zones, DryRun=True)
    assert err["Code"] == "DryRunOperation"


def test_every_documented_filter(ec2: Any) -> None:
    azs = [f"us-east-1{c}" for c in "abcdef"]
    assert _filtered(ec2, "zone-name", "us-east-1a", "us-east-1c") == ["us-east-1a", "us-east-1c"]
    assert _filtered(ec2, "zone-name", "us-east-1?") == azs
    assert _filtered(ec2, "zone-id", "use1-az3") == ["us-east-1e"]
    assert _filtered(ec2, "region-name", "us-east-1") == sorted(azs) + sorted(
        z.name for z in REGIONS["us-east-1"].zones if z.opt_in_required)
    assert _filtered(ec2, "region-name", "us-west-2") == []
    assert _filtered(ec2, "state", "unavailable") == []
    assert len(_filtered(ec2, "state", "available")) == len(REGIONS["us-east-1"].by_name)
    assert _filtered(ec2, "zone-type", "availability-zone") == azs
    assert _filtered(ec2, "zone-type", "local-zone")[0] == "us-east-1-atl-1a"
    assert _filtered(ec2, "group-name", "us-east-1-zg-1") == azs
    assert _filtered(ec2, "group-long-name", "US East (Miami) 1") == ["us-east-1-mia-1a"]
    assert _filtered(ec2, "network-border-group", "us-east-1-wl1-bos-wlz-1") == ["us-east-1-wl1-bos-wlz-1"]
    assert _filtered(ec2, "opt-in-status", "opt-in-not-required") == azs
    assert "us-east-1-mia-1a" in _filtered(ec2, "opt-in-status", "not-opted-in")
    assert _filtered(ec2, "parent-zone-id", "use1-az2")[0] == "us-east-1-atl-1a"
    assert _filtered(ec2, "parent-zone-name", "us-east-1c") == _filtered(ec2, "zone-type", "wavelength-zone")
    assert _filtered(ec2, "message", "*") == []
    both = ec2.describe_availability_zones(AllAvailabilityZones=True, Filters=[
        {"Name": "zone-type", "Values": ["local-zone"]}, {"Name": "parent-zone-id", "Values": ["use1-az2"]}])
    assert [z["ZoneName"] for z in both["AvailabilityZones"]] == _filtered(ec2, "zone-type", "local-zone")
    # Without AllAvailabilityZones, filters see only the zones the account may use.
    assert _filtered(ec2, "zone-type", "local-zone", all_zones=False) == []


def test_resources_are_placed_in_availability_zones_only(ec2: Any) -> None:
    """A Local Zone, even opted in, or another Region's zone is no zone CreateVolume,
    RunInstances or CreateSubnet places a resource in: they answer as for a zone that
    does not exist."""
    ec2.modify_availability_zone_group(GroupName="us-east-1-mia-1", OptInStatus="opted-in")
    for zone in ("us-east-1-mia-1a", "us-west-2a"):
        err = error_of(ec2.create_volume, AvailabilityZone=zone, Size=1)
        assert (err["Code"], err["Status"]) == ("InvalidParameterValue", 400), err
        assert zone in err["Message"]
        err = error_of(launch, ec2, Placement={"AvailabilityZone": zone})
        assert err["Code"] == "InvalidParameterValue" and zone in err["Message"]
        vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="172.31.200.0/24", AvailabilityZone=zone)
        assert err["Code"] == "InvalidParameterValue" and zone in err["Message"]
    err = error_of(ec2.create_volume, AvailabilityZoneId="use1-mia1-az1", Size=1)
    assert err["Code"] == "InvalidParameterValue" and "use1-mia1-az1" in err["Message"]
    assert ec2.describe_volumes()["Volumes"] == [] and ec2.describe_instances()["Reservations"] == []
