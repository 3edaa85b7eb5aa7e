"""Images are shared, copied and deprecated.

- ``image_launch_permissions``: an image's grantees (account IDs, or ``all``), by
  grantee (``ix_image_launch_permissions_grantee``).
- ``images`` gains ``deprecation_time``, ``last_launched_time``, ``source_image_id`` and ``source_image_region``
  (a copy's source), ``client_token`` (CopyImage's, indexed under the scope) and
  ``attributes`` (JSON). Images stored before keep them empty: private, never deprecated,
  no source, never launched.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "image_launch_permissions",
        sa.Column("image_id", sa.String(length=32), nullable=False),
        sa.Column("grantee", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("image_id", "grantee"),
    )
    op.create_index("ix_image_launch_permissions_grantee", "image_launch_permissions", ["grantee", "image_id"])
    with op.batch_alter_table("images") as batch:
        batch.add_column(sa.Column("deprecation_time", sa.Float(), nullable=True))
        batch.add_column(sa.Column("last_launched_time", sa.Float(), nullable=True))
        batch.add_column(sa.Column("source_image_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("source_image_region", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("client_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("attributes", sa.JSON(), nullable=True))
    op.create_index("ix_images_scope_token", "images", ["account_id", "region", "client_token"])


def downgrade() -> None:
    op.drop_index("ix_images_scope_token", table_name="images")
    with op.batch_alter_table("images") as batch:
        for column in ("attributes", "client_token", "source_image_region", "source_image_id", "last_launched_time",
                       "deprecation_time"):
            batch.drop_column(column)
    op.drop_index("ix_image_launch_permissions_grantee", table_name="image_launch_permissions")
    op.drop_table("image_launch_permissions")
