"""CloudTrail's event history (:mod:`ec2emu.store.trail_schema`): recorded events added in
batches, looked up newest first by one attribute (or none) within a time window, a page
at a time, and forgotten once older than the retention.

Every look-up is one range of an index that ends in the event order
``(event_time, seq)``, read backwards from the page's cursor, so a page costs the same
however many events are stored; a look-up by resource reads the resources' index and
joins each of the page's events by its key. A batch is given its events' ``seq`` when it
is stored (:meth:`TrailRepository.add`): each second's next places after the highest
stored (one probe of the primary key a second), under the writer's turn that every write
takes, so two nodes never give one place twice.

On SQLite, a look-up by ID, by attribute (EventName, Username, AccessKeyId, ReadOnly,
EventSource) or by name reads :data:`~ec2emu.store.trail_schema.NAME_INDEX` (FTS5): the
documents of the token, newest first, within the window's range of ``seq``, each joined
to its event by the primary key; an event is kept only when it is of the scope and has
the ID, the attribute's value or the name — so that two whose tokens (64 bits of a hash)
are alike are never confused, though a page may then come out shorter than asked, which
LookupEvents' ``NextToken`` allows. Every stored event has its document there, with a
token for its ID, one per attribute and one per name; an attribute's token is made once
for the many events of a batch that share it. PostgreSQL keeps a B-tree per attribute
and one by ID instead.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from ec2emu.store import name_index, schema
from ec2emu.store.prepared import Prepared, insert_tuples
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

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The ID's name in a document (one no resource has, with a line break).
EVENT_ID = "EventId\n"

_INDEXED = sa.table(NAME_INDEX, sa.column("rowid", sa.BigInteger))
# The highest place given in one second (``first`` to ``past``): a probe of the primary key.
_HIGHEST = Prepared(lambda _: sa.select(sa.func.max(_E.c.seq)).where(
    _E.c.seq >= sa.bindparam("first", type_=sa.BigInteger()), _E.c.seq < sa.bindparam("past", type_=sa.BigInteger())))


def _tokens(account_id: str, region: str, names: Sequence[str]) -> list[str]:
    return name_index.tokens(f"{account_id}\n{region}", names)


# The attributes' tokens made lately, by (account, region, key, value), and the
# attributes' part of a document by the event's (account, region, attribute values...):
# most events of a batch share their account, region, name, source, caller and key.
_ATTRIBUTE_TOKENS: dict[tuple[str, str, str, str], str] = {}
_ATTRIBUTE_TEXTS: dict[tuple[Any, ...], str] = {}
_KEPT = 4096
_ATTRIBUTE_COLUMNS = ("account_id", "region", *EVENT_KEYS.values())
_ATTRIBUTES_OF = itemgetter(*_ATTRIBUTE_COLUMNS)


def _attribute_token(account_id: str, region: str, key: str, value: str) -> str:
    """The token of a LookupEvents attribute (its key and value, as one name no resource
    has: with a line break between them)."""
    found = _ATTRIBUTE_TOKENS.get((account_id, region, key, value))
    if found is None:
        if len(_ATTRIBUTE_TOKENS) >= _KEPT:
            _ATTRIBUTE_TOKENS.clear()
        found = _ATTRIBUTE_TOKENS[(account_id, region, key, value)] = _tokens(
            account_id, region, [f"{key}\n{value}"])[0]
    return found


def _id_token(account_id: str, region: str, event_id: str) -> str:
    """The token of an event's ID: a random UUID's first 16 hex digits as they are (no
    hash needed: they are random already, but for the version's), another ID's hash."""
    if _UUID.fullmatch(event_id):
        return event_id[:8] + event_id[9:13] + event_id[14:18]
    return _tokens(account_id, region, [EVENT_ID + event_id])[0]


def _document(event: Row, names: dict[str, None] | None) -> str:
    """The index-of-names document of ``event``: the tokens of its ID, of each attribute
    LookupEvents looks up by, and of the names of its resources."""
    account, region = event["account_id"], event["region"]
    attributes = _ATTRIBUTES_OF(event)
    text = _ATTRIBUTE_TEXTS.get(attributes)
    if text is None:
        if len(_ATTRIBUTE_TEXTS) >= _KEPT:
            _ATTRIBUTE_TEXTS.clear()
        text = _ATTRIBUTE_TEXTS[attributes] = " ".join(
            _attribute_token(account, region, key, ("true" if value else "false") if key == "ReadOnly" else value)
            for key, value in zip(EVENT_KEYS, attributes[2:]))
    text = f"{_id_token(account, region, event['event_id'])} {text}"
    if names:
        text += " " + " ".join(_tokens(account, region, list(names)))
    return text


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
        no per-value processing. On SQLite every event gets a document in the index of
        names: its ID, its attributes and the names of its resources."""
        if not events:
            return
        self._place(events)
        insert_tuples(self.conn, _E, _EVENT_COLUMNS, [_EVENT_ROW(event) for event in events])
        sqlite = self.conn.dialect.name == "sqlite"
        if not resources and not sqlite:
            return
        by_id = {event["event_id"]: event for event in events}
        keyed = [((e := by_id[event_id])["account_id"], e["region"], kind, name, e["event_time"], e["seq"], event_id)
                 for event_id, kind, name in resources]
        # One name under two types (a user and a group both called "x") is one key.
        types = dict.fromkeys((a, r, kind, t, s, e) for a, r, kind, _, t, s, e in keyed)
        insert_tuples(self.conn, _TYPES, _TYPE_COLUMNS, list(types))
        if sqlite:
            named: dict[str, dict[str, None]] = defaultdict(dict)
            for _, _, _, name, _, _, event_id in keyed:
                named[event_id][name] = None
            name_index.add(self.conn, NAME_INDEX, [(event["seq"], _document(event, named.get(event["event_id"])))
                                                   for event in events])
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
                highest = _HIGHEST.tuples(self.conn, {"first": first, "past": first + (1 << ORDER_BITS)})[0][0]
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
        if key and key != "ResourceType" and self.conn.dialect.name == "sqlite":
            return self._by_token(window, key, value, limit)
        if key in RESOURCE_TABLES:
            ordered, column = RESOURCE_TABLES[key]
            query = sa.select(_E).join(ordered, ordered.c.seq == _E.c.seq).where(
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

    def _by_token(self, window: Window, key: str, value: str, limit: int) -> list[Row]:
        """A look-up by ID, attribute or name in SQLite's index of names (see the module's
        docstring)."""
        seq = _INDEXED.c.rowid
        if key == "ResourceName":
            token = _tokens(window.account_id, window.region, [value])[0]
            needle = json.dumps(value, ensure_ascii=False) + "]"  # the name as a pair's second item
            named = sa.func.instr(_E.c.resources, needle) > 0
        elif key == "ReadOnly" and value not in ("true", "false"):
            return []
        else:
            token = (_id_token(window.account_id, window.region, value) if key == "EventId" else
                     _attribute_token(window.account_id, window.region, key, value))
            named = (_E.c.event_id == value if key == "EventId" else
                     _E.c.read_only == (value == "true") if key == "ReadOnly" else _E.c[EVENT_KEYS[key]] == value)
        query = (sa.select(_E).select_from(_INDEXED.join(_E, _E.c.seq == seq))
                 .where(name_index.matching(NAME_INDEX, token),
                        _E.c.account_id == window.account_id, _E.c.region == window.region, named))
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
