"""The event outbox: every EC2 and EBS event emitted, and every event PutEvents
accepted (kept whole, as JSON), once, in sequence order
(:mod:`ec2emu.store.outbox_schema`); a copied snapshot keeps its source's ARN, which its
completion event names.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("time", sa.Float(), nullable=False),
        sa.Column("notification", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=True),
        sa.Column("event", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("start_time", sa.Float(), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("body", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_account_seq", "events", ["account_id", "seq"])
    op.add_column("snapshots", sa.Column("copied_from", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("copied_from")
    op.drop_index("ix_events_account_seq", table_name="events")
    op.drop_table("events")
