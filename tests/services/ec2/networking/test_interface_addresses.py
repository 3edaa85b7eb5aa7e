"""Elastic IPs on network interfaces through boto3: AssociateAddress by interface (its
primary or a secondary private address, attached or not), the instance with several
interfaces, what DescribeNetworkInterfaces and DescribeInstances show on each address
(and the association filters), what deleting, detaching, unassigning and terminating do to
the association, the auto-assigned address that does not come back, IAM on the interface,
and bad input (AWS's error, nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, instance_of, launch
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, Make, decoded, new_user

OWNER = "000000000000"


def _network(ec2: Any, *, gateway: bool = True, dns: bool = False) -> tuple[str, str]:
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    if dns:
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.50.1.0/24", AvailabilityZone="us-east-1a")[
        "Subnet"]["SubnetId"]
    if gateway:
        gateway_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    return vpc_id, subnet_id


def _interface(ec2: Any, subnet_id: str, secondary: int = 0) -> dict[str, Any]:
    created = ec2.create_network_interface(SubnetId=subnet_id, SecondaryPrivateIpAddressCount=secondary)
    return dict(created["NetworkInterface"])


def _described(ec2: Any, interface_id: str) -> dict[str, Any]:
    [found] = ec2.describe_network_interfaces(NetworkInterfaceIds=[interface_id])["NetworkInterfaces"]
    return dict(found)


def _address(ec2: Any, allocation_id: str) -> dict[str, Any]:
    [address] = ec2.describe_addresses(AllocationIds=[allocation_id])["Addresses"]
    return dict(address)


def _by_address(view: dict[str, Any]) -> dict[str, Any]:
    """Each private address's ``Association`` (``None`` when it has none)."""
    return {a["PrivateIpAddress"]: a.get("Association") for a in view["PrivateIpAddresses"]}


def _running(ec2: Any, clock: Any, **kwargs: Any) -> str:
    [instance_id] = launch(ec2, **kwargs)
    clock.advance(6)
    return instance_id


def _dns(ip: str) -> str:
    return f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com"


# --------------------------------------------------------------------------- associate by interface


def test_an_unattached_interface_takes_elastic_ips_on_its_addresses(ec2: Any) -> None:
    _, subnet_id = _network(ec2, dns=True)
    interface = _interface(ec2, subnet_id, secondary=1)
    interface_id, primary = interface["NetworkInterfaceId"], interface["PrivateIpAddress"]
    [secondary] = [a["PrivateIpAddress"] for a in interface["PrivateIpAddresses"] if not a["Primary"]]
    first, second = ec2.allocate_address(), ec2.allocate_address()
    on_primary = ec2.associate_address(AllocationId=first["AllocationId"], NetworkInterfaceId=interface_id)[
        "AssociationId"]
    on_secondary = ec2.associate_address(AllocationId=second["AllocationId"], NetworkInterfaceId=interface_id,
                                         PrivateIpAddress=secondary)["AssociationId"]
    assert _address(ec2, first["AllocationId"]) == {
        "AllocationId": first["AllocationId"], "AssociationId": on_primary, "Domain": "vpc",
        "NetworkBorderGroup": "us-east-1", "NetworkInterfaceId": interface_id, "NetworkInterfaceOwnerId": OWNER,
        "PrivateIpAddress": primary, "PublicIp": first["PublicIp"], "PublicIpv4Pool": "amazon"}
    assert _address(ec2, second["AllocationId"])["PrivateIpAddress"] == secondary
    view = _described(ec2, interface_id)
    expected = {"AllocationId": first["AllocationId"], "AssociationId": on_primary, "IpOwnerId": OWNER,
                "PublicDnsName": _dns(first["PublicIp"]), "PublicIp": first["PublicIp"]}
    assert view["Association"] == expected
    assert _by_address(view) == {primary: expected, secondary: {
        "AllocationId": second["AllocationId"], "AssociationId": on_secondary, "IpOwnerId": OWNER,
        "PublicDnsName": _dns(second["PublicIp"]), "PublicIp": second["PublicIp"]}}
    # The same association again: the same ID; AllowReassociation=false refuses a move.
    assert ec2.associate_address(AllocationId=first["AllocationId"], NetworkInterfaceId=interface_id,
                                 AllowReassociation=False)["AssociationId"] == on_primary
    error = error_of(ec2.associate_address, AllocationId=first["AllocationId"], NetworkInterfaceId=interface_id,
                     PrivateIpAddress=secondary, AllowReassociation=False)
    assert error == {"Code": "Resource.AlreadyAssociated", "Status": 400,
                     "Message": f"resource {first['AllocationId']} is already associated with associate-id "
                                f"{on_primary}"}
    # Moving the first onto the secondary address pushes the second off (still allocated).
    moved = ec2.associate_address(AllocationId=first["AllocationId"], NetworkInterfaceId=interface_id,
                                  PrivateIpAddress=secondary)["AssociationId"]
    assert "AssociationId" not in _address(ec2, second["AllocationId"])
    assert _by_address(_described(ec2, interface_id))[secondary]["AssociationId"] == moved
    assert "Association" not in _described(ec2, interface_id)


def test_describe_filters_on_associations(ec2: Any) -> None:
    _, subnet_id = _network(ec2)
    one, other = _interface(ec2, subnet_id)["NetworkInterfaceId"], _interface(ec2, subnet_id)["NetworkInterfaceId"]
    allocated = ec2.allocate_address()
    association_id = ec2.associate_address(AllocationId=allocated["AllocationId"], NetworkInterfaceId=one)[
        "AssociationId"]

    def found(name: str, value: str) -> list[str]:
        return [i["NetworkInterfaceId"] for i in ec2.describe_network_interfaces(
            Filters=[{"Name": name, "Values": [value]}])["NetworkInterfaces"]]

    assert found("association.public-ip", allocated["PublicIp"]) == [one]
    assert found("association.allocation-id", allocated["AllocationId"]) == [one]
    assert found("association.association-id", association_id) == [one]
    assert found("association.ip-owner-id", OWNER) == [one]
    assert found("association.allocation-id", "eipalloc-0123456789abcdef0") == []
    assert [a["AllocationId"] for a in ec2.describe_addresses(
        Filters=[{"Name": "network-interface-id", "Values": [one]}])["Addresses"]] == [allocated["AllocationId"]]
    assert ec2.describe_addresses(Filters=[{"Name": "network-interface-id", "Values": [other]}])["Addresses"] == []


def test_interface_association_refusals(ec2: Any) -> None:
    vpc_id, subnet_id = _network(ec2, gateway=False)
    interface_id = _interface(ec2, subnet_id)["NetworkInterfaceId"]
    allocation_id = ec2.allocate_address()["AllocationId"]
    cases = [
        ({"NetworkInterfaceId": interface_id}, "Gateway.NotAttached",
         f"Network {vpc_id} is not attached to any internet gateway"),
        ({"NetworkInterfaceId": interface_id, "PrivateIpAddress": "10.50.1.250"}, "InvalidParameterValue",
         f"The private IP address 10.50.1.250 is not assigned to the network interface {interface_id}."),
        ({"NetworkInterfaceId": "eni-0123456789abcdef0"}, "InvalidNetworkInterfaceID.NotFound",
         "The networkInterface ID 'eni-0123456789abcdef0' does not exist"),
    ]
    for params, code, message in cases:
        assert error_of(ec2.associate_address, AllocationId=allocation_id, **params) == {
            "Code": code, "Message": message, "Status": 400}
    assert "AssociationId" not in _address(ec2, allocation_id)
    assert "Association" not in _described(ec2, interface_id)


def test_an_interface_s_address_holds_the_gateway_and_its_release(ec2: Any) -> None:
    vpc_id, subnet_id = _network(ec2)
    [gateway] = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])[
        "InternetGateways"]
    interface_id = _interface(ec2, subnet_id)["NetworkInterfaceId"]
    allocation_id = ec2.allocate_address()["AllocationId"]
    assert error_of(ec2.associate_address, AllocationId=allocation_id, NetworkInterfaceId=interface_id,
                    DryRun=True)["Code"] == "DryRunOperation"
    assert "AssociationId" not in _address(ec2, allocation_id)
    association_id = ec2.associate_address(AllocationId=allocation_id, NetworkInterfaceId=interface_id)[
        "AssociationId"]
    error = error_of(ec2.detach_internet_gateway, InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)
    assert error == {"Code": "DependencyViolation", "Status": 400,
                     "Message": f"Network {vpc_id} has some mapped public address(es). Please unmap those public "
                                "address(es) before detaching the gateway."}
    error = error_of(ec2.release_address, AllocationId=allocation_id)
    assert error == {"Code": "InvalidIPAddress.InUse", "Status": 400,
                     "Message": f"The address with allocation id [{allocation_id}] is in use."}
    assert _address(ec2, allocation_id)["AssociationId"] == association_id
    ec2.disassociate_address(AssociationId=association_id)
    assert "Association" not in _described(ec2, interface_id)
    ec2.release_address(AllocationId=allocation_id)
    ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)


# --------------------------------------------------------------------------- instances with several interfaces


def test_an_instance_with_two_interfaces_needs_the_interface_named(ec2: Any, clock: Any) -> None:
    _, subnet_id = _network(ec2)
    instance_id = _running(ec2, clock, SubnetId=subnet_id)
    interface_id = _interface(ec2, subnet_id)["NetworkInterfaceId"]
    attachment_id = ec2.attach_network_interface(NetworkInterfaceId=interface_id, InstanceId=instance_id,
                                                 DeviceIndex=1)["AttachmentId"]
    allocated = ec2.allocate_address()
    error = error_of(ec2.associate_address, AllocationId=allocated["AllocationId"], InstanceId=instance_id)
    assert error == {"Code": "InvalidInstanceID", "Status": 400,
                     "Message": f"There are multiple interfaces attached to instance '{instance_id}'. Please "
                                "specify an interface ID for the operation instead."}
    assert "AssociationId" not in _address(ec2, allocated["AllocationId"])
    ec2.associate_address(AllocationId=allocated["AllocationId"], NetworkInterfaceId=interface_id)
    assert _address(ec2, allocated["AllocationId"])["InstanceId"] == instance_id
    instance = instance_of(ec2, instance_id)
    assert "PublicIpAddress" not in instance  # the primary interface's address has none
    primary, secondary = instance["NetworkInterfaces"]
    assert "Association" not in primary
    assert secondary["Association"] == {"IpOwnerId": OWNER, "PublicDnsName": "", "PublicIp": allocated["PublicIp"]}
    # Detached, the interface keeps its Elastic IP; attached again, it names the instance again.
    ec2.detach_network_interface(AttachmentId=attachment_id)
    address = _address(ec2, allocated["AllocationId"])
    assert "InstanceId" not in address and address["NetworkInterfaceId"] == interface_id
    assert _described(ec2, interface_id)["Association"]["PublicIp"] == allocated["PublicIp"]
    ec2.attach_network_interface(NetworkInterfaceId=interface_id, InstanceId=instance_id, DeviceIndex=1)
    assert _address(ec2, allocated["AllocationId"])["InstanceId"] == instance_id


def test_no_new_public_address_with_a_second_interface(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)  # the default subnet maps a public address
    instance = instance_of(ec2, instance_id)
    allocated = ec2.allocate_address()
    association_id = ec2.associate_address(AllocationId=allocated["AllocationId"], InstanceId=instance_id)[
        "AssociationId"]
    primary = instance["NetworkInterfaces"][0]
    assert instance_of(ec2, instance_id)["NetworkInterfaces"][0]["Association"]["PublicIp"] == allocated["PublicIp"]
    interface_id = _interface(ec2, primary["SubnetId"])["NetworkInterfaceId"]
    ec2.attach_network_interface(NetworkInterfaceId=interface_id, InstanceId=instance_id, DeviceIndex=1)
    ec2.disassociate_address(AssociationId=association_id)
    shown = instance_of(ec2, instance_id)
    assert "PublicIpAddress" not in shown and shown["PublicDnsName"] == ""
    assert "Association" not in shown["NetworkInterfaces"][0]


def test_no_new_public_address_while_a_secondary_address_holds_one(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)
    interface_id = instance_of(ec2, instance_id)["NetworkInterfaces"][0]["NetworkInterfaceId"]
    [secondary] = ec2.assign_private_ip_addresses(NetworkInterfaceId=interface_id, SecondaryPrivateIpAddressCount=1)[
        "AssignedPrivateIpAddresses"]
    auto = instance_of(ec2, instance_id)["PublicIpAddress"]
    on_secondary, on_primary = ec2.allocate_address(), ec2.allocate_address()
    ec2.associate_address(AllocationId=on_secondary["AllocationId"], InstanceId=instance_id,
                          PrivateIpAddress=secondary["PrivateIpAddress"])
    assert instance_of(ec2, instance_id)["PublicIpAddress"] == auto  # the primary address keeps its own
    association_id = ec2.associate_address(AllocationId=on_primary["AllocationId"], InstanceId=instance_id)[
        "AssociationId"]
    assert instance_of(ec2, instance_id)["PublicIpAddress"] == on_primary["PublicIp"]
    ec2.disassociate_address(AssociationId=association_id)
    assert "PublicIpAddress" not in instance_of(ec2, instance_id)
    views = instance_of(ec2, instance_id)["NetworkInterfaces"][0]["PrivateIpAddresses"]
    assert [v.get("Association", {}).get("PublicIp") for v in views] == [None, on_secondary["PublicIp"]]


# --------------------------------------------------------------------------- what ends an association


def test_deleting_an_interface_or_unassigning_an_address_disassociates(ec2: Any) -> None:
    _, subnet_id = _network(ec2)
    interface = _interface(ec2, subnet_id, secondary=1)
    interface_id = interface["NetworkInterfaceId"]
    [secondary] = [a["PrivateIpAddress"] for a in interface["PrivateIpAddresses"] if not a["Primary"]]
    on_primary, on_secondary = ec2.allocate_address()["AllocationId"], ec2.allocate_address()["AllocationId"]
    ec2.associate_address(AllocationId=on_primary, NetworkInterfaceId=interface_id)
    ec2.associate_address(AllocationId=on_secondary, NetworkInterfaceId=interface_id, PrivateIpAddress=secondary)
    ec2.unassign_private_ip_addresses(NetworkInterfaceId=interface_id, PrivateIpAddresses=[secondary])
    assert "AssociationId" not in _address(ec2, on_secondary)
    assert _address(ec2, on_primary)["NetworkInterfaceId"] == interface_id
    ec2.delete_network_interface(NetworkInterfaceId=interface_id)
    released = _address(ec2, on_primary)
    assert "AssociationId" not in released and "NetworkInterfaceId" not in released  # still allocated


def test_termination_keeps_the_addresses_of_surviving_interfaces(ec2: Any, clock: Any) -> None:
    _, subnet_id = _network(ec2)
    kept = _interface(ec2, subnet_id)["NetworkInterfaceId"]
    instance_id = _running(ec2, clock, NetworkInterfaces=[
        {"DeviceIndex": 0, "SubnetId": subnet_id}, {"DeviceIndex": 1, "NetworkInterfaceId": kept}])
    primary = instance_of(ec2, instance_id)["NetworkInterfaces"][0]["NetworkInterfaceId"]
    gone, stays = ec2.allocate_address()["AllocationId"], ec2.allocate_address()["AllocationId"]
    ec2.associate_address(AllocationId=gone, NetworkInterfaceId=primary)
    ec2.associate_address(AllocationId=stays, NetworkInterfaceId=kept)
    assert _address(ec2, stays)["InstanceId"] == instance_id
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert _address(ec2, gone)["InstanceId"] == instance_id  # still shutting down
    clock.advance(60)
    assert "AssociationId" not in _address(ec2, gone)
    survived = _address(ec2, stays)
    assert "InstanceId" not in survived and survived["NetworkInterfaceId"] == kept
    view = _described(ec2, kept)
    assert view["Status"] == "available" and view["Association"]["AllocationId"] == stays


# --------------------------------------------------------------------------- IAM


def _arn(kind: str, resource_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:{kind}/{resource_id}"


@pytest.mark.parametrize("denied", ["network-interface", "elastic-ip"])
def test_association_by_interface_names_the_interface(make: Make, denied: str) -> None:
    root = make(ROOT_A)
    _, subnet_id = _network(root)
    interface_id = _interface(root, subnet_id)["NetworkInterfaceId"]
    allocation_id = root.allocate_address()["AllocationId"]
    allowed = [_arn(kind, "*") for kind in ("network-interface", "elastic-ip") if kind != denied]
    ec2 = make(new_user(make, f"associator-{denied}", {
        "Effect": "Allow", "Action": "ec2:AssociateAddress", "Resource": allowed}))
    error = error_of(ec2.associate_address, AllocationId=allocation_id, NetworkInterfaceId=interface_id)
    assert error["Code"] == "UnauthorizedOperation"
    named = interface_id if denied == "network-interface" else allocation_id
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _arn(denied, named)
    assert "AssociationId" not in _address(root, allocation_id)
