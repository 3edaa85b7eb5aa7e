"""The event outbox: the events EC2 and EBS put on each account's default bus, written
in the transaction of the change they report, read in sequence order.

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

Order: ``seq`` gives the order. One resource's events follow its transitions (a chain a
clock jump made due is applied, and emitted, step by step in the table's order); across
resources, the events of one settling pass come by transition, then by due time, not
strictly by time. AWS promises no order at all; this order is ours.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ec2emu.lifecycle.machines import Transition
from ec2emu.lifecycle.notifications import COPY_VOLUME, NOTIFICATIONS, SNAPSHOT_NOTIFICATION, arn, event
from ec2emu.store.outbox_schema import events
from ec2emu.store.prepared import PreparedInsert, Row

_insert = PreparedInsert(events)


def _row(name: str, account: str, region: str, resource_id: str, time: float, state: str | None = None,
         *, event_name: str | None = None, source: str | None = None, start_time: float | None = None) -> Row:
    kind = NOTIFICATIONS[name]
    return {"event_id": str(uuid.uuid4()), "account_id": account, "region": region, "time": float(time),
            "detail_type": kind.detail_type, "resource_type": kind.resource_type, "resource_id": resource_id,
            "state": state or kind.result, "event": event_name or kind.event, "source": source,
            "start_time": start_time, "request_id": None}


def due_rows(conn: sa.Connection, transition: Transition, table: sa.Table, ident: sa.Column[Any],
             due: sa.ColumnElement[bool], bound: dict[str, Any]) -> int:
    """Emit the notification of ``transition`` (a ``"due"`` row) for every row ``due``
    selects, before the statements that move them; the number emitted."""
    if transition.notification is None:
        return 0
    name = transition.notification
    snapshot = NOTIFICATIONS[name].detail_type == SNAPSHOT_NOTIFICATION
    extra = [table.c.volume_id, table.c.start_time, table.c.copied_from] if snapshot else []
    query = (sa.select(ident, table.c.account_id, table.c.region, table.c.due_at, *extra)
             .where(due).order_by(table.c.due_at, ident))
    rows: list[Row] = []
    for found in conn.execute(query, bound):
        resource_id, account, region, time = found[0], found[1], found[2], found[3]
        if snapshot:
            volume_id, start, copied_from = found[4], found[5], found[6]
            copy = copied_from is not None or volume_id in (None, COPY_VOLUME)
            rows.append(_row(name, account, region, resource_id, time,
                             event_name="copySnapshot" if copy else None,
                             source=copied_from or "" if copy else arn(region, account, "volume", volume_id),
                             start_time=start))
        else:
            rows.append(_row(name, account, region, resource_id, time,
                             transition.next_state if transition.resource == "instance" else None))
    if rows:
        _insert.execute(conn, rows)
    return len(rows)


class OutboxRepository:
    """The outbox of one unit of work."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def emit(self, name: str, account: str, region: str, resource_ids: Sequence[str], time: float,
             state: str | None = None) -> None:
        """One ``name`` notification per resource (an instance's: the ``state`` it
        entered), at ``time``, in one ``executemany``."""
        if resource_ids:
            _insert.execute(self.conn, [_row(name, account, region, resource_id, time, state)
                                        for resource_id in resource_ids])

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

