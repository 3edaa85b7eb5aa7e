"""Looking up stored resources by ID, with EC2's errors, for resources whose messages
follow one pattern (volumes, snapshots): ``Invalid id: "x" (expecting "vol-...")`` for a
malformed ID, and ``The volume 'x' does not exist.`` / ``The volumes 'x, y' do not
exist.`` naming every unknown one. IDs are deduplicated in the order first given; the
whole lookup fails before anything changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext


@dataclass(frozen=True)
class ResourceKind:
    prefix: str
    malformed_code: str
    not_found_code: str
    noun: str
    repository: str  # the unit of work's attribute holding these resources

    def check_ids(self, values: Iterable[str]) -> list[str]:
        unique = list(dict.fromkeys(values))
        for value in unique:
            if not ids.is_well_formed(self.prefix, value):
                raise Ec2Error(
                    self.malformed_code, f'Invalid id: "{value}" (expecting "{self.prefix}-...")'
                )
        return unique

    def not_found(self, missing: list[str]) -> Ec2Error:
        if len(missing) == 1:
            return Ec2Error(self.not_found_code, f"The {self.noun} '{missing[0]}' does not exist.")
        return Ec2Error(
            self.not_found_code, f"The {self.noun}s '{', '.join(missing)}' do not exist."
        )

    def load(
        self, ctx: RequestContext, values: Iterable[str]
    ) -> tuple[list[str], dict[str, dict[str, Any]]]:
        unique = self.check_ids(values)
        rows = getattr(ctx.uow, self.repository).get(ctx.account_id, ctx.region, unique)
        missing = [value for value in unique if value not in rows]
        if missing:
            raise self.not_found(missing)
        return unique, rows


VOLUMES = ResourceKind("vol", "InvalidVolumeID.Malformed", "InvalidVolume.NotFound", "volume", "volumes")
SNAPSHOTS = ResourceKind(
    "snap", "InvalidSnapshotID.Malformed", "InvalidSnapshot.NotFound", "snapshot", "snapshots"
)
