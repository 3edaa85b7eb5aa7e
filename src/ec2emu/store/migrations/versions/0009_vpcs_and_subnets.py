"""VPCs, their CIDR blocks and subnets become stored resources; a subnet's addresses are
read from an index.

- ``network_scopes``: the account-regions whose network is stored. Until its first write
  a scope's default VPC and default subnets are derived (stable IDs), as before this
  revision; the first write stores them with those same IDs.
- ``vpcs``, ``vpc_cidr_blocks`` (a VPC's IPv4 blocks, the primary one at position 0) and
  ``subnets``, each filter column indexed under the scope.
- ``instances``: ``ix_instances_subnet_addresses`` covers the addresses a subnet's
  instances hold as the clock shows them (``subnet_id``, ``private_ip``, ``state``,
  ``due_at``): counting them, and checking candidates for a launch, read the index alone.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SCOPE = ["account_id", "region"]


def upgrade() -> None:
    op.create_table(
        "network_scopes",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region"),
    )
    op.create_table(
        "vpcs",
        sa.Column("vpc_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("cidr_block", sa.String(length=43), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("instance_tenancy", sa.String(length=16), nullable=False),
        sa.Column("dhcp_options_id", sa.String(length=32), nullable=False),
        sa.Column("enable_dns_support", sa.Boolean(), nullable=False),
        sa.Column("enable_dns_hostnames", sa.Boolean(), nullable=False),
        sa.Column("enable_network_address_usage_metrics", sa.Boolean(), nullable=False),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("vpc_id"),
    )
    for name, column in (("id", "vpc_id"), ("cidr", "cidr_block"), ("default", "is_default")):
        op.create_index(f"ix_vpcs_scope_{name}", "vpcs", [*_SCOPE, column])
    op.create_table(
        "vpc_cidr_blocks",
        sa.Column("association_id", sa.String(length=48), nullable=False),
        sa.Column("vpc_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("cidr_block", sa.String(length=43), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("association_id"),
    )
    op.create_index("ix_vpc_cidr_blocks_vpc", "vpc_cidr_blocks", ["vpc_id", "position"])
    for name, column in (("cidr", "cidr_block"), ("state", "state")):
        op.create_index(f"ix_vpc_cidr_blocks_scope_{name}", "vpc_cidr_blocks", [*_SCOPE, column, "vpc_id"])
    op.create_table(
        "subnets",
        sa.Column("subnet_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=32), nullable=False),
        sa.Column("availability_zone", sa.String(length=32), nullable=False),
        sa.Column("availability_zone_id", sa.String(length=32), nullable=False),
        sa.Column("cidr_block", sa.String(length=43), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("default_for_az", sa.Boolean(), nullable=False),
        sa.Column("map_public_ip_on_launch", sa.Boolean(), nullable=False),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("subnet_id"),
    )
    for name, column in (("id", "subnet_id"), ("vpc", "vpc_id"), ("zone", "availability_zone"),
                         ("zone_id", "availability_zone_id"), ("cidr", "cidr_block"),
                         ("default", "default_for_az"), ("public", "map_public_ip_on_launch")):
        op.create_index(f"ix_subnets_scope_{name}", "subnets", [*_SCOPE, column])
    op.create_index("ix_instances_subnet_addresses", "instances", ["subnet_id", "private_ip", "state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_instances_subnet_addresses", table_name="instances")
    op.drop_table("subnets")
    op.drop_table("vpc_cidr_blocks")
    op.drop_table("vpcs")
    op.drop_table("network_scopes")
