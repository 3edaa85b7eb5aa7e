"""Launch templates and their versions: templates per account and region, looked up by
ID (:class:`ScopedRepository`) and by name, listed by criteria, counted for the quota;
versions by template and number, written and deleted one template at a time.

A version's data is JSON text the store keeps as given. Deleting a template forgets its
versions and this account's tags on it.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import Row, ScopedRepository, keyed_rows

_T = schema.launch_templates
_V = schema.launch_template_versions


class LaunchTemplateRepository(ScopedRepository):
    """Launch templates, named by ``launch_template_id`` (``lt-`` and 17 hex digits)."""

    id_name = "launch_template_id"
    table = _T
    _insert = PreparedInsert(_T)
    _insert_version = PreparedInsert(_V)

    _by_names = Prepared(lambda n: sa.select(_T).where(
        _T.c.account_id == sa.bindparam("account"),
        _T.c.region == sa.bindparam("region"),
        _T.c.launch_template_name.in_(Prepared.id_list(n)),
    ))

    _count = Prepared(lambda _: sa.select(sa.func.count()).select_from(_T).where(
        _T.c.account_id == sa.bindparam("account"),
        _T.c.region == sa.bindparam("region"),
    ))

    _versions = Prepared(lambda n: sa.select(_V).where(
        _V.c.launch_template_id == sa.bindparam("template"),
        _V.c.version_number.in_(Prepared.id_list(n, sa.Integer())),
    ).order_by(_V.c.version_number))

    _all_versions = Prepared(lambda _: sa.select(_V).where(
        _V.c.launch_template_id == sa.bindparam("template"),
    ).order_by(_V.c.version_number))

    _version_count = Prepared(lambda _: sa.select(sa.func.count()).select_from(_V).where(
        _V.c.launch_template_id == sa.bindparam("template"),
    ))

    _by_token = Prepared(lambda _: sa.select(_T).where(
        _T.c.account_id == sa.bindparam("account"),
        _T.c.region == sa.bindparam("region"),
        _T.c.client_token == sa.bindparam("token"),
    ))

    _version_by_token = Prepared(lambda _: sa.select(_V).where(
        _V.c.launch_template_id == sa.bindparam("template"),
        _V.c.client_token == sa.bindparam("token"),
    ))

    def insert(self, row: Row) -> None:
        self._insert.execute(self.conn, [row])

    def by_names(self, account_id: str, region: str, names: Iterable[str]) -> dict[str, Row]:
        """The templates of this scope with these names, by name (names match exactly)."""
        scope = {"account": account_id, "region": region}
        return keyed_rows(self._by_names, self.conn, scope, names, "launch_template_name")

    def by_client_token(self, account_id: str, region: str, token: str) -> Row | None:
        """The template created with this ``ClientToken``, if any."""
        rows = self._by_token.dicts(self.conn, {"account": account_id, "region": region, "token": token})
        return rows[0] if rows else None

    def version_by_client_token(self, template_id: str, token: str) -> Row | None:
        """The template's version created with this ``ClientToken``, if any."""
        rows = self._version_by_token.dicts(self.conn, {"template": template_id, "token": token})
        return rows[0] if rows else None

    def count(self, account_id: str, region: str) -> int:
        """How many launch templates this account has in this region."""
        [(total,)] = self._count.tuples(self.conn, {"account": account_id, "region": region})
        counted: int = total
        return counted

    def update(self, account_id: str, region: str, template_id: str, **values: object) -> None:
        """Set a template's ``default_version`` or ``latest_version``."""
        self.conn.execute(_T.update().where(_T.c.account_id == account_id, _T.c.region == region,
                                            _T.c.launch_template_id == template_id).values(**values))

    def delete(self, account_id: str, region: str, template_id: str) -> None:
        """Forget a template, its versions and this account's tags on it."""
        tags = schema.tags
        self.conn.execute(tags.delete().where(tags.c.account_id == account_id, tags.c.region == region,
                                              tags.c.resource_id == template_id))
        self.conn.execute(_V.delete().where(_V.c.launch_template_id == template_id))
        self.conn.execute(_T.delete().where(_T.c.account_id == account_id, _T.c.region == region,
                                            _T.c.launch_template_id == template_id))

    # ------------------------------------------------------------------ versions

    def insert_version(self, row: Row) -> None:
        self._insert_version.execute(self.conn, [row])

    def versions(self, template_id: str, numbers: Iterable[int] | None = None) -> list[Row]:
        """A template's versions, by number (those of ``numbers`` that exist, or all)."""
        if numbers is None:
            return self._all_versions.dicts(self.conn, {"template": template_id})
        wanted = sorted(set(numbers))
        found: list[Row] = []
        for start in range(0, len(wanted), 500):
            found += self._versions.dicts(self.conn, {"template": template_id}, wanted[start : start + 500])
        return found

    def version_count(self, template_id: str) -> int:
        [(total,)] = self._version_count.tuples(self.conn, {"template": template_id})
        counted: int = total
        return counted

    def delete_versions(self, template_id: str, numbers: Iterable[int]) -> None:
        wanted = list(numbers)
        if wanted:
            self.conn.execute(_V.delete().where(_V.c.launch_template_id == template_id,
                                                _V.c.version_number.in_(wanted)))
