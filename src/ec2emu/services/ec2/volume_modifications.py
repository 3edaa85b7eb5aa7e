"""Modifying EBS volumes: ModifyVolume and DescribeVolumesModifications.

A modification goes ``modifying`` → ``optimizing`` → ``completed`` on the emulator's clock
(``Durations.volume_modifying``, then ``Durations.volume_optimizing``; the settler applies
them, :mod:`ec2emu.lifecycle.machines`). The volume takes the target size, type, IOPS
and throughput when ``optimizing`` begins — DescribeVolumes shows them from that moment
(readers overlay a due modification's targets; the settler writes them to the volume, so
DescribeVolumes' ``size``, ``volume-type`` filters test them once it has run).
``Progress`` runs from 0 at ``StartTime`` to 100 at ``EndTime`` (shown once
``completed``). Each volume keeps its latest modification only, as AWS lists the most
recent one; deleting the volume forgets it (DeleteVolume at once; a volume deleted with
its instance is left out from the moment it is gone, and its row removed with the
volume's by the settler).

Rules, as the ModifyVolume reference and the EBS guide give them: the volume must be
``available`` or ``in-use`` (``IncorrectState``); a modification while the previous is
``modifying`` or ``optimizing`` is ``IncorrectModificationState``; the size only grows
(``InvalidParameterValue`` "New size cannot be smaller than existing size"); the target
type's size range, IOPS and throughput rules are CreateVolume's
(:func:`ec2emu.services.ec2.volumes.ebs_spec`). IOPS and throughput default to the
volume's when its type is kept, else to 3000 IOPS (gp3, io1, io2) and 125 MiB/s (gp3), as
documented. Magnetic (``standard``) volumes cannot be modified (``UnsupportedOperation``,
our wording). A request changing nothing named (no ``Size``, ``VolumeType``, ``Iops`` or
``Throughput``) is ``InvalidParameterCombination`` (our wording).

The rate limit: of the two rules AWS has published (at most one modification every six
hours per volume; or four per rolling 24 hours, each after the previous completes), the
six-hour rule is applied, with AWS's message for it: a new modification less than six
hours after the previous one started is ``VolumeModificationRateExceeded``.
``MultiAttachEnabled`` is refused by name (``UnsupportedOperation``).

DescribeVolumesModifications: ``VolumeIds`` (each must exist: ``InvalidVolume.NotFound``;
a volume never modified is not listed), filters ``volume-id``, ``modification-state``,
``target-size``, ``target-volume-type``, ``target-iops``, ``target-throughput``,
``original-size``, ``original-volume-type``, ``original-iops``, ``original-throughput``,
``target-multi-attach-enabled``, ``original-multi-attach-enabled`` (the time filter
``start-time`` is not supported: "The filter … is invalid"), ``MaxResults`` 5–500
(larger values answer 500) with ``NextToken``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ec2emu.services.ec2.ebs_errors import (
    magnetic,
    modification_in_progress,
    nothing_to_modify,
    rate_exceeded,
    smaller_size,
)
from ec2emu.services.ec2.errors import volume_state
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.views import timestamp, with_members
from ec2emu.services.ec2.volumes import MODIFIED, VOLUME_TYPES, VOLUMES, ebs_spec, modified
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, Naming, describe, in_repository
from ec2emu.services.shared.filters import booleans, integers
from ec2emu.services.shared.pagination import PageSize

RATE_LIMIT_SECONDS = 6 * 3600.0
IN_PROGRESS = ("modifying", "optimizing")
DEFAULT_IOPS = 3000
DEFAULT_THROUGHPUT = 125
TARGETS = MODIFIED


def _progress(row: dict[str, Any], now: float) -> int:
    if row["state"] == "completed":
        return 100
    span = row["end_time"] - row["start_time"]
    return 0 if span <= 0 else max(0, min(99, int((now - row["start_time"]) / span * 100)))


def modification_view(row: dict[str, Any], now: float) -> dict[str, Any]:
    view: dict[str, Any] = {
        "VolumeId": row["volume_id"],
        "ModificationState": row["state"],
        "TargetSize": row["target_size"],
        "TargetVolumeType": row["target_volume_type"],
        "TargetMultiAttachEnabled": row["target_multi_attach"],
        "OriginalSize": row["original_size"],
        "OriginalVolumeType": row["original_volume_type"],
        "OriginalMultiAttachEnabled": row["original_multi_attach"],
        "Progress": _progress(row, now),
        "StartTime": timestamp(row["start_time"]),
    }
    return with_members(
        view, TargetIops=row["target_iops"], TargetThroughput=row["target_throughput"],
        OriginalIops=row["original_iops"], OriginalThroughput=row["original_throughput"],
        EndTime=timestamp(row["end_time"]) if row["state"] == "completed" else None)


def _target(volume: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """The volume's size, type, IOPS and throughput after the modification (validated)."""
    size, volume_type = params.get("Size"), params.get("VolumeType")
    iops, throughput = params.get("Iops"), params.get("Throughput")
    if size is not None and size < volume["size"]:
        raise smaller_size()
    target_type = volume_type or volume["volume_type"]
    kept = target_type == volume["volume_type"]
    kind = VOLUME_TYPES.get(target_type)
    if kind is not None and iops is None and kind.iops is not None:
        iops = volume["iops"] if kept and volume["iops"] is not None else DEFAULT_IOPS
    if kind is not None and throughput is None and kind.throughput is not None:
        throughput = volume["throughput"] if kept and volume["throughput"] is not None else DEFAULT_THROUGHPUT
    return ebs_spec(target_type, size if size is not None else volume["size"], iops, throughput,
                    multi_attach=volume["multi_attach"])


@operation("ModifyVolume", refuses=("MultiAttachEnabled",))
def modify_volume(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    volume = VOLUMES.one(ctx, params["VolumeId"])
    volume_id = volume["volume_id"]
    [volume] = modified(ctx, [volume])
    if volume["state"] not in ("available", "in-use"):
        raise volume_state(volume_id, volume["state"])
    if not any(params.get(member) is not None for member in ("Size", "VolumeType", "Iops", "Throughput")):
        raise nothing_to_modify(volume_id)
    if volume["volume_type"] == "standard":
        raise magnetic(volume_id)
    previous = ctx.uow.volume_modifications.get(ctx.account_id, ctx.region, [volume_id]).get(volume_id)
    if previous is not None and previous["state"] in IN_PROGRESS:
        raise modification_in_progress(volume_id, previous["state"])
    if previous is not None and ctx.now_ts - previous["start_time"] < RATE_LIMIT_SECONDS:
        raise rate_exceeded()
    spec = _target(volume, params)
    ctx.dry_run(params)
    now, durations = ctx.now_ts, ctx.durations
    row = {
        "volume_id": volume_id, "account_id": ctx.account_id, "region": ctx.region, "state": "modifying",
        "due_at": now + durations.volume_modifying, "start_time": now,
        "end_time": now + durations.volume_modifying + durations.volume_optimizing,
        **{f"original_{source}": volume[column] for column, source in TARGETS},
        **{f"target_{source}": spec.get(column, volume[column]) for column, source in TARGETS},
    }
    ctx.uow.volume_modifications.put(row)
    return {"VolumeModification": modification_view(row, now)}


MODIFICATION_FILTERS: dict[str, Any] = {
    "volume-id": "volume_id",
    "modification-state": "state",
    "target-size": integers("target_size", "volume_id"),
    "target-volume-type": "target_volume_type",
    "target-iops": integers("target_iops", "volume_id"),
    "target-throughput": integers("target_throughput", "volume_id"),
    "original-size": integers("original_size", "volume_id"),
    "original-volume-type": "original_volume_type",
    "original-iops": integers("original_iops", "volume_id"),
    "original-throughput": integers("original_throughput", "volume_id"),
    "target-multi-attach-enabled": booleans("target_multi_attach", "volume_id"),
    "original-multi-attach-enabled": booleans("original_multi_attach", "volume_id"),
}


def _named(ctx: RequestContext, params: dict[str, Any]) -> tuple[list[str], Mapping[str, Any] | None]:
    """The volumes named, each of which must exist; their modifications are read by the
    family's ``find`` (a volume never modified has none)."""
    unique, _ = VOLUMES.load(ctx, params["VolumeIds"])
    return unique, None


_STORED = in_repository("volume_modifications")


def _of_volumes_here(ctx: RequestContext, matches: list[Any], after: Any, limit: int | None) -> list[dict[str, Any]]:
    """The modifications found, less those of volumes that are gone by now (deleted with
    their instance; the settler removes their rows when it removes the volume)."""
    rows = _STORED(ctx, matches, after, limit)
    present = ctx.uow.volumes.get(ctx.account_id, ctx.region, [row["volume_id"] for row in rows])
    return [row for row in rows if row["volume_id"] in present]


DESCRIBE_MODIFICATIONS = Describe(
    result="VolumesModifications",
    key="volume_id",
    find=_of_volumes_here,
    view=lambda ctx, rows: [modification_view(row, ctx.now_ts) for row in rows],
    filters=MODIFICATION_FILTERS,
    tags=None,
    named=Naming(("VolumeIds",), _named),
    page_size=PageSize(maximum=500, capped=True),
)


@operation("DescribeVolumesModifications")
def describe_volumes_modifications(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_MODIFICATIONS)
