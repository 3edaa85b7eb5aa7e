"""The options a launch sets on an instance: tenancy, CPU credits, kernel and ramdisk,
detailed monitoring and the instance metadata options (the last two each with a timed
state and its own due time, ``lifecycle/machines.py``).

Instances stored before this revision read as they were shown: ``default`` tenancy,
monitoring ``disabled``, metadata options ``required`` / 2 / ``enabled`` / ``disabled`` /
``disabled``, ``applied``; no CPU credits, kernel or ramdisk recorded.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_FILTERED = ("tenancy", "monitoring_state", "http_tokens", "http_put_response_hop_limit", "http_endpoint",
             "instance_metadata_tags", "cpu_credits")


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("tenancy", sa.String(length=16), nullable=False, server_default="default"))
        batch.add_column(sa.Column("cpu_credits", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("kernel_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("ramdisk_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("monitoring_state", sa.String(length=16), nullable=False,
                                   server_default="disabled"))
        batch.add_column(sa.Column("monitoring_due_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("http_tokens", sa.String(length=16), nullable=False, server_default="required"))
        batch.add_column(sa.Column("http_put_response_hop_limit", sa.Integer(), nullable=False,
                                   server_default="2"))
        batch.add_column(sa.Column("http_endpoint", sa.String(length=16), nullable=False, server_default="enabled"))
        batch.add_column(sa.Column("http_protocol_ipv6", sa.String(length=16), nullable=False,
                                   server_default="disabled"))
        batch.add_column(sa.Column("instance_metadata_tags", sa.String(length=16), nullable=False,
                                   server_default="disabled"))
        batch.add_column(sa.Column("metadata_state", sa.String(length=16), nullable=False, server_default="applied"))
        batch.add_column(sa.Column("metadata_due_at", sa.Float(), nullable=True))
    for column in _FILTERED:
        op.create_index(f"ix_instances_scope_{column}", "instances", ["account_id", "region", column])
    op.create_index("ix_instances_monitoring_due", "instances", ["monitoring_due_at"])
    op.create_index("ix_instances_metadata_due", "instances", ["metadata_due_at"])


def downgrade() -> None:
    op.drop_index("ix_instances_metadata_due", table_name="instances")
    op.drop_index("ix_instances_monitoring_due", table_name="instances")
    for column in _FILTERED:
        op.drop_index(f"ix_instances_scope_{column}", table_name="instances")
    with op.batch_alter_table("instances") as batch:
        for column in ("metadata_due_at", "metadata_state", "instance_metadata_tags", "http_protocol_ipv6",
                       "http_endpoint", "http_put_response_hop_limit", "http_tokens", "monitoring_due_at",
                       "monitoring_state", "ramdisk_id", "kernel_id", "cpu_credits", "tenancy"):
            batch.drop_column(column)
