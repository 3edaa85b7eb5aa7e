"""EBS volumes: CreateVolume, DescribeVolumes, AttachVolume, DetachVolume, DeleteVolume,
DescribeVolumeStatus, and the volume rules RunInstances shares (types, sizes, IOPS,
throughput, device names, the wire view).

States, on the emulator's clock (each transition lasts ``Durations.volume``; the settler
applies them, like the instances' states — :mod:`ec2emu.lifecycle.settler`):

* ``creating`` → ``available``;
* attached: the volume is ``in-use`` and its attachment ``attaching`` → ``attached``;
* detached: attachment ``detaching`` → the volume ``available`` without attachment;
* ``deleting`` → gone (DescribeVolumes no longer lists it; ``InvalidVolume.NotFound``).
  EC2's ``deleted`` state is never shown: a deleted volume simply disappears.

Volume types and their limits (the EBS volume types page): ``gp2`` 1–16384 GiB (IOPS
3 per GiB, 100–16000, not settable); ``gp3`` 1–16384 GiB, IOPS 3000–16000 (default
3000, at most 500 per GiB), throughput 125–1000 MiB/s (default 125, at most 0.25 MiB/s
per IOPS); ``io1`` 4–16384 GiB, IOPS 100–64000 required, at most 50 per GiB; ``io2``
4–65536 GiB, IOPS 100–256000 required, at most 1000 per GiB; ``st1`` and ``sc1``
125–16384 GiB; ``standard`` 1–1024 GiB. IOPS only for gp3/io1/io2, throughput only for
gp3, Multi-Attach only for io1/io2. The newest gp3 ceilings (64 TiB, 80000 IOPS) are not
applied.

Attachments follow the Attach/Detach reference pages: same Availability Zone only
(``InvalidVolume.ZoneMismatch``), the volume must be ``available`` (``VolumeInUse`` when
attached elsewhere, ``IncorrectState`` otherwise), the instance ``running`` or
``stopped``, the device a valid EBS device name not already used on the instance.
A volume attached after launch has ``DeleteOnTermination`` false. The root volume of an
instance that is not stopped cannot be detached. A Multi-Attach volume is still attached
to one instance at a time here (the table holds one attachment per volume).

Where AWS's exact wording is not on record, the messages below are our best knowledge of
it: the volume-size, IOPS and throughput texts, ``IncorrectState`` for a volume that is
not available, the root-volume detach refusal (``OperationNotPermitted`` "Unable to
detach root volume …"), ``InvalidAttachment.NotFound``, the instance-state refusal of
AttachVolume, the plural form of ``InvalidVolume.NotFound``, and DeleteVolume on a volume
already ``deleting`` (``IncorrectState`` here). DetachVolume on a volume already
detaching answers its attachment again; its ``Force`` detaches as without it (a
detachment here always completes cleanly) and does not detach a running instance's root
volume. A repeated ``ClientToken`` of
CreateVolume answers the volume the first request created (as it is now), and
``IdempotentParameterMismatch`` when the zone, size, type or snapshot differ. CreateVolume
refuses ``OutpostArn``, ``VolumeInitializationRate`` and ``Operator`` by name, AttachVolume
``EbsCardIndex``; DescribeVolumes and DescribeVolumeStatus take ``IncludeManagedResources``
at its default only (no managed volumes exist here).

DescribeVolumes filters: ``status``, ``availability-zone``, ``volume-id``,
``volume-type``, ``size``, ``snapshot-id``, ``encrypted``, ``multi-attach-enabled``,
``attachment.instance-id``, ``attachment.device``, ``attachment.status``,
``attachment.delete-on-termination``, ``tag:<Key>``, ``tag-key``, ``tag-value`` (each an
indexed store lookup; the time filters ``create-time`` and ``attachment.attach-time`` are
not supported). ``MaxResults`` 5–500 (larger values return 500, as documented), with an
opaque ``NextToken``; ``VolumeIds`` together with ``MaxResults`` is refused.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import (
    invalid_parameter_combination,
    invalid_parameter_value,
    missing_parameter,
)
from ec2emu.services.ec2 import regions
from ec2emu.services.ec2.errors import (
    idempotent_parameter_mismatch,
    invalid_zone,
    invalid_zone_id,
    kms_key_without_encryption,
    malformed_snapshot_id,
    malformed_volume_id,
    smaller_than_snapshot,
    snapshot_not_found,
    snapshot_state,
    volume_attached,
    volume_not_found,
    volume_state,
)
from ec2emu.services.ec2.regions import zone_ids
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.tier_state import refuse_archived
from ec2emu.services.ec2.views import encrypted_and_tagged, timestamp, with_members
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, by_ids, describe, in_repository
from ec2emu.services.shared.filters import booleans, integers, times
from ec2emu.services.shared.lookups import ResourceKind, stored
from ec2emu.services.shared.pagination import PageSize
from ec2emu.services.shared.tagging import tags_from_specifications, with_tags
from ec2emu.store.repository import Match

MAX_VOLUME_RESULTS = 500


@dataclass(frozen=True)
class VolumeType:
    name: str
    min_size: int
    max_size: int
    iops: tuple[int, int] | None = None  # settable IOPS range
    iops_per_gib: int | None = None
    iops_required: bool = False
    default_iops: int | None = None
    throughput: tuple[int, int] | None = None
    multi_attach: bool = False


VOLUME_TYPES: dict[str, VolumeType] = {
    "standard": VolumeType("standard", 1, 1024),
    "gp2": VolumeType("gp2", 1, 16384),
    "gp3": VolumeType("gp3", 1, 16384, (3000, 16000), 500, default_iops=3000, throughput=(125, 1000)),
    "io1": VolumeType("io1", 4, 16384, (100, 64000), 50, iops_required=True, multi_attach=True),
    "io2": VolumeType("io2", 4, 65536, (100, 256000), 1000, iops_required=True, multi_attach=True),
    "st1": VolumeType("st1", 125, 16384),
    "sc1": VolumeType("sc1", 125, 16384),
}
_TYPE_LIST = "'standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'"
GP3_DEFAULT_THROUGHPUT = 125

# Linux and Windows EBS device names EC2 accepts for an attachment.
_DEVICE = re.compile(r"(/dev/)?(sd[a-z]([1-9]|1[0-5])?|xvd[a-z][a-z]?|hd[a-z]([1-9]|1[0-5])?)")


def check_device_name(device: str) -> None:
    if not _DEVICE.fullmatch(device):
        raise invalid_parameter_value(
            f"Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name."
        )


def default_kms_key(account_id: str, region: str) -> str:
    """The ARN of the account's AWS-managed ``aws/ebs`` key in ``region`` (stable)."""
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"ec2emu:aws/ebs:{account_id}:{region}")
    return f"arn:aws:kms:{region}:{account_id}:key/{key}"


def ebs_spec(
    volume_type: str | None,
    size: int | None,
    iops: int | None,
    throughput: int | None,
    *,
    snapshot_size: int | None = None,
    snapshot_id: str | None = None,
    multi_attach: bool = False,
    default_type: str = "gp2",
) -> dict[str, Any]:
    """Validate a volume's type, size, IOPS and throughput (AWS's rules for the type);
    ``size`` defaults to the snapshot's. Returns ``volume_type``, ``size``, ``iops``,
    ``throughput``."""
    kind_name = volume_type or default_type
    kind = VOLUME_TYPES.get(kind_name)
    if kind is None:
        raise invalid_parameter_value(
            f"Value ({kind_name}) for parameter volumeType is invalid. Expected: {_TYPE_LIST}."
        )
    if size is None:
        if snapshot_size is None:
            raise missing_parameter("size or snapshotId")
        size = snapshot_size
    if snapshot_size is not None and size < snapshot_size:
        raise smaller_than_snapshot(size, snapshot_id, snapshot_size)
    if size < kind.min_size:
        raise invalid_parameter_value(
            f"Volume size is invalid for {kind.name} volumes: {size} GiB. {kind.name} volumes must be "
            f"at least {kind.min_size} GiB in size."
        )
    if size > kind.max_size:
        raise invalid_parameter_value(
            f"Volume of {size}GiB is too large for volume type {kind.name}; maximum is {kind.max_size}GiB."
        )
    if iops is not None and kind.iops is None:
        raise invalid_parameter_combination(
            f"The parameter iops is not supported for {kind.name} volumes."
        )
    if iops is None and kind.iops_required:
        raise missing_parameter("iops")
    if throughput is not None and kind.throughput is None:
        raise invalid_parameter_combination(
            f"The parameter throughput is not supported for {kind.name} volumes."
        )
    if multi_attach and not kind.multi_attach:
        raise invalid_parameter_combination(
            f"Multi-Attach is not supported for {kind.name} volumes."
        )
    if kind.iops is not None:
        iops = kind.default_iops if iops is None else iops
        assert iops is not None
        low, high = kind.iops
        if iops < low:
            raise invalid_parameter_value(f"Volume iops of {iops} is too low; minimum is {low}.")
        if iops > high:
            raise invalid_parameter_value(f"Volume iops of {iops} is too high; maximum is {high}.")
        if kind.iops_per_gib is not None and iops > kind.iops_per_gib * size and (
            kind.name != "gp3" or iops > kind.default_iops  # type: ignore[operator]
        ):
            raise invalid_parameter_value(
                f"Iops to volume size ratio of {iops / size:.6f} is too high; "
                f"maximum is {kind.iops_per_gib:.6f}"
            )
    elif kind.name == "gp2":
        iops = min(max(100, 3 * size), 16000)
    if kind.throughput is not None:
        throughput = GP3_DEFAULT_THROUGHPUT if throughput is None else throughput
        low, high = kind.throughput
        if throughput < low:
            raise invalid_parameter_value(f"Volume throughput of {throughput} is too low; minimum is {low}.")
        if throughput > high:
            raise invalid_parameter_value(f"Volume throughput of {throughput} is too high; maximum is {high}.")
        assert iops is not None
        if throughput / iops > 0.25:
            raise invalid_parameter_value(
                f"Throughput (MiBps) to iops ratio of {throughput / iops:.6f} is too high; "
                "maximum is 0.250000 MiBps per iops."
            )
    return {"volume_type": kind.name, "size": size, "iops": iops, "throughput": throughput}


# --------------------------------------------------------------------------- IDs and views


VOLUMES = ResourceKind("vol", malformed_volume_id, volume_not_found, stored("volumes"))
# The snapshots' (:mod:`ec2emu.services.ec2.snapshots`), here for the volumes made from one:
# the account's own, and those it may use (its own and those shared with it or public).
SNAPSHOTS = ResourceKind("snap", malformed_snapshot_id, snapshot_not_found, stored("snapshots"))


def _visible_snapshots(ctx: RequestContext, wanted: list[str], region: str | None = None) -> dict[str, Any]:
    return ctx.uow.snapshots.get_visible(ctx.account_id, region or ctx.region, wanted)


USABLE_SNAPSHOTS = ResourceKind("snap", malformed_snapshot_id, snapshot_not_found, _visible_snapshots)


def attachment_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "AttachTime": timestamp(row["attach_time"]),
        "Device": row["device"],
        "InstanceId": row["instance_id"],
        "State": row["attachment_state"] or "attached",
        "VolumeId": row["volume_id"],
        "DeleteOnTermination": row["delete_on_termination"],
    }


def volume_view(row: dict[str, Any], tags: list[tuple[str, str]] | None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "Attachments": [attachment_view(row)] if row["instance_id"] else [],
        "AvailabilityZone": row["availability_zone"],
        "CreateTime": timestamp(row["create_time"]),
        "Encrypted": row["encrypted"],
        "Size": row["size"],
        "SnapshotId": row["snapshot_id"] or "",
        "State": row["state"],
        "VolumeId": row["volume_id"],
        "VolumeType": row["volume_type"],
        "MultiAttachEnabled": row["multi_attach"],
    }
    return encrypted_and_tagged(with_members(view, Iops=row["iops"], Throughput=row["throughput"]), row, tags)


# A volume's columns a modification changes, and the modification's columns (target_*,
# original_*) naming them (:mod:`ec2emu.services.ec2.volume_modifications`).
MODIFIED = (("size", "size"), ("volume_type", "volume_type"), ("iops", "iops"), ("throughput", "throughput"),
            ("multi_attach", "multi_attach"))


def modified(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Volume rows with the targets of their modifications that have left ``modifying``
    by now (the settler writes them to the volume then)."""
    found = ctx.uow.volume_modifications.get(ctx.account_id, ctx.region, [row["volume_id"] for row in rows])
    if not found:
        return rows
    result = []
    for row in rows:
        modification = found.get(row["volume_id"])
        if modification is not None and modification["state"] not in ("modifying", "failed"):
            row = {**row, **{column: modification[f"target_{source}"] for column, source in MODIFIED}}
        result.append(row)
    return result


def volume_views(ctx: RequestContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The views of volume rows, with what a modification has changed by now."""
    return with_tags(ctx, [volume_view(row, None) for row in modified(ctx, rows)], "VolumeId")


def volume_due(ctx: RequestContext) -> float:
    return ctx.now_ts + ctx.durations.volume


def new_volume_row(
    ctx: RequestContext,
    zone: str,
    spec: dict[str, Any],
    *,
    snapshot_id: str | None,
    encrypted: bool,
    kms_key_id: str | None,
    multi_attach: bool = False,
    state: str = "creating",
    attachment: tuple[str, str, bool] | None = None,
) -> dict[str, Any]:
    """A volume row; ``attachment`` = (instance ID, device, DeleteOnTermination) for a
    volume created attached (at launch)."""
    row = {
        "volume_id": ids.new_id("vol"),
        "account_id": ctx.account_id,
        "region": ctx.region,
        "availability_zone": zone,
        "size": spec["size"],
        "volume_type": spec["volume_type"],
        "iops": spec["iops"],
        "throughput": spec["throughput"],
        "snapshot_id": snapshot_id,
        "encrypted": encrypted,
        "kms_key_id": (kms_key_id or default_kms_key(ctx.account_id, ctx.region)) if encrypted else None,
        "multi_attach": multi_attach,
        "state": state,
        "create_time": ctx.now_ts,
        "due_at": volume_due(ctx) if state == "creating" else None,
        "instance_id": None,
        "device": None,
        "attach_time": None,
        "attachment_state": None,
        "delete_on_termination": False,
        "client_token": None,
    }
    if attachment is not None:
        row.update(instance_id=attachment[0], device=attachment[1], attach_time=ctx.now_ts,
                   attachment_state="attached", delete_on_termination=attachment[2])
    return row


def usable_snapshot(ctx: RequestContext, snapshot_id: str) -> dict[str, Any]:
    """A snapshot this account may create a new volume from (its own, one shared with it,
    or a public one)."""
    row = USABLE_SNAPSHOTS.one(ctx, snapshot_id)
    if row["state"] != "completed":
        raise snapshot_state(snapshot_id, row["state"])
    refuse_archived(ctx, row, "used to create a volume")
    return row


# --------------------------------------------------------------------------- CreateVolume


def _zone(ctx: RequestContext, params: dict[str, Any]) -> str:
    name = params.get("AvailabilityZone")
    zone_id = params.get("AvailabilityZoneId")
    if not name and zone_id:
        zone = regions.zone_with_id(ctx.region, zone_id)
        if zone is None:
            raise invalid_zone_id(zone_id)
        return str(zone.name)
    if not name:
        raise missing_parameter("AvailabilityZone")
    if regions.zone_named(ctx.region, name) is None:
        raise invalid_zone(name)
    return str(name)


def _repeated(ctx: RequestContext, params: dict[str, Any], zone: str, spec: dict[str, Any]) -> dict[str, Any] | None:
    """The volume an earlier request with this ``ClientToken`` created (its parameters
    must be the same: ``IdempotentParameterMismatch``)."""
    token = params.get("ClientToken")
    if not token:
        return None
    found = ctx.uow.volumes.find(ctx.account_id, ctx.region, [Match("client_token", (token,))])
    if not found:
        return None
    row = found[0]
    if (row["availability_zone"], row["size"], row["volume_type"], row["snapshot_id"]) != (
            zone, spec["size"], spec["volume_type"], params.get("SnapshotId")):
        raise idempotent_parameter_mismatch()
    return dict(row)


@operation("CreateVolume", refuses=("OutpostArn", "VolumeInitializationRate", "Operator"))
def create_volume(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    ids.client_token(params)
    zone = _zone(ctx, params)
    snapshot_id = params.get("SnapshotId")
    snapshot = usable_snapshot(ctx, snapshot_id) if snapshot_id else None
    multi_attach = bool(params.get("MultiAttachEnabled", False))
    spec = ebs_spec(
        params.get("VolumeType"), params.get("Size"), params.get("Iops"), params.get("Throughput"),
        snapshot_size=snapshot["volume_size"] if snapshot else None, snapshot_id=snapshot_id,
        multi_attach=multi_attach,
    )
    encrypted = bool(params.get("Encrypted", False)) or bool(snapshot and snapshot["encrypted"])
    kms_key_id = params.get("KmsKeyId")
    if kms_key_id and not encrypted:
        raise kms_key_without_encryption()
    if snapshot and snapshot["encrypted"] and not kms_key_id:
        kms_key_id = snapshot["kms_key_id"]
    volume_tags, = tags_from_specifications(params.get("TagSpecifications"), ("volume",))
    repeated = _repeated(ctx, params, zone, spec)
    ctx.dry_run(params)
    if repeated is not None:
        [view] = volume_views(ctx, [repeated])
        return view
    row = new_volume_row(ctx, zone, spec, snapshot_id=snapshot_id, encrypted=encrypted,
                         kms_key_id=kms_key_id, multi_attach=multi_attach)
    row["client_token"] = params.get("ClientToken") or None
    ctx.uow.volumes.insert([row])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["volume_id"], "volume", volume_tags)
    return volume_view(row, volume_tags)


# --------------------------------------------------------------------------- DescribeVolumes


VOLUME_FILTERS: dict[str, Any] = {
    "status": "state",
    "availability-zone": "availability_zone",
    "volume-id": "volume_id",
    "volume-type": "volume_type",
    "size": integers("size", "volume_id"),
    "snapshot-id": "snapshot_id",
    "encrypted": booleans("encrypted", "volume_id"),
    "multi-attach-enabled": booleans("multi_attach", "volume_id"),
    "attachment.instance-id": "instance_id",
    "attachment.device": "device",
    "attachment.status": "attachment_state",
    "attachment.delete-on-termination": booleans("delete_on_termination", "volume_id"),
    "attachment.attach-time": times("attach_time", "volume_id"),
    "create-time": times("create_time", "volume_id"),
    "availability-zone-id": zone_ids("availability_zone", "volume_id"),
}


def _attached_for_flag(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    """The delete-on-termination flag belongs to an attachment: a detached volume matches
    neither value."""
    if any(f.get("Name") == "attachment.delete-on-termination" for f in params.get("Filters") or []):
        return [Match("attachment_state", ("attaching", "attached", "detaching"))]
    return []


DESCRIBE_VOLUMES = Describe(
    result="Volumes",
    key="volume_id",
    find=in_repository("volumes"),
    view=volume_views,
    filters=VOLUME_FILTERS,
    criteria=_attached_for_flag,
    named=by_ids("VolumeIds", "volumeSet", VOLUMES),
    page_size=PageSize(maximum=MAX_VOLUME_RESULTS, capped=True),
)


@operation("DescribeVolumes", defaults={"IncludeManagedResources": False})
def describe_volumes(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_VOLUMES)


# --------------------------------------------------------------------------- DeleteVolume


@operation("DeleteVolume")
def delete_volume(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    volume = VOLUMES.one(ctx, params["VolumeId"])
    if volume["instance_id"] is not None:
        raise volume_attached(volume["volume_id"], volume["instance_id"])
    if volume["state"] != "available":
        raise volume_state(volume["volume_id"], volume["state"])
    ctx.dry_run(params)
    ctx.uow.volumes.update(volume["volume_id"], {"state": "deleting", "due_at": volume_due(ctx)})
    ctx.uow.volume_modifications.delete(volume["volume_id"])
    return {}
