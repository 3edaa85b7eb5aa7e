"""Delivery of the outbox's events to the targets of the rules they match — at least
once, each attempt with the event's own ``id``, never inside an API request.

:class:`Deliverer` works in three steps, each its own transaction, none holding one
while it sends:

1. **Match** (a writer's transaction, so nodes take turns): read the cursor; when no
   rule of any account is enabled (one probe of an index), move the cursor past the
   newest event and stop — nothing is read of the events, which no rule made later
   will be matched against. (The server's thread does not even start a match then:
   while no rule is enabled anywhere, waiting events are no work; the first rule
   enabled moves the cursor past them itself, :func:`~.rules.enabling`, and so does
   the retention before it forgets what is matched.) Otherwise read the
   sequence numbers, accounts and regions of the events after it (up to
   :data:`KEYS_PAGE`); an event whose account and region have no enabled rule on the
   default bus is passed over unread (most are: state changes nobody asked to hear);
   read the others (up to :data:`PAGE`) and match each against the enabled
   rules of its account and region on the default bus — a read's ``AWS API Call via
   CloudTrail`` event only against those in the state
   ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``
   (:func:`~ec2emu.services.events.api_calls.withheld_event`); a scheduled rule's
   ``Scheduled Event`` against no pattern: it goes to that rule's targets alone, if the
   rule is still enabled when its event is matched — (patterns compiled once per
   pattern text, kept in :data:`_PATTERNS`), write a pending delivery per matched target
   (the body rendered once by :func:`~ec2emu.services.events.target_input.render`) and
   move the cursor past them — all in the one transaction, so a crash loses no event
   and no two nodes match one.
2. **Lease** (a writer's transaction): up to :data:`BATCH` pending deliveries due on the
   emulated clock whose lease has ended get a lease of :data:`LEASE_SECONDS` of
   wall-clock time (renewed before each later attempt of the batch).
3. **Send** (no transaction; :mod:`~ec2emu.services.events.outbound` for an API
   destination, :mod:`~ec2emu.services.events.sinks` for a log group or a function),
   then **record** the outcome (a writer's transaction). A node that dies while sending
   leaves the lease to run out; the delivery is then sent again, with the same ``id``.

Retries follow the target's ``RetryPolicy`` (``MaximumRetryAttempts`` default 185,
``MaximumEventAgeInSeconds`` default 86,400), timed on the emulated clock: after the
``n``-th failed attempt the next falls due ``min(2**(n-1), 300)`` seconds later, times a
random factor from 0.5 to 1 (AWS documents exponential back-off with jitter, not its
figures: these are ours), or after ``Retry-After`` when the answer gave a longer one. An
event's age counts from when it was matched. A failure that is not retriable (a refused
host, a 4xx answer, a function nobody registered), an exhausted retry policy or an
event too old ends the delivery as a dead letter: kept, with the error, the condition
exhausted and the target's ``DeadLetterConfig`` ARN (no queue is sent to: SQS is not
served), listed by ``GET /_ec2emu/dead-letters``. A target (or its destination or
connection) gone when its delivery falls due is a dead letter with ``NO_RESOURCE``.

Retention, on the emulated clock (:meth:`Deliverer.prune`, in writers' transactions of
their own, :data:`PRUNE_BATCH` rows of each table at a time, at most every
:data:`PRUNE_INTERVAL` wall-clock seconds: from the server's delivery thread, or from
:meth:`Deliverer.pump`): an outbox event already matched and
more than :data:`~ec2emu.store.outbox.RETENTION_SECONDS` (7 days) old is forgotten, and
so is a delivery done (``delivered``) that long ago; pending deliveries and unmatched
events are kept however old, and dead letters are kept until the emulator's reset. A
week outlasts any delivery's retries (``MaximumEventAgeInSeconds`` is at most a day), so
nothing still being delivered is lost; each delete is one range of an index.

The counts (kept on the pipeline's :class:`~ec2emu.observability.record.Tally`) are
this process's: deliveries done, failed attempts, dead letters.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ec2emu.lifecycle.clock import Clock
from ec2emu.lifecycle.notifications import scheduled_rule
from ec2emu.lifecycle.settler import now_of
from ec2emu.observability.record import Tally
from ec2emu.services.events import outbound, sinks
from ec2emu.services.events.api_calls import withheld_event
from ec2emu.services.events.api_destinations import DESTINATION_ARN
from ec2emu.services.events.common import rule_arn_in
from ec2emu.services.events.patterns import EventPattern, PatternError, compile_pattern
from ec2emu.services.events.rules import CURSOR, MATCHING, WITH_CLOUDTRAIL, pass_over_all
from ec2emu.services.events.target_input import render
from ec2emu.services.events.targets import target_view
from ec2emu.store.deliveries import DEAD, DELIVERED, PENDING
from ec2emu.store.event_connections import Scope
from ec2emu.store.event_rules import Bus
from ec2emu.store.outbox import RETENTION_SECONDS
from ec2emu.store.repository import Store, UnitOfWork

log = logging.getLogger("ec2emu")

PAGE = 100
# How many events' keys one match reads, passing over those no rule can match.
KEYS_PAGE = 2000
# A lease outlasts one attempt (an OAuth token's request and the delivery's, 5 s each);
# the leases of a batch are renewed before each attempt that comes later.
LEASE_SECONDS = 2 * outbound.TIMEOUT + 2
BATCH = 10
MAX_BACKOFF = 300.0
DEFAULT_RETRIES = 185
DEFAULT_AGE = 86400
DEFAULT_BUS = "default"
PRUNE_INTERVAL = 60.0
# The longest the server's thread goes without a look while nothing waits for its time.
QUIET_LOOK = 1.0
# Rows forgotten per transaction, so that a writer's turn stays short after a clock jump.
PRUNE_BATCH = 2000

# Compiled patterns by their text (a rule's version: a changed pattern is a new text),
# forgotten all at once past MAX_PATTERNS.
_PATTERNS: dict[str, EventPattern | None] = {}
MAX_PATTERNS = 4096


def _pattern(text: str | None) -> EventPattern | None:
    if text is None:
        return None
    if text not in _PATTERNS:
        if len(_PATTERNS) >= MAX_PATTERNS:
            _PATTERNS.clear()
        try:
            _PATTERNS[text] = compile_pattern(text)
        except PatternError:
            _PATTERNS[text] = None
    return _PATTERNS[text]


def backoff(failures: int) -> float:
    """Seconds from the ``failures``-th failed attempt to the next (see the module's note)."""
    return min(2.0 ** (failures - 1), MAX_BACKOFF) * random.uniform(0.5, 1.0)


def rule_arn(row: dict[str, Any]) -> str:
    bus = "" if row["event_bus"] == DEFAULT_BUS else f"{row['event_bus']}/"
    return f"arn:aws:events:{row['region']}:{row['account_id']}:rule/{bus}{row['rule_name']}"


@dataclass
class Deliverer:
    """Delivery for one emulator (see the module's note)."""

    store: Store
    clock: Clock
    state_dir: Callable[[], Path]
    allowed_hosts: Callable[[], Collection[str]]
    functions: dict[str, sinks.Function] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    tokens: outbound.Tokens = field(default_factory=outbound.Tokens)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The wall-clock moments of each API destination's latest requests (its rate limit).
    sent: dict[str, deque[float]] = field(default_factory=dict)
    # When the retention last ran (monotonic seconds).
    pruned: float = float("-inf")

    def _pace(self, arn: str, per_second: int) -> None:
        """Wait, if need be, so that no more than ``per_second`` requests go to the API
        destination ``arn`` in any second (this process's)."""
        times = self.sent.setdefault(arn, deque())
        now = time.monotonic()
        while times and times[0] <= now - 1.0:
            times.popleft()
        if len(times) >= max(1, per_second):
            time.sleep(max(0.0, times[0] + 1.0 - now))
            times.popleft()
        times.append(time.monotonic())

    # ------------------------------------------------------------------ the steps
    def pump(self) -> int:
        """Match every event not yet matched and make every attempt due; the attempts made.
        One caller at a time per process (other nodes take their turns in the database)."""
        with self.lock:
            while self.store.transaction(self._match):
                pass
            self._prune_now_and_then()
            made = 0
            while True:
                leased, expired = self.store.transaction(self._lease)
                self.tally.events_dead_lettered += expired
                if not leased:
                    return made
                renew_by = time.monotonic() + 1.0
                for at, row in enumerate(leased):
                    if time.monotonic() > renew_by:
                        rest = [later["id"] for later in leased[at:]]
                        self.store.transaction(lambda uow: uow.deliveries.lease(rest, time.time() + LEASE_SECONDS))
                        renew_by = time.monotonic() + 1.0
                    self._attempt(row)
                    made += 1

    def prune(self) -> tuple[int, int]:
        """Forget the matched events and the deliveries done that are past the retention
        (see the module's note), :data:`PRUNE_BATCH` of each per transaction; how many of
        each."""
        def work(uow: UnitOfWork) -> tuple[int, int]:
            before = now_of(uow, self.clock).timestamp() - RETENTION_SECONDS
            pass_over_all(uow)
            return (uow.outbox.prune(before, uow.deliveries.cursor(CURSOR), PRUNE_BATCH),
                    uow.deliveries.prune(before, PRUNE_BATCH))

        self.pruned = time.monotonic()
        events = deliveries = 0
        while True:
            more_events, more_deliveries = self.store.transaction(work)
            events, deliveries = events + more_events, deliveries + more_deliveries
            if max(more_events, more_deliveries) < PRUNE_BATCH:
                return events, deliveries

    def _prune_now_and_then(self) -> None:
        if time.monotonic() - self.pruned >= PRUNE_INTERVAL:
            self.prune()

    def idle(self) -> bool:
        """Whether there is nothing to match nor due (one reader's transaction): events
        wait for no match while no rule is enabled anywhere (the first rule enabled moves
        the cursor past them)."""
        return self._look()[0]

    def _look(self) -> tuple[bool, bool]:
        """Whether there is nothing to match nor due (:meth:`idle`), and whether, besides,
        no delivery is pending at all — so that nothing will be due before the database
        changes."""
        def read(uow: UnitOfWork) -> tuple[bool, bool]:
            now = now_of(uow, self.clock).timestamp()
            events_after, first = uow.deliveries.waiting(CURSOR)
            if first is not None and first <= now:
                return False, False
            idle = not events_after or not uow.event_rules.any_anywhere(MATCHING)
            return idle, idle and first is None

        return self.store.transaction(read, read_only=True)

    def _match(self, uow: UnitOfWork) -> bool:
        """One page of matching (see the module's note); whether more events may wait."""
        now = now_of(uow, self.clock).timestamp()
        if pass_over_all(uow):
            return False
        cursor = uow.deliveries.cursor(CURSOR)
        keys = uow.outbox.keys_after(cursor, KEYS_PAGE)
        if not keys:
            return False
        rules: dict[tuple[str, str], list[tuple[dict[str, Any], EventPattern | None, list[dict[str, Any]]]]] = {}
        wanted: list[int] = []
        last = cursor
        for seq, account, region in keys:
            key = (account, region)
            if key not in rules:
                bus = Bus(account, region, DEFAULT_BUS)
                enabled = [(rule, _pattern(rule["event_pattern"]), uow.event_rules.targets(bus, rule["name"]))
                           for state in MATCHING for rule in uow.event_rules.in_state(bus, state)]
                rules[key] = sorted(enabled, key=lambda found: str(found[0]["name"]))
            if rules[key]:
                if len(wanted) == PAGE:
                    break
                wanted.append(seq)
            last = seq
        rows = []
        for seq, event in uow.outbox.at(wanted):
            key = (str(event["account"]), str(event["region"]))
            scheduled = scheduled_rule(event)
            withheld = withheld_event(event)
            for rule, pattern, targets in rules[key]:
                if scheduled is not None:
                    if rule["name"] != scheduled:
                        continue
                elif pattern is None or (withheld and rule["state"] != WITH_CLOUDTRAIL) or not pattern.matches(event):
                    continue
                for target in targets:
                    rows.append({
                        "event_seq": seq, "event_id": event["id"], "account_id": key[0], "region": key[1],
                        "event_bus": DEFAULT_BUS, "rule_name": rule["name"], "target_id": target["target_id"],
                        "target_arn": target["arn"], "dead_letter_arn": target["dead_letter_arn"],
                        "retry_policy": target["retry_policy"], "event": event,
                        "body": render(event, target_view(target), {
                            "Name": rule["name"],
                            "Arn": rule_arn_in(key[1], key[0], rule["name"])}),
                        "http_parameters": target["http_parameters"],
                        "event_time": now, "next_at": now,
                    })
        uow.deliveries.add(rows)
        uow.deliveries.set_cursor(CURSOR, last)
        return len(keys) == KEYS_PAGE or last != keys[-1][0]

    def _lease(self, uow: UnitOfWork) -> tuple[list[dict[str, Any]], int]:
        """The due deliveries leased, and how many ended as too old instead."""
        now = now_of(uow, self.clock).timestamp()
        wall = time.time()
        due = uow.deliveries.due(now, wall, BATCH)
        kept = []
        expired = 0
        for row in due:
            policy = row["retry_policy"] or {}
            if now - row["event_time"] > policy.get("MaximumEventAgeInSeconds", DEFAULT_AGE):
                self._dead(uow, row, now, "MaximumEventAgeInSeconds", row["error_code"] or "EVENT_EXPIRED",
                           row["last_error"] or "the event's age passed MaximumEventAgeInSeconds")
                expired += 1
                continue
            kept.append({**row, "now": now})
        uow.deliveries.lease([row["id"] for row in kept], wall + LEASE_SECONDS)
        return kept, expired

    def _attempt(self, row: dict[str, Any]) -> None:
        try:
            outcome = self._send(row)
        except Exception:  # a fault of ours: retried like a failure, the trace logged
            log.exception("delivery %s to %s failed", row["id"], row["target_arn"])
            outcome = outbound.Outcome(False, True, "INTERNAL_FAILURE", "the delivery failed inside ec2emu")
        status = self.store.transaction(lambda uow: self._record(uow, row, outcome))
        if outcome.ok:
            self.tally.events_delivered += 1
        else:
            self.tally.events_failed += 1
        if status == DEAD:
            self.tally.events_dead_lettered += 1

    def _record(self, uow: UnitOfWork, row: dict[str, Any], outcome: outbound.Outcome) -> str:
        """Record the attempt's outcome; the delivery's status after it."""
        now = now_of(uow, self.clock).timestamp()
        attempts = row["attempts"] + 1
        if outcome.ok:
            uow.deliveries.record(row["id"], {"attempts": attempts, "status": DELIVERED, "ended_at": now})
            return DELIVERED
        row = {**row, "attempts": attempts}
        policy = row["retry_policy"] or {}
        exhausted: str | None = None
        wait = backoff(attempts)
        if outcome.retry_after is not None:
            wait = max(wait, outcome.retry_after)
        if attempts - 1 >= policy.get("MaximumRetryAttempts", DEFAULT_RETRIES):
            exhausted = "MaximumRetryAttempts"
        elif now + wait - row["event_time"] > policy.get("MaximumEventAgeInSeconds", DEFAULT_AGE):
            exhausted = "MaximumEventAgeInSeconds"
        if not outcome.retriable or (outcome.retry_after or 0) < 0 or exhausted is not None:
            self._dead(uow, row, now, exhausted, outcome.code, outcome.message)
            return DEAD
        uow.deliveries.record(row["id"], {"attempts": attempts, "next_at": now + wait, "error_code": outcome.code,
                                          "last_error": outcome.message[:1024]})
        return PENDING

    def _dead(self, uow: UnitOfWork, row: dict[str, Any], now: float, exhausted: str | None, code: str,
              message: str) -> None:
        uow.deliveries.record(row["id"], {"attempts": row["attempts"], "status": DEAD, "ended_at": now,
                                          "exhausted": exhausted, "error_code": code,
                                          "last_error": message[:1024]})

    # ------------------------------------------------------------------ sending
    def _send(self, row: dict[str, Any]) -> outbound.Outcome:
        arn = str(row["target_arn"])
        path = sinks.log_file(self.state_dir(), arn)
        if path is not None:
            return sinks.to_log_group(path, row["body"])
        if sinks.FUNCTION.fullmatch(arn):
            return sinks.to_function(self.functions, arn, row["body"])
        match = DESTINATION_ARN.fullmatch(arn)
        if match is None:
            return outbound.Outcome(False, False, "NO_RESOURCE", f"targets like {arn.split(':')[2]} are not served")
        scope = Scope(row["account_id"], row["region"])

        def read(uow: UnitOfWork) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None]:
            destination = uow.event_connections.destination(scope, match.group(3))
            if destination is None or destination["arn"] != arn:
                return None, None, None
            connection = uow.event_connections.get(scope, destination["connection_name"])
            return destination, connection, uow.event_connections.credentials(scope, destination["connection_name"])

        destination, connection, auth = self.store.transaction(read, read_only=True)
        if destination is None or connection is None or auth is None:
            return outbound.Outcome(False, False, "NO_RESOURCE", f"the API destination {match.group(3)} is gone")
        if destination["state"] != "ACTIVE":
            return outbound.Outcome(False, True, "CONNECTION_NOT_AUTHORIZED",
                                    f"the connection {connection['name']} is {connection['state']}")
        key = (row["account_id"], row["region"], str(connection["name"]), str(connection["modified_at"]))
        self._pace(arn, int(destination["rate_limit"]))
        return outbound.invoke(destination, key, auth, row["http_parameters"], row["body"], self.tokens,
                               {host.lower() for host in self.allowed_hosts()})

    # ------------------------------------------------------------------ listing
    def dead_letters(self, after: int, limit: int) -> list[dict[str, Any]]:
        """The dead letters after ``after`` (a dead letter's ``id``), oldest first, as the
        admin route shows them: AWS's DLQ attributes and the event."""
        rows = self.store.transaction(lambda uow: uow.deliveries.dead_letters(after, limit), read_only=True)
        return [{"id": row["id"], "event": row["event"], "rule_arn": rule_arn(row), "target_id": row["target_id"],
                 "target_arn": row["target_arn"], "dead_letter_arn": row["dead_letter_arn"],
                 "error_code": row["error_code"], "error_message": row["last_error"],
                 "exhausted_retry_condition": row["exhausted"], "retry_attempts": max(0, row["attempts"] - 1)}
                for row in rows]

    # ------------------------------------------------------------------ the server's thread
    def run(self, stop: threading.Event, on_duty: Callable[[], bool] = lambda: True, interval: float = 0.1) -> None:
        """Deliver until ``stop`` is set (and :attr:`Store.news` with it, to wake the
        thread), while ``on_duty()`` says this node delivers (one node of several sharing
        a database, :mod:`ec2emu.store.leadership`); a failure (the database away) is
        logged once until delivery works again.

        The thread looks for work when a writer's transaction of this process has
        committed (:attr:`~ec2emu.store.repository.Store.news`: only a write brings
        events to match or changes the emulated clock), every ``interval`` seconds while
        a delivery waits for its time, and otherwise every :data:`QUIET_LOOK` seconds —
        for what another process sharing the database wrote (another node, on
        PostgreSQL); never more than once an ``interval``, however often writes commit.
        An idle server does not wake it ten times a second."""
        failing = False
        wait = interval
        looked = time.monotonic()
        while not stop.is_set():
            self.store.news.wait(wait)
            # No more than a look an interval, however often writes commit.
            if stop.wait(max(0.0, looked + interval - time.monotonic())):
                return
            self.store.news.clear()
            looked = time.monotonic()
            wait = QUIET_LOOK
            try:
                idle, settled = self._look() if on_duty() else (True, True)
                if idle:
                    self._prune_now_and_then()
                else:
                    self.pump()  # (which prunes now and then itself)
                if not settled:
                    wait = interval
                failing = False
            except Exception:
                if not failing:
                    log.exception("event delivery failed; retrying every %s s", interval)
                failing = True
                wait = interval
