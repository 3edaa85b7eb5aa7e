"""A rule's targets: PutTargets (input options, retry policy, dead-letter queue, the limit
of five, replacing by ID), RemoveTargets and ListTargetsByRule in pages, and their errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import error_of

QUEUE = "arn:aws:sqs:us-east-1:000000000000:jobs"
DLQ = "arn:aws:sqs:us-east-1:000000000000:jobs-dlq"
FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:handler"
OK = {"FailedEntryCount": 0, "FailedEntries": []}


@pytest.fixture
def rule(events: Any) -> str:
    events.put_rule(Name="jobs", EventPattern=json.dumps({"source": ["my.app"]}))
    return "jobs"


def _answer(result: dict[str, Any]) -> dict[str, Any]:
    return {key: result[key] for key in ("FailedEntryCount", "FailedEntries")}


def test_targets_are_kept_as_given(events: Any, rule: str) -> None:
    transformer = {"InputPathsMap": {"state": "$.detail.state", "first": "$.resources[0]"},
                   "InputTemplate": '{"state": <state>, "rule": <aws.events.rule-name>, "first": <first>}'}
    targets = [
        {"Id": "plain", "Arn": QUEUE},
        {"Id": "constant", "Arn": FUNCTION, "Input": '{"fixed": true}',
         "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 600},
         "DeadLetterConfig": {"Arn": DLQ}},
        {"Id": "path", "Arn": QUEUE, "InputPath": "$.detail"},
        {"Id": "shaped", "Arn": QUEUE, "InputTransformer": transformer,
         "RoleArn": "arn:aws:iam::000000000000:role/events"},
    ]
    assert _answer(events.put_targets(Rule=rule, Targets=targets)) == OK
    listed = events.list_targets_by_rule(Rule=rule)["Targets"]
    assert listed == sorted(targets, key=lambda target: target["Id"])
    events.put_targets(Rule=rule, Targets=[{"Id": "plain", "Arn": FUNCTION, "Input": "[1]"}])
    replaced = [target for target in events.list_targets_by_rule(Rule=rule)["Targets"] if target["Id"] == "plain"]
    assert replaced == [{"Id": "plain", "Arn": FUNCTION, "Input": "[1]"}]


def test_at_most_five_targets(events: Any, rule: str) -> None:
    events.put_targets(Rule=rule, Targets=[{"Id": f"t{n}", "Arn": QUEUE} for n in range(4)])
    assert error_of(events.put_targets, Rule=rule, Targets=[{"Id": "t8", "Arn": QUEUE}, {"Id": "t9", "Arn": QUEUE}]) == {
        "Code": "LimitExceededException", "Status": 400,
        "Message": "The requested resource exceeds the maximum number allowed."}
    assert len(events.list_targets_by_rule(Rule=rule)["Targets"]) == 4
    events.put_targets(Rule=rule, Targets=[{"Id": "t0", "Arn": FUNCTION}, {"Id": "t4", "Arn": QUEUE}])
    assert [t["Id"] for t in events.list_targets_by_rule(Rule=rule)["Targets"]] == ["t0", "t1", "t2", "t3", "t4"]


def test_remove_and_list_in_pages(events: Any, rule: str) -> None:
    events.put_targets(Rule=rule, Targets=[{"Id": f"t{n}", "Arn": QUEUE} for n in range(5)])
    first = events.list_targets_by_rule(Rule=rule, Limit=2)
    assert [t["Id"] for t in first["Targets"]] == ["t0", "t1"]
    rest = events.list_targets_by_rule(Rule=rule, Limit=3, NextToken=first["NextToken"])
    assert ([t["Id"] for t in rest["Targets"]], "NextToken" in rest) == (["t2", "t3", "t4"], False)
    assert _answer(events.remove_targets(Rule=rule, Ids=["t1", "t3", "never"])) == OK
    assert _answer(events.remove_targets(Rule=rule, Ids=["t0"], Force=True)) == OK
    assert [t["Id"] for t in events.list_targets_by_rule(Rule=rule)["Targets"]] == ["t2", "t4"]


def test_target_refusals_change_nothing(events: Any, rule: str) -> None:
    def refused(target: dict[str, Any]) -> dict[str, Any]:
        return error_of(events.put_targets, Rule=rule, Targets=[{"Id": "ok", "Arn": QUEUE}, target])

    assert refused({"Id": "two", "Arn": QUEUE, "Input": "{}", "InputPath": "$.detail"}) == {
        "Code": "ValidationException", "Status": 400,
        "Message": "Only one of Input, InputPath, or InputTransformer must be provided for target two."}
    template = {"InputPathsMap": {"state": "$.detail.state"}, "InputTemplate": '"<state> and <other>"'}
    assert refused({"Id": "tpl", "Arn": QUEUE, "InputTransformer": template})["Message"] == (
        "InputTemplate for target tpl contains invalid placeholder other.")
    as_key = {"InputPathsMap": {"state": "$.detail.state"}, "InputTemplate": '{"fixed": 1, <state> : "x"}'}
    assert refused({"Id": "key", "Arn": QUEUE, "InputTransformer": as_key})["Message"] == (
        "InputTemplate for target key uses placeholder state as an object key.")
    reserved = {"InputPathsMap": {"AWS.x": "$.id"}, "InputTemplate": '"<AWS.x>"'}
    assert refused({"Id": "tpl", "Arn": QUEUE, "InputTransformer": reserved})["Code"] == "ValidationException"
    assert refused({"Id": "json", "Arn": QUEUE, "Input": "{not json"})["Message"] == (
        "Input for target json is not valid JSON text.")
    assert refused({"Id": "p", "Arn": QUEUE, "InputPath": "detail"})["Code"] == "ValidationException"
    assert refused({"Id": "a", "Arn": "queue"})["Code"] == "ValidationException"
    assert refused({"Id": "d", "Arn": QUEUE, "DeadLetterConfig": {"Arn": FUNCTION}})["Code"] == "ValidationException"
    assert refused({"Id": "h", "Arn": QUEUE, "HttpParameters": {"HeaderParameters": {"a": "b"}}})["Message"] == (
        "The parameter HttpParameters is not supported by this endpoint.")
    retry = refused({"Id": "r", "Arn": QUEUE, "RetryPolicy": {"MaximumRetryAttempts": 186}})
    assert (retry["Code"], "at 'targets.2.member.retryPolicy.maximumRetryAttempts'" in retry["Message"]) == (
        "ValidationException", True)
    assert events.list_targets_by_rule(Rule=rule)["Targets"] == []
    missing = {"Code": "ResourceNotFoundException", "Status": 400,
               "Message": "Rule nope does not exist on EventBus default."}
    assert error_of(events.put_targets, Rule="nope", Targets=[{"Id": "ok", "Arn": QUEUE}]) == missing
    assert error_of(events.remove_targets, Rule="nope", Ids=["ok"]) == missing
    assert error_of(events.list_targets_by_rule, Rule="nope") == missing
