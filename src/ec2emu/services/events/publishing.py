"""Events onto the default bus, and patterns tried on events: PutEvents and
TestEventPattern.

PutEvents checks each entry on its own and answers one result per entry, in order:
``{EventId}`` for an accepted one, ``{ErrorCode, ErrorMessage}`` for a refused one (HTTP
200 however many fail; ``FailedEntryCount`` counts them). An entry is refused when its
bus is not this account's default bus (``ResourceNotFoundException``), when ``Source``,
``DetailType`` or ``Detail`` is missing or empty (``InvalidArgument``, in that order),
when ``Source`` begins with ``aws.`` (``NotAuthorizedForSourceException``: AWS's
services' events are theirs) and when ``Detail`` is not a JSON object
(``MalformedDetail``). Entries over 256 KB in all (sized as AWS documents: 14 bytes
for a ``Time``, and the UTF-8 bytes of ``Source``, ``DetailType``, ``Detail`` and each
resource) refuse the whole call. ``EndpointId`` (global endpoints) and an entry's
``TraceHeader`` (X-Ray) are refused by name — by the handler, as members of an entry
and, for ``EndpointId``, because SDKs send it only under a SigV4a signature.

An accepted entry becomes an event (:func:`ec2emu.services.events.envelope.custom_event`,
the one producer) and is matched against the bus's enabled rules; the accepted events
are written, whole and with the IDs the call answers, to the event outbox in the call's
transaction (:meth:`ec2emu.store.outbox.OutboxRepository.custom`: a call refused or
rolled back writes none, a refused entry writes nothing), where ``emulator.events``,
the admin routes and delivery read them. The handler's result carries, beside the
wire's members, what was published (:class:`Published`: each event and the names of
the rules it matched), for the stages after the handler.

TestEventPattern compiles the pattern (``InvalidEventPatternException`` when it is not
valid) and then reads the event, which must be a JSON object with AWS's mandatory
fields ``id``, ``account``, ``source``, ``time``, ``region``, ``resources`` and
``detail-type`` (``ValidationException`` "Parameter Event is not valid." otherwise).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ec2emu.services.events.common import bus_name, is_default_bus
from ec2emu.services.events.envelope import custom_event
from ec2emu.services.events.errors import (
    EntryError,
    entry_bus_not_found,
    entry_malformed_detail,
    entry_missing,
    entry_unauthorized_source,
    invalid_event,
    invalid_pattern,
    too_large,
    unhonoured,
)
from ec2emu.services.events.patterns import PatternError, compile_pattern
from ec2emu.services.events.rules import MATCHING
from ec2emu.services.events.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.store.event_rules import Bus

MAX_SIZE = 256 * 1024
TIME_SIZE = 14
MANDATORY = ("id", "account", "source", "time", "region", "resources", "detail-type")


@dataclass(frozen=True)
class Published:
    """An event PutEvents accepted, and the names of the enabled rules it matched."""

    event: dict[str, Any]
    rules: tuple[str, ...]


class PutEventsResult(dict[str, Any]):
    """PutEvents' answer (its wire members), with what it published."""

    def __init__(self, members: dict[str, Any], published: list[Published]) -> None:
        super().__init__(members)
        self.published = published


def matching_rules(ctx: RequestContext, bus: Bus, event: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the bus's enabled rules (``ENABLED`` or
    ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``) whose patterns ``event`` matches, in
    name order."""
    names = []
    rows = sorted((row for state in MATCHING for row in ctx.uow.event_rules.in_state(bus, state)),
                  key=lambda row: str(row["name"]))
    for row in rows:
        if row["event_pattern"] is None:
            continue
        try:
            matched = compile_pattern(row["event_pattern"]).matches(event)
        except PatternError:
            matched = False
        if matched:
            names.append(row["name"])
    return tuple(names)


def _size(entry: Mapping[str, Any]) -> int:
    size = TIME_SIZE if "Time" in entry else 0
    for member in ("Source", "DetailType", "Detail"):
        size += len(str(entry.get(member) or "").encode())
    return size + sum(len(str(resource).encode()) for resource in entry.get("Resources") or [])


def _refusal(ctx: RequestContext, entry: Mapping[str, Any]) -> EntryError | None:
    """Why ``entry`` is refused, if it is."""
    if not is_default_bus(ctx, entry.get("EventBusName")):
        return entry_bus_not_found(bus_name(entry.get("EventBusName")))
    for member in ("Source", "DetailType", "Detail"):
        if not entry.get(member):
            return entry_missing(member)
    if entry["Source"].startswith("aws."):
        return entry_unauthorized_source()
    try:
        detail = json.loads(entry["Detail"])
    except (ValueError, RecursionError):
        return entry_malformed_detail()
    if not isinstance(detail, dict):
        return entry_malformed_detail()
    return None


@operation("PutEvents")
def put_events(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if "EndpointId" in params:
        raise unhonoured("EndpointId")
    entries = params["Entries"]
    for entry in entries:
        if "TraceHeader" in entry:
            raise unhonoured("TraceHeader")
    if sum(_size(entry) for entry in entries) > MAX_SIZE:
        raise too_large()
    bus = Bus(ctx.account_id, ctx.region, "default")
    results: list[dict[str, Any]] = []
    published: list[Published] = []
    for entry in entries:
        refusal = _refusal(ctx, entry)
        if refusal is not None:
            results.append(refusal.result())
            continue
        event = custom_event(ctx, entry)
        published.append(Published(event, matching_rules(ctx, bus, event)))
        results.append({"EventId": event["id"]})
    if published:
        ctx.uow.outbox.custom(ctx.account_id, ctx.region, ctx.now_ts, [item.event for item in published])
    failed = sum("ErrorCode" in result for result in results)
    return PutEventsResult({"FailedEntryCount": failed, "Entries": results}, published)


@operation("TestEventPattern")
def test_event_pattern(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    try:
        pattern = compile_pattern(params["EventPattern"])
    except PatternError as error:
        raise invalid_pattern(str(error)) from None
    try:
        event = json.loads(params["Event"])
    except (ValueError, RecursionError):
        raise invalid_event() from None
    if not isinstance(event, dict) or any(name not in event for name in MANDATORY):
        raise invalid_event()
    return {"Result": pattern.matches(event)}
