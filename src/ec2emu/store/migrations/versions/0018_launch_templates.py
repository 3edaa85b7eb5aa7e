"""Launch templates get two tables: one row per template (per account and region, its
name unique there) holding its default and latest version numbers, and one row per
version holding the template data as given (JSON text).

Indexes serve the look-ups of every launch-template call and RunInstances: by ID and by
name in a scope, DescribeLaunchTemplates' ``create-time`` filter, a repeated ``ClientToken``,
and a template's versions by number (the versions' primary key) or token.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "launch_templates",
        sa.Column("launch_template_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("launch_template_name", sa.String(length=128), nullable=False),
        sa.Column("created_by", sa.String(length=2048), nullable=False),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.Column("default_version", sa.Integer(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("issued_version", sa.Integer(), nullable=False),
        sa.Column("client_token", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("launch_template_id"),
    )
    op.create_index("ux_launch_templates_scope_name", "launch_templates",
                    ["account_id", "region", "launch_template_name"], unique=True)
    op.create_index("ix_launch_templates_scope_id", "launch_templates",
                    ["account_id", "region", "launch_template_id"])
    op.create_index("ix_launch_templates_scope_create_time", "launch_templates",
                    ["account_id", "region", "create_time"])
    op.create_index("ix_launch_templates_scope_token", "launch_templates", ["account_id", "region", "client_token"])
    op.create_table(
        "launch_template_versions",
        sa.Column("launch_template_id", sa.String(length=32), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("version_description", sa.String(length=255), nullable=True),
        sa.Column("created_by", sa.String(length=2048), nullable=False),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("client_token", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("launch_template_id", "version_number"),
    )
    op.create_index("ix_launch_template_versions_token", "launch_template_versions",
                    ["launch_template_id", "client_token"])


def downgrade() -> None:
    op.drop_index("ix_launch_template_versions_token", table_name="launch_template_versions")
    op.drop_table("launch_template_versions")
    for name in ("ix_launch_templates_scope_token", "ix_launch_templates_scope_create_time",
                 "ix_launch_templates_scope_id", "ux_launch_templates_scope_name"):
        op.drop_index(name, table_name="launch_templates")
    op.drop_table("launch_templates")
