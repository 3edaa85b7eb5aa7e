"""Migration 0034: the outbox's events stored before it are found by resource
afterwards (on SQLite through the history index of names, each a document of its own),
and a downgrade gives SQLite its ``ix_events_resource_seq`` back."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, downgraded

OTHER = "999999999999"


def _stored_before(url: str) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0033")
        events = sa.Table("events", sa.MetaData(), autoload_with=connection)
        rows = [(ACCOUNT, "i-1", "pending"), (ACCOUNT, "i-2", "pending"), (OTHER, "i-1", "pending"),
                (ACCOUNT, "i-1", "running"), (ACCOUNT, None, None)]
        connection.execute(events.insert(), [
            {"event_id": f"e{n}", "account_id": account, "region": REGION, "time": float(n),
             "notification": "instance-state" if resource else "custom", "resource_id": resource,
             "state": state, "body": None if resource else {"id": f"e{n}"}}
            for n, (account, resource, state) in enumerate(rows)])
    engine.dispose()


def test_events_stored_before_are_found_by_resource(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    store = Store(empty_store_url)  # opening the database migrates it
    try:
        with store.unit_of_work() as uow:
            mine = [(event["id"], event["detail"]["state"]) for _, event in uow.outbox.of_resource(ACCOUNT, "i-1")]
            theirs = [event["id"] for _, event in uow.outbox.of_resource(OTHER, "i-1")]
        assert mine == [("e0", "pending"), ("e3", "running")]
        assert theirs == ["e2"]
    finally:
        store.close()


def test_a_downgrade_gives_the_index_back(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    with downgraded(empty_store_url, "0033") as connection:
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("events")}
        tables = set(sa.inspect(connection).get_table_names())
    assert "ix_events_resource_seq" in indexes
    assert "event_history_index" not in tables
