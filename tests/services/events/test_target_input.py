"""The body a target receives (:func:`ec2emu.services.events.target_input.render`),
table-driven from AWS's documented examples — the user guide's input transformation
table, the ``InputTransformer`` API reference's templates, and the fact sheet's
AWS-validated ``InputPath`` and string-template results (D.1) — and every target
PutTargets accepts (through boto3) renders."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ec2emu.services.events.target_input import render

# The user guide's example EC2 event and input paths.
GUIDE_EVENT = {
    "version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "account": "123456789012",
    "time": "2015-11-11T21:29:54Z", "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {"instance-id": "i-0123456789", "state": "RUNNING"},
}
GUIDE_PATHS = {"timestamp": "$.time", "instance": "$.detail.instance-id", "state": "$.detail.state"}
RULE = {"Name": "example", "Arn": "arn:aws:events:us-east-2:123456789012:rule/example"}

# The fact sheet's AWS-validated custom event (D.1).
CUSTOM_EVENT = {
    "version": "0", "id": "2b0d6b5a-9d4c-4b7e-8a57-52d1f0b1c3a1", "detail-type": "core.update-account-command",
    "source": "core.update-account-command", "account": "111111111111", "time": "date", "region": "us-east-1",
    "resources": [],
    "detail": {"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"},
               "states": ["ACTIVE", "INACTIVE"]},
}

GUIDE_TEMPLATES = [
    ("simple string", '"instance <instance> is in <state>"', '"instance i-0123456789 is in RUNNING"'),
    ("string with escaped quotes", '"instance \\"<instance>\\" is in <state>"',
     '"instance \\"i-0123456789\\" is in RUNNING"'),
    ("simple JSON", '{\n  "instance" : <instance>,\n  "state": <state>\n}',
     '{"instance":"i-0123456789","state":"RUNNING"}'),
    ("JSON with strings and variables",
     '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
     '{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \\"i-0123456789\\" is in RUNNING"}'),
    ("JSON with a mix of variables and static information",
     '{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}',
     '{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}'),
    ("reserved variables in a string", '"<aws.events.rule-name> triggered"', '"example triggered"'),
]


@pytest.mark.parametrize("template, expected", [case[1:] for case in GUIDE_TEMPLATES],
                         ids=[case[0] for case in GUIDE_TEMPLATES])
def test_the_user_guides_templates(template: str, expected: str) -> None:
    target = {"InputTransformer": {"InputPathsMap": GUIDE_PATHS, "InputTemplate": template}}
    assert render(GUIDE_EVENT, target, RULE) == expected


def test_reserved_variables_in_json() -> None:
    template = ('{"instance": <instance>, "ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, '
                '"originalEvent": <aws.events.event>, "whole": <aws.events.event.json>, '
                '"received": <aws.events.event.ingestion-time>}')
    target = {"InputTransformer": {"InputPathsMap": GUIDE_PATHS, "InputTemplate": template}}
    received = dt.datetime(2015, 11, 11, 21, 29, 55, 250000, tzinfo=dt.timezone.utc)
    body = json.loads(render(GUIDE_EVENT, target, RULE, received))
    without_detail = {key: value for key, value in GUIDE_EVENT.items() if key != "detail"}
    assert body == {"instance": "i-0123456789", "ruleArn": RULE["Arn"], "ruleName": "example",
                    "originalEvent": without_detail, "whole": GUIDE_EVENT, "received": "2015-11-11T21:29:55Z"}
    target["InputTransformer"]["InputTemplate"] = '{"received": <aws.events.event.ingestion-time>}'
    assert render(GUIDE_EVENT, target) == '{"received":"2015-11-11T21:29:54Z"}'  # the event's time by default


API_PATHS = {"instance": "$.detail.instance", "status": "$.detail.status"}
API_EVENT = {**GUIDE_EVENT, "detail": {"instance": "i-abcd1111", "status": "stopped"}}
API_TEMPLATES = [
    ("text", "<instance> is in state <status>", "i-abcd1111 is in state stopped"),
    ("text with quotes", '<instance> is in state "<status>"', 'i-abcd1111 is in state "stopped"'),
    ("JSON with variables in quotes or out", '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}',
     '{"myInstance":"i-abcd1111","myStatus":"i-abcd1111 is in state \\"stopped\\""}'),
]


@pytest.mark.parametrize("template, expected", [case[1:] for case in API_TEMPLATES],
                         ids=[case[0] for case in API_TEMPLATES])
def test_the_api_references_templates(template: str, expected: str) -> None:
    target = {"InputTransformer": {"InputPathsMap": API_PATHS, "InputTemplate": template}}
    assert render(API_EVENT, target) == expected


CUSTOM_PATHS = {"type": "$.detail-type", "time": "$.time", "payload": "$.detail.payload",
                "states": "$.detail.states", "message": "$.detail.display-message"}
VALIDATED = [
    ("every variable found", '"Event of <type> type, at time <time>, info extracted from detail <payload>"',
     '"Event of core.update-account-command type, at time date, info extracted from detail '
     '{acc_id:0a787ecb-4015,sf_id:baz}"'),
    ("a path the event lacks gives nothing in a string", '"info extracted from detail <message>"',
     '"info extracted from detail "'),
    ("a list in a string is bare", '"states <states>"', '"states [ACTIVE,INACTIVE]"'),
    ("a path the event lacks gives null as a JSON value", '{"message": <message>, "payload": <payload>}',
     '{"message":null,"payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}'),
]


@pytest.mark.parametrize("template, expected", [case[1:] for case in VALIDATED], ids=[case[0] for case in VALIDATED])
def test_string_and_json_templates_as_aws_renders_them(template: str, expected: str) -> None:
    target = {"InputTransformer": {"InputPathsMap": CUSTOM_PATHS, "InputTemplate": template}}
    assert render(CUSTOM_EVENT, target) == expected


INPUT_PATHS = [
    ("$.detail", {"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"},
                  "states": ["ACTIVE", "INACTIVE"]}),
    ("$.detail.payload", {"acc_id": "0a787ecb-4015", "sf_id": "baz"}),
    ("$.detail.payload.sf_id", "baz"),
    ("$.detail.states[1]", "INACTIVE"),
    ("$.detail.payload.*", ["0a787ecb-4015", "baz"]),
    ("$", CUSTOM_EVENT),
]


@pytest.mark.parametrize("path, selected", INPUT_PATHS, ids=[path for path, _ in INPUT_PATHS])
def test_an_input_path_sends_the_json_it_selects(path: str, selected: Any) -> None:
    body = render(CUSTOM_EVENT, {"InputPath": path})
    assert json.loads(body) == selected
    if path == "$.detail.payload.sf_id":
        assert body == '"baz"'  # a string arrives quoted


def test_no_input_sends_the_event_and_input_sends_its_constant() -> None:
    assert json.loads(render(GUIDE_EVENT, {"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"})) == GUIDE_EVENT
    assert render(GUIDE_EVENT, {"Input": '{"fixed": [1, 2]}'}) == '{"fixed": [1, 2]}'
    assert render(GUIDE_EVENT, {"InputPath": "$.detail.nothing"}) == ""
    assert render(GUIDE_EVENT, {"InputPath": "$.resources[5]"}) == ""


def test_a_value_inside_a_string_is_escaped_so_json_stays_json() -> None:
    event = {**GUIDE_EVENT, "detail": {"note": 'say "hi"\\ \n', "n": 1.5, "on": True, "none": None}}
    paths = {"note": "$.detail.note", "n": "$.detail.n", "on": "$.detail.on", "none": "$.detail.none"}
    target = {"InputTransformer": {"InputPathsMap": paths,
                                   "InputTemplate": '{"text": "<note> <n> <on> <none>", "raw": [<n>, <on>, <none>]}'}}
    assert json.loads(render(event, target)) == {"text": 'say "hi"\\ \n 1.5 true null', "raw": [1.5, True, None]}


TEMPLATES_PUT = [
    '"<a> and <b>"', '{"a": <a>, "b": "<b>", "whole": <aws.events.event.json>}', "<a> <nope-path> done",
    '[<a>, "<aws.events.rule-name>", <aws.events.event>]', '{"unclosed": "<a>', "plain < text > <aws.events.rule-arn>",
    '"<aws.events.event> in a string"', '{"<a>": <a>, "k": "<b>: c"}',
]


def test_every_target_put_targets_accepts_renders(events: Any) -> None:
    events.put_rule(Name="all", EventPattern=json.dumps({"source": ["my.app"]}))
    paths = {"a": "$.detail.a", "b": "$.detail.b[0]", "nope-path": "$.x.y.z[3]", "all": "$", "star": "$.detail.*"}
    targets = [{"Id": f"t{n}", "Arn": "arn:aws:sqs:us-east-1:000000000000:q",
                "InputTransformer": {"InputPathsMap": paths, "InputTemplate": template}}
               for n, template in enumerate(TEMPLATES_PUT)]
    events.put_targets(Rule="all", Targets=targets[:5])
    events.put_rule(Name="more", EventPattern=json.dumps({"source": ["my.app"]}))
    events.put_targets(Rule="more", Targets=[*targets[5:], {"Id": "path", "Arn": targets[0]["Arn"],
                                                           "InputPath": "$.detail.b[0]"},
                                             {"Id": "constant", "Arn": targets[0]["Arn"], "Input": "[1]"}])
    rule = events.describe_rule(Name="all")
    event = {**GUIDE_EVENT, "detail": {"a": "x", "b": [{"c": 1}]}}
    stored = events.list_targets_by_rule(Rule="all")["Targets"] + events.list_targets_by_rule(Rule="more")["Targets"]
    assert len(stored) == len(TEMPLATES_PUT) + 2
    bodies = {target["Id"]: render(event, target, rule) for target in stored}
    assert bodies["t0"] == '"x and {c:1}"'
    assert json.loads(bodies["t1"]) == {"a": "x", "b": "{c:1}", "whole": event}
    assert bodies["t2"] == "x  done"
    assert json.loads(bodies["t3"]) == ["x", "all", {k: v for k, v in event.items() if k != "detail"}]
    assert bodies["t4"] == '{"unclosed": "x'
    assert bodies["t5"] == f"plain < text > {rule['Arn']}"
    assert json.loads(bodies["t6"]).startswith('{"version":"0"')
    assert json.loads(bodies["t7"]) == {"x": "x", "k": "{c:1}: c"}  # inside a key's quotes: text
    assert bodies["path"] == '{"c":1}' and bodies["constant"] == "[1]"
