"""Elastic IP addresses: rows, look-ups and listings, associations, and what maps public
addresses in a VPC.

An address row is read as the clock shows it (:mod:`ec2emu.store.shown`): associated with
an instance whose termination is over, it shows disassociated (the settler then stores
that). Its public address is unique across every account and region
(``ux_elastic_ips_public_ip``); the addresses of named instances are read through
``ix_elastic_ips_scope_instance``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import Row, ScopedRepository
from ec2emu.store.shown import shown

_A, _I = schema.elastic_ips, schema.instances
_OWNER = _I.alias("owner")


def _of_instances() -> sa.Select[Any]:
    view = shown(_A)
    return view.select(due=False).where(
        _A.c.account_id == sa.bindparam("account"), _A.c.region == sa.bindparam("region"),
        _A.c.instance_id.in_(sa.bindparam("instances", expanding=True)), view.c["instance_id"].is_not(None))


def _associated_in_vpc() -> sa.Select[Any]:
    """An address associated (as shown) with an instance of the VPC."""
    view = shown(_A)
    return (sa.select(_A.c.allocation_id).select_from(view.from_.join(_OWNER, _OWNER.c.instance_id == _A.c.instance_id))
            .where(_A.c.account_id == sa.bindparam("account"), _A.c.region == sa.bindparam("region"),
                   _A.c.instance_id.is_not(None), view.c["instance_id"].is_not(None),
                   _OWNER.c.vpc_id == sa.bindparam("vpc")).limit(1))


def _mapping_instances() -> sa.Select[Any]:
    """An instance of the VPC that maps a public address of Amazon's pool (in one of the
    bound states, as shown)."""
    view = shown(_I)
    return (sa.select(_I.c.instance_id).select_from(view.from_)
            .where(_I.c.account_id == sa.bindparam("account"), _I.c.region == sa.bindparam("region"),
                   _I.c.vpc_id == sa.bindparam("vpc"), _I.c.public_ip_on_launch.is_(True),
                   view.c["state"].in_(sa.bindparam("states", expanding=True)), view.present).limit(1))


_OF_INSTANCES = _of_instances()
_ASSOCIATED_IN_VPC = _associated_in_vpc()
_MAPPING_INSTANCES = _mapping_instances()


class ElasticIpRepository(ScopedRepository):
    """Elastic IPs, named by ``allocation_id`` (``eipalloc-`` and 17 hex digits)."""

    id_name = "allocation_id"
    table = schema.elastic_ips

    def insert(self, row: Row) -> None:
        self.conn.execute(self.table.insert(), [row])

    def update(self, allocation_id: str, values: dict[str, Any]) -> None:
        t = self.table
        self.conn.execute(t.update().where(t.c.allocation_id == allocation_id).values(**values))

    def delete(self, allocation_id: str) -> None:
        """The address and its tags."""
        t, tg = self.table, schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == allocation_id))
        self.conn.execute(t.delete().where(t.c.allocation_id == allocation_id))

    def is_taken(self, public_ip: str) -> bool:
        """Whether any account holds this public address."""
        t = self.table
        return self.conn.execute(sa.select(t.c.allocation_id).where(t.c.public_ip == public_ip)).first() is not None

    def of_instances(self, account_id: str, region: str, instance_ids: Iterable[str]) -> dict[str, Row]:
        """The address associated (as shown) with each of these instances, by instance."""
        ids = list(instance_ids)
        found: dict[str, Row] = {}
        for start in range(0, len(ids), 500):
            scope = {"account": account_id, "region": region, "instances": ids[start:start + 500], **self.binds}
            for row in self.conn.execute(_OF_INSTANCES, scope):
                found[row.instance_id] = dict(row._mapping)
        return found

    def maps_public_addresses(self, account_id: str, region: str, vpc_id: str, states: Iterable[str]) -> bool:
        """Whether the VPC has an Elastic IP associated, or an instance in one of ``states``
        with a public address of Amazon's pool (as shown)."""
        scope = {"account": account_id, "region": region, "vpc": vpc_id, **self.binds}
        if self.conn.execute(_ASSOCIATED_IN_VPC, scope).first() is not None:
            return True
        return self.conn.execute(_MAPPING_INSTANCES, {**scope, "states": list(states)}).first() is not None
