"""Subnets through boto3: CreateSubnet and its CIDR rules, DescribeSubnets and its
filters, DeleteSubnet, ModifySubnetAttribute, tags, quotas, and bad input (AWS's error,
nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of


@pytest.fixture
def vpc_id(ec2: Any) -> str:
    return str(ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])


def _subnets(ec2: Any, **kwargs: Any) -> list[str]:
    return sorted(subnet["SubnetId"] for subnet in ec2.describe_subnets(**kwargs)["Subnets"])


def test_create_subnet(ec2: Any, vpc_id: str) -> None:
    created = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]
    assert created["State"] == "pending"
    assert created["VpcId"] == vpc_id
    assert created["CidrBlock"] == "10.0.1.0/24"
    assert created["AvailabilityZone"] == "us-east-1b"
    assert created["AvailabilityZoneId"] == "use1-az6"
    assert created["AvailableIpAddressCount"] == 251
    assert created["DefaultForAz"] is False
    assert created["MapPublicIpOnLaunch"] is False
    assert created["SubnetId"].startswith("subnet-") and len(created["SubnetId"]) == 24
    assert created["SubnetArn"] == f"arn:aws:ec2:us-east-1:000000000000:subnet/{created['SubnetId']}"
    [described] = ec2.describe_subnets(SubnetIds=[created["SubnetId"]])["Subnets"]
    assert described == {**created, "State": "available"}
    ec2.get_waiter("subnet_available").wait(SubnetIds=[created["SubnetId"]])


def test_by_zone_id_and_without_a_zone(ec2: Any, vpc_id: str) -> None:
    by_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZoneId="use1-az1")["Subnet"]
    assert by_id["AvailabilityZone"] == "us-east-1c"
    zones = {ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{n}.0/24")["Subnet"]["AvailabilityZone"]
             for n in range(10, 16)}
    assert len(zones) > 1 and all(zone.startswith("us-east-1") for zone in zones)
    err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1z")
    assert err["Code"] == "InvalidParameterValue"
    assert err["Message"].startswith("Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can "
                                     "currently only be created in the following availability zones: us-east-1a, ")
    err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.2.0/24", AvailabilityZoneId="use1-az9")
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1a",
                   AvailabilityZoneId="use1-az4")
    assert err["Code"] == "InvalidParameterCombination"
    assert len(_subnets(ec2, Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])) == 7


@pytest.mark.parametrize("cidr", ["10.1.0.0/24", "10.0.0.0/15", "10.0.0.0/29", "10.0.0.0/8", "172.31.0.0/20"])
def test_blocks_outside_the_vpc_or_out_of_range(ec2: Any, vpc_id: str, cidr: str) -> None:
    err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock=cidr)
    assert err == {"Code": "InvalidSubnet.Range", "Message": f"The CIDR '{cidr}' is invalid.", "Status": 400}
    assert _subnets(ec2, Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]) == []


def test_blocks_that_overlap_another_subnet(ec2: Any, vpc_id: str) -> None:
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")
    for cidr in ("10.0.1.0/24", "10.0.1.128/25", "10.0.0.0/23", "10.0.0.0/16"):
        err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock=cidr)
        assert err == {"Code": "InvalidSubnet.Conflict", "Message": f"The CIDR '{cidr}' conflicts with another subnet",
                       "Status": 400}
    assert ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["CidrBlock"] == "10.0.0.0/24"
    other = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert ec2.create_subnet(VpcId=other, CidrBlock="10.0.1.0/24")["Subnet"]["VpcId"] == other


def test_a_subnet_may_take_the_whole_vpc_or_a_secondary_block(ec2: Any) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/28")["Vpc"]["VpcId"]
    whole = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/28")["Subnet"]
    assert whole["AvailableIpAddressCount"] == 11
    ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.9.0.0/16")
    assert ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/16")["Subnet"]["AvailableIpAddressCount"] == 65531


@pytest.mark.parametrize(("extra", "name"), [
    ({"Ipv6CidrBlock": "2600:1f18::/64"}, "Ipv6CidrBlock"),
    ({"Ipv6Native": True}, "Ipv6Native"),
    ({"OutpostArn": "arn:aws:outposts:us-east-1:000000000000:outpost/op-0123456789abcdef0"}, "OutpostArn"),
])
def test_what_is_not_honoured_is_refused_by_name(ec2: Any, vpc_id: str, extra: dict[str, Any], name: str) -> None:
    err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.1.0/24", **extra)
    assert err == {"Code": "UnsupportedOperation", "Message": f"The parameter {name} is not supported by this endpoint.",
                   "Status": 400}


def test_bad_vpcs_and_blocks(ec2: Any, vpc_id: str) -> None:
    err = error_of(ec2.create_subnet, VpcId="vpc-0123456789abcdef0", CidrBlock="10.0.1.0/24")
    assert err == {"Code": "InvalidVpcID.NotFound", "Message": "The vpc ID 'vpc-0123456789abcdef0' does not exist",
                   "Status": 400}
    assert error_of(ec2.create_subnet, VpcId="nope", CidrBlock="10.0.1.0/24")["Code"] == "InvalidVpcID.Malformed"
    assert error_of(ec2.create_subnet, VpcId=vpc_id)["Code"] == "MissingParameter"
    assert error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.1.0")["Code"] == "InvalidParameterValue"
    err = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.1.0/24",
                   TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}])
    assert err["Code"] == "InvalidParameterValue"
    assert error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.1.0/24", DryRun=True)["Code"] == "DryRunOperation"
    assert _subnets(ec2, Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]) == []


def test_filters_and_tags(ec2: Any, vpc_id: str) -> None:
    web = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a", TagSpecifications=[
        {"ResourceType": "subnet", "Tags": [{"Key": "tier", "Value": "web"}]}])["Subnet"]
    db = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.2.0/28", AvailabilityZone="us-east-1b")["Subnet"]
    assert web["Tags"] == [{"Key": "tier", "Value": "web"}]
    ec2.modify_subnet_attribute(SubnetId=db["SubnetId"], MapPublicIpOnLaunch={"Value": True})

    def found(*filters: tuple[str, list[str]]) -> list[str]:
        return _subnets(ec2, Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                      *({"Name": n, "Values": v} for n, v in filters)])

    assert found(("tag:tier", ["web"])) == [web["SubnetId"]]
    assert found(("tag-key", ["tier"])) == [web["SubnetId"]]
    assert found(("availability-zone", ["us-east-1b"])) == [db["SubnetId"]]
    assert found(("availability-zone-id", ["use1-az4"])) == [web["SubnetId"]]
    assert found(("cidr-block", ["10.0.2.0/28"])) == [db["SubnetId"]]
    assert found(("cidr", ["10.0.*"])) == sorted([web["SubnetId"], db["SubnetId"]])
    assert found(("map-public-ip-on-launch", ["true"])) == [db["SubnetId"]]
    assert found(("default-for-az", ["true"])) == []
    assert found(("available-ip-address-count", ["11"])) == [db["SubnetId"]]
    assert found(("subnet-arn", [web["SubnetArn"]])) == [web["SubnetId"]]
    assert found(("ipv6-native", ["false"])) == sorted([web["SubnetId"], db["SubnetId"]])
    assert found(("ipv6-cidr-block-association.ipv6-cidr-block", ["*"])) == []
    assert found(("state", ["available"]), ("owner-id", ["000000000000"])) == sorted([web["SubnetId"], db["SubnetId"]])
    assert len(_subnets(ec2)) == 6 + 2
    ec2.create_tags(Resources=[db["SubnetId"]], Tags=[{"Key": "tier", "Value": "db"}])
    assert found(("tag:tier", ["db", "web"])) == sorted([web["SubnetId"], db["SubnetId"]])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["subnet"]}])["Tags"]
    assert {(t["ResourceId"], t["Value"]) for t in tags} == {(web["SubnetId"], "web"), (db["SubnetId"], "db")}


def test_paging_across_stored_subnets(ec2: Any, vpc_id: str) -> None:
    for n in range(6):
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{n}.0/24")
    everything = _subnets(ec2)
    seen: list[str] = []
    token = None
    while True:
        page = ec2.describe_subnets(MaxResults=5, **({"NextToken": token} if token else {}))
        seen += [s["SubnetId"] for s in page["Subnets"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == everything and len(seen) == 12


def test_delete_subnet(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", TagSpecifications=[
        {"ResourceType": "subnet", "Tags": [{"Key": "Name", "Value": "x"}]}])["Subnet"]["SubnetId"]
    assert error_of(ec2.delete_subnet, SubnetId=subnet, DryRun=True)["Code"] == "DryRunOperation"
    ec2.delete_subnet(SubnetId=subnet)
    err = error_of(ec2.describe_subnets, SubnetIds=[subnet])
    assert err == {"Code": "InvalidSubnetID.NotFound", "Message": f"The subnet ID '{subnet}' does not exist",
                   "Status": 400}
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [subnet]}])["Tags"] == []
    assert error_of(ec2.delete_subnet, SubnetId=subnet)["Code"] == "InvalidSubnetID.NotFound"
    assert error_of(ec2.delete_subnet, SubnetId="subnet-x")["Code"] == "InvalidSubnetID.Malformed"
    assert ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["CidrBlock"] == "10.0.1.0/24"


def test_modify_subnet_attribute(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]

    def mapped() -> bool:
        return bool(ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["MapPublicIpOnLaunch"])

    ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    assert mapped() is True
    ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": False})
    assert mapped() is False
    ec2.modify_subnet_attribute(SubnetId=subnet, EnableDns64={"Value": False})
    ec2.modify_subnet_attribute(SubnetId=subnet, PrivateDnsHostnameTypeOnLaunch="ip-name")
    for extra, name in (({"EnableDns64": {"Value": True}}, "EnableDns64"),
                        ({"AssignIpv6AddressOnCreation": {"Value": True}}, "AssignIpv6AddressOnCreation"),
                        ({"PrivateDnsHostnameTypeOnLaunch": "resource-name"}, "PrivateDnsHostnameTypeOnLaunch"),
                        ({"CustomerOwnedIpv4Pool": "ipv4pool-coip-0123"}, "CustomerOwnedIpv4Pool")):
        err = error_of(ec2.modify_subnet_attribute, SubnetId=subnet, **extra)
        assert err == {"Code": "UnsupportedOperation",
                       "Message": f"The parameter {name} is not supported by this endpoint.", "Status": 400}
    err = error_of(ec2.modify_subnet_attribute, SubnetId=subnet, MapPublicIpOnLaunch={"Value": True},
                   EnableDns64={"Value": False})
    assert err == {"Code": "InvalidParameterCombination",
                   "Message": "Fields for multiple attribute types specified: mapPublicIpOnLaunch, enableDns64",
                   "Status": 400}
    assert mapped() is False
    assert error_of(ec2.modify_subnet_attribute, SubnetId=subnet)["Code"] == "InvalidParameterCombination"
    err = error_of(ec2.modify_subnet_attribute, SubnetId="subnet-0123456789abcdef0", MapPublicIpOnLaunch={"Value": True})
    assert err["Code"] == "InvalidSubnetID.NotFound"


def test_a_default_subnet_can_be_modified_and_deleted(ec2: Any) -> None:
    default = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    ec2.modify_subnet_attribute(SubnetId=default[0]["SubnetId"], MapPublicIpOnLaunch={"Value": False})
    after = {s["SubnetId"]: s for s in ec2.describe_subnets()["Subnets"]}
    assert after[default[0]["SubnetId"]]["MapPublicIpOnLaunch"] is False
    assert after[default[1]["SubnetId"]] == default[1]
    ec2.delete_subnet(SubnetId=default[1]["SubnetId"])
    assert len(ec2.describe_subnets()["Subnets"]) == len(default) - 1
