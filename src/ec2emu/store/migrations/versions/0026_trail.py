"""CloudTrail's event history gets tables: the recorded events per account and region,
indexed by each attribute LookupEvents looks up by and by time, and the resources each
event names.

Revision ID: 0026
Revises: 0025
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_ORDER = ["event_time", "seq"]
_ATTRIBUTES = ["event_name", "username", "access_key_id", "read_only", "event_source"]


def _scope() -> list[sa.Column[Any]]:
    return [
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("event_time", sa.Float(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "trail_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        *_scope(),
        sa.Column("event_name", sa.String(length=128), nullable=False),
        sa.Column("event_source", sa.String(length=128), nullable=False),
        sa.Column("username", sa.String(length=128), nullable=False),
        sa.Column("access_key_id", sa.String(length=128), nullable=False),
        sa.Column("read_only", sa.Boolean(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_trail_events_scope", "trail_events", ["account_id", "region", *_ORDER])
    for column in _ATTRIBUTES:
        op.create_index(f"ix_trail_events_{column}", "trail_events", ["account_id", "region", column, *_ORDER])
    op.create_index("ix_trail_events_time", "trail_events", ["event_time"])
    op.create_table(
        "trail_resources",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("resource_type", sa.String(length=64), nullable=False),
        sa.Column("resource_name", sa.String(length=2048), nullable=False),
        *_scope(),
        sa.PrimaryKeyConstraint("event_id", "resource_type", "resource_name"),
    )
    op.create_index("ix_trail_resources_type", "trail_resources", ["account_id", "region", "resource_type", *_ORDER])
    op.create_index("ix_trail_resources_name", "trail_resources", ["account_id", "region", "resource_name", *_ORDER])
    op.create_index("ix_trail_resources_time", "trail_resources", ["event_time"])


def downgrade() -> None:
    op.drop_table("trail_resources")
    op.drop_table("trail_events")
