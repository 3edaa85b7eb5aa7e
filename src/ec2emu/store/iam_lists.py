"""What IAM's repositories share: the look-up of an entity by name (through its
``(account_id, name_key)`` index) and listings in name order — an account's entities
under a path, or those a link table relates to one owner — cut after a given
``name_key``, so that a page is a range scan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

Row = dict[str, Any]


def rows_of(result: Iterable[Any]) -> list[Row]:
    return [dict(row._mapping) for row in result]


def by_name(conn: sa.Connection, table: sa.Table, account_id: str, name: str) -> Row | None:
    """The row of ``table`` named ``name`` in the account (case-insensitively), or ``None``."""
    row = conn.execute(
        sa.select(table).where(table.c.account_id == account_id, table.c.name_key == name.lower())
    ).first()
    return None if row is None else dict(row._mapping)


def _page(conn: sa.Connection, query: sa.Select[Any], table: sa.Table, after: str | None,
          limit: int | None) -> list[Row]:
    if after is not None:
        query = query.where(table.c.name_key > after)
    query = query.order_by(table.c.name_key)
    if limit is not None:
        query = query.limit(limit)
    return rows_of(conn.execute(query))


def under_path(conn: sa.Connection, table: sa.Table, account_id: str, path_prefix: str | None,
               after: str | None, limit: int | None) -> list[Row]:
    """The account's rows of ``table`` whose path starts with ``path_prefix``, by name."""
    query = sa.select(table).where(table.c.account_id == account_id)
    if path_prefix and path_prefix != "/":
        query = query.where(sa.func.substr(table.c.path, 1, len(path_prefix)) == path_prefix)
    return _page(conn, query, table, after, limit)


def linked(conn: sa.Connection, table: sa.Table, link: sa.Table, owner: str, owner_id: str,
           after: str | None, limit: int | None) -> list[Row]:
    """The rows of ``table`` that ``link`` relates to ``owner_id`` (its column ``owner``;
    the two share the listed rows' ID column), by name."""
    key = next(column.name for column in table.primary_key.columns)
    query = sa.select(table).join(link, link.c[key] == table.c[key]).where(link.c[owner] == owner_id)
    return _page(conn, query, table, after, limit)
