"""An instance's row keeps the places of its events in the outbox (``event_places``: a
``first:last`` range per write that emitted one about it), where SQLite's FTS5 index of
names (``event_history_index``) kept a token per event: the index goes. PostgreSQL keeps
``ix_events_resource_seq`` and leaves the column empty. The events already stored about
instances still stored are entered, each as its own range, in order.

Revision ID: 0038
Revises: 0037
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

INDEX = "event_history_index"
INSTANCE_STATE = "instance-state"
RUN = 1000


def _events(conn: sa.Connection, about_instances: bool) -> list[tuple[int, str, list[str]]]:
    """(the first event's place, account, resources) of each stored row about resources
    (only instances' state changes, if ``about_instances``), in order."""
    events = sa.table("events", sa.column("seq"), sa.column("account_id"), sa.column("resource_id"),
                      sa.column("more_ids"), sa.column("run_length"), sa.column("notification"))
    query = sa.select(events).where(events.c.resource_id.is_not(None)).order_by(events.c.seq)
    if about_instances:
        query = query.where(events.c.notification == INSTANCE_STATE)
    return [(seq - length + 1, account, [resource, *(more.split() if more else ())])
            for seq, account, resource, more, length, _ in conn.execute(query)]


def upgrade() -> None:
    op.add_column("instances", sa.Column("event_places", sa.Text(), nullable=True))
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    places: dict[tuple[str, str], list[str]] = {}
    for first, account, resources in _events(conn, about_instances=True):
        for n, resource in enumerate(resources):
            places.setdefault((account, resource), []).append(f"{first + n}:{first + n}")
    instances = sa.table("instances", sa.column("instance_id"), sa.column("account_id"),
                         sa.column("event_places"))
    stored = {(account, instance_id) for instance_id, account in conn.execute(
        sa.select(instances.c.instance_id, instances.c.account_id))}
    rows = [{"b_id": instance_id, "b_account": account, "b_places": " ".join(kept)}
            for (account, instance_id), kept in places.items() if (account, instance_id) in stored]
    if rows:
        conn.execute(instances.update().where(instances.c.instance_id == sa.bindparam("b_id"),
                                              instances.c.account_id == sa.bindparam("b_account"))
                     .values(event_places=sa.bindparam("b_places")), rows)
    conn.exec_driver_sql(f"DROP TABLE {INDEX}")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {INDEX} USING fts5(tokens, detail=none, columnsize=0, "
                             "tokenize='ascii')")
        documents = []
        for first, account, resources in _events(conn, about_instances=False):
            scope = hashlib.blake2b(f"{account}\n".encode(), digest_size=8)
            for at in range(0, len(resources), RUN):
                tokens = []
                for resource in resources[at:at + RUN]:
                    hashed = scope.copy()
                    hashed.update(resource.encode())
                    tokens.append(hashed.hexdigest())
                documents.append((first + at, " ".join(tokens)))
        if documents:
            conn.exec_driver_sql(f"INSERT INTO {INDEX}(rowid, tokens) VALUES (?, ?)", documents)
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("event_places")
