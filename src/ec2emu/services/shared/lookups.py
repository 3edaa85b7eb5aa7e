"""Looking up resources by ID, with the errors the service's catalogue gives for them
(EC2's volumes and snapshots: ``Invalid id: "x" (expecting "vol-...")`` for a malformed
ID, and ``The volume 'x' does not exist.`` / ``The volumes 'x, y' do not exist.`` naming
every unknown one). IDs are deduplicated in the order first given; the whole lookup
fails before anything changes. Stored resources are read through their repository
(:func:`stored`); built-in ones (a default VPC, the image catalogue) through a function of
the request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext

# (ctx, IDs, **options) -> the resources of these IDs that exist for the request's account
# and region, by ID (others may come too).
Getter = Callable[..., Mapping[str, Any]]


def stored(repository: str) -> Getter:
    """The look-up of a repository of the unit of work (``ctx.uow.<repository>.get``);
    keyword options go to its ``get`` (``details=True``)."""

    def get(ctx: RequestContext, wanted: list[str], **options: Any) -> Mapping[str, Any]:
        found: Mapping[str, Any] = getattr(ctx.uow, repository).get(ctx.account_id, ctx.region, wanted, **options)
        return found

    return get


@dataclass(frozen=True)
class ResourceKind:
    prefix: str
    malformed: Callable[[str], Ec2Error]  # the service catalogue's error for a malformed ID
    not_found: Callable[[list[str]], Ec2Error]  # ... and for the unknown ones, all named
    get: Getter  # the resources of given IDs that exist, by ID

    def check_ids(self, values: Iterable[str]) -> list[str]:
        unique = list(dict.fromkeys(values))
        for value in unique:
            if not ids.is_well_formed(self.prefix, value):
                raise self.malformed(value)
        return unique

    def load(
        self, ctx: RequestContext, values: Iterable[str], **options: Any
    ) -> tuple[list[str], dict[str, dict[str, Any]]]:
        """The IDs (deduplicated, in order) and their resources; every one must exist."""
        unique = self.check_ids(values)
        found = self.get(ctx, unique, **options)
        missing = [value for value in unique if value not in found]
        if missing:
            raise self.not_found(missing)
        return unique, {value: found[value] for value in unique}

    def one(self, ctx: RequestContext, value: str, **options: Any) -> dict[str, Any]:
        """The resource of one ID, which must exist."""
        return self.load(ctx, [value], **options)[1][value]
