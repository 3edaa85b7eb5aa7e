"""Connections — the authorization an API destination's requests carry: CreateConnection,
DescribeConnection, ListConnections, UpdateConnection, DeleteConnection and
DeauthorizeConnection.

A connection is named within its account and region; its ARN is
``arn:aws:events:REGION:ACCOUNT:connection/NAME/UUID`` and its ``SecretArn`` the ARN AWS
gives the Secrets Manager secret holding its credentials,
``arn:aws:secretsmanager:REGION:ACCOUNT:secret:events!connection/NAME/UUID-SUFFIX`` (a
second UUID and six random letters and digits). Secrets Manager is not served here: the
secret ARN names nothing that can be read.

``AuthParameters`` carry the block of the ``AuthorizationType`` (``BasicAuthParameters``,
``ApiKeyAuthParameters`` or ``OAuthParameters``) and optionally
``InvocationHttpParameters``; a missing block, or the block of another type, is
``ValidationException``. The secret values — ``Password``, ``ApiKeyValue``,
``ClientSecret`` and every header, query string or body parameter with ``IsValueSecret``
— are kept (delivery needs them) apart from what is described, and no answer carries them
(the wave-2 fact sheet, D.3): DescribeConnection shows ``Username``, ``ApiKeyName``,
``ClientID``, the OAuth endpoint and method, and each parameter's ``Key`` (with its
``Value`` only when it is not secret). The view is built from the names it may show, never
by removing secrets from what was given. Nothing here logs a request's parameters, and
the errors raised name no secret value (the model's checks of a ``sensitive`` member
leave its value out).

States: a Basic or API-key connection is ``AUTHORIZED`` at once. An OAuth connection is
answered ``AUTHORIZING`` by CreateConnection and UpdateConnection, as AWS answers, and is
``AUTHORIZED`` from then on: no authorization endpoint is contacted here (the token is
the business of delivery), so authorizing cannot fail. DeleteConnection answers
``DELETING`` and the connection is gone at once; DeauthorizeConnection answers
``DEAUTHORIZING``, forgets the secret of the authorization block (``Password``,
``ApiKeyValue`` or ``ClientSecret``) and leaves the connection ``DEAUTHORIZED`` until an
UpdateConnection gives that secret again.

Choices AWS's documentation leaves open: UpdateConnection changes the members it is given
— within an authorization block member by member (``ClientParameters`` too), while
``InvocationHttpParameters`` and ``OAuthHttpParameters`` given replace the stored ones
whole; a new ``AuthorizationType`` needs its block complete. Authorization parameters
given (complete once merged) authorize the connection again; a ``Description`` alone
does not. A connection an API destination uses is not deleted (``ValidationException``).
The secret values are kept in the database as given, as IAM access keys' secrets are, in
a table of their own (:mod:`ec2emu.store.event_connections`). An ``AuthorizationEndpoint``
is an HTTPS URL with a host or, for an authorization server on the developer's own
machine, an HTTP one. ``KmsKeyIdentifier`` (a customer key for the secret) and
``InvocationConnectivityParameters`` / ``ConnectivityParameters`` (private endpoints
through VPC Lattice) are refused by name. ListConnections gives pages in name order, 100
items when ``Limit`` is not given. An account holds at most 3,000 connections in a region
(``LimitExceededException``).
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any
from urllib.parse import urlsplit

from ec2emu.services.events.common import page
from ec2emu.services.events.errors import (
    connection_exists,
    connection_in_use,
    connection_not_found,
    invalid_auth_parameters,
    invalid_endpoint,
    limit_exceeded,
    unhonoured,
)
from ec2emu.services.events.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.ids import new_uuid, random_id
from ec2emu.store.event_connections import AUTHORIZED, Scope

AUTHORIZING, DEAUTHORIZED, DEAUTHORIZING, DELETING = "AUTHORIZING", "DEAUTHORIZED", "DEAUTHORIZING", "DELETING"
OAUTH = "OAUTH_CLIENT_CREDENTIALS"
BLOCKS = {"BASIC": "BasicAuthParameters", "API_KEY": "ApiKeyAuthParameters", OAUTH: "OAuthParameters"}
REQUIRED = {"BasicAuthParameters": ("Username", "Password"), "ApiKeyAuthParameters": ("ApiKeyName", "ApiKeyValue"),
            "OAuthParameters": ("ClientParameters", "AuthorizationEndpoint", "HttpMethod")}
HTTP_LISTS = ("HeaderParameters", "QueryStringParameters", "BodyParameters")
NOT_SERVED = ("KmsKeyIdentifier",)
SUFFIX = string.ascii_letters + string.digits


def scope(ctx: RequestContext) -> Scope:
    return Scope(ctx.account_id, ctx.region)


def moment(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(seconds, 3), dt.timezone.utc)


def plain_arn(ctx: RequestContext, kind: str, name: str) -> str:
    """``arn:aws:events:REGION:ACCOUNT:KIND/NAME``: what a permission is checked on while
    the resource does not exist yet (its ARN's UUID is drawn when it is made)."""
    return f"arn:aws:events:{ctx.region}:{ctx.account_id}:{kind}/{name}"


def check_endpoint(member: str, value: str) -> None:
    """An HTTPS URL with a host (or an HTTP one: a receiver on the developer's machine)."""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise invalid_endpoint(member, value)


def load(ctx: RequestContext, name: str) -> dict[str, Any]:
    row = ctx.uow.event_connections.get(scope(ctx), name)
    if row is None:
        raise connection_not_found(name)
    return row


# ------------------------------------------------------------------ what may be shown

def _public_http(given: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {}
    for member in HTTP_LISTS:
        if member not in given:
            continue
        items = []
        for item in given[member]:
            shown = {key: item[key] for key in ("Key", "IsValueSecret") if key in item}
            if not item.get("IsValueSecret") and "Value" in item:
                shown["Value"] = item["Value"]
            items.append(shown)
        view[member] = items
    return view


def public_parameters(auth: dict[str, Any]) -> dict[str, Any]:
    """The authorization parameters as DescribeConnection shows them: no secret value."""
    view: dict[str, Any] = {}
    if "BasicAuthParameters" in auth:
        view["BasicAuthParameters"] = {"Username": auth["BasicAuthParameters"].get("Username")}
    if "ApiKeyAuthParameters" in auth:
        view["ApiKeyAuthParameters"] = {"ApiKeyName": auth["ApiKeyAuthParameters"].get("ApiKeyName")}
    if "OAuthParameters" in auth:
        given = auth["OAuthParameters"]
        client = given.get("ClientParameters") or {}
        oauth: dict[str, Any] = {"ClientParameters": {"ClientID": client.get("ClientID")}}
        for member in ("AuthorizationEndpoint", "HttpMethod"):
            oauth[member] = given.get(member)
        if "OAuthHttpParameters" in given:
            oauth["OAuthHttpParameters"] = _public_http(given["OAuthHttpParameters"])
        view["OAuthParameters"] = oauth
    if "InvocationHttpParameters" in auth:
        view["InvocationHttpParameters"] = _public_http(auth["InvocationHttpParameters"])
    return view


def _times(row: dict[str, Any]) -> dict[str, Any]:
    times = {"CreationTime": moment(row["created_at"]), "LastModifiedTime": moment(row["modified_at"])}
    if row["authorized_at"] is not None:
        times["LastAuthorizedTime"] = moment(row["authorized_at"])
    return times


def _answer(row: dict[str, Any], state: str, authorized: bool = True) -> dict[str, Any]:
    answer = {"ConnectionArn": row["arn"], "ConnectionState": state, **_times(row)}
    if not authorized:
        answer.pop("LastAuthorizedTime", None)
    return answer


# ------------------------------------------------------------------ checking what is given

def _complete(block: str, given: dict[str, Any]) -> bool:
    if any(not given.get(member) for member in REQUIRED[block]):
        return False
    if block == "OAuthParameters":
        client = given["ClientParameters"]
        return bool(client.get("ClientID")) and bool(client.get("ClientSecret"))
    return True


def _block(params: dict[str, Any], kind: str, auth: dict[str, Any]) -> str:
    """The block of ``kind`` in ``auth``, which holds no other's; private endpoints (VPC
    Lattice) are refused by name."""
    for member, given in (("InvocationConnectivityParameters", params), ("ConnectivityParameters", auth)):
        if member in given:
            raise unhonoured(member)
    block = BLOCKS[kind]
    for other in BLOCKS.values():
        if other != block and other in auth:
            raise invalid_auth_parameters(f"{other} may not be given with AuthorizationType {kind}.")
    endpoint = (auth.get("OAuthParameters") or {}).get("AuthorizationEndpoint")
    if endpoint is not None:
        check_endpoint("AuthorizationEndpoint", endpoint)
    return block


def _merged(kind: str, stored: dict[str, Any], given: dict[str, Any], same_kind: bool) -> dict[str, Any]:
    """The parameters an update leaves: ``given`` over ``stored``."""
    block = BLOCKS[kind]
    merged: dict[str, Any] = {}
    current = dict(stored.get(block) or {}) if same_kind else {}
    for member, value in (given.get(block) or {}).items():
        if member == "ClientParameters":
            value = {**(current.get(member) or {}), **value}
        current[member] = value
    merged[block] = current
    invocation = given.get("InvocationHttpParameters", stored.get("InvocationHttpParameters"))
    if invocation is not None:
        merged["InvocationHttpParameters"] = invocation
    return merged


# ------------------------------------------------------------------ the operations

@operation("CreateConnection", refuses=NOT_SERVED)
def create_connection(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name, kind, auth = params["Name"], params["AuthorizationType"], params["AuthParameters"]
    block = _block(params, kind, auth)
    if block not in auth:
        raise invalid_auth_parameters(f"{block} must be given with AuthorizationType {kind}.")
    repository = ctx.uow.event_connections
    if repository.get(scope(ctx), name) is not None:
        raise connection_exists(name)
    if repository.count(scope(ctx)) >= ctx.quota("event-connections-per-region"):
        raise limit_exceeded()
    stored = {member: auth[member] for member in (block, "InvocationHttpParameters") if member in auth}
    suffix = random_id("", 6, SUFFIX)
    row = {
        "account_id": ctx.account_id, "region": ctx.region, "name": name,
        "arn": f"{plain_arn(ctx, 'connection', name)}/{new_uuid()}", "description": params.get("Description"),
        "authorization_type": kind, "state": AUTHORIZED, "auth_parameters": public_parameters(stored),
        "secret_arn": (f"arn:aws:secretsmanager:{ctx.region}:{ctx.account_id}:secret:events!connection/{name}/"
                       f"{new_uuid()}-{suffix}"),
        "created_at": ctx.now_ts, "modified_at": ctx.now_ts, "authorized_at": ctx.now_ts,
    }
    repository.put(row, stored)
    return _answer(row, AUTHORIZING if kind == OAUTH else AUTHORIZED, authorized=False)


def view(row: dict[str, Any]) -> dict[str, Any]:
    """A connection as DescribeConnection answers it."""
    described = {"ConnectionArn": row["arn"], "Name": row["name"], "ConnectionState": row["state"],
                 "AuthorizationType": row["authorization_type"], "SecretArn": row["secret_arn"],
                 "AuthParameters": row["auth_parameters"], **_times(row)}
    if row["description"] is not None:
        described["Description"] = row["description"]
    return described


@operation("DescribeConnection")
def describe_connection(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return view(load(ctx, params["Name"]))


@operation("ListConnections")
def list_connections(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    prefix, state = params.get("NamePrefix", ""), params.get("ConnectionState")
    rows, token = page(params, lambda after, limit: ctx.uow.event_connections.listing(
        scope(ctx), prefix, state, after, limit), "name")
    listed = []
    for row in rows:
        listed.append({"ConnectionArn": row["arn"], "Name": row["name"], "ConnectionState": row["state"],
                       "AuthorizationType": row["authorization_type"], **_times(row)})
    result: dict[str, Any] = {"Connections": listed}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("UpdateConnection", refuses=NOT_SERVED)
def update_connection(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load(ctx, params["Name"])
    repository = ctx.uow.event_connections
    kind = params.get("AuthorizationType", row["authorization_type"])
    same_kind = kind == row["authorization_type"]
    given = params.get("AuthParameters") or {}
    block = _block(params, kind, given)
    merged = _merged(kind, repository.credentials(scope(ctx), row["name"]) or {}, given, same_kind)
    complete = _complete(block, merged[block])
    if not complete and not same_kind:
        raise invalid_auth_parameters(f"{block} must be given whole to change AuthorizationType to {kind}.")
    values: dict[str, Any] = {"authorization_type": kind, "auth_parameters": public_parameters(merged),
                              "modified_at": ctx.now_ts}
    if "Description" in params:
        values["description"] = params["Description"]
    authorizes = complete and ("AuthParameters" in params or not same_kind)
    if authorizes:
        values.update(state=AUTHORIZED, authorized_at=ctx.now_ts)
    repository.update(scope(ctx), row["name"], values, merged)
    row.update(values)
    return _answer(row, AUTHORIZING if authorizes and kind == OAUTH else row["state"])


@operation("DeleteConnection")
def delete_connection(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load(ctx, params["Name"])
    repository = ctx.uow.event_connections
    if repository.in_use(scope(ctx), row["name"]):
        raise connection_in_use(row["name"])
    repository.delete(scope(ctx), row["name"])
    return _answer(row, DELETING)


@operation("DeauthorizeConnection")
def deauthorize_connection(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = load(ctx, params["Name"])
    repository = ctx.uow.event_connections
    auth = repository.credentials(scope(ctx), row["name"]) or {}
    block = dict(auth.get(BLOCKS[row["authorization_type"]]) or {})
    block.pop("Password", None)
    block.pop("ApiKeyValue", None)
    if "ClientParameters" in block:
        block["ClientParameters"] = {k: v for k, v in block["ClientParameters"].items() if k != "ClientSecret"}
    auth[BLOCKS[row["authorization_type"]]] = block
    values = {"state": DEAUTHORIZED, "modified_at": ctx.now_ts}
    repository.update(scope(ctx), row["name"], values, auth)
    row.update(values)
    return _answer(row, DEAUTHORIZING)
