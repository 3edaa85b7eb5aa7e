"""AttachVolume and DetachVolume (the states and rules are in :mod:`ec2emu.services.ec2.volumes`'
docstring): an attachment is ``attaching``, then ``attached``; a detachment ``detaching``,
then the volume ``available``."""

from __future__ import annotations

from typing import Any

from ec2emu.errors import (
    invalid_parameter_value,
)
from ec2emu.lifecycle.machines import RUNNING, STOPPED
from ec2emu.services.ec2.errors import (
    attachment_not_found,
    instance_not_running,
    root_volume_attached,
    volume_already_attached,
    volume_state,
    volume_zone_mismatch,
)
from ec2emu.services.ec2.instances import common as instance_service
from ec2emu.services.ec2.service import operation
from ec2emu.services.ec2.volumes import VOLUMES, attachment_view, check_device_name, volume_due
from ec2emu.services.shared.context import RequestContext


def devices_in_use(ctx: RequestContext, instance: dict[str, Any]) -> set[str]:
    """Device names taken on ``instance``: its volumes, its root and instance-store devices."""
    taken = {v["device"] for v in ctx.uow.volumes.attached_to([instance["instance_id"]]).get(
        instance["instance_id"], [])}
    if instance["root_device_name"]:
        taken.add(instance["root_device_name"])
    for mapping in instance.get("instance_store_mappings") or []:
        if "virtual_name" in mapping:
            taken.add(mapping["device_name"])
    return taken


@operation("AttachVolume", refuses=("EbsCardIndex",))
def attach_volume(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    volume = VOLUMES.one(ctx, params["VolumeId"])
    instance = instance_service.INSTANCES.one(ctx, params["InstanceId"])
    device = params["Device"]
    check_device_name(device)
    if volume["instance_id"] is not None:
        raise volume_already_attached(volume["volume_id"])
    if volume["state"] != "available":
        raise volume_state(volume["volume_id"], volume["state"])
    if instance["state"] not in (RUNNING, STOPPED):
        raise instance_not_running(instance["instance_id"])
    if volume["availability_zone"] != instance["availability_zone"]:
        raise volume_zone_mismatch(volume["volume_id"], instance["instance_id"])
    if device in devices_in_use(ctx, instance):
        raise invalid_parameter_value(
            f"Invalid value '{device}' for unixDevice. Attachment point {device} is already in use"
        )
    ctx.dry_run(params)
    changes = {
        "state": "in-use",
        "instance_id": instance["instance_id"],
        "device": device,
        "attach_time": ctx.now_ts,
        "attachment_state": "attaching",
        "delete_on_termination": False,
        "due_at": volume_due(ctx),
    }
    ctx.uow.volumes.update(volume["volume_id"], changes)
    return attachment_view({**volume, **changes})


@operation("DetachVolume")
def detach_volume(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    volume = VOLUMES.one(ctx, params["VolumeId"])
    instance_id = params.get("InstanceId")
    device = params.get("Device")
    if instance_id is not None:
        instance_service.INSTANCES.one(ctx, instance_id)
    if volume["instance_id"] is None:
        raise volume_state(volume["volume_id"], volume["state"])
    if (instance_id is not None and instance_id != volume["instance_id"]) or (
        device is not None and device != volume["device"]
    ):
        raise attachment_not_found(volume["volume_id"], instance_id or volume["instance_id"],
                                   device or volume["device"])
    instance = instance_service.INSTANCES.one(ctx, volume["instance_id"])
    if volume["device"] == instance["root_device_name"] and instance["state"] != STOPPED:
        raise root_volume_attached(volume["volume_id"], instance["instance_id"])
    ctx.dry_run(params)
    if volume["attachment_state"] == "detaching":
        return attachment_view(volume)
    changes = {"attachment_state": "detaching", "due_at": volume_due(ctx)}
    ctx.uow.volumes.update(volume["volume_id"], changes)
    return attachment_view({**volume, **changes})
