"""The launch options' look-ups use an index: the DescribeInstances filters on tenancy,
monitoring state and metadata options, the unlimited instances of
DescribeInstanceCreditSpecifications, and the settler's reach of due monitoring and
metadata-option states (SQLite's ``EXPLAIN QUERY PLAN``)."""

from __future__ import annotations

import pytest

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row
from tests.store.test_query_plans import _assert_indexed, listing, plans


@pytest.fixture
def option_store(store: Store) -> Store:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with store.unit_of_work() as uow:
        uow.instances.insert([
            make_instance_row(tenancy="dedicated", cpu_credits="unlimited", monitoring_state="pending",
                              monitoring_due_at=1.0, metadata_state="pending", metadata_due_at=1.0),
            make_instance_row(http_tokens="optional", http_put_response_hop_limit=1),
        ])
    return store


@pytest.mark.parametrize(("column", "value"), [
    ("tenancy", "dedicated"), ("monitoring_state", "enabled"), ("http_tokens", "optional"),
    ("http_put_response_hop_limit", 1), ("http_endpoint", "enabled"), ("instance_metadata_tags", "disabled"),
    ("cpu_credits", "unlimited"),
])
def test_option_filters_use_their_index(option_store: Store, column: str, value: object) -> None:
    plan = listing(option_store, lambda uow: uow.instances.find(ACCOUNT, REGION, [Match(column, (value,))]))
    _assert_indexed(plan, f"ix_instances_scope_{column}", f"{column}=?")


def test_settle_reaches_due_options_through_their_due_indexes(option_store: Store) -> None:
    statements = plans(option_store, lambda uow: uow.settlement.settle(
        2.0, Durations(), only=("instance-monitoring", "instance-metadata")))
    assert len(statements) > 1
    for plan in statements:
        assert "SCAN" not in "\n".join(plan), plan
    with option_store.unit_of_work() as uow:
        [row] = [r for r in uow.instances.every() if r["tenancy"] == "dedicated"]
        assert (row["monitoring_state"], row["monitoring_due_at"]) == ("enabled", None)
        assert (row["metadata_state"], row["metadata_due_at"]) == ("applied", None)
