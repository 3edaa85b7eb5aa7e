"""IAM through boto3 on the endpoint's port: users, access keys, groups, roles, inline and
managed policies, tags; IAM's errors (code, message, status) with nothing changed; paging;
keys made by CreateAccessKey signing requests at once; accounts kept apart."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from botocore.config import Config

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import error_of

ACCOUNT = "000000000000"
ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_ACCOUNTS = ROOT / "examples" / "accounts.toml"
EC2_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
)
DESCRIBE_ONLY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
PATH_PATTERN = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"
EC2_READ = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"


@pytest.fixture
def iam(make_client: Callable[..., Any]) -> Any:
    return make_client(service="iam")


def keyed_client(
    emulator: Emulator,
    service: str,
    key: str,
    secret: str,
    token: str | None = None,
    config: Config = NO_RETRY,
) -> Any:
    client = boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url="http://ec2emu.test",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=config,
    )
    return InProcessTransport(emulator).attach(client)


def raw_body(client: Any, operation: str) -> list[bytes]:
    """Collects the raw XML answers to ``operation`` (before botocore decodes them)."""
    bodies: list[bytes] = []
    client.meta.events.register(
        f"before-parse.iam.{operation}", lambda response_dict, **_: bodies.append(response_dict["body"])
    )
    return bodies


def names(users: list[dict[str, Any]], key: str = "UserName") -> list[str]:
    return [user[key] for user in users]


# ------------------------------------------------------------------ users


def test_create_get_list_delete_a_user(iam: Any, clock: ManualClock) -> None:
    created = iam.create_user(UserName="alice", Path="/team/")["User"]
    assert created["UserName"] == "alice" and created["Path"] == "/team/"
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/team/alice"
    assert re.fullmatch(r"AIDA[A-Z0-9]{17}", created["UserId"])
    assert created["CreateDate"] == clock.now()
    assert "Tags" not in created
    # names are case-insensitive for look-ups, kept as created
    assert iam.get_user(UserName="ALICE")["User"] == created
    assert names(iam.list_users()["Users"]) == ["alice"]
    iam.delete_user(UserName="Alice")
    assert iam.list_users()["Users"] == []
    assert error_of(iam.get_user, UserName="alice") == {
        "Code": "NoSuchEntity",
        "Message": "The user with name alice cannot be found.",
        "Status": 404,
    }


def test_a_user_name_is_unique_case_insensitively(iam: Any) -> None:
    iam.create_user(UserName="alice")
    assert error_of(iam.create_user, UserName="ALICE", Path="/other/") == {
        "Code": "EntityAlreadyExists",
        "Message": "User with name ALICE already exists.",
        "Status": 409,
    }
    assert [(u["UserName"], u["Path"]) for u in iam.list_users()["Users"]] == [("alice", "/")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"UserName": "bad name"},
            (
                "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy "
                "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            ),
        ),
        (
            {"UserName": "é"},
            (
                "1 validation error detected: Value 'é' at 'userName' failed to satisfy "
                "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            ),
        ),
        (
            {"UserName": "a" * 65},
            (
                f"1 validation error detected: Value '{'a' * 65}' at 'userName' failed to satisfy "
                "constraint: Member must have length less than or equal to 64"
            ),
        ),
        (
            {"UserName": "ok", "Path": "team"},
            (
                "1 validation error detected: Value 'team' at 'path' failed to satisfy "
                f"constraint: Member must satisfy regular expression pattern: {PATH_PATTERN}"
            ),
        ),
        (
            {"UserName": "a b", "Path": "x"},
            (
                "2 validation errors detected: Value 'x' at 'path' failed to satisfy "
                f"constraint: Member must satisfy regular expression pattern: {PATH_PATTERN}; "
                "Value 'a b' at 'userName' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            ),
        ),
    ],
)
def test_bad_user_names_and_paths_are_validation_errors(
    iam: Any, kwargs: dict[str, str], message: str
) -> None:
    assert error_of(iam.create_user, **kwargs) == {
        "Code": "ValidationError",
        "Message": message,
        "Status": 400,
    }
    assert iam.list_users()["Users"] == []


def test_list_users_pages_and_filters_by_path(iam: Any) -> None:
    for name, path in [
        ("dave", "/ops/"),
        ("Carol", "/dev/"),
        ("bob", "/dev/"),
        ("alice", "/dev/team/"),
        ("erin", "/"),
    ]:
        iam.create_user(UserName=name, Path=path)
    first = iam.list_users(MaxItems=2)
    assert names(first["Users"]) == ["alice", "bob"] and first["IsTruncated"] is True
    second = iam.list_users(MaxItems=2, Marker=first["Marker"])
    assert names(second["Users"]) == ["Carol", "dave"] and second["IsTruncated"] is True
    third = iam.list_users(MaxItems=2, Marker=second["Marker"])
    assert names(third["Users"]) == ["erin"] and third["IsTruncated"] is False and "Marker" not in third
    assert names(iam.list_users(PathPrefix="/dev/")["Users"]) == ["alice", "bob", "Carol"]
    assert names(iam.list_users(PathPrefix="/dev/team/")["Users"]) == ["alice"]
    paginated = iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 1})
    assert [u["UserName"] for p in paginated for u in p["Users"]] == ["alice", "bob", "Carol", "dave", "erin"]
    assert error_of(iam.list_users, Marker="not-a-marker") == {
        "Code": "InvalidInput",
        "Message": "Invalid Marker.",
        "Status": 400,
    }


def test_get_user_without_a_name_is_the_caller(iam: Any, emulator: Emulator) -> None:
    root = iam.get_user()["User"]
    assert (root["UserId"], root["Arn"]) == (ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root")
    user = iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "web"}])["User"]
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    alice = keyed_client(emulator, "iam", key["AccessKeyId"], key["SecretAccessKey"])
    assert alice.get_user()["User"] == user


def test_delete_user_conflicts_until_keys_policies_and_groups_are_gone(iam: Any) -> None:
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.put_user_policy(UserName="alice", PolicyName="inline", PolicyDocument=EC2_ALL)
    iam.attach_user_policy(UserName="alice", PolicyArn=ADMIN)
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    steps = [
        (
            "Cannot delete entity, must delete access keys first.",
            lambda: iam.delete_access_key(UserName="alice", AccessKeyId=key),
        ),
        (
            "Cannot delete entity, must delete policies first.",
            lambda: iam.delete_user_policy(UserName="alice", PolicyName="inline"),
        ),
        (
            "Cannot delete entity, must detach all policies first.",
            lambda: iam.detach_user_policy(UserName="alice", PolicyArn=ADMIN),
        ),
        (
            "Cannot delete entity, must remove user from all groups first.",
            lambda: iam.remove_user_from_group(GroupName="devs", UserName="alice"),
        ),
    ]
    for message, cleanup in steps:
        assert error_of(iam.delete_user, UserName="alice") == {
            "Code": "DeleteConflict",
            "Message": message,
            "Status": 409,
        }
        assert names(iam.list_users()["Users"]) == ["alice"]
        cleanup()
    iam.delete_user(UserName="alice")
    assert iam.list_users()["Users"] == []


# ------------------------------------------------------------------ access keys


def test_access_keys_create_list_update_delete(iam: Any, clock: ManualClock) -> None:
    iam.create_user(UserName="alice")
    first = iam.create_access_key(UserName="alice")["AccessKey"]
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", first["AccessKeyId"])
    assert len(first["SecretAccessKey"]) == 40
    assert (first["UserName"], first["Status"], first["CreateDate"]) == ("alice", "Active", clock.now())
    second = iam.create_access_key(UserName="alice")["AccessKey"]
    assert error_of(iam.create_access_key, UserName="alice") == {
        "Code": "LimitExceeded",
        "Message": "Cannot exceed quota for AccessKeysPerUser: 2",
        "Status": 409,
    }
    listed = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert sorted(k["AccessKeyId"] for k in listed) == sorted([first["AccessKeyId"], second["AccessKeyId"]])
    assert all("SecretAccessKey" not in k for k in listed)
    iam.update_access_key(UserName="alice", AccessKeyId=first["AccessKeyId"], Status="Inactive")
    statuses = {
        k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    }
    assert statuses == {first["AccessKeyId"]: "Inactive", second["AccessKeyId"]: "Active"}
    iam.delete_access_key(UserName="alice", AccessKeyId=first["AccessKeyId"])
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] == [
        second["AccessKeyId"]
    ]


def test_access_key_errors(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    assert error_of(iam.create_access_key, UserName="nobody") == {
        "Code": "NoSuchEntity",
        "Message": "The user with name nobody cannot be found.",
        "Status": 404,
    }
    # another user's key is not found under this user
    assert error_of(iam.update_access_key, UserName="bob", AccessKeyId=key, Status="Inactive") == {
        "Code": "NoSuchEntity",
        "Message": f"The Access Key with id {key} cannot be found.",
        "Status": 404,
    }
    assert error_of(iam.delete_access_key, UserName="bob", AccessKeyId=key)["Code"] == "NoSuchEntity"
    assert [k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]] == ["Active"]
    # the root has no IAM user name to default to
    assert error_of(iam.create_access_key) == {
        "Code": "ValidationError",
        "Message": "Must specify userName when calling with non-User credentials",
        "Status": 400,
    }


def test_a_created_key_signs_requests_until_deactivated_or_deleted(iam: Any, emulator: Emulator) -> None:
    iam.create_user(UserName="alice", Path="/eng/")
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]
    sts = keyed_client(emulator, "sts", key_id, secret)
    identity = sts.get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/eng/alice"
    assert identity["Account"] == ACCOUNT
    assert identity["UserId"] == iam.get_user(UserName="alice")["User"]["UserId"]
    # the calling user is the default for CreateAccessKey/ListAccessKeys
    alice = keyed_client(emulator, "iam", key_id, secret)
    assert [k["AccessKeyId"] for k in alice.list_access_keys()["AccessKeyMetadata"]] == [key_id]
    # a key we know is verified even in permissive mode
    forged = keyed_client(emulator, "sts", key_id, "wrong-secret")
    assert error_of(forged.get_caller_identity)["Code"] == "SignatureDoesNotMatch"
    assert error_of(forged.get_caller_identity)["Status"] == 403
    forged_ec2 = keyed_client(emulator, "ec2", key_id, "wrong-secret")
    assert error_of(forged_ec2.describe_instances)["Code"] == "SignatureDoesNotMatch"
    iam.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Inactive")
    assert error_of(sts.get_caller_identity) == {
        "Code": "InvalidClientTokenId",
        "Message": "The security token included in the request is invalid.",
        "Status": 403,
    }
    iam.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Active")
    assert sts.get_caller_identity()["Arn"].endswith(":user/eng/alice")
    iam.delete_access_key(UserName="alice", AccessKeyId=key_id)
    # unknown now: in permissive mode it acts as the default root, unverified
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[Emulator]:
    settings = Settings(
        state_dir=tmp_path,
        durations=DURATIONS,
        admin_token="test-admin-token",
        auth_mode="strict",
        accounts_file=EXAMPLE_ACCOUNTS,
    )
    app = build_app(settings, clock=ManualClock())
    yield app
    app.store.close()


def test_a_deleted_key_is_unknown_in_strict_mode(strict: Emulator) -> None:
    iam = keyed_client(strict, "iam", "test", "test")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    sts = keyed_client(strict, "sts", key["AccessKeyId"], key["SecretAccessKey"])
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/bob"
    iam.delete_access_key(UserName="bob", AccessKeyId=key["AccessKeyId"])
    assert error_of(sts.get_caller_identity) == {
        "Code": "InvalidClientTokenId",
        "Message": "The security token included in the request is invalid.",
        "Status": 403,
    }
    ec2 = keyed_client(strict, "ec2", key["AccessKeyId"], key["SecretAccessKey"])
    assert error_of(ec2.describe_instances)["Code"] == "AuthFailure"


# ------------------------------------------------------------------ accounts


def test_accounts_file_users_are_iam_users_and_accounts_are_apart(strict: Emulator) -> None:
    dev_root = keyed_client(strict, "iam", "AKIADEVROOT000000001", "dev-root-secret")
    default_root = keyed_client(strict, "iam", "test", "test")
    alice = dev_root.get_user(UserName="alice")["User"]
    assert alice["Arn"] == "arn:aws:iam::111111111111:user/alice"
    assert names(dev_root.list_users()["Users"]) == ["alice"]
    # the configured key signs as the same user IAM shows
    sts = keyed_client(strict, "sts", "AKIADEVALICE00000001", "alice-secret")
    assert sts.get_caller_identity()["UserId"] == alice["UserId"]
    dev_root.attach_user_policy(UserName="alice", PolicyArn=EC2_READ)
    assert dev_root.list_attached_user_policies(UserName="alice")["AttachedPolicies"] == [
        {"PolicyName": "AmazonEC2ReadOnlyAccess", "PolicyArn": EC2_READ}
    ]
    # another account does not see alice, its policies or its roles
    assert error_of(default_root.get_user, UserName="alice") == {
        "Code": "NoSuchEntity",
        "Message": "The user with name alice cannot be found.",
        "Status": 404,
    }
    assert default_root.list_users()["Users"] == []
    policy = dev_root.create_policy(PolicyName="dev-only", PolicyDocument=EC2_ALL)["Policy"]["Arn"]
    assert error_of(default_root.get_policy, PolicyArn=policy) == {
        "Code": "NoSuchEntity",
        "Message": f"Policy {policy} was not found.",
        "Status": 404,
    }
    default_root.create_user(UserName="alice")
    assert error_of(default_root.attach_user_policy, UserName="alice", PolicyArn=policy) == {
        "Code": "NoSuchEntity",
        "Message": f"Policy {policy} does not exist or is not attachable.",
        "Status": 404,
    }
    assert dev_root.get_policy(PolicyArn=policy)["Policy"]["AttachmentCount"] == 0
    # a reset keeps the configured users
    strict.reset()
    assert names(dev_root.list_users()["Users"]) == ["alice"]
    assert default_root.list_users()["Users"] == []


# ------------------------------------------------------------------ inline policies


def test_user_inline_policies(iam: Any) -> None:
    iam.create_user(UserName="alice")
    bodies = raw_body(iam, "GetUserPolicy")
    iam.put_user_policy(UserName="alice", PolicyName="ec2", PolicyDocument=EC2_ALL)
    got = iam.get_user_policy(UserName="ALICE", PolicyName="ec2")
    assert (got["UserName"], got["PolicyName"], got["PolicyDocument"]) == (
        "alice",
        "ec2",
        json.loads(EC2_ALL),
    )
    # on the wire the document is URL-encoded JSON, as IAM sends it
    assert f"<PolicyDocument>{quote(EC2_ALL, safe='')}</PolicyDocument>".encode() in bodies[0]
    iam.put_user_policy(UserName="alice", PolicyName="ec2", PolicyDocument=DESCRIBE_ONLY)  # replaced
    assert iam.get_user_policy(UserName="alice", PolicyName="ec2")["PolicyDocument"] == json.loads(
        DESCRIBE_ONLY
    )
    iam.put_user_policy(UserName="alice", PolicyName="another", PolicyDocument=EC2_ALL)
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == ["another", "ec2"]
    page = iam.list_user_policies(UserName="alice", MaxItems=1)
    assert page["PolicyNames"] == ["another"] and page["IsTruncated"]
    assert iam.list_user_policies(UserName="alice", Marker=page["Marker"])["PolicyNames"] == ["ec2"]
    iam.delete_user_policy(UserName="alice", PolicyName="another")
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == ["ec2"]
    assert error_of(iam.get_user_policy, UserName="alice", PolicyName="another") == {
        "Code": "NoSuchEntity",
        "Message": "The user policy with name another cannot be found.",
        "Status": 404,
    }
    assert error_of(iam.delete_user_policy, UserName="alice", PolicyName="another")["Code"] == "NoSuchEntity"
    assert error_of(iam.put_user_policy, UserName="nobody", PolicyName="p", PolicyDocument=EC2_ALL) == {
        "Code": "NoSuchEntity",
        "Message": "The user with name nobody cannot be found.",
        "Status": 404,
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "Syntax errors in policy."),
        (
            json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}),
            "Policy statement must contain actions.",
        ),
        (
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Principal": "*"}],
                }
            ),
            "Policy document should not specify a principal.",
        ),
    ],
)
def test_malformed_policy_documents_are_refused(iam: Any, document: str, message: str) -> None:
    iam.create_user(UserName="alice")
    expected = {"Code": "MalformedPolicyDocument", "Message": message, "Status": 400}
    assert (
        error_of(iam.put_user_policy, UserName="alice", PolicyName="p", PolicyDocument=document) == expected
    )
    assert error_of(iam.create_policy, PolicyName="p", PolicyDocument=document) == expected
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == []
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_inline_policies_have_a_size_quota(iam: Any) -> None:
    iam.create_user(UserName="alice")
    big = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [f"ec2:Describe{'X' * 30}{i}" for i in range(60)],
                    "Resource": "*",
                }
            ],
        }
    )
    assert error_of(iam.put_user_policy, UserName="alice", PolicyName="big", PolicyDocument=big) == {
        "Code": "LimitExceeded",
        "Message": "Maximum policy size of 2048 bytes exceeded for user alice",
        "Status": 409,
    }
    assert iam.list_user_policies(UserName="alice")["PolicyNames"] == []


# ------------------------------------------------------------------ managed policies


def test_create_get_and_list_managed_policies(iam: Any, clock: ManualClock) -> None:
    created = iam.create_policy(
        PolicyName="ec2-all", Path="/team/", PolicyDocument=EC2_ALL, Description="everything EC2"
    )["Policy"]
    arn = f"arn:aws:iam::{ACCOUNT}:policy/team/ec2-all"
    assert (created["Arn"], created["DefaultVersionId"], created["AttachmentCount"]) == (arn, "v1", 0)
    assert re.fullmatch(r"ANPA[A-Z0-9]{17}", created["PolicyId"])
    assert created["CreateDate"] == clock.now() and created["IsAttachable"] is True
    got = iam.get_policy(PolicyArn=arn)["Policy"]
    assert got["Description"] == "everything EC2" and got["PolicyId"] == created["PolicyId"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == json.loads(EC2_ALL) and version["IsDefaultVersion"] is True
    assert error_of(iam.create_policy, PolicyName="EC2-ALL", PolicyDocument=EC2_ALL) == {
        "Code": "EntityAlreadyExists",
        "Message": "A policy called EC2-ALL already exists. Duplicate names are not allowed.",
        "Status": 409,
    }
    iam.create_policy(PolicyName="other", PolicyDocument=EC2_ALL)
    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["ec2-all", "other"]
    assert [p["PolicyName"] for p in iam.list_policies(Scope="Local", PathPrefix="/team/")["Policies"]] == [
        "ec2-all"
    ]
    aws = [p["Arn"] for p in iam.list_policies(Scope="AWS")["Policies"]]
    assert {
        ADMIN,
        EC2_READ,
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
    } <= set(aws)
    assert all(a.startswith("arn:aws:iam::aws:policy/") for a in aws)
    everything = [p["Arn"] for p in iam.list_policies()["Policies"]]
    assert set(everything) == set(aws) | {arn, f"arn:aws:iam::{ACCOUNT}:policy/other"}
    # paging over AWS and local policies together
    paged: list[str] = []
    marker: dict[str, str] = {}
    while True:
        page = iam.list_policies(MaxItems=3, **marker)
        paged += [p["Arn"] for p in page["Policies"]]
        if not page["IsTruncated"]:
            break
        marker = {"Marker": page["Marker"]}
    assert paged == everything
    admin = iam.get_policy(PolicyArn=ADMIN)["Policy"]
    assert admin["PolicyName"] == "AdministratorAccess" and admin["DefaultVersionId"] == "v1"
    admin_doc = iam.get_policy_version(PolicyArn=ADMIN, VersionId="v1")["PolicyVersion"]["Document"]
    assert admin_doc["Statement"][0] == {"Effect": "Allow", "Action": "*", "Resource": "*"}


def test_only_attached_and_attachment_counts(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)
    arn = iam.create_policy(PolicyName="mine", PolicyDocument=EC2_ALL)["Policy"]["Arn"]
    iam.create_policy(PolicyName="unused", PolicyDocument=EC2_ALL)
    assert iam.list_policies(OnlyAttached=True)["Policies"] == []
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    iam.attach_role_policy(RoleName="worker", PolicyArn=arn)
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)  # attaching again changes nothing
    iam.attach_role_policy(RoleName="worker", PolicyArn=EC2_READ)
    attached = {p["Arn"]: p["AttachmentCount"] for p in iam.list_policies(OnlyAttached=True)["Policies"]}
    assert attached == {arn: 2, EC2_READ: 1}
    assert [p["PolicyName"] for p in iam.list_policies(OnlyAttached=True, Scope="Local")["Policies"]] == [
        "mine"
    ]
    assert iam.get_policy(PolicyArn=EC2_READ)["Policy"]["AttachmentCount"] == 1
    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    assert error_of(iam.detach_user_policy, UserName="alice", PolicyArn=arn) == {
        "Code": "NoSuchEntity",
        "Message": f"Policy {arn} was not found.",
        "Status": 404,
    }


def test_attaching_unknown_policies(iam: Any) -> None:
    iam.create_user(UserName="alice")
    missing = f"arn:aws:iam::{ACCOUNT}:policy/missing"
    assert error_of(iam.attach_user_policy, UserName="alice", PolicyArn=missing) == {
        "Code": "NoSuchEntity",
        "Message": f"Policy {missing} does not exist or is not attachable.",
        "Status": 404,
    }
    nope = "arn:aws:iam::aws:policy/NoSuchManagedPolicy"
    assert error_of(iam.attach_user_policy, UserName="alice", PolicyArn=nope)["Code"] == "NoSuchEntity"
    assert error_of(iam.attach_user_policy, UserName="alice", PolicyArn="arn:aws:s3:::bucket-name") == {
        "Code": "InvalidInput",
        "Message": "ARN arn:aws:s3:::bucket-name is not valid.",
        "Status": 400,
    }
    assert error_of(iam.attach_user_policy, UserName="ghost", PolicyArn=ADMIN)["Code"] == "NoSuchEntity"
    assert iam.list_attached_user_policies(UserName="alice")["AttachedPolicies"] == []


def test_policy_versions(iam: Any) -> None:
    arn = iam.create_policy(PolicyName="p", PolicyDocument=EC2_ALL)["Policy"]["Arn"]
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=DESCRIBE_ONLY)["PolicyVersion"]
    assert (v2["VersionId"], v2["IsDefaultVersion"]) == ("v2", False)
    v3 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=DESCRIBE_ONLY, SetAsDefault=True)[
        "PolicyVersion"
    ]
    assert (v3["VersionId"], v3["IsDefaultVersion"]) == ("v3", True)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=EC2_ALL)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=EC2_ALL)
    assert error_of(iam.create_policy_version, PolicyArn=arn, PolicyDocument=EC2_ALL) == {
        "Code": "LimitExceeded",
        "Message": "A managed policy can have up to 5 versions. Before you create a new "
        "version, you must delete an existing version.",
        "Status": 409,
    }
    listed = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in listed] == [
        ("v5", False),
        ("v4", False),
        ("v3", True),
        ("v2", False),
        ("v1", False),
    ]
    assert error_of(iam.delete_policy_version, PolicyArn=arn, VersionId="v3") == {
        "Code": "DeleteConflict",
        "Message": "Cannot delete the default version of a policy.",
        "Status": 409,
    }
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    assert (
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=EC2_ALL)["PolicyVersion"]["VersionId"] == "v6"
    )
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"
    assert error_of(iam.get_policy_version, PolicyArn=arn, VersionId="v2") == {
        "Code": "NoSuchEntity",
        "Message": f"Policy {arn} version v2 does not exist.",
        "Status": 404,
    }
    assert error_of(iam.get_policy_version, PolicyArn=arn, VersionId="2")["Code"] == "ValidationError"
    assert (
        error_of(iam.create_policy_version, PolicyArn=ADMIN, PolicyDocument=EC2_ALL)["Code"] == "InvalidInput"
    )


def test_delete_policy_conflicts(iam: Any) -> None:
    iam.create_user(UserName="alice")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=EC2_ALL)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    assert error_of(iam.delete_policy, PolicyArn=arn) == {
        "Code": "DeleteConflict",
        "Message": "Cannot delete a policy attached to entities.",
        "Status": 409,
    }
    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=DESCRIBE_ONLY, SetAsDefault=True)
    assert error_of(iam.delete_policy, PolicyArn=arn)["Code"] == "DeleteConflict"
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    iam.delete_policy(PolicyArn=arn)
    assert error_of(iam.get_policy, PolicyArn=arn) == {
        "Code": "NoSuchEntity",
        "Message": f"Policy {arn} was not found.",
        "Status": 404,
    }
    # the name is free again
    iam.create_policy(PolicyName="p", PolicyDocument=EC2_ALL)


# ------------------------------------------------------------------ groups


def test_groups_members_and_policies(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_user(UserName="bob")
    group = iam.create_group(GroupName="devs", Path="/eng/")["Group"]
    assert group["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/eng/devs"
    assert re.fullmatch(r"AGPA[A-Z0-9]{17}", group["GroupId"])
    assert error_of(iam.create_group, GroupName="DEVS") == {
        "Code": "EntityAlreadyExists",
        "Message": "Group with name DEVS already exists.",
        "Status": 409,
    }
    iam.add_user_to_group(GroupName="devs", UserName="bob")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    got = iam.get_group(GroupName="devs")
    assert got["Group"] == group and names(got["Users"]) == ["alice", "bob"]
    assert names(iam.list_groups_for_user(UserName="alice")["Groups"], "GroupName") == ["devs"]
    assert names(iam.list_groups()["Groups"], "GroupName") == ["devs"]
    iam.put_group_policy(GroupName="devs", PolicyName="read", PolicyDocument=DESCRIBE_ONLY)
    assert iam.get_group_policy(GroupName="devs", PolicyName="read")["PolicyDocument"] == json.loads(
        DESCRIBE_ONLY
    )
    iam.attach_group_policy(GroupName="devs", PolicyArn=EC2_READ)
    assert iam.list_attached_group_policies(GroupName="devs")["AttachedPolicies"] == [
        {"PolicyName": "AmazonEC2ReadOnlyAccess", "PolicyArn": EC2_READ}
    ]
    assert error_of(iam.add_user_to_group, GroupName="nope", UserName="alice") == {
        "Code": "NoSuchEntity",
        "Message": "The group with name nope cannot be found.",
        "Status": 404,
    }
    assert error_of(iam.delete_group, GroupName="devs") == {
        "Code": "DeleteConflict",
        "Message": "Cannot delete entity, must remove users from group first.",
        "Status": 409,
    }
    iam.remove_user_from_group(GroupName="devs", UserName="alice")
    iam.remove_user_from_group(GroupName="devs", UserName="bob")
    assert (
        error_of(iam.delete_group, GroupName="devs")["Message"]
        == "Cannot delete entity, must delete policies first."
    )
    iam.delete_group_policy(GroupName="devs", PolicyName="read")
    assert (
        error_of(iam.delete_group, GroupName="devs")["Message"]
        == "Cannot delete entity, must detach all policies first."
    )
    iam.detach_group_policy(GroupName="devs", PolicyArn=EC2_READ)
    iam.delete_group(GroupName="devs")
    assert iam.list_groups()["Groups"] == []


# ------------------------------------------------------------------ roles


def test_create_get_list_delete_a_role(iam: Any, clock: ManualClock) -> None:
    role = iam.create_role(
        RoleName="worker",
        Path="/svc/",
        AssumeRolePolicyDocument=TRUST,
        Description="runs jobs",
        MaxSessionDuration=7200,
        Tags=[{"Key": "team", "Value": "batch"}],
    )["Role"]
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/svc/worker"
    assert re.fullmatch(r"AROA[A-Z0-9]{17}", role["RoleId"])
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST)
    assert (role["MaxSessionDuration"], role["Description"], role["CreateDate"]) == (
        7200,
        "runs jobs",
        clock.now(),
    )
    assert iam.get_role(RoleName="WORKER")["Role"] == role
    assert names(iam.list_roles()["Roles"], "RoleName") == ["worker"]
    assert error_of(iam.create_role, RoleName="Worker", AssumeRolePolicyDocument=TRUST) == {
        "Code": "EntityAlreadyExists",
        "Message": "Role with name Worker already exists.",
        "Status": 409,
    }
    iam.put_role_policy(RoleName="worker", PolicyName="ec2", PolicyDocument=EC2_ALL)
    assert iam.list_role_policies(RoleName="worker")["PolicyNames"] == ["ec2"]
    assert iam.get_role_policy(RoleName="worker", PolicyName="ec2")["PolicyDocument"] == json.loads(EC2_ALL)
    iam.attach_role_policy(RoleName="worker", PolicyArn=ADMIN)
    assert iam.list_attached_role_policies(RoleName="worker")["AttachedPolicies"] == [
        {"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}
    ]
    assert error_of(iam.delete_role, RoleName="worker") == {
        "Code": "DeleteConflict",
        "Message": "Cannot delete entity, must delete policies first.",
        "Status": 409,
    }
    iam.delete_role_policy(RoleName="worker", PolicyName="ec2")
    assert (
        error_of(iam.delete_role, RoleName="worker")["Message"]
        == "Cannot delete entity, must detach all policies first."
    )
    iam.detach_role_policy(RoleName="worker", PolicyArn=ADMIN)
    iam.delete_role(RoleName="worker")
    assert error_of(iam.get_role, RoleName="worker") == {
        "Code": "NoSuchEntity",
        "Message": "The role with name worker cannot be found.",
        "Status": 404,
    }


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        (
            {"AssumeRolePolicyDocument": EC2_ALL},
            ("MalformedPolicyDocument", "Missing required field Principal"),
        ),
        (
            {"AssumeRolePolicyDocument": TRUST, "MaxSessionDuration": 600},
            (
                "ValidationError",
                (
                    "1 validation error detected: Value '600' at 'maxSessionDuration' failed to satisfy "
                    "constraint: Member must have value greater than or equal to 3600"
                ),
            ),
        ),
        (
            {"AssumeRolePolicyDocument": TRUST, "MaxSessionDuration": 43201},
            (
                "ValidationError",
                (
                    "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy "
                    "constraint: Member must have value less than or equal to 43200"
                ),
            ),
        ),
    ],
)
def test_bad_roles_are_refused(emulator: Emulator, kwargs: dict[str, Any], error: tuple[str, str]) -> None:
    # boto3 would refuse a MaxSessionDuration below its minimum before sending it
    iam = keyed_client(
        emulator, "iam", "test", "test", config=NO_RETRY.merge(Config(parameter_validation=False))
    )
    answered = error_of(iam.create_role, RoleName="r", **kwargs)
    assert (answered["Code"], answered["Status"]) == (error[0], 400)
    if error[0] == "ValidationError":
        assert answered["Message"] == error[1]
    assert iam.list_roles()["Roles"] == []


# ------------------------------------------------------------------ tags


def test_user_and_role_tags(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)
    iam.tag_user(UserName="alice", Tags=[{"Key": "team", "Value": "web"}, {"Key": "cost", "Value": "1"}])
    iam.tag_user(UserName="alice", Tags=[{"Key": "Team", "Value": "ops"}])  # keys are case-insensitive
    assert iam.list_user_tags(UserName="alice")["Tags"] == [
        {"Key": "Team", "Value": "ops"},
        {"Key": "cost", "Value": "1"},
    ]
    assert iam.get_user(UserName="alice")["User"]["Tags"] == [
        {"Key": "Team", "Value": "ops"},
        {"Key": "cost", "Value": "1"},
    ]
    iam.untag_user(UserName="alice", TagKeys=["TEAM"])
    assert iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "cost", "Value": "1"}]
    iam.tag_role(RoleName="worker", Tags=[{"Key": "env", "Value": "prod"}])
    assert iam.list_role_tags(RoleName="worker")["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert iam.get_role(RoleName="worker")["Role"]["Tags"] == [{"Key": "env", "Value": "prod"}]
    iam.untag_role(RoleName="worker", TagKeys=["env"])
    assert iam.list_role_tags(RoleName="worker")["Tags"] == []
    assert error_of(
        iam.tag_user, UserName="alice", Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
    ) == {
        "Code": "InvalidInput",
        "Message": "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        "Status": 400,
    }
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    assert error_of(iam.tag_user, UserName="alice", Tags=too_many)["Code"] == "LimitExceeded"
    assert iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "cost", "Value": "1"}]
    assert (
        error_of(iam.tag_role, RoleName="ghost", Tags=[{"Key": "a", "Value": "b"}])["Code"] == "NoSuchEntity"
    )
    bad_key = error_of(iam.tag_user, UserName="alice", Tags=[{"Key": "bad#key", "Value": "v"}])
    assert bad_key["Code"] == "ValidationError" and "'tags.1.member.key'" in bad_key["Message"]


def test_iam_ignores_the_region(make_client: Callable[..., Any]) -> None:
    make_client(region="eu-west-1", service="iam").create_user(UserName="alice")
    assert names(make_client(region="us-west-2", service="iam").list_users()["Users"]) == ["alice"]
