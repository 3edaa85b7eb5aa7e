"""The outbox's runs, on SQLite and PostgreSQL: events one write makes alike but for
their resource are read back each in its own place of the order, with its own ID and
resource, by every reader (from a place inside a run too); other writes between runs
take the places after them; a downgrade past migration 0036 writes each run out as one
row per event, with the same places and IDs."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.lifecycle.notifications import INSTANCE_STATE, VOLUME_DELETED
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION, downgraded

OTHER = "999999999999"


def _emit_runs(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1", "i-2", "i-3"], 1.0, "shutting-down")
        uow.outbox.custom(ACCOUNT, REGION, 2.0, [{"id": "custom-1", "account": ACCOUNT, "region": REGION, "resources": [], "detail": {}}])
        uow.outbox.shared("snap-1", REGION, ACCOUNT, [OTHER, OTHER, ACCOUNT], 3.0)
        uow.outbox.emit(VOLUME_DELETED, ACCOUNT, REGION, ["vol-1", "vol-2"], 4.0)


def _described(found: list[tuple[int, dict]]) -> list[tuple[int, str, str]]:
    return [(seq, event["account"], event["resources"][0].rsplit("/", 1)[-1] if event["resources"] else "")
            for seq, event in found]


def test_each_event_of_a_run_has_its_place_id_and_resource(store: Store) -> None:
    _emit_runs(store)
    with store.unit_of_work() as uow:
        found = uow.outbox.after()
        rows = uow.conn.exec_driver_sql("SELECT count(*) FROM events").scalar()
    # SQLite keeps each run as a row (the shared snapshot's: two accounts, two runs),
    # PostgreSQL a row an event (its history index is a B-tree by resource).
    assert rows == (5 if store.engine.dialect.name == "sqlite" else 9)
    seqs = [seq for seq, _ in found]
    assert seqs == list(range(seqs[0], seqs[0] + 9))
    assert [name for _, _, name in _described(found)] == [
        "i-1", "i-2", "i-3", "", "snap-1", "snap-1", "snap-1", "vol-1", "vol-2"]
    assert [account for _, account, _ in _described(found)][4:7] == [OTHER, OTHER, ACCOUNT]
    ids = [event["id"] for _, event in found]
    assert len(set(ids)) == 9 and ids[3] == "custom-1"
    # One write's IDs count up in their last group.
    assert [int(found_id[24:], 16) - int(ids[0][24:], 16) for found_id in ids[:3]] == [0, 1, 2]
    assert {found_id[:24] for found_id in ids[:3]} == {ids[0][:24]}
    assert [event["detail"]["state"] for _, event in found[:3]] == ["shutting-down"] * 3


def test_every_reader_starts_inside_a_run(store: Store) -> None:
    _emit_runs(store)
    with store.unit_of_work() as uow:
        every = uow.outbox.after()
        first = every[0][0]
        assert uow.outbox.after(first, limit=2) == every[1:3]
        assert uow.outbox.after(first + 1, account=OTHER) == [found for found in every if found[1]["account"] == OTHER]
        keys = uow.outbox.keys_after(first + 1, 3)
        assert keys == [(seq, event["account"], event["region"]) for seq, event in every[2:5]]
        assert uow.outbox.at([first + 1, first + 5, first + 8]) == [every[1], every[5], every[8]]
        assert uow.outbox.newest() == every[-1][0]


def test_a_downgrade_writes_each_run_out_as_rows(empty_store_url: str) -> None:
    store = Store(empty_store_url)
    try:
        _emit_runs(store)
        with store.unit_of_work() as uow:
            before = [(seq, event["id"], event["account"], event["resources"]) for seq, event in uow.outbox.after()]
    finally:
        store.close()
    with downgraded(empty_store_url, "0035") as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("events")}
        rows = connection.exec_driver_sql(
            "SELECT seq, event_id, account_id, resource_id FROM events ORDER BY seq").all()
    assert "run_length" not in columns and "more_ids" not in columns
    assert [(seq, event_id, account) for seq, event_id, account, _ in rows] == [
        (seq, event_id, account) for seq, event_id, account, _ in before]
    assert [resource for *_, resource in rows] == [
        "i-1", "i-2", "i-3", None, "snap-1", "snap-1", "snap-1", "vol-1", "vol-2"]
