"""The audit trail's order is one number: each event's ``seq`` becomes its second shifted
left by 24 bits plus its place in that second (``ix_trail_events_seq``, unique, which the
retention now deletes by, replaces ``ix_trail_events_time``); on SQLite the names events
name move from ``trail_resource_names`` to an FTS5 index, one document per event whose
``rowid`` is its ``seq``. The resources by type are keyed by the new ``seq``, and each
event's ``resources`` is rewritten as compact JSON (how events are stored now).

Revision ID: 0033
Revises: 0032
"""

import hashlib
import json
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

BITS = 24
INDEX = "trail_name_index"
_SCOPE = ("account_id", "region", "event_time", "seq", "event_id")


def _tables() -> tuple[sa.TableClause, sa.TableClause, sa.TableClause]:
    events = sa.table("trail_events", *(sa.column(c) for c in (*_SCOPE, "resources")))
    names = sa.table("trail_resource_names", *(sa.column(c) for c in (*_SCOPE, "resource_name")))
    types = sa.table("trail_resource_types", *(sa.column(c) for c in (*_SCOPE, "resource_type")))
    return events, names, types


def _token(account_id: str, region: str, name: str) -> str:
    return hashlib.blake2b(f"{account_id}\n{region}\n{name}".encode(), digest_size=8).hexdigest()


def _pairs(value: Any) -> list[list[str]]:
    found = json.loads(value) if isinstance(value, str) else value
    return [list(pair) for pair in found or ()]


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    events, names, types = _tables()
    op.drop_index("ix_trail_events_time", table_name="trail_events")
    rows = conn.execute(sa.select(events).order_by(events.c.event_time, events.c.seq)).all()
    placed: dict[int, int] = {}
    updates, named, kinds, documents = [], [], [], []
    for row in rows:
        first = int(row.event_time) << BITS
        seq = placed.get(first, first)
        placed[first] = seq + 1
        pairs = _pairs(row.resources)
        text = json.dumps(pairs, separators=(",", ":"), ensure_ascii=False) if pairs else None
        updates.append({"key": row.event_id, "new_seq": seq, "new_resources": text})
        scope = {"account_id": row.account_id, "region": row.region, "event_time": row.event_time, "seq": seq,
                 "event_id": row.event_id}
        kinds += [{**scope, "resource_type": kind} for kind in dict.fromkeys(kind for kind, _ in pairs)]
        unique = list(dict.fromkeys(name for _, name in pairs))
        if sqlite and unique:
            documents.append((seq, " ".join(dict.fromkeys(_token(row.account_id, row.region, n) for n in unique))))
        elif unique:
            named += [{**scope, "resource_name": name} for name in unique]
    conn.execute(names.delete())
    conn.execute(types.delete())
    if updates:
        conn.execute(events.update().where(events.c.event_id == sa.bindparam("key")).values(
            seq=sa.bindparam("new_seq"), resources=sa.bindparam("new_resources")), updates)
    if kinds:
        conn.execute(types.insert(), kinds)
    if named:
        conn.execute(names.insert(), named)
    op.create_index("ix_trail_events_seq", "trail_events", ["seq"], unique=True)
    if sqlite:
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {INDEX} USING fts5(tokens, detail=none, columnsize=0, "
                             "tokenize='ascii')")
        if documents:
            conn.exec_driver_sql(f"INSERT INTO {INDEX}(rowid, tokens) VALUES (?, ?)", documents)


def downgrade() -> None:
    conn = op.get_bind()
    events, names, _ = _tables()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE {INDEX}")
        by_event: dict[tuple[Any, ...], dict[str, None]] = defaultdict(dict)
        for row in conn.execute(sa.select(events)):
            for _, name in _pairs(row.resources):
                by_event[tuple(row._mapping[c] for c in _SCOPE)][name] = None
        named = [{**dict(zip(_SCOPE, scope)), "resource_name": name}
                 for scope, found in by_event.items() for name in found]
        if named:
            conn.execute(names.insert(), named)
    op.drop_index("ix_trail_events_seq", table_name="trail_events")
    op.create_index("ix_trail_events_time", "trail_events", ["event_time"], unique=False)
