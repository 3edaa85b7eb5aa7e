"""CloudTrail's event history: one row per recorded management event, and the resources
each names, on the one metadata of :mod:`ec2emu.store.schema` (which names the tables
too, as ``schema.trail_events``, ``schema.trail_resource_names`` and
``schema.trail_resource_types``).

Events are kept per account and region, in the order ``(event_time, seq)``. ``seq`` is
the event's place in the whole trail, given when it is stored
(:meth:`ec2emu.store.trail.TrailRepository.add`): the second of its ``event_time``
shifted left by :data:`ORDER_BITS`, plus its place among that second's events in the
order they were stored — so ``seq`` alone is the order, and the primary key (on SQLite
the ``rowid``: the rows are stored in that order), and a time is a range of it. Every
look-up LookupEvents makes is a range of an index ending in that order, so a page of the
newest matching events is one index range however many are stored: by scope alone
``ix_trail_events_scope``; by ID or attribute, on PostgreSQL a B-tree each, on SQLite
the index of names below. ``event_id`` is the event's ``eventID``, a random UUID (no key:
what would make it unique costs every write a B-tree insert at a random place). ``record``
is the part of the event as CloudTrail shows it that no column holds (JSON text: its
``userIdentity`` and the parts from ``sourceIPAddress`` to ``requestID``; a record
stored whole, with its ``eventVersion``, is shown as it is); ``resources`` the ``[type,
name]`` pairs the event names, shown with it. The primary key also serves the
retention's delete of everything older than 90 days.

The resources are kept for look-ups by name and by type. By type: a row per type an
event names (TerminateInstances of 1000 IDs: one), keyed by the look-up's own order —
scope, type, then the event's order — so that the key is the index (``WITHOUT ROWID``
on SQLite: a row is one entry of one B-tree, plus the time index the retention deletes
by). By name, on PostgreSQL: a row per name in ``trail_resource_names``, keyed the same
way. On SQLite the names go to :data:`NAME_INDEX` instead, an index of names
(:mod:`ec2emu.store.name_index`, created by migration 0033): one document per event, its
``rowid`` the event's ``seq``, a token per name in the event's account and region —
where a B-tree keyed by name would take a call's thousand names at a thousand random
places, the largest part of storing a TerminateInstances of 1000 IDs — and, since
migration 0037, a token for the event's ID and one for each attribute LookupEvents looks
up by (its key and value), where five B-trees by attribute and one by ID took most of
the cost of storing a DescribeInstances' event. A look-up reads the documents of one
token in descending order (a range of ``rowid``: the window and the cursor), each
joined to its event by the primary key; ``trail_resource_names`` stays empty there.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

ORDER = ("event_time", "seq")
# ``seq`` is the second of the event's time shifted left by this many bits, plus its
# place among that second's events (at most 2**24 events a second).
ORDER_BITS = 24
# SQLite's index of the names events name (:mod:`ec2emu.store.name_index`).
NAME_INDEX = "trail_name_index"
# LookupEvents' attributes kept on the event row, by their columns.
EVENT_ATTRIBUTES = ("event_name", "username", "access_key_id", "read_only", "event_source")


def _scope() -> list[sa.Column[Any]]:
    return [
        sa.Column("account_id", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("event_time", sa.Float, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
    ]


# On SQLite, ``seq`` is the table's ``rowid``.
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

trail_events = sa.Table(
    "trail_events",
    metadata,
    sa.Column("event_id", sa.String(36), nullable=False),
    *_scope()[:3],
    sa.Column("seq", SEQ, primary_key=True, autoincrement=False),
    sa.Column("event_name", sa.String(128), nullable=False),
    sa.Column("event_source", sa.String(128), nullable=False),
    sa.Column("username", sa.String(128), nullable=False),
    sa.Column("access_key_id", sa.String(128), nullable=False),
    sa.Column("read_only", sa.Boolean, nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("resources", sa.JSON, nullable=True),
    sa.Index("ix_trail_events_scope", "account_id", "region", *ORDER),
    # PostgreSQL's indexes by attribute and by ID; SQLite keeps them in its index of names.
    *(sa.Index(f"ix_trail_events_{column}", "account_id", "region", column, *ORDER).ddl_if(dialect="postgresql")
      for column in EVENT_ATTRIBUTES),
    sa.Index("ix_trail_events_event_id", "event_id").ddl_if(dialect="postgresql"),
)


def _resource_keys(name: str, key: str, length: int) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("account_id", sa.String(12), primary_key=True),
        sa.Column("region", sa.String(32), primary_key=True),
        sa.Column(key, sa.String(length), primary_key=True),
        sa.Column("event_time", sa.Float, primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Index(f"ix_{name}_time", "event_time"),
        sqlite_with_rowid=False,
    )


trail_resource_names = _resource_keys("trail_resource_names", "resource_name", 2048)
trail_resource_types = _resource_keys("trail_resource_types", "resource_type", 64)
