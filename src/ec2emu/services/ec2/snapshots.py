"""EBS snapshots: CreateSnapshot, DescribeSnapshots and DeleteSnapshot.

A snapshot is ``pending`` for ``Durations.snapshot`` seconds of the emulator's clock,
then ``completed`` (applied by the settler, like every timed state). While
pending, ``Progress`` runs from 0% towards 99% with the clock; completed reads 100%.
A snapshot keeps the size, encryption and KMS key of its volume, and survives the
volume's deletion.

Rules: the volume must exist (``InvalidVolume.NotFound``) and not be ``creating`` or
``deleting`` (``IncorrectState``); ``Description`` is at most 255 characters;
``TagSpecifications`` may tag the ``snapshot``. A snapshot that a registered image uses
cannot be deleted: ``InvalidSnapshot.InUse`` "The snapshot snap-… is currently in use
by ami-…". A pending snapshot may be deleted. CreateSnapshot refuses ``OutpostArn`` and ``Location``
(Outposts and Local Zones) by name.

DescribeSnapshots lists, by default, the snapshots the caller may create volumes from:
its own, those shared with it and the public ones (ModifySnapshotAttribute,
:mod:`ec2emu.services.ec2.snapshot_sharing`); the catalogue images' root snapshots are not
listed (they are reachable only through their images). ``OwnerIds`` keeps those owned by
the accounts named (``self`` is the caller; ``amazon``, ``aws-marketplace`` and
``aws-backup-vault`` own no stored snapshot, so select none). ``RestorableByUserIds``, as
AWS documents it: ``self`` — the caller's own and those shared with it explicitly (not
merely public), ``all`` — the public ones, an account ID — the caller's own snapshots
shared with that account (the caller's own ID counts as ``self``). Another account's
tags are not shared: its snapshots show the caller's tags only (none), and tag filters
read the caller's tags. Filters: ``snapshot-id``, ``volume-id``, ``status``, ``volume-size``,
``description``, ``encrypted``, ``owner-id``, ``owner-alias`` (never matches),
``progress``, ``storage-tier`` (``standard`` or ``archive``, as the clock shows the
snapshot's tier: :mod:`ec2emu.services.ec2.snapshot_tiers`; it and ``progress`` are matched
on each page), ``tag:<Key>``, ``tag-key``,
``tag-value``. ``MaxResults`` 5–1000 with an opaque ``NextToken``; ``SnapshotIds``
together with ``MaxResults`` is refused. Unknown IDs answer ``InvalidSnapshot.NotFound``
("The snapshot 'snap-…' does not exist."; the plural form for several is our wording).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ec2emu.services.ec2.errors import (
    description_too_long,
    malformed_user_id,
    snapshot_in_use,
    volume_state,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.tier_state import restore_expiry, storage_tier, tiers_of
from ec2emu.services.ec2.views import encrypted_and_tagged, timestamp
from ec2emu.services.ec2.volumes import SNAPSHOTS, USABLE_SNAPSHOTS, VOLUMES
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Finder, by_ids, describe, in_repository
from ec2emu.services.shared.filters import booleans, integers, nothing, times
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match
from ec2emu.store.snapshots import Reach

MAX_DESCRIPTION = 255


def _progress(row: dict[str, Any], now: float) -> str:
    if row["state"] == "completed":
        return "100%"
    if row["due_at"] is None or row["due_at"] <= row["start_time"]:
        return "0%"
    done = (now - row["start_time"]) / (row["due_at"] - row["start_time"])
    return f"{max(0, min(99, int(done * 100)))}%"


def snapshot_view(row: dict[str, Any], tags: list[tuple[str, str]] | None, now: float,
                  tier: dict[str, Any] | None = None) -> dict[str, Any]:
    """A snapshot's view; ``tier``: its last tiering operation, if any."""
    view: dict[str, Any] = {
        "SnapshotId": row["snapshot_id"],
        "VolumeId": row["volume_id"] or "vol-ffffffff",
        "State": row["state"],
        "StartTime": timestamp(row["start_time"]),
        "Progress": _progress(row, now),
        "OwnerId": row["account_id"],
        "Description": row["description"] or "",
        "VolumeSize": row["volume_size"],
        "Encrypted": row["encrypted"],
        "StorageTier": storage_tier(tier, now),
    }
    expiry = restore_expiry(tier, now)
    if expiry is not None:
        view["RestoreExpiryTime"] = timestamp(expiry)
    return encrypted_and_tagged(view, row, tags)


def new_snapshot_row(ctx: RequestContext, volume: dict[str, Any], description: str | None) -> dict[str, Any]:
    return {
        "snapshot_id": ids.new_id("snap"),
        "account_id": ctx.account_id,
        "region": ctx.region,
        "volume_id": volume["volume_id"],
        "volume_size": volume["size"],
        "description": description,
        "encrypted": volume["encrypted"],
        "kms_key_id": volume["kms_key_id"],
        "state": "pending",
        "start_time": ctx.now_ts,
        "due_at": ctx.now_ts + ctx.durations.snapshot,
    }


def check_description(description: str | None) -> None:
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise description_too_long(MAX_DESCRIPTION)


@operation("CreateSnapshot", refuses=("OutpostArn", "Location"))
def create_snapshot(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    volume = VOLUMES.one(ctx, params["VolumeId"])
    description = params.get("Description")
    check_description(description)
    if volume["state"] not in ("available", "in-use"):
        raise volume_state(volume["volume_id"], volume["state"])
    snapshot_tags, = tags_from_specifications(params.get("TagSpecifications"), ("snapshot",))
    ctx.dry_run(params)
    row = new_snapshot_row(ctx, volume, description)
    ctx.uow.snapshots.insert([row])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["snapshot_id"], "snapshot", snapshot_tags)
    return snapshot_view(row, snapshot_tags, ctx.now_ts)


SNAPSHOT_FILTERS: dict[str, Any] = {
    "snapshot-id": "snapshot_id",
    "volume-id": "volume_id",
    "status": "state",
    "volume-size": integers("volume_size", "snapshot_id"),
    "description": "description",
    "encrypted": booleans("encrypted", "snapshot_id"),
    "owner-id": "account_id",
    "start-time": times("start_time", "snapshot_id"),
    "owner-alias": lambda values: nothing("snapshot_id"),
}


_AMAZON_OWNERS = ("amazon", "aws-marketplace", "aws-backup-vault")


def _owners(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    """``OwnerIds``: the snapshots owned by the accounts named."""
    owners = params.get("OwnerIds")
    if not owners:
        return []
    accounts = []
    for owner in owners:
        if owner == "self":
            accounts.append(ctx.account_id)
        elif len(owner) == 12 and owner.isdigit():
            accounts.append(owner)
        elif owner not in _AMAZON_OWNERS:
            raise malformed_user_id(owner)
    return [Match("account_id", tuple(dict.fromkeys(accounts)))] if accounts else [nothing("snapshot_id")]


def _reaches(ctx: RequestContext, params: dict[str, Any]) -> list[Reach]:
    """Whose snapshots the caller reaches (``RestorableByUserIds``; by default its own,
    those shared with it and the public ones)."""
    me = ctx.account_id
    users = params.get("RestorableByUserIds")
    if not users:
        return [Reach(me), Reach(None, (me, "all"))]
    reaches: list[Reach] = []
    for user in dict.fromkeys(users):
        if user in ("self", me):
            reaches += [Reach(me), Reach(None, (me,))]
        elif user == "all":
            reaches.append(Reach(None, ("all",)))
        elif len(user) == 12 and user.isdigit():
            reaches.append(Reach(me, (user,)))
        else:
            raise malformed_user_id(user)
    return reaches


def _visible(reaches: list[Reach]) -> Finder:
    def find(ctx: RequestContext, matches: list[Match], after: Any, limit: int | None) -> list[dict[str, Any]]:
        return ctx.uow.snapshots.find_visible(ctx.account_id, ctx.region, reaches, matches, after_id=after,
                                              limit=limit)

    return find


def _snapshot_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tiers = tiers_of(ctx, rows)
    return with_tags(ctx, [snapshot_view(row, None, ctx.now_ts, tiers.get(row["snapshot_id"])) for row in rows],
                     "SnapshotId")


DESCRIBE_SNAPSHOTS = Describe(
    result="Snapshots",
    key="snapshot_id",
    find=in_repository("snapshots"),
    view=_snapshot_views,
    filters=SNAPSHOT_FILTERS,
    view_filters={"progress": "Progress", "storage-tier": "StorageTier"},  # functions of the clock
    criteria=_owners,
    named=by_ids("SnapshotIds", "snapshotSet", USABLE_SNAPSHOTS),
)


@operation("DescribeSnapshots")
def describe_snapshots(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, replace(DESCRIBE_SNAPSHOTS, find=_visible(_reaches(ctx, params))))


@operation("DeleteSnapshot")
def delete_snapshot(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    snapshot_id = params["SnapshotId"]
    SNAPSHOTS.one(ctx, snapshot_id)
    users = ctx.uow.snapshots.images_using(snapshot_id)
    if users:
        raise snapshot_in_use(snapshot_id, users[0])
    ctx.dry_run(params)
    ctx.uow.snapshots.delete(snapshot_id)
    return {}
