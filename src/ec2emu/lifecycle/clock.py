"""Where time comes from.

Every timestamp the service writes and every transition it settles is taken from one
:class:`Clock`. :class:`SystemClock` is the wall clock plus an offset that the admin
route ``POST /_ec2emu/clock`` advances (persisted by the store so it survives a
restart); :class:`ManualClock` is set by hand in tests, so no test sleeps through a
transition. Times are naive-free: always timezone-aware UTC.

``wall_now()`` is the time the clients' own clocks show, which signed requests are dated
by: the machine's clock, whatever the emulated clock has been advanced to. Moving the
emulated clock forward for the lifecycle must not make every client's request stale.

The offset is kept in the store's settings under :data:`OFFSET_SETTING`, so that every
node sharing a database follows one clock: :func:`adopt` takes the stored value (a
wall clock only; a manual clock is its own), :func:`advance_stored` adds to it.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any, Protocol

UTC = dt.timezone.utc
OFFSET_SETTING = "clock_offset_seconds"


class Clock(Protocol):
    def now(self) -> dt.datetime: ...

    def wall_now(self) -> dt.datetime: ...

    def advance(self, seconds: float) -> None: ...

    @property
    def offset_seconds(self) -> float: ...


class SystemClock:
    """Wall-clock time shifted by ``offset_seconds`` (which only ever grows)."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self._offset = float(offset_seconds)
        self._shift = dt.timedelta(seconds=self._offset)
        self._lock = threading.Lock()

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def set_offset(self, seconds: float) -> None:
        seconds = float(seconds)
        if seconds == self._offset:  # every request reads the stored offset: mostly unchanged
            return
        with self._lock:
            self._offset = seconds
            self._shift = dt.timedelta(seconds=seconds)

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC) + self._shift

    def wall_now(self) -> dt.datetime:
        return dt.datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += float(seconds)
            self._shift = dt.timedelta(seconds=self._offset)


class ManualClock:
    """A clock that stands still until :meth:`advance` is called."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
        self._offset = 0.0

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def set_offset(self, seconds: float) -> None:
        self.advance(seconds - self._offset)

    def now(self) -> dt.datetime:
        return self._now

    def wall_now(self) -> dt.datetime:
        return dt.datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        self._now += dt.timedelta(seconds=seconds)
        self._offset += seconds


class SettingsStore(Protocol):
    """Where the offset is kept: a store's settings (a key-value table)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


def stored_offset(settings: SettingsStore) -> float:
    return float(settings.get(OFFSET_SETTING) or 0.0)


def adopt(clock: Clock, stored: Any) -> None:
    """Make a wall clock follow the offset stored in the database (``stored`` as read
    from it, ``None`` when never set); a manual clock keeps its own time."""
    if isinstance(clock, SystemClock):
        clock.set_offset(float(stored or 0.0))


def advance_stored(clock: Clock, settings: SettingsStore, seconds: float) -> float:
    """Store the offset moved ``seconds`` forward and return it (call inside the
    transaction that writes it; then :func:`follow`). A wall clock adds to the stored
    offset, which another node may have moved, not to its own copy."""
    base = stored_offset(settings) if isinstance(clock, SystemClock) else clock.offset_seconds
    settings.set(OFFSET_SETTING, base + seconds)
    return base + seconds


def follow(clock: Clock, offset: float, seconds: float) -> None:
    """After :func:`advance_stored` committed: a wall clock takes the new offset, a
    manual clock moves by ``seconds``."""
    if isinstance(clock, SystemClock):
        clock.set_offset(offset)
    else:
        clock.advance(seconds)
