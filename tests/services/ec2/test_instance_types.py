"""DescribeInstanceTypes through boto3: EC2's published numbers for the catalogue, unknown
names, filters, paging, and RunInstances / ModifyInstanceAttribute rejecting unknown types."""

from __future__ import annotations

from typing import Any

import botocore.session

from ec2emu.services.ec2.instance_type_offerings import region_types
from ec2emu.services.ec2.instance_types import CATALOGUE
from tests.helpers import error_of, image_id, launch, states


def _types(ec2: Any, **kwargs: Any) -> dict[str, dict[str, Any]]:
    return {t["InstanceType"]: t for t in ec2.describe_instance_types(**kwargs)["InstanceTypes"]}


def test_published_specifications(ec2: Any) -> None:
    types = _types(ec2, InstanceTypes=["t2.micro", "t3.micro", "m5.large", "t4g.small", "m5d.large",
                                       "i3.large", "c5.xlarge", "r6g.large", "m1.small"])
    # (vCPUs, cores, threads per core, MiB, ENIs, IPv4 per ENI, network performance): EC2's figures.
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
        vcpu = t["VCpuInfo"]
        assert (vcpu["DefaultVCpus"], vcpu["DefaultCores"], vcpu["DefaultThreadsPerCore"]) == (vcpus, cores, threads)
        assert t["MemoryInfo"] == {"SizeInMiB": mib}, name
        assert t["NetworkInfo"]["MaximumNetworkInterfaces"] == enis, name
        assert t["NetworkInfo"]["Ipv4AddressesPerInterface"] == ips, name
        assert t["NetworkInfo"]["NetworkPerformance"] == network, name
        assert t == {**CATALOGUE[name].view, "SupportedInRegion": True}
    assert types["t2.micro"]["ProcessorInfo"]["SupportedArchitectures"] == ["i386", "x86_64"]
    assert types["t4g.small"]["ProcessorInfo"]["SupportedArchitectures"] == ["arm64"]
    assert types["t2.micro"]["Hypervisor"] == "xen" and types["i3.large"]["Hypervisor"] == "xen"
    assert types["m5.large"]["Hypervisor"] == "nitro"
    assert types["t3.micro"]["FreeTierEligible"] is True
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


def test_previous_generations_are_listed(ec2: Any) -> None:
    names = set(_types(ec2, Filters=[{"Name": "current-generation", "Values": ["false"]}]))
    for family in ("t1", "m1", "m2", "m3", "c1", "c3", "r3", "i2"):
        assert any(name.startswith(f"{family}.") for name in names), family
    assert {"t1.micro", "m1.small", "m2.xlarge", "c1.medium", "r3.large", "i2.xlarge"} <= names


def test_catalogue_is_sorted_and_consistent(ec2: Any) -> None:
    types = [t for page in ec2.get_paginator("describe_instance_types").paginate() for t in page["InstanceTypes"]]
    names = [t["InstanceType"] for t in types]
    assert names == sorted(CATALOGUE)
    for t in types:
        vcpu = t["VCpuInfo"]
        assert vcpu["DefaultCores"] * vcpu["DefaultThreadsPerCore"] == vcpu["DefaultVCpus"], t["InstanceType"]
        if t["InstanceStorageSupported"]:
            info = t["InstanceStorageInfo"]
            assert info["TotalSizeInGB"] == sum(d["SizeInGB"] * d["Count"] for d in info["Disks"])


def test_the_data_file_against_botocore() -> None:
    """Every name is one of botocore's InstanceType enum, every member one of its
    InstanceTypeInfo shape."""
    model = botocore.session.get_session().get_service_model("ec2")
    enum = set(model.shape_for("InstanceType").enum)
    assert set(CATALOGUE) <= enum

    def known(value: Any, shape: Any) -> bool:
        if shape.type_name == "structure":
            return all(k in shape.members and known(v, shape.members[k]) for k, v in value.items())
        if shape.type_name == "list":
            return all(known(v, shape.member) for v in value)
        return True

    shape = model.shape_for("InstanceTypeInfo")
    for name, t in CATALOGUE.items():
        assert t.view["InstanceType"] == name and known(t.view, shape), name


def test_types_a_region_does_not_offer(make_client: Any) -> None:
    cape_town = make_client(region="af-south-1")
    listed = [t["InstanceType"] for page in cape_town.get_paginator("describe_instance_types").paginate()
              for t in page["InstanceTypes"]]
    assert listed == sorted(region_types("af-south-1")) and len(listed) < len(CATALOGUE)
    everything = {t["InstanceType"]: t["SupportedInRegion"]
                  for page in cape_town.get_paginator("describe_instance_types").paginate(
                      IncludeUnsupportedInRegion=True)
                  for t in page["InstanceTypes"]}
    assert set(everything) == set(CATALOGUE)
    assert {name for name, offered in everything.items() if offered} == set(listed)
    unoffered = min(set(CATALOGUE) - set(listed))
    [named] = cape_town.describe_instance_types(InstanceTypes=[unoffered])["InstanceTypes"]
    assert named["SupportedInRegion"] is False


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
    assert arm == {n for n, t in CATALOGUE.items() if "arm64" in t.architectures}
    assert {"t4g.small", "m6g.large", "a1.medium"} <= arm and "m5.large" not in arm
    assert names(("instance-type", ["t3.*"])) == {
        "t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge"
    }
    assert names(("instance-type", ["t3.*"]), ("memory-info.size-in-mib", ["1024"])) == {"t3.micro"}
    assert names(("free-tier-eligible", ["true"])) == {n for n, t in CATALOGUE.items() if t.view["FreeTierEligible"]}
    assert "m5d.large" in names(("instance-storage-supported", ["true"]))
    assert "m5.large" not in names(("instance-storage-supported", ["true"]))
    assert names(("supported-root-device-type", ["instance-store"])) == {
        n for n, t in CATALOGUE.items() if "instance-store" in t.root_device_types}
    assert {"m1.small", "m3.medium", "c3.large"} <= names(("supported-root-device-type", ["instance-store"]))
    four = names(("vcpu-info.default-vcpus", ["4"]), ("current-generation", ["true"]))
    assert four == {n for n, t in CATALOGUE.items() if t.vcpus == 4 and t.view["CurrentGeneration"]}
    assert "m7i.xlarge" in four and "m1.xlarge" not in four
    err = error_of(ec2.describe_instance_types, Filters=[{"Name": "flavour", "Values": ["x"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'flavour' is invalid", "Status": 400}


def test_paging_walks_the_whole_catalogue(ec2: Any) -> None:
    everything = [t["InstanceType"] for t in ec2.describe_instance_types()["InstanceTypes"]]
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 97}
    while True:
        page = ec2.describe_instance_types(**kwargs)
        assert len(page["InstanceTypes"]) <= 97
        seen += [t["InstanceType"] for t in page["InstanceTypes"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == everything
    paginated = [
        t["InstanceType"]
        for page in ec2.get_paginator("describe_instance_types").paginate(PaginationConfig={"PageSize": 100})
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
