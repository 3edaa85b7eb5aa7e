"""``Store.transaction``: the work of one request in one transaction, on SQLite and on
PostgreSQL alike; writers take turns, so concurrent read-then-write work loses no
update, and on PostgreSQL a transaction that conflicts with another is run again whole."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.repository import Store, UnitOfWork
from tests.store.conftest import ACCOUNT, REGION

RowFactory = Callable[..., dict[str, Any]]


class Refused(Exception):
    pass


def test_the_work_commits_and_its_result_is_returned(store: Store, instance_row: RowFactory) -> None:
    row = instance_row()

    def work(uow: UnitOfWork) -> str:
        uow.instances.insert([row])
        uow.settings.set("counter", 3)
        return "done"

    assert store.transaction(work) == "done"
    with store.unit_of_work() as uow:
        assert list(uow.instances.get(ACCOUNT, REGION, [row["instance_id"]])) == [row["instance_id"]]
        assert uow.settings.get("counter") == 3


def test_an_exception_from_the_work_discards_every_write_and_propagates(
    store: Store, instance_row: RowFactory
) -> None:
    kept = instance_row()
    store.transaction(lambda uow: uow.instances.insert([kept]))
    fresh = instance_row()

    def work(uow: UnitOfWork) -> None:
        uow.instances.insert([fresh])
        uow.instances.update(kept["instance_id"], {"state": "stopped"})
        uow.tags.put(ACCOUNT, REGION, kept["instance_id"], "instance", [("team", "web")])
        uow.settings.set("counter", 7)
        raise Refused()

    with pytest.raises(Refused):
        store.transaction(work)
    with store.unit_of_work() as uow:
        found = uow.instances.get(ACCOUNT, REGION, [kept["instance_id"], fresh["instance_id"]])
        assert list(found) == [kept["instance_id"]]
        assert found[kept["instance_id"]]["state"] == "running"
        assert uow.tags.for_resources(ACCOUNT, REGION, [kept["instance_id"]]) == {}
        assert uow.settings.get("counter") is None
    # The store is usable afterwards.
    assert store.transaction(lambda uow: uow.settings.next_counter("counter")) == 0


def test_concurrent_read_then_write_transactions_lose_no_update(store_url: str, store: Store) -> None:
    """Two writers read and then write the same counter at once: writers take turns
    (SQLite's ``BEGIN IMMEDIATE``; PostgreSQL's lock on ``write_lock``, taken before the
    snapshot), so the second reads what the first wrote, with no attempt lost."""
    other = Store(store_url)
    attempts: list[str] = []
    first_read = threading.Event()
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def increment(name: str, target: Store) -> None:
        def work(uow: UnitOfWork) -> int:
            attempts.append(name)
            value = uow.settings.get("hits") or 0  # the row does not exist yet
            if name == "a":
                first_read.set()
                time.sleep(0.3)  # b asks for its turn meanwhile
            uow.settings.set("hits", value + 1)
            return int(value)

        try:
            results[name] = target.transaction(work)
        except BaseException as error:  # reported below
            errors.append(error)

    a = threading.Thread(target=increment, args=("a", store))
    a.start()
    assert first_read.wait(10)
    b = threading.Thread(target=increment, args=("b", other))
    b.start()
    for thread in (a, b):
        thread.join(30)
    other.close()
    assert errors == []
    assert results == {"a": 0, "b": 1}
    assert attempts == ["a", "b"]  # b waited for its turn: nothing was run twice
    with store.unit_of_work() as uow:
        assert uow.settings.get("hits") == 2


def test_a_conflict_is_retried_through_the_whole_work(pg_url: str) -> None:
    """PostgreSQL only: a write that conflicts with one made outside the writers' turns
    (another program on the database) fails to serialize; the whole work runs again and
    sees the other write."""
    store = Store(pg_url)
    outside = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1)
                               if pg_url.startswith("postgresql://") else pg_url)
    try:
        store.transaction(lambda uow: uow.settings.set("owner", None))
        decisions: list[Any] = []

        def work(uow: UnitOfWork) -> bool:
            owner = uow.settings.get("owner")
            decisions.append(owner)
            if len(decisions) == 1:
                with outside.begin() as conn:  # commits after this snapshot was taken
                    conn.execute(schema.settings.update().where(schema.settings.c.key == "owner")
                                 .values(value='"outside"'))
            if owner is not None:
                return False
            uow.settings.set("owner", "us")
            return True

        assert store.transaction(work) is False
        # Read "no owner", failed to serialize, ran again and saw the other write.
        assert decisions == [None, "outside"]
        with store.unit_of_work() as uow:
            assert uow.settings.get("owner") == "outside"
    finally:
        store.close()
        outside.dispose()


def test_a_conflict_raised_by_the_driver_itself_is_retried(pg_url: str) -> None:
    """The prepared statements run on the driver's connection, so a serialization failure
    can arrive unwrapped by SQLAlchemy: it is still recognised (by its SQLSTATE) and the
    whole work run again."""
    import psycopg

    store = Store(pg_url)
    calls: list[int] = []

    def work(uow: UnitOfWork) -> str:
        calls.append(1)
        uow.conn.execute(sa.select(1))
        if len(calls) == 1:
            raise psycopg.errors.SerializationFailure("could not serialize access")
        return "done"

    try:
        assert store.transaction(work) == "done"
        assert len(calls) == 2
    finally:
        store.close()


def _driver(store: Store) -> Any:
    """The driver connection a unit of work of ``store`` runs on, in the calling thread."""
    return store.transaction(lambda uow: uow.conn.connection.driver_connection, read_only=True)


def test_on_sqlite_each_thread_keeps_to_its_own_connection(tmp_path: Path) -> None:
    """A connection's page cache is dropped whenever another connection has written, so
    a thread goes back to the connection it gave back last, and a thread that has none
    idle takes the one given back longest ago — not the other thread's latest."""
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        held = threading.Event()
        release = threading.Event()
        seen: dict[str, Any] = {}

        def hold() -> None:  # a unit of work left open while the other thread works
            with store.unit_of_work() as uow:
                seen["other"] = uow.conn.connection.driver_connection
                held.set()
                release.wait(10)

        other = threading.Thread(target=hold)
        other.start()
        assert held.wait(10)
        mine = _driver(store)  # the other thread holds one: this thread's is another
        release.set()
        other.join(10)
        assert mine is not seen["other"]
        # Both are idle now, the other thread's given back last; this thread keeps to its own.
        assert [_driver(store) for _ in range(3)] == [mine] * 3

        found: list[Any] = []
        other = threading.Thread(target=lambda: found.append(_driver(store)))
        other.start()
        other.join(10)
        # A thread that gave none back takes the one idle longest (the first thread's), not this one's.
        assert found == [seen["other"]]
        assert _driver(store) is mine
    finally:
        store.close()
