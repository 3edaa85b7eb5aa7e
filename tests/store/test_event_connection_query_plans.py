"""EventBridge's connections and API destinations are read through their keys — a
connection or destination by name, a prefix's as a range, connections in one state and a
connection's destinations through their indexes, never a ``SCAN`` — and a connection's
secret values come back only through ``credentials``."""

from __future__ import annotations

from typing import Any

import pytest

from ec2emu.store.event_connections import Scope
from ec2emu.store.repository import Store
from tests.store.conftest import ACCOUNT, REGION
from tests.store.test_query_plans import assert_indexed, plans, sqlite_only

TABLES = ("event_connections", "event_connection_secrets", "event_api_destinations")
SCOPE = Scope(ACCOUNT, REGION)
GIVEN = {"BasicAuthParameters": {"Username": "bot", "Password": "pw-secret"}}


def _connection(name: str, state: str = "AUTHORIZED") -> dict[str, Any]:
    return {"account_id": ACCOUNT, "region": REGION, "name": name, "arn": f"arn:c/{name}/u", "description": None,
            "authorization_type": "BASIC", "state": state, "auth_parameters": {"BasicAuthParameters": {"Username": "bot"}},
            "secret_arn": f"arn:s/{name}", "created_at": 0.0, "modified_at": 0.0, "authorized_at": 0.0}


def _destination(name: str, connection: str) -> dict[str, Any]:
    return {"account_id": ACCOUNT, "region": REGION, "name": name, "arn": f"arn:d/{name}/u", "description": None,
            "connection_name": connection, "connection_arn": f"arn:c/{connection}/u",
            "invocation_endpoint": "https://example.com", "http_method": "POST", "rate_limit": 300,
            "created_at": 0.0, "modified_at": 0.0}


@pytest.fixture
def filled(store: Store) -> Store:
    with store.unit_of_work() as uow:
        for name, state in (("a-1", "AUTHORIZED"), ("a-2", "DEAUTHORIZED"), ("b-1", "AUTHORIZED")):
            uow.event_connections.put(_connection(name, state), GIVEN)
        for name, connection in (("d-1", "a-1"), ("d-2", "a-2"), ("e-1", "a-1")):
            uow.event_connections.put_destination(_destination(name, connection))
    return store


def test_look_ups_and_listings_use_keys(filled: Store) -> None:
    sqlite_only(filled)
    connections, destinations = "sqlite_autoindex_event_connections_1", "sqlite_autoindex_event_api_destinations_1"
    by_connection = ("a-1", "arn:c/a-1/u")
    for run, index, constraint in [
        (lambda uow: uow.event_connections.get(SCOPE, "a-1"), connections, "name=?"),
        (lambda uow: uow.event_connections.listing(SCOPE, "a-", None, "a-1", 10), connections, "name>?"),
        (lambda uow: uow.event_connections.listing(SCOPE, "", "AUTHORIZED", None, 10),
         "ix_event_connections_scope_state", "state=?"),
        (lambda uow: uow.event_connections.credentials(SCOPE, "a-1"), "sqlite_autoindex_event_connection_secrets_1",
         "name=?"),
        (lambda uow: uow.event_connections.destination(SCOPE, "d-1"), destinations, "name=?"),
        (lambda uow: uow.event_connections.destinations(SCOPE, "d", None, "d-1", 10), destinations, "name>?"),
        (lambda uow: uow.event_connections.destinations(SCOPE, "", by_connection, None, 10),
         "ix_event_api_destinations_connection", "connection_name=?"),
        (lambda uow: uow.event_connections.in_use(SCOPE, "a-1"), "ix_event_api_destinations_connection",
         "connection_name=?"),
    ]:
        [plan] = plans(filled, run)
        assert_indexed(plan, index, constraint, TABLES)


def test_secrets_only_through_credentials_and_destination_states(filled: Store) -> None:
    with filled.unit_of_work() as uow:
        repository = uow.event_connections
        assert repository.credentials(SCOPE, "a-1") == GIVEN
        assert "pw-secret" not in repr([repository.get(SCOPE, "a-1"), repository.listing(SCOPE, "", None, None, None),
                                        repository.destinations(SCOPE, "", None, None, None)])
        assert {row["name"]: row["state"] for row in repository.destinations(SCOPE, "", None, None, None)} == {
            "d-1": "ACTIVE", "d-2": "INACTIVE", "e-1": "ACTIVE"}
        assert [row["name"] for row in repository.destinations(SCOPE, "", ("a-1", "arn:c/a-1/u"), None, None)] == [
            "d-1", "e-1"]
        assert repository.credentials(Scope("111111111111", REGION), "a-1") is None
        assert (repository.count(SCOPE), repository.destination_count(SCOPE)) == (3, 3)
        repository.update(SCOPE, "a-1", {"state": "DEAUTHORIZED"}, {"BasicAuthParameters": {"Username": "bot"}})
        assert repository.destination(SCOPE, "d-1")["state"] == "INACTIVE"
        assert repository.credentials(SCOPE, "a-1") == {"BasicAuthParameters": {"Username": "bot"}}
        repository.delete(SCOPE, "b-1")
        assert (repository.get(SCOPE, "b-1"), repository.credentials(SCOPE, "b-1")) == (None, None)
        assert (repository.in_use(SCOPE, "a-2"), repository.in_use(SCOPE, "b-1")) == (True, False)
