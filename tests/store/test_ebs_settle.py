"""Volume modifications and snapshot tiers on the clock, in the store: readers show a due
step done without writing, and the settler persists it — a modification leaving
``modifying`` gives the volume its targets, and a big jump applies both steps at once."""

from __future__ import annotations

from typing import Any

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import Store
from ec2emu.store.shown import Moment
from tests.store.conftest import ACCOUNT, REGION, make_volume_row

DURATIONS = Durations(volume_modifying=2.0, volume_optimizing=4.0, snapshot_archive=6.0)


def _modification(volume_id: str) -> dict[str, Any]:
    return {"volume_id": volume_id, "account_id": ACCOUNT, "region": REGION, "state": "modifying",
            "due_at": 102.0, "start_time": 100.0, "end_time": 106.0,
            "original_size": 8, "original_volume_type": "gp3", "original_iops": 3000, "original_throughput": 125,
            "original_multi_attach": False, "target_size": 20, "target_volume_type": "io2", "target_iops": 4000,
            "target_throughput": None, "target_multi_attach": False}


def _read(store: Store, now: float, volume_id: str) -> tuple[str, dict[str, Any]]:
    with store.unit_of_work() as uow:
        uow.moment = Moment(now, DURATIONS)
        modification = uow.volume_modifications.get(ACCOUNT, REGION, [volume_id])[volume_id]
        volume = uow.volumes.get(ACCOUNT, REGION, [volume_id])[volume_id]
        return modification["state"], volume


def test_a_modification_is_shown_then_settled_and_the_volume_takes_its_targets(store: Store) -> None:
    volume = make_volume_row(None, throughput=125, multi_attach=False)
    with store.unit_of_work() as uow:
        uow.volumes.insert([volume])
        uow.volume_modifications.put(_modification(volume["volume_id"]))
    assert _read(store, 101.0, volume["volume_id"])[0] == "modifying"
    state, stored = _read(store, 103.0, volume["volume_id"])
    assert (state, stored["size"]) == ("optimizing", 8)  # shown, not yet written
    with store.unit_of_work() as uow:
        assert uow.settlement.settle(103.0, DURATIONS) == 1
    state, stored = _read(store, 103.0, volume["volume_id"])
    assert (state, stored["size"], stored["volume_type"], stored["iops"], stored["throughput"]) == (
        "optimizing", 20, "io2", 4000, None)
    assert _read(store, 108.0, volume["volume_id"])[0] == "completed"
    with store.unit_of_work() as uow:
        uow.settlement.settle(108.0, DURATIONS)
        row = uow.volume_modifications.get(ACCOUNT, REGION, [volume["volume_id"]])[volume["volume_id"]]
        assert (row["state"], row["due_at"]) == ("completed", None)


def test_a_big_jump_applies_both_steps_at_once(store: Store) -> None:
    volume = make_volume_row(None, throughput=125, multi_attach=False)
    with store.unit_of_work() as uow:
        uow.volumes.insert([volume])
        uow.volume_modifications.put(_modification(volume["volume_id"]))
        uow.settlement.settle(1_000.0, DURATIONS)
    state, stored = _read(store, 1_000.0, volume["volume_id"])
    assert (state, stored["size"]) == ("completed", 20)


def test_an_archival_is_shown_then_settled(store: Store) -> None:
    tier = {"snapshot_id": "snap-1", "account_id": ACCOUNT, "region": REGION, "volume_id": None,
            "status": "archival-in-progress", "due_at": 106.0, "tiering_start_time": 100.0,
            "archival_complete_time": 106.0, "restore_start_time": None, "restore_expiry_time": None}
    with store.unit_of_work() as uow:
        uow.snapshot_tiers.put(tier)
    with store.unit_of_work() as uow:
        uow.moment = Moment(107.0, DURATIONS)
        assert uow.snapshot_tiers.get(ACCOUNT, REGION, ["snap-1"])["snap-1"]["status"] == "archival-completed"
        due, = uow.request_start("clock_offset_seconds")[1:]
        assert due.snapshot_tiers == 106.0
    with store.unit_of_work() as uow:
        assert uow.settlement.settle(107.0, DURATIONS) == 1
        assert uow.snapshot_tiers.get(ACCOUNT, REGION, ["snap-1"])["snap-1"]["status"] == "archival-completed"


def test_a_deleted_volume_takes_its_modification_with_it(store: Store) -> None:
    volume = make_volume_row(None, throughput=125, multi_attach=False, state="deleting", due_at=200.0)
    with store.unit_of_work() as uow:
        uow.volumes.insert([volume])
        uow.volume_modifications.put({**_modification(volume["volume_id"]), "state": "completed", "due_at": None})
    with store.unit_of_work() as uow:
        uow.settlement.settle(201.0, DURATIONS)
        assert uow.volume_modifications.get(ACCOUNT, REGION, [volume["volume_id"]]) == {}
        assert uow.volumes.get(ACCOUNT, REGION, [volume["volume_id"]]) == {}
