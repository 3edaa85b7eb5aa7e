"""IAM members the other IAM tests leave alone, through boto3: a managed policy's tags
from CreatePolicy, a group's inline policies by name, and a role's new trust policy."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import error_of

ACCOUNT = "000000000000"
DOCUMENT = json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]})


def _trust(principal: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]}


def test_create_policy_keeps_its_tags(make_client: Any) -> None:
    iam = make_client(service="iam")
    created = iam.create_policy(PolicyName="tagged", PolicyDocument=DOCUMENT,
                                Tags=[{"Key": "team", "Value": "blue"}])["Policy"]
    assert created["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert iam.get_policy(PolicyArn=created["Arn"])["Policy"]["Tags"] == [{"Key": "team", "Value": "blue"}]


def test_list_group_policies_names_the_group_s_inline_policies(make_client: Any) -> None:
    iam = make_client(service="iam")
    for group in ("ops", "dev"):
        iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName="ops", PolicyName="describe", PolicyDocument=DOCUMENT)
    assert iam.list_group_policies(GroupName="ops")["PolicyNames"] == ["describe"]
    assert iam.list_group_policies(GroupName="dev")["PolicyNames"] == []
    assert error_of(iam.list_group_policies, GroupName="nobody")["Code"] == "NoSuchEntity"


def test_update_assume_role_policy_replaces_the_trust_policy(make_client: Any) -> None:
    iam = make_client(service="iam")
    first = _trust(f"arn:aws:iam::{ACCOUNT}:root")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(first))
    second = _trust("arn:aws:iam::111122223333:root")
    iam.update_assume_role_policy(RoleName="r", PolicyDocument=json.dumps(second))
    assert iam.get_role(RoleName="r")["Role"]["AssumeRolePolicyDocument"] == second
    assert error_of(iam.update_assume_role_policy, RoleName="nobody", PolicyDocument=json.dumps(second))[
        "Code"] == "NoSuchEntity"
