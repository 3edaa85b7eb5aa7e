"""The default VPC and subnets: derived until the scope's network is first written to,
then stored with the same IDs; deleted, and made again by CreateDefaultVpc and
CreateDefaultSubnet; each VPC's default security group."""

from __future__ import annotations

import ipaddress
from typing import Any

from tests.helpers import error_of, launch


def _default_vpc(ec2: Any) -> dict[str, Any]:
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    return vpc


def _default_vpc_attribute(ec2: Any) -> str:
    [attribute] = ec2.describe_account_attributes(AttributeNames=["default-vpc"])["AccountAttributes"]
    return str(attribute["AttributeValues"][0]["AttributeValue"])


def test_the_first_write_keeps_the_derived_ids_and_views(ec2: Any) -> None:
    vpcs, subnets = ec2.describe_vpcs()["Vpcs"], ec2.describe_subnets()["Subnets"]
    groups = ec2.describe_security_groups()["SecurityGroups"]
    created = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] != created] == vpcs
    assert [s for s in ec2.describe_subnets()["Subnets"] if s["VpcId"] != created] == subnets
    assert [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["VpcId"] != created] == groups


def test_a_written_default_vpc_keeps_its_tags(ec2: Any) -> None:
    vpc_id = _default_vpc(ec2)["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": "main"}])
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": False})
    assert _default_vpc(ec2)["Tags"] == [{"Key": "Name", "Value": "main"}]
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"] == {
        "Value": False}


def test_each_vpc_has_its_default_security_group(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
    [group] = groups
    assert group["GroupName"] == "default" and group["VpcId"] == vpc_id
    default = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
    assert [g["VpcId"] for g in default] == [_default_vpc(ec2)["VpcId"]]
    assert len(ec2.describe_security_groups()["SecurityGroups"]) == 2
    ec2.create_tags(Resources=[group["GroupId"]], Tags=[{"Key": "k", "Value": "v"}])
    ec2.delete_vpc(VpcId=vpc_id)
    assert error_of(ec2.describe_security_groups, GroupIds=[group["GroupId"]])["Code"] == "InvalidGroup.NotFound"


def test_deleting_the_default_vpc_and_making_it_again(ec2: Any) -> None:
    old = _default_vpc(ec2)
    subnets = ec2.describe_subnets()["Subnets"]
    err = error_of(ec2.delete_vpc, VpcId=old["VpcId"])
    assert err["Code"] == "DependencyViolation"
    err = error_of(ec2.create_default_vpc)
    assert err == {"Code": "DefaultVpcAlreadyExists",
                   "Message": "A Default VPC already exists for this account in this region.", "Status": 400}
    for subnet in subnets:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    # As on AWS, the default VPC's internet gateway is detached before the VPC can go.
    [gateway] = ec2.describe_internet_gateways()["InternetGateways"]
    ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=old["VpcId"])
    ec2.delete_vpc(VpcId=old["VpcId"])
    assert ec2.describe_vpcs()["Vpcs"] == []
    assert ec2.describe_security_groups()["SecurityGroups"] == []
    assert _default_vpc_attribute(ec2) == "none"
    err = error_of(launch, ec2)
    assert err == {"Code": "VPCIdNotSpecified", "Message": "No default VPC for this user", "Status": 400}
    err = error_of(launch, ec2, Placement={"AvailabilityZone": "us-east-1a"})
    assert err["Code"] == "VPCIdNotSpecified"
    err = error_of(ec2.describe_security_groups, GroupNames=["default"])
    assert err["Code"] == "VPCIdNotSpecified"
    err = error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1a")
    assert err == {"Code": "DefaultVpcDoesNotExist",
                   "Message": "No default VPC exists for this account in this region.", "Status": 400}
    assert ec2.describe_instances()["Reservations"] == []

    assert error_of(ec2.create_default_vpc, DryRun=True)["Code"] == "DryRunOperation"
    assert ec2.describe_vpcs()["Vpcs"] == []
    made = ec2.create_default_vpc()["Vpc"]
    assert made["IsDefault"] is True and made["State"] == "pending"
    assert made["CidrBlock"] == "172.31.0.0/16" and made["VpcId"] != old["VpcId"]
    assert _default_vpc(ec2)["VpcId"] == made["VpcId"] == _default_vpc_attribute(ec2)
    assert ec2.describe_vpc_attribute(VpcId=made["VpcId"], Attribute="enableDnsHostnames")[
        "EnableDnsHostnames"] == {"Value": True}
    new_subnets = ec2.describe_subnets()["Subnets"]
    assert sorted(s["AvailabilityZone"] for s in new_subnets) == sorted(s["AvailabilityZone"] for s in subnets)
    assert sorted(s["CidrBlock"] for s in new_subnets) == sorted(s["CidrBlock"] for s in subnets)
    assert all(s["DefaultForAz"] and s["MapPublicIpOnLaunch"] and s["VpcId"] == made["VpcId"] for s in new_subnets)
    assert not {s["SubnetId"] for s in new_subnets} & {s["SubnetId"] for s in subnets}
    [group] = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
    assert group["VpcId"] == made["VpcId"]
    [instance_id] = launch(ec2)
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert instance["VpcId"] == made["VpcId"]
    assert instance["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]


def test_create_default_subnet(ec2: Any) -> None:
    subnets = {s["AvailabilityZone"]: s for s in ec2.describe_subnets()["Subnets"]}
    err = error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1c")
    assert err == {"Code": "DefaultSubnetAlreadyExistsInAvailabilityZone",
                   "Message": "A default subnet already exists in availability zone us-east-1c.", "Status": 400}
    ec2.delete_subnet(SubnetId=subnets["us-east-1c"]["SubnetId"])
    err = error_of(launch, ec2, Placement={"AvailabilityZone": "us-east-1c"})
    assert err == {"Code": "InvalidInput",
                   "Message": "No default subnet for availability zone: 'us-east-1c'.", "Status": 400}
    assert error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1c", DryRun=True)["Code"] == "DryRunOperation"
    made = ec2.create_default_subnet(AvailabilityZoneId="use1-az1")["Subnet"]
    assert made["AvailabilityZone"] == "us-east-1c" and made["State"] == "available"
    assert made["DefaultForAz"] is True and made["MapPublicIpOnLaunch"] is True
    assert made["CidrBlock"] == subnets["us-east-1c"]["CidrBlock"]
    assert made["AvailableIpAddressCount"] == 4091
    assert made["SubnetId"] != subnets["us-east-1c"]["SubnetId"]
    assert launch(ec2, Placement={"AvailabilityZone": "us-east-1c"})
    assert error_of(ec2.create_default_subnet)["Code"] == "MissingParameter"
    assert error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1q")["Code"] == "InvalidParameterValue"
    err = error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1c", AvailabilityZoneId="use1-az1")
    assert err["Code"] == "InvalidParameterCombination"
    err = error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1c", Ipv6Native=True)
    assert err["Code"] == "UnsupportedOperation"


def test_a_default_subnet_takes_the_first_free_block(ec2: Any) -> None:
    vpc_id = _default_vpc(ec2)["VpcId"]
    subnets = {s["AvailabilityZone"]: s for s in ec2.describe_subnets()["Subnets"]}
    ec2.delete_subnet(SubnetId=subnets["us-east-1a"]["SubnetId"])
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="172.31.0.0/24", AvailabilityZone="us-east-1a")
    made = ec2.create_default_subnet(AvailabilityZone="us-east-1a")["Subnet"]
    taken = [ipaddress.ip_network(s["CidrBlock"]) for s in ec2.describe_subnets()["Subnets"]
             if s["SubnetId"] != made["SubnetId"]]
    block = ipaddress.ip_network(made["CidrBlock"])
    assert block.prefixlen == 20 and not any(block.overlaps(other) for other in taken)
    assert block == ipaddress.ip_network("172.31.96.0/20")


def test_tags_on_the_default_vpcs_group_and_rules_go_with_the_vpc(ec2: Any) -> None:
    vpc = _default_vpc(ec2)
    [group] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["SecurityGroups"]
    rule_ids = [rule["SecurityGroupRuleId"] for rule in ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group["GroupId"]]}])["SecurityGroupRules"]]
    ec2.create_tags(Resources=[group["GroupId"], *rule_ids], Tags=[{"Key": "team", "Value": "blue"}])
    assert len(ec2.describe_tags()["Tags"]) == 3
    for subnet in ec2.describe_subnets()["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    [gateway] = ec2.describe_internet_gateways()["InternetGateways"]
    ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc["VpcId"])
    ec2.delete_vpc(VpcId=vpc["VpcId"])
    assert ec2.describe_tags()["Tags"] == []
    assert ec2.describe_security_group_rules()["SecurityGroupRules"] == []
