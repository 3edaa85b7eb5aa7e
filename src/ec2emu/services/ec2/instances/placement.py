"""Where and on what hardware a launch places its instances, beyond the zone and subnet
(:mod:`~ec2emu.services.ec2.instances.run`): ``Placement.Tenancy`` and, at launch,
``KernelId`` and ``RamdiskId``.

Tenancy ``default`` (shared hardware) and ``dedicated`` (Dedicated Instances) are stored
and shown (``Placement.Tenancy``, the ``tenancy`` filter). Dedicated Hosts (tenancy
``host``, ``HostId``, ``HostResourceGroupArn``, ``Affinity``) and placement groups
(``GroupName``, ``GroupId``, ``PartitionNumber``, ``SpreadDomain``) are not emulated: each
is refused by name (``UnsupportedOperation``), and nothing is launched. An empty
``GroupName`` — what some tools send for "no group" — names no group. AWS documents
instance types that cannot be Dedicated Instances; this endpoint lets every type of its
catalogue be one.

A kernel (``aki-``) or ramdisk (``ari-``) ID must be well formed (``InvalidKernelId.Malformed``;
``InvalidParameterValue`` for a ramdisk); it is stored as given and shown as ``KernelId`` /
``RamdiskId`` (the catalogue holds no kernel images, so none is looked up).
ModifyInstanceAttribute ``kernel`` / ``ramdisk`` (:func:`modify_kernel`) changes them only
while the instance is stopped (``IncorrectInstanceState`` otherwise), read back by
DescribeInstanceAttribute.
"""

from __future__ import annotations

from typing import Any

from ec2emu.errors import missing_parameter
from ec2emu.lifecycle.machines import STOPPED
from ec2emu.services.ec2.instances.option_errors import (
    kernel_not_stopped,
    malformed_kernel_id,
    malformed_ramdisk_id,
    unsupported_member,
)
from ec2emu.services.ec2.networking.errors import unsupported_value
from ec2emu.services.shared import ids
from ec2emu.services.shared.context import RequestContext

TENANCIES = ("default", "dedicated")
_NOT_EMULATED = ("HostId", "HostResourceGroupArn", "Affinity", "GroupName", "GroupId", "PartitionNumber",
                 "SpreadDomain")


def launch_tenancy(params: dict[str, Any]) -> str:
    """The launch's tenancy; the placement members not emulated are refused by name."""
    placement = params.get("Placement") or {}
    for name in _NOT_EMULATED:
        if placement.get(name) not in (None, ""):
            raise unsupported_member(f"Placement.{name}")
    tenancy = placement.get("Tenancy") or "default"
    if tenancy not in TENANCIES:
        raise unsupported_value("Placement.Tenancy", tenancy)
    return str(tenancy)


def checked_kernel(value: Any) -> str:
    if not isinstance(value, str) or not ids.is_well_formed("aki", value):
        raise malformed_kernel_id(value)
    return value


def checked_ramdisk(value: Any) -> str:
    if not isinstance(value, str) or not ids.is_well_formed("ari", value):
        raise malformed_ramdisk_id(value)
    return value


def launch_columns(params: dict[str, Any]) -> dict[str, Any]:
    """The placement columns of each instance a launch makes (checked)."""
    return {
        "tenancy": launch_tenancy(params),
        "kernel_id": None if params.get("KernelId") is None else checked_kernel(params["KernelId"]),
        "ramdisk_id": None if params.get("RamdiskId") is None else checked_ramdisk(params["RamdiskId"]),
    }


def modify_kernel(ctx: RequestContext, params: dict[str, Any], row: dict[str, Any], attribute: str,
                  value: Any) -> dict[str, Any]:
    """ModifyInstanceAttribute ``kernel`` or ``ramdisk`` of a stopped instance."""
    if value is None:
        raise missing_parameter("Value")
    checked = checked_kernel(value) if attribute == "kernel" else checked_ramdisk(value)
    if row["state"] != STOPPED:
        raise kernel_not_stopped(row["instance_id"], attribute)
    ctx.dry_run(params)
    ctx.uow.instances.update(row["instance_id"], {"kernel_id" if attribute == "kernel" else "ramdisk_id": checked})
    return {}
