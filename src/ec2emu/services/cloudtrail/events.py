"""LookupEvents: the caller's account's management events in the request's region,
newest first, from the last 90 days of emulated time.

At most one ``LookupAttributes`` item (``InvalidLookupAttributesException`` otherwise),
its key one of EventId, EventName, ReadOnly (``true``/``false``), Username,
ResourceType, ResourceName, EventSource, AccessKeyId, matched exactly (case-sensitive);
``StartTime`` and ``EndTime`` inclusive, a start after the end
``InvalidTimeRangeException``; ``MaxResults`` 1 to 50, 50 when not given (outside that
range ``InvalidMaxResultsException``, the error CloudTrail's model gives LookupEvents for
it — CloudTrail's model has no ``ValidationException`` — checked by the handler, not by
the protocol: :attr:`ec2emu.services.registry.Service.own_checks`); ``NextToken``
given back only with the parameters it was issued for (``InvalidNextTokenException``
otherwise). Each event carries its ``CloudTrailEvent``, the record as a JSON string, and
``ReadOnly`` as the text ``"true"`` or ``"false"``.

Choices where AWS's documents are silent or this endpoint differs:

* an event can be looked up as soon as its call is answered (AWS takes minutes): a
  CloudTrail call first stores every call recorded before it;
* a key outside the model's enum, or an attribute value too long, is refused by the
  protocol as the model's constraints are (``ValidationException``) before this handler
  sees it;
* ``EventCategory`` (``insight``) is refused by name: no Insights events are made here;
* a key a look-up does not know (an unknown event ID) finds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ec2emu.services.cloudtrail.errors import (
    invalid_max_results,
    invalid_next_token,
    invalid_time_range,
    too_many_attributes,
)
from ec2emu.services.cloudtrail.record_text import shown_record
from ec2emu.services.cloudtrail.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.pagination import decode_token, encode_token
from ec2emu.store.trail import RETENTION_SECONDS, Window

DEFAULT_RESULTS = MAX_RESULTS = 50


def _digest(attribute: tuple[str, str] | None, start: float | None, end: float | None) -> str:
    text = json.dumps([attribute, start, end], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cursor(token: str | None, digest: str) -> tuple[float, int] | None:
    after = decode_token(token, invalid_next_token)
    if after is None:
        return None
    if (not isinstance(after, list) or len(after) != 3 or after[2] != digest
            or not isinstance(after[0], (int, float)) or not isinstance(after[1], int)):
        raise invalid_next_token()
    moment: float = after[0]
    return moment, after[1]


def _seconds(value: dt.datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _view(row: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = {
        "EventId": row["event_id"], "EventName": row["event_name"],
        "ReadOnly": "true" if row["read_only"] else "false", "AccessKeyId": row["access_key_id"],
        "EventTime": dt.datetime.fromtimestamp(row["event_time"], dt.timezone.utc),
        "EventSource": row["event_source"], "Username": row["username"],
        "Resources": [{"ResourceType": kind, "ResourceName": name} for kind, name in sorted(row["resources"])],
        "CloudTrailEvent": shown_record(row),
    }
    return view


@operation("LookupEvents", refuses=("EventCategory",))
def lookup_events(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    attributes = params.get("LookupAttributes") or []
    if len(attributes) > 1:
        raise too_many_attributes()
    attribute = (str(attributes[0]["AttributeKey"]), str(attributes[0]["AttributeValue"])) if attributes else None
    start, end = _seconds(params.get("StartTime")), _seconds(params.get("EndTime"))
    if start is not None and end is not None and start > end:
        raise invalid_time_range()
    after = _cursor(params.get("NextToken"), _digest(attribute, start, end))
    limit: int = params.get("MaxResults", DEFAULT_RESULTS)
    if not 1 <= limit <= MAX_RESULTS:
        raise invalid_max_results(limit)
    floor = ctx.now_ts - RETENTION_SECONDS
    window = Window(ctx.account_id, ctx.region, attribute, floor if start is None else max(start, floor), end, after)
    rows = ctx.uow.trail.lookup(window, limit + 1)
    result: dict[str, Any] = {"Events": [_view(row) for row in rows[:limit]]}
    if len(rows) > limit:
        last = rows[limit - 1]
        result["NextToken"] = encode_token([last["event_time"], last["seq"], _digest(attribute, start, end)])
    return result
