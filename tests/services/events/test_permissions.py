"""IAM policies enforced on EventBridge, and accounts kept apart: an IAM user's ``events:*``
actions are checked on the rules' ARNs (PutEvents on the default bus's) and denied with
``AccessDeniedException``; one account never sees another's rules."""

from __future__ import annotations

import json

from tests.helpers import error_of
from tests.services.shared.test_permissions import ACCOUNT_A, ACCOUNT_B, ROOT_A, ROOT_B, Make, new_user

PATTERN = json.dumps({"source": ["my.app"]})
ENTRY = {"Source": "my.app", "DetailType": "t", "Detail": "{}"}


def _rule_arn(name: str, account: str = ACCOUNT_A) -> str:
    return f"arn:aws:events:us-east-1:{account}:rule/{name}"


def test_a_user_manages_only_the_rules_its_policy_names(make: Make) -> None:
    root = make(ROOT_A, "events")
    root.put_rule(Name="app-one", EventPattern=PATTERN)
    root.put_rule(Name="other", EventPattern=PATTERN)
    keys = new_user(make, "ruler", {"Effect": "Allow", "Action": ["events:DescribeRule", "events:PutRule"],
                                    "Resource": _rule_arn("app-*")},
                    {"Effect": "Allow", "Action": "events:ListRules", "Resource": "*"})
    events = make(keys, "events")
    assert events.describe_rule(Name="app-one")["Name"] == "app-one"
    assert [rule["Name"] for rule in events.list_rules()["Rules"]] == ["app-one", "other"]
    error = error_of(events.describe_rule, Name="other")
    assert error == {"Code": "AccessDeniedException", "Status": 400, "Message":
                     f"User: arn:aws:iam::{ACCOUNT_A}:user/ruler is not authorized to perform: events:DescribeRule "
                     f"on resource: {_rule_arn('other')} because no identity-based policy allows the "
                     "events:DescribeRule action"}
    assert error_of(events.put_rule, Name="other", EventPattern=PATTERN, State="DISABLED")["Code"] == (
        "AccessDeniedException")
    assert root.describe_rule(Name="other")["State"] == "ENABLED"
    assert error_of(events.delete_rule, Name="app-one")["Code"] == "AccessDeniedException"
    assert error_of(events.put_events, Entries=[ENTRY])["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT_A}:user/ruler is not authorized to perform: events:PutEvents on resource: "
        f"arn:aws:events:us-east-1:{ACCOUNT_A}:event-bus/default because no identity-based policy allows the "
        "events:PutEvents action")


def test_put_events_on_the_bus_and_test_event_pattern_on_star(make: Make) -> None:
    keys = new_user(make, "sender", {"Effect": "Allow", "Action": "events:PutEvents",
                                     "Resource": f"arn:aws:events:us-east-1:{ACCOUNT_A}:event-bus/default"})
    events = make(keys, "events")
    assert events.put_events(Entries=[ENTRY])["FailedEntryCount"] == 0
    error = error_of(events.test_event_pattern, EventPattern=PATTERN, Event="{}")
    assert error["Message"] == (f"User: arn:aws:iam::{ACCOUNT_A}:user/sender is not authorized to perform: "
                                "events:TestEventPattern because no identity-based policy allows the "
                                "events:TestEventPattern action")


def test_tag_conditions_on_rules_and_an_explicit_deny(make: Make) -> None:
    keys = new_user(make, "tagger",
                    {"Effect": "Allow", "Action": "events:PutRule", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:RequestTag/team": "red"}}},
                    {"Effect": "Allow", "Action": "events:DescribeRule", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}},
                    {"Effect": "Allow", "Action": "events:*", "Resource": _rule_arn("mine")},
                    {"Effect": "Deny", "Action": "events:DeleteRule", "Resource": _rule_arn("mine")})
    events = make(keys, "events")
    events.put_rule(Name="red-rule", EventPattern=PATTERN, Tags=[{"Key": "team", "Value": "red"}])
    assert error_of(events.put_rule, Name="blue-rule", EventPattern=PATTERN,
                    Tags=[{"Key": "team", "Value": "blue"}])["Code"] == "AccessDeniedException"
    make(ROOT_A, "events").put_rule(Name="blue-rule", EventPattern=PATTERN, Tags=[{"Key": "team", "Value": "blue"}])
    assert events.describe_rule(Name="red-rule")["Name"] == "red-rule"
    assert error_of(events.describe_rule, Name="blue-rule")["Code"] == "AccessDeniedException"
    events.put_rule(Name="mine", EventPattern=PATTERN)
    error = error_of(events.delete_rule, Name="mine")
    assert (error["Code"], error["Message"].endswith("with an explicit deny in an identity-based policy")) == (
        "AccessDeniedException", True)
    events.tag_resource(ResourceARN=_rule_arn("mine"), Tags=[{"Key": "k", "Value": "v"}])
    assert events.list_tags_for_resource(ResourceARN=_rule_arn("mine"))["Tags"] == [{"Key": "k", "Value": "v"}]
    assert error_of(events.list_tags_for_resource, ResourceARN=_rule_arn("red-rule"))["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT_A}:user/tagger is not authorized to perform: events:ListTagsForResource on "
        f"resource: {_rule_arn('red-rule')} because no identity-based policy allows the "
        "events:ListTagsForResource action")


def test_accounts_never_see_each_others_rules(make: Make) -> None:
    a, b = make(ROOT_A, "events"), make(ROOT_B, "events")
    a.put_rule(Name="shared-name", EventPattern=PATTERN, Description="a's")
    a.put_targets(Rule="shared-name", Targets=[{"Id": "q", "Arn": f"arn:aws:sqs:us-east-1:{ACCOUNT_A}:q"}])
    assert b.list_rules()["Rules"] == []
    missing = {"Code": "ResourceNotFoundException", "Status": 400,
               "Message": "Rule shared-name does not exist on EventBus default."}
    assert error_of(b.describe_rule, Name="shared-name") == missing
    assert error_of(b.list_targets_by_rule, Rule="shared-name") == missing
    assert error_of(b.list_rules, EventBusName=f"arn:aws:events:us-east-1:{ACCOUNT_A}:event-bus/default") == {
        "Code": "ResourceNotFoundException", "Status": 400, "Message": "Event bus default does not exist."}
    b.delete_rule(Name="shared-name")
    assert b.put_rule(Name="shared-name", EventPattern=PATTERN)["RuleArn"] == _rule_arn("shared-name", ACCOUNT_B)
    assert a.describe_rule(Name="shared-name")["Description"] == "a's"
    assert [t["Id"] for t in a.list_targets_by_rule(Rule="shared-name")["Targets"]] == ["q"]
    assert b.list_targets_by_rule(Rule="shared-name")["Targets"] == []
