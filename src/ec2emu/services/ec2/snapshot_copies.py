"""Copying snapshots (CopySnapshot) and snapshotting an instance's volumes (CreateSnapshots).

CopySnapshot is called in the destination Region and names the source by ``SourceRegion``
and ``SourceSnapshotId``: a snapshot of that Region the caller owns or may use (shared
with it, or public); it must be ``completed`` (``IncorrectState``). The copy is a new
snapshot of the caller in the destination Region, ``pending`` for ``Durations.snapshot``
then ``completed``, with the source's size; its ``VolumeId`` is AWS's placeholder
``vol-ffffffff`` (a copy has no volume of its own). ``Description`` defaults to
``[Copied snap-… from <region>]`` (the text AWS has been seen to give; at most 255
characters). A copy of an encrypted snapshot is encrypted; ``Encrypted=true`` encrypts a
copy of an unencrypted one, and ``Encrypted=false`` changes nothing (AWS documents that it
cannot be false: an encrypted source stays encrypted). ``KmsKeyId`` needs encryption
(``InvalidParameterDependency``); without it the copy keeps the source's key when the
caller owns the source in the same Region, else takes the caller's ``aws/ebs`` key of the
destination. ``PresignedUrl`` — which the SDKs add to every CopySnapshot — is accepted and
not checked: the caller's own permission on the source is what is checked.
``DestinationRegion`` (also added by the SDKs) must be the Region the request is sent to
(``InvalidParameterValue``). An unknown ``SourceRegion`` is ``InvalidRegion``.
``TagSpecifications`` tag the ``snapshot``; the source's tags are not copied. Outposts,
Local Zones and time-based copies (``DestinationOutpostArn``,
``DestinationAvailabilityZone``, ``CompletionDurationMinutes``) are refused by name.

CreateSnapshots snapshots every EBS volume attached to ``InstanceSpecification.InstanceId``
(the instance must not be ``shutting-down`` or ``terminated``: ``IncorrectInstanceState``),
less the root volume with ``ExcludeBootVolume`` and the volumes ``ExcludeDataVolumeIds``
names (each must be a data volume attached to the instance, else
``InvalidParameterValue``, our wording). Each snapshot is like CreateSnapshot's, with the
request's ``Description``; ``CopyTagsFromSource=volume`` copies each volume's tags, and
``TagSpecifications`` add to them (a key given in both takes the specification's value).
The answer lists each snapshot's information (``SnapshotInfo``). ``OutpostArn`` and
``Location`` are refused by name.
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2 import regions
from ec2emu.services.ec2.ebs_errors import excluded_not_data, other_destination, unknown_region
from ec2emu.services.ec2.errors import incorrect_instance_state, kms_key_without_encryption, snapshot_state
from ec2emu.services.ec2.instances.common import INSTANCES
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.snapshots import check_description, new_snapshot_row, snapshot_view
from ec2emu.services.ec2.tier_state import refuse_archived
from ec2emu.services.ec2.views import tag_list
from ec2emu.services.ec2.volumes import SNAPSHOTS, VOLUMES, default_kms_key
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications

COPY_REFUSES = ("DestinationOutpostArn", "DestinationAvailabilityZone", "CompletionDurationMinutes")


def _source(ctx: RequestContext, region: str, snapshot_id: str) -> dict[str, Any]:
    """The source snapshot in ``region``: the caller's, or one it may use."""
    [checked] = SNAPSHOTS.check_ids([snapshot_id])
    row = ctx.uow.snapshots.get_visible(ctx.account_id, region, [checked]).get(checked)
    if row is None:
        raise SNAPSHOTS.not_found([checked])
    return dict(row)


@operation("CopySnapshot", refuses=COPY_REFUSES)
def copy_snapshot(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    source_region = params["SourceRegion"]
    if not regions.is_valid_region(source_region):
        raise unknown_region(source_region)
    destination = params.get("DestinationRegion")
    if destination is not None and destination != ctx.region:
        raise other_destination(destination, ctx.region)
    source = _source(ctx, source_region, params["SourceSnapshotId"])
    if source["state"] != "completed":
        raise snapshot_state(source["snapshot_id"], source["state"])
    refuse_archived(ctx, source, "copied")
    description = params.get("Description")
    check_description(description)
    encrypted = bool(source["encrypted"]) or bool(params.get("Encrypted"))
    kms_key_id = params.get("KmsKeyId")
    if kms_key_id and not encrypted:
        raise kms_key_without_encryption()
    if encrypted and not kms_key_id:
        same_place = source["account_id"] == ctx.account_id and source_region == ctx.region
        kms_key_id = source["kms_key_id"] if same_place else default_kms_key(ctx.account_id, ctx.region)
    snapshot_tags, = tags_from_specifications(params.get("TagSpecifications"), ("snapshot",))
    ctx.dry_run(params)
    now = ctx.now_ts
    row = {
        "snapshot_id": ids.new_id("snap"),
        "account_id": ctx.account_id,
        "region": ctx.region,
        "volume_id": None,
        "volume_size": source["volume_size"],
        "description": description if description is not None
        else f"[Copied {source['snapshot_id']} from {source_region}]"[:255],
        "encrypted": encrypted,
        "kms_key_id": kms_key_id if encrypted else None,
        "state": "pending",
        "start_time": now,
        "due_at": now + ctx.durations.snapshot,
        "copied_from": f"arn:aws:ec2:{source_region}::snapshot/{source['snapshot_id']}",
    }
    ctx.uow.snapshots.insert([row])
    ctx.uow.tags.put(ctx.account_id, ctx.region, row["snapshot_id"], "snapshot", snapshot_tags)
    result: dict[str, Any] = {"SnapshotId": row["snapshot_id"]}
    tags = tag_list(snapshot_tags)
    if tags:
        result["Tags"] = tags
    return result


_INFO = ("Description", "Tags", "Encrypted", "VolumeId", "State", "VolumeSize", "StartTime", "Progress", "OwnerId",
         "SnapshotId")


def _merged(volume_tags: list[tuple[str, str]], spec_tags: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged = dict(volume_tags)
    merged.update(spec_tags)
    return list(merged.items())


@operation("CreateSnapshots", refuses=("OutpostArn", "Location"))
def create_snapshots(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    spec = params["InstanceSpecification"]
    instance = INSTANCES.one(ctx, spec["InstanceId"])
    instance_id = instance["instance_id"]
    if instance["state"] in ("shutting-down", "terminated"):
        raise incorrect_instance_state(instance_id, "snapshotted")
    attached = ctx.uow.volumes.attached_to([instance_id]).get(instance_id, [])
    root = instance.get("root_device_name")
    data = {v["volume_id"] for v in attached if v["device"] != root}
    excluded = VOLUMES.check_ids(spec.get("ExcludeDataVolumeIds") or [])
    for volume_id in excluded:
        if volume_id not in data:
            raise excluded_not_data(volume_id, instance_id)
    description = params.get("Description")
    check_description(description)
    spec_tags, = tags_from_specifications(params.get("TagSpecifications"), ("snapshot",))
    chosen = [v for v in attached if v["volume_id"] not in excluded
              and not (spec.get("ExcludeBootVolume") and v["device"] == root)]
    copy_tags = params.get("CopyTagsFromSource") == "volume"
    ctx.dry_run(params)
    volume_tags = ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [v["volume_id"] for v in chosen]) \
        if copy_tags else {}
    rows, infos = [], []
    for volume in chosen:
        row = new_snapshot_row(ctx, volume, description)
        tags = _merged(volume_tags.get(volume["volume_id"], []), spec_tags)
        rows.append((row, tags))
    ctx.uow.snapshots.insert([row for row, _ in rows])
    for row, tags in rows:
        ctx.uow.tags.put(ctx.account_id, ctx.region, row["snapshot_id"], "snapshot", tags)
        view = snapshot_view(row, tags, ctx.now_ts)
        infos.append({key: view[key] for key in _INFO if key in view})
    return {"Snapshots": infos}
