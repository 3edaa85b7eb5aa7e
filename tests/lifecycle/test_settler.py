"""The settler: transitions persisted on their own, by the lifecycle's table, and never
inside a request's transaction."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
import sqlalchemy as sa

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.lifecycle.machines import DUE_TRANSITIONS, TRANSITIONS, Durations, allowed_from
from ec2emu.store import schema, settlement
from ec2emu.store.repository import Store
from ec2emu.store.settlement import RESOURCES
from tests.conftest import DURATIONS, NO_RETRY, ServerProcess
from tests.helpers import launch


def _stored_states(store: Store) -> dict[str, str]:
    with store.unit_of_work() as uow:
        rows = uow.conn.execute(sa.select(schema.instances.c.instance_id, schema.instances.c.state))
        return {row.instance_id: row.state for row in rows}


def test_every_timed_state_has_one_due_row_and_a_duration() -> None:
    keys = [(t.resource, t.state) for t in DUE_TRANSITIONS]
    assert len(keys) == len(set(keys))
    assert {t.resource for t in TRANSITIONS} <= set(RESOURCES)
    durations = Durations(pending=1, stopping=2, shutting_down=3, terminated_retention=4, volume=5, snapshot=6,
                          monitoring=7, metadata_options=8, volume_modifying=9, volume_optimizing=10,
                          snapshot_archive=11, snapshot_restore=12)
    assert [durations.for_state(t.state, t.resource) for t in DUE_TRANSITIONS] == [
        1, 2, 3, 4, 5, 5, 5, 5, 6, 7, 7, 8, 9, 10, 11, 12, 12]
    assert allowed_from("instance", "TerminateInstances") == ("pending", "running", "stopping", "stopped")


def test_a_transition_is_persisted_at_its_time_with_no_request(tmp_path: Path) -> None:
    """A served instance becomes running in the database on the settler's timer, though
    no request comes after the launch."""
    server = ServerProcess(tmp_path, ["--pending-seconds", "1"]).start()
    try:
        [instance] = launch(server.client())
        store = Store(f"sqlite:///{tmp_path / 'ec2emu.db'}")
        try:
            assert _stored_states(store)[instance] == "pending"
            deadline = time.monotonic() + 10
            while _stored_states(store)[instance] != "running" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _stored_states(store)[instance] == "running"
        finally:
            store.close()
    finally:
        server.stop()


def test_a_reader_shows_a_due_transition_without_writing_it(
        emulator: Emulator, clock: ManualClock, ec2: Any) -> None:
    [instance] = launch(ec2)
    clock.advance(60)  # the clock alone: nothing has settled yet
    assert _stored_states(emulator.store)[instance] == "pending"
    reservations = ec2.describe_instances(InstanceIds=[instance])["Reservations"]
    assert reservations[0]["Instances"][0]["State"]["Name"] == "running"
    statuses = ec2.describe_instance_status(InstanceIds=[instance])["InstanceStatuses"]
    assert [s["InstanceState"]["Name"] for s in statuses] == ["running"]
    assert _stored_states(emulator.store)[instance] == "pending"


def test_a_write_depending_on_a_due_transition_has_the_settler_apply_it_first(
        emulator: Emulator, clock: ManualClock, ec2: Any) -> None:
    [instance, other] = launch(ec2, count=2)
    clock.advance(60)
    assert _stored_states(emulator.store) == {instance: "pending", other: "pending"}
    [change] = ec2.stop_instances(InstanceIds=[instance])["StoppingInstances"]
    assert change["PreviousState"]["Name"] == "running"
    assert _stored_states(emulator.store) == {instance: "stopping", other: "running"}


def test_advancing_the_clock_settles_before_it_answers(emulator: Emulator, ec2: Any) -> None:
    [instance] = launch(ec2)
    emulator.advance(60)
    assert _stored_states(emulator.store)[instance] == "running"


def test_the_timers_tick_looks_as_a_reader_and_settles_only_what_is_due(
        emulator: Emulator, clock: ManualClock, ec2: Any) -> None:
    """With nothing due the tick neither waits for the writer holding the database nor
    writes (a writer's ``BEGIN IMMEDIATE`` would wait for the holder and fail); once
    something is due it settles it."""
    [instance] = launch(ec2)
    holder = sqlite3.connect(sa.make_url(emulator.store.url).database, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert emulator.pipeline.settle_if_due() == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    clock.advance(60)
    assert _stored_states(emulator.store)[instance] == "pending"
    assert emulator.pipeline.settle_if_due() == 2  # the launch and its metadata options
    assert _stored_states(emulator.store)[instance] == "running"


def test_the_timers_tick_reads_nothing_while_nothing_can_have_fallen_due(
        emulator: Emulator, clock: ManualClock, ec2: Any) -> None:
    """After a look that found nothing due, a tick reads the database again only once
    something has been committed (by any connection) or the clock has reached the
    earliest due time that look read."""
    [instance] = launch(ec2)
    lookout = emulator.pipeline.lookout
    assert emulator.pipeline.settle_if_due() == 0
    looks = lookout.looks
    assert emulator.pipeline.settle_if_due() == 0
    assert emulator.pipeline.settle_if_due() == 0
    assert lookout.looks == looks  # nothing committed, nothing due yet: no read
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "team", "Value": "a"}])
    assert emulator.pipeline.settle_if_due() == 0
    assert lookout.looks == looks + 1  # a commit of this process: read again
    other = sqlite3.connect(sa.make_url(emulator.store.url).database, timeout=5, isolation_level=None)
    try:
        other.execute("INSERT INTO settings (key, value) VALUES ('another-connection', '1')")
    finally:
        other.close()
    assert emulator.pipeline.settle_if_due() == 0
    assert lookout.looks == looks + 2  # another connection's commit: read again
    clock.advance(60)  # moves no row: only the clock reaches the launch's due time
    assert emulator.pipeline.settle_if_due() == 2
    assert _stored_states(emulator.store)[instance] == "running"


def test_a_store_on_postgresql_gives_no_change_mark(pg_url: str) -> None:
    """Another node's commit is not seen by a connection's ``data_version``: on
    PostgreSQL every tick reads."""
    store = Store(pg_url)
    try:
        assert store.change_mark() is None
    finally:
        store.close()


def test_the_settler_reports_what_it_moved(emulator: Emulator, clock: ManualClock, ec2: Any) -> None:
    launch(ec2, count=3)
    assert emulator.settle() == 0
    clock.advance(60)
    assert emulator.settle() == 6  # each instance's launch and its metadata options
    assert emulator.settle() == 0


def test_a_termination_committed_while_the_settler_runs_is_settled_whole(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL, another node terminates instance x between the statements of the
    settler's shutting-down → terminated transition. Every statement reads the settler's
    one snapshot, so x is not half-settled (terminated with its root volume still
    attached); the next run settles x and its volume together."""
    clock = ManualClock()
    app = build_app(Settings(state_dir=tmp_path, db_url=pg_url, durations=DURATIONS, admin_token="t"),
                    clock=clock)
    transport = InProcessTransport(app)
    ec2 = transport.attach(boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                        aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY))
    x, y = launch(ec2, count=2)
    app.advance(60)
    ec2.terminate_instances(InstanceIds=[y])
    clock.advance(10)  # y's shutting-down is due; nothing settled yet
    other = sa.create_engine(pg_url)
    original = settlement.SettlementRepository.apply
    interleaved: list[bool] = []

    def apply(self: settlement.SettlementRepository, transition: Any, now: float, durations: Durations) -> int:
        if transition.state != "shutting-down" or interleaved:
            return original(self, transition, now, durations)
        bound = {"now": now, "seconds": durations.for_state("terminated"), "volume": durations.volume,
                 "places": None}  # PostgreSQL's outbox gives an instance's row no places
        moved = 0
        for index, statement in enumerate(settlement._statements(transition)):
            if index == 2:  # after the volumes' statements, before the instances' update
                interleaved.append(True)
                with other.begin() as conn:
                    conn.execute(schema.instances.update().where(schema.instances.c.instance_id == x)
                                 .values(state="shutting-down", due_at=now - 1))
            moved = self.conn.execute(statement, bound).rowcount
        return moved

    try:
        monkeypatch.setattr(settlement.SettlementRepository, "apply", apply)
        app.settle()
        monkeypatch.setattr(settlement.SettlementRepository, "apply", original)
        app.advance(4000)  # past every retention: both records are gone
        with app.store.unit_of_work() as uow:
            instances = [row.instance_id for row in uow.conn.execute(sa.select(schema.instances))]
            attached = [row.volume_id for row in uow.conn.execute(
                sa.select(schema.volumes).where(schema.volumes.c.instance_id.is_not(None)))]
        assert interleaved and instances == [] and attached == []
    finally:
        other.dispose()
        app.store.close()
