"""The outbox's store contract, on SQLite and PostgreSQL: events in sequence order, each
with its own UUID; due transitions emitted once, at their due moments, chain steps in
order; the sequence never goes back, even after everything is forgotten; events counted
when their transaction commits, not when it rolls back; matched events past the
retention forgotten through the time index."""

from __future__ import annotations

from ec2emu.lifecycle.machines import Durations
from ec2emu.lifecycle.notifications import INSTANCE_STATE
from ec2emu.store.repository import Store, UnitOfWork
from tests.store.conftest import ACCOUNT, REGION, make_instance_row
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

DURATIONS = Durations(pending=2, shutting_down=3, terminated_retention=100)


def states_of(store: Store) -> list[tuple[int, str, str, str]]:
    found = store.transaction(lambda uow: uow.outbox.after(), read_only=True)
    return [(seq, event["detail"]["instance-id"], event["detail"]["state"], event["time"]) for seq, event in found]


def test_due_transitions_are_emitted_once_at_their_due_moments_in_chain_order(store: Store) -> None:
    first = make_instance_row(state="pending", due_at=1_000.0)
    second = make_instance_row(state="shutting-down", due_at=1_001.0)
    with store.unit_of_work() as uow:
        uow.instances.insert([first, second])
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, [first["instance_id"]], 998.0, "pending")
    # A late settler: both are long due; the first's running is untimed, the second's
    # terminated ends at 1_101 (retention), which is due too: gone, with no event.
    with store.unit_of_work() as uow:
        assert uow.settlement.settle(5_000.0, DURATIONS) == 3
    with store.unit_of_work() as uow:
        assert uow.settlement.settle(6_000.0, DURATIONS) == 0
    found = states_of(store)
    assert [(instance, state) for _, instance, state, _ in found] == [
        (first["instance_id"], "pending"), (first["instance_id"], "running"), (second["instance_id"], "terminated")]
    assert [time for *_, time in found] == ["1970-01-01T00:16:38Z", "1970-01-01T00:16:40Z", "1970-01-01T00:16:41Z"]
    sequences = [seq for seq, *_ in found]
    assert sequences == sorted(set(sequences))


def test_a_rolled_back_unit_of_work_leaves_no_event(store: Store) -> None:
    row = make_instance_row()
    try:
        with store.unit_of_work() as uow:
            uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, [row["instance_id"]], 1.0, "stopping")
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert states_of(store) == []
    assert store.events_emitted == {}  # nothing emitted, nothing counted


def test_committed_events_are_counted_by_source_and_detail_type(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1", "i-2"], 1.0, "pending")
        uow.outbox.custom(ACCOUNT, REGION, 1.0, [{"id": "e-1", "source": "my.app"}])
        uow.outbox.api_calls([("e-2", ACCOUNT, REGION, 1.0, "aws.iam", '{"version":"0"}')])

    def refused(uow: UnitOfWork) -> None:
        uow.outbox.custom(ACCOUNT, REGION, 2.0, [{"id": "e-3"}])
        raise ValueError("rolled back")

    try:
        store.transaction(refused)
    except ValueError:
        pass
    assert store.events_emitted == {("aws.ec2", "EC2 Instance State-change Notification"): 2,
                                    ("custom", "custom"): 1, ("aws.iam", "AWS API Call via CloudTrail"): 1}


def test_matched_events_past_the_retention_are_forgotten(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1"], 10.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-2"], 5.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-3"], 50.0, "pending")
    first, second, third = (seq for seq, *_ in states_of(store))
    with store.unit_of_work() as uow:
        assert uow.outbox.prune(20.0, first, 10) == 1  # the second, older, is not matched yet
    assert [instance for _, instance, *_ in states_of(store)] == ["i-2", "i-3"]
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-4"], 1.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-5"], 1.0, "pending")
    with store.unit_of_work() as uow:
        assert uow.outbox.prune(20.0, third + 2, 2) == 2  # at most the limit
        assert uow.outbox.prune(20.0, third + 2, 2) == 1  # the third is too young
    assert [instance for _, instance, *_ in states_of(store)] == ["i-3"]


def test_a_run_of_events_written_together_is_forgotten_whole(store: Store) -> None:
    # One call's events alike but for their resource, kept as one row on SQLite: the
    # limit counts rows, and the run is forgotten once all of it is matched.
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1", "i-2", "i-3"], 1.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-4"], 2.0, "pending")
    seqs = [seq for seq, *_ in states_of(store)]
    with store.unit_of_work() as uow:
        assert uow.outbox.prune(20.0, seqs[1], 10) == (0 if store.engine.dialect.name == "sqlite" else 2)
        assert uow.outbox.prune(20.0, seqs[3], 1) == (3 if store.engine.dialect.name == "sqlite" else 1)


def test_the_retention_reads_the_time_index(store: Store) -> None:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, [f"i-{n}" for n in range(20)], 10.0, "pending")
    [plan] = plans(store, lambda uow: uow.outbox.prune(5.0, 10, 100))
    assert_indexed(plan, "ix_events_time", "time<?", ("events",))


def test_the_sequence_never_goes_back_after_everything_is_forgotten(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1", "i-2"], 1.0, "pending")
    before = [seq for seq, *_ in states_of(store)]
    with store.unit_of_work() as uow:
        uow.clear_everything()
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-3"], 2.0, "pending")
    [(after, *_)] = states_of(store)
    assert after > max(before)
    with store.unit_of_work() as uow:
        assert [seq for seq, _ in uow.outbox.after(0, account="123456789012")] == []
        assert [seq for seq, _ in uow.outbox.after(after - 1, limit=1, account=ACCOUNT)] == [after]


def test_a_custom_event_is_kept_whole_in_the_one_sequence(store: Store) -> None:
    body = {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "Job Finished",
            "source": "my.app", "account": ACCOUNT, "time": "2026-12-03T10:00:00Z", "region": REGION,
            "resources": [], "detail": {"z": 1, "a": {"é": [True, None, 1.5]}}}
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1"], 1.0, "pending")
        uow.outbox.custom(ACCOUNT, REGION, 2.0, [body])
    found = store.transaction(lambda uow: uow.outbox.after(), read_only=True)
    assert [event for _, event in found][1] == body
    assert list(found[1][1]) == list(body) and list(found[1][1]["detail"]) == ["z", "a"]
    with store.unit_of_work() as uow:
        assert [event["id"] for _, event in uow.outbox.after(found[0][0], account=ACCOUNT)] == [body["id"]]
