"""Systems Manager parameters get tables: each parameter's latest version (and its tags)
per account and region, and every version kept.

Revision ID: 0019
Revises: 0018
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _version_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("parameter_type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("data_type", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=1024), nullable=False),
        sa.Column("allowed_pattern", sa.String(length=1024), nullable=True),
        sa.Column("tier", sa.String(length=32), nullable=False),
        sa.Column("last_modified", sa.Float(), nullable=False),
        sa.Column("last_modified_user", sa.String(length=1024), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "ssm_parameters",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=2048), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_version_columns(),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region", "name"),
    )
    op.create_table(
        "ssm_parameter_versions",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=2048), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_version_columns(),
        sa.PrimaryKeyConstraint("account_id", "region", "name", "version"),
    )


def downgrade() -> None:
    op.drop_table("ssm_parameter_versions")
    op.drop_table("ssm_parameters")
