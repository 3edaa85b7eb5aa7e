"""The event outbox: the events EC2 and EBS put on each account's default bus, the
custom events PutEvents accepted and the ``AWS API Call via CloudTrail`` events of the
calls the audit trail records, written in the transaction of the change (or call, or
the trail's flush) they come from, read in sequence order, and forgotten once matched
and older than :data:`RETENTION_SECONDS`.

Writing: a request that moves resources calls :meth:`OutboxRepository.emit` with the
notification its row of the lifecycle's table names
(:data:`ec2emu.lifecycle.machines.TRANSITIONS`), in its own transaction — a rollback
(an error, a ``DryRun``) writes none. The settler's due transitions are emitted by
:func:`due_rows`, in the settler's transaction, before the statements that
move them: the rows due are read once (one indexed ``SELECT``) and their events
inserted in one ``executemany``; each event's ``time`` is the row's ``due_at``, the
moment the transition happened on the emulated clock, however late the settler ran.
Since writers take turns (:mod:`ec2emu.store.repository`), two nodes settling the same
rows do so one after the other, and the second finds nothing due: each transition is
emitted once. Readers never write: a describe that shows a due transition done emits
nothing, the settler does.

An API call's event (:meth:`OutboxRepository.api_calls`) is written by the audit
trail's flush, in the transaction that stores the call's CloudTrail record
(:mod:`ec2emu.trail.recorder`): the record and its event are stored together or not at
all, so each recorded call has its event once, and a crash loses the event only with
the record (the calls queued but not yet flushed: at most the last second's).

Counted: every event written is counted, by ``source`` and ``detail-type``, in the
counts of the transaction's unit of work; the store adds them to its own when the
transaction commits and drops them when it rolls back
(:attr:`ec2emu.store.repository.Store.events_emitted`, read by the metrics). PutEvents'
events count under the fixed ``source`` and ``detail-type`` :data:`CUSTOM` (theirs are
the caller's own words, without bound).

Retention (:meth:`OutboxRepository.prune`): an event the rules have been matched
against (its ``seq`` at or below the matching cursor: its deliveries hold their own copy
of it) and whose ``time`` is more than :data:`RETENTION_SECONDS` (7 days) before the
emulated now is deleted — one range of ``ix_events_time``. An event not yet matched
is kept however old. ``emulator.events``, ``GET /_ec2emu/events`` and the event stream
stop showing what was deleted; AWS keeps no events at all once delivered (an archive
would, and is not served).

Order: ``seq`` gives the order. One resource's events follow its transitions (a chain a
clock jump made due is applied, and emitted, step by step in the table's order); across
resources, the events of one settling pass come by transition, then by due time, not
strictly by time. AWS promises no order at all; this order is ours.

Scheduled rules' events are emitted by the settler too (:mod:`ec2emu.store.scheduled_rules`),
kept whole like custom events (notification ``scheduled``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from ec2emu.lifecycle.machines import Transition
from ec2emu.lifecycle.notifications import (
    API_CALL,
    API_CALL_DETAIL_TYPE,
    COPY_VOLUME,
    CUSTOM,
    INSTANCE_STATE_CHANGE,
    NOTIFICATIONS,
    SCHEDULED,
    SNAPSHOT_NOTIFICATION,
    SNAPSHOT_SHARED,
    arn,
    event,
    scheduled_event,
)
from ec2emu.store import name_index
from ec2emu.store.outbox_schema import HISTORY_INDEX, HISTORY_RUN, events
from ec2emu.store.prepared import insert_tuples

# SQLite's index of the events by resource (``outbox_schema.HISTORY_INDEX``), as a table.
_HISTORY = sa.table(HISTORY_INDEX, sa.column("rowid", sa.Integer), sa.column("tokens", sa.Text))

# The columns an event is written with, in this order: those of every event, then those of
# an EBS event's detail (``request_id`` stays NULL: no event here answers a request).
_WRITTEN = ("event_id", "account_id", "region", "time", "notification", "resource_id", "state")
_EBS_WRITTEN = (*_WRITTEN, "event", "source", "start_time")
# A custom event's: its parts for the reader's filters, and its whole envelope.
_CUSTOM_WRITTEN = ("event_id", "account_id", "region", "time", "notification", "body")

# How long a matched event is kept: 7 days of emulated time.
RETENTION_SECONDS = 7 * 86_400
# The source of EC2's and EBS's events.
EC2_SOURCE = "aws.ec2"
EmittedCounts = Counter[tuple[str, str]]


def _count(counts: EmittedCounts, source: str, detail_type: str, n: int) -> None:
    if n:
        counts[(source, detail_type)] += n


def _write(conn: sa.Connection, rows: list[tuple[Any, ...]], columns: tuple[str, ...] | None = None) -> None:
    """Insert events given as tuples in ``columns``' order (by default
    :data:`_WRITTEN`'s or :data:`_EBS_WRITTEN`'s, all of the same length): one
    ``executemany`` of plain strings and numbers (no per-value processing: the columns
    need none; a body is given as its JSON text). On SQLite, EC2's and EBS's events (each
    about a resource) are added to the history index too."""
    if not rows:
        return
    if columns is None:
        columns = _WRITTEN if len(rows[0]) == len(_WRITTEN) else _EBS_WRITTEN
    insert_tuples(conn, events, columns, rows)
    if columns is not _CUSTOM_WRITTEN and conn.dialect.name == "sqlite":
        # One executemany in the writer's turn: the rows' seq follow one another.
        first = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one() - len(rows) + 1
        name_index.add(conn, HISTORY_INDEX, [
            (first + start, " ".join(_history_tokens(rows[start:start + HISTORY_RUN])))
            for start in range(0, len(rows), HISTORY_RUN)])


def _history_tokens(rows: Sequence[tuple[Any, ...]]) -> list[str]:
    """The history index's token of each event (as :data:`_WRITTEN` orders it: the
    account second, the resource sixth), in order."""
    found = []
    for account, run in groupby(rows, itemgetter(1)):
        found += name_index.tokens(account, [row[5] for row in run])
    return found


def new_event_ids(count: int) -> list[str]:
    """``count`` version 4 UUIDs from one read of the system's random source: they share
    their first 20 hex digits (74 random bits, the version and the variant) and the last
    12 count up from a random start — distinct within the call, and from other calls'
    as random UUIDs are; one string format each."""
    hexed = os.urandom(16).hex()
    shared = f"{hexed[:8]}-{hexed[8:12]}-4{hexed[13:16]}-{_VARIANT[int(hexed[16], 16) & 3]}{hexed[17:20]}-"
    start = int(hexed[20:], 16)
    return [f"{shared}{(start + n) & _LAST_GROUP:012x}" for n in range(count)]


_LAST_GROUP = (1 << 48) - 1
_VARIANT = "89ab"


def _rows(name: str, account: str, region: str, resource_ids: Sequence[str], time: float,
          state: str | None = None) -> list[tuple[Any, ...]]:
    kind = NOTIFICATIONS[name]
    fixed = (account, region, float(time), name)
    entered = state or kind.result
    ebs = () if kind.detail_type == INSTANCE_STATE_CHANGE else (None, None, None)
    return [(event_id, *fixed, resource_id, entered, *ebs)
            for event_id, resource_id in zip(new_event_ids(len(resource_ids)), resource_ids)]


def due_rows(conn: sa.Connection, transition: Transition, table: sa.Table, ident: sa.Column[Any],
             due_at: sa.Column[Any], due: sa.ColumnElement[bool], bound: dict[str, Any],
             counts: EmittedCounts) -> int:
    """Emit the notification of ``transition`` (a ``"due"`` row) for every row ``due``
    selects, each at its ``due_at``, before the statements that move them (counted in
    ``counts``); the number emitted."""
    if transition.notification is None:
        return 0
    name = transition.notification
    snapshot = NOTIFICATIONS[name].detail_type == SNAPSHOT_NOTIFICATION
    extra = [table.c.volume_id, table.c.start_time, table.c.copied_from] if snapshot else []
    query = sa.select(ident, table.c.account_id, table.c.region, due_at, *extra).where(due).order_by(due_at, ident)
    found = conn.execute(query, bound).all()
    if not found:
        return 0
    kind = NOTIFICATIONS[name]
    ids = new_event_ids(len(found))
    rows: list[tuple[Any, ...]] = []
    for event_id, (resource_id, account, region, time, *more) in zip(ids, found):
        state = transition.next_state if transition.resource == "instance" else kind.result
        if kind.detail_type == INSTANCE_STATE_CHANGE:
            rows.append((event_id, account, region, float(time), name, resource_id, state))
            continue
        event_name, source, start = None, None, None
        if snapshot:
            volume_id, start, copied_from = more
            if copied_from is not None or volume_id in (None, COPY_VOLUME):
                event_name, source = "copySnapshot", copied_from or ""
            else:
                source = arn(region, account, "volume", volume_id)
        rows.append((event_id, account, region, float(time), name, resource_id, state, event_name, source, start))
    _write(conn, rows)
    _count(counts, EC2_SOURCE, kind.detail_type, len(rows))
    return len(rows)


def write_scheduled(conn: sa.Connection, firings: Sequence[tuple[str, str, float, str]]) -> None:
    """The ``Scheduled Event`` of each firing (account, region, moment, rule name), kept
    whole like a custom event, in one ``executemany``."""
    ids = new_event_ids(len(firings))
    _write(conn, [(event_id, account, region, float(time), SCHEDULED,
                   json.dumps(scheduled_event(event_id, account, region, time, rule), separators=(",", ":")))
                  for event_id, (account, region, time, rule) in zip(ids, firings)], _CUSTOM_WRITTEN)


class OutboxRepository:
    """The outbox of one unit of work."""

    def __init__(self, conn: sa.Connection, counts: EmittedCounts | None = None) -> None:
        self.conn = conn
        # The events written, by (source, detail-type): the unit of work's.
        self.counts: EmittedCounts = Counter() if counts is None else counts

    def emit(self, name: str, account: str, region: str, resource_ids: Sequence[str], time: float,
             state: str | None = None) -> None:
        """One ``name`` notification per resource (an instance's: the ``state`` it
        entered), at ``time``, in one ``executemany``."""
        _write(self.conn, _rows(name, account, region, resource_ids, time, state))
        _count(self.counts, EC2_SOURCE, NOTIFICATIONS[name].detail_type, len(resource_ids))

    def shared(self, snapshot_id: str, region: str, owner: str, accounts: Sequence[str], time: float) -> None:
        """One ``shareSnapshot`` notification to each of ``accounts``, from ``owner``."""
        ids = new_event_ids(len(accounts))
        _write(self.conn, [(event_id, account, region, float(time), SNAPSHOT_SHARED, snapshot_id,
                            NOTIFICATIONS[SNAPSHOT_SHARED].result, None, owner, float(time))
                           for event_id, account in zip(ids, accounts)])
        _count(self.counts, EC2_SOURCE, NOTIFICATIONS[SNAPSHOT_SHARED].detail_type, len(accounts))

    def custom(self, account: str, region: str, time: float, bodies: Sequence[Mapping[str, Any]]) -> None:
        """The custom events ``bodies`` (whole envelopes, each with its ``id``), received
        at ``time``, in one ``executemany``."""
        _write(self.conn, [(body["id"], account, region, float(time), CUSTOM,
                            json.dumps(body, ensure_ascii=False, separators=(",", ":"))) for body in bodies],
               _CUSTOM_WRITTEN)
        _count(self.counts, CUSTOM, CUSTOM, len(bodies))

    def api_calls(self, calls: Sequence[tuple[str, str, str, float, str, str]]) -> None:
        """``AWS API Call via CloudTrail`` events, each ``(id, account, region, time,
        source, envelope)`` — the envelope its AWS JSON as text — in one ``executemany``."""
        _write(self.conn, [(event_id, account, region, time, API_CALL, envelope)
                           for event_id, account, region, time, _, envelope in calls], _CUSTOM_WRITTEN)
        for source, n in Counter(call[4] for call in calls).items():
            _count(self.counts, source, API_CALL_DETAIL_TYPE, n)

    def prune(self, before: float, matched: int, limit: int) -> int:
        """Forget at most ``limit`` of the events older than ``before`` whose sequence
        number is at most ``matched``; how many. On SQLite, the history index's documents
        whose every event is gone go too."""
        # ``seq + 0``: the sequence is no index's to use, so the time's index gives the range.
        found = sa.select(events.c.seq).where(events.c.time < before, events.c.seq + 0 <= matched).limit(limit)
        forgotten: int = self.conn.execute(events.delete().where(events.c.seq.in_(found.scalar_subquery()))).rowcount
        if forgotten and self.conn.dialect.name == "sqlite":
            lowest = self.conn.execute(sa.select(sa.func.min(events.c.seq))).scalar()
            gone = _HISTORY.c.rowid < (lowest - HISTORY_RUN + 1) if lowest is not None else sa.true()
            self.conn.execute(sa.delete(_HISTORY).where(gone))
        return forgotten

    def after(self, seq: int = 0, limit: int | None = None,
              account: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """The events after sequence number ``seq`` (of ``account``, if given), oldest
        first, each with its sequence number."""
        query = sa.select(events).where(events.c.seq > seq).order_by(events.c.seq)
        if account is not None:
            query = query.where(events.c.account_id == account)
        if limit is not None:
            query = query.limit(limit)
        return [(row.seq, event(dict(row._mapping))) for row in self.conn.execute(query)]

    def newest(self) -> int:
        """The sequence number of the newest event (0: none), from the primary key's end."""
        newest: int = self.conn.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.seq), 0))).scalar_one()
        return newest

    def keys_after(self, seq: int, limit: int) -> list[tuple[int, str, str]]:
        """The sequence number, account and region of the first ``limit`` events after
        sequence number ``seq``, oldest first (a range of the primary key; nothing else
        of the events is read)."""
        query = (sa.select(events.c.seq, events.c.account_id, events.c.region)
                 .where(events.c.seq > seq).order_by(events.c.seq).limit(limit))
        return [(row[0], row[1], row[2]) for row in self.conn.execute(query)]

    def at(self, seqs: Sequence[int]) -> list[tuple[int, dict[str, Any]]]:
        """The events of the sequence numbers ``seqs`` (an ascending list), in that order,
        each with its sequence number."""
        found: list[tuple[int, dict[str, Any]]] = []
        for start in range(0, len(seqs), 500):
            query = sa.select(events).where(events.c.seq.in_(seqs[start:start + 500])).order_by(events.c.seq)
            found += [(row.seq, event(dict(row._mapping))) for row in self.conn.execute(query)]
        return found

    def of_resource(self, account: str, resource_id: str, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        """The newest ``limit`` events about ``resource_id`` in ``account``, oldest first,
        each with its sequence number (by index: ``ix_events_resource_seq`` on
        PostgreSQL, the history index on SQLite)."""
        mine = (events.c.resource_id == resource_id, events.c.account_id == account)
        if self.conn.dialect.name != "sqlite":
            rows = list(self.conn.execute(sa.select(events).where(*mine).order_by(events.c.seq.desc()).limit(limit)))
            return [(row.seq, event(dict(row._mapping))) for row in reversed(rows)]
        [token] = name_index.tokens(account, [resource_id])
        seqs: list[int] = []
        for first, text in self.conn.execute(sa.select(_HISTORY.c.rowid, _HISTORY.c.tokens).where(
                name_index.matching(HISTORY_INDEX, token)).order_by(_HISTORY.c.rowid.desc()).limit(limit)):
            seqs += [first + place for place, found in enumerate(text.split()) if found == token]
        seqs = sorted(seqs)[-limit:]
        # The events the tokens stand for, those of the resource (two tokens may be alike).
        query = sa.select(events).where(events.c.seq.in_(seqs), *mine).order_by(events.c.seq)
        return [(row.seq, event(dict(row._mapping))) for row in self.conn.execute(query)][-limit:]
