"""Systems Manager parameters are read through their primary keys: by name, by name and
version, a path's subtree and a scope's listing as ranges in name order, never a ``SCAN``
of either table; and the repository keeps versions with the latest and forgets them with
the parameter."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.repository import Store
from ec2emu.store.ssm_parameters import MAX_VERSIONS
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

TABLES = ("ssm_parameters", "ssm_parameter_versions")


def _row(name: str, version: int = 1, value: str = "v") -> dict[str, Any]:
    return {"account_id": ACCOUNT, "region": REGION, "name": name, "version": version, "parameter_type": "String",
            "value": value, "data_type": "text", "description": "", "allowed_pattern": None, "tier": "Standard",
            "last_modified": float(version), "last_modified_user": "", "tags": []}


@pytest.fixture
def ssm_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for name in ("/app/a", "/app/b", "/app/b/c", "/other/x", "top"):
            uow.ssm_parameters.put(_row(name))
        uow.ssm_parameters.put(_row("/app/a", 2, "second"))
    return store


def test_look_ups_and_listings_use_the_primary_keys(ssm_store: Store) -> None:
    sqlite_only(ssm_store)
    [by_name] = plans(ssm_store, lambda uow: uow.ssm_parameters.get(ACCOUNT, REGION, "/app/a"))
    assert_indexed(by_name, "sqlite_autoindex_ssm_parameters_1", "name=?", TABLES)
    [version] = plans(ssm_store, lambda uow: uow.ssm_parameters.version(ACCOUNT, REGION, "/app/a", 1))
    assert_indexed(version, "sqlite_autoindex_ssm_parameter_versions_1", "version=?", TABLES)
    [subtree] = plans(ssm_store, lambda uow: uow.ssm_parameters.listing(ACCOUNT, REGION, "/app/", "/app/a", 10))
    assert_indexed(subtree, "sqlite_autoindex_ssm_parameters_1", "name>?", TABLES)
    [scope] = plans(ssm_store, lambda uow: uow.ssm_parameters.listing(ACCOUNT, REGION, "", None, 10))
    assert_indexed(scope, "sqlite_autoindex_ssm_parameters_1", "region=?", TABLES)
    [history] = plans(ssm_store, lambda uow: uow.ssm_parameters.history(ACCOUNT, REGION, "/app/a", None, 10))
    assert_indexed(history, "sqlite_autoindex_ssm_parameter_versions_1", "name=?", TABLES)


def test_versions_listing_and_deletion(ssm_store: Store) -> None:
    with ssm_store.unit_of_work() as uow:
        repository = uow.ssm_parameters
        assert repository.get(ACCOUNT, REGION, "/app/a")["value"] == "second"  # type: ignore[index]
        assert [row["value"] for row in repository.history(ACCOUNT, REGION, "/app/a", None, None)] == ["v", "second"]
        assert [row["name"] for row in repository.listing(ACCOUNT, REGION, "/app/", None, None)] == [
            "/app/a", "/app/b", "/app/b/c"]
        assert [row["name"] for row in repository.listing(ACCOUNT, REGION, "", "/other/x", None)] == ["top"]
        assert repository.listing("111111111111", REGION, "", None, None) == []
        repository.delete(ACCOUNT, REGION, ["/app/a"])
        assert repository.get(ACCOUNT, REGION, "/app/a") is None
        assert repository.history(ACCOUNT, REGION, "/app/a", None, None) == []


def test_only_the_last_versions_are_kept(ssm_store: Store) -> None:
    with ssm_store.unit_of_work() as uow:
        for version in range(2, MAX_VERSIONS + 3):
            uow.ssm_parameters.put(_row("/other/x", version))
        kept = uow.ssm_parameters.history(ACCOUNT, REGION, "/other/x", None, None)
    assert len(kept) == MAX_VERSIONS and kept[0]["version"] == 3 and kept[-1]["version"] == MAX_VERSIONS + 2
