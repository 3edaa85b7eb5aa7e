"""The event outbox's table, on the one metadata of :mod:`ec2emu.store.schema` (which
names it too, as ``schema.events``).

Each row is one event put on an account's default bus — by EC2 or EBS, or by a PutEvents
call — or, on SQLite, a run of such events about resources that one write made alike but
for their resource (TerminateInstances' thousand ``shutting-down`` events: one row),
written once, in the transaction of the change or call it comes from
(:mod:`ec2emu.store.outbox`). ``seq`` is the order, each event its own place in it; a
row's ``seq`` is its last event's, ``run_length`` how many it holds (its first is at
``seq - run_length + 1``) and ``more_ids`` the resource IDs of those after the first,
space-separated (``NULL`` for a row of one event); the events of a run take their IDs
counting up from the row's ``event_id`` in its last group (as
:func:`ec2emu.store.outbox.new_event_ids` makes them), so each is read back as it was
written. A run is at most :data:`HISTORY_RUN` events long. ``seq`` only grows
(``AUTOINCREMENT`` on SQLite, so it is not reused after the newest rows are deleted — a
run's places are given explicitly, after the highest ever given, which
``sqlite_sequence`` records; a ``BIGSERIAL`` sequence on PostgreSQL, where writers take
turns, so a later commit always holds the higher numbers, and each row is one event: its
history index is a B-tree by resource). ``event_id`` is the event's ``id``, a version-4
UUID that never changes (random: no index makes it unique, which would cost every write
more than a clash of 122 random bits is worth; nothing looks an event up by it). The
event is kept as its parts, from which its AWS JSON is made: ``notification`` (its name
in :data:`ec2emu.lifecycle.notifications.NOTIFICATIONS`, which gives the ``detail-type``
and the kind of resource: short, as the table grows by a row per transition); ``time``
(float seconds since the epoch, on the emulated clock); ``resource_id`` (the ARN in
``resources``); ``state`` (an instance's state, or an EBS notification's ``result``);
``event`` (an EBS notification's ``event`` where it is not the notification's own, as
``copySnapshot``); ``source`` and ``start_time`` (an EBS snapshot notification's
``source`` and ``startTime``); ``request_id`` (an EBS notification's ``request-id``,
kept empty so far). A custom event (PutEvents') is kept whole instead: ``notification``
``custom``, ``body`` its AWS envelope as JSON, ``time`` the moment the bus received it
(its envelope's ``time`` may be the entry's own), ``resource_id`` and ``state`` empty
(``NULL``); so is a recorded call's ``AWS API Call via CloudTrail`` event
(``notification`` ``api-call``, ``time`` the call's ``eventTime``); an EC2 or EBS
event's ``body`` is ``NULL``. Read in sequence order (the primary key), per account
(``ix_events_account_seq``) and per instance, newest first (its state history): on
PostgreSQL by ``ix_events_resource_seq``; on SQLite through the instance's own row,
whose ``event_places`` lists the places (``first:last``) of each write that emitted an
event about it (migration 0038) — added by the statement that moves the instance, where
an index keyed by resource would take a call's thousand events at a thousand random
places. ``ix_events_time`` serves the retention's delete of matched events older than a
week (:meth:`ec2emu.store.outbox.OutboxRepository.prune`).
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The most events one row holds (a run's).
HISTORY_RUN = 1000

events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("account_id", sa.String(12), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
    sa.Column("time", sa.Float, nullable=False),
    sa.Column("notification", sa.String(32), nullable=False),
    sa.Column("resource_id", sa.String(32), nullable=True),
    sa.Column("state", sa.String(32), nullable=True),
    sa.Column("event", sa.String(32), nullable=True),
    sa.Column("source", sa.String(255), nullable=True),
    sa.Column("start_time", sa.Float, nullable=True),
    sa.Column("request_id", sa.String(64), nullable=True),
    sa.Column("body", sa.JSON, nullable=True),
    sa.Column("run_length", sa.Integer, nullable=False, server_default=sa.text("1")),
    sa.Column("more_ids", sa.Text, nullable=True),
    sa.Index("ix_events_account_seq", "account_id", "seq"),
    sa.Index("ix_events_resource_seq", "resource_id", "seq").ddl_if(dialect="postgresql"),
    sa.Index("ix_events_time", "time"),
    sqlite_autoincrement=True,
)
