"""Elastic IP addresses: rows, look-ups and listings, associations, and what maps public
addresses in a VPC.

An association names the network interface and the private address the public one maps to
(``network_interface_id``, ``private_ip``) and, while that interface is attached, its
instance (``instance_id``). An address row is read as the clock shows it
(:mod:`ec2emu.store.shown`): associated through an interface that goes with its
instance's termination, it shows disassociated from that moment; through one that
survives it (detached), it shows associated still, without the instance (the settler then
stores that). Its public address is unique across every account and region
(``ux_elastic_ips_public_ip``); the addresses of named instances are read through
``ix_elastic_ips_scope_instance``, those of named interfaces through
``ix_elastic_ips_scope_interface``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared
from ec2emu.store.queries import Row, ScopedRepository
from ec2emu.store.shown import shown

_A, _I, _N = schema.elastic_ips, schema.instances, schema.network_interfaces
_OWNER = _I.alias("owner")


def _of_instances(n: int) -> sa.Select[Any]:
    view = shown(_A)
    return view.select(due=False).where(
        _A.c.account_id == sa.bindparam("account"), _A.c.region == sa.bindparam("region"),
        _A.c.instance_id.in_(Prepared.id_list(n)), view.c["instance_id"].is_not(None))


def _of_interfaces(n: int) -> sa.Select[Any]:
    view = shown(_A)
    return view.select(due=False).where(
        _A.c.account_id == sa.bindparam("account"), _A.c.region == sa.bindparam("region"),
        _A.c.network_interface_id.in_(Prepared.id_list(n)), view.c["association_id"].is_not(None))


def _associated_in_vpc() -> sa.Select[Any]:
    """An address associated (as shown) with an instance of the VPC."""
    view = shown(_A)
    return (sa.select(_A.c.allocation_id).select_from(view.from_.join(_OWNER, _OWNER.c.instance_id == _A.c.instance_id))
            .where(_A.c.account_id == sa.bindparam("account"), _A.c.region == sa.bindparam("region"),
                   _A.c.instance_id.is_not(None), view.c["instance_id"].is_not(None),
                   _OWNER.c.vpc_id == sa.bindparam("vpc")).limit(1))


def _on_detached_interfaces() -> sa.Select[Any]:
    """An address associated (as shown) with a detached interface of the VPC."""
    view = shown(_A)
    in_vpc = sa.select(_N.c.network_interface_id).where(
        _N.c.account_id == sa.bindparam("account"), _N.c.region == sa.bindparam("region"),
        _N.c.vpc_id == sa.bindparam("vpc"))
    return (sa.select(_A.c.allocation_id).select_from(view.from_)
            .where(_A.c.account_id == sa.bindparam("account"), _A.c.region == sa.bindparam("region"),
                   _A.c.network_interface_id.in_(in_vpc), view.c["association_id"].is_not(None),
                   view.c["instance_id"].is_(None)).limit(1))


def _mapping_instances() -> sa.Select[Any]:
    """An instance of the VPC that maps a public address of Amazon's pool (in one of the
    bound states, as shown)."""
    view = shown(_I)
    return (sa.select(_I.c.instance_id).select_from(view.from_)
            .where(_I.c.account_id == sa.bindparam("account"), _I.c.region == sa.bindparam("region"),
                   _I.c.vpc_id == sa.bindparam("vpc"), _I.c.public_ip_on_launch.is_(True),
                   view.c["state"].in_(sa.bindparam("states", expanding=True)), view.present).limit(1))


_OF_INSTANCES = Prepared(_of_instances)
_ASSOCIATED_IN_VPC = _associated_in_vpc()
_ON_DETACHED_INTERFACES = _on_detached_interfaces()
_OF_INTERFACES = Prepared(_of_interfaces)
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

    def of_instances(self, account_id: str, region: str, instance_ids: Iterable[str]) -> dict[str, list[Row]]:
        """The addresses associated (as shown) with each of these instances (through any
        of its interfaces), by instance."""
        return self._by(_OF_INSTANCES, "instance_id", account_id, region, instance_ids)

    def of_interfaces(self, account_id: str, region: str, interface_ids: Iterable[str]) -> dict[str, list[Row]]:
        """The addresses associated (as shown) with each of these interfaces, by interface."""
        return self._by(_OF_INTERFACES, "network_interface_id", account_id, region, interface_ids)

    def _by(self, statement: Prepared, column: str, account_id: str, region: str,
            wanted: Iterable[str]) -> dict[str, list[Row]]:
        ids = list(wanted)
        found: dict[str, list[Row]] = {}
        scope = {"account": account_id, "region": region, **self.binds}
        for start in range(0, len(ids), 500):
            for row in statement.dicts(self.conn, scope, ids[start:start + 500]):
                found.setdefault(row[column], []).append(row)
        return found

    def follow_interface(self, account_id: str, region: str, interface_id: str, instance_id: str | None) -> None:
        """The addresses associated with the interface now name the instance it is
        attached to (``None``: it was detached)."""
        t = self.table
        self.conn.execute(t.update().where(t.c.account_id == account_id, t.c.region == region,
                                           t.c.network_interface_id == interface_id,
                                           t.c.association_id.is_not(None)).values(instance_id=instance_id))

    def maps_public_addresses(self, account_id: str, region: str, vpc_id: str, states: Iterable[str]) -> bool:
        """Whether the VPC has an Elastic IP associated (through an instance, or a
        detached interface), or an instance in one of ``states`` with a public address of
        Amazon's pool (as shown)."""
        scope = {"account": account_id, "region": region, "vpc": vpc_id, **self.binds}
        for statement in (_ASSOCIATED_IN_VPC, _ON_DETACHED_INTERFACES):
            if self.conn.execute(statement, scope).first() is not None:
                return True
        return self.conn.execute(_MAPPING_INSTANCES, {**scope, "states": list(states)}).first() is not None
