"""``InstanceRepository.count_by_state``: instances per account, region and state as
readers see them at the bound moment (a due transition shown done, a row whose retention
is over left out), on SQLite and PostgreSQL; on SQLite, one statement whose stored
counts come from the scope-and-state index and whose due rows come from the ``due_at``
index, never a scan of the table."""

from __future__ import annotations

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import Moment, Store, UnitOfWork
from tests.store.conftest import ACCOUNT, REGION, make_instance_row
from tests.store.test_query_plans import plans, sqlite_only

OTHER_ACCOUNT = "222222222222"
DURATIONS = Durations(pending=5, stopping=5, shutting_down=5, terminated_retention=100)


def _fill(store: Store) -> None:
    rows = [
        make_instance_row(state="pending", due_at=10.0),
        make_instance_row(state="pending", due_at=50.0),
        make_instance_row(state="running"),
        make_instance_row(state="stopping", due_at=10.0),
        make_instance_row(state="shutting-down", due_at=10.0),  # terminated from 10, gone at 110
        make_instance_row(state="terminated", due_at=20.0),  # gone at 20
        make_instance_row(state="running", region="eu-west-1"),
        make_instance_row(state="pending", account_id=OTHER_ACCOUNT, due_at=10.0),
    ]
    with store.unit_of_work() as uow:
        uow.instances.insert(rows)


def _counts(store: Store, now: float) -> set[tuple[str, str, str, int]]:
    def read(uow: UnitOfWork) -> set[tuple[str, str, str, int]]:
        uow.moment = Moment(now, DURATIONS)
        return set(uow.instances.count_by_state())

    return store.transaction(read, read_only=True)


def test_counts_show_states_as_readers_see_them(store: Store) -> None:
    _fill(store)
    assert _counts(store, 0.0) == {
        (ACCOUNT, REGION, "pending", 2), (ACCOUNT, REGION, "running", 1), (ACCOUNT, REGION, "stopping", 1),
        (ACCOUNT, REGION, "shutting-down", 1), (ACCOUNT, REGION, "terminated", 1),
        (ACCOUNT, "eu-west-1", "running", 1), (OTHER_ACCOUNT, REGION, "pending", 1),
    }
    assert _counts(store, 15.0) == {
        (ACCOUNT, REGION, "pending", 1), (ACCOUNT, REGION, "running", 2), (ACCOUNT, REGION, "stopped", 1),
        (ACCOUNT, REGION, "terminated", 2),
        (ACCOUNT, "eu-west-1", "running", 1), (OTHER_ACCOUNT, REGION, "running", 1),
    }
    assert _counts(store, 200.0) == {
        (ACCOUNT, REGION, "running", 3), (ACCOUNT, REGION, "stopped", 1),
        (ACCOUNT, "eu-west-1", "running", 1), (OTHER_ACCOUNT, REGION, "running", 1),
    }


def test_counts_on_an_empty_store(store: Store) -> None:
    assert _counts(store, 0.0) == set()


def test_counts_read_through_indexes(store: Store) -> None:
    sqlite_only(store)
    _fill(store)

    def run(uow: UnitOfWork) -> None:
        uow.moment = Moment(15.0, DURATIONS)
        uow.instances.count_by_state()

    [plan] = plans(store, run)
    text = "\n".join(plan)
    assert "SCAN instances USING COVERING INDEX ix_instances_scope_state" in text, text
    assert text.count("SEARCH instances USING INDEX ix_instances_due (due_at<?)") == 2, text
    assert not any(line.startswith("SCAN instances") and "INDEX" not in line for line in plan), text
