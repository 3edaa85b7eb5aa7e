"""Looking up stored resources by ID, with the errors the service's catalogue gives for
them (EC2's volumes and snapshots: ``Invalid id: "x" (expecting "vol-...")`` for a
malformed ID, and ``The volume 'x' does not exist.`` / ``The volumes 'x, y' do not
exist.`` naming every unknown one). IDs are deduplicated in the order first given; the
whole lookup fails before anything changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext


@dataclass(frozen=True)
class ResourceKind:
    prefix: str
    malformed: Callable[[str], Ec2Error]  # the service catalogue's error for a malformed ID
    not_found: Callable[[list[str]], Ec2Error]  # ... and for the unknown ones, all named
    repository: str  # the unit of work's attribute holding these resources

    def check_ids(self, values: Iterable[str]) -> list[str]:
        unique = list(dict.fromkeys(values))
        for value in unique:
            if not ids.is_well_formed(self.prefix, value):
                raise self.malformed(value)
        return unique

    def load(
        self, ctx: RequestContext, values: Iterable[str]
    ) -> tuple[list[str], dict[str, dict[str, Any]]]:
        unique = self.check_ids(values)
        rows = getattr(ctx.uow, self.repository).get(ctx.account_id, ctx.region, unique)
        missing = [value for value in unique if value not in rows]
        if missing:
            raise self.not_found(missing)
        return unique, rows

