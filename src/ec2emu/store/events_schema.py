"""EventBridge's tables, on the one metadata of :mod:`ec2emu.store.schema` (which names
them too, as ``schema.event_rules`` and ``schema.event_targets``).

A rule is named within its account, region and event bus (only ``default`` is served
yet; the column keeps the key AWS's ARNs have): ``event_rules`` holds its pattern (the
JSON text as given), state, description, its tags (a JSON list of ``[key, value]``
pairs) and when it was made; a scheduled rule its ``schedule_expression`` (as given)
and, while it is enabled, ``next_fire_at`` — when its schedule next falls due (float
seconds since the epoch on the emulated clock; ``NULL`` for a disabled or unscheduled
rule). Its primary key orders ListRules by name and finds a rule by name;
``ix_event_rules_scope_state`` finds the enabled rules an event is matched against, in
name order; ``ix_event_rules_next_fire`` gives the settler the earliest due time (one
indexed ``MIN``) and the rules due, in time order; ``ix_event_rules_state`` tells event
delivery whether any rule anywhere is enabled (with none, the events waiting are
passed over without being read). ``event_targets`` holds each rule's
targets (at most five), keyed by the rule and the target's ``Id``, with the input
options, retry policy, dead-letter queue and (for an API destination) HTTP parameters
as given.
"""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store.metadata import metadata

event_rules = sa.Table(
    "event_rules",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("event_bus", sa.String(256), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("event_pattern", sa.Text, nullable=True),
    sa.Column("state", sa.String(64), nullable=False),
    sa.Column("description", sa.String(512), nullable=True),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("schedule_expression", sa.String(256), nullable=True),
    sa.Column("next_fire_at", sa.Float, nullable=True),
    sa.Index("ix_event_rules_scope_state", "account_id", "region", "event_bus", "state", "name"),
    sa.Index("ix_event_rules_next_fire", "next_fire_at"),
    sa.Index("ix_event_rules_state", "state"),
)

event_targets = sa.Table(
    "event_targets",
    metadata,
    sa.Column("account_id", sa.String(12), primary_key=True),
    sa.Column("region", sa.String(32), primary_key=True),
    sa.Column("event_bus", sa.String(256), primary_key=True),
    sa.Column("rule_name", sa.String(64), primary_key=True),
    sa.Column("target_id", sa.String(64), primary_key=True),
    sa.Column("arn", sa.String(1600), nullable=False),
    sa.Column("role_arn", sa.String(1600), nullable=True),
    sa.Column("input", sa.Text, nullable=True),
    sa.Column("input_path", sa.String(256), nullable=True),
    sa.Column("input_transformer", sa.JSON, nullable=True),
    sa.Column("retry_policy", sa.JSON, nullable=True),
    sa.Column("dead_letter_arn", sa.String(1600), nullable=True),
    sa.Column("http_parameters", sa.JSON, nullable=True),
)
