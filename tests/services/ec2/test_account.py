"""DescribeAccountAttributes through boto3 against the in-process app."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of

ALL = ["supported-platforms", "vpc-max-security-groups-per-interface", "max-elastic-ips", "max-instances",
       "vpc-max-elastic-ips", "default-vpc"]


def attributes(reply: dict[str, Any]) -> dict[str, list[str]]:
    return {a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]]
            for a in reply["AccountAttributes"]}


def test_every_attribute_of_an_account_with_a_default_vpc(ec2: Any) -> None:
    found = attributes(ec2.describe_account_attributes())
    assert sorted(found) == sorted(ALL)
    default_vpc = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["IsDefault"]]
    assert found["default-vpc"] == default_vpc
    assert found["supported-platforms"] == ["VPC"]
    assert found["max-instances"] == ["20"]
    assert found["vpc-max-security-groups-per-interface"] == ["5"]
    assert found["max-elastic-ips"] == found["vpc-max-elastic-ips"] == ["5"]


def test_named_attributes_in_the_order_asked_once_each(ec2: Any) -> None:
    reply = ec2.describe_account_attributes(AttributeNames=["default-vpc", "supported-platforms", "default-vpc"])
    assert [a["AttributeName"] for a in reply["AccountAttributes"]] == ["default-vpc", "supported-platforms"]


def test_the_default_vpc_is_the_regions(make_client: Any) -> None:
    east, west = make_client("us-east-1"), make_client("eu-west-1")
    vpcs = [attributes(c.describe_account_attributes(AttributeNames=["default-vpc"]))["default-vpc"]
            for c in (east, west)]
    assert vpcs[0] != vpcs[1]
    assert vpcs[1] == [v["VpcId"] for v in west.describe_vpcs()["Vpcs"] if v["IsDefault"]]


def test_an_unknown_attribute_is_refused(ec2: Any) -> None:
    error = error_of(ec2.describe_account_attributes, AttributeNames=["default-vpc", "max-cars"])
    assert (error["Code"], error["Status"]) == ("InvalidParameterValue", 400)
    assert "max-cars" in error["Message"]


def test_dry_run(ec2: Any) -> None:
    error = error_of(ec2.describe_account_attributes, DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
