"""VPCs and subnets are read through their indexes: look-ups by ID, each filter column,
a VPC's CIDR blocks, and the addresses held in a subnet (read from the covering
``ix_network_interface_addresses_subnet``, then each interface by its key), never a
``SCAN`` of a table."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_interface_row, tag_match
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

SUBNET = "subnet-0fedcba9876543210"


def vpc_row(vpc_id: str, cidr: str) -> dict[str, Any]:
    return {"vpc_id": vpc_id, "account_id": ACCOUNT, "region": REGION, "cidr_block": cidr, "state": "available",
            "is_default": False, "instance_tenancy": "default", "dhcp_options_id": "dopt-0123",
            "enable_dns_support": True, "enable_dns_hostnames": False, "enable_network_address_usage_metrics": False,
            "create_time": 0.0,
            "cidr_blocks": [{"association_id": f"vpc-cidr-assoc-{vpc_id[4:]}", "vpc_id": vpc_id, "account_id": ACCOUNT,
                             "region": REGION, "cidr_block": cidr, "state": "associated", "position": 0}]}


def subnet_row(subnet_id: str, vpc_id: str, cidr: str, zone: str) -> dict[str, Any]:
    return {"subnet_id": subnet_id, "account_id": ACCOUNT, "region": REGION, "vpc_id": vpc_id,
            "availability_zone": zone, "availability_zone_id": "use1-az1", "cidr_block": cidr, "state": "available",
            "default_for_az": False, "map_public_ip_on_launch": False, "create_time": 0.0}


@pytest.fixture
def network_store(store: Store) -> Store:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        for n in range(3):
            uow.vpcs.insert(vpc_row(f"vpc-{n:017x}", f"10.{n}.0.0/16"))
            uow.subnets.insert([subnet_row(f"subnet-{n:017x}", f"vpc-{n:017x}", f"10.{n}.0.0/24", "us-east-1a")])
        uow.subnets.insert([subnet_row(SUBNET, "vpc-00000000000000000", "10.0.1.0/24", "us-east-1b")])
        instances = [make_instance_row(subnet_id=SUBNET, private_ip=f"10.0.1.{n}") for n in range(4, 8)]
        uow.instances.insert(instances)
        uow.network_interfaces.insert([make_interface_row(row["instance_id"], subnet_id=SUBNET,
                                                          private_ip=row["private_ip"]) for row in instances])
        uow.tags.put(ACCOUNT, REGION, SUBNET, "subnet", [("tier", "web")])
    return store


def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, ("vpcs", "vpc_cidr_blocks", "subnets", "instances", "tags", "network_interfaces", "network_interface_addresses"))


def test_vpc_look_ups_and_filters_use_indexes(network_store: Store) -> None:
    vpc_id = "vpc-00000000000000001"
    [plan, blocks] = plans(network_store, lambda uow: uow.vpcs.get(ACCOUNT, REGION, [vpc_id]))
    _assert(plan, "INDEX", "vpc_id=?")
    _assert(blocks, "ix_vpc_cidr_blocks_vpc", "vpc_id=?")
    for match, index, constraint in [
        (Match("cidr_block", ("10.1.0.0/16",)), "ix_vpcs_scope_cidr", "cidr_block=?"),
        (Match("is_default", (True,)), "ix_vpcs_scope_default", "is_default=?"),  # type: ignore[arg-type]
        (Match("cidr_blocks.cidr_block", ("10.1.0.0/16",)), "ix_vpc_cidr_blocks_scope_cidr", "cidr_block=?"),
        (Match("cidr_blocks.association_id", ("vpc-cidr-assoc-0",)), "INDEX", "association_id=?"),
        (Match("cidr_blocks.state", ("associated",)), "ix_vpc_cidr_blocks_scope_state", "state=?"),
        (tag_match("Name", "x"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = plans(network_store, lambda uow: uow.vpcs.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    plan = plans(network_store, lambda uow: uow.vpcs.find(ACCOUNT, REGION, after_id="vpc-0", limit=5))[0]
    _assert(plan, "ix_vpcs_scope_id", "vpc_id>?")
    [plan] = plans(network_store, lambda uow: uow.vpcs.cidr_block(ACCOUNT, REGION, "vpc-cidr-assoc-0"))
    _assert(plan, "INDEX", "association_id=?")


def test_subnet_look_ups_and_filters_use_indexes(network_store: Store) -> None:
    [plan] = plans(network_store, lambda uow: uow.subnets.get(ACCOUNT, REGION, [SUBNET]))
    _assert(plan, "INDEX", "subnet_id=?")
    for match, index, constraint in [
        (Match("vpc_id", ("vpc-00000000000000000",)), "ix_subnets_scope_vpc", "vpc_id=?"),
        (Match("availability_zone", ("us-east-1b",)), "ix_subnets_scope_zone", "availability_zone=?"),
        (Match("availability_zone_id", ("use1-az1",)), "ix_subnets_scope_zone_id", "availability_zone_id=?"),
        (Match("cidr_block", ("10.0.1.0/24",)), "ix_subnets_scope_cidr", "cidr_block=?"),
        (Match("default_for_az", (True,)), "ix_subnets_scope_default", "default_for_az=?"),  # type: ignore[arg-type]
        (Match("map_public_ip_on_launch", (True,)), "ix_subnets_scope_public",  # type: ignore[arg-type]
         "map_public_ip_on_launch=?"),
        (tag_match("tier", "web"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = plans(network_store, lambda uow: uow.subnets.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    [plan] = plans(network_store, lambda uow: uow.subnets.count_in_vpc(ACCOUNT, REGION, "vpc-00000000000000000"))
    _assert(plan, "ix_subnets_scope_vpc", "vpc_id=?")


def test_addresses_held_are_read_from_the_covering_index(network_store: Store) -> None:
    # A count: the subnet's addresses from the covering index, less those of interfaces gone
    # with an instance whose termination is due, found from the instances' due index.
    [due, counted] = plans(network_store, lambda uow: uow.subnets.addresses_held([SUBNET]))
    _assert(due, "ix_instances_due", "due_at<?")
    _assert(due, "ix_network_interfaces_instance", "instance_id=?")
    _assert(counted, "COVERING INDEX ix_network_interface_addresses_subnet", "subnet_id=?")
    for run in (lambda uow: uow.subnets.holds_addresses(SUBNET),
                lambda uow: uow.subnets.held_among(SUBNET, ["10.0.1.4", "10.0.1.9"])):
        [plan] = plans(network_store, run)
        _assert(plan, "COVERING INDEX ix_network_interface_addresses_subnet", "subnet_id=?")


def test_the_addresses_held(network_store: Store) -> None:
    with network_store.unit_of_work() as uow:
        assert uow.subnets.addresses_held([SUBNET, "subnet-00000000000000001"]) == {SUBNET: 4}
        assert uow.subnets.holds_addresses(SUBNET) is True
        assert uow.subnets.holds_addresses("subnet-00000000000000001") is False
        assert uow.subnets.held_among(SUBNET, ["10.0.1.4", "10.0.1.9", "10.0.1.7"]) == {"10.0.1.4", "10.0.1.7"}
