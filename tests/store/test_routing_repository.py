"""The internet gateway and route table repositories' contract, on SQLite and PostgreSQL:
rows with their routes and associations, criteria on those, route states by gateway,
counts, and deletes (tags, routes and associations go too)."""

from __future__ import annotations

from typing import Any

from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION

VPC = "vpc-00000000000000001"
GATEWAY = "igw-00000000000000001"
MAIN, PUBLIC = "rtb-00000000000000001", "rtb-00000000000000002"
SUBNET = "subnet-00000000000000001"


def gateway_row(gateway_id: str, vpc_id: str | None = None) -> dict[str, Any]:
    return {"internet_gateway_id": gateway_id, "account_id": ACCOUNT, "region": REGION, "vpc_id": vpc_id,
            "attachment_state": "available" if vpc_id else None, "create_time": 0.0}


def route(table_id: str, destination: str, gateway_id: str = "local") -> dict[str, Any]:
    return {"route_table_id": table_id, "destination_cidr_block": destination, "account_id": ACCOUNT,
            "region": REGION, "gateway_id": gateway_id, "origin": "CreateRouteTable" if gateway_id == "local"
            else "CreateRoute", "state": "active"}


def association(association_id: str, table_id: str, subnet_id: str | None = None) -> dict[str, Any]:
    return {"association_id": association_id, "route_table_id": table_id, "account_id": ACCOUNT, "region": REGION,
            "subnet_id": subnet_id, "is_main": subnet_id is None}


def table_row(table_id: str, routes: list[dict[str, Any]], associations: list[dict[str, Any]],
              token: str | None = None) -> dict[str, Any]:
    return {"route_table_id": table_id, "account_id": ACCOUNT, "region": REGION, "vpc_id": VPC,
            "client_token": token, "create_time": 0.0, "routes": routes, "associations": associations}


def fill(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.internet_gateways.insert([gateway_row(GATEWAY, VPC), gateway_row("igw-00000000000000002")])
        uow.route_tables.insert(table_row(MAIN, [route(MAIN, "10.0.0.0/16")],
                                          [association("rtbassoc-00000000000000001", MAIN)]))
        uow.route_tables.insert(table_row(PUBLIC, [route(PUBLIC, "10.0.0.0/16"), route(PUBLIC, "0.0.0.0/0", GATEWAY)],
                                          [association("rtbassoc-00000000000000002", PUBLIC, SUBNET)], "token"))
        uow.tags.put(ACCOUNT, REGION, PUBLIC, "route-table", [("tier", "public")])


def test_gateways(store: Store) -> None:
    fill(store)
    with store.unit_of_work() as uow:
        assert uow.internet_gateways.count_where(ACCOUNT, REGION) == 2
        assert uow.internet_gateways.count_where(ACCOUNT, REGION, [Match("vpc_id", (VPC,))]) == 1
        assert [g["internet_gateway_id"] for g in uow.internet_gateways.find(
            ACCOUNT, REGION, [Match("attachment_state", ("available",))])] == [GATEWAY]
        uow.internet_gateways.update(GATEWAY, {"vpc_id": None, "attachment_state": None})
        uow.tags.put(ACCOUNT, REGION, GATEWAY, "internet-gateway", [("k", "v")])
    with store.unit_of_work() as uow:
        assert uow.internet_gateways.get(ACCOUNT, REGION, [GATEWAY])[GATEWAY]["vpc_id"] is None
        assert uow.internet_gateways.get("111111111111", REGION, [GATEWAY]) == {}
        uow.internet_gateways.delete(GATEWAY)
    with store.unit_of_work() as uow:
        assert uow.internet_gateways.get(ACCOUNT, REGION, [GATEWAY]) == {}
        assert uow.tags.for_resources(ACCOUNT, REGION, [GATEWAY]) == {}


def test_route_tables_with_their_routes_and_associations(store: Store) -> None:
    fill(store)
    with store.unit_of_work() as uow:
        public = uow.route_tables.get(ACCOUNT, REGION, [PUBLIC])[PUBLIC]
        assert [r["destination_cidr_block"] for r in public["routes"]] == ["0.0.0.0/0", "10.0.0.0/16"]
        assert [a["subnet_id"] for a in public["associations"]] == [SUBNET]
        for match, found in [
            (Match("routes.gateway_id", (GATEWAY,)), [PUBLIC]),
            (Match("routes.destination_cidr_block", ("10.0.0.0/16",)), [MAIN, PUBLIC]),
            (Match("associations.is_main", (True,)), [MAIN]),
            (Match("associations.subnet_id", (SUBNET,)), [PUBLIC]),
            (Match("client_token", ("token",)), [PUBLIC]),
        ]:
            assert [t["route_table_id"] for t in uow.route_tables.find(ACCOUNT, REGION, [match])] == found
        assert uow.route_tables.count_where(ACCOUNT, REGION, [Match("vpc_id", (VPC,))]) == 2
        uow.route_tables.set_route_states(ACCOUNT, REGION, GATEWAY, "blackhole")
        uow.route_tables.update_route(MAIN, "10.0.0.0/16", {"origin": "CreateRouteTable"})
        uow.route_tables.add_routes([route(MAIN, "10.1.0.0/16")])
        uow.route_tables.disassociate_subnet(ACCOUNT, REGION, SUBNET)
    with store.unit_of_work() as uow:
        public = uow.route_tables.get(ACCOUNT, REGION, [PUBLIC])[PUBLIC]
        assert [r["state"] for r in public["routes"]] == ["blackhole", "active"]
        assert public["associations"] == []
        uow.route_tables.set_route_states(ACCOUNT, REGION, GATEWAY, "active", [MAIN])
        uow.route_tables.associate(association("rtbassoc-00000000000000003", PUBLIC, SUBNET))
        uow.route_tables.update_association("rtbassoc-00000000000000003", {"route_table_id": MAIN})
        uow.route_tables.delete_route(MAIN, "10.1.0.0/16")
    with store.unit_of_work() as uow:
        public, main = (uow.route_tables.get(ACCOUNT, REGION, [PUBLIC, MAIN])[t] for t in (PUBLIC, MAIN))
        assert public["routes"][0]["state"] == "blackhole"
        assert [a["association_id"] for a in main["associations"]] == ["rtbassoc-00000000000000001",
                                                                        "rtbassoc-00000000000000003"]
        assert [r["destination_cidr_block"] for r in main["routes"]] == ["10.0.0.0/16"]
        uow.route_tables.disassociate("rtbassoc-00000000000000003")
        uow.route_tables.delete(PUBLIC)
    with store.unit_of_work() as uow:
        assert [t["route_table_id"] for t in uow.route_tables.find(ACCOUNT, REGION)] == [MAIN]
        assert uow.route_tables.find(ACCOUNT, REGION, [Match("routes.gateway_id", (GATEWAY,))]) == []
        assert uow.tags.for_resources(ACCOUNT, REGION, [PUBLIC]) == {}
