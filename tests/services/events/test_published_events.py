"""PutEvents writes each event it accepts into the event outbox, whole, in the call's
transaction: ``emulator.events`` and ``GET /_ec2emu/events`` show the events with the
IDs PutEvents answered; refused entries, and a call rolled back, write nothing; each
account's events carry that account (two strict-mode accounts)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.services.events.errors import limit_exceeded
from tests.helpers import error_of, launch
from tests.two_accounts import OTHER, OWNER, client_of, strict_app  # noqa: F401

ACCOUNT = "000000000000"


def custom(app: Emulator) -> list[dict[str, Any]]:
    return [event for event in app.events if event["source"] != "aws.ec2"]


def admin_events(app: Emulator, after: int = 0) -> dict[str, Any]:
    transport = InProcessTransport(app)
    try:
        status, _, body = transport.request("GET", f"http://ec2emu.test/_ec2emu/events?after={after}",
                                            {"Authorization": "Bearer test-admin-token"}, b"")
    finally:
        transport.close()
    assert status == 200
    answer: dict[str, Any] = json.loads(body)
    return answer


def test_accepted_entries_are_in_the_outbox_whole_with_the_ids_put_events_answered(
        events: Any, emulator: Emulator, clock: ManualClock) -> None:
    given = dt.datetime(2026, 11, 30, 23, 59, 58, tzinfo=dt.timezone.utc)
    answer = events.put_events(Entries=[
        {"Source": "my.app", "DetailType": "Job Finished", "Detail": json.dumps({"state": "done", "n": [1, 2]}),
         "Resources": ["arn:aws:s3:::bucket"]},
        {"Source": "my.app", "DetailType": "Job Started", "Detail": '{"é": "ünïcode"}', "Time": given},
    ])
    ids = [entry["EventId"] for entry in answer["Entries"]]
    now = clock.now().astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert custom(emulator) == [
        {"version": "0", "id": ids[0], "detail-type": "Job Finished", "source": "my.app", "account": ACCOUNT,
         "time": now, "region": "us-east-1", "resources": ["arn:aws:s3:::bucket"],
         "detail": {"state": "done", "n": [1, 2]}},
        {"version": "0", "id": ids[1], "detail-type": "Job Started", "source": "my.app", "account": ACCOUNT,
         "time": "2026-11-30T23:59:58Z", "region": "us-east-1", "resources": [], "detail": {"é": "ünïcode"}},
    ]
    listed = admin_events(emulator)
    assert [item["event"] for item in listed["events"]] == custom(emulator)
    assert listed["last"] == listed["events"][-1]["sequence"]


def test_custom_events_and_ec2_events_share_one_sequence(events: Any, ec2: Any, emulator: Emulator) -> None:
    [instance] = launch(ec2)
    [entry] = events.put_events(Entries=[{"Source": "my.app", "DetailType": "Ping", "Detail": "{}"}])["Entries"]
    first = admin_events(emulator)["events"]
    assert [(item["event"]["source"], item["event"]["id"] if item["event"]["source"] == "my.app"
             else item["event"]["detail"]["instance-id"]) for item in first] == [
        ("aws.ec2", instance), ("my.app", entry["EventId"])]
    assert admin_events(emulator, first[0]["sequence"])["events"] == first[1:]


def test_refused_entries_write_nothing(events: Any, emulator: Emulator) -> None:
    answer = events.put_events(Entries=[
        {"Source": "my.app", "DetailType": "Kept", "Detail": "{}"},
        {"Source": "aws.ec2", "DetailType": "Refused", "Detail": "{}"},
        {"Source": "my.app", "DetailType": "Refused", "Detail": "[1]"},
        {"Source": "my.app", "DetailType": "Refused", "Detail": "{}", "EventBusName": "other"},
        {"Source": "my.app", "DetailType": "Kept too", "Detail": "{}"},
    ])
    assert answer["FailedEntryCount"] == 3
    accepted = [entry["EventId"] for entry in answer["Entries"] if "EventId" in entry]
    assert [(event["id"], event["detail-type"]) for event in custom(emulator)] == list(
        zip(accepted, ["Kept", "Kept too"]))
    answer = events.put_events(Entries=[{"Source": "aws.ec2", "DetailType": "Refused", "Detail": "{}"}])
    assert answer["FailedEntryCount"] == 1 and len(custom(emulator)) == 2


def test_a_call_refused_or_rolled_back_writes_none(events: Any, emulator: Emulator) -> None:
    entry = {"Source": "my.app", "DetailType": "Kept", "Detail": "{}"}
    error = error_of(lambda: events.put_events(Entries=[entry, {**entry, "TraceHeader": "Root=1-abc"}]))
    assert error["Code"] == "ValidationException"

    def refuse_after_writing(ctx: Any, call: Any, outcome: Any) -> None:
        if call.action == "PutEvents":
            raise limit_exceeded()

    emulator.pipeline.hooks.after_handler.append(refuse_after_writing)
    assert error_of(lambda: events.put_events(Entries=[entry]))["Code"] == "LimitExceededException"
    assert custom(emulator) == []
    emulator.pipeline.hooks.after_handler.remove(refuse_after_writing)
    [written] = events.put_events(Entries=[entry])["Entries"]
    assert [event["id"] for event in custom(emulator)] == [written["EventId"]]


@pytest.fixture
def events_of(client_of: Any) -> Any:  # noqa: F811
    return lambda account, region="us-east-1": client_of(account, region, "events")


def test_each_accounts_events_carry_its_account_and_region(strict_app: Emulator, events_of: Any) -> None:  # noqa: F811
    entry = {"Source": "my.app", "DetailType": "Ping", "Detail": "{}"}
    [mine] = events_of(OWNER).put_events(Entries=[entry])["Entries"]
    [theirs] = events_of(OTHER, "eu-west-1").put_events(Entries=[entry])["Entries"]
    assert {event["id"]: (event["account"], event["region"]) for event in custom(strict_app)} == {
        mine["EventId"]: (OWNER, "us-east-1"), theirs["EventId"]: (OTHER, "eu-west-1")}
    with strict_app.store.unit_of_work() as uow:
        assert [event["id"] for _, event in uow.outbox.after(account=OWNER)] == [mine["EventId"]]
        assert [event["id"] for _, event in uow.outbox.after(account=OTHER)] == [theirs["EventId"]]
