"""EC2 key pairs: rows per account and region, looked up by ID (:class:`ScopedRepository`),
by name and by fingerprint, counted for the quota, deleted with their tags.

A row holds the public half only — the OpenSSH public key, its fingerprint and type: a
created pair's private key is handed back once by the service and never reaches the
store. Names are unique within an account and region (``ux_key_pairs_scope_name``), the
index name look-ups use.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import Row, ScopedRepository, keyed_rows


class KeyPairRepository(ScopedRepository):
    """Key pairs, named by ``key_pair_id`` (``key-`` and 17 hex digits)."""

    id_name = "key_pair_id"
    table = schema.key_pairs
    _insert = PreparedInsert(table)

    _by_names = Prepared(lambda n: sa.select(schema.key_pairs).where(
        schema.key_pairs.c.account_id == sa.bindparam("account"),
        schema.key_pairs.c.region == sa.bindparam("region"),
        schema.key_pairs.c.key_name.in_(Prepared.id_list(n)),
    ))

    _count = Prepared(lambda _: sa.select(sa.func.count()).select_from(schema.key_pairs).where(
        schema.key_pairs.c.account_id == sa.bindparam("account"),
        schema.key_pairs.c.region == sa.bindparam("region"),
    ))

    def insert(self, row: Row) -> None:
        self._insert.execute(self.conn, [row])

    def by_names(self, account_id: str, region: str, names: Iterable[str]) -> dict[str, Row]:
        """The key pairs of this scope with these names, by name (names match exactly)."""
        return keyed_rows(self._by_names, self.conn, {"account": account_id, "region": region}, names, "key_name")

    def count(self, account_id: str, region: str) -> int:
        """How many key pairs this account has in this region."""
        [(total,)] = self._count.tuples(self.conn, {"account": account_id, "region": region})
        counted: int = total  # COUNT(*) is an integer on every dialect
        return counted

    def delete(self, account_id: str, region: str, key_pair_id: str) -> None:
        """Forget a key pair and this account's tags on it."""
        t, tags = self.table, schema.tags
        self.conn.execute(tags.delete().where(tags.c.account_id == account_id, tags.c.region == region,
                                              tags.c.resource_id == key_pair_id))
        self.conn.execute(t.delete().where(t.c.account_id == account_id, t.c.region == region,
                                           t.c.key_pair_id == key_pair_id))
