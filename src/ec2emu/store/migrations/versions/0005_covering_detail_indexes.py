"""The indexes through which an instance's details are read cover them.

DescribeInstances reads each instance's tags (by resource) and attached volumes (by
instance) in correlated subqueries. With the columns those read in the index, each is
answered from the index alone, without a look-up of every row in its table: the tags'
``ix_tags_resource`` becomes (resource, account, region, key, value) and the volumes'
``ix_volumes_instance`` (instance, device, volume, attach time, delete on termination,
attachment state). Both still lead with the column the look-ups by resource or by
instance use.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TAGS = ["resource_id", "account_id", "region", "key", "value"]
VOLUMES = ["instance_id", "device", "volume_id", "attach_time", "delete_on_termination", "attachment_state"]


def _replace(table: str, name: str, columns: list[str]) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns)


def upgrade() -> None:
    _replace("tags", "ix_tags_resource", TAGS)
    _replace("volumes", "ix_volumes_instance", VOLUMES)


def downgrade() -> None:
    _replace("tags", "ix_tags_resource", TAGS[:1])
    _replace("volumes", "ix_volumes_instance", VOLUMES[:1])
