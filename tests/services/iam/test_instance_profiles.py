"""IAM instance profiles through boto3: create, get, list (paths, paging), the one role a
profile holds, tags, deletion and its conflicts (the profile's role, a role in a profile),
IAM's errors (code, message, status) with nothing changed, accounts kept apart, and the
permissions they ask for (``iam:PassRole`` to put a role in a profile)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from ec2emu.lifecycle.clock import ManualClock
from tests.helpers import error_of
from tests.services.shared import test_permissions as shared
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, ROOT_B, new_user

# The accounts of ``examples/accounts.toml`` and their clients, as the shared permission tests have them.
app, make = shared.app, shared.make

ACCOUNT = "000000000000"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
ROLE_FIRST = {"Code": "DeleteConflict", "Message": "Cannot delete entity, must remove roles from instance profile first.",
              "Status": 409}


@pytest.fixture
def iam(make_client: Callable[..., Any]) -> Any:
    return make_client(service="iam")


def _missing(name: str) -> dict[str, Any]:
    return {"Code": "NoSuchEntity", "Message": f"Instance Profile {name} cannot be found.", "Status": 404}


def _names(profiles: list[dict[str, Any]]) -> list[str]:
    return [profile["InstanceProfileName"] for profile in profiles]


def test_create_get_list_delete_a_profile(iam: Any, clock: ManualClock) -> None:
    profile = iam.create_instance_profile(InstanceProfileName="web", Path="/app/",
                                          Tags=[{"Key": "team", "Value": "red"}])["InstanceProfile"]
    assert re.fullmatch(r"AIPA[A-Z0-9]{17}", profile["InstanceProfileId"])
    assert profile == {
        "Path": "/app/", "InstanceProfileName": "web", "InstanceProfileId": profile["InstanceProfileId"],
        "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/app/web", "CreateDate": clock.now(), "Roles": [],
        "Tags": [{"Key": "team", "Value": "red"}],
    }
    assert iam.get_instance_profile(InstanceProfileName="WEB")["InstanceProfile"] == profile
    listed = iam.list_instance_profiles()
    assert (_names(listed["InstanceProfiles"]), listed["IsTruncated"]) == (["web"], False)
    assert error_of(iam.create_instance_profile, InstanceProfileName="Web") == {
        "Code": "EntityAlreadyExists", "Message": "Instance Profile Web already exists.", "Status": 409}
    iam.delete_instance_profile(InstanceProfileName="web")
    assert error_of(iam.get_instance_profile, InstanceProfileName="web") == _missing("web")
    assert error_of(iam.delete_instance_profile, InstanceProfileName="web") == _missing("web")
    assert iam.list_instance_profiles()["InstanceProfiles"] == []


def test_bad_names_are_validation_errors(iam: Any) -> None:
    error = error_of(iam.create_instance_profile, InstanceProfileName="bad name")
    assert error == {"Code": "ValidationError", "Status": 400, "Message": (
        "1 validation error detected: Value 'bad name' at 'instanceProfileName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]+")}
    assert iam.list_instance_profiles()["InstanceProfiles"] == []


def test_listings_page_and_filter_by_path(iam: Any) -> None:
    for name, path in [("d", "/"), ("b", "/app/"), ("a", "/app/web/"), ("c", "/ops/"), ("e", "/app/")]:
        iam.create_instance_profile(InstanceProfileName=name, Path=path)
    first = iam.list_instance_profiles(MaxItems=2)
    assert (_names(first["InstanceProfiles"]), first["IsTruncated"]) == (["a", "b"], True)
    rest = iam.list_instance_profiles(Marker=first["Marker"])
    assert (_names(rest["InstanceProfiles"]), rest["IsTruncated"]) == (["c", "d", "e"], False)
    assert _names(iam.list_instance_profiles(PathPrefix="/app/")["InstanceProfiles"]) == ["a", "b", "e"]
    assert _names(iam.list_instance_profiles(PathPrefix="/app/web")["InstanceProfiles"]) == ["a"]
    assert error_of(iam.list_instance_profiles, Marker="not-ours") == {
        "Code": "InvalidInput", "Message": "Invalid Marker.", "Status": 400}


def test_a_profile_holds_one_role(iam: Any) -> None:
    role = iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)["Role"]
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="WORKER")
    profile = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    assert [(r["RoleName"], r["RoleId"], r["Arn"]) for r in profile["Roles"]] == [
        ("worker", role["RoleId"], role["Arn"])]
    assert profile["Roles"][0]["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert iam.list_instance_profiles()["InstanceProfiles"][0]["Roles"] == profile["Roles"]
    quota = {"Code": "LimitExceeded", "Message": "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
             "Status": 409}
    assert error_of(iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName="other") == quota
    assert error_of(iam.add_role_to_instance_profile, InstanceProfileName="web", RoleName="worker") == quota
    assert error_of(iam.add_role_to_instance_profile, InstanceProfileName="nope", RoleName="worker") == _missing(
        "nope")
    iam.create_instance_profile(InstanceProfileName="db")
    assert error_of(iam.add_role_to_instance_profile, InstanceProfileName="db", RoleName="ghost") == {
        "Code": "NoSuchEntity", "Message": "The role with name ghost cannot be found.", "Status": 404}
    assert iam.get_instance_profile(InstanceProfileName="db")["InstanceProfile"]["Roles"] == []
    assert [r["RoleName"] for r in iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]] \
        == ["worker"]
    # Another profile may hold the same role.
    iam.add_role_to_instance_profile(InstanceProfileName="db", RoleName="worker")
    for_role = iam.list_instance_profiles_for_role(RoleName="worker")
    assert (_names(for_role["InstanceProfiles"]), for_role["IsTruncated"]) == (["db", "web"], False)
    page = iam.list_instance_profiles_for_role(RoleName="worker", MaxItems=1)
    assert (_names(page["InstanceProfiles"]), page["IsTruncated"]) == (["db"], True)
    assert _names(iam.list_instance_profiles_for_role(RoleName="worker", Marker=page["Marker"])[
        "InstanceProfiles"]) == ["web"]
    assert iam.list_instance_profiles_for_role(RoleName="other")["InstanceProfiles"] == []
    assert error_of(iam.list_instance_profiles_for_role, RoleName="ghost")["Code"] == "NoSuchEntity"


def test_remove_role_and_the_delete_conflicts(iam: Any) -> None:
    iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="worker")
    assert error_of(iam.delete_instance_profile, InstanceProfileName="web") == ROLE_FIRST
    assert error_of(iam.delete_role, RoleName="worker") == ROLE_FIRST
    assert iam.get_role(RoleName="worker")["Role"]["RoleName"] == "worker"
    assert error_of(iam.remove_role_from_instance_profile, InstanceProfileName="web", RoleName="other") == {
        "Code": "NoSuchEntity", "Message": "The role with name other cannot be found.", "Status": 404}
    assert error_of(iam.remove_role_from_instance_profile, InstanceProfileName="nope",
                    RoleName="worker") == _missing("nope")
    iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="worker")
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"] == []
    assert iam.list_instance_profiles_for_role(RoleName="worker")["InstanceProfiles"] == []
    iam.delete_role(RoleName="worker")
    iam.delete_instance_profile(InstanceProfileName="web")
    assert iam.list_instance_profiles()["InstanceProfiles"] == []


def test_profile_tags(iam: Any) -> None:
    iam.create_instance_profile(InstanceProfileName="web")
    iam.tag_instance_profile(InstanceProfileName="web", Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}])
    assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == [
        {"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    iam.tag_instance_profile(InstanceProfileName="web", Tags=[{"Key": "A", "Value": "3"}])
    iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["b"])
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Tags"] == [
        {"Key": "A", "Value": "3"}]
    assert error_of(iam.tag_instance_profile, InstanceProfileName="web",
                    Tags=[{"Key": "aws:x", "Value": "1"}])["Code"] == "InvalidInput"
    assert error_of(iam.list_instance_profile_tags, InstanceProfileName="nope") == _missing("nope")
    # A profile made again under the same name starts without the old one's tags.
    iam.delete_instance_profile(InstanceProfileName="web")
    iam.create_instance_profile(InstanceProfileName="web")
    assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == []


def test_accounts_do_not_see_each_others_profiles(make: Callable[..., Any]) -> None:
    mine, theirs = make(ROOT_A, "iam"), make(ROOT_B, "iam")
    mine.create_instance_profile(InstanceProfileName="web")
    assert theirs.list_instance_profiles()["InstanceProfiles"] == []
    assert error_of(theirs.get_instance_profile, InstanceProfileName="web") == _missing("web")
    theirs.create_instance_profile(InstanceProfileName="web")
    theirs.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)
    theirs.add_role_to_instance_profile(InstanceProfileName="web", RoleName="worker")
    assert mine.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"] == []


def test_profile_actions_are_authorized_on_the_profile_and_pass_the_role(make: Callable[..., Any]) -> None:
    root = make(ROOT_A, "iam")
    root.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)
    profiles = f"arn:aws:iam::{ACCOUNT_A}:instance-profile/app/*"
    admin = make(new_user(make, "admin", {
        "Effect": "Allow", "Resource": profiles,
        "Action": ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:GetInstanceProfile"]}), "iam")
    admin.create_instance_profile(InstanceProfileName="web", Path="/app/")
    error = error_of(admin.create_instance_profile, InstanceProfileName="db")
    assert error == {"Code": "AccessDenied", "Status": 403, "Message": (
        f"User: arn:aws:iam::{ACCOUNT_A}:user/admin is not authorized to perform: iam:CreateInstanceProfile on "
        f"resource: arn:aws:iam::{ACCOUNT_A}:instance-profile/db because no identity-based policy allows the "
        "iam:CreateInstanceProfile action")}
    # Putting a role in a profile passes the role.
    error = error_of(admin.add_role_to_instance_profile, InstanceProfileName="web", RoleName="worker")
    assert error == {"Code": "AccessDenied", "Status": 403, "Message": (
        f"User: arn:aws:iam::{ACCOUNT_A}:user/admin is not authorized to perform: iam:PassRole on resource: "
        f"arn:aws:iam::{ACCOUNT_A}:role/worker because no identity-based policy allows the iam:PassRole action")}
    assert admin.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"] == []
    root.put_user_policy(UserName="admin", PolicyName="pass", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
                                                "Resource": f"arn:aws:iam::{ACCOUNT_A}:role/worker"}]}))
    admin.add_role_to_instance_profile(InstanceProfileName="web", RoleName="worker")
    assert [r["RoleName"] for r in admin.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]] \
        == ["worker"]
    assert error_of(admin.list_instance_profiles)["Code"] == "AccessDenied"


def test_a_profile_s_tags_are_conditions(make: Callable[..., Any]) -> None:
    root = make(ROOT_A, "iam")
    root.create_instance_profile(InstanceProfileName="kept", Tags=[{"Key": "keep", "Value": "yes"}])
    root.create_instance_profile(InstanceProfileName="spare")
    cleaner = make(new_user(make, "cleaner", {"Effect": "Allow", "Action": "iam:DeleteInstanceProfile",
                                              "Resource": "*"},
                            {"Effect": "Deny", "Action": "iam:DeleteInstanceProfile", "Resource": "*",
                             "Condition": {"StringEquals": {"iam:ResourceTag/keep": "yes"}}}), "iam")
    error = error_of(cleaner.delete_instance_profile, InstanceProfileName="kept")
    assert (error["Code"], error["Status"]) == ("AccessDenied", 403)
    assert "with an explicit deny in an identity-based policy" in error["Message"]
    cleaner.delete_instance_profile(InstanceProfileName="spare")
    assert _names(root.list_instance_profiles()["InstanceProfiles"]) == ["kept"]
