"""Which node is on duty (:mod:`ec2emu.store.leadership`): one of several sharing a
PostgreSQL database at a time, handed over when it lets go or loses its connection;
every node on SQLite."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.store.engine import create_engine
from ec2emu.store.leadership import CHECK_EVERY, DUTY_LOCK_KEY, Leadership
from tests.conftest import DURATIONS


class Ticking:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def step(self) -> None:
        self.now += CHECK_EVERY


@pytest.fixture
def engines(pg_migrated_url: str) -> Iterator[list[sa.Engine]]:
    made = [create_engine(pg_migrated_url) for _ in range(3)]
    yield made
    for engine in made:
        engine.dispose()


def _holders(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND ((classid::bigint << 32) | objid::bigint) = :key"), {"key": DUTY_LOCK_KEY}).scalars())


def test_one_node_of_several_on_postgresql_is_on_duty(engines: list[sa.Engine]) -> None:
    clock = Ticking()
    nodes = [Leadership(engine, clock) for engine in engines]
    assert [node.held() for node in nodes] == [True, False, False]
    clock.step()
    assert [node.held() for node in nodes] == [True, False, False]
    assert len(_holders(engines[0])) == 1
    for node in nodes:
        node.release()
    assert _holders(engines[0]) == []


def test_the_duty_passes_on_when_its_holder_lets_go(engines: list[sa.Engine]) -> None:
    clock = Ticking()
    first, second = Leadership(engines[0], clock), Leadership(engines[1], clock)
    assert (first.held(), second.held()) == (True, False)
    first.release()
    # The other node looks again only when its next check is due.
    assert second.held() is False
    clock.step()
    assert second.held() is True
    assert first.held() is False
    second.release()


def test_a_holder_that_loses_its_connection_stops_and_another_takes_over(engines: list[sa.Engine]) -> None:
    clock = Ticking()
    first, second = Leadership(engines[0], clock), Leadership(engines[1], clock)
    assert (first.held(), second.held()) == (True, False)
    [pid] = _holders(engines[2])
    with engines[2].connect() as conn:
        conn.execute(sa.select(sa.func.pg_terminate_backend(pid)))
        conn.commit()
    deadline = time.monotonic() + 10
    while _holders(engines[2]) and time.monotonic() < deadline:  # the backend ends a moment later
        time.sleep(0.01)
    clock.step()
    # The lost holder finds out at its check; the other takes the lock at its try.
    assert first.held() is False
    assert second.held() is True
    clock.step()
    assert first.held() is False
    assert second.held() is True
    second.release()
    first.release()


def test_every_node_on_sqlite_is_on_duty(migrated_database: Path) -> None:
    url = f"sqlite:///{migrated_database}"
    engines = [create_engine(url) for _ in range(2)]
    try:
        assert [Leadership(engine).held() for engine in engines] == [True, True]
    finally:
        for engine in engines:
            engine.dispose()


def test_nodes_built_on_one_postgresql_database_agree_on_who_is_on_duty(pg_migrated_url: str, tmp_path: Path) -> None:
    apps = [build_app(Settings(state_dir=tmp_path / f"node{i}", db_url=pg_migrated_url, durations=DURATIONS))
            for i in range(2)]
    try:
        assert [app.leadership.held() for app in apps] == [True, False]
    finally:
        for app in apps:
            app.leadership.release()
            app.store.close()
