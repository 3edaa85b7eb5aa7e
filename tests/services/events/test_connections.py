"""Connections: CreateConnection of each authorization type, DescribeConnection and
ListConnections (prefix, state, pages), UpdateConnection, DeauthorizeConnection and
DeleteConnection; secret values never in an answer, raw body included; and their errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from ec2emu.app import Emulator
from ec2emu.store.event_connections import Scope
from tests.helpers import error_of

BASIC = {"BasicAuthParameters": {"Username": "deploy-bot", "Password": "hunter2-basic-secret"}}
API_KEY = {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "apikey-secret-value"}}
OAUTH = {"OAuthParameters": {
    "ClientParameters": {"ClientID": "client-one", "ClientSecret": "oauth-client-secret"},
    "AuthorizationEndpoint": "https://auth.example.com/token", "HttpMethod": "POST",
    "OAuthHttpParameters": {"BodyParameters": [{"Key": "scope", "Value": "oauth-body-secret", "IsValueSecret": True},
                                                {"Key": "audience", "Value": "api", "IsValueSecret": False}]}}}
INVOCATION = {"HeaderParameters": [{"Key": "x-tenant", "Value": "blue", "IsValueSecret": False},
                                   {"Key": "x-token", "Value": "header-secret-value", "IsValueSecret": True}],
              "QueryStringParameters": [{"Key": "sig", "Value": "query-secret-value", "IsValueSecret": True}],
              "BodyParameters": [{"Key": "source", "Value": "ec2emu"}]}
SECRETS = ("hunter2-basic-secret", "apikey-secret-value", "oauth-client-secret", "oauth-body-secret",
           "header-secret-value", "query-secret-value", "new-password-secret")
ARN = r"arn:aws:events:us-east-1:000000000000:connection/{}/[0-9a-f\-]{{36}}"


@pytest.fixture
def bodies(events: Any, caplog: pytest.LogCaptureFixture) -> Iterator[list[bytes]]:
    """Every raw response body the client reads; none of them, and no log record, holds a
    secret value."""
    caplog.set_level(logging.DEBUG)
    seen: list[bytes] = []
    events.meta.events.register("before-parse.events", lambda response_dict, **_: seen.append(response_dict["body"]))
    yield seen
    assert seen
    for secret in SECRETS:
        assert not [body for body in seen if secret.encode() in body]
        assert secret not in caplog.text


def test_each_type_is_created_and_described_without_its_secrets(events: Any, bodies: list[bytes]) -> None:
    import re

    created = events.create_connection(Name="basic", Description="ci", AuthorizationType="BASIC",
                                       AuthParameters={**BASIC, "InvocationHttpParameters": INVOCATION})
    assert re.fullmatch(ARN.format("basic"), created["ConnectionArn"])
    assert (created["ConnectionState"], "LastAuthorizedTime" in created) == ("AUTHORIZED", False)
    described = events.describe_connection(Name="basic")
    assert {key: described[key] for key in ("ConnectionArn", "Name", "Description", "ConnectionState",
                                            "AuthorizationType")} == {
        "ConnectionArn": created["ConnectionArn"], "Name": "basic", "Description": "ci",
        "ConnectionState": "AUTHORIZED", "AuthorizationType": "BASIC"}
    assert described["AuthParameters"] == {
        "BasicAuthParameters": {"Username": "deploy-bot"},
        "InvocationHttpParameters": {
            "HeaderParameters": [{"Key": "x-tenant", "Value": "blue", "IsValueSecret": False},
                                 {"Key": "x-token", "IsValueSecret": True}],
            "QueryStringParameters": [{"Key": "sig", "IsValueSecret": True}],
            "BodyParameters": [{"Key": "source", "Value": "ec2emu"}]}}
    assert re.fullmatch(r"arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection/basic/"
                        r"[0-9a-f\-]{36}-[A-Za-z0-9]{6}", described["SecretArn"])
    assert described["CreationTime"] == described["LastModifiedTime"] == described["LastAuthorizedTime"]

    assert events.create_connection(Name="key", AuthorizationType="API_KEY",
                                    AuthParameters=API_KEY)["ConnectionState"] == "AUTHORIZED"
    assert events.describe_connection(Name="key")["AuthParameters"] == {
        "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key"}}
    oauth = events.create_connection(Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters=OAUTH)
    assert oauth["ConnectionState"] == "AUTHORIZING"
    described = events.describe_connection(Name="oauth")
    assert (described["ConnectionState"], described["AuthParameters"]) == ("AUTHORIZED", {"OAuthParameters": {
        "ClientParameters": {"ClientID": "client-one"}, "AuthorizationEndpoint": "https://auth.example.com/token",
        "HttpMethod": "POST", "OAuthHttpParameters": {"BodyParameters": [
            {"Key": "scope", "IsValueSecret": True}, {"Key": "audience", "Value": "api", "IsValueSecret": False}]}}})
    assert len(bodies) == 6


def test_list_by_prefix_state_and_in_pages(events: Any, bodies: list[bytes]) -> None:
    for name in ("app-a", "app-b", "app-c", "other"):
        events.create_connection(Name=name, AuthorizationType="BASIC", AuthParameters=BASIC)
    events.deauthorize_connection(Name="app-b")
    listed = events.list_connections()["Connections"]
    assert [c["Name"] for c in listed] == ["app-a", "app-b", "app-c", "other"]
    assert set(listed[0]) == {"ConnectionArn", "Name", "ConnectionState", "AuthorizationType", "CreationTime",
                              "LastModifiedTime", "LastAuthorizedTime"}
    first = events.list_connections(NamePrefix="app-", Limit=2)
    assert [c["Name"] for c in first["Connections"]] == ["app-a", "app-b"]
    rest = events.list_connections(NamePrefix="app-", Limit=2, NextToken=first["NextToken"])
    assert ([c["Name"] for c in rest["Connections"]], "NextToken" in rest) == (["app-c"], False)
    assert [c["Name"] for c in events.list_connections(ConnectionState="DEAUTHORIZED")["Connections"]] == ["app-b"]
    assert [c["Name"] for c in events.list_connections(NamePrefix="app", ConnectionState="AUTHORIZED")[
        "Connections"]] == ["app-a", "app-c"]
    assert error_of(events.list_connections, NextToken="bogus") == {
        "Code": "ValidationException", "Status": 400, "Message": "The NextToken provided is not valid."}


def _kept(emulator: Emulator, name: str) -> dict[str, Any] | None:
    """What delivery reads of a connection: its parameters, secret values included."""
    with emulator.store.unit_of_work() as uow:
        return uow.event_connections.credentials(Scope("000000000000", "us-east-1"), name)


def test_update_deauthorize_and_authorize_again(events: Any, bodies: list[bytes], clock: Any,
                                                emulator: Emulator) -> None:
    created = events.create_connection(Name="svc", AuthorizationType="BASIC",
                                       AuthParameters={**BASIC, "InvocationHttpParameters": INVOCATION})
    clock.advance(60)
    updated = events.update_connection(Name="svc", Description="rotated",
                                       AuthParameters={"BasicAuthParameters": {"Password": "new-password-secret"}})
    assert (updated["ConnectionState"], updated["LastModifiedTime"] > created["CreationTime"]) == ("AUTHORIZED", True)
    described = events.describe_connection(Name="svc")
    assert (described["Description"], described["AuthParameters"]["BasicAuthParameters"]) == (
        "rotated", {"Username": "deploy-bot"})
    assert "InvocationHttpParameters" in described["AuthParameters"]
    assert _kept(emulator, "svc") == {"BasicAuthParameters": {"Username": "deploy-bot",
                                                              "Password": "new-password-secret"},
                                      "InvocationHttpParameters": INVOCATION}

    deauthorized = events.deauthorize_connection(Name="svc")
    assert deauthorized["ConnectionState"] == "DEAUTHORIZING"
    assert events.describe_connection(Name="svc")["ConnectionState"] == "DEAUTHORIZED"
    kept = _kept(emulator, "svc")
    assert kept is not None and kept["BasicAuthParameters"] == {"Username": "deploy-bot"}
    events.update_connection(Name="svc", Description="still no password")
    assert events.describe_connection(Name="svc")["ConnectionState"] == "DEAUTHORIZED"
    events.update_connection(Name="svc", AuthParameters={"BasicAuthParameters": {"Password": "new-password-secret"}})
    assert events.describe_connection(Name="svc")["ConnectionState"] == "AUTHORIZED"

    changed = events.update_connection(Name="svc", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters=OAUTH)
    assert changed["ConnectionState"] == "AUTHORIZING"
    described = events.describe_connection(Name="svc")
    assert (described["AuthorizationType"], sorted(described["AuthParameters"])) == (
        "OAUTH_CLIENT_CREDENTIALS", ["InvocationHttpParameters", "OAuthParameters"])
    assert error_of(events.update_connection, Name="svc", AuthorizationType="API_KEY",
                    AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "k"}}) == {
        "Code": "ValidationException", "Status": 400, "Message": "Parameter AuthParameters is not valid. Reason: "
        "ApiKeyAuthParameters must be given whole to change AuthorizationType to API_KEY."}
    assert events.describe_connection(Name="svc")["AuthorizationType"] == "OAUTH_CLIENT_CREDENTIALS"


def test_delete_answers_deleting_and_forgets(events: Any, bodies: list[bytes]) -> None:
    created = events.create_connection(Name="gone", AuthorizationType="API_KEY", AuthParameters=API_KEY)
    deleted = events.delete_connection(Name="gone")
    assert (deleted["ConnectionArn"], deleted["ConnectionState"]) == (created["ConnectionArn"], "DELETING")
    missing = {"Code": "ResourceNotFoundException", "Status": 400,
               "Message": "Failed to describe the connection(s). Connection 'gone' does not exist."}
    for call in (events.describe_connection, events.delete_connection, events.deauthorize_connection,
                 events.update_connection):
        assert error_of(call, Name="gone") == missing
    assert events.list_connections()["Connections"] == []
    again = events.create_connection(Name="gone", AuthorizationType="API_KEY", AuthParameters=API_KEY)
    assert again["ConnectionArn"] != created["ConnectionArn"]


def test_refusals_change_nothing(events: Any, bodies: list[bytes]) -> None:
    events.create_connection(Name="taken", AuthorizationType="BASIC", AuthParameters=BASIC)

    def refused(**kwargs: Any) -> dict[str, Any]:
        return error_of(events.create_connection, **{"Name": "new", **kwargs})

    assert error_of(events.create_connection, Name="taken", AuthorizationType="BASIC", AuthParameters=BASIC) == {
        "Code": "ResourceAlreadyExistsException", "Status": 400, "Message": "Connection taken already exists."}
    assert refused(AuthorizationType="BASIC", AuthParameters=API_KEY)["Message"] == (
        "Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters may not be given with "
        "AuthorizationType BASIC.")
    assert refused(AuthorizationType="API_KEY", AuthParameters={"InvocationHttpParameters": {}})["Message"] == (
        "Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters must be given with "
        "AuthorizationType API_KEY.")
    bad_type = refused(AuthorizationType="DIGEST", AuthParameters=BASIC)
    assert (bad_type["Code"], bad_type["Message"]) == ("ValidationException", (
        "1 validation error detected: Value 'DIGEST' at 'authorizationType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]"))
    spaced = error_of(events.create_connection, Name="a b", AuthorizationType="BASIC", AuthParameters=BASIC)
    assert spaced["Message"].startswith("1 validation error detected: Value 'a b' at 'name' failed to satisfy")
    bad_password = refused(AuthorizationType="BASIC", AuthParameters={"BasicAuthParameters": {
        "Username": "u", "Password": "hunter2-basic-secret\n"}})
    assert bad_password["Code"] == "ValidationException"
    assert "hunter2" not in bad_password["Message"] and "basicAuthParameters.password" in bad_password["Message"]
    plain = {"OAuthParameters": {**OAUTH["OAuthParameters"], "AuthorizationEndpoint": "ftp://auth.example.com"}}
    assert refused(AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters=plain)["Message"] == (
        "Parameter AuthorizationEndpoint is not valid. Reason: ftp://auth.example.com is not an HTTPS URL with a "
        "host.")
    assert refused(AuthorizationType="BASIC", AuthParameters=BASIC, KmsKeyIdentifier="alias/mine")["Message"] == (
        "The parameter KmsKeyIdentifier is not supported by this endpoint.")
    lattice = {"ResourceParameters": {"ResourceConfigurationArn": ""}}
    assert refused(AuthorizationType="BASIC", AuthParameters=BASIC,
                   InvocationConnectivityParameters=lattice)["Message"] == (
        "The parameter InvocationConnectivityParameters is not supported by this endpoint.")
    assert error_of(events.update_connection, Name="taken", InvocationConnectivityParameters=lattice)["Message"] == (
        "The parameter InvocationConnectivityParameters is not supported by this endpoint.")
    assert refused(AuthorizationType="BASIC", AuthParameters={**BASIC, "ConnectivityParameters": lattice})[
        "Message"] == "The parameter ConnectivityParameters is not supported by this endpoint."
    assert error_of(events.update_connection, Name="taken", AuthParameters={"ConnectivityParameters": lattice})[
        "Message"] == "The parameter ConnectivityParameters is not supported by this endpoint."
    assert [c["Name"] for c in events.list_connections()["Connections"]] == ["taken"]
    assert json.loads(bodies[-1])["Connections"][0]["Name"] == "taken"
