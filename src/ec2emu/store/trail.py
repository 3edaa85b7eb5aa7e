"""CloudTrail's event history (:mod:`ec2emu.store.trail_schema`): recorded events added in
batches, looked up newest first by one attribute (or none) within a time window, a page
at a time, and forgotten once older than the retention.

Every look-up is one range of an index that ends in the event order
``(event_time, seq)``, read backwards from the page's cursor, so a page costs the same
however many events are stored; a look-up by resource reads the resources' index and
joins each of the page's events by its key. A batch is given its events' ``seq`` when it
is stored (:meth:`TrailRepository.add`): each second's next places after the highest
stored (one probe of ``ix_trail_events_seq`` a second), under the writer's turn that
every write takes, so two nodes never give one place twice.

By name, on SQLite, the look-up reads :data:`~ec2emu.store.trail_schema.NAME_INDEX`
(FTS5): the documents of the name's token, newest first, within the window's range of
``seq``; an event is kept only when it is of the scope and names the name — so that
two names whose tokens (64 bits of a hash) are alike are never confused, though a page
may then come out shorter than asked, which LookupEvents' ``NextToken`` allows.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from ec2emu.store import name_index, schema
from ec2emu.store.prepared import insert_tuples
from ec2emu.store.queries import Repository, Row
from ec2emu.store.trail_schema import NAME_INDEX, ORDER_BITS

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

_INDEXED = sa.table(NAME_INDEX, sa.column("rowid", sa.BigInteger))


def _tokens(account_id: str, region: str, names: Sequence[str]) -> list[str]:
    return name_index.tokens(f"{account_id}\n{region}", names)


def first_of_second(moment: float) -> int:
    """The lowest ``seq`` of the events of ``moment``'s second."""
    return int(moment) << ORDER_BITS


def _not_before(moment: float) -> int:
    """The lowest ``seq`` of an event at or after ``moment``."""
    return math.ceil(moment) << ORDER_BITS


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

    def add(self, events: Sequence[Row], resources: Sequence[tuple[str, str, str]]) -> None:
        """Store a batch: rows of ``trail_events`` (every column but ``seq``, ``record``
        and ``resources`` as their JSON text), in the order they happened, and the
        resources they name as ``(event_id, type, name)``; each event is given its
        ``seq`` here (set in its row), and each table written in one ``executemany`` with
        no per-value processing."""
        if not events:
            return
        self._place(events)
        insert_tuples(self.conn, _E, _EVENT_COLUMNS, [_EVENT_ROW(event) for event in events])
        if not resources:
            return
        by_id = {event["event_id"]: event for event in events}
        keyed = [((e := by_id[event_id])["account_id"], e["region"], kind, name, e["event_time"], e["seq"], event_id)
                 for event_id, kind, name in resources]
        # One name under two types (a user and a group both called "x") is one key.
        types = dict.fromkeys((a, r, kind, t, s, e) for a, r, kind, _, t, s, e in keyed)
        insert_tuples(self.conn, _TYPES, _TYPE_COLUMNS, list(types))
        if self.conn.dialect.name == "sqlite":
            named: dict[tuple[int, str, str], dict[str, None]] = defaultdict(dict)
            for a, r, _, name, _, s, _ in keyed:
                named[(s, a, r)][name] = None
            name_index.add(self.conn, NAME_INDEX, [(seq, " ".join(_tokens(a, r, list(found))))
                                                   for (seq, a, r), found in named.items()])
            return
        names = dict.fromkeys((a, r, name, t, s, e) for a, r, _, name, t, s, e in keyed)
        insert_tuples(self.conn, _NAMES, _NAME_COLUMNS, list(names))

    def _place(self, events: Sequence[Row]) -> None:
        """Give each event its ``seq``: its second's next place, in the batch's order."""
        following: dict[int, int] = {}
        for event in events:
            first = first_of_second(event["event_time"])
            place = following.get(first)
            if place is None:
                highest = self.conn.execute(sa.select(sa.func.max(_E.c.seq)).where(
                    _E.c.seq >= first, _E.c.seq < first + (1 << ORDER_BITS))).scalar()
                place = first if highest is None else highest + 1
            event["seq"] = place
            following[first] = place + 1

    def prune(self, before: float) -> None:
        """Forget every event older than ``before`` (and its resources)."""
        for table in (_NAMES, _TYPES):
            self.conn.execute(table.delete().where(table.c.event_time < before))
        if self.conn.dialect.name == "sqlite":
            self.conn.execute(sa.delete(_INDEXED).where(_INDEXED.c.rowid < _not_before(before)))
        self.conn.execute(_E.delete().where(_E.c.seq < _not_before(before)))

    def lookup(self, window: Window, limit: int) -> list[Row]:
        """At most ``limit`` events of ``window``, newest first, each with its
        ``resources`` (``(type, name)`` pairs)."""
        key, value = window.attribute or ("", "")
        if key == "ResourceName" and self.conn.dialect.name == "sqlite":
            return self._by_name(window, value, limit)
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
        return self._shown(query)

    def _by_name(self, window: Window, name: str, limit: int) -> list[Row]:
        """A look-up by name in SQLite's name index (see the module's docstring)."""
        seq = _INDEXED.c.rowid
        needle = json.dumps(name, ensure_ascii=False) + "]"  # the name as a pair's second item
        query = (sa.select(_E).select_from(_INDEXED.join(_E, _E.c.seq == seq))
                 .where(name_index.matching(NAME_INDEX, _tokens(window.account_id, window.region, [name])[0]),
                        _E.c.account_id == window.account_id, _E.c.region == window.region,
                        sa.func.instr(_E.c.resources, needle) > 0))
        if window.start is not None:
            query = query.where(seq >= _not_before(window.start))
        if window.end is not None:
            query = query.where(seq < first_of_second(window.end) + (1 << ORDER_BITS))
        if window.after is not None:
            query = query.where(seq < window.after[1])
        return self._shown(query.order_by(seq.desc()).limit(limit))

    def _shown(self, query: sa.Select[Any]) -> list[Row]:
        events = [dict(row) for row in self.conn.execute(query).mappings()]
        for event in events:
            event["resources"] = [(kind, name) for kind, name in event["resources"] or ()]
        return events
