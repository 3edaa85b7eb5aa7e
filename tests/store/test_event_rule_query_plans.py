"""EventBridge's rules and targets are read through their keys: a rule by name, a prefix's
rules and a bus's rules in one state as ranges, the count, a rule's targets, never a
``SCAN`` of either table; and a rule's targets go with it."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.event_rules import Bus
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

TABLES = ("event_rules", "event_targets")
BUS = Bus(ACCOUNT, REGION, "default")


def _rule(name: str, state: str = "ENABLED") -> dict[str, Any]:
    return {"account_id": ACCOUNT, "region": REGION, "event_bus": "default", "name": name,
            "event_pattern": '{"source": ["a"]}', "state": state, "description": None, "tags": [],
            "created_at": 0.0}


def _target(target_id: str) -> dict[str, Any]:
    return {"target_id": target_id, "arn": "arn:aws:sqs:us-east-1:000000000000:q", "role_arn": None, "input": None,
            "input_path": None, "input_transformer": None, "retry_policy": None, "dead_letter_arn": None}


@pytest.fixture
def rule_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for name, state in (("a-1", "ENABLED"), ("a-2", "DISABLED"), ("b-1", "ENABLED")):
            uow.event_rules.put(_rule(name, state))
        uow.event_rules.put_targets(BUS, "a-1", [_target("t1"), _target("t2")])
    return store


def test_look_ups_and_listings_use_keys(rule_store: Store) -> None:
    sqlite_only(rule_store)
    primary = "sqlite_autoindex_event_rules_1"
    for run, index, constraint in [
        (lambda uow: uow.event_rules.get(BUS, "a-1"), primary, "name=?"),
        (lambda uow: uow.event_rules.listing(BUS, "a-", "a-1", 10), primary, "name>?"),
        (lambda uow: uow.event_rules.in_state(BUS, "ENABLED"), "ix_event_rules_scope_state", "state=?"),
        (lambda uow: uow.event_rules.any_anywhere(("ENABLED", "DISABLED")), "ix_event_rules_state", "state=?"),
        (lambda uow: uow.event_rules.count(BUS), "INDEX", "event_bus=?"),
        (lambda uow: uow.event_rules.targets(BUS, "a-1", "t1", 10), "sqlite_autoindex_event_targets_1",
         "target_id>?"),
    ]:
        [plan] = plans(rule_store, run)
        assert_indexed(plan, index, constraint, TABLES)


def test_rules_targets_and_deletion(rule_store: Store) -> None:
    with rule_store.unit_of_work() as uow:
        rules = uow.event_rules
        assert [row["name"] for row in rules.listing(BUS, "a-", None, None)] == ["a-1", "a-2"]
        assert [row["name"] for row in rules.in_state(BUS, "ENABLED")] == ["a-1", "b-1"]
        assert rules.listing(Bus("111111111111", REGION, "default"), "", None, None) == []
        assert rules.target_ids(BUS, "a-1") == ["t1", "t2"]
        rules.delete(BUS, "a-1")
        assert rules.get(BUS, "a-1") is None
        assert rules.target_ids(BUS, "a-1") == []
        assert rules.count(BUS) == 2


def test_the_settler_finds_due_schedules_through_their_index(rule_store: Store) -> None:
    sqlite_only(rule_store)
    with rule_store.unit_of_work() as uow:
        for name, due in (("s-1", 30.0), ("s-2", 500.0)):
            uow.event_rules.put({**_rule(name), "event_pattern": None, "schedule_expression": "rate(1 minute)",
                                 "next_fire_at": due})
        assert uow.request_start("clock_offset_seconds")[1].schedules == 30.0
    statements = plans(rule_store, lambda uow: uow.settlement.settle(100.0, Durations()))
    texts = ["\n".join(plan) for plan in statements]
    assert any("ix_event_rules_next_fire" in text for text in texts)
    assert not any("SCAN event_rules" in text for text in texts), texts
    with rule_store.unit_of_work() as uow:
        assert [e["time"] for _, e in uow.outbox.after()] == ["1970-01-01T00:00:30Z", "1970-01-01T00:01:30Z"]
        assert uow.event_rules.get(BUS, "s-1")["next_fire_at"] == 150.0
        assert uow.event_rules.get(BUS, "s-2")["next_fire_at"] == 500.0
        assert uow.settlement.settle(100.0, Durations()) == 0
