"""One resource's events (an instance's state history) are read newest first by index —
``ix_events_resource_seq`` on PostgreSQL, the history index of names on SQLite (whose
documents are runs of events written together, each token standing for one event) —
only the account's own, never by a scan of the outbox; the retention forgets the
documents whose events are all gone."""

from __future__ import annotations

from ec2emu.lifecycle.notifications import INSTANCE_STATE
from ec2emu.store.outbox_schema import HISTORY_INDEX, HISTORY_RUN
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

OTHER = "999999999999"


def test_a_resources_events_newest_last_and_only_the_accounts(store: Store) -> None:
    with store.unit_of_work() as uow:
        for time, state in ((1.0, "pending"), (2.0, "running"), (3.0, "stopping"), (4.0, "stopped")):
            uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1"], time, state)
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-2"], 5.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, OTHER, REGION, ["i-1"], 6.0, "pending")
    with store.unit_of_work() as uow:
        found = uow.outbox.of_resource(ACCOUNT, "i-1")
        assert [event["detail"]["state"] for _, event in found] == ["pending", "running", "stopping", "stopped"]
        assert [seq for seq, _ in found] == sorted(seq for seq, _ in found)
        assert [e["detail"]["state"] for _, e in uow.outbox.of_resource(ACCOUNT, "i-1", 2)] == ["stopping", "stopped"]
        assert uow.outbox.of_resource(ACCOUNT, "i-9") == []


def test_events_written_together_are_each_found(store: Store) -> None:
    # A call's run of events longer than one document holds, then a run of several
    # accounts' events (as the settler writes them).
    many = [f"i-{n}" for n in range(HISTORY_RUN + 5)]
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, many, 1.0, "shutting-down")
        uow.outbox.shared("snap-1", REGION, ACCOUNT, [OTHER, ACCOUNT, OTHER], 2.0)
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-3", f"i-{HISTORY_RUN + 2}"], 3.0, "terminated")
    with store.unit_of_work() as uow:
        every = {event["resources"][0].rsplit("/", 1)[1]: seq for seq, event in uow.outbox.after()
                 if event["detail-type"] == "EC2 Instance State-change Notification"
                 and event["detail"]["state"] == "shutting-down"}
        for name in ("i-0", "i-3", f"i-{HISTORY_RUN - 1}", f"i-{HISTORY_RUN}", f"i-{HISTORY_RUN + 4}"):
            [(seq, event)] = [found for found in uow.outbox.of_resource(ACCOUNT, name)
                              if found[1]["detail"]["state"] == "shutting-down"]
            assert seq == every[name] and event["resources"][0].endswith(f"/{name}")
        states = [e["detail"]["state"] for _, e in uow.outbox.of_resource(ACCOUNT, f"i-{HISTORY_RUN + 2}")]
        assert states == ["shutting-down", "terminated"]
        assert [e["account"] for _, e in uow.outbox.of_resource(OTHER, "snap-1")] == [OTHER, OTHER]
        assert [e["account"] for _, e in uow.outbox.of_resource(ACCOUNT, "snap-1")] == [ACCOUNT]


def test_the_retention_forgets_the_documents_whose_events_are_gone(store: Store) -> None:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1", "i-2"], 1.0, "pending")
        for n in range(HISTORY_RUN):  # documents of their own, after the first
            uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, [f"i-{n + 10}"], 2.0, "pending")
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1"], 50.0, "running")
    with store.unit_of_work() as uow:
        newest = uow.outbox.after()[-1][0]
        assert uow.outbox.prune(20.0, newest, 10_000) == HISTORY_RUN + 2
        documents = uow.conn.exec_driver_sql(f"SELECT count(*) FROM {HISTORY_INDEX}").scalar()
        assert [e["detail"]["state"] for _, e in uow.outbox.of_resource(ACCOUNT, "i-1")] == ["running"]
    # The first document (two events) and those of the next events up to a run before
    # the one left are gone; the rest remain, read as events no longer there.
    assert 1 <= documents <= HISTORY_RUN


def test_history_uses_the_resource_index(store: Store) -> None:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        uow.outbox.emit(INSTANCE_STATE, ACCOUNT, REGION, ["i-1", "i-2"], 1.0, "pending")
    documents, events = plans(store, lambda uow: uow.outbox.of_resource(ACCOUNT, "i-1"))
    assert any(f"SCAN {HISTORY_INDEX} VIRTUAL TABLE INDEX" in line and "M" in line for line in documents), documents
    assert_indexed(events, "INTEGER PRIMARY KEY", "rowid>?", ("events",))
