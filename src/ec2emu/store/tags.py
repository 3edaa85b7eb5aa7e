"""Tags of every resource kind, per account and region."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import (
    Match,
    OrderingOnly,
    Repository,
    Row,
    pattern_clause,
)
from ec2emu.store.shown import gone_ids


class TagRepository(Repository):
    table = schema.tags
    _insert = PreparedInsert(table)

    # The scope columns are only checked, never used to pick an index: without statistics
    # SQLite would walk every tag of the region through the covering ``(account, region,
    # key, value, resource_id)`` index instead of the resources' few rows.
    _of_resources = Prepared(lambda n: (
        sa.select(TagRepository.table.c.resource_id, TagRepository.table.c.key, TagRepository.table.c.value)
        .where(
            OrderingOnly(TagRepository.table.c.account_id) == sa.bindparam("account"),
            OrderingOnly(TagRepository.table.c.region) == sa.bindparam("region"),
            TagRepository.table.c.resource_id.in_(Prepared.id_list(n)),
        )
        .order_by(TagRepository.table.c.resource_id, TagRepository.table.c.key)
    ))

    def for_resources(
        self, account_id: str, region: str, resource_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, str]]]:
        """This account's tags on each resource in this region (tags are per account, even
        on a shared resource such as a public image)."""
        ids = list(resource_ids)
        result: dict[str, list[tuple[str, str]]] = defaultdict(list)
        scope = {"account": account_id, "region": region}
        for start in range(0, len(ids), 500):
            for resource_id, key, value in self._of_resources.tuples(self.conn, scope, ids[start : start + 500]):
                result[resource_id].append((key, value))
        return result

    def put(
        self,
        account_id: str,
        region: str,
        resource_id: str,
        resource_type: str,
        tags: Iterable[tuple[str, str]],
    ) -> None:
        pairs = dict(tags)
        if not pairs:
            return
        t = self.table
        self.conn.execute(
            t.delete().where(
                t.c.account_id == account_id,
                t.c.region == region,
                t.c.resource_id == resource_id,
                t.c.key.in_(list(pairs)),
            )
        )
        self.conn.execute(
            t.insert(),
            [
                {
                    "resource_id": resource_id,
                    "key": key,
                    "value": value,
                    "account_id": account_id,
                    "region": region,
                    "resource_type": resource_type,
                }
                for key, value in pairs.items()
            ],
        )

    def put_many(
        self,
        account_id: str,
        region: str,
        resource_ids: Iterable[str],
        resource_type: str,
        tags: Iterable[tuple[str, str]],
    ) -> None:
        """The same tags on many resources (replacing those keys): a delete and an insert
        per 500 resources, not per resource."""
        pairs = dict(tags)
        ids = list(resource_ids)
        if not pairs or not ids:
            return
        t = self.table
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.conn.execute(
                t.delete().where(
                    t.c.account_id == account_id,
                    t.c.region == region,
                    t.c.resource_id.in_(chunk),
                    t.c.key.in_(list(pairs)),
                )
            )
            self._insert.execute(
                self.conn,
                [
                    {"resource_id": resource_id, "key": key, "value": value, "account_id": account_id,
                     "region": region, "resource_type": resource_type}
                    for resource_id in chunk
                    for key, value in pairs.items()
                ],
            )

    def delete(
        self, account_id: str, region: str, resource_id: str, key: str, value: str | None = None
    ) -> None:
        t = self.table
        query = t.delete().where(
            t.c.account_id == account_id,
            t.c.region == region,
            t.c.resource_id == resource_id,
            t.c.key == key,
        )
        if value is not None:
            query = query.where(t.c.value == value)
        self.conn.execute(query)

    def delete_all(self, account_id: str, region: str, resource_ids: list[str]) -> None:
        """Every tag of the resources (resources that are gone)."""
        t = self.table
        self.conn.execute(t.delete().where(t.c.account_id == account_id, t.c.region == region,
                                           t.c.resource_id.in_(resource_ids)))

    def find(
        self,
        account_id: str,
        region: str,
        matches: Iterable[Match] = (),
        *,
        after: tuple[str, str] | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        """Tags matching every criterion (fields: resource_id, resource_type, key, value),
        but those of resources gone by the bound moment."""
        t = self.table
        query = sa.select(t).where(t.c.account_id == account_id, t.c.region == region,
                                   t.c.resource_id.not_in(gone_ids()))
        for match in matches:
            query = query.where(pattern_clause(t.c[match.field], match.patterns))
        if after is not None:
            query = query.where(sa.tuple_(t.c.resource_id, t.c.key) > sa.tuple_(*(sa.literal(v) for v in after)))
        query = query.order_by(t.c.resource_id, t.c.key)
        if limit is not None:
            query = query.limit(limit)
        return [dict(row._mapping) for row in self.conn.execute(query, self.binds)]
