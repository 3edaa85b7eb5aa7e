"""DescribeInstanceTypeOfferings through boto3: per Region, per zone name and per zone ID
as the data file gives them, filters, paging, and every bad input."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.services.ec2.instance_type_offerings import region_types, zone_types
from ec2emu.services.ec2.zone_catalogue import REGIONS
from tests.helpers import error_of


def _all(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("describe_instance_type_offerings").paginate(**kwargs)
    return [offering for page in pages for offering in page["InstanceTypeOfferings"]]


def test_region_offerings_by_default(ec2: Any) -> None:
    offerings = _all(ec2)
    assert offerings == [{"InstanceType": name, "LocationType": "region", "Location": "us-east-1"}
                         for name in sorted(region_types("us-east-1"))]
    assert _all(ec2, LocationType="region") == offerings
    assert {"t1.micro", "m1.small", "t3.micro", "m7i.large"} <= {o["InstanceType"] for o in offerings}


def test_zone_offerings_by_name_and_by_id(ec2: Any) -> None:
    by_id = _all(ec2, LocationType="availability-zone-id")
    expected = sorted((zone_id, name) for zone_id, names in zone_types("us-east-1").items() for name in names)
    assert [(o["Location"], o["InstanceType"]) for o in by_id] == expected
    assert {o["LocationType"] for o in by_id} == {"availability-zone-id"}
    names = {zone.zone_id: zone.name for zone in REGIONS["us-east-1"].availability_zones}
    by_name = _all(ec2, LocationType="availability-zone")
    assert sorted((o["Location"], o["InstanceType"]) for o in by_name) == sorted(
        (names[zone_id], name) for zone_id, name in expected)
    # Zones differ: some type is offered in one zone and not another.
    assert len({frozenset(types) for types in zone_types("us-east-1").values()}) > 1
    assert _all(ec2, LocationType="outpost") == []


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1", "mx-central-1"])
def test_regions_without_published_offerings(make_client: Any, region: str) -> None:
    client = make_client(region=region)
    types = {o["InstanceType"] for o in _all(client)}
    assert types == region_types(region) and "t3.micro" in types
    by_zone = _all(client, LocationType="availability-zone")
    assert {o["Location"] for o in by_zone} == {zone.name for zone in REGIONS[region].availability_zones}


def test_filters(ec2: Any) -> None:
    found = _all(ec2, LocationType="availability-zone", Filters=[
        {"Name": "instance-type", "Values": ["t3.micro", "m1.*"]}, {"Name": "location", "Values": ["us-east-1a"]}])
    wanted = {name for name in zone_types("us-east-1")[REGIONS["us-east-1"].by_name["us-east-1a"].zone_id]
              if name == "t3.micro" or name.startswith("m1.")}
    assert {o["InstanceType"] for o in found} == wanted and wanted
    assert {o["Location"] for o in found} == {"us-east-1a"}
    assert _all(ec2, Filters=[{"Name": "location", "Values": ["us-west-2"]}]) == []
    err = error_of(ec2.describe_instance_type_offerings, Filters=[{"Name": "colour", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'colour' is invalid", "Status": 400}


def test_paging(ec2: Any) -> None:
    everything = _all(ec2, LocationType="availability-zone-id")
    seen: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"LocationType": "availability-zone-id", "MaxResults": 1000}
    while True:
        page = ec2.describe_instance_type_offerings(**kwargs)
        assert len(page["InstanceTypeOfferings"]) <= 1000
        seen += page["InstanceTypeOfferings"]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == everything and len(seen) > 1000


def test_bad_input(ec2: Any) -> None:
    err = error_of(ec2.describe_instance_type_offerings, MaxResults=1001)
    assert err["Code"] == "InvalidParameterValue" and err["Status"] == 400
    err = error_of(ec2.describe_instance_type_offerings, NextToken="not-a-token")
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.describe_instance_type_offerings, LocationType="planet")
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.describe_instance_type_offerings, DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412
