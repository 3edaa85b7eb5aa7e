"""Elastic IPs name the network interface they are associated through: an address stored
associated with an instance before this revision gets the instance's primary interface
(device index 0) as ``network_interface_id``. No schema change.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    addresses = sa.table("elastic_ips", sa.column("instance_id"), sa.column("network_interface_id"))
    interfaces = sa.table("network_interfaces", sa.column("network_interface_id"), sa.column("instance_id"),
                          sa.column("device_index"))
    primary = (sa.select(interfaces.c.network_interface_id)
               .where(interfaces.c.instance_id == addresses.c.instance_id, interfaces.c.device_index == 0)
               .scalar_subquery())
    op.get_bind().execute(addresses.update()
                          .where(addresses.c.instance_id.is_not(None), addresses.c.network_interface_id.is_(None))
                          .values(network_interface_id=primary))


def downgrade() -> None:
    """Nothing to undo: the column was there before."""
