"""IAM instance profiles on EC2 instances through boto3: RunInstances' IamInstanceProfile
(by name or ARN), AssociateIamInstanceProfile, ReplaceIamInstanceProfileAssociation,
DisassociateIamInstanceProfile and DescribeIamInstanceProfileAssociations (IDs, filters,
paging); the errors (code, message, status) with nothing changed; a terminated
instance's association gone; regions and accounts apart; and ``iam:PassRole`` with the
instance checks when IAM is enforced."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import NO_RETRY
from tests.helpers import error_of, image_id, launch
from tests.services.shared import test_permissions as shared
from tests.services.shared.test_permissions import ACCOUNT_A, EC2_ALL, ROOT_A, ROOT_B, decoded, new_user

ACCOUNT = "000000000000"
# The accounts of ``examples/accounts.toml`` and their clients, as the shared permission tests have them.
app, make = shared.app, shared.make
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


@pytest.fixture
def iam(make_client: Callable[..., Any]) -> Any:
    return make_client(service="iam")


def _profile(iam: Any, name: str, role: str | None = None) -> dict[str, Any]:
    profile = iam.create_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    if role is not None:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST)
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
    return {"Arn": profile["Arn"], "Id": profile["InstanceProfileId"]}


def _shown(ec2: Any, instance_id: str) -> Any:
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return reservation["Instances"][0].get("IamInstanceProfile")


def _associations(ec2: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return list(ec2.describe_iam_instance_profile_associations(**kwargs)["IamInstanceProfileAssociations"])


def _invalid(member: str, value: str) -> dict[str, Any]:
    kind = "name" if member == "name" else "ARN"
    return {"Code": "InvalidParameterValue", "Status": 400, "Message": (
        f"Value ({value}) for parameter iamInstanceProfile.{member} is invalid. Invalid IAM Instance Profile {kind}")}


def test_a_launch_with_a_profile_associates_each_instance(ec2: Any, iam: Any, clock: ManualClock) -> None:
    web = _profile(iam, "web", role="worker")
    reservation = ec2.run_instances(ImageId=image_id(ec2), InstanceType="t3.micro", MinCount=2, MaxCount=2,
                                    IamInstanceProfile={"Name": "web"})
    ids = [instance["InstanceId"] for instance in reservation["Instances"]]
    assert [instance["IamInstanceProfile"] for instance in reservation["Instances"]] == [web, web]
    assert _shown(ec2, ids[0]) == web
    associations = _associations(ec2)
    assert sorted(a["InstanceId"] for a in associations) == sorted(ids)
    assert len({a["AssociationId"] for a in associations}) == 2
    for association in associations:
        assert association["AssociationId"].startswith("iip-assoc-")
        assert (association["IamInstanceProfile"], association["State"], association["Timestamp"]) == (
            web, "associated", clock.now())
    [by_arn] = launch(ec2, IamInstanceProfile={"Arn": web["Arn"]})
    assert _shown(ec2, by_arn) == web
    [both] = launch(ec2, IamInstanceProfile={"Arn": web["Arn"], "Name": "web"})
    assert _shown(ec2, both) == web
    [plain] = launch(ec2)
    assert _shown(ec2, plain) is None


def test_a_launch_naming_an_unknown_profile_launches_nothing(ec2: Any, iam: Any, make_client: Any) -> None:
    web = _profile(iam, "web")
    other_path = web["Arn"].replace(":instance-profile/", ":instance-profile/other/")
    for spec, error in [
        ({"Name": "nope"}, _invalid("name", "nope")),
        ({"Arn": web["Arn"] + "x"}, _invalid("arn", web["Arn"] + "x")),
        ({"Arn": other_path}, _invalid("arn", other_path)),
        ({"Arn": "not-an-arn"}, _invalid("arn", "not-an-arn")),
        ({"Arn": web["Arn"].replace(ACCOUNT, "111111111111")},
         _invalid("arn", web["Arn"].replace(ACCOUNT, "111111111111"))),
        ({"Arn": web["Arn"], "Name": "db"}, _invalid("name", "db")),
    ]:
        assert error_of(launch, ec2, IamInstanceProfile=spec) == error, spec
    assert ec2.describe_instances()["Reservations"] == []
    assert _associations(ec2) == []


def test_associate_replace_and_disassociate(ec2: Any, iam: Any) -> None:
    web, db = _profile(iam, "web"), _profile(iam, "db", role="worker")
    [instance] = launch(ec2)
    answer = ec2.associate_iam_instance_profile(InstanceId=instance, IamInstanceProfile={"Name": "web"})
    first = answer["IamInstanceProfileAssociation"]
    assert (first["InstanceId"], first["IamInstanceProfile"], first["State"]) == (instance, web, "associating")
    assert _associations(ec2) == [{**first, "State": "associated"}]
    assert _shown(ec2, instance) == web
    assert error_of(ec2.associate_iam_instance_profile, InstanceId=instance, IamInstanceProfile={"Name": "db"}) == {
        "Code": "IncorrectState", "Message": f"There is an existing association for instance {instance}",
        "Status": 400}
    second = ec2.replace_iam_instance_profile_association(
        AssociationId=first["AssociationId"], IamInstanceProfile={"Arn": db["Arn"]})["IamInstanceProfileAssociation"]
    assert (second["InstanceId"], second["IamInstanceProfile"], second["State"]) == (instance, db, "associating")
    assert second["AssociationId"] != first["AssociationId"]
    assert [a["AssociationId"] for a in _associations(ec2)] == [second["AssociationId"]]
    assert _shown(ec2, instance) == db
    gone = {"Code": "InvalidAssociationID.NotFound", "Status": 400,
            "Message": f"The association ID '{first['AssociationId']}' does not exist"}
    assert error_of(ec2.disassociate_iam_instance_profile, AssociationId=first["AssociationId"]) == gone
    assert error_of(ec2.replace_iam_instance_profile_association, AssociationId=first["AssociationId"],
                    IamInstanceProfile={"Name": "web"}) == gone
    ended = ec2.disassociate_iam_instance_profile(AssociationId=second["AssociationId"])
    assert ended["IamInstanceProfileAssociation"] == {**second, "State": "disassociating"}
    assert _associations(ec2) == [] and _shown(ec2, instance) is None
    ec2.associate_iam_instance_profile(InstanceId=instance, IamInstanceProfile={"Arn": web["Arn"]})
    assert _shown(ec2, instance) == web


def test_association_errors_change_nothing(ec2: Any, iam: Any, clock: ManualClock) -> None:
    web = _profile(iam, "web")
    [instance] = launch(ec2, IamInstanceProfile={"Name": "web"})
    [association] = _associations(ec2)
    [bare] = launch(ec2)
    assert error_of(ec2.associate_iam_instance_profile, InstanceId=bare,
                    IamInstanceProfile={"Name": "nope"}) == _invalid("name", "nope")
    assert error_of(ec2.associate_iam_instance_profile, InstanceId="i-0123456789abcdef0",
                    IamInstanceProfile={"Name": "web"}) == {
        "Code": "InvalidInstanceID.NotFound", "Message": "The instance ID 'i-0123456789abcdef0' does not exist",
        "Status": 400}
    assert error_of(ec2.associate_iam_instance_profile, InstanceId="x-1",
                    IamInstanceProfile={"Name": "web"})["Code"] == "InvalidInstanceID.Malformed"
    assert error_of(ec2.replace_iam_instance_profile_association, AssociationId=association["AssociationId"],
                    IamInstanceProfile={"Arn": web["Arn"] + "x"}) == _invalid("arn", web["Arn"] + "x")
    assert error_of(ec2.associate_iam_instance_profile, InstanceId=bare, IamInstanceProfile={}) == {
        "Code": "MissingParameter", "Message": "The request must contain the parameter IamInstanceProfile",
        "Status": 400}
    assert _associations(ec2) == [association] and _shown(ec2, bare) is None
    ec2.terminate_instances(InstanceIds=[bare])
    assert error_of(ec2.associate_iam_instance_profile, InstanceId=bare, IamInstanceProfile={"Name": "web"}) == {
        "Code": "IncorrectInstanceState", "Status": 400,
        "Message": f"The instance '{bare}' is not in a state from which it can be associated."}
    assert _shown(ec2, instance) == web


def test_a_terminated_instance_has_no_association(ec2: Any, iam: Any, clock: ManualClock) -> None:
    web = _profile(iam, "web")
    [instance] = launch(ec2, IamInstanceProfile={"Name": "web"})
    [association] = _associations(ec2)
    ec2.terminate_instances(InstanceIds=[instance])
    assert _associations(ec2) == [association]
    clock.advance(5)  # shutting-down is over
    assert _associations(ec2) == [] and _shown(ec2, instance) is None
    assert error_of(ec2.disassociate_iam_instance_profile, AssociationId=association["AssociationId"])["Code"] == (
        "InvalidAssociationID.NotFound")
    # Deleting the profile leaves the instances associated with it as they are.
    [other] = launch(ec2, IamInstanceProfile={"Name": "web"})
    iam.delete_instance_profile(InstanceProfileName="web")
    assert _shown(ec2, other) == web
    assert [a["InstanceId"] for a in _associations(ec2)] == [other]


def test_describe_by_ids_filters_and_pages(ec2: Any, iam: Any, emulator: Emulator) -> None:
    _profile(iam, "web")
    instances = launch(ec2, count=7, IamInstanceProfile={"Name": "web"})
    everything = _associations(ec2)
    ids = [a["AssociationId"] for a in everything]
    assert ids == sorted(ids) and len(ids) == 7
    assert [a["AssociationId"] for a in _associations(ec2, AssociationIds=[ids[3], ids[1]])] == [ids[3], ids[1]]
    assert error_of(ec2.describe_iam_instance_profile_associations, AssociationIds=[ids[0], "iip-assoc-0"]) == {
        "Code": "InvalidAssociationID.NotFound", "Message": "The association ID 'iip-assoc-0' does not exist",
        "Status": 400}
    assert error_of(ec2.describe_iam_instance_profile_associations, AssociationIds=[ids[0]], MaxResults=5) == {
        "Code": "InvalidParameterCombination", "Status": 400,
        "Message": "The parameter AssociationId cannot be used with the parameter maxResults"}
    by_instance = _associations(ec2, Filters=[{"Name": "instance-id", "Values": instances[2:4]}])
    assert sorted(a["InstanceId"] for a in by_instance) == sorted(instances[2:4])
    for values, count in [(["associated"], 7), (["assoc*"], 7), (["disassociated", "associating"], 0)]:
        assert len(_associations(ec2, Filters=[{"Name": "state", "Values": values}])) == count, values
    first = ec2.describe_iam_instance_profile_associations(MaxResults=5)
    rest = ec2.describe_iam_instance_profile_associations(MaxResults=5, NextToken=first["NextToken"])
    assert [a["AssociationId"] for a in first["IamInstanceProfileAssociations"]] == ids[:5]
    assert [a["AssociationId"] for a in rest["IamInstanceProfileAssociations"]] == ids[5:]
    assert "NextToken" not in rest
    unchecked = InProcessTransport(emulator).attach(boto3.client(
        "ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id="test",
        aws_secret_access_key="test", config=NO_RETRY.merge(Config(parameter_validation=False))))
    assert error_of(unchecked.describe_iam_instance_profile_associations, MaxResults=4) == {
        "Code": "InvalidParameterValue", "Status": 400,
        "Message": "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5."}
    assert error_of(ec2.describe_iam_instance_profile_associations,
                    Filters=[{"Name": "profile", "Values": ["x"]}]) == {
        "Code": "InvalidParameterValue", "Message": "The filter 'profile' is invalid", "Status": 400}


def test_regions_and_accounts_are_apart(make: Callable[..., Any]) -> None:
    iam_a = make(ROOT_A, "iam")
    profile = iam_a.create_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    ec2_a, ec2_west, ec2_b = make(ROOT_A), make(ROOT_A, region="eu-west-1"), make(ROOT_B)
    [instance] = launch(ec2_a, IamInstanceProfile={"Name": "web"})
    [association] = _associations(ec2_a)
    # IAM is global: the profile is the account's in every region.
    [west] = launch(ec2_west, IamInstanceProfile={"Arn": profile["Arn"]})
    assert [a["InstanceId"] for a in _associations(ec2_west)] == [west]
    assert _associations(ec2_b) == []
    assert error_of(launch, ec2_b, IamInstanceProfile={"Arn": profile["Arn"]}) == _invalid("arn", profile["Arn"])
    assert error_of(launch, ec2_b, IamInstanceProfile={"Name": "web"}) == _invalid("name", "web")
    assert error_of(ec2_b.disassociate_iam_instance_profile, AssociationId=association["AssociationId"])[
        "Code"] == "InvalidAssociationID.NotFound"
    assert error_of(ec2_b.describe_iam_instance_profile_associations,
                    AssociationIds=[association["AssociationId"]])["Code"] == "InvalidAssociationID.NotFound"
    assert _shown(ec2_a, instance) == {"Arn": profile["Arn"], "Id": profile["InstanceProfileId"]}


def _pass_role(role_arn: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn,
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}


def test_a_profile_with_a_role_needs_pass_role(make: Callable[..., Any]) -> None:
    iam = make(ROOT_A, "iam")
    role = iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="worker")
    iam.create_instance_profile(InstanceProfileName="empty")
    ec2_only = make(new_user(make, "launcher", EC2_ALL))
    error = error_of(launch, ec2_only, IamInstanceProfile={"Name": "web"})
    assert error["Code"] == "UnauthorizedOperation" and error["Status"] == 403
    message = decoded(make, ROOT_A, error["Message"])
    assert (message["context"]["action"], message["context"]["resource"]) == ("iam:PassRole", role)
    assert ec2_only.describe_instances()["Reservations"] == []
    # A profile without a role passes none.
    [instance] = launch(ec2_only, IamInstanceProfile={"Name": "empty"})
    [association] = _associations(ec2_only)
    assert error_of(ec2_only.replace_iam_instance_profile_association, AssociationId=association["AssociationId"],
                    IamInstanceProfile={"Name": "web"})["Code"] == "UnauthorizedOperation"
    ec2_only.disassociate_iam_instance_profile(AssociationId=association["AssociationId"])
    assert error_of(ec2_only.associate_iam_instance_profile, InstanceId=instance,
                    IamInstanceProfile={"Name": "web"})["Code"] == "UnauthorizedOperation"
    assert _associations(ec2_only) == []
    passing = make(new_user(make, "passer", EC2_ALL, _pass_role(role)))
    launch(passing, IamInstanceProfile={"Name": "web"})
    passing.associate_iam_instance_profile(InstanceId=instance, IamInstanceProfile={"Name": "web"})
    assert len(_associations(passing)) == 2


def test_association_actions_check_the_instance(make: Callable[..., Any]) -> None:
    iam = make(ROOT_A, "iam")
    iam.create_instance_profile(InstanceProfileName="web")
    root = make(ROOT_A)
    tagged = [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "red"}]}]
    [red] = launch(root, TagSpecifications=tagged)
    [blue] = launch(root)
    instance_arn = f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/*"
    ops = make(new_user(make, "ops", {"Effect": "Allow", "Resource": instance_arn, "Action": [
        "ec2:AssociateIamInstanceProfile", "ec2:DisassociateIamInstanceProfile",
        "ec2:ReplaceIamInstanceProfileAssociation"],
        "Condition": {"StringEquals": {"ec2:ResourceTag/team": "red"}}},
        {"Effect": "Allow", "Action": "ec2:DescribeIamInstanceProfileAssociations", "Resource": "*"}))
    association = ops.associate_iam_instance_profile(InstanceId=red, IamInstanceProfile={"Name": "web"})[
        "IamInstanceProfileAssociation"]
    error = error_of(ops.associate_iam_instance_profile, InstanceId=blue, IamInstanceProfile={"Name": "web"})
    assert error["Code"] == "UnauthorizedOperation"
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == (
        f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/{blue}")
    other = root.associate_iam_instance_profile(InstanceId=blue, IamInstanceProfile={"Name": "web"})[
        "IamInstanceProfileAssociation"]
    assert error_of(ops.disassociate_iam_instance_profile, AssociationId=other["AssociationId"])["Code"] == (
        "UnauthorizedOperation")
    assert len(_associations(ops)) == 2
    ops.replace_iam_instance_profile_association(AssociationId=association["AssociationId"],
                                                 IamInstanceProfile={"Name": "web"})
    # An association that does not exist is left to the handler.
    assert error_of(ops.disassociate_iam_instance_profile, AssociationId="iip-assoc-0123456789abcdef0")[
        "Code"] == "InvalidAssociationID.NotFound"
