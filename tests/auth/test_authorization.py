"""The authorization engine: per-resource decisions, deny wins, session policies, the
global condition keys, and the encoded authorization message."""

from __future__ import annotations

import datetime as dt
import json

from ec2emu.auth import authorization_message
from ec2emu.auth.authorization import Resource, authorize, global_keys, needs_check, policy_of
from ec2emu.auth.credentials import Principal, root_principal, user_principal

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
ALICE = user_principal("111111111111", "alice")
INSTANCE = "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0"


def doc(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def keys(**extra: str) -> dict:
    base = global_keys(ALICE, "us-east-1", NOW, source_ip="10.1.2.3")
    base.update(extra)
    return base


def test_root_skips_checks_and_users_do_not() -> None:
    assert not needs_check(root_principal("111111111111"))
    assert not needs_check(None)
    assert needs_check(ALICE)


def test_global_keys_of_a_user() -> None:
    got = global_keys(ALICE, "eu-west-1", NOW, source_ip="10.1.2.3", principal_tags={"team": "red"})
    assert got["aws:RequestedRegion"] == "eu-west-1"
    assert got["aws:username"] == "alice"
    assert got["aws:userid"] == ALICE.user_id
    assert got["aws:PrincipalArn"] == "arn:aws:iam::111111111111:user/alice"
    assert got["aws:PrincipalAccount"] == "111111111111"
    assert got["aws:PrincipalTag/team"] == "red"
    assert got["aws:SourceIp"] == "10.1.2.3"
    assert got["aws:CurrentTime"] == "2026-05-01T12:00:00Z"
    assert got["aws:SecureTransport"] == "false"


def test_an_assumed_role_has_no_username_and_the_role_as_principal_arn() -> None:
    session = Principal("111111111111", "arn:aws:sts::111111111111:assumed-role/ops/s1", "assumed-role",
                        "AROAEXAMPLE:s1", None)
    got = global_keys(session, "us-east-1", NOW, source_ip=None,
                      principal_arn="arn:aws:iam::111111111111:role/ops")
    assert "aws:username" not in got and "aws:SourceIp" not in got
    assert got["aws:PrincipalArn"] == "arn:aws:iam::111111111111:role/ops"


def test_implicit_deny_allow_and_explicit_deny() -> None:
    allow = policy_of("p/allow", doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}))
    deny = policy_of("p/deny", doc({"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}))
    resources = [Resource(INSTANCE)]
    assert not authorize([], "ec2:TerminateInstances", resources, keys()).allowed
    assert authorize([allow], "ec2:TerminateInstances", resources, keys()).allowed
    verdict = authorize([allow, deny], "ec2:TerminateInstances", resources, keys())
    assert not verdict.allowed
    assert verdict.denied is not None and verdict.denied.explicit_deny


def test_one_refused_resource_refuses_the_request_and_is_the_one_reported() -> None:
    policy = policy_of("p", doc(
        {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*"},
        {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
         "Condition": {"StringEquals": {"ec2:ResourceTag/env": "prod"}}},
    ))
    dev = Resource(INSTANCE.replace("f0", "f1"), {"ec2:ResourceTag/env": "dev"})
    prod = Resource(INSTANCE.replace("f0", "f2"), {"ec2:ResourceTag/env": "prod"})
    untagged = Resource(INSTANCE.replace("f0", "f3"))
    verdict = authorize([policy], "ec2:TerminateInstances", [dev, prod, untagged], keys())
    assert [d.allowed for d in verdict.decisions] == [True, False, True]
    assert not verdict.allowed
    assert verdict.denied is not None and verdict.denied.resource == prod.arn


def test_global_keys_are_conditions_too() -> None:
    policy = policy_of("p", doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                                 "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"},
                                               "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}))
    assert not authorize([policy], "ec2:RunInstances", [Resource("*")], keys()).allowed
    assert authorize([policy], "ec2:RunInstances", [Resource("*")],
                     keys(**{"aws:RequestedRegion": "eu-west-1"})).allowed


def test_a_resource_may_be_checked_for_another_action() -> None:
    policy = policy_of("p", doc({"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}))
    tagged = [Resource("arn:aws:ec2:us-east-1:111111111111:instance/*"),
              Resource("arn:aws:ec2:us-east-1:111111111111:instance/*", {"ec2:CreateAction": "RunInstances"},
                       "ec2:CreateTags")]
    verdict = authorize([policy], "ec2:RunInstances", tagged, keys())
    assert not verdict.allowed
    assert verdict.denied is not None and verdict.denied.action == "ec2:CreateTags"


def test_a_session_policy_narrows_the_role() -> None:
    role = policy_of("role", doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}))
    session = policy_of("session", doc({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}))
    assert authorize([role], "ec2:DescribeInstances", [Resource("*")], keys(), [session]).allowed
    assert not authorize([role], "ec2:TerminateInstances", [Resource(INSTANCE)], keys(), [session]).allowed
    assert not authorize([], "ec2:DescribeInstances", [Resource("*")], keys(), [session]).allowed


def test_parsed_policies_are_cached_by_text() -> None:
    text = doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"})
    assert policy_of("same", text) is policy_of("same", text)
    changed = doc({"Effect": "Deny", "Action": "ec2:*", "Resource": "*"})
    assert policy_of("same", changed).statements[0].effect == "Deny"


def test_the_encoded_message_round_trips_and_refuses_tampering_and_other_accounts() -> None:
    policy = policy_of("arn:aws:iam::111111111111:policy/no-prod", doc(
        {"Sid": "NoProd", "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
         "Condition": {"StringEquals": {"ec2:ResourceTag/env": "prod"}}}))
    resource = Resource(INSTANCE, {"ec2:ResourceTag/env": "prod"})
    decision = authorize([policy], "ec2:TerminateInstances", [resource], keys()).decisions[0]
    context = {**keys(), **resource.keys}
    document = authorization_message.document(decision, ALICE, context)
    secret = b"k" * 32
    token = authorization_message.encode(secret, "111111111111", document)
    decoded = authorization_message.decode(secret, "111111111111", token)
    assert decoded == document
    assert decoded["allowed"] is False and decoded["explicitDeny"] is True
    assert decoded["context"]["action"] == "ec2:TerminateInstances"
    assert decoded["context"]["resource"] == INSTANCE
    assert decoded["context"]["principal"] == {"id": ALICE.user_id, "name": "alice", "arn": ALICE.arn}
    statement = decoded["matchedStatements"]["items"][0]
    assert statement["statementId"] == "NoProd" and statement["effect"] == "DENY"
    conditions = {c["key"]: [v["value"] for v in c["values"]["items"]]
                  for c in decoded["context"]["conditions"]["items"]}
    assert conditions["ec2:ResourceTag/env"] == ["prod"]
    assert conditions["aws:username"] == ["alice"]
    assert authorization_message.decode(secret, "222222222222", token) is None
    assert authorization_message.decode(b"x" * 32, "111111111111", token) is None
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert authorization_message.decode(secret, "111111111111", flipped) is None
    assert authorization_message.decode(secret, "111111111111", "not a message") is None
    assert authorization_message.decode(secret, "111111111111", "") is None
