"""Retention of events and their deliveries: an index on the outbox's event times and
one on the deliveries' status and end, for the deletes of what is past its time.

Revision ID: 0030
Revises: 0029
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_time", "events", ["time"], unique=False)
    op.create_index("ix_event_deliveries_ended", "event_deliveries", ["status", "ended_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_deliveries_ended", table_name="event_deliveries")
    op.drop_index("ix_events_time", table_name="events")
