"""Hot read statements run on the driver connection of a unit of work's connection.

A request that describes one instance runs a handful of indexed look-ups that each take
a few microseconds in the database, while executing a statement through SQLAlchemy's
``Connection.execute`` costs 20–40 µs (execution context, cache key, result set, row
objects). :class:`Prepared` keeps the statement a SQLAlchemy Core construct, compiles
it once per dialect (and per number of IDs in its ``IN`` list), and runs the SQL text
on the very DBAPI connection the :class:`sqlalchemy.Connection` holds, so it sees and
takes part in the same transaction; the text is the dialect's own, so it is as portable
as any other statement of the store. Where each driver parameter comes from (a named
parameter or a position in the ID list) is worked out when compiling.

Parameters are sent by name, also to SQLite (compiled in its ``named`` style, which the
driver takes as well as ``qmark``): a statement that shows rows at the request's moment
names ``now`` and a few durations dozens of times over (:mod:`ec2emu.store.shown`), and
SQLite binds a name once however often it stands, where each ``?`` is one value more to
gather and bind. A statement whose names SQLAlchemy would have to escape keeps the
dialect's positional style.

What SQLAlchemy would still do is kept: when the engine has ``before_cursor_execute``
or ``after_cursor_execute`` listeners, the statement runs on a cursor they see (with
``None`` for the execution context, which is not created); column values go through
each column type's result processor for this dialect and the cursor's column types
(booleans and JSON on SQLite, for instance), computed on the first execution;
parameters must be of types that need no bind processing (checked when compiling; a
float column's, which only makes a float of the value, is taken as given), which holds
for the strings and numbers these statements take. A value the statement binds itself
(``state == "shutting-down"``) is sent with it, as SQLAlchemy would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

Row = dict[str, Any]


# The lengths an ID list is padded to: powers of two, and the largest chunk a repository
# sends (longer lists are sent as they are).
_LENGTHS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 500)


def _run(conn: sa.Connection, cursor: Any, statement: str, parameters: Any, *, many: bool) -> None:
    """Execute on the driver's cursor, telling SQLAlchemy's ``before_cursor_execute`` and
    ``after_cursor_execute`` listeners as its own execution would."""
    dispatch = conn.dispatch
    if dispatch.before_cursor_execute:
        for listener in dispatch.before_cursor_execute:
            statement, parameters = listener(conn, cursor, statement, parameters, None, many)
    if many:
        cursor.executemany(statement, parameters)
    else:
        cursor.execute(statement, parameters)
    if dispatch.after_cursor_execute:
        for listener in dispatch.after_cursor_execute:
            listener(conn, cursor, statement, parameters, None, many)


def _processed(row: tuple[Any, ...], processors: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, processor in processors:
        values[index] = processor(values[index])
    return values


def _padded_length(n: int) -> int:
    for length in _LENGTHS:
        if n <= length:
            return length
    return n


class _Compiled:
    """One statement's SQL text for one dialect, with where each driver parameter comes
    from and the result processors."""

    def __init__(self, statement: sa.Select[Any], dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=_by_name(dialect))
        if compiled.escaped_bind_names:  # names the named style would alter: by position
            compiled = statement.compile(dialect=dialect)
        for name, bind in compiled.binds.items():
            if bind.type._cached_bind_processor(dialect) is not None and not isinstance(bind.type, sa.Float):
                raise TypeError(f"parameter {name!r} needs bind processing; not a prepared statement")
        self.sql = str(compiled)
        # By position: per parameter, the index of an ID in the ID list or the name of a
        # parameter. By name (``None``): a dict, the IDs under :attr:`id_names`.
        self.sources: tuple[int | str, ...] | None = (
            tuple(_source(name) for name in compiled.positiontup or ())
            if compiled.positional else None
        )
        ids = sorted((index, name) for name in compiled.binds if (index := _id_index(name)) is not None)
        self.id_names = tuple(name for _, name in ids)
        # The values the statement binds itself (a comparison with a constant), by name.
        self.fixed = {name: value for name, value in compiled.params.items() if value is not None}
        self.names = tuple(column[1] for column in compiled._result_columns)
        self.types = tuple(column[3] for column in compiled._result_columns)
        self.dialect = dialect
        # (index, processor) per column that has one; computed from the first cursor.
        self.processors: list[tuple[int, Callable[[Any], Any]]] | None = None

    def parameters(self, params: dict[str, Any], ids: list[Any]) -> Any:
        if self.fixed:
            params = {**self.fixed, **params}
        sources = self.sources
        if sources is None:
            if not ids:
                return params
            named = dict(params)
            named.update(zip(self.id_names, ids))
            return named
        return tuple([ids[source] if source.__class__ is int else params[source]  # type: ignore[index]
                      for source in sources])

    def processors_for(self, description: Any) -> list[tuple[int, Callable[[Any], Any]]]:
        if self.processors is None:
            found: list[tuple[int, Callable[[Any], Any]]] = []
            for index, (type_, column) in enumerate(zip(self.types, description)):
                processor = type_._cached_result_processor(self.dialect, column[1])
                if processor is not None:
                    found.append((index, processor))
            self.processors = found
            return found
        return self.processors


_NAMED_SQLITE = sqlite.dialect(paramstyle="named")


def _by_name(dialect: sa.Dialect) -> sa.Dialect:
    """The dialect to compile ``dialect``'s statements with: SQLite's in its named style."""
    return _NAMED_SQLITE if dialect.name == "sqlite" else dialect


def _id_index(name: str) -> int | None:
    """The position in the ID list of the parameter ``id_<i>``; ``None`` for another."""
    if name.startswith("id_") and name[3:].isdigit():
        return int(name[3:])
    return None


def _source(name: str) -> int | str:
    """Where a positional parameter's value comes from: an index in the ID list, or the
    name of a parameter."""
    index = _id_index(name)
    return name if index is None else index


class Prepared:
    """A SELECT built by ``build(n)`` — ``n`` the length of its list of IDs, bound as
    ``id_0`` … ``id_<n-1>`` (``build`` ignores ``n`` when the statement has none) —
    compiled once per dialect and ``n``."""

    def __init__(self, build: Callable[[int], sa.Select[Any]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, int], _Compiled] = {}

    def _for(self, dialect: sa.Dialect, n: int) -> _Compiled:
        key = (dialect.name, n)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self._build(n), dialect)
        return compiled

    def _execute(self, conn: sa.Connection, params: dict[str, Any], ids: list[Any] | None
                 ) -> tuple[_Compiled, list[tuple[Any, ...]], list[tuple[int, Callable[[Any], Any]]]]:
        """The compiled statement, its rows as the driver gives them, and the result
        processors their values go through (:meth:`tuples` and :meth:`dicts` apply them).

        The list of IDs is padded (its last ID repeated, which an ``IN`` list ignores) to
        one of a few lengths, so that few texts are compiled and kept."""
        n = 0
        if ids:
            n = _padded_length(len(ids))
            if n > len(ids):
                ids = ids + [ids[-1]] * (n - len(ids))
        compiled = self._for(conn.dialect, n)
        parameters = compiled.parameters(params, ids or [])
        driver = conn.connection.dbapi_connection
        dispatch = conn.dispatch
        if dispatch.before_cursor_execute or dispatch.after_cursor_execute:
            cursor = driver.cursor()  # type: ignore[union-attr]
            _run(conn, cursor, compiled.sql, parameters, many=False)
        else:
            cursor = driver.execute(compiled.sql, parameters)  # type: ignore[union-attr]
        try:
            rows = cast("list[tuple[Any, ...]]", cursor.fetchall())
            processors = compiled.processors_for(cursor.description)
        finally:
            cursor.close()
        return compiled, rows, processors

    def tuples(self, conn: sa.Connection, params: dict[str, Any],
               ids: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """The rows as tuples in the statement's column order, values processed."""
        _, rows, processors = self._execute(conn, params, ids)
        if not processors:
            return rows
        return [tuple(_processed(row, processors)) for row in rows]

    def dicts(self, conn: sa.Connection, params: dict[str, Any], ids: list[Any] | None = None) -> list[Row]:
        """The rows as dicts keyed by column name, values processed."""
        compiled, rows, processors = self._execute(conn, params, ids)
        names = compiled.names
        if not processors:
            return [dict(zip(names, row)) for row in rows]
        return [dict(zip(names, _processed(row, processors))) for row in rows]

    @staticmethod
    def id_list(n: int, type_: sa.types.TypeEngine[Any] | None = None) -> list[sa.BindParameter[Any]]:
        """``n`` bound parameters ``id_0`` … for an ``IN`` list."""
        return [sa.bindparam(f"id_{i}", type_=type_ or sa.String()) for i in range(n)]


class PreparedInsert:
    """An ``INSERT`` of many rows into ``table``, run as one ``executemany`` per set of
    keys on the driver's cursor of the unit of work's connection.

    Compiled once per dialect and set of keys. As SQLAlchemy would: a column missing from
    the rows that has a constant Python-side ``default`` gets it, and values go through
    each column type's bind processor (JSON encoding, booleans on SQLite).
    """

    def __init__(self, table: sa.Table) -> None:
        self.table = table
        self._compiled: dict[tuple[str, tuple[str, ...]], _CompiledInsert] = {}

    def _for(self, dialect: sa.Dialect, keys: tuple[str, ...]) -> _CompiledInsert:
        cache_key = (dialect.name, keys)
        found = self._compiled.get(cache_key)
        if found is None:
            found = self._compiled[cache_key] = _CompiledInsert(self.table, dialect, keys)
        return found

    def execute(self, conn: sa.Connection, rows: list[Row]) -> None:
        """Insert ``rows``: one ``executemany`` per distinct set of keys among them."""
        groups: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            groups.setdefault(tuple(row), []).append(row)
        for keys, group in groups.items():
            self._execute(conn, keys, group)

    def _execute(self, conn: sa.Connection, keys: tuple[str, ...], rows: list[Row]) -> None:
        compiled = self._for(conn.dialect, keys)
        parameters = compiled.parameters(rows)
        statement = compiled.sql
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            _run(conn, cursor, statement, parameters, many=True)
        finally:
            cursor.close()


class _CompiledInsert:
    def __init__(self, table: sa.Table, dialect: sa.Dialect, keys: tuple[str, ...]) -> None:
        self.table = table
        unknown = set(keys) - set(table.c.keys())
        if unknown:
            raise KeyError(f"{table.name} has no columns {sorted(unknown)}")
        values: dict[str, Any] = {}
        constants: dict[str, Any] = {}
        for column in table.columns:
            if column.key not in keys:
                if column.default is None:
                    continue
                if not column.default.is_scalar:
                    raise TypeError(f"{table.name}.{column.key}: only constant defaults are supported")
                constants[column.key] = column.default.arg  # type: ignore[attr-defined]
            values[column.key] = sa.bindparam(column.key, type_=column.type)
        compiled = table.insert().values(values).compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        self.names = tuple(compiled.positiontup or ()) if self.positional else tuple(values)
        # Per parameter: the row key (or None for a constant), the constant, the processor.
        self.sources = [
            (None if name in constants else name, constants.get(name),
             table.c[name].type._cached_bind_processor(dialect))
            for name in self.names
        ]

    def parameters(self, rows: list[Row]) -> list[Any]:
        sources = self.sources
        result: list[Any] = []
        for row in rows:
            values = []
            for key, constant, processor in sources:
                value = constant if key is None else row[key]
                values.append(value if processor is None else processor(value))
            result.append(tuple(values) if self.positional else dict(zip(self.names, values)))
        return result


_TUPLE_INSERTS: dict[tuple[str, str, str, tuple[str, ...]], tuple[str, tuple[int, ...] | None, bool]] = {}


def insert_tuples(conn: sa.Connection, table: sa.Table, columns: tuple[str, ...],
                  rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows``, tuples of plain strings and numbers in ``columns``' order, in one
    ``executemany`` with no per-value processing (for columns that need none: a JSON
    value is given as its text). The ``INSERT`` is the dialect's own SQL, compiled once
    per table, dialect and columns."""
    if not rows:
        return
    key = (table.name, conn.dialect.name, conn.dialect.paramstyle, columns)
    found = _TUPLE_INSERTS.get(key)
    if found is None:
        compiled = table.insert().values({name: sa.bindparam(name) for name in columns}).compile(dialect=conn.dialect)
        order = tuple(compiled.positiontup or ())
        at = None if not compiled.positional or order == columns else tuple(columns.index(name) for name in order)
        found = _TUPLE_INSERTS[key] = (str(compiled), at, bool(compiled.positional))
    sql, at, positional = found
    parameters: list[Any]
    if not positional:
        parameters = [dict(zip(columns, row)) for row in rows]
    elif at is None:
        parameters = rows
    else:
        parameters = [tuple(row[i] for i in at) for row in rows]
    conn.exec_driver_sql(sql, parameters)
