"""RunInstances' ``PrivateIpAddress`` and ``NetworkInterfaces`` through boto3: the
instance's address, interfaces created or attached at launch, their DeleteOnTermination
at termination, and every mismatch refused with nothing launched."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id, instance_of, launch


def _nothing_launched(ec2: Any) -> None:
    assert ec2.describe_instances()["Reservations"] == []


def test_private_ip_address(ec2: Any, subnet: dict[str, Any]) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.77")
    instance = instance_of(ec2, instance_id)
    assert instance["PrivateIpAddress"] == "10.0.1.77"
    assert instance["NetworkInterfaces"][0]["PrivateIpAddress"] == "10.0.1.77"
    assert error_of(launch, ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.77") == {
        "Code": "InvalidIPAddress.InUse", "Message": "Address 10.0.1.77 is in use.", "Status": 400}
    for address in ("10.0.2.5", "10.0.1.2", "10.0.1.255", "nope"):
        assert error_of(launch, ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress=address) == {
            "Code": "InvalidParameterValue", "Message": f"invalid value for parameter address: {address}",
            "Status": 400}
    error = error_of(launch, ec2, 2, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.78")
    assert (error["Code"], error["Status"]) == ("InvalidParameterCombination", 400)
    assert len(ec2.describe_instances()["Reservations"]) == 1


def test_private_ip_address_in_the_default_vpc(ec2: Any) -> None:
    [instance_id] = launch(ec2, PrivateIpAddress="172.31.16.20")
    instance = instance_of(ec2, instance_id)
    assert instance["PrivateIpAddress"] == "172.31.16.20"
    subnet = ec2.describe_subnets(SubnetIds=[instance["SubnetId"]])["Subnets"][0]
    assert subnet["CidrBlock"] == "172.31.16.0/20"


def test_network_interfaces_created_at_launch(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    group = ec2.create_security_group(GroupName="g", Description="g", VpcId=subnet["VpcId"])["GroupId"]
    [instance_id] = launch(ec2, InstanceType="t3.medium", NetworkInterfaces=[
        {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"], "Groups": [group], "PrivateIpAddress": "10.0.1.40",
         "SecondaryPrivateIpAddressCount": 1, "Description": "eth0"},
        {"DeviceIndex": 1, "Description": "eth1", "DeleteOnTermination": False,
         "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.41", "Primary": True}]},
    ])
    instance = instance_of(ec2, instance_id)
    assert instance["PrivateIpAddress"] == "10.0.1.40"
    assert instance["SecurityGroups"] == [{"GroupId": group, "GroupName": "g"}]
    [eth0, eth1] = instance["NetworkInterfaces"]
    assert (eth0["Description"], eth0["Attachment"]["DeviceIndex"], eth0["Attachment"]["DeleteOnTermination"],
            len(eth0["PrivateIpAddresses"])) == ("eth0", 0, True, 2)
    assert (eth1["Description"], eth1["PrivateIpAddress"], eth1["Attachment"]["DeviceIndex"],
            eth1["Attachment"]["DeleteOnTermination"]) == ("eth1", "10.0.1.41", 1, False)
    assert [g["GroupName"] for g in eth1["Groups"]] == ["default"]  # none named: the VPC's default
    assert ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]["AvailableIpAddressCount"] == 248
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(6)
    [left] = ec2.describe_network_interfaces()["NetworkInterfaces"]
    assert (left["NetworkInterfaceId"], left["Status"]) == (eth1["NetworkInterfaceId"], "available")


def test_an_existing_interface_at_launch(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.60")[
        "NetworkInterface"]["NetworkInterfaceId"]
    [instance_id] = launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}])
    instance = instance_of(ec2, instance_id)
    assert (instance["PrivateIpAddress"], instance["SubnetId"]) == ("10.0.1.60", subnet["SubnetId"])
    assert instance["NetworkInterfaces"][0]["NetworkInterfaceId"] == eni
    assert instance["NetworkInterfaces"][0]["Attachment"]["DeleteOnTermination"] is False
    assert error_of(launch, ec2, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}]) == {
        "Code": "InvalidNetworkInterface.InUse", "Message": f"Interface: [{eni}] in use.", "Status": 400}
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(6)
    [left] = ec2.describe_network_interfaces()["NetworkInterfaces"]
    assert (left["NetworkInterfaceId"], left["Status"], left["PrivateIpAddress"]) == (eni, "available", "10.0.1.60")


def test_mismatches_launch_nothing(ec2: Any, subnet: dict[str, Any]) -> None:
    other = ec2.create_subnet(VpcId=subnet["VpcId"], CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")[
        "Subnet"]["SubnetId"]
    far = ec2.create_network_interface(SubnetId=other)["NetworkInterface"]["NetworkInterfaceId"]
    primary = {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"]}
    run: dict[str, Any] = {"ImageId": image_id(ec2), "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"SubnetId": subnet["SubnetId"], "NetworkInterfaces": [primary]}, "InvalidParameterCombination",
         "Network interfaces and an instance-level subnet ID may not be specified on the same request"),
        ({"PrivateIpAddress": "10.0.1.9", "NetworkInterfaces": [primary]}, "InvalidParameterCombination",
         "Network interfaces and an instance-level private IP address may not be specified on the same request"),
        ({"SecurityGroupIds": ["sg-0123456789abcdef0"], "NetworkInterfaces": [primary]},
         "InvalidParameterCombination",
         "Network interfaces and an instance-level security groups may not be specified on the same request"),
        ({"NetworkInterfaces": [primary, {"DeviceIndex": 1, "SubnetId": other}]}, "InvalidParameterCombination",
         "The network interfaces of an instance must be in its Availability Zone (us-east-1a)."),
        ({"NetworkInterfaces": [primary, {"DeviceIndex": 1, "NetworkInterfaceId": far}]},
         "InvalidParameterCombination",
         "The network interfaces of an instance must be in its Availability Zone (us-east-1a)."),
        ({"NetworkInterfaces": [primary, {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"]}]},
         "InvalidParameterCombination", "The network interfaces must have distinct device indexes, one of them 0."),
        ({"NetworkInterfaces": [{**primary, "Ipv6AddressCount": 1}]}, "UnsupportedOperation",
         "The parameter NetworkInterface.Ipv6AddressCount is not supported by this endpoint."),
        ({"NetworkInterfaces": [{**primary, "InterfaceType": "efa"}]}, "UnsupportedOperation",
         "The value 'efa' for the parameter NetworkInterface.InterfaceType is not supported by this endpoint."),
        ({"NetworkInterfaces": [{**primary, "PrivateIpAddress": "10.0.9.9"}]}, "InvalidParameterValue",
         "invalid value for parameter address: 10.0.9.9"),
        ({"NetworkInterfaces": [{"DeviceIndex": 0, "NetworkInterfaceId": far, "DeleteOnTermination": True}],
          "Placement": {"AvailabilityZone": "us-east-1b"}}, "InvalidParameterValue",
         "DeleteOnTermination can only be true for a network interface the launch creates."),
        ({"NetworkInterfaces": [primary, *({"DeviceIndex": n, "SubnetId": subnet["SubnetId"]} for n in (1, 2))]},
         "AttachmentLimitExceeded", "Interface count 3 exceeds the limit for t3.micro"),
    ]
    for extra, code, message in cases:
        assert error_of(ec2.run_instances, **run, **extra) == {"Code": code, "Message": message, "Status": 400}
    _nothing_launched(ec2)
    assert len(ec2.describe_network_interfaces()["NetworkInterfaces"]) == 1


def test_many_instances_with_interfaces(ec2: Any, subnet: dict[str, Any]) -> None:
    instance_ids = launch(ec2, 3, InstanceType="t3.medium", NetworkInterfaces=[
        {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"]}, {"DeviceIndex": 1, "SecondaryPrivateIpAddressCount": 1}])
    found = ec2.describe_network_interfaces()["NetworkInterfaces"]
    assert len(found) == 6
    assert sorted({i["Attachment"]["InstanceId"] for i in found}) == sorted(instance_ids)
    addresses = [a["PrivateIpAddress"] for i in found for a in i["PrivateIpAddresses"]]
    assert len(addresses) == len(set(addresses)) == 9


def test_tags_for_the_interfaces_a_launch_creates(ec2: Any, subnet: dict[str, Any]) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"], TagSpecifications=[
        {"ResourceType": "network-interface", "Tags": [{"Key": "role", "Value": "eth0"}]}])
    [interface] = ec2.describe_network_interfaces(Filters=[{"Name": "tag:role", "Values": ["eth0"]}])[
        "NetworkInterfaces"]
    assert interface["Attachment"]["InstanceId"] == instance_id
    assert interface["TagSet"] == [{"Key": "role", "Value": "eth0"}]
    assert "Tags" not in instance_of(ec2, instance_id)


def test_interfaces_without_a_subnet_go_to_a_default_subnet(ec2: Any) -> None:
    # As the AWS CLI sends --associate-public-ip-address without --subnet-id.
    [instance_id] = launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "AssociatePublicIpAddress": True}])
    instance = instance_of(ec2, instance_id)
    subnet = ec2.describe_subnets(SubnetIds=[instance["SubnetId"]])["Subnets"][0]
    assert subnet["DefaultForAz"] is True
    [interface] = instance["NetworkInterfaces"]
    assert interface["SubnetId"] == subnet["SubnetId"]
    assert interface["PrivateIpAddress"] == instance["PrivateIpAddress"]


def test_a_primary_interface_in_another_zone_than_the_placement(ec2: Any, subnet: dict[str, Any]) -> None:
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
    error = error_of(launch, ec2, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni}],
                     Placement={"AvailabilityZone": "us-east-1b"})
    assert (error["Code"], error["Status"]) == ("InvalidParameterCombination", 400)
    _nothing_launched(ec2)
    assert ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]["Status"] == (
        "available")
