"""The outbox keeps a run of alike events as one row: ``run_length`` (how many events
the row holds, 1 for every row stored so far) and ``more_ids`` (the resource IDs of the
events after the first, space-separated; ``NULL`` for a row of one event). A row's
``seq`` is its last event's. The downgrade writes each run out as one row per event.

Revision ID: 0036
Revises: 0035
"""

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

_LAST_GROUP = (1 << 48) - 1


def upgrade() -> None:
    op.add_column("events", sa.Column("run_length", sa.Integer, nullable=False, server_default=sa.text("1")))
    op.add_column("events", sa.Column("more_ids", sa.Text, nullable=True))


def downgrade() -> None:
    conn = op.get_bind()
    runs = conn.exec_driver_sql("SELECT * FROM events WHERE more_ids IS NOT NULL ORDER BY seq").mappings().all()
    kept = [name for name in (runs[0].keys() if runs else ()) if name not in ("run_length", "more_ids")]
    for run in runs:
        resources = [run["resource_id"], *run["more_ids"].split()]
        first = run["seq"] - len(resources) + 1
        start = int(run["event_id"][24:], 16)
        rows = [{**{name: run[name] for name in kept}, "seq": first + n, "resource_id": resource,
                 "event_id": f"{run['event_id'][:24]}{(start + n) & _LAST_GROUP:012x}"}
                for n, resource in enumerate(resources)]
        conn.execute(sa.text("DELETE FROM events WHERE seq = :seq"), {"seq": run["seq"]})
        conn.execute(sa.text(f"INSERT INTO events ({', '.join(kept)}) VALUES ({', '.join(':' + k for k in kept)})"),
                     rows)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("ALTER TABLE events DROP COLUMN more_ids")
        conn.exec_driver_sql("ALTER TABLE events DROP COLUMN run_length")
    else:
        op.drop_column("events", "more_ids")
        op.drop_column("events", "run_length")
