"""Network interfaces, with their private addresses and security groups (one aggregate):
rows per account and region, look-ups by ID, listings by criteria, the interfaces
attached to instances, the interfaces that use a group, and writes.

A row read through :meth:`NetworkInterfaceRepository.get`, ``find`` or ``attached_to``
carries ``addresses`` (its rows of ``network_interface_addresses``, the primary first,
then by address) and ``groups`` (``{"GroupId", "GroupName"}`` in the order given), read
for the whole page in two more statements through the child tables' primary keys.

Interfaces are shown as the clock implies (:mod:`ec2emu.store.shown`): one attached to an
instance whose termination is over is gone (DeleteOnTermination) or ``available`` and
detached, before the settler persists it; what it held (addresses, groups) is then held
no more (:meth:`NetworkInterfaceRepository.users_of_group`, and the subnets' counts in
:mod:`ec2emu.store.subnets`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from typing import Any

import sqlalchemy as sa

from ec2emu.store import schema
from ec2emu.store.prepared import Prepared, PreparedInsert
from ec2emu.store.queries import Row, ScopedRepository, children_of
from ec2emu.store.shown import shown

_N = schema.network_interfaces
_A = schema.network_interface_addresses
_G = schema.network_interface_groups


def _attached_to(n: int, *, due: bool) -> sa.Select[Any]:
    view = shown(_N)
    return view.select(due=due).where(_N.c.instance_id.in_(Prepared.id_list(n)), view.c["instance_id"].is_not(None))


def _users_of_group() -> sa.Select[Any]:
    view = shown(_N)
    return (sa.select(_G.c.network_interface_id)
            .select_from(_G.join(view.from_, _N.c.network_interface_id == _G.c.network_interface_id))
            .where(_G.c.account_id == sa.bindparam("account"), _G.c.region == sa.bindparam("region"),
                   _G.c.group_id == sa.bindparam("group"), view.present)
            .order_by(_G.c.network_interface_id))


_USERS = _users_of_group()


class NetworkInterfaceRepository(ScopedRepository):
    """Network interfaces, named by ``network_interface_id`` (``eni-``)."""

    id_name = "network_interface_id"
    table = _N
    _insert = PreparedInsert(_N)
    _insert_addresses = PreparedInsert(_A)
    _insert_groups = PreparedInsert(_G)
    _attached = {due: Prepared(partial(_attached_to, due=due)) for due in (False, True)}

    # ------------------------------------------------------------------ reads

    def get(self, account_id: str, region: str, resource_ids: Iterable[str]) -> dict[str, Row]:
        rows = super().get(account_id, region, resource_ids)
        self._with_details(list(rows.values()))
        return rows

    def attached_to(self, instance_ids: Iterable[str]) -> dict[str, list[Row]]:
        """The interfaces attached to each instance (as shown at the bound moment), by
        device index, with their details."""
        ids = list(instance_ids)
        result: dict[str, list[Row]] = defaultdict(list)
        rows: list[Row] = []
        for start in range(0, len(ids), 500):
            rows += self.shown(self._attached[self.writing].dicts(self.conn, self.binds, ids[start:start + 500]))
        for row in sorted(self._with_details(rows), key=lambda row: row["device_index"]):
            result[row["instance_id"]].append(row)
        return result

    def users_of_group(self, account_id: str, region: str, group_id: str) -> list[str]:
        """The interfaces (as shown: one gone with its instance uses nothing) that use the group."""
        found = self.conn.execute(_USERS, {"account": account_id, "region": region, "group": group_id,
                                           **self.binds})
        return [row[0] for row in found]

    def _with_details(self, rows: list[Row]) -> list[Row]:
        ids = [row["network_interface_id"] for row in rows]
        addresses = children_of(self.conn, (_A, "network_interface_id"), ids, "private_ip")
        groups = children_of(self.conn, (_G, "network_interface_id"), ids, "position")
        for row in rows:
            held = addresses.get(row["network_interface_id"], [])
            row["addresses"] = sorted(held, key=lambda address: not address["is_primary"])
            row["groups"] = [{"GroupId": group["group_id"], "GroupName": group["group_name"]}
                             for group in groups.get(row["network_interface_id"], [])]
        return rows

    # ------------------------------------------------------------------ writes

    def insert(self, rows: list[Row]) -> None:
        """Interfaces, each with its ``addresses`` (private IPs, the first the primary one)
        and ``groups`` (``{"GroupId", "GroupName"}``), in three bulk inserts."""
        interfaces, addresses, groups = [], [], []
        for row in rows:
            interfaces.append({key: value for key, value in row.items() if key not in ("addresses", "groups")})
            addresses += self._address_rows(row, row["addresses"], primary=row["private_ip"])
            groups += self._group_rows(row, row["groups"])
        self._insert.execute(self.conn, interfaces)
        self._insert_addresses.execute(self.conn, addresses)
        self._insert_groups.execute(self.conn, groups)

    @staticmethod
    def _address_rows(row: Row, addresses: Iterable[str], primary: str | None = None) -> list[Row]:
        return [{"network_interface_id": row["network_interface_id"], "private_ip": address,
                 "account_id": row["account_id"], "region": row["region"], "subnet_id": row["subnet_id"],
                 "is_primary": address == primary} for address in addresses]

    @staticmethod
    def _group_rows(row: Row, groups: list[dict[str, str]]) -> list[Row]:
        return [{"network_interface_id": row["network_interface_id"], "group_id": group["GroupId"],
                 "group_name": group["GroupName"], "position": position, "account_id": row["account_id"],
                 "region": row["region"]} for position, group in enumerate(groups)]

    def update(self, interface_id: str, values: Row) -> None:
        self.conn.execute(_N.update().where(_N.c.network_interface_id == interface_id).values(**values))

    def set_groups(self, row: Row, groups: list[dict[str, str]]) -> None:
        """The interface's groups replaced by ``groups``, in that order."""
        self.conn.execute(_G.delete().where(_G.c.network_interface_id == row["network_interface_id"]))
        self._insert_groups.execute(self.conn, self._group_rows(row, groups))

    def add_addresses(self, row: Row, addresses: list[str]) -> None:
        """Secondary private addresses for the interface (in its subnet)."""
        self._insert_addresses.execute(self.conn, self._address_rows(row, addresses))

    def remove_addresses(self, interface_id: str, addresses: list[str]) -> None:
        self.conn.execute(_A.delete().where(_A.c.network_interface_id == interface_id,
                                            _A.c.private_ip.in_(addresses), _A.c.is_primary.is_(False)))

    def delete(self, interface_id: str) -> None:
        """The interface, its addresses, its groups and its tags."""
        for table, key in ((schema.tags, "resource_id"), (_A, "network_interface_id"),
                           (_G, "network_interface_id"), (_N, "network_interface_id")):
            self.conn.execute(table.delete().where(table.c[key] == interface_id))
