"""CreateImage: an image and a snapshot per EBS volume of an instance (see the package's
docstring)."""

from __future__ import annotations

from typing import Any

from ec2emu.errors import (
    invalid_parameter_value,
)
from ec2emu.services.ec2 import snapshots as snapshot_service
from ec2emu.services.ec2.errors import (
    incorrect_instance_state,
    root_suppressed,
    smaller_than_snapshot,
)
from ec2emu.services.ec2.images.catalogue import catalogue_snapshots
from ec2emu.services.ec2.images.common import (
    check_name_unused,
    checked_name,
    mapping_of,
    requested_mappings,
    store_image,
)
from ec2emu.services.ec2.instances import common as instance_service
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.tagging import tags_from_specifications


def _ebs_override(device: str, base: dict[str, Any], ebs: dict[str, Any], snapshot_size: int | None) -> dict[str, Any]:
    spec = dict(base)
    if ebs.get("VolumeSize") is not None:
        size = ebs["VolumeSize"]
        if snapshot_size is not None and size < snapshot_size:
            raise smaller_than_snapshot(size, spec.get("snapshot_id"), snapshot_size)
        spec["volume_size"] = size
    if ebs.get("VolumeType") is not None:
        spec["volume_type"] = ebs["VolumeType"]
    if ebs.get("DeleteOnTermination") is not None:
        spec["delete_on_termination"] = bool(ebs["DeleteOnTermination"])
    if ebs.get("Iops") is not None:
        spec["iops"] = ebs["Iops"]
    if ebs.get("Encrypted") is not None:
        spec["encrypted"] = spec.get("encrypted", False) or bool(ebs["Encrypted"])
    return spec


@operation("CreateImage", refuses=("SnapshotLocation",))
def create_image(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name = checked_name(params)
    instance = instance_service.INSTANCES.one(ctx, params["InstanceId"])
    instance_id = instance["instance_id"]
    if instance["root_device_type"] != "ebs":
        raise invalid_parameter_value(
            f"The instance '{instance_id}' does not have an 'ebs' root device type; "
            "only EBS-backed instances can be imaged."
        )
    if instance["state"] not in ("running", "stopped"):
        raise incorrect_instance_state(instance_id, "imaged")
    volumes = ctx.uow.volumes.attached_to([instance_id]).get(instance_id, [])
    # Device -> (mapping, source volume or None)
    plan: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    for volume in volumes:
        spec: dict[str, Any] = {
            "snapshot_id": None,
            "volume_size": volume["size"],
            "volume_type": volume["volume_type"],
            "delete_on_termination": volume["delete_on_termination"],
            "encrypted": volume["encrypted"],
        }
        if volume["volume_type"] in ("gp3", "io1", "io2") and volume["iops"] is not None:
            spec["iops"] = volume["iops"]
        if volume["throughput"] is not None:
            spec["throughput"] = volume["throughput"]
        plan[volume["device"]] = ({"device_name": volume["device"], "ebs": spec}, volume)
    for stored in instance.get("instance_store_mappings") or []:
        plan.setdefault(stored["device_name"], (dict(stored), None))
    for device, item in requested_mappings(params):
        existing = plan.get(device)
        if item.get("NoDevice") is not None:
            if device == instance["root_device_name"]:
                raise root_suppressed(device)
            plan[device] = ({"device_name": device, "no_device": True}, None)
        elif item.get("Ebs") is not None and existing is not None and existing[1] is not None:
            source = existing[1]
            snapshot_size = source["size"]
            spec = _ebs_override(device, existing[0]["ebs"], item["Ebs"], snapshot_size)
            plan[device] = ({"device_name": device, "ebs": spec}, source)
        else:
            plan[device] = (mapping_of(item, catalogue_snapshots(ctx.region)), None)
    image_tags, snapshot_tags = tags_from_specifications(
        params.get("TagSpecifications"), ("image", "snapshot")
    )
    check_name_unused(ctx, name)
    ctx.dry_run(params)
    image_id = ids.new_id("ami")
    mappings: list[dict[str, Any]] = []
    snapshot_rows: list[dict[str, Any]] = []
    for mapping, origin in plan.values():
        if origin is not None and "ebs" in mapping:
            snapshot = snapshot_service.new_snapshot_row(
                ctx, origin, f"Created by CreateImage({instance_id}) for {image_id}"
            )
            snapshot_rows.append(snapshot)
            mapping["ebs"]["snapshot_id"] = snapshot["snapshot_id"]
        mappings.append(mapping)
    ctx.uow.snapshots.insert(snapshot_rows)
    for snapshot in snapshot_rows:
        ctx.uow.tags.put(ctx.account_id, ctx.region, snapshot["snapshot_id"], "snapshot", snapshot_tags)
    ctx.uow.images.link_snapshots(image_id, [s["snapshot_id"] for s in snapshot_rows])
    return store_image(
        ctx, image_id, params, image_tags, pending=bool(snapshot_rows),
        architecture=instance["architecture"],
        root_device_type="ebs",
        root_device_name=instance["root_device_name"],
        virtualization_type=instance["virtualization_type"],
        image_location=f"{ctx.account_id}/{name}",
        block_device_mappings=mappings,
        ena_support=True,
    )
