"""The snapshot archive tier: ModifySnapshotTier, RestoreSnapshotTier and
DescribeSnapshotTierStatus.

ModifySnapshotTier (``StorageTier=archive``, the only value; absent: ``MissingParameter``)
archives one of the caller's own ``completed`` snapshots (another's is
``InvalidSnapshot.NotFound``, a pending one ``IncorrectState``); a snapshot a registered
image uses cannot be archived (``InvalidSnapshot.InUse``, as DeleteSnapshot answers); one
archived, being archived or being restored is ``IncorrectState``. Archival is
``archival-in-progress`` for ``Durations.snapshot_archive`` seconds of the clock, then
``archival-completed``: from then the snapshot is in the ``archive`` tier and cannot be
used to create a volume, copied or shared (``IncorrectState``, AWS's code for a snapshot
in the wrong state; the message is ours). Sharing ends with the request: its create-volume
permissions are removed (AWS disables sharing of archived snapshots). Archiving cannot be
cancelled.

RestoreSnapshotTier restores an archived snapshot (``IncorrectState`` otherwise) for
``TemporaryRestoreDays`` days (1–180, our knowledge of the console's range) or for good
(``PermanentRestore=true``); exactly one of the two (``InvalidParameterCombination`` for
both, ``MissingParameter`` for neither). The restore is ``…-restore-in-progress`` for
``Durations.snapshot_restore`` seconds, then ``…-restore-completed`` and the snapshot is
``standard`` again; a temporary one goes back to ``archive`` when its
``RestoreExpiryTime`` (the restore's end plus the days) passes. Answers ``RestoreDuration``
(the days; absent for a permanent restore) and ``IsPermanentRestore``.

DescribeSnapshotTierStatus lists the caller's snapshots that have been archived or
restored (one entry each, its last operation): ``Status`` (the snapshot's state),
``StorageTier``, ``LastTieringStartTime``, ``LastTieringProgress`` (0–100 over the
operation's time), ``LastTieringOperationStatus``, ``LastTieringOperationStatusDetail``
(our wording), ``ArchivalCompleteTime`` (once archived), ``RestoreExpiryTime``, ``Tags``.
Filters ``snapshot-id``, ``volume-id`` and ``last-tiering-operation`` (the operation's
status, e.g. ``archival-completed``); ``MaxResults`` 5–1000 with ``NextToken``.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.services.ec2.ebs_errors import already_archived, not_archived, restore_choice, restore_days
from ec2emu.services.ec2.errors import snapshot_in_use, snapshot_state
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.tier_state import ARCHIVE, restore_expiry, storage_tier, tiers_of
from ec2emu.services.ec2.views import timestamp, with_members
from ec2emu.services.ec2.volumes import SNAPSHOTS
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, describe, in_repository
from ec2emu.services.shared.tagging import with_tags

DAY = 86400.0
MAX_RESTORE_DAYS = 180
_DETAILS = {
    "archival-in-progress": "Archival in progress", "archival-completed": "Archival completed",
    "temporary-restore-in-progress": "Temporary restore in progress",
    "temporary-restore-completed": "Temporary restore completed",
    "permanent-restore-in-progress": "Permanent restore in progress",
    "permanent-restore-completed": "Permanent restore completed",
}


@operation("ModifySnapshotTier")
def modify_snapshot_tier(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    snapshot = SNAPSHOTS.one(ctx, params["SnapshotId"])
    snapshot_id = snapshot["snapshot_id"]
    if params.get("StorageTier") is None:
        raise missing_parameter("storageTier")
    if snapshot["state"] != "completed":
        raise snapshot_state(snapshot_id, snapshot["state"])
    users = ctx.uow.snapshots.images_using(snapshot_id)
    if users:
        raise snapshot_in_use(snapshot_id, users[0])
    tier = tiers_of(ctx, [snapshot]).get(snapshot_id)
    if tier is not None and (tier["status"].endswith("-in-progress") or storage_tier(tier, ctx.now_ts) == ARCHIVE):
        raise already_archived(snapshot_id)
    ctx.dry_run(params)
    now = ctx.now_ts
    due = now + ctx.durations.snapshot_archive
    ctx.uow.snapshot_tiers.put({
        "snapshot_id": snapshot_id, "account_id": ctx.account_id, "region": ctx.region,
        "volume_id": snapshot["volume_id"], "status": "archival-in-progress", "due_at": due,
        "tiering_start_time": now, "archival_complete_time": due, "restore_start_time": None,
        "restore_expiry_time": None,
    })
    ctx.uow.snapshots.revoke(snapshot_id)
    return {"SnapshotId": snapshot_id, "TieringStartTime": timestamp(now)}


@operation("RestoreSnapshotTier")
def restore_snapshot_tier(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    snapshot = SNAPSHOTS.one(ctx, params["SnapshotId"])
    snapshot_id = snapshot["snapshot_id"]
    days = params.get("TemporaryRestoreDays")
    permanent = bool(params.get("PermanentRestore"))
    if days is not None and permanent:
        raise restore_choice()
    if days is None and not permanent:
        raise missing_parameter("temporaryRestoreDays or permanentRestore")
    if days is not None and not 1 <= days <= MAX_RESTORE_DAYS:
        raise restore_days(days)
    tier = tiers_of(ctx, [snapshot]).get(snapshot_id)
    if tier is None or tier["status"].endswith("-in-progress") or storage_tier(tier, ctx.now_ts) != ARCHIVE:
        raise not_archived(snapshot_id)
    ctx.dry_run(params)
    now = ctx.now_ts
    due = now + ctx.durations.snapshot_restore
    kind = "permanent" if permanent else "temporary"
    ctx.uow.snapshot_tiers.put({
        **tier, "status": f"{kind}-restore-in-progress", "due_at": due, "tiering_start_time": now,
        "restore_start_time": now, "restore_expiry_time": None if days is None else due + days * DAY,
    })
    result: dict[str, Any] = {"SnapshotId": snapshot_id, "RestoreStartTime": timestamp(now),
                              "IsPermanentRestore": permanent}
    if days is not None:
        result["RestoreDuration"] = days
    return result


def _progress(tier: dict[str, Any], now: float) -> int:
    if not tier["status"].endswith("-in-progress"):
        return 100
    span = (tier["due_at"] or now) - tier["tiering_start_time"]
    return 0 if span <= 0 else max(0, min(99, int((now - tier["tiering_start_time"]) / span * 100)))


def _tier_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    snapshots = ctx.uow.snapshots.get(ctx.account_id, ctx.region, [row["snapshot_id"] for row in rows])
    now = ctx.now_ts
    views = []
    for tier in rows:
        snapshot = snapshots.get(tier["snapshot_id"])
        view: dict[str, Any] = {
            "SnapshotId": tier["snapshot_id"],
            "VolumeId": tier["volume_id"] or "vol-ffffffff",
            "Status": snapshot["state"] if snapshot else "completed",
            "OwnerId": tier["account_id"],
            "StorageTier": storage_tier(tier, now),
            "LastTieringStartTime": timestamp(tier["tiering_start_time"]),
            "LastTieringProgress": _progress(tier, now),
            "LastTieringOperationStatus": tier["status"],
            "LastTieringOperationStatusDetail": _DETAILS.get(tier["status"], tier["status"]),
        }
        archived_at = tier["archival_complete_time"]
        expiry = restore_expiry(tier, now)
        views.append(with_members(
            view, ArchivalCompleteTime=timestamp(archived_at) if tier["status"] != "archival-in-progress" and
            archived_at is not None else None,
            RestoreExpiryTime=timestamp(expiry) if expiry is not None else None))
    return with_tags(ctx, views, "SnapshotId")


DESCRIBE_TIER_STATUS = Describe(
    result="SnapshotTierStatuses",
    key="snapshot_id",
    find=in_repository("snapshot_tiers"),
    view=_tier_views,
    filters={"snapshot-id": "snapshot_id", "volume-id": "volume_id", "last-tiering-operation": "status"},
    tags=None,
)


@operation("DescribeSnapshotTierStatus")
def describe_snapshot_tier_status(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_TIER_STATUS)
