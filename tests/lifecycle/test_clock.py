"""Clocks: the system clock shifted by an offset, and the manual clock of the tests."""

from __future__ import annotations

import datetime as dt

from ec2emu.lifecycle.clock import UTC, ManualClock, SystemClock


def _shift(clock: SystemClock) -> float:
    """Seconds the clock runs ahead of the wall clock (read between two wall readings)."""
    before = dt.datetime.now(UTC)
    reading = clock.now()
    after = dt.datetime.now(UTC)
    assert before + dt.timedelta(seconds=clock.offset_seconds) <= reading
    assert reading <= after + dt.timedelta(seconds=clock.offset_seconds)
    return clock.offset_seconds


def test_system_clock_is_the_wall_clock_in_utc() -> None:
    clock = SystemClock()
    assert clock.offset_seconds == 0.0
    assert clock.now().tzinfo is not None and clock.now().utcoffset() == dt.timedelta(0)
    assert _shift(clock) == 0.0


def test_system_clock_starts_at_a_given_offset_and_advances() -> None:
    clock = SystemClock(120)
    assert _shift(clock) == 120.0
    clock.advance(30.5)
    assert _shift(clock) == 150.5
    clock.advance(0)
    assert clock.offset_seconds == 150.5


def test_system_clock_offset_can_be_set() -> None:
    clock = SystemClock(500)
    clock.set_offset(0)
    assert _shift(clock) == 0.0


def test_manual_clock_stands_still_until_advanced() -> None:
    clock = ManualClock()
    start = clock.now()
    assert start.utcoffset() == dt.timedelta(0)
    assert clock.now() == start
    clock.advance(5)
    assert clock.now() == start + dt.timedelta(seconds=5)
    clock.advance(0.25)
    assert clock.now() == start + dt.timedelta(seconds=5.25)
    assert clock.offset_seconds == 5.25


def test_manual_clock_from_a_given_start_and_set_offset() -> None:
    start = dt.datetime(2030, 6, 1, 0, 0, tzinfo=UTC)
    clock = ManualClock(start)
    assert clock.now() == start
    clock.set_offset(3600)
    assert clock.now() == start + dt.timedelta(hours=1)
    assert clock.offset_seconds == 3600
