"""Repository contract: insert, get and find with Match criteria, tags and paging, and
one unit of work being one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.queries import TAG_KEY, TAG_VALUE
from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, tag_match, wildcards

RowFactory = Callable[..., dict[str, Any]]


def _insert(store: Store, *rows: dict[str, Any]) -> list[str]:
    with store.unit_of_work() as uow:
        uow.instances.insert(list(rows))
    return [row["instance_id"] for row in rows]


def _find(store: Store, *matches: Match, region: str = REGION, **kw: Any) -> list[str]:
    with store.unit_of_work() as uow:
        return [row["instance_id"] for row in uow.instances.find(ACCOUNT, region, matches, **kw)]


def _tag(store: Store, resource_id: str, region: str = REGION, **tags: str) -> None:
    with store.unit_of_work() as uow:
        uow.tags.put(ACCOUNT, region, resource_id, "instance", tags.items())


def test_insert_then_get_returns_the_rows_as_written(store: Store, instance_row: RowFactory) -> None:
    row = instance_row(key_name="my-key", security_groups=[{"GroupId": "sg-1", "GroupName": "default"}],
                       disable_api_termination=True, user_data="aGVsbG8=")
    other = instance_row()
    _insert(store, row, other)
    with store.unit_of_work() as uow:
        found = uow.instances.get(ACCOUNT, REGION, [row["instance_id"], "i-00000000000000000"])
    assert list(found) == [row["instance_id"]]
    assert found[row["instance_id"]] == row


def test_get_is_scoped_to_account_and_region(store: Store, instance_row: RowFactory) -> None:
    [east] = _insert(store, instance_row())
    [west] = _insert(store, instance_row(region="eu-west-1", availability_zone="eu-west-1a"))
    with store.unit_of_work() as uow:
        assert list(uow.instances.get(ACCOUNT, REGION, [east, west])) == [east]
        assert list(uow.instances.get(ACCOUNT, "eu-west-1", [east, west])) == [west]
        assert uow.instances.get("111111111111", REGION, [east]) == {}
        assert uow.instances.get(ACCOUNT, REGION, []) == {}


def test_get_many_ids_at_once(store: Store, instance_row: RowFactory) -> None:
    ids = _insert(store, *[instance_row() for _ in range(1200)])
    with store.unit_of_work() as uow:
        assert set(uow.instances.get(ACCOUNT, REGION, ids)) == set(ids)


def test_find_exact_values_are_ored_within_and_anded_across_criteria(
    store: Store, instance_row: RowFactory
) -> None:
    a, b, c, d = _insert(
        store,
        instance_row(state="running", availability_zone="us-east-1a"),
        instance_row(state="stopped", availability_zone="us-east-1a"),
        instance_row(state="running", availability_zone="us-east-1b"),
        instance_row(state="pending", availability_zone="us-east-1b"),
    )
    assert _find(store, Match("state", ("running",))) == sorted([a, c])
    assert _find(store, Match("state", ("running", "stopped"))) == sorted([a, b, c])
    assert _find(store, Match("state", ("running",)), Match("availability_zone", ("us-east-1b",))) == [c]
    assert _find(store, Match("state", ("terminated",))) == []
    assert _find(store) == sorted([a, b, c, d])


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("a%b", ["a%b"]),  # literal percent, exact
        ("a_b", ["a_b"]),  # literal underscore, exact
        ("a%*", ["a%b"]),  # literal percent with a wildcard
        ("a_*", ["a_b"]),  # literal underscore with a wildcard
        ("a?b", ["a%b", "a\\b", "a_b", "axb"]),
        ("*\\*", ["a\\b"]),
        ("a*", ["a%b", "a\\b", "a_b", "axb"]),
        ("A\\*", []),
        ("A**", ["A*b"]),
        ("*b", ["A*b", "a%b", "a\\b", "a_b", "axb"]),
        ("?", []),
        ("*", ["A*b", "a%b", "a\\b", "a_b", "axb"]),
    ],
)
def test_find_wildcards_and_literal_like_characters(
    store: Store, instance_row: RowFactory, pattern: str, expected: list[str]
) -> None:
    by_key = {}
    for key in ["a%b", "a_b", "axb", "a\\b", "A*b"]:
        [instance_id] = _insert(store, instance_row(key_name=key))
        by_key[instance_id] = key
    _insert(store, instance_row(key_name=None))
    found = _find(store, Match("key_name", wildcards(pattern)))
    assert sorted(by_key[i] for i in found) == sorted(expected)


def test_wildcard_matching_is_case_sensitive(store: Store, instance_row: RowFactory) -> None:
    lower, upper = _insert(store, instance_row(key_name="web-1"), instance_row(key_name="Web-1"))
    assert _find(store, Match("key_name", wildcards("w*"))) == [lower]
    assert _find(store, Match("key_name", wildcards("W*"))) == [upper]
    assert _find(store, Match("key_name", wildcards("?eb-1"))) == sorted([lower, upper])


def test_find_by_tags(store: Store, instance_row: RowFactory) -> None:
    web, db, bare, west = _insert(
        store, instance_row(), instance_row(), instance_row(),
        instance_row(region="eu-west-1", availability_zone="eu-west-1a"),
    )
    _tag(store, web, team="web", env="prod")
    _tag(store, db, team="db", env="dev%")
    _tag(store, west, "eu-west-1", team="web")
    assert _find(store, tag_match("team", "web")) == [web]
    assert _find(store, tag_match("team", "w*", "d?")) == sorted([web, db])
    assert _find(store, tag_match("team", "WEB")) == []
    assert _find(store, tag_match("env", "dev%")) == [db]
    assert _find(store, tag_match("env", "dev_")) == []
    assert _find(store, tag_match("env", "de?%")) == [db]
    assert _find(store, Match(TAG_KEY, wildcards("env"))) == sorted([web, db])
    assert _find(store, Match(TAG_KEY, wildcards("t*"))) == sorted([web, db])
    assert _find(store, Match(TAG_VALUE, wildcards("prod", "db"))) == sorted([web, db])
    assert _find(store, tag_match("team", "web"), tag_match("env", "dev%")) == []
    assert _find(store, tag_match("team", "*"), Match(TAG_VALUE, wildcards("prod"))) == [web]
    assert _find(store, tag_match("team", "web"), region="eu-west-1") == [west]
    assert bare not in _find(store, Match(TAG_KEY, wildcards("*")))


def test_find_pages_in_id_order_after_an_id(store: Store, instance_row: RowFactory) -> None:
    ids = sorted(_insert(store, *[instance_row(state="running" if n % 3 else "stopped") for n in range(12)]))
    pages, after = [], None
    while True:
        page = _find(store, after_id=after, limit=5)
        if not page:
            break
        pages.append(page)
        after = page[-1]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [i for p in pages for i in p] == ids
    running = _find(store, Match("state", ("running",)))
    first = _find(store, Match("state", ("running",)), limit=3)
    rest = _find(store, Match("state", ("running",)), after_id=first[-1], limit=100)
    assert first + rest == running and len(running) == 8


def test_client_token_and_updates(store: Store, instance_row: RowFactory) -> None:
    second, first = _insert(
        store, instance_row(client_token="tok", ami_launch_index=1), instance_row(client_token="tok")
    )
    with store.unit_of_work() as uow:
        assert [r["instance_id"] for r in uow.instances.by_client_token(ACCOUNT, REGION, "tok")] == [
            first, second
        ]
        uow.instances.update(first, {"state": "stopping", "due_at": 50.0})
        uow.instances.update_many([first, second], {"disable_api_stop": True})
    with store.unit_of_work() as uow:
        rows = uow.instances.get(ACCOUNT, REGION, [first, second])
        assert (rows[first]["state"], rows[first]["due_at"]) == ("stopping", 50.0)
        assert rows[second]["state"] == "running"
        assert rows[first]["disable_api_stop"] is True and rows[second]["disable_api_stop"] is True
        assert uow.instances.next_due() == 50.0


def test_tag_repository_put_replaces_and_delete_by_value(store: Store, instance_row: RowFactory) -> None:
    [instance_id] = _insert(store, instance_row())
    with store.unit_of_work() as uow:
        uow.tags.put(ACCOUNT, REGION, instance_id, "instance", [("a", "1"), ("b", "2")])
        uow.tags.put(ACCOUNT, REGION, instance_id, "instance", [("a", "3")])
    with store.unit_of_work() as uow:
        assert uow.tags.for_resources(ACCOUNT, REGION, [instance_id]) == {instance_id: [("a", "3"), ("b", "2")]}
        uow.tags.delete(ACCOUNT, REGION, instance_id, "a", "1")  # wrong value: kept
        uow.tags.delete(ACCOUNT, REGION, instance_id, "b")
        assert uow.tags.for_resources(ACCOUNT, REGION, [instance_id]) == {instance_id: [("a", "3")]}
        found = uow.tags.find(ACCOUNT, REGION, [Match("key", ("a",))])
        assert [(t["resource_id"], t["value"]) for t in found] == [(instance_id, "3")]


def test_settings_and_counters(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.settings.get("missing") is None
        uow.settings.set("offset", 12.5)
        uow.settings.set("offset", 13.5)
        assert uow.settings.next_counter("ip", 3, start=10) == 10
        assert uow.settings.next_counter("ip") == 13
    with store.unit_of_work() as uow:
        assert uow.settings.get("offset") == 13.5
        assert uow.settings.get("ip") == 14


class Boom(Exception):
    pass


def test_an_exception_rolls_back_the_whole_unit_of_work(
    store: Store, instance_row: RowFactory, volume_row: RowFactory
) -> None:
    [kept] = _insert(store, instance_row())
    _tag(store, kept, team="web")
    fresh = instance_row()
    with pytest.raises(Boom):
        with store.unit_of_work() as uow:
            uow.instances.insert([fresh])
            uow.volumes.insert([volume_row(fresh["instance_id"])])
            uow.tags.put(ACCOUNT, REGION, fresh["instance_id"], "instance", [("team", "db")])
            uow.tags.delete(ACCOUNT, REGION, kept, "team")
            uow.instances.update(kept, {"state": "stopped"})
            uow.settings.set("counter", 7)
            raise Boom()
    with store.unit_of_work() as uow:
        assert list(uow.instances.get(ACCOUNT, REGION, [kept, fresh["instance_id"]])) == [kept]
        assert uow.instances.get(ACCOUNT, REGION, [kept])[kept]["state"] == "running"
        assert uow.tags.for_resources(ACCOUNT, REGION, [kept, fresh["instance_id"]]) == {kept: [("team", "web")]}
        assert uow.conn.execute(sa.select(sa.func.count()).select_from(schema.volumes)).scalar() == 0
        assert uow.settings.get("counter") is None


def test_a_committed_unit_of_work_is_seen_by_a_new_store(
    store_url: str, store: Store, instance_row: RowFactory
) -> None:
    [instance_id] = _insert(store, instance_row())
    other = Store(store_url)
    try:
        with other.unit_of_work() as uow:
            assert list(uow.instances.get(ACCOUNT, REGION, [instance_id])) == [instance_id]
    finally:
        other.close()


def test_tags_belong_to_an_account_and_region(store: Store) -> None:
    shared = "ami-0123456789abcdef0"
    other = "111111111111"
    with store.unit_of_work() as uow:
        uow.tags.put(ACCOUNT, REGION, shared, "image", [("team", "web")])
        uow.tags.put(other, REGION, shared, "image", [("team", "db")])
        uow.tags.put(ACCOUNT, "eu-west-1", shared, "image", [("team", "eu")])
    with store.unit_of_work() as uow:
        assert uow.tags.for_resources(ACCOUNT, REGION, [shared]) == {shared: [("team", "web")]}
        assert uow.tags.for_resources(other, REGION, [shared]) == {shared: [("team", "db")]}
        uow.tags.delete(other, REGION, shared, "team")
    with store.unit_of_work() as uow:
        assert uow.tags.for_resources(ACCOUNT, REGION, [shared]) == {shared: [("team", "web")]}
        assert uow.tags.for_resources(other, REGION, [shared]) == {}
        assert [r["value"] for r in uow.tags.find(ACCOUNT, "eu-west-1")] == ["eu"]


def test_instances_read_with_their_details(store: Store, instance_row: RowFactory,
                                           volume_row: RowFactory) -> None:
    """``details``: each instance's own tags in key order and its attached volumes in
    device order, by ID and in a listing, the same on every database; an instance with
    neither has empty lists."""
    tagged, bare = instance_row(), instance_row()
    _insert(store, tagged, bare)
    _tag(store, tagged["instance_id"], Name="web", Env="prod", a="1")
    _tag(store, tagged["instance_id"], region="eu-west-1", Other="elsewhere")
    data = volume_row(tagged["instance_id"], device="/dev/sdf", attach_time=1_500.0,
                      delete_on_termination=False, attachment_state="attaching")
    root = volume_row(tagged["instance_id"], device="/dev/sda1")
    with store.unit_of_work() as uow:
        uow.volumes.insert([data, root, volume_row(None)])
    expected_volumes = [
        {"volume_id": root["volume_id"], "device": "/dev/sda1", "attach_time": 1_000.0,
         "delete_on_termination": True, "attachment_state": None},
        {"volume_id": data["volume_id"], "device": "/dev/sdf", "attach_time": 1_500.0,
         "delete_on_termination": False, "attachment_state": "attaching"},
    ]
    ids = [tagged["instance_id"], bare["instance_id"]]
    with store.unit_of_work() as uow:
        by_id = uow.instances.get(ACCOUNT, REGION, ids, details=True)
        listed = {row["instance_id"]: row for row in uow.instances.find(ACCOUNT, REGION, details=True)}
        plain = uow.instances.get(ACCOUNT, REGION, ids)
    for rows in (by_id, listed):
        assert rows[tagged["instance_id"]]["tags"] == [("Env", "prod"), ("Name", "web"), ("a", "1")]
        assert rows[tagged["instance_id"]]["volumes"] == expected_volumes
        assert rows[bare["instance_id"]]["tags"] == [] and rows[bare["instance_id"]]["volumes"] == []
        for instance_id in ids:
            columns = {k: v for k, v in rows[instance_id].items() if k not in ("tags", "volumes")}
            assert columns == plain[instance_id]
    assert "tags" not in plain[tagged["instance_id"]]
