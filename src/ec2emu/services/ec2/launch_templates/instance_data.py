"""GetLaunchTemplateData: an existing instance's configuration as launch template data.

The data is read from the instance as DescribeInstances shows it (so it follows whatever
the instance's view holds) and from its stored attributes: image, type, key pair,
placement, monitoring, security groups, network interfaces (device index, subnet,
groups, addresses, delete-on-termination), EBS block devices (size, type, IOPS,
throughput, encryption, delete-on-termination: the volumes as they are now),
instance profile, user data, protections, shutdown behaviour, EBS optimization,
hibernation and metadata options, and the instance's own tags as an ``instance``
tag specification (``aws:`` tags left out: they cannot be given). A member the instance
has no value for is left out. A terminated instance's data is answered too, for as long
as it is listed (AWS documents no refusal).
"""

from __future__ import annotations

from typing import Any

from ec2emu.services.ec2.instances.common import INSTANCES, describe_rows
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext


def _block_devices(ctx: RequestContext, view: dict[str, Any]) -> list[dict[str, Any]]:
    mappings = view.get("BlockDeviceMappings") or []
    volume_ids = [mapping["Ebs"]["VolumeId"] for mapping in mappings if mapping.get("Ebs")]
    volumes = ctx.uow.volumes.get(ctx.account_id, ctx.region, volume_ids) if volume_ids else {}
    result = []
    for mapping in mappings:
        volume = volumes.get(mapping.get("Ebs", {}).get("VolumeId"))
        if volume is None:
            continue
        ebs: dict[str, Any] = {"DeleteOnTermination": mapping["Ebs"]["DeleteOnTermination"],
                               "VolumeSize": volume["size"], "VolumeType": volume["volume_type"],
                               "Encrypted": bool(volume["encrypted"])}
        for key, column in (("Iops", "iops"), ("Throughput", "throughput"), ("SnapshotId", "snapshot_id"),
                            ("KmsKeyId", "kms_key_id")):
            if volume.get(column) is not None:
                ebs[key] = volume[column]
        result.append({"DeviceName": mapping["DeviceName"], "Ebs": ebs})
    return result


def _interfaces(view: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for interface in view.get("NetworkInterfaces") or []:
        attachment = interface.get("Attachment") or {}
        item: dict[str, Any] = {
            "DeviceIndex": attachment.get("DeviceIndex", 0),
            "DeleteOnTermination": attachment.get("DeleteOnTermination", True),
            "SubnetId": interface.get("SubnetId"),
            "Groups": [group["GroupId"] for group in interface.get("Groups") or []],
            "PrivateIpAddresses": [{"Primary": address.get("Primary", False),
                                    "PrivateIpAddress": address["PrivateIpAddress"]}
                                   for address in interface.get("PrivateIpAddresses") or []],
        }
        if interface.get("Description"):
            item["Description"] = interface["Description"]
        result.append({key: value for key, value in item.items() if value is not None})
    return result


def launch_data(ctx: RequestContext, row: dict[str, Any]) -> dict[str, Any]:
    """An instance's launch template data."""
    [view] = describe_rows(ctx, [row])
    data: dict[str, Any] = {
        "ImageId": view["ImageId"],
        "InstanceType": view["InstanceType"],
        "EbsOptimized": view["EbsOptimized"],
        "Placement": {key: value for key, value in view["Placement"].items() if value},
        "Monitoring": {"Enabled": view["Monitoring"]["State"] in ("enabled", "pending")},
        "DisableApiTermination": bool(row["disable_api_termination"]),
        "DisableApiStop": bool(row["disable_api_stop"]),
        "InstanceInitiatedShutdownBehavior": row["shutdown_behavior"],
        "HibernationOptions": {"Configured": view["HibernationOptions"]["Configured"]},
        "MetadataOptions": {key: value for key, value in view["MetadataOptions"].items() if key != "State"},
        "BlockDeviceMappings": _block_devices(ctx, view),
        "NetworkInterfaces": _interfaces(view),
    }
    if view.get("KeyName"):
        data["KeyName"] = view["KeyName"]
    if view.get("IamInstanceProfile"):
        data["IamInstanceProfile"] = {"Arn": view["IamInstanceProfile"]["Arn"]}
    if row.get("user_data"):
        data["UserData"] = row["user_data"]
    tags = [tag for tag in view.get("Tags") or [] if not tag["Key"].lower().startswith("aws:")]
    if tags:
        data["TagSpecifications"] = [{"ResourceType": "instance", "Tags": tags}]
    return {key: value for key, value in data.items() if value not in (None, [], {})}


@operation("GetLaunchTemplateData")
def get_launch_template_data(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = INSTANCES.one(ctx, params["InstanceId"])
    ctx.dry_run(params)
    return {"LaunchTemplateData": launch_data(ctx, row)}
