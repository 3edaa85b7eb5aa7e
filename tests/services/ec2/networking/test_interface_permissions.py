"""IAM on network interfaces: ``network-interface/…`` ARNs in every interface action, the
subnet and groups of CreateNetworkInterface, tags at creation and on ``eni-`` IDs, and
accounts never seeing each other's interfaces."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, launch
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, ROOT_B, Make, decoded, new_user

DESCRIBE = {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}


def _arn(kind: str, resource_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:{kind}/{resource_id}"


def _subnet(root: Any) -> str:
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return str(root.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="us-east-1a")["Subnet"][
        "SubnetId"])


def _refused_on(make: Make, error: dict[str, Any]) -> str:
    assert error["Code"] == "UnauthorizedOperation"
    return str(decoded(make, ROOT_A, error["Message"])["context"]["resource"])


def test_interface_actions_name_the_interface(make: Make) -> None:
    root = make(ROOT_A)
    subnet = _subnet(root)
    mine, other = (root.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
                   for _ in range(2))
    ec2 = make(new_user(make, "eni-ops", DESCRIBE, {
        "Effect": "Allow", "Resource": _arn("network-interface", mine),
        "Action": ["ec2:ModifyNetworkInterfaceAttribute", "ec2:AssignPrivateIpAddresses",
                   "ec2:UnassignPrivateIpAddresses", "ec2:DeleteNetworkInterface", "ec2:CreateTags"]}))
    ec2.modify_network_interface_attribute(NetworkInterfaceId=mine, Description={"Value": "x"})
    assert _refused_on(make, error_of(ec2.modify_network_interface_attribute, NetworkInterfaceId=other,
                                      Description={"Value": "x"})) == _arn("network-interface", other)
    added = ec2.assign_private_ip_addresses(NetworkInterfaceId=mine, SecondaryPrivateIpAddressCount=1)
    ec2.unassign_private_ip_addresses(NetworkInterfaceId=mine, PrivateIpAddresses=[
        added["AssignedPrivateIpAddresses"][0]["PrivateIpAddress"]])
    ec2.create_tags(Resources=[mine], Tags=[{"Key": "k", "Value": "v"}])
    assert _refused_on(make, error_of(ec2.create_tags, Resources=[other], Tags=[{"Key": "k", "Value": "v"}])) == (
        _arn("network-interface", other))
    assert error_of(ec2.delete_network_interface, NetworkInterfaceId=other)["Code"] == "UnauthorizedOperation"
    ec2.delete_network_interface(NetworkInterfaceId=mine)


def test_create_needs_the_subnet_the_groups_and_the_new_interface(make: Make) -> None:
    root = make(ROOT_A)
    subnet = _subnet(root)
    interfaces_only = make(new_user(make, "only", {
        "Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": _arn("network-interface", "*")}))
    assert _refused_on(make, error_of(interfaces_only.create_network_interface, SubnetId=subnet)) == (
        _arn("subnet", subnet))
    creator = make(new_user(make, "creator", {
        "Effect": "Allow", "Action": "ec2:CreateNetworkInterface", "Resource": "*",
        "Condition": {"StringEqualsIfExists": {"ec2:AvailabilityZone": "us-east-1a"}}}))
    creator.create_network_interface(SubnetId=subnet)
    tags = [{"ResourceType": "network-interface", "Tags": [{"Key": "team", "Value": "red"}]}]
    error = error_of(creator.create_network_interface, SubnetId=subnet, TagSpecifications=tags)
    assert decoded(make, ROOT_A, error["Message"])["context"]["action"] == "ec2:CreateTags"
    assert len(root.describe_network_interfaces()["NetworkInterfaces"]) == 1


def test_attach_and_detach_name_the_interface_and_the_instance(make: Make, app: Any) -> None:
    root = make(ROOT_A)
    subnet = _subnet(root)
    [instance_id] = launch(root, SubnetId=subnet)
    app.clock.advance(6)
    eni = root.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    interface_only = make(new_user(make, "attacher", DESCRIBE, {
        "Effect": "Allow", "Action": ["ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"],
        "Resource": _arn("network-interface", eni)}))
    assert _refused_on(make, error_of(interface_only.attach_network_interface, NetworkInterfaceId=eni,
                                      InstanceId=instance_id, DeviceIndex=1)) == _arn("instance", instance_id)
    attachment = root.attach_network_interface(NetworkInterfaceId=eni, InstanceId=instance_id, DeviceIndex=1)
    assert _refused_on(make, error_of(interface_only.detach_network_interface,
                                      AttachmentId=attachment["AttachmentId"])) == _arn("instance", instance_id)
    root.detach_network_interface(AttachmentId=attachment["AttachmentId"])


def test_accounts_never_see_each_others_interfaces(make: Make) -> None:
    a, b = make(ROOT_A), make(ROOT_B)
    eni = a.create_network_interface(SubnetId=_subnet(a))["NetworkInterface"]["NetworkInterfaceId"]
    assert b.describe_network_interfaces()["NetworkInterfaces"] == []
    assert error_of(b.describe_network_interfaces, NetworkInterfaceIds=[eni])["Code"] == (
        "InvalidNetworkInterfaceID.NotFound")
    assert error_of(b.delete_network_interface, NetworkInterfaceId=eni)["Code"] == (
        "InvalidNetworkInterfaceID.NotFound")
    assert len(a.describe_network_interfaces()["NetworkInterfaces"]) == 1


def test_run_instances_names_an_existing_interface(make: Make) -> None:
    root = make(ROOT_A)
    subnet = _subnet(root)
    mine, other = (root.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
                   for _ in range(2))
    launcher = make(new_user(make, "launcher", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "NotResource": _arn("network-interface", other)}))
    assert launch(launcher, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": mine}])
    assert _refused_on(make, error_of(launch, launcher, NetworkInterfaces=[
        {"DeviceIndex": 0, "NetworkInterfaceId": other}])) == _arn("network-interface", other)


def test_run_instances_tags_its_interfaces_with_create_tags(make: Make) -> None:
    root = make(ROOT_A)
    subnet = _subnet(root)
    launcher = make(new_user(make, "tagless", DESCRIBE, {"Effect": "Allow", "Action": "ec2:RunInstances",
                                                          "Resource": "*"}))
    tags = [{"ResourceType": "network-interface", "Tags": [{"Key": "k", "Value": "v"}]}]
    error = error_of(launch, launcher, SubnetId=subnet, TagSpecifications=tags)
    message = decoded(make, ROOT_A, error["Message"])["context"]
    assert (message["action"], message["resource"]) == ("ec2:CreateTags", _arn("network-interface", "*"))
    assert root.describe_network_interfaces()["NetworkInterfaces"] == []


def test_run_instances_names_the_subnets_and_groups_of_every_new_interface(make: Make) -> None:
    root = make(ROOT_A)
    first = _subnet(root)
    vpc = root.describe_subnets(SubnetIds=[first])["Subnets"][0]["VpcId"]
    second = root.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"][
        "SubnetId"]
    group = root.create_security_group(GroupName="eth1", Description="eth1", VpcId=vpc)["GroupId"]
    interfaces = [{"DeviceIndex": 0, "SubnetId": first}, {"DeviceIndex": 1, "SubnetId": second, "Groups": [group]}]
    for denied in (_arn("subnet", second), _arn("security-group", group)):
        launcher = make(new_user(make, f"launcher-{denied.rsplit('/', 1)[1]}", DESCRIBE, {
            "Effect": "Allow", "Action": "ec2:RunInstances", "NotResource": denied}))
        assert _refused_on(make, error_of(launch, launcher, NetworkInterfaces=interfaces)) == denied
    scoped = make(new_user(make, "zone-scoped", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}, {
        "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": _arn("network-interface", "*"),
        "Condition": {"StringEquals": {"ec2:Subnet": _arn("subnet", second)}}}))
    assert _refused_on(make, error_of(launch, scoped, NetworkInterfaces=interfaces)) == _arn("network-interface", "*")
    assert root.describe_instances()["Reservations"] == []
    allowed = make(new_user(make, "launcher-all", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}))
    assert launch(allowed, NetworkInterfaces=interfaces)
