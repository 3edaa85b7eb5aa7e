"""Migrations 0034 and 0038: the outbox's events about instances stored before them are
found by instance afterwards (on SQLite through the places the instance's row keeps,
each event its own range; on PostgreSQL by ``ix_events_resource_seq``), only the
account's own; a downgrade past 0038 gives SQLite its FTS5 index of names back, a
document per stored row, and one past 0034 its ``ix_events_resource_seq``."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, downgraded, make_instance_row

OTHER = "999999999999"


def _stored_before(url: str) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0033")
        instances = sa.Table("instances", sa.MetaData(), autoload_with=connection)
        connection.execute(instances.insert(), [
            {key: value for key, value in make_instance_row(instance_id=instance_id, account_id=account).items()
             if key in instances.c}
            for instance_id, account in (("i-1", ACCOUNT), ("i-2", ACCOUNT), ("i-3", OTHER))])
        events = sa.Table("events", sa.MetaData(), autoload_with=connection)
        rows = [(ACCOUNT, "i-1", "pending"), (ACCOUNT, "i-2", "pending"), (OTHER, "i-3", "pending"),
                (ACCOUNT, "i-1", "running"), (ACCOUNT, None, None), (OTHER, "i-1", "pending")]
        connection.execute(events.insert(), [
            {"event_id": f"e{n}", "account_id": account, "region": REGION, "time": float(n),
             "notification": "instance-state" if resource else "custom", "resource_id": resource,
             "state": state, "body": None if resource else {"id": f"e{n}"}}
            for n, (account, resource, state) in enumerate(rows)])
    engine.dispose()


def test_events_stored_before_are_found_by_instance(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    store = Store(empty_store_url)  # opening the database migrates it
    try:
        with store.unit_of_work() as uow:
            mine = [(event["id"], event["detail"]["state"]) for _, event in uow.outbox.of_instance(ACCOUNT, "i-1")]
            theirs = [event["id"] for _, event in uow.outbox.of_instance(OTHER, "i-3")]
            other_account = uow.outbox.of_instance(ACCOUNT, "i-3")
        assert mine == [("e0", "pending"), ("e3", "running")]
        assert theirs == ["e2"]
        assert other_account == []
    finally:
        store.close()


def test_a_downgrade_past_0038_gives_the_index_of_names_back(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    with downgraded(empty_store_url, "0037") as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("instances")}
        documents = (connection.exec_driver_sql("SELECT rowid FROM event_history_index ORDER BY rowid").all()
                     if connection.dialect.name == "sqlite" else None)
    assert "event_places" not in columns
    if documents is not None:
        seqs = [seq for (seq,) in documents]
        assert len(seqs) == 5 and seqs == sorted(seqs)  # each event about a resource


def test_a_downgrade_past_0034_gives_the_index_back(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    with downgraded(empty_store_url, "0033") as connection:
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("events")}
        tables = set(sa.inspect(connection).get_table_names())
    assert "ix_events_resource_seq" in indexes
    assert "event_history_index" not in tables
