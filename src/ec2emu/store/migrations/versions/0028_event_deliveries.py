"""Delivery of events to rules' targets: the outbox's cursor for matching, and a row per
event and matched target with its attempts, due time, lease, status and last error
(indexed to find the due ones and list the dead letters).

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_delivery_cursor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "event_deliveries",
        sa.Column("id", _SEQUENCE, autoincrement=True, nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("event_bus", sa.String(length=256), nullable=False),
        sa.Column("rule_name", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("target_arn", sa.String(length=1600), nullable=False),
        sa.Column("dead_letter_arn", sa.String(length=1600), nullable=True),
        sa.Column("retry_policy", sa.JSON(), nullable=True),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("http_parameters", sa.JSON(), nullable=True),
        sa.Column("event_time", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("lease_until", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.String(length=1024), nullable=True),
        sa.Column("exhausted", sa.String(length=32), nullable=True),
        sa.Column("ended_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_event_deliveries_due", "event_deliveries", ["status", "next_at", "id"])
    op.create_index("ix_event_deliveries_dead", "event_deliveries", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_event_deliveries_dead", table_name="event_deliveries")
    op.drop_index("ix_event_deliveries_due", table_name="event_deliveries")
    op.drop_table("event_deliveries")
    op.drop_table("event_delivery_cursor")
