"""CloudTrail's event history (:mod:`ec2emu.store.trail_schema`): recorded events added in
batches, looked up newest first by one attribute (or none) within a time window, a page
at a time, and forgotten once older than the retention.

Every look-up is one range of an index that ends in the event order
``(event_time, seq)``, read backwards from the page's cursor, so a page costs the same
however many events are stored; a look-up by resource reads the resources' index and
joins each of the page's events by its key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import insert_tuples
from ec2emu.store.queries import Repository, Row

# How long events are kept: 90 days of emulated time.
RETENTION_SECONDS = 90 * 86_400

_E = schema.trail_events
_NAMES = schema.trail_resource_names
_TYPES = schema.trail_resource_types
# Batches go straight to the driver (one ``executemany`` a table): a flush stores thousands.
_EVENT_COLUMNS = tuple(_E.c.keys())
_EVENT_ROW = itemgetter(*_EVENT_COLUMNS)
_NAME_COLUMNS = ("account_id", "region", "resource_name", "event_time", "seq", "event_id")
_TYPE_COLUMNS = ("account_id", "region", "resource_type", "event_time", "seq", "event_id")

# LookupEvents' attribute keys kept on the event row, by column; the resources' keys.
EVENT_KEYS = {"EventName": "event_name", "Username": "username", "AccessKeyId": "access_key_id",
              "ReadOnly": "read_only", "EventSource": "event_source"}
RESOURCE_TABLES = {"ResourceType": (_TYPES, "resource_type"), "ResourceName": (_NAMES, "resource_name")}


@dataclass(frozen=True)
class Window:
    """Which events a look-up wants: the scope, at most one attribute (key, value), the
    times (inclusive; ``None``: unbounded) and the cursor (the order of the last event
    given: the page goes on below it)."""

    account_id: str
    region: str
    attribute: tuple[str, str] | None = None
    start: float | None = None
    end: float | None = None
    after: tuple[float, int] | None = None


class TrailRepository(Repository):
    """Recorded events, per account and region."""

    def add(self, events: Sequence[Row], resources: Sequence[tuple[Any, ...]]) -> None:
        """Store a batch: rows of ``trail_events`` (every column, ``record`` and
        ``resources`` as their JSON text), and the resources they name as ``(account_id,
        region, type, name, event_time, seq, event_id)``; each table in one
        ``executemany`` with no per-value processing."""
        if events:
            insert_tuples(self.conn, _E, _EVENT_COLUMNS, [_EVENT_ROW(event) for event in events])
        if resources:
            # One name under two types (a user and a group both called "x") is one key.
            names = dict.fromkeys((a, r, name, t, s, e) for a, r, _, name, t, s, e in resources)
            insert_tuples(self.conn, _NAMES, _NAME_COLUMNS, list(names))
            types = dict.fromkeys((a, r, kind, t, s, e) for a, r, kind, _, t, s, e in resources)
            insert_tuples(self.conn, _TYPES, _TYPE_COLUMNS, list(types))

    def prune(self, before: float) -> None:
        """Forget every event older than ``before`` (and its resources)."""
        for table in (_NAMES, _TYPES, _E):
            self.conn.execute(table.delete().where(table.c.event_time < before))

    def lookup(self, window: Window, limit: int) -> list[Row]:
        """At most ``limit`` events of ``window``, newest first, each with its
        ``resources`` (``(type, name)`` pairs)."""
        key, value = window.attribute or ("", "")
        if key in RESOURCE_TABLES:
            ordered, column = RESOURCE_TABLES[key]
            query = sa.select(_E).join(ordered, ordered.c.event_id == _E.c.event_id).where(
                ordered.c[column] == value)
        else:
            ordered = _E
            query = sa.select(_E)
            if key == "EventId":
                query = query.where(_E.c.event_id == value)
            elif key == "ReadOnly":
                query = query.where(_E.c.read_only == (value == "true") if value in ("true", "false") else sa.false())
            elif key:
                query = query.where(_E.c[EVENT_KEYS[key]] == value)
        query = query.where(ordered.c.account_id == window.account_id, ordered.c.region == window.region)
        if window.start is not None:
            query = query.where(ordered.c.event_time >= window.start)
        if window.end is not None:
            query = query.where(ordered.c.event_time <= window.end)
        if window.after is not None:
            query = query.where(sa.tuple_(ordered.c.event_time, ordered.c.seq)
                                 < sa.tuple_(sa.literal(window.after[0]), sa.literal(window.after[1])))
        query = query.order_by(ordered.c.event_time.desc(), ordered.c.seq.desc()).limit(limit)
        events = [dict(row) for row in self.conn.execute(query).mappings()]
        for event in events:
            event["resources"] = [(kind, name) for kind, name in event["resources"] or ()]
        return events
