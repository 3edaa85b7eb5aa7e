"""Event rules by state: whether any rule anywhere is enabled is one probe
(``ix_event_rules_state``), so event delivery passes over events with no rule to match
them without reading them.

Revision ID: 0035
Revises: 0034
"""

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_rules_state", "event_rules", ["state"])


def downgrade() -> None:
    op.drop_index("ix_event_rules_state", table_name="event_rules")
