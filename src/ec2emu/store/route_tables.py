"""Route tables: rows with their routes and associations, look-ups and listings, and the
writes to each.

A route table read through :meth:`RouteTableRepository.get` or
:meth:`RouteTableRepository.find` carries its ``routes`` (by destination) and its
``associations`` (by ID), read for the whole page in two more statements; criteria may
name them as ``routes.<column>`` and ``associations.<column>``
(:data:`~ec2emu.store.queries.CHILDREN`), served by the scope indexes of ``routes`` and
``route_table_associations``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ec2emu.store import schema
from ec2emu.store.queries import CHILDREN, Row, ScopedRepository, children_of

_ROUTES = CHILDREN["route_tables"]["routes"]
_ASSOCIATIONS = CHILDREN["route_tables"]["associations"]


class RouteTableRepository(ScopedRepository):
    id_name = "route_table_id"
    table = schema.route_tables
    routes = schema.routes
    associations = schema.route_table_associations

    # ------------------------------------------------------------------ reads

    def get(self, account_id: str, region: str, resource_ids: Iterable[str]) -> dict[str, Row]:
        rows = super().get(account_id, region, resource_ids)
        self._with_children(list(rows.values()))
        return rows

    def _with_children(self, rows: list[Row]) -> list[Row]:
        ids = [row["route_table_id"] for row in rows]
        routes = children_of(self.conn, _ROUTES, ids, "destination_cidr_block")
        associations = children_of(self.conn, _ASSOCIATIONS, ids, "association_id")
        for row in rows:
            row["routes"] = routes.get(row["route_table_id"], [])
            row["associations"] = associations.get(row["route_table_id"], [])
        return rows

    # ------------------------------------------------------------------ writes

    def insert(self, row: Row) -> None:
        """A route table (its ``routes`` and ``associations`` rows inserted with it)."""
        values = {key: value for key, value in row.items() if key not in ("routes", "associations")}
        self.conn.execute(self.table.insert(), [values])
        self.add_routes(row.get("routes") or [])
        for association in row.get("associations") or []:
            self.associate(association)

    def add_routes(self, rows: list[Row]) -> None:
        if rows:
            self.conn.execute(self.routes.insert(), rows)

    def update_route(self, route_table_id: str, destination: str, values: dict[str, Any]) -> None:
        r = self.routes
        self.conn.execute(r.update().where(r.c.route_table_id == route_table_id,
                                           r.c.destination_cidr_block == destination).values(**values))

    def delete_route(self, route_table_id: str, destination: str) -> None:
        r = self.routes
        self.conn.execute(r.delete().where(r.c.route_table_id == route_table_id,
                                           r.c.destination_cidr_block == destination))

    def set_route_states(self, account_id: str, region: str, gateway_id: str, state: str,
                         route_table_ids: Iterable[str] | None = None) -> None:
        """The state of every route of the scope to a gateway (of those tables only, if given)."""
        r = self.routes
        query = r.update().where(r.c.account_id == account_id, r.c.region == region, r.c.gateway_id == gateway_id)
        if route_table_ids is not None:
            query = query.where(r.c.route_table_id.in_(list(route_table_ids)))
        self.conn.execute(query.values(state=state))

    def associate(self, row: Row) -> None:
        self.conn.execute(self.associations.insert(), [row])

    def update_association(self, association_id: str, values: dict[str, Any]) -> None:
        a = self.associations
        self.conn.execute(a.update().where(a.c.association_id == association_id).values(**values))

    def disassociate(self, association_id: str) -> None:
        a = self.associations
        self.conn.execute(a.delete().where(a.c.association_id == association_id))

    def disassociate_subnet(self, account_id: str, region: str, subnet_id: str) -> None:
        """A subnet's explicit association, if it has one (the subnet is deleted)."""
        a = self.associations
        self.conn.execute(a.delete().where(a.c.account_id == account_id, a.c.region == region,
                                           a.c.subnet_id == subnet_id))

    def delete(self, route_table_id: str) -> None:
        """The table, its routes, its associations and its tags."""
        tg = schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == route_table_id))
        for table in (self.routes, self.associations, self.table):
            self.conn.execute(table.delete().where(table.c.route_table_id == route_table_id))
