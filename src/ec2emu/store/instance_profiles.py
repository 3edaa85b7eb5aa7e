"""IAM instance profiles in the store: the profiles of each account and the role each
holds (:class:`InstanceProfiles`, a part of :class:`~ec2emu.store.iam.IamRepository`),
and the instances' profile associations (:class:`ProfileAssociationRepository`).

A profile is looked up by name through ``(account_id, name_key)``; its roles through the
link table's key, a role's profiles through its ``role_id`` index. Every profile row is
read with ``roles``: the rows of the roles it holds, in name order.

An association is four columns of its instance (``iam_association_id``, the profile's
ARN and ID as they were when it was made, and its time). Its reads go through
``ix_instances_scope_iam_association`` and show the instance as readers see it
(:mod:`ec2emu.store.shown`): once the instance's ``shutting-down`` is over the columns
show empty (the ``end_profile_association`` effect), so a terminated instance has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ec2emu.store import iam_schema, schema
from ec2emu.store.iam_lists import by_name, linked, under_path
from ec2emu.store.queries import Match, Repository, Row, match_clause, select_shown
from ec2emu.store.shown import shown


class InstanceProfiles:
    """The instance profiles of every account, on the IAM repository's connection."""

    conn: sa.Connection

    def _with_roles(self, rows: list[Row]) -> list[Row]:
        """``rows`` with each one's ``roles`` (role rows by name), read in one statement."""
        if not rows:
            return rows
        link, r = iam_schema.iam_instance_profile_roles, iam_schema.iam_roles
        query = (sa.select(link.c.instance_profile_id, r).join(r, r.c.role_id == link.c.role_id)
                 .where(link.c.instance_profile_id.in_([row["instance_profile_id"] for row in rows]))
                 .order_by(r.c.name_key))
        held: dict[str, list[Row]] = {}
        for found in self.conn.execute(query):
            values = dict(found._mapping)
            held.setdefault(values.pop("instance_profile_id"), []).append(values)
        for row in rows:
            row["roles"] = held.get(row["instance_profile_id"], [])
        return rows

    def get_instance_profile(self, account_id: str, name: str) -> Row | None:
        """The profile named ``name`` (case-insensitively) with its ``roles``, or ``None``."""
        row = by_name(self.conn, iam_schema.iam_instance_profiles, account_id, name)
        return None if row is None else self._with_roles([row])[0]

    def insert_instance_profile(self, row: Row) -> None:
        columns = {column.name for column in iam_schema.iam_instance_profiles.columns}
        values = {key: value for key, value in row.items() if key in columns}
        self.conn.execute(iam_schema.iam_instance_profiles.insert(),
                          [{**values, "name_key": row["instance_profile_name"].lower()}])

    def list_instance_profiles(self, account_id: str, path_prefix: str | None = None, *, after: str | None = None,
                               limit: int | None = None) -> list[Row]:
        """Profiles whose path starts with ``path_prefix``, by lower-cased name, with their roles."""
        return self._with_roles(under_path(self.conn, iam_schema.iam_instance_profiles, account_id, path_prefix,
                                           after, limit))

    def instance_profiles_of_role(self, role_id: str, *, after: str | None = None,
                                  limit: int | None = None) -> list[Row]:
        """The profiles holding a role, by lower-cased name, with their roles."""
        return self._with_roles(linked(self.conn, iam_schema.iam_instance_profiles,
                                       iam_schema.iam_instance_profile_roles, "role_id", role_id, after, limit))

    def profile_role_ids(self, profile_id: str) -> list[str]:
        """The IDs of the roles a profile holds."""
        link = iam_schema.iam_instance_profile_roles
        query = sa.select(link.c.role_id).where(link.c.instance_profile_id == profile_id).order_by(link.c.role_id)
        return [row.role_id for row in self.conn.execute(query)]

    def add_profile_role(self, profile_id: str, role_id: str) -> None:
        self.conn.execute(iam_schema.iam_instance_profile_roles.insert(),
                          [{"instance_profile_id": profile_id, "role_id": role_id}])

    def remove_profile_role(self, profile_id: str, role_id: str) -> bool:
        """Take the role out of the profile; False when the profile did not hold it."""
        link = iam_schema.iam_instance_profile_roles
        result = self.conn.execute(link.delete().where(link.c.instance_profile_id == profile_id,
                                                       link.c.role_id == role_id))
        return bool(result.rowcount)

    def delete_instance_profile(self, profile_id: str) -> None:
        """The profile and its tags (its role must be out of it already)."""
        self.conn.execute(iam_schema.iam_tags.delete().where(iam_schema.iam_tags.c.owner_id == profile_id))
        p = iam_schema.iam_instance_profiles
        self.conn.execute(p.delete().where(p.c.instance_profile_id == profile_id))


ASSOCIATION_COLUMNS = ("iam_association_id", "iam_instance_profile_arn", "iam_instance_profile_id",
                       "iam_association_time")


def association(association_id: str, profile: Row, at: float) -> Row:
    """The columns of an instance's association with ``profile`` made at ``at``."""
    return {"iam_association_id": association_id, "iam_instance_profile_arn": profile["arn"],
            "iam_instance_profile_id": profile["instance_profile_id"], "iam_association_time": at}


class ProfileAssociationRepository(Repository):
    """The instances' IAM instance profile associations, per account and region."""

    table = schema.instances

    def _select(self, account_id: str, region: str) -> sa.Select[Any]:
        """The scope's instances that show an association (the stored column bounds the
        index's range, the shown one leaves out those whose termination is due)."""
        t = self.table
        return select_shown(t, due=self.writing).where(
            t.c.account_id == account_id, t.c.region == region, t.c.iam_association_id.is_not(None),
            shown(t).c["iam_association_id"].is_not(None))

    def by_ids(self, account_id: str, region: str, association_ids: Iterable[str]) -> dict[str, Row]:
        """The instances holding these associations, by association ID."""
        wanted = list(dict.fromkeys(association_ids))
        found: dict[str, Row] = {}
        t = self.table
        for start in range(0, len(wanted), 500):
            query = self._select(account_id, region).where(t.c.iam_association_id.in_(wanted[start:start + 500]))
            rows = self.shown([dict(row._mapping) for row in self.conn.execute(query, self.binds)])
            found.update((row["iam_association_id"], row) for row in rows)
        return found

    def find(self, account_id: str, region: str, matches: Iterable[Match] = (), *, after_id: str | None = None,
             limit: int | None = None) -> list[Row]:
        """The instances holding an association and meeting every criterion (on the
        instances' columns), in association ID order, after ``after_id``."""
        t = self.table
        query = self._select(account_id, region)
        for match in matches:
            query = query.where(match_clause(t, t.c.instance_id, account_id, region, match))
        if after_id is not None:
            query = query.where(t.c.iam_association_id > after_id)
        query = query.order_by(t.c.iam_association_id)
        if limit is not None:
            query = query.limit(limit)
        return self.shown([dict(row._mapping) for row in self.conn.execute(query, self.binds)])

    def associate(self, instance_id: str, values: Row) -> None:
        """Give the instance the association ``values`` hold (:func:`association`; ``{}``: none)."""
        values = {**dict.fromkeys(ASSOCIATION_COLUMNS), **values}
        t = self.table
        self.conn.execute(t.update().where(t.c.instance_id == instance_id).values(**values))
