"""Deliveries in the store: the due ones found through the due index in due order, leased
ones left alone until their lease ends, outcomes recorded, dead letters listed through
their index, the matching cursor — never a ``SCAN`` of the table."""

from __future__ import annotations

from typing import Any

from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

TABLES = ("event_deliveries", "event_delivery_cursor")


def _delivery(seq: int, next_at: float) -> dict[str, Any]:
    return {"event_seq": seq, "event_id": f"id-{seq}", "account_id": ACCOUNT, "region": REGION,
            "event_bus": "default", "rule_name": "r", "target_id": "t", "target_arn": "arn:aws:logs:x",
            "dead_letter_arn": None, "retry_policy": None, "event": {"id": f"id-{seq}"}, "body": "{}",
            "http_parameters": None, "event_time": next_at, "next_at": next_at}


def test_due_leased_recorded_and_dead(store: Store) -> None:
    with store.unit_of_work() as uow:
        deliveries = uow.deliveries
        assert deliveries.cursor("rules") == 0
        deliveries.set_cursor("rules", 7)
        deliveries.set_cursor("rules", 9)
        assert deliveries.cursor("rules") == 9
        assert deliveries.add([_delivery(1, 30.0), _delivery(2, 10.0), _delivery(3, 20.0)]) == 3
        assert deliveries.waiting("rules") == (False, 10.0)
        due = deliveries.due(25.0, 1000.0, 10)
        assert [row["event_seq"] for row in due] == [2, 3]
        deliveries.lease([due[0]["id"]], 1010.0)
        assert [row["event_seq"] for row in deliveries.due(25.0, 1005.0, 10)] == [3]
        assert [row["event_seq"] for row in deliveries.due(25.0, 1010.0, 10)] == [2, 3]
        deliveries.record(due[0]["id"], {"attempts": 1, "status": "delivered", "ended_at": 25.0})
        deliveries.record(due[1]["id"], {"attempts": 1, "status": "dead", "error_code": "X", "ended_at": 25.0})
        assert deliveries.due(100.0, 2000.0, 10)[0]["event_seq"] == 1
        [dead] = deliveries.dead_letters(0, 10)
        assert (dead["event_seq"], dead["error_code"], dead["lease_until"]) == (3, "X", None)
        assert deliveries.dead_letters(dead["id"], 10) == []
        assert deliveries.prune(25.0, 10) == 0  # ended at 25: not before
        assert deliveries.prune(26.0, 10) == 1  # the delivered one; the dead letter is kept
        assert [row["event_seq"] for row in deliveries.dead_letters(0, 10)] == [3]
        assert [row["event_seq"] for row in deliveries.due(100.0, 2000.0, 10)] == [1]


def test_reads_use_indexes(store: Store) -> None:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        uow.deliveries.add([_delivery(seq, float(seq)) for seq in range(1, 20)])
    for run, index, constraint in [
        (lambda uow: uow.deliveries.due(10.0, 0.0, 5), "ix_event_deliveries_due", "next_at<?"),
        (lambda uow: uow.deliveries.waiting("rules"), "ix_event_deliveries_due", "status=?"),
        (lambda uow: uow.deliveries.dead_letters(3, 5), "ix_event_deliveries_dead", "id>?"),
        (lambda uow: uow.deliveries.prune(5.0, 100), "ix_event_deliveries_ended", "ended_at<?"),
        (lambda uow: uow.deliveries.cursor("rules"), "sqlite_autoindex_event_delivery_cursor_1", "name=?"),
    ]:
        [plan] = plans(store, run)
        assert_indexed(plan, index, constraint, TABLES)
