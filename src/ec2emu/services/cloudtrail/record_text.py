"""A CloudTrail record's JSON text, made whole from what the trail stores of it.

A stored event (``trail_events``, :mod:`ec2emu.store.trail_schema`) keeps in columns of
their own the event's time, source, name, region, ID, read-only flag and account, and
in ``record`` only the rest: the ``userIdentity`` and what the call alone knows, from
``sourceIPAddress`` to ``requestID`` (the recorder, :mod:`ec2emu.trail.records`). What
every record shares (``eventVersion``, ``eventType``, ``managementEvent``,
``eventCategory``) is not stored at all. :func:`full_text` puts the record together in
CloudTrail's order of keys, for LookupEvents' ``CloudTrailEvent`` and an ``AWS API Call
via CloudTrail`` event's ``detail``; a record stored whole (with its ``eventVersion``:
as the trail's first version stored them) is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

EVENT_VERSION = "1.08"
# Compact, and UTF-8 left as it is: CloudTrail's records are UTF-8 JSON.
ENCODE = json.JSONEncoder(separators=(",", ":"), default=str, ensure_ascii=False).encode
_TEXT = json.encoder.encode_basestring  # a JSON string, as ENCODE writes one


def iso(seconds: float) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``, as CloudTrail writes a time."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def full_text(row: Mapping[str, Any], identity: str, body: str) -> str:
    """The record as CloudTrail shows it, from a ``trail_events`` row's columns, the
    ``userIdentity``'s JSON text and the JSON object of the rest the call knows
    (``sourceIPAddress`` … ``requestID``, in CloudTrail's order)."""
    return (f'{{"eventVersion":"{EVENT_VERSION}","userIdentity":{identity},'
            f'"eventTime":"{iso(row["event_time"])}","eventSource":{_TEXT(row["event_source"])},'
            f'"eventName":{_TEXT(row["event_name"])},"awsRegion":{_TEXT(row["region"])},{body[1:-1]},'
            f'"eventID":{_TEXT(row["event_id"])},"readOnly":{"true" if row["read_only"] else "false"},'
            f'"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":{_TEXT(row["account_id"])},'
            f'"eventCategory":"Management"}}')


def shown_record(row: Mapping[str, Any]) -> str:
    """The record of a stored ``trail_events`` row, whole."""
    stored: dict[str, Any] = json.loads(row["record"])
    if "eventVersion" in stored:
        return str(row["record"])
    identity = stored.pop("userIdentity")
    return full_text(row, ENCODE(identity), ENCODE(stored))
