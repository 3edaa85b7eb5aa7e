"""Subnets: rows, look-ups and listings, and the private addresses held in them.

Every address held in a subnet is a row of ``network_interface_addresses`` (an
interface's primary address — an instance's is its primary interface's — and its
secondary ones), each counted once. An interface holds its addresses until it is
deleted, or, attached with DeleteOnTermination, until its instance's termination is over,
as the clock shows it (:mod:`ec2emu.store.shown`). The reads go through
``ix_network_interface_addresses_subnet`` (``subnet_id``, ``private_ip``, the interface),
then each address's interface and its instance by their keys — except the counts: a
subnet's addresses are counted from that index alone, less those of interfaces gone with
an instance whose termination is over but not yet settled, found from the instances'
``due_at`` index (few: the settler applies them as they fall due), so a count does not
read each address's interface and instance.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import Match, Row, ScopedRepository
from ec2emu.store.shown import ENDED, NOW, ended_join, shown

_A, _N = schema.network_interface_addresses, schema.network_interfaces
# The addresses with their interface as shown: one gone with its instance holds nothing.
_HELD = _A.join(shown(_N).from_, _N.c.network_interface_id == _A.c.network_interface_id)
_PRESENT = shown(_N).present

_SUBNETS: sa.BindParameter[list[str]] = sa.bindparam("subnets", expanding=True)
_COUNTS = (sa.select(_A.c.subnet_id, sa.func.count().label("held"))
           .where(_A.c.subnet_id.in_(_SUBNETS)).group_by(_A.c.subnet_id))
# Interfaces gone with an instance whose termination is due, not yet settled; then how
# many addresses they held in the subnets.
_ENDED_GONE = (sa.select(_N.c.network_interface_id).select_from(ENDED.join(_N, ended_join(_N)))
               .where(ENDED.c.due_at <= NOW, sa.not_(_PRESENT)))
_GONE_COUNTS = (sa.select(_A.c.subnet_id, sa.func.count().label("gone"))
                .where(_A.c.network_interface_id.in_(sa.bindparam("gone", expanding=True)),
                       _A.c.subnet_id.in_(_SUBNETS))
                .group_by(_A.c.subnet_id))
_ANY = (sa.select(_A.c.subnet_id).select_from(_HELD)
        .where(_A.c.subnet_id == sa.bindparam("subnet"), _PRESENT).limit(1))
_AMONG = (sa.select(_A.c.private_ip).select_from(_HELD)
          .where(_A.c.subnet_id == sa.bindparam("subnet"),
                 _A.c.private_ip.in_(sa.bindparam("addresses", expanding=True)), _PRESENT))


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
        """How many addresses are held in each subnet (subnets without any left out)."""
        ids = list(subnet_ids)
        held: dict[str, int] = {}
        gone = [row[0] for row in self.conn.execute(_ENDED_GONE, self.binds)] if ids else []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for subnet_id, count in self.conn.execute(_COUNTS, {"subnets": chunk}):
                held[subnet_id] = count
            for part in range(0, len(gone), 500):
                for subnet_id, count in self.conn.execute(_GONE_COUNTS, {"subnets": chunk,
                                                                         "gone": gone[part:part + 500]}):
                    held[subnet_id] -= count
        return {subnet_id: count for subnet_id, count in held.items() if count}

    def holds_addresses(self, subnet_id: str) -> bool:
        """Whether an interface still holds an address in (lives in) the subnet."""
        return self.conn.execute(_ANY, {"subnet": subnet_id, **self.binds}).first() is not None

    def held_among(self, subnet_id: str, addresses: list[str]) -> set[str]:
        """Which of ``addresses`` are held in the subnet."""
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
