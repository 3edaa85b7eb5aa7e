"""Firing EventBridge's scheduled rules: the settler's half of a rule's schedule.

An enabled rule with a ``ScheduleExpression`` keeps, in ``event_rules.next_fire_at``,
when its schedule next falls due (set by the rules' operations: a ``rate`` one period
after the rule was created or enabled, a ``cron`` at its next matching minute; ``NULL``
while disabled). :func:`earliest` is the settler's check — one ``MIN`` through
``ix_event_rules_next_fire`` — and :func:`fire_due`, run in the settler's transaction,
emits a ``Scheduled Event`` into the outbox (:func:`ec2emu.store.outbox.write_scheduled`)
for each moment that has passed, its ``time`` that moment, and moves each rule's
``next_fire_at`` past the moments emitted, in the same transaction. Since settlers take
writers' turns (:mod:`ec2emu.store.repository`), a second node settling finds nothing
due: each moment is emitted once, whichever node runs the settler.

When the clock jumps far ahead every missed moment is still emitted, none coalesced:
one run emits the earliest :data:`MAX_FIRINGS` due moments across all the rules, in
time order (of at most :data:`MAX_RULES` rules), and leaves the rest due, so the
settler's next run — a server's next tick, or under ``mock()`` the next ``advance``,
``settle`` or ``deliver`` — goes on from there. A day's jump with ``rate(1 minute)``
is emitted in one run.
"""

from __future__ import annotations

import heapq

import sqlalchemy as sa

from ec2emu.lifecycle.schedules import ScheduleError, parse
from ec2emu.store.events_schema import event_rules as _R
from ec2emu.store.outbox import write_scheduled

MAX_FIRINGS = 2000
MAX_RULES = 500

_ADVANCE = (_R.update()
            .where(_R.c.account_id == sa.bindparam("k_account"), _R.c.region == sa.bindparam("k_region"),
                   _R.c.event_bus == sa.bindparam("k_bus"), _R.c.name == sa.bindparam("k_name"))
            .values(next_fire_at=sa.bindparam("next")))


def earliest(conn: sa.Connection) -> float | None:
    """When the first scheduled rule falls due (``None``: no enabled scheduled rule)."""
    found = conn.execute(sa.select(sa.func.min(_R.c.next_fire_at))).scalar()
    return None if found is None else float(found)


def earliest_query() -> sa.ScalarSelect[float | None]:
    """:func:`earliest` as a scalar subquery, for the read a request starts with."""
    return sa.select(sa.func.min(_R.c.next_fire_at)).scalar_subquery()


def fire_due(conn: sa.Connection, now: float) -> int:
    """Emit the due moments of the rules whose schedules have fallen due by ``now`` and
    move their next due times on (see the module's note); the number emitted."""
    query = (sa.select(_R.c.account_id, _R.c.region, _R.c.event_bus, _R.c.name, _R.c.schedule_expression,
                       _R.c.next_fire_at)
             .where(_R.c.next_fire_at <= now).order_by(_R.c.next_fire_at).limit(MAX_RULES))
    due: list[tuple[float, int]] = []
    rules = conn.execute(query).all()
    for index, rule in enumerate(rules):
        heapq.heappush(due, (float(rule.next_fire_at), index))
    nexts: dict[int, float | None] = {}
    firings: list[tuple[str, str, float, str]] = []
    while due and len(firings) < MAX_FIRINGS:
        moment, index = due[0]
        if moment > now:
            break
        rule = rules[index]
        firings.append((rule.account_id, rule.region, moment, rule.name))
        try:
            following = parse(rule.schedule_expression).next_after(moment)
        except ScheduleError:  # not stored by the rules' operations; stop it rather than fail
            following = None
        nexts[index] = following
        if following is None:
            heapq.heappop(due)
        else:
            heapq.heapreplace(due, (following, index))
    write_scheduled(conn, firings)
    if nexts:
        conn.execute(_ADVANCE, [{"k_account": rules[i].account_id, "k_region": rules[i].region,
                                 "k_bus": rules[i].event_bus, "k_name": rules[i].name, "next": following}
                                for i, following in nexts.items()])
    return len(firings)
