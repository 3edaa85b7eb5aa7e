"""API destinations — an HTTP endpoint, its method and rate, and the connection whose
authorization its requests carry: CreateApiDestination, DescribeApiDestination,
ListApiDestinations, UpdateApiDestination and DeleteApiDestination; and what PutTargets
needs of them (:func:`target_destination`).

An API destination is named within its account and region; its ARN is
``arn:aws:events:REGION:ACCOUNT:api-destination/NAME/UUID``. ``ConnectionArn`` must be
the ARN of a connection of the caller's account and region, UUID included (else
``ResourceNotFoundException``, the connection's "Failed to describe the connection(s).
Connection 'NAME' does not exist."). Its state is ``ACTIVE`` while its connection is
``AUTHORIZED`` and ``INACTIVE`` otherwise (a deauthorized connection's destinations are
inactive until it is authorized again), as AWS answers for a destination of an OAuth
connection still authorizing (the wave-2 fact sheet, D.4).

``InvocationEndpoint`` is an HTTPS URL with a host, as AWS requires — or, a deviation a
receiver on the developer's own machine needs, an HTTP one; anything else is
``ValidationException``. Its ``*`` path segments are filled at delivery from a target's
``PathParameterValues``. ``InvocationRateLimitPerSecond`` is 300 when not given (AWS's
default). UpdateApiDestination changes the members it is given.

Choices AWS's documentation leaves open: ListApiDestinations gives pages in name order,
100 items when ``Limit`` is not given; a ``ConnectionArn`` filter naming another
account's or region's connection lists nothing; DeleteApiDestination of a destination
that does not exist is ``ResourceNotFoundException`` with the describing message; an API
destination a rule's target names may be deleted (the target stays, naming nothing). An
account holds at most 3,000 API destinations in a region (AWS's quota;
``LimitExceededException``).
"""

from __future__ import annotations

import re
from typing import Any

from ec2emu.services.events.common import page
from ec2emu.services.events.connections import check_endpoint, moment, plain_arn, scope
from ec2emu.services.events.errors import (
    connection_not_found,
    destination_exists,
    destination_not_found,
    limit_exceeded,
)
from ec2emu.services.events.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.ids import new_uuid
from ec2emu.store.event_connections import AUTHORIZED

DEFAULT_RATE = 300
_ARN = r"arn:aws[a-z\-]*:events:([a-z0-9\-]*):([0-9]{{12}})?:{kind}/([.\-_A-Za-z0-9]+)/([\-A-Za-z0-9]+)"
CONNECTION_ARN = re.compile(_ARN.format(kind="connection"))
DESTINATION_ARN = re.compile(_ARN.format(kind="api-destination"))


def _own(ctx: RequestContext, match: re.Match[str]) -> bool:
    return match.group(1) == ctx.region and match.group(2) == ctx.account_id


def connection_of(ctx: RequestContext, arn: str) -> dict[str, Any]:
    """The caller's connection whose ARN is ``arn``."""
    match = CONNECTION_ARN.fullmatch(arn)
    name = match.group(3) if match else arn
    row = ctx.uow.event_connections.get(scope(ctx), name) if match and _own(ctx, match) else None
    if row is None or row["arn"] != arn:
        raise connection_not_found(name)
    return row


def target_destination(ctx: RequestContext, arn: str) -> bool:
    """Whether a target's ``arn`` is an API destination's: the caller's, and existing
    (``ResourceNotFoundException`` when it is not)."""
    match = DESTINATION_ARN.fullmatch(arn)
    if match is None:
        return False
    row = ctx.uow.event_connections.destination(scope(ctx), match.group(3)) if _own(ctx, match) else None
    if row is None or row["arn"] != arn:
        raise destination_not_found(match.group(3))
    return True


def load(ctx: RequestContext, name: str) -> dict[str, Any]:
    row = ctx.uow.event_connections.destination(scope(ctx), name)
    if row is None:
        raise destination_not_found(name)
    return row


def _answer(row: dict[str, Any], state: str) -> dict[str, Any]:
    return {"ApiDestinationArn": row["arn"], "ApiDestinationState": state,
            "CreationTime": moment(row["created_at"]), "LastModifiedTime": moment(row["modified_at"])}


def _state(connection: dict[str, Any]) -> str:
    return "ACTIVE" if connection["state"] == AUTHORIZED else "INACTIVE"


def listed(row: dict[str, Any]) -> dict[str, Any]:
    """An API destination as ListApiDestinations answers it (DescribeApiDestination adds
    ``Description``)."""
    return {"ApiDestinationArn": row["arn"], "Name": row["name"], "ApiDestinationState": row["state"],
            "ConnectionArn": row["connection_arn"], "InvocationEndpoint": row["invocation_endpoint"],
            "HttpMethod": row["http_method"], "InvocationRateLimitPerSecond": row["rate_limit"],
            "CreationTime": moment(row["created_at"]), "LastModifiedTime": moment(row["modified_at"])}


@operation("CreateApiDestination")
def create_api_destination(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Name"]
    check_endpoint("InvocationEndpoint", params["InvocationEndpoint"])
    repository = ctx.uow.event_connections
    if repository.destination(scope(ctx), name) is not None:
        raise destination_exists(name)
    connection = connection_of(ctx, params["ConnectionArn"])
    if repository.destination_count(scope(ctx)) >= ctx.quota("api-destinations-per-region"):
        raise limit_exceeded()
    row = {
        "account_id": ctx.account_id, "region": ctx.region, "name": name,
        "arn": f"{plain_arn(ctx, 'api-destination', name)}/{new_uuid()}", "description": params.get("Description"),
        "connection_name": connection["name"], "connection_arn": connection["arn"],
        "invocation_endpoint": params["InvocationEndpoint"], "http_method": params["HttpMethod"],
        "rate_limit": params.get("InvocationRateLimitPerSecond", DEFAULT_RATE),
        "created_at": ctx.now_ts, "modified_at": ctx.now_ts,
    }
    repository.put_destination(row)
    return _answer(row, _state(connection))


@operation("DescribeApiDestination")
def describe_api_destination(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load(ctx, params["Name"])
    described = listed(row)
    if row["description"] is not None:
        described["Description"] = row["description"]
    return described


@operation("ListApiDestinations")
def list_api_destinations(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    prefix = params.get("NamePrefix", "")
    connection: tuple[str, str] | None = None
    if "ConnectionArn" in params:
        match = CONNECTION_ARN.fullmatch(params["ConnectionArn"])
        if match is None or not _own(ctx, match):
            return {"ApiDestinations": []}
        connection = (match.group(3), params["ConnectionArn"])
    rows, token = page(params, lambda after, limit: ctx.uow.event_connections.destinations(
        scope(ctx), prefix, connection, after, limit), "name")
    result: dict[str, Any] = {"ApiDestinations": [listed(row) for row in rows]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("UpdateApiDestination")
def update_api_destination(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load(ctx, params["Name"])
    if "InvocationEndpoint" in params:
        check_endpoint("InvocationEndpoint", params["InvocationEndpoint"])
    connection = connection_of(ctx, params.get("ConnectionArn", row["connection_arn"]))
    for member, column in (("Description", "description"), ("InvocationEndpoint", "invocation_endpoint"),
                           ("HttpMethod", "http_method"), ("InvocationRateLimitPerSecond", "rate_limit")):
        if member in params:
            row[column] = params[member]
    row.update(connection_name=connection["name"], connection_arn=connection["arn"], modified_at=ctx.now_ts)
    del row["state"]
    ctx.uow.event_connections.put_destination(row)
    return _answer(row, _state(connection))


@operation("DeleteApiDestination")
def delete_api_destination(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load(ctx, params["Name"])
    ctx.uow.event_connections.delete_destination(scope(ctx), row["name"])
    return {}
