"""Network interfaces are read through their indexes: look-ups by ID (with their
addresses and groups), the common DescribeNetworkInterfaces filters, an instance's
interfaces and the interfaces using a group, never a ``SCAN`` of a table; and an
instance's termination shows (and settles) its interfaces gone or detached."""

from __future__ import annotations

import pytest

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import Match, Moment, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_interface_row, tag_match
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

SUBNET, VPC = "subnet-00000000000000001", "vpc-00000000000000001"
GROUP = [{"GroupId": "sg-00000000000000001", "GroupName": "web"}]


@pytest.fixture
def interface_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        instances = [make_instance_row(subnet_id=SUBNET, vpc_id=VPC, private_ip=f"10.0.0.{n}",
                                       state="shutting-down" if n == 4 else "running",
                                       due_at=100.0 if n == 4 else None) for n in (4, 5)]
        uow.instances.insert(instances)
        rows = [
            *(make_interface_row(row["instance_id"], subnet_id=SUBNET, vpc_id=VPC, private_ip=row["private_ip"],
                                 groups=GROUP) for row in instances),
            make_interface_row(instances[0]["instance_id"], subnet_id=SUBNET, vpc_id=VPC, private_ip="10.0.0.6",
                               addresses=["10.0.0.6", "10.0.0.7"], device_index=1, delete_on_termination=False),
            make_interface_row(None, subnet_id=SUBNET, vpc_id=VPC, private_ip="10.0.0.8", groups=GROUP),
        ]
        uow.network_interfaces.insert(rows)
        uow.tags.put(ACCOUNT, REGION, rows[0]["network_interface_id"], "network-interface", [("tier", "web")])
    return store



def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, ("network_interfaces", "network_interface_addresses", "network_interface_groups", "instances", "tags"))


def _ids(store: Store) -> list[str]:
    with store.unit_of_work() as uow:
        return [row["network_interface_id"] for row in uow.network_interfaces.find(ACCOUNT, REGION)]


def test_look_ups_and_filters_use_indexes(interface_store: Store) -> None:
    sqlite_only(interface_store)
    first = _ids(interface_store)[0]
    [plan, addresses, groups] = plans(interface_store,
                                      lambda uow: uow.network_interfaces.get(ACCOUNT, REGION, [first]))
    _assert(plan, "INDEX", "network_interface_id=?")
    _assert(addresses, "INDEX", "network_interface_id=?")
    _assert(groups, "INDEX", "network_interface_id=?")
    for match, index, constraint in [
        (Match("subnet_id", (SUBNET,)), "ix_network_interfaces_scope_subnet", "subnet_id=?"),
        (Match("vpc_id", (VPC,)), "ix_network_interfaces_scope_vpc", "vpc_id=?"),
        (Match("instance_id", ("i-00000000000000001",)), "ix_network_interfaces_scope_instance", "instance_id=?"),
        (Match("status", ("available",)), "ix_network_interfaces_scope_status", "status=?"),
        (Match("groups.group_id", ("sg-00000000000000001",)), "ix_network_interface_groups_scope_group",
         "group_id=?"),
        (Match("addresses.private_ip", ("10.0.0.7",)), "ix_network_interface_addresses_scope_ip", "private_ip=?"),
        (Match("attachment_id", ("eni-attach-1",)), "ix_network_interfaces_scope_attachment", "attachment_id=?"),
        (Match("client_token", ("token",)), "ix_network_interfaces_scope_token", "client_token=?"),
        (Match("description", ("x",)), "ix_network_interfaces_scope_description", "description=?"),
        (tag_match("tier", "web"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = plans(interface_store, lambda uow: uow.network_interfaces.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    # A page of the interfaces many share (a subnet's, a VPC's) is read in ID order from
    # the index, not sorted after reading every match.
    for field, value in (("subnet_id", SUBNET), ("vpc_id", VPC)):
        plan = plans(interface_store, lambda uow: uow.network_interfaces.find(
            ACCOUNT, REGION, [Match(field, (value,))], limit=6))[0]
        assert not any("TEMP B-TREE" in line for line in plan), plan
    # DescribeInstances' network-interface.* filters read the interfaces' scope indexes.
    plan = plans(interface_store, lambda uow: uow.instances.find(
        ACCOUNT, REGION, [Match("interfaces.network_interface_id", (first,))], limit=6))[0]
    _assert(plan, "INDEX", "network_interface_id=?")
    for match, index, constraint in [
        (Match("interfaces.status", ("in-use",)), "ix_network_interfaces_scope_status", "status=?"),
        (Match("interfaces.groups.group_id", ("sg-00000000000000001",)), "ix_network_interface_groups_scope_group",
         "group_id=?"),
        (Match("interfaces.addresses.private_ip", ("10.0.0.7",)), "ix_network_interface_addresses_scope_ip",
         "private_ip=?"),
    ]:
        plan = plans(interface_store, lambda uow: uow.instances.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    [plan, *_] = plans(interface_store, lambda uow: uow.network_interfaces.attached_to(["i-00000000000000001"]))
    _assert(plan, "ix_network_interfaces_instance", "instance_id=?")
    [plan] = plans(interface_store,
                   lambda uow: uow.network_interfaces.users_of_group(ACCOUNT, REGION, "sg-00000000000000001"))
    _assert(plan, "ix_network_interface_groups_scope_group", "group_id=?")


def test_a_termination_shows_interfaces_gone_or_detached(interface_store: Store) -> None:
    with interface_store.unit_of_work() as uow:
        repo = uow.network_interfaces
        [ending, running] = uow.instances.find(ACCOUNT, REGION)
        assert uow.subnets.addresses_held([SUBNET]) == {SUBNET: 5}
        assert len(repo.users_of_group(ACCOUNT, REGION, "sg-00000000000000001")) == 3
        assert [row["device_index"] for row in repo.attached_to([ending["instance_id"]])[ending["instance_id"]]] == [
            0, 1]
        tagged = repo.find(ACCOUNT, REGION)[0]["network_interface_id"]
        assert [row["resource_id"] for row in uow.tags.find(ACCOUNT, REGION, [])] == [tagged]
        uow.moment = Moment(200.0, Durations())
        assert uow.tags.find(ACCOUNT, REGION, []) == []  # its interface is gone, its tags with it
        # The primary interface is gone with the instance, the other one detached; the
        # addresses and the group are free again, before anything is settled.
        assert repo.attached_to([ending["instance_id"]]) == {}
        assert uow.subnets.addresses_held([SUBNET]) == {SUBNET: 4}
        assert uow.subnets.held_among(SUBNET, ["10.0.0.4", "10.0.0.6"]) == {"10.0.0.6"}
        assert len(repo.users_of_group(ACCOUNT, REGION, "sg-00000000000000001")) == 2
        detached = repo.find(ACCOUNT, REGION, [Match("status", ("available",))])
        assert sorted(row["private_ip"] for row in detached) == ["10.0.0.6", "10.0.0.8"]
        assert all(row["instance_id"] is None and row["attachment_id"] is None for row in detached)
        assert len(repo.find(ACCOUNT, REGION)) == 3
        assert running["instance_id"] in repo.attached_to([running["instance_id"]])
        # Instances are found by the interfaces they have now, and those interfaces' rows.
        for field, value in (("interfaces.status", "in-use"), ("interfaces.subnet_id", SUBNET),
                             ("interfaces.groups.group_id", "sg-00000000000000001"),
                             ("interfaces.addresses.private_ip", "10.0.0.5")):
            found = uow.instances.find(ACCOUNT, REGION, [Match(field, (value,))])
            assert [row["instance_id"] for row in found] == [running["instance_id"]], field
        assert uow.instances.find(ACCOUNT, REGION, [Match("interfaces.addresses.private_ip", ("10.0.0.7",))]) == []


def test_the_settler_persists_the_end_of_the_interfaces(interface_store: Store) -> None:
    primary = _ids(interface_store)[0]
    interface_store.settling_transaction(lambda uow: uow.settlement.settle(200.0, Durations()))
    with interface_store.unit_of_work() as uow:
        rows = uow.network_interfaces.find(ACCOUNT, REGION)
        assert sorted((row["private_ip"], row["status"]) for row in rows) == [
            ("10.0.0.5", "in-use"), ("10.0.0.6", "available"), ("10.0.0.8", "available")]
        assert uow.subnets.addresses_held([SUBNET]) == {SUBNET: 4}
        assert uow.tags.for_resources(ACCOUNT, REGION, [primary]) == {}
        assert uow.network_interfaces.get(ACCOUNT, REGION, [primary]) == {}
