"""Migration 0037: the audit trail's events stored before it are keyed by ``seq`` and
found afterwards by ID, by each attribute, by name and by type — on SQLite through the
FTS5 index of names, each with its document; a downgrade gives back the key by ID and
the B-trees by attribute, and the events are found there as before."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine
from ec2emu.store.repository import Store
from ec2emu.store.trail import Window
from tests.store.conftest import ACCOUNT, REGION, downgraded

OTHER = "999999999999"
# An ID as the recorder makes them (a random UUID, whose token is its own digits).
U2 = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
# (event ID, account, second, event name, read-only, names)
STORED = [("e1", ACCOUNT, 10, "TerminateInstances", False, ["i-1", "i-2"]),
          (U2, ACCOUNT, 10, "DescribeInstances", True, []),
          ("e3", OTHER, 11, "TerminateInstances", False, ["i-1"]),
          ("e4", ACCOUNT, 12, "StopInstances", False, ["i-2"])]
LOOK_UPS: list[tuple[Any, list[str]]] = [
    (None, ["e4", U2, "e1"]), (("EventId", U2), [U2]), (("EventId", "e3"), []),
    (("EventName", "TerminateInstances"), ["e1"]), (("ReadOnly", "true"), [U2]), (("ReadOnly", "false"), ["e4", "e1"]),
    (("Username", "alice"), ["e4", U2, "e1"]), (("AccessKeyId", "AKIAKEY"), ["e4", U2, "e1"]),
    (("EventSource", "ec2.amazonaws.com"), ["e4", U2, "e1"]), (("ResourceName", "i-2"), ["e4", "e1"]),
    (("ResourceType", "AWS::EC2::Instance"), ["e4", "e1"])]


def _stored_before(url: str) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0036")
        _store_events(connection)
    engine.dispose()


def _store_events(connection: sa.Connection) -> None:
    """The events of :data:`STORED`, as a store at revision 0036 keeps them."""
    meta = sa.MetaData()
    events = sa.Table("trail_events", meta, autoload_with=connection)
    types = sa.Table("trail_resource_types", meta, autoload_with=connection)
    names = sa.Table("trail_resource_names", meta, autoload_with=connection)
    sqlite = connection.dialect.name == "sqlite"
    for place, (event_id, account, second, name, reads, named) in enumerate(STORED):
        scope = {"account_id": account, "region": REGION, "event_time": float(second),
                 "seq": (second << 24) + place, "event_id": event_id}
        connection.execute(events.insert().values(
            **scope, event_name=name, event_source="ec2.amazonaws.com", username="alice", access_key_id="AKIAKEY",
            read_only=reads, record="{}", resources=[["AWS::EC2::Instance", n] for n in named] or None))
        if named:
            connection.execute(types.insert().values(**scope, resource_type="AWS::EC2::Instance"))
        if named and not sqlite:
            connection.execute(names.insert(), [{**scope, "resource_name": n} for n in named])
    if sqlite:
        import hashlib

        def token(account: str, name: str) -> str:
            return hashlib.blake2b(f"{account}\n{REGION}\n{name}".encode(), digest_size=8).hexdigest()

        connection.exec_driver_sql("INSERT INTO trail_name_index(rowid, tokens) VALUES (?, ?)", [
            ((second << 24) + place, " ".join(token(account, n) for n in named))
            for place, (_, account, second, _, _, named) in enumerate(STORED) if named])


def test_events_stored_before_are_found_by_every_look_up(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    store = Store(empty_store_url)  # opening the database migrates it
    try:
        with store.unit_of_work() as uow:
            for attribute, expected in LOOK_UPS:
                found = [event["event_id"] for event in uow.trail.lookup(Window(ACCOUNT, REGION, attribute), 10)]
                assert found == expected, attribute
            [theirs] = uow.trail.lookup(Window(OTHER, REGION, ("EventId", "e3")), 10)
            assert theirs["resources"] == [("AWS::EC2::Instance", "i-1")]
            key = sa.inspect(uow.conn).get_pk_constraint("trail_events")["constrained_columns"]
        assert key == ["seq"]
    finally:
        store.close()


def test_a_downgrade_gives_back_the_key_by_id_and_the_indexes(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    with downgraded(empty_store_url, "0036") as connection:
        key = sa.inspect(connection).get_pk_constraint("trail_events")["constrained_columns"]
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("trail_events")}
        rows = connection.exec_driver_sql("SELECT event_id, seq FROM trail_events ORDER BY seq").all()
        documents = (connection.exec_driver_sql("SELECT rowid, tokens FROM trail_name_index ORDER BY rowid").all()
                     if connection.dialect.name == "sqlite" else None)
    assert key == ["event_id"]
    assert {"ix_trail_events_seq", "ix_trail_events_event_name", "ix_trail_events_read_only"} <= indexes
    assert [event_id for event_id, _ in rows] == ["e1", U2, "e3", "e4"]
    if documents is not None:  # the names' documents alone, as before
        assert [len(tokens.split()) for _, tokens in documents] == [2, 1, 1]
