"""EBS snapshots: rows, look-ups, listings, the images that use them."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import (
    Row,
    ScopedRepository,
)


class SnapshotRepository(ScopedRepository):
    """EBS snapshots: ``pending`` until ``due_at``, then ``completed``; an image waiting
    for its snapshots becomes ``available`` when the last one completes."""

    id_name = "snapshot_id"
    table = schema.snapshots

    def insert(self, rows: list[Row]) -> None:
        if rows:
            self.conn.execute(self.table.insert(), rows)

    def delete(self, snapshot_id: str) -> None:
        t, tg = self.table, schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == snapshot_id))
        self.conn.execute(t.delete().where(t.c.snapshot_id == snapshot_id))

    def images_using(self, snapshot_id: str) -> list[str]:
        """The registered images whose block device mappings name ``snapshot_id``."""
        link = schema.image_snapshots
        query = sa.select(link.c.image_id).where(link.c.snapshot_id == snapshot_id)
        return sorted(row.image_id for row in self.conn.execute(query))

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()
