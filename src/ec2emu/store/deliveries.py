"""Deliveries of the outbox's events to rules' targets (:mod:`ec2emu.store.delivery_schema`):
the matching cursor, the deliveries matching writes, the due ones a deliverer leases,
their outcomes, and the dead letters.

Every read is a range of an index: the due pending deliveries through
``ix_event_deliveries_due`` (``status``, ``next_at``, ``id``), the dead letters through
``ix_event_deliveries_dead``, the deliveries done long ago (to forget them) through
``ix_event_deliveries_ended``; the cursor is one row by key. Dead letters are kept: they
are the operator's to read, until the emulator's reset. Whoever moves the cursor
writes the deliveries of the events it passed in the same transaction; since writers
take turns (:mod:`ec2emu.store.repository`), two nodes never match the same event.
Leasing happens in a writer's transaction too: a node takes due deliveries whose lease
(wall-clock seconds) has run out and gives them its own, so two nodes do not deliver the
same attempt unless the first overran its lease (then the receiver sees a retry, with
the same event ``id``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import delivery_schema, outbox_schema
from ec2emu.store.prepared import Prepared
from ec2emu.store.queries import Repository, Row

_D = delivery_schema.event_deliveries
_C = delivery_schema.event_delivery_cursor

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


class DeliveryRepository(Repository):
    """Deliveries and the matching cursor of one unit of work."""

    def cursor(self, name: str) -> int:
        """The sequence number of the last event the reader ``name`` passed (0: none)."""
        found = self.conn.execute(sa.select(_C.c.seq).where(_C.c.name == name)).scalar_one_or_none()
        return 0 if found is None else int(found)

    def set_cursor(self, name: str, seq: int) -> None:
        if self.conn.execute(_C.update().where(_C.c.name == name).values(seq=seq)).rowcount == 0:
            self.conn.execute(_C.insert().values(name=name, seq=seq))

    def add(self, rows: Iterable[Row]) -> int:
        """Write pending deliveries (``rows``: the columns of ``event_deliveries`` but
        ``id``, ``attempts``, ``status``, ``lease_until``); how many."""
        given = [{**row, "attempts": 0, "status": PENDING, "lease_until": None} for row in rows]
        if given:
            self.conn.execute(_D.insert(), given)
        return len(given)

    def due(self, now: float, wall: float, limit: int) -> list[Row]:
        """Pending deliveries due by ``now`` (emulated) whose lease ended by ``wall``, in
        due order (a range of the due index; the lease is checked on the rows it gives)."""
        query = (sa.select(_D).where(_D.c.status == PENDING, _D.c.next_at <= now,
                                     sa.or_(_D.c.lease_until.is_(None), _D.c.lease_until <= wall))
                 .order_by(_D.c.next_at, _D.c.id).limit(limit))
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def lease(self, ids: list[int], until: float) -> None:
        if ids:
            self.conn.execute(_D.update().where(_D.c.id.in_(ids)).values(lease_until=until))

    def waiting(self, name: str) -> tuple[bool, float | None]:
        """Whether the outbox holds events after the reader ``name``'s cursor, and when the
        earliest pending delivery falls due (``None``: none pending) — what a deliverer
        polls for while idle, in one prepared statement (the cursor's row by key, a probe
        of the outbox's primary key, the due index's first entry)."""
        [(events_after, first)] = _WAITING.tuples(self.conn, {"name": name, "pending": PENDING})
        return bool(events_after), None if first is None else float(first)

    def record(self, delivery_id: int, values: Row) -> None:
        """An attempt's outcome: ``values`` of the delivery's columns (its lease ends) —
        unless it has ended already (another node's attempt, after this one's lease ran
        out, succeeded or gave up first)."""
        self.conn.execute(_D.update().where(_D.c.id == delivery_id, _D.c.status == PENDING)
                          .values(lease_until=None, **values))

    def prune(self, before: float, limit: int) -> int:
        """Forget at most ``limit`` of the deliveries done (``delivered``) before ``before``
        (emulated); how many."""
        found = sa.select(_D.c.id).where(_D.c.status == DELIVERED, _D.c.ended_at < before).limit(limit)
        return self.conn.execute(_D.delete().where(_D.c.id.in_(found.scalar_subquery()))).rowcount

    def dead_letters(self, after: int, limit: int) -> list[Row]:
        """The dead letters after the delivery ``after``, oldest first."""
        query = (sa.select(_D).where(_D.c.status == DEAD, _D.c.id > after).order_by(_D.c.id).limit(limit))
        return [dict(row) for row in self.conn.execute(query).mappings()]


def _waiting() -> sa.Select[Any]:
    events = outbox_schema.events
    cursor = sa.select(_C.c.seq).where(_C.c.name == sa.bindparam("name")).scalar_subquery()
    after = sa.exists(sa.select(events.c.seq).where(events.c.seq > sa.func.coalesce(cursor, sa.literal_column("0"))))
    first = sa.select(sa.func.min(_D.c.next_at)).where(_D.c.status == sa.bindparam("pending")).scalar_subquery()
    return sa.select(after, first)


_WAITING = Prepared(lambda _: _waiting())

