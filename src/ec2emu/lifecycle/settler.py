"""The settler: the one way time moves for stored resources.

:func:`settle` persists every transition that has fallen due, driven by the lifecycle's
table (:data:`~ec2emu.lifecycle.machines.DUE_TRANSITIONS`), and fires the scheduled
EventBridge rules whose next moment has passed (:mod:`ec2emu.lifecycle.schedules`; their
earliest due time is one more of the due times it reads), in a transaction of its own
that the caller opens (a short one: a claim, the due rows' statements, commit). It
takes the time from the clock after adopting the offset stored in the database, so
every node settles by the same clock.

When it runs:

* on a timer in ``ec2emu serve`` (every :data:`INTERVAL` seconds), so a transition
  happens at its time even when nobody is asking. A tick first looks in a reader's
  transaction (:class:`Lookout`), which takes no writer's turn and waits for no one; only
  when something has fallen due does it open the settler's transaction. An idle node's
  timer, and every node's timer but one when several share a database, then costs one
  read and never holds up the writers. Where the store can tell whether anything has
  been committed since (SQLite), a tick that finds nothing committed and the earliest
  due time it last read still ahead does not read at all (:class:`Lookout`): a request
  that comes in during a tick no longer waits for that read;
* when the clock is advanced (the admin route, ``mock().advance``), before the advance
  answers;
* before a request that writes, when it reads a row whose transition has fallen due
  (terminating an instance whose launch is over): the request gives its transaction up,
  the settler runs, and the request starts again — so a request never settles inside
  its own transaction, and a write builds on what is due applied. Readers do not wait
  for it: they show what is due as done (:mod:`ec2emu.store.shown`).

One node at a time: the settler's transaction is a writer's, and writers take turns
(:mod:`ec2emu.store.repository`), so a settler that waited for another finds what that
one did, and nothing left due. The settler's transaction reads one snapshot
(:meth:`~ec2emu.store.repository.Store.settling_transaction`), so all the statements of
one transition see the same rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from ec2emu.lifecycle.clock import OFFSET_SETTING, Clock, adopt
from ec2emu.lifecycle.machines import Durations

INTERVAL = 0.1


class DueTimes(Protocol):
    def any_by(self, now: float) -> bool: ...

    def earliest(self) -> float | None: ...


class SettleStore(Protocol):
    """What the settler needs of a unit of work (the store's)."""

    def request_start(self, setting_key: str) -> tuple[Any, Any]: ...

    def setting(self, key: str) -> Any: ...

    @property
    def settlement(self) -> Any: ...


def now_and_due(uow: SettleStore, clock: Clock) -> tuple[dt.datetime, Any]:
    """The emulated time inside ``uow``'s transaction (the clock following the offset
    stored in the database) and when each kind of timed transition next falls due."""
    offset, due = uow.request_start(OFFSET_SETTING)
    adopt(clock, offset)
    return clock.now(), due


def now_of(uow: SettleStore, clock: Clock) -> dt.datetime:
    """The emulated time inside ``uow``'s transaction (the clock following the offset
    stored in the database), reading nothing else."""
    adopt(clock, uow.setting(OFFSET_SETTING))
    return clock.now()


def settle(uow: SettleStore, clock: Clock, durations: Durations) -> int:
    """Apply every due transition (call inside a settling transaction); the number of
    rows moved."""
    now, due = now_and_due(uow, clock)
    if not due.any_by(now.timestamp()):
        return 0
    moved: int = uow.settlement.settle(now.timestamp(), durations, due)
    return moved


class LookStore(Protocol):
    """What the timer's look needs of a store."""

    def transaction(self, work: Any, *, read_only: bool = False) -> Any: ...

    def change_mark(self) -> int | None: ...


class Lookout:
    """The timer's look for due transitions. It reads the earliest due times in a
    reader's transaction, and keeps the earliest with the store's change mark as read
    before it; while the mark is the same (nothing committed since, by any connection)
    and the clock has not reached that time, nothing can have fallen due, and the next
    look reads nothing. A store that gives no mark (PostgreSQL, whose other nodes'
    commits it cannot see) is read every time."""

    def __init__(self) -> None:
        self.mark: int | None = None
        self.quiet_until = float("-inf")
        self.looks = 0  # looks that read the database

    def due(self, store: LookStore, clock: Clock) -> bool:
        """Whether a transition has fallen due (or a scheduled rule's moment come)."""
        mark = store.change_mark()
        if mark is not None and mark == self.mark and clock.now().timestamp() < self.quiet_until:
            return False
        self.looks += 1
        now, due = store.transaction(lambda uow: now_and_due(uow, clock), read_only=True)
        if due.any_by(now.timestamp()):
            self.mark = None
            return True
        earliest = due.earliest()
        self.mark, self.quiet_until = mark, float("inf") if earliest is None else earliest
        return False
