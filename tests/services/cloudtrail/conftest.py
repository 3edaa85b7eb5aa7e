"""The fixtures of ``tests/services/shared/test_permissions.py`` (an app with the example
accounts, and clients by key) and the look-ups the CloudTrail tests share."""

from __future__ import annotations

import json
from typing import Any

from tests.services.shared.test_permissions import Make, app, make  # noqa: F401


def events_of(clients: Make, keys: tuple[str, ...], *attributes: tuple[str, str]) -> list[dict[str, Any]]:
    """Every event ``keys``' account has in us-east-1 matching each attribute, newest first."""
    trail = clients(keys, "cloudtrail")
    found: list[dict[str, Any]] = []
    for page in trail.get_paginator("lookup_events").paginate(
            LookupAttributes=[{"AttributeKey": key, "AttributeValue": value} for key, value in attributes[:1]]):
        found += page["Events"]
    for key, value in attributes[1:]:
        found = [event for event in found if event[key] == value]
    return found


def record_of(clients: Make, keys: tuple[str, ...], name: str, username: str | None = None) -> dict[str, Any]:
    """The newest record of the call ``name`` (by ``username`` when given)."""
    attributes = [("EventName", name)] + ([("Username", username)] if username else [])
    return dict(json.loads(events_of(clients, keys, *attributes)[0]["CloudTrailEvent"]))
