"""The launch templates' tables, on the one metadata of :mod:`ec2emu.store.schema` (which
names them too, as ``schema.launch_templates`` and ``schema.launch_template_versions``).

A template is a row per account and region, its name unique there; each version is a row
of its own, numbered from 1 and never renumbered, holding the template data as the
caller gave it (JSON text, AWS's member names: the store neither reads nor checks it).
A template's ``latest_version`` is its highest version that exists (``$Latest``);
``issued_version`` the highest number it has ever issued, kept when that version is
deleted, so numbers are never reused.
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

# Launch templates (migration 0018; see services/ec2/launch_templates).
launch_templates = sa.Table(
    "launch_templates",
    metadata,
    sa.Column("launch_template_id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("launch_template_name", sa.String(128), nullable=False),
    sa.Column("created_by", sa.String(2048), nullable=False),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Column("default_version", sa.Integer, nullable=False),
    sa.Column("latest_version", sa.Integer, nullable=False),
    sa.Column("issued_version", sa.Integer, nullable=False),
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Index("ux_launch_templates_scope_name", "account_id", "region", "launch_template_name", unique=True),
    sa.Index("ix_launch_templates_scope_id", "account_id", "region", "launch_template_id"),
    sa.Index("ix_launch_templates_scope_create_time", "account_id", "region", "create_time"),
    sa.Index("ix_launch_templates_scope_token", "account_id", "region", "client_token"),
)

launch_template_versions = sa.Table(
    "launch_template_versions",
    metadata,
    sa.Column("launch_template_id", sa.String(32), primary_key=True),
    sa.Column("version_number", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("version_description", sa.String(255), nullable=True),
    sa.Column("created_by", sa.String(2048), nullable=False),
    sa.Column("create_time", sa.Float, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Index("ix_launch_template_versions_token", "launch_template_id", "client_token"),
)
