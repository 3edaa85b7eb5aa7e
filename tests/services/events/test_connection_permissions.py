"""IAM policies on connections and API destinations, accounts kept apart, and the quotas
of each per account: the actions check the resources' ARNs (without the UUID before the
resource exists), a denial is ``AccessDeniedException``, one account never sees or uses
another's connections and destinations, and an account's own quota refuses one more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import error_of
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, ROOT_B, Make, new_user

BASIC = {"BasicAuthParameters": {"Username": "bot", "Password": "pw-secret"}}


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:events:us-east-1:{ACCOUNT_A}:{kind}/{name}"


def _denied(user: str, action: str, resource: str) -> dict[str, Any]:
    return {"Code": "AccessDeniedException", "Status": 400,
            "Message": f"User: arn:aws:iam::{ACCOUNT_A}:user/{user} is not authorized to perform: events:{action} on "
                       f"resource: {resource} because no identity-based policy allows the events:{action} action"}


def test_a_user_manages_only_the_connections_and_destinations_its_policy_names(make: Make) -> None:
    root = make(ROOT_A, "events")
    theirs = root.create_connection(Name="ops-hooks", AuthorizationType="BASIC", AuthParameters=BASIC)
    keys = new_user(make, "wirer",
                    {"Effect": "Allow", "Action": ["events:*Connection"], "Resource": _arn("connection", "app-*")},
                    {"Effect": "Allow", "Action": "events:*ApiDestination",
                     "Resource": _arn("api-destination", "app-*")},
                    {"Effect": "Allow", "Action": ["events:ListConnections", "events:ListApiDestinations"],
                     "Resource": "*"},
                    {"Effect": "Deny", "Action": "events:DeleteConnection", "Resource": "*"})
    events = make(keys, "events")
    mine = events.create_connection(Name="app-hooks", AuthorizationType="BASIC", AuthParameters=BASIC)
    assert events.describe_connection(Name="app-hooks")["ConnectionArn"] == mine["ConnectionArn"]
    assert error_of(events.create_connection, Name="ops-new", AuthorizationType="BASIC", AuthParameters=BASIC) == (
        _denied("wirer", "CreateConnection", _arn("connection", "ops-new")))
    assert error_of(events.describe_connection, Name="ops-hooks") == _denied(
        "wirer", "DescribeConnection", theirs["ConnectionArn"])
    assert error_of(events.deauthorize_connection, Name="ops-hooks")["Code"] == "AccessDeniedException"
    assert root.describe_connection(Name="ops-hooks")["ConnectionState"] == "AUTHORIZED"
    denied = error_of(events.delete_connection, Name="app-hooks")
    assert denied["Message"].endswith("with an explicit deny in an identity-based policy")
    assert [c["Name"] for c in events.list_connections()["Connections"]] == ["app-hooks", "ops-hooks"]

    made = events.create_api_destination(Name="app-dest", ConnectionArn=mine["ConnectionArn"],
                                         InvocationEndpoint="https://example.com", HttpMethod="POST")
    assert events.update_api_destination(Name="app-dest", HttpMethod="PUT")["ApiDestinationArn"] == (
        made["ApiDestinationArn"])
    assert error_of(events.create_api_destination, Name="ops-dest", ConnectionArn=mine["ConnectionArn"],
                    InvocationEndpoint="https://example.com", HttpMethod="POST") == _denied(
        "wirer", "CreateApiDestination", _arn("api-destination", "ops-dest"))
    root.create_api_destination(Name="ops-dest", ConnectionArn=theirs["ConnectionArn"],
                                InvocationEndpoint="https://example.com", HttpMethod="POST")
    ops = root.describe_api_destination(Name="ops-dest")["ApiDestinationArn"]
    assert error_of(events.delete_api_destination, Name="ops-dest") == _denied("wirer", "DeleteApiDestination", ops)
    assert [d["Name"] for d in events.list_api_destinations()["ApiDestinations"]] == ["app-dest", "ops-dest"]
    events.delete_api_destination(Name="app-dest")


def test_accounts_never_see_or_use_each_others(make: Make) -> None:
    a, b = make(ROOT_A, "events"), make(ROOT_B, "events")
    connection = a.create_connection(Name="shared", AuthorizationType="BASIC", AuthParameters=BASIC)["ConnectionArn"]
    destination = a.create_api_destination(Name="shared", ConnectionArn=connection,
                                           InvocationEndpoint="https://example.com", HttpMethod="POST")
    assert (b.list_connections()["Connections"], b.list_api_destinations()["ApiDestinations"]) == ([], [])
    assert error_of(b.describe_connection, Name="shared")["Code"] == "ResourceNotFoundException"
    assert error_of(b.describe_api_destination, Name="shared")["Code"] == "ResourceNotFoundException"
    assert error_of(b.create_api_destination, Name="mine", ConnectionArn=connection,
                    InvocationEndpoint="https://example.com", HttpMethod="POST") == {
        "Code": "ResourceNotFoundException", "Status": 400,
        "Message": "Failed to describe the connection(s). Connection 'shared' does not exist."}
    b.put_rule(Name="r", EventPattern='{"source": ["x"]}')
    assert error_of(b.put_targets, Rule="r", Targets=[{"Id": "t", "Arn": destination["ApiDestinationArn"]}])[
        "Code"] == "ResourceNotFoundException"
    assert error_of(b.delete_connection, Name="shared")["Code"] == "ResourceNotFoundException"
    own = b.create_connection(Name="shared", AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "v-secret"}})
    assert own["ConnectionArn"].startswith("arn:aws:events:us-east-1:222222222222:connection/shared/")
    assert a.describe_connection(Name="shared")["AuthorizationType"] == "BASIC"
    assert [d["Name"] for d in a.list_api_destinations(ConnectionArn=connection)["ApiDestinations"]] == ["shared"]


def test_an_accounts_own_quotas(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text('[[accounts]]\naccount_id = "333333333333"\n[accounts.quotas]\n'
                        'event-connections-per-region = 2\napi-destinations-per-region = 1\n'
                        '[[accounts.root_keys]]\naccess_key_id = "AKIAQUOTAROOT0000001"\n'
                        'secret_access_key = "quota-root-secret"\n')
    app = build_app(Settings(state_dir=tmp_path, durations=DURATIONS, accounts_file=accounts), clock=ManualClock())
    try:
        events = InProcessTransport(app).attach(boto3.client(
            "events", region_name="us-east-1", endpoint_url="http://ec2emu.test", config=NO_RETRY,
            aws_access_key_id="AKIAQUOTAROOT0000001", aws_secret_access_key="quota-root-secret"))
        arns = [events.create_connection(Name=f"c{n}", AuthorizationType="BASIC", AuthParameters=BASIC)[
            "ConnectionArn"] for n in range(2)]
        limit = {"Code": "LimitExceededException", "Status": 400,
                 "Message": "The requested resource exceeds the maximum number allowed."}
        assert error_of(events.create_connection, Name="c2", AuthorizationType="BASIC", AuthParameters=BASIC) == limit
        events.create_api_destination(Name="d0", ConnectionArn=arns[0], InvocationEndpoint="https://example.com",
                                      HttpMethod="GET")
        assert error_of(events.create_api_destination, Name="d1", ConnectionArn=arns[1],
                        InvocationEndpoint="https://example.com", HttpMethod="GET") == limit
        assert len(events.list_connections()["Connections"]) == 2
        assert len(events.list_api_destinations()["ApiDestinations"]) == 1
    finally:
        app.store.close()
