"""EventBridge's connections and API destinations, on the one metadata of
:mod:`ec2emu.store.schema` (which names them too).

A connection is named within its account and region: ``event_connections`` holds what
DescribeConnection and ListConnections show — its ARN, description, authorization type,
state, the authorization parameters with every secret value taken out, the ARN of the
secret AWS would keep them in, and its times; ``ix_event_connections_scope_state`` finds
an account's connections in one state, in name order. The secret values live apart, in
``event_connection_secrets`` (the authorization parameters as given, secrets included),
which no describing read touches: only the one method that hands them to delivery.

``event_api_destinations`` holds each API destination by name with its connection (name
and ARN), endpoint, method and rate; ``ix_event_api_destinations_connection`` finds the
destinations of one connection, in name order.
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

event_connections = sa.Table(
    "event_connections",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("arn", sa.String(1600), nullable=False),
    sa.Column("description", sa.String(512), nullable=True),
    sa.Column("authorization_type", sa.String(32), nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("auth_parameters", sa.JSON, nullable=False),
    sa.Column("secret_arn", sa.String(2048), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("modified_at", sa.Float, nullable=False),
    sa.Column("authorized_at", sa.Float, nullable=True),
    sa.Index("ix_event_connections_scope_state", "account_id", "region", "state", "name"),
)

event_connection_secrets = sa.Table(
    "event_connection_secrets",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("auth_parameters", sa.JSON, nullable=False),
)

event_api_destinations = sa.Table(
    "event_api_destinations",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("arn", sa.String(1600), nullable=False),
    sa.Column("description", sa.String(512), nullable=True),
    sa.Column("connection_name", sa.String(64), nullable=False),
    sa.Column("connection_arn", sa.String(1600), nullable=False),
    sa.Column("invocation_endpoint", sa.String(2048), nullable=False),
    sa.Column("http_method", sa.String(16), nullable=False),
    sa.Column("rate_limit", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("modified_at", sa.Float, nullable=False),
    sa.Index("ix_event_api_destinations_connection", "account_id", "region", "connection_name", "name"),
)
