"""The tables of EBS sharing, modifications and archive tiers, on the one metadata of
:mod:`ec2emu.store.schema` (which names them too, as ``schema.snapshot_permissions`` and
so on). Migration 0022.

- ``snapshot_permissions``: who may create volumes from a snapshot: one row per grantee,
  an account ID or ``all`` (public). The grantee index serves "shared with me".
- ``volume_modifications``: the latest modification of each volume (AWS lists the most
  recent one per volume), its Original*/Target* values, and its state on the clock
  (``modifying`` → ``optimizing`` → ``completed``; ``due_at`` ends the current one).
- ``snapshot_tiers``: a snapshot's archive tier and its last tiering operation, once one
  has been asked for: ``status`` is the operation's status (``archival-in-progress`` and
  so on), timed by ``due_at``; ``storage_tier`` is ``archive`` or ``standard``.
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

snapshot_permissions = sa.Table(
    "snapshot_permissions",
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("grantee", sa.String(12), primary_key=True),
    sa.Index("ix_snapshot_permissions_grantee", "grantee", "snapshot_id"),
)

volume_modifications = sa.Table(
    "volume_modifications",
    metadata,
    sa.Column("volume_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("due_at", sa.Float, nullable=True),
    sa.Column("start_time", sa.Float, nullable=False),
    sa.Column("end_time", sa.Float, nullable=False),  # when ``completed`` is reached
    sa.Column("original_size", sa.Integer, nullable=False),
    sa.Column("original_volume_type", sa.String(16), nullable=False),
    sa.Column("original_iops", sa.Integer, nullable=True),
    sa.Column("original_throughput", sa.Integer, nullable=True),
    sa.Column("original_multi_attach", sa.Boolean, nullable=False),
    sa.Column("target_size", sa.Integer, nullable=False),
    sa.Column("target_volume_type", sa.String(16), nullable=False),
    sa.Column("target_iops", sa.Integer, nullable=True),
    sa.Column("target_throughput", sa.Integer, nullable=True),
    sa.Column("target_multi_attach", sa.Boolean, nullable=False),
    sa.Index("ix_volume_modifications_scope_id", "account_id", "region", "volume_id"),
    sa.Index("ix_volume_modifications_scope_state", "account_id", "region", "state"),
    sa.Index("ix_volume_modifications_scope_target_size", "account_id", "region", "target_size"),
    sa.Index("ix_volume_modifications_scope_target_type", "account_id", "region", "target_volume_type"),
    sa.Index("ix_volume_modifications_scope_target_iops", "account_id", "region", "target_iops"),
    sa.Index("ix_volume_modifications_scope_target_throughput", "account_id", "region", "target_throughput"),
    sa.Index("ix_volume_modifications_scope_original_size", "account_id", "region", "original_size"),
    sa.Index("ix_volume_modifications_scope_original_type", "account_id", "region", "original_volume_type"),
    sa.Index("ix_volume_modifications_scope_original_iops", "account_id", "region", "original_iops"),
    sa.Index("ix_volume_modifications_scope_original_throughput", "account_id", "region",
             "original_throughput"),
    sa.Index("ix_volume_modifications_scope_target_multi_attach", "account_id", "region", "target_multi_attach"),
    sa.Index("ix_volume_modifications_scope_original_multi_attach", "account_id", "region",
             "original_multi_attach"),
    sa.Index("ix_volume_modifications_due", "due_at"),
)

snapshot_tiers = sa.Table(
    "snapshot_tiers",
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("volume_id", sa.String(32), nullable=True),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("due_at", sa.Float, nullable=True),
    sa.Column("tiering_start_time", sa.Float, nullable=False),
    sa.Column("archival_complete_time", sa.Float, nullable=True),
    sa.Column("restore_start_time", sa.Float, nullable=True),
    sa.Column("restore_expiry_time", sa.Float, nullable=True),
    sa.Index("ix_snapshot_tiers_scope_id", "account_id", "region", "snapshot_id"),
    sa.Index("ix_snapshot_tiers_scope_volume", "account_id", "region", "volume_id"),
    sa.Index("ix_snapshot_tiers_scope_status", "account_id", "region", "status"),
    sa.Index("ix_snapshot_tiers_due", "due_at"),
)
