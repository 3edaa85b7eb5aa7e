"""Internet gateways and route tables are read through their indexes: look-ups by ID,
each filter column (a table's routes and associations through their scope indexes), a
page's routes and associations, counts and route-state updates, never a ``SCAN``."""

from __future__ import annotations

import pytest

from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, tag_match
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only
from tests.store.test_routing_repository import GATEWAY, MAIN, PUBLIC, SUBNET, VPC, fill

TABLES = ("internet_gateways", "route_tables", "routes", "route_table_associations", "tags")


@pytest.fixture
def routing_store(store: Store) -> Store:
    sqlite_only(store)
    fill(store)
    return store


def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, TABLES)


def test_gateway_look_ups_and_filters_use_indexes(routing_store: Store) -> None:
    [plan] = plans(routing_store, lambda uow: uow.internet_gateways.get(ACCOUNT, REGION, [GATEWAY]))
    _assert(plan, "INDEX", "internet_gateway_id=?")
    for match, index, constraint in [
        (Match("vpc_id", (VPC,)), "ix_internet_gateways_scope_vpc", "vpc_id=?"),
        (Match("attachment_state", ("available",)), "ix_internet_gateways_scope_attachment", "attachment_state=?"),
        (tag_match("Name", "x"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = plans(routing_store, lambda uow: uow.internet_gateways.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    [plan] = plans(routing_store, lambda uow: uow.internet_gateways.count_where(ACCOUNT, REGION))
    _assert(plan, "ix_internet_gateways_scope", "account_id=? AND region=?")


def test_route_table_look_ups_and_filters_use_indexes(routing_store: Store) -> None:
    [plan, routes, associations] = plans(routing_store, lambda uow: uow.route_tables.get(ACCOUNT, REGION, [MAIN]))
    _assert(plan, "INDEX", "route_table_id=?")
    _assert(routes, "INDEX", "route_table_id=?")
    _assert(associations, "ix_route_table_associations_table", "route_table_id=?")
    for match, index, constraint in [
        (Match("vpc_id", (VPC,)), "ix_route_tables_scope_vpc", "vpc_id=?"),
        (Match("client_token", ("token",)), "ix_route_tables_scope_token", "client_token=?"),
        (Match("routes.destination_cidr_block", ("0.0.0.0/0",)), "ix_routes_scope_destination",
         "destination_cidr_block=?"),
        (Match("routes.gateway_id", (GATEWAY,)), "ix_routes_scope_gateway", "gateway_id=?"),
        (Match("routes.state", ("blackhole",)), "ix_routes_scope_state", "state=?"),
        (Match("routes.origin", ("CreateRoute",)), "ix_routes_scope_origin", "origin=?"),
        (Match("associations.subnet_id", (SUBNET,)), "ix_route_table_associations_scope_subnet", "subnet_id=?"),
        (Match("associations.is_main", (True,)), "ix_route_table_associations_scope_main",  # type: ignore[arg-type]
         "is_main=?"),
        (Match("associations.association_id", ("rtbassoc-00000000000000002",)), "INDEX", "association_id=?"),
        (tag_match("tier", "public"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = plans(routing_store, lambda uow: uow.route_tables.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    plan = plans(routing_store, lambda uow: uow.route_tables.find(ACCOUNT, REGION, after_id="rtb-0", limit=5))[0]
    _assert(plan, "ix_route_tables_scope_id", "route_table_id>?")
    [plan] = plans(routing_store, lambda uow: uow.route_tables.count_where(ACCOUNT, REGION, [Match("vpc_id", (VPC,))]))
    _assert(plan, "ix_route_tables_scope_vpc", "vpc_id=?")


def test_route_writes_use_indexes(routing_store: Store) -> None:
    [plan] = plans(routing_store, lambda uow: uow.route_tables.set_route_states(ACCOUNT, REGION, GATEWAY, "active"))
    _assert(plan, "ix_routes_scope_gateway", "gateway_id=?")
    [plan] = plans(routing_store, lambda uow: uow.route_tables.disassociate_subnet(ACCOUNT, REGION, SUBNET))
    _assert(plan, "ix_route_table_associations_scope_subnet", "subnet_id=?")
    [plan] = plans(routing_store, lambda uow: uow.route_tables.delete_route(PUBLIC, "0.0.0.0/0"))
    _assert(plan, "INDEX", "route_table_id=? AND destination_cidr_block=?")
