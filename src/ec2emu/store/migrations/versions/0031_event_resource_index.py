"""The outbox's events of one resource, newest first, by index: an instance's state
history (``ix_events_resource_seq``).

Revision ID: 0031
Revises: 0030
"""

from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_resource_seq", "events", ["resource_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_events_resource_seq", table_name="events")
