"""Migration 0011 gives the VPCs stored before it what every VPC has: a main route table
with a local route per block, and, for the scope's first default VPC, the gateway and
table the service derives (same IDs) with a ``0.0.0.0/0`` route to the gateway."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.services.shared.ids import stable_id
from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION

DEFAULT = stable_id("vpc", ACCOUNT, REGION, "default-vpc")
OTHER = "vpc-00000000000000009"


def _vpc(vpc_id: str, cidr: str, is_default: bool) -> dict[str, object]:
    return {"vpc_id": vpc_id, "account_id": ACCOUNT, "region": REGION, "cidr_block": cidr, "state": "available",
            "is_default": is_default, "instance_tenancy": "default", "dhcp_options_id": "dopt-0123",
            "enable_dns_support": True, "enable_dns_hostnames": is_default,
            "enable_network_address_usage_metrics": False, "create_time": 0.0}


def _block(vpc_id: str, cidr: str, position: int) -> dict[str, object]:
    return {"association_id": f"vpc-cidr-assoc-{vpc_id[4:]}{position}", "vpc_id": vpc_id, "account_id": ACCOUNT,
            "region": REGION, "cidr_block": cidr, "state": "associated", "position": position}


def test_stored_vpcs_get_their_routing(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0009")
        meta = sa.MetaData()
        vpcs, blocks = (sa.Table(name, meta, autoload_with=connection) for name in ("vpcs", "vpc_cidr_blocks"))
        connection.execute(vpcs.insert(), [_vpc(DEFAULT, "172.31.0.0/16", True), _vpc(OTHER, "10.0.0.0/16", False)])
        connection.execute(blocks.insert(), [_block(DEFAULT, "172.31.0.0/16", 0), _block(OTHER, "10.0.0.0/16", 0),
                                             _block(OTHER, "10.1.0.0/16", 1)])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    gateway_id = stable_id("igw", ACCOUNT, REGION, "default-igw")
    with store.unit_of_work() as uow:
        [gateway] = uow.internet_gateways.find(ACCOUNT, REGION)
        assert (gateway["internet_gateway_id"], gateway["vpc_id"]) == (gateway_id, DEFAULT)
        [default] = uow.route_tables.find(ACCOUNT, REGION, [Match("vpc_id", (DEFAULT,))])
        assert default["route_table_id"] == stable_id("rtb", ACCOUNT, REGION, "default-rtb")
        assert [(r["destination_cidr_block"], r["gateway_id"]) for r in default["routes"]] == [
            ("0.0.0.0/0", gateway_id), ("172.31.0.0/16", "local")]
        [other] = uow.route_tables.find(ACCOUNT, REGION, [Match("vpc_id", (OTHER,))])
        assert [r["destination_cidr_block"] for r in other["routes"]] == ["10.0.0.0/16", "10.1.0.0/16"]
        assert [(a["is_main"], a["subnet_id"]) for a in other["associations"]] == [(True, None)]
    store.close()
