"""The public IPv4 address of Amazon's pool an instance holds is stored, unique across
every account and region (``instances.public_ip``, :mod:`ec2emu.store.public_ips`).

An instance stored before this revision that holds one (it maps one, is in a VPC,
``pending``, ``running`` or ``shutting-down``, and has no Elastic IP on its primary
private address) gets the address it was shown, a hash of its ID, launch time and
``public_ip_renewed_at``; where two were shown the same, the one launched later (then by
ID) gets the next candidate of its sequence. ``public_ip_renewed_at`` is dropped: the
address is stored, the moment it was renewed no longer computes it.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

from ec2emu.lifecycle.machines import PENDING, RUNNING, SHUTTING_DOWN
from ec2emu.store.public_ips import choose, run_seed

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("public_ip", sa.String(length=15), nullable=True))
    op.create_index("ux_instances_public_ip", "instances", ["public_ip"], unique=True)
    instances = sa.table("instances", sa.column("instance_id"), sa.column("launch_time"), sa.column("state"),
                         sa.column("vpc_id"), sa.column("private_ip"), sa.column("public_ip_on_launch"),
                         sa.column("public_ip_renewed_at"), sa.column("public_ip"))
    addresses = sa.table("elastic_ips", sa.column("instance_id"), sa.column("private_ip"))
    elastic = sa.exists().where(addresses.c.instance_id == instances.c.instance_id,
                                addresses.c.private_ip == instances.c.private_ip)
    bind = op.get_bind()
    holding = bind.execute(
        sa.select(instances.c.instance_id, instances.c.launch_time, instances.c.public_ip_renewed_at)
        .where(instances.c.public_ip_on_launch.is_(True), instances.c.vpc_id.is_not(None),
               instances.c.state.in_((PENDING, RUNNING, SHUTTING_DOWN)), ~elastic)
        .order_by(instances.c.launch_time, instances.c.instance_id)).all()
    chosen = choose({row.instance_id: run_seed(row.instance_id, row.launch_time, row.public_ip_renewed_at)
                     for row in holding}, lambda _: set())
    if chosen:
        bind.execute(instances.update().where(instances.c.instance_id == sa.bindparam("b_id"))
                     .values(public_ip=sa.bindparam("b_ip")),
                     [{"b_id": instance_id, "b_ip": ip} for instance_id, ip in chosen.items()])
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("public_ip_renewed_at")


def downgrade() -> None:
    """The stored addresses are dropped; instances show the hash of their run again."""
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("public_ip_renewed_at", sa.Float(), nullable=True))
    op.drop_index("ux_instances_public_ip", table_name="instances")
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("public_ip")
