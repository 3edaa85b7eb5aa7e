"""Migration 0029: a rule stored before it reads as it was, with no schedule and no due
time, and the settler finds nothing of it due."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.event_rules import Bus
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION


def test_rules_stored_before_have_no_schedule(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    rule = {"account_id": ACCOUNT, "region": REGION, "event_bus": "default", "name": "r",
            "event_pattern": '{"source": ["a"]}', "state": "ENABLED", "description": "d", "tags": [["k", "v"]],
            "created_at": 5.0}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0028")
        rules = sa.Table("event_rules", sa.MetaData(), autoload_with=connection)
        connection.execute(rules.insert(), [rule])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        found = uow.event_rules.get(Bus(ACCOUNT, REGION, "default"), "r")
        due = uow.request_start("clock_offset_seconds")[1]
        moved = uow.settlement.settle(1e9, Durations())
    store.close()
    assert found == {**rule, "schedule_expression": None, "next_fire_at": None}
    assert due.schedules is None and moved == 0
