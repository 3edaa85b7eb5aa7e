"""Registered images, their snapshots and their launch permissions.

An image's launch permissions are rows of ``image_launch_permissions``: one per grantee,
an account ID or ``all`` (public). :meth:`ImageRepository.visible` reads an account's
images and those granted to it or to ``all`` in a region, each through an index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import (
    Repository,
    Row,
    select_shown,
)

PUBLIC = "all"


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

    def visible(self, region: str, account_id: str) -> list[Row]:
        """The images of ``region`` that ``account_id`` owns or may launch (granted to it
        or public), in image ID order."""
        t, grants = self.table, schema.image_launch_permissions
        granted = sa.select(grants.c.image_id).where(grants.c.grantee.in_((account_id, PUBLIC)))
        query = select_shown(t).where(t.c.region == region, t.c.image_id.in_(granted),
                                      t.c.account_id != account_id)
        shared = self.shown([dict(row._mapping) for row in self.conn.execute(query, self.binds)])
        return sorted(self.find(region, [account_id]) + shared, key=lambda row: str(row["image_id"]))

    def by_client_token(self, account_id: str, region: str, token: str) -> list[Row]:
        t = self.table
        query = select_shown(t).where(t.c.account_id == account_id, t.c.region == region, t.c.client_token == token)
        return self.shown([dict(row._mapping) for row in self.conn.execute(query, self.binds)])

    def update(self, image_id: str, **values: Any) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.image_id == image_id).values(**values))

    def delete(self, image_id: str) -> None:
        t, link = self.table, schema.image_snapshots
        self.conn.execute(link.delete().where(link.c.image_id == image_id))
        self.revoke(image_id)
        self.conn.execute(t.delete().where(t.c.image_id == image_id))

    def link_snapshots(self, image_id: str, snapshot_ids: Iterable[str]) -> None:
        """Record that ``image_id`` uses these snapshots (they cannot be deleted)."""
        rows = [{"image_id": image_id, "snapshot_id": s} for s in dict.fromkeys(snapshot_ids)]
        if rows:
            self.conn.execute(schema.image_snapshots.insert(), rows)

    def snapshots_of(self, image_id: str) -> list[str]:
        """The stored snapshots ``image_id`` uses, by ID."""
        link = schema.image_snapshots
        query = sa.select(link.c.snapshot_id).where(link.c.image_id == image_id).order_by(link.c.snapshot_id)
        return [row.snapshot_id for row in self.conn.execute(query)]

    # ------------------------------------------------------------------ launch permissions

    def grantees(self, image_ids: Iterable[str]) -> dict[str, list[str]]:
        """Image ID -> its grantees (account IDs in order, ``all`` last), for the images of
        these IDs that have any."""
        ids = list(image_ids)
        if not ids:
            return {}
        grants = schema.image_launch_permissions
        query = sa.select(grants.c.image_id, grants.c.grantee).where(grants.c.image_id.in_(ids))
        found: dict[str, list[str]] = {}
        for image_id, grantee in self.conn.execute(query.order_by(grants.c.image_id, grants.c.grantee)):
            found.setdefault(image_id, []).append(grantee)
        for names in found.values():
            names.sort(key=lambda name: (name == PUBLIC, name))
        return found

    def grant(self, image_id: str, grantees: Iterable[str]) -> None:
        """Add grantees (those already granted stay as they are)."""
        have = set(self.grantees([image_id]).get(image_id, []))
        rows = [{"image_id": image_id, "grantee": g} for g in dict.fromkeys(grantees) if g not in have]
        if rows:
            self.conn.execute(schema.image_launch_permissions.insert(), rows)

    def revoke(self, image_id: str, grantees: Iterable[str] | None = None) -> None:
        """Remove these grantees (``None``: every one)."""
        grants = schema.image_launch_permissions
        query = grants.delete().where(grants.c.image_id == image_id)
        if grantees is not None:
            query = query.where(grants.c.grantee.in_(list(grantees)))
        self.conn.execute(query)
