"""Rules on the default bus: PutRule (patterns, states, replacing), DescribeRule,
ListRules (prefix, pages), EnableRule, DisableRule, DeleteRule, and their errors."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import error_of

ACCOUNT = "000000000000"
ARN = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/"
PATTERN = json.dumps({"source": ["my.app"], "detail": {"state": ["done", "failed"]}})


def test_put_describe_and_replace_a_rule(events: Any) -> None:
    put = events.put_rule(Name="on-done", EventPattern=PATTERN, Description="jobs ending",
                          Tags=[{"Key": "team", "Value": "red"}])
    assert put["RuleArn"] == ARN + "on-done"
    rule = events.describe_rule(Name="on-done")
    assert {key: rule[key] for key in ("Name", "Arn", "EventPattern", "State", "Description", "EventBusName",
                                       "CreatedBy")} == {
        "Name": "on-done", "Arn": ARN + "on-done", "EventPattern": PATTERN, "State": "ENABLED",
        "Description": "jobs ending", "EventBusName": "default", "CreatedBy": ACCOUNT}
    other = json.dumps({"source": ["other.app"]})
    events.put_rule(Name="on-done", EventPattern=other, State="DISABLED")
    replaced = events.describe_rule(Name="on-done")
    assert (replaced["EventPattern"], replaced["State"], "Description" in replaced) == (other, "DISABLED", False)
    bus_arn = f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/default"
    assert events.describe_rule(Name="on-done", EventBusName=bus_arn)["Name"] == "on-done"
    assert events.describe_rule(Name="on-done", EventBusName="default")["Name"] == "on-done"


def test_enable_disable_and_delete(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern=PATTERN, State="DISABLED")
    events.enable_rule(Name="r1")
    assert events.describe_rule(Name="r1")["State"] == "ENABLED"
    events.disable_rule(Name="r1")
    assert events.describe_rule(Name="r1")["State"] == "DISABLED"
    events.delete_rule(Name="r1")
    events.delete_rule(Name="r1")  # a repeat delete succeeds
    missing = {"Code": "ResourceNotFoundException", "Status": 400,
               "Message": "Rule r1 does not exist on EventBus default."}
    assert error_of(events.describe_rule, Name="r1") == missing
    assert error_of(events.enable_rule, Name="r1") == missing
    assert error_of(events.disable_rule, Name="r1") == missing


def test_a_rule_with_targets_is_not_deleted_even_with_force(events: Any) -> None:
    events.put_rule(Name="busy", EventPattern=PATTERN)
    events.put_targets(Rule="busy", Targets=[{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:000000000000:q"}])
    refused = {"Code": "ValidationException", "Status": 400, "Message": "Rule can't be deleted since it has targets."}
    assert error_of(events.delete_rule, Name="busy") == refused
    assert error_of(events.delete_rule, Name="busy", Force=True) == refused
    events.remove_targets(Rule="busy", Ids=["q"])
    events.delete_rule(Name="busy", Force=True)
    assert events.list_rules()["Rules"] == []


def test_list_rules_by_prefix_in_pages(events: Any) -> None:
    for name in ("b-3", "a-1", "b-1", "b-2", "c-1"):
        events.put_rule(Name=name, EventPattern=PATTERN)
    listed = events.list_rules()["Rules"]
    assert [rule["Name"] for rule in listed] == ["a-1", "b-1", "b-2", "b-3", "c-1"]
    assert listed[0] == {"Name": "a-1", "Arn": ARN + "a-1", "EventPattern": PATTERN, "State": "ENABLED",
                         "EventBusName": "default"}
    first = events.list_rules(NamePrefix="b-", Limit=2)
    assert [rule["Name"] for rule in first["Rules"]] == ["b-1", "b-2"]
    second = events.list_rules(NamePrefix="b-", Limit=2, NextToken=first["NextToken"])
    assert [rule["Name"] for rule in second["Rules"]] == ["b-3"]
    assert "NextToken" not in second
    paged = [rule["Name"] for page in events.get_paginator("list_rules").paginate(PaginationConfig={"PageSize": 2})
             for rule in page["Rules"]]
    assert paged == ["a-1", "b-1", "b-2", "b-3", "c-1"]
    assert error_of(events.list_rules, NextToken="not-a-token") == {
        "Code": "ValidationException", "Status": 400, "Message": "The NextToken provided is not valid."}
    limit = error_of(events.list_rules, Limit=101)
    assert (limit["Code"], limit["Message"]) == (
        "ValidationException", "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
                               "Member must have value less than or equal to 100")


def test_put_rule_refusals_change_nothing(events: Any) -> None:
    # The matcher's messages are checked whole in test_patterns.py; here, that PutRule gives them.
    assert error_of(events.put_rule, Name="bad", EventPattern='{"source": "my.app"}') == {
        "Code": "InvalidEventPatternException", "Status": 400,
        "Message": 'Event pattern is not valid. Reason: "source" must be an object or an array'
                   '\n at [Source: (String)"{"source": "my.app"}"; line: 1, column: 13]'}
    assert error_of(events.put_rule, Name="bad", EventPattern="[1]")["Message"].startswith(
        "Event pattern is not valid. Reason: Filter is not an object")
    assert error_of(events.put_rule, Name="bad", EventPattern='{"source": []}')["Message"] == (
        'Event pattern is not valid. Reason: Empty arrays are not allowed'
        '\n at [Source: (String)"{"source": []}"; line: 1, column: 14]')
    assert error_of(events.put_rule, Name="bad") == {
        "Code": "ValidationException", "Status": 400,
        "Message": "Parameter(s) EventPattern or ScheduleExpression must be specified."}
    named = error_of(events.put_rule, Name="a b", EventPattern=PATTERN)
    assert named == {"Code": "ValidationException", "Status": 400, "Message":
                     "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must "
                     "satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"}
    assert error_of(events.put_rule, Name="x" * 65, EventPattern=PATTERN)["Code"] == "ValidationException"
    assert error_of(events.put_rule, Name="bad", EventPattern=PATTERN, RoleArn="arn:aws:iam::000000000000:role/r") == {
        "Code": "ValidationException", "Status": 400,
        "Message": "The parameter RoleArn is not supported by this endpoint."}
    assert error_of(events.put_rule, Name="bad", EventPattern=PATTERN, State="ON")["Message"] == (
        "1 validation error detected: Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy "
        "enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
    assert error_of(events.put_rule, Name="bad", EventPattern=PATTERN, EventBusName="custom") == {
        "Code": "ResourceNotFoundException", "Status": 400, "Message": "Event bus custom does not exist."}
    other_account = "arn:aws:events:us-east-1:123456789012:event-bus/default"
    assert error_of(events.list_rules, EventBusName=other_account)["Message"] == "Event bus default does not exist."
    assert events.list_rules()["Rules"] == []


def test_rules_are_per_region(make_client: Any) -> None:
    east, west = make_client(service="events"), make_client(region="us-west-2", service="events")
    east.put_rule(Name="here", EventPattern=PATTERN)
    assert west.list_rules()["Rules"] == []
    assert error_of(west.describe_rule, Name="here")["Code"] == "ResourceNotFoundException"
    assert west.put_rule(Name="here", EventPattern=PATTERN)["RuleArn"] == (
        f"arn:aws:events:us-west-2:{ACCOUNT}:rule/here")
