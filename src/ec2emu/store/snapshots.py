"""EBS snapshots: rows, look-ups, listings, the images that use them, and who may create
volumes from them (``snapshot_permissions``: account IDs and ``all``).

A snapshot another account can see is reached through its grants: :meth:`find_visible`
lists, by :class:`Reach`, the snapshots of a region owned by an account or granted to one
of some grantees (each reach an indexed query: the owner's scope index, or the grantee
index then the primary key), merged in ID order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import (
    Match,
    Row,
    ScopedRepository,
    match_clause,
    select_shown,
)


@dataclass(frozen=True)
class Reach:
    """Snapshots owned by ``owner`` (``None``: by anyone) and, when ``grantees`` is given,
    granted to one of them."""

    owner: str | None
    grantees: tuple[str, ...] | None = None


class SnapshotRepository(ScopedRepository):
    """EBS snapshots: ``pending`` until ``due_at``, then ``completed``; an image waiting
    for its snapshots becomes ``available`` when the last one completes."""

    id_name = "snapshot_id"
    table = schema.snapshots

    def insert(self, rows: list[Row]) -> None:
        if rows:
            self.conn.execute(self.table.insert(), rows)

    def delete(self, snapshot_id: str) -> None:
        t, tg, p, tiers = self.table, schema.tags, schema.snapshot_permissions, schema.snapshot_tiers
        self.conn.execute(tg.delete().where(tg.c.resource_id == snapshot_id))
        self.conn.execute(p.delete().where(p.c.snapshot_id == snapshot_id))
        self.conn.execute(tiers.delete().where(tiers.c.snapshot_id == snapshot_id))
        self.conn.execute(t.delete().where(t.c.snapshot_id == snapshot_id))

    def images_using(self, snapshot_id: str) -> list[str]:
        """The registered images whose block device mappings name ``snapshot_id``."""
        link = schema.image_snapshots
        query = sa.select(link.c.image_id).where(link.c.snapshot_id == snapshot_id)
        return sorted(row.image_id for row in self.conn.execute(query))

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()

    # ------------------------------------------------------------------ permissions

    def grants(self, snapshot_ids: Iterable[str]) -> dict[str, list[str]]:
        """The grantees of each snapshot (sorted), by primary key."""
        p = schema.snapshot_permissions
        ids = list(snapshot_ids)
        found: dict[str, list[str]] = {}
        for start in range(0, len(ids), 500):
            query = sa.select(p.c.snapshot_id, p.c.grantee).where(p.c.snapshot_id.in_(ids[start:start + 500]))
            for snapshot_id, grantee in self.conn.execute(query.order_by(p.c.snapshot_id, p.c.grantee)):
                found.setdefault(snapshot_id, []).append(grantee)
        return found

    def grant(self, snapshot_id: str, grantees: Iterable[str]) -> None:
        have = set(self.grants([snapshot_id]).get(snapshot_id, []))
        new = [{"snapshot_id": snapshot_id, "grantee": g} for g in dict.fromkeys(grantees) if g not in have]
        if new:
            self.conn.execute(schema.snapshot_permissions.insert(), new)

    def revoke(self, snapshot_id: str, grantees: Iterable[str] | None = None) -> None:
        """Remove the grants to ``grantees`` (``None``: every grant)."""
        p = schema.snapshot_permissions
        statement = p.delete().where(p.c.snapshot_id == snapshot_id)
        if grantees is not None:
            statement = statement.where(p.c.grantee.in_(list(grantees)))
        self.conn.execute(statement)

    # ------------------------------------------------------------------ visible to a viewer

    def get_visible(self, viewer: str, region: str, snapshot_ids: Iterable[str]) -> dict[str, Row]:
        """The named snapshots of ``region`` that ``viewer`` owns or is granted (itself or
        ``all``), by ID."""
        ids = list(dict.fromkeys(snapshot_ids))
        t = self.table
        rows: dict[str, Row] = {}
        for start in range(0, len(ids), 500):
            query = select_shown(t, due=self.writing).where(t.c.snapshot_id.in_(ids[start:start + 500]),
                                                            t.c.region == region)
            for row in self.shown([dict(r) for r in self.conn.execute(query, self.binds).mappings()]):
                rows[row["snapshot_id"]] = row
        foreign = [i for i, row in rows.items() if row["account_id"] != viewer]
        granted = self.grants(foreign)
        for snapshot_id in foreign:
            if not {viewer, "all"} & set(granted.get(snapshot_id, [])):
                del rows[snapshot_id]
        return rows

    def find_visible(self, viewer: str, region: str, reaches: Iterable[Reach], matches: Iterable[Match] = (), *,
                     after_id: str | None = None, limit: int | None = None) -> list[Row]:
        """The snapshots of ``region`` any of ``reaches`` reaches that meet every criterion
        (tag criteria read ``viewer``'s tags), in ID order after ``after_id``."""
        t, p = self.table, schema.snapshot_permissions
        criteria = list(matches)
        found: set[str] = set()
        for reach in reaches:
            query = sa.select(t.c.snapshot_id).where(t.c.region == region)
            if reach.owner is not None:
                query = query.where(t.c.account_id == reach.owner)
            if reach.grantees is not None:
                query = query.where(t.c.snapshot_id.in_(
                    sa.select(p.c.snapshot_id).where(p.c.grantee.in_(reach.grantees))))
            for match in criteria:
                query = query.where(match_clause(t, t.c.snapshot_id, viewer, region, match))
            if after_id is not None:
                query = query.where(t.c.snapshot_id > after_id)
            query = query.order_by(t.c.snapshot_id)
            if limit is not None:
                query = query.limit(limit)
            found.update(row[0] for row in self.conn.execute(query, self.binds))
        ids = sorted(found)[:limit] if limit is not None else sorted(found)
        rows = self.get_visible_rows(region, ids)
        return [rows[i] for i in ids if i in rows]

    def get_visible_rows(self, region: str, snapshot_ids: list[str]) -> dict[str, Any]:
        t = self.table
        rows: dict[str, Row] = {}
        for start in range(0, len(snapshot_ids), 500):
            query = select_shown(t, due=self.writing).where(
                t.c.snapshot_id.in_(snapshot_ids[start:start + 500]), t.c.region == region)
            for row in self.shown([dict(r) for r in self.conn.execute(query, self.binds).mappings()]):
                rows[row["snapshot_id"]] = row
        return rows
