"""EC2 key pairs get a table: one row per pair, per account and region, holding the
public key in OpenSSH form, its fingerprint and type — never a private key.

Indexes serve the look-ups and filters of DescribeKeyPairs, DeleteKeyPair and
RunInstances: by name (unique in a scope: two pairs of one account and region never
share a name), by ID, by fingerprint and by type.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_key_pairs_scope_id": ["account_id", "region", "key_pair_id"],
    "ix_key_pairs_scope_fingerprint": ["account_id", "region", "fingerprint"],
    "ix_key_pairs_scope_type": ["account_id", "region", "key_type"],
}


def upgrade() -> None:
    op.create_table(
        "key_pairs",
        sa.Column("key_pair_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("key_name", sa.String(length=255), nullable=False),
        sa.Column("key_type", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("create_time", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key_pair_id"),
    )
    op.create_index("ux_key_pairs_scope_name", "key_pairs", ["account_id", "region", "key_name"], unique=True)
    for name, columns in _INDEXES.items():
        op.create_index(name, "key_pairs", columns)


def downgrade() -> None:
    for name in (*_INDEXES, "ux_key_pairs_scope_name"):
        op.drop_index(name, table_name="key_pairs")
    op.drop_table("key_pairs")
