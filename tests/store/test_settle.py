"""``SettlementRepository.settle`` (the store's half of the settler): every timed
transition that has fallen due is applied, including several steps at once after a big
clock jump, and nothing before its time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from ec2emu.lifecycle.machines import Durations
from ec2emu.store import schema
from ec2emu.store.repository import Due, Store
from tests.store.conftest import ACCOUNT, REGION

RowFactory = Callable[..., dict[str, Any]]
RETENTION = 3600.0
DURATIONS = Durations(terminated_retention=RETENTION, volume=1.0)


def _settle(store: Store, now: float) -> None:
    with store.unit_of_work() as uow:
        uow.settlement.settle(now, DURATIONS)


def _instances(store: Store) -> dict[str, tuple[str, float | None]]:
    with store.unit_of_work() as uow:
        rows = uow.conn.execute(sa.select(schema.instances.c.instance_id, schema.instances.c.state,
                                          schema.instances.c.due_at))
        return {row.instance_id: (row.state, row.due_at) for row in rows}


def _volumes(store: Store) -> dict[str, dict[str, Any]]:
    with store.unit_of_work() as uow:
        return {row.volume_id: dict(row._mapping) for row in uow.conn.execute(sa.select(schema.volumes))}


def _tags(store: Store, *ids: str) -> dict[str, list[tuple[str, str]]]:
    with store.unit_of_work() as uow:
        return dict(uow.tags.for_resources(ACCOUNT, REGION, ids))


def test_each_timed_state_moves_on_when_due_and_not_before(store: Store, instance_row: RowFactory) -> None:
    rows = [
        instance_row(state="pending", due_at=100.0, state_reason_code="pending",
                     state_reason_message="pending"),
        instance_row(state="stopping", due_at=100.0),
        instance_row(state="shutting-down", due_at=100.0),
        instance_row(state="running"),
        instance_row(state="stopped"),
    ]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)
    pending, stopping, shutting, running, stopped = (row["instance_id"] for row in rows)
    before = _instances(store)
    _settle(store, 99.999)
    assert _instances(store) == before
    _settle(store, 100.0)
    assert _instances(store) == {
        pending: ("running", None),
        stopping: ("stopped", None),
        shutting: ("terminated", 100.0 + RETENTION),
        running: ("running", None),
        stopped: ("stopped", None),
    }
    with store.unit_of_work() as uow:
        settled = uow.instances.get(ACCOUNT, REGION, [pending])[pending]
    assert settled["state_reason_code"] is None and settled["state_reason_message"] is None


def test_termination_deletes_or_detaches_volumes(
    store: Store, instance_row: RowFactory, volume_row: RowFactory
) -> None:
    instance = instance_row(state="shutting-down", due_at=10.0)
    root = volume_row(instance["instance_id"], delete_on_termination=True)
    data = volume_row(instance["instance_id"], delete_on_termination=False, device="/dev/sdf")
    elsewhere = instance_row(state="running")
    other = volume_row(elsewhere["instance_id"], delete_on_termination=True)
    with store.unit_of_work() as uow:
        uow.instances.insert([instance, elsewhere])
        uow.volumes.insert([root, data, other])
        for volume in (root, data):
            uow.tags.put(ACCOUNT, REGION, volume["volume_id"], "volume", [("Name", "disk")])
    _settle(store, 9.0)
    assert set(_volumes(store)) == {root["volume_id"], data["volume_id"], other["volume_id"]}
    _settle(store, 10.0)
    volumes = _volumes(store)
    # The DeleteOnTermination volume is deleting, detached, for one volume transition.
    deleting = volumes[root["volume_id"]]
    assert (deleting["state"], deleting["instance_id"], deleting["due_at"]) == ("deleting", None, 11.0)
    detached = volumes[data["volume_id"]]
    assert (detached["state"], detached["instance_id"], detached["device"], detached["attach_time"]) == (
        "available", None, None, None
    )
    assert volumes[other["volume_id"]]["instance_id"] == elsewhere["instance_id"]
    _settle(store, 11.0)
    volumes = _volumes(store)
    assert set(volumes) == {data["volume_id"], other["volume_id"]}
    # The deleted volume's tags go with it; the detached one keeps its tags.
    assert _tags(store, root["volume_id"], data["volume_id"]) == {data["volume_id"]: [("Name", "disk")]}


def test_terminated_instances_and_their_tags_go_after_retention(
    store: Store, instance_row: RowFactory
) -> None:
    old = instance_row(state="terminated", due_at=500.0)
    young = instance_row(state="terminated", due_at=800.0)
    with store.unit_of_work() as uow:
        uow.instances.insert([old, young])
        for row in (old, young):
            uow.tags.put(ACCOUNT, REGION, row["instance_id"], "instance", [("team", "web")])
    _settle(store, 600.0)
    assert set(_instances(store)) == {young["instance_id"]}
    assert set(_tags(store, old["instance_id"], young["instance_id"])) == {young["instance_id"]}


def test_a_big_clock_jump_applies_several_steps_at_once(
    store: Store, instance_row: RowFactory, volume_row: RowFactory
) -> None:
    shutting = instance_row(state="shutting-down", due_at=105.0)
    pending = instance_row(state="pending", due_at=105.0)
    stopping = instance_row(state="stopping", due_at=105.0)
    root = volume_row(shutting["instance_id"])
    with store.unit_of_work() as uow:
        uow.instances.insert([shutting, pending, stopping])
        uow.volumes.insert([root])
        uow.tags.put(ACCOUNT, REGION, shutting["instance_id"], "instance", [("team", "web")])
    # shutting-down -> terminated -> retention over -> gone, in one settle.
    _settle(store, 105.0 + RETENTION + 1)
    assert _instances(store) == {
        pending["instance_id"]: ("running", None),
        stopping["instance_id"]: ("stopped", None),
    }
    assert _tags(store, shutting["instance_id"]) == {}
    assert _volumes(store) == {}


def test_just_inside_retention_the_terminated_record_stays(store: Store, instance_row: RowFactory) -> None:
    shutting = instance_row(state="shutting-down", due_at=105.0)
    with store.unit_of_work() as uow:
        uow.instances.insert([shutting])
    _settle(store, 105.0 + RETENTION - 1)
    assert _instances(store) == {shutting["instance_id"]: ("terminated", 105.0 + RETENTION)}


def test_settle_with_nothing_due_changes_nothing(store: Store, instance_row: RowFactory) -> None:
    _settle(store, 1e12)  # empty store
    rows = [instance_row(state="running"), instance_row(state="pending", due_at=2e12)]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)
        assert uow.instances.next_due() == 2e12
    before = _instances(store)
    _settle(store, 1e12)
    assert _instances(store) == before


def test_settle_covers_every_account_and_region(store: Store, instance_row: RowFactory) -> None:
    rows = [
        instance_row(state="pending", due_at=1.0),
        instance_row(state="pending", due_at=1.0, region="eu-west-1", availability_zone="eu-west-1a"),
        instance_row(state="pending", due_at=1.0, account_id="111111111111"),
    ]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)
    _settle(store, 2.0)
    assert {state for state, _ in _instances(store).values()} == {"running"}


def test_volumes_of_several_finishing_instances_take_each_instance_s_time(
    store: Store, instance_row: RowFactory, volume_row: RowFactory
) -> None:
    early = instance_row(state="shutting-down", due_at=10.0)
    late = instance_row(state="shutting-down", due_at=10.5)
    early_root = volume_row(early["instance_id"], delete_on_termination=True)
    late_root = volume_row(late["instance_id"], delete_on_termination=True)
    late_data = volume_row(late["instance_id"], delete_on_termination=False, device="/dev/sdf")
    with store.unit_of_work() as uow:
        uow.instances.insert([early, late])
        uow.volumes.insert([early_root, late_root, late_data])
    _settle(store, 10.5)  # both fall due in one settle
    volumes = _volumes(store)
    assert (volumes[early_root["volume_id"]]["state"], volumes[early_root["volume_id"]]["due_at"]) == (
        "deleting", 11.0)
    assert (volumes[late_root["volume_id"]]["state"], volumes[late_root["volume_id"]]["due_at"]) == (
        "deleting", 11.5)
    assert (volumes[late_data["volume_id"]]["state"], volumes[late_data["volume_id"]]["instance_id"]) == (
        "available", None)


def test_request_start_reads_the_setting_and_each_earliest_due_time(
    store: Store, instance_row: RowFactory, volume_row: RowFactory
) -> None:
    with store.unit_of_work() as uow:
        assert uow.request_start("clock_offset_seconds") == (None, Due(None, None, None))
        uow.settings.set("clock_offset_seconds", 12.5)
        uow.instances.insert([instance_row(state="pending", due_at=40.0), instance_row(state="stopping", due_at=30.0)])
        uow.volumes.insert([volume_row(None, state="creating", due_at=50.0)])
        offset, due = uow.request_start("clock_offset_seconds")
    assert (offset, due) == (12.5, Due(30.0, 50.0, None))
    assert not due.any_by(29.9) and due.any_by(30.0)


def test_settle_given_the_due_times_skips_what_is_not_due(store: Store, instance_row: RowFactory) -> None:
    row = instance_row(state="pending", due_at=100.0)
    with store.unit_of_work() as uow:
        uow.instances.insert([row])
    with store.unit_of_work() as uow:
        _, due = uow.request_start("clock_offset_seconds")
        uow.settlement.settle(99.0, DURATIONS, due)
    assert _instances(store)[row["instance_id"]] == ("pending", 100.0)
    with store.unit_of_work() as uow:
        _, due = uow.request_start("clock_offset_seconds")
        uow.settlement.settle(100.0, DURATIONS, due)
    assert _instances(store)[row["instance_id"]] == ("running", None)


def test_settle_given_the_due_times_deletes_volumes_of_instances_terminated_in_the_same_step(
    store: Store, instance_row: RowFactory, volume_row: RowFactory
) -> None:
    instance = instance_row(state="shutting-down", due_at=10.0)
    root = volume_row(instance["instance_id"], delete_on_termination=True)
    with store.unit_of_work() as uow:
        uow.instances.insert([instance])
        uow.volumes.insert([root])
    with store.unit_of_work() as uow:
        _, due = uow.request_start("clock_offset_seconds")
        assert due.volumes is None
        uow.settlement.settle(20.0, DURATIONS, due)  # terminated at 10, volume gone at 11
    assert _volumes(store) == {}
