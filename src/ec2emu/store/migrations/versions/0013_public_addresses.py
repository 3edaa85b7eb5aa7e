"""Public IPv4 addresses: an instance's auto-assigned address, and Elastic IPs.

- ``instances.public_ip_on_launch``: whether the instance gets a public IPv4 address of
  Amazon's pool while it runs, decided at launch (its subnet's ``MapPublicIpOnLaunch``, or
  the launch's ``AssociatePublicIpAddress``). Instances stored before this revision keep
  the address they were shown, unless their subnet is a stored one that maps none.
- ``instances.public_ip_renewed_at``: when the instance's address was renewed other than
  by a start (an Elastic IP moved off it).
- ``elastic_ips``: one row per allocated address; ``public_ip`` unique everywhere; the
  association columns set while it is associated; each filter column indexed under the
  scope, and the instance column on its own (what an instance's view and its
  termination read).

Revision ID: 0013
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_SCOPE = ["account_id", "region"]


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("public_ip_on_launch", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("public_ip_renewed_at", sa.Float(), nullable=True))
    instances = sa.table("instances", sa.column("subnet_id"), sa.column("public_ip_on_launch"))
    subnets = sa.table("subnets", sa.column("subnet_id"), sa.column("map_public_ip_on_launch"))
    unmapped = sa.select(subnets.c.subnet_id).where(subnets.c.map_public_ip_on_launch == sa.false())
    op.get_bind().execute(instances.update().where(instances.c.subnet_id.not_in(unmapped))
                          .values(public_ip_on_launch=True))
    op.create_table(
        "elastic_ips",
        sa.Column("allocation_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("public_ip", sa.String(length=15), nullable=False),
        sa.Column("domain", sa.String(length=16), nullable=False),
        sa.Column("network_border_group", sa.String(length=64), nullable=False),
        sa.Column("allocate_time", sa.Float(), nullable=False),
        sa.Column("association_id", sa.String(length=32), nullable=True),
        sa.Column("instance_id", sa.String(length=32), nullable=True),
        sa.Column("network_interface_id", sa.String(length=32), nullable=True),
        sa.Column("network_interface_owner_id", sa.String(length=12), nullable=True),
        sa.Column("private_ip", sa.String(length=15), nullable=True),
        sa.PrimaryKeyConstraint("allocation_id"),
    )
    op.create_index("ux_elastic_ips_public_ip", "elastic_ips", ["public_ip"], unique=True)
    op.create_index("ix_elastic_ips_instance", "elastic_ips", ["instance_id"])
    for name, column in (("id", "allocation_id"), ("public_ip", "public_ip"), ("association", "association_id"),
                         ("instance", "instance_id"), ("interface", "network_interface_id"),
                         ("interface_owner", "network_interface_owner_id"), ("private_ip", "private_ip"),
                         ("domain", "domain"), ("border_group", "network_border_group")):
        op.create_index(f"ix_elastic_ips_scope_{name}", "elastic_ips", [*_SCOPE, column])


def downgrade() -> None:
    op.drop_table("elastic_ips")
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("public_ip_renewed_at")
        batch.drop_column("public_ip_on_launch")
