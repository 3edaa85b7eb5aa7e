"""Security groups through boto3: CreateSecurityGroup, DeleteSecurityGroup,
DescribeSecurityGroups, each VPC's default group (derived, then stored with the same ID),
the groups of instances, DeleteVpc with groups, tags, and bad input (AWS's error, nothing
changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, launch


@pytest.fixture
def vpc_id(ec2: Any) -> str:
    return str(ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])


def _group(ec2: Any, group_id: str) -> dict[str, Any]:
    [group] = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    return group


def _default(ec2: Any, vpc_id: str) -> dict[str, Any]:
    [group] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                    {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    return group


def _all(ec2: Any) -> list[dict[str, Any]]:
    return list(ec2.describe_security_groups()["SecurityGroups"])


def test_create_in_the_default_vpc(ec2: Any) -> None:
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    created = ec2.create_security_group(GroupName="web", Description="web servers",
                                        TagSpecifications=[{"ResourceType": "security-group",
                                                            "Tags": [{"Key": "Name", "Value": "web"}]}])
    group_id = created["GroupId"]
    assert group_id.startswith("sg-") and len(group_id) == 20
    assert created["Tags"] == [{"Key": "Name", "Value": "web"}]
    assert created["SecurityGroupArn"] == f"arn:aws:ec2:us-east-1:000000000000:security-group/{group_id}"
    assert _group(ec2, group_id) == {
        "GroupId": group_id, "GroupName": "web", "Description": "web servers", "OwnerId": "000000000000",
        "VpcId": default_vpc, "SecurityGroupArn": created["SecurityGroupArn"], "IpPermissions": [],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                                 "PrefixListIds": [], "UserIdGroupPairs": []}],
        "Tags": [{"Key": "Name", "Value": "web"}],
    }
    assert ec2.describe_security_groups(GroupNames=["web"])["SecurityGroups"] == [_group(ec2, group_id)]
    assert ec2.describe_security_groups(Filters=[{"Name": "tag:Name", "Values": ["web"]}])["SecurityGroups"][0][
        "GroupId"] == group_id
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [group_id]}])["Tags"] == [
        {"Key": "Name", "Value": "web", "ResourceId": group_id, "ResourceType": "security-group"}]


def test_the_default_group_keeps_its_id_once_stored(ec2: Any) -> None:
    before = _all(ec2)
    [default] = before
    ec2.create_security_group(GroupName="app", Description="app")
    after = {group["GroupId"]: group for group in _all(ec2)}
    assert after[default["GroupId"]] == default
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [default["GroupId"]]}])
    shapes = sorted((rule["IsEgress"], rule["IpProtocol"], rule["FromPort"], rule["ToPort"],
                     rule.get("CidrIpv4"), rule.get("ReferencedGroupInfo", {}).get("GroupId"))
                    for rule in rules["SecurityGroupRules"])
    assert shapes == [(False, "-1", -1, -1, None, default["GroupId"]), (True, "-1", -1, -1, "0.0.0.0/0", None)]


def test_create_in_a_vpc_and_its_default_group(ec2: Any, vpc_id: str) -> None:
    default = _default(ec2, vpc_id)
    assert default["Description"] == "default VPC security group"
    group_id = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc_id)["GroupId"]
    assert _default(ec2, vpc_id) == default
    assert _group(ec2, group_id)["VpcId"] == vpc_id
    in_vpc = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
    assert sorted(group["GroupId"] for group in in_vpc) == sorted([group_id, default["GroupId"]])
    # A VPC made once the groups are stored gets its default group as a row.
    other = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    assert _default(ec2, other)["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == _default(ec2, other)[
        "GroupId"]


def test_names_are_unique_per_vpc_case_insensitively(ec2: Any, vpc_id: str) -> None:
    ec2.create_security_group(GroupName="Web", Description="web", VpcId=vpc_id)
    err = error_of(ec2.create_security_group, GroupName="web", Description="web", VpcId=vpc_id)
    assert err == {"Code": "InvalidGroup.Duplicate",
                   "Message": f"The security group 'web' already exists for VPC '{vpc_id}'", "Status": 400}
    ec2.create_security_group(GroupName="web", Description="web")  # another VPC
    err = error_of(ec2.create_security_group, GroupName="default", Description="x", VpcId=vpc_id)
    assert err["Code"] == "InvalidGroup.Reserved"
    # A trailing space is dropped.
    err = error_of(ec2.create_security_group, GroupName="Web ", Description="web", VpcId=vpc_id)
    assert err["Code"] == "InvalidGroup.Duplicate"


@pytest.mark.parametrize(("name", "description", "code"), [
    ("sg-web", "x", "InvalidParameterValue"),
    ("w" * 256, "x", "InvalidParameterValue"),
    ("web", "é", "InvalidParameterValue"),
    ("wéb", "x", "InvalidParameterValue"),
])
def test_bad_names_and_descriptions(ec2: Any, name: str, description: str, code: str) -> None:
    before = _all(ec2)
    assert error_of(ec2.create_security_group, GroupName=name, Description=description)["Code"] == code
    assert _all(ec2) == before


def test_create_in_an_unknown_vpc_or_without_a_default_one(ec2: Any) -> None:
    err = error_of(ec2.create_security_group, GroupName="a", Description="a", VpcId="vpc-0123456789abcdef0")
    assert err == {"Code": "InvalidVpcID.NotFound", "Message": "The vpc ID 'vpc-0123456789abcdef0' does not exist",
                   "Status": 400}
    default_vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    for subnet in ec2.describe_subnets()["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    # As on AWS, the default VPC's internet gateway is detached before the VPC can go.
    [gateway] = ec2.describe_internet_gateways()["InternetGateways"]
    ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=default_vpc)
    ec2.delete_vpc(VpcId=default_vpc)
    assert error_of(ec2.create_security_group, GroupName="a", Description="a")["Code"] == "VPCIdNotSpecified"
    assert _all(ec2) == []


def test_dry_run_creates_nothing(ec2: Any) -> None:
    before = _all(ec2)
    err = error_of(ec2.create_security_group, GroupName="a", Description="a", DryRun=True)
    assert err["Code"] == "DryRunOperation"
    assert _all(ec2) == before


def test_delete_by_id_and_by_name(ec2: Any, vpc_id: str) -> None:
    first = ec2.create_security_group(GroupName="one", Description="one", VpcId=vpc_id)["GroupId"]
    assert ec2.delete_security_group(GroupId=first)["GroupId"] == first
    ec2.create_security_group(GroupName="two", Description="two")
    second = ec2.describe_security_groups(GroupNames=["two"])["SecurityGroups"][0]["GroupId"]
    ec2.delete_security_group(GroupName="two")
    for gone in (first, second):
        err = error_of(ec2.describe_security_groups, GroupIds=[gone])
        assert err == {"Code": "InvalidGroup.NotFound", "Message": f"The security group '{gone}' does not exist",
                       "Status": 400}
    err = error_of(ec2.delete_security_group, GroupId=first)
    assert err["Code"] == "InvalidGroup.NotFound"
    err = error_of(ec2.delete_security_group, GroupId="sg-zz")
    assert err["Code"] == "InvalidGroupId.Malformed"
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    err = error_of(ec2.delete_security_group, GroupName="nope")
    assert err == {"Code": "InvalidGroup.NotFound",
                   "Message": f"The security group 'nope' does not exist in default VPC '{default_vpc}'",
                   "Status": 400}
    assert error_of(ec2.delete_security_group)["Code"] == "MissingParameter"


def test_the_default_group_cannot_be_deleted(ec2: Any, vpc_id: str) -> None:
    default = _default(ec2, vpc_id)
    err = error_of(ec2.delete_security_group, GroupId=default["GroupId"])
    assert err == {"Code": "CannotDelete",
                   "Message": f'the specified group: "{default["GroupId"]}" name: "default" cannot be deleted by a user',
                   "Status": 400}
    assert _default(ec2, vpc_id) == default


def test_a_group_in_use_cannot_be_deleted(ec2: Any, clock: Any) -> None:
    group_id = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    [instance] = launch(ec2, SecurityGroupIds=[group_id])
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert described["SecurityGroups"] == [{"GroupId": group_id, "GroupName": "web"}]
    err = error_of(ec2.delete_security_group, GroupId=group_id)
    assert err == {"Code": "DependencyViolation", "Message": f"resource {group_id} has a dependent object",
                   "Status": 400}
    ec2.terminate_instances(InstanceIds=[instance])
    assert error_of(ec2.delete_security_group, GroupId=group_id)["Code"] == "DependencyViolation"
    clock.advance(3600)
    ec2.delete_security_group(GroupId=group_id)


def test_a_group_another_refers_to_cannot_be_deleted(ec2: Any, vpc_id: str) -> None:
    target = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc_id)["GroupId"]
    source = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=source, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": target}]}])
    assert error_of(ec2.delete_security_group, GroupId=target)["Code"] == "DependencyViolation"
    ec2.delete_security_group(GroupId=source)
    ec2.delete_security_group(GroupId=target)


def test_launch_with_groups(ec2: Any, vpc_id: str) -> None:
    web = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    ssh = ec2.create_security_group(GroupName="ssh", Description="ssh")["GroupId"]
    [instance] = launch(ec2, SecurityGroups=["web", "ssh"])
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert described["SecurityGroups"] == [{"GroupId": web, "GroupName": "web"},
                                           {"GroupId": ssh, "GroupName": "ssh"}]
    other = ec2.create_security_group(GroupName="other", Description="other", VpcId=vpc_id)["GroupId"]
    err = error_of(launch, ec2, SecurityGroupIds=[other])
    assert err == {"Code": "InvalidGroup.NotFound", "Message": f"The security group '{other}' does not exist",
                   "Status": 400}
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    [inside] = launch(ec2, SubnetId=subnet, SecurityGroupIds=[other])
    assert ec2.describe_instances(InstanceIds=[inside])["Reservations"][0]["Instances"][0]["SecurityGroups"] == [
        {"GroupId": other, "GroupName": "other"}]
    assert error_of(launch, ec2, SubnetId=subnet, SecurityGroupIds=[web])["Code"] == "InvalidGroup.NotFound"
    assert len(ec2.describe_instances()["Reservations"]) == 2


def test_modify_instance_groups(ec2: Any, vpc_id: str) -> None:
    web = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    [instance] = launch(ec2)
    ec2.modify_instance_attribute(InstanceId=instance, Groups=[web])
    assert ec2.describe_instance_attribute(InstanceId=instance, Attribute="groupSet")["Groups"] == [
        {"GroupId": web, "GroupName": "web"}]
    other = ec2.create_security_group(GroupName="other", Description="other", VpcId=vpc_id)["GroupId"]
    assert error_of(ec2.modify_instance_attribute, InstanceId=instance, Groups=[other])[
        "Code"] == "InvalidGroup.NotFound"
    assert error_of(ec2.modify_instance_attribute, InstanceId=instance, Groups=["sg-zz"])[
        "Code"] == "InvalidGroupId.Malformed"
    extra = [ec2.create_security_group(GroupName=f"g{n}", Description="g")["GroupId"] for n in range(5)]
    err = error_of(ec2.modify_instance_attribute, InstanceId=instance, Groups=[web, *extra])
    assert err["Code"] == "SecurityGroupsPerInterfaceLimitExceeded"
    assert ec2.describe_instance_attribute(InstanceId=instance, Attribute="groupSet")["Groups"] == [
        {"GroupId": web, "GroupName": "web"}]
    # The group the instance used is free again.
    ec2.modify_instance_attribute(InstanceId=instance, Groups=[extra[0]])
    ec2.delete_security_group(GroupId=web)


def test_delete_vpc_with_groups(ec2: Any, vpc_id: str) -> None:
    default = _default(ec2, vpc_id)["GroupId"]
    group_id = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc_id)["GroupId"]
    err = error_of(ec2.delete_vpc, VpcId=vpc_id)
    assert err == {"Code": "DependencyViolation",
                   "Message": f"The vpc '{vpc_id}' has dependencies and cannot be deleted.", "Status": 400}
    ec2.delete_security_group(GroupId=group_id)
    ec2.delete_vpc(VpcId=vpc_id)
    assert error_of(ec2.describe_security_groups, GroupIds=[default])["Code"] == "InvalidGroup.NotFound"


def test_describe_filters_and_paging(ec2: Any, vpc_id: str) -> None:
    made = [ec2.create_security_group(GroupName=f"g{n}", Description=f"group {n}", VpcId=vpc_id)["GroupId"]
            for n in range(6)]
    ec2.authorize_security_group_ingress(GroupId=made[0], IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}])
    every = sorted(group["GroupId"] for group in _all(ec2))
    first = ec2.describe_security_groups(MaxResults=5)
    second = ec2.describe_security_groups(MaxResults=5, NextToken=first["NextToken"])
    assert [g["GroupId"] for g in first["SecurityGroups"] + second["SecurityGroups"]] == every
    by = {
        "group-name": (["g1", "g2"], made[1:3]),
        "description": (["group 3"], made[3:4]),
        "ip-permission.cidr": (["203.0.113.0/24"], made[0:1]),
        "ip-permission.from-port": (["22"], made[0:1]),
        "group-id": ([made[4]], made[4:5]),
    }
    for name, (values, expected) in by.items():
        found = ec2.describe_security_groups(Filters=[{"Name": name, "Values": values}])["SecurityGroups"]
        assert sorted(g["GroupId"] for g in found) == sorted(expected), name
    assert error_of(ec2.describe_security_groups, Filters=[{"Name": "nope", "Values": ["x"]}])[
        "Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_security_groups, GroupIds=[made[0]], MaxResults=5)[
        "Code"] == "InvalidParameterCombination"


def test_tags_on_groups(ec2: Any) -> None:
    [default] = _all(ec2)
    ec2.create_tags(Resources=[default["GroupId"]], Tags=[{"Key": "team", "Value": "a"}])
    group_id = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    ec2.create_tags(Resources=[group_id], Tags=[{"Key": "team", "Value": "b"}])
    found = ec2.describe_security_groups(Filters=[{"Name": "tag:team", "Values": ["a", "b"]}])["SecurityGroups"]
    assert sorted(g["GroupId"] for g in found) == sorted([default["GroupId"], group_id])
    ec2.delete_tags(Resources=[group_id], Tags=[{"Key": "team"}])
    assert "Tags" not in _group(ec2, group_id)
    err = error_of(ec2.create_tags, Resources=["sg-0123456789abcdef0"], Tags=[{"Key": "k", "Value": "v"}])
    assert err["Code"] == "InvalidGroup.NotFound"

