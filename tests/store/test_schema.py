"""Migrations and schema.py agree: an empty database migrated to head has exactly the
tables, columns and indexes that ``store/schema.py`` declares for its dialect (an index
may be one dialect's: ``Index.ddl_if``) — and, on SQLite, the indexes of names
(``store/name_index.py``), which no metadata can declare."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from ec2emu.store import name_index, schema
from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.repository import Store
from ec2emu.store.trail_schema import NAME_INDEX


def _name_index(engine: sa.Engine) -> set[str]:
    """The tables of SQLite's indexes of names the database must have besides the
    declared ones."""
    if engine.dialect.name != "sqlite":
        return set()
    return set(name_index.tables(NAME_INDEX))


def _made_on(index: sa.Index, engine: sa.Engine) -> bool:
    """Whether ``index`` is made on ``engine``'s dialect (``Index.ddl_if``)."""
    only = index._ddl_if  # SQLAlchemy keeps the condition there
    return only is None or only.dialect in (None, engine.dialect.name)


def _columns(inspector: sa.Inspector, table: str) -> dict[str, tuple[Any, ...]]:
    result = {}
    for column in inspector.get_columns(table):
        kind = column["type"]
        result[column["name"]] = (
            kind._type_affinity,
            getattr(kind, "length", None),
            bool(column["nullable"]),
        )
    return result


def _declared_columns(table: sa.Table) -> dict[str, tuple[Any, ...]]:
    return {
        column.name: (
            column.type._type_affinity,
            getattr(column.type, "length", None),
            bool(column.nullable),
        )
        for column in table.columns
    }


def test_migrating_an_empty_database_gives_exactly_the_declared_schema(empty_store_url: str) -> None:
    engine = create_engine(empty_store_url)
    try:
        migrate(engine)
        inspector = sa.inspect(engine)
        tables = set(inspector.get_table_names()) - {"alembic_version"}
        assert tables == set(schema.metadata.tables) | _name_index(engine)
        for name, table in schema.metadata.tables.items():
            assert _columns(inspector, name) == _declared_columns(table), name
            assert inspector.get_pk_constraint(name)["constrained_columns"] == [
                column.name for column in table.primary_key.columns
            ]
            reflected = {
                index["name"]: (tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(name)
            }
            declared = {
                index.name: (tuple(column.name for column in index.columns), bool(index.unique))
                for index in table.indexes if _made_on(index, engine)
            }
            assert reflected == declared, name
    finally:
        engine.dispose()


def test_alembic_finds_no_difference_between_migrations_and_schema(empty_store_url: str) -> None:
    engine = create_engine(empty_store_url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            undeclared = _name_index(engine)
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_name": lambda name, kind, _: not (kind == "table" and name in undeclared),
                "include_object": lambda found, _name, kind, reflected, _other: (
                    reflected or kind != "index" or _made_on(found, engine))})
            assert compare_metadata(context, schema.metadata) == []
    finally:
        engine.dispose()


def test_database_is_at_the_newest_revision_and_migrating_again_changes_nothing(
    empty_store_url: str,
) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    first = Store(empty_store_url)
    with first.unit_of_work() as uow:
        uow.settings.set("kept", {"value": 1})
    first.close()
    second = Store(empty_store_url)  # opening an existing database migrates it again
    try:
        with second.unit_of_work() as uow:
            assert uow.settings.get("kept") == {"value": 1}
            revision = uow.conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert revision == head
    finally:
        second.close()


def test_every_revision_chains_from_the_initial_one() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None
    assert len(script.get_heads()) == 1


def test_upgrading_keeps_existing_tags(empty_store_url: str) -> None:
    from alembic import command

    engine = create_engine(empty_store_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            sa.text(
                "INSERT INTO tags (resource_id, key, value, account_id, region, resource_type) "
                "VALUES ('i-0123456789abcdef0', 'team', 'web', '000000000000', 'us-east-1', 'instance')"
            )
        )
    migrate(engine)
    engine.dispose()
    store = Store(empty_store_url)
    with store.unit_of_work() as uow:
        assert uow.tags.for_resources("000000000000", "us-east-1", ["i-0123456789abcdef0"]) == {
            "i-0123456789abcdef0": [("team", "web")]
        }
    store.close()

