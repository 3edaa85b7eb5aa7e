"""Tags belong to an account and region: the key becomes (account, region, resource, key).

Two accounts can tag the same shared resource (a public image) with the same key
without touching each other's tags.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = "account_id, region, resource_id, key, value, resource_type"


def _create(name: str, primary_key: list[str]) -> None:
    op.create_table(
        name,
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint(*primary_key),
    )


def _indexes(with_resource: bool) -> None:
    # With resource_id in them these indexes cover tag look-ups, so the planner prefers
    # them to the primary key, which would walk every tag of the account and region.
    key_value = ["account_id", "region", "key", "value"]
    value = ["account_id", "region", "value"]
    if with_resource:
        key_value.append("resource_id")
        value.append("resource_id")
    op.create_index("ix_tags_scope_key_value", "tags", key_value)
    op.create_index("ix_tags_scope_value", "tags", value)
    op.create_index("ix_tags_scope_type", "tags", ["account_id", "region", "resource_type"])
    if with_resource:
        op.create_index("ix_tags_resource", "tags", ["resource_id"])


def _swap(primary_key: list[str], with_resource: bool) -> None:
    _create("tags_next", primary_key)
    op.execute(f"INSERT INTO tags_next ({_COLUMNS}) SELECT {_COLUMNS} FROM tags")
    op.drop_table("tags")
    op.rename_table("tags_next", "tags")
    _indexes(with_resource)


def upgrade() -> None:
    _swap(["account_id", "region", "resource_id", "key"], with_resource=True)


def downgrade() -> None:
    _swap(["resource_id", "key"], with_resource=False)
