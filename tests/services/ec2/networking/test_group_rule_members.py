"""Security-group rule members the other rule tests leave alone, through boto3: outbound
rules by ``IpPermissions`` with their tags, outbound descriptions by rule ID and by
properties, descriptions by ``GroupName`` in the default VPC, and the legacy ingress
form's ``SourceSecurityGroupOwnerId`` (the caller's account only)."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of

ACCOUNT = "000000000000"
HTTPS = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "198.51.100.0/24"}]}


def _group(ec2: Any, name: str, vpc_id: str | None = None) -> str:
    kwargs = {"VpcId": vpc_id} if vpc_id else {}
    return str(ec2.create_security_group(GroupName=name, Description=name, **kwargs)["GroupId"])


def _rules(ec2: Any, group_id: str, *, egress: bool) -> list[dict[str, Any]]:
    found = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    return [rule for rule in found["SecurityGroupRules"] if rule["IsEgress"] is egress]


def test_egress_rules_by_permissions_with_tags(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = _group(ec2, "out", vpc_id)
    [rule] = ec2.authorize_security_group_egress(GroupId=group, IpPermissions=[HTTPS], TagSpecifications=[
        {"ResourceType": "security-group-rule", "Tags": [{"Key": "why", "Value": "https"}]}])["SecurityGroupRules"]
    assert (rule["IsEgress"], rule["CidrIpv4"], rule["FromPort"], rule["Tags"]) == (
        True, "198.51.100.0/24", 443, [{"Key": "why", "Value": "https"}])
    assert rule in _rules(ec2, group, egress=True)
    ec2.revoke_security_group_egress(GroupId=group, IpPermissions=[HTTPS])
    assert rule["SecurityGroupRuleId"] not in {r["SecurityGroupRuleId"] for r in _rules(ec2, group, egress=True)}


def test_egress_descriptions_by_rule_id_and_by_permissions(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = _group(ec2, "out", vpc_id)
    [rule] = ec2.authorize_security_group_egress(GroupId=group, IpPermissions=[HTTPS])["SecurityGroupRules"]
    ec2.update_security_group_rule_descriptions_egress(GroupId=group, SecurityGroupRuleDescriptions=[
        {"SecurityGroupRuleId": rule["SecurityGroupRuleId"], "Description": "by id"}])
    [described] = [r for r in _rules(ec2, group, egress=True) if r["SecurityGroupRuleId"] == rule["SecurityGroupRuleId"]]
    assert described["Description"] == "by id"
    ec2.update_security_group_rule_descriptions_egress(GroupId=group, IpPermissions=[
        {**HTTPS, "IpRanges": [{"CidrIp": "198.51.100.0/24", "Description": "by properties"}]}])
    [described] = [r for r in _rules(ec2, group, egress=True) if r["SecurityGroupRuleId"] == rule["SecurityGroupRuleId"]]
    assert described["Description"] == "by properties"


def test_descriptions_by_group_name_in_the_default_vpc(ec2: Any) -> None:
    group = _group(ec2, "named")
    [inbound] = ec2.authorize_security_group_ingress(GroupName="named", IpPermissions=[HTTPS])["SecurityGroupRules"]
    [outbound] = ec2.authorize_security_group_egress(GroupId=group, IpPermissions=[HTTPS])["SecurityGroupRules"]
    ec2.update_security_group_rule_descriptions_ingress(GroupName="named", SecurityGroupRuleDescriptions=[
        {"SecurityGroupRuleId": inbound["SecurityGroupRuleId"], "Description": "in"}])
    ec2.update_security_group_rule_descriptions_egress(GroupName="named", SecurityGroupRuleDescriptions=[
        {"SecurityGroupRuleId": outbound["SecurityGroupRuleId"], "Description": "out"}])
    described = {r["SecurityGroupRuleId"]: r.get("Description") for r in
                 _rules(ec2, group, egress=True) + _rules(ec2, group, egress=False)}
    assert (described[inbound["SecurityGroupRuleId"]], described[outbound["SecurityGroupRuleId"]]) == ("in", "out")


def test_the_source_group_owner_is_the_caller_s_account(ec2: Any) -> None:
    group = _group(ec2, "target")
    _group(ec2, "peer")
    ec2.authorize_security_group_ingress(GroupName="target", SourceSecurityGroupName="peer",
                                         SourceSecurityGroupOwnerId=ACCOUNT, IpProtocol="tcp", FromPort=5432,
                                         ToPort=5432)
    [rule] = _rules(ec2, group, egress=False)
    assert (rule["FromPort"], rule["ReferencedGroupInfo"]["UserId"]) == (5432, ACCOUNT)
    before = _rules(ec2, group, egress=False)
    assert error_of(ec2.authorize_security_group_ingress, GroupName="target", SourceSecurityGroupName="peer",
                    SourceSecurityGroupOwnerId="111122223333", IpProtocol="tcp", FromPort=22, ToPort=22) == {
        "Code": "UnsupportedOperation", "Message": "The parameter SourceSecurityGroupOwnerId is not supported by this "
                                                   "endpoint.", "Status": 400}
    assert error_of(ec2.revoke_security_group_ingress, GroupName="target", SourceSecurityGroupName="peer",
                    SourceSecurityGroupOwnerId="111122223333", IpProtocol="tcp", FromPort=5432, ToPort=5432)[
        "Code"] == "UnsupportedOperation"
    assert _rules(ec2, group, egress=False) == before
    ec2.revoke_security_group_ingress(GroupName="target", SourceSecurityGroupName="peer",
                                      SourceSecurityGroupOwnerId=ACCOUNT, IpProtocol="tcp", FromPort=5432, ToPort=5432)
    assert _rules(ec2, group, egress=False) == []


def test_peering_members_of_a_group_pair_are_refused_by_name(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group, peer = _group(ec2, "target", vpc_id), _group(ec2, "peer", vpc_id)
    before = _rules(ec2, group, egress=False)
    for name, value in (("VpcId", vpc_id), ("VpcPeeringConnectionId", "pcx-0123456789abcdef0"),
                        ("PeeringStatus", "active"), ("UserId", "111122223333")):
        permission = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                      "UserIdGroupPairs": [{"GroupId": peer, name: value}]}
        assert error_of(ec2.authorize_security_group_ingress, GroupId=group, IpPermissions=[permission]) == {
            "Code": "UnsupportedOperation", "Status": 400,
            "Message": f"The parameter UserIdGroupPairs.{name} is not supported by this endpoint."}
    assert _rules(ec2, group, egress=False) == before
