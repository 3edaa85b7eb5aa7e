"""One resource's events (an instance's state history) are read newest first through
``ix_events_resource_seq``, only the account's own, never by a scan of the outbox."""

from __future__ import annotations

from ec2emu.lifecycle.notifications import INSTANCE_STATE
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only


def test_a_resources_events_newest_last_and_only_the_accounts(store: Store) -> None:
    with store.unit_of_work() as uow:
        for time, state in ((1.0, "pending"), (2.0, "running"), (3.0, "stopping"), (4.0, "stopped")):
            uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1"], time, state)
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-2"], 5.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, "999999999999", REGION, ["i-1"], 6.0, "pending")
    with store.unit_of_work() as uow:
        found = uow.outbox.of_resource(ACCOUNT, "i-1")
        assert [event["detail"]["state"] for _, event in found] == ["pending", "running", "stopping", "stopped"]
        assert [seq for seq, _ in found] == sorted(seq for seq, _ in found)
        assert [e["detail"]["state"] for _, e in uow.outbox.of_resource(ACCOUNT, "i-1", 2)] == ["stopping", "stopped"]
        assert uow.outbox.of_resource(ACCOUNT, "i-9") == []


def test_history_uses_the_resource_index(store: Store) -> None:
    sqlite_only(store)
    [plan] = plans(store, lambda uow: uow.outbox.of_resource(ACCOUNT, "i-1"))
    assert_indexed(plan, "ix_events_resource_seq", "resource_id=?", ("events",))
