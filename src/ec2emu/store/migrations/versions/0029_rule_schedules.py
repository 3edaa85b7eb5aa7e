"""Scheduled EventBridge rules: a rule's schedule expression and when it next falls due
(indexed, for the settler's earliest-due read).

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_rules") as batch:
        batch.add_column(sa.Column("schedule_expression", sa.String(length=256), nullable=True))
        batch.add_column(sa.Column("next_fire_at", sa.Float(), nullable=True))
    op.create_index("ix_event_rules_next_fire", "event_rules", ["next_fire_at"])


def downgrade() -> None:
    op.drop_index("ix_event_rules_next_fire", table_name="event_rules")
    with op.batch_alter_table("event_rules") as batch:
        batch.drop_column("next_fire_at")
        batch.drop_column("schedule_expression")
