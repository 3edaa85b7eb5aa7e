"""Launching into created subnets: the subnet's zone and VPC, addresses from it without
collision, AvailableIpAddressCount, a full subnet, and addresses coming back only when
their instance is gone; subnets with instances cannot be deleted."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch


@pytest.fixture
def vpc_id(ec2: Any) -> str:
    return str(ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])


def _instances(ec2: Any, ids: list[str]) -> list[dict[str, Any]]:
    reservations = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    return [instance for reservation in reservations for instance in reservation["Instances"]]


def _available(ec2: Any, subnet_id: str) -> int:
    return int(ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["AvailableIpAddressCount"])


def test_launching_into_a_created_subnet(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.8.0/24", AvailabilityZone="us-east-1d")["Subnet"]
    ids = launch(ec2, 3, SubnetId=subnet["SubnetId"])
    instances = _instances(ec2, ids)
    group = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"][0]
    addresses = [instance["PrivateIpAddress"] for instance in instances]
    for instance in instances:
        assert instance["SubnetId"] == subnet["SubnetId"]
        assert instance["VpcId"] == vpc_id
        assert instance["Placement"]["AvailabilityZone"] == "us-east-1d"
        assert ipaddress.ip_address(instance["PrivateIpAddress"]) in ipaddress.ip_network("10.0.8.0/24")
        assert instance["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]
    assert len(set(addresses)) == 3
    assert sorted(addresses) == ["10.0.8.4", "10.0.8.5", "10.0.8.6"]
    assert _available(ec2, subnet["SubnetId"]) == 251 - 3
    assert len(ec2.describe_instances(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Reservations"]) == 1


def test_launch_errors_launch_nothing(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.8.0/24", AvailabilityZone="us-east-1d")["Subnet"]
    err = error_of(launch, ec2, SubnetId=subnet["SubnetId"], Placement={"AvailabilityZone": "us-east-1a"})
    assert err == {"Code": "InvalidParameterCombination",
                   "Message": "The specified Availability Zone (us-east-1a) does not match the subnet's "
                              "Availability Zone (us-east-1d).", "Status": 400}
    err = error_of(launch, ec2, SubnetId=subnet["SubnetId"], SecurityGroups=["default"])
    assert err == {"Code": "InvalidParameterCombination",
                   "Message": "The parameter groupName cannot be used with the parameter subnet", "Status": 400}
    default_group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    err = error_of(launch, ec2, SubnetId=subnet["SubnetId"], SecurityGroupIds=[default_group])
    assert err == {"Code": "InvalidGroup.NotFound", "Message": f"The security group '{default_group}' does not exist",
                   "Status": 400}
    assert ec2.describe_instances()["Reservations"] == []
    assert _available(ec2, subnet["SubnetId"]) == 251


def test_a_full_subnet(ec2: Any, vpc_id: str, clock: Any) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/28")["Subnet"]["SubnetId"]
    assert _available(ec2, subnet) == 11
    err = error_of(launch, ec2, 12, SubnetId=subnet)
    assert err == {"Code": "InsufficientFreeAddressesInSubnet",
                   "Message": "The specified subnet does not have enough free addresses to satisfy the request.",
                   "Status": 400}
    assert ec2.describe_instances()["Reservations"] == []
    first = launch(ec2, 10, SubnetId=subnet)
    last = launch(ec2, 1, SubnetId=subnet)
    assert _available(ec2, subnet) == 0
    addresses = sorted(i["PrivateIpAddress"] for i in _instances(ec2, first + last))
    assert {ipaddress.ip_address(a) for a in addresses} == {ipaddress.ip_address(f"10.0.0.{n}") for n in range(4, 15)}
    assert error_of(launch, ec2, SubnetId=subnet)["Code"] == "InsufficientFreeAddressesInSubnet"
    # A stopped instance keeps its address; a terminating one keeps it until it is terminated.
    clock.advance(6)
    ec2.stop_instances(InstanceIds=first[:1])
    clock.advance(6)
    assert error_of(launch, ec2, SubnetId=subnet)["Code"] == "InsufficientFreeAddressesInSubnet"
    freed = [i["PrivateIpAddress"] for i in _instances(ec2, first[1:3])]
    ec2.terminate_instances(InstanceIds=first[1:3])
    assert error_of(launch, ec2, SubnetId=subnet)["Code"] == "InsufficientFreeAddressesInSubnet"
    assert _available(ec2, subnet) == 0
    clock.advance(6)
    assert _available(ec2, subnet) == 2
    again = launch(ec2, 2, SubnetId=subnet)
    assert sorted(i["PrivateIpAddress"] for i in _instances(ec2, again)) == sorted(freed)
    assert _available(ec2, subnet) == 0


def test_addresses_are_not_handed_out_again_while_held(ec2: Any, vpc_id: str, clock: Any) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/28")["Subnet"]["SubnetId"]
    kept = launch(ec2, 5, SubnetId=subnet)
    gone = launch(ec2, 6, SubnetId=subnet)
    ec2.terminate_instances(InstanceIds=gone)
    clock.advance(6)
    held = {i["PrivateIpAddress"] for i in _instances(ec2, kept)}
    # The cursor wraps around: the next launches skip the five addresses still held.
    fresh = launch(ec2, 6, SubnetId=subnet)
    addresses = [i["PrivateIpAddress"] for i in _instances(ec2, fresh)]
    assert len(set(addresses)) == 6 and not set(addresses) & held


def test_a_subnet_with_instances_cannot_be_deleted(ec2: Any, vpc_id: str, clock: Any) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ids = launch(ec2, 2, SubnetId=subnet)
    err = error_of(ec2.delete_subnet, SubnetId=subnet)
    assert err == {"Code": "DependencyViolation",
                   "Message": f"The subnet '{subnet}' has dependencies and cannot be deleted.", "Status": 400}
    ec2.terminate_instances(InstanceIds=ids)
    assert error_of(ec2.delete_subnet, SubnetId=subnet)["Code"] == "DependencyViolation"
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "DependencyViolation"
    clock.advance(6)
    assert [i["State"]["Name"] for i in _instances(ec2, ids)] == ["terminated", "terminated"]
    ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=vpc_id)
    assert [i["State"]["Name"] for i in _instances(ec2, ids)] == ["terminated", "terminated"]


def test_default_subnets_count_their_instances_too(ec2: Any, clock: Any) -> None:
    subnet = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[0]
    ids = launch(ec2, 2, Placement={"AvailabilityZone": subnet["AvailabilityZone"]})
    assert _available(ec2, subnet["SubnetId"]) == 4091 - 2
    ec2.create_vpc(CidrBlock="10.0.0.0/16")  # the scope's network is stored from here on
    assert _available(ec2, subnet["SubnetId"]) == 4091 - 2
    assert error_of(ec2.delete_subnet, SubnetId=subnet["SubnetId"])["Code"] == "DependencyViolation"
    more = launch(ec2, 1, SubnetId=subnet["SubnetId"])
    addresses = {i["PrivateIpAddress"] for i in _instances(ec2, ids + more)}
    assert len(addresses) == 3
    assert _available(ec2, subnet["SubnetId"]) == 4091 - 3


def test_a_launch_takes_what_is_free_down_to_its_min_count(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/28")["Subnet"]["SubnetId"]
    launch(ec2, 3, SubnetId=subnet)
    kwargs = {"ImageId": image_id(ec2), "InstanceType": "t3.micro", "SubnetId": subnet}
    err = error_of(ec2.run_instances, MinCount=9, MaxCount=20, **kwargs)
    assert err["Code"] == "InsufficientFreeAddressesInSubnet"
    reservation = ec2.run_instances(MinCount=5, MaxCount=20, **kwargs)
    assert len(reservation["Instances"]) == 8
    assert _available(ec2, subnet) == 0


def test_public_ip_is_refused_beside_the_ids(ec2: Any) -> None:
    allocation_id = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ip = ec2.describe_addresses(AllocationIds=[allocation_id])["Addresses"][0]["PublicIp"]
    cases = [
        (ec2.associate_address, {"AllocationId": allocation_id, "PublicIp": ip, "InstanceId": "i-0123456789abcdef0"},
         "AllocationId"),
        (ec2.disassociate_address, {"AssociationId": "eipassoc-0123456789abcdef0", "PublicIp": ip}, "AssociationId"),
        (ec2.release_address, {"AllocationId": allocation_id, "PublicIp": ip}, "AllocationId"),
    ]
    for call, params, other in cases:
        assert error_of(call, **params) == {
            "Code": "InvalidParameterCombination", "Status": 400,
            "Message": f"The parameter PublicIp cannot be used with the parameter {other}"}
    assert [a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]] == [allocation_id]
    assert "AssociationId" not in ec2.describe_addresses()["Addresses"][0]
