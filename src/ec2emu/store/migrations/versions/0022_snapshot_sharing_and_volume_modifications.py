"""Snapshots can be shared and volumes modified (:mod:`ec2emu.store.ebs_schema`).

- ``snapshot_permissions``: a snapshot's create-volume permissions, one row per grantee
  (an account ID or ``all``), read by grantee through ``ix_snapshot_permissions_grantee``.
- ``volume_modifications``: each volume's latest modification, timed like every
  lifecycle row (``state``, ``due_at``), with its original and target values.
- ``snapshot_tiers``: a snapshot's last archive or restore operation, timed (``status``,
  ``due_at``).
- ``volumes.client_token``: CreateVolume's idempotency token (``ix_volumes_scope_token``).

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_SCOPED = ("state", "target_size", "target_type", "target_iops", "target_throughput", "original_size",
           "original_type", "original_iops", "original_throughput", "target_multi_attach", "original_multi_attach")
_COLUMN = {"target_type": "target_volume_type", "original_type": "original_volume_type"}


def upgrade() -> None:
    with op.batch_alter_table("volumes") as batch:
        batch.add_column(sa.Column("client_token", sa.String(length=64), nullable=True))
    op.create_index("ix_volumes_scope_token", "volumes", ["account_id", "region", "client_token"])
    op.create_table(
        "snapshot_permissions",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("grantee", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("snapshot_id", "grantee"),
    )
    op.create_index("ix_snapshot_permissions_grantee", "snapshot_permissions", ["grantee", "snapshot_id"])
    op.create_table(
        "volume_modifications",
        sa.Column("volume_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.Float(), nullable=True),
        sa.Column("start_time", sa.Float(), nullable=False),
        sa.Column("end_time", sa.Float(), nullable=False),
        sa.Column("original_size", sa.Integer(), nullable=False),
        sa.Column("original_volume_type", sa.String(length=16), nullable=False),
        sa.Column("original_iops", sa.Integer(), nullable=True),
        sa.Column("original_throughput", sa.Integer(), nullable=True),
        sa.Column("original_multi_attach", sa.Boolean(), nullable=False),
        sa.Column("target_size", sa.Integer(), nullable=False),
        sa.Column("target_volume_type", sa.String(length=16), nullable=False),
        sa.Column("target_iops", sa.Integer(), nullable=True),
        sa.Column("target_throughput", sa.Integer(), nullable=True),
        sa.Column("target_multi_attach", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("volume_id"),
    )
    op.create_index("ix_volume_modifications_scope_id", "volume_modifications",
                    ["account_id", "region", "volume_id"])
    for name in _SCOPED:
        op.create_index(f"ix_volume_modifications_scope_{name}", "volume_modifications",
                        ["account_id", "region", _COLUMN.get(name, name)])
    op.create_index("ix_volume_modifications_due", "volume_modifications", ["due_at"])
    op.create_table(
        "snapshot_tiers",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("volume_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.Float(), nullable=True),
        sa.Column("tiering_start_time", sa.Float(), nullable=False),
        sa.Column("archival_complete_time", sa.Float(), nullable=True),
        sa.Column("restore_start_time", sa.Float(), nullable=True),
        sa.Column("restore_expiry_time", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("snapshot_id"),
    )
    for name, column in (("id", "snapshot_id"), ("volume", "volume_id"), ("status", "status")):
        op.create_index(f"ix_snapshot_tiers_scope_{name}", "snapshot_tiers", ["account_id", "region", column])
    op.create_index("ix_snapshot_tiers_due", "snapshot_tiers", ["due_at"])


def downgrade() -> None:
    op.drop_table("snapshot_tiers")
    op.drop_table("volume_modifications")
    op.drop_table("snapshot_permissions")
    op.drop_index("ix_volumes_scope_token", table_name="volumes")
    with op.batch_alter_table("volumes") as batch:
        batch.drop_column("client_token")
