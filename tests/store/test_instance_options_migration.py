"""Migration 0017: an instance stored before it reads as it was shown — ``default``
tenancy, monitoring ``disabled``, metadata options ``required`` / 2 / ``enabled`` /
``disabled`` / ``disabled`` and ``applied`` — with no CPU credits, kernel or ramdisk; and
nothing of it is due."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row


def test_instances_stored_before_read_as_they_were_shown(empty_store_url: str) -> None:
    from alembic import command

    row = make_instance_row()
    engine = create_engine(empty_store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0016")
        instances = sa.Table("instances", sa.MetaData(), autoload_with=connection)
        connection.execute(instances.insert(), [{column.name: row.get(column.name) for column in instances.c}])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        found = uow.instances.get(ACCOUNT, REGION, [row["instance_id"]])[row["instance_id"]]
        due = uow.instances.next_due()
    store.close()
    assert {key: found[key] for key in (
        "tenancy", "cpu_credits", "kernel_id", "ramdisk_id", "monitoring_state", "monitoring_due_at", "http_tokens",
        "http_put_response_hop_limit", "http_endpoint", "http_protocol_ipv6", "instance_metadata_tags",
        "metadata_state", "metadata_due_at")} == {
        "tenancy": "default", "cpu_credits": None, "kernel_id": None, "ramdisk_id": None,
        "monitoring_state": "disabled", "monitoring_due_at": None, "http_tokens": "required",
        "http_put_response_hop_limit": 2, "http_endpoint": "enabled", "http_protocol_ipv6": "disabled",
        "instance_metadata_tags": "disabled", "metadata_state": "applied", "metadata_due_at": None}
    assert due is None
