"""IAM on VPCs and subnets: their ARNs in the new actions, ``ec2:Vpc`` and ``ec2:Subnet``
on RunInstances, tags at creation, and accounts never seeing each other's networks."""

from __future__ import annotations

from tests.helpers import error_of, launch
from tests.services.shared.test_permissions import ACCOUNT_A, EC2_ALL, ROOT_A, ROOT_B, Make, decoded, new_user

DESCRIBE = {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}


def _arn(kind: str, resource_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:{kind}/{resource_id}"


def test_vpc_actions_name_the_vpc(make: Make) -> None:
    root = make(ROOT_A)
    mine = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    other = root.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    ec2 = make(new_user(make, "netops", DESCRIBE, {
        "Effect": "Allow", "Resource": _arn("vpc", mine),
        "Action": ["ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcAttribute",
                   "ec2:AssociateVpcCidrBlock", "ec2:DisassociateVpcCidrBlock"]}))
    ec2.modify_vpc_attribute(VpcId=mine, EnableDnsHostnames={"Value": True})
    error = error_of(ec2.modify_vpc_attribute, VpcId=other, EnableDnsHostnames={"Value": True})
    assert error["Code"] == "UnauthorizedOperation"
    message = decoded(make, ROOT_A, error["Message"])
    assert message["context"]["resource"] == _arn("vpc", other)
    association = ec2.associate_vpc_cidr_block(VpcId=mine, CidrBlock="10.9.0.0/16")["CidrBlockAssociation"]
    ec2.disassociate_vpc_cidr_block(AssociationId=association["AssociationId"])
    assert error_of(ec2.associate_vpc_cidr_block, VpcId=other, CidrBlock="10.9.0.0/16")["Code"] == (
        "UnauthorizedOperation")
    assert error_of(ec2.create_vpc, CidrBlock="10.2.0.0/16")["Code"] == "UnauthorizedOperation"
    assert error_of(ec2.delete_vpc, VpcId=other)["Code"] == "UnauthorizedOperation"
    ec2.delete_vpc(VpcId=mine)
    # An ID that does not exist is left to the handler.
    assert error_of(ec2.delete_vpc, VpcId=mine)["Code"] == "InvalidVpcID.NotFound"


def test_create_subnet_needs_the_vpc_and_the_new_subnet(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets_only = make(new_user(make, "subnets", {
        "Effect": "Allow", "Action": "ec2:CreateSubnet", "Resource": _arn("subnet", "*")}))
    assert error_of(subnets_only.create_subnet, VpcId=vpc, CidrBlock="10.0.0.0/24")["Code"] == (
        "UnauthorizedOperation")
    both = make(new_user(make, "builder", {
        "Effect": "Allow", "Action": ["ec2:CreateSubnet", "ec2:DeleteSubnet"],
        "Resource": [_arn("subnet", "*"), _arn("vpc", vpc)],
        "Condition": {"StringEqualsIfExists": {"ec2:AvailabilityZone": "us-east-1a"}}}))
    subnet = both.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    assert error_of(both.create_subnet, VpcId=vpc, CidrBlock="10.0.1.0/24",
                    AvailabilityZone="us-east-1b")["Code"] == "UnauthorizedOperation"
    both.delete_subnet(SubnetId=subnet["SubnetId"])


def test_tags_at_creation_need_create_tags(make: Make) -> None:
    creator = make(new_user(make, "creator", {"Effect": "Allow", "Action": "ec2:CreateVpc", "Resource": "*"}))
    creator.create_vpc(CidrBlock="10.0.0.0/16")
    tags = [{"ResourceType": "vpc", "Tags": [{"Key": "team", "Value": "red"}]}]
    error = error_of(creator.create_vpc, CidrBlock="10.0.0.0/16", TagSpecifications=tags)
    assert decoded(make, ROOT_A, error["Message"])["context"]["action"] == "ec2:CreateTags"
    tagger = make(new_user(make, "tagger", {**EC2_ALL, "Condition": {
        "StringEqualsIfExists": {"aws:RequestTag/team": "red"}}}))
    assert tagger.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tags)["Vpc"]["Tags"]


def test_run_instances_checks_ec2_vpc_and_ec2_subnet(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    inside = root.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    outside = root.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    in_vpc = make(new_user(make, "in-vpc", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
        "Condition": {"ArnEqualsIfExists": {"ec2:Vpc": _arn("vpc", vpc)}}}))
    assert launch(in_vpc, SubnetId=inside)
    error = error_of(launch, in_vpc, SubnetId=outside["SubnetId"])
    assert error["Code"] == "UnauthorizedOperation"
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] in (
        _arn("subnet", outside["SubnetId"]), _arn("network-interface", "*"),
        _arn("security-group", root.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]))
    in_subnet = make(new_user(make, "in-subnet", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
        "Condition": {"ArnEqualsIfExists": {"ec2:Subnet": _arn("subnet", inside)}}}))
    assert launch(in_subnet, SubnetId=inside)
    error = error_of(launch, in_subnet, SubnetId=outside["SubnetId"])
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _arn("network-interface", "*")
    subnet_only = make(new_user(make, "subnet-arn", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "NotResource": _arn("subnet", outside["SubnetId"])}))
    assert launch(subnet_only, SubnetId=inside)
    assert error_of(launch, subnet_only, SubnetId=outside["SubnetId"])["Code"] == "UnauthorizedOperation"


def test_run_instances_checks_the_zone_named_by_its_id(make: Make) -> None:
    root = make(ROOT_A)
    [zone] = root.describe_availability_zones(ZoneNames=["us-east-1b"])["AvailabilityZones"]
    in_zone = make(new_user(make, "in-zone", DESCRIBE, {
        "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
        "Condition": {"StringEqualsIfExists": {"ec2:AvailabilityZone": "us-east-1b"}}}))
    [instance_id] = launch(in_zone, Placement={"AvailabilityZoneId": zone["ZoneId"]})
    assert root.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0][
        "Placement"]["AvailabilityZone"] == "us-east-1b"
    [other] = root.describe_availability_zones(ZoneNames=["us-east-1a"])["AvailabilityZones"]
    error = error_of(launch, in_zone, Placement={"AvailabilityZoneId": other["ZoneId"]})
    assert error["Code"] == "UnauthorizedOperation"
    assert error_of(launch, in_zone, Placement={"AvailabilityZoneId": "use1-az99"})["Code"] == "InvalidParameterValue"


def test_accounts_never_see_each_others_networks(make: Make) -> None:
    a, b = make(ROOT_A), make(ROOT_B)
    vpc = a.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = a.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    assert vpc not in {v["VpcId"] for v in b.describe_vpcs()["Vpcs"]}
    assert subnet not in {s["SubnetId"] for s in b.describe_subnets()["Subnets"]}
    assert error_of(b.describe_vpcs, VpcIds=[vpc])["Code"] == "InvalidVpcID.NotFound"
    assert error_of(b.delete_subnet, SubnetId=subnet)["Code"] == "InvalidSubnetID.NotFound"
    assert error_of(b.create_tags, Resources=[vpc], Tags=[{"Key": "k", "Value": "v"}])["Code"] == (
        "InvalidVpcID.NotFound")
    assert error_of(launch, b, SubnetId=subnet)["Code"] == "InvalidSubnetID.NotFound"
    assert len(b.describe_vpcs()["Vpcs"]) == 1
    a_default = a.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    assert b.describe_vpcs()["Vpcs"][0]["VpcId"] != a_default
