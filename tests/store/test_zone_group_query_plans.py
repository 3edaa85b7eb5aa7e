"""An account's zone-group opt-ins are read through the primary key's account-and-Region
prefix, never a ``SCAN``; opting in twice keeps one row, and scopes stay apart."""

from __future__ import annotations

from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only


def test_opt_ins_are_kept_per_account_and_region(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.zone_groups.opt_in(ACCOUNT, REGION, "us-east-1-mia-1", 1.0)
        uow.zone_groups.opt_in(ACCOUNT, REGION, "us-east-1-mia-1", 2.0)
        uow.zone_groups.opt_in(ACCOUNT, REGION, "us-east-1-wl1", 3.0)
        uow.zone_groups.opt_in("222222222222", REGION, "us-east-1-bos-1", 4.0)
    with store.unit_of_work() as uow:
        assert uow.zone_groups.opted_in(ACCOUNT, REGION) == {"us-east-1-mia-1", "us-east-1-wl1"}
        assert uow.zone_groups.opted_in(ACCOUNT, "us-west-2") == set()
        assert uow.zone_groups.opted_in("222222222222", REGION) == {"us-east-1-bos-1"}


def test_opt_ins_are_read_by_the_primary_key(store: Store) -> None:
    sqlite_only(store)
    [plan] = plans(store, lambda uow: uow.zone_groups.opted_in(ACCOUNT, REGION))
    assert_indexed(plan, "sqlite_autoindex_zone_group_opt_ins_1", "account_id=? AND region=?", ["zone_group_opt_ins"])
