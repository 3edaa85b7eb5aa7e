"""Public IPv4 addresses of Amazon's pool through boto3: which launches get one (the
subnet's MapPublicIpOnLaunch, the launch's AssociatePublicIpAddress), released on stop and
renewed on start (but not with two interfaces attached), none once terminated, the public DNS name only where the VPC gives DNS
hostnames, and the bad uses of AssociatePublicIpAddress (AWS's error, nothing launched)."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from tests.helpers import error_of, instance_of, launch


def _public(ec2: Any, instance_id: str) -> tuple[str | None, str]:
    instance = instance_of(ec2, instance_id)
    return instance.get("PublicIpAddress"), instance["PublicDnsName"]


def _vpc_with_subnet(ec2: Any, *, hostnames: bool = False, maps: bool = False) -> tuple[str, str]:
    vpc_id = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    if hostnames:
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    if maps:
        ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
    return vpc_id, subnet_id


def _instance_count(ec2: Any) -> int:
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


def test_a_default_subnet_maps_a_public_address_with_its_dns_name(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    ip, dns = _public(ec2, instance_id)
    assert ip is not None and ipaddress.IPv4Address(ip) in ipaddress.IPv4Network("3.80.0.0/12")
    assert dns == f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com"
    clock.advance(6)
    assert _public(ec2, instance_id) == (ip, dns)  # stable within one run


def test_other_regions_name_the_region(make_client: Any) -> None:
    ec2 = make_client("eu-west-1")
    [instance_id] = launch(ec2)
    ip, dns = _public(ec2, instance_id)
    assert dns == f"ec2-{ip.replace('.', '-')}.eu-west-1.compute.amazonaws.com"  # type: ignore[union-attr]


def test_a_nondefault_subnet_maps_none_unless_told(ec2: Any) -> None:
    _, subnet_id = _vpc_with_subnet(ec2)
    [instance_id] = launch(ec2, SubnetId=subnet_id)
    assert _public(ec2, instance_id) == (None, "")
    ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
    assert _public(ec2, instance_id) == (None, "")  # decided at launch
    [mapped] = launch(ec2, SubnetId=subnet_id)
    ip, dns = _public(ec2, mapped)
    assert ip is not None and dns == ""  # the VPC gives no DNS hostnames


def test_dns_hostnames_give_the_name_and_take_it_back(ec2: Any) -> None:
    vpc_id, subnet_id = _vpc_with_subnet(ec2, maps=True)
    [instance_id] = launch(ec2, SubnetId=subnet_id)
    ip, dns = _public(ec2, instance_id)
    assert ip and dns == ""
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    assert _public(ec2, instance_id) == (ip, f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com")
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": False})
    assert _public(ec2, instance_id) == (ip, "")


def test_associate_public_ip_address_overrides_the_subnet(ec2: Any) -> None:
    _, subnet_id = _vpc_with_subnet(ec2, hostnames=True)
    [asked] = launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet_id,
                                              "AssociatePublicIpAddress": True}])
    assert _public(ec2, asked)[0] is not None and _public(ec2, asked)[1].endswith(".compute-1.amazonaws.com")
    [refused] = launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "AssociatePublicIpAddress": False}])
    instance = instance_of(ec2, refused)
    assert instance["SubnetId"] != subnet_id  # a default subnet, which would map one
    assert _public(ec2, refused) == (None, "")


@pytest.mark.parametrize("interfaces, message", [
    ([{"DeviceIndex": 0, "AssociatePublicIpAddress": True}, {"DeviceIndex": 1}],
     "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces"),
    ([{"DeviceIndex": 1, "AssociatePublicIpAddress": True}],
     "The associatePublicIPAddress parameter can only be specified for the network interface with DeviceIndex 0."),
    ([{"DeviceIndex": 0, "NetworkInterfaceId": "eni-0123456789abcdef0", "AssociatePublicIpAddress": False}],
     "The associatePublicIPAddress parameter cannot be specified for an existing network interface."),
])
def test_associate_public_ip_address_only_for_one_new_interface_at_index_0(
        ec2: Any, interfaces: list[dict[str, Any]], message: str) -> None:
    before = _instance_count(ec2)
    error = error_of(launch, ec2, NetworkInterfaces=interfaces)
    assert error == {"Code": "InvalidParameterCombination", "Message": message, "Status": 400}
    assert _instance_count(ec2) == before


def test_released_on_stop_renewed_on_start_none_when_terminated(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(6)
    first, _ = _public(ec2, instance_id)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert _public(ec2, instance_id) == (None, "")
    clock.advance(6)
    assert _public(ec2, instance_id) == (None, "")
    ec2.start_instances(InstanceIds=[instance_id])
    clock.advance(6)
    second, dns = _public(ec2, instance_id)
    assert second is not None and second != first and dns
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(6)
    assert _public(ec2, instance_id) == (None, "")


def test_a_start_with_two_interfaces_attached_gives_no_new_address(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    [plain] = launch(ec2)
    clock.advance(6)
    instance = instance_of(ec2, instance_id)
    interface_id = ec2.create_network_interface(SubnetId=instance["SubnetId"])["NetworkInterface"][
        "NetworkInterfaceId"]
    ec2.attach_network_interface(NetworkInterfaceId=interface_id, InstanceId=instance_id, DeviceIndex=1)
    held, _ = _public(ec2, instance_id)
    assert held is not None  # attaching releases nothing while it runs
    ec2.stop_instances(InstanceIds=[instance_id, plain])
    clock.advance(6)
    ec2.start_instances(InstanceIds=[instance_id, plain])
    clock.advance(6)
    assert _public(ec2, instance_id) == (None, "")
    assert _public(ec2, plain)[0] is not None
    ec2.detach_network_interface(AttachmentId=ec2.describe_network_interfaces(NetworkInterfaceIds=[interface_id])[
        "NetworkInterfaces"][0]["Attachment"]["AttachmentId"])
    ec2.stop_instances(InstanceIds=[instance_id])
    clock.advance(6)
    ec2.start_instances(InstanceIds=[instance_id])
    clock.advance(6)
    assert _public(ec2, instance_id) == (None, "")  # none at a later start either


def test_an_instance_without_a_public_address_shows_an_empty_public_dns_name(ec2: Any) -> None:
    """``PublicDnsName`` is the empty string and ``PublicIpAddress`` absent; the private
    name is as ever."""
    _, subnet_id = _vpc_with_subnet(ec2)
    [instance_id] = launch(ec2, SubnetId=subnet_id)
    instance = instance_of(ec2, instance_id)
    assert "PublicIpAddress" not in instance and instance["PublicDnsName"] == ""
    assert instance["PrivateDnsName"].endswith(".ec2.internal")
