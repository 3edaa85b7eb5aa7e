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

from dataclasses import dataclass
from typing import Any

from ec2emu.errors import invalid_next_token, invalid_parameter_value
from ec2emu.services.ec2.errors import unknown_instance_types
from ec2emu.services.ec2.service import operation
from ec2emu.services.shared.context import RequestContext
from ec2emu.services.shared.filters import FilterSpec, apply_filters
from ec2emu.services.shared.pagination import decode_token, encode_token

MIN_RESULTS = 5
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


_FILTERS = FilterSpec(
    {
        "instance-type": lambda v: [v["InstanceType"]],
        "current-generation": lambda v: [v["CurrentGeneration"]],
        "free-tier-eligible": lambda v: [v["FreeTierEligible"]],
        "burstable-performance-supported": lambda v: [v["BurstablePerformanceSupported"]],
        "hibernation-supported": lambda v: [v["HibernationSupported"]],
        "instance-storage-supported": lambda v: [v["InstanceStorageSupported"]],
        "instance-storage-info.total-size-in-gb": lambda v: [
            v.get("InstanceStorageInfo", {}).get("TotalSizeInGB")
        ],
        "instance-storage-info.disk.type": lambda v: [
            d["Type"] for d in v.get("InstanceStorageInfo", {}).get("Disks", [])
        ],
        "processor-info.supported-architecture": lambda v: v["ProcessorInfo"]["SupportedArchitectures"],
        "processor-info.manufacturer": lambda v: [v["ProcessorInfo"]["Manufacturer"]],
        "supported-root-device-type": lambda v: v["SupportedRootDeviceTypes"],
        "supported-virtualization-type": lambda v: v["SupportedVirtualizationTypes"],
        "supported-usage-class": lambda v: v["SupportedUsageClasses"],
        "supported-boot-mode": lambda v: v["SupportedBootModes"],
        "vcpu-info.default-vcpus": lambda v: [v["VCpuInfo"]["DefaultVCpus"]],
        "vcpu-info.default-cores": lambda v: [v["VCpuInfo"]["DefaultCores"]],
        "vcpu-info.default-threads-per-core": lambda v: [v["VCpuInfo"]["DefaultThreadsPerCore"]],
        "memory-info.size-in-mib": lambda v: [v["MemoryInfo"]["SizeInMiB"]],
        "network-info.network-performance": lambda v: [v["NetworkInfo"]["NetworkPerformance"]],
        "network-info.maximum-network-interfaces": lambda v: [v["NetworkInfo"]["MaximumNetworkInterfaces"]],
        "network-info.ipv4-addresses-per-interface": lambda v: [v["NetworkInfo"]["Ipv4AddressesPerInterface"]],
        "network-info.ipv6-supported": lambda v: [v["NetworkInfo"]["Ipv6Supported"]],
        "network-info.ena-support": lambda v: [v["NetworkInfo"]["EnaSupport"]],
        "network-info.efa-supported": lambda v: [v["NetworkInfo"]["EfaSupported"]],
        "ebs-info.ebs-optimized-support": lambda v: [v["EbsInfo"]["EbsOptimizedSupport"]],
        "ebs-info.encryption-support": lambda v: [v["EbsInfo"]["EncryptionSupport"]],
        "ebs-info.nvme-support": lambda v: [v["EbsInfo"]["NvmeSupport"]],
        "placement-group-info.supported-strategies": lambda v: v["PlacementGroupInfo"]["SupportedStrategies"],
        "auto-recovery-supported": lambda v: [v["AutoRecoverySupported"]],
        "dedicated-hosts-supported": lambda v: [v["DedicatedHostsSupported"]],
        "bare-metal": lambda v: [v["BareMetal"]],
        "hypervisor": lambda v: [v["Hypervisor"]],
        "nitro-tpm-support": lambda v: [v["NitroTpmSupport"]],
    }
)


def _page_size(params: dict[str, Any]) -> int | None:
    value = params.get("MaxResults")
    if value is None:
        return None
    if value < MIN_RESULTS or value > MAX_RESULTS:
        raise invalid_parameter_value(
            f"Value ( {value} ) for parameter maxResults is invalid. "
            f"Expecting a value between {MIN_RESULTS} and {MAX_RESULTS}."
        )
    return int(value)


@operation("DescribeInstanceTypes")
def describe_instance_types(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    wanted = params.get("InstanceTypes") or []
    unknown = list(dict.fromkeys(name for name in wanted if name not in CATALOGUE))
    if unknown:
        raise unknown_instance_types(unknown)
    limit = _page_size(params)
    after = decode_token(params.get("NextToken"))
    names = sorted(set(wanted)) if wanted else sorted(CATALOGUE)
    views = apply_filters(_FILTERS, [type_view(CATALOGUE[n]) for n in names], params.get("Filters"))
    ctx.dry_run(params)
    if after is not None:
        if not isinstance(after, str):
            raise invalid_next_token(params.get("NextToken"))
        views = [v for v in views if v["InstanceType"] > after]
    result: dict[str, Any] = {}
    if limit is not None and len(views) > limit:
        views = views[:limit]
        result["NextToken"] = encode_token(views[-1]["InstanceType"])
    result["InstanceTypes"] = views
    return result
