"""The IAM repository's contract, on SQLite and PostgreSQL: names unique
case-insensitively per account, the identity policies of users (with their groups') and
roles, principal tags, access keys joined with their users, STS sessions; and every
look-up served by an index (SQLite's query plans)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.store.iam import IamRepository
from ec2emu.store.repository import Store
from tests.store.test_query_plans import plans

ACCOUNT, OTHER = "000000000000", "111111111111"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
DOC = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
)


def user(name: str, user_id: str, account: str = ACCOUNT, path: str = "/") -> dict[str, Any]:
    return {
        "user_id": user_id,
        "account_id": account,
        "user_name": name,
        "path": path,
        "arn": f"arn:aws:iam::{account}:user{path}{name}",
        "create_date": 1.0,
    }


def populate(iam: IamRepository) -> None:
    iam.insert_user(user("Alice", "AIDAALICE"))
    iam.insert_user(user("bob", "AIDABOB"))
    iam.insert_user(user("alice", "AIDAOTHERALICE", OTHER))
    iam.insert_group(
        {
            "group_id": "AGPADEVS",
            "account_id": ACCOUNT,
            "group_name": "devs",
            "path": "/",
            "arn": f"arn:aws:iam::{ACCOUNT}:group/devs",
            "create_date": 1.0,
        }
    )
    iam.insert_role(
        {
            "role_id": "AROAWORKER",
            "account_id": ACCOUNT,
            "role_name": "Worker",
            "path": "/",
            "arn": f"arn:aws:iam::{ACCOUNT}:role/Worker",
            "trust_policy": "{}",
            "max_session_duration": 3600,
            "description": None,
            "create_date": 1.0,
        }
    )
    arn = f"arn:aws:iam::{ACCOUNT}:policy/mine"
    iam.insert_policy(
        {
            "arn": arn,
            "account_id": ACCOUNT,
            "policy_name": "mine",
            "path": "/",
            "policy_id": "ANPAMINE",
            "description": None,
        },
        DOC,
        1.0,
    )
    iam.insert_policy_version(arn, 2, '{"v": 2}', 2.0)
    iam.update_policy(arn, {"default_version": 2})
    iam.put_inline_policy(ACCOUNT, "AIDAALICE", "own", "user-doc")
    iam.attach(ACCOUNT, "user", "AIDAALICE", ADMIN)
    iam.add_member("AGPADEVS", "AIDAALICE")
    iam.put_inline_policy(ACCOUNT, "AGPADEVS", "shared", "group-doc")
    iam.attach(ACCOUNT, "group", "AGPADEVS", arn)
    iam.put_inline_policy(ACCOUNT, "AROAWORKER", "run", "role-doc")
    iam.attach(ACCOUNT, "role", "AROAWORKER", arn)
    iam.put_tags("AIDAALICE", [("team", "web")])
    iam.put_tags("AROAWORKER", [("env", "prod")])
    iam.insert_access_key(
        {
            "access_key_id": "AKIAALICE0000000000",
            "account_id": ACCOUNT,
            "user_id": "AIDAALICE",
            "secret_access_key": "secret",
            "status": "Active",
            "create_date": 1.0,
        }
    )


def test_identity_policies_of_users_groups_and_roles(store: Store) -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:policy/mine"
    with store.unit_of_work() as uow:
        populate(uow.iam)
    with store.unit_of_work() as uow:
        iam = uow.iam
        admin_doc = iam.default_document(ADMIN)
        assert admin_doc is not None
        assert iam.identity_policies(ACCOUNT, "user", "alice") == [
            ("user/Alice/own", "user-doc"),
            (ADMIN, admin_doc),
            ("group/devs/shared", "group-doc"),
            (arn, '{"v": 2}'),
        ]
        assert iam.identity_policies(ACCOUNT, "role", "worker") == [
            ("role/Worker/run", "role-doc"),
            (arn, '{"v": 2}'),
        ]
        assert iam.identity_policies(ACCOUNT, "user", "bob") == []
        assert iam.identity_policies(ACCOUNT, "user", "nobody") == []
        assert iam.identity_policies(OTHER, "user", "alice") == []
        assert iam.identity_policies(OTHER, "role", "worker") == []
        assert iam.principal_tags(ACCOUNT, "user", "ALICE") == {"team": "web"}
        assert iam.principal_tags(ACCOUNT, "role", "Worker") == {"env": "prod"}
        assert iam.principal_tags(ACCOUNT, "user", "nobody") == {}
        role = iam.get_role(ACCOUNT, "worker")
        assert role is not None and (role["role_name"], role["role_id"], role["trust_policy"]) == (
            "Worker",
            "AROAWORKER",
            "{}",
        )
        assert iam.get_role(OTHER, "worker") is None
        policy = iam.get_policy(arn)
        assert policy is not None and policy["attachment_count"] == 2
        assert iam.attachment_count(ACCOUNT, ADMIN) == 1 and iam.attachment_count(OTHER, ADMIN) == 0
        assert iam.detach("AIDAALICE", ADMIN) and not iam.detach("AIDAALICE", ADMIN)


def test_names_are_unique_per_account_case_insensitively(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.iam.insert_user(user("Alice", "AIDA1"))
        uow.iam.insert_user(user("alice", "AIDA2", OTHER))
    with pytest.raises(sa.exc.IntegrityError), store.unit_of_work() as uow:
        uow.iam.insert_user(user("ALICE", "AIDA3"))
    with store.unit_of_work() as uow:
        assert [u["user_id"] for u in uow.iam.list_users(ACCOUNT)] == ["AIDA1"]
        added = uow.iam.ensure_users([user("alice", "AIDA4"), user("carol", "AIDA5")])
        assert added == 1
        assert uow.iam.ensure_users([user("carol", "AIDA5")]) == 0
        assert [u["user_name"] for u in uow.iam.list_users(ACCOUNT)] == ["Alice", "carol"]


def test_access_keys_and_sessions(store: Store) -> None:
    with store.unit_of_work() as uow:
        populate(uow.iam)
        uow.iam.insert_session(
            {
                "access_key_id": "ASIAJOB0000000000000",
                "secret_access_key": "s",
                "session_token": "t",
                "account_id": ACCOUNT,
                "role_name": "Worker",
                "role_arn": f"arn:aws:iam::{ACCOUNT}:role/Worker",
                "role_id": "AROAWORKER",
                "session_name": "job",
                "expires_at": 100.0,
                "source_identity_arn": None,
                "create_date": 1.0,
            }
        )
    with store.unit_of_work() as uow:
        key = uow.iam.find_access_key("AKIAALICE0000000000")
        assert key is not None
        assert {k: key[k] for k in ("account_id", "user_name", "path", "user_id", "status", "secret")} == {
            "account_id": ACCOUNT,
            "user_name": "Alice",
            "path": "/",
            "user_id": "AIDAALICE",
            "status": "Active",
            "secret": "secret",
        }
        assert uow.iam.find_access_key("AKIAUNKNOWN000000000") is None
        session = uow.iam.find_session("ASIAJOB0000000000000")
        assert session is not None and (session["role_name"], session["expires_at"]) == ("Worker", 100.0)
        uow.iam.delete_expired_sessions(101.0)
        assert uow.iam.find_session("ASIAJOB0000000000000") is None


def test_iam_look_ups_use_indexes(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    with store.unit_of_work() as uow:
        populate(uow.iam)

    def work(uow: Any) -> None:
        iam = uow.iam
        iam.identity_policies(ACCOUNT, "user", "alice")
        iam.identity_policies(ACCOUNT, "role", "worker")
        iam.principal_tags(ACCOUNT, "user", "alice")
        iam.find_access_key("AKIAALICE0000000000")
        iam.find_session("ASIAJOB0000000000000")
        iam.access_keys_of("AIDAALICE")
        iam.list_users(ACCOUNT, after="a", limit=10)
        iam.list_policies(ACCOUNT, limit=10)
        iam.members("AGPADEVS")
        iam.attachment_count(ACCOUNT, ADMIN)

    statements = plans(store, work)
    assert len(statements) > 10
    for plan in statements:
        text = "\n".join(plan)
        for line in plan:
            # a SCAN is allowed only along an index (ordered listings walk their index)
            assert not line.startswith("SCAN") or "INDEX" in line, text
