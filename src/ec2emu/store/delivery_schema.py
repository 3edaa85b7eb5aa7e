"""Delivery of the outbox's events to rules' targets, on the one metadata of
:mod:`ec2emu.store.schema` (which names the tables too).

``event_delivery_cursor`` holds one row per reader of the outbox (``name``
``"rules"``): the sequence number of the last event matched against the rules. Moving
it and writing the deliveries the matched events make happen in one transaction, so an
event is matched once, whatever crashes.

``event_deliveries`` holds one row per event and matched target: the event's sequence
number and ``id``, the rule and target (the target's ARN, its dead-letter ARN and
retry policy as they were when matched), the event (its AWS JSON) and the body the target gets (rendered once, when
matched, so a retry sends the same ``id`` and body whatever the rule becomes) with an
API destination target's HTTP parameters, the attempts made,
``next_at`` (when the next attempt falls due, seconds on the emulated clock),
``lease_until`` (wall-clock seconds until which a node holds it while delivering:
another node takes it only after that), ``status`` (``pending``, ``delivered``,
``dead``), the last error (its code and a message that never holds a secret), the
condition that exhausted it and when it ended. ``ix_event_deliveries_due`` finds the due
pending ones in due order; ``ix_event_deliveries_dead`` lists the dead letters in order;
``ix_event_deliveries_ended`` finds the deliveries done long enough ago to be forgotten
(:meth:`ec2emu.store.deliveries.DeliveryRepository.prune`).
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

_SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

event_delivery_cursor = sa.Table(
    "event_delivery_cursor",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)

event_deliveries = sa.Table(
    "event_deliveries",
    metadata,
    sa.Column("id", _SEQUENCE, primary_key=True, autoincrement=True),
    sa.Column("event_seq", sa.BigInteger, nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("event_bus", sa.String(256), nullable=False),
    sa.Column("rule_name", sa.String(64), nullable=False),
    sa.Column("target_id", sa.String(64), nullable=False),
    sa.Column("target_arn", sa.String(1600), nullable=False),
    sa.Column("dead_letter_arn", sa.String(1600), nullable=True),
    sa.Column("retry_policy", sa.JSON, nullable=True),
    sa.Column("event", sa.JSON, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("http_parameters", sa.JSON, nullable=True),
    sa.Column("event_time", sa.Float, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_at", sa.Float, nullable=False),
    sa.Column("lease_until", sa.Float, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error_code", sa.String(64), nullable=True),
    sa.Column("last_error", sa.String(1024), nullable=True),
    sa.Column("exhausted", sa.String(32), nullable=True),
    sa.Column("ended_at", sa.Float, nullable=True),
    sa.Index("ix_event_deliveries_due", "status", "next_at", "id"),
    sa.Index("ix_event_deliveries_dead", "status", "id"),
    sa.Index("ix_event_deliveries_ended", "status", "ended_at"),
    sqlite_autoincrement=True,
)
