"""Migration 0027: a rule's targets stored before it read as they were, with no HTTP
parameters, and the connection and API destination tables start empty."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.event_connections import Scope
from ec2emu.store.event_rules import Bus
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION


def test_targets_stored_before_keep_their_columns(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    target = {"account_id": ACCOUNT, "region": REGION, "event_bus": "default", "rule_name": "r", "target_id": "t",
              "arn": "arn:aws:sqs:us-east-1:000000000000:q", "role_arn": None, "input": '{"a": 1}',
              "input_path": None, "input_transformer": None, "retry_policy": {"MaximumRetryAttempts": 3},
              "dead_letter_arn": None}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0026")
        targets = sa.Table("event_targets", sa.MetaData(), autoload_with=connection)
        connection.execute(targets.insert(), [target])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        [found] = uow.event_rules.targets(Bus(ACCOUNT, REGION, "default"), "r")
        listed = uow.event_connections.listing(Scope(ACCOUNT, REGION), "", None, None, None)
    store.close()
    assert found == {**target, "http_parameters": None}
    assert listed == []
