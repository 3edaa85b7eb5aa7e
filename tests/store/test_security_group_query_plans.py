"""Security groups and their rules are read through their indexes: look-ups by ID, each
filter column, a page's rules, the rules' listing and the checks DeleteSecurityGroup
makes (rules referring to a group; the network interfaces using it), never a ``SCAN``
of a table; and the repository keeps a group's rules and tags with it."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.repository import Match, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_interface_row, tag_match
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

VPC = "vpc-00000000000000000"


def rule_row(rule_id: str, group_id: str, *, egress: bool = False, cidr: str | None = "10.0.0.0/8",
             referenced: str | None = None) -> dict[str, Any]:
    return {"rule_id": rule_id, "group_id": group_id, "account_id": ACCOUNT, "region": REGION, "is_egress": egress,
            "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": None if referenced else cidr,
            "cidr_ipv6": None, "prefix_list_id": None, "referenced_group_id": referenced,
            "referenced_user_id": ACCOUNT if referenced else None, "description": None}


def group_row(n: int, vpc_id: str = VPC, referenced: str | None = None) -> dict[str, Any]:
    group_id = f"sg-{n:017x}"
    rules = [rule_row(f"sgr-{n:017x}", group_id, egress=True, cidr="0.0.0.0/0")]
    if referenced:
        rules.append(rule_row(f"sgr-{n + 100:017x}", group_id, referenced=referenced))
    return {"group_id": group_id, "account_id": ACCOUNT, "region": REGION, "vpc_id": vpc_id,
            "group_name": f"Group{n}", "name_key": f"group{n}", "description": f"group {n}", "is_default": n == 0,
            "rules": rules}


@pytest.fixture
def group_store(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for n in range(4):
            uow.security_groups.insert(group_row(n, referenced="sg-00000000000000001" if n == 2 else None))
        uow.security_groups.mark_stored(ACCOUNT, REGION)
        uow.tags.put(ACCOUNT, REGION, "sg-00000000000000003", "security-group", [("tier", "web")])
        groups = [{"GroupId": "sg-00000000000000003", "GroupName": "Group3"}]
        instance = make_instance_row(vpc_id=VPC, subnet_id="subnet-0", security_groups=groups)
        uow.instances.insert([instance])
        uow.network_interfaces.insert([make_interface_row(instance["instance_id"], vpc_id=VPC, subnet_id="subnet-0",
                                                          groups=groups)])
    return store



def _assert(plan: list[str], index: str, constraint: str) -> None:
    assert_indexed(plan, index, constraint, ("security_groups", "security_group_rules", "instances", "tags", "network_interfaces", "network_interface_groups"))


def test_group_look_ups_and_filters_use_indexes(group_store: Store) -> None:
    sqlite_only(group_store)
    [plan, rules] = plans(group_store, lambda uow: uow.security_groups.get(ACCOUNT, REGION, ["sg-00000000000000001"]))
    _assert(plan, "INDEX", "group_id=?")
    _assert(rules, "ix_security_group_rules_group", "group_id=?")
    for match, index, constraint in [
        (Match("vpc_id", (VPC,)), "ix_security_groups_scope_vpc", "vpc_id=?"),
        (Match("group_name", ("Group1",)), "ix_security_groups_scope_name", "group_name=?"),
        (Match("description", ("group 1",)), "ix_security_groups_scope_description", "description=?"),
        (tag_match("tier", "web"), "ix_tags_scope_key_value", "key=? AND value=?"),
    ]:
        plan = plans(group_store, lambda uow: uow.security_groups.find(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    plan = plans(group_store, lambda uow: uow.security_groups.find(ACCOUNT, REGION, after_id="sg-0", limit=5))[0]
    _assert(plan, "ix_security_groups_scope_id", "group_id>?")


def test_rule_listings_and_dependency_checks_use_indexes(group_store: Store) -> None:
    sqlite_only(group_store)
    for match, index, constraint in [
        (Match("group_id", ("sg-00000000000000002",)), "ix_security_group_rules_scope_group", "group_id=?"),
        (Match("rule_id", ("sgr-00000000000000002",)), "INDEX", "rule_id=?"),
    ]:
        plan = plans(group_store, lambda uow: uow.security_groups.find_rules(ACCOUNT, REGION, [match], limit=6))[0]
        _assert(plan, index, constraint)
    [plan] = plans(group_store, lambda uow: uow.security_groups.referrers("sg-00000000000000001"))
    _assert(plan, "ix_security_group_rules_referenced", "referenced_group_id=?")
    [plan] = plans(group_store, lambda uow: uow.security_groups.users(ACCOUNT, REGION, "sg-00000000000000003"))
    _assert(plan, "ix_network_interface_groups_scope_group", "group_id=?")


def test_the_repository_keeps_rules_and_tags_with_their_group(group_store: Store) -> None:
    with group_store.unit_of_work() as uow:
        repo = uow.security_groups
        assert repo.is_stored(ACCOUNT, REGION) and not repo.is_stored(ACCOUNT, "eu-west-1")
        assert repo.count(ACCOUNT, REGION) == 4
        assert repo.referrers("sg-00000000000000001") == ["sg-00000000000000002"]
        assert repo.users(ACCOUNT, REGION, "sg-00000000000000003") != []
        assert repo.users(ACCOUNT, REGION, "sg-00000000000000002") == []
        found = repo.named_in_vpc(VPC, "group2")
        assert found is not None and len(found["rules"]) == 2
        repo.delete("sg-00000000000000003")
        assert repo.get(ACCOUNT, REGION, ["sg-00000000000000003"]) == {}
        assert repo.find_rules(ACCOUNT, REGION, [Match("group_id", ("sg-00000000000000003",))]) == []
        assert uow.tags.for_resources(ACCOUNT, REGION, ["sg-00000000000000003"]) == {}
        # Another account sees nothing of this one's groups.
        assert repo.get("999999999999", REGION, ["sg-00000000000000001"]) == {}
