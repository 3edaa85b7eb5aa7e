"""Instance types: a built-in catalogue of real EC2 instance types and DescribeInstanceTypes.

RunInstances and ModifyInstanceAttribute check types against this catalogue; an unknown
type is rejected as EC2 does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ec2emu.errors import Ec2Error
from ec2emu.service.context import RequestContext
from ec2emu.service.filters import FilterSpec, apply_filters
from ec2emu.service.registry import operation


@dataclass(frozen=True)
class InstanceType:
    name: str
    vcpus: int
    memory_mib: int
    architectures: tuple[str, ...]
    instance_storage_gb: int = 0
    current_generation: bool = True
    burstable: bool = False
    hibernation: bool = True
    network: str = "Up to 5 Gigabit"
    free_tier: bool = False

    @property
    def root_device_types(self) -> tuple[str, ...]:
        return ("ebs", "instance-store") if self.instance_storage_gb else ("ebs",)


_X86 = ("x86_64",)
_ARM = ("arm64",)

CATALOGUE: dict[str, InstanceType] = {
    t.name: t
    for t in [
        InstanceType("m1.small", 1, 1740, ("i386", "x86_64"), 160, False, hibernation=False, network="Low"),
        InstanceType("m3.medium", 1, 3840, _X86, 4, False, hibernation=False, network="Moderate"),
        InstanceType("c3.large", 2, 3840, _X86, 32, False, hibernation=False, network="Moderate"),
        InstanceType("t2.nano", 1, 512, ("i386", "x86_64"), burstable=True, network="Low to Moderate"),
        InstanceType("t2.micro", 1, 1024, ("i386", "x86_64"), burstable=True, network="Low to Moderate", free_tier=True),
        InstanceType("t2.small", 1, 2048, ("i386", "x86_64"), burstable=True, network="Low to Moderate"),
        InstanceType("t2.medium", 2, 4096, ("i386", "x86_64"), burstable=True, network="Low to Moderate"),
        InstanceType("t3.nano", 2, 512, _X86, burstable=True),
        InstanceType("t3.micro", 2, 1024, _X86, burstable=True, free_tier=True),
        InstanceType("t3.small", 2, 2048, _X86, burstable=True),
        InstanceType("t3.medium", 2, 4096, _X86, burstable=True),
        InstanceType("t3.large", 2, 8192, _X86, burstable=True),
        InstanceType("t3.xlarge", 4, 16384, _X86, burstable=True),
        InstanceType("t3a.micro", 2, 1024, _X86, burstable=True),
        InstanceType("t4g.nano", 2, 512, _ARM, burstable=True),
        InstanceType("t4g.micro", 2, 1024, _ARM, burstable=True),
        InstanceType("t4g.small", 2, 2048, _ARM, burstable=True),
        InstanceType("t4g.medium", 2, 4096, _ARM, burstable=True),
        InstanceType("m5.large", 2, 8192, _X86, network="Up to 10 Gigabit"),
        InstanceType("m5.xlarge", 4, 16384, _X86, network="Up to 10 Gigabit"),
        InstanceType("m5.2xlarge", 8, 32768, _X86, network="Up to 10 Gigabit"),
        InstanceType("m5d.large", 2, 8192, _X86, 75, network="Up to 10 Gigabit"),
        InstanceType("m6i.large", 2, 8192, _X86, network="Up to 12.5 Gigabit"),
        InstanceType("m6g.large", 2, 8192, _ARM, network="Up to 10 Gigabit"),
        InstanceType("m7g.large", 2, 8192, _ARM, network="Up to 12.5 Gigabit"),
        InstanceType("c5.large", 2, 4096, _X86, network="Up to 10 Gigabit"),
        InstanceType("c5.xlarge", 4, 8192, _X86, network="Up to 10 Gigabit"),
        InstanceType("c6g.large", 2, 4096, _ARM, network="Up to 10 Gigabit"),
        InstanceType("c7g.large", 2, 4096, _ARM, network="Up to 12.5 Gigabit"),
        InstanceType("r5.large", 2, 16384, _X86, network="Up to 10 Gigabit"),
        InstanceType("r6g.large", 2, 16384, _ARM, network="Up to 10 Gigabit"),
        InstanceType("i3.large", 2, 15616, _X86, 475, network="Up to 10 Gigabit"),
    ]
}


def get(name: str) -> InstanceType | None:
    return CATALOGUE.get(name)


def type_view(t: InstanceType) -> dict[str, Any]:
    view: dict[str, Any] = {
        "InstanceType": t.name,
        "CurrentGeneration": t.current_generation,
        "FreeTierEligible": t.free_tier,
        "SupportedUsageClasses": ["on-demand", "spot"],
        "SupportedRootDeviceTypes": list(t.root_device_types),
        "SupportedVirtualizationTypes": ["hvm"] if t.current_generation else ["hvm", "paravirtual"],
        "BareMetal": False,
        "Hypervisor": "nitro" if t.current_generation and not t.name.startswith("t2") else "xen",
        "ProcessorInfo": {"SupportedArchitectures": list(t.architectures)},
        "VCpuInfo": {"DefaultVCpus": t.vcpus},
        "MemoryInfo": {"SizeInMiB": t.memory_mib},
        "InstanceStorageSupported": bool(t.instance_storage_gb),
        "EbsInfo": {
            "EbsOptimizedSupport": "default" if t.current_generation else "unsupported",
            "EncryptionSupport": "supported",
            "NvmeSupport": "required" if t.current_generation and not t.name.startswith("t2") else "unsupported",
        },
        "NetworkInfo": {
            "NetworkPerformance": t.network,
            "MaximumNetworkInterfaces": 3 if t.vcpus <= 2 else 4,
            "Ipv4AddressesPerInterface": 10,
            "Ipv6Supported": t.current_generation,
            "EnaSupport": "required" if t.current_generation and not t.name.startswith("t2") else "unsupported",
        },
        "PlacementGroupInfo": {"SupportedStrategies": ["partition", "spread"]},
        "HibernationSupported": t.hibernation,
        "BurstablePerformanceSupported": t.burstable,
        "DedicatedHostsSupported": not t.burstable,
        "AutoRecoverySupported": not t.instance_storage_gb,
        "SupportedBootModes": ["uefi"] if t.architectures == _ARM else ["legacy-bios", "uefi"],
    }
    if t.instance_storage_gb:
        view["InstanceStorageInfo"] = {
            "TotalSizeInGB": t.instance_storage_gb,
            "Disks": [{"SizeInGB": t.instance_storage_gb, "Count": 1, "Type": "ssd"}],
            "NvmeSupport": "required" if t.current_generation else "unsupported",
        }
    return view


_FILTERS = FilterSpec(
    {
        "instance-type": lambda v: [v["InstanceType"]],
        "current-generation": lambda v: [v["CurrentGeneration"]],
        "free-tier-eligible": lambda v: [v["FreeTierEligible"]],
        "burstable-performance-supported": lambda v: [v["BurstablePerformanceSupported"]],
        "hibernation-supported": lambda v: [v["HibernationSupported"]],
        "instance-storage-supported": lambda v: [v["InstanceStorageSupported"]],
        "processor-info.supported-architecture": lambda v: v["ProcessorInfo"]["SupportedArchitectures"],
        "supported-root-device-type": lambda v: v["SupportedRootDeviceTypes"],
        "supported-virtualization-type": lambda v: v["SupportedVirtualizationTypes"],
        "vcpu-info.default-vcpus": lambda v: [v["VCpuInfo"]["DefaultVCpus"]],
        "memory-info.size-in-mib": lambda v: [v["MemoryInfo"]["SizeInMiB"]],
        "bare-metal": lambda v: [v["BareMetal"]],
        "hypervisor": lambda v: [v["Hypervisor"]],
    }
)


@operation("DescribeInstanceTypes")
def describe_instance_types(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("InstanceTypes") or []
    unknown = [name for name in wanted if name not in CATALOGUE]
    if unknown:
        raise Ec2Error(
            "InvalidInstanceType",
            f"The following supplied instance types do not exist: [{', '.join(unknown)}]",
        )
    ctx.dry_run(params)
    names = list(dict.fromkeys(wanted)) if wanted else list(CATALOGUE)
    views = [type_view(CATALOGUE[name]) for name in names]
    return {"InstanceTypes": apply_filters(_FILTERS, views, params.get("Filters"))}
