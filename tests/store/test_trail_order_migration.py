"""Migration 0033: the audit trail's events stored before it keep their order, now one
number (``seq``: the second, then the place in it), and are found by name, by type and
by page afterwards — on SQLite through the FTS5 name index; a downgrade puts the names
back in their table."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from ec2emu.store.trail import Window
from tests.store.conftest import ACCOUNT, REGION, downgraded

# (event ID, time, the old per-process number, names): e2 came before e1 in its second.
STORED = [("e1", 10.0, 1_700_000_000_000_005, ["i-1", "i-2"]), ("e2", 10.0, 1_700_000_000_000_001, ["i-2"]),
          ("e3", 11.0, 1_700_000_000_000_000, ["i-1"]), ("e4", 12.0, 1_700_000_000_000_009, [])]


def _stored_before(url: str) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0032")
        meta = sa.MetaData()
        events = sa.Table("trail_events", meta, autoload_with=connection)
        names = sa.Table("trail_resource_names", meta, autoload_with=connection)
        types = sa.Table("trail_resource_types", meta, autoload_with=connection)
        for event_id, moment, seq, named in STORED:
            scope = {"account_id": ACCOUNT, "region": REGION, "event_time": moment, "seq": seq, "event_id": event_id}
            pairs = [["AWS::EC2::Instance", name] for name in named]
            connection.execute(events.insert().values(
                **scope, event_name="TerminateInstances", event_source="ec2.amazonaws.com", username="root",
                access_key_id="k", read_only=False, record="{}", resources=pairs or None))
            for name in named:
                connection.execute(names.insert().values(**scope, resource_name=name))
            if named:
                connection.execute(types.insert().values(**scope, resource_type="AWS::EC2::Instance"))
    engine.dispose()


def _found(store: Store, attribute: tuple[str, str] | None = None, limit: int = 10) -> list[str]:
    with store.unit_of_work() as uow:
        return [event["event_id"] for event in uow.trail.lookup(Window(ACCOUNT, REGION, attribute), limit)]


def test_events_stored_before_keep_their_order_and_are_found(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    engine = create_engine(empty_store_url)
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    try:
        with store.unit_of_work() as uow:
            seqs = dict(uow.conn.execute(sa.text("SELECT event_id, seq FROM trail_events")).all())
            [resources] = uow.conn.execute(sa.text("SELECT CAST(resources AS TEXT) FROM trail_events WHERE event_id = 'e1'")).one()
        assert seqs == {"e2": 10 << 24, "e1": (10 << 24) + 1, "e3": 11 << 24, "e4": 12 << 24}
        assert resources == '[["AWS::EC2::Instance","i-1"],["AWS::EC2::Instance","i-2"]]'
        assert _found(store) == ["e4", "e3", "e1", "e2"]
        assert _found(store, ("ResourceName", "i-2")) == ["e1", "e2"]
        assert _found(store, ("ResourceName", "i-1")) == ["e3", "e1"]
        assert _found(store, ("ResourceType", "AWS::EC2::Instance")) == ["e3", "e1", "e2"]
        with store.unit_of_work() as uow:  # the next event of a second goes after those stored
            event = {"event_id": "e5", "account_id": ACCOUNT, "region": REGION, "event_time": 10.0,
                     "event_name": "StopInstances", "event_source": "ec2.amazonaws.com", "username": "root",
                     "access_key_id": "k", "read_only": False, "record": "{}",
                     "resources": '[["AWS::EC2::Instance","i-2"]]'}
            uow.trail.add([event], [("e5", "AWS::EC2::Instance", "i-2")])
        assert _found(store, ("ResourceName", "i-2")) == ["e5", "e1", "e2"]
    finally:
        store.close()


def test_a_downgrade_puts_the_names_back_in_their_table(empty_store_url: str) -> None:
    _stored_before(empty_store_url)
    with downgraded(empty_store_url, "0032") as connection:
        names = connection.execute(sa.text(
            "SELECT event_id, resource_name FROM trail_resource_names ORDER BY event_id, resource_name")).all()
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("trail_events")}
    assert [tuple(row) for row in names] == [("e1", "i-1"), ("e1", "i-2"), ("e2", "i-2"), ("e3", "i-1")]
    assert "ix_trail_events_time" in indexes and "ix_trail_events_seq" not in indexes
