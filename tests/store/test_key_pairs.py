"""The key pair repository: rows per account and region, look-ups by ID and name, the
count, deletion with tags, a name unique in its scope (on SQLite and PostgreSQL); and
every look-up through an index, never a scan (SQLite's ``EXPLAIN QUERY PLAN``)."""

from __future__ import annotations

import itertools
import sqlite3
from typing import Any

import psycopg
import pytest

from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import listing

_serial = itertools.count(1)


def key_pair_row(**overrides: Any) -> dict[str, Any]:
    serial = next(_serial)
    row: dict[str, Any] = {
        "key_pair_id": f"key-{serial:017x}",
        "account_id": ACCOUNT,
        "region": REGION,
        "key_name": f"pair-{serial}",
        "key_type": "ed25519",
        "fingerprint": f"fingerprint-{serial}=",
        "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample",
        "create_time": 1_000.0,
    }
    row.update(overrides)
    return row


def test_rows_by_id_name_and_criteria_in_their_scope(store: Store) -> None:
    mine, typed = key_pair_row(key_name="web"), key_pair_row(key_type="rsa")
    elsewhere = key_pair_row(key_name="web", region="eu-west-1")
    other_account = key_pair_row(key_name="web", account_id="111111111111")
    with store.unit_of_work() as uow:
        for row in (mine, typed, elsewhere, other_account):
            uow.key_pairs.insert(row)
    with store.unit_of_work() as uow:
        repository = uow.key_pairs
        assert repository.get(ACCOUNT, REGION, [mine["key_pair_id"], elsewhere["key_pair_id"]]) == {
            mine["key_pair_id"]: mine}
        assert repository.by_names(ACCOUNT, REGION, ["web", "missing"]) == {"web": mine}
        assert repository.count(ACCOUNT, REGION) == 2 and repository.count("111111111111", REGION) == 1
        assert repository.find(ACCOUNT, REGION, [Match("key_type", ("rsa",))]) == [typed]
        assert repository.find(ACCOUNT, REGION, [Match("fingerprint", (mine["fingerprint"],))]) == [mine]


def test_delete_takes_the_pairs_tags_and_nothing_else(store: Store) -> None:
    row, kept = key_pair_row(), key_pair_row()
    with store.unit_of_work() as uow:
        uow.key_pairs.insert(row)
        uow.key_pairs.insert(kept)
        for key_pair_id in (row["key_pair_id"], kept["key_pair_id"]):
            uow.tags.put(ACCOUNT, REGION, key_pair_id, "key-pair", [("team", "ops")])
    with store.unit_of_work() as uow:
        uow.key_pairs.delete(ACCOUNT, REGION, row["key_pair_id"])
    with store.unit_of_work() as uow:
        assert uow.key_pairs.find(ACCOUNT, REGION) == [kept]
        assert dict(uow.tags.for_resources(ACCOUNT, REGION, [row["key_pair_id"], kept["key_pair_id"]])) == {
            kept["key_pair_id"]: [("team", "ops")]}


def test_a_name_is_unique_in_its_scope(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.key_pairs.insert(key_pair_row(key_name="taken"))
    # Inserted on the driver's connection: the driver's own error.
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.IntegrityError)), store.unit_of_work() as uow:
        uow.key_pairs.insert(key_pair_row(key_name="taken"))
    with store.unit_of_work() as uow:
        assert uow.key_pairs.count(ACCOUNT, REGION) == 1
        uow.key_pairs.insert(key_pair_row(key_name="taken", region="eu-west-1"))


@pytest.fixture
def sqlite_pairs(store: Store) -> Store:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with store.unit_of_work() as uow:
        for kind in ("rsa", "ed25519") * 20:
            uow.key_pairs.insert(key_pair_row(key_type=kind))
        uow.key_pairs.insert(key_pair_row(key_name="web", fingerprint="f="))
    return store


def _assert_indexed(plan: list[str], index: str, constraint: str) -> None:
    text = "\n".join(plan)
    assert "SCAN key_pairs" not in text, text
    assert any(index in line and constraint in line for line in plan), text


@pytest.mark.parametrize(("run", "index", "constraint"), [
    (lambda uow: uow.key_pairs.get(ACCOUNT, REGION, ["key-0123456789abcdef0"]), "INDEX", "key_pair_id=?"),
    (lambda uow: uow.key_pairs.by_names(ACCOUNT, REGION, ["web", "db"]), "ux_key_pairs_scope_name", "key_name=?"),
    (lambda uow: uow.key_pairs.find(ACCOUNT, REGION, [Match("fingerprint", ("f=",))]),
     "ix_key_pairs_scope_fingerprint", "fingerprint=?"),
    (lambda uow: uow.key_pairs.find(ACCOUNT, REGION, [Match("key_name", ("web",))]),
     "ux_key_pairs_scope_name", "key_name=?"),
    (lambda uow: uow.key_pairs.find(ACCOUNT, REGION, [Match("key_type", ("rsa",))]),
     "ix_key_pairs_scope_type", "key_type=?"),
    (lambda uow: uow.key_pairs.count(ACCOUNT, REGION), "INDEX", "account_id=? AND region=?"),
], ids=["get", "by-names", "fingerprint", "key-name", "key-type", "count"])
def test_key_pair_look_ups_use_an_index(sqlite_pairs: Store, run: Any, index: str, constraint: str) -> None:
    plan = listing(sqlite_pairs, run)  # a listing's rows are then read by ID, through an index
    _assert_indexed(plan, index, constraint)
