"""Snapshot permissions in the store: what each :class:`Reach` reaches (owned, granted to
an account, public), paged in ID order, and what a viewer may look up by ID."""

from __future__ import annotations

from ec2emu.store.repository import Store
from ec2emu.store.snapshots import Reach
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_ebs_query_plans import OTHER, snapshot_row


def test_visible_snapshots_by_reach_on_every_dialect(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.snapshots.insert([snapshot_row("snap-a", ACCOUNT), snapshot_row("snap-b", OTHER), snapshot_row("snap-c", OTHER),
                              snapshot_row("snap-d", OTHER)])
        uow.snapshots.grant("snap-b", [ACCOUNT])
        uow.snapshots.grant("snap-c", ["all"])
    with store.unit_of_work() as uow:
        def ids(*reaches: Reach, after: str | None = None, limit: int | None = None) -> list[str]:
            return [row["snapshot_id"] for row in uow.snapshots.find_visible(ACCOUNT, REGION, reaches,
                                                                             after_id=after, limit=limit)]

        assert ids(Reach(ACCOUNT), Reach(None, (ACCOUNT, "all"))) == ["snap-a", "snap-b", "snap-c"]
        assert ids(Reach(ACCOUNT), Reach(None, (ACCOUNT, "all")), after="snap-a", limit=1) == ["snap-b"]
        assert ids(Reach(None, ("all",))) == ["snap-c"]
        assert sorted(uow.snapshots.get_visible(ACCOUNT, REGION, ["snap-a", "snap-b", "snap-c", "snap-d"])) == [
            "snap-a", "snap-b", "snap-c"]
        uow.snapshots.revoke("snap-b", [ACCOUNT])
        assert ids(Reach(ACCOUNT), Reach(None, (ACCOUNT,))) == ["snap-a"]
