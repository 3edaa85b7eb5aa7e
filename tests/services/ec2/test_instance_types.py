"""DescribeInstanceTypes through boto3: EC2's published numbers for the catalogue, unknown
names, filters, paging, and RunInstances / ModifyInstanceAttribute rejecting unknown types."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id, launch, states


def _types(ec2: Any, **kwargs: Any) -> dict[str, dict[str, Any]]:
    return {t["InstanceType"]: t for t in ec2.describe_instance_types(**kwargs)["InstanceTypes"]}


def test_published_specifications(ec2: Any) -> None:
    types = _types(ec2, InstanceTypes=["t2.micro", "t3.micro", "m5.large", "t4g.small", "m5d.large",
                                       "i3.large", "c5.xlarge", "r6g.large", "m1.small"])
    # (vCPUs, cores, threads per core, MiB, ENIs, IPv4 per ENI, network performance)
    expected = {
        "t2.micro": (1, 1, 1, 1024, 2, 2, "Low to Moderate"),
        "t3.micro": (2, 1, 2, 1024, 2, 2, "Up to 5 Gigabit"),
        "m5.large": (2, 1, 2, 8192, 3, 10, "Up to 10 Gigabit"),
        "t4g.small": (2, 2, 1, 2048, 3, 4, "Up to 5 Gigabit"),
        "m5d.large": (2, 1, 2, 8192, 3, 10, "Up to 10 Gigabit"),
        "i3.large": (2, 1, 2, 15616, 3, 10, "Up to 10 Gigabit"),
        "c5.xlarge": (4, 2, 2, 8192, 4, 15, "Up to 10 Gigabit"),
        "r6g.large": (2, 2, 1, 16384, 3, 10, "Up to 10 Gigabit"),
        "m1.small": (1, 1, 1, 1740, 2, 4, "Low"),
    }
    for name, (vcpus, cores, threads, mib, enis, ips, network) in expected.items():
        t = types[name]
        assert t["VCpuInfo"] == {"DefaultVCpus": vcpus, "DefaultCores": cores, "DefaultThreadsPerCore": threads}, name
        assert t["MemoryInfo"] == {"SizeInMiB": mib}, name
        assert t["NetworkInfo"]["MaximumNetworkInterfaces"] == enis, name
        assert t["NetworkInfo"]["Ipv4AddressesPerInterface"] == ips, name
        assert t["NetworkInfo"]["NetworkPerformance"] == network, name
    assert types["t2.micro"]["ProcessorInfo"]["SupportedArchitectures"] == ["i386", "x86_64"]
    assert types["t4g.small"]["ProcessorInfo"]["SupportedArchitectures"] == ["arm64"]
    assert types["t2.micro"]["Hypervisor"] == "xen" and types["i3.large"]["Hypervisor"] == "xen"
    assert types["m5.large"]["Hypervisor"] == "nitro"
    assert types["t2.micro"]["FreeTierEligible"] is True
    assert types["m5.large"]["FreeTierEligible"] is False
    assert types["t3.micro"]["BurstablePerformanceSupported"] is True
    assert types["m5.large"]["BurstablePerformanceSupported"] is False
    assert types["m5.large"]["InstanceStorageSupported"] is False
    assert "InstanceStorageInfo" not in types["m5.large"]
    assert types["m5d.large"]["InstanceStorageInfo"]["TotalSizeInGB"] == 75
    assert types["m5d.large"]["InstanceStorageInfo"]["Disks"] == [{"SizeInGB": 75, "Count": 1, "Type": "ssd"}]
    assert types["i3.large"]["InstanceStorageInfo"]["TotalSizeInGB"] == 475
    assert types["m1.small"]["InstanceStorageInfo"]["Disks"] == [{"SizeInGB": 160, "Count": 1, "Type": "hdd"}]
    assert types["m1.small"]["CurrentGeneration"] is False
    assert types["m1.small"]["SupportedVirtualizationTypes"] == ["hvm", "paravirtual"]
    # Only Xen types with instance storage boot instance-store AMIs.
    assert types["m1.small"]["SupportedRootDeviceTypes"] == ["ebs", "instance-store"]
    assert types["m5d.large"]["SupportedRootDeviceTypes"] == ["ebs"]
    assert types["t3.micro"]["SupportedRootDeviceTypes"] == ["ebs"]


def test_catalogue_is_sorted_and_consistent(ec2: Any) -> None:
    types = ec2.describe_instance_types()["InstanceTypes"]
    names = [t["InstanceType"] for t in types]
    assert names == sorted(names) and len(names) >= 40
    for t in types:
        vcpu = t["VCpuInfo"]
        assert vcpu["DefaultCores"] * vcpu["DefaultThreadsPerCore"] == vcpu["DefaultVCpus"], t["InstanceType"]
        if t["InstanceStorageSupported"]:
            info = t["InstanceStorageInfo"]
            assert info["TotalSizeInGB"] == sum(d["SizeInGB"] * d["Count"] for d in info["Disks"])


def test_unknown_instance_types_are_named_in_the_error(ec2: Any) -> None:
    err = error_of(ec2.describe_instance_types, InstanceTypes=["t3.micro", "m5.superlarge"])
    assert err == {
        "Code": "InvalidInstanceType",
        "Message": "The following supplied instance types do not exist: [m5.superlarge]",
        "Status": 400,
    }
    err = error_of(ec2.describe_instance_types, InstanceTypes=["x1.nope", "t3.micro", "y2.nope"])
    assert err["Message"] == "The following supplied instance types do not exist: [x1.nope, y2.nope]"


def test_filters(ec2: Any) -> None:
    def names(*filters: tuple[str, list[str]]) -> set[str]:
        result = ec2.describe_instance_types(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return {t["InstanceType"] for t in result["InstanceTypes"]}

    arm = names(("processor-info.supported-architecture", ["arm64"]))
    assert arm and all(n.startswith(("t4g", "m6g", "m7g", "c6g", "c7g", "r6g")) for n in arm)
    assert names(("instance-type", ["t3.*"])) == {
        "t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge"
    }
    assert names(("instance-type", ["t3.*"]), ("memory-info.size-in-mib", ["1024"])) == {"t3.micro"}
    assert names(("free-tier-eligible", ["true"])) == {"t2.micro", "t3.micro"}
    assert "m5d.large" in names(("instance-storage-supported", ["true"]))
    assert "m5.large" not in names(("instance-storage-supported", ["true"]))
    assert names(("supported-root-device-type", ["instance-store"])) == {"m1.small", "m3.medium", "c3.large"}
    assert names(("vcpu-info.default-vcpus", ["4"]), ("current-generation", ["true"])) >= {"m5.xlarge", "c5.xlarge"}
    err = error_of(ec2.describe_instance_types, Filters=[{"Name": "flavour", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'flavour' is invalid", "Status": 400}


def test_paging_walks_the_whole_catalogue(ec2: Any) -> None:
    everything = [t["InstanceType"] for t in ec2.describe_instance_types()["InstanceTypes"]]
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 7}
    while True:
        page = ec2.describe_instance_types(**kwargs)
        assert len(page["InstanceTypes"]) <= 7
        seen += [t["InstanceType"] for t in page["InstanceTypes"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == everything
    paginated = [
        t["InstanceType"]
        for page in ec2.get_paginator("describe_instance_types").paginate(PaginationConfig={"PageSize": 10})
        for t in page["InstanceTypes"]
    ]
    assert paginated == everything
    err = error_of(ec2.describe_instance_types, MaxResults=101)
    assert err["Code"] == "InvalidParameterValue" and "maxResults" in err["Message"]


def test_dry_run(ec2: Any) -> None:
    err = error_of(ec2.describe_instance_types, DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412
    err = error_of(ec2.describe_instance_types, DryRun=True, InstanceTypes=["z9.huge"])
    assert err["Code"] == "InvalidInstanceType"


def test_run_instances_rejects_an_unknown_type_and_launches_nothing(ec2: Any) -> None:
    err = error_of(ec2.run_instances, ImageId=image_id(ec2), InstanceType="t3.gigantic", MinCount=1, MaxCount=1)
    assert err == {"Code": "InvalidParameterValue", "Message": "Invalid value 't3.gigantic' for InstanceType.",
                   "Status": 400}
    assert ec2.describe_instances()["Reservations"] == []


def test_run_instances_checks_the_type_against_the_image_architecture(ec2: Any) -> None:
    err = error_of(ec2.run_instances, ImageId=image_id(ec2), InstanceType="t4g.micro", MinCount=1, MaxCount=1)
    assert err["Code"] == "InvalidParameterValue" and "architecture" in err["Message"]
    assert ec2.describe_instances()["Reservations"] == []
    arm = image_id(ec2, name="al2023-ami-2023.*-arm64")
    [instance] = launch(ec2, ImageId=arm, InstanceType="t4g.micro")
    assert states(ec2, [instance]) == {instance: "pending"}
