"""LookupEvents through boto3 in-process: the records EC2, IAM, STS and SSM calls leave
(allowed, denied, failed, DryRun; root, IAM user, assumed role), each look-up attribute,
pages, time windows, accounts kept apart, secrets never recorded, 90 days kept."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.app import Emulator
from tests.helpers import error_of, image_id
from tests.services.cloudtrail.conftest import events_of, record_of
from tests.services.shared.test_permissions import (
    ACCOUNT_A,
    ACCOUNT_B,
    EC2_ALL,
    ROOT_A,
    ROOT_B,
    Make,
    _role,
    assume,
    new_user,
)

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _launch(make: Make, keys: tuple[str, ...] = ROOT_A, **kwargs: Any) -> str:
    ec2 = make(keys)
    reply = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1, **kwargs)
    return str(reply["Instances"][0]["InstanceId"])


def _switcher(make: Make, role_arn: str) -> tuple[str, str]:
    """A user of account A allowed to assume ``role_arn``: its keys."""
    return new_user(make, "switcher", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn})


def test_run_and_terminate_are_recorded_in_cloudtrail_shapes(make: Make, app: Emulator) -> None:
    instance = _launch(make, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}])
    app.advance(10)
    make(ROOT_A).terminate_instances(InstanceIds=[instance])
    [run] = events_of(make, ROOT_A, ("EventName", "RunInstances"))
    assert (run["EventSource"], run["Username"], run["ReadOnly"], run["AccessKeyId"]) == (
        "ec2.amazonaws.com", "root", "false", ROOT_A[0])
    assert {"ResourceType": "AWS::EC2::Instance", "ResourceName": instance} in run["Resources"]
    record = json.loads(run["CloudTrailEvent"])
    assert list(record)[:8] == ["eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
                                "sourceIPAddress", "userAgent"]
    assert record["userIdentity"] == {"type": "Root", "principalId": ACCOUNT_A, "arn": f"arn:aws:iam::{ACCOUNT_A}:root",
                                      "accountId": ACCOUNT_A, "accessKeyId": ROOT_A[0]}
    assert TIME.fullmatch(record["eventTime"]) and UUID.fullmatch(record["eventID"])
    assert record["eventID"] == run["EventId"]
    assert (record["eventVersion"], record["eventType"], record["eventCategory"], record["managementEvent"],
            record["readOnly"], record["recipientAccountId"], record["awsRegion"]) == (
        "1.08", "AwsApiCall", "Management", True, False, ACCOUNT_A, "us-east-1")
    assert record["userAgent"].startswith("Boto3/")
    request = record["requestParameters"]
    assert request["instancesSet"]["items"][0]["minCount"] == 1
    assert request["tagSpecificationSet"] == {"items": [{"resourceType": "instance",
                                                         "tags": [{"key": "k", "value": "v"}]}]}
    assert (request["blockDeviceMapping"], request["monitoring"], request["disableApiTermination"]) == (
        {}, {"enabled": False}, False)
    response = record["responseElements"]
    assert response["requestId"] == record["requestID"]
    [launched] = response["instancesSet"]["items"]
    assert (launched["instanceId"], launched["instanceState"]) == (instance, {"code": 0, "name": "pending"})
    assert isinstance(launched["launchTime"], int) and launched["launchTime"] % 1000 == 0
    terminate = record_of(make, ROOT_A, "TerminateInstances")
    assert terminate["requestParameters"] == {"instancesSet": {"items": [{"instanceId": instance}]}}
    [change] = terminate["responseElements"]["instancesSet"]["items"]
    assert change == {"instanceId": instance, "currentState": {"code": 32, "name": "shutting-down"},
                      "previousState": {"code": 16, "name": "running"}}
    assert terminate["responseElements"]["requestId"] == terminate["requestID"]


def test_modify_attribute_create_tags_stop_start_and_reads(make: Make, app: Emulator) -> None:
    instance = _launch(make)
    app.advance(10)
    ec2 = make(ROOT_A)
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "Name", "Value": "x"}])
    ec2.stop_instances(InstanceIds=[instance])
    app.advance(10)
    ec2.modify_instance_attribute(InstanceId=instance, InstanceType={"Value": "t3.nano"})
    ec2.start_instances(InstanceIds=[instance])
    ec2.describe_instances(InstanceIds=[instance])
    tags = record_of(make, ROOT_A, "CreateTags")
    assert tags["requestParameters"] == {"resourcesSet": {"items": [{"resourceId": instance}]},
                                         "tagSet": {"items": [{"key": "Name", "value": "x"}]}}
    assert tags["responseElements"] == {"requestId": tags["requestID"], "_return": True}
    stop = record_of(make, ROOT_A, "StopInstances")
    assert stop["requestParameters"] == {"instancesSet": {"items": [{"instanceId": instance}]}, "force": False}
    assert stop["responseElements"]["instancesSet"]["items"][0]["currentState"]["name"] == "stopping"
    modify = record_of(make, ROOT_A, "ModifyInstanceAttribute")
    assert modify["requestParameters"] == {"instanceId": instance, "instanceType": {"value": "t3.nano"}}
    assert modify["responseElements"] == {"requestId": modify["requestID"], "_return": True}
    start = record_of(make, ROOT_A, "StartInstances")
    assert start["responseElements"]["instancesSet"]["items"][0]["previousState"] == {"code": 80, "name": "stopped"}
    describe = record_of(make, ROOT_A, "DescribeInstances")
    assert (describe["readOnly"], describe["responseElements"]) == (True, None)
    assert describe["requestParameters"] == {"instanceIds": {"items": [instance]}}


def test_denied_calls_are_recorded_with_their_error(make: Make) -> None:
    keys = new_user(make, "nobody")
    ec2 = make(keys)
    assert error_of(ec2.run_instances, ImageId=image_id(make(ROOT_A)), MinCount=1, MaxCount=1)["Code"] == (
        "UnauthorizedOperation")
    assert error_of(make(keys, "iam").create_user, UserName="x")["Code"] == "AccessDenied"
    [denied] = events_of(make, ROOT_A, ("Username", "nobody"), ("EventName", "RunInstances"))
    record = json.loads(denied["CloudTrailEvent"])
    assert record["errorCode"] == "Client.UnauthorizedOperation"
    assert record["errorMessage"].startswith("You are not authorized to perform this operation.")
    assert record["responseElements"] is None and denied["AccessKeyId"] == keys[0]
    assert record["userIdentity"] == {
        "type": "IAMUser", "principalId": record["userIdentity"]["principalId"],
        "arn": f"arn:aws:iam::{ACCOUNT_A}:user/nobody", "accountId": ACCOUNT_A, "accessKeyId": keys[0],
        "userName": "nobody"}
    assert record["userIdentity"]["principalId"].startswith("AIDA")
    iam = record_of(make, ROOT_A, "CreateUser", username="nobody")
    assert (iam["eventSource"], iam["errorCode"]) == ("iam.amazonaws.com", "AccessDenied")
    assert iam["errorMessage"].startswith(f"User: arn:aws:iam::{ACCOUNT_A}:user/nobody is not authorized")


def test_a_dry_run_and_failed_calls_are_recorded(make: Make, app: Emulator) -> None:
    instance = _launch(make)
    app.advance(10)
    ec2 = make(ROOT_A)
    assert error_of(ec2.stop_instances, InstanceIds=[instance], DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.terminate_instances, InstanceIds=["i-0123456789abcdef0"])["Code"] == (
        "InvalidInstanceID.NotFound")
    assert error_of(make(ROOT_A, "ssm").get_parameter, Name="/missing")["Code"] == "ParameterNotFound"
    dry = record_of(make, ROOT_A, "StopInstances")
    assert (dry["errorCode"], dry["errorMessage"]) == (
        "Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
    assert dry["responseElements"] is None
    failed = record_of(make, ROOT_A, "TerminateInstances")
    assert failed["errorCode"] == "Client.InvalidInstanceID.NotFound"
    assert "i-0123456789abcdef0" in failed["errorMessage"]
    ssm = record_of(make, ROOT_A, "GetParameter")
    assert (ssm["eventSource"], ssm["errorCode"], ssm["requestParameters"]) == (
        "ssm.amazonaws.com", "ParameterNotFound", {"name": "/missing"})
    assert make(ROOT_A).describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0][
        "State"]["Name"] == "running"


def test_an_assumed_role_is_recorded_with_its_session(make: Make) -> None:
    role_arn = _role(make, ROOT_A, "auditors", f"arn:aws:iam::{ACCOUNT_A}:root", EC2_ALL, Path="/team/")
    session = assume(make, _switcher(make, role_arn), role_arn)
    make(session).describe_vpcs()
    [event] = events_of(make, ROOT_A, ("AccessKeyId", session[0]))
    assert (event["Username"], event["EventName"]) == ("s1", "DescribeVpcs")
    identity = json.loads(event["CloudTrailEvent"])["userIdentity"]
    role_id = identity["principalId"].split(":")[0]
    assert role_id.startswith("AROA") and identity["principalId"] == f"{role_id}:s1"
    assert identity["arn"] == f"arn:aws:sts::{ACCOUNT_A}:assumed-role/auditors/s1"
    assert (identity["type"], identity["accountId"], identity["accessKeyId"]) == ("AssumedRole", ACCOUNT_A, session[0])
    context = identity["sessionContext"]
    assert context["sessionIssuer"] == {"type": "Role", "principalId": role_id, "arn": role_arn,
                                        "accountId": ACCOUNT_A, "userName": "auditors"}
    assert context["webIdFederationData"] == {} and context["attributes"]["mfaAuthenticated"] == "false"
    assert TIME.fullmatch(context["attributes"]["creationDate"])
    assume_event = record_of(make, ROOT_A, "AssumeRole", username="switcher")
    assert assume_event["requestParameters"] == {"roleArn": role_arn, "roleSessionName": "s1"}


@pytest.mark.parametrize("key", ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName",
                                 "EventSource", "AccessKeyId"])
def test_each_lookup_attribute_finds_its_events(make: Make, app: Emulator, key: str) -> None:
    instance = _launch(make)
    app.advance(10)
    make(ROOT_A).terminate_instances(InstanceIds=[instance])
    make(ROOT_A, "ssm").put_parameter(Name="/p", Value="v", Type="String")
    run = events_of(make, ROOT_A, ("EventName", "RunInstances"))[0]
    value = {"EventId": run["EventId"], "EventName": "TerminateInstances", "ReadOnly": "false", "Username": "root",
             "ResourceType": "AWS::SSM::Parameter", "ResourceName": instance, "EventSource": "ssm.amazonaws.com",
             "AccessKeyId": ROOT_A[0]}[key]
    trail = make(ROOT_A, "cloudtrail")
    found = trail.lookup_events(LookupAttributes=[{"AttributeKey": key, "AttributeValue": value}])["Events"]
    names = [event["EventName"] for event in found]
    expected = {"EventId": ["RunInstances"], "EventName": ["TerminateInstances"],
                "ReadOnly": ["PutParameter", "TerminateInstances", "RunInstances"],
                "ResourceType": ["PutParameter"], "ResourceName": ["TerminateInstances", "RunInstances"],
                "EventSource": ["PutParameter"]}
    if key in expected:
        assert names == expected[key]
    else:  # every call of the root: the image look-up, the events read so far, ...
        assert {"RunInstances", "TerminateInstances", "PutParameter", "DescribeImages", "LookupEvents"} <= set(names)
    assert events_of(make, ROOT_A, (key, "nothing-like-it")) == []


def test_pages_are_newest_first_and_tokens_keep_their_parameters(make: Make, app: Emulator) -> None:
    ec2, instance = make(ROOT_A), _launch(make)
    for index in range(7):
        ec2.create_tags(Resources=[instance], Tags=[{"Key": "n", "Value": str(index)}])
        app.advance(1 if index % 2 else 0)
    trail = make(ROOT_A, "cloudtrail")
    only = [{"AttributeKey": "EventName", "AttributeValue": "CreateTags"}]
    seen, token, pages = [], None, 0
    while True:
        page = trail.lookup_events(LookupAttributes=only, MaxResults=3, **({"NextToken": token} if token else {}))
        seen += [json.loads(e["CloudTrailEvent"])["requestParameters"]["tagSet"]["items"][0]["value"]
                 for e in page["Events"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert (seen, pages) == (["6", "5", "4", "3", "2", "1", "0"], 3)
    assert len(trail.lookup_events(MaxResults=2)["Events"]) == 2
    assert len(trail.lookup_events(LookupAttributes=only)["Events"]) == 7  # 50 by default
    token = trail.lookup_events(LookupAttributes=only, MaxResults=3)["NextToken"]
    assert error_of(trail.lookup_events, MaxResults=3, NextToken=token)["Code"] == "InvalidNextTokenException"
    assert error_of(trail.lookup_events, NextToken="not-a-token")["Code"] == "InvalidNextTokenException"
    too_many = error_of(trail.lookup_events, MaxResults=51)
    assert (too_many["Code"], too_many["Message"]) == (
        "InvalidMaxResultsException", "Value 51 for MaxResults is not valid: it must be from 1 to 50.")

    def zero(params: dict[str, Any], **_: Any) -> None:  # botocore itself refuses 0: sent past its check
        params["body"] = json.dumps({**json.loads(params["body"]), "MaxResults": 0}).encode()

    trail.meta.events.register("before-call.cloudtrail.LookupEvents", zero)
    assert error_of(trail.lookup_events, MaxResults=1)["Code"] == "InvalidMaxResultsException"
    trail.meta.events.unregister("before-call.cloudtrail.LookupEvents", zero)
    two = only + [{"AttributeKey": "Username", "AttributeValue": "root"}]
    assert error_of(trail.lookup_events, LookupAttributes=two)["Code"] == "InvalidLookupAttributesException"
    refused = error_of(trail.lookup_events, EventCategory="insight")
    assert (refused["Code"], "EventCategory" in refused["Message"]) == ("UnsupportedOperationException", True)


def test_a_time_window_holds_the_events_between_its_ends(make: Make, app: Emulator) -> None:
    ec2, instance = make(ROOT_A), _launch(make)
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "at", "Value": "first"}])
    first = app.now()
    app.advance(3600)
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "at", "Value": "second"}])
    app.advance(3600)
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "at", "Value": "third"}])
    trail = make(ROOT_A, "cloudtrail")
    only = [{"AttributeKey": "EventName", "AttributeValue": "CreateTags"}]

    def values(**window: Any) -> list[str]:
        events = trail.lookup_events(LookupAttributes=only, **window)["Events"]
        return [json.loads(e["CloudTrailEvent"])["requestParameters"]["tagSet"]["items"][0]["value"] for e in events]

    hour = dt.timedelta(hours=1)
    assert values(StartTime=first + hour, EndTime=first + hour) == ["second"]
    assert values(StartTime=first + hour) == ["third", "second"]
    assert values(EndTime=first + hour) == ["second", "first"]
    assert values(EndTime=first - hour) == []
    event = trail.lookup_events(LookupAttributes=only, EndTime=first)["Events"][0]
    assert event["EventTime"] == first.replace(microsecond=0)
    error = error_of(trail.lookup_events, StartTime=first + hour, EndTime=first)
    assert error["Code"] == "InvalidTimeRangeException"


def test_accounts_see_only_their_own_events(make: Make) -> None:
    make(ROOT_A).describe_vpcs()
    make(ROOT_B).describe_subnets()
    names_a = {e["EventName"] for e in events_of(make, ROOT_A)}
    names_b = {e["EventName"] for e in events_of(make, ROOT_B)}
    assert "DescribeVpcs" in names_a and "DescribeVpcs" not in names_b
    assert "DescribeSubnets" in names_b and "DescribeSubnets" not in names_a
    assert all(json.loads(e["CloudTrailEvent"])["recipientAccountId"] == ACCOUNT_B for e in events_of(make, ROOT_B))
    a_event = events_of(make, ROOT_A, ("EventName", "DescribeVpcs"))[0]["EventId"]
    assert events_of(make, ROOT_B, ("EventId", a_event)) == []


def test_events_are_read_only_with_permission_and_per_region(make: Make) -> None:
    reader = new_user(make, "reader", {"Effect": "Allow", "Action": "cloudtrail:LookupEvents", "Resource": "*"})
    nobody = new_user(make, "nobody")
    make(ROOT_A, "ec2", "eu-west-1").describe_vpcs()
    assert "CreateUser" in {e["EventName"] for e in events_of(make, reader)}
    error = error_of(make(nobody, "cloudtrail").lookup_events)
    assert error == {"Code": "AccessDeniedException", "Status": 400, "Message":
                     f"User: arn:aws:iam::{ACCOUNT_A}:user/nobody is not authorized to perform: "
                     "cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents "
                     "action"}
    assert "DescribeVpcs" not in {e["EventName"] for e in events_of(make, ROOT_A)}
    west = make(ROOT_A, "cloudtrail", "eu-west-1").lookup_events()["Events"]
    assert [e["EventName"] for e in west] == ["DescribeVpcs"]


def test_secrets_are_never_recorded(make: Make, app: Emulator) -> None:
    keys = new_user(make, "holder")
    role_arn = _role(make, ROOT_A, "secretive", f"arn:aws:iam::{ACCOUNT_A}:root")
    session = assume(make, _switcher(make, role_arn), role_arn)
    ec2 = make(ROOT_A)
    material = ec2.create_key_pair(KeyName="k1")["KeyMaterial"]
    public = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a@b")
    ec2.import_key_pair(KeyName="k2", PublicKeyMaterial=public.encode())
    instance = _launch(make, UserData="user-data-secret-text")
    app.advance(10)
    ec2.stop_instances(InstanceIds=[instance])
    app.advance(10)
    ec2.modify_instance_attribute(InstanceId=instance, UserData={"Value": b"modified-user-data-secret"})
    ec2.modify_instance_attribute(InstanceId=instance, Attribute="userData",
                                 Value=base64.b64encode(b"flat-user-data-secret").decode())
    make(ROOT_A, "ssm").put_parameter(Name="/db/password", Value="parameter-secret-value", Type="String")
    make(ROOT_A, "ssm").get_parameter(Name="/db/password")
    trail = make(ROOT_A, "cloudtrail")
    text = json.dumps(trail.lookup_events()["Events"], default=str)
    for secret in (keys[1], session[1], session[2], material.split("\n")[1], public.split()[1],
                   "user-data-secret-text", "parameter-secret-value", "flat-user-data-secret",
                   base64.b64encode(b"flat-user-data-secret").decode()):
        assert secret not in text
    assert "modified-user-data-secret" not in text and "bW9kaWZpZWQtdXNlci1kYXRhLXNlY3JldA" not in text
    [created] = events_of(make, ROOT_A, ("ResourceName", "holder"), ("EventName", "CreateAccessKey"))
    access_key = json.loads(created["CloudTrailEvent"])["responseElements"]["accessKey"]
    assert (access_key["accessKeyId"], access_key["secretAccessKey"]) == (keys[0], "<sensitiveDataRemoved>")
    credentials = record_of(make, ROOT_A, "AssumeRole")["responseElements"]["credentials"]
    assert credentials["sessionToken"] == credentials["secretAccessKey"] == "<sensitiveDataRemoved>"
    assert record_of(make, ROOT_A, "CreateKeyPair")["responseElements"]["keyMaterial"] == "<sensitiveDataRemoved>"
    assert record_of(make, ROOT_A, "PutParameter")["requestParameters"]["value"] == "<sensitiveDataRemoved>"
    flat, nested = events_of(make, ROOT_A, ("EventName", "ModifyInstanceAttribute"))
    assert json.loads(nested["CloudTrailEvent"])["requestParameters"]["userData"] == "<sensitiveDataRemoved>"
    assert json.loads(flat["CloudTrailEvent"])["requestParameters"] == {
        "instanceId": instance, "attribute": "userData", "value": "<sensitiveDataRemoved>"}


def test_ninety_days_are_kept(make: Make, app: Emulator) -> None:
    make(ROOT_A).describe_vpcs()
    app.advance(89 * 86_400)
    make(ROOT_A).describe_subnets()
    assert {"DescribeVpcs", "DescribeSubnets"} <= {e["EventName"] for e in events_of(make, ROOT_A)}
    app.advance(2 * 86_400)
    names = {e["EventName"] for e in events_of(make, ROOT_A)}
    assert "DescribeSubnets" in names and "DescribeVpcs" not in names
    app.flush_trail()
    with app.store.unit_of_work() as uow:
        stored = {name for (name,) in uow.conn.execute(sa.text("SELECT event_name FROM trail_events"))}
    assert "DescribeVpcs" not in stored and "DescribeSubnets" in stored


def test_a_response_past_100_kb_is_marked_omitted(make: Make) -> None:
    ec2 = make(ROOT_A)
    ec2.run_instances(ImageId=image_id(ec2), MinCount=60, MaxCount=60)
    [run] = events_of(make, ROOT_A, ("EventName", "RunInstances"))
    record = json.loads(run["CloudTrailEvent"])
    assert record["responseElements"] == {"omitted": True}
    assert record["requestParameters"]["instancesSet"]["items"][0]["maxCount"] == 60
    assert len([r for r in run["Resources"] if r["ResourceType"] == "AWS::EC2::Instance"]) == 60


def test_other_cloudtrail_operations_are_not_served_and_are_recorded_as_failures(make: Make) -> None:
    error = error_of(make(ROOT_A, "cloudtrail").describe_trails)
    assert (error["Code"], error["Message"]) == (
        "InvalidAction", "The action DescribeTrails is a valid CloudTrail action but is not implemented by this "
                         "endpoint.")
    failed = record_of(make, ROOT_A, "DescribeTrails")
    assert (failed["eventSource"], failed["errorCode"], failed["readOnly"]) == (
        "cloudtrail.amazonaws.com", "InvalidAction", True)
