"""The criteria EC2's newer filters become use indexes: a span of launch or start times,
an instance's attached volumes' columns (a child relation through the volumes' scope
indexes), and values with optional characters spelled as several ``LIKE`` texts."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.queries import Between, Pattern, TimeText, Wildcard
from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_volume_row, tag_match
from tests.store.test_query_plans import assert_indexed, listing, sqlite_only


@pytest.fixture
def fleet(store: Store) -> Store:
    sqlite_only(store)
    with store.unit_of_work() as uow:
        rows = [make_instance_row(launch_time=1_700_000_000.0 + n) for n in range(6)]
        uow.instances.insert(rows)
        uow.volumes.insert([make_volume_row(row["instance_id"], attachment_state="attached") for row in rows])
        for row in rows:
            uow.tags.put(ACCOUNT, REGION, row["instance_id"], "instance", [("team", "web")])
    return store


def find(store: Store, *matches: Match) -> list[str]:
    return listing(store, lambda uow: uow.instances.find(ACCOUNT, REGION, list(matches), limit=5))


def test_a_span_of_launch_times_uses_its_index(fleet: Store) -> None:
    plan = find(fleet, Match("launch_time", (Between(1_700_000_001.0, 1_700_000_002.0),)))
    assert_indexed(plan, "ix_instances_scope_launch_time", "launch_time>? AND launch_time<?", ("instances",))


@pytest.mark.parametrize(("field", "value", "index"), [
    ("volumes.volume_id", "vol-0123456789abcdef0", "ix_volumes_scope_id"),
    ("volumes.device", "/dev/xvda", "ix_volumes_scope_device"),
    ("volumes.attachment_state", "attached", "ix_volumes_scope_attachment_state"),
])
def test_attached_volume_columns_use_the_volumes_indexes(fleet: Store, field: str, value: Any, index: str) -> None:
    plan = find(fleet, Match(field, (value,)))
    assert_indexed(plan, index, f"{field.split('.')[1]}=?", ("instances", "volumes"))


def test_optional_characters_narrow_within_the_tag_index(fleet: Store) -> None:
    plan = find(fleet, tag_match("team", "w?b"))
    assert_indexed(plan, "ix_tags_scope_key_value", "key=?", ("instances", "tags"))


def test_a_time_pattern_stays_within_the_scope(fleet: Store) -> None:
    pattern = TimeText(Pattern(("2023-11-14T", Wildcard.ANY)))
    plan = find(fleet, Match("launch_time", (pattern,)))
    assert "SCAN instances" not in "\n".join(plan), plan
