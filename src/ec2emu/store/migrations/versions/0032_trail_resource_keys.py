"""The audit trail's resources are kept as look-up keys: one table by name and one by
type, each keyed by the look-up's order (``WITHOUT ROWID`` on SQLite), and each event
shows its resources from its own row (``trail_events.resources``). The rows of
``trail_resources`` move into them.

Revision ID: 0032
Revises: 0031
"""

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

_SCOPE = ("account_id", "region", "event_time", "seq", "event_id")


def _keyed(name: str, key: str, length: int) -> None:
    op.create_table(
        name,
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column(key, sa.String(length=length), nullable=False),
        sa.Column("event_time", sa.Float(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region", key, "event_time", "seq", "event_id"),
        sqlite_with_rowid=False,
    )
    op.create_index(f"ix_{name}_time", name, ["event_time"])


def upgrade() -> None:
    op.add_column("trail_events", sa.Column("resources", sa.JSON(), nullable=True))
    _keyed("trail_resource_names", "resource_name", 2048)
    _keyed("trail_resource_types", "resource_type", 64)
    conn = op.get_bind()
    old = sa.table("trail_resources", *(sa.column(c) for c in (*_SCOPE, "resource_type", "resource_name")))
    names = sa.table("trail_resource_names", *(sa.column(c) for c in (*_SCOPE, "resource_name")))
    types = sa.table("trail_resource_types", *(sa.column(c) for c in (*_SCOPE, "resource_type")))
    events = sa.table("trail_events", sa.column("event_id"), sa.column("resources", sa.JSON()))
    by_event: dict[str, list[list[str]]] = defaultdict(list)
    kinds: dict[tuple[Any, ...], None] = {}
    named = []
    for row in conn.execute(sa.select(old).order_by(old.c.event_id, old.c.resource_type, old.c.resource_name)):
        scope = {c: row._mapping[c] for c in _SCOPE}
        by_event[row.event_id].append([row.resource_type, row.resource_name])
        named.append({**scope, "resource_name": row.resource_name})
        kinds[(*scope.values(), row.resource_type)] = None
    if named:
        conn.execute(names.insert(), named)
        conn.execute(types.insert(), [dict(zip((*_SCOPE, "resource_type"), kind)) for kind in kinds])
    for event_id, pairs in by_event.items():
        conn.execute(events.update().where(events.c.event_id == event_id).values(resources=pairs))
    op.drop_table("trail_resources")


def downgrade() -> None:
    op.create_table(
        "trail_resources",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("resource_type", sa.String(length=64), nullable=False),
        sa.Column("resource_name", sa.String(length=2048), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("event_time", sa.Float(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "resource_type", "resource_name"),
    )
    op.create_index("ix_trail_resources_type", "trail_resources",
                    ["account_id", "region", "resource_type", "event_time", "seq"])
    op.create_index("ix_trail_resources_name", "trail_resources",
                    ["account_id", "region", "resource_name", "event_time", "seq"])
    op.create_index("ix_trail_resources_time", "trail_resources", ["event_time"])
    op.drop_table("trail_resource_types")
    op.drop_table("trail_resource_names")
    op.drop_column("trail_events", "resources")
