"""Systems Manager parameters per account and region: the latest version of each (with its
tags) and the versions kept, looked up by name, by name and version, and listed in name
order under a path prefix — every read a range of a primary key
(:mod:`ec2emu.store.ssm_schema`).

A new version is written to both tables; versions beyond :data:`MAX_VERSIONS` are
forgotten, oldest first (Parameter Store keeps a parameter's last 100 versions).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import Repository, Row, name_page

MAX_VERSIONS = 100

_P = schema.ssm_parameters
_V = schema.ssm_parameter_versions


class SsmParameterRepository(Repository):
    """Parameters, named by ``name`` within an account and region."""

    def _scope(self, table: sa.Table, account_id: str, region: str) -> list[sa.ColumnElement[bool]]:
        return [table.c.account_id == account_id, table.c.region == region]

    def by_names(self, account_id: str, region: str, names: Iterable[str]) -> dict[str, Row]:
        """The latest version of each named parameter that exists, by name."""
        wanted = list(dict.fromkeys(names))
        found: dict[str, Row] = {}
        for start in range(0, len(wanted), 500):
            query = sa.select(_P).where(*self._scope(_P, account_id, region), _P.c.name.in_(wanted[start:start + 500]))
            for row in self.conn.execute(query).mappings():
                found[row["name"]] = dict(row)
        return found

    def get(self, account_id: str, region: str, name: str) -> Row | None:
        return self.by_names(account_id, region, [name]).get(name)

    def version(self, account_id: str, region: str, name: str, version: int) -> Row | None:
        """Version ``version`` of the parameter, if kept."""
        query = sa.select(_V).where(*self._scope(_V, account_id, region), _V.c.name == name, _V.c.version == version)
        row = self.conn.execute(query).mappings().first()
        return None if row is None else dict(row)

    def history(self, account_id: str, region: str, name: str, after: int | None, limit: int | None) -> list[Row]:
        """The versions kept of the parameter, oldest first, after version ``after``."""
        query = sa.select(_V).where(*self._scope(_V, account_id, region), _V.c.name == name)
        if after is not None:
            query = query.where(_V.c.version > after)
        query = query.order_by(_V.c.version)
        if limit is not None:
            query = query.limit(limit)
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def listing(self, account_id: str, region: str, prefix: str, after: str | None, limit: int | None) -> list[Row]:
        """The latest versions of the parameters whose names begin with ``prefix`` (any
        name for ``""``), in name order, after the name ``after``."""
        query = name_page(sa.select(_P).where(*self._scope(_P, account_id, region)), _P.c.name, prefix, after, limit)
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def put(self, row: Row) -> None:
        """Write a new version of a parameter (``row``: the columns of ``ssm_parameters``),
        replacing the latest, and keep it; forget versions beyond :data:`MAX_VERSIONS`."""
        account_id, region, name = row["account_id"], row["region"], row["name"]
        key = [*self._scope(_P, account_id, region), _P.c.name == name]
        self.conn.execute(_P.delete().where(*key))
        self.conn.execute(_P.insert().values(**row))
        version: dict[str, Any] = {column.name: row[column.name] for column in _V.columns}
        self.conn.execute(_V.insert().values(**version))
        oldest = row["version"] - MAX_VERSIONS
        if oldest > 0:
            self.conn.execute(_V.delete().where(*self._scope(_V, account_id, region), _V.c.name == name,
                                                _V.c.version <= oldest))

    def set_tags(self, account_id: str, region: str, name: str, tags: list[list[str]]) -> None:
        self.conn.execute(_P.update().where(*self._scope(_P, account_id, region), _P.c.name == name)
                          .values(tags=tags))

    def delete(self, account_id: str, region: str, names: Iterable[str]) -> None:
        """Forget the named parameters and all their versions."""
        wanted = list(dict.fromkeys(names))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            self.conn.execute(_V.delete().where(*self._scope(_V, account_id, region), _V.c.name.in_(chunk)))
            self.conn.execute(_P.delete().where(*self._scope(_P, account_id, region), _P.c.name.in_(chunk)))
