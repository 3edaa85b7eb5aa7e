"""CloudTrail's event history is read through its indexes: a page of the newest events of a
scope, by each look-up attribute and by resource, is one range of an index in event
order (by name on SQLite: of the FTS5 name index, in descending ``rowid``), never a
``SCAN`` of a table or a sort; the retention's delete is a range of the order (or time)
index; and the repository pages, windows and prunes as it says, with ``seq`` given when
a batch is stored."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.repository import Store
from ec2emu.store.trail import Window
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import plans, sqlite_only

TABLES = ("trail_events", "trail_resource_names", "trail_resource_types")


def _event(number: int, name: str = "DescribeVpcs", account: str = ACCOUNT) -> tuple[dict[str, Any], tuple[Any, ...]]:
    scope = {"account_id": account, "region": REGION, "event_time": float(number // 2)}
    event = {"event_id": f"e-{account}-{number}", **scope, "event_name": name, "event_source": "ec2.amazonaws.com",
             "username": "root", "access_key_id": "test", "read_only": True, "record": "{}",
             "resources": f'[["AWS::EC2::Instance","i-{number % 3}"]]'}
    return event, (str(event["event_id"]), "AWS::EC2::Instance", f"i-{number % 3}")


@pytest.fixture
def trail_store(store: Store) -> Store:
    pairs = [_event(n, "DescribeVpcs" if n % 2 else "RunInstances") for n in range(20)] + [_event(1, account="other")]
    with store.unit_of_work() as uow:
        uow.trail.add([e for e, _ in pairs], [r for _, r in pairs])
    return store


def _plan(store: Store, window: Window) -> str:
    [events, *_] = plans(store, lambda uow: uow.trail.lookup(window, 5))
    return "\n".join(events)


# On SQLite, a look-up by ID, attribute or name reads the FTS5 index of names.
_BY_TOKEN = "SCAN trail_name_index VIRTUAL TABLE INDEX"


@pytest.mark.parametrize("attribute, index", [
    (None, "ix_trail_events_scope"), (("EventName", "RunInstances"), _BY_TOKEN), (("Username", "root"), _BY_TOKEN),
    (("AccessKeyId", "test"), _BY_TOKEN), (("ReadOnly", "true"), _BY_TOKEN), (("EventSource", "x"), _BY_TOKEN),
    (("ResourceType", "AWS::EC2::Instance"), "trail_resource_types USING PRIMARY KEY"),
    (("ResourceName", "i-1"), _BY_TOKEN), (("EventId", "e-1"), _BY_TOKEN),
])
def test_every_look_up_is_an_index_range_in_event_order(trail_store: Store, attribute: Any, index: str) -> None:
    sqlite_only(trail_store)
    text = _plan(trail_store, Window(ACCOUNT, REGION, attribute, 1.0, 8.0, (6.0, _seq(trail_store, 12))))
    assert index in text, text
    if index == _BY_TOKEN:  # each document's event found by its order, the primary key
        assert "SEARCH trail_events USING INTEGER PRIMARY KEY (rowid=?)" in text, text
    for table in TABLES:
        assert f"SCAN {table}" not in text, text
    assert "TEMP B-TREE" not in text, text


def test_the_retention_deletes_by_the_order_and_time_indexes(trail_store: Store) -> None:
    sqlite_only(trail_store)
    names, types, indexed, events = plans(trail_store, lambda uow: uow.trail.prune(3.0))
    assert any("ix_trail_resource_names_time" in line for line in names), names
    assert any("ix_trail_resource_types_time" in line for line in types), types
    assert indexed == ["SCAN trail_name_index VIRTUAL TABLE INDEX 0:<"], indexed  # a range of rowid
    assert any("INTEGER PRIMARY KEY (rowid<?)" in line for line in events), events


def _seq(store: Store, number: int) -> int:
    """The ``seq`` the store gave the fixture's event ``number`` of :data:`ACCOUNT`."""
    with store.unit_of_work() as uow:
        [found] = uow.trail.lookup(Window(ACCOUNT, REGION, ("EventId", f"e-{ACCOUNT}-{number}")), 1)
    return int(found["seq"])


def test_each_batch_is_given_its_places_in_the_order(trail_store: Store) -> None:
    # Each second's events in the order stored, after those a batch before stored.
    assert [_seq(trail_store, n) for n in (0, 1, 2)] == [0, 1, 1 << 24]
    late = [_event(n) for n in (40, 41)]
    late[0][0]["event_time"] = 1.0  # a second with events stored already
    with trail_store.unit_of_work() as uow:
        uow.trail.add([e for e, _ in late], [r for _, r in late])
    assert [_seq(trail_store, n) for n in (40, 41)] == [(1 << 24) + 2, 20 << 24]


def test_pages_windows_and_pruning(trail_store: Store) -> None:
    def names(window: Window, limit: int = 50) -> list[int]:
        """The fixture's numbers of the events found."""
        with trail_store.unit_of_work() as uow:
            return [int(row["event_id"].rsplit("-", 1)[1]) for row in uow.trail.lookup(window, limit)]

    assert names(Window(ACCOUNT, REGION), 4) == [19, 18, 17, 16]
    assert names(Window(ACCOUNT, REGION, after=(8.0, _seq(trail_store, 16))), 3) == [15, 14, 13]
    assert names(Window(ACCOUNT, REGION, ("EventName", "RunInstances"), 2.0, 4.0)) == [8, 6, 4]
    assert names(Window(ACCOUNT, REGION, ("ResourceName", "i-1"), 0.0, 5.0)) == [10, 7, 4, 1]
    assert names(Window("other", REGION)) == [1]
    with trail_store.unit_of_work() as uow:
        [found] = uow.trail.lookup(Window(ACCOUNT, REGION, ("EventId", f"e-{ACCOUNT}-7")), 5)
        assert found["resources"] == [("AWS::EC2::Instance", "i-1")]
        uow.trail.prune(5.0)
    assert names(Window(ACCOUNT, REGION))[-1] == 10
    assert names(Window(ACCOUNT, REGION, ("ResourceName", "i-1"))) == [19, 16, 13, 10]
