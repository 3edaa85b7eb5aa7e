"""Network interface operations through boto3: CreateNetworkInterface (addresses, groups,
tags, client token), DescribeNetworkInterfaces (IDs, filters, paging),
DeleteNetworkInterface, Attach/DetachNetworkInterface, Modify/DescribeNetworkInterfaceAttribute,
Assign/UnassignPrivateIpAddresses, an attached interface at its instance's termination,
and bad input (AWS's error, nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, launch


def _one(ec2: Any, eni: str) -> dict[str, Any]:
    [found] = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"]
    return dict(found)


def _available(ec2: Any, subnet_id: str) -> int:
    return int(ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["AvailableIpAddressCount"])


def _everything(ec2: Any) -> list[dict[str, Any]]:
    return list(ec2.describe_network_interfaces()["NetworkInterfaces"])


def test_create_network_interface(ec2: Any, subnet: dict[str, Any]) -> None:
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=subnet["VpcId"])["GroupId"]
    created = ec2.create_network_interface(
        SubnetId=subnet["SubnetId"], Description="second", Groups=[group], PrivateIpAddress="10.0.1.50",
        SecondaryPrivateIpAddressCount=2,
        TagSpecifications=[{"ResourceType": "network-interface", "Tags": [{"Key": "Name", "Value": "eth1"}]}])
    interface = created["NetworkInterface"]
    eni = interface["NetworkInterfaceId"]
    assert created["ClientToken"]
    assert (interface["Status"], interface["Description"], interface["PrivateIpAddress"], interface["SubnetId"],
            interface["VpcId"], interface["AvailabilityZone"], interface["InterfaceType"],
            interface["SourceDestCheck"]) == (
        "available", "second", "10.0.1.50", subnet["SubnetId"], subnet["VpcId"], "us-east-1a", "interface", True)
    assert interface["Groups"] == [{"GroupId": group, "GroupName": "web"}]
    assert interface["TagSet"] == [{"Key": "Name", "Value": "eth1"}]
    assert "Attachment" not in interface
    addresses = interface["PrivateIpAddresses"]
    assert [a["Primary"] for a in addresses] == [True, False, False]
    assert addresses[0]["PrivateIpAddress"] == "10.0.1.50"
    assert addresses[0]["PrivateDnsName"] == "ip-10-0-1-50.ec2.internal"
    assert _one(ec2, eni) == interface
    assert _available(ec2, subnet["SubnetId"]) == 251 - 3
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [eni]}])["Tags"] == [
        {"Key": "Name", "Value": "eth1", "ResourceId": eni, "ResourceType": "network-interface"}]
    # The same client token answers the same interface.
    again = ec2.create_network_interface(SubnetId=subnet["SubnetId"], ClientToken=created["ClientToken"])
    assert again["NetworkInterface"]["NetworkInterfaceId"] == eni
    assert len(_everything(ec2)) == 1


def test_create_without_groups_takes_the_default_group(ec2: Any, subnet: dict[str, Any]) -> None:
    interface = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    [default] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [subnet["VpcId"]]}])[
        "SecurityGroups"]
    assert interface["Groups"] == [{"GroupId": default["GroupId"], "GroupName": "default"}]
    assert interface["PrivateIpAddress"].startswith("10.0.1.")
    listed = ec2.create_network_interface(SubnetId=subnet["SubnetId"], PrivateIpAddresses=[
        {"PrivateIpAddress": "10.0.1.70"}, {"PrivateIpAddress": "10.0.1.71", "Primary": True}])["NetworkInterface"]
    assert [(a["PrivateIpAddress"], a["Primary"]) for a in listed["PrivateIpAddresses"]] == [
        ("10.0.1.71", True), ("10.0.1.70", False)]


@pytest.mark.parametrize("address", ["10.0.2.9", "10.0.1.0", "10.0.1.3", "10.0.1.255", "10.0.1", "x"])
def test_create_with_a_bad_address(ec2: Any, subnet: dict[str, Any], address: str) -> None:
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], PrivateIpAddress=address) == {
        "Code": "InvalidParameterValue", "Message": f"invalid value for parameter address: {address}",
        "Status": 400}
    assert _everything(ec2) == []


def test_create_refusals(ec2: Any, subnet: dict[str, Any]) -> None:
    ec2.create_network_interface(SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.20")
    in_use = {"Code": "InvalidIPAddress.InUse", "Message": "The specified address is already in use",
              "Status": 400}
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.20") == in_use
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], PrivateIpAddresses=[
        {"PrivateIpAddress": "10.0.1.21"}, {"PrivateIpAddress": "10.0.1.20"}]) == in_use
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], InterfaceType="efa") == {
        "Code": "UnsupportedOperation",
        "Message": "The value 'efa' for the parameter InterfaceType is not supported by this endpoint.",
        "Status": 400}
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], Ipv6AddressCount=1) == {
        "Code": "UnsupportedOperation", "Message": "The parameter Ipv6AddressCount is not supported by this endpoint.",
        "Status": 400}
    assert error_of(ec2.create_network_interface, SubnetId="subnet-0123456789abcdef0")["Code"] == (
        "InvalidSubnetID.NotFound")
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], Groups=["sg-0123456789abcdef0"])[
        "Code"] == "InvalidGroup.NotFound"
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"], DryRun=True)["Code"] == (
        "DryRunOperation")
    assert len(_everything(ec2)) == 1


def test_describe_by_filters_and_pages(ec2: Any, subnet: dict[str, Any]) -> None:
    group = ec2.create_security_group(GroupName="g", Description="g", VpcId=subnet["VpcId"])["GroupId"]
    made = [ec2.create_network_interface(SubnetId=subnet["SubnetId"], Description=f"n{n}",
                                         Groups=[group] if n == 1 else [])["NetworkInterface"] for n in range(4)]
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    ec2.create_tags(Resources=[made[2]["NetworkInterfaceId"]], Tags=[{"Key": "tier", "Value": "db"}])

    def ids(*filters: tuple[str, list[str]]) -> list[str]:
        found = ec2.describe_network_interfaces(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return sorted(i["NetworkInterfaceId"] for i in found["NetworkInterfaces"])

    mine = sorted(i["NetworkInterfaceId"] for i in made)
    assert ids(("status", ["available"])) == mine
    assert len(ids(("status", ["in-use"]))) == 1
    assert ids(("attachment.instance-id", [instance_id])) == ids(("status", ["in-use"]))
    assert ids(("description", ["n3"])) == [made[3]["NetworkInterfaceId"]]
    assert ids(("group-id", [group])) == [made[1]["NetworkInterfaceId"]]
    assert ids(("group-name", ["g"])) == [made[1]["NetworkInterfaceId"]]
    assert ids(("private-ip-address", [made[0]["PrivateIpAddress"]])) == [made[0]["NetworkInterfaceId"]]
    assert ids(("tag:tier", ["db"])) == ids(("tag-key", ["tier"])) == [made[2]["NetworkInterfaceId"]]
    assert len(ids(("vpc-id", [subnet["VpcId"]]), ("subnet-id", [subnet["SubnetId"]]))) == 5
    assert ids(("attachment.device-index", ["0"])) == ids(("status", ["in-use"]))
    assert ids(("addresses.primary", ["true"]), ("mac-address", [made[0]["MacAddress"]])) == [
        made[0]["NetworkInterfaceId"]]
    assert error_of(ec2.describe_network_interfaces, Filters=[{"Name": "bogus", "Values": ["x"]}])["Code"] == (
        "InvalidParameterValue")
    seen, token = [], None
    while True:
        page = ec2.describe_network_interfaces(MaxResults=5, **({"NextToken": token} if token else {}))
        seen += [i["NetworkInterfaceId"] for i in page["NetworkInterfaces"]]
        token = page.get("NextToken")
        if not token:
            break
    assert len(seen) == len(set(seen)) == 5
    assert error_of(ec2.describe_network_interfaces, NetworkInterfaceIds=["eni-x"]) == {
        "Code": "InvalidNetworkInterfaceId.Malformed", "Message": 'Invalid id: "eni-x" (expecting "eni-...")',
        "Status": 400}


def test_delete_network_interface(ec2: Any, subnet: dict[str, Any]) -> None:
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"], SecondaryPrivateIpAddressCount=1)[
        "NetworkInterface"]["NetworkInterfaceId"]
    assert _available(ec2, subnet["SubnetId"]) == 249
    assert error_of(ec2.delete_network_interface, NetworkInterfaceId=eni, DryRun=True)["Code"] == "DryRunOperation"
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    assert _available(ec2, subnet["SubnetId"]) == 251
    assert error_of(ec2.delete_network_interface, NetworkInterfaceId=eni) == {
        "Code": "InvalidNetworkInterfaceID.NotFound", "Message": f"The networkInterface ID '{eni}' does not exist",
        "Status": 400}
    # A subnet whose last interface is gone can be deleted.
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])


def test_attach_and_detach(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
    assert error_of(ec2.attach_network_interface, NetworkInterfaceId=eni, InstanceId=instance_id, DeviceIndex=1)[
        "Code"] == "IncorrectInstanceState"  # still pending
    clock.advance(6)
    assert error_of(ec2.attach_network_interface, NetworkInterfaceId=eni, InstanceId=instance_id, DeviceIndex=0) == {
        "Code": "InvalidParameterValue",
        "Message": f"Instance '{instance_id}' already has an interface attached at device index '0'.", "Status": 400}
    assert error_of(ec2.attach_network_interface, NetworkInterfaceId=eni, InstanceId=instance_id,
                    DeviceIndex=9)["Code"] == "AttachmentLimitExceeded"
    attached = ec2.attach_network_interface(NetworkInterfaceId=eni, InstanceId=instance_id, DeviceIndex=1)
    assert attached["AttachmentId"].startswith("eni-attach-") and attached["NetworkCardIndex"] == 0
    interface = _one(ec2, eni)
    assert interface["Status"] == "in-use"
    assert (interface["Attachment"]["InstanceId"], interface["Attachment"]["DeviceIndex"],
            interface["Attachment"]["DeleteOnTermination"], interface["Attachment"]["Status"]) == (
        instance_id, 1, False, "attached")
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    assert [i["Attachment"]["DeviceIndex"] for i in reservation["Instances"][0]["NetworkInterfaces"]] == [0, 1]
    assert error_of(ec2.attach_network_interface, NetworkInterfaceId=eni, InstanceId=instance_id, DeviceIndex=2) == {
        "Code": "InvalidNetworkInterface.InUse", "Message": f"Interface: [{eni}] in use.", "Status": 400}
    assert error_of(ec2.delete_network_interface, NetworkInterfaceId=eni) == {
        "Code": "InvalidParameterValue", "Message": f"Network interface '{eni}' is currently in use.", "Status": 400}
    primary = reservation["Instances"][0]["NetworkInterfaces"][0]["Attachment"]["AttachmentId"]
    assert error_of(ec2.detach_network_interface, AttachmentId=primary) == {
        "Code": "OperationNotPermitted", "Message": "The network interface at device index 0 cannot be detached.",
        "Status": 400}
    assert error_of(ec2.detach_network_interface, AttachmentId="eni-attach-0123456789abcdef0")["Code"] == (
        "InvalidAttachmentID.NotFound")
    assert error_of(ec2.detach_network_interface, AttachmentId="x")["Code"] == (
        "InvalidNetworkInterfaceAttachmentId.Malformed")
    ec2.detach_network_interface(AttachmentId=attached["AttachmentId"], Force=True)
    assert _one(ec2, eni)["Status"] == "available" and "Attachment" not in _one(ec2, eni)
    ec2.delete_network_interface(NetworkInterfaceId=eni)


def test_attach_in_another_zone(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    other = ec2.create_subnet(VpcId=subnet["VpcId"], CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")[
        "Subnet"]["SubnetId"]
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    clock.advance(6)
    eni = ec2.create_network_interface(SubnetId=other)["NetworkInterface"]["NetworkInterfaceId"]
    assert error_of(ec2.attach_network_interface, NetworkInterfaceId=eni, InstanceId=instance_id, DeviceIndex=1) == {
        "Code": "InvalidParameterCombination",
        "Message": "You may not attach a network interface to an instance if they are not in the same availability "
                   "zone", "Status": 400}
    assert _one(ec2, eni)["Status"] == "available"


def test_a_termination_detaches_or_deletes_attached_interfaces(ec2: Any, subnet: dict[str, Any],
                                                                clock: Any) -> None:
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"], InstanceType="t3.medium")
    clock.advance(6)
    kept, deleted = (ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"][
        "NetworkInterfaceId"] for _ in range(2))
    ec2.attach_network_interface(NetworkInterfaceId=kept, InstanceId=instance_id, DeviceIndex=1)
    attachment = ec2.attach_network_interface(NetworkInterfaceId=deleted, InstanceId=instance_id, DeviceIndex=2)
    ec2.modify_network_interface_attribute(NetworkInterfaceId=deleted, Attachment={
        "AttachmentId": attachment["AttachmentId"], "DeleteOnTermination": True})
    assert _available(ec2, subnet["SubnetId"]) == 248
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(6)
    assert [i["NetworkInterfaceId"] for i in _everything(ec2)] == [kept]
    assert _one(ec2, kept)["Status"] == "available" and "Attachment" not in _one(ec2, kept)
    assert _available(ec2, subnet["SubnetId"]) == 250


def test_modify_and_describe_attributes(ec2: Any, subnet: dict[str, Any]) -> None:
    group = ec2.create_security_group(GroupName="g", Description="g", VpcId=subnet["VpcId"])["GroupId"]
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Description={"Value": "changed"})
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, SourceDestCheck={"Value": False})
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=[group])

    def attribute(name: str) -> dict[str, Any]:
        found = dict(ec2.describe_network_interface_attribute(NetworkInterfaceId=eni, Attribute=name))
        found.pop("ResponseMetadata")
        return found

    assert attribute("description") == {"NetworkInterfaceId": eni, "Description": {"Value": "changed"}}
    assert attribute("sourceDestCheck") == {"NetworkInterfaceId": eni, "SourceDestCheck": {"Value": False}}
    assert attribute("groupSet") == {"NetworkInterfaceId": eni, "Groups": [{"GroupId": group, "GroupName": "g"}]}
    assert attribute("attachment") == {"NetworkInterfaceId": eni}
    assert error_of(ec2.modify_network_interface_attribute, NetworkInterfaceId=eni, Description={"Value": "x"},
                    SourceDestCheck={"Value": True})["Code"] == "InvalidParameterCombination"
    assert error_of(ec2.modify_network_interface_attribute, NetworkInterfaceId=eni,
                    AssociatePublicIpAddress=True)["Code"] == "UnsupportedOperation"
    assert error_of(ec2.modify_network_interface_attribute, NetworkInterfaceId=eni, Attachment={
        "AttachmentId": "eni-attach-0123456789abcdef0", "DeleteOnTermination": True})["Code"] == (
        "InvalidAttachmentID.NotFound")
    assert error_of(ec2.describe_network_interface_attribute, NetworkInterfaceId=eni,
                    Attribute="associatePublicIpAddress")["Code"] == "UnsupportedOperation"
    assert _one(ec2, eni)["Description"] == "changed"


def test_groups_of_a_primary_interface_are_the_instances(ec2: Any, subnet: dict[str, Any]) -> None:
    group = ec2.create_security_group(GroupName="g", Description="g", VpcId=subnet["VpcId"])["GroupId"]
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    eni = reservation["Instances"][0]["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=[group])
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    assert reservation["Instances"][0]["SecurityGroups"] == [{"GroupId": group, "GroupName": "g"}]


def test_assign_and_unassign_private_addresses(ec2: Any, subnet: dict[str, Any]) -> None:
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.10")[
        "NetworkInterface"]["NetworkInterfaceId"]
    assigned = ec2.assign_private_ip_addresses(NetworkInterfaceId=eni, PrivateIpAddresses=["10.0.1.11"],
                                               SecondaryPrivateIpAddressCount=1)
    added = [a["PrivateIpAddress"] for a in assigned["AssignedPrivateIpAddresses"]]
    assert added[0] == "10.0.1.11" and len(added) == 2
    assert [a["PrivateIpAddress"] for a in _one(ec2, eni)["PrivateIpAddresses"]][0] == "10.0.1.10"
    assert _available(ec2, subnet["SubnetId"]) == 248
    assert error_of(ec2.assign_private_ip_addresses, NetworkInterfaceId=eni, PrivateIpAddresses=["10.0.1.11"]) == {
        "Code": "InvalidIPAddress.InUse", "Message": "The specified address is already in use", "Status": 400}
    assert error_of(ec2.unassign_private_ip_addresses, NetworkInterfaceId=eni, PrivateIpAddresses=["10.0.1.10"])[
        "Code"] == "InvalidParameterValue"
    assert error_of(ec2.unassign_private_ip_addresses, NetworkInterfaceId=eni, PrivateIpAddresses=["10.0.1.99"]) == {
        "Code": "InvalidParameterValue",
        "Message": f"Some of the specified addresses are not assigned to interface {eni}", "Status": 400}
    ec2.unassign_private_ip_addresses(NetworkInterfaceId=eni, PrivateIpAddresses=added)
    assert [a["PrivateIpAddress"] for a in _one(ec2, eni)["PrivateIpAddresses"]] == ["10.0.1.10"]
    assert _available(ec2, subnet["SubnetId"]) == 250
    assert error_of(ec2.assign_private_ip_addresses, NetworkInterfaceId=eni, AllowReassignment=True,
                    SecondaryPrivateIpAddressCount=1)["Code"] == "UnsupportedOperation"


def test_more_bad_input_changes_nothing(ec2: Any, subnet: dict[str, Any], clock: Any) -> None:
    other_vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_security_group(GroupName="f", Description="f", VpcId=other_vpc)["GroupId"]
    [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
    clock.advance(6)
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    eni_id = eni["NetworkInterfaceId"]
    assert error_of(ec2.modify_network_interface_attribute, NetworkInterfaceId=eni_id, Groups=[foreign]) == {
        "Code": "InvalidGroup.NotFound", "Message": f"The security group '{foreign}' does not exist",
        "Status": 400}
    ec2.attach_network_interface(NetworkInterfaceId=eni_id, InstanceId=instance_id, DeviceIndex=1)
    # t3.micro: two addresses per interface.
    assert error_of(ec2.assign_private_ip_addresses, NetworkInterfaceId=eni_id,
                    SecondaryPrivateIpAddressCount=2) == {
        "Code": "PrivateIpAddressLimitExceeded",
        "Message": "Number of private addresses will exceed limit for t3.micro (2 per interface).", "Status": 400}
    assert error_of(ec2.create_network_interface, SubnetId=subnet["SubnetId"],
                    SecondaryPrivateIpAddressCount=300)["Code"] == "InsufficientFreeAddressesInSubnet"
    assert error_of(ec2.describe_network_interface_attribute, NetworkInterfaceId=eni_id)["Code"] == (
        "MissingParameter")
    assert error_of(ec2.assign_private_ip_addresses, NetworkInterfaceId=eni_id)["Code"] == "MissingParameter"
    after = _one(ec2, eni_id)
    assert after["Groups"] == eni["Groups"] and len(after["PrivateIpAddresses"]) == 1
    assert len(_everything(ec2)) == 2
    assert _available(ec2, subnet["SubnetId"]) == 249
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert error_of(ec2.detach_network_interface, AttachmentId=after["Attachment"]["AttachmentId"])["Code"] == (
        "IncorrectInstanceState")
    eni2 = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
    assert error_of(ec2.attach_network_interface, NetworkInterfaceId=eni2, InstanceId=instance_id,
                    DeviceIndex=2)["Code"] == "IncorrectInstanceState"
    assert _one(ec2, eni2)["Status"] == "available"
