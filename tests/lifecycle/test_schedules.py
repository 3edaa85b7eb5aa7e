"""Schedule expressions: which are valid, and the moments each falls due (UTC)."""

from __future__ import annotations

import datetime as dt

import pytest

from ec2emu.lifecycle.schedules import Cron, Rate, ScheduleError, parse

UTC = dt.timezone.utc
# A Thursday, the manual clock's start.
START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=UTC).timestamp()


def _at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


NEXT = [
    ("cron(0 10 * * ? *)", "2026-01-02T10:00"),
    ("cron(15 12 * * ? *)", "2026-01-01T12:15"),
    ("cron(0/15 * * * ? *)", "2026-01-01T12:15"),  # strictly after the start
    ("cron(10-40/10 * * * ? *)", "2026-01-01T12:10"),
    ("cron(5,50 * * * ? *)", "2026-01-01T12:05"),
    ("cron(0 18 ? * MON-FRI *)", "2026-01-01T18:00"),
    ("cron(0 9 ? * sat,sun *)", "2026-01-03T09:00"),
    ("cron(0 8 1 * ? *)", "2026-02-01T08:00"),
    ("cron(0 0 L * ? *)", "2026-01-31T00:00"),
    ("cron(0 0 LW * ? *)", "2026-01-30T00:00"),  # the 31st is a Saturday
    ("cron(0 0 3W * ? *)", "2026-01-02T00:00"),  # January's 3rd is a Saturday: Friday the 2nd
    ("cron(0 0 1W * ? *)", "2026-02-02T00:00"),  # February's 1st is a Sunday: Monday the 2nd
    ("cron(0 9 ? * 2#1 *)", "2026-01-05T09:00"),  # the first Monday
    ("cron(0 9 ? * 6L *)", "2026-01-30T09:00"),  # the last Friday
    ("cron(0 9 ? * L *)", "2026-01-03T09:00"),  # Saturday
    ("cron(0 12 29 FEB ? *)", "2028-02-29T12:00"),
    ("cron(0 0 1 jan ? *)", "2027-01-01T00:00"),
    ("cron(30 6 ? 3-4/1 TUE 2027)", "2027-03-02T06:30"),
    ("cron(0 12 * * ? 2027)", "2027-01-01T12:00"),
    ("cron(0 0 1 1 ? 2025)", None),  # its only year has passed
    ("cron(0 0 30 2 ? *)", None),
]


@pytest.mark.parametrize(("expression", "first"), NEXT)
def test_a_cron_schedule_falls_due_at_its_next_matching_minute(expression: str, first: str | None) -> None:
    schedule = parse(expression)
    assert isinstance(schedule, Cron)
    assert schedule.first_after(START) == (None if first is None else _at(first))


def test_a_cron_schedule_follows_the_calendar() -> None:
    schedule = parse("cron(0 0 ? * 3#2 *)")  # the second Tuesday of each month
    moments, at = [], START
    for _ in range(3):
        found = schedule.next_after(at)
        assert found is not None
        moments.append(dt.datetime.fromtimestamp(found, UTC).date().isoformat())
        at = found
    assert moments == ["2026-01-13", "2026-02-10", "2026-03-10"]


def test_a_rate_counts_from_its_start() -> None:
    assert parse("rate(1 minute)") == Rate(60)
    assert parse("rate(5 minutes)").first_after(START + 0.5) == START + 300.5
    assert parse("rate(2 hours)").next_after(START) == START + 7200
    assert parse("rate(1 day)") == Rate(86400)
    assert parse("rate(3 days)") == Rate(3 * 86400)
    assert parse("rate(999999999 days)").first_after(START) is None  # past the year 9999


INVALID = [
    "", "rate()", "rate(1 minutes)", "rate(5 minute)", "rate(1 hours)", "rate(5 hour)", "rate(0 minutes)",
    "rate(-1 minutes)", "rate(1.5 minutes)", "rate(5 seconds)", "rate(5  minutes)", "Rate(5 minutes)",
    "rate(5 minutes) ", "rate(05 minutes)", "rate(1 week)",
    "cron()", "cron(0 10 * * *)", "cron(0 10 * * ? * *)", "cron(7 20 * * 1-7 *)", "cron(0 10 * * * *)",
    "cron(0 10 ? * ? *)", "cron(0 10 1 * 2 *)", "cron(*/60 * * * ? *)", "cron(60 * * * ? *)", "cron(0 24 * * ? *)",
    "cron(0 0 0 * ? *)", "cron(0 0 32 * ? *)", "cron(0 0 * 13 ? *)", "cron(0 0 * 0 ? *)", "cron(0 0 ? * 8 *)",
    "cron(0 0 ? * 0 *)", "cron(0 0 1 * ? 1969)", "cron(0 0 1 * ? 2200)", "cron(0 0 ? * 3#6 *)",
    "cron(0 0 ? * 3#1,6#3 *)", "cron(15 12 ? * -1 *)", "cron(0/5, 9-18, ?, *, MON-FRI, *)",
    "cron(0 0 ? * FRI-MON *)", "cron(0 0 ? JANUARY MON *)", "cron(0 0 L,15 * ? *)", "cron(0 0 32W * ? *)",
    "cron(0/0 * * * ? *)", "cron(a * * * ? *)", "cron(0 0 ? * 1W *)", "cron(0 0 * * ? *) ", "at(2026-01-01T00:00:00)",
]


@pytest.mark.parametrize("expression", INVALID)
def test_an_invalid_expression_is_refused(expression: str) -> None:
    with pytest.raises(ScheduleError):
        parse(expression)
