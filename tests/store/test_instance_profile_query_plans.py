"""Instance profiles and their associations are read through their indexes: a profile by
name, its roles by the link's key, a role's profiles by the role's index, an association
by its ID and a scope's associations in ID order, never a ``SCAN`` of a table; and the
repositories keep a profile's role and tags, and an instance's association, with them."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.instance_profiles import association
from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

PROFILE = "AIPA00000000000000001"
ROLE = "AROA00000000000000001"


def _profile(n: int) -> dict[str, Any]:
    return {"instance_profile_id": f"AIPA{n:017d}", "account_id": ACCOUNT, "instance_profile_name": f"Profile{n}",
            "path": "/", "arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/Profile{n}", "create_date": 1.0}


@pytest.fixture
def profile_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for n in range(1, 4):
            uow.iam.insert_instance_profile(_profile(n))
        uow.iam.insert_role({"role_id": ROLE, "account_id": ACCOUNT, "role_name": "worker", "path": "/",
                             "arn": f"arn:aws:iam::{ACCOUNT}:role/worker", "trust_policy": "{}",
                             "max_session_duration": 3600, "description": None, "create_date": 1.0})
        uow.iam.add_profile_role(PROFILE, ROLE)
        uow.iam.put_tags(PROFILE, [("team", "red")])
        rows = [make_instance_row() for _ in range(4)]
        uow.instances.insert(rows)
        for n, row in enumerate(rows[:3], 1):
            uow.profile_associations.associate(row["instance_id"], association(
                f"iip-assoc-{n:017x}", _profile(n), 2.0))
    return store


def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, ("instances", "iam_instance_profiles", "iam_instance_profile_roles", "iam_roles"))


def test_profile_look_ups_use_indexes(profile_store: Store) -> None:
    sqlite_only(profile_store)
    profile, roles = plans(profile_store, lambda uow: uow.iam.get_instance_profile(ACCOUNT, "profile1"))
    _assert(profile, "ux_iam_instance_profiles_name", "name_key=?")
    _assert(roles, "INDEX", "instance_profile_id=?")
    of_role = plans(profile_store, lambda uow: uow.iam.instance_profiles_of_role(ROLE, limit=1))[0]
    _assert(of_role, "ix_iam_instance_profile_roles_role", "role_id=?")
    listing = plans(profile_store, lambda uow: uow.iam.list_instance_profiles(ACCOUNT, after="profile1", limit=2))[0]
    _assert(listing, "ux_iam_instance_profiles_name", "name_key>?")


def test_association_look_ups_use_indexes(profile_store: Store) -> None:
    sqlite_only(profile_store)
    [plan] = plans(profile_store, lambda uow: uow.profile_associations.by_ids(
        ACCOUNT, REGION, ["iip-assoc-00000000000000002"]))
    _assert(plan, "ix_instances_scope_iam_association", "iam_association_id=?")
    [plan] = plans(profile_store, lambda uow: uow.profile_associations.find(
        ACCOUNT, REGION, after_id="iip-assoc-00000000000000001", limit=5))
    _assert(plan, "ix_instances_scope_iam_association", "iam_association_id>?")
    [plan] = plans(profile_store, lambda uow: uow.profile_associations.find(ACCOUNT, REGION, limit=5))
    _assert(plan, "ix_instances_scope_iam_association", "iam_association_id>?")
    [plan] = plans(profile_store, lambda uow: uow.profile_associations.find(
        ACCOUNT, REGION, [Match("instance_id", ("i-0",))]))
    _assert(plan, "INDEX", "=?")


def test_the_repositories_keep_roles_tags_and_associations(profile_store: Store) -> None:
    with profile_store.unit_of_work() as uow:
        profile = uow.iam.get_instance_profile(ACCOUNT, "PROFILE1")
        assert profile is not None and [role["role_name"] for role in profile["roles"]] == ["worker"]
        assert [row["instance_profile_name"] for row in uow.iam.instance_profiles_of_role(ROLE)] == ["Profile1"]
        assert uow.iam.get_instance_profile("999999999999", "profile1") is None
        assert uow.iam.remove_profile_role(PROFILE, ROLE) and not uow.iam.remove_profile_role(PROFILE, ROLE)
        uow.iam.delete_instance_profile(PROFILE)
        assert uow.iam.get_instance_profile(ACCOUNT, "profile1") is None and uow.iam.tags(PROFILE) == []
        found = uow.profile_associations.find(ACCOUNT, REGION)
        assert [row["iam_association_id"] for row in found] == [f"iip-assoc-{n:017x}" for n in range(1, 4)]
        assert found[0]["iam_instance_profile_arn"] == _profile(1)["arn"]
        uow.profile_associations.associate(found[0]["instance_id"], {})
        assert uow.profile_associations.by_ids(ACCOUNT, REGION, [f"iip-assoc-{1:017x}"]) == {}
        assert uow.profile_associations.find("999999999999", REGION) == []
        assert uow.profile_associations.find(ACCOUNT, "eu-west-1") == []
