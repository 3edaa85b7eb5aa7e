"""IAM instance profiles get tables — the profiles, named per account like roles, and the
role each holds — and an instance its profile association: the association's ID, the
profile's ARN and ID and the association's time as columns of ``instances``, with an index serving look-ups by
association ID and the listing of a scope's associations.

Revision ID: 0014
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("iam_association_id", sa.String(length=32)),
    ("iam_instance_profile_arn", sa.String(length=1024)),
    ("iam_instance_profile_id", sa.String(length=32)),
    ("iam_association_time", sa.Float()),
)


def upgrade() -> None:
    op.create_table(
        "iam_instance_profiles",
        sa.Column("instance_profile_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("instance_profile_name", sa.String(length=128), nullable=False),
        sa.Column("name_key", sa.String(length=128), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("arn", sa.String(length=1024), nullable=False),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("instance_profile_id"),
    )
    op.create_index("ux_iam_instance_profiles_name", "iam_instance_profiles", ["account_id", "name_key"],
                    unique=True)
    op.create_table(
        "iam_instance_profile_roles",
        sa.Column("instance_profile_id", sa.String(length=32), nullable=False),
        sa.Column("role_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("instance_profile_id", "role_id"),
    )
    op.create_index("ix_iam_instance_profile_roles_role", "iam_instance_profile_roles",
                    ["role_id", "instance_profile_id"])
    with op.batch_alter_table("instances", schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_index("ix_instances_scope_iam_association", ["account_id", "region", "iam_association_id"])


def downgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_index("ix_instances_scope_iam_association")
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
    op.drop_index("ix_iam_instance_profile_roles_role", table_name="iam_instance_profile_roles")
    op.drop_table("iam_instance_profile_roles")
    op.drop_index("ux_iam_instance_profiles_name", table_name="iam_instance_profiles")
    op.drop_table("iam_instance_profiles")
