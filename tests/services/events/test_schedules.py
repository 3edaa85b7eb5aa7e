"""Scheduled rules under ``ec2emu.mock()``: PutRule's ``ScheduleExpression`` (valid and
not), its ``Scheduled Event`` at each moment on the emulated clock, delivered to the
rule's own targets only; disabling, enabling again and deleting; each moment emitted
once however often the settler runs; a far clock jump; and a real server firing one."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

import ec2emu
from tests.conftest import ServerProcess
from tests.e2e.test_admin import http_admin
from tests.helpers import error_of

ACCOUNT = "000000000000"
RULE_ARN = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:"
INVALID = {"Code": "ValidationException", "Status": 400, "Message": "Parameter ScheduleExpression is not valid."}


def _scheduled(emulator: Any) -> list[dict[str, Any]]:
    return [e for e in emulator.events if e["detail-type"] == "Scheduled Event"]


def _times(found: list[dict[str, Any]]) -> list[str]:
    return [e["time"] for e in found]


def _target(events: Any, rule: str, function: str) -> None:
    events.put_targets(Rule=rule, Targets=[{"Id": "fn", "Arn": FUNCTION + function}])


@pytest.mark.parametrize("expression", [
    "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(5 seconds)", "cron(0 10 * * *)",
    "cron(7 20 * * 1-7 *)", "cron(0 10 ? * ? *)", "cron(*/60 * * * ? *)", "cron(0 0 ? * 3#1,6#3 *)",
    "cron(15 12 ? * -1 *)", "cron(0 0 1 * ? 2200)", "at(2026-01-02T00:00:00)",
])
def test_an_invalid_expression_is_refused_and_changes_nothing(events: Any, expression: str) -> None:
    assert error_of(events.put_rule, Name="bad", ScheduleExpression=expression) == INVALID
    events.put_rule(Name="kept", ScheduleExpression="rate(1 hour)")
    assert error_of(events.put_rule, Name="kept", ScheduleExpression=expression) == INVALID
    assert [(r["Name"], r["ScheduleExpression"]) for r in events.list_rules()["Rules"]] == [("kept", "rate(1 hour)")]


def test_put_describe_and_list_a_scheduled_rule(events: Any) -> None:
    for expression in ("rate(1 minute)", "rate(5 minutes)", "rate(1 day)", "cron(0 10 * * ? *)",
                       "cron(0/15 8-17 ? * MON-FRI *)", "cron(0 0 L * ? *)", "cron(0 9 ? * 2#1 2026-2030)"):
        assert events.put_rule(Name="every", ScheduleExpression=expression)["RuleArn"] == RULE_ARN + "every"
        described = events.describe_rule(Name="every")
        assert described["ScheduleExpression"] == expression and "EventPattern" not in described
    both = json.dumps({"source": ["my.app"]})
    events.put_rule(Name="both", ScheduleExpression="rate(2 hours)", EventPattern=both, State="DISABLED")
    assert {k: v for k, v in events.describe_rule(Name="both").items() if k != "ResponseMetadata"} == {
        "Name": "both", "Arn": RULE_ARN + "both", "EventPattern": both, "ScheduleExpression": "rate(2 hours)",
        "State": "DISABLED", "EventBusName": "default", "CreatedBy": ACCOUNT}
    assert [(r["Name"], r.get("ScheduleExpression")) for r in events.list_rules()["Rules"]] == [
        ("both", "rate(2 hours)"), ("every", "cron(0 9 ? * 2#1 2026-2030)")]
    events.put_rule(Name="both", EventPattern=both)  # replaced: the schedule is gone
    assert "ScheduleExpression" not in events.describe_rule(Name="both")


def test_a_schedule_is_only_for_the_default_bus_and_role_arn_is_still_refused(events: Any) -> None:
    assert error_of(events.put_rule, Name="r", ScheduleExpression="rate(1 hour)", EventBusName="custom") == {
        "Code": "ValidationException", "Status": 400,
        "Message": "ScheduleExpression is supported only on the default event bus."}
    assert error_of(events.put_rule, Name="r", ScheduleExpression="rate(1 hour)",
                    RoleArn=f"arn:aws:iam::{ACCOUNT}:role/r")["Message"] == (
        "The parameter RoleArn is not supported by this endpoint.")
    assert events.list_rules()["Rules"] == []


def test_a_rate_fires_from_its_creation_and_its_event_reaches_its_target() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        got: list[dict[str, Any]] = []
        emulator.functions["job"] = got.append
        emulator.advance(30)
        events.put_rule(Name="cleanup", ScheduleExpression="rate(5 minutes)")
        _target(events, "cleanup", "job")
        emulator.advance(299)
        assert got == [] and _scheduled(emulator) == []
        emulator.advance(1)
        [fired] = got
        assert fired == {"version": "0", "id": fired["id"], "detail-type": "Scheduled Event", "source": "aws.events",
                         "account": ACCOUNT, "time": "2026-01-01T12:05:30Z", "region": "us-east-1",
                         "resources": [RULE_ARN + "cleanup"], "detail": {}}
        assert _scheduled(emulator) == got
        emulator.advance(900)
        assert _times(got) == ["2026-01-01T12:05:30Z", "2026-01-01T12:10:30Z", "2026-01-01T12:15:30Z",
                               "2026-01-01T12:20:30Z"]
        assert len({e["id"] for e in got}) == 4


def test_a_cron_fires_on_the_calendar() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        events.put_rule(Name="quarter", ScheduleExpression="cron(0/15 * * * ? *)")
        events.put_rule(Name="weekday", ScheduleExpression="cron(30 9 ? * MON-FRI *)")
        emulator.advance(3600)
        assert [(e["time"], e["resources"]) for e in _scheduled(emulator)] == [
            (f"2026-01-01T{at}Z", [RULE_ARN + "quarter"]) for at in ("12:15:00", "12:30:00", "12:45:00", "13:00:00")]
        events.delete_rule(Name="quarter")
        emulator.advance(4 * 86400)  # Friday 2nd to Monday 5th
        assert [e["time"] for e in _scheduled(emulator)][4:] == ["2026-01-02T09:30:00Z", "2026-01-05T09:30:00Z"]


def test_a_scheduled_event_goes_only_to_its_own_rules_targets() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        got: dict[str, list[dict[str, Any]]] = {"mine": [], "catch_all": [], "other": []}
        for name, found in got.items():
            emulator.functions[name] = found.append
        # The API calls' own events (source aws.events too) are left out of the pattern.
        pattern = json.dumps({"source": ["aws.events", "my.app"], "detail-type": ["Scheduled Event", "done"]})
        events.put_rule(Name="mine", ScheduleExpression="rate(1 minute)", EventPattern=pattern)
        events.put_rule(Name="catch_all", EventPattern=pattern)
        events.put_rule(Name="other", ScheduleExpression="rate(1 hour)")
        for name in got:
            _target(events, name, name)
        events.put_events(Entries=[{"Source": "my.app", "DetailType": "done", "Detail": "{}"}])
        emulator.advance(60)
        assert [e["detail-type"] for e in got["mine"]] == ["done", "Scheduled Event"]  # pattern and schedule
        assert [e["detail-type"] for e in got["catch_all"]] == ["done"]
        assert got["other"] == []


def test_a_disabled_rule_does_not_fire_and_enabling_starts_its_rate_again() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        got: list[dict[str, Any]] = []
        emulator.functions["job"] = got.append
        events.put_rule(Name="job", ScheduleExpression="rate(10 minutes)", State="DISABLED")
        _target(events, "job", "job")
        emulator.advance(3600)
        assert got == []
        events.enable_rule(Name="job")  # at 13:00
        emulator.advance(300)
        events.enable_rule(Name="job")  # already enabled: its schedule goes on
        emulator.advance(300)
        assert _times(got) == ["2026-01-01T13:10:00Z"]
        events.disable_rule(Name="job")
        emulator.advance(3600)
        assert len(got) == 1
        events.enable_rule(Name="job")  # at 14:10
        emulator.advance(601)
        assert _times(got) == ["2026-01-01T13:10:00Z", "2026-01-01T14:20:00Z"]
        events.put_rule(Name="job", ScheduleExpression="rate(10 minutes)", Description="same schedule")
        emulator.advance(600)
        assert _times(got)[2:] == ["2026-01-01T14:30:00Z"]
        events.put_rule(Name="job", ScheduleExpression="rate(1 hour)")  # at 14:30:01, a new schedule
        emulator.advance(3600)
        assert _times(got)[3:] == ["2026-01-01T15:30:01Z"]


def test_a_deleted_rule_fires_no_more() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        events.put_rule(Name="gone", ScheduleExpression="rate(1 minute)")
        emulator.advance(120)
        events.delete_rule(Name="gone")
        emulator.advance(600)
        assert _times(_scheduled(emulator)) == ["2026-01-01T12:01:00Z", "2026-01-01T12:02:00Z"]


def test_each_moment_is_emitted_once_however_often_the_settler_runs() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        events.put_rule(Name="once", ScheduleExpression="rate(1 minute)")
        emulator.advance(180)
        for _ in range(3):
            emulator.settle()
        emulator.deliver()
        assert _times(_scheduled(emulator)) == ["2026-01-01T12:01:00Z", "2026-01-01T12:02:00Z",
                                                "2026-01-01T12:03:00Z"]


def test_a_far_jump_emits_every_missed_moment_over_the_settlers_runs() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        events.put_rule(Name="minutely", ScheduleExpression="rate(1 minute)")
        events.put_rule(Name="hourly", ScheduleExpression="cron(0 * * * ? *)")
        emulator.advance(2 * 86400)
        first_run = _scheduled(emulator)
        assert len(first_run) == 2000  # one run's bound: the earliest moments, in time order
        assert _times(first_run) == sorted(_times(first_run))
        emulator.settle()
        found = _scheduled(emulator)
        minutely = [e["time"] for e in found if e["resources"] == [RULE_ARN + "minutely"]]
        hourly = [e["time"] for e in found if e["resources"] == [RULE_ARN + "hourly"]]
        assert len(minutely) == len(set(minutely)) == 2 * 1440
        assert len(hourly) == 48 and hourly[-1] == "2026-01-03T12:00:00Z"
        assert emulator.settle() == 0


def test_a_server_fires_a_schedule_into_a_log_group(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path).start()
    try:
        events = server.client(service="events")
        events.put_rule(Name="tick", ScheduleExpression="rate(1 minute)")
        events.put_targets(Rule="tick", Targets=[
            {"Id": "logs", "Arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:ticks"}])
        assert http_admin(server.endpoint, "POST", "clock", {"advance_seconds": 180})[0] == 200
        log = tmp_path / "event-logs" / ACCOUNT / "us-east-1" / "ticks.jsonl"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 3):
            time.sleep(0.05)
        lines = [json.loads(line) for line in log.read_text().splitlines()]
        assert [(e["detail-type"], e["resources"]) for e in lines] == [("Scheduled Event", [RULE_ARN + "tick"])] * 3
        assert len({e["time"] for e in lines}) == 3
    finally:
        server.stop()
