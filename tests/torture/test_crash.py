"""Crash torture: a writer load over every mutating family, the server killed with
``kill -9`` at random moments (and, on PostgreSQL, the database itself crashed under
load), and after each restart every acknowledged change present, nothing in doubt
half-applied, every event in the outbox once (:mod:`tests.torture.ledger`).

``make test`` runs a few cycles of each; ``make torture`` runs
20 (``EC2EMU_TORTURE_CYCLES`` sets any number)."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.conftest import ServerProcess
from tests.pgcluster import PgCluster, pg_bin_dir
from tests.torture.ledger import TIMINGS, Actor, check_events, clients

LONG_RUN = bool(os.environ.get("EC2EMU_TORTURE"))
CYCLES = int(os.environ.get("EC2EMU_TORTURE_CYCLES", "20" if LONG_RUN else "3"))
ACTORS = 3


@pytest.fixture
def durable_cluster() -> Iterator[PgCluster]:
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are absent: apt-get install postgresql")
    cluster = PgCluster(bin_dir, durable=True).start()
    yield cluster
    cluster.destroy()


class Load:
    """The actors calling one server from threads of their own until stopped."""

    def __init__(self, actors: list[Actor], endpoint: str) -> None:
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=actor.run, args=(endpoint, self.stop), daemon=True)
                        for actor in actors]
        for thread in self.threads:
            thread.start()

    def run_for(self, actors: list[Actor], seconds: float, at_least: int = 10) -> None:
        """Let the load run ``seconds``, and on until ``at_least`` more calls were answered."""
        before = sum(actor.acknowledged for actor in actors)
        time.sleep(seconds)
        deadline = time.monotonic() + 30
        while sum(actor.acknowledged for actor in actors) < before + at_least and time.monotonic() < deadline:
            time.sleep(0.05)

    def end(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "an actor hung"


def settle_and_verify(endpoint: str, actors: list[Actor], tally: dict[str, int]) -> None:
    ec2, events = clients(endpoint)
    for actor in actors:
        outcome = actor.reconcile(ec2, events)
        if outcome:
            tally[outcome] += 1
    for actor in actors:
        actor.verify(ec2, events)
    tally["events"] = check_events(endpoint, actors)
    tally["acknowledged"] = sum(actor.acknowledged for actor in actors)


def report(name: str, tally: dict[str, int]) -> None:
    print(f"\n{name}: {tally['cycles']} cycles, {tally['acknowledged']} acknowledged calls all present, "
          f"in doubt: {tally['applied']} applied whole, {tally['not applied']} not applied, none half-applied; "
          f"{tally['events']} events in the outbox, each once")


def _kill9_cycles(extra: list[str], state_dir: Path, integrity: Path | None, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    actors = [Actor(f"a{i}", seed * 10 + i) for i in range(ACTORS)]
    tally = {"applied": 0, "not applied": 0, "cycles": 0, "events": 0, "acknowledged": 0}
    server = ServerProcess(state_dir, [*TIMINGS, *extra]).start()
    try:
        for _ in range(CYCLES):
            load = Load(actors, server.endpoint)
            load.run_for(actors, rng.uniform(0.5, 2.0))
            server.kill9()
            load.end()
            if integrity is not None:
                with sqlite3.connect(integrity) as conn:
                    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            server = ServerProcess(state_dir, [*TIMINGS, *extra]).start()
            settle_and_verify(server.endpoint, actors, tally)
            tally["cycles"] += 1
    finally:
        server.stop()
    assert tally["acknowledged"] > CYCLES * ACTORS, tally  # the load did run
    return tally


def test_kill_9_loses_no_acknowledged_change_on_sqlite(tmp_path: Path) -> None:
    tally = _kill9_cycles([], tmp_path, tmp_path / "ec2emu.db", seed=1)
    report("SQLite, server killed", tally)


def test_kill_9_loses_no_acknowledged_change_on_postgresql(durable_cluster: PgCluster, tmp_path: Path) -> None:
    tally = _kill9_cycles(["--db", durable_cluster.create_database()], tmp_path, None, seed=2)
    report("PostgreSQL, server killed", tally)


def _answers_503(endpoint: str) -> bool:
    ec2, _ = clients(endpoint)
    try:
        ec2.describe_instances(MaxResults=5)
    except ClientError as error:
        return (error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]) == (
            "ServiceUnavailable", 503)
    return False


def _recovered(endpoint: str, within: float) -> bool:
    ec2, _ = clients(endpoint)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            ec2.describe_instances(MaxResults=5)
            return True
        except ClientError:
            time.sleep(0.2)
    return False


def test_a_crashed_database_loses_no_acknowledged_change_and_the_server_recovers(
        durable_cluster: PgCluster, tmp_path: Path) -> None:
    rng = random.Random(3)
    actors = [Actor(f"d{i}", 30 + i) for i in range(ACTORS)]
    tally = {"applied": 0, "not applied": 0, "cycles": 0, "events": 0, "acknowledged": 0}
    server = ServerProcess(tmp_path, [*TIMINGS, "--db", durable_cluster.create_database()]).start()
    try:
        for _ in range(CYCLES if LONG_RUN else 1):
            load = Load(actors, server.endpoint)
            load.run_for(actors, rng.uniform(0.5, 2.0))
            durable_cluster.crash()
            load.end()
            assert _answers_503(server.endpoint)  # the server answers while its database is away
            durable_cluster.start()
            assert _recovered(server.endpoint, within=30), "the server did not recover by itself"
            settle_and_verify(server.endpoint, actors, tally)
            tally["cycles"] += 1
    finally:
        server.stop()
    report("PostgreSQL, database crashed", tally)


