"""DescribeInstances' documented filters through boto3: each selects exactly the instances
whose view shows the value (read back from DescribeInstances itself), and no others;
times, private DNS names and zone IDs with and without wildcards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch

ARM_IMAGE = "al2023-ami-2023.*-arm64"
WINDOWS_IMAGE = "Windows_Server-2022-English-Full-Base-*"


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return str(value)


def interfaces(key: Callable[[dict[str, Any]], list[Any]]) -> Callable[[dict[str, Any]], list[Any]]:
    return lambda i: [v for n in i["NetworkInterfaces"] for v in key(n)]


def volumes(key: str) -> Callable[[dict[str, Any]], list[Any]]:
    return lambda i: [b["Ebs"][key] for b in i["BlockDeviceMappings"]]


ASSOCIATION = {"public-ip": "PublicIp", "ip-owner-id": "IpOwnerId", "public-dns-name": "PublicDnsName"}

# Filter name -> the values an instance's view shows for it.
SHOWN: dict[str, Callable[[dict[str, Any]], list[Any]]] = {
    "launch-index": lambda i: [i["AmiLaunchIndex"]],
    "launch-time": lambda i: [i["LaunchTime"]],
    "usage-operation-update-time": lambda i: [i["UsageOperationUpdateTime"]],
    "ebs-optimized": lambda i: [i["EbsOptimized"]],
    "hibernation-options.configured": lambda i: [i["HibernationOptions"]["Configured"]],
    "current-instance-boot-mode": lambda i: [i["CurrentInstanceBootMode"]],
    "platform-details": lambda i: [i["PlatformDetails"]],
    "usage-operation": lambda i: [i["UsageOperation"]],
    "hypervisor": lambda i: [i["Hypervisor"]],
    "ena-support": lambda i: [i["EnaSupport"]],
    "enclave-options.enabled": lambda i: [i["EnclaveOptions"]["Enabled"]],
    "maintenance-options.auto-recovery": lambda i: [i["MaintenanceOptions"]["AutoRecovery"]],
    "private-dns-name": lambda i: [i["PrivateDnsName"]] if i["PrivateDnsName"] else [],
    "source-dest-check": interfaces(lambda n: [n["SourceDestCheck"]]),
    "block-device-mapping.attach-time": volumes("AttachTime"),
    "block-device-mapping.delete-on-termination": volumes("DeleteOnTermination"),
    "block-device-mapping.device-name": lambda i: [b["DeviceName"] for b in i["BlockDeviceMappings"]],
    "block-device-mapping.status": volumes("Status"),
    "block-device-mapping.volume-id": volumes("VolumeId"),
    "instance.group-id": lambda i: [g["GroupId"] for g in i["SecurityGroups"]],
    "instance.group-name": lambda i: [g["GroupName"] for g in i["SecurityGroups"]],
    "network-interface.attachment.attach-time": interfaces(lambda n: [n["Attachment"]["AttachTime"]]),
    "network-interface.attachment.delete-on-termination": interfaces(
        lambda n: [n["Attachment"]["DeleteOnTermination"]]),
    "network-interface.attachment.device-index": interfaces(lambda n: [n["Attachment"]["DeviceIndex"]]),
    "network-interface.attachment.status": interfaces(lambda n: [n["Attachment"]["Status"]]),
    "network-interface.attachment.network-card-index": interfaces(lambda n: [n["Attachment"]["NetworkCardIndex"]]),
    "network-interface.attachment.instance-owner-id": interfaces(lambda n: [n["OwnerId"]]),
    "network-interface.source-dest-check": interfaces(lambda n: [n["SourceDestCheck"]]),
    "network-interface.private-dns-name": interfaces(lambda n: [n["PrivateDnsName"]]),
    "network-interface.addresses.private-dns-name": interfaces(
        lambda n: [a["PrivateDnsName"] for a in n["PrivateIpAddresses"]]),
    "network-interface.addresses.primary": interfaces(lambda n: [a["Primary"] for a in n["PrivateIpAddresses"]]),
    "ip-address": lambda i: [i["PublicIpAddress"]] if "PublicIpAddress" in i else [],
    "dns-name": lambda i: [i["PublicDnsName"]] if i["PublicDnsName"] else [],
    **{f"network-interface.association.{member}": interfaces(
        lambda n, key=key: [n["Association"][key]] if "Association" in n else [])
       for member, key in ASSOCIATION.items()},
    **{f"network-interface.addresses.association.{member}": interfaces(
        lambda n, key=key: [a["Association"][key] for a in n["PrivateIpAddresses"] if "Association" in a])
       for member, key in ASSOCIATION.items()},
    "network-interface.public-dns-name": interfaces(
        lambda n: [n["Association"]["PublicDnsName"]] if "Association" in n else []),
}


def ids_of(response: dict[str, Any]) -> set[str]:
    return {i["InstanceId"] for r in response["Reservations"] for i in r["Instances"]}


def find(ec2: Any, name: str, *values: str) -> set[str]:
    return ids_of(ec2.describe_instances(Filters=[{"Name": name, "Values": list(values)}]))


@pytest.fixture
def fleet(ec2: Any, clock: Any) -> dict[str, dict[str, Any]]:
    """Instances that differ in architecture, platform, EBS optimization, hibernation,
    extra volumes and interfaces, launch time and state; by ID, as DescribeInstances
    shows them."""
    group = ec2.create_security_group(GroupName="extra", Description="extra")["GroupId"]
    x86, arm = image_id(ec2), image_id(ec2, ARM_IMAGE)
    windows = image_id(ec2, WINDOWS_IMAGE)
    launch(ec2, 2, ImageId=x86)
    clock.advance(5)
    launch(ec2, ImageId=arm, InstanceType="t4g.micro", EbsOptimized=True, SecurityGroupIds=[group])
    clock.advance(3.2505)
    launch(ec2, ImageId=windows, InstanceType="m5.large", HibernationOptions={"Configured": True},
           BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 8, "DeleteOnTermination": False}}])
    stopped, gone = launch(ec2, 2, ImageId=x86)
    clock.advance(10)
    elastic = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=elastic, InstanceId=stopped)
    ec2.stop_instances(InstanceIds=[stopped])
    ec2.terminate_instances(InstanceIds=[gone])
    clock.advance(10)
    return {i["InstanceId"]: i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]}


def test_each_filter_selects_the_instances_showing_the_value(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    for name, shown in SHOWN.items():
        values = {text(v) for view in fleet.values() for v in shown(view)}
        assert values, name
        for value in values:
            expected = {i for i, view in fleet.items() if value in {text(v) for v in shown(view)}}
            assert find(ec2, name, value) == expected, (name, value)
        assert find(ec2, name, "no-such-value") == set(), name


def test_the_fleet_differs_where_the_filters_look(fleet: dict[str, dict[str, Any]]) -> None:
    for name in ("ebs-optimized", "platform-details", "current-instance-boot-mode", "launch-time",
                 "block-device-mapping.delete-on-termination", "instance.group-name"):
        assert len({text(v) for view in fleet.values() for v in SHOWN[name](view)}) > 1, name


def test_launch_time_with_wildcards_and_in_other_spellings(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    times = {i: view["LaunchTime"] for i, view in fleet.items()}
    first = min(times.values())
    day = text(first)[:11] + "*"
    assert find(ec2, "launch-time", day) == set(fleet)
    same_second = {i for i, t in times.items() if t.replace(microsecond=0) == first.replace(microsecond=0)}
    assert find(ec2, "launch-time", first.strftime("%Y-%m-%dT%H:%M:%SZ")) == same_second
    assert find(ec2, "launch-time", text(first)[:-4] + "???Z") == same_second
    for cut in (4, 5, 7, 8, 13, 14, 16, 17, 18):  # whole leading fields (a span), or not
        prefix = text(first)[:cut]
        assert find(ec2, "launch-time", prefix + "*") == {i for i, t in times.items() if text(t).startswith(prefix)}
    assert find(ec2, "launch-time", "not a time") == set()
    assert find(ec2, "launch-time", "1999-*") == set()


def test_private_dns_name_patterns(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    named = {i: view["PrivateDnsName"] for i, view in fleet.items() if view["PrivateDnsName"]}
    some_id, some_name = next(iter(named.items()))
    prefix = some_name.rsplit("-", 1)[0] + "-*"
    assert find(ec2, "private-dns-name", prefix) == {i for i, n in named.items() if n.startswith(prefix[:-1])}
    assert find(ec2, "private-dns-name", "*.ec2.internal") == set(named)
    assert find(ec2, "private-dns-name", some_name.replace(".ec2.internal", ".eu-west-1.compute.internal")) == set()
    assert find(ec2, "private-dns-name", some_name.replace(".internal", ".*")) == {some_id}
    assert find(ec2, "private-dns-name", some_name.replace(".ec2.internal", ".ec2.internal?")) == {some_id}
    assert find(ec2, "private-dns-name", "*.compute.internal") == set()
    assert find(ec2, "private-dns-name", "ip-*") == set(named)
    assert find(ec2, "private-dns-name", some_name.split(".")[0]) == set()


def test_zone_ids(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    zone_ids = {z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    for zone_name, zone_id in zone_ids.items():
        expected = {i for i, view in fleet.items() if view["Placement"]["AvailabilityZone"] == zone_name}
        assert find(ec2, "availability-zone-id", zone_id) == expected
    assert find(ec2, "availability-zone-id", "use1-az*") == set(fleet)
    assert find(ec2, "availability-zone-id", "euw1-az1") == set()


def test_product_codes_meet_nothing(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    assert all(view["ProductCodes"] == [] for view in fleet.values())
    assert find(ec2, "product-code", "*") == set()
    assert find(ec2, "product-code.type", "marketplace") == set()


def test_filters_combine_with_instance_ids(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    arm = {i for i, view in fleet.items() if view["Architecture"] == "arm64"}
    response = ec2.describe_instances(InstanceIds=list(fleet),
                                      Filters=[{"Name": "current-instance-boot-mode", "Values": ["uefi"]}])
    assert ids_of(response) == arm


def test_elastic_ip_ids_select_the_instance_holding_it(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    [address] = ec2.describe_addresses()["Addresses"]
    holder = {address["InstanceId"]}
    for level in ("network-interface.association", "network-interface.addresses.association"):
        assert find(ec2, f"{level}.allocation-id", address["AllocationId"]) == holder
        assert find(ec2, f"{level}.association-id", address["AssociationId"]) == holder
        assert find(ec2, f"{level}.allocation-id", "eipalloc-*") == holder
        assert find(ec2, f"{level}.ip-owner-id", address["NetworkInterfaceOwnerId"]) == holder
        assert find(ec2, f"{level}.allocation-id", "eipalloc-00000000000000000") == set()
    assert find(ec2, "ip-address", address["PublicIp"]) == holder
    pool = {i for i, view in fleet.items() if "PublicIpAddress" in view} - holder
    assert pool and find(ec2, "network-interface.association.ip-owner-id", "amazon") == pool
    assert find(ec2, "dns-name", "ec2-*") == pool | holder


def test_interface_tags(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    some_id, view = next((i, v) for i, v in fleet.items() if v["NetworkInterfaces"])
    interface = view["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.create_tags(Resources=[interface, some_id], Tags=[{"Key": "Tier", "Value": "front*"}])
    assert find(ec2, "network-interface.tag-key", "Tier") == {some_id}
    assert find(ec2, "network-interface.tag-key", "T?er") == {some_id}
    assert find(ec2, "network-interface.tag-value", "front\\*") == {some_id}
    assert find(ec2, "network-interface.tag-value", "front") == set()
    ec2.delete_tags(Resources=[interface])
    assert find(ec2, "network-interface.tag-key", "Tier") == set()
    assert find(ec2, "tag-key", "Tier") == {some_id}


def test_dry_run_checks_the_filters_first(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    error = error_of(ec2.describe_instances, DryRun=True, Filters=[{"Name": "launch-time", "Values": ["*"]}])
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
    error = error_of(ec2.describe_instances, DryRun=True, Filters=[{"Name": "affinity", "Values": ["*"]}])
    assert error == {"Code": "InvalidParameterValue", "Message": "The filter 'affinity' is invalid", "Status": 400}


def test_managed_resources_only_at_the_default(ec2: Any, fleet: dict[str, dict[str, Any]]) -> None:
    shown = ec2.describe_instances(IncludeManagedResources=False)["Reservations"]
    assert {i["InstanceId"] for r in shown for i in r["Instances"]} == set(fleet)
    for call in (ec2.describe_instances, ec2.describe_instance_status):
        error = error_of(call, IncludeManagedResources=True)
        assert error["Code"] == "UnsupportedOperation" and "IncludeManagedResources" in error["Message"]
