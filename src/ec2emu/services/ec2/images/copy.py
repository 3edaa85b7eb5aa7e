"""CopyImage: a new image of the caller's in the region called (the destination), copied
from an image it sees in ``SourceRegion`` (the same region or another).

* The source must be an image the caller sees in the source region — the catalogue's, its
  own, shared with it or public — else ``InvalidAMIID.NotFound``; it must be
  ``available`` (else ``InvalidAMIID.Unavailable``, our wording). An unknown
  ``SourceRegion`` answers ``InvalidRegion``. ``Name`` and ``Description`` follow
  RegisterImage's rules, the name unique in the destination.
* Each EBS snapshot backing the source becomes a new snapshot of the caller's in the
  destination (volume ``vol-ffffffff``, as EC2 shows copied snapshots, and the description
  EC2 writes: "Copied for DestinationAmi ami-… from SourceAmi ami-… for SourceSnapshot
  snap-…. Task created on <milliseconds>."), ``pending`` for ``Durations.image_copy``
  seconds; the image is ``pending`` until they complete, then ``available`` (the
  ``complete_images`` effect). An instance-store-backed image has no snapshot to copy: its
  copy is ``available`` at once.
* The copy records ``SourceImageId`` and ``SourceImageRegion`` and keeps the source's
  architecture, mappings, virtualization, ENA, boot mode and IMDS support. Launch
  permissions and deprecation are not copied: the copy is private. With
  ``CopyImageTags`` the tags the caller sees on the source (its own tags on it: an owner's
  are the image's) are copied, never ``aws:`` ones; ``TagSpecifications`` tag the
  ``image`` (over copied tags of the same key) and the ``snapshot``s.
* ``Encrypted``: the new snapshots are encrypted with ``KmsKeyId`` or the account's
  default EBS key; ``KmsKeyId`` without ``Encrypted`` answers
  ``InvalidParameterDependency``. An encrypted source stays encrypted (EC2 cannot copy to
  unencrypted), keeping its key unless ``KmsKeyId`` names another (copied from another
  region or account, it takes the caller's default key in the destination).
* ``ClientToken``: a second request with the same token answers the first copy's ID when
  it names the same source, region and name; otherwise ``IdempotentParameterMismatch``.
* Outposts, Local Zones and the completion-duration option are refused by name.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import invalid_parameter_value
from ec2emu.services.ec2 import regions
from ec2emu.services.ec2.errors import idempotent_parameter_mismatch, image_not_found, kms_key_without_encryption
from ec2emu.services.ec2.images.catalogue import catalogue_snapshots
from ec2emu.services.ec2.images.common import (
    check_image_id,
    check_name_unused,
    checked_name,
    images_by_id,
    store_image,
)
from ec2emu.services.ec2.images.errors import image_not_copyable, invalid_region
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.volumes import default_kms_key
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications

COPIED_VOLUME = "vol-ffffffff"
MAX_TOKEN = 64


def _repeated(ctx: RequestContext, params: dict[str, Any], token: str) -> dict[str, Any] | None:
    """The answer to a request whose token made a copy already (``None``: it made none)."""
    made = ctx.uow.images.by_client_token(ctx.account_id, ctx.region, token)
    if not made:
        return None
    row = made[0]
    if (row["source_image_id"], row["source_image_region"], row["name"]) != (
            params["SourceImageId"], params["SourceRegion"], params["Name"]):
        raise idempotent_parameter_mismatch()
    return {"ImageId": row["image_id"]}


def _source(ctx: RequestContext, image_id: str, region: str) -> dict[str, Any]:
    check_image_id(image_id)
    if not regions.is_valid_region(region):
        raise invalid_region(region)
    image = images_by_id(ctx, [image_id], region).get(image_id)
    if image is None:
        raise image_not_found([image_id])
    if image["state"] != "available":
        raise image_not_copyable(image_id, image["state"])
    return image


def _source_snapshot(ctx: RequestContext, image: dict[str, Any], region: str, ebs: dict[str, Any]) -> tuple[int, Any]:
    """The size and KMS key of a snapshot backing the source (the owner's, or the
    catalogue's)."""
    snapshot_id = ebs["snapshot_id"]
    row = ctx.uow.snapshots.get(image["owner_id"], region, [snapshot_id]).get(snapshot_id)
    if row is not None:
        return int(row["volume_size"]), row["kms_key_id"]
    return int(catalogue_snapshots(region).get(snapshot_id, ebs["volume_size"])), None


def _copied_tags(ctx: RequestContext, image_id: str, region: str) -> list[tuple[str, str]]:
    found = ctx.uow.tags.for_resources(ctx.account_id, region, [image_id]).get(image_id, [])
    return [(key, value) for key, value in found if not key.startswith("aws:")]


@operation("CopyImage", refuses=("DestinationOutpostArn", "SnapshotCopyCompletionDurationMinutes",
                                 "DestinationAvailabilityZone", "DestinationAvailabilityZoneId"))
def copy_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    token = params.get("ClientToken")
    if token is not None and len(token) > MAX_TOKEN:
        raise invalid_parameter_value(f"The client token must be {MAX_TOKEN} characters or fewer.")
    if token:
        repeated = _repeated(ctx, params, token)
        if repeated is not None:
            ctx.dry_run(params)
            return repeated
    name = checked_name(params)
    source_region = params["SourceRegion"]
    source = _source(ctx, params["SourceImageId"], source_region)
    encrypted = bool(params.get("Encrypted"))
    kms_key_id = params.get("KmsKeyId")
    if kms_key_id is not None and not encrypted:
        raise kms_key_without_encryption()
    image_tags, snapshot_tags = tags_from_specifications(params.get("TagSpecifications"), ("image", "snapshot"))
    if params.get("CopyImageTags"):
        given = {key for key, _ in image_tags}
        image_tags = [t for t in _copied_tags(ctx, source["image_id"], source_region) if t[0] not in given] + image_tags
    check_name_unused(ctx, name)
    ctx.dry_run(params)
    image_id = ids.new_id("ami")
    mappings: list[dict[str, Any]] = []
    snapshots: list[dict[str, Any]] = []
    for mapping in source["block_device_mappings"]:
        copied = {**mapping, "ebs": dict(mapping["ebs"])} if "ebs" in mapping else dict(mapping)
        ebs = copied.get("ebs")
        if ebs is not None and ebs.get("snapshot_id"):
            size, source_key = _source_snapshot(ctx, source, source_region, ebs)
            locked = encrypted or bool(ebs.get("encrypted"))
            if source_region != ctx.region or source["owner_id"] != ctx.account_id:
                source_key = None  # a key of another region or account: the destination's default
            key = kms_key_id or source_key or default_kms_key(ctx.account_id, ctx.region)
            snapshot = {
                "snapshot_id": ids.new_id("snap"),
                "account_id": ctx.account_id,
                "region": ctx.region,
                "volume_id": COPIED_VOLUME,
                "volume_size": size,
                "description": (f"Copied for DestinationAmi {image_id} from SourceAmi {source['image_id']} for "
                                f"SourceSnapshot {ebs['snapshot_id']}. Task created on "
                                f"{int(ctx.now_ts * 1000):,}."),
                "encrypted": locked,
                "kms_key_id": key if locked else None,
                "state": "pending",
                "start_time": ctx.now_ts,
                "due_at": ctx.now_ts + ctx.durations.image_copy,
                "copied_from": f"arn:aws:ec2:{source_region}::snapshot/{ebs['snapshot_id']}",
            }
            snapshots.append(snapshot)
            ebs["snapshot_id"] = snapshot["snapshot_id"]
            ebs["encrypted"] = locked
        elif ebs is not None and encrypted:
            ebs["encrypted"] = True
        mappings.append(copied)
    ctx.uow.snapshots.insert(snapshots)
    for snapshot in snapshots:
        ctx.uow.tags.put(ctx.account_id, ctx.region, snapshot["snapshot_id"], "snapshot", snapshot_tags)
    ctx.uow.images.link_snapshots(image_id, [s["snapshot_id"] for s in snapshots])
    attributes = {key: source.get(key) for key in ("boot_mode", "imds_support", "sriov_net_support", "tpm_support",
                                                   "uefi_data") if source.get(key) is not None}
    ebs_backed = source["root_device_type"] == "ebs"
    return store_image(
        ctx, image_id, params, image_tags, pending=bool(snapshots),
        architecture=source["architecture"],
        root_device_type=source["root_device_type"],
        root_device_name=source["root_device_name"],
        virtualization_type=source["virtualization_type"],
        image_location=f"{ctx.account_id}/{name}" if ebs_backed else source["image_location"],
        block_device_mappings=mappings,
        ena_support=bool(source["ena_support"]),
        attributes=attributes or None,
        source_image_id=source["image_id"],
        source_image_region=source_region,
        client_token=token or None,
    )
