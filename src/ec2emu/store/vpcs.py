"""VPCs: rows, their IPv4 CIDR blocks, look-ups and listings, and which scopes' networks
are stored.

A VPC row read through :meth:`VpcRepository.get` or :meth:`VpcRepository.find` carries its
CIDR blocks as ``cidr_blocks`` (rows of ``vpc_cidr_blocks`` in position order, the primary
block first), read for the whole page in one more statement; criteria may name them as
``cidr_blocks.<column>`` (:data:`~ec2emu.store.queries.CHILDREN`).

A scope (account and region) whose network is not stored has a derived default network,
which the service builds; :meth:`VpcRepository.mark_stored` records that the scope's
VPCs and subnets are all rows from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared
from ec2emu.store.queries import Row, ScopedRepository, ScopeMarks, children_of
from ec2emu.store.shown import STORED, Moment

_V = schema.vpcs


def _dns_settings(n: int) -> sa.Select[Any]:
    return sa.select(_V.c.vpc_id, _V.c.enable_dns_support & _V.c.enable_dns_hostnames).where(
        _V.c.account_id == sa.bindparam("account"), _V.c.region == sa.bindparam("region"),
        _V.c.vpc_id.in_(Prepared.id_list(n)))


_DNS_SETTINGS = Prepared(_dns_settings)


class VpcRepository(ScopedRepository):
    id_name = "vpc_id"
    table = schema.vpcs
    blocks = schema.vpc_cidr_blocks
    scopes = schema.network_scopes

    def __init__(self, conn: sa.Connection, moment: Callable[[], Moment] = lambda: STORED) -> None:
        super().__init__(conn, moment)
        self._marks = ScopeMarks(conn, self.scopes)

    # ------------------------------------------------------------------ scopes

    def is_stored(self, account_id: str, region: str) -> bool:
        """Whether the scope's network is stored (its default network no longer derived);
        read once per unit of work."""
        return self._marks.is_marked(account_id, region)

    def mark_stored(self, account_id: str, region: str) -> None:
        self._marks.mark(account_id, region)

    # ------------------------------------------------------------------ reads

    def get(self, account_id: str, region: str, resource_ids: Iterable[str]) -> dict[str, Row]:
        rows = super().get(account_id, region, resource_ids)
        self._with_blocks(list(rows.values()))
        return rows

    def gives_dns_names(self, account_id: str, region: str, vpc_ids: list[str]) -> dict[str, bool]:
        """For each of these stored VPCs, whether it gives public DNS names (both
        ``enableDnsSupport`` and ``enableDnsHostnames``); one not stored is left out."""
        scope = {"account": account_id, "region": region}
        return {vpc_id: bool(named) for vpc_id, named in _DNS_SETTINGS.tuples(self.conn, scope, vpc_ids)}

    def count(self, account_id: str, region: str) -> int:
        return self.count_where(account_id, region)

    def cidr_blocks_of(self, vpc_ids: Iterable[str]) -> dict[str, list[Row]]:
        """Each VPC's CIDR blocks, in position order."""
        return children_of(self.conn, (self.blocks, "vpc_id"), vpc_ids, "position")

    def cidr_block(self, account_id: str, region: str, association_id: str) -> Row | None:
        """The CIDR block association of this scope with that ID, if any."""
        b = self.blocks
        query = sa.select(b).where(b.c.account_id == account_id, b.c.region == region,
                                   b.c.association_id == association_id)
        row = self.conn.execute(query).first()
        return None if row is None else dict(row._mapping)

    def _with_blocks(self, rows: list[Row]) -> list[Row]:
        blocks = self.cidr_blocks_of(row["vpc_id"] for row in rows)
        for row in rows:
            row["cidr_blocks"] = blocks.get(row["vpc_id"], [])
        return rows

    # ------------------------------------------------------------------ writes

    def insert(self, row: Row) -> None:
        """A VPC (its ``cidr_blocks`` rows inserted with it)."""
        values = {key: value for key, value in row.items() if key != "cidr_blocks"}
        self.conn.execute(self.table.insert(), [values])
        for block in row.get("cidr_blocks") or []:
            self.add_cidr_block(block)

    def add_cidr_block(self, block: Row) -> None:
        self.conn.execute(self.blocks.insert(), [block])

    def remove_cidr_block(self, association_id: str) -> None:
        b = self.blocks
        self.conn.execute(b.delete().where(b.c.association_id == association_id))

    def update(self, vpc_id: str, values: dict[str, Any]) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.vpc_id == vpc_id).values(**values))

    def delete(self, vpc_id: str) -> None:
        """The VPC, its CIDR blocks and its tags."""
        t, b, tg = self.table, self.blocks, schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == vpc_id))
        self.conn.execute(b.delete().where(b.c.vpc_id == vpc_id))
        self.conn.execute(t.delete().where(t.c.vpc_id == vpc_id))
