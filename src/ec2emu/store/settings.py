"""Settings: a small key-value table (JSON values) and counters."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared
from ec2emu.store.queries import (
    Repository,
)


class SettingsRepository(Repository):
    table = schema.settings
    # Counters are read and written on every launch: statements built once.
    _get = Prepared(lambda _: sa.select(SettingsRepository.table.c.value)
                    .where(SettingsRepository.table.c.key == sa.bindparam("key")))
    _update = (table.update().where(table.c.key == sa.bindparam("setting_key"))
               .values(value=sa.bindparam("encoded")))
    _insert = table.insert().values(key=sa.bindparam("setting_key"), value=sa.bindparam("encoded"))

    def get(self, key: str) -> Any:
        rows = self._get.tuples(self.conn, {"key": key})
        value = rows[0][0] if rows else None
        return None if value is None else json.loads(value)

    def set(self, key: str, value: Any) -> None:
        bound = {"setting_key": key, "encoded": json.dumps(value)}
        updated = self.conn.execute(self._update, bound)
        if updated.rowcount == 0:
            self.conn.execute(self._insert, bound)

    def delete(self, key: str) -> None:
        self.conn.execute(self.table.delete().where(self.table.c.key == key))

    def next_counter(self, key: str, count: int = 1, start: int = 0) -> int:
        """Reserve ``count`` consecutive numbers under ``key``; returns the first."""
        current = self.get(key)
        first = start if current is None else int(current)
        self.set(key, first + count)
        return first
