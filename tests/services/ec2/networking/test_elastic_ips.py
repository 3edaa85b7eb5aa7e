"""Elastic IPs through boto3: allocate, associate, disassociate, release and describe (with
its filters), tags, what an instance shows while one is associated, stop and terminate,
the internet gateway's detach rule, and bad input (AWS's error, nothing changed)."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from tests.helpers import error_of, instance_of, launch
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, ROOT_B, Make, decoded, new_user

OWNER = "000000000000"


def _address(ec2: Any, allocation_id: str) -> dict[str, Any]:
    [address] = ec2.describe_addresses(AllocationIds=[allocation_id])["Addresses"]
    return dict(address)


def _addresses(ec2: Any, **kwargs: Any) -> list[str]:
    return sorted(a["AllocationId"] for a in ec2.describe_addresses(**kwargs)["Addresses"])


def _running(ec2: Any, clock: Any, **kwargs: Any) -> str:
    [instance_id] = launch(ec2, **kwargs)
    clock.advance(6)
    return instance_id


def _vpc_with_subnet(ec2: Any, *, gateway: bool) -> tuple[str, str]:
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.40.1.0/24")["Subnet"]["SubnetId"]
    if gateway:
        gateway_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    return vpc_id, subnet_id


# --------------------------------------------------------------------------- allocate


def test_allocate_describe_and_tags(ec2: Any) -> None:
    allocated = ec2.allocate_address(Domain="vpc", TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "web"}]}])
    allocation_id = allocated.pop("AllocationId")
    assert allocation_id.startswith("eipalloc-")
    ip = allocated.pop("PublicIp")
    assert ipaddress.IPv4Address(ip) in ipaddress.IPv4Network("44.192.0.0/10")
    allocated.pop("ResponseMetadata")
    assert allocated == {"Domain": "vpc", "NetworkBorderGroup": "us-east-1", "PublicIpv4Pool": "amazon"}
    assert _address(ec2, allocation_id) == {
        "AllocationId": allocation_id, "Domain": "vpc", "NetworkBorderGroup": "us-east-1", "PublicIp": ip,
        "PublicIpv4Pool": "amazon", "Tags": [{"Key": "Name", "Value": "web"}]}
    other = ec2.allocate_address()  # Domain defaults to vpc
    assert other["Domain"] == "vpc" and other["PublicIp"] != ip
    ec2.create_tags(Resources=[other["AllocationId"]], Tags=[{"Key": "Name", "Value": "db"}])
    assert _addresses(ec2, Filters=[{"Name": "tag:Name", "Values": ["db"]}]) == [other["AllocationId"]]
    assert _addresses(ec2, Filters=[{"Name": "tag-key", "Values": ["Name"]}]) == sorted(
        [allocation_id, other["AllocationId"]])
    [tag] = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [other["AllocationId"]]}])["Tags"]
    assert tag["ResourceType"] == "elastic-ip"
    ec2.delete_tags(Resources=[other["AllocationId"]])
    assert "Tags" not in _address(ec2, other["AllocationId"])


@pytest.mark.parametrize("params, code, message", [
    ({"Domain": "standard"}, "InvalidParameterValue",
     "Value (standard) for parameter domain is invalid. This account supports only addresses for use in a VPC (vpc)."),
    ({"Address": "44.192.0.9"}, "UnsupportedOperation", "The parameter Address is not supported by this endpoint."),
    ({"PublicIpv4Pool": "ipv4pool-ec2-012345"}, "UnsupportedOperation",
     "The parameter PublicIpv4Pool is not supported by this endpoint."),
    ({"CustomerOwnedIpv4Pool": "ipv4pool-coip-1"}, "UnsupportedOperation",
     "The parameter CustomerOwnedIpv4Pool is not supported by this endpoint."),
    ({"IpamPoolId": "ipam-pool-0123"}, "UnsupportedOperation",
     "The parameter IpamPoolId is not supported by this endpoint."),
    ({"NetworkBorderGroup": "us-west-2"}, "InvalidParameterValue",
     "Value (us-west-2) for parameter networkBorderGroup is invalid."),
    ({"TagSpecifications": [{"ResourceType": "vpc", "Tags": [{"Key": "k", "Value": "v"}]}]},
     "InvalidParameterValue", "'vpc' is not a valid taggable resource type for this operation."),
])
def test_allocate_refusals(ec2: Any, params: dict[str, Any], code: str, message: str) -> None:
    assert error_of(ec2.allocate_address, **params) == {"Code": code, "Message": message, "Status": 400}
    assert ec2.describe_addresses()["Addresses"] == []


def test_allocate_honours_the_region_and_amazon_s_pool(ec2: Any) -> None:
    allocated = ec2.allocate_address(NetworkBorderGroup="us-east-1", PublicIpv4Pool="amazon")
    assert allocated["NetworkBorderGroup"] == "us-east-1"
    assert error_of(ec2.allocate_address, DryRun=True)["Code"] == "DryRunOperation"
    assert _addresses(ec2) == [allocated["AllocationId"]]


# --------------------------------------------------------------------------- associate


def test_associate_shows_the_address_on_the_instance(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)
    auto = instance_of(ec2, instance_id)["PublicIpAddress"]
    allocated = ec2.allocate_address()
    association_id = ec2.associate_address(AllocationId=allocated["AllocationId"], InstanceId=instance_id)[
        "AssociationId"]
    assert association_id.startswith("eipassoc-")
    instance = instance_of(ec2, instance_id)
    ip = allocated["PublicIp"]
    assert instance["PublicIpAddress"] == ip != auto
    assert instance["PublicDnsName"] == f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com"
    assert _address(ec2, allocated["AllocationId"]) == {
        "AllocationId": allocated["AllocationId"], "AssociationId": association_id, "Domain": "vpc",
        "InstanceId": instance_id, "NetworkBorderGroup": "us-east-1",
        "NetworkInterfaceId": instance["NetworkInterfaces"][0]["NetworkInterfaceId"], "NetworkInterfaceOwnerId": OWNER,
        "PrivateIpAddress": instance["PrivateIpAddress"], "PublicIp": ip, "PublicIpv4Pool": "amazon"}
    # The same association again: the same association ID, nothing changed.
    again = ec2.associate_address(AllocationId=allocated["AllocationId"], InstanceId=instance_id,
                                  PrivateIpAddress=instance["PrivateIpAddress"], AllowReassociation=False)
    assert again["AssociationId"] == association_id
    # Disassociated: a new address of Amazon's pool, not the one held before.
    ec2.disassociate_address(AssociationId=association_id)
    renewed = instance_of(ec2, instance_id)["PublicIpAddress"]
    assert renewed not in (ip, auto)
    assert "AssociationId" not in _address(ec2, allocated["AllocationId"])
    ec2.disassociate_address(AssociationId=association_id)  # idempotent
    assert instance_of(ec2, instance_id)["PublicIpAddress"] == renewed


def test_an_instance_without_a_mapped_address_gets_only_the_elastic_ip(ec2: Any, clock: Any) -> None:
    _, subnet_id = _vpc_with_subnet(ec2, gateway=True)
    instance_id = _running(ec2, clock, SubnetId=subnet_id)
    allocation_id = ec2.allocate_address()["AllocationId"]
    association_id = ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)["AssociationId"]
    instance = instance_of(ec2, instance_id)
    assert instance["PublicIpAddress"] == _address(ec2, allocation_id)["PublicIp"]
    assert instance["PublicDnsName"] == ""  # a VPC without DNS hostnames
    ec2.disassociate_address(AssociationId=association_id)
    assert "PublicIpAddress" not in instance_of(ec2, instance_id)


def test_reassociation_moves_the_address_unless_refused(ec2: Any, clock: Any) -> None:
    first, second = _running(ec2, clock), _running(ec2, clock)
    first_auto = instance_of(ec2, first)["PublicIpAddress"]
    allocation_id = ec2.allocate_address()["AllocationId"]
    association_id = ec2.associate_address(AllocationId=allocation_id, InstanceId=first)["AssociationId"]
    error = error_of(ec2.associate_address, AllocationId=allocation_id, InstanceId=second, AllowReassociation=False)
    assert error == {"Code": "Resource.AlreadyAssociated", "Status": 400,
                     "Message": f"resource {allocation_id} is already associated with associate-id {association_id}"}
    assert _address(ec2, allocation_id)["InstanceId"] == first
    moved = ec2.associate_address(AllocationId=allocation_id, InstanceId=second)["AssociationId"]
    assert moved != association_id
    assert _address(ec2, allocation_id)["InstanceId"] == second
    assert instance_of(ec2, first)["PublicIpAddress"] not in (first_auto, _address(ec2, allocation_id)["PublicIp"])
    moved_again = ec2.associate_address(AllocationId=allocation_id, InstanceId=first, AllowReassociation=True)
    assert _address(ec2, allocation_id)["AssociationId"] == moved_again["AssociationId"]


def test_an_instance_s_old_elastic_ip_moves_off_and_stays_allocated(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)
    old, new = ec2.allocate_address(), ec2.allocate_address()
    ec2.associate_address(AllocationId=old["AllocationId"], InstanceId=instance_id)
    ec2.associate_address(AllocationId=new["AllocationId"], InstanceId=instance_id)
    assert instance_of(ec2, instance_id)["PublicIpAddress"] == new["PublicIp"]
    assert "InstanceId" not in _address(ec2, old["AllocationId"])
    assert _addresses(ec2, Filters=[{"Name": "instance-id", "Values": [instance_id]}]) == [new["AllocationId"]]


def test_associate_refusals(ec2: Any, clock: Any) -> None:
    [pending] = launch(ec2)
    allocation_id = ec2.allocate_address()["AllocationId"]
    cases = [
        ({"AllocationId": allocation_id, "InstanceId": pending}, "InvalidInstanceID",
         f"The pending instance '{pending}' is not in a valid state for this operation."),
        ({"AllocationId": allocation_id, "NetworkInterfaceId": "eni-0123456789abcdef0"},
         "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID 'eni-0123456789abcdef0' does not exist"),
        ({"AllocationId": allocation_id, "InstanceId": pending, "NetworkInterfaceId": "eni-0123456789abcdef0"},
         "InvalidParameterCombination", "The parameter instanceId cannot be used with the parameter networkInterfaceId"),
        ({"AllocationId": allocation_id}, "MissingParameter",
         "Either an instance ID or a network interface ID must be specified"),
        ({"PublicIp": "44.192.0.1", "InstanceId": pending}, "InvalidParameterCombination",
         "You must specify an allocation id when mapping an address to a VPC instance"),
        ({"InstanceId": pending}, "MissingParameter", "The request must contain the parameter AllocationId"),
        ({"AllocationId": "eipalloc-0123456789abcdef0", "InstanceId": pending}, "InvalidAllocationID.NotFound",
         "The allocation ID 'eipalloc-0123456789abcdef0' does not exist"),
        ({"AllocationId": "bogus", "InstanceId": pending}, "InvalidAllocationID.NotFound",
         "The allocation ID 'bogus' does not exist"),
        ({"AllocationId": allocation_id, "InstanceId": "i-0123456789abcdef0"}, "InvalidInstanceID.NotFound",
         "The instance ID 'i-0123456789abcdef0' does not exist"),
    ]
    for params, code, message in cases:
        assert error_of(ec2.associate_address, **params) == {"Code": code, "Message": message, "Status": 400}
    clock.advance(6)
    error = error_of(ec2.associate_address, AllocationId=allocation_id, InstanceId=pending,
                     PrivateIpAddress="172.31.255.250")
    assert error == {"Code": "InvalidParameterValue", "Status": 400,
                     "Message": f"The private IP address 172.31.255.250 is not assigned to the instance {pending}."}
    assert error_of(ec2.associate_address, AllocationId=allocation_id, InstanceId=pending,
                    DryRun=True)["Code"] == "DryRunOperation"
    assert "AssociationId" not in _address(ec2, allocation_id)
    ec2.terminate_instances(InstanceIds=[pending])
    assert error_of(ec2.associate_address, AllocationId=allocation_id, InstanceId=pending)["Message"] == (
        f"The shutting-down instance '{pending}' is not in a valid state for this operation.")


def test_association_needs_an_internet_gateway(ec2: Any, clock: Any) -> None:
    vpc_id, subnet_id = _vpc_with_subnet(ec2, gateway=False)
    instance_id = _running(ec2, clock, SubnetId=subnet_id)
    allocation_id = ec2.allocate_address()["AllocationId"]
    error = error_of(ec2.associate_address, AllocationId=allocation_id, InstanceId=instance_id)
    assert error == {"Code": "Gateway.NotAttached", "Status": 400,
                     "Message": f"Network {vpc_id} is not attached to any internet gateway"}
    assert "AssociationId" not in _address(ec2, allocation_id)


# --------------------------------------------------------------------------- disassociate, release


def test_disassociate_and_release_refusals(ec2: Any) -> None:
    allocation_id = ec2.allocate_address()["AllocationId"]
    cases = [
        (ec2.disassociate_address, {"PublicIp": "44.192.0.1"}, "InvalidParameterValue",
         "You must specify an association id when unmapping an address from a VPC instance"),
        (ec2.disassociate_address, {}, "MissingParameter", "The request must contain the parameter AssociationId"),
        (ec2.disassociate_address, {"AssociationId": "bogus"}, "InvalidAssociationID.NotFound",
         "The association ID 'bogus' does not exist"),
        (ec2.release_address, {"PublicIp": "44.192.0.1"}, "InvalidParameterValue",
         "You must specify an allocation id when releasing a VPC elastic IP address"),
        (ec2.release_address, {}, "MissingParameter", "The request must contain the parameter AllocationId"),
        (ec2.release_address, {"AllocationId": "eipalloc-0123456789abcdef0"}, "InvalidAllocationID.NotFound",
         "The allocation ID 'eipalloc-0123456789abcdef0' does not exist"),
        (ec2.release_address, {"AllocationId": allocation_id, "NetworkBorderGroup": "us-west-2"},
         "InvalidAddress.NotFound", f"The allocation ID '{allocation_id}' is not in the network border group "
         "'us-west-2'."),
    ]
    for call, params, code, message in cases:
        assert error_of(call, **params) == {"Code": code, "Message": message, "Status": 400}
    assert _addresses(ec2) == [allocation_id]
    ec2.disassociate_address(AssociationId="eipassoc-0123456789abcdef0")  # no such association: nothing to do
    ec2.release_address(AllocationId=allocation_id, NetworkBorderGroup="us-east-1")
    assert _addresses(ec2) == []
    assert error_of(ec2.release_address, AllocationId=allocation_id)["Code"] == "InvalidAllocationID.NotFound"


def test_release_in_the_default_vpc_disassociates_first(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)
    allocated = ec2.allocate_address()
    association_id = ec2.associate_address(AllocationId=allocated["AllocationId"], InstanceId=instance_id)[
        "AssociationId"]
    for call, params in ((ec2.disassociate_address, {"AssociationId": association_id}),
                         (ec2.release_address, {"AllocationId": allocated["AllocationId"]})):
        assert error_of(call, DryRun=True, **params)["Code"] == "DryRunOperation"
    assert _address(ec2, allocated["AllocationId"])["AssociationId"] == association_id
    ec2.release_address(AllocationId=allocated["AllocationId"])
    assert instance_of(ec2, instance_id)["PublicIpAddress"] != allocated["PublicIp"]
    assert _addresses(ec2) == []


def test_release_in_another_vpc_needs_a_disassociation(ec2: Any, clock: Any) -> None:
    _, subnet_id = _vpc_with_subnet(ec2, gateway=True)
    instance_id = _running(ec2, clock, SubnetId=subnet_id)
    allocation_id = ec2.allocate_address()["AllocationId"]
    association_id = ec2.associate_address(AllocationId=allocation_id, InstanceId=instance_id)["AssociationId"]
    error = error_of(ec2.release_address, AllocationId=allocation_id)
    assert error == {"Code": "InvalidIPAddress.InUse", "Status": 400,
                     "Message": f"The address with allocation id [{allocation_id}] is in use."}
    assert _address(ec2, allocation_id)["AssociationId"] == association_id
    ec2.disassociate_address(AssociationId=association_id)
    ec2.release_address(AllocationId=allocation_id)
    assert "PublicIpAddress" not in instance_of(ec2, instance_id)


# --------------------------------------------------------------------------- lifecycle


def test_the_address_stays_through_a_stop_and_leaves_at_termination(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)
    allocated = ec2.allocate_address(TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "keep", "Value": "yes"}]}])
    ec2.associate_address(AllocationId=allocated["AllocationId"], InstanceId=instance_id)
    ec2.stop_instances(InstanceIds=[instance_id])
    clock.advance(6)
    stopped = instance_of(ec2, instance_id)
    assert stopped["State"]["Name"] == "stopped"
    assert stopped["PublicIpAddress"] == allocated["PublicIp"] and stopped["PublicDnsName"]
    ec2.start_instances(InstanceIds=[instance_id])
    clock.advance(6)
    assert instance_of(ec2, instance_id)["PublicIpAddress"] == allocated["PublicIp"]
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert _address(ec2, allocated["AllocationId"])["InstanceId"] == instance_id  # shutting down
    clock.advance(6)
    assert _address(ec2, allocated["AllocationId"]) == {
        "AllocationId": allocated["AllocationId"], "Domain": "vpc", "NetworkBorderGroup": "us-east-1",
        "PublicIp": allocated["PublicIp"], "PublicIpv4Pool": "amazon", "Tags": [{"Key": "keep", "Value": "yes"}]}
    assert _addresses(ec2, Filters=[{"Name": "instance-id", "Values": [instance_id]}]) == []
    assert "PublicIpAddress" not in instance_of(ec2, instance_id)
    other = _running(ec2, clock)
    ec2.associate_address(AllocationId=allocated["AllocationId"], InstanceId=other)  # free for another
    assert instance_of(ec2, other)["PublicIpAddress"] == allocated["PublicIp"]


# --------------------------------------------------------------------------- DescribeAddresses


def test_describe_filters_and_public_ips(ec2: Any, clock: Any) -> None:
    instance_id = _running(ec2, clock)
    private_ip = instance_of(ec2, instance_id)["PrivateIpAddress"]
    interface_id = instance_of(ec2, instance_id)["NetworkInterfaces"][0]["NetworkInterfaceId"]
    one, two = ec2.allocate_address(), ec2.allocate_address()
    association_id = ec2.associate_address(AllocationId=one["AllocationId"], InstanceId=instance_id)["AssociationId"]
    expected = {
        "allocation-id": (two["AllocationId"], [two["AllocationId"]]),
        "association-id": (association_id, [one["AllocationId"]]),
        "instance-id": (instance_id, [one["AllocationId"]]),
        "private-ip-address": (private_ip, [one["AllocationId"]]),
        "public-ip": (two["PublicIp"], [two["AllocationId"]]),
        "network-interface-owner-id": (OWNER, [one["AllocationId"]]),
        "network-interface-id": (interface_id, [one["AllocationId"]]),
        "domain": ("vpc", sorted([one["AllocationId"], two["AllocationId"]])),
        "network-border-group": ("us-east-1", sorted([one["AllocationId"], two["AllocationId"]])),
    }
    for name, (value, wanted) in expected.items():
        assert _addresses(ec2, Filters=[{"Name": name, "Values": [value]}]) == wanted, name
    assert _addresses(ec2, Filters=[{"Name": "public-ip", "Values": ["44.*"]}]) == sorted(
        [one["AllocationId"], two["AllocationId"]])
    by_ip = ec2.describe_addresses(PublicIps=[two["PublicIp"], one["PublicIp"]])["Addresses"]
    assert [a["AllocationId"] for a in by_ip] == [two["AllocationId"], one["AllocationId"]]
    assert _addresses(ec2, AllocationIds=[one["AllocationId"]],
                      Filters=[{"Name": "instance-id", "Values": ["i-0123456789abcdef0"]}]) == []
    error = error_of(ec2.describe_addresses, PublicIps=["203.0.113.9"])
    assert error == {"Code": "InvalidAddress.NotFound", "Message": "Address '203.0.113.9' not found.", "Status": 400}
    error = error_of(ec2.describe_addresses, PublicIps=["not-an-ip"])
    assert error == {"Code": "InvalidAddress.Malformed", "Message": "Invalid address: 'not-an-ip'", "Status": 400}
    error = error_of(ec2.describe_addresses, AllocationIds=["eipalloc-0123456789abcdef0", "eipalloc-0123456789abcdef1"])
    assert error == {"Code": "InvalidAllocationID.NotFound", "Status": 400,
                     "Message": "The allocation IDs 'eipalloc-0123456789abcdef0, eipalloc-0123456789abcdef1' "
                                "do not exist"}
    assert error_of(ec2.describe_addresses, Filters=[{"Name": "bogus", "Values": ["x"]}])["Message"] == (
        "The filter 'bogus' is invalid")


# --------------------------------------------------------------------------- the internet gateway


def test_detaching_the_gateway_waits_for_mapped_addresses(ec2: Any, clock: Any) -> None:
    vpc_id, subnet_id = _vpc_with_subnet(ec2, gateway=True)
    [gateway] = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])[
        "InternetGateways"]
    gateway_id = gateway["InternetGatewayId"]
    message = (f"Network {vpc_id} has some mapped public address(es). Please unmap those public address(es) "
               "before detaching the gateway.")
    [mapped] = launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet_id,
                                               "AssociatePublicIpAddress": True}])
    plain = _running(ec2, clock, SubnetId=subnet_id)
    assert error_of(ec2.detach_internet_gateway, InternetGatewayId=gateway_id, VpcId=vpc_id) == {
        "Code": "DependencyViolation", "Message": message, "Status": 400}
    ec2.terminate_instances(InstanceIds=[mapped])
    clock.advance(6)
    allocation_id = ec2.allocate_address()["AllocationId"]
    association_id = ec2.associate_address(AllocationId=allocation_id, InstanceId=plain)["AssociationId"]
    ec2.stop_instances(InstanceIds=[plain])
    clock.advance(6)
    assert error_of(ec2.detach_internet_gateway, InternetGatewayId=gateway_id, VpcId=vpc_id)["Message"] == message
    assert ec2.describe_internet_gateways(InternetGatewayIds=[gateway_id])["InternetGateways"][0]["Attachments"]
    ec2.disassociate_address(AssociationId=association_id)
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)


# --------------------------------------------------------------------------- IAM and accounts


def _eip_arn(allocation_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:elastic-ip/{allocation_id}"


def test_address_actions_name_the_address_and_the_instance(make: Make, app: Any) -> None:
    root = make(ROOT_A)
    [instance_id] = launch(root)
    app.clock.advance(60)
    mine, other = root.allocate_address()["AllocationId"], root.allocate_address()["AllocationId"]
    ec2 = make(new_user(make, "addresses", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}, {
        "Effect": "Allow", "Resource": [_eip_arn(mine), f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/*"],
        "Action": ["ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:ReleaseAddress"]}))
    error = error_of(ec2.associate_address, AllocationId=other, InstanceId=instance_id)
    assert error["Code"] == "UnauthorizedOperation"
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _eip_arn(other)
    error = error_of(ec2.release_address, AllocationId=other)
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _eip_arn(other)
    assert error_of(ec2.allocate_address)["Code"] == "UnauthorizedOperation"
    association_id = ec2.associate_address(AllocationId=mine, InstanceId=instance_id)["AssociationId"]
    ec2.disassociate_address(AssociationId=association_id)
    ec2.release_address(AllocationId=mine)
    assert _addresses(root) == [other]


def test_allocation_checks_tags_at_creation(make: Make) -> None:
    creator = make(new_user(make, "allocator", {"Effect": "Allow", "Action": "ec2:AllocateAddress",
                                                "Resource": "*"}))
    creator.allocate_address()
    error = error_of(creator.allocate_address, TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "team", "Value": "red"}]}])
    context = decoded(make, ROOT_A, error["Message"])["context"]
    assert context["action"] == "ec2:CreateTags" and context["resource"] == _eip_arn("*")
    tagger = make(new_user(make, "tagger", {"Effect": "Allow", "Action": "ec2:CreateTags",
                                            "Resource": _eip_arn("*")}))
    allocation_id = make(ROOT_A).allocate_address()["AllocationId"]
    tagger.create_tags(Resources=[allocation_id], Tags=[{"Key": "k", "Value": "v"}])
    assert _address(make(ROOT_A), allocation_id)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_disassociation_names_the_address_of_the_association(make: Make, app: Any) -> None:
    root = make(ROOT_A)
    [instance_id] = launch(root)
    app.clock.advance(60)
    allocation_id = root.allocate_address()["AllocationId"]
    association_id = root.associate_address(AllocationId=allocation_id, InstanceId=instance_id)["AssociationId"]
    ec2 = make(new_user(make, "unmapper", {"Effect": "Allow", "Action": "ec2:DisassociateAddress",
                                           "Resource": _eip_arn("eipalloc-0123456789abcdef0")}))
    error = error_of(ec2.disassociate_address, AssociationId=association_id)
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _eip_arn(allocation_id)
    assert _address(root, allocation_id)["AssociationId"] == association_id


def test_accounts_never_see_each_others_addresses(make: Make, app: Any) -> None:
    a, b = make(ROOT_A), make(ROOT_B)
    allocated = a.allocate_address()
    allocation_id = allocated["AllocationId"]
    assert b.describe_addresses()["Addresses"] == []
    assert error_of(b.describe_addresses, AllocationIds=[allocation_id])["Code"] == "InvalidAllocationID.NotFound"
    assert error_of(b.describe_addresses, PublicIps=[allocated["PublicIp"]])["Code"] == "InvalidAddress.NotFound"
    assert error_of(b.release_address, AllocationId=allocation_id)["Code"] == "InvalidAllocationID.NotFound"
    assert error_of(b.create_tags, Resources=[allocation_id], Tags=[{"Key": "k", "Value": "v"}])["Code"] == (
        "InvalidAllocationID.NotFound")
    [instance_id] = launch(b)
    app.clock.advance(60)
    assert error_of(b.associate_address, AllocationId=allocation_id, InstanceId=instance_id)["Code"] == (
        "InvalidAllocationID.NotFound")
    own = b.allocate_address()
    assert own["PublicIp"] != allocated["PublicIp"]  # public addresses are unique across accounts
    association_id = b.associate_address(AllocationId=own["AllocationId"], InstanceId=instance_id)["AssociationId"]
    a.disassociate_address(AssociationId=association_id)  # not A's: nothing happens
    assert _address(b, own["AllocationId"])["AssociationId"] == association_id


def test_association_also_names_the_instance(make: Make, app: Any) -> None:
    root = make(ROOT_A)
    allowed, denied = launch(root, count=2)
    app.clock.advance(60)
    allocation_id = root.allocate_address()["AllocationId"]
    ec2 = make(new_user(make, "associator", {
        "Effect": "Allow", "Action": "ec2:AssociateAddress",
        "Resource": [_eip_arn("*"), f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/{allowed}"]}))
    error = error_of(ec2.associate_address, AllocationId=allocation_id, InstanceId=denied)
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == (
        f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/{denied}")
    assert "AssociationId" not in _address(root, allocation_id)
    ec2.associate_address(AllocationId=allocation_id, InstanceId=allowed)
    assert _address(root, allocation_id)["InstanceId"] == allowed
