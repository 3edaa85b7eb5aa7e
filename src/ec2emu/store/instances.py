"""Instances: rows, look-ups with their details (tags and attached volumes in the same
statement), listings by criteria, updates, and the public addresses of Amazon's pool they
hold (:mod:`ec2emu.store.public_ips`); how many of each account and region are in each
state (:meth:`InstanceRepository.count_by_state`, for the metrics)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import (
    JsonRows,
    OrderingOnly,
    Row,
    ScopedRepository,
    get_rows,
    named_in_scope,
    select_shown,
    stored_first,
)
from ec2emu.store.shown import NOW, due_columns, shown

ATTACHMENT_COLUMNS = ("volume_id", "device", "attach_time", "delete_on_termination", "attachment_state")


def _instance_details(t: sa.Table, *, stored: bool = False) -> tuple[sa.Label[Any], sa.Label[Any]]:
    """Two more columns for each row of the instances table ``t``: its tags and the
    volumes attached to it as shown at the bound moment (``stored``: as stored), each
    read through the resource's own index entries (the tags' and the volumes' instance
    indexes) by a correlated subquery in the same statement. As for
    :meth:`TagRepository.for_resources`, the scope columns of the tags are only checked,
    so that SQLite does not walk every tag of the region."""
    tg, v = schema.tags, shown(schema.volumes, t)
    columns = v.table.c if stored else v.c
    tags = sa.select(JsonRows(tg.c.key, tg.c.value)).where(
        OrderingOnly(tg.c.account_id) == t.c.account_id, OrderingOnly(tg.c.region) == t.c.region,
        tg.c.resource_id == t.c.instance_id,
    ).scalar_subquery()
    volumes = sa.select(JsonRows(*(columns[name] for name in ATTACHMENT_COLUMNS))).select_from(v.from_).where(
        v.table.c.instance_id == t.c.instance_id, columns["instance_id"].is_not(None),
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



def _detailed_by_ids(n: int, *, due: bool) -> sa.Select[Any]:
    t = schema.instances
    return named_in_scope(select_shown(t, *_instance_details(t), due=due), t, t.c.instance_id, n)


def _stored_by_ids(n: int) -> sa.Select[Any]:
    """The statement of :func:`_detailed_by_ids` as stored, with
    :data:`~ec2emu.store.shown.PASSED` true where a due time of the instance or of a
    volume attached to it has passed (:meth:`~ec2emu.store.shown.Shown.stored_select`)."""
    t, view, v = schema.instances, shown(schema.instances), shown(schema.volumes, schema.instances)
    passed = sa.or_(view.passed, sa.exists().where(v.table.c.instance_id == t.c.instance_id, v.passed))
    return named_in_scope(view.stored_select(*_instance_details(t, stored=True), passed=passed),
                          t, t.c.instance_id, n)


def _count_by_state() -> sa.Select[Any]:
    """How many instances each account and region has in each state as readers see it,
    in one statement: the stored states counted (a ``GROUP BY`` the scope-and-state
    index covers), each row whose transition is due by now taken off its stored state
    and put on the state it shows (not at all when it shows gone) — those rows read
    through the ``due_at`` index, which finds only the few the settler has not reached."""
    t, view = schema.instances, shown(schema.instances)
    scope = (t.c.account_id, t.c.region)
    due = t.c.due_at <= NOW
    stored = sa.select(*scope, t.c.state, sa.func.count().label("n")).group_by(*scope, t.c.state)
    leaving = sa.select(*scope, t.c.state, sa.literal_column("-1").label("n")).where(due)
    arriving = sa.select(*scope, view.c["state"].label("state"), sa.literal_column("1").label("n")).where(
        due, view.present)
    counted = sa.union_all(stored, leaving, arriving).subquery()
    total = sa.func.sum(counted.c.n)
    return (sa.select(counted.c.account_id, counted.c.region, counted.c.state, total.label("n"))
            .group_by(counted.c.account_id, counted.c.region, counted.c.state)
            .having(total > sa.literal_column("0")))


_BY_STATE = _count_by_state()


class InstanceRepository(ScopedRepository):
    id_name = "instance_id"
    table = schema.instances
    _insert = PreparedInsert(table)

    def insert(self, rows: list[Row]) -> None:
        self._insert.execute(self.conn, rows)

    def every(self) -> list[Row]:
        """Every instance of every account and region, by ID (for the admin routes)."""
        return self.shown([dict(row._mapping) for row in self.conn.execute(
            select_shown(self.table).order_by(self.table.c.instance_id), self.binds)])

    def count_by_state(self) -> list[tuple[str, str, str, int]]:
        """(account, region, state, how many) for every state some instance of an account
        and region shows at the bound moment."""
        return [(account, region, state, int(n))
                for account, region, state, n in self.conn.execute(_BY_STATE, self.binds)]

    def scope_of(self, instance_id: str) -> tuple[str, str] | None:
        """The account and region an instance belongs to, whichever they are."""
        row = self.conn.execute(select_shown(self.table).where(self.table.c.instance_id == instance_id),
                                self.binds).first()
        return None if row is None else (row.account_id, row.region)

    # Instances by ID with their details (see get), in one statement: a reader's, a
    # writer's; first as stored, which is what they show unless a due time has passed.
    _detailed = {due: Prepared(partial(_detailed_by_ids, due=due)) for due in (False, True)}
    _stored = Prepared(_stored_by_ids)

    def get(self, account_id: str, region: str, instance_ids: Iterable[str], *,
            details: bool = False) -> dict[str, Row]:
        """The named instances of this scope that exist, by ID. With ``details``, each row
        also carries ``tags`` ((key, value) pairs in key order) and ``volumes`` (the
        attached volumes' :data:`ATTACHMENT_COLUMNS`, in device order), read in the same
        statement: as stored, and again as shown when a due time of one of them has
        passed (the settler has not moved it yet), which few reads meet."""
        t = self.table
        if not details:
            rows = get_rows(self.conn, t, t.c.instance_id, account_id, region, instance_ids, self.binds,
                            self.writing)
            self.shown(list(rows.values()))
            return rows
        ids = list(instance_ids)
        found: dict[str, Row] = {}
        scope = {"account": account_id, "region": region, **self.binds}
        for start in range(0, len(ids), 500):
            for row in stored_first(self.conn, self._stored, self._detailed[self.writing], scope,
                                    ids[start : start + 500]):
                found[row["instance_id"]] = _with_details(row)
        self.shown(list(found.values()))
        return found

    def by_client_token(self, account_id: str, region: str, token: str) -> list[Row]:
        t = self.table
        query = (
            select_shown(t)
            .where(t.c.account_id == account_id, t.c.region == region, t.c.client_token == token)
            .order_by(t.c.ami_launch_index)
        )
        return self.shown([dict(row._mapping) for row in self.conn.execute(query, self.binds)])

    def update(self, instance_id: str, values: Row) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.instance_id == instance_id).values(**values))

    def held_public_ips(self, addresses: list[str]) -> set[str]:
        """Those of these public addresses of Amazon's pool that an instance of any account
        or region holds (through the unique index on ``public_ip``)."""
        t = self.table
        held: set[str] = set()
        for start in range(0, len(addresses), 500):
            chunk = addresses[start : start + 500]
            held.update(self.conn.execute(sa.select(t.c.public_ip).where(t.c.public_ip.in_(chunk))).scalars())
        return held

    def hold_public_ips(self, chosen: dict[str, str]) -> None:
        """Each instance (by ID) now holds its public address: one statement for them all."""
        if chosen:
            t = self.table
            self.conn.execute(t.update().where(t.c.instance_id == sa.bindparam("b_id"))
                              .values(public_ip=sa.bindparam("b_ip")),
                              [{"b_id": instance_id, "b_ip": ip} for instance_id, ip in chosen.items()])

    def update_many(self, instance_ids: list[str], values: Row, event_places: str | None = None) -> None:
        """Set ``values`` on the instances; with ``event_places`` (what
        :meth:`~ec2emu.store.outbox.OutboxRepository.emit` gave for their events), add
        it to each one's list, in the same statement."""
        t = self.table
        if event_places is not None:
            values = {**values, "event_places": with_places(t.c.event_places, sa.literal(event_places))}
        for start in range(0, len(instance_ids), 500):
            chunk = instance_ids[start : start + 500]
            self.conn.execute(t.update().where(t.c.instance_id.in_(chunk)).values(**values))

    def next_due(self) -> float | None:
        """The earliest due time of any instance's state or side machine."""
        found = [self.conn.execute(sa.select(sa.func.min(column))).scalar() for column in due_columns(self.table)]
        due = [value for value in found if value is not None]
        return min(due) if due else None


def with_places(column: sa.ColumnElement[Any], places: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """An instance's ``event_places`` with ``places`` (a write's, ``first:last``) added at
    the end, separated by a space; unchanged where ``places`` is ``NULL`` (PostgreSQL,
    whose outbox gives none)."""
    return sa.func.coalesce(column + " " + places, places, column)
