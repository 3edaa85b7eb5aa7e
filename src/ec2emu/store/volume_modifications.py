"""EBS volume modifications: the latest one of each volume (keyed by the volume's ID),
timed on the clock (``modifying`` → ``optimizing`` → ``completed``)."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import Row, ScopedRepository


class VolumeModificationRepository(ScopedRepository):
    id_name = "volume_id"
    table = schema.volume_modifications

    def put(self, row: Row) -> None:
        """Record ``row`` as its volume's latest modification (replacing the one before)."""
        self.delete(row["volume_id"])
        self.conn.execute(self.table.insert(), [row])

    def delete(self, volume_id: str) -> None:
        t = self.table
        self.conn.execute(t.delete().where(t.c.volume_id == volume_id))

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()
