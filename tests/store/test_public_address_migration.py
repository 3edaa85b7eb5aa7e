"""Migration 0013: instances stored before it keep the public address they were shown
(``public_ip_on_launch`` true), unless their subnet is a stored one that maps none; and
the ``elastic_ips`` table starts empty."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row

MAPPING, UNMAPPED = "subnet-00000000000000001", "subnet-00000000000000002"


def _subnet(subnet_id: str, maps: bool) -> dict[str, object]:
    return {"subnet_id": subnet_id, "account_id": ACCOUNT, "region": REGION, "vpc_id": "vpc-00000000000000009",
            "availability_zone": "us-east-1a", "availability_zone_id": "use1-az6", "cidr_block": "10.0.0.0/24",
            "state": "available", "default_for_az": False, "map_public_ip_on_launch": maps, "create_time": 0.0}


def test_stored_instances_keep_their_public_address_unless_their_subnet_maps_none(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    rows = {name: make_instance_row(subnet_id=subnet) for name, subnet in (
        ("derived", "subnet-0derived000000000"), ("mapping", MAPPING), ("unmapped", UNMAPPED))}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0011")
        meta = sa.MetaData()
        instances, subnets = (sa.Table(name, meta, autoload_with=connection) for name in ("instances", "subnets"))
        connection.execute(subnets.insert(), [_subnet(MAPPING, True), _subnet(UNMAPPED, False)])
        for row in rows.values():
            connection.execute(instances.insert(), [{key: value for key, value in row.items()
                                                     if key in instances.c}])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        found = uow.instances.get(ACCOUNT, REGION, [row["instance_id"] for row in rows.values()])
        assert {name: found[row["instance_id"]]["public_ip_on_launch"] for name, row in rows.items()} == {
            "derived": True, "mapping": True, "unmapped": False}
        held = {name: found[row["instance_id"]]["public_ip"] for name, row in rows.items()}
        assert held["unmapped"] is None and None not in (held["derived"], held["mapping"])  # 0016 stores them
        assert uow.elastic_ips.find(ACCOUNT, REGION) == []
    store.close()
