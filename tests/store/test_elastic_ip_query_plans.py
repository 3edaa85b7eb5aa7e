"""Elastic IPs in the store: DescribeAddresses' look-ups and filters, the addresses of named
instances and interfaces, an interface's addresses following its attachment, and the
detach check read through indexes (never a ``SCAN`` of the table);
an address associated with an instance whose termination is due shows disassociated to a
reader without being written (one on an interface that outlives the instance, associated
still), and the settler stores it so."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.lifecycle.machines import Durations
from ec2emu.store import schema
from ec2emu.store.repository import Match, Moment, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_interface_row, tag_match
from tests.store.test_query_plans import assert_indexed, listing, plans, sqlite_only

VPC = "vpc-00000000000000000"
INSTANCE = "i-00000000000000001"


def address_row(n: int, instance_id: str | None = None) -> dict[str, Any]:
    return {"allocation_id": f"eipalloc-{n:017x}", "account_id": ACCOUNT, "region": REGION,
            "public_ip": f"44.192.0.{n}", "domain": "vpc", "network_border_group": REGION, "allocate_time": 0.0,
            "association_id": f"eipassoc-{n:017x}" if instance_id else None, "instance_id": instance_id,
            "network_interface_id": None, "network_interface_owner_id": ACCOUNT if instance_id else None,
            "private_ip": "10.0.0.5" if instance_id else None}


@pytest.fixture
def address_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        uow.instances.insert([make_instance_row(instance_id=INSTANCE, vpc_id=VPC, subnet_id="subnet-0",
                                                private_ip="10.0.0.5", state="shutting-down", due_at=100.0)])
        for n in range(1, 5):
            uow.elastic_ips.insert(address_row(n, INSTANCE if n == 1 else None))
        uow.tags.put(ACCOUNT, REGION, "eipalloc-00000000000000003", "elastic-ip", [("tier", "web")])
    return store



def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, ('elastic_ips', 'tags',))


def test_look_ups_and_filters_use_indexes(address_store: Store) -> None:
    sqlite_only(address_store)
    [plan] = plans(address_store, lambda uow: uow.elastic_ips.get(ACCOUNT, REGION, ["eipalloc-00000000000000001"]))
    _assert(plan, "INDEX", "allocation_id=?")
    for match, index, constraint in [
        (Match("public_ip", ("44.192.0.2",)), "ix_elastic_ips_scope_public_ip", "public_ip=?"),
        (Match("association_id", ("eipassoc-00000000000000001",)), "ix_elastic_ips_scope_association",
         "association_id=?"),
        (Match("instance_id", (INSTANCE,)), "ix_elastic_ips_scope_instance", "instance_id=?"),
        (Match("network_interface_id", ("eni-0",)), "ix_elastic_ips_scope_interface", "network_interface_id=?"),
        (Match("network_interface_owner_id", (ACCOUNT,)), "ix_elastic_ips_scope_interface_owner",
         "network_interface_owner_id=?"),
        (Match("private_ip", ("10.0.0.5",)), "ix_elastic_ips_scope_private_ip", "private_ip=?"),
        (Match("domain", ("vpc",)), "ix_elastic_ips_scope_domain", "domain=?"),
        (Match("network_border_group", (REGION,)), "ix_elastic_ips_scope_border_group", "network_border_group=?"),
        (tag_match("tier", "web"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = listing(address_store, lambda uow, m=match: uow.elastic_ips.find(ACCOUNT, REGION, [m]))
        _assert(plan, index, constraint)


def test_an_instance_s_address_and_the_detach_check_use_indexes(address_store: Store) -> None:
    sqlite_only(address_store)
    [plan] = plans(address_store, lambda uow: uow.elastic_ips.of_instances(ACCOUNT, REGION, [INSTANCE]))
    _assert(plan, "ix_elastic_ips_scope_instance", "instance_id=?")
    [plan] = plans(address_store, lambda uow: uow.elastic_ips.of_interfaces(ACCOUNT, REGION, ["eni-0"]))
    _assert(plan, "ix_elastic_ips_scope_interface", "network_interface_id=?")
    [plan] = plans(address_store, lambda uow: uow.elastic_ips.follow_interface(ACCOUNT, REGION, "eni-0", None))
    _assert(plan, "ix_elastic_ips_scope_interface", "network_interface_id=?")
    first, detached, second = plans(address_store, lambda uow: uow.elastic_ips.maps_public_addresses(
        ACCOUNT, REGION, "vpc-none", ["running"]))
    _assert(first, "ix_elastic_ips_scope", "account_id=?")
    _assert(detached, "ix_elastic_ips_scope_interface", "network_interface_id=?")
    assert "SCAN network_interfaces" not in "\n".join(detached)
    assert "SCAN instances" not in "\n".join(second) and any("ix_instances_scope_vpc" in line for line in second)


def _stored(store: Store) -> dict[str, Any]:
    with store.unit_of_work() as uow:
        row = uow.conn.execute(sa.select(schema.elastic_ips).where(
            schema.elastic_ips.c.allocation_id == "eipalloc-00000000000000001")).one()
        return dict(row._mapping)


def test_a_terminated_instance_s_address_shows_disassociated_then_is_settled(address_store: Store) -> None:
    with address_store.unit_of_work() as uow:
        uow.moment = Moment(99.0, Durations())
        assert uow.elastic_ips.of_instances(ACCOUNT, REGION, [INSTANCE])[INSTANCE][0]["association_id"]
        assert uow.elastic_ips.maps_public_addresses(ACCOUNT, REGION, VPC, ["running"])
        uow.moment = Moment(100.0, Durations())
        assert uow.elastic_ips.of_instances(ACCOUNT, REGION, [INSTANCE]) == {}
        [shown] = uow.elastic_ips.find(ACCOUNT, REGION, [Match("allocation_id", ("eipalloc-00000000000000001",))])
        assert {key: shown[key] for key in ("association_id", "instance_id", "private_ip")} == {
            "association_id": None, "instance_id": None, "private_ip": None}
        assert uow.elastic_ips.find(ACCOUNT, REGION, [Match("instance_id", (INSTANCE,))]) == []
        assert not uow.elastic_ips.maps_public_addresses(ACCOUNT, REGION, VPC, ["running"])
    assert _stored(address_store)["instance_id"] == INSTANCE  # the reader wrote nothing
    with address_store.unit_of_work() as uow:
        uow.settlement.settle(100.0, Durations())
    stored = _stored(address_store)
    assert stored["instance_id"] is None and stored["association_id"] is None
    assert stored["public_ip"] == "44.192.0.1"  # still allocated


def test_an_address_on_a_surviving_interface_stays_associated_without_its_instance(address_store: Store) -> None:
    kept = make_interface_row(INSTANCE, device_index=1, delete_on_termination=False, private_ip="10.0.0.6",
                              vpc_id=VPC)
    with address_store.unit_of_work() as uow:
        uow.network_interfaces.insert([kept])
        uow.elastic_ips.update("eipalloc-00000000000000002", {
            "association_id": "eipassoc-00000000000000002", "instance_id": INSTANCE,
            "network_interface_id": kept["network_interface_id"], "network_interface_owner_id": ACCOUNT,
            "private_ip": "10.0.0.6"})
    with address_store.unit_of_work() as uow:
        uow.moment = Moment(100.0, Durations())
        shown = uow.elastic_ips.of_interfaces(ACCOUNT, REGION, [kept["network_interface_id"]])
        [row] = shown[kept["network_interface_id"]]
        assert (row["association_id"], row["instance_id"]) == ("eipassoc-00000000000000002", None)
        assert uow.elastic_ips.of_instances(ACCOUNT, REGION, [INSTANCE]) == {}
        assert uow.elastic_ips.maps_public_addresses(ACCOUNT, REGION, VPC, ["running"])  # through the detached interface
    with address_store.unit_of_work() as uow:
        uow.settlement.settle(100.0, Durations())
        stored = dict(uow.conn.execute(sa.select(schema.elastic_ips).where(
            schema.elastic_ips.c.allocation_id == "eipalloc-00000000000000002")).one()._mapping)
    assert (stored["association_id"], stored["instance_id"], stored["network_interface_id"]) == (
        "eipassoc-00000000000000002", None, kept["network_interface_id"])
    assert _stored(address_store)["association_id"] is None  # the one without a surviving interface
