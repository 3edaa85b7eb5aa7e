"""The encoded authorization failure message of an ``UnauthorizedOperation``.

:func:`encode` turns a refused :class:`~ec2emu.auth.policy.Decision` into an opaque
token; :func:`decode` (STS ``DecodeAuthorizationMessage``) gives back the JSON document
AWS documents for it::

    {"allowed": false, "explicitDeny": true,
     "matchedStatements": {"items": [{"statementId": "...", "effect": "DENY", ...}]},
     "failures": {"items": []},
     "context": {"principal": {"id": "AIDA...", "name": "alice", "arn": "arn:aws:iam::...:user/alice"},
                 "action": "ec2:TerminateInstances", "resource": "arn:aws:ec2:...:instance/i-...",
                 "conditions": {"items": [{"key": "ec2:InstanceType",
                                           "values": {"items": [{"value": "t3.micro"}]}}]}}}

The token is self-contained — the document itself, compressed, with the account it
belongs to — and tamper-evident: an HMAC-SHA256 over it with a secret the caller keeps
(the store's settings, created on first use), so no message table is needed and a
token changed by one bit, or made by another emulator, is refused. It is URL-safe
base64 without padding.

Choices where AWS is silent: the exact members of a matched statement (AWS shows
``statementId``, ``effect``, ``principals``, ``principalGroups``, ``actions``,
``resources``, ``conditions``; we give the same names, with the statement's own
``Action``/``Resource`` patterns and its conditions as ``{"key", "values"}`` items); the
condition keys listed in ``context`` are those the request was evaluated with, sorted
by name; ``principal.name`` is present for users only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from collections.abc import Mapping
from typing import Any

from ec2emu.auth.credentials import Principal
from ec2emu.auth.policy import ContextValue, Decision, MatchedStatement

_MAC_BYTES = 32


def _items(values: Any) -> dict[str, Any]:
    if values is None:
        values = []
    elif isinstance(values, (str, int, float, bool)):
        values = [values]
    return {"items": [{"value": str(value) if not isinstance(value, bool) else str(value).lower()}
                      for value in values]}


def _conditions(block: Any) -> dict[str, Any]:
    items = []
    if isinstance(block, Mapping):
        for operator, keys in block.items():
            if not isinstance(keys, Mapping):
                continue
            for key, values in keys.items():
                items.append({"key": key, "operator": operator, "values": _items(values)})
    return {"items": items}


def _statement(matched: MatchedStatement, principal: Principal) -> dict[str, Any]:
    statement = matched.statement
    actions = statement.get("Action", statement.get("NotAction"))
    resources = statement.get("Resource", statement.get("NotResource"))
    return {
        "statementId": matched.sid or "",
        "effect": matched.effect.upper(),
        "principals": {"items": [{"value": principal.user_id}]},
        "principalGroups": {"items": []},
        "actions": _items(actions),
        "resources": _items(resources),
        "conditions": _conditions(statement.get("Condition")),
    }


def document(decision: Decision, principal: Principal, keys: Mapping[str, ContextValue]) -> dict[str, Any]:
    """AWS's decoded-message document for one refused resource."""
    who: dict[str, Any] = {"id": principal.user_id}
    if principal.kind == "user" and principal.user_name:
        who["name"] = principal.user_name
    who["arn"] = principal.arn
    conditions = [{"key": key, "values": _items(value)} for key, value in sorted(keys.items())]
    return {
        "allowed": decision.allowed,
        "explicitDeny": decision.explicit_deny,
        "matchedStatements": {"items": [_statement(m, principal) for m in decision.matched]},
        "failures": {"items": []},
        "context": {
            "principal": who,
            "action": decision.action,
            "resource": decision.resource,
            "conditions": {"items": conditions},
        },
    }


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def encode(secret: bytes, account_id: str, message: Mapping[str, Any]) -> str:
    """The opaque token for ``message`` (decodable only by ``account_id``)."""
    payload = zlib.compress(json.dumps({"account": account_id, "message": message},
                                       separators=(",", ":"), sort_keys=True).encode(), 9)
    raw = payload + _mac(secret, payload)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(secret: bytes, account_id: str, token: str) -> dict[str, Any] | None:
    """The document in ``token`` if it is genuine and ``account_id``'s, else ``None``."""
    text = token.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) <= _MAC_BYTES:
        return None
    payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(secret, payload)):
        return None
    try:
        data = json.loads(zlib.decompress(payload))
    except (zlib.error, ValueError):
        return None
    if not isinstance(data, dict) or data.get("account") != account_id:
        return None
    message = data.get("message")
    return message if isinstance(message, dict) else None
