"""The IAM policy engine: document validation and the evaluation matrix."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ec2emu.auth.arn import image_arn, instance_arn, parse_arn, security_group_arn, subnet_arn, volume_arn, vpc_arn
from ec2emu.auth.policy import Decision, evaluate, parse_policy
from ec2emu.errors import Ec2Error
from tests.helpers import error_of

INSTANCE = instance_arn("us-east-1", "111111111111", "i-0123456789abcdef0")
OTHER = instance_arn("eu-west-1", "111111111111", "i-0fedcba9876543210")


def policy(*statements: dict[str, Any], version: str = "2012-10-17") -> Any:
    return parse_policy({"Version": version, "Statement": list(statements)}, name="test")


def allow(**extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "ec2:*", "Resource": "*", **extra}


def decide(policies: list[Any], action: str = "ec2:TerminateInstances", resource: str = INSTANCE,
           **context: Any) -> Decision:
    return evaluate(policies, action, resource, context)


# ------------------------------------------------------------------ ARNs

def test_ec2_arns() -> None:
    assert INSTANCE == "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0"
    assert volume_arn("us-east-1", "1" * 12, "vol-1") == "arn:aws:ec2:us-east-1:111111111111:volume/vol-1"
    assert subnet_arn("us-east-1", "1" * 12, "subnet-1") == "arn:aws:ec2:us-east-1:111111111111:subnet/subnet-1"
    assert security_group_arn("us-east-1", "1" * 12, "sg-1") == \
        "arn:aws:ec2:us-east-1:111111111111:security-group/sg-1"
    assert vpc_arn("us-east-1", "1" * 12, "vpc-1") == "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-1"
    assert image_arn("us-east-1", "ami-1") == "arn:aws:ec2:us-east-1::image/ami-1"
    arn = parse_arn("arn:aws:iam::111111111111:user/a:b")
    assert arn is not None and (arn.service, arn.account, arn.resource) == ("iam", "111111111111", "user/a:b")
    assert parse_arn("not-an-arn") is None


# ------------------------------------------------------------------ validation

@pytest.mark.parametrize(("document", "message"), [
    ("{not json", "Syntax errors in policy."),
    ({"Version": "2012-10-18", "Statement": [allow()]}, "The policy failed legacy parsing"),
    ({"Version": "2012-10-17"}, "Syntax errors in policy."),
    ({"Version": "2012-10-17", "Statement": []}, "Syntax errors in policy."),
    ({"Version": "2012-10-17", "Statement": [allow()], "Extra": 1}, "Syntax errors in policy."),
    ({"Statement": [{"Effect": "Allows", "Action": "ec2:*", "Resource": "*"}]}, "Invalid effect: Allows"),
    ({"Statement": [{"Action": "ec2:*", "Resource": "*"}]}, "Missing required field Effect"),
    ({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "Policy statement must contain actions."),
    ({"Statement": [{"Effect": "Allow", "Action": "ec2:*", "NotAction": "s3:*", "Resource": "*"}]},
     "Syntax errors in policy."),
    ({"Statement": [{"Effect": "Allow", "Action": "TerminateInstances", "Resource": "*"}]},
     "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    ({"Statement": [{"Effect": "Allow", "Action": "ec2:*"}]}, "Policy statement must contain resources."),
    ({"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "i-123"}]},
     'Resource i-123 must be in ARN format or "*".'),
    ({"Statement": [allow(Principal={"AWS": "*"})]}, "Policy document should not specify a principal."),
    ({"Statement": [allow(Sid="a"), allow(Sid="a")]}, "Statement IDs (SID) in a single policy must be unique."),
    ({"Statement": [allow(Condition={"StringEqualz": {"aws:username": "a"}})]},
     "Invalid Condition type : StringEqualz."),
    ({"Statement": [allow(Condition={"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}})]},
     "Invalid Condition type : ForSomeValues:StringEquals."),
    ({"Statement": [allow(Condition={"StringEquals": "aws:username"})]}, "Syntax errors in policy."),
    ({"Statement": [allow(Condition={"StringEquals": {"aws:username": []}})]}, "Syntax errors in policy."),
    ({"Statement": [allow(Condition={"StringEquals": {"aws:username": {"a": 1}}})]}, "Syntax errors in policy."),
    ({"Statement": [allow(Action=[])]}, "Syntax errors in policy."),
])
def test_malformed_documents(document: Any, message: str) -> None:
    with pytest.raises(Ec2Error) as info:
        parse_policy(document)
    assert (info.value.code, info.value.message, info.value.status) == ("MalformedPolicyDocument", message, 400)


def test_valid_documents() -> None:
    parsed = parse_policy('{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*",'
                          '"NotResource":["arn:aws:iam::*:user/*"],"Condition":{"BoolIfExists":'
                          '{"aws:MultiFactorAuthPresent":false}}}}')
    [statement] = parsed.statements
    assert statement.not_action and statement.not_resource and statement.conditions[0].values == ("false",)
    trust = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]},
        kind="trust")
    assert trust.statements[0].resources is None
    with pytest.raises(Ec2Error):
        parse_policy({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}, kind="trust")


# ------------------------------------------------------------------ Allow / Deny / NotAction / NotResource

def test_implicit_deny_without_policies_or_matches() -> None:
    decision = decide([])
    assert (decision.allowed, decision.explicit_deny, decision.matched) == (False, False, ())
    decision = decide([policy({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})])
    assert (decision.allowed, decision.explicit_deny, decision.matched) == (False, False, ())


def test_allow_then_explicit_deny_wins_across_policies() -> None:
    allowing = policy(allow(Sid="All"))
    denying = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Sid": "NoTerminate", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}]},
        name="deny-terminate")
    decision = decide([allowing])
    assert decision.allowed and [m.sid for m in decision.matched] == ["All"]
    decision = decide([allowing, denying])
    assert (decision.allowed, decision.explicit_deny) == (False, True)
    assert [(m.policy, m.sid, m.effect) for m in decision.matched] == [
        ("test", "All", "Allow"), ("deny-terminate", "NoTerminate", "Deny")]
    assert decide([allowing, denying], action="ec2:StopInstances").allowed


@pytest.mark.parametrize(("pattern", "action", "hit"), [
    ("ec2:*", "ec2:TerminateInstances", True),
    ("ec2:terminate*", "ec2:TerminateInstances", True),  # actions are case-insensitive
    ("EC2:TERMINATEINSTANCES", "ec2:TerminateInstances", True),
    ("ec2:Describe*", "ec2:TerminateInstances", False),
    ("ec2:?topInstances", "ec2:StopInstances", True),
    ("ec2:?topInstances", "ec2:StartInstances", False),
    ("*", "iam:CreateUser", True),
    ("s3:*", "ec2:RunInstances", False),
])
def test_action_wildcards(pattern: str, action: str, hit: bool) -> None:
    assert decide([policy({"Effect": "Allow", "Action": pattern, "Resource": "*"})], action=action).allowed is hit


def test_not_action_allows_everything_else() -> None:
    p = [policy({"Effect": "Allow", "NotAction": ["ec2:Terminate*", "iam:*"], "Resource": "*"})]
    assert decide(p, action="ec2:StopInstances").allowed
    assert not decide(p, action="ec2:TerminateInstances").allowed
    assert not decide(p, action="iam:CreateUser").allowed
    deny_all_but = [policy(allow()), policy({"Effect": "Deny", "NotAction": "ec2:Describe*", "Resource": "*"})]
    assert decide(deny_all_but, action="ec2:DescribeInstances").allowed
    assert decide(deny_all_but, action="ec2:RunInstances").explicit_deny


@pytest.mark.parametrize(("pattern", "hit"), [
    ("*", True),
    ("arn:aws:ec2:*:*:instance/*", True),
    ("arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0", True),
    ("arn:aws:ec2:us-east-1:111111111111:instance/I-0123456789ABCDEF0", False),  # resources: case-sensitive
    ("arn:aws:ec2:us-east-1:111111111111:instance/i-????????????????0", True),
    ("arn:aws:ec2:us-east-1:222222222222:instance/*", False),
    ("arn:aws:ec2:*:*:volume/*", False),
    ("arn:aws:ec2:eu-*:*:instance/*", False),
    ("arn:aws:ec2:us-east-1:*:*", True),
    ("arn:aws:ec2:*:instance/i-*:*", False),  # a wildcard stays inside its own ARN field
])
def test_resource_wildcards(pattern: str, hit: bool) -> None:
    assert decide([policy({"Effect": "Allow", "Action": "ec2:*", "Resource": pattern})]).allowed is hit


def test_not_resource() -> None:
    p = [policy({"Effect": "Allow", "Action": "ec2:*", "NotResource": "arn:aws:ec2:eu-west-1:*:*"})]
    assert decide(p, resource=INSTANCE).allowed
    assert not decide(p, resource=OTHER).allowed


def test_policy_variables_in_resources() -> None:
    p = [policy({"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111111111111:user/${aws:username}"})]
    alice = "arn:aws:iam::111111111111:user/alice"
    assert decide(p, "iam:GetUser", alice, **{"aws:username": "alice"}).allowed
    assert not decide(p, "iam:GetUser", alice, **{"aws:username": "bob"}).allowed
    assert not decide(p, "iam:GetUser", alice).allowed  # variable absent: nothing matches
    assert not decide(p, "iam:GetUser", alice, **{"aws:username": "*"}).allowed  # substituted values are literal
    defaulted = [policy({"Effect": "Allow", "Action": "iam:*",
                         "Resource": "arn:aws:iam::111111111111:user/${aws:username, 'alice'}"})]
    assert decide(defaulted, "iam:GetUser", alice).allowed
    literal = [policy({"Effect": "Allow", "Action": "iam:*",
                       "Resource": "arn:aws:iam::111111111111:user/${aws:username}"}, version="2008-10-17")]
    assert not decide(literal, "iam:GetUser", alice, **{"aws:username": "alice"}).allowed
    assert decide(literal, "iam:GetUser", "arn:aws:iam::111111111111:user/${aws:username}",
                  **{"aws:username": "alice"}).allowed


# ------------------------------------------------------------------ conditions

CASES: list[tuple[str, Any, dict[str, Any], bool]] = [
    # operator, policy value(s), request context, allowed
    ("StringEquals", "prod", {"aws:ResourceTag/env": "prod"}, True),
    ("StringEquals", "prod", {"aws:ResourceTag/env": "Prod"}, False),
    ("StringEquals", ["dev", "prod"], {"aws:ResourceTag/env": "prod"}, True),  # values are OR'd
    ("StringEquals", "prod", {}, False),
    ("StringNotEquals", "prod", {"aws:ResourceTag/env": "dev"}, True),
    ("StringNotEquals", "prod", {"aws:ResourceTag/env": "prod"}, False),
    ("StringNotEquals", "prod", {}, True),  # negated operators hold for an absent key
    ("StringEqualsIgnoreCase", "PROD", {"aws:ResourceTag/env": "prod"}, True),
    ("StringNotEqualsIgnoreCase", "PROD", {"aws:ResourceTag/env": "prod"}, False),
    ("StringLike", "pr*", {"aws:ResourceTag/env": "prod"}, True),
    ("StringLike", "pr?d", {"aws:ResourceTag/env": "prod"}, True),
    ("StringLike", "pr?", {"aws:ResourceTag/env": "prod"}, False),
    ("StringNotLike", "d*", {"aws:ResourceTag/env": "prod"}, True),
    ("StringNotLike", "p*", {"aws:ResourceTag/env": "prod"}, False),
    ("StringEqualsIfExists", "prod", {}, True),
    ("StringEqualsIfExists", "prod", {"aws:ResourceTag/env": "dev"}, False),
    ("ArnEquals", "arn:aws:iam::111111111111:user/*", {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/a"}, True),
    ("ArnLike", "arn:aws:iam::*:user/a", {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/a"}, True),
    ("ArnLike", "arn:aws:iam::*:role/*", {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/a"}, False),
    ("ArnNotEquals", "arn:aws:iam::*:root", {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/a"}, True),
    ("ArnNotLike", "arn:aws:iam::*:user/*", {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/a"}, False),
    ("ArnLikeIfExists", "arn:aws:iam::*:user/*", {}, True),
    ("Bool", "true", {"aws:SecureTransport": "true"}, True),
    ("Bool", True, {"aws:SecureTransport": "TRUE"}, True),
    ("Bool", "true", {"aws:SecureTransport": "false"}, False),
    ("Bool", "true", {}, False),
    ("BoolIfExists", "true", {}, True),
    ("Null", "true", {}, True),
    ("Null", "true", {"aws:ResourceTag/env": "prod"}, False),
    ("Null", "false", {"aws:ResourceTag/env": "prod"}, True),
    ("Null", "false", {}, False),
    ("NumericEquals", "3", {"ec2:VolumeSize": "3.0"}, True),
    ("NumericNotEquals", "3", {"ec2:VolumeSize": "4"}, True),
    ("NumericLessThan", 10, {"ec2:VolumeSize": "9"}, True),
    ("NumericLessThan", "10", {"ec2:VolumeSize": "10"}, False),
    ("NumericLessThanEquals", "10", {"ec2:VolumeSize": "10"}, True),
    ("NumericGreaterThan", "10", {"ec2:VolumeSize": "11"}, True),
    ("NumericGreaterThanEquals", "10", {"ec2:VolumeSize": "9"}, False),
    ("NumericEquals", "ten", {"ec2:VolumeSize": "10"}, False),
    ("NumericLessThanIfExists", "10", {}, True),
    ("DateEquals", "2026-01-01T00:00:00Z", {"aws:CurrentTime": "2026-01-01T00:00:00+00:00"}, True),
    ("DateNotEquals", "2026-01-01T00:00:00Z", {"aws:CurrentTime": "2026-01-02T00:00:00Z"}, True),
    ("DateLessThan", "2026-06-01T00:00:00Z", {"aws:CurrentTime": "2026-01-01T12:00:00Z"}, True),
    ("DateLessThan", "2026-01-01T00:00:00Z", {"aws:CurrentTime": "2026-01-01T12:00:00Z"}, False),
    ("DateLessThanEquals", "2026-01-01T12:00:00Z", {"aws:CurrentTime": "2026-01-01T12:00:00Z"}, True),
    ("DateGreaterThan", "1767225600", {"aws:CurrentTime": "2026-01-01T12:00:00Z"}, True),  # epoch 2026-01-01
    ("DateGreaterThanEquals", "2027-01-01T00:00:00Z", {"aws:CurrentTime": "2026-01-01T12:00:00Z"}, False),
    ("DateLessThan", "not a date", {"aws:CurrentTime": "2026-01-01T12:00:00Z"}, False),
    ("IpAddress", "203.0.113.0/24", {"aws:SourceIp": "203.0.113.7"}, True),
    ("IpAddress", ["10.0.0.0/8", "203.0.113.0/24"], {"aws:SourceIp": "198.51.100.1"}, False),
    ("IpAddress", "2001:db8::/32", {"aws:SourceIp": "2001:db8::1"}, True),
    ("NotIpAddress", "203.0.113.0/24", {"aws:SourceIp": "198.51.100.1"}, True),
    ("NotIpAddress", "203.0.113.0/24", {"aws:SourceIp": "203.0.113.9"}, False),
    ("IpAddressIfExists", "203.0.113.0/24", {}, True),
    # set operators over a multi-valued key
    ("ForAllValues:StringEquals", ["env", "team"], {"aws:TagKeys": ["env", "team"]}, True),
    ("ForAllValues:StringEquals", ["env", "team"], {"aws:TagKeys": ["env", "owner"]}, False),
    ("ForAllValues:StringEquals", ["env"], {}, True),  # the empty set
    ("ForAnyValue:StringEquals", ["env"], {"aws:TagKeys": ["owner", "env"]}, True),
    ("ForAnyValue:StringEquals", ["env"], {"aws:TagKeys": ["owner"]}, False),
    ("ForAnyValue:StringEquals", ["env"], {}, False),
    ("ForAnyValue:StringLike", ["e*"], {"aws:TagKeys": ["owner", "env"]}, True),
    ("ForAllValues:StringLike", ["e*", "t*"], {"aws:TagKeys": ["env", "team"]}, True),
    ("ForAllValues:StringNotEquals", ["secret"], {"aws:TagKeys": ["env", "team"]}, True),
    ("ForAllValues:StringNotEquals", ["secret"], {"aws:TagKeys": ["env", "secret"]}, False),
    ("ForAnyValue:StringNotEquals", ["env"], {"aws:TagKeys": ["env", "team"]}, True),
]


@pytest.mark.parametrize(("operator", "values", "context", "allowed"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_condition_operators(operator: str, values: Any, context: dict[str, Any], allowed: bool) -> None:
    key = next(iter(context), None) or _default_key(operator)
    p = [policy(allow(Condition={operator: {key: values}}))]
    assert decide(p, **context).allowed is allowed


def _default_key(operator: str) -> str:
    base = operator.split(":")[-1]
    for prefix, key in [("String", "aws:ResourceTag/env"), ("Arn", "aws:PrincipalArn"), ("Bool", "aws:SecureTransport"),
                        ("Numeric", "ec2:VolumeSize"), ("Date", "aws:CurrentTime"), ("Ip", "aws:SourceIp"),
                        ("NotIp", "aws:SourceIp"), ("Null", "aws:ResourceTag/env")]:
        if base.startswith(prefix):
            return "aws:TagKeys" if operator.startswith("For") else key
    raise AssertionError(operator)


def test_condition_keys_are_anded_and_operators_are_anded() -> None:
    p = [policy(allow(Condition={
        "StringEquals": {"aws:RequestedRegion": "us-east-1", "ec2:ResourceTag/team": "web"},
        "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
    }))]
    ok = {"aws:RequestedRegion": "us-east-1", "ec2:ResourceTag/team": "web", "aws:SourceIp": "10.1.2.3"}
    assert decide(p, **ok).allowed
    for key, value in [("aws:RequestedRegion", "eu-west-1"), ("ec2:ResourceTag/team", "db"),
                       ("aws:SourceIp", "192.168.0.1")]:
        assert not decide(p, **{**ok, key: value}).allowed


def test_region_conditions_via_requested_region() -> None:
    p = [policy(allow(), {"Effect": "Deny", "Action": "*", "Resource": "*",
                          "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}})]
    assert decide(p, **{"aws:RequestedRegion": "us-west-2"}).allowed
    decision = decide(p, **{"aws:RequestedRegion": "eu-west-1"})
    assert (decision.allowed, decision.explicit_deny) == (False, True)


def test_tag_conditions_via_resource_tags() -> None:
    p = [policy({"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                 "Condition": {"StringEquals": {"ec2:ResourceTag/env": "dev"}}},
                {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:ResourceTag/protected": "true"}}})]
    assert decide(p, **{"ec2:ResourceTag/env": "dev", "aws:ResourceTag/env": "dev"}).allowed
    assert not decide(p, **{"ec2:ResourceTag/env": "prod"}).allowed
    assert decide(p, **{"EC2:RESOURCETAG/ENV": "dev"}).allowed  # key names are case-insensitive
    decision = decide(p, **{"ec2:ResourceTag/env": "dev", "aws:ResourceTag/protected": "true"})
    assert (decision.allowed, decision.explicit_deny) == (False, True)


def test_policy_variables_in_condition_values() -> None:
    p = [policy(allow(Condition={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}))]
    assert decide(p, **{"aws:ResourceTag/owner": "alice", "aws:username": "alice"}).allowed
    assert not decide(p, **{"aws:ResourceTag/owner": "alice", "aws:username": "bob"}).allowed


def test_decision_carries_what_an_authorization_message_needs() -> None:
    p = [policy(allow(Sid="A"))]
    decision = decide(p, **{"aws:RequestedRegion": "us-east-1"})
    assert decision.action == "ec2:TerminateInstances" and decision.resource == INSTANCE
    assert decision.context == {"aws:requestedregion": ("us-east-1",)}
    [matched] = decision.matched
    assert (matched.sid, matched.index, matched.effect, matched.statement["Resource"]) == ("A", 0, "Allow", "*")


@pytest.mark.parametrize(("effect", "operator", "key", "value", "allowed"), [
    # Dates at the ends of Python's range are dates: "never expires" is 9999-12-31.
    ("Allow", "DateLessThan", "aws:CurrentTime", "9999-12-31T23:59:59Z", True),
    ("Deny", "DateLessThan", "aws:CurrentTime", "9999-12-31T23:59:59Z", False),
    ("Allow", "DateGreaterThan", "aws:CurrentTime", "0001-01-01T00:00:00Z", True),
    ("Allow", "DateLessThan", "aws:EpochTime", "1e12", False),
    # A number may carry a sign or surrounding blanks.
    ("Deny", "NumericGreaterThan", "ec2:VolumeSize", "+100", False),
    ("Deny", "NumericGreaterThan", "ec2:VolumeSize", " 100", False),
])
def test_condition_values_at_the_ends_of_their_ranges(effect: str, operator: str, key: str, value: str,
                                                      allowed: bool) -> None:
    statements: list[dict[str, Any]] = [{"Effect": effect, "Action": "ec2:*", "Resource": "*",
                                         "Condition": {operator: {key: value}}}]
    if effect == "Deny":
        statements.insert(0, {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"})
    policy = parse_policy(json.dumps({"Version": "2012-10-17", "Statement": statements}))
    context = {"aws:CurrentTime": "2026-11-27T12:00:00Z", "aws:EpochTime": "1795780800", "ec2:VolumeSize": "500"}
    assert evaluate([policy], "ec2:CreateVolume", "*", context).allowed is allowed


@pytest.mark.parametrize("document", ["[" * 3000, '{"a":' * 3000, '{"Version": "2012-10-17", "Statement": ' + "[" * 3000],
                         ids=["3000-brackets", "3000-nested-objects", "statement-3000-brackets"])
def test_a_document_nested_3000_deep_is_a_syntax_error_through_iam(
        make_client: Any, document: str) -> None:
    """Found by the protocol fuzzer: JSON nested deeper than the parser recurses used to
    answer InternalError from CreatePolicy, CreateRole and PutUserPolicy."""
    iam = make_client(service="iam")
    iam.create_user(UserName="deep")
    syntax = {"Code": "MalformedPolicyDocument", "Message": "Syntax errors in policy.", "Status": 400}
    assert error_of(iam.create_policy, PolicyName="deep", PolicyDocument=document) == syntax
    assert error_of(iam.create_role, RoleName="deep", AssumeRolePolicyDocument=document) == syntax
    assert error_of(iam.put_user_policy, UserName="deep", PolicyName="deep", PolicyDocument=document) == syntax
    assert iam.list_policies(Scope="Local")["Policies"] == [] and iam.list_roles()["Roles"] == []
