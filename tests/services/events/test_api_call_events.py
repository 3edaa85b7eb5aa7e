"""``AWS API Call via CloudTrail`` events through boto3 in-process: a recorded call's event
reaches the rules matching it (its ``detail`` the CloudTrail record LookupEvents shows),
a denied call's carries its ``errorCode``, reads reach only rules in the state
``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`` and are stored only when such a rule
exists, each call has its event once, and no secret is in one."""

from __future__ import annotations

import json
import re
from typing import Any

from ec2emu.app import Emulator
from tests.helpers import error_of, image_id
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, Make, new_user

CALL = "AWS API Call via CloudTrail"
ALL = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _rule(make: Make, app: Emulator, name: str, pattern: dict[str, Any], **options: Any) -> list[dict[str, Any]]:
    """A rule of account A whose target is a function recording what it gets."""
    got: list[dict[str, Any]] = []
    app.functions[name] = got.append
    events = make(ROOT_A, "events")
    events.put_rule(Name=name, EventPattern=json.dumps(pattern), **options)
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": f"arn:aws:lambda:us-east-1:{ACCOUNT_A}:function:{name}"}])
    return got


def _calls(app: Emulator, name: str) -> list[dict[str, Any]]:
    return [e for e in app.events if e["detail-type"] == CALL and e["detail"]["eventName"] == name]


def _launch(make: Make, app: Emulator) -> str:
    ec2 = make(ROOT_A)
    instance = str(ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"])
    app.advance(60)  # running
    return instance


def test_a_rule_gets_the_stop_instances_call_with_its_whole_record(make: Make, app: Emulator) -> None:
    got = _rule(make, app, "stops", {"source": ["aws.ec2"], "detail-type": [CALL],
                                     "detail": {"eventName": ["StopInstances"]}})
    instance = _launch(make, app)
    make(ROOT_A).stop_instances(InstanceIds=[instance])
    assert got == []  # the call never delivers
    app.deliver()
    [event] = got
    assert {key: event[key] for key in ("version", "detail-type", "source", "account", "region", "resources")} == {
        "version": "0", "detail-type": CALL, "source": "aws.ec2", "account": ACCOUNT_A, "region": "us-east-1",
        "resources": []}
    [listed] = make(ROOT_A, "cloudtrail").lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "StopInstances"}])["Events"]
    assert event["detail"] == json.loads(listed["CloudTrailEvent"])
    assert event["time"] == event["detail"]["eventTime"]
    assert UUID.fullmatch(event["id"]) and event["id"] != event["detail"]["eventID"]
    assert event["detail"]["requestParameters"]["instancesSet"]["items"] == [{"instanceId": instance}]
    app.flush_trail()
    app.deliver()
    assert len(got) == 1 and [e["id"] for e in _calls(app, "StopInstances")] == [event["id"]]  # once


def test_a_denied_call_carries_its_error_code(make: Make, app: Emulator) -> None:
    got = _rule(make, app, "denied", {"detail-type": [CALL], "detail": {"errorCode": [{"exists": True}]}})
    instance = _launch(make, app)
    keys = new_user(make, "nobody")
    assert error_of(make(keys).stop_instances, InstanceIds=[instance])["Code"] == "UnauthorizedOperation"
    app.deliver()
    [event] = got
    assert (event["source"], event["detail"]["eventName"]) == ("aws.ec2", "StopInstances")
    assert event["detail"]["errorCode"] == "Client.UnauthorizedOperation"
    assert event["detail"]["userIdentity"]["userName"] == "nobody"
    assert event["detail"]["responseElements"] is None


def test_reads_reach_only_rules_that_ask_for_every_management_event(make: Make, app: Emulator) -> None:
    pattern = {"detail-type": [CALL], "detail": {"eventName": ["DescribeInstances", "RunInstances"]}}
    enabled = _rule(make, app, "enabled", pattern)
    ec2 = make(ROOT_A)
    ec2.describe_instances()
    app.flush_trail()
    assert _calls(app, "DescribeInstances") == []  # no rule asks for reads: not stored
    every = _rule(make, app, "every", pattern, State=ALL)
    events = make(ROOT_A, "events")
    assert events.describe_rule(Name="every")["State"] == ALL
    assert [rule["State"] for rule in events.list_rules()["Rules"]] == ["ENABLED", ALL]
    ec2.describe_instances()
    ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
    app.deliver()
    assert [e["detail"]["eventName"] for e in every] == ["DescribeInstances", "RunInstances"]
    assert [e["detail"]["eventName"] for e in enabled] == ["RunInstances"]
    assert every[0]["detail"]["readOnly"] is True and every[0]["source"] == "aws.ec2"
    events.enable_rule(Name="every")  # back to ENABLED: reads no longer reach it
    ec2.describe_instances()
    app.deliver()
    assert len(every) == 2


def test_other_services_calls_have_their_source_and_secrets_stay_out(make: Make, app: Emulator) -> None:
    got = _rule(make, app, "iam", {"source": ["aws.iam", "aws.ec2"], "detail-type": [CALL],
                                   "detail": {"eventName": ["CreateAccessKey", "CreateKeyPair"]}})
    iam = make(ROOT_A, "iam")
    iam.create_user(UserName="u")
    secret = iam.create_access_key(UserName="u")["AccessKey"]["SecretAccessKey"]
    material = make(ROOT_A).create_key_pair(KeyName="k")["KeyMaterial"]
    make(ROOT_A, "events").create_connection(
        Name="hook", AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "key-s3cret"}})
    app.deliver()
    assert [(e["source"], e["detail"]["eventName"]) for e in got] == [
        ("aws.iam", "CreateAccessKey"), ("aws.ec2", "CreateKeyPair")]
    assert [e["source"] for e in app.events if e["detail-type"] == CALL and e["detail"]["eventName"] == "CreateUser"
            ] == ["aws.iam"]
    every = json.dumps(app.events)
    assert secret not in every and material.splitlines()[1] not in every and "key-s3cret" not in every
    assert _calls(app, "CreateConnection")[0]["source"] == "aws.events"
