"""Instance types: a built-in catalogue of real EC2 instance types and DescribeInstanceTypes.

The numbers are EC2's published specifications for each type: vCPUs (cores × threads
per core), memory in MiB, instance storage (disk count, size and medium), network
performance, network-interface and per-interface address limits, hypervisor (Xen for
the older families, Nitro for the rest), and whether the type can boot an
instance-store-backed AMI (only Xen types with instance storage can; Nitro types with
NVMe instance storage such as ``m5d`` boot from EBS only).

RunInstances and ModifyInstanceAttribute check types against this catalogue; an unknown
type is rejected as EC2 does. DescribeInstanceTypes with an unknown name answers
``InvalidInstanceType`` "The following supplied instance types do not exist: [a, b]".
``MaxResults`` is 5–100 as EC2 allows for this call, with an opaque ``NextToken``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.services.ec2.errors import invalid_instance_type_value, unknown_instance_types
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.describe import Describe, describe, in_memory
from ec2emu.services.shared.pagination import PageSize
from ec2emu.store.repository import Match

MAX_RESULTS = 100


@dataclass(frozen=True)
class InstanceType:
    name: str
    vcpus: int
    memory_mib: int
    architectures: tuple[str, ...]
    network: str
    max_interfaces: int
    ipv4_per_interface: int
    threads_per_core: int = 2
    manufacturer: str = "Intel"
    hypervisor: str = "nitro"
    current_generation: bool = True
    burstable: bool = False
    hibernation: bool = True
    free_tier: bool = False
    # instance storage: (disk count, size of one disk in GB, "ssd" | "hdd")
    disks: tuple[int, int, str] | None = None
    instance_store_root: bool = False

    @property
    def root_device_types(self) -> tuple[str, ...]:
        return ("ebs", "instance-store") if self.instance_store_root else ("ebs",)

    @property
    def virtualization_types(self) -> tuple[str, ...]:
        return ("hvm",) if self.current_generation else ("hvm", "paravirtual")

    @property
    def instance_storage_gb(self) -> int:
        return self.disks[0] * self.disks[1] if self.disks else 0

    @property
    def cores(self) -> int:
        return max(1, self.vcpus // self.threads_per_core)

    @property
    def nitro(self) -> bool:
        return self.hypervisor == "nitro"


_X86 = ("x86_64",)
_X86_32 = ("i386", "x86_64")
_ARM = ("arm64",)
_UP_TO_5 = "Up to 5 Gigabit"
_UP_TO_10 = "Up to 10 Gigabit"
_UP_TO_12 = "Up to 12.5 Gigabit"


def _t2(name: str, vcpus: int, memory: int, interfaces: int, addresses: int, **kw: Any) -> InstanceType:
    return InstanceType(
        name, vcpus, memory, kw.pop("architectures", _X86_32), "Low to Moderate", interfaces, addresses,
        threads_per_core=1, hypervisor="xen", burstable=True, **kw,
    )


def _burst(name: str, vcpus: int, memory: int, interfaces: int, addresses: int, **kw: Any) -> InstanceType:
    arch = _ARM if name.startswith("t4g") else _X86
    maker = "AWS" if arch == _ARM else "AMD" if name.startswith("t3a") else "Intel"
    return InstanceType(
        name, vcpus, memory, arch, _UP_TO_5, interfaces, addresses,
        threads_per_core=1 if arch == _ARM else 2, manufacturer=maker, burstable=True, **kw,
    )


def _graviton(name: str, vcpus: int, memory: int, network: str, interfaces: int, addresses: int) -> InstanceType:
    return InstanceType(
        name, vcpus, memory, _ARM, network, interfaces, addresses, threads_per_core=1, manufacturer="AWS"
    )


CATALOGUE: dict[str, InstanceType] = {
    t.name: t
    for t in [
        # previous generation, Xen, instance-store capable
        InstanceType("m1.small", 1, 1740, _X86_32, "Low", 2, 4, threads_per_core=1, hypervisor="xen",
                     current_generation=False, hibernation=False, disks=(1, 160, "hdd"),
                     instance_store_root=True),
        InstanceType("m3.medium", 1, 3840, _X86_32, "Moderate", 2, 6, threads_per_core=1, hypervisor="xen",
                     current_generation=False, hibernation=False, disks=(1, 4, "ssd"),
                     instance_store_root=True),
        InstanceType("c3.large", 2, 3840, _X86_32, "Moderate", 3, 10, hypervisor="xen",
                     current_generation=False, hibernation=False, disks=(2, 16, "ssd"),
                     instance_store_root=True),
        # burstable
        _t2("t2.nano", 1, 512, 2, 2),
        _t2("t2.micro", 1, 1024, 2, 2, free_tier=True),
        _t2("t2.small", 1, 2048, 3, 4),
        _t2("t2.medium", 2, 4096, 3, 6),
        _t2("t2.large", 2, 8192, 3, 12, architectures=_X86),
        _burst("t3.nano", 2, 512, 2, 2),
        _burst("t3.micro", 2, 1024, 2, 2, free_tier=True),
        _burst("t3.small", 2, 2048, 3, 4),
        _burst("t3.medium", 2, 4096, 3, 6),
        _burst("t3.large", 2, 8192, 3, 12),
        _burst("t3.xlarge", 4, 16384, 4, 15),
        _burst("t3.2xlarge", 8, 32768, 4, 15),
        _burst("t3a.nano", 2, 512, 2, 2),
        _burst("t3a.micro", 2, 1024, 2, 2),
        _burst("t3a.small", 2, 2048, 2, 4),
        _burst("t3a.medium", 2, 4096, 3, 6),
        _burst("t3a.large", 2, 8192, 3, 12),
        _burst("t4g.nano", 2, 512, 2, 2),
        _burst("t4g.micro", 2, 1024, 2, 2),
        _burst("t4g.small", 2, 2048, 3, 4),
        _burst("t4g.medium", 2, 4096, 3, 6),
        _burst("t4g.large", 2, 8192, 3, 12),
        # general purpose
        InstanceType("m5.large", 2, 8192, _X86, _UP_TO_10, 3, 10),
        InstanceType("m5.xlarge", 4, 16384, _X86, _UP_TO_10, 4, 15),
        InstanceType("m5.2xlarge", 8, 32768, _X86, _UP_TO_10, 4, 15),
        InstanceType("m5.4xlarge", 16, 65536, _X86, _UP_TO_10, 8, 30),
        InstanceType("m5d.large", 2, 8192, _X86, _UP_TO_10, 3, 10, disks=(1, 75, "ssd")),
        InstanceType("m5d.xlarge", 4, 16384, _X86, _UP_TO_10, 4, 15, disks=(1, 150, "ssd")),
        InstanceType("m6i.large", 2, 8192, _X86, _UP_TO_12, 3, 10),
        InstanceType("m6i.xlarge", 4, 16384, _X86, _UP_TO_12, 4, 15),
        InstanceType("m6a.large", 2, 8192, _X86, _UP_TO_12, 3, 10, manufacturer="AMD"),
        InstanceType("m7i.large", 2, 8192, _X86, _UP_TO_12, 3, 10),
        _graviton("m6g.medium", 1, 4096, _UP_TO_10, 2, 4),
        _graviton("m6g.large", 2, 8192, _UP_TO_10, 3, 10),
        _graviton("m7g.large", 2, 8192, _UP_TO_12, 3, 10),
        # compute optimised
        InstanceType("c5.large", 2, 4096, _X86, _UP_TO_10, 3, 10),
        InstanceType("c5.xlarge", 4, 8192, _X86, _UP_TO_10, 4, 15),
        InstanceType("c5d.large", 2, 4096, _X86, _UP_TO_10, 3, 10, disks=(1, 50, "ssd")),
        InstanceType("c6i.large", 2, 4096, _X86, _UP_TO_12, 3, 10),
        _graviton("c6g.large", 2, 4096, _UP_TO_10, 3, 10),
        _graviton("c7g.large", 2, 4096, _UP_TO_12, 3, 10),
        # memory optimised
        InstanceType("r5.large", 2, 16384, _X86, _UP_TO_10, 3, 10),
        InstanceType("r6i.large", 2, 16384, _X86, _UP_TO_12, 3, 10),
        _graviton("r6g.large", 2, 16384, _UP_TO_10, 3, 10),
        # storage optimised (Xen, NVMe instance storage, but EBS-only root devices)
        InstanceType("i3.large", 2, 15616, _X86, _UP_TO_10, 3, 10, hypervisor="xen",
                     disks=(1, 475, "ssd")),
    ]
}


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


def _placement_strategies(t: InstanceType) -> list[str]:
    if t.burstable or not t.current_generation:
        return ["partition", "spread"]
    return ["cluster", "partition", "spread"]


def _ena_support(t: InstanceType) -> str:
    if t.nitro:
        return "required"
    return "supported" if t.current_generation and not t.burstable else "unsupported"


def _boot_modes(t: InstanceType) -> list[str]:
    if t.architectures == _ARM:
        return ["uefi"]
    return ["legacy-bios", "uefi"] if t.nitro else ["legacy-bios"]


def type_view(t: InstanceType) -> dict[str, Any]:
    ebs_optimized = "default" if t.nitro or t.name.startswith("i3") else "unsupported"
    view: dict[str, Any] = {
        "InstanceType": t.name,
        "CurrentGeneration": t.current_generation,
        "FreeTierEligible": t.free_tier,
        "SupportedUsageClasses": ["on-demand", "spot"],
        "SupportedRootDeviceTypes": list(t.root_device_types),
        "SupportedVirtualizationTypes": list(t.virtualization_types),
        "BareMetal": False,
        "Hypervisor": t.hypervisor,
        "ProcessorInfo": {"SupportedArchitectures": list(t.architectures), "Manufacturer": t.manufacturer},
        "VCpuInfo": {
            "DefaultVCpus": t.vcpus,
            "DefaultCores": t.cores,
            "DefaultThreadsPerCore": t.threads_per_core if t.vcpus > 1 else 1,
        },
        "MemoryInfo": {"SizeInMiB": t.memory_mib},
        "InstanceStorageSupported": t.disks is not None,
        "EbsInfo": {
            "EbsOptimizedSupport": ebs_optimized,
            "EncryptionSupport": "supported",
            "NvmeSupport": "required" if t.nitro else "unsupported",
        },
        "NetworkInfo": {
            "NetworkPerformance": t.network,
            "MaximumNetworkInterfaces": t.max_interfaces,
            "MaximumNetworkCards": 1,
            "DefaultNetworkCardIndex": 0,
            "NetworkCards": [
                {
                    "NetworkCardIndex": 0,
                    "NetworkPerformance": t.network,
                    "MaximumNetworkInterfaces": t.max_interfaces,
                }
            ],
            "Ipv4AddressesPerInterface": t.ipv4_per_interface,
            "Ipv6AddressesPerInterface": t.ipv4_per_interface if t.current_generation else 0,
            "Ipv6Supported": t.current_generation,
            "EnaSupport": _ena_support(t),
            "EfaSupported": False,
            "EncryptionInTransitSupported": False,
        },
        "PlacementGroupInfo": {"SupportedStrategies": _placement_strategies(t)},
        "HibernationSupported": t.hibernation,
        "BurstablePerformanceSupported": t.burstable,
        "DedicatedHostsSupported": t.current_generation and not t.name.startswith("t2"),
        "AutoRecoverySupported": t.disks is None,
        "SupportedBootModes": _boot_modes(t),
        "NitroEnclavesSupport": "unsupported",
        "NitroTpmSupport": "supported" if t.nitro else "unsupported",
    }
    if t.disks is not None:
        count, size, medium = t.disks
        nvme = t.current_generation and medium == "ssd"
        view["InstanceStorageInfo"] = {
            "TotalSizeInGB": t.instance_storage_gb,
            "Disks": [{"SizeInGB": size, "Count": count, "Type": medium}],
            "NvmeSupport": "required" if nvme else "unsupported",
            "EncryptionSupport": "required" if nvme else "unsupported",
        }
    return view


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
    must be known."""
    wanted = params.get("InstanceTypes") or []
    unknown = list(dict.fromkeys(name for name in wanted if name not in CATALOGUE))
    if unknown:
        raise unknown_instance_types(unknown)
    return [Match("InstanceType", tuple(wanted))] if wanted else []


DESCRIBE_INSTANCE_TYPES = Describe(
    result="InstanceTypes",
    key="InstanceType",
    find=in_memory("InstanceType", lambda ctx: [type_view(CATALOGUE[name]) for name in sorted(CATALOGUE)]),
    filters=_FILTERS,
    tags=None,
    criteria=_named_types,
    page_size=PageSize(maximum=MAX_RESULTS, between=True),
)


@operation("DescribeInstanceTypes")
def describe_instance_types(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return describe(ctx, params, DESCRIBE_INSTANCE_TYPES)
