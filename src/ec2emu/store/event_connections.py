"""EventBridge's connections and API destinations per account and region: a connection
or destination by name, listings in name order under a name prefix (connections in one
state, destinations of one connection), counts — every read a range of a primary key or
of an index (:mod:`ec2emu.store.event_connections_schema`).

A connection's secret values are written with it but read back only by
:meth:`EventConnectionRepository.credentials`, the one way to them (for delivery to an
API destination); every other read gives the parameters with the secrets taken out. A
destination is read with its state: ``ACTIVE`` while its connection is ``AUTHORIZED``,
``INACTIVE`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ec2emu.store import event_connections_schema
from ec2emu.store.queries import Repository, Row, name_page

_C = event_connections_schema.event_connections
_S = event_connections_schema.event_connection_secrets
_D = event_connections_schema.event_api_destinations

AUTHORIZED = "AUTHORIZED"


@dataclass(frozen=True)
class Scope:
    """An account in a region: where connections and API destinations live."""

    account_id: str
    region: str

    def of(self, table: sa.Table) -> list[sa.ColumnElement[bool]]:
        return [table.c.account_id == self.account_id, table.c.region == self.region]


_DESTINATION = sa.select(
    _D, sa.case((_C.c.state == AUTHORIZED, "ACTIVE"), else_="INACTIVE").label("state"),
).select_from(_D.outerjoin(_C, sa.and_(_C.c.account_id == _D.c.account_id, _C.c.region == _D.c.region,
                                        _C.c.name == _D.c.connection_name, _C.c.arn == _D.c.connection_arn)))


class EventConnectionRepository(Repository):
    """Connections and API destinations, named within a :class:`Scope`."""

    # ------------------------------------------------------------------ connections

    def get(self, scope: Scope, name: str) -> Row | None:
        """A connection (without its secret values)."""
        row = self.conn.execute(sa.select(_C).where(*scope.of(_C), _C.c.name == name)).mappings().first()
        return None if row is None else dict(row)

    def listing(self, scope: Scope, prefix: str, state: str | None, after: str | None, limit: int | None
                ) -> list[Row]:
        """The connections whose names begin with ``prefix`` (any for ``""``), in ``state``
        when given, in name order after the name ``after``."""
        query = sa.select(_C).where(*scope.of(_C))
        if state is not None:
            query = query.where(_C.c.state == state)
        return [dict(row) for row in self.conn.execute(name_page(query, _C.c.name, prefix, after, limit)).mappings()]

    def count(self, scope: Scope) -> int:
        return int(self.conn.execute(sa.select(sa.func.count()).select_from(_C).where(*scope.of(_C))).scalar_one())

    def put(self, row: Row, auth_parameters: dict[str, Any]) -> None:
        """Write a connection (``row``: the columns of ``event_connections``, its
        parameters without secrets) and its parameters as given, secrets included."""
        scope = Scope(row["account_id"], row["region"])
        self.delete(scope, row["name"])
        self.conn.execute(_C.insert().values(**row))
        self.conn.execute(_S.insert().values(account_id=scope.account_id, region=scope.region, name=row["name"],
                                             auth_parameters=auth_parameters))

    def update(self, scope: Scope, name: str, values: Row, auth_parameters: dict[str, Any] | None = None) -> None:
        """Change columns of a connection and, when given, its parameters as given."""
        self.conn.execute(_C.update().where(*scope.of(_C), _C.c.name == name).values(**values))
        if auth_parameters is not None:
            self.conn.execute(_S.update().where(*scope.of(_S), _S.c.name == name)
                              .values(auth_parameters=auth_parameters))

    def credentials(self, scope: Scope, name: str) -> dict[str, Any] | None:
        """The connection's authorization parameters as given, secret values included:
        for delivery only, never for an answer."""
        query = sa.select(_S.c.auth_parameters).where(*scope.of(_S), _S.c.name == name)
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else dict(found)

    def delete(self, scope: Scope, name: str) -> None:
        """Forget the connection and its secret values."""
        self.conn.execute(_S.delete().where(*scope.of(_S), _S.c.name == name))
        self.conn.execute(_C.delete().where(*scope.of(_C), _C.c.name == name))

    # ------------------------------------------------------------------ API destinations

    def destination(self, scope: Scope, name: str) -> Row | None:
        """An API destination, with its ``state``."""
        query = _DESTINATION.where(*scope.of(_D), _D.c.name == name)
        row = self.conn.execute(query).mappings().first()
        return None if row is None else dict(row)

    def destinations(self, scope: Scope, prefix: str, connection: tuple[str, str] | None, after: str | None,
                     limit: int | None) -> list[Row]:
        """The API destinations whose names begin with ``prefix``, of the connection
        ``connection`` (its name and ARN) when given, in name order after the name ``after``."""
        query = _DESTINATION.where(*scope.of(_D))
        if connection is not None:
            query = query.where(_D.c.connection_name == connection[0], _D.c.connection_arn == connection[1])
        return [dict(row) for row in self.conn.execute(name_page(query, _D.c.name, prefix, after, limit)).mappings()]

    def destination_count(self, scope: Scope) -> int:
        query = sa.select(sa.func.count()).select_from(_D).where(*scope.of(_D))
        return int(self.conn.execute(query).scalar_one())

    def in_use(self, scope: Scope, connection: str) -> bool:
        """Whether an API destination uses the connection named ``connection``."""
        query = sa.select(_D.c.name).where(*scope.of(_D), _D.c.connection_name == connection).limit(1)
        return self.conn.execute(query).first() is not None

    def put_destination(self, row: Row) -> None:
        """Write an API destination (``row``: the columns of ``event_api_destinations``),
        replacing one of its name."""
        scope = Scope(row["account_id"], row["region"])
        self.delete_destination(scope, row["name"])
        self.conn.execute(_D.insert().values(**row))

    def delete_destination(self, scope: Scope, name: str) -> None:
        self.conn.execute(_D.delete().where(*scope.of(_D), _D.c.name == name))
