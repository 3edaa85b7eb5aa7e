"""``Store.transaction``: the work of one request in one transaction, on SQLite and on
PostgreSQL alike; on PostgreSQL a transaction that conflicts with another is run again
whole, so concurrent read-then-write work loses no update."""

from __future__ import annotations

import threading
from collections.abc import Callable
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
    """Two transactions read the same counter before either writes it: on SQLite the
    second waits for the first (BEGIN IMMEDIATE); on PostgreSQL one of them fails to
    serialize and is run again, reading the other's value."""
    other = Store(store_url)
    attempts: list[str] = []
    both_read = threading.Barrier(2, timeout=10)
    postgresql = store.engine.dialect.name == "postgresql"
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def increment(name: str, target: Store) -> None:
        def work(uow: UnitOfWork) -> int:
            first_attempt = name not in attempts
            attempts.append(name)
            value = uow.settings.get("hits") or 0  # the row does not exist yet
            if postgresql and first_attempt:
                both_read.wait()  # both have read before either writes
            uow.settings.set("hits", value + 1)
            return int(value)

        try:
            results[name] = target.transaction(work)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=increment, args=(name, target))
               for name, target in (("a", store), ("b", other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    other.close()
    assert errors == []
    assert sorted(results.values()) == [0, 1]
    with store.unit_of_work() as uow:
        assert uow.settings.get("hits") == 2
    if postgresql:
        assert len(attempts) == 3  # the loser ran twice


def test_a_conflict_is_retried_through_the_whole_work(pg_url: str) -> None:
    """PostgreSQL only: the retried attempt sees the winner's write and decides anew."""
    first, second = Store(pg_url), Store(pg_url)
    try:
        first.transaction(lambda uow: uow.settings.set("owner", None))
        both_read = threading.Barrier(2, timeout=10)
        decisions: dict[str, list[Any]] = {"a": [], "b": []}

        def claim(name: str, target: Store) -> None:
            def work(uow: UnitOfWork) -> bool:
                owner = uow.settings.get("owner")
                decisions[name].append(owner)
                if len(decisions[name]) == 1:
                    both_read.wait()
                if owner is not None:
                    return False
                uow.settings.set("owner", name)
                return True

            decisions[name].append(target.transaction(work))

        threads = [threading.Thread(target=claim, args=item) for item in (("a", first), ("b", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        winners = [name for name, seen in decisions.items() if seen[-1] is True]
        assert len(winners) == 1
        loser = "b" if winners == ["a"] else "a"
        # The loser read "no owner", failed to serialize, ran again and saw the winner.
        assert decisions[loser] == [None, winners[0], False]
        with first.unit_of_work() as uow:
            assert uow.settings.get("owner") == winners[0]
            count = uow.conn.execute(sa.select(sa.func.count()).select_from(schema.settings)).scalar()
            assert count == 1
    finally:
        first.close()
        second.close()


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
