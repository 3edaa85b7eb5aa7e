"""Which storage tier a snapshot is in now, from its last tiering operation
(:mod:`ec2emu.services.ec2.snapshot_tiers`): shared by the calls that must refuse an
archived snapshot (CreateVolume, CopySnapshot, ModifySnapshotAttribute) and the views.

A snapshot is in the ``archive`` tier once its archival has completed, while a restore is
in progress, and again once a temporary restore has expired (the restore's
``RestoreExpiryTime`` has passed); otherwise in ``standard`` (while it is being archived,
too: it can still be used until the archival completes).
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.ebs_errors import archived
from ec2emu.services.shared.context import RequestContext

ARCHIVE, STANDARD = "archive", "standard"
_ARCHIVED = ("archival-completed", "temporary-restore-in-progress", "permanent-restore-in-progress")
TEMPORARY_DONE = "temporary-restore-completed"


def storage_tier(tier: dict[str, Any] | None, now: float) -> str:
    if tier is None:
        return STANDARD
    if tier["status"] in _ARCHIVED:
        return ARCHIVE
    expiry = tier["restore_expiry_time"]
    if tier["status"] == TEMPORARY_DONE and expiry is not None and now >= expiry:
        return ARCHIVE
    return STANDARD


def restore_expiry(tier: dict[str, Any] | None, now: float) -> float | None:
    """When a temporarily restored snapshot goes back to the archive (while it has not)."""
    if tier is None or tier["restore_expiry_time"] is None:
        return None
    expired = tier["status"] == TEMPORARY_DONE and now >= tier["restore_expiry_time"]
    return None if expired else float(tier["restore_expiry_time"])


def tiers_of(ctx: RequestContext, snapshots: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last tiering operation of each snapshot that has one, by snapshot ID (read in the
    owner's scope: a shared snapshot's is its owner's)."""
    found: dict[str, dict[str, Any]] = {}
    scopes: dict[tuple[str, str], list[str]] = {}
    for row in snapshots:
        scopes.setdefault((row["account_id"], row["region"]), []).append(row["snapshot_id"])
    for (account_id, region), ids in scopes.items():
        found.update(ctx.uow.snapshot_tiers.get(account_id, region, ids))
    return found


def refuse_archived(ctx: RequestContext, snapshot: dict[str, Any], use: str) -> None:
    """``IncorrectState`` for a snapshot in the archive tier (``use``: "shared", "copied",
    "used to create a volume")."""
    tier = tiers_of(ctx, [snapshot]).get(snapshot["snapshot_id"])
    if storage_tier(tier, ctx.now_ts) == ARCHIVE:
        raise archived(snapshot["snapshot_id"], use)
