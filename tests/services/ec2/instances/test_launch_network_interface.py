"""RunInstances with ``NetworkInterfaces`` through boto3, as SDKs and Ansible's
``ec2_instance`` launch into a subnet: the primary interface's subnet and groups are the
instance's; with an instance-level subnet or groups, without a device index, or asking
for what this endpoint does not do (IPv6, other interface types), the launch is refused with AWS's error and nothing
is launched."""

from __future__ import annotations

from typing import Any

import pytest

from tests.services.ec2.instances.test_run_instances import rejected, run


@pytest.fixture
def network(ec2: Any) -> dict[str, str]:
    """A VPC, a subnet of it, and a group of it besides its default one."""
    vpc_id = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.42.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]
    group_id = ec2.create_security_group(GroupName="ssh", Description="ssh", VpcId=vpc_id)["GroupId"]
    return {"vpc": vpc_id, "subnet": subnet["SubnetId"], "group": group_id}


def _interface(network: dict[str, str], **members: Any) -> dict[str, Any]:
    return {"DeviceIndex": 0, "SubnetId": network["subnet"], "Groups": [network["group"]],
            "DeleteOnTermination": True, **members}


def test_the_interfaces_subnet_and_groups_are_the_instances(ec2: Any, network: dict[str, str]) -> None:
    launched = run(ec2, MinCount=2, MaxCount=2, NetworkInterfaces=[_interface(network)])["Instances"]
    described = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
                 if i["InstanceId"] in {each["InstanceId"] for each in launched}]
    assert len(described) == 2
    for instance in [*launched, *described]:
        assert instance["SubnetId"] == network["subnet"]
        assert instance["VpcId"] == network["vpc"]
        assert instance["Placement"]["AvailabilityZone"] == "us-east-1b"
        assert instance["SecurityGroups"] == [{"GroupId": network["group"], "GroupName": "ssh"}]
        attribute = ec2.describe_instance_attribute(InstanceId=instance["InstanceId"], Attribute="groupSet")
        assert attribute["Groups"] == [{"GroupId": network["group"], "GroupName": "ssh"}]


def test_an_interface_without_groups_gets_the_vpcs_default_group(ec2: Any, network: dict[str, str]) -> None:
    [default] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [network["vpc"]]},
                                                      {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    [instance] = run(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": network["subnet"]}])["Instances"]
    assert instance["SecurityGroups"] == [{"GroupId": default["GroupId"], "GroupName": "default"}]


def test_the_interfaces_groups_must_be_of_the_subnets_vpc(ec2: Any, network: dict[str, str]) -> None:
    [default] = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
    error = rejected(ec2, NetworkInterfaces=[_interface(network, Groups=[default["GroupId"]])])
    assert error == {"Code": "InvalidGroup.NotFound",
                     "Message": f"The security group '{default['GroupId']}' does not exist", "Status": 400}


def test_interfaces_with_an_instance_level_subnet(ec2: Any, network: dict[str, str]) -> None:
    error = rejected(ec2, SubnetId=network["subnet"], NetworkInterfaces=[_interface(network)])
    assert error == {
        "Code": "InvalidParameterCombination",
        "Message": "Network interfaces and an instance-level subnet ID may not be specified on the same request",
        "Status": 400,
    }


@pytest.mark.parametrize("level", ["SecurityGroupIds", "SecurityGroups"])
def test_interfaces_with_instance_level_groups(ec2: Any, network: dict[str, str], level: str) -> None:
    value = network["group"] if level == "SecurityGroupIds" else "ssh"
    error = rejected(ec2, NetworkInterfaces=[_interface(network)], **{level: [value]})
    assert error == {
        "Code": "InvalidParameterCombination",
        "Message": "Network interfaces and an instance-level security groups may not be specified on the same "
                   "request",
        "Status": 400,
    }


def test_an_interface_needs_its_device_index(ec2: Any, network: dict[str, str]) -> None:
    interface = _interface(network)
    del interface["DeviceIndex"]
    error = rejected(ec2, NetworkInterfaces=[interface])
    assert error == {"Code": "InvalidParameterValue", "Message": "Each network interface requires a device index.",
                     "Status": 400}


@pytest.mark.parametrize(("members", "message"), [
    ({"Ipv6AddressCount": 1}, "The parameter NetworkInterface.Ipv6AddressCount is not supported by this endpoint."),
    ({"InterfaceType": "efa"}, "The value 'efa' for the parameter NetworkInterface.InterfaceType is not supported "
                               "by this endpoint."),
])
def test_what_is_not_honoured_is_refused_by_name(
    ec2: Any, network: dict[str, str], members: dict[str, Any], message: str
) -> None:
    error = rejected(ec2, NetworkInterfaces=[_interface(network, **members)])
    assert error == {"Code": "UnsupportedOperation", "Message": message, "Status": 400}
