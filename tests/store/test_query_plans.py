"""Hot lookups use an index: SQLite's ``EXPLAIN QUERY PLAN`` for the statements the
repositories really run (captured from the engine) shows an index on the looked-up
column, never a ``SCAN`` of instances or tags, nor a walk of every instance of the
region (``ix_instances_scope_id`` constrained only by account and region)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ec2emu.store import schema
from ec2emu.store.repository import Match, Store, _OrderingOnly
from tests.store.conftest import ACCOUNT, REGION, make_instance_row

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


def _assert_indexed(plan: list[str], index: str, constraint: str) -> None:
    text = "\n".join(plan)
    assert "SCAN instances" not in text and "SCAN tags" not in text, text
    assert any(index in line and constraint in line for line in plan), text


def test_get_by_instance_id_uses_an_index(sqlite_store: Store) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.get(ACCOUNT, REGION, ["i-0123", "i-0456"]))
    _assert_indexed(plan, "INDEX", "instance_id=?")


@pytest.mark.parametrize(
    ("patterns", "constraint"),
    [(("running",), "state=?"), (("running", "stopped"), "state=?"), (("run*",), "state>?")],
)
def test_find_by_state_uses_the_state_index(sqlite_store: Store, patterns: tuple[str, ...],
                                            constraint: str) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.find(ACCOUNT, REGION, [Match("state", patterns)]))
    _assert_indexed(plan, "ix_instances_scope_state", constraint)


def test_find_by_state_with_paging_uses_the_state_index(sqlite_store: Store) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.find(
        ACCOUNT, REGION, [Match("state", ("running", "pending"))], after_id="i-0", limit=6))
    _assert_indexed(plan, "ix_instances_scope_state", "state=?")


def test_find_by_zone_uses_the_zone_index(sqlite_store: Store) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.find(
        ACCOUNT, REGION, [Match("availability_zone", ("us-east-1a",))]))
    _assert_indexed(plan, "ix_instances_scope_zone", "availability_zone=?")


@pytest.mark.parametrize(
    ("match", "tag_index", "tag_constraint"),
    [
        (Match("tag:team", ("web",)), "ix_tags_scope_key_value", "key=? AND value=?"),
        (Match("tag:team", ("w*",)), "ix_tags_scope_key_value", "key=? AND value>?"),
        (Match("tag_key", ("team",)), "ix_tags_scope_key_value", "key=?"),
        (Match("tag_value", ("web",)), "ix_tags_scope_value", "value=?"),
    ],
)
def test_find_by_tag_uses_the_tag_indexes(sqlite_store: Store, match: Match, tag_index: str,
                                          tag_constraint: str) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.find(ACCOUNT, REGION, [match]))
    _assert_indexed(plan, tag_index, tag_constraint)
    _assert_indexed(plan, "instances USING", "instance_id=?")


def test_find_without_criteria_pages_along_the_id_index(sqlite_store: Store) -> None:
    [plan] = plans(sqlite_store, lambda uow: uow.instances.find(ACCOUNT, REGION, after_id="i-0", limit=5))
    _assert_indexed(plan, "ix_instances_scope_id", "instance_id>?")
    assert not any("TEMP B-TREE" in line for line in plan)


def test_settle_reaches_due_rows_through_the_due_index(sqlite_store: Store) -> None:
    with sqlite_store.unit_of_work() as uow:
        uow.instances.insert([make_instance_row(state="shutting-down", due_at=1.0)])
    statements = plans(sqlite_store, lambda uow: uow.instances.settle(2.0, 3600.0))
    assert len(statements) > 1
    for plan in statements:
        text = "\n".join(plan)
        assert "SCAN" not in text, text


def test_the_ordering_hint_is_sqlite_only() -> None:
    """Other dialects plan from statistics: they get the plain column."""
    t = schema.instances
    query = sa.select(t.c.instance_id).where(_OrderingOnly(t.c.instance_id) > "i-0").order_by(
        _OrderingOnly(t.c.instance_id))
    assert "ORDER BY +instances.instance_id" in str(query.compile(dialect=sqlite.dialect()))
    plain = str(query.compile(dialect=postgresql.dialect()))
    assert "+instances" not in plain and "ORDER BY instances.instance_id" in plain
