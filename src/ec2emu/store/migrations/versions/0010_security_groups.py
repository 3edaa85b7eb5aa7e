"""Security groups become stored resources, with their rules.

- ``security_group_scopes``: the account-regions whose groups are stored. Until a
  scope's first security-group write, each of its VPCs' default groups is derived (a
  stable ID, AWS's default rules), as before this revision; the first write stores them
  with those same IDs.
- ``security_groups``: each filter column indexed under the scope; a name is unique per
  VPC case-insensitively (``ux_security_groups_vpc_name`` on the lower-cased
  ``name_key``).
- ``security_group_rules``: one row per rule (one peer each), read by group
  (``ix_security_group_rules_group``), by ID under the scope, and by the group a rule
  refers to (``ix_security_group_rules_referenced``: what DeleteSecurityGroup checks).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_SCOPE = ["account_id", "region"]


def upgrade() -> None:
    op.create_table(
        "security_group_scopes",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region"),
    )
    op.create_table(
        "security_groups",
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=32), nullable=False),
        sa.Column("group_name", sa.String(length=255), nullable=False),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )
    for name, column in (("id", "group_id"), ("vpc", "vpc_id"), ("name", "group_name"),
                         ("description", "description")):
        op.create_index(f"ix_security_groups_scope_{name}", "security_groups", [*_SCOPE, column])
    op.create_index("ux_security_groups_vpc_name", "security_groups", ["vpc_id", "name_key"], unique=True)
    op.create_table(
        "security_group_rules",
        sa.Column("rule_id", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("is_egress", sa.Boolean(), nullable=False),
        sa.Column("ip_protocol", sa.String(length=16), nullable=False),
        sa.Column("from_port", sa.Integer(), nullable=False),
        sa.Column("to_port", sa.Integer(), nullable=False),
        sa.Column("cidr_ipv4", sa.String(length=43), nullable=True),
        sa.Column("cidr_ipv6", sa.String(length=64), nullable=True),
        sa.Column("prefix_list_id", sa.String(length=32), nullable=True),
        sa.Column("referenced_group_id", sa.String(length=32), nullable=True),
        sa.Column("referenced_user_id", sa.String(length=12), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("rule_id"),
    )
    op.create_index("ix_security_group_rules_group", "security_group_rules", ["group_id", "is_egress", "rule_id"])
    op.create_index("ix_security_group_rules_scope_id", "security_group_rules", [*_SCOPE, "rule_id"])
    op.create_index("ix_security_group_rules_scope_group", "security_group_rules", [*_SCOPE, "group_id"])
    op.create_index("ix_security_group_rules_referenced", "security_group_rules",
                    ["referenced_group_id", "group_id"])


def downgrade() -> None:
    op.drop_table("security_group_rules")
    op.drop_table("security_groups")
    op.drop_table("security_group_scopes")
