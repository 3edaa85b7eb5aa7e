"""EventBridge's connections and API destinations get tables — connections per account
and region by name (with an index finding them by state), their secret values in a table
of their own, API destinations by name (with an index finding a connection's) — and a
rule's targets keep HTTP parameters.

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_connections",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("arn", sa.String(length=1600), nullable=False),
        sa.Column("description", sa.String(length=512), nullable=True),
        sa.Column("authorization_type", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("auth_parameters", sa.JSON(), nullable=False),
        sa.Column("secret_arn", sa.String(length=2048), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("modified_at", sa.Float(), nullable=False),
        sa.Column("authorized_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("account_id", "region", "name"),
    )
    op.create_index("ix_event_connections_scope_state", "event_connections",
                    ["account_id", "region", "state", "name"])
    op.create_table(
        "event_connection_secrets",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("auth_parameters", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region", "name"),
    )
    op.create_table(
        "event_api_destinations",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("arn", sa.String(length=1600), nullable=False),
        sa.Column("description", sa.String(length=512), nullable=True),
        sa.Column("connection_name", sa.String(length=64), nullable=False),
        sa.Column("connection_arn", sa.String(length=1600), nullable=False),
        sa.Column("invocation_endpoint", sa.String(length=2048), nullable=False),
        sa.Column("http_method", sa.String(length=16), nullable=False),
        sa.Column("rate_limit", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("modified_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "region", "name"),
    )
    op.create_index("ix_event_api_destinations_connection", "event_api_destinations",
                    ["account_id", "region", "connection_name", "name"])
    with op.batch_alter_table("event_targets") as batch:
        batch.add_column(sa.Column("http_parameters", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_targets") as batch:
        batch.drop_column("http_parameters")
    op.drop_index("ix_event_api_destinations_connection", table_name="event_api_destinations")
    op.drop_table("event_api_destinations")
    op.drop_table("event_connection_secrets")
    op.drop_index("ix_event_connections_scope_state", table_name="event_connections")
    op.drop_table("event_connections")
