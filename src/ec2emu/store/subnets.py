"""Subnets: rows, look-ups and listings, and the private addresses their instances hold.

An instance holds its address in its subnet until its termination is over: the addresses
are read from the instances as the clock shows them (:mod:`ec2emu.store.shown`: a
terminated instance's ``subnet_id`` and ``private_ip`` are released), through
``ix_instances_subnet_addresses`` (``subnet_id``, ``private_ip``, ``state``, ``due_at``),
which covers every column those reads test, so counting a subnet's addresses or checking
the candidates for a launch reads the index alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import Match, Row, ScopedRepository
from ec2emu.store.shown import shown

_I = schema.instances


def _holding() -> list[sa.ColumnElement[bool]]:
    """Instances (as shown) that still hold their address in their subnet."""
    view = shown(_I)
    return [view.c["subnet_id"].is_not(None), view.present]


_COUNTS = (sa.select(_I.c.subnet_id, sa.func.count().label("held")).select_from(shown(_I).from_)
           .where(_I.c.subnet_id.in_(sa.bindparam("subnets", expanding=True)), *_holding())
           .group_by(_I.c.subnet_id))
_ANY = (sa.select(_I.c.subnet_id).select_from(shown(_I).from_)
        .where(_I.c.subnet_id == sa.bindparam("subnet"), *_holding()).limit(1))
_AMONG = (sa.select(_I.c.private_ip).select_from(shown(_I).from_)
          .where(_I.c.subnet_id == sa.bindparam("subnet"),
                 _I.c.private_ip.in_(sa.bindparam("addresses", expanding=True)), *_holding()))


class SubnetRepository(ScopedRepository):
    id_name = "subnet_id"
    table = schema.subnets

    def in_vpc(self, account_id: str, region: str, vpc_id: str) -> list[Row]:
        """Every subnet of a VPC, by ID."""
        return self.find(account_id, region, [Match("vpc_id", (vpc_id,))])

    def count_in_vpc(self, account_id: str, region: str, vpc_id: str) -> int:
        t = self.table
        query = sa.select(sa.func.count()).select_from(t).where(
            t.c.account_id == account_id, t.c.region == region, t.c.vpc_id == vpc_id)
        count: int = self.conn.execute(query).scalar_one()
        return count

    # ------------------------------------------------------------------ addresses held

    def addresses_held(self, subnet_ids: Iterable[str]) -> dict[str, int]:
        """How many addresses each subnet's instances hold (subnets without any left out)."""
        ids = list(subnet_ids)
        held: dict[str, int] = {}
        for start in range(0, len(ids), 500):
            for subnet_id, count in self.conn.execute(_COUNTS, {"subnets": ids[start:start + 500], **self.binds}):
                held[subnet_id] = count
        return held

    def holds_addresses(self, subnet_id: str) -> bool:
        """Whether an instance still holds an address in the subnet."""
        return self.conn.execute(_ANY, {"subnet": subnet_id, **self.binds}).first() is not None

    def held_among(self, subnet_id: str, addresses: list[str]) -> set[str]:
        """Which of ``addresses`` an instance of the subnet holds."""
        held: set[str] = set()
        for start in range(0, len(addresses), 500):
            chunk = addresses[start:start + 500]
            held.update(row[0] for row in self.conn.execute(_AMONG, {"subnet": subnet_id, "addresses": chunk,
                                                                     **self.binds}))
        return held

    # ------------------------------------------------------------------ writes

    def insert(self, rows: list[Row]) -> None:
        if rows:
            self.conn.execute(self.table.insert(), rows)

    def update(self, subnet_id: str, values: dict[str, Any]) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.subnet_id == subnet_id).values(**values))

    def delete(self, subnet_id: str) -> None:
        """The subnet and its tags."""
        t, tg = self.table, schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == subnet_id))
        self.conn.execute(t.delete().where(t.c.subnet_id == subnet_id))
