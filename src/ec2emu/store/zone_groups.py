"""The zone groups each account has opted in to, per Region (:mod:`ec2emu.store.zone_schema`):
read by the primary key's account-and-Region prefix, written once per group."""

from __future__ import annotations

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared

_TABLE = schema.zone_group_opt_ins


class ZoneGroupRepository:
    _opted_in = Prepared(lambda _: sa.select(_TABLE.c.group_name).where(
        _TABLE.c.account_id == sa.bindparam("account"),
        _TABLE.c.region == sa.bindparam("region"),
    ))

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def opted_in(self, account_id: str, region: str) -> set[str]:
        """The groups this account has opted in to in this Region."""
        return {name for (name,) in self._opted_in.tuples(self.conn, {"account": account_id, "region": region})}

    def opt_in(self, account_id: str, region: str, group_name: str, at: float) -> None:
        """Record the opt-in (once: a group opted in already keeps its first moment)."""
        if group_name in self.opted_in(account_id, region):
            return
        self.conn.execute(_TABLE.insert().values(account_id=account_id, region=region, group_name=group_name,
                                                 opted_in_at=at))
