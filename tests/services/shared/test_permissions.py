"""IAM policies enforced on EC2, IAM and STS calls, through boto3 with real keys.

Users and their keys are created through the IAM API by an account's root (from
``examples/accounts.toml``: account 111111111111, root key ``AKIADEVROOT000000001``,
user ``alice``; account 222222222222); then each test calls EC2 as those users.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY, ServerProcess
from tests.helpers import error_of, image_id, launch, states

ROOT = Path(__file__).resolve().parents[3]
ACCOUNTS = ROOT / "examples" / "accounts.toml"
ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
ROOT_A = ("AKIADEVROOT000000001", "dev-root-secret")
ROOT_B = ("AKIAPRODROOT00000001", "prod-root-secret")
ALICE = ("AKIADEVALICE00000001", "alice-secret")
UNAUTHORIZED = "You are not authorized to perform this operation."
EC2_ALL = {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}

Make = Callable[..., Any]


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=tmp_path, durations=DURATIONS, admin_token="test-admin-token",
                        accounts_file=ACCOUNTS)
    emulator = build_app(settings, clock=ManualClock())
    yield emulator
    emulator.store.close()


@pytest.fixture
def make(app: Emulator) -> Make:
    transport = InProcessTransport(app)

    def client(keys: tuple[str, ...], service: str = "ec2", region: str = "us-east-1") -> Any:
        token = keys[2] if len(keys) > 2 else None
        return transport.attach(boto3.client(
            service, region_name=region, endpoint_url="http://ec2emu.test", config=NO_RETRY,
            aws_access_key_id=keys[0], aws_secret_access_key=keys[1], aws_session_token=token))

    return client


def new_user(make: Make, name: str, *statements: dict[str, Any], root: tuple[str, str] = ROOT_A,
             ) -> tuple[str, str]:
    """An IAM user created by ``root`` with an inline policy of ``statements``: its keys."""
    iam = make(root, "iam")
    iam.create_user(UserName=name)
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=document(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def assume(make: Make, caller: tuple[str, ...], role_arn: str, **kwargs: Any) -> tuple[str, str, str]:
    sts = make(caller, "sts")
    credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName="s1", **kwargs)["Credentials"]
    return credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]


def decoded(make: Make, keys: tuple[str, ...], message: str) -> dict[str, Any]:
    encoded = message.split("Encoded authorization failure message: ", 1)[1]
    answer = make(keys, "sts").decode_authorization_message(EncodedMessage=encoded)
    return dict(json.loads(answer["DecodedMessage"]))


def condition_values(message: dict[str, Any]) -> dict[str, str]:
    """The first value of each condition key in a decoded message's context."""
    items = message["context"]["conditions"]["items"]
    return {item["key"]: item["values"]["items"][0]["value"] for item in items}


# --------------------------------------------------------------------------- users from the file


def test_a_user_without_policies_is_refused_everything_but_who_am_i(make: Make) -> None:
    alice = make(ALICE)
    image = image_id(make(ROOT_A))
    error = error_of(alice.run_instances, ImageId=image, MinCount=1, MaxCount=1)
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    assert error["Message"].startswith(f"{UNAUTHORIZED} Encoded authorization failure message: ")
    error = error_of(alice.describe_instances)
    assert error == {"Code": "UnauthorizedOperation", "Message": UNAUTHORIZED, "Status": 403}
    error = error_of(alice.run_instances, ImageId=image, MinCount=1, MaxCount=1, DryRun=True)
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    assert make(ALICE, "sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_A}:user/alice"
    assert make(ROOT_A).describe_instances()["Reservations"] == []


# --------------------------------------------------------------------------- the policy matrix


def test_allow_ec2_star_versus_implicit_deny_and_dry_run(make: Make) -> None:
    allowed = make(new_user(make, "ops", EC2_ALL))
    nothing = make(new_user(make, "nobody"))
    [instance] = launch(allowed)
    assert states(allowed, [instance]) == {instance: "pending"}
    error = error_of(allowed.terminate_instances, InstanceIds=[instance], DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
    error = error_of(nothing.terminate_instances, InstanceIds=[instance], DryRun=True)
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    error = error_of(nothing.terminate_instances, InstanceIds=[instance])
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    assert states(allowed, [instance]) == {instance: "pending"}
    # A permitted DryRun still validates: a bad instance type is reported as such.
    error = error_of(allowed.run_instances, ImageId=image_id(allowed), InstanceType="t3.nope", MinCount=1,
                     MaxCount=1, DryRun=True)
    assert error["Code"] == "InvalidParameterValue"
    allowed.terminate_instances(InstanceIds=[instance])
    assert states(allowed, [instance]) == {instance: "shutting-down"}


def test_an_explicit_deny_wins_over_an_allow(make: Make, app: Emulator) -> None:
    keys = new_user(make, "careful", EC2_ALL,
                    {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"})
    ec2 = make(keys)
    [instance] = launch(ec2)
    error = error_of(ec2.terminate_instances, InstanceIds=[instance])
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    message = decoded(make, ROOT_A, error["Message"])
    assert message["allowed"] is False and message["explicitDeny"] is True
    assert message["context"]["action"] == "ec2:TerminateInstances"
    assert message["context"]["resource"] == f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/{instance}"
    app.advance(5)
    ec2.stop_instances(InstanceIds=[instance])  # the rest of ec2:* still holds


def test_a_tag_condition_refuses_the_whole_call(make: Make) -> None:
    root = make(ROOT_A)
    cleanup = make(new_user(make, "cleanup", EC2_ALL, {
        "Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
        "Condition": {"StringEquals": {"ec2:ResourceTag/env": "prod"}}}))
    dev = launch(root, 2, TagSpecifications=[{"ResourceType": "instance",
                                              "Tags": [{"Key": "env", "Value": "dev"}]}])
    [prod] = launch(root, TagSpecifications=[{"ResourceType": "instance",
                                              "Tags": [{"Key": "env", "Value": "prod"}]}])
    error = error_of(cleanup.terminate_instances, InstanceIds=[*dev, prod])
    assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
    assert set(states(root, [*dev, prod]).values()) == {"pending"}  # none terminated
    message = decoded(make, ROOT_A, error["Message"])
    assert message["context"]["resource"].endswith(f"instance/{prod}")
    conditions = condition_values(message)
    assert conditions["ec2:ResourceTag/env"] == "prod"
    assert conditions["aws:username"] == "cleanup"
    cleanup.terminate_instances(InstanceIds=dev)
    assert states(root, [*dev, prod]) == {dev[0]: "shutting-down", dev[1]: "shutting-down", prod: "pending"}


def test_a_region_condition(make: Make) -> None:
    keys = new_user(make, "euonly", {**EC2_ALL, "Condition": {
        "StringEquals": {"aws:RequestedRegion": "eu-west-1"}}})
    assert make(keys, region="eu-west-1").describe_instances()["Reservations"] == []
    error = error_of(make(keys, region="us-east-1").describe_instances)
    assert error == {"Code": "UnauthorizedOperation", "Message": UNAUTHORIZED, "Status": 403}


def test_not_action_and_iam_access_denied(make: Make) -> None:
    keys = new_user(make, "noiam", {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert make(keys).describe_instances()["Reservations"] == []
    iam = make(keys, "iam")
    error = error_of(iam.create_user, UserName="mallory")
    assert error == {
        "Code": "AccessDenied", "Status": 403,
        "Message": f"User: arn:aws:iam::{ACCOUNT_A}:user/noiam is not authorized to perform: iam:CreateUser "
                   f"on resource: arn:aws:iam::{ACCOUNT_A}:user/mallory because no identity-based policy "
                   "allows the iam:CreateUser action",
    }
    error = error_of(iam.list_users)
    assert (error["Code"], error["Status"]) == ("AccessDenied", 403)
    assert f"on resource: arn:aws:iam::{ACCOUNT_A}:user/ " in error["Message"]
    assert "mallory" not in [u["UserName"] for u in make(ROOT_A, "iam").list_users()["Users"]]


def test_an_explicit_deny_on_iam_says_so(make: Make) -> None:
    keys = new_user(make, "almost", {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"})
    iam = make(keys, "iam")
    iam.create_user(UserName="temp", Path="/team/")
    error = error_of(iam.delete_user, UserName="temp")
    assert error["Message"] == (f"User: arn:aws:iam::{ACCOUNT_A}:user/almost is not authorized to perform: "
                                f"iam:DeleteUser on resource: arn:aws:iam::{ACCOUNT_A}:user/team/temp "
                                "with an explicit deny in an identity-based policy")


def test_group_policies_apply_to_members(make: Make) -> None:
    root_iam = make(ROOT_A, "iam")
    keys = new_user(make, "member")
    ec2 = make(keys)
    assert error_of(ec2.describe_instances)["Code"] == "UnauthorizedOperation"
    root_iam.create_group(GroupName="readers")
    root_iam.put_group_policy(GroupName="readers", PolicyName="read", PolicyDocument=document(
        {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}))
    root_iam.add_user_to_group(GroupName="readers", UserName="member")
    assert ec2.describe_instances()["Reservations"] == []
    assert error_of(launch, ec2)["Code"] == "UnauthorizedOperation"


def test_a_policy_change_takes_effect_on_the_next_request(make: Make) -> None:
    root_iam = make(ROOT_A, "iam")
    keys = new_user(make, "changing", EC2_ALL)
    ec2 = make(keys)
    assert ec2.describe_instances()["Reservations"] == []
    root_iam.put_user_policy(UserName="changing", PolicyName="inline", PolicyDocument=document(
        {"Effect": "Deny", "Action": "ec2:DescribeInstances", "Resource": "*"}))
    assert error_of(ec2.describe_instances)["Code"] == "UnauthorizedOperation"
    root_iam.delete_user_policy(UserName="changing", PolicyName="inline")
    assert error_of(ec2.describe_instances)["Code"] == "UnauthorizedOperation"
    policy = root_iam.create_policy(PolicyName="ec2-all", PolicyDocument=document(EC2_ALL))["Policy"]
    policy_arn = policy["Arn"]
    root_iam.attach_user_policy(UserName="changing", PolicyArn=policy_arn)
    assert ec2.describe_instances()["Reservations"] == []


def test_tags_at_creation_need_create_tags_and_request_tag_conditions_apply(make: Make) -> None:
    run_only = make(new_user(make, "runner", {
        "Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:Describe*"], "Resource": "*"}))
    tag_spec = [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "red"}]}]
    launch(run_only)
    error = error_of(launch, run_only, TagSpecifications=tag_spec)
    assert error["Code"] == "UnauthorizedOperation"
    assert decoded(make, ROOT_A, error["Message"])["context"]["action"] == "ec2:CreateTags"
    red_only = {"StringEqualsIfExists": {"aws:RequestTag/team": "red"}}
    tagging = make(new_user(make, "tagger", {**EC2_ALL, "Condition": red_only}))
    launch(tagging, TagSpecifications=tag_spec)
    blue = [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "blue"}]}]
    assert error_of(launch, tagging, TagSpecifications=blue)["Code"] == "UnauthorizedOperation"


# --------------------------------------------------------------------------- decoding


def test_decoding_needs_permission_and_refuses_altered_or_foreign_messages(make: Make) -> None:
    nobody = new_user(make, "nobody")
    error = error_of(make(nobody).run_instances, ImageId=image_id(make(ROOT_A)), MinCount=1, MaxCount=1)
    encoded = error["Message"].split("message: ", 1)[1]
    sts = make(nobody, "sts")
    denied = error_of(sts.decode_authorization_message, EncodedMessage=encoded)
    assert denied == {
        "Code": "AccessDenied", "Status": 403,
        "Message": f"User: arn:aws:iam::{ACCOUNT_A}:user/nobody is not authorized to perform: "
                   "sts:DecodeAuthorizationMessage because no identity-based policy allows the "
                   "sts:DecodeAuthorizationMessage action",
    }
    decoder = make(new_user(make, "decoder", {"Effect": "Allow", "Action": "sts:DecodeAuthorizationMessage",
                                              "Resource": "*"}), "sts")
    message = json.loads(decoder.decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
    assert message["allowed"] is False and message["explicitDeny"] is False
    assert message["matchedStatements"] == {"items": []} and message["failures"] == {"items": []}
    assert message["context"]["principal"]["arn"] == f"arn:aws:iam::{ACCOUNT_A}:user/nobody"
    assert message["context"]["action"] == "ec2:RunInstances"
    invalid = {"Code": "InvalidAuthorizationMessageException", "Message": "Message is not valid",
               "Status": 400}
    altered = encoded[:20] + ("A" if encoded[20] != "A" else "B") + encoded[21:]
    assert error_of(decoder.decode_authorization_message, EncodedMessage=altered) == invalid
    assert error_of(decoder.decode_authorization_message, EncodedMessage="garbage") == invalid
    assert error_of(make(ROOT_B, "sts").decode_authorization_message, EncodedMessage=encoded) == invalid


# --------------------------------------------------------------------------- roles


def _role(make: Make, root: tuple[str, str], name: str, trusted: Any, *statements: dict[str, Any],
          **kwargs: Any) -> str:
    iam = make(root, "iam")
    trust = document({"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"})
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, **kwargs)["Role"]["Arn"]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=document(*statements))
    return str(arn)


def test_role_policies_through_assume_role_and_session_expiry(make: Make, app: Emulator) -> None:
    role_arn = _role(make, ROOT_A, "readers", f"arn:aws:iam::{ACCOUNT_A}:root",
                     {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    caller = new_user(make, "switcher", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn})
    session = assume(make, caller, role_arn, DurationSeconds=900)
    assert session[0].startswith("ASIA") and len(session[0]) == 20
    identity = make(session, "sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT_A}:assumed-role/readers/s1"
    ec2 = make(session)
    assert ec2.describe_instances()["Reservations"] == []
    assert error_of(launch, ec2)["Code"] == "UnauthorizedOperation"
    app.advance(901)
    error = error_of(ec2.describe_instances)
    assert (error["Code"], error["Status"]) == ("RequestExpired", 400)


def test_assume_role_refusals(make: Make) -> None:
    role_arn = _role(make, ROOT_A, "guarded", f"arn:aws:iam::{ACCOUNT_A}:user/alice")
    stranger = new_user(make, "stranger", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})
    sts = make(stranger, "sts")
    error = error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1")
    assert error == {"Code": "AccessDenied", "Status": 403,
                     "Message": f"User: arn:aws:iam::{ACCOUNT_A}:user/stranger is not authorized to perform: "
                                f"sts:AssumeRole on resource: {role_arn}"}
    missing = f"arn:aws:iam::{ACCOUNT_A}:role/missing"
    assert error_of(sts.assume_role, RoleArn=missing, RoleSessionName="s1")["Code"] == "AccessDenied"
    error = error_of(make(ROOT_A, "sts").assume_role, RoleArn=role_arn, RoleSessionName="s1")
    assert error == {"Code": "AccessDenied", "Message": "Roles may not be assumed by root accounts.",
                     "Status": 403}
    error = error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="bad name")
    assert (error["Code"], error["Status"]) == ("ValidationError", 400)
    assert error["Message"] == (
        "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w+=,.@-]*")


def test_a_trust_policy_naming_the_user_needs_no_identity_policy(make: Make) -> None:
    role_arn = _role(make, ROOT_A, "direct", f"arn:aws:iam::{ACCOUNT_A}:user/alice", EC2_ALL)
    session = assume(make, ALICE, role_arn)
    assert make(session).describe_instances()["Reservations"] == []
    # Naming only the account is not enough without an identity policy.
    account_role = _role(make, ROOT_A, "byaccount", ACCOUNT_A)
    error = error_of(make(ALICE, "sts").assume_role, RoleArn=account_role, RoleSessionName="s1")
    assert error["Code"] == "AccessDenied"


def test_duration_limits(make: Make) -> None:
    role_arn = _role(make, ROOT_A, "short", f"arn:aws:iam::{ACCOUNT_A}:user/alice")
    error = error_of(make(ALICE, "sts").assume_role, RoleArn=role_arn, RoleSessionName="s1",
                     DurationSeconds=7200)
    assert error == {"Code": "ValidationError", "Status": 400,
                     "Message": "The requested DurationSeconds exceeds the MaxSessionDuration set for this "
                                "role."}
    long_arn = _role(make, ROOT_A, "long", f"arn:aws:iam::{ACCOUNT_A}:user/alice", MaxSessionDuration=7200)
    assert assume(make, ALICE, long_arn, DurationSeconds=7200)


def test_cross_account_role_and_account_isolation(make: Make) -> None:
    root_a, root_b = make(ROOT_A), make(ROOT_B)
    [mine] = launch(root_a)
    error = error_of(root_b.terminate_instances, InstanceIds=[mine])
    assert (error["Code"], error["Message"]) == ("InvalidInstanceID.NotFound",
                                                  f"The instance ID '{mine}' does not exist")
    assert root_b.describe_instances()["Reservations"] == []
    assert error_of(root_b.describe_instances, InstanceIds=[mine])["Code"] == "InvalidInstanceID.NotFound"
    role_arn = _role(make, ROOT_B, "deployer", f"arn:aws:iam::{ACCOUNT_A}:root", EC2_ALL)
    assert role_arn == f"arn:aws:iam::{ACCOUNT_B}:role/deployer"
    # Trusted account, but no identity policy of alice allows it: refused.
    error = error_of(make(ALICE, "sts").assume_role, RoleArn=role_arn, RoleSessionName="s1")
    assert error["Code"] == "AccessDenied"
    allow_role = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}
    deployer = new_user(make, "deployer", allow_role)
    session = assume(make, deployer, role_arn)
    assert make(session, "sts").get_caller_identity()["Account"] == ACCOUNT_B
    in_b = make(session)
    [theirs] = launch(in_b)
    assert states(root_b, [theirs]) == {theirs: "pending"}
    assert error_of(in_b.terminate_instances, InstanceIds=[mine])["Code"] == "InvalidInstanceID.NotFound"
    assert states(root_a, [mine]) == {mine: "pending"}


# --------------------------------------------------------------------------- a real server


def test_enforcement_on_a_real_server(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, ["--accounts", str(ACCOUNTS)]).start()
    try:
        def client(service: str, keys: tuple[str, str]) -> Any:
            return boto3.client(service, region_name="us-east-1", endpoint_url=server.endpoint,
                                config=NO_RETRY, aws_access_key_id=keys[0], aws_secret_access_key=keys[1])

        iam = client("iam", ROOT_A)
        iam.create_user(UserName="bot")
        iam.put_user_policy(UserName="bot", PolicyName="read", PolicyDocument=document(
            {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}))
        key = iam.create_access_key(UserName="bot")["AccessKey"]
        bot = client("ec2", (key["AccessKeyId"], key["SecretAccessKey"]))
        assert bot.describe_instances()["Reservations"] == []
        error = error_of(bot.run_instances, ImageId=image_id(bot), MinCount=1, MaxCount=1, DryRun=True)
        assert (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)
        assert "Encoded authorization failure message: " in error["Message"]
        message = decoded(lambda keys, service: client(service, keys), ROOT_A, error["Message"])
        assert message["context"]["principal"]["arn"] == f"arn:aws:iam::{ACCOUNT_A}:user/bot"
        assert condition_values(message)["aws:SourceIp"] == "127.0.0.1"
    finally:
        server.stop()


# --------------------------------------------------------------------------- session policies and tags


def _tagging_role(make: Make, name: str, trusted: Any, *statements: dict[str, Any]) -> str:
    """A role whose trust policy also allows ``sts:TagSession`` for ``trusted``."""
    iam = make(ROOT_A, "iam")
    trust = document({"Effect": "Allow", "Principal": {"AWS": trusted},
                      "Action": ["sts:AssumeRole", "sts:TagSession"]})
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=document(*statements))
    return str(arn)


def test_an_inline_session_policy_narrows_the_role(make: Make) -> None:
    role_arn = _role(make, ROOT_A, "wide", f"arn:aws:iam::{ACCOUNT_A}:user/alice", EC2_ALL)
    narrow = document({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    answer = make(ALICE, "sts").assume_role(RoleArn=role_arn, RoleSessionName="s1", Policy=narrow)
    assert 0 < answer["PackedPolicySize"] <= 100
    credentials = answer["Credentials"]
    ec2 = make((credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]))
    assert ec2.describe_instances()["Reservations"] == []
    assert error_of(launch, ec2)["Code"] == "UnauthorizedOperation"
    # The session policy cannot grant what the role does not have.
    beyond = document({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})
    session = assume(make, ALICE, role_arn, Policy=beyond)
    assert error_of(make(session, "iam").list_users)["Code"] == "AccessDenied"
    assert error_of(make(session).describe_instances)["Code"] == "UnauthorizedOperation"
    error = error_of(make(ALICE, "sts").assume_role, RoleArn=role_arn, RoleSessionName="s1", Policy="{")
    assert (error["Code"], error["Status"]) == ("MalformedPolicyDocument", 400)


def test_managed_session_policies(make: Make) -> None:
    role_arn = _role(make, ROOT_A, "managed", f"arn:aws:iam::{ACCOUNT_A}:user/alice", EC2_ALL)
    read_only = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"
    session = assume(make, ALICE, role_arn, PolicyArns=[{"arn": read_only}])
    assert make(session).describe_instances()["Reservations"] == []
    assert error_of(launch, make(session))["Code"] == "UnauthorizedOperation"
    missing = f"arn:aws:iam::{ACCOUNT_A}:policy/missing"
    error = error_of(make(ALICE, "sts").assume_role, RoleArn=role_arn, RoleSessionName="s1",
                     PolicyArns=[{"arn": missing}])
    assert error == {"Code": "InvalidParameterValue", "Status": 400,
                     "Message": f"The policy ARN {missing} is not a valid managed policy."}


def test_session_tags_need_tag_session_and_become_principal_tags(make: Make) -> None:
    blue_only = {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}
    plain = _role(make, ROOT_A, "plain", f"arn:aws:iam::{ACCOUNT_A}:user/alice", blue_only)
    error = error_of(make(ALICE, "sts").assume_role, RoleArn=plain, RoleSessionName="s1",
                     Tags=[{"Key": "team", "Value": "blue"}])
    assert error == {"Code": "AccessDenied", "Status": 403,
                     "Message": f"User: arn:aws:iam::{ACCOUNT_A}:user/alice is not authorized to perform: "
                                f"sts:TagSession on resource: {plain}"}
    role_arn = _tagging_role(make, "tagged", f"arn:aws:iam::{ACCOUNT_A}:user/alice", blue_only)
    make(ROOT_A, "iam").tag_role(RoleName="tagged", Tags=[{"Key": "Team", "Value": "red"}])
    red = assume(make, ALICE, role_arn)
    assert error_of(make(red).describe_instances)["Code"] == "UnauthorizedOperation"
    blue = assume(make, ALICE, role_arn, Tags=[{"Key": "team", "Value": "blue"}])
    assert make(blue).describe_instances()["Reservations"] == []
    sts = make(ALICE, "sts")
    error = error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1",
                     Tags=[{"Key": "team", "Value": "blue"}, {"Key": "TEAM", "Value": "red"}])
    assert error == {"Code": "InvalidParameterValue", "Status": 400,
                     "Message": "Duplicate tag keys found. Please note that Tag keys are case insensitive."}
    error = error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="s1",
                     Tags=[{"Key": "team", "Value": "blue"}], TransitiveTagKeys=["cost"])
    assert error["Message"] == "The specified transitive tag key must be included in the requested tags."


def test_transitive_tags_pass_to_a_chained_role(make: Make) -> None:
    first = _tagging_role(make, "first", f"arn:aws:iam::{ACCOUNT_A}:user/alice",
                          {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"})
    blue_only = {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}
    second = _tagging_role(make, "second", first, blue_only)
    session = assume(make, ALICE, first, Tags=[{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": "1"}],
                     TransitiveTagKeys=["team"])
    chained = assume(make, session, second)
    assert make(chained).describe_instances()["Reservations"] == []
    error = error_of(make(session, "sts").assume_role, RoleArn=second, RoleSessionName="s2",
                     Tags=[{"Key": "Team", "Value": "red"}])
    assert error == {"Code": "InvalidParameterValue", "Status": 400,
                     "Message": "The tag key Team is already set by a transitive tag of the calling session."}
