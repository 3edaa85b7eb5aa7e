"""RegisterImage and DeregisterImage (see the package's docstring for EC2's rules)."""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.errors import (
    ebs_root_without_snapshot,
    image_not_authorized,
    image_not_found,
    root_without_source,
)
from ec2emu.services.ec2.images.catalogue import (
    DEFAULT_ROOT_DEVICE,
    catalogue_cached,
    catalogue_snapshots,
)
from ec2emu.services.ec2.images.common import (
    check_image_id,
    check_name_unused,
    checked_name,
    mapping_of,
    requested_mappings,
    store_image,
)
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications

# The attributes RegisterImage records as given (wire member -> stored key).
_ATTRIBUTES = {"BootMode": "boot_mode", "TpmSupport": "tpm_support", "UefiData": "uefi_data",
               "ImdsSupport": "imds_support", "SriovNetSupport": "sriov_net_support"}


@operation("RegisterImage", refuses=("KernelId", "RamdiskId", "BillingProducts"))
def register_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = checked_name(params)
    known = catalogue_snapshots(ctx.region)
    requested = [
        (item.get("Ebs") or {}).get("SnapshotId") for item in params.get("BlockDeviceMappings") or []
    ]
    stored = ctx.uow.snapshots.get(
        ctx.account_id, ctx.region, [s for s in requested if s and ids.is_well_formed("snap", s)]
    )
    known.update({snapshot_id: row["volume_size"] for snapshot_id, row in stored.items()})
    mappings = [mapping_of(item, known) for _, item in requested_mappings(params)]
    for mapping in mappings:
        snapshot = stored.get(mapping.get("ebs", {}).get("snapshot_id"))
        if snapshot is not None and snapshot["encrypted"]:
            mapping["ebs"]["encrypted"] = True
    root_device = params.get("RootDeviceName") or DEFAULT_ROOT_DEVICE
    root = next((m for m in mappings if m["device_name"] == root_device), None)
    location = params.get("ImageLocation")
    if root is not None and "ebs" in root and root["ebs"]["snapshot_id"]:
        root_type = "ebs"
        architecture = params.get("Architecture", "i386")
        location = f"{ctx.account_id}/{name}"
    elif location:
        if root is not None and "ebs" in root:
            raise ebs_root_without_snapshot(root_device)
        root_type = "instance-store"
        architecture = params.get("Architecture", "x86_64")
    else:
        raise root_without_source(root_device)
    image_tags, = tags_from_specifications(params.get("TagSpecifications"), ("image",))
    check_name_unused(ctx, name)
    ctx.dry_run(params)
    image_id = ids.new_id("ami")
    used = [m["ebs"]["snapshot_id"] for m in mappings if "ebs" in m and m["ebs"]["snapshot_id"] in stored]
    ctx.uow.images.link_snapshots(image_id, used)
    return store_image(
        ctx, image_id, params, image_tags, pending=any(stored[s]["state"] == "pending" for s in used),
        architecture=architecture,
        root_device_type=root_type,
        root_device_name=root_device,
        virtualization_type=params.get("VirtualizationType", "paravirtual"),
        image_location=location,
        block_device_mappings=mappings,
        ena_support=bool(params.get("EnaSupport", False)),
        attributes={column: params[member] for member, column in _ATTRIBUTES.items() if params.get(member)} or None,
    )


# --------------------------------------------------------------------------- DeregisterImage


@operation("DeregisterImage")
def deregister_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    image_id = params["ImageId"]
    check_image_id(image_id)
    if any(image["image_id"] == image_id for image in catalogue_cached(ctx.region)):
        raise image_not_authorized(image_id)
    row = ctx.uow.images.get(ctx.region, [image_id]).get(image_id)
    if row is None:
        raise image_not_found([image_id])
    if row["account_id"] != ctx.account_id:
        raise image_not_authorized(image_id)
    deleting = bool(params.get("DeleteAssociatedSnapshots"))
    linked = ctx.uow.images.snapshots_of(image_id) if deleting else []
    ctx.dry_run(params)
    ctx.uow.images.delete(image_id)
    for key, _ in ctx.uow.tags.for_resources(ctx.account_id, ctx.region, [image_id]).get(image_id, []):
        ctx.uow.tags.delete(ctx.account_id, ctx.region, image_id, key)
    if not deleting:
        return {"Return": True}
    results = []
    for snapshot_id in linked:
        if ctx.uow.snapshots.images_using(snapshot_id):
            results.append({"SnapshotId": snapshot_id, "ReturnCode": "skipped"})
        else:
            ctx.uow.snapshots.delete(snapshot_id)
            results.append({"SnapshotId": snapshot_id, "ReturnCode": "success"})
    return {"Return": True, "DeleteSnapshotResults": results}
