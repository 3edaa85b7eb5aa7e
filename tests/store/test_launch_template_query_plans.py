"""Launch templates in the store: look-ups by ID, name and client token, the name filter,
a template's versions by number or token, and the quota's count read through indexes
(never a ``SCAN`` of either table)."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, listing, plans, sqlite_only

TEMPLATE = "lt-00000000000000001"


def template_row(n: int) -> dict[str, Any]:
    return {"launch_template_id": f"lt-{n:017x}", "account_id": ACCOUNT, "region": REGION,
            "launch_template_name": f"web-{n}", "created_by": "arn", "create_time": float(n),
            "default_version": 1, "latest_version": 2, "issued_version": 2, "client_token": f"token-{n}"}


def version_row(n: int) -> dict[str, Any]:
    return {"launch_template_id": TEMPLATE, "version_number": n, "account_id": ACCOUNT, "region": REGION,
            "version_description": None, "created_by": "arn", "create_time": 0.0, "data": "{}",
            "client_token": f"v-{n}"}


@pytest.fixture
def template_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for n in range(1, 5):
            uow.launch_templates.insert(template_row(n))
        for n in (1, 2):
            uow.launch_templates.insert_version(version_row(n))
    return store


def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, ("launch_templates", "launch_template_versions"))


def test_look_ups_use_indexes(template_store: Store) -> None:
    sqlite_only(template_store)
    repository = "launch_templates"
    for run, index, constraint in [
        (lambda uow: getattr(uow, repository).get(ACCOUNT, REGION, [TEMPLATE]), "INDEX", "launch_template_id=?"),
        (lambda uow: getattr(uow, repository).by_names(ACCOUNT, REGION, ["web-2"]), "ux_launch_templates_scope_name",
         "launch_template_name=?"),
        (lambda uow: getattr(uow, repository).by_client_token(ACCOUNT, REGION, "token-3"),
         "ix_launch_templates_scope_token", "client_token=?"),
        (lambda uow: getattr(uow, repository).versions(TEMPLATE, [2]), "INDEX", "version_number=?"),
        (lambda uow: getattr(uow, repository).versions(TEMPLATE), "INDEX", "launch_template_id=?"),
        (lambda uow: getattr(uow, repository).version_by_client_token(TEMPLATE, "v-1"),
         "ix_launch_template_versions_token", "client_token=?"),
        (lambda uow: getattr(uow, repository).count(ACCOUNT, REGION), "INDEX", "account_id=?"),
    ]:
        [plan] = plans(template_store, run)
        _assert(plan, index, constraint)


def test_the_name_filter_uses_its_index(template_store: Store) -> None:
    sqlite_only(template_store)
    plan = listing(template_store, lambda uow: uow.launch_templates.find(
        ACCOUNT, REGION, [Match("launch_template_name", ("web-3",))]))
    _assert(plan, "ux_launch_templates_scope_name", "launch_template_name=?")
    with template_store.unit_of_work() as uow:
        assert [row["launch_template_name"] for row in uow.launch_templates.find(
            ACCOUNT, REGION, [Match("launch_template_name", ("web-3",))])] == ["web-3"]
