"""Internet gateways: rows, look-ups and listings, attachment and deletion.

A gateway is attached to at most one VPC: its ``vpc_id`` and ``attachment_state``
(``available``) are set while it is, ``NULL`` otherwise, each indexed under the scope.
"""

from __future__ import annotations

from typing import Any

from ec2emu.store import schema
from ec2emu.store.queries import Row, ScopedRepository


class InternetGatewayRepository(ScopedRepository):
    id_name = "internet_gateway_id"
    table = schema.internet_gateways

    def insert(self, rows: list[Row]) -> None:
        if rows:
            self.conn.execute(self.table.insert(), rows)

    def update(self, gateway_id: str, values: dict[str, Any]) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.internet_gateway_id == gateway_id).values(**values))

    def delete(self, gateway_id: str) -> None:
        """The gateway and its tags."""
        t, tg = self.table, schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == gateway_id))
        self.conn.execute(t.delete().where(t.c.internet_gateway_id == gateway_id))
