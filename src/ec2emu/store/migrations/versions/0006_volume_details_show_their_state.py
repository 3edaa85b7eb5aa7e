"""The index an instance's attached volumes are read through also covers their state.

A reader shows a volume as the clock implies (``ec2emu.store.shown``): whether its
detachment is over depends on its ``state`` and ``due_at``. With both in the volumes'
``ix_volumes_instance``, an instance's attached volumes are still read from the index
alone.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BEFORE = ["instance_id", "device", "volume_id", "attach_time", "delete_on_termination", "attachment_state"]
AFTER = [*BEFORE, "state", "due_at"]


def _replace(columns: list[str]) -> None:
    op.drop_index("ix_volumes_instance", table_name="volumes")
    op.create_index("ix_volumes_instance", "volumes", columns)


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)
