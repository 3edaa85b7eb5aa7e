"""API destinations: CreateApiDestination, DescribeApiDestination, ListApiDestinations
(prefix, connection, pages), UpdateApiDestination and DeleteApiDestination, their state
following the connection's, the connection they keep from deletion, PutTargets with an
API destination's ARN and its HttpParameters, and their errors."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.helpers import error_of

BASIC = {"BasicAuthParameters": {"Username": "bot", "Password": "pw-secret"}}
OK = {"FailedEntryCount": 0, "FailedEntries": []}


@pytest.fixture
def connection(events: Any) -> str:
    return str(events.create_connection(Name="hooks", AuthorizationType="BASIC",
                                        AuthParameters=BASIC)["ConnectionArn"])


def test_create_describe_update_and_delete(events: Any, connection: str, clock: Any) -> None:
    created = events.create_api_destination(Name="orders", Description="orders hook", ConnectionArn=connection,
                                            InvocationEndpoint="https://hooks.example.com/orders/*",
                                            HttpMethod="POST")
    assert re.fullmatch(r"arn:aws:events:us-east-1:000000000000:api-destination/orders/[0-9a-f\-]{36}",
                        created["ApiDestinationArn"])
    assert created["ApiDestinationState"] == "ACTIVE"
    described = events.describe_api_destination(Name="orders")
    described.pop("ResponseMetadata")
    assert described == {
        "ApiDestinationArn": created["ApiDestinationArn"], "Name": "orders", "Description": "orders hook",
        "ApiDestinationState": "ACTIVE", "ConnectionArn": connection,
        "InvocationEndpoint": "https://hooks.example.com/orders/*", "HttpMethod": "POST",
        "InvocationRateLimitPerSecond": 300, "CreationTime": created["CreationTime"],
        "LastModifiedTime": created["LastModifiedTime"]}
    other = events.create_connection(Name="other", AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "v-secret"}})["ConnectionArn"]
    clock.advance(30)
    updated = events.update_api_destination(Name="orders", ConnectionArn=other, HttpMethod="PUT",
                                            InvocationEndpoint="http://localhost:8080/orders",
                                            InvocationRateLimitPerSecond=5)
    assert (updated["ApiDestinationArn"], updated["LastModifiedTime"] > created["CreationTime"]) == (
        created["ApiDestinationArn"], True)
    described = events.describe_api_destination(Name="orders")
    assert {key: described[key] for key in ("Description", "ConnectionArn", "HttpMethod", "InvocationEndpoint",
                                            "InvocationRateLimitPerSecond")} == {
        "Description": "orders hook", "ConnectionArn": other, "HttpMethod": "PUT",
        "InvocationEndpoint": "http://localhost:8080/orders", "InvocationRateLimitPerSecond": 5}
    assert events.delete_api_destination(Name="orders")["ResponseMetadata"]["HTTPStatusCode"] == 200
    missing = {"Code": "ResourceNotFoundException", "Status": 400,
               "Message": "Failed to describe the api-destination(s). An api-destination 'orders' does not exist."}
    assert error_of(events.describe_api_destination, Name="orders") == missing
    assert error_of(events.delete_api_destination, Name="orders") == missing
    assert error_of(events.update_api_destination, Name="orders", HttpMethod="GET") == missing


def test_list_by_prefix_connection_and_in_pages(events: Any, connection: str) -> None:
    other = events.create_connection(Name="other", AuthorizationType="BASIC", AuthParameters=BASIC)["ConnectionArn"]
    for name, arn in (("a-1", connection), ("a-2", other), ("a-3", connection), ("b-1", connection)):
        events.create_api_destination(Name=name, ConnectionArn=arn, InvocationEndpoint="https://example.com",
                                      HttpMethod="GET", Description="not listed")
    listed = events.list_api_destinations()["ApiDestinations"]
    assert [d["Name"] for d in listed] == ["a-1", "a-2", "a-3", "b-1"]
    assert "Description" not in listed[0]
    first = events.list_api_destinations(NamePrefix="a-", Limit=2)
    assert [d["Name"] for d in first["ApiDestinations"]] == ["a-1", "a-2"]
    rest = events.list_api_destinations(NamePrefix="a-", Limit=2, NextToken=first["NextToken"])
    assert ([d["Name"] for d in rest["ApiDestinations"]], "NextToken" in rest) == (["a-3"], False)
    assert [d["Name"] for d in events.list_api_destinations(ConnectionArn=connection)["ApiDestinations"]] == [
        "a-1", "a-3", "b-1"]
    assert [d["Name"] for d in events.list_api_destinations(ConnectionArn=other, NamePrefix="a")[
        "ApiDestinations"]] == ["a-2"]
    elsewhere = connection.replace("000000000000", "111111111111")
    assert events.list_api_destinations(ConnectionArn=elsewhere)["ApiDestinations"] == []


def test_state_follows_the_connection_which_is_kept_while_used(events: Any, connection: str) -> None:
    oauth = events.create_connection(Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters={
        "OAuthParameters": {"ClientParameters": {"ClientID": "id", "ClientSecret": "cs-secret"},
                            "AuthorizationEndpoint": "https://auth.example.com/token", "HttpMethod": "POST"}})
    assert events.create_api_destination(Name="via-oauth", ConnectionArn=oauth["ConnectionArn"],
                                         InvocationEndpoint="https://example.com",
                                         HttpMethod="POST")["ApiDestinationState"] == "ACTIVE"
    events.create_api_destination(Name="hook", ConnectionArn=connection, InvocationEndpoint="https://example.com",
                                  HttpMethod="POST")
    events.deauthorize_connection(Name="hooks")
    assert events.describe_api_destination(Name="hook")["ApiDestinationState"] == "INACTIVE"
    assert events.update_api_destination(Name="hook", HttpMethod="PATCH")["ApiDestinationState"] == "INACTIVE"
    events.update_connection(Name="hooks", AuthParameters=BASIC)
    assert [d["ApiDestinationState"] for d in events.list_api_destinations()["ApiDestinations"]] == [
        "ACTIVE", "ACTIVE"]
    assert error_of(events.delete_connection, Name="hooks") == {
        "Code": "ValidationException", "Status": 400,
        "Message": "Connection hooks can't be deleted since it is used by an api-destination."}
    events.delete_api_destination(Name="hook")
    assert events.delete_connection(Name="hooks")["ConnectionState"] == "DELETING"


def test_refusals_change_nothing(events: Any, connection: str) -> None:
    def refused(**kwargs: Any) -> dict[str, Any]:
        given = {"Name": "new", "ConnectionArn": connection, "InvocationEndpoint": "https://example.com",
                 "HttpMethod": "POST", **kwargs}
        return error_of(events.create_api_destination, **given)

    events.create_api_destination(Name="taken", ConnectionArn=connection, InvocationEndpoint="https://example.com",
                                  HttpMethod="POST")
    assert refused(Name="taken") == {"Code": "ResourceAlreadyExistsException", "Status": 400,
                                     "Message": "An api-destination taken already exists."}
    for endpoint in ("ftp://example.com/x", "example.com/path", "https:///nohost"):
        assert refused(InvocationEndpoint=endpoint) == {
            "Code": "ValidationException", "Status": 400,
            "Message": f"Parameter InvocationEndpoint is not valid. Reason: {endpoint} is not an HTTPS URL with a "
                       "host."}
    not_found = {"Code": "ResourceNotFoundException", "Status": 400,
                 "Message": "Failed to describe the connection(s). Connection 'hooks' does not exist."}
    stale = connection.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    assert refused(ConnectionArn=stale) == not_found
    assert refused(ConnectionArn=connection.replace("000000000000", "111111111111")) == not_found
    assert refused(ConnectionArn=connection.replace("us-east-1", "us-west-2")) == not_found
    bad = refused(ConnectionArn="invalid-connection-arn", HttpMethod="INVALID_METHOD")
    assert (bad["Code"], bad["Message"].startswith("2 validation errors detected: Value 'invalid-connection-arn' at "
                                                   "'connectionArn' failed to satisfy constraint")) == (
        "ValidationException", True)
    assert "'INVALID_METHOD' at 'httpMethod'" in bad["Message"]
    assert error_of(events.update_api_destination, Name="taken", InvocationEndpoint="ftp://x")["Code"] == (
        "ValidationException")
    assert error_of(events.update_api_destination, Name="taken", ConnectionArn=stale) == not_found
    assert [d["Name"] for d in events.list_api_destinations()["ApiDestinations"]] == ["taken"]
    assert events.describe_api_destination(Name="taken")["InvocationEndpoint"] == "https://example.com"


def test_put_targets_with_an_api_destination(events: Any, connection: str) -> None:
    destination = events.create_api_destination(Name="hook", ConnectionArn=connection,
                                                InvocationEndpoint="https://example.com/*/items", HttpMethod="POST")
    arn = destination["ApiDestinationArn"]
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    http = {"PathParameterValues": ["eu"], "HeaderParameters": {"x-source": "$.source"},
            "QueryStringParameters": {"kind": "order"}}
    target = {"Id": "hook", "Arn": arn, "RoleArn": "arn:aws:iam::000000000000:role/invoke", "HttpParameters": http,
              "InputPath": "$.detail"}
    assert {key: value for key, value in events.put_targets(Rule="orders", Targets=[target]).items()
            if key != "ResponseMetadata"} == OK
    assert events.list_targets_by_rule(Rule="orders")["Targets"] == [target]
    queue = {"Id": "q", "Arn": "arn:aws:sqs:us-east-1:000000000000:q", "HttpParameters": http}
    assert error_of(events.put_targets, Rule="orders", Targets=[queue])["Message"] == (
        "The parameter HttpParameters is not supported by this endpoint.")
    missing = {"Code": "ResourceNotFoundException", "Status": 400,
               "Message": "Failed to describe the api-destination(s). An api-destination 'hook' does not exist."}
    stale = arn.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    assert error_of(events.put_targets, Rule="orders", Targets=[{"Id": "stale", "Arn": stale}]) == missing
    elsewhere = arn.replace("000000000000", "111111111111")
    assert error_of(events.put_targets, Rule="orders", Targets=[{"Id": "other", "Arn": elsewhere}]) == missing
    assert [t["Id"] for t in events.list_targets_by_rule(Rule="orders")["Targets"]] == ["hook"]
