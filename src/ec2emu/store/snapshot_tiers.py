"""Snapshots' archive tiers: each snapshot's last tiering operation (keyed by the
snapshot's ID), timed on the clock (``…-in-progress`` → ``…-completed``)."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import Row, ScopedRepository


class SnapshotTierRepository(ScopedRepository):
    id_name = "snapshot_id"
    table = schema.snapshot_tiers

    def put(self, row: Row) -> None:
        """Record ``row`` as its snapshot's last tiering operation (replacing the one before)."""
        t = self.table
        self.conn.execute(t.delete().where(t.c.snapshot_id == row["snapshot_id"]))
        self.conn.execute(t.insert(), [row])

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()
