"""On SQLite, the outbox's events are found by resource through an FTS5 index of names
(``event_history_index``) instead of ``ix_events_resource_seq``, which PostgreSQL keeps:
each stored event about a resource becomes a document of its own (``rowid`` its ``seq``,
one token of its account and resource).

Revision ID: 0034
Revises: 0033
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

INDEX = "event_history_index"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.drop_index("ix_events_resource_seq", table_name="events")
    conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {INDEX} USING fts5(tokens, detail=none, columnsize=0, "
                         "tokenize='ascii')")
    events = sa.table("events", sa.column("seq"), sa.column("account_id"), sa.column("resource_id"))
    documents = [(seq, hashlib.blake2b(f"{account}\n{resource}".encode(), digest_size=8).hexdigest())
                 for seq, account, resource in conn.execute(
                     sa.select(events).where(events.c.resource_id.is_not(None)).order_by(events.c.seq))]
    if documents:
        conn.exec_driver_sql(f"INSERT INTO {INDEX}(rowid, tokens) VALUES (?, ?)", documents)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(f"DROP TABLE {INDEX}")
    op.create_index("ix_events_resource_seq", "events", ["resource_id", "seq"])
