"""Instance types: the catalogue of every type EC2 offers in us-east-1, and DescribeInstanceTypes.

The catalogue is ``instance_types.json`` beside this module: every type botocore's
``InstanceType`` enum names that DescribeInstanceTypes lists in us-east-1, previous
generations included, each as DescribeInstanceTypes answers it there (vCPUs, memory,
network performance and limits, architectures, hypervisor, instance storage, EBS, ...).
The data file cites its source; a test checks its names against botocore's enum and its
members against botocore's output shape.

Choices the documentation leaves open: ``SupportedInRegion`` says whether the caller's
Region offers the type (:mod:`.instance_type_offerings`); without
``IncludeUnsupportedInRegion`` only offered types are listed, but types named in
``InstanceTypes`` are answered either way. Every figure is the us-east-1 one in every
Region.

RunInstances and ModifyInstanceAttribute check types against this catalogue; an unknown
type is rejected as EC2 does. DescribeInstanceTypes with an unknown name answers
``InvalidInstanceType`` "The following supplied instance types do not exist: [a, b]".
``MaxResults`` is 5–100 as EC2 allows for this call, with an opaque ``NextToken``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.ec2 import instance_type_offerings as offerings
from ec2emu.services.ec2.errors import invalid_instance_type_value, unknown_instance_types
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, describe, in_memory
from ec2emu.services.shared.pagination import PageSize
from ec2emu.store.repository import Match

MAX_RESULTS = 100


@dataclass(frozen=True)
class InstanceType:
    """One type, read from its DescribeInstanceTypes view."""

    name: str
    view: dict[str, Any]

    @property
    def vcpus(self) -> int:
        figure: int = self.view["VCpuInfo"]["DefaultVCpus"]  # a JSON number of the data file
        return figure

    @property
    def memory_mib(self) -> int:
        figure: int = self.view["MemoryInfo"]["SizeInMiB"]  # a JSON number of the data file
        return figure

    @property
    def architectures(self) -> tuple[str, ...]:
        return tuple(self.view["ProcessorInfo"]["SupportedArchitectures"])

    @property
    def max_interfaces(self) -> int:
        figure: int = self.view["NetworkInfo"]["MaximumNetworkInterfaces"]  # a JSON number of the data file
        return figure

    @property
    def ipv4_per_interface(self) -> int:
        figure: int = self.view["NetworkInfo"]["Ipv4AddressesPerInterface"]  # a JSON number of the data file
        return figure

    @property
    def burstable(self) -> bool:
        return bool(self.view.get("BurstablePerformanceSupported"))

    @property
    def hibernation(self) -> bool:
        return bool(self.view.get("HibernationSupported"))

    @property
    def root_device_types(self) -> tuple[str, ...]:
        return tuple(self.view["SupportedRootDeviceTypes"])

    @property
    def virtualization_types(self) -> tuple[str, ...]:
        return tuple(self.view["SupportedVirtualizationTypes"])

    @property
    def disks(self) -> tuple[int, int, str] | None:
        """The instance storage: (disk count, size of one disk in GB, "ssd" | "hdd")."""
        storage = self.view.get("InstanceStorageInfo")
        if not storage:
            return None
        count: int = sum(disk["Count"] for disk in storage["Disks"])
        first = storage["Disks"][0]
        return count, first["SizeInGB"], first["Type"]


def _load() -> dict[str, InstanceType]:
    text = resources.files("ec2emu.services.ec2").joinpath("instance_types.json").read_text("utf-8")
    return {name: InstanceType(name, view) for name, view in json.loads(text)["types"].items()}


CATALOGUE: dict[str, InstanceType] = _load()


def get(name: str) -> InstanceType | None:
    return CATALOGUE.get(name)


def running(name: str, architecture: str, mismatch: Callable[[InstanceType], Ec2Error]) -> InstanceType:
    """The type ``name`` (``InvalidInstanceType`` when the catalogue has none), which must
    run ``architecture`` (the caller's ``mismatch`` error otherwise)."""
    itype = CATALOGUE.get(name)
    if itype is None:
        raise invalid_instance_type_value(name)
    if architecture not in itype.architectures:
        raise mismatch(itype)
    return itype


def type_view(t: InstanceType, region: str) -> dict[str, Any]:
    return {**t.view, "SupportedInRegion": offerings.offered_in_region(region, t.name)}


# Paths into the type's view.
_FILTERS = {
    "instance-type": "InstanceType",
    "current-generation": "CurrentGeneration",
    "free-tier-eligible": "FreeTierEligible",
    "burstable-performance-supported": "BurstablePerformanceSupported",
    "hibernation-supported": "HibernationSupported",
    "instance-storage-supported": "InstanceStorageSupported",
    "instance-storage-info.total-size-in-gb": "InstanceStorageInfo.TotalSizeInGB",
    "instance-storage-info.disk.type": "InstanceStorageInfo.Disks.Type",
    "processor-info.supported-architecture": "ProcessorInfo.SupportedArchitectures",
    "processor-info.manufacturer": "ProcessorInfo.Manufacturer",
    "supported-root-device-type": "SupportedRootDeviceTypes",
    "supported-virtualization-type": "SupportedVirtualizationTypes",
    "supported-usage-class": "SupportedUsageClasses",
    "supported-boot-mode": "SupportedBootModes",
    "vcpu-info.default-vcpus": "VCpuInfo.DefaultVCpus",
    "vcpu-info.default-cores": "VCpuInfo.DefaultCores",
    "vcpu-info.default-threads-per-core": "VCpuInfo.DefaultThreadsPerCore",
    "memory-info.size-in-mib": "MemoryInfo.SizeInMiB",
    "network-info.network-performance": "NetworkInfo.NetworkPerformance",
    "network-info.maximum-network-interfaces": "NetworkInfo.MaximumNetworkInterfaces",
    "network-info.ipv4-addresses-per-interface": "NetworkInfo.Ipv4AddressesPerInterface",
    "network-info.ipv6-supported": "NetworkInfo.Ipv6Supported",
    "network-info.ena-support": "NetworkInfo.EnaSupport",
    "network-info.efa-supported": "NetworkInfo.EfaSupported",
    "ebs-info.ebs-optimized-support": "EbsInfo.EbsOptimizedSupport",
    "ebs-info.encryption-support": "EbsInfo.EncryptionSupport",
    "ebs-info.nvme-support": "EbsInfo.NvmeSupport",
    "placement-group-info.supported-strategies": "PlacementGroupInfo.SupportedStrategies",
    "auto-recovery-supported": "AutoRecoverySupported",
    "dedicated-hosts-supported": "DedicatedHostsSupported",
    "bare-metal": "BareMetal",
    "hypervisor": "Hypervisor",
    "nitro-tpm-support": "NitroTpmSupport",
}


def _named_types(ctx: RequestContext, params: dict[str, Any]) -> list[Match]:
    """``InstanceTypes`` narrows the listing like a filter (it may be paged); every name
    must be known. Without it or ``IncludeUnsupportedInRegion``, only types the Region
    offers are listed."""
    wanted = params.get("InstanceTypes") or []
    unknown = list(dict.fromkeys(name for name in wanted if name not in CATALOGUE))
    if unknown:
        raise unknown_instance_types(unknown)
    if wanted:
        return [Match("InstanceType", tuple(wanted))]
    return [] if params.get("IncludeUnsupportedInRegion") else [Match("SupportedInRegion", (True,))]


_NAMES = sorted(CATALOGUE)

DESCRIBE_INSTANCE_TYPES = Describe(
    result="InstanceTypes",
    key="InstanceType",
    find=in_memory("InstanceType", lambda ctx: [type_view(CATALOGUE[name], ctx.region) for name in _NAMES]),
    filters=_FILTERS,
    tags=None,
    criteria=_named_types,
    page_size=PageSize(maximum=MAX_RESULTS, between=True),
)


@operation("DescribeInstanceTypes")
def describe_instance_types(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INSTANCE_TYPES)
