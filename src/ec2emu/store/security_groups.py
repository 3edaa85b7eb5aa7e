"""Security groups and their rules (one aggregate): rows per account and region, which
scopes' groups are stored, look-ups by ID, name and VPC, the rules of a page of groups,
listings of rules, and what a group's deletion depends on.

A group row read through :meth:`SecurityGroupRepository.get` or
:meth:`SecurityGroupRepository.find` carries its rules as ``rules`` (rows of
``security_group_rules`` in rule-ID order, ingress and egress alike), read for the whole
page in one more statement through ``ix_security_group_rules_group``.

A scope (account and region) whose groups are not stored has a derived default group per
VPC, which the service builds; :meth:`SecurityGroupRepository.mark_stored` records that
the scope's groups are all rows from then on.

Whether a group is used is read from the network interfaces' groups
(:meth:`~ec2emu.store.network_interfaces.NetworkInterfaceRepository.users_of_group`): an
instance's groups are its primary interface's, and an interface gone with its instance's
termination (:mod:`ec2emu.store.shown`) uses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.network_interfaces import NetworkInterfaceRepository
from ec2emu.store.queries import (
    Match,
    Row,
    ScopedRepository,
    ScopeMarks,
    children_of,
    find_rows,
    get_rows,
)
from ec2emu.store.shown import STORED, Moment


class SecurityGroupRepository(ScopedRepository):
    """Security groups, named by ``group_id`` (``sg-`` and 17 hex digits)."""

    id_name = "group_id"
    table = schema.security_groups
    rules = schema.security_group_rules
    scopes = schema.security_group_scopes

    def __init__(self, conn: sa.Connection, moment: Callable[[], Moment] = lambda: STORED) -> None:
        super().__init__(conn, moment)
        self._marks = ScopeMarks(conn, self.scopes)

    # ------------------------------------------------------------------ scopes

    def is_stored(self, account_id: str, region: str) -> bool:
        """Whether the scope's groups are stored; read once per unit of work."""
        return self._marks.is_marked(account_id, region)

    def mark_stored(self, account_id: str, region: str) -> None:
        self._marks.mark(account_id, region)

    # ------------------------------------------------------------------ groups

    def get(self, account_id: str, region: str, resource_ids: Iterable[str]) -> dict[str, Row]:
        rows = super().get(account_id, region, resource_ids)
        self._with_rules(list(rows.values()))
        return rows

    def count(self, account_id: str, region: str) -> int:
        """How many groups this account has in this region."""
        return self.count_where(account_id, region)

    def named_in_vpc(self, vpc_id: str, name_key: str) -> Row | None:
        """The group of a VPC with that lower-cased name, if any."""
        t = self.table
        row = self.conn.execute(sa.select(t).where(t.c.vpc_id == vpc_id, t.c.name_key == name_key)).first()
        return None if row is None else self._with_rules([dict(row._mapping)])[0]

    def in_vpc(self, account_id: str, region: str, vpc_id: str) -> list[Row]:
        return self.find(account_id, region, [Match("vpc_id", (vpc_id,))])

    def rules_of(self, group_ids: Iterable[str]) -> dict[str, list[Row]]:
        """Each group's rules, in rule-ID order."""
        return children_of(self.conn, (self.rules, "group_id"), group_ids, "rule_id")

    def _with_rules(self, rows: list[Row]) -> list[Row]:
        rules = self.rules_of(row["group_id"] for row in rows)
        for row in rows:
            row["rules"] = rules.get(row["group_id"], [])
        return rows

    # ------------------------------------------------------------------ rules

    def find_rules(self, account_id: str, region: str, matches: Iterable[Match] = (), *,
                   after_id: str | None = None, limit: int | None = None) -> list[Row]:
        """Rules of this scope meeting every criterion, ordered by ID, after ``after_id``."""
        return find_rows(self.conn, self.rules, self.rules.c.rule_id, account_id, region, matches, after_id, limit,
                         self.binds, False)

    def get_rules(self, account_id: str, region: str, rule_ids: Iterable[str]) -> dict[str, Row]:
        return get_rows(self.conn, self.rules, self.rules.c.rule_id, account_id, region, rule_ids, self.binds, False)

    def referrers(self, group_id: str) -> list[str]:
        """The other groups with a rule that refers to ``group_id``."""
        r = self.rules
        query = sa.select(r.c.group_id).where(r.c.referenced_group_id == group_id, r.c.group_id != group_id)
        return sorted({row[0] for row in self.conn.execute(query)})

    def users(self, account_id: str, region: str, group_id: str) -> list[str]:
        """The network interfaces (as the clock shows them) that use the group."""
        return NetworkInterfaceRepository(self.conn, self.moment).users_of_group(account_id, region, group_id)

    # ------------------------------------------------------------------ writes

    def insert(self, row: Row) -> None:
        """A group (its ``rules`` rows inserted with it)."""
        values = {key: value for key, value in row.items() if key != "rules"}
        self.conn.execute(self.table.insert(), [values])
        self.add_rules(row.get("rules") or [])

    def add_rules(self, rules: list[Row]) -> None:
        if rules:
            self.conn.execute(self.rules.insert(), rules)

    def update_rule(self, rule_id: str, values: dict[str, Any]) -> None:
        r = self.rules
        self.conn.execute(r.update().where(r.c.rule_id == rule_id).values(**values))

    def remove_rules(self, rule_ids: list[str]) -> None:
        """The rules and their tags."""
        r, tg = self.rules, schema.tags
        for start in range(0, len(rule_ids), 500):
            chunk = rule_ids[start:start + 500]
            self.conn.execute(tg.delete().where(tg.c.resource_id.in_(chunk)))
            self.conn.execute(r.delete().where(r.c.rule_id.in_(chunk)))

    def delete(self, group_id: str) -> None:
        """The group, its rules and the tags of both."""
        t, r = self.table, self.rules
        rule_ids = [row[0] for row in self.conn.execute(sa.select(r.c.rule_id).where(r.c.group_id == group_id))]
        self.remove_rules(rule_ids)
        tg = schema.tags
        self.conn.execute(tg.delete().where(tg.c.resource_id == group_id))
        self.conn.execute(t.delete().where(t.c.group_id == group_id))
