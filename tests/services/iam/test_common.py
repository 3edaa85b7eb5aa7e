"""IAM's paging (:mod:`ec2emu.services.iam.common`): markers a client forged, the cases the
protocol fuzzer found, each named by its input, through boto3 against the app in-process."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import error_of


def marker(document: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


@pytest.fixture
def iam(make_client: Callable[..., Any]) -> Any:
    client = make_client(service="iam")
    client.create_user(UserName="fuzz-user")
    client.create_access_key(UserName="fuzz-user")
    client.create_group(GroupName="fuzz-group")
    client.add_user_to_group(UserName="fuzz-user", GroupName="fuzz-group")
    return client


FORGED = [{"after": {"a": 1}}, {"after": [1, [2]]}, {"after": 1e308}, {"after": True}, {"after": [None]},
          {"after": ["a", "b", "c"]}, {"after": 5}]


@pytest.mark.parametrize("document", FORGED, ids=[json.dumps(d) for d in FORGED])
def test_a_marker_whose_key_is_not_of_the_listing_form_is_invalid_input(iam: Any, document: Any) -> None:
    """``Marker`` = base64 of the document: it used to reach the database or a comparison
    (InternalError) from ListGroups, ListGroupsForUser, GetGroup, ListAccessKeys."""
    for call, kwargs in ((iam.list_groups, {}), (iam.list_groups_for_user, {"UserName": "fuzz-user"}),
                         (iam.get_group, {"GroupName": "fuzz-group"}),
                         (iam.list_access_keys, {"UserName": "fuzz-user"}), (iam.list_users, {})):
        error = error_of(call, Marker=marker(document), **kwargs)
        assert (error["Code"], error["Status"]) == ("InvalidInput", 400), (call, error)


def test_a_text_marker_on_a_listing_of_numbered_versions_is_invalid_input(iam: Any) -> None:
    """``{"after": "x"}`` against ListPolicyVersions, whose keys are whole numbers."""
    arn = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}))["Policy"]["Arn"]
    error = error_of(iam.list_policy_versions, PolicyArn=arn, Marker=marker({"after": "x"}))
    assert (error["Code"], error["Status"]) == ("InvalidInput", 400)


def test_markers_the_server_gave_still_page(iam: Any) -> None:
    for name in ("a-group", "b-group"):
        iam.create_group(GroupName=name)
    first = iam.list_groups(MaxItems=2)
    rest = iam.list_groups(Marker=first["Marker"])
    assert [g["GroupName"] for g in first["Groups"] + rest["Groups"]] == ["a-group", "b-group", "fuzz-group"]
    keys = iam.list_access_keys(UserName="fuzz-user", MaxItems=1)
    assert keys["IsTruncated"] is False
