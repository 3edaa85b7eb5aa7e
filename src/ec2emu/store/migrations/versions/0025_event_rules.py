"""EventBridge's rules and their targets get tables: rules per account, region and event
bus by name (with an index finding a bus's rules by state), targets per rule by ID.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_rules",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("event_bus", sa.String(length=256), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("event_pattern", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=512), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region", "event_bus", "name"),
    )
    op.create_index("ix_event_rules_scope_state", "event_rules",
                    ["account_id", "region", "event_bus", "state", "name"])
    op.create_table(
        "event_targets",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("event_bus", sa.String(length=256), nullable=False),
        sa.Column("rule_name", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("arn", sa.String(length=1600), nullable=False),
        sa.Column("role_arn", sa.String(length=1600), nullable=True),
        sa.Column("input", sa.Text(), nullable=True),
        sa.Column("input_path", sa.String(length=256), nullable=True),
        sa.Column("input_transformer", sa.JSON(), nullable=True),
        sa.Column("retry_policy", sa.JSON(), nullable=True),
        sa.Column("dead_letter_arn", sa.String(length=1600), nullable=True),
        sa.PrimaryKeyConstraint("account_id", "region", "event_bus", "rule_name", "target_id"),
    )


def downgrade() -> None:
    op.drop_table("event_targets")
    op.drop_index("ix_event_rules_scope_state", table_name="event_rules")
    op.drop_table("event_rules")
