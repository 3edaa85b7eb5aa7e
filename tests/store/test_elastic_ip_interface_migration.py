"""Migration 0015: an Elastic IP stored associated with an instance gets the instance's
primary interface as its ``network_interface_id``; unassociated ones are left alone."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_interface_row


def _address(n: int, instance_id: str | None) -> dict[str, object]:
    return {"allocation_id": f"eipalloc-{n:017x}", "account_id": ACCOUNT, "region": REGION,
            "public_ip": f"44.192.0.{n}", "domain": "vpc", "network_border_group": REGION, "allocate_time": 0.0,
            "association_id": f"eipassoc-{n:017x}" if instance_id else None, "instance_id": instance_id,
            "network_interface_id": None, "network_interface_owner_id": ACCOUNT if instance_id else None,
            "private_ip": "172.31.0.10" if instance_id else None}


def test_stored_associations_name_the_instance_s_primary_interface(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    instance = make_instance_row()
    primary = make_interface_row(instance["instance_id"])
    secondary = make_interface_row(instance["instance_id"], device_index=1, private_ip="172.31.0.11")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0014")
        meta = sa.MetaData()
        instances, interfaces, addresses = (sa.Table(name, meta, autoload_with=connection)
                                            for name in ("instances", "network_interfaces", "elastic_ips"))
        connection.execute(instances.insert(), [{k: v for k, v in instance.items() if k in instances.c}])
        connection.execute(interfaces.insert(), [{k: v for k, v in row.items() if k in interfaces.c}
                                                 for row in (primary, secondary)])
        connection.execute(addresses.insert(), [_address(1, instance["instance_id"]), _address(2, None)])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        found = uow.elastic_ips.get(ACCOUNT, REGION, ["eipalloc-00000000000000001", "eipalloc-00000000000000002"])
        assert found["eipalloc-00000000000000001"]["network_interface_id"] == primary["network_interface_id"]
        assert found["eipalloc-00000000000000002"]["network_interface_id"] is None
    store.close()
