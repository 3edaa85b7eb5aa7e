"""Migration 0032: the audit trail's resources stored before it are found by name and by
type afterwards, and each event shows the resources it named."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from ec2emu.store.trail import Window
from tests.store.conftest import ACCOUNT, REGION


def test_resources_stored_before_are_looked_up_and_shown(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    scope = {"account_id": ACCOUNT, "region": REGION, "event_time": 10.0}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0029")
        meta = sa.MetaData()
        events = sa.Table("trail_events", meta, autoload_with=connection)
        resources = sa.Table("trail_resources", meta, autoload_with=connection)
        connection.execute(events.insert(), [
            {"event_id": f"e{n}", **scope, "seq": n, "event_name": "TerminateInstances",
             "event_source": "ec2.amazonaws.com", "username": "root", "access_key_id": "k", "read_only": False,
             "record": "{}"} for n in (1, 2)])
        connection.execute(resources.insert(), [
            {"event_id": "e1", **scope, "seq": 1, "resource_type": "AWS::EC2::Instance", "resource_name": "i-1"},
            {"event_id": "e1", **scope, "seq": 1, "resource_type": "AWS::EC2::Instance", "resource_name": "i-2"},
            {"event_id": "e1", **scope, "seq": 1, "resource_type": "AWS::EC2::Volume", "resource_name": "vol-1"},
        ])
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        by_name = uow.trail.lookup(Window(ACCOUNT, REGION, ("ResourceName", "i-2")), 5)
        by_type = uow.trail.lookup(Window(ACCOUNT, REGION, ("ResourceType", "AWS::EC2::Volume")), 5)
        every = uow.trail.lookup(Window(ACCOUNT, REGION), 5)
    store.close()
    assert [event["event_id"] for event in by_name] == ["e1"]
    assert [event["event_id"] for event in by_type] == ["e1"]
    assert {event["event_id"]: sorted(event["resources"]) for event in every} == {
        "e1": [("AWS::EC2::Instance", "i-1"), ("AWS::EC2::Instance", "i-2"), ("AWS::EC2::Volume", "vol-1")],
        "e2": [],
    }
