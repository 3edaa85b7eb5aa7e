"""Volumes get their timed states and attachment state; snapshots and the images that
use them get tables; every volume and snapshot filter gets an index.

- ``volumes``: throughput, multi_attach, kms_key_id, due_at (when the current timed
  state — creating, attaching, detaching, deleting — ends) and attachment_state
  (attaching, attached, detaching; NULL when not attached).
- ``instances``: instance_store_mappings, the launch's instance-store (ephemeral) and
  NoDevice mappings, which DescribeInstances does not show but CreateImage copies.
- ``snapshots``: one row per EBS snapshot, with due_at for pending→completed.
- ``image_snapshots``: which registered image uses which snapshot (a snapshot in use
  cannot be deleted).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_VOLUME_INDEXES = {
    "ix_volumes_scope_id": ["account_id", "region", "volume_id"],
    "ix_volumes_scope_zone": ["account_id", "region", "availability_zone"],
    "ix_volumes_scope_type": ["account_id", "region", "volume_type"],
    "ix_volumes_scope_size": ["account_id", "region", "size"],
    "ix_volumes_scope_snapshot": ["account_id", "region", "snapshot_id"],
    "ix_volumes_scope_encrypted": ["account_id", "region", "encrypted"],
    "ix_volumes_scope_multi_attach": ["account_id", "region", "multi_attach"],
    "ix_volumes_scope_create_time": ["account_id", "region", "create_time"],
    "ix_volumes_scope_instance": ["account_id", "region", "instance_id"],
    "ix_volumes_scope_device": ["account_id", "region", "device"],
    "ix_volumes_scope_attachment_state": ["account_id", "region", "attachment_state"],
    "ix_volumes_scope_attach_time": ["account_id", "region", "attach_time"],
    "ix_volumes_scope_delete_on_termination": ["account_id", "region", "delete_on_termination"],
    "ix_volumes_due": ["due_at"],
}

_SNAPSHOT_INDEXES = {
    "ix_snapshots_scope_id": ["account_id", "region", "snapshot_id"],
    "ix_snapshots_scope_state": ["account_id", "region", "state"],
    "ix_snapshots_scope_volume": ["account_id", "region", "volume_id"],
    "ix_snapshots_scope_volume_size": ["account_id", "region", "volume_size"],
    "ix_snapshots_scope_description": ["account_id", "region", "description"],
    "ix_snapshots_scope_encrypted": ["account_id", "region", "encrypted"],
    "ix_snapshots_scope_start_time": ["account_id", "region", "start_time"],
    "ix_snapshots_due": ["due_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("volumes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("throughput", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("multi_attach", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("kms_key_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("attachment_state", sa.String(length=16), nullable=True))
    # Volumes attached before this revision were attached for good.
    op.execute(
        "UPDATE volumes SET attachment_state = 'attached' WHERE instance_id IS NOT NULL"
    )
    with op.batch_alter_table("volumes", schema=None) as batch_op:
        for name, columns in _VOLUME_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)

    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instance_store_mappings", sa.JSON(), nullable=True))

    op.create_table(
        "snapshots",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("volume_id", sa.String(length=32), nullable=True),
        sa.Column("volume_size", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("kms_key_id", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("start_time", sa.Float(), nullable=False),
        sa.Column("due_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("snapshot_id"),
    )
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        for name, columns in _SNAPSHOT_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)

    op.create_table(
        "image_snapshots",
        sa.Column("image_id", sa.String(length=32), nullable=False),
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("image_id", "snapshot_id"),
    )
    op.create_index("ix_image_snapshots_snapshot", "image_snapshots", ["snapshot_id"])


def downgrade() -> None:
    op.drop_index("ix_image_snapshots_snapshot", table_name="image_snapshots")
    op.drop_table("image_snapshots")
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        for name in _SNAPSHOT_INDEXES:
            batch_op.drop_index(name)
    op.drop_table("snapshots")
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_column("instance_store_mappings")
    with op.batch_alter_table("volumes", schema=None) as batch_op:
        for name in _VOLUME_INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column("attachment_state")
        batch_op.drop_column("due_at")
        batch_op.drop_column("kms_key_id")
        batch_op.drop_column("multi_attach")
        batch_op.drop_column("throughput")
