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

Runs (SQLite): the events of one write that are alike but for their resource (a
TerminateInstances' thousand ``shutting-down`` events, a settling pass's ``terminated``
ones of one account, region and moment) are kept as one row
(:mod:`ec2emu.store.outbox_schema`), an insert of one row where a row an event made
storing them the largest part of the outbox's cost. Every reader gives each event on its
own, with its own place, ID and resource; a reader's position (``after``, the delivery's
cursor, the stream's ``Last-Event-ID``) may fall inside a run. The retention forgets a
run's row once all of it is matched, and its ``limit`` counts rows.

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
from ec2emu.store.outbox_schema import HISTORY_RUN, events
from ec2emu.store.prepared import Prepared, insert_tuples
from ec2emu.store.schema import instances

# The columns an event about a resource is given in, in this order: those of every such
# event, then those of an EBS event's detail (``request_id`` stays NULL: no event here
# answers a request). Its ID and its place in the order are the write's to give.
_WRITTEN = ("account_id", "region", "time", "notification", "resource_id", "state")
_EBS_WRITTEN = (*_WRITTEN, "event", "source", "start_time")
_RESOURCE = _WRITTEN.index("resource_id")
# As stored on SQLite (runs: see ``outbox_schema``) and on PostgreSQL (one row an event).
_RUN_COLUMNS = ("seq", "event_id", "run_length", "more_ids")
# A custom event's: its parts for the reader's filters, and its whole envelope.
_CUSTOM_WRITTEN = ("event_id", "account_id", "region", "time", "notification", "body")
# Rows read at once when looking for the rows that hold given events.
_HOLDING_BATCH = 50

# How long a matched event is kept: 7 days of emulated time.
RETENTION_SECONDS = 7 * 86_400
# The source of EC2's and EBS's events.
EC2_SOURCE = "aws.ec2"
EmittedCounts = Counter[tuple[str, str]]


def _count(counts: EmittedCounts, source: str, detail_type: str, n: int) -> None:
    if n:
        counts[(source, detail_type)] += n


def _write(conn: sa.Connection, rows: list[tuple[Any, ...]]) -> str | None:
    """Insert events about resources, given as tuples in :data:`_WRITTEN`'s or
    :data:`_EBS_WRITTEN`'s order (all of the same length), with new IDs
    (:func:`new_event_ids`' kind, counting up in the given order): in one ``executemany``
    of plain strings and numbers. On SQLite the events take the next places of the order
    (the writer's turn holds it) and each run of neighbours alike but for their
    resource becomes one row; the places taken are given back, as ``first:last`` (an
    instance's row keeps them: :meth:`OutboxRepository.of_instance`). ``None`` on
    PostgreSQL, or for no rows."""
    if not rows:
        return None
    columns = _WRITTEN if len(rows[0]) == len(_WRITTEN) else _EBS_WRITTEN
    shared, start = _id_start()
    if conn.dialect.name != "sqlite":
        insert_tuples(conn, events, ("event_id", *columns),
                      [(_nth_id(shared, start, n), *row) for n, row in enumerate(rows)])
        return None
    base = conn.execute(_NEXT_SEQ).scalar_one()
    stored = []
    for first, last in _runs(rows):
        row = rows[first]
        more = " ".join(later[_RESOURCE] for later in rows[first + 1:last]) if last - first > 1 else None
        stored.append((base + last, _nth_id(shared, start, first), last - first, more, *row))
    insert_tuples(conn, events, (*_RUN_COLUMNS, *columns), stored)
    return f"{base + 1}:{base + len(rows)}"


# The last place given in the order (AUTOINCREMENT's record of it, or the newest row's).
_NEXT_SEQ = sa.select(sa.func.max(
    sa.func.coalesce(sa.text("(SELECT seq FROM sqlite_sequence WHERE name = 'events')"), 0),
    sa.func.coalesce(sa.select(sa.func.max(events.c.seq)).scalar_subquery(), 0)))


def _runs(rows: Sequence[tuple[Any, ...]]) -> list[tuple[int, int]]:
    """The runs of ``rows`` alike in all but their resource: (first, past the last), at
    most :data:`HISTORY_RUN` long."""
    found = []
    first = 0
    while first < len(rows):
        head, tail = rows[first][:_RESOURCE], rows[first][_RESOURCE + 1:]
        last = first + 1
        limit = min(len(rows), first + HISTORY_RUN)
        while last < limit and rows[last][:_RESOURCE] == head and rows[last][_RESOURCE + 1:] == tail:
            last += 1
        found.append((first, last))
        first = last
    return found


def _id_start() -> tuple[str, int]:
    """From one read of the system's random source: the first four groups of version 4
    UUIDs (74 random bits, the version and the variant) and a random start for the last."""
    hexed = os.urandom(16).hex()
    shared = f"{hexed[:8]}-{hexed[8:12]}-4{hexed[13:16]}-{_VARIANT[int(hexed[16], 16) & 3]}{hexed[17:20]}-"
    return shared, int(hexed[20:], 16)


def _nth_id(shared: str, start: int, n: int) -> str:
    return f"{shared}{(start + n) & _LAST_GROUP:012x}"


def new_event_ids(count: int) -> list[str]:
    """``count`` version 4 UUIDs from one read of the system's random source: they share
    their first 20 hex digits (74 random bits, the version and the variant) and the last
    12 count up from a random start — distinct within the call, and from other calls'
    as random UUIDs are; one string format each."""
    shared, start = _id_start()
    return [_nth_id(shared, start, n) for n in range(count)]


def _later_id(event_id: str, n: int) -> str:
    """The ID ``n`` after ``event_id`` in its count (:func:`new_event_ids`)."""
    return _nth_id(event_id[:24], int(event_id[24:], 16), n)


_LAST_GROUP = (1 << 48) - 1
_VARIANT = "89ab"


def _expanded(row: Any, after: int = 0, wanted: set[int] | None = None) -> list[tuple[int, dict[str, Any]]]:
    """The events a stored row holds (a run's, each with its own place, ID and resource)
    whose sequence number is above ``after`` (and in ``wanted``, if given), oldest
    first, as their stored parts."""
    parts = dict(row._mapping)
    if parts["more_ids"] is None:
        return [(row.seq, parts)] if row.seq > after and (wanted is None or row.seq in wanted) else []
    resources = [parts["resource_id"], *parts["more_ids"].split()]
    first = row.seq - len(resources) + 1
    event_id = parts["event_id"]
    return [(first + n, {**parts, "seq": first + n, "event_id": _later_id(event_id, n), "resource_id": resource})
            for n, resource in enumerate(resources)
            if first + n > after and (wanted is None or first + n in wanted)]


def _rows(name: str, account: str, region: str, resource_ids: Sequence[str], time: float,
          state: str | None = None) -> list[tuple[Any, ...]]:
    kind = NOTIFICATIONS[name]
    fixed = (account, region, float(time), name)
    entered = state or kind.result
    ebs = () if kind.detail_type == INSTANCE_STATE_CHANGE else (None, None, None)
    return [(*fixed, resource_id, entered, *ebs) for resource_id in resource_ids]


def due_rows(conn: sa.Connection, transition: Transition, table: sa.Table, ident: sa.Column[Any],
             due_at: sa.Column[Any], due: sa.ColumnElement[bool], bound: dict[str, Any],
             counts: EmittedCounts) -> str | None:
    """Emit the notification of ``transition`` (a ``"due"`` row) for every row ``due``
    selects, each at its ``due_at``, before the statements that move them (counted in
    ``counts``); the places the events took (:func:`_write`), which the statement moving
    instances adds to their rows. The rows are read by one statement compiled once
    per transition (:class:`~ec2emu.store.prepared.Prepared`: a settling pass reads
    thousands of rows, which SQLAlchemy's rows would cost a few microseconds each)."""
    if transition.notification is None:
        return None
    name = transition.notification
    kind = NOTIFICATIONS[name]
    snapshot = kind.detail_type == SNAPSHOT_NOTIFICATION
    query = _DUE_QUERIES.get(transition)
    if query is None:
        extra = [table.c.volume_id, table.c.start_time, table.c.copied_from] if snapshot else []
        statement = sa.select(ident, table.c.account_id, table.c.region, due_at, *extra).where(due) \
            .order_by(due_at, ident)
        query = _DUE_QUERIES[transition] = Prepared(lambda _: statement)
    found = query.tuples(conn, bound)
    if not found:
        return None
    state = transition.next_state if transition.resource == "instance" else kind.result
    rows: list[tuple[Any, ...]]
    if kind.detail_type == INSTANCE_STATE_CHANGE:
        rows = [(account, region, float(time), name, resource_id, state)
                for resource_id, account, region, time in found]
    elif not snapshot:
        rows = [(account, region, float(time), name, resource_id, state, None, None, None)
                for resource_id, account, region, time in found]
    else:
        rows = []
        for resource_id, account, region, time, volume_id, start, copied_from in found:
            if copied_from is not None or volume_id in (None, COPY_VOLUME):
                event_name, source = "copySnapshot", copied_from or ""
            else:
                event_name, source = None, arn(region, account, "volume", volume_id)
            rows.append((account, region, float(time), name, resource_id, state, event_name, source, start))
    places = _write(conn, rows)
    _count(counts, EC2_SOURCE, kind.detail_type, len(rows))
    return places


# The statement reading each due transition's rows (built on its first use).
_DUE_QUERIES: dict[Transition, Prepared] = {}


def write_scheduled(conn: sa.Connection, firings: Sequence[tuple[str, str, float, str]]) -> None:
    """The ``Scheduled Event`` of each firing (account, region, moment, rule name), kept
    whole like a custom event, in one ``executemany``."""
    ids = new_event_ids(len(firings))
    insert_tuples(conn, events, _CUSTOM_WRITTEN, [
        (event_id, account, region, float(time), SCHEDULED,
         json.dumps(scheduled_event(event_id, account, region, time, rule), separators=(",", ":")))
        for event_id, (account, region, time, rule) in zip(ids, firings)])


class OutboxRepository:
    """The outbox of one unit of work."""

    def __init__(self, conn: sa.Connection, counts: EmittedCounts | None = None) -> None:
        self.conn = conn
        # The events written, by (source, detail-type): the unit of work's.
        self.counts: EmittedCounts = Counter() if counts is None else counts

    def emit(self, name: str, account: str, region: str, resource_ids: Sequence[str], time: float,
             state: str | None = None) -> str | None:
        """One ``name`` notification per resource (an instance's: the ``state`` it
        entered), at ``time``, in one ``executemany``; the places they took (on SQLite,
        ``first:last``), for the instances' rows to keep
        (:meth:`~ec2emu.store.instances.InstanceRepository.update_many`)."""
        places = _write(self.conn, _rows(name, account, region, resource_ids, time, state))
        _count(self.counts, EC2_SOURCE, NOTIFICATIONS[name].detail_type, len(resource_ids))
        return places

    def shared(self, snapshot_id: str, region: str, owner: str, accounts: Sequence[str], time: float) -> None:
        """One ``shareSnapshot`` notification to each of ``accounts``, from ``owner``."""
        _write(self.conn, [(account, region, float(time), SNAPSHOT_SHARED, snapshot_id,
                            NOTIFICATIONS[SNAPSHOT_SHARED].result, None, owner, float(time))
                           for account in accounts])
        _count(self.counts, EC2_SOURCE, NOTIFICATIONS[SNAPSHOT_SHARED].detail_type, len(accounts))

    def custom(self, account: str, region: str, time: float, bodies: Sequence[Mapping[str, Any]]) -> None:
        """The custom events ``bodies`` (whole envelopes, each with its ``id``), received
        at ``time``, in one ``executemany``."""
        insert_tuples(self.conn, events, _CUSTOM_WRITTEN, [
            (body["id"], account, region, float(time), CUSTOM,
             json.dumps(body, ensure_ascii=False, separators=(",", ":"))) for body in bodies])
        _count(self.counts, CUSTOM, CUSTOM, len(bodies))

    def api_calls(self, calls: Sequence[tuple[str, str, str, float, str, str]]) -> None:
        """``AWS API Call via CloudTrail`` events, each ``(id, account, region, time,
        source, envelope)`` — the envelope its AWS JSON as text — in one ``executemany``."""
        insert_tuples(self.conn, events, _CUSTOM_WRITTEN, [(event_id, account, region, time, API_CALL, envelope)
                                                           for event_id, account, region, time, _, envelope in calls])
        for source, n in Counter(call[4] for call in calls).items():
            _count(self.counts, source, API_CALL_DETAIL_TYPE, n)

    def prune(self, before: float, matched: int, limit: int) -> int:
        """Forget the rows (at most ``limit``) of the events older than ``before`` whose
        sequence number is at most ``matched`` (a run's row once all of it is); how many
        events."""
        # ``seq + 0``: the sequence is no index's to use, so the time's index gives the range.
        found = self.conn.execute(sa.select(events.c.seq, events.c.run_length).where(
            events.c.time < before, events.c.seq + 0 <= matched).limit(limit)).all()
        if not found:
            return 0
        for start in range(0, len(found), 500):
            self.conn.execute(events.delete().where(events.c.seq.in_([seq for seq, _ in found[start:start + 500]])))
        return sum(length for _, length in found)

    def after(self, seq: int = 0, limit: int | None = None,
              account: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """The events after sequence number ``seq`` (of ``account``, if given), oldest
        first, each with its sequence number."""
        query = sa.select(events).where(events.c.seq > seq).order_by(events.c.seq)
        if account is not None:
            query = query.where(events.c.account_id == account)
        if limit is not None:
            query = query.limit(limit)  # rows: each holds one event or more
        found = [(at, event(parts)) for row in self.conn.execute(query) for at, parts in _expanded(row, seq)]
        return found if limit is None else found[:limit]

    def newest(self) -> int:
        """The sequence number of the newest event (0: none), from the primary key's end."""
        newest: int = self.conn.execute(sa.select(sa.func.coalesce(sa.func.max(events.c.seq), 0))).scalar_one()
        return newest

    def keys_after(self, seq: int, limit: int) -> list[tuple[int, str, str]]:
        """The sequence number, account and region of the first ``limit`` events after
        sequence number ``seq``, oldest first (a range of the primary key; nothing else
        of the events is read)."""
        query = (sa.select(events.c.seq, events.c.run_length, events.c.account_id, events.c.region)
                 .where(events.c.seq > seq).order_by(events.c.seq).limit(limit))
        found = [(at, account, region) for last, length, account, region in self.conn.execute(query)
                 for at in range(max(last - length, seq) + 1, last + 1)]
        return found[:limit]

    def at(self, seqs: Sequence[int]) -> list[tuple[int, dict[str, Any]]]:
        """The events of the sequence numbers ``seqs`` (an ascending list) still stored,
        in that order, each with its sequence number."""
        return [(at, event(parts)) for at, parts in self._holding(seqs)]

    def _holding(self, seqs: Sequence[int]) -> list[tuple[int, dict[str, Any]]]:
        """The stored parts of the events ``seqs`` (ascending): from the rows holding them,
        read by primary key from the first wanted onward, :data:`_HOLDING_BATCH` rows at a
        time, and probed afresh past a gap of more than that many events."""
        found: list[tuple[int, dict[str, Any]]] = []
        at = 0
        while at < len(seqs):
            wanted = seqs[at]
            rows = self.conn.execute(sa.select(events).where(events.c.seq >= wanted)
                                     .order_by(events.c.seq).limit(_HOLDING_BATCH)).all()
            for row in rows:
                taken = set()
                while at < len(seqs) and seqs[at] <= row.seq:
                    taken.add(seqs[at])
                    at += 1
                if taken:
                    found += _expanded(row, wanted=taken)
                if at == len(seqs) or seqs[at] > row.seq + _HOLDING_BATCH:
                    break
            if len(rows) < _HOLDING_BATCH and at < len(seqs) and (not rows or seqs[at] > rows[-1].seq):
                break  # nothing stored from there on
        return found

    def of_instance(self, account: str, instance_id: str, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        """The newest ``limit`` events about the instance ``instance_id`` of ``account``
        still stored, oldest first, each with its sequence number: on PostgreSQL by
        ``ix_events_resource_seq``; on SQLite from the places its row keeps (one
        ``first:last`` per write that emitted an event about it, in order: the rows of
        each range read by primary key, its event picked out of them). The list grows
        by some twelve characters an event and is not trimmed when the retention forgets
        events (their ranges then read nothing): a thousand state changes of one
        instance make it 12 KB, which its row carries while it is stored; readers of
        the instance do not read it (``info={"shown": False}``)."""
        if self.conn.dialect.name != "sqlite":
            mine = (events.c.resource_id == instance_id, events.c.account_id == account)
            rows = list(self.conn.execute(sa.select(events).where(*mine).order_by(events.c.seq.desc()).limit(limit)))
            return [(row.seq, event(dict(row._mapping))) for row in reversed(rows)]
        kept = self.conn.execute(sa.select(instances.c.event_places).where(
            instances.c.instance_id == instance_id, instances.c.account_id == account)).scalar()
        found: list[tuple[int, dict[str, Any]]] = []
        for places in reversed((kept or "").split()):
            first, last = (int(place) for place in places.split(":"))
            for row in self.conn.execute(sa.select(events).where(events.c.seq >= first, events.c.seq <= last)):
                about = [row.resource_id, *(row.more_ids.split() if row.more_ids else ())]
                if row.account_id == account and instance_id in about:
                    place = row.seq - row.run_length + 1 + about.index(instance_id)
                    found += [(seq, event(parts)) for seq, parts in _expanded(row, wanted={place})]
                    break
            if len(found) == limit:
                break
        return found[::-1]
