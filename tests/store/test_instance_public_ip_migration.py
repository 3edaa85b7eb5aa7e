"""Migration 0016: an instance stored before it that holds a public address of Amazon's
pool gets the address it was shown (a hash of its ID, launch time and renewal), the one
launched later the next candidate of its sequence where two were shown the same; one that
holds none (stopped, not mapping, with an Elastic IP on its primary private address)
gets none; ``public_ip_renewed_at`` is gone."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.public_ips import candidate, run_seed
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row


def _shown_before(instance_id: str, launch_time: float, renewed_at: float | None) -> str:
    """The address an instance was shown before revision 0016."""
    seed = f"{instance_id}/{launch_time}" + ("" if renewed_at is None else f"/{renewed_at}")
    digest = hashlib.sha256(seed.encode()).digest()
    return f"3.{80 + digest[0] % 16}.{digest[1]}.{1 + digest[2] % 254}"


def _colliding_ids(launch_time: float) -> tuple[str, str]:
    """Two instance IDs shown the same address when launched at ``launch_time``."""
    seen: dict[str, str] = {}
    n = 0
    while True:
        instance_id = f"i-{0xc0000 + n:017x}"
        address = _shown_before(instance_id, launch_time, None)
        if address in seen:
            return seen[address], instance_id
        seen[address] = instance_id
        n += 1


def test_holding_instances_keep_the_address_they_were_shown_and_collisions_move_on(empty_store_url: str) -> None:
    from alembic import command

    first, second = _colliding_ids(1_000.0)
    rows = {
        "running": make_instance_row(),
        "pending": make_instance_row(state="pending", due_at=1_005.0, launch_time=1_000.5),
        "renewed": make_instance_row(public_ip_renewed_at=2_000.0),
        "shutting-down": make_instance_row(state="shutting-down", due_at=1_100.0),
        "first": make_instance_row(instance_id=first),
        "second": make_instance_row(instance_id=second),
        "stopped": make_instance_row(state="stopped"),
        "unmapped": make_instance_row(public_ip_on_launch=False),
        "elastic": make_instance_row(),
    }
    engine = create_engine(empty_store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0015")
        meta = sa.MetaData()
        instances, addresses = (sa.Table(name, meta, autoload_with=connection)
                                for name in ("instances", "elastic_ips"))
        connection.execute(instances.insert(), [{column.name: row.get(column.name) for column in instances.c}
                                                for row in rows.values()])
        connection.execute(addresses.insert(), [{
            "allocation_id": "eipalloc-00000000000000001", "account_id": ACCOUNT, "region": REGION,
            "public_ip": "44.192.0.1", "domain": "vpc", "network_border_group": REGION, "allocate_time": 0.0,
            "association_id": "eipassoc-00000000000000001", "instance_id": rows["elastic"]["instance_id"],
            "network_interface_id": "eni-00000000000000001", "network_interface_owner_id": ACCOUNT,
            "private_ip": rows["elastic"]["private_ip"]}])
    migrate(engine)
    assert "public_ip_renewed_at" not in {column["name"] for column in sa.inspect(engine).get_columns("instances")}
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        found = uow.instances.get(ACCOUNT, REGION, [row["instance_id"] for row in rows.values()])
    store.close()
    stored = {name: found[row["instance_id"]]["public_ip"] for name, row in rows.items()}
    shown = {name: _shown_before(row["instance_id"], row["launch_time"], row.get("public_ip_renewed_at"))
             for name, row in rows.items()}
    assert stored == {
        **{name: shown[name] for name in ("running", "pending", "renewed", "shutting-down", "first")},
        "second": candidate(run_seed(second, 1_000.0), 1),
        "stopped": None, "unmapped": None, "elastic": None,
    }
    assert stored["second"] != stored["first"] == shown["second"]
