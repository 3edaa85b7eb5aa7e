"""EBS volumes: rows, look-ups, listings, attachments by instance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import (
    Row,
    ScopedRepository,
)
from ec2emu.store.shown import shown


def _attached_to(n: int, *, due: bool) -> sa.Select[Any]:
    view = shown(schema.volumes)
    return view.select(due=due).where(
        schema.volumes.c.instance_id.in_(Prepared.id_list(n)), view.c["instance_id"].is_not(None),
    ).order_by(schema.volumes.c.device)


class VolumeRepository(ScopedRepository):
    """EBS volumes. A volume's ``state`` is creating, available, in-use or deleting; while
    attached, ``attachment_state`` is attaching, attached or detaching. ``due_at`` is when
    the current timed state (creating, attaching, detaching, deleting) ends."""

    id_name = "volume_id"
    table = schema.volumes
    _insert = PreparedInsert(table)

    def insert(self, rows: list[Row]) -> None:
        self._insert.execute(self.conn, rows)

    def update(self, volume_id: str, values: Row) -> None:
        v = self.table
        self.conn.execute(v.update().where(v.c.volume_id == volume_id).values(**values))

    def next_due(self) -> float | None:
        return self.conn.execute(sa.select(sa.func.min(self.table.c.due_at))).scalar()

    _attached = {due: Prepared(partial(_attached_to, due=due)) for due in (False, True)}

    def attached_to(self, instance_ids: Iterable[str]) -> dict[str, list[Row]]:
        """The volumes attached to each instance (as shown at the bound moment), by device."""
        ids = list(instance_ids)
        result: dict[str, list[Row]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            for row in self.shown(self._attached[self.writing].dicts(self.conn, self.binds,
                                                                     ids[start : start + 500])):
                result[row["instance_id"]].append(row)
        return result
