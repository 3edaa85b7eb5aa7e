"""IAM's storage, per account: users and their access keys, groups, roles, customer
managed policies and their versions, inline policies, attachments, tags, and the STS
sessions that temporary credentials belong to.

Every look-up goes through a primary key or an index (see ``iam_schema.py``): by name
through ``(account_id, name_key)`` (the lower-cased name, since IAM names are unique
case-insensitively), by owner through the owner's unique ID (users ``AIDA…``, groups
``AGPA…``, roles ``AROA…``: inline policies, attachments and tags are keyed by it).
Listings are ordered by ``name_key`` and cut after a given key, so a page is a range scan.

AWS managed policies (``arn:aws:iam::aws:policy/…``) are not rows: the store is handed
their documents by ARN (``Store.managed_policies``, set by the application from its
built-in set); their attachments are rows like any other, and their attachment count
is counted per account. A customer managed policy keeps its
``attachment_count`` on its row, maintained by :meth:`attach` and :meth:`detach`.

Instance profiles are :mod:`ec2emu.store.instance_profiles`' (this repository inherits
them); look-ups by name and listings are :mod:`ec2emu.store.iam_lists`'.

Rows are plain dicts with the column names of ``iam_schema.py``. The interface used by
policy enforcement (:meth:`identity_policies`, :meth:`principal_tags`, :meth:`get_role`,
:meth:`insert_session`, :meth:`find_session`, :meth:`find_access_key`) is kept stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from ec2emu.store import iam_schema
from ec2emu.store.iam_lists import by_name, linked, rows_of, under_path
from ec2emu.store.instance_profiles import InstanceProfiles

Row = dict[str, Any]

_OWNER_TABLES = {"user": iam_schema.iam_users, "group": iam_schema.iam_groups, "role": iam_schema.iam_roles}


class IamRepository(InstanceProfiles):
    """IAM entities of every account, within one unit of work."""

    def __init__(self, conn: sa.Connection, managed_policies: Mapping[str, str] | None = None) -> None:
        self.conn = conn
        self.managed_policies: Mapping[str, str] = managed_policies or {}

    # ------------------------------------------------------------ users, groups, roles
    def _by_name(self, kind: str, account_id: str, name: str) -> Row | None:
        return by_name(self.conn, _OWNER_TABLES[kind], account_id, name)

    def _listing(
        self, kind: str, account_id: str, path_prefix: str | None, after: str | None, limit: int | None
    ) -> list[Row]:
        return under_path(self.conn, _OWNER_TABLES[kind], account_id, path_prefix, after, limit)

    def get_user(self, account_id: str, user_name: str) -> Row | None:
        """The user named ``user_name`` (case-insensitively), or ``None``."""
        return self._by_name("user", account_id, user_name)

    def ensure_users(self, rows: Iterable[Row]) -> int:
        """Insert each user whose name its account does not have yet; how many were new."""
        added = 0
        for row in rows:
            if self.get_user(row["account_id"], row["user_name"]) is None:
                self.insert_user(row)
                added += 1
        return added

    def get_user_by_id(self, user_id: str) -> Row | None:
        t = iam_schema.iam_users
        row = self.conn.execute(sa.select(t).where(t.c.user_id == user_id)).first()
        return None if row is None else dict(row._mapping)

    def insert_user(self, row: Row) -> None:
        self.conn.execute(iam_schema.iam_users.insert(), [{**row, "name_key": row["user_name"].lower()}])

    def list_users(
        self,
        account_id: str,
        path_prefix: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Users whose path starts with ``path_prefix``, by lower-cased name, after ``after``."""
        return self._listing("user", account_id, path_prefix, after, limit)

    def delete_user(self, user_id: str) -> None:
        """The user and its tags (its keys, policies and groups must be gone already)."""
        self.conn.execute(iam_schema.iam_tags.delete().where(iam_schema.iam_tags.c.owner_id == user_id))
        self.conn.execute(iam_schema.iam_users.delete().where(iam_schema.iam_users.c.user_id == user_id))

    def get_group(self, account_id: str, group_name: str) -> Row | None:
        return self._by_name("group", account_id, group_name)

    def insert_group(self, row: Row) -> None:
        self.conn.execute(iam_schema.iam_groups.insert(), [{**row, "name_key": row["group_name"].lower()}])

    def list_groups(
        self,
        account_id: str,
        path_prefix: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        return self._listing("group", account_id, path_prefix, after, limit)

    def delete_group(self, group_id: str) -> None:
        self.conn.execute(iam_schema.iam_groups.delete().where(iam_schema.iam_groups.c.group_id == group_id))

    def add_member(self, group_id: str, user_id: str) -> None:
        m = iam_schema.iam_group_members
        present = self.conn.execute(
            sa.select(m.c.user_id).where(m.c.group_id == group_id, m.c.user_id == user_id)
        ).first()
        if present is None:
            self.conn.execute(m.insert(), [{"group_id": group_id, "user_id": user_id}])

    def remove_member(self, group_id: str, user_id: str) -> bool:
        m = iam_schema.iam_group_members
        result = self.conn.execute(m.delete().where(m.c.group_id == group_id, m.c.user_id == user_id))
        return bool(result.rowcount)

    def members(self, group_id: str, *, after: str | None = None, limit: int | None = None) -> list[Row]:
        """The users in a group, by lower-cased name."""
        return linked(self.conn, iam_schema.iam_users, iam_schema.iam_group_members, "group_id", group_id, after,
                      limit)

    def groups_of(self, user_id: str, *, after: str | None = None, limit: int | None = None) -> list[Row]:
        """The groups a user is in, by lower-cased name."""
        return linked(self.conn, iam_schema.iam_groups, iam_schema.iam_group_members, "user_id", user_id, after,
                      limit)

    def get_role(self, account_id: str, role_name: str) -> Row | None:
        """The role named ``role_name`` (case-insensitively): role_name, role_id, arn, path,
        trust_policy (JSON text), max_session_duration, description, create_date."""
        return self._by_name("role", account_id, role_name)

    def insert_role(self, row: Row) -> None:
        self.conn.execute(iam_schema.iam_roles.insert(), [{**row, "name_key": row["role_name"].lower()}])

    def list_roles(
        self,
        account_id: str,
        path_prefix: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        return self._listing("role", account_id, path_prefix, after, limit)

    def update_role(self, role_id: str, values: Row) -> None:
        r = iam_schema.iam_roles
        self.conn.execute(r.update().where(r.c.role_id == role_id).values(**values))

    def delete_role(self, role_id: str) -> None:
        """The role and its tags (its policies must be gone already)."""
        self.conn.execute(iam_schema.iam_tags.delete().where(iam_schema.iam_tags.c.owner_id == role_id))
        self.conn.execute(iam_schema.iam_roles.delete().where(iam_schema.iam_roles.c.role_id == role_id))

    # ------------------------------------------------------------ access keys
    def insert_access_key(self, row: Row) -> None:
        self.conn.execute(iam_schema.iam_access_keys.insert(), [row])

    def access_keys_of(self, user_id: str) -> list[Row]:
        k = iam_schema.iam_access_keys
        query = sa.select(k).where(k.c.user_id == user_id).order_by(k.c.access_key_id)
        return rows_of(self.conn.execute(query))

    def get_access_key(self, access_key_id: str) -> Row | None:
        k = iam_schema.iam_access_keys
        row = self.conn.execute(sa.select(k).where(k.c.access_key_id == access_key_id)).first()
        return None if row is None else dict(row._mapping)

    def find_access_key(self, access_key_id: str) -> Row | None:
        """An IAM user's access key with its user: access_key_id, secret, status,
        account_id, user_id, user_name, path, arn, create_date; ``None`` if unknown."""
        k, u = iam_schema.iam_access_keys, iam_schema.iam_users
        query = (
            sa.select(
                k.c.access_key_id,
                k.c.secret_access_key.label("secret"),
                k.c.status,
                k.c.create_date,
                u.c.account_id,
                u.c.user_id,
                u.c.user_name,
                u.c.path,
                u.c.arn,
            )
            .join(u, u.c.user_id == k.c.user_id)
            .where(k.c.access_key_id == access_key_id)
        )
        row = self.conn.execute(query).first()
        return None if row is None else dict(row._mapping)

    def set_access_key_status(self, access_key_id: str, status: str) -> None:
        k = iam_schema.iam_access_keys
        self.conn.execute(k.update().where(k.c.access_key_id == access_key_id).values(status=status))

    def delete_access_key(self, access_key_id: str) -> None:
        k = iam_schema.iam_access_keys
        self.conn.execute(k.delete().where(k.c.access_key_id == access_key_id))

    # ------------------------------------------------------------ managed policies
    def get_policy(self, arn: str) -> Row | None:
        """A customer managed policy by ARN (AWS managed ones are not rows)."""
        p = iam_schema.iam_policies
        row = self.conn.execute(sa.select(p).where(p.c.arn == arn)).first()
        return None if row is None else dict(row._mapping)

    def get_policy_by_name(self, account_id: str, name: str) -> Row | None:
        return by_name(self.conn, iam_schema.iam_policies, account_id, name)

    def insert_policy(self, row: Row, document: str, create_date: float) -> None:
        """A new customer managed policy with its ``v1``, the default version."""
        self.conn.execute(
            iam_schema.iam_policies.insert(),
            [
                {
                    **row,
                    "name_key": row["policy_name"].lower(),
                    "default_version": 1,
                    "next_version": 2,
                    "attachment_count": 0,
                    "create_date": create_date,
                    "update_date": create_date,
                }
            ],
        )
        self.conn.execute(
            iam_schema.iam_policy_versions.insert(),
            [{"policy_arn": row["arn"], "version": 1, "document": document, "create_date": create_date}],
        )

    def list_policies(
        self,
        account_id: str,
        path_prefix: str | None = None,
        *,
        only_attached: bool = False,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """The account's customer managed policies, by lower-cased name."""
        p = iam_schema.iam_policies
        query = sa.select(p).where(p.c.account_id == account_id)
        if path_prefix and path_prefix != "/":
            query = query.where(sa.func.substr(p.c.path, 1, len(path_prefix)) == path_prefix)
        if only_attached:
            query = query.where(p.c.attachment_count > 0)
        if after is not None:
            query = query.where(p.c.name_key > after)
        query = query.order_by(p.c.name_key)
        if limit is not None:
            query = query.limit(limit)
        return rows_of(self.conn.execute(query))

    def update_policy(self, arn: str, values: Row) -> None:
        p = iam_schema.iam_policies
        self.conn.execute(p.update().where(p.c.arn == arn).values(**values))

    def delete_policy(self, arn: str) -> None:
        """The policy and all its versions (it must be attached nowhere)."""
        v, p = iam_schema.iam_policy_versions, iam_schema.iam_policies
        self.conn.execute(v.delete().where(v.c.policy_arn == arn))
        self.conn.execute(p.delete().where(p.c.arn == arn))

    def policy_versions(self, arn: str) -> list[Row]:
        """A customer managed policy's versions, newest first: version, document, create_date."""
        v = iam_schema.iam_policy_versions
        query = sa.select(v).where(v.c.policy_arn == arn).order_by(v.c.version.desc())
        return rows_of(self.conn.execute(query))

    def get_policy_version(self, arn: str, version: int) -> Row | None:
        v = iam_schema.iam_policy_versions
        row = self.conn.execute(sa.select(v).where(v.c.policy_arn == arn, v.c.version == version)).first()
        return None if row is None else dict(row._mapping)

    def insert_policy_version(self, arn: str, version: int, document: str, create_date: float) -> None:
        self.conn.execute(
            iam_schema.iam_policy_versions.insert(),
            [{"policy_arn": arn, "version": version, "document": document, "create_date": create_date}],
        )

    def delete_policy_version(self, arn: str, version: int) -> None:
        v = iam_schema.iam_policy_versions
        self.conn.execute(v.delete().where(v.c.policy_arn == arn, v.c.version == version))

    def default_document(self, arn: str) -> str | None:
        """The default version's document of a managed policy (AWS or customer)."""
        managed = self.managed_policies.get(arn)
        if managed is not None:
            return managed
        p, v = iam_schema.iam_policies, iam_schema.iam_policy_versions
        query = (
            sa.select(v.c.document)
            .join(p, sa.and_(p.c.arn == v.c.policy_arn, p.c.default_version == v.c.version))
            .where(p.c.arn == arn)
        )
        return self.conn.execute(query).scalar()

    # ------------------------------------------------------------ attachments
    def attach(self, account_id: str, owner_kind: str, owner_id: str, arn: str) -> bool:
        """Attach a managed policy; False when it already was."""
        a = iam_schema.iam_attachments
        present = self.conn.execute(
            sa.select(a.c.owner_id).where(a.c.owner_id == owner_id, a.c.policy_arn == arn)
        ).first()
        if present is not None:
            return False
        self.conn.execute(
            a.insert(),
            [{"owner_id": owner_id, "policy_arn": arn, "account_id": account_id, "owner_kind": owner_kind}],
        )
        self._count_attachment(arn, +1)
        return True

    def detach(self, owner_id: str, arn: str) -> bool:
        """Detach a managed policy; False when it was not attached."""
        a = iam_schema.iam_attachments
        result = self.conn.execute(a.delete().where(a.c.owner_id == owner_id, a.c.policy_arn == arn))
        if not result.rowcount:
            return False
        self._count_attachment(arn, -1)
        return True

    def _count_attachment(self, arn: str, change: int) -> None:
        if arn in self.managed_policies:
            return
        p = iam_schema.iam_policies
        self.conn.execute(
            p.update().where(p.c.arn == arn).values(attachment_count=p.c.attachment_count + change)
        )

    def attached(self, owner_id: str) -> list[str]:
        """The ARNs of the managed policies attached to a user, group or role, sorted."""
        a = iam_schema.iam_attachments
        query = sa.select(a.c.policy_arn).where(a.c.owner_id == owner_id).order_by(a.c.policy_arn)
        return [row.policy_arn for row in self.conn.execute(query)]

    def attachment_count(self, account_id: str, arn: str) -> int:
        """How many users, groups and roles of the account have ``arn`` attached."""
        a = iam_schema.iam_attachments
        query = (
            sa.select(sa.func.count())
            .select_from(a)
            .where(a.c.account_id == account_id, a.c.policy_arn == arn)
        )
        return int(self.conn.execute(query).scalar() or 0)

    # ------------------------------------------------------------ inline policies
    def put_inline_policy(self, account_id: str, owner_id: str, policy_name: str, document: str) -> None:
        """Create or replace an inline policy of a user, group or role."""
        i = iam_schema.iam_inline_policies
        updated = self.conn.execute(
            i.update()
            .where(i.c.owner_id == owner_id, i.c.policy_name == policy_name)
            .values(document=document)
        )
        if not updated.rowcount:
            self.conn.execute(
                i.insert(),
                [
                    {
                        "owner_id": owner_id,
                        "policy_name": policy_name,
                        "account_id": account_id,
                        "document": document,
                    }
                ],
            )

    def get_inline_policy(self, owner_id: str, policy_name: str) -> str | None:
        i = iam_schema.iam_inline_policies
        query = sa.select(i.c.document).where(i.c.owner_id == owner_id, i.c.policy_name == policy_name)
        return self.conn.execute(query).scalar()

    def inline_policies(self, owner_id: str) -> list[tuple[str, str]]:
        """``(policy name, document)`` of every inline policy of an owner, by name."""
        i = iam_schema.iam_inline_policies
        query = (
            sa.select(i.c.policy_name, i.c.document).where(i.c.owner_id == owner_id).order_by(i.c.policy_name)
        )
        return [(row.policy_name, row.document) for row in self.conn.execute(query)]

    def delete_inline_policy(self, owner_id: str, policy_name: str) -> bool:
        i = iam_schema.iam_inline_policies
        result = self.conn.execute(i.delete().where(i.c.owner_id == owner_id, i.c.policy_name == policy_name))
        return bool(result.rowcount)

    # ------------------------------------------------------------ tags
    def tags(self, owner_id: str) -> list[tuple[str, str]]:
        """A user's or role's tags, sorted by key."""
        t = iam_schema.iam_tags
        query = sa.select(t.c.key, t.c.value).where(t.c.owner_id == owner_id).order_by(t.c.key)
        return [(row.key, row.value) for row in self.conn.execute(query)]

    def put_tags(self, owner_id: str, tags: Iterable[tuple[str, str]]) -> None:
        """Add tags, replacing those under keys equal case-insensitively."""
        pairs = dict(tags)
        if not pairs:
            return
        self.delete_tags(owner_id, pairs)
        t = iam_schema.iam_tags
        self.conn.execute(
            t.insert(), [{"owner_id": owner_id, "key": k, "value": v} for k, v in pairs.items()]
        )

    def delete_tags(self, owner_id: str, keys: Iterable[str]) -> None:
        """Remove the tags under these keys, compared case-insensitively."""
        wanted = sorted({key.lower() for key in keys})
        if wanted:
            t = iam_schema.iam_tags
            self.conn.execute(t.delete().where(t.c.owner_id == owner_id, sa.func.lower(t.c.key).in_(wanted)))

    # ------------------------------------------------------------ for policy evaluation
    def identity_policies(self, account_id: str, kind: str, name: str) -> list[tuple[str, str]]:
        """Every identity policy of a user (its own, then its groups') or a role:
        ``(label, document JSON)``, the label being a managed policy's ARN or
        ``user/NAME/POLICY``, ``group/NAME/POLICY``, ``role/NAME/POLICY`` for an inline
        one. ``[]`` for a user or role that does not exist."""
        if kind not in ("user", "role"):
            return []
        owner = self._by_name(kind, account_id, name)
        if owner is None:
            return []
        owner_name = owner[f"{kind}_name"]
        owner_id = owner[f"{kind}_id"]
        result = self._policies_of(kind, owner_name, owner_id)
        if kind == "user":
            for group in self.groups_of(owner_id):
                result += self._policies_of("group", group["group_name"], group["group_id"])
        return result

    def _policies_of(self, kind: str, owner_name: str, owner_id: str) -> list[tuple[str, str]]:
        result = [
            (f"{kind}/{owner_name}/{policy_name}", document)
            for policy_name, document in self.inline_policies(owner_id)
        ]
        for arn in self.attached(owner_id):
            document = self.default_document(arn)
            if document is not None:
                result.append((arn, document))
        return result

    def principal_tags(self, account_id: str, kind: str, name: str) -> dict[str, str]:
        """The tags of a user or role (``{}`` if it does not exist)."""
        if kind not in ("user", "role"):
            return {}
        owner = self._by_name(kind, account_id, name)
        if owner is None:
            return {}
        return dict(self.tags(owner[f"{kind}_id"]))

    # ------------------------------------------------------------ STS sessions
    def insert_session(self, row: Row) -> None:
        """A session from AssumeRole: access_key_id (``ASIA…``), secret_access_key,
        session_token, account_id, role_name, role_arn, role_id, session_name,
        expires_at (epoch seconds, emulator time), source_identity_arn, create_date."""
        self.conn.execute(iam_schema.iam_sessions.insert(), [row])

    def find_session(self, access_key_id: str) -> Row | None:
        s = iam_schema.iam_sessions
        row = self.conn.execute(sa.select(s).where(s.c.access_key_id == access_key_id)).first()
        return None if row is None else dict(row._mapping)

    def delete_expired_sessions(self, before: float) -> None:
        s = iam_schema.iam_sessions
        self.conn.execute(s.delete().where(s.c.expires_at < before))
