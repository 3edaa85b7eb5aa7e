"""The audit trail's recorder: every answered call of an authenticated caller becomes a
CloudTrail event, written off the request's transaction.

:meth:`Recorder.note` is the pipeline's ``finished`` hook (:class:`ec2emu.pipeline.Hooks`):
it puts the call's pieces (a :class:`~ec2emu.pipeline.Finished`, with a number giving
its order) on a bounded in-memory queue and nothing more, so a call pays a few
microseconds for its record. :meth:`Recorder.flush` takes everything queued, builds each
record (:mod:`ec2emu.trail.records`) and writes the batch in one transaction of its own
(``store/trail.py``) — with, in the same transaction, each call's ``AWS API Call via
CloudTrail`` event in the event outbox (:mod:`ec2emu.services.events.api_calls`: a
read's only when a rule of its account and region asks for reads), so a stored record
has its event exactly once — and, every :data:`PRUNE_INTERVAL` seconds (or when asked),
forgets what is older than :data:`RETENTION_SECONDS` of emulated time (90 days: an
indexed delete). Allowed, denied, failed and ``DryRun`` calls
are all recorded, also those whose own transaction rolled back; reads stay read-only.

When it flushes: on a timer every :data:`FLUSH_INTERVAL` second in ``ec2emu serve``
(:meth:`Recorder.run_timer`, started with the server's lifespan) and once more at
shutdown; before every CloudTrail call (``before_work``), so LookupEvents sees every
call answered before it; whenever asked (``Emulator.flush_trail()``, for tests); and,
when no timer runs (``ec2emu.mock()``, an app driven in-process), as soon as
:data:`BATCH` calls are queued.

Choices:

* A full queue (:data:`CAPACITY` calls waiting, the database slower than the calls)
  drops its oldest call, counted in :attr:`Recorder.dropped`, rather than slow the calls
  down. A queued call holds its parsed parameters and a write's result (not the
  request's body, nor a read's result, which no record shows), a few kilobytes for most
  calls.
* A crash (``kill -9``) loses what was queued: at most the last second's calls, their
  records and their events alike (EventBridge's copy is lost only with the trail's). A batch
  that cannot be written (the database away) is put back on the queue, as much of it as
  fits, for the next flush.
* Requests whose caller is not authenticated (a bad signature, an unknown key) are not
  recorded: no account is known to record them in. Nor is a request whose operation
  could not be named.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from ec2emu.pipeline import Call, Finished
from ec2emu.services.events.api_calls import outbox_rows
from ec2emu.store.repository import Store, UnitOfWork
from ec2emu.store.trail import RETENTION_SECONDS
from ec2emu.trail.records import rows

log = logging.getLogger("ec2emu")

CAPACITY = 10_000
BATCH = 1_000
FLUSH_INTERVAL = 1.0
PRUNE_INTERVAL = 60.0
# The signing name whose calls read the trail (a flush comes first).
READER = "cloudtrail"


class Recorder:
    """The queue of finished calls and the flush that stores them as events."""

    def __init__(self, store: Store, now_of: Callable[[UnitOfWork], dt.datetime], capacity: int = CAPACITY) -> None:
        self.store = store
        self.now_of = now_of
        self.queue: deque[Finished] = deque(maxlen=capacity)
        self.dropped = 0
        self.timer_running = False
        self._lock = threading.Lock()
        self._failing = False
        self._pruned = -PRUNE_INTERVAL

    # ------------------------------------------------------------------ the pipeline's hooks
    def note(self, finished: Finished) -> None:
        """Queue ``finished`` (the ``finished`` hook)."""
        queue = self.queue
        if len(queue) == queue.maxlen:
            self.dropped += 1
        queue.append(finished)
        if not self.timer_running and len(queue) >= BATCH:
            self.flush()

    def before_work(self, call: Call) -> None:
        """A call that reads the trail sees every call answered before it."""
        if call.service == READER:
            self.flush()

    # ------------------------------------------------------------------ flushing
    def flush(self, *, prune: bool = False) -> int:
        """Store everything queued and forget what is past the retention (at most every
        :data:`PRUNE_INTERVAL` seconds, or now when ``prune``); the number of events
        stored."""
        with self._lock:
            batch: list[Finished] = []
            while self.queue:
                batch.append(self.queue.popleft())
            pruning = prune or time.monotonic() - self._pruned >= PRUNE_INTERVAL
            if not batch and not pruning:
                return 0
            try:
                self.store.transaction(lambda uow: self._write(uow, batch, pruning))
            except Exception:
                self.dropped += max(0, len(batch) + len(self.queue) - (self.queue.maxlen or 0))
                self.queue.extendleft(reversed(batch))
                if not self._failing:
                    log.exception("the audit trail could not be written; retrying at the next flush")
                self._failing = True
                return 0
            self._failing = False
            if pruning:
                self._pruned = time.monotonic()
            return len(batch)

    def _write(self, uow: UnitOfWork, batch: list[Finished], pruning: bool) -> None:
        sessions: dict[str, Any] = {}

        def session_of(access_key_id: str) -> tuple[str, float] | None:
            if access_key_id not in sessions:
                row = uow.iam.find_session(access_key_id)
                sessions[access_key_id] = None if row is None else (row["role_arn"], row["create_date"])
            found: tuple[str, float] | None = sessions[access_key_id]
            return found

        events, resources, calls = [], [], []
        identities: dict[tuple[str, str], str] = {}
        for finished in batch:  # in the order answered, which the store keeps
            event, named, record = rows(finished, session_of, identities)
            events.append(event)
            resources += named
            calls.append((event["account_id"], event["region"], event["event_time"], finished.service,
                          finished.action, record))
        uow.trail.add(events, resources)
        uow.outbox.api_calls(outbox_rows(uow, calls))
        if pruning:
            uow.trail.prune(self.now_of(uow).timestamp() - RETENTION_SECONDS)

    def discard(self) -> None:
        """Forget what is queued (the emulator's reset)."""
        with self._lock:
            self.queue.clear()

    async def run_timer(self) -> None:
        """Flush every :data:`FLUSH_INTERVAL` seconds until cancelled, then once more."""
        self.timer_running = True
        try:
            while True:
                await asyncio.sleep(FLUSH_INTERVAL)
                self.flush()
        finally:
            self.timer_running = False
            self.flush()
