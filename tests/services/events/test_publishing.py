"""PutEvents (per-entry results, the events it makes and the enabled rules they match)
and TestEventPattern, with their errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.helpers import error_of

ACCOUNT = "000000000000"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
EVENT = {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "Job Finished",
         "source": "my.app", "account": ACCOUNT, "time": "2026-12-03T10:00:00Z", "region": "us-east-1",
         "resources": ["arn:aws:ec2:us-east-1:000000000000:instance/i-0123456789abcdef0"],
         "detail": {"state": "done", "job": {"kind": "nightly", "tries": 3}}}


@pytest.fixture
def published(emulator: Emulator) -> list[Any]:
    """What each PutEvents call published, as the stages after the handler see it."""
    seen: list[Any] = []

    def capture(ctx: Any, call: Any, outcome: Any) -> None:
        if call.action == "PutEvents":
            seen.extend(outcome.published)

    emulator.pipeline.hooks.after_handler.append(capture)
    return seen


def test_put_events_answers_each_entry_in_order(events: Any) -> None:
    entries = [
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": '{"state": "done"}'},
        {"DetailType": "Job Finished", "Detail": "{}"},
        {"Source": "my.app", "Detail": "{}"},
        {"Source": "my.app", "DetailType": "Job Finished"},
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": "[1, 2]"},
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": "{broken"},
        {"Source": "aws.ec2", "DetailType": "Job Finished", "Detail": "{}"},
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": "{}", "EventBusName": "custom"},
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": "{}",
         "EventBusName": f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/default"},
    ]
    answer = events.put_events(Entries=entries)
    assert answer["FailedEntryCount"] == 7
    results = answer["Entries"]
    assert UUID.fullmatch(results[0]["EventId"]) and UUID.fullmatch(results[8]["EventId"])
    assert results[1:8] == [
        {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Source is not valid. Reason: Source is a "
                                                         "required argument."},
        {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter DetailType is not valid. Reason: DetailType is "
                                                         "a required argument."},
        {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Detail is not valid. Reason: Detail is a "
                                                         "required argument."},
        {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."},
        {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."},
        {"ErrorCode": "NotAuthorizedForSourceException", "ErrorMessage": "Not authorized for the source."},
        {"ErrorCode": "ResourceNotFoundException", "ErrorMessage": "Event bus custom does not exist."},
    ]


def test_accepted_entries_become_events_matched_against_enabled_rules(
        events: Any, published: list[Any], clock: ManualClock) -> None:
    events.put_rule(Name="done", EventPattern=json.dumps({"source": ["my.app"], "detail": {"state": ["done"]}}))
    events.put_rule(Name="nightly", EventPattern=json.dumps({"detail": {"job": {"kind": ["nightly", "weekly"]}}}))
    events.put_rule(Name="off", EventPattern=json.dumps({"source": ["my.app"]}), State="DISABLED")
    events.put_rule(Name="failed", EventPattern=json.dumps({"detail": {"state": ["failed"]}}))
    given = dt.datetime(2026, 12, 1, 8, 30, 15, 900000, tzinfo=dt.timezone.utc)
    answer = events.put_events(Entries=[
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": '{"state": "done", "job": {"kind": "nightly"}}',
         "Resources": ["arn:aws:s3:::bucket"], "Time": given},
        {"Source": "my.app", "DetailType": "Job Started", "Detail": '{"state": "running"}'},
    ])
    assert answer["FailedEntryCount"] == 0
    first, second = published
    assert first.event == {
        "version": "0", "id": answer["Entries"][0]["EventId"], "detail-type": "Job Finished", "source": "my.app",
        "account": ACCOUNT, "time": "2026-12-01T08:30:15Z", "region": "us-east-1",
        "resources": ["arn:aws:s3:::bucket"], "detail": {"state": "done", "job": {"kind": "nightly"}}}
    assert list(first.event) == ["version", "id", "detail-type", "source", "account", "time", "region",
                                 "resources", "detail"]
    assert first.rules == ("done", "nightly")
    assert second.event["time"] == clock.now().astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (second.event["resources"], second.rules) == ([], ())
    events.enable_rule(Name="off")
    events.put_events(Entries=[{"Source": "my.app", "DetailType": "Job Started", "Detail": "{}"}])
    assert published[2].rules == ("off",)


def test_put_events_refusals_of_the_whole_call(events: Any, published: list[Any]) -> None:
    big = json.dumps({"blob": "x" * 200_000})
    entries = [{"Source": "my.app", "DetailType": "Big", "Detail": big}] * 2
    assert error_of(events.put_events, Entries=entries) == {
        "Code": "ValidationException", "Status": 400,
        "Message": "Total size of the entries in the request is over the limit."}
    one = {"Source": "my.app", "DetailType": "t", "Detail": "{}"}
    eleven = error_of(events.put_events, Entries=[one] * 11)
    assert (eleven["Code"], "at 'entries' failed to satisfy constraint" in eleven["Message"]) == (
        "ValidationException", True)
    assert error_of(events.put_events, Entries=[{**one, "TraceHeader": "Root=1-abc"}])["Message"] == (
        "The parameter TraceHeader is not supported by this endpoint.")
    assert published == []


def test_an_endpoint_id_is_refused(emulator: Emulator, published: list[Any]) -> None:
    """SDKs sign a request with ``EndpointId`` by SigV4a: this one is sent SigV4-signed."""
    body = json.dumps({"Entries": [{"Source": "my.app", "DetailType": "t", "Detail": "{}"}],
                       "EndpointId": "abc.xyz"}).encode()
    request = AWSRequest(method="POST", url="http://ec2emu.test/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSEvents.PutEvents"})
    SigV4Auth(Credentials("test", "test"), "events", "us-east-1").add_auth(request)
    prepared = request.prepare()
    status, _, answer = InProcessTransport(emulator).request(prepared.method, prepared.url, dict(prepared.headers),
                                                             body)
    assert (status, json.loads(answer)) == (400, {
        "__type": "ValidationException", "message": "The parameter EndpointId is not supported by this endpoint."})
    assert published == []


@pytest.mark.parametrize(("pattern", "result"), [
    ({"source": ["my.app", "other.app"]}, True),
    ({"source": ["other.app"]}, False),
    ({"detail": {"state": ["done"]}, "detail-type": ["Job Finished"]}, True),
    ({"detail": {"job": {"tries": [3.0]}}}, True),
    ({"detail": {"job": {"kind": ["NIGHTLY"]}}}, False),
    ({"resources": ["arn:aws:ec2:us-east-1:000000000000:instance/i-0123456789abcdef0"]}, True),
    ({"detail": {"missing": ["x"]}}, False),
])
def test_test_event_pattern(events: Any, pattern: dict[str, Any], result: bool) -> None:
    answer = events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(EVENT))
    assert answer["Result"] is result


def test_test_event_pattern_errors(events: Any) -> None:
    assert error_of(events.test_event_pattern, EventPattern='{"source": {}}', Event=json.dumps(EVENT)) == {
        "Code": "InvalidEventPatternException", "Status": 400,
        "Message": 'Event pattern is not valid. Reason: Empty objects are not allowed'
                   '\n at [Source: (String)"{"source": {}}"; line: 1, column: 14]'}
    lacking = {key: value for key, value in EVENT.items() if key != "account"}
    invalid = {"Code": "ValidationException", "Status": 400, "Message": "Parameter Event is not valid."}
    assert error_of(events.test_event_pattern, EventPattern='{"source": ["my.app"]}',
                    Event=json.dumps(lacking)) == invalid
    assert error_of(events.test_event_pattern, EventPattern='{"source": ["my.app"]}', Event="not json") == invalid
