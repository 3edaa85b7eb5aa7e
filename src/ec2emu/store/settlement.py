"""Applying due transitions to stored rows: the store's half of the settler.

:meth:`SettlementRepository.apply` performs one ``"due"`` row of the lifecycle's table
(:data:`ec2emu.lifecycle.machines.DUE_TRANSITIONS`) on every row that has reached it:
the rows of the resource's table whose state column holds the transition's state and
whose ``due_at`` has passed emit the transition's notification, if it names one
(:func:`ec2emu.store.outbox.due_rows`, each at its ``due_at``), and move to the next
state (their ``due_at`` cleared, or pushed on by the next state's duration; an
instance's row adding the places its event took, in the same statement), or are
removed; the transition's named effects are performed here, since they are SQL: which
columns change with the state, what happens to an instance's volumes, interfaces,
Elastic IPs and tags, which images complete. Statements are built once per transition
and reach due rows through each table's ``due_at`` index.

:meth:`SettlementRepository.settle` applies every due row in table order, skipping a
table whose earliest ``due_at`` (one indexed ``MIN``, or known from
:meth:`~ec2emu.store.repository.UnitOfWork.request_start`) is still ahead; then it fires
the scheduled EventBridge rules that have fallen due
(:mod:`ec2emu.store.scheduled_rules`; a row moved per event emitted), checked the same way.
Settling is one node's work at a time: the settler's transaction is a writer's, and
writers take turns (:mod:`ec2emu.store.repository`). The statements of one transition
read their due rows again, each in the transaction's one snapshot (see
:meth:`~ec2emu.store.repository.Store.settling_transaction`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import Any, Protocol

import sqlalchemy as sa

from ec2emu.lifecycle.machines import DUE_TRANSITIONS, Durations, Transition
from ec2emu.lifecycle.notifications import SCHEDULED_EVENT, SCHEDULER_SOURCE
from ec2emu.store import outbox, scheduled_rules, schema
from ec2emu.store.instances import with_places
from ec2emu.store.shown import (
    DETACHED,
    EFFECT_COLUMNS,
    ID_COLUMNS,
    INTERFACE_DETACHED,
    RESOURCES,
    UNASSOCIATED,
    due_column,
    due_columns,
    surviving_interface,
)

_NOW = sa.bindparam("now", type_=sa.Float())


class DueTimes(Protocol):
    """The earliest due time of each table, as read at a request's start."""

    instances: float | None
    volumes: float | None
    snapshots: float | None
    volume_modifications: float | None
    snapshot_tiers: float | None
    schedules: float | None


def _is_due(transition: Transition) -> sa.ColumnElement[bool]:
    table, column = RESOURCES[transition.resource]
    due_at = table.c[due_column(transition.resource)]
    return sa.and_(due_at.is_not(None), due_at <= _NOW, table.c[column] == transition.state)


@cache
def _statements(transition: Transition) -> tuple[sa.Executable, ...]:
    """The statements of one due transition, in order (bound: ``now``, and ``seconds`` —
    the next state's duration — where the next state is timed)."""
    table, column = RESOURCES[transition.resource]
    due = _is_due(transition)
    ident = table.c[ID_COLUMNS[table.name]]
    statements: list[sa.Executable] = []
    if "volumes_end_with_instance" in transition.effects:
        v = schema.volumes
        finishing = sa.select(ident).where(due)
        # A deleting volume is gone ``volume`` seconds after its instance terminated.
        terminated_at = sa.select(table.c.due_at).where(ident == v.c.instance_id).scalar_subquery()
        statements += [
            v.update().where(v.c.instance_id.in_(finishing), v.c.delete_on_termination.is_(True))
            .values(state="deleting", due_at=terminated_at + sa.bindparam("volume", type_=sa.Float()),
                    **DETACHED),
            v.update().where(v.c.instance_id.in_(finishing)).values(state="available", due_at=None, **DETACHED),
        ]
    if "disassociate_addresses" in transition.effects:
        a = schema.elastic_ips
        ending = a.c.instance_id.in_(sa.select(ident).where(due))
        statements += [a.update().where(ending, sa.not_(surviving_interface(a))).values(**UNASSOCIATED),
                       a.update().where(ending).values(instance_id=None)]
    if "interfaces_end_with_instance" in transition.effects:
        statements += _interfaces_end(sa.select(ident).where(due))
    if "remove_tags" in transition.effects:
        statements.append(schema.tags.delete().where(schema.tags.c.resource_id.in_(sa.select(ident).where(due))))
    if "complete_images" in transition.effects:
        statements.append(_complete_images(due))
    if "forget_modification" in transition.effects:
        m = schema.volume_modifications
        statements.append(m.delete().where(m.c.volume_id.in_(sa.select(ident).where(due))))
    if "apply_volume_modification" in transition.effects:
        statements.append(_apply_modification(due))
    if transition.next_state is None and column == "state":
        statements.append(table.delete().where(due))
        return tuple(statements)
    values: dict[str, Any] = {column: transition.next_state, due_column(transition.resource): None}
    for effect in transition.effects:
        values.update(EFFECT_COLUMNS.get(effect, {}))
    if "extend_by_retention" in transition.effects:
        values["due_at"] = table.c.due_at + sa.bindparam("seconds", type_=sa.Float())
    if transition.resource == "instance" and transition.notification is not None:
        values["event_places"] = with_places(table.c.event_places, sa.bindparam("places", type_=sa.Text()))
    statements.append(table.update().where(due).values(**values))
    return tuple(statements)


def _interfaces_end(finishing: sa.Select[Any]) -> list[sa.Executable]:
    """The interfaces attached to the instances ``finishing`` their termination: those
    marked DeleteOnTermination removed (their addresses, groups and tags with them), the
    others detached and ``available``."""
    n = schema.network_interfaces
    ending = sa.select(n.c.network_interface_id).where(n.c.instance_id.in_(finishing),
                                                       n.c.delete_on_termination.is_(True))
    return [
        *(child.delete().where(child.c[key].in_(ending)) for child, key in (
            (schema.tags, "resource_id"), (schema.network_interface_addresses, "network_interface_id"),
            (schema.network_interface_groups, "network_interface_id"))),
        n.delete().where(n.c.instance_id.in_(finishing), n.c.delete_on_termination.is_(True)),
        n.update().where(n.c.instance_id.in_(finishing)).values(status="available", **INTERFACE_DETACHED),
    ]


def _complete_images(due: sa.ColumnElement[bool]) -> sa.Executable:
    """Images waiting for snapshots completing now become ``available`` when none of
    their snapshots stays pending (run before the snapshots' own update)."""
    s, link, images = schema.snapshots, schema.image_snapshots, schema.images
    completing = sa.select(s.c.snapshot_id).where(due)
    waiting = sa.select(link.c.image_id).where(link.c.snapshot_id.in_(completing))
    still_pending = (
        sa.select(link.c.image_id)
        .join(s, s.c.snapshot_id == link.c.snapshot_id)
        .where(link.c.image_id.in_(waiting), s.c.state == "pending", s.c.snapshot_id.not_in(completing))
    )
    return (images.update()
            .where(images.c.image_id.in_(waiting), images.c.state == "pending",
                   images.c.image_id.not_in(still_pending))
            .values(state="available"))


def _apply_modification(due: sa.ColumnElement[bool]) -> sa.Executable:
    """The volumes whose modification leaves ``modifying`` now take its target values."""
    v, m = schema.volumes, schema.volume_modifications
    target = {column: sa.select(m.c[f"target_{source}"]).where(m.c.volume_id == v.c.volume_id).scalar_subquery()
              for column, source in (("size", "size"), ("volume_type", "volume_type"), ("iops", "iops"),
                                     ("throughput", "throughput"), ("multi_attach", "multi_attach"))}
    return v.update().where(v.c.volume_id.in_(sa.select(m.c.volume_id).where(due))).values(**target)


class SettlementRepository:
    def __init__(self, conn: sa.Connection, counts: outbox.EmittedCounts | None = None) -> None:
        self.conn = conn
        # The events the transitions emit, by (source, detail-type): the unit of work's.
        self.counts: outbox.EmittedCounts = Counter() if counts is None else counts

    def earliest_due(self, table: sa.Table) -> float | None:
        """The earliest due time of any row of ``table`` (one indexed ``MIN`` per due column)."""
        found = [self.conn.execute(sa.select(sa.func.min(column))).scalar() for column in due_columns(table)]
        due = [float(value) for value in found if value is not None]
        return min(due) if due else None

    def apply(self, transition: Transition, now: float, durations: Durations) -> int:
        """Apply one due transition to every row that has reached it; the number of rows
        moved or removed."""
        seconds = durations.for_state(transition.next_state or "", transition.resource)
        bound: dict[str, Any] = {"now": now, "seconds": seconds, "volume": durations.volume, "places": None}
        if transition.notification is not None:
            table, _ = RESOURCES[transition.resource]
            bound["places"] = outbox.due_rows(
                self.conn, transition, table, table.c[ID_COLUMNS[table.name]], table.c[due_column(transition.resource)],
                _is_due(transition), bound, self.counts)
        moved = 0
        for statement in _statements(transition):
            result = self.conn.execute(statement, bound)
            moved = result.rowcount
        return max(moved, 0)

    def settle(self, now: float, durations: Durations, due: DueTimes | None = None,
               only: Iterable[str] | None = None) -> int:
        """Apply every due transition (of the ``only`` resources, if given) in table
        order; the number of rows moved. A table whose earliest due time is ahead of
        ``now`` is skipped; one that an effect has just scheduled is read again."""
        wanted = set(only) if only is not None else set(RESOURCES)
        earliest: dict[str, float | None | str] = {
            name: "unknown" if due is None else getattr(due, name)
            for name in ("instances", "volumes", "snapshots", "volume_modifications", "snapshot_tiers")
        }
        moved = 0
        for transition in DUE_TRANSITIONS:
            if transition.resource not in wanted:
                continue
            table, _ = RESOURCES[transition.resource]
            known = earliest.get(table.name, "unknown")
            if known == "unknown":
                known = earliest[table.name] = self.earliest_due(table)
            if known is None or float(known) > now:
                continue
            count = self.apply(transition, now, durations)
            moved += count
            if count and "volumes_end_with_instance" in transition.effects:
                earliest["volumes"] = "unknown"
        if only is None:
            first = scheduled_rules.earliest(self.conn) if due is None else due.schedules
            if first is not None and first <= now:
                fired = scheduled_rules.fire_due(self.conn, now)
                if fired:
                    self.counts[(SCHEDULER_SOURCE, SCHEDULED_EVENT)] += fired
                moved += fired
        return moved
