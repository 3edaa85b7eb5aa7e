"""An instance's events (its state history) are read newest first by index —
``ix_events_resource_seq`` on PostgreSQL; on SQLite from the places its own row keeps,
which the writes that emit its events add in the statement that moves it — only the
account's own, never by a scan of the outbox; events the retention forgot are no longer
found."""

from __future__ import annotations

from typing import Any

from ec2emu.lifecycle.notifications import INSTANCE_STATE
from ec2emu.store.outbox_schema import HISTORY_RUN
from ec2emu.store.repository import Store, UnitOfWork
from tests.store.conftest import ACCOUNT, REGION, make_instance_row
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

OTHER = "999999999999"


def _launched(uow: UnitOfWork, ids: list[str], account: str = ACCOUNT) -> None:
    uow.instances.insert([make_instance_row(instance_id=instance_id, account_id=account) for instance_id in ids])


def _moved(uow: UnitOfWork, ids: list[str], time: float, state: str, account: str = ACCOUNT) -> None:
    """What a handler does: emit the events, then move the instances, keeping the places."""
    places = uow.outbox.emit(INSTANCE_STATE, account, REGION, ids, time, state)
    uow.instances.update_many(ids, {"state": state}, event_places=places)


def _states(found: list[tuple[int, dict[str, Any]]]) -> list[str]:
    return [event["detail"]["state"] for _, event in found]


def test_an_instances_events_newest_last_and_only_the_accounts(store: Store) -> None:
    with store.unit_of_work() as uow:
        _launched(uow, ["i-1", "i-2"])
        _launched(uow, ["i-7"], OTHER)
        for time, state in ((1.0, "pending"), (2.0, "running"), (3.0, "stopping"), (4.0, "stopped")):
            _moved(uow, ["i-1"], time, state)
        _moved(uow, ["i-2"], 5.0, "pending")
        _moved(uow, ["i-7"], 6.0, "pending", OTHER)
    with store.unit_of_work() as uow:
        found = uow.outbox.of_instance(ACCOUNT, "i-1")
        assert _states(found) == ["pending", "running", "stopping", "stopped"]
        assert [seq for seq, _ in found] == sorted(seq for seq, _ in found)
        assert _states(uow.outbox.of_instance(ACCOUNT, "i-1", 2)) == ["stopping", "stopped"]
        assert [e["account"] for _, e in uow.outbox.of_instance(OTHER, "i-7")] == [OTHER]
        assert uow.outbox.of_instance(OTHER, "i-1") == [] and uow.outbox.of_instance(ACCOUNT, "i-7") == []
        assert uow.outbox.of_instance(ACCOUNT, "i-9") == []


def test_events_written_together_are_each_found(store: Store) -> None:
    # A call's events, more than one row holds, then a write of two of them again.
    many = [f"i-{n}" for n in range(HISTORY_RUN + 5)]
    with store.unit_of_work() as uow:
        _launched(uow, many)
        _moved(uow, many, 1.0, "shutting-down")
        uow.outbox.shared("snap-1", REGION, ACCOUNT, [OTHER, ACCOUNT, OTHER], 2.0)
        _moved(uow, ["i-3", f"i-{HISTORY_RUN + 2}"], 3.0, "terminated")
    with store.unit_of_work() as uow:
        every = {event["resources"][0].rsplit("/", 1)[1]: seq for seq, event in uow.outbox.after()
                 if event["detail-type"] == "EC2 Instance State-change Notification"
                 and event["detail"]["state"] == "shutting-down"}
        for name in ("i-0", "i-3", f"i-{HISTORY_RUN - 1}", f"i-{HISTORY_RUN}", f"i-{HISTORY_RUN + 4}"):
            [(seq, event)] = [found for found in uow.outbox.of_instance(ACCOUNT, name)
                              if found[1]["detail"]["state"] == "shutting-down"]
            assert seq == every[name] and event["resources"][0].endswith(f"/{name}")
        assert _states(uow.outbox.of_instance(ACCOUNT, f"i-{HISTORY_RUN + 2}")) == ["shutting-down", "terminated"]


def test_the_retention_forgets_events_and_the_history_skips_them(store: Store) -> None:
    with store.unit_of_work() as uow:
        _launched(uow, ["i-1", "i-2"])
        _moved(uow, ["i-1", "i-2"], 1.0, "pending")
        _moved(uow, ["i-1"], 50.0, "running")
    with store.unit_of_work() as uow:
        newest = uow.outbox.after()[-1][0]
        assert uow.outbox.prune(20.0, newest, 10_000) == 2
        assert _states(uow.outbox.of_instance(ACCOUNT, "i-1")) == ["running"]
        assert uow.outbox.of_instance(ACCOUNT, "i-2") == []


def test_history_reads_the_instance_and_its_events_by_key(store: Store) -> None:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        _launched(uow, ["i-1", "i-2"])
        _moved(uow, ["i-1", "i-2"], 1.0, "pending")
    instance, events = plans(store, lambda uow: uow.outbox.of_instance(ACCOUNT, "i-1"))
    assert_indexed(instance, "sqlite_autoindex_instances_1", "instance_id=?", ("instances",))
    assert_indexed(events, "INTEGER PRIMARY KEY", "rowid>? AND rowid<?", ("events",))
