"""Repositories behind one unit of work: one API request is one transaction.

``Store.unit_of_work()`` opens a transaction (``BEGIN IMMEDIATE`` on SQLite) and yields a
:class:`UnitOfWork` whose repositories all share its connection; it commits when the
block ends and rolls back on an exception. Callers ask with snake_case domain names and
:class:`Match` criteria; SQL and indexes stay here.

Matching: a :class:`Match` names a field and a tuple of patterns that are OR'd; EC2's
``*`` and ``?`` wildcards become ``LIKE`` (case-sensitive), exact values use ``=`` so an
index serves them. Field names are a column name, ``tag:<Key>``, ``tag_key`` or
``tag_value``; tag criteria resolve through the tags table's indexes.

Index choice: a filtered listing is ordered by instance ID for paging. Without table
statistics SQLite would rather walk the ``(account, region, instance_id)`` index in
order than use the index of the filtered column and sort, reading every instance of
the region. When a criterion other than the ID is present, the ordering (and the
``after_id`` bound) are therefore written so that they cannot drive the index choice
(:class:`_OrderingOnly`, a unary ``+`` on SQLite), and the filtered column's index is
used; other dialects plan from statistics and get the plain column. The same hint keeps
the scope columns from steering a look-up of named resources' tags onto the covering
``(account, region, key, value, resource_id)`` index (every tag of the region) instead of
the resource index.

Hot statements (look-ups by ID, tags and volumes of named instances, what a request reads
first) are :class:`~ec2emu.store.prepared.Prepared`: Core statements compiled once per
dialect and run on the driver connection of the unit of work's own connection (the same
transaction), so a request neither builds them nor pays SQLAlchemy's execution path;
the rows of a launch (instances, volumes, tags) are inserted the same way, one
``executemany`` per table (:class:`~ec2emu.store.prepared.PreparedInsert`). Instances
can be read with their details (``details=True``: their tags and attached volumes, as
JSON aggregates of correlated subqueries in the same statement), so describing them
takes one statement rather than three.

Concurrency: :meth:`Store.transaction` is how a request's work runs. On SQLite it is one
``BEGIN IMMEDIATE`` transaction: writers are serialised by the database lock, nothing
to retry. On PostgreSQL, where several nodes share the database, every transaction is
``SERIALIZABLE`` and the whole of the work is run again when PostgreSQL reports a
serialization failure (SQLSTATE 40001), a deadlock (40P01) or a lock timeout (55P03),
up to :data:`MAX_ATTEMPTS` times with a short random back-off; past that the error
propagates (the app answers ``ServiceUnavailable``). SERIALIZABLE rather than row locks
because it covers every read-then-write a handler does, present and future (state
checks, the ClientToken look-up before an insert, counters, volume attachment) without
each load having to know which rows to lock; conflicts are rare and cheap to retry
since a request is a few statements. ``work`` must therefore be safe to run again: it
touches nothing but the database. When ``work`` raises an ordinary exception (an API
error) its writes are rolled back to a savepoint and the transaction still commits, so
PostgreSQL validates the reads the error was based on: an error answer, like a success,
is one a serial order of requests could have given.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ec2emu.store import schema
from ec2emu.store.engine import create_engine, is_postgresql, migrate
from ec2emu.store.errors import is_conflict, is_database_error
from ec2emu.store.iam import IamRepository
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.settlement import SettlementRepository

Row = dict[str, Any]
T = TypeVar("T")

# PostgreSQL: how often a transaction is tried when it conflicts with another.
MAX_ATTEMPTS = 25


@dataclass(frozen=True)
class Match:
    """``field`` matches any of ``patterns`` (EC2 wildcards ``*`` and ``?`` allowed)."""

    field: str
    patterns: tuple[str, ...]


class _OrderingOnly(FunctionElement[str]):
    """A column used for ordering, a range bound or a mere check, never to pick an index
    (SQLite)."""

    name = "ordering_only"
    inherit_cache = True
    type = sa.String()


@compiles(_OrderingOnly)
def _compile_ordering_only(element: _OrderingOnly, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_OrderingOnly, "sqlite")
def _compile_ordering_only_sqlite(element: _OrderingOnly, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


class _JsonRows(FunctionElement[Any]):
    """An aggregate: the rows of a subquery as one JSON array of arrays, ``[]`` or NULL
    when there are none (``json_group_array`` on SQLite, ``json_agg`` on PostgreSQL)."""

    name = "json_rows"
    inherit_cache = True
    type = sa.JSON()


@compiles(_JsonRows)
def _compile_json_rows(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


@compiles(_JsonRows, "sqlite")
def _compile_json_rows_sqlite(element: _JsonRows, compiler: Any, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


# The columns of an attachment among an instance's details, in this order.
ATTACHMENT_COLUMNS = ("volume_id", "device", "attach_time", "delete_on_termination", "attachment_state")


def _instance_details(t: sa.Table) -> tuple[sa.Label[Any], sa.Label[Any]]:
    """Two more columns for each row of the instances table ``t``: its tags and the
    volumes attached to it, each read through the resource's own index entries (the
    tags' and the volumes' instance indexes) by a correlated subquery in the same
    statement. As for :meth:`TagRepository.for_resources`, the scope columns of the
    tags are only checked, so that SQLite does not walk every tag of the region."""
    tg, v = schema.tags, schema.volumes
    tags = sa.select(_JsonRows(tg.c.key, tg.c.value)).where(
        _OrderingOnly(tg.c.account_id) == t.c.account_id, _OrderingOnly(tg.c.region) == t.c.region,
        tg.c.resource_id == t.c.instance_id,
    ).scalar_subquery()
    volumes = sa.select(_JsonRows(*(v.c[name] for name in ATTACHMENT_COLUMNS))).where(
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


def _has_wildcard(pattern: Any) -> bool:
    # Non-text patterns (booleans, integers for typed columns) are exact values.
    return isinstance(pattern, str) and ("*" in pattern or "?" in pattern)


def _like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def _pattern_clause(column: sa.ColumnElement[Any], patterns: Iterable[str]) -> sa.ColumnElement[bool]:
    exact = [p for p in patterns if not _has_wildcard(p)]
    clauses: list[sa.ColumnElement[bool]] = []
    if exact:
        clauses.append(column == exact[0] if len(exact) == 1 else column.in_(exact))
    clauses.extend(column.like(_like(p), escape="\\") for p in patterns if _has_wildcard(p))
    return sa.or_(*clauses) if len(clauses) > 1 else clauses[0]


def _tag_subquery(account_id: str, region: str, match: Match) -> sa.Select[Any]:
    t = schema.tags
    query = sa.select(t.c.resource_id).where(t.c.account_id == account_id, t.c.region == region)
    if match.field.startswith("tag:"):
        query = query.where(t.c.key == match.field[4:], _pattern_clause(t.c.value, match.patterns))
    elif match.field == "tag_key":
        query = query.where(_pattern_clause(t.c.key, match.patterns))
    else:
        query = query.where(_pattern_clause(t.c.value, match.patterns))
    return query


def match_clause(
    table: sa.Table, id_column: sa.Column[Any], account_id: str, region: str, match: Match
) -> sa.ColumnElement[bool]:
    """The WHERE clause for one criterion on ``table``."""
    if match.field.startswith("tag:") or match.field in ("tag_key", "tag_value"):
        return id_column.in_(_tag_subquery(account_id, region, match))
    return _pattern_clause(table.c[match.field], match.patterns)


class _Repository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn


class InstanceRepository(_Repository):
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
            return _get_rows(self.conn, t, t.c.instance_id, account_id, region, instance_ids)
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
        order: sa.ColumnElement[Any] = t.c.instance_id if by_id_only else _OrderingOnly(t.c.instance_id)
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


def _find_rows(
    conn: sa.Connection,
    table: sa.Table,
    id_column: sa.Column[Any],
    account_id: str,
    region: str,
    matches: Iterable[Match],
    after_id: str | None,
    limit: int | None,
) -> list[Row]:
    """Rows of ``table`` matching every criterion, ordered by ID, after ``after_id`` (the
    same index choice as :meth:`InstanceRepository.find`)."""
    criteria = list(matches)
    query = sa.select(table).where(table.c.account_id == account_id, table.c.region == region)
    for match in criteria:
        query = query.where(match_clause(table, id_column, account_id, region, match))
    by_id_only = all(match.field == id_column.name for match in criteria)
    order: sa.ColumnElement[Any] = id_column if by_id_only else _OrderingOnly(id_column)
    if after_id is not None:
        query = query.where(order > after_id)
    query = query.order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


@cache
def _by_ids(table: sa.Table, id_column: sa.Column[Any]) -> Prepared:
    """``table``'s rows with these IDs in a scope, run on the driver connection (bound:
    the IDs, ``account``, ``region``)."""
    return Prepared(lambda n: sa.select(table).where(
        id_column.in_(Prepared.id_list(n)),
        table.c.account_id == sa.bindparam("account"),
        table.c.region == sa.bindparam("region"),
    ))


def _get_rows(
    conn: sa.Connection, table: sa.Table, id_column: sa.Column[Any], account_id: str, region: str,
    wanted: Iterable[str],
) -> dict[str, Row]:
    ids = list(wanted)
    found: dict[str, Row] = {}
    query = _by_ids(table, id_column)
    key = id_column.name
    scope = {"account": account_id, "region": region}
    for start in range(0, len(ids), 500):
        for row in query.dicts(conn, scope, ids[start : start + 500]):
            found[row[key]] = row
    return found


class VolumeRepository(_Repository):
    """EBS volumes. A volume's ``state`` is creating, available, in-use or deleting; while
    attached, ``attachment_state`` is attaching, attached or detaching. ``due_at`` is when
    the current timed state (creating, attaching, detaching, deleting) ends."""

    table = schema.volumes
    _insert = PreparedInsert(table)

    def insert(self, rows: list[Row]) -> None:
        self._insert.execute(self.conn, rows)

    def get(self, account_id: str, region: str, volume_ids: Iterable[str]) -> dict[str, Row]:
        v = self.table
        return _get_rows(self.conn, v, v.c.volume_id, account_id, region, volume_ids)

    def find(
        self,
        account_id: str,
        region: str,
        matches: Iterable[Match] = (),
        *,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Volumes matching every criterion, ordered by ID, after ``after_id``."""
        v = self.table
        return _find_rows(self.conn, v, v.c.volume_id, account_id, region, matches, after_id, limit)

    def update(self, volume_id: str, values: Row) -> None:
        v = self.table
        self.conn.execute(v.update().where(v.c.volume_id == volume_id).values(**values))

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()

    _attached = Prepared(lambda n: sa.select(VolumeRepository.table).where(
        VolumeRepository.table.c.instance_id.in_(Prepared.id_list(n))).order_by(VolumeRepository.table.c.device))

    def attached_to(self, instance_ids: Iterable[str]) -> dict[str, list[Row]]:
        ids = list(instance_ids)
        result: dict[str, list[Row]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            for row in self._attached.dicts(self.conn, {}, ids[start : start + 500]):
                result[row["instance_id"]].append(row)
        return result


class SnapshotRepository(_Repository):
    """EBS snapshots: ``pending`` until ``due_at``, then ``completed``; an image waiting
    for its snapshots becomes ``available`` when the last one completes."""

    table = schema.snapshots

    def insert(self, rows: list[Row]) -> None:
        if rows:
            self.conn.execute(self.table.insert(), rows)

    def get(self, account_id: str, region: str, snapshot_ids: Iterable[str]) -> dict[str, Row]:
        t = self.table
        return _get_rows(self.conn, t, t.c.snapshot_id, account_id, region, snapshot_ids)

    def find(
        self,
        account_id: str,
        region: str,
        matches: Iterable[Match] = (),
        *,
        after_id: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Snapshots matching every criterion, ordered by ID, after ``after_id``."""
        t = self.table
        return _find_rows(self.conn, t, t.c.snapshot_id, account_id, region, matches, after_id, limit)

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


class TagRepository(_Repository):
    table = schema.tags
    _insert = PreparedInsert(table)

    # The scope columns are only checked, never used to pick an index: without statistics
    # SQLite would walk every tag of the region through the covering ``(account, region,
    # key, value, resource_id)`` index instead of the resources' few rows.
    _of_resources = Prepared(lambda n: (
        sa.select(TagRepository.table.c.resource_id, TagRepository.table.c.key, TagRepository.table.c.value)
        .where(
            _OrderingOnly(TagRepository.table.c.account_id) == sa.bindparam("account"),
            _OrderingOnly(TagRepository.table.c.region) == sa.bindparam("region"),
            TagRepository.table.c.resource_id.in_(Prepared.id_list(n)),
        )
        .order_by(TagRepository.table.c.resource_id, TagRepository.table.c.key)
    ))

    def for_resources(
        self, account_id: str, region: str, resource_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, str]]]:
        """This account's tags on each resource in this region (tags are per account, even
        on a shared resource such as a public image)."""
        ids = list(resource_ids)
        result: dict[str, list[tuple[str, str]]] = defaultdict(list)
        scope = {"account": account_id, "region": region}
        for start in range(0, len(ids), 500):
            for resource_id, key, value in self._of_resources.tuples(self.conn, scope, ids[start : start + 500]):
                result[resource_id].append((key, value))
        return result

    def put(
        self,
        account_id: str,
        region: str,
        resource_id: str,
        resource_type: str,
        tags: Iterable[tuple[str, str]],
    ) -> None:
        pairs = dict(tags)
        if not pairs:
            return
        t = self.table
        self.conn.execute(
            t.delete().where(
                t.c.account_id == account_id,
                t.c.region == region,
                t.c.resource_id == resource_id,
                t.c.key.in_(list(pairs)),
            )
        )
        self.conn.execute(
            t.insert(),
            [
                {
                    "resource_id": resource_id,
                    "key": key,
                    "value": value,
                    "account_id": account_id,
                    "region": region,
                    "resource_type": resource_type,
                }
                for key, value in pairs.items()
            ],
        )

    def put_many(
        self,
        account_id: str,
        region: str,
        resource_ids: Iterable[str],
        resource_type: str,
        tags: Iterable[tuple[str, str]],
    ) -> None:
        """The same tags on many resources (replacing those keys): a delete and an insert
        per 500 resources, not per resource."""
        pairs = dict(tags)
        ids = list(resource_ids)
        if not pairs or not ids:
            return
        t = self.table
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.conn.execute(
                t.delete().where(
                    t.c.account_id == account_id,
                    t.c.region == region,
                    t.c.resource_id.in_(chunk),
                    t.c.key.in_(list(pairs)),
                )
            )
            self._insert.execute(
                self.conn,
                [
                    {"resource_id": resource_id, "key": key, "value": value, "account_id": account_id,
                     "region": region, "resource_type": resource_type}
                    for resource_id in chunk
                    for key, value in pairs.items()
                ],
            )

    def delete(
        self, account_id: str, region: str, resource_id: str, key: str, value: str | None = None
    ) -> None:
        t = self.table
        query = t.delete().where(
            t.c.account_id == account_id,
            t.c.region == region,
            t.c.resource_id == resource_id,
            t.c.key == key,
        )
        if value is not None:
            query = query.where(t.c.value == value)
        self.conn.execute(query)

    def find(
        self,
        account_id: str,
        region: str,
        matches: Iterable[Match] = (),
        *,
        after: tuple[str, str] | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Tags matching every criterion (fields: resource_id, resource_type, key, value)."""
        t = self.table
        query = sa.select(t).where(t.c.account_id == account_id, t.c.region == region)
        for match in matches:
            query = query.where(_pattern_clause(t.c[match.field], match.patterns))
        if after is not None:
            query = query.where(sa.tuple_(t.c.resource_id, t.c.key) > sa.tuple_(*(sa.literal(v) for v in after)))
        query = query.order_by(t.c.resource_id, t.c.key)
        if limit is not None:
            query = query.limit(limit)
        return [dict(row._mapping) for row in self.conn.execute(query)]


class ImageRepository(_Repository):
    table = schema.images

    def insert(self, row: Row) -> None:
        self.conn.execute(self.table.insert(), [row])

    def get(self, region: str, image_ids: Iterable[str]) -> dict[str, Row]:
        ids = list(image_ids)
        if not ids:
            return {}
        t = self.table
        query = sa.select(t).where(t.c.region == region, t.c.image_id.in_(ids))
        return {row.image_id: dict(row._mapping) for row in self.conn.execute(query)}

    def find(self, region: str, owners: Iterable[str] | None = None) -> list[Row]:
        t = self.table
        query = sa.select(t).where(t.c.region == region)
        if owners is not None:
            query = query.where(t.c.account_id.in_(list(owners)))
        return [dict(row._mapping) for row in self.conn.execute(query.order_by(t.c.image_id))]

    def delete(self, image_id: str) -> None:
        t, link = self.table, schema.image_snapshots
        self.conn.execute(link.delete().where(link.c.image_id == image_id))
        self.conn.execute(t.delete().where(t.c.image_id == image_id))

    def link_snapshots(self, image_id: str, snapshot_ids: Iterable[str]) -> None:
        """Record that ``image_id`` uses these snapshots (they cannot be deleted)."""
        rows = [{"image_id": image_id, "snapshot_id": s} for s in dict.fromkeys(snapshot_ids)]
        if rows:
            self.conn.execute(schema.image_snapshots.insert(), rows)


class SettingsRepository(_Repository):
    table = schema.settings
    # Counters are read and written on every launch: statements built once.
    _get = Prepared(lambda _: sa.select(SettingsRepository.table.c.value)
                    .where(SettingsRepository.table.c.key == sa.bindparam("key")))
    _update = (table.update().where(table.c.key == sa.bindparam("setting_key"))
               .values(value=sa.bindparam("encoded")))
    _insert = table.insert().values(key=sa.bindparam("setting_key"), value=sa.bindparam("encoded"))

    def get(self, key: str) -> Any:
        rows = self._get.tuples(self.conn, {"key": key})
        value = rows[0][0] if rows else None
        return None if value is None else json.loads(value)

    def set(self, key: str, value: Any) -> None:
        bound = {"setting_key": key, "encoded": json.dumps(value)}
        updated = self.conn.execute(self._update, bound)
        if updated.rowcount == 0:
            self.conn.execute(self._insert, bound)

    def next_counter(self, key: str, count: int = 1, start: int = 0) -> int:
        """Reserve ``count`` consecutive numbers under ``key``; returns the first."""
        current = self.get(key)
        first = start if current is None else int(current)
        self.set(key, first + count)
        return first


@dataclass(frozen=True)
class Due:
    """When the earliest timed transition of each kind falls due (``None``: none pending)."""

    instances: float | None
    volumes: float | None
    snapshots: float | None

    def any_by(self, now: float) -> bool:
        return any(due is not None and due <= now for due in (self.instances, self.volumes, self.snapshots))


def _earliest(table: sa.Table) -> sa.ScalarSelect[Any]:
    return sa.select(sa.func.min(table.c.due_at)).scalar_subquery()


# What a request reads first, in one round trip: a setting (the clock offset) and the
# earliest due time of each table with timed states (each an indexed MIN).
_REQUEST_START = Prepared(lambda _: sa.select(
    sa.select(schema.settings.c.value).where(schema.settings.c.key == sa.bindparam("key")).scalar_subquery(),
    _earliest(schema.instances),
    _earliest(schema.volumes),
    _earliest(schema.snapshots),
))


class UnitOfWork:
    """The repositories of one transaction, each made on first use (a request uses a few)."""

    instances: InstanceRepository
    volumes: VolumeRepository
    snapshots: SnapshotRepository
    tags: TagRepository
    images: ImageRepository
    settings: SettingsRepository
    iam: IamRepository
    settlement: SettlementRepository

    def __init__(self, conn: sa.Connection, managed_policies: Mapping[str, str] | None = None) -> None:
        self.conn = conn
        self.managed_policies = managed_policies

    def __getattr__(self, name: str) -> Any:
        repository = _REPOSITORIES.get(name)
        if repository is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        made = repository(self)
        setattr(self, name, made)
        return made

    def clear_everything(self) -> None:
        """Forget every row of every table (the admin reset)."""
        for table in reversed(schema.metadata.sorted_tables):
            self.conn.execute(table.delete())

    def request_start(self, setting_key: str) -> tuple[Any, Due]:
        """The setting ``setting_key`` (``None`` if unset) and the earliest due times, read
        in one statement inside this transaction, so every node sharing the database
        sees the transitions any of them scheduled."""
        [(value, instances, volumes, snapshots)] = _REQUEST_START.tuples(self.conn, {"key": setting_key})
        return (None if value is None else json.loads(value)), Due(instances, volumes, snapshots)


_REPOSITORIES: dict[str, Callable[[UnitOfWork], Any]] = {
    "instances": lambda uow: InstanceRepository(uow.conn), "volumes": lambda uow: VolumeRepository(uow.conn),
    "snapshots": lambda uow: SnapshotRepository(uow.conn), "tags": lambda uow: TagRepository(uow.conn),
    "images": lambda uow: ImageRepository(uow.conn), "settings": lambda uow: SettingsRepository(uow.conn),
    "iam": lambda uow: IamRepository(uow.conn, uow.managed_policies),
    "settlement": lambda uow: SettlementRepository(uow.conn),
}


class Store:
    """A database holding ec2emu's state."""

    def __init__(self, url: str) -> None:
        self.url = url
        # Documents of the policies AWS manages, by ARN: not rows, handed in by the owner
        # of the set (the application sets it; the store never imports it).
        self.managed_policies: Mapping[str, str] = {}
        self.engine = create_engine(url)
        migrate(self.engine)
        # SQLite: connections kept open between units of work (see unit_of_work).
        self._idle: list[tuple[sa.Connection, Any]] | None = None if is_postgresql(self.engine) else []

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction, committed when the block ends and rolled back on an exception.

        On PostgreSQL each unit of work checks a connection out of the pool, which pings
        it first, so that one broken by a restart of the database is replaced. On SQLite
        see :meth:`_sqlite_work`."""
        if self._idle is None:
            with self.engine.begin() as conn:
                yield UnitOfWork(conn, self.managed_policies)
            return
        conn, driver = self._checkout()
        try:
            yield UnitOfWork(conn, self.managed_policies)
        except BaseException:
            self._finish(conn, driver, commit=False)
            raise
        self._finish(conn, driver, commit=True)

    def transaction(self, work: Callable[[UnitOfWork], T]) -> T:
        """``work(uow)`` in one transaction; on PostgreSQL retried whole on a conflict."""
        if self._idle is not None:
            return self._sqlite_work(work)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self._validated(work)
            except Exception as error:
                if not is_conflict(error) or attempt == MAX_ATTEMPTS:
                    raise
            time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))
        raise AssertionError("unreachable")

    def settling_transaction(self, work: Callable[[UnitOfWork], T]) -> T:
        """``work(uow)`` in the settler's transaction. On PostgreSQL it runs at ``READ
        COMMITTED``: after its claim (an advisory lock) has waited for another node's
        settler, each statement sees what that one committed, so nothing is applied
        twice and nothing needs a retry but a deadlock; on SQLite it is an ordinary unit
        of work."""
        if self._idle is not None:
            return self._sqlite_work(work)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self.engine.connect().execution_options(isolation_level="READ COMMITTED") as conn:
                    with conn.begin():
                        return work(UnitOfWork(conn, self.managed_policies))
            except Exception as error:
                if not is_conflict(error) or attempt == MAX_ATTEMPTS:
                    raise
            time.sleep(random.uniform(0, min(0.1, 0.002 * 2**attempt)))
        raise AssertionError("unreachable")

    def _sqlite_work(self, work: Callable[[UnitOfWork], T]) -> T:
        """On SQLite a unit of work runs on the connection the last one gave back (its page
        cache warm), kept open rather than returned to the pool and checked out again,
        which costs more than a read of a few rows. Its transaction is begun and ended on
        the driver's connection (``BEGIN IMMEDIATE`` … ``COMMIT``): the prepared hot
        statements run there directly, and a statement run through SQLAlchemy joins it
        (the engine's ``begin`` listener sees the driver already in a transaction and
        starts none), SQLAlchemy's own transaction then being ended with it."""
        conn, driver = self._checkout()
        try:
            result = work(UnitOfWork(conn, self.managed_policies))
        except BaseException:
            self._finish(conn, driver, commit=False)
            raise
        self._finish(conn, driver, commit=True)
        return result

    def _checkout(self) -> tuple[sa.Connection, Any]:
        """An idle SQLite connection (or a new one) and its driver connection, in a new
        ``BEGIN IMMEDIATE`` transaction."""
        assert self._idle is not None
        try:
            conn, driver = self._idle.pop()
        except IndexError:
            conn = self.engine.connect()
            driver = conn.connection.driver_connection
        try:
            driver.execute("BEGIN IMMEDIATE")
        except BaseException:
            conn.close()
            raise
        return conn, driver

    def _finish(self, conn: sa.Connection, driver: Any, *, commit: bool) -> None:
        """End the transaction :meth:`_checkout` began; keep the connection for the next
        unit of work unless something left it in doubt."""
        assert self._idle is not None
        try:
            if conn.in_transaction():
                if commit:
                    conn.commit()
                else:
                    conn.rollback()
            elif commit:
                driver.commit()
            else:
                driver.rollback()
        finally:
            if conn.invalidated or conn.closed or conn.in_transaction() or driver.in_transaction:
                conn.close()
            else:
                self._idle.append((conn, driver))

    def _validated(self, work: Callable[[UnitOfWork], T]) -> T:
        failure: Exception | None = None
        with self.engine.begin() as conn:
            savepoint = conn.begin_nested()
            try:
                result = work(UnitOfWork(conn, self.managed_policies))
            except Exception as error:
                if is_database_error(error):
                    raise
                savepoint.rollback()
                failure = error
            else:
                savepoint.commit()
        if failure is not None:
            raise failure
        return result

    def close(self) -> None:
        while self._idle:
            self._idle.pop()[0].close()
        self.engine.dispose()
