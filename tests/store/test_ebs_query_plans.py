"""Snapshot visibility (owned, granted, public) and volume modifications are read through
indexes: the grantee index, the snapshots' primary key and scope indexes, the
modifications' scope indexes."""

from __future__ import annotations

from typing import Any

from ec2emu.store.repository import Match, Store
from ec2emu.store.snapshots import Reach
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

OTHER = "222222222222"


def snapshot_row(snapshot_id: str, account: str) -> dict[str, Any]:
    return {"snapshot_id": snapshot_id, "account_id": account, "region": REGION, "volume_id": "vol-1",
            "volume_size": 8, "description": None, "encrypted": False, "kms_key_id": None, "state": "completed",
            "start_time": 0.0, "due_at": None}


def test_visible_snapshots_are_found_through_indexes(store: Store) -> None:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        uow.snapshots.insert([snapshot_row(f"snap-{n:02d}", ACCOUNT if n % 2 else OTHER) for n in range(20)])
        uow.snapshots.grant("snap-00", [ACCOUNT])
        uow.snapshots.grant("snap-02", ["all"])
    reaches = [Reach(ACCOUNT), Reach(None, (ACCOUNT, "all"))]
    found: list[Any] = []
    owned, granted, *reads = plans(store, lambda uow: found.extend(
        uow.snapshots.find_visible(ACCOUNT, REGION, reaches, [Match("volume_size", (8,))], limit=5)))
    assert [row["snapshot_id"] for row in found] == ["snap-00", "snap-01", "snap-02", "snap-03", "snap-05"]
    assert_indexed(owned, "INDEX", "account_id=?", ["snapshots"])
    assert_indexed(granted, "ix_snapshot_permissions_grantee", "grantee=?", ["snapshots", "snapshot_permissions"])
    for plan in reads:
        assert_indexed(plan, "INDEX", "snapshot_id=?", ["snapshots", "snapshot_permissions"])


def test_modifications_are_found_by_state_through_its_index(store: Store) -> None:
    sqlite_only(store)
    [plan, *reads] = plans(store, lambda uow: uow.volume_modifications.find(
        ACCOUNT, REGION, [Match("state", ("optimizing",))]))
    assert_indexed(plan, "ix_volume_modifications_scope_state", "state=?", ["volume_modifications"])


def test_tier_statuses_are_found_by_operation_through_its_index(store: Store) -> None:
    sqlite_only(store)
    [plan, *reads] = plans(store, lambda uow: uow.snapshot_tiers.find(
        ACCOUNT, REGION, [Match("status", ("archival-completed",))]))
    assert_indexed(plan, "ix_snapshot_tiers_scope_status", "status=?", ["snapshot_tiers"])

