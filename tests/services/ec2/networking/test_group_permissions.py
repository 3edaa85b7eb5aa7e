"""IAM on security groups: ``security-group/…`` ARNs with ``ec2:Vpc`` in the group actions,
``security-group/*`` at creation, and accounts never seeing each other's groups."""

from __future__ import annotations

from tests.helpers import error_of
from tests.services.ec2.networking.test_permissions import DESCRIBE
from tests.services.ec2.networking.test_permissions import _arn as arn
from tests.services.shared.test_permissions import ROOT_A, ROOT_B, Make, decoded, new_user


def test_group_actions_name_the_group_and_its_vpc(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    mine = root.create_security_group(GroupName="mine", Description="mine", VpcId=vpc)["GroupId"]
    other = root.create_security_group(GroupName="other", Description="other")["GroupId"]
    ec2 = make(new_user(make, "secops", DESCRIBE, {
        "Effect": "Allow", "Resource": arn("security-group", "*"),
        "Action": ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
        "Condition": {"StringEquals": {"ec2:Vpc": arn("vpc", vpc)}}}))
    permission = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
    ec2.authorize_security_group_ingress(GroupId=mine, IpPermissions=permission)
    error = error_of(ec2.authorize_security_group_ingress, GroupId=other, IpPermissions=permission)
    assert error["Code"] == "UnauthorizedOperation"
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == arn("security-group", other)
    ec2.revoke_security_group_ingress(GroupId=mine, IpPermissions=permission)
    assert error_of(ec2.delete_security_group, GroupId=other)["Code"] == "UnauthorizedOperation"
    ec2.delete_security_group(GroupId=mine)
    assert error_of(ec2.delete_security_group, GroupId=mine)["Code"] == "InvalidGroup.NotFound"


def test_create_needs_the_vpc_and_the_new_group(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    groups_only = make(new_user(make, "groups", {
        "Effect": "Allow", "Action": "ec2:CreateSecurityGroup", "Resource": arn("security-group", "*")}))
    assert error_of(groups_only.create_security_group, GroupName="a", Description="a", VpcId=vpc)["Code"] == (
        "UnauthorizedOperation")
    both = make(new_user(make, "builder", {
        "Effect": "Allow", "Action": "ec2:CreateSecurityGroup",
        "Resource": [arn("security-group", "*"), arn("vpc", vpc)]}))
    both.create_security_group(GroupName="a", Description="a", VpcId=vpc)
    tags = [{"ResourceType": "security-group", "Tags": [{"Key": "team", "Value": "red"}]}]
    assert error_of(both.create_security_group, GroupName="b", Description="b", VpcId=vpc,
                    TagSpecifications=tags)["Code"] == "UnauthorizedOperation"


def test_accounts_never_see_each_other_s_groups(make: Make) -> None:
    a, b = make(ROOT_A), make(ROOT_B)
    group_id = a.create_security_group(GroupName="web", Description="web")["GroupId"]
    assert group_id not in [g["GroupId"] for g in b.describe_security_groups()["SecurityGroups"]]
    assert error_of(b.describe_security_groups, GroupIds=[group_id])["Code"] == "InvalidGroup.NotFound"
    assert error_of(b.delete_security_group, GroupId=group_id)["Code"] == "InvalidGroup.NotFound"
    assert error_of(b.create_tags, Resources=[group_id], Tags=[{"Key": "k", "Value": "v"}])[
        "Code"] == "InvalidGroup.NotFound"
    b.create_security_group(GroupName="web", Description="web")
    rules = a.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    assert len(rules["SecurityGroupRules"]) == 1
    assert b.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])[
        "SecurityGroupRules"] == []
