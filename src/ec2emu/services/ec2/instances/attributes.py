"""Instance attributes: DescribeInstanceAttribute and ModifyInstanceAttribute.

ModifyInstanceAttribute takes either wire form (``Attribute=x&Value=y`` or a nested value
such as ``DisableApiTermination.Value=true``), one attribute per call;
``BlockDeviceMapping.N.Ebs.DeleteOnTermination`` changes the flag of attached volumes,
and DescribeInstanceAttribute ``blockDeviceMapping`` reports the instance's EBS volumes. ``instanceType``
and ``userData`` change only while the instance is stopped; the shutdown behaviour
cannot be set on an instance-store-backed instance. ``GroupId.N`` (``groupSet``) replaces
the instance's security groups, its primary network interface's
(:func:`~ec2emu.services.ec2.networking.security_groups.instance_groups`);
``SourceDestCheck`` is its primary network interface's too. ``kernel`` and ``ramdisk``
change only while the instance is stopped (:func:`~ec2emu.services.ec2.instances.placement.modify_kernel`);
a new ``instanceType`` that is burstable gives an instance without a CPU credit option its
family's default (:mod:`~ec2emu.services.ec2.instances.credits`).
"""

from __future__ import annotations

import base64
from typing import Any

from ec2emu.errors import (
    invalid_parameter_combination,
    invalid_parameter_value,
    missing_parameter,
)
from ec2emu.lifecycle.machines import STOPPED, TERMINATED
from ec2emu.services.ec2 import instance_types
from ec2emu.services.ec2.errors import (
    incorrect_instance_state,
    no_device_mapped,
    not_stopped,
    shutdown_behavior_needs_ebs,
    unsupported_attribute,
    volume_not_at_device,
)
from ec2emu.services.ec2.instances import credits, placement
from ec2emu.services.ec2.instances.common import INSTANCES, check_user_data, describe_rows
from ec2emu.services.ec2.networking import security_groups
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext

_ATTRIBUTE_COLUMNS = {
    "disableApiTermination": ("DisableApiTermination", "disable_api_termination"),
    "disableApiStop": ("DisableApiStop", "disable_api_stop"),
    "instanceInitiatedShutdownBehavior": ("InstanceInitiatedShutdownBehavior", "shutdown_behavior"),
    "instanceType": ("InstanceType", "instance_type"),
    "userData": ("UserData", "user_data"),
    "ebsOptimized": ("EbsOptimized", "ebs_optimized"),
}


@operation("DescribeInstanceAttribute")
def describe_instance_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    attribute = params["Attribute"]
    row = INSTANCES.one(ctx, params["InstanceId"])
    ctx.dry_run(params)
    result: dict[str, Any] = {"InstanceId": row["instance_id"]}
    if attribute in _ATTRIBUTE_COLUMNS:
        key, column = _ATTRIBUTE_COLUMNS[attribute]
        value = row[column]
        if attribute == "userData" and value is None:
            result[key] = {}
        else:
            result[key] = {"Value": value}
    elif attribute == "rootDeviceName":
        result["RootDeviceName"] = {"Value": row["root_device_name"]}
    elif attribute == "blockDeviceMapping":
        result["BlockDeviceMappings"] = describe_rows(ctx, [row])[0]["BlockDeviceMappings"]
    elif attribute == "groupSet":
        result["Groups"] = [dict(group) for group in row["security_groups"]]
    elif attribute == "sourceDestCheck":
        primary = _primary_interface(ctx, row["instance_id"])
        result["SourceDestCheck"] = {"Value": True if primary is None else primary["source_dest_check"]}
    elif attribute == "enaSupport":
        result["EnaSupport"] = {"Value": True}
    elif attribute == "productCodes":
        result["ProductCodes"] = []
    elif attribute in ("kernel", "ramdisk"):
        value = row["kernel_id" if attribute == "kernel" else "ramdisk_id"]
        result["KernelId" if attribute == "kernel" else "RamdiskId"] = {} if value is None else {"Value": value}
    elif attribute == "enclaveOptions":
        result["EnclaveOptions"] = {"Enabled": False}
    else:
        result["SriovNetSupport"] = {}
    return result


_NESTED_ATTRIBUTES = {
    "DisableApiTermination": "disableApiTermination",
    "DisableApiStop": "disableApiStop",
    "InstanceInitiatedShutdownBehavior": "instanceInitiatedShutdownBehavior",
    "InstanceType": "instanceType",
    "UserData": "userData",
    "EbsOptimized": "ebsOptimized",
    "SourceDestCheck": "sourceDestCheck",
    "EnaSupport": "enaSupport",
    "SriovNetSupport": "sriovNetSupport",
    "Kernel": "kernel",
    "Ramdisk": "ramdisk",
    "Groups": "groupSet",
    "BlockDeviceMappings": "blockDeviceMapping",
}


def _modification(params: dict[str, Any]) -> tuple[str, Any]:
    """The one attribute a ModifyInstanceAttribute call changes, from either wire form:
    ``Attribute=x&Value=y`` or a nested value (``DisableApiTermination.Value=true``)."""
    given: list[tuple[str, Any]] = []
    if "Attribute" in params:
        given.append((params["Attribute"], params.get("Value")))
    elif "Value" in params:
        raise missing_parameter("Attribute")
    for key, attribute in _NESTED_ATTRIBUTES.items():
        if key in params:
            value = params[key]
            if isinstance(value, dict):
                value = value.get("Value")
            if isinstance(value, (bytes, bytearray)):
                value = base64.b64encode(bytes(value)).decode()
            given.append((attribute, value))
    if not given:
        raise missing_parameter("Attribute")
    if len(given) > 1:
        raise invalid_parameter_combination(
            "Fields for multiple attribute types specified: " + ", ".join(a for a, _ in given)
        )
    return given[0]


def _coerce_bool(attribute: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text not in ("true", "false"):
        raise invalid_parameter_value(f"Value ({value}) for parameter {attribute} is invalid.")
    return text == "true"


def _modify_block_device_mappings(
    ctx: RequestContext, params: dict[str, Any], row: dict[str, Any], value: Any
) -> dict[str, Any]:
    """``BlockDeviceMapping.N.Ebs.DeleteOnTermination`` for volumes attached to the
    instance, by device name (DeleteOnTermination defaults to true when the mapping omits
    it, as the reference page says). A device with no volume attached answers
    ``InvalidInstanceAttributeValue`` "No device is currently mapped at …"."""
    if not isinstance(value, list) or not value:
        raise missing_parameter("BlockDeviceMapping")
    if row["state"] == TERMINATED:
        raise incorrect_instance_state(row["instance_id"], "modified")
    attached = {v["device"]: v for v in ctx.uow.volumes.attached_to([row["instance_id"]]).get(row["instance_id"], [])}
    changes: list[tuple[str, bool]] = []
    for mapping in value:
        device = mapping.get("DeviceName")
        if not device:
            raise missing_parameter("BlockDeviceMapping.DeviceName")
        volume = attached.get(device)
        if volume is None:
            raise no_device_mapped(device)
        ebs = mapping.get("Ebs") or {}
        if ebs.get("VolumeId") is not None and ebs["VolumeId"] != volume["volume_id"]:
            raise volume_not_at_device(ebs["VolumeId"], device)
        changes.append((volume["volume_id"], _coerce_bool("deleteOnTermination", ebs.get("DeleteOnTermination", True))))
    ctx.dry_run(params)
    for volume_id, delete_on_termination in changes:
        ctx.uow.volumes.update(volume_id, {"delete_on_termination": delete_on_termination})
    return {}


def _modify_groups(ctx: RequestContext, params: dict[str, Any], row: dict[str, Any], value: Any) -> dict[str, Any]:
    """``GroupId.N``: the instance's groups — its primary interface's — replaced by those
    named (of its VPC)."""
    if row["state"] == TERMINATED:
        raise incorrect_instance_state(row["instance_id"], "modified")
    chosen = security_groups.instance_groups(ctx, value, row["vpc_id"])
    ctx.dry_run(params)
    ctx.uow.instances.update(row["instance_id"], {"security_groups": chosen})
    primary = _primary_interface(ctx, row["instance_id"])
    if primary is not None:
        ctx.uow.network_interfaces.set_groups(primary, chosen)
    return {}


def _primary_interface(ctx: RequestContext, instance_id: str) -> dict[str, Any] | None:
    """The instance's primary network interface (none once its termination is over)."""
    attached = ctx.uow.network_interfaces.attached_to([instance_id]).get(instance_id, [])
    return attached[0] if attached and attached[0]["device_index"] == 0 else None


def _modify_source_dest_check(ctx: RequestContext, params: dict[str, Any], row: dict[str, Any],
                              value: Any) -> dict[str, Any]:
    """``SourceDestCheck``: its primary network interface's."""
    if value is None:
        raise missing_parameter("Value")
    checked = _coerce_bool("sourceDestCheck", value)
    primary = _primary_interface(ctx, row["instance_id"])
    if row["state"] == TERMINATED or primary is None:
        raise incorrect_instance_state(row["instance_id"], "modified")
    ctx.dry_run(params)
    ctx.uow.network_interfaces.update(primary["network_interface_id"], {"source_dest_check": checked})
    return {}


@operation("ModifyInstanceAttribute")
def modify_instance_attribute(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    attribute, value = _modification(params)
    row = INSTANCES.one(ctx, params["InstanceId"])
    instance_id = row["instance_id"]
    if attribute == "blockDeviceMapping":
        return _modify_block_device_mappings(ctx, params, row, value)
    if attribute == "groupSet":
        return _modify_groups(ctx, params, row, value)
    if attribute == "sourceDestCheck":
        return _modify_source_dest_check(ctx, params, row, value)
    if attribute in ("kernel", "ramdisk"):
        return placement.modify_kernel(ctx, params, row, attribute, value)
    if attribute not in _ATTRIBUTE_COLUMNS:
        raise unsupported_attribute(attribute)
    if value is None:
        raise missing_parameter("Value")
    column = _ATTRIBUTE_COLUMNS[attribute][1]
    if row["state"] == TERMINATED:
        raise incorrect_instance_state(instance_id, "modified")
    if attribute in ("disableApiTermination", "disableApiStop", "ebsOptimized"):
        value = _coerce_bool(attribute, value)
    elif attribute == "instanceInitiatedShutdownBehavior":
        if row["root_device_type"] != "ebs":
            raise shutdown_behavior_needs_ebs()
        if value not in ("stop", "terminate"):
            raise invalid_parameter_value(
                f"Value ({value}) for parameter instanceInitiatedShutdownBehavior is invalid. "
                "Expected one of: stop, terminate"
            )
    elif attribute in ("instanceType", "userData"):
        if row["state"] != STOPPED:
            raise not_stopped(instance_id)
        if attribute == "instanceType":
            instance_types.running(value, row["architecture"], lambda itype: invalid_parameter_value(
                f"The instance type '{value}' does not support the architecture "
                f"'{row['architecture']}' of instance '{instance_id}'."
            ))
        else:
            check_user_data({"UserData": value})
    ctx.dry_run(params)
    changes = {column: value}
    if attribute == "instanceType":
        changes["cpu_credits"] = credits.credits_for_type(row["cpu_credits"], value)
    ctx.uow.instances.update(instance_id, changes)
    return {}
