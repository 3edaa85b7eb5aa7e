"""Security-group rules through boto3: Authorize/Revoke Ingress/Egress (IpPermissions and
the legacy flat form, rule IDs), ModifySecurityGroupRules, the description updates,
DescribeSecurityGroupRules, tags on rules, and bad input (AWS's error, nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of


@pytest.fixture
def vpc_id(ec2: Any) -> str:
    return str(ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])


@pytest.fixture
def group(ec2: Any, vpc_id: str) -> str:
    return str(ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc_id)["GroupId"])


def _ssh(cidr: str = "203.0.113.0/24", **extra: Any) -> dict[str, Any]:
    return {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr, **extra}]}


def _view(ec2: Any, group_id: str) -> dict[str, Any]:
    [found] = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"]
    return found


def _rules(ec2: Any, group_id: str) -> list[dict[str, Any]]:
    return list(ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"])


def test_authorize_ingress(ec2: Any, group: str) -> None:
    answer = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        _ssh(Description="ssh"),
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}],
         "PrefixListIds": [{"PrefixListId": "pl-0123456789abcdef0"}]},
    ])
    assert answer["Return"] is True
    rules = answer["SecurityGroupRules"]
    assert [rule["SecurityGroupRuleId"][:4] for rule in rules] == ["sgr-"] * 3
    assert all(len(rule["SecurityGroupRuleId"]) == 21 for rule in rules)
    assert rules[0] == {
        "SecurityGroupRuleId": rules[0]["SecurityGroupRuleId"], "GroupId": group, "GroupOwnerId": "000000000000",
        "IsEgress": False, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "203.0.113.0/24",
        "Description": "ssh",
        "SecurityGroupRuleArn": f"arn:aws:ec2:us-east-1:000000000000:security-group-rule/"
                                f"{rules[0]['SecurityGroupRuleId']}",
    }
    assert sorted(_view(ec2, group)["IpPermissions"], key=lambda p: p["FromPort"]) == [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.0/24",
                                                                          "Description": "ssh"}],
         "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [],
         "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}], "PrefixListIds": [{"PrefixListId": "pl-0123456789abcdef0"}],
         "UserIdGroupPairs": []},
    ]
    assert len(_rules(ec2, group)) == 4  # and the default outbound rule


def test_protocols_are_canonical(ec2: Any, group: str) -> None:
    rules = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        {"IpProtocol": "6", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "UDP", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "1", "FromPort": 8, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "50", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.1/8"}]},
    ])["SecurityGroupRules"]
    assert [(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in rules] == [
        ("tcp", 80, 80), ("udp", 53, 53), ("icmp", 8, -1), ("50", -1, -1), ("-1", -1, -1)]
    assert rules[-1]["CidrIpv4"] == "10.0.0.0/8"
    permissions = {p["IpProtocol"]: p for p in _view(ec2, group)["IpPermissions"]}
    assert "FromPort" not in permissions["-1"] and "FromPort" not in permissions["50"]


def test_duplicates(ec2: Any, group: str) -> None:
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[_ssh("0.0.0.0/0")])
    before = _rules(ec2, group)
    err = error_of(ec2.authorize_security_group_ingress, GroupId=group,
                   IpPermissions=[_ssh("0.0.0.0/0", Description="other words")])
    assert err == {"Code": "InvalidPermission.Duplicate",
                   "Message": 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" '
                              'already exists', "Status": 400}
    err = error_of(ec2.authorize_security_group_egress, GroupId=group,
                   IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    assert err["Message"] == 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists'
    err = error_of(ec2.authorize_security_group_ingress, GroupId=group, IpPermissions=[
        {"IpProtocol": "50", "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "10.1.2.3/8"}]}])
    assert err["Message"] == 'the specified rule "peer: 10.0.0.0/8, protocol: 50, ALLOW" already exists'
    assert _rules(ec2, group) == before


@pytest.mark.parametrize(("permission", "code"), [
    ({"IpProtocol": "tcp", "FromPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}, "InvalidParameterValue"),
    ({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 70000, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
     "InvalidParameterValue"),
    ({"IpProtocol": "tcp", "FromPort": 90, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
     "InvalidParameterValue"),
    ({"IpProtocol": "icmp", "FromPort": -1, "ToPort": 3, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
     "InvalidParameterValue"),
    ({"IpProtocol": "bogus", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}, "InvalidParameterValue"),
    ({"IpProtocol": "300", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}, "InvalidParameterValue"),
    ({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/33"}]}, "InvalidParameterValue"),
    ({"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "10.0.0.0/8"}]}, "InvalidParameterValue"),
    ({"IpProtocol": "-1", "PrefixListIds": [{"PrefixListId": "pl-zz"}]}, "InvalidParameterValue"),
    ({"IpProtocol": "-1"}, "MissingParameter"),
    ({"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-0123456789abcdef0"}]}, "InvalidGroup.NotFound"),
    ({"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-zz"}]}, "InvalidGroupId.Malformed"),
    ({"IpProtocol": "-1", "UserIdGroupPairs": [{"UserId": "123456789012", "GroupId": "sg-0123456789abcdef0"}]},
     "UnsupportedOperation"),
    ({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "é" * 300}]},
     "InvalidParameterValue"),
])
def test_bad_permissions_change_nothing(ec2: Any, group: str, permission: dict[str, Any], code: str) -> None:
    before = _rules(ec2, group)
    assert error_of(ec2.authorize_security_group_ingress, GroupId=group, IpPermissions=[permission])["Code"] == code
    assert _rules(ec2, group) == before


def test_a_peer_group_of_another_vpc(ec2: Any, group: str) -> None:
    elsewhere = ec2.create_security_group(GroupName="elsewhere", Description="x")["GroupId"]
    err = error_of(ec2.authorize_security_group_ingress, GroupId=group,
                   IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": elsewhere}]}])
    assert err["Code"] == "InvalidParameterValue"


def test_group_pairs(ec2: Any, vpc_id: str, group: str) -> None:
    peer = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc_id)["GroupId"]
    [rule] = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
         "UserIdGroupPairs": [{"GroupId": peer, "Description": "from app"}]}])["SecurityGroupRules"]
    assert rule["ReferencedGroupInfo"] == {"GroupId": peer, "UserId": "000000000000"}
    assert _view(ec2, group)["IpPermissions"][0]["UserIdGroupPairs"] == [
        {"GroupId": peer, "UserId": "000000000000", "Description": "from app"}]
    found = ec2.describe_security_groups(Filters=[{"Name": "ip-permission.group-id", "Values": [peer]}])
    assert [g["GroupId"] for g in found["SecurityGroups"]] == [group]


def test_the_legacy_flat_form(ec2: Any) -> None:
    ec2.create_security_group(GroupName="web", Description="web")
    ec2.create_security_group(GroupName="lb", Description="lb")
    ec2.authorize_security_group_ingress(GroupName="web", IpProtocol="tcp", FromPort=80, ToPort=80,
                                         CidrIp="0.0.0.0/0")
    rules = ec2.authorize_security_group_ingress(GroupName="web", SourceSecurityGroupName="lb")["SecurityGroupRules"]
    assert sorted((r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in rules) == [
        ("icmp", -1, -1), ("tcp", 0, 65535), ("udp", 0, 65535)]
    web = ec2.describe_security_groups(GroupNames=["web"])["SecurityGroups"][0]
    assert len(web["IpPermissions"]) == 4
    ec2.revoke_security_group_ingress(GroupName="web", IpProtocol="tcp", FromPort=80, ToPort=80,
                                      CidrIp="0.0.0.0/0")
    assert len(ec2.describe_security_groups(GroupNames=["web"])["SecurityGroups"][0]["IpPermissions"]) == 3
    err = error_of(ec2.authorize_security_group_egress, GroupId=web["GroupId"], IpProtocol="tcp", FromPort=80,
                   ToPort=80, CidrIp="0.0.0.0/0")
    assert err == {"Code": "UnsupportedOperation",
                   "Message": "The parameter IpProtocol is not supported by this endpoint.", "Status": 400}
    err = error_of(ec2.authorize_security_group_ingress, GroupName="web", IpProtocol="tcp", FromPort=81,
                   ToPort=81, CidrIp="0.0.0.0/0", IpPermissions=[_ssh()])
    assert err["Code"] == "InvalidParameterCombination"


def test_revoke_by_properties_and_by_id(ec2: Any, group: str) -> None:
    added = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        _ssh(Description="ssh"), _ssh("198.51.100.0/24")])["SecurityGroupRules"]
    answer = ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=[_ssh()])
    assert answer["Return"] is True
    assert answer["RevokedSecurityGroupRules"] == [{
        "SecurityGroupRuleId": added[0]["SecurityGroupRuleId"], "GroupId": group, "IsEgress": False,
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "203.0.113.0/24", "Description": "ssh"}]
    err = error_of(ec2.revoke_security_group_ingress, GroupId=group, IpPermissions=[_ssh()])
    assert err == {"Code": "InvalidPermission.NotFound",
                   "Message": "The specified rule does not exist in this security group.", "Status": 400}
    ec2.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[added[1]["SecurityGroupRuleId"]])
    assert _view(ec2, group)["IpPermissions"] == []
    err = error_of(ec2.revoke_security_group_ingress, GroupId=group,
                   SecurityGroupRuleIds=[added[1]["SecurityGroupRuleId"]])
    assert err["Code"] == "InvalidSecurityGroupRuleId.NotFound"
    assert error_of(ec2.revoke_security_group_ingress, GroupId=group, SecurityGroupRuleIds=["sgr-zz"])[
        "Code"] == "InvalidSecurityGroupRuleId.Malformed"
    [egress] = [r for r in _rules(ec2, group) if r["IsEgress"]]
    # An egress rule is not an ingress rule.
    assert error_of(ec2.revoke_security_group_ingress, GroupId=group,
                    SecurityGroupRuleIds=[egress["SecurityGroupRuleId"]])["Code"] == (
        "InvalidSecurityGroupRuleId.NotFound")
    ec2.revoke_security_group_egress(GroupId=group, SecurityGroupRuleIds=[egress["SecurityGroupRuleId"]])
    assert _view(ec2, group)["IpPermissionsEgress"] == []


def test_revoke_in_the_default_vpc_answers_unknown_rules(ec2: Any) -> None:
    group = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[_ssh()])
    answer = ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=[_ssh(), _ssh("192.0.2.0/24")])
    assert len(answer["RevokedSecurityGroupRules"]) == 1
    assert answer["UnknownIpPermissions"][0]["IpRanges"] == [{"CidrIp": "192.0.2.0/24"}]


def test_the_default_group_s_rules_can_change(ec2: Any) -> None:
    [default] = ec2.describe_security_groups()["SecurityGroups"]
    ec2.revoke_security_group_egress(GroupId=default["GroupId"],
                                     IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    after = _view(ec2, default["GroupId"])
    assert after["IpPermissionsEgress"] == [] and after["IpPermissions"] == default["IpPermissions"]


def test_modify_rules(ec2: Any, group: str) -> None:
    [first, second] = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
        _ssh(), _ssh("198.51.100.0/24")])["SecurityGroupRules"]
    ec2.modify_security_group_rules(GroupId=group, SecurityGroupRules=[{
        "SecurityGroupRuleId": first["SecurityGroupRuleId"],
        "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": 2222, "ToPort": 2222, "CidrIpv4": "192.0.2.0/24",
                              "Description": "moved"}}])
    [changed] = ec2.describe_security_group_rules(SecurityGroupRuleIds=[first["SecurityGroupRuleId"]])[
        "SecurityGroupRules"]
    assert (changed["FromPort"], changed["CidrIpv4"], changed["Description"]) == (2222, "192.0.2.0/24", "moved")
    err = error_of(ec2.modify_security_group_rules, GroupId=group, SecurityGroupRules=[{
        "SecurityGroupRuleId": first["SecurityGroupRuleId"],
        "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "198.51.100.0/24"}}])
    assert err["Code"] == "InvalidPermission.Duplicate"
    err = error_of(ec2.modify_security_group_rules, GroupId=group, SecurityGroupRules=[{
        "SecurityGroupRuleId": "sgr-0123456789abcdef0", "SecurityGroupRule": {"IpProtocol": "-1",
                                                                              "CidrIpv4": "0.0.0.0/0"}}])
    assert err["Code"] == "InvalidSecurityGroupRuleId.NotFound"
    assert ec2.describe_security_group_rules(SecurityGroupRuleIds=[first["SecurityGroupRuleId"]])[
        "SecurityGroupRules"] == [changed]


def test_update_descriptions(ec2: Any, group: str) -> None:
    [rule] = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[_ssh()])["SecurityGroupRules"]
    ec2.update_security_group_rule_descriptions_ingress(GroupId=group, IpPermissions=[_ssh(Description="admins")])
    assert _view(ec2, group)["IpPermissions"][0]["IpRanges"] == [{"CidrIp": "203.0.113.0/24",
                                                                  "Description": "admins"}]
    ec2.update_security_group_rule_descriptions_ingress(GroupId=group, SecurityGroupRuleDescriptions=[
        {"SecurityGroupRuleId": rule["SecurityGroupRuleId"], "Description": "ops"}])
    assert _view(ec2, group)["IpPermissions"][0]["IpRanges"][0]["Description"] == "ops"
    err = error_of(ec2.update_security_group_rule_descriptions_ingress, GroupId=group,
                   IpPermissions=[_ssh("192.0.2.0/24", Description="x")])
    assert err["Code"] == "InvalidPermission.NotFound"


def test_describe_rules_and_their_tags(ec2: Any, group: str) -> None:
    [rule] = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[_ssh()], TagSpecifications=[
        {"ResourceType": "security-group-rule", "Tags": [{"Key": "why", "Value": "ssh"}]}])["SecurityGroupRules"]
    assert rule["Tags"] == [{"Key": "why", "Value": "ssh"}]
    found = ec2.describe_security_group_rules(Filters=[{"Name": "tag:why", "Values": ["ssh"]}])["SecurityGroupRules"]
    assert [r["SecurityGroupRuleId"] for r in found] == [rule["SecurityGroupRuleId"]]
    ec2.create_tags(Resources=[rule["SecurityGroupRuleId"]], Tags=[{"Key": "more", "Value": "x"}])
    assert ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["security-group-rule"]}])["Tags"] != []
    assert error_of(ec2.describe_security_group_rules, SecurityGroupRuleIds=["sgr-0123456789abcdef0"])[
        "Code"] == "InvalidSecurityGroupRuleId.NotFound"
    every = [r["SecurityGroupRuleId"] for r in ec2.describe_security_group_rules()["SecurityGroupRules"]]
    assert every == sorted(every)
    first = ec2.describe_security_group_rules(MaxResults=5)
    assert len(first["SecurityGroupRules"]) == 5 and "NextToken" in first
    ec2.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]])
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [rule["SecurityGroupRuleId"]]}])[
        "Tags"] == []


def test_dry_runs_change_nothing(ec2: Any, group: str) -> None:
    before = _rules(ec2, group)
    assert error_of(ec2.authorize_security_group_ingress, GroupId=group, IpPermissions=[_ssh()],
                    DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.delete_security_group, GroupId=group, DryRun=True)["Code"] == "DryRunOperation"
    assert _rules(ec2, group) == before
