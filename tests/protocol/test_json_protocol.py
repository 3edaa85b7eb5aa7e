"""The ``json`` protocol (AWS JSON 1.0/1.1) against botocore as the oracle: every request
botocore's serializer writes for EventBridge, CloudTrail, CloudWatch Logs and DynamoDB
parses back to the params it was given, every result we write parses with botocore's
parser back to the result, and what AWS's JSON services refuse is refused with their
errors, never a 500.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from botocore.parsers import create_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2emu.errors import Ec2Error
from ec2emu.protocol import constraints, json_values, spec
from ec2emu.protocol.http import Message
from ec2emu.protocol.json_rpc import JsonRpc
from ec2emu.protocol.protocols import protocol_for
from tests.protocol.json_wire import json_message, parsed_answer, sample, whole_seconds
from tests.protocol.shapes import strategy

MODELS = ("events", "cloudtrail", "logs", "dynamodb")
# Event streams (CloudWatch Logs' StartLiveTail, GetLogObject) are a framing of their own, not served.
OPERATIONS = [(model, name) for model in MODELS for name in sorted(spec.operation_names(model))
              if not spec.operation(name, model).has_event_stream_output]
PROTOCOL = JsonRpc()
UTC = dt.timezone.utc


@pytest.fixture
def unconstrained(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sampled values break ``pattern`` and ``max`` at will: the round trips test the
    reading of types, constraints are tested on their own below."""
    monkeypatch.setattr(constraints, "check", lambda *args, **kwargs: None)
    monkeypatch.setattr(constraints, "require", lambda *args, **kwargs: None)


def test_the_models_speak_json() -> None:
    for model in MODELS:
        assert isinstance(protocol_for(model), JsonRpc)
    assert spec.service_model("events").metadata["jsonVersion"] == "1.1"
    assert spec.service_model("dynamodb").metadata["jsonVersion"] == "1.0"


@pytest.mark.usefixtures("unconstrained")
@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("model", "name"), OPERATIONS)
def test_every_request_parses_back(model: str, name: str, seed: int) -> None:
    operation = spec.operation(name, model)
    params = sample(operation.input_shape, seed)
    message = json_message(operation, params)
    assert message.headers["content-type"] == f"application/x-amz-json-{operation.metadata['jsonVersion']}"
    assert PROTOCOL.operation_name(model, message) == name
    assert PROTOCOL.params(operation, message) == whole_seconds(params)


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("model", "name"), OPERATIONS)
def test_every_result_parses_back(model: str, name: str, seed: int) -> None:
    operation = spec.operation(name, model)
    result = sample(operation.output_shape, seed)
    reply = PROTOCOL.result(operation, result, "req-1")
    assert (reply.status, reply.headers["content-type"]) == (200, f"application/x-amz-json-{operation.metadata['jsonVersion']}")
    assert parsed_answer("json", reply, operation.output_shape) == result


STRATEGY_OPERATIONS = [("events", "PutTargets"), ("events", "PutEvents"), ("cloudtrail", "LookupEvents"),
                       ("logs", "PutLogEvents")]


@pytest.mark.usefixtures("unconstrained")
@pytest.mark.parametrize(("model", "name"), STRATEGY_OPERATIONS)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_generated_requests_parse_back(model: str, name: str, data: st.DataObject) -> None:
    operation = spec.operation(name, model)
    params = data.draw(strategy(operation.input_shape, lambda _: st.text(max_size=12), junk=False))
    message = json_message(operation, params)
    assert PROTOCOL.params(operation, message) == whole_seconds(params)


def test_timestamps_are_epoch_seconds_each_way() -> None:
    operation = spec.operation("LookupEvents", "cloudtrail")
    message = Message("POST", "/", [], {}, b'{"StartTime": 1700000000.25, "EndTime": 1700000100}')
    params = PROTOCOL.params(operation, message)
    assert params == {"StartTime": dt.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC),
                      "EndTime": dt.datetime(2023, 11, 14, 22, 15, tzinfo=UTC)}
    reply = PROTOCOL.result(operation, {"Events": [
        {"EventId": "e", "EventTime": dt.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)},
        {"EventId": "f", "EventTime": dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)}]}, "r")
    assert json.loads(reply.body) == {"Events": [{"EventId": "e", "EventTime": 1700000000.25},
                                                 {"EventId": "f", "EventTime": 1700000000}]}


def test_an_operation_without_output_answers_an_empty_object() -> None:
    operation = spec.operation("EnableRule", "events")
    assert operation.output_shape is None
    assert PROTOCOL.result(operation, {}, "r").body == b"{}"


def test_unknown_members_are_ignored_and_null_is_absent() -> None:
    operation = spec.operation("ListRules", "events")
    message = Message("POST", "/", [], {}, b'{"NamePrefix": "app", "Bogus": [1, {}], "Limit": null}')
    assert PROTOCOL.params(operation, message) == {"NamePrefix": "app"}


def test_an_empty_body_is_an_empty_object() -> None:
    assert PROTOCOL.params(spec.operation("ListRules", "events"), Message("POST", "/", [], {}, b"")) == {}


# ------------------------------------------------------------------ routing by X-Amz-Target

def _error(call: Any, *args: Any) -> tuple[str, str, int]:
    with pytest.raises(Ec2Error) as info:
        call(*args)
    return info.value.code, info.value.message, info.value.status


@pytest.mark.parametrize("target", ["AWSEvents.NoSuchThing", "Logs_20140328.ListRules", "ListRules",
                                    "AWSEvents.", "AWSEvents.ListRules.", ""])
def test_a_target_naming_no_operation_is_unknown(target: str) -> None:
    headers = {"x-amz-target": target} if target else {}
    code, _, status = _error(PROTOCOL.operation_name, "events", Message("POST", "/", [], headers, b"{}"))
    assert (code, status) == ("UnknownOperationException", 400)


def test_claims_follow_the_target_prefix() -> None:
    message = Message("POST", "/", [], {"x-amz-target": "AWSEvents.ListRules"}, b"{}")
    assert PROTOCOL.claims("events", message)
    assert not PROTOCOL.claims("logs", message)
    assert not PROTOCOL.claims("events", Message("POST", "/", [], {}, b"{}"))


# ------------------------------------------------------------------ what is refused

LIST_RULES = spec.operation("ListRules", "events")
PUT_TARGETS = spec.operation("PutTargets", "events")
MALFORMED = [
    (b"{", "not JSON"),
    (b"[]", "not an object"),
    (b'"text"', "not an object"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b"[" * 100000 + b"]" * 100000, "nested too deep"),
    (b'{"Limit": ' + b"9" * 5000 + b"}", "digits beyond any integer"),
    (b'{"Limit": 1e' + b"9" * 80 + b"}", "a number too long"),
    (b'{"Limit": "5"}', "a string for an integer"),
    (b'{"Limit": 5.5}', "a fraction for an integer"),
    (b'{"Limit": 1.0}', "a float for an integer"),
    (b'{"Limit": true}', "a boolean for an integer"),
    (b'{"Limit": 2147483648}', "beyond a 32-bit integer"),
    (b'{"Limit": NaN}', "NaN for an integer"),
    (b'{"NamePrefix": 5}', "a number for a string"),
    (b'{"NamePrefix": ["a"]}', "a list for a string"),
]


@pytest.mark.parametrize(("body", "why"), MALFORMED, ids=[why for _, why in MALFORMED])
def test_a_body_of_the_wrong_shape_is_a_serialization_exception(body: bytes, why: str) -> None:
    code, _, status = _error(PROTOCOL.params, LIST_RULES, Message("POST", "/", [], {}, body))
    assert (code, status) == ("SerializationException", 400)


@pytest.mark.parametrize("body", [
    b'{"Rule": "r", "Targets": [null]}',
    b'{"Rule": "r", "Targets": {"Id": "a"}}',
    b'{"Rule": "r", "Targets": [{"Id": "a", "Arn": "b", "RetryPolicy": {"MaximumRetryAttempts": "x"}}]}',
    b'{"Rule": "r", "Targets": [{"Id": "a", "Arn": "b", "HttpParameters": {"HeaderParameters": {"h": null}}}]}',
    b'{"Rule": "r", "Targets": [{"Id": "a", "Arn": "b", "HttpParameters": {"HeaderParameters": {"h": 1}}}]}',
])
def test_nested_values_of_the_wrong_type_are_serialization_exceptions(body: bytes) -> None:
    code, _, _ = _error(PROTOCOL.params, PUT_TARGETS, Message("POST", "/", [], {}, body))
    assert code == "SerializationException"


def test_blobs_are_base64_and_timestamps_numbers() -> None:
    put_log_events = spec.operation("PutLogEvents", "logs")
    for body in (b'{"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": "1", "message": "m"}]}',):
        assert _error(PROTOCOL.params, put_log_events, Message("POST", "/", [], {}, body))[0] == "SerializationException"
    lookup = spec.operation("LookupEvents", "cloudtrail")
    for value in (b'"2024-01-01T00:00:00Z"', b"true", b"1e300", b"-99999999999999"):
        body = b'{"StartTime": ' + value + b"}"
        assert _error(PROTOCOL.params, lookup, Message("POST", "/", [], {}, body))[0] == "SerializationException"
    put_item = spec.operation("PutItem", "dynamodb")
    body = b'{"TableName": "t", "Item": {"k": {"B": "not base64!"}}}'
    assert _error(PROTOCOL.params, put_item, Message("POST", "/", [], {}, body))[0] == "SerializationException"
    body = b'{"TableName": "t", "Item": {"k": {"B": "AAEC"}}}'
    assert PROTOCOL.params(put_item, Message("POST", "/", [], {}, body))["Item"] == {"k": {"B": b"\x00\x01\x02"}}


def test_a_union_takes_exactly_one_member() -> None:
    logs = spec.service_model("logs")
    union = next(logs.shape_for(name) for name in logs.shape_names if logs.shape_for(name).metadata.get("union"))
    value = sample(union, 0)
    assert len(value) == 1
    assert json_values.read_structure(union, json_values.write_structure(union, value), "u", []) == value
    for wrong in ({}, dict.fromkeys(value)):
        with pytest.raises(Ec2Error) as info:
            json_values.read_structure(union, wrong, "u", [])
        assert info.value.code == "SerializationException"


def test_missing_and_constrained_members_are_one_validation_exception() -> None:
    body = json.dumps({"Targets": [{"Id": "a b", "Arn": ""}, {"Arn": "x"}], "EventBusName": "b" * 2000}).encode()
    # Each broken constraint is a problem, in the model's order; a missing member where it is met.
    code, message, status = _error(PROTOCOL.params, PUT_TARGETS, Message("POST", "/", [], {}, body))
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "5 validation errors detected: "
        "Value null at 'rule' failed to satisfy constraint: Member must not be null; "
        f"Value '{'b' * 2000}' at 'eventBusName' failed to satisfy constraint: "
        "Member must have length less than or equal to 1600; "
        "Value 'a b' at 'targets.1.member.id' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; "
        "Value '' at 'targets.1.member.arn' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; "
        "Value null at 'targets.2.member.id' failed to satisfy constraint: Member must not be null")


def test_the_fact_sheets_example_message() -> None:
    """wave2-facts C.1: ``Value 'a b' at 'name' failed to satisfy constraint: …``."""
    operation = spec.operation("DescribeRule", "events")
    code, message, _ = _error(PROTOCOL.params, operation, Message("POST", "/", [], {}, b'{"Name": "a b"}'))
    assert (code, message) == ("ValidationException", "1 validation error detected: Value 'a b' at 'name' failed to "
                               "satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")


def test_enums_and_ranges_are_checked() -> None:
    operation = spec.operation("PutRule", "events")
    body = b'{"Name": "r", "State": "ON"}'
    _, message, _ = _error(PROTOCOL.params, operation, Message("POST", "/", [], {}, body))
    assert message.endswith("Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value "
                            "set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
    _, message, _ = _error(PROTOCOL.params, LIST_RULES, Message("POST", "/", [], {}, b'{"Limit": 0}'))
    assert message == ("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                       "Member must have value greater than or equal to 1")


def test_errors_are_json_with_type_and_message() -> None:
    reply = PROTOCOL.error("events", Ec2Error("ValidationException", "bad <&> \u2713", 400), "r-1")
    assert reply.status == 400
    assert reply.headers == {"content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ValidationException"}
    assert json.loads(reply.body) == {"__type": "ValidationException", "message": "bad <&> \u2713"}
    parsed = create_parser("json").parse({"body": reply.body, "headers": reply.headers, "status_code": 400}, None)
    assert (parsed["Error"]["Code"], parsed["Error"]["Message"]) == ("ValidationException", "bad <&> \u2713")
