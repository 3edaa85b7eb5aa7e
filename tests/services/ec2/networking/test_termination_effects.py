"""Where the networking features meet an instance's launch, stop, start and termination,
through boto3: its interfaces, addresses and groups as DescribeInstances' filters find
them, an Elastic IP on its interface, which launches map a public address; read while
transitions are only due (the clock moved, nothing settled) and once settled, which must
answer alike."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import launch

SETTLED = pytest.mark.parametrize("settled", [False, True], ids=["due", "settled"])


def _move(emulator: Any, settled: bool, seconds: float) -> None:
    """The clock moved on: settled at once, or with every transition only due."""
    if settled:
        emulator.advance(seconds)
    else:
        emulator.clock.advance(seconds)


def _found(ec2: Any, name: str, value: str) -> list[str]:
    reservations = ec2.describe_instances(Filters=[{"Name": name, "Values": [value]}])["Reservations"]
    return sorted(i["InstanceId"] for r in reservations for i in r["Instances"])


@SETTLED
def test_a_terminated_instance_is_not_found_by_the_interfaces_it_had(ec2: Any, emulator: Any,
                                                                      subnet: dict[str, Any], settled: bool) -> None:
    [instance_id] = launch(ec2, InstanceType="t3.medium", SubnetId=subnet["SubnetId"])
    [primary] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0][
        "NetworkInterfaces"]
    kept = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    _move(emulator, settled, 6)
    ec2.attach_network_interface(NetworkInterfaceId=kept["NetworkInterfaceId"], InstanceId=instance_id, DeviceIndex=1)
    ec2.terminate_instances(InstanceIds=[instance_id])
    filters = [("network-interface.network-interface-id", primary["NetworkInterfaceId"]),
               ("network-interface.network-interface-id", kept["NetworkInterfaceId"]),
               ("network-interface.subnet-id", subnet["SubnetId"]),
               ("network-interface.vpc-id", subnet["VpcId"]),
               ("network-interface.status", "in-use"),
               ("network-interface.mac-address", kept["MacAddress"])]
    for name, value in filters:  # shutting down: still attached
        assert _found(ec2, name, value) == [instance_id], name
    _move(emulator, settled, 6)
    for name, value in filters:
        assert _found(ec2, name, value) == [], name
    assert _found(ec2, "network-interface.status", "available") == []
    assert _found(ec2, "instance-state-name", "terminated") == [instance_id]


def test_an_elastic_ip_is_named_on_the_interface_through_a_stop_not_after_termination(
        ec2: Any, emulator: Any) -> None:
    [instance_id] = launch(ec2)  # the default subnet, whose VPC has an internet gateway
    emulator.advance(6)
    allocation_id = ec2.allocate_address(Domain="vpc")["AllocationId"]
    association_id = ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)["AssociationId"]
    [primary] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0][
        "NetworkInterfaces"]

    def by(name: str, value: str) -> list[str]:
        return [n["NetworkInterfaceId"] for n in ec2.describe_network_interfaces(
            Filters=[{"Name": name, "Values": [value]}])["NetworkInterfaces"]]

    ec2.stop_instances(InstanceIds=[instance_id])
    emulator.advance(6)
    [interface] = ec2.describe_network_interfaces(NetworkInterfaceIds=[primary["NetworkInterfaceId"]])[
        "NetworkInterfaces"]
    assert (interface["Association"]["AllocationId"], interface["Association"]["AssociationId"]) == (
        allocation_id, association_id)
    assert interface["PrivateIpAddresses"][0]["Association"]["AllocationId"] == allocation_id
    assert interface["Association"]["IpOwnerId"] == "000000000000"
    assert by("association.allocation-id", allocation_id) == [primary["NetworkInterfaceId"]]
    assert by("association.association-id", association_id) == [primary["NetworkInterfaceId"]]
    ec2.terminate_instances(InstanceIds=[instance_id])
    emulator.clock.advance(6)
    assert by("association.allocation-id", allocation_id) == []


@SETTLED
def test_instances_are_found_by_their_interfaces_groups_addresses_and_zone(ec2: Any, emulator: Any,
                                                                      subnet: dict[str, Any], settled: bool) -> None:
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=subnet["VpcId"])["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db", VpcId=subnet["VpcId"])["GroupId"]
    first, second = launch(ec2, 2, InstanceType="t3.medium", SubnetId=subnet["SubnetId"], SecurityGroupIds=[web])
    kept = ec2.create_network_interface(SubnetId=subnet["SubnetId"], Groups=[db],
                                        PrivateIpAddress="10.0.1.99")["NetworkInterface"]
    _move(emulator, settled, 6)
    ec2.attach_network_interface(NetworkInterfaceId=kept["NetworkInterfaceId"], InstanceId=first, DeviceIndex=1)
    address = ec2.describe_instances(InstanceIds=[second])["Reservations"][0]["Instances"][0]["PrivateIpAddress"]
    expected = {
        ("network-interface.group-id", web): [first, second], ("network-interface.group-id", db): [first],
        ("network-interface.group-name", "d?"): [first],
        ("network-interface.addresses.private-ip-address", "10.0.1.99"): [first],
        ("network-interface.private-ip-address", address): [second],
        ("network-interface.attachment.instance-id", second): [second],
        ("network-interface.availability-zone", "us-east-1a"): sorted([first, second]),
        ("network-interface.owner-id", "000000000000"): sorted([first, second]),
    }
    for (name, value), found in expected.items():
        assert _found(ec2, name, value) == sorted(found), name
    ec2.terminate_instances(InstanceIds=[first])
    _move(emulator, settled, 6)
    for (name, value), found in expected.items():
        assert _found(ec2, name, value) == sorted(set(found) - {first}), name


def test_only_a_single_new_interface_maps_the_subnets_public_address(ec2: Any, subnet: dict[str, Any]) -> None:
    ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    existing = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
    launches = {
        "one new": ([{"DeviceIndex": 0, "SubnetId": subnet["SubnetId"]}], True),
        "two new": ([{"DeviceIndex": 0, "SubnetId": subnet["SubnetId"]}, {"DeviceIndex": 1}], False),
        "existing": ([{"DeviceIndex": 0, "NetworkInterfaceId": existing}], False),
    }
    for name, (interfaces, maps) in launches.items():
        [instance_id] = launch(ec2, InstanceType="t3.medium", NetworkInterfaces=interfaces)
        instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        assert ("PublicIpAddress" in instance) is maps, name
        assert ("Association" in instance["NetworkInterfaces"][0]) is maps, name


@SETTLED
def test_instances_are_found_by_their_instance_profile_until_terminated(ec2: Any, make_client: Any, emulator: Any,
                                                                        settled: bool) -> None:
    iam = make_client(service="iam")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": '
        '"ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'))
    profile = iam.create_instance_profile(InstanceProfileName="app")["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app")
    with_profile, without = launch(ec2, IamInstanceProfile={"Name": "app"}), launch(ec2)
    _move(emulator, settled, 6)
    for name, value in (("iam-instance-profile.arn", profile["Arn"]),
                        ("iam-instance-profile.id", profile["InstanceProfileId"]),
                        ("iam-instance-profile.arn", "arn:aws:iam::*:instance-profile/app")):
        assert _found(ec2, name, value) == with_profile, name
    assert _found(ec2, "iam-instance-profile.arn", "arn:aws:iam::000000000000:instance-profile/other") == []
    ec2.terminate_instances(InstanceIds=with_profile + without)
    _move(emulator, settled, 6)
    assert _found(ec2, "iam-instance-profile.arn", profile["Arn"]) == []
