"""Instances: rows, look-ups with their details (tags and attached volumes in the same
statement), listings by criteria, updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import (
    JsonRows,
    Match,
    OrderingOnly,
    Repository,
    Row,
    get_rows,
    match_clause,
)

ATTACHMENT_COLUMNS = ("volume_id", "device", "attach_time", "delete_on_termination", "attachment_state")


def _instance_details(t: sa.Table) -> tuple[sa.Label[Any], sa.Label[Any]]:
    """Two more columns for each row of the instances table ``t``: its tags and the
    volumes attached to it, each read through the resource's own index entries (the
    tags' and the volumes' instance indexes) by a correlated subquery in the same
    statement. As for :meth:`TagRepository.for_resources`, the scope columns of the
    tags are only checked, so that SQLite does not walk every tag of the region."""
    tg, v = schema.tags, schema.volumes
    tags = sa.select(JsonRows(tg.c.key, tg.c.value)).where(
        OrderingOnly(tg.c.account_id) == t.c.account_id, OrderingOnly(tg.c.region) == t.c.region,
        tg.c.resource_id == t.c.instance_id,
    ).scalar_subquery()
    volumes = sa.select(JsonRows(*(v.c[name] for name in ATTACHMENT_COLUMNS))).where(
        v.c.instance_id == t.c.instance_id,
    ).scalar_subquery()
    return tags.label("tags"), volumes.label("volumes")


def _with_details(row: Row) -> Row:
    """``row`` with its ``tags`` as (key, value) pairs in key order and its ``volumes``
    as attachment dicts in device order."""
    row["tags"] = sorted((key, value) for key, value in row["tags"] or ())
    row["volumes"] = sorted(
        ({"volume_id": volume_id, "device": device, "attach_time": attach_time,
          "delete_on_termination": bool(delete_on_termination), "attachment_state": attachment_state}
         for volume_id, device, attach_time, delete_on_termination, attachment_state in row["volumes"] or ()),
        key=lambda attachment: attachment["device"],
    )
    return row



class InstanceRepository(Repository):
    table = schema.instances
    _insert = PreparedInsert(table)

    def insert(self, rows: list[Row]) -> None:
        self._insert.execute(self.conn, rows)

    def every(self) -> list[Row]:
        """Every instance of every account and region, by ID (for the admin routes)."""
        return [dict(row._mapping) for row in self.conn.execute(sa.select(self.table).order_by(
            self.table.c.instance_id))]

    def scope_of(self, instance_id: str) -> tuple[str, str] | None:
        """The account and region an instance belongs to, whichever they are."""
        row = self.conn.execute(sa.select(self.table.c.account_id, self.table.c.region)
                                .where(self.table.c.instance_id == instance_id)).first()
        return None if row is None else (row.account_id, row.region)

    # Instances by ID with their details (see get), in one statement.
    _detailed = Prepared(lambda n: sa.select(
        InstanceRepository.table, *_instance_details(InstanceRepository.table)
    ).where(
        InstanceRepository.table.c.instance_id.in_(Prepared.id_list(n)),
        InstanceRepository.table.c.account_id == sa.bindparam("account"),
        InstanceRepository.table.c.region == sa.bindparam("region"),
    ))

    def get(self, account_id: str, region: str, instance_ids: Iterable[str], *,
            details: bool = False) -> dict[str, Row]:
        """The named instances of this scope that exist, by ID. With ``details``, each row
        also carries ``tags`` ((key, value) pairs in key order) and ``volumes`` (the
        attached volumes' :data:`ATTACHMENT_COLUMNS`, in device order), read in the same
        statement."""
        t = self.table
        if not details:
            return get_rows(self.conn, t, t.c.instance_id, account_id, region, instance_ids)
        ids = list(instance_ids)
        found: dict[str, Row] = {}
        scope = {"account": account_id, "region": region}
        for start in range(0, len(ids), 500):
            for row in self._detailed.dicts(self.conn, scope, ids[start : start + 500]):
                found[row["instance_id"]] = _with_details(row)
        return found

    def find(
        self,
        account_id: str,
        region: str,
        matches: Iterable[Match] = (),
        *,
        after_id: str | None = None,
        limit: int | None = None,
        details: bool = False,
    ) -> list[Row]:
        """Instances matching every criterion, ordered by ID, after ``after_id``; with
        ``details`` as :meth:`get` gives them."""
        t = self.table
        criteria = list(matches)
        query = sa.select(t, *_instance_details(t)) if details else sa.select(t)
        query = query.where(t.c.account_id == account_id, t.c.region == region)
        for match in criteria:
            query = query.where(match_clause(t, t.c.instance_id, account_id, region, match))
        by_id_only = all(match.field == "instance_id" for match in criteria)
        order: sa.ColumnElement[Any] = t.c.instance_id if by_id_only else OrderingOnly(t.c.instance_id)
        if after_id is not None:
            query = query.where(order > after_id)
        query = query.order_by(order)
        if limit is not None:
            query = query.limit(limit)
        rows = [dict(row._mapping) for row in self.conn.execute(query)]
        return [_with_details(row) for row in rows] if details else rows

    def by_client_token(self, account_id: str, region: str, token: str) -> list[Row]:
        t = self.table
        query = (
            sa.select(t)
            .where(t.c.account_id == account_id, t.c.region == region, t.c.client_token == token)
            .order_by(t.c.ami_launch_index)
        )
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def update(self, instance_id: str, values: Row) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.instance_id == instance_id).values(**values))

    def update_many(self, instance_ids: list[str], values: Row) -> None:
        t = self.table
        for start in range(0, len(instance_ids), 500):
            chunk = instance_ids[start : start + 500]
            self.conn.execute(t.update().where(t.c.instance_id.in_(chunk)).values(**values))

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()
