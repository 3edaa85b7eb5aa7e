"""IAM's listings through boto3, for the ``Marker``/``MaxItems`` paging and the
``PathPrefix`` filters the other IAM tests leave alone: each listing cut into pages gives
the whole listing once, in order; a prefix keeps only what lies under it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

ACCOUNT = "000000000000"
DOCUMENT = json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]})
TAGS = [{"Key": f"k{n}", "Value": "v"} for n in range(3)]


def _policies(iam: Any, *paths: str) -> list[str]:
    return [iam.create_policy(PolicyName=f"p{n}", Path=path, PolicyDocument=DOCUMENT)["Policy"]["Arn"]
            for n, path in enumerate(paths)]


def _group_users(iam: Any) -> dict[str, Any]:
    iam.create_group(GroupName="g")
    for name in ("u1", "u2", "u3"):
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="g", UserName=name)
    return {"GroupName": "g"}


def _user_groups(iam: Any) -> dict[str, Any]:
    iam.create_user(UserName="u")
    for name in ("g1", "g2", "g3"):
        iam.create_group(GroupName=name)
        iam.add_user_to_group(GroupName=name, UserName="u")
    return {"UserName": "u"}


def _access_keys(iam: Any) -> dict[str, Any]:
    iam.create_user(UserName="u")
    for _ in range(2):  # a user's quota
        iam.create_access_key(UserName="u")
    return {"UserName": "u"}


def _attached(kind: str) -> Callable[[Any], dict[str, Any]]:
    def setup(iam: Any) -> dict[str, Any]:
        _owner(iam, kind)
        for arn in _policies(iam, "/", "/", "/"):
            getattr(iam, f"attach_{kind}_policy")(**{f"{kind.capitalize()}Name": "o", "PolicyArn": arn})
        return {f"{kind.capitalize()}Name": "o"}
    return setup


def _inline(kind: str) -> Callable[[Any], dict[str, Any]]:
    def setup(iam: Any) -> dict[str, Any]:
        _owner(iam, kind)
        for n in range(3):
            getattr(iam, f"put_{kind}_policy")(**{f"{kind.capitalize()}Name": "o", "PolicyName": f"p{n}",
                                                  "PolicyDocument": DOCUMENT})
        return {f"{kind.capitalize()}Name": "o"}
    return setup


def _tagged(kind: str) -> Callable[[Any], dict[str, Any]]:
    def setup(iam: Any) -> dict[str, Any]:
        _owner(iam, kind)
        getattr(iam, f"tag_{kind}")(**{f"{_title(kind)}Name": "o", "Tags": TAGS})
        return {f"{_title(kind)}Name": "o"}
    return setup


def _title(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _owner(iam: Any, kind: str) -> None:
    if kind == "role":
        iam.create_role(RoleName="o", AssumeRolePolicyDocument=TRUST)
    else:
        getattr(iam, f"create_{kind}")(**{f"{_title(kind)}Name": "o"})


def _versions(iam: Any) -> dict[str, Any]:
    [arn] = _policies(iam, "/")
    for _ in range(2):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOCUMENT)
    return {"PolicyArn": arn}


def _many(kind: str) -> Callable[[Any], dict[str, Any]]:
    def setup(iam: Any) -> dict[str, Any]:
        for n in range(3):
            if kind == "role":
                iam.create_role(RoleName=f"r{n}", AssumeRolePolicyDocument=TRUST)
            else:
                iam.create_group(GroupName=f"g{n}")
        return {}
    return setup


# Operation -> (what makes three items or so, the answer's list).
LISTINGS: dict[str, tuple[Callable[[Any], dict[str, Any]], str]] = {
    "GetGroup": (_group_users, "Users"),
    "ListAccessKeys": (_access_keys, "AccessKeyMetadata"),
    "ListAttachedGroupPolicies": (_attached("group"), "AttachedPolicies"),
    "ListAttachedRolePolicies": (_attached("role"), "AttachedPolicies"),
    "ListAttachedUserPolicies": (_attached("user"), "AttachedPolicies"),
    "ListGroupPolicies": (_inline("group"), "PolicyNames"),
    "ListGroups": (_many("group"), "Groups"),
    "ListGroupsForUser": (_user_groups, "Groups"),
    "ListInstanceProfileTags": (_tagged("instance_profile"), "Tags"),
    "ListPolicyVersions": (_versions, "Versions"),
    "ListRolePolicies": (_inline("role"), "PolicyNames"),
    "ListRoleTags": (_tagged("role"), "Tags"),
    "ListRoles": (_many("role"), "Roles"),
    "ListUserTags": (_tagged("user"), "Tags"),
}


@pytest.mark.parametrize("operation", sorted(LISTINGS))
def test_marker_and_max_items_page_every_listing(make_client: Any, operation: str) -> None:
    iam = make_client(service="iam")
    setup, key = LISTINGS[operation]
    kwargs = setup(iam)
    call = getattr(iam, "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_"))
    whole = call(**kwargs)
    assert whole["IsTruncated"] is False and len(whole[key]) >= 2
    first = call(**kwargs, MaxItems=1)
    assert (first["IsTruncated"], first[key]) == (True, whole[key][:1])
    rest = call(**kwargs, MaxItems=100, Marker=first["Marker"])
    assert (rest["IsTruncated"], first[key] + rest[key]) == (False, whole[key])


def test_path_prefix_keeps_what_lies_under_it(make_client: Any) -> None:
    iam = make_client(service="iam")
    iam.create_group(GroupName="ops", Path="/team/")
    iam.create_group(GroupName="dev", Path="/")
    iam.create_role(RoleName="ops", Path="/team/", AssumeRolePolicyDocument=TRUST)
    iam.create_role(RoleName="dev", AssumeRolePolicyDocument=TRUST)
    assert [g["GroupName"] for g in iam.list_groups(PathPrefix="/team/")["Groups"]] == ["ops"]
    assert [r["RoleName"] for r in iam.list_roles(PathPrefix="/team/")["Roles"]] == ["ops"]
    under, elsewhere = _policies(iam, "/team/", "/other/")
    iam.create_user(UserName="u")
    for kind, name in (("group", "ops"), ("role", "ops"), ("user", "u")):
        for arn in (under, elsewhere):
            getattr(iam, f"attach_{kind}_policy")(**{f"{kind.capitalize()}Name": name, "PolicyArn": arn})
    assert iam.list_attached_group_policies(GroupName="ops", PathPrefix="/team/")["AttachedPolicies"] == [
        {"PolicyName": "p0", "PolicyArn": under}]
    assert iam.list_attached_role_policies(RoleName="ops", PathPrefix="/team/")["AttachedPolicies"] == [
        {"PolicyName": "p0", "PolicyArn": under}]
    assert iam.list_attached_user_policies(UserName="u", PathPrefix="/team/")["AttachedPolicies"] == [
        {"PolicyName": "p0", "PolicyArn": under}]
