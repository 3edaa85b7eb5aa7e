"""CloudTrail's event history: one row per recorded management event and one per
resource it names, on the one metadata of :mod:`ec2emu.store.schema` (which names them
too, as ``schema.trail_events`` and ``schema.trail_resources``).

Events are kept per account and region. Each is ordered by ``(event_time, seq)`` —
``seq`` grows with every record a process captures, so events of one emulated instant
(a manual clock stands still) keep the order they happened in — and every attribute
LookupEvents looks up by has an index ending in that order, so a page of the newest
matching events is one index range however many are stored. ``record`` is the event
as CloudTrail shows it (JSON text). ``ix_trail_events_time`` alone serves the
retention's delete of everything older than 90 days; a resource row repeats its
event's time, scope and order so that look-ups by resource and the delete need no join.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

ORDER = ("event_time", "seq")
# LookupEvents' attributes kept on the event row, by their columns.
EVENT_ATTRIBUTES = ("event_name", "username", "access_key_id", "read_only", "event_source")


def _scope() -> list[sa.Column[Any]]:
    return [
        sa.Column("account_id", sa.String(12), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("event_time", sa.Float, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
    ]


trail_events = sa.Table(
    "trail_events",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    *_scope(),
    sa.Column("event_name", sa.String(128), nullable=False),
    sa.Column("event_source", sa.String(128), nullable=False),
    sa.Column("username", sa.String(128), nullable=False),
    sa.Column("access_key_id", sa.String(128), nullable=False),
    sa.Column("read_only", sa.Boolean, nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    sa.Index("ix_trail_events_scope", "account_id", "region", *ORDER),
    *(sa.Index(f"ix_trail_events_{column}", "account_id", "region", column, *ORDER) for column in EVENT_ATTRIBUTES),
    sa.Index("ix_trail_events_time", "event_time"),
)

trail_resources = sa.Table(
    "trail_resources",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("resource_type", sa.String(64), primary_key=True),
    sa.Column("resource_name", sa.String(2048), primary_key=True),
    *_scope(),
    sa.Index("ix_trail_resources_type", "account_id", "region", "resource_type", *ORDER),
    sa.Index("ix_trail_resources_name", "account_id", "region", "resource_name", *ORDER),
    sa.Index("ix_trail_resources_time", "event_time"),
)
