"""IAM, per account: users, their access keys, groups and membership, roles, customer
managed policies and their versions, inline policies, attachments of managed policies,
tags of users and roles, and STS sessions (temporary credentials).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "iam_users",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("arn", sa.String(length=1024), nullable=False),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index("ux_iam_users_name", "iam_users", ["account_id", "name_key"], unique=True)

    op.create_table(
        "iam_access_keys",
        sa.Column("access_key_id", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("secret_access_key", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("access_key_id"),
    )
    op.create_index("ix_iam_access_keys_user", "iam_access_keys", ["user_id", "access_key_id"])

    op.create_table(
        "iam_groups",
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("group_name", sa.String(length=128), nullable=False),
        sa.Column("name_key", sa.String(length=128), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("arn", sa.String(length=1024), nullable=False),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )
    op.create_index("ux_iam_groups_name", "iam_groups", ["account_id", "name_key"], unique=True)

    op.create_table(
        "iam_group_members",
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id"),
    )
    op.create_index("ix_iam_group_members_user", "iam_group_members", ["user_id", "group_id"])

    op.create_table(
        "iam_roles",
        sa.Column("role_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("role_name", sa.String(length=64), nullable=False),
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("arn", sa.String(length=1024), nullable=False),
        sa.Column("trust_policy", sa.Text(), nullable=False),
        sa.Column("max_session_duration", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("role_id"),
    )
    op.create_index("ux_iam_roles_name", "iam_roles", ["account_id", "name_key"], unique=True)

    op.create_table(
        "iam_policies",
        sa.Column("arn", sa.String(length=1024), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("policy_name", sa.String(length=128), nullable=False),
        sa.Column("name_key", sa.String(length=128), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("policy_id", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("default_version", sa.Integer(), nullable=False),
        sa.Column("next_version", sa.Integer(), nullable=False),
        sa.Column("attachment_count", sa.Integer(), nullable=False),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.Column("update_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("arn"),
    )
    op.create_index("ux_iam_policies_name", "iam_policies", ["account_id", "name_key"], unique=True)

    op.create_table(
        "iam_policy_versions",
        sa.Column("policy_arn", sa.String(length=1024), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("policy_arn", "version"),
    )

    op.create_table(
        "iam_inline_policies",
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("policy_name", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "policy_name"),
    )

    op.create_table(
        "iam_attachments",
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("policy_arn", sa.String(length=1024), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("owner_kind", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "policy_arn"),
    )
    op.create_index("ix_iam_attachments_policy", "iam_attachments", ["account_id", "policy_arn", "owner_id"])

    op.create_table(
        "iam_tags",
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "key"),
    )

    op.create_table(
        "iam_sessions",
        sa.Column("access_key_id", sa.String(length=32), nullable=False),
        sa.Column("secret_access_key", sa.String(length=128), nullable=False),
        sa.Column("session_token", sa.Text(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("role_name", sa.String(length=64), nullable=False),
        sa.Column("role_arn", sa.String(length=1024), nullable=False),
        sa.Column("role_id", sa.String(length=32), nullable=False),
        sa.Column("session_name", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("source_identity_arn", sa.String(length=1024), nullable=True),
        sa.Column("create_date", sa.Float(), nullable=False),
        sa.Column("session_policy", sa.Text(), nullable=True),
        sa.Column("session_policy_arns", sa.Text(), nullable=True),
        sa.Column("session_tags", sa.Text(), nullable=True),
        sa.Column("transitive_tag_keys", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("access_key_id"),
    )
    op.create_index("ix_iam_sessions_expires", "iam_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_iam_sessions_expires", table_name="iam_sessions")
    op.drop_table("iam_sessions")
    op.drop_table("iam_tags")
    op.drop_index("ix_iam_attachments_policy", table_name="iam_attachments")
    op.drop_table("iam_attachments")
    op.drop_table("iam_inline_policies")
    op.drop_table("iam_policy_versions")
    op.drop_index("ux_iam_policies_name", table_name="iam_policies")
    op.drop_table("iam_policies")
    op.drop_index("ux_iam_roles_name", table_name="iam_roles")
    op.drop_table("iam_roles")
    op.drop_index("ix_iam_group_members_user", table_name="iam_group_members")
    op.drop_table("iam_group_members")
    op.drop_index("ux_iam_groups_name", table_name="iam_groups")
    op.drop_table("iam_groups")
    op.drop_index("ix_iam_access_keys_user", table_name="iam_access_keys")
    op.drop_table("iam_access_keys")
    op.drop_index("ux_iam_users_name", table_name="iam_users")
    op.drop_table("iam_users")
