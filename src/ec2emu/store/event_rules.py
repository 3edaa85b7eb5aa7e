"""EventBridge's rules and their targets per account, region and event bus: a rule by
name, rules in name order under a name prefix, a bus's rules in one state (or whether it
has any), a rule's
targets in ID order — every read a range of a primary key or of the state index
(:mod:`ec2emu.store.events_schema`). A rule and its targets are one aggregate: deleting
the rule forgets its targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared
from ec2emu.store.queries import Repository, Row, name_page

_R = schema.event_rules
_ANY_IN_STATES = Prepared(
    lambda n: sa.select(sa.exists(sa.select(_R.c.name).where(_R.c.state.in_(Prepared.id_list(n))))))
_T = schema.event_targets


@dataclass(frozen=True)
class Bus:
    """An event bus of an account in a region: where a rule lives."""

    account_id: str
    region: str
    name: str

    def rules(self) -> list[sa.ColumnElement[bool]]:
        return [_R.c.account_id == self.account_id, _R.c.region == self.region, _R.c.event_bus == self.name]

    def targets(self, rule: str) -> list[sa.ColumnElement[bool]]:
        return [_T.c.account_id == self.account_id, _T.c.region == self.region, _T.c.event_bus == self.name,
                _T.c.rule_name == rule]


class EventRuleRepository(Repository):
    """Rules, named by ``name`` on a :class:`Bus`, and their targets."""

    def get(self, bus: Bus, name: str) -> Row | None:
        row = self.conn.execute(sa.select(_R).where(*bus.rules(), _R.c.name == name)).mappings().first()
        return None if row is None else dict(row)

    def listing(self, bus: Bus, prefix: str, after: str | None, limit: int | None) -> list[Row]:
        """The rules whose names begin with ``prefix`` (any for ``""``), in name order,
        after the name ``after``."""
        query = name_page(sa.select(_R).where(*bus.rules()), _R.c.name, prefix, after, limit)
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def count(self, bus: Bus) -> int:
        """How many rules the bus holds."""
        return int(self.conn.execute(sa.select(sa.func.count()).select_from(_R).where(*bus.rules())).scalar_one())

    def in_state(self, bus: Bus, state: str) -> list[Row]:
        """The bus's rules in ``state``, in name order."""
        query = sa.select(_R).where(*bus.rules(), _R.c.state == state).order_by(_R.c.name)
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def any_in_state(self, bus: Bus, state: str) -> bool:
        """Whether the bus has a rule in ``state`` (one probe of the state index)."""
        query = sa.select(_R.c.name).where(*bus.rules(), _R.c.state == state).limit(1)
        return self.conn.execute(query).first() is not None

    def any_anywhere(self, states: Sequence[str]) -> bool:
        """Whether any bus of any account has a rule in one of ``states`` (probes of
        ``ix_event_rules_state``; a prepared statement, as delivery's idle check runs it
        after every write the server commits)."""
        [(found,)] = _ANY_IN_STATES.tuples(self.conn, {}, list(states))
        return bool(found)

    def put(self, row: Row) -> None:
        """Write a rule (``row``: the columns of ``event_rules``), replacing one of its name."""
        bus = Bus(row["account_id"], row["region"], row["event_bus"])
        self.conn.execute(_R.delete().where(*bus.rules(), _R.c.name == row["name"]))
        self.conn.execute(_R.insert().values(**row))

    def set_state(self, bus: Bus, name: str, state: str, next_fire_at: float | None = None) -> None:
        """Set the rule's state and when its schedule next falls due (``None``: never)."""
        self.conn.execute(_R.update().where(*bus.rules(), _R.c.name == name)
                          .values(state=state, next_fire_at=next_fire_at))

    def set_tags(self, bus: Bus, name: str, tags: list[list[str]]) -> None:
        self.conn.execute(_R.update().where(*bus.rules(), _R.c.name == name).values(tags=tags))

    def delete(self, bus: Bus, name: str) -> None:
        """Forget the rule and its targets."""
        self.conn.execute(_T.delete().where(*bus.targets(name)))
        self.conn.execute(_R.delete().where(*bus.rules(), _R.c.name == name))

    # ------------------------------------------------------------------ targets

    def targets(self, bus: Bus, rule: str, after: str | None = None, limit: int | None = None) -> list[Row]:
        """The rule's targets in ID order, after the ID ``after``."""
        query = name_page(sa.select(_T).where(*bus.targets(rule)), _T.c.target_id, after=after, limit=limit)
        return [dict(row) for row in self.conn.execute(query).mappings()]

    def target_ids(self, bus: Bus, rule: str) -> list[str]:
        query = sa.select(_T.c.target_id).where(*bus.targets(rule)).order_by(_T.c.target_id)
        return list(self.conn.execute(query).scalars())

    def put_targets(self, bus: Bus, rule: str, rows: Iterable[Row]) -> None:
        """Write targets of the rule (``rows``: the columns of ``event_targets`` other than
        the rule's key), replacing those of the same IDs."""
        given = [{**row, "account_id": bus.account_id, "region": bus.region, "event_bus": bus.name,
                  "rule_name": rule} for row in rows]
        if not given:
            return
        self.remove_targets(bus, rule, [row["target_id"] for row in given])
        self.conn.execute(_T.insert(), given)

    def remove_targets(self, bus: Bus, rule: str, ids: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(ids))
        if wanted:
            self.conn.execute(_T.delete().where(*bus.targets(rule), _T.c.target_id.in_(wanted)))
