"""Network interfaces through boto3: every launched instance's primary interface (in
DescribeInstances and DescribeNetworkInterfaces), the addresses subnets count, what an
instance's termination does to its interfaces (as the clock shows it, then settled),
stop and start, and the security groups and subnets interfaces depend on."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, instance_of, launch


def _interfaces(ec2: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return list(ec2.describe_network_interfaces(**kwargs)["NetworkInterfaces"])


def _available(ec2: Any, subnet_id: str) -> int:
    return int(ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["AvailableIpAddressCount"])


def test_every_instance_gets_its_primary_interface(ec2: Any, subnet: dict[str, Any]) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    instance = instance_of(ec2, instance_id)
    [interface] = instance["NetworkInterfaces"]
    eni = interface["NetworkInterfaceId"]
    assert eni.startswith("eni-") and len(eni) == 21
    assert interface["MacAddress"].startswith("02:") and len(interface["MacAddress"]) == 17
    attachment = interface["Attachment"]
    assert attachment["AttachmentId"].startswith("eni-attach-")
    assert (attachment["DeviceIndex"], attachment["DeleteOnTermination"], attachment["Status"],
            attachment["NetworkCardIndex"]) == (0, True, "attached", 0)
    address = instance["PrivateIpAddress"]
    assert interface["PrivateIpAddress"] == address
    assert interface["PrivateIpAddresses"][0]["PrivateIpAddress"] == address
    assert interface["PrivateIpAddresses"][0]["Primary"] is True
    assert (interface["SubnetId"], interface["VpcId"], interface["Status"], interface["SourceDestCheck"],
            interface["InterfaceType"], interface["Description"]) == (
        subnet["SubnetId"], subnet["VpcId"], "in-use", True, "interface", "")
    assert interface["Groups"] == instance["SecurityGroups"]
    assert interface["OwnerId"] == "000000000000"
    assert interface["PrivateDnsName"] == instance["PrivateDnsName"]
    if "PublicIpAddress" in instance:
        assert interface["Association"]["PublicIp"] == instance["PublicIpAddress"]
    [described] = _interfaces(ec2, NetworkInterfaceIds=[eni])
    assert described["AvailabilityZone"] == "us-east-1a"
    assert described["Attachment"]["InstanceId"] == instance_id
    assert described["Attachment"]["InstanceOwnerId"] == "000000000000"
    assert described["RequesterManaged"] is False and described["TagSet"] == []
    assert described["MacAddress"] == interface["MacAddress"]
    assert _available(ec2, subnet["SubnetId"]) == 251 - 1


def test_many_instances_each_get_theirs(ec2: Any, subnet: dict[str, Any]) -> None:
    instance_ids = launch(ec2, 3, SubnetId=subnet["SubnetId"])
    found = _interfaces(ec2, Filters=[{"Name": "subnet-id", "Values": [subnet["SubnetId"]]}])
    assert sorted(i["Attachment"]["InstanceId"] for i in found) == sorted(instance_ids)
    assert len({i["MacAddress"] for i in found}) == 3
    assert _available(ec2, subnet["SubnetId"]) == 251 - 3


def test_a_termination_takes_the_primary_interface_with_it(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    [eni] = [i["NetworkInterfaceId"] for i in instance_of(ec2, instance_id)["NetworkInterfaces"]]
    ec2.create_tags(Resources=[eni], Tags=[{"Key": "Name", "Value": "primary"}])
    ec2.terminate_instances(InstanceIds=[instance_id])
    # Shutting down: the interface and its address are still held.
    assert [i["Status"] for i in _interfaces(ec2, NetworkInterfaceIds=[eni])] == ["in-use"]
    assert _available(ec2, subnet["SubnetId"]) == 250
    clock.advance(6)
    assert instance_of(ec2, instance_id)["NetworkInterfaces"] == []
    assert _interfaces(ec2, Filters=[{"Name": "subnet-id", "Values": [subnet["SubnetId"]]}]) == []
    assert error_of(ec2.describe_network_interfaces, NetworkInterfaceIds=[eni]) == {
        "Code": "InvalidNetworkInterfaceID.NotFound", "Message": f"The networkInterface ID '{eni}' does not exist",
        "Status": 400}
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [eni]}])["Tags"] == []
    assert _available(ec2, subnet["SubnetId"]) == 251


def test_stop_and_start_keep_the_interface(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    before = instance_of(ec2, instance_id)["NetworkInterfaces"][0]
    clock.advance(6)
    ec2.stop_instances(InstanceIds=[instance_id])
    clock.advance(6)
    stopped = instance_of(ec2, instance_id)["NetworkInterfaces"][0]
    assert "Association" not in stopped
    assert (stopped["NetworkInterfaceId"], stopped["MacAddress"], stopped["PrivateIpAddress"]) == (
        before["NetworkInterfaceId"], before["MacAddress"], before["PrivateIpAddress"])
    ec2.start_instances(InstanceIds=[instance_id])
    clock.advance(6)
    assert instance_of(ec2, instance_id)["NetworkInterfaces"][0]["NetworkInterfaceId"] == before["NetworkInterfaceId"]


def test_a_group_in_use_by_an_interface_cannot_be_deleted(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    group_id = ec2.create_security_group(GroupName="web", Description="web", VpcId=subnet["VpcId"])["GroupId"]
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"], SecurityGroupIds=[group_id])
    assert [g["GroupId"] for g in _interfaces(ec2, Filters=[
        {"Name": "group-id", "Values": [group_id]}])[0]["Groups"]] == [group_id]
    expected = {"Code": "DependencyViolation", "Message": f"resource {group_id} has a dependent object",
                "Status": 400}
    assert error_of(ec2.delete_security_group, GroupId=group_id) == expected
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert error_of(ec2.delete_security_group, GroupId=group_id) == expected
    clock.advance(6)
    ec2.delete_security_group(GroupId=group_id)


def test_a_subnet_with_an_interface_cannot_be_deleted(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert error_of(ec2.delete_subnet, SubnetId=subnet["SubnetId"]) == {
        "Code": "DependencyViolation",
        "Message": f"The subnet '{subnet['SubnetId']}' has dependencies and cannot be deleted.", "Status": 400}
    clock.advance(6)
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])


def test_modify_instance_groups_changes_the_primary_interface(ec2: Any, subnet: dict[str, Any]) -> None:
    first = ec2.create_security_group(GroupName="a", Description="a", VpcId=subnet["VpcId"])["GroupId"]
    second = ec2.create_security_group(GroupName="b", Description="b", VpcId=subnet["VpcId"])["GroupId"]
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"], SecurityGroupIds=[first])
    ec2.modify_instance_attribute(InstanceId=instance_id, Groups=[second, first])
    [interface] = instance_of(ec2, instance_id)["NetworkInterfaces"]
    assert [g["GroupId"] for g in interface["Groups"]] == [second, first]
    assert [g["GroupName"] for g in interface["Groups"]] == ["b", "a"]
    ec2.modify_instance_attribute(InstanceId=instance_id, Groups=[second])
    ec2.delete_security_group(GroupId=first)
    assert _interfaces(ec2, Filters=[{"Name": "group-id", "Values": [first]}]) == []


def test_other_regions_never_see_the_interfaces(make_client: Any, subnet: dict[str, Any], ec2: Any) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    [eni] = [i["NetworkInterfaceId"] for i in instance_of(ec2, instance_id)["NetworkInterfaces"]]
    other = make_client(region="eu-west-1")
    assert _interfaces(other) == []
    assert error_of(other.describe_network_interfaces, NetworkInterfaceIds=[eni])["Code"] == (
        "InvalidNetworkInterfaceID.NotFound")


def test_the_instances_source_dest_check_is_its_primary_interfaces(ec2: Any, subnet: dict[str, Any]) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    ec2.modify_instance_attribute(InstanceId=instance_id, SourceDestCheck={"Value": False})
    instance = instance_of(ec2, instance_id)
    assert instance["SourceDestCheck"] is False
    assert instance["NetworkInterfaces"][0]["SourceDestCheck"] is False
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="sourceDestCheck")[
        "SourceDestCheck"] == {"Value": False}
    eni = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, SourceDestCheck={"Value": True})
    assert instance_of(ec2, instance_id)["SourceDestCheck"] is True


def test_describe_instances_by_their_interfaces(ec2: Any, subnet: dict[str, Any]) -> None:
    instance_ids = launch(ec2, 2, SubnetId=subnet["SubnetId"])
    interface = instance_of(ec2, instance_ids[1])["NetworkInterfaces"][0]

    def found(name: str, value: str) -> list[str]:
        reservations = ec2.describe_instances(Filters=[{"Name": name, "Values": [value]}])["Reservations"]
        return sorted(i["InstanceId"] for r in reservations for i in r["Instances"])

    assert found("network-interface.network-interface-id", interface["NetworkInterfaceId"]) == [instance_ids[1]]
    assert found("network-interface.mac-address", interface["MacAddress"]) == [instance_ids[1]]
    assert found("network-interface.attachment.attachment-id", interface["Attachment"]["AttachmentId"]) == [
        instance_ids[1]]
    assert found("network-interface.subnet-id", subnet["SubnetId"]) == sorted(instance_ids)
    assert found("network-interface.status", "available") == []
