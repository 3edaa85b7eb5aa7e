"""What the repositories' queries share: criteria, index hints, look-ups by ID.

Matching: a :class:`Match` names a field and a tuple of values that are OR'd. A value is
exact (``=``, so an index serves it), a :class:`Between` (a span of numbers, the index
serves it too), a :class:`Pattern` (literal pieces and :class:`Wildcard` markers, which
become case-sensitive ``LIKE`` texts — a run of optional characters spelled once per
length — or, past :data:`MAX_LIKE_SPELLINGS`, a regular expression), or a
:class:`TimeText` (a pattern met by a time column written as ISO-8601 text); these
values and their SQL are in :mod:`ec2emu.store.patterns`. The field is a column
name, :data:`TAG_KEY` / :data:`TAG_VALUE` for the resource's tags (with ``tag``
naming the key whose value is matched), or ``<relation>.<field>`` for a field of rows
held in a child table (:data:`CHILDREN`: a VPC's CIDR blocks; the field may itself be a
child's, as an instance's interfaces' groups are); tag and child criteria
resolve through those tables' indexes. The store knows no API's filter syntax: a service turns its own (EC2's
``tag:Name`` filters, ``*`` and ``?``) into these.

Index choice: a filtered listing is ordered by instance ID for paging. Without table
statistics SQLite would rather walk the ``(account, region, instance_id)`` index in
order than use the index of the filtered column and sort, reading every instance of
the region. When a criterion other than the ID is present, the ordering (and the
``after_id`` bound) are therefore written so that they cannot drive the index choice
(:class:`OrderingOnly`, a unary ``+`` on SQLite), and the filtered column's index is
used; other dialects plan from statistics and get the plain column. A column whose index
ends with the ID (``(account, region, column, id)``: filters many rows share, such as a
network interface's subnet), matched on one stored value, gets the plain ordering: its
index gives a page in ID order with no sort. The same hint keeps
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
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ec2emu.store import schema
from ec2emu.store.patterns import Between as Between
from ec2emu.store.patterns import Pattern as Pattern
from ec2emu.store.patterns import TimeText as TimeText
from ec2emu.store.patterns import Wildcard as Wildcard
from ec2emu.store.patterns import iso_time as iso_time
from ec2emu.store.patterns import pattern_clause as pattern_clause
from ec2emu.store.patterns import value_matches
from ec2emu.store.prepared import Prepared
from ec2emu.store.shown import PASSED, STORED, Moment, Shown, rows_shown, shown

Row = dict[str, Any]


@dataclass(frozen=True)
class Match:
    """``field`` equals any of ``patterns`` (a :class:`Pattern` matches by its wildcards);
    ``tag`` is the key whose value a :data:`TAG_VALUE` criterion matches (``None``: any)."""

    field: str
    patterns: tuple[Any, ...]
    tag: str | None = None


TAG_KEY = "tag_key"
TAG_VALUE = "tag_value"

# Fields a table's rows hold in another table, named ``<relation>.<column>``: relation ->
# (the child table, its column naming the parent's ID). A criterion on one is met by the
# rows that have a child meeting it (the child's scope index serves it).
CHILDREN: dict[str, dict[str, tuple[sa.Table, str]]] = {
    "vpcs": {"cidr_blocks": (schema.vpc_cidr_blocks, "vpc_id")},
    "route_tables": {"routes": (schema.routes, "route_table_id"),
                     "associations": (schema.route_table_associations, "route_table_id")},
    "instances": {"interfaces": (schema.network_interfaces, "instance_id"),
                  "volumes": (schema.volumes, "instance_id")},
    "network_interfaces": {"addresses": (schema.network_interface_addresses, "network_interface_id"),
                           "groups": (schema.network_interface_groups, "network_interface_id")},
}


class OrderingOnly(FunctionElement[str]):
    """A column used for ordering, a range bound or a mere check, never to pick an index
    (SQLite)."""

    name = "ordering_only"
    inherit_cache = True
    type = sa.String()


@compiles(OrderingOnly)
def compile_ordering_only(element: OrderingOnly, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(OrderingOnly, "sqlite")
def compile_ordering_only_sqlite(element: OrderingOnly, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


class JsonRows(FunctionElement[Any]):
    """An aggregate: the rows of a subquery as one JSON array of arrays, ``[]`` or NULL
    when there are none (``json_group_array`` on SQLite, ``json_agg`` on PostgreSQL)."""

    name = "json_rows"
    inherit_cache = True
    type = sa.JSON()


@compiles(JsonRows)
def compile_json_rows(element: JsonRows, compiler: Any, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"


@compiles(JsonRows, "sqlite")
def compile_json_rows_sqlite(element: JsonRows, compiler: Any, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


# The columns of an attachment among an instance's details, in this order.

def _child_subquery(table: sa.Table, account_id: str, region: str, match: Match) -> sa.Select[Any]:
    """The parents having a child that meets ``match``; a child with timed rows (an
    instance's network interfaces) as readers see it at the bound moment: one gone or
    detached with its instance's termination names no parent."""
    relation, column = match.field.split(".", 1)
    child, parent = CHILDREN[table.name][relation]
    view = view_of(child)
    if view is None:
        return sa.select(child.c[parent]).where(child.c.account_id == account_id, child.c.region == region,
                                                pattern_clause(child.c[column], match.patterns))
    query = sa.select(view.c[parent]).select_from(view.from_).where(
        child.c.account_id == account_id, child.c.region == region,
        match_clause(child, view.id_column, account_id, region, Match(column, match.patterns)))
    return query.where(view.present) if view.gone_possible else query


def _tag_subquery(account_id: str, region: str, match: Match) -> sa.Select[Any]:
    t = schema.tags
    query = sa.select(t.c.resource_id).where(t.c.account_id == account_id, t.c.region == region)
    if match.field == TAG_KEY:
        return query.where(pattern_clause(t.c.key, match.patterns))
    if match.tag is not None:
        query = query.where(t.c.key == match.tag)
    return query.where(pattern_clause(t.c.value, match.patterns))


TIMED = (schema.instances, schema.volumes, schema.snapshots, schema.images, schema.elastic_ips,
         schema.network_interfaces, schema.volume_modifications, schema.snapshot_tiers)


def keyed_rows(statement: Prepared, conn: sa.Connection, scope: dict[str, Any], wanted: Iterable[str],
               key: str) -> dict[str, Row]:
    """The rows ``statement`` finds for these keys (its ID list, 500 at a time), by the
    value of their column ``key``."""
    keys = list(dict.fromkeys(wanted))
    found: dict[str, Row] = {}
    for start in range(0, len(keys), 500):
        for row in statement.dicts(conn, scope, keys[start:start + 500]):
            found[row[key]] = row
    return found


def view_of(table: sa.Table) -> Shown | None:
    """``table`` as readers see it, if its rows have timed states (:mod:`ec2emu.store.shown`)."""
    return shown(table) if table in TIMED else None


def select_shown(table: sa.Table, *extra: Any, due: bool = True) -> sa.Select[Any]:
    """``table``'s rows as readers see them (a table without timed states as it is);
    ``due``: with the column a writer's reads check (:func:`~ec2emu.store.shown.rows_shown`)."""
    view = view_of(table)
    return sa.select(table, *extra) if view is None else view.select(*extra, due=due)


def match_clause(
    table: sa.Table, id_column: sa.Column[Any], account_id: str, region: str, match: Match
) -> sa.ColumnElement[bool]:
    """The WHERE clause for one criterion on ``table``: on its shown value where the
    column has one, with the stored column restricted so that its index serves."""
    if match.field in (TAG_KEY, TAG_VALUE):
        return id_column.in_(_tag_subquery(account_id, region, match))
    if "." in match.field:
        return id_column.in_(_child_subquery(table, account_id, region, match))
    view = view_of(table)
    if view is None or not view.is_shown(match.field):
        return pattern_clause(table.c[match.field], match.patterns)
    patterns = match.patterns
    vocabulary = view.vocabulary(match.field)
    if vocabulary is not None:  # a state: the wildcards matched against the states it can be
        patterns = tuple(state for state in vocabulary if any(value_matches(p, state) for p in patterns))
        if not patterns:
            return sa.false()
    tested = pattern_clause(view.c[match.field], patterns)
    sources = view.sources(match.field, lambda value: any(value_matches(p, value) for p in patterns))
    exact = [p for p in patterns if not isinstance(p, Pattern | Between | TimeText)]
    if sources is None or len(exact) != len(patterns):
        return tested
    return sa.and_(pattern_clause(table.c[match.field], [*exact, *sorted(sources - set(exact))]), tested)


class Repository:
    """A repository on a unit of work's connection; ``moment`` gives the time its reads
    show rows at (:class:`~ec2emu.store.shown.Moment`)."""

    def __init__(self, conn: sa.Connection, moment: Callable[[], Moment] = lambda: STORED) -> None:
        self.conn = conn
        self.moment = moment

    @property
    def binds(self) -> dict[str, float]:
        return self.moment().binds()

    @property
    def writing(self) -> bool:
        """Whether reads are a writer's, which check for due rows."""
        return self.moment().settles

    def shown(self, rows: list[Row]) -> list[Row]:
        """Rows of a timed table as read (see :func:`~ec2emu.store.shown.rows_shown`)."""
        return rows_shown(rows, self.moment())


@functools.cache
def _paged_columns(table: sa.Table, id_name: str) -> frozenset[str]:
    """The columns of ``table`` with an ``(account, region, column, id)`` index."""
    return frozenset(
        names[2] for names in ([column.name for column in index.columns] for index in table.indexes)
        if len(names) == 4 and names[:2] == ["account_id", "region"] and names[3] == id_name)


def find_ids(
    conn: sa.Connection,
    table: sa.Table,
    id_column: sa.Column[Any],
    account_id: str,
    region: str,
    matches: Iterable[Match],
    after_id: str | None,
    limit: int | None,
    binds: dict[str, float],
) -> list[str]:
    """The IDs of ``table``'s rows shown at the bound moment that match every criterion,
    in order, after ``after_id`` (see the module's note on the index choice). Only the
    IDs: the rows are then read by ID through a prepared statement, so that a listing
    does not build (and have SQLAlchemy walk, for its statement cache) the shown
    columns' expressions each time."""
    criteria = list(matches)
    view = view_of(table)
    query = sa.select(id_column).where(table.c.account_id == account_id, table.c.region == region)
    if view is not None:
        query = query.select_from(view.from_)
        if view.gone_possible:
            query = query.where(view.present)
    for match in criteria:
        query = query.where(match_clause(table, id_column, account_id, region, match))
    in_order = {id_column.name, *_paged_columns(table, id_column.name)}
    by_id_only = all(match.field == id_column.name or (
        match.field in in_order and len(match.patterns) == 1
        and not isinstance(match.patterns[0], Pattern | Between | TimeText)
        and (view is None or not view.is_shown(match.field)))  # a shown column may match stored others
        for match in criteria)
    order: sa.ColumnElement[Any] = id_column if by_id_only else OrderingOnly(id_column)
    if after_id is not None:
        query = query.where(order > after_id)
    query = query.order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return [row[0] for row in conn.execute(query, binds)]


def find_rows(
    conn: sa.Connection,
    table: sa.Table,
    id_column: sa.Column[Any],
    account_id: str,
    region: str,
    matches: Iterable[Match],
    after_id: str | None,
    limit: int | None,
    binds: dict[str, float],
    due: bool = True,
) -> list[Row]:  # with the due column of a timed table for a writer (see rows_shown)
    """Rows of ``table`` as shown at the bound moment, matching every criterion, ordered
    by ID, after ``after_id`` (:func:`find_ids`, then the rows by ID)."""
    ids = find_ids(conn, table, id_column, account_id, region, matches, after_id, limit, binds)
    found = get_rows(conn, table, id_column, account_id, region, ids, binds, due)
    return [found[resource_id] for resource_id in ids if resource_id in found]


def named_in_scope(query: sa.Select[Any], table: sa.Table, id_column: sa.Column[Any], n: int) -> sa.Select[Any]:
    """``query`` for the rows of ``n`` IDs (``id_0`` …) in the bound ``account`` and
    ``region``."""
    return query.where(id_column.in_(Prepared.id_list(n)), table.c.account_id == sa.bindparam("account"),
                       table.c.region == sa.bindparam("region"))


@cache
def by_ids(table: sa.Table, id_column: sa.Column[Any], due: bool) -> Prepared:
    """``table``'s rows with these IDs in a scope as shown at the bound moment, run on the
    driver connection (bound: the IDs, ``account``, ``region``, the moment); ``due``: a
    writer's, with the due column."""
    return Prepared(lambda n: named_in_scope(select_shown(table, due=due), table, id_column, n))


@cache
def stored_by_ids(table: sa.Table, id_column: sa.Column[Any]) -> Prepared | None:
    """``table``'s rows with these IDs in a scope as stored, with whether a due time of
    each has passed (:meth:`~ec2emu.store.shown.Shown.stored_select`); ``None`` for a
    table whose rows show as stored, or whose shown values are not all guarded so."""
    view = view_of(table)
    if view is None or not view.gated:
        return None
    return Prepared(lambda n: named_in_scope(view.stored_select(), table, id_column, n))


def stored_first(conn: sa.Connection, stored: Prepared | None, shown_query: Prepared, scope: dict[str, Any],
                 ids: list[str]) -> list[Row]:
    """The rows of ``ids`` as ``shown_query`` gives them: read through ``stored`` first
    (a statement with :data:`~ec2emu.store.shown.PASSED`), and through ``shown_query``
    only when a due time of one of them has passed (the settler has not moved it yet)."""
    read = None if stored is None else stored.dicts(conn, scope, ids)
    if read is None or [row for row in read if row.pop(PASSED)]:
        read = shown_query.dicts(conn, scope, ids)
    return read


def get_rows(
    conn: sa.Connection, table: sa.Table, id_column: sa.Column[Any], account_id: str, region: str,
    wanted: Iterable[str], binds: dict[str, float], due: bool = True,
) -> dict[str, Row]:
    """The rows with these IDs in a scope as shown at the bound moment (see
    :func:`by_ids`), 500 IDs a statement, each read as :func:`stored_first` reads."""
    ids = list(wanted)
    found: dict[str, Row] = {}
    query, stored = by_ids(table, id_column, due), stored_by_ids(table, id_column)
    key = id_column.name
    scope = {"account": account_id, "region": region, **binds}
    for start in range(0, len(ids), 500):
        for row in stored_first(conn, stored, query, scope, ids[start : start + 500]):
            found[row[key]] = row
    return found


def children_of(conn: sa.Connection, relation: tuple[sa.Table, str], parent_ids: Iterable[str],
                *order: str) -> dict[str, list[Row]]:
    """The child rows (``relation``: the child table and its column naming the parent, as in
    :data:`CHILDREN`) of each parent, ordered by ``order`` within a parent; read through the
    child table's index on that column, 500 parents a statement."""
    table, parent = relation
    query = _children_statement(table, parent, order)
    ids = list(parent_ids)
    found: dict[str, list[Row]] = {}
    for start in range(0, len(ids), 500):
        for row in query.dicts(conn, {}, ids[start:start + 500]):
            found.setdefault(row[parent], []).append(row)
    return found


@functools.cache
def _children_statement(table: sa.Table, parent: str, order: tuple[str, ...]) -> Prepared:
    return Prepared(lambda n: sa.select(table).where(table.c[parent].in_(Prepared.id_list(n)))
                    .order_by(table.c[parent], *(table.c[column] for column in order)))


class ScopedRepository(Repository):
    """Resources kept per account and region and named by an ID column: look-ups by ID
    and listings by criteria, the same for every such table."""

    table: sa.Table
    id_name: str

    def get(self, account_id: str, region: str, resource_ids: Iterable[str]) -> dict[str, Row]:
        """The named resources of this scope that exist, by ID."""
        rows = get_rows(self.conn, self.table, self.table.c[self.id_name], account_id, region, resource_ids,
                        self.binds, self.writing)
        self.shown(list(rows.values()))
        return rows

    def find(
        self,
        account_id: str,
        region: str,
        matches: Iterable[Match] = (),
        *,
        after_id: str | None = None,
        limit: int | None = None,
        **options: Any,
    ) -> list[Row]:
        """Resources matching every criterion, ordered by ID, after ``after_id``: the page's
        IDs found (:func:`find_ids`), then its rows read as :meth:`get` reads them (with
        ``options``), so a subclass that adds to :meth:`get` adds to listings too."""
        ids = find_ids(self.conn, self.table, self.table.c[self.id_name], account_id, region, matches, after_id,
                       limit, self.binds)
        found = self.get(account_id, region, ids, **options)
        return [found[resource_id] for resource_id in ids if resource_id in found]

    def count_where(self, account_id: str, region: str, matches: Iterable[Match] = ()) -> int:
        """How many resources of this scope meet every criterion (a table without timed states)."""
        t = self.table
        query = sa.select(sa.func.count()).select_from(t).where(t.c.account_id == account_id, t.c.region == region)
        for match in matches:
            query = query.where(match_clause(t, t.c[self.id_name], account_id, region, match))
        count: int = self.conn.execute(query).scalar_one()
        return count


@functools.cache
def _marked(table: sa.Table) -> Prepared:
    """A scope's (``account``, ``region``) row in ``table`` (a table of marks: one at most)."""
    return Prepared(lambda _: sa.select(table.c.account_id).where(
        table.c.account_id == sa.bindparam("account"), table.c.region == sa.bindparam("region")))


class ScopeMarks:
    """The scopes (account and region) a table of ``(account_id, region)`` rows marks —
    those whose derived resources have become rows —, each read once per unit of work."""

    def __init__(self, conn: sa.Connection, table: sa.Table) -> None:
        self.conn = conn
        self.table = table
        self._known: dict[tuple[str, str], bool] = {}

    def is_marked(self, account_id: str, region: str) -> bool:
        known = self._known.get((account_id, region))
        if known is None:
            found = _marked(self.table).tuples(self.conn, {"account": account_id, "region": region})
            known = self._known[(account_id, region)] = bool(found)
        return known

    def mark(self, account_id: str, region: str) -> None:
        self.conn.execute(self.table.insert().values(account_id=account_id, region=region))
        self._known[(account_id, region)] = True


def after_prefix(prefix: str) -> str:
    """The least text greater than every text beginning with ``prefix`` (``prefix`` not empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def name_page(query: Any, column: Any, prefix: str = "", after: str | None = None, limit: int | None = None) -> Any:
    """``query`` narrowed to the rows whose ``column`` begins with ``prefix`` (any for
    ``""``) and comes after ``after``, in ``column`` order, at most ``limit`` of them: a
    page of a listing by name, one range of the index that ends in ``column``."""
    if prefix:
        query = query.where(column >= prefix, column < after_prefix(prefix))
    if after is not None:
        query = query.where(column > after)
    query = query.order_by(column)
    return query if limit is None else query.limit(limit)
