"""Instances are found by launch time through an index: DescribeInstances'
``launch-time`` (and ``usage-operation-update-time``) filter, a value of which names a
millisecond or a second, reads a span of ``instances.launch_time`` in the scope.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_instances_scope_launch_time", "instances", ["account_id", "region", "launch_time"])


def downgrade() -> None:
    op.drop_index("ix_instances_scope_launch_time", table_name="instances")
