"""A table that holds no rows, locked by every writer: one writer at a time.

On PostgreSQL a transaction that writes begins with ``LOCK TABLE write_lock IN EXCLUSIVE
MODE`` (see ``ec2emu.store.repository``). A lock on a table, unlike an advisory lock
taken by a ``SELECT``, is taken before the transaction's snapshot, so a writer that
waited sees every change the writer before it committed.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("write_lock", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("write_lock")
