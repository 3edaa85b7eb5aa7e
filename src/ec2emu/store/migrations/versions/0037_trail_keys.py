"""The audit trail's events are keyed by their place in the order, ``seq`` (on SQLite the
``rowid``): ``ix_trail_events_seq`` goes, and ``event_id`` is no key. PostgreSQL indexes
``event_id`` instead; on SQLite the look-ups by ID and by attribute move from their
B-trees to the FTS5 index of names, where every event gets a document with a token for
its ID, one for each attribute (its key and value) and, as before, one per name.

Revision ID: 0037
Revises: 0036
"""

import hashlib
import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

INDEX = "trail_name_index"
ATTRIBUTES = ("event_name", "username", "access_key_id", "read_only", "event_source")
KEYS = {"EventName": "event_name", "Username": "username", "AccessKeyId": "access_key_id",
        "ReadOnly": "read_only", "EventSource": "event_source"}
ORDER = ("event_time", "seq")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
COLUMNS = ("event_id", "account_id", "region", "event_time", "seq", "event_name", "event_source", "username",
           "access_key_id", "read_only", "record", "resources")


def _token(account_id: str, region: str, name: str) -> str:
    return hashlib.blake2b(f"{account_id}\n{region}\n{name}".encode(), digest_size=8).hexdigest()


def _id_token(account_id: str, region: str, event_id: str) -> str:
    if UUID.fullmatch(event_id):
        return event_id[:8] + event_id[9:13] + event_id[14:18]
    return _token(account_id, region, f"EventId\n{event_id}")


def _names(resources: Any) -> list[str]:
    pairs = json.loads(resources) if isinstance(resources, str) else resources
    return list(dict.fromkeys(name for _, name in pairs or ()))


def _rebuild(conn: sa.Connection, seq_key: bool) -> None:
    """SQLite: the table made anew with the primary key ``seq`` (or ``event_id``)."""
    key = "seq" if seq_key else "event_id"
    seq_type = "INTEGER" if seq_key else "BIGINT"
    conn.exec_driver_sql(f"""CREATE TABLE trail_events_new (
        event_id VARCHAR(36) NOT NULL, account_id VARCHAR(12) NOT NULL, region VARCHAR(32) NOT NULL,
        event_time FLOAT NOT NULL, seq {seq_type} NOT NULL, event_name VARCHAR(128) NOT NULL,
        event_source VARCHAR(128) NOT NULL, username VARCHAR(128) NOT NULL, access_key_id VARCHAR(128) NOT NULL,
        read_only BOOLEAN NOT NULL, record TEXT NOT NULL, resources JSON, PRIMARY KEY ({key}))""")
    listed = ", ".join(COLUMNS)
    conn.exec_driver_sql(f"INSERT INTO trail_events_new ({listed}) SELECT {listed} FROM trail_events ORDER BY seq")
    conn.exec_driver_sql("DROP TABLE trail_events")
    conn.exec_driver_sql("ALTER TABLE trail_events_new RENAME TO trail_events")
    op.create_index("ix_trail_events_scope", "trail_events", ["account_id", "region", *ORDER])


def _documents(conn: sa.Connection, attributes: bool) -> None:
    """SQLite: the index of names written anew, with the attributes' tokens or without."""
    conn.exec_driver_sql(f"DELETE FROM {INDEX}")
    documents = []
    for row in conn.exec_driver_sql(f"SELECT {', '.join(COLUMNS)} FROM trail_events ORDER BY seq").mappings():
        account, region = row["account_id"], row["region"]
        tokens = [_token(account, region, name) for name in _names(row["resources"])]
        if attributes:
            values = {key: row[column] for key, column in KEYS.items()}
            values["ReadOnly"] = "true" if values["ReadOnly"] else "false"
            tokens = [_id_token(account, region, row["event_id"]),
                      *(_token(account, region, f"{key}\n{value}") for key, value in values.items()), *tokens]
        if tokens:
            documents.append((row["seq"], " ".join(dict.fromkeys(tokens))))
    if documents:
        conn.exec_driver_sql(f"INSERT INTO {INDEX}(rowid, tokens) VALUES (?, ?)", documents)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _rebuild(conn, seq_key=True)
        _documents(conn, attributes=True)
        return
    op.drop_constraint("trail_events_pkey", "trail_events", type_="primary")
    op.drop_index("ix_trail_events_seq", table_name="trail_events")
    op.create_primary_key("trail_events_pkey", "trail_events", ["seq"])
    op.create_index("ix_trail_events_event_id", "trail_events", ["event_id"])


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _rebuild(conn, seq_key=False)
        for column in ATTRIBUTES:
            op.create_index(f"ix_trail_events_{column}", "trail_events", ["account_id", "region", column, *ORDER])
        op.create_index("ix_trail_events_seq", "trail_events", ["seq"], unique=True)
        _documents(conn, attributes=False)
        return
    op.drop_index("ix_trail_events_event_id", table_name="trail_events")
    op.drop_constraint("trail_events_pkey", "trail_events", type_="primary")
    op.create_primary_key("trail_events_pkey", "trail_events", ["event_id"])
    op.create_index("ix_trail_events_seq", "trail_events", ["seq"], unique=True)
