"""Registered images and their snapshots."""

from __future__ import annotations

from collections.abc import Iterable

from ec2emu.store import schema
from ec2emu.store.queries import (
    Repository,
    Row,
    select_shown,
)


class ImageRepository(Repository):
    table = schema.images

    def insert(self, row: Row) -> None:
        self.conn.execute(self.table.insert(), [row])

    def get(self, region: str, image_ids: Iterable[str]) -> dict[str, Row]:
        ids = list(image_ids)
        if not ids:
            return {}
        t = self.table
        query = select_shown(t).where(t.c.region == region, t.c.image_id.in_(ids))
        rows = self.shown([dict(row._mapping) for row in self.conn.execute(query, self.binds)])
        return {row["image_id"]: row for row in rows}

    def find(self, region: str, owners: Iterable[str] | None = None) -> list[Row]:
        t = self.table
        query = select_shown(t).where(t.c.region == region)
        if owners is not None:
            query = query.where(t.c.account_id.in_(list(owners)))
        return self.shown([dict(row._mapping) for row in self.conn.execute(query.order_by(t.c.image_id), self.binds)])

    def delete(self, image_id: str) -> None:
        t, link = self.table, schema.image_snapshots
        self.conn.execute(link.delete().where(link.c.image_id == image_id))
        self.conn.execute(t.delete().where(t.c.image_id == image_id))

    def link_snapshots(self, image_id: str, snapshot_ids: Iterable[str]) -> None:
        """Record that ``image_id`` uses these snapshots (they cannot be deleted)."""
        rows = [{"image_id": image_id, "snapshot_id": s} for s in dict.fromkeys(snapshot_ids)]
        if rows:
            self.conn.execute(schema.image_snapshots.insert(), rows)
