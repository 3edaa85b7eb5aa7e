"""The settler: the one way time moves for stored resources.

:func:`settle` persists every transition that has fallen due, driven by the lifecycle's
table (:data:`~ec2emu.lifecycle.machines.DUE_TRANSITIONS`), in a transaction of its own
that the caller opens (a short one: a claim, the due rows' statements, commit). It
takes the time from the clock after adopting the offset stored in the database, so
every node settles by the same clock.

When it runs:

* on a timer in ``ec2emu serve`` (every :data:`INTERVAL` seconds), so a transition
  happens at its time even when nobody is asking;
* when the clock is advanced (the admin route, ``mock().advance``), before the advance
  answers;
* before a request, when the request finds that something has fallen due: the request
  gives its transaction up, the settler runs, and the request starts again — so a
  request never settles inside its own transaction, and a write that depends on a due
  transition (terminating an instance whose launch has fallen due) sees it applied.

One node at a time: the store's ``claim`` waits for another settler to finish
(PostgreSQL's advisory lock). The settler's transaction is as serializable as a
request's, so all the statements of one transition see one snapshot, and a settler that
waited, having read before the other committed, is retried and then finds nothing due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from ec2emu.lifecycle.clock import OFFSET_SETTING, Clock, adopt
from ec2emu.lifecycle.machines import Durations

INTERVAL = 0.1


class DueTimes(Protocol):
    def any_by(self, now: float) -> bool: ...


class SettleStore(Protocol):
    """What the settler needs of a unit of work (the store's)."""

    def request_start(self, setting_key: str) -> tuple[Any, Any]: ...

    @property
    def settlement(self) -> Any: ...


def now_and_due(uow: SettleStore, clock: Clock) -> tuple[dt.datetime, Any]:
    """The emulated time inside ``uow``'s transaction (the clock following the offset
    stored in the database) and when each kind of timed transition next falls due."""
    offset, due = uow.request_start(OFFSET_SETTING)
    adopt(clock, offset)
    return clock.now(), due


def settle(uow: SettleStore, clock: Clock, durations: Durations) -> int:
    """Apply every due transition (call inside a settling transaction); the number of
    rows moved."""
    uow.settlement.claim()
    now, due = now_and_due(uow, clock)
    if not due.any_by(now.timestamp()):
        return 0
    moved: int = uow.settlement.settle(now.timestamp(), durations, due)
    return moved
