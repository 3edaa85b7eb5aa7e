"""Hot lookups use an index: SQLite's ``EXPLAIN QUERY PLAN`` for the statements the
repositories really run (captured from the engine) shows an index on the looked-up
column, never a ``SCAN`` of instances or tags, nor a walk of every instance of the
region (``ix_instances_scope_id`` constrained only by account and region)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ec2emu.lifecycle.machines import Durations
from ec2emu.store import schema
from ec2emu.store.queries import TAG_KEY, TAG_VALUE
from ec2emu.store.repository import Match, OrderingOnly, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, tag_match, wildcards

Statement = tuple[str, Any]


@pytest.fixture
def sqlite_store(store: Store) -> Store:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with store.unit_of_work() as uow:
        rows = [make_instance_row(state=state, availability_zone=zone)
                for state in ("pending", "running", "stopped") for zone in ("us-east-1a", "us-east-1b")]
        uow.instances.insert(rows)
        for row in rows:
            uow.tags.put(ACCOUNT, REGION, row["instance_id"], "instance", [("team", "web")])
    return store


@contextmanager
def captured(store: Store) -> Iterator[list[Statement]]:
    statements: list[Statement] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            statements.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)


def plans(store: Store, run: Callable[[Any], Any]) -> list[list[str]]:
    """The query plan (detail lines) of every statement ``run(uow)`` executes."""
    with captured(store) as statements:
        with store.unit_of_work() as uow:
            run(uow)
    result = []
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        for statement, parameters in statements:
            rows = raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            result.append([row[3] for row in rows])
    return result


def sqlite_only(store: Store) -> None:
    """Skip unless the store is SQLite's: EXPLAIN QUERY PLAN is."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")


def assert_indexed(plan: list[str], index: str, constraint: str, tables: Iterable[str]) -> None:
    """No step of ``plan`` scans one of ``tables``, and a step uses ``index`` for ``constraint``."""
    text = "\n".join(plan)
    for table in tables:
        assert f"SCAN {table}" not in text, text
    assert any(index in line and constraint in line for line in plan), text


def listing(store: Store, run: Callable[[Any], Any]) -> list[str]:
    """The plan of a listing's first statement, which finds the matching IDs; the rows
    are then read by ID, each statement through an index."""
    first, *by_id = plans(store, run)
    for plan in by_id:
        text = "\n".join(plan)
        assert "SCAN" not in text and any("_id=?" in line for line in plan), text
    return first


def _assert_indexed(plan: list[str], index: str, constraint: str) -> None:
    text = "\n".join(plan)
    assert "SCAN instances" not in text and "SCAN tags" not in text, text
    assert any(index in line and constraint in line for line in plan), text


def test_get_by_instance_id_uses_an_index(sqlite_store: Store) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.get(ACCOUNT, REGION, ["i-0123", "i-0456"]))
    _assert_indexed(plan, "INDEX", "instance_id=?")


# A wildcard on a state is matched against the states an instance can be in first, so it
# reaches the index as an exact list too (``run*``: running, and pending, which shows as
# running once it is due).
@pytest.mark.parametrize(
    ("patterns", "constraint"),
    [(("running",), "state=?"), (("running", "stopped"), "state=?"), (("run*",), "state=?")],
)
def test_find_by_state_uses_the_state_index(sqlite_store: Store, patterns: tuple[str, ...],
                                            constraint: str) -> None:
    plan = listing(sqlite_store, lambda uow: uow.instances.find(ACCOUNT, REGION, [Match("state", wildcards(*patterns))]))
    _assert_indexed(plan, "ix_instances_scope_state", constraint)


def test_find_by_state_with_paging_uses_the_state_index(sqlite_store: Store) -> None:
    plan = listing(sqlite_store, lambda uow: uow.instances.find(
        ACCOUNT, REGION, [Match("state", ("running", "pending"))], after_id="i-0", limit=6))
    _assert_indexed(plan, "ix_instances_scope_state", "state=?")


def test_find_by_zone_uses_the_zone_index(sqlite_store: Store) -> None:
    plan = listing(sqlite_store, lambda uow: uow.instances.find(
        ACCOUNT, REGION, [Match("availability_zone", ("us-east-1a",))]))
    _assert_indexed(plan, "ix_instances_scope_zone", "availability_zone=?")


@pytest.mark.parametrize(
    ("match", "tag_index", "tag_constraint"),
    [
        (tag_match("team", "web"), "ix_tags_scope_key_value", "key=? AND value=?"),
        (tag_match("team", "w*"), "ix_tags_scope_key_value", "key=? AND value>?"),
        (Match(TAG_KEY, wildcards("team")), "ix_tags_scope_key_value", "key=?"),
        (Match(TAG_VALUE, wildcards("web")), "ix_tags_scope_value", "value=?"),
    ],
)
def test_find_by_tag_uses_the_tag_indexes(sqlite_store: Store, match: Match, tag_index: str,
                                          tag_constraint: str) -> None:
    plan = listing(sqlite_store, lambda uow: uow.instances.find(ACCOUNT, REGION, [match]))
    _assert_indexed(plan, tag_index, tag_constraint)
    _assert_indexed(plan, "instances USING", "instance_id=?")


def test_find_without_criteria_pages_along_the_id_index(sqlite_store: Store) -> None:
    plan = listing(sqlite_store, lambda uow: uow.instances.find(ACCOUNT, REGION, after_id="i-0", limit=5))
    _assert_indexed(plan, "ix_instances_scope_id", "instance_id>?")
    assert not any("TEMP B-TREE" in line for line in plan)


def test_settle_reaches_due_rows_through_the_due_index(sqlite_store: Store) -> None:
    with sqlite_store.unit_of_work() as uow:
        uow.instances.insert([make_instance_row(state="shutting-down", due_at=1.0)])
    statements = plans(sqlite_store, lambda uow: uow.settlement.settle(2.0, Durations(), only=("instance",)))
    assert len(statements) > 1
    for plan in statements:
        text = "\n".join(plan)
        # (A constant row is no table's scan, and ``sqlite_sequence``, where the outbox
        # reads the last place given, holds a row per AUTOINCREMENT table.)
        assert "SCAN" not in text.replace("SCAN CONSTANT ROW", "").replace("SCAN sqlite_sequence", ""), text


def test_the_ordering_hint_is_sqlite_only() -> None:
    """Other dialects plan from statistics: they get the plain column."""
    t = schema.instances
    query = sa.select(t.c.instance_id).where(OrderingOnly(t.c.instance_id) > "i-0").order_by(
        OrderingOnly(t.c.instance_id))
    assert "ORDER BY +instances.instance_id" in str(query.compile(dialect=sqlite.dialect()))
    plain = str(query.compile(dialect=postgresql.dialect()))
    assert "+instances" not in plain and "ORDER BY instances.instance_id" in plain


# --------------------------------------------------------------------------- volumes and snapshots


@pytest.fixture
def volume_store(sqlite_store: Store) -> Store:
    from tests.store.conftest import make_volume_row

    with sqlite_store.unit_of_work() as uow:
        rows = [make_volume_row(None, state=state, availability_zone=zone, volume_type=kind)
                for state in ("creating", "available") for zone in ("us-east-1a", "us-east-1b")
                for kind in ("gp2", "gp3")]
        rows.append(make_volume_row("i-0123456789abcdef0", attachment_state="attached"))
        uow.volumes.insert(rows)
    return sqlite_store


def _assert_volume_indexed(plan: list[str], index: str, constraint: str) -> None:
    text = "\n".join(plan)
    assert "SCAN volumes" not in text and "SCAN snapshots" not in text and "SCAN tags" not in text, text
    assert any(index in line and constraint in line for line in plan), text


@pytest.mark.parametrize(
    ("match", "index", "constraint"),
    [
        (Match("state", ("available",)), "ix_volumes_scope_state", "state=?"),
        (Match("availability_zone", ("us-east-1a",)), "ix_volumes_scope_zone", "availability_zone=?"),
        (Match("volume_type", ("gp3",)), "ix_volumes_scope_type", "volume_type=?"),
        (Match("size", (8,)), "ix_volumes_scope_size", "size=?"),  # type: ignore[arg-type]
        (Match("snapshot_id", ("snap-0123456789abcdef0",)), "ix_volumes_scope_snapshot", "snapshot_id=?"),
        (Match("encrypted", (True,)), "ix_volumes_scope_encrypted", "encrypted=?"),  # type: ignore[arg-type]
        (Match("instance_id", ("i-0123456789abcdef0",)), "ix_volumes_scope_instance", "instance_id=?"),
        (Match("device", ("/dev/sdf",)), "ix_volumes_scope_device", "device=?"),
        (Match("attachment_state", ("attached",)), "ix_volumes_scope_attachment_state", "attachment_state=?"),
        (Match("delete_on_termination", (True,)), "ix_volumes_scope_delete_on_termination",  # type: ignore[arg-type]
         "delete_on_termination=?"),
    ],
)
def test_volume_filters_use_their_index(volume_store: Store, match: Match, index: str, constraint: str) -> None:
    plan = listing(volume_store, lambda uow: uow.volumes.find(ACCOUNT, REGION, [match], after_id="vol-0", limit=6))
    _assert_volume_indexed(plan, index, constraint)


def test_volume_tag_filter_uses_the_tag_index(volume_store: Store) -> None:
    plan = listing(volume_store, lambda uow: uow.volumes.find(ACCOUNT, REGION, [tag_match("team", "web")]))
    _assert_volume_indexed(plan, "ix_tags_scope_key_value", "key=? AND value=?")


def test_get_volumes_and_attached_volumes_use_an_index(volume_store: Store) -> None:
    [plan] = plans(volume_store, lambda uow: uow.volumes.get(ACCOUNT, REGION, ["vol-0123", "vol-0456"]))
    _assert_volume_indexed(plan, "INDEX", "volume_id=?")
    [plan] = plans(volume_store, lambda uow: uow.volumes.attached_to(["i-0123456789abcdef0"]))
    _assert_volume_indexed(plan, "INDEX", "instance_id=?")


def test_snapshot_lookups_use_their_index(volume_store: Store) -> None:
    for match, index, constraint in [
        (Match("state", ("pending",)), "ix_snapshots_scope_state", "state=?"),
        (Match("volume_id", ("vol-0123",)), "ix_snapshots_scope_volume", "volume_id=?"),
        (Match("description", ("x",)), "ix_snapshots_scope_description", "description=?"),
    ]:
        plan = listing(volume_store, lambda uow: uow.snapshots.find(ACCOUNT, REGION, [match], limit=6))
        _assert_volume_indexed(plan, index, constraint)
    [plan] = plans(volume_store, lambda uow: uow.snapshots.images_using("snap-0123456789abcdef0"))
    _assert_volume_indexed(plan, "ix_image_snapshots_snapshot", "snapshot_id=?")


def test_volume_and_snapshot_settle_is_one_indexed_min_when_nothing_is_due(volume_store: Store) -> None:
    statements = plans(volume_store, lambda uow: uow.settlement.settle(
        0.0, Durations(), only=("volume", "volume-attachment", "snapshot")))
    assert len(statements) == 2
    for plan in statements:
        text = "\n".join(plan)
        assert "SCAN" not in text or "COVERING INDEX ix_" in text, text


def test_volume_settle_reaches_due_rows_through_the_due_index(volume_store: Store) -> None:
    from tests.store.conftest import make_volume_row

    with volume_store.unit_of_work() as uow:
        uow.volumes.insert([make_volume_row(None, state="deleting", due_at=5.0)])
    statements = plans(volume_store, lambda uow: uow.settlement.settle(
        10_000.0, Durations(), only=("volume", "volume-attachment")))
    assert len(statements) > 1
    for plan in statements:
        text = "\n".join(plan)
        assert "SCAN volumes" not in text, text


def test_tags_of_named_resources_use_the_resource_index(sqlite_store: Store) -> None:
    """One resource's tags are a few rows of the resource index, not every tag of the region."""
    for ids in (["i-0123"], ["i-0123", "i-0456"]):
        [plan] = plans(sqlite_store, lambda uow: uow.tags.for_resources(ACCOUNT, REGION, ids))
        _assert_indexed(plan, "ix_tags_resource", "resource_id=?")


def test_instances_with_their_details_read_tags_and_volumes_through_indexes(volume_store: Store) -> None:
    """An instance's details are its own tags (the tags' resource index, not every tag of
    the region) and attached volumes (the volumes' instance index), for a look-up by ID
    and for a listing page alike, each read from its index alone (no row look-ups)."""
    for run in (lambda uow: uow.instances.get(ACCOUNT, REGION, ["i-0123456789abcdef0"], details=True),
                lambda uow: uow.instances.find(ACCOUNT, REGION, details=True, limit=5)):
        plan = [line for statement in plans(volume_store, run) for line in statement]
        text = "\n".join(plan)
        assert "SCAN tags" not in text and "SCAN volumes" not in text, text
        assert any("COVERING INDEX ix_tags_resource" in line and "resource_id=?" in line for line in plan), text
        assert any("COVERING INDEX ix_volumes_instance" in line and "instance_id=?" in line
                   for line in plan), text
