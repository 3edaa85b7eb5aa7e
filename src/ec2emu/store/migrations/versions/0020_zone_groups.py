"""The zone groups an account has opted in to get a table: one row per account, Region
and Local or Wavelength Zone group (ModifyAvailabilityZoneGroup); its primary key serves
the one look-up, an account's groups in a Region.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zone_group_opt_ins",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("group_name", sa.String(length=64), nullable=False),
        sa.Column("opted_in_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region", "group_name"),
    )


def downgrade() -> None:
    op.drop_table("zone_group_opt_ins")
