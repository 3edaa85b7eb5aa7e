"""RunInstances' placement and other launch options through boto3: tenancy and the
placement members not emulated, a private address outside the subnet, an unknown
instance profile, kernel and ramdisk (at launch and through ModifyInstanceAttribute),
EBS optimization, the order of a reservation's instances, and the members refused by
name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, image_id, instance_of, launch

KERNEL = "aki-0123456789abcdef0"
RAMDISK = "ari-0123456789abcdef0"


def nothing_launched(ec2: Any) -> None:
    assert ec2.describe_instances()["Reservations"] == []


@pytest.mark.parametrize("tenancy", ["default", "dedicated"])
def test_tenancy_is_stored_shown_and_filtered(ec2: Any, tenancy: str) -> None:
    reservation = ec2.run_instances(ImageId=image_id(ec2), InstanceType="m5.large", MinCount=1, MaxCount=1,
                                    Placement={"Tenancy": tenancy})
    instance_id = reservation["Instances"][0]["InstanceId"]
    assert reservation["Instances"][0]["Placement"]["Tenancy"] == tenancy
    assert instance_of(ec2, instance_id)["Placement"]["Tenancy"] == tenancy
    found = ec2.describe_instances(Filters=[{"Name": "tenancy", "Values": [tenancy]}])["Reservations"]
    assert [i["InstanceId"] for r in found for i in r["Instances"]] == [instance_id]


def test_tenancy_defaults_to_default(ec2: Any) -> None:
    [instance_id] = launch(ec2)
    assert instance_of(ec2, instance_id)["Placement"]["Tenancy"] == "default"


@pytest.mark.parametrize(("member", "value"), [
    ("HostId", "h-0123456789abcdef0"), ("HostResourceGroupArn", "arn:aws:resource-groups:us-east-1:1:group/g"),
    ("Affinity", "host"), ("GroupName", "cluster-1"), ("GroupId", "pg-0123456789abcdef0"), ("PartitionNumber", 2),
])
def test_placement_members_not_emulated_are_refused_by_name(ec2: Any, member: str, value: Any) -> None:
    error = error_of(launch, ec2, Placement={member: value})
    assert error == {"Code": "UnsupportedOperation", "Status": 400,
                     "Message": f"The parameter Placement.{member} is not supported by this endpoint."}
    nothing_launched(ec2)


def test_host_tenancy_is_refused_and_an_empty_group_name_is_none(ec2: Any) -> None:
    error = error_of(launch, ec2, Placement={"Tenancy": "host"})
    assert error["Code"] == "UnsupportedOperation" and "Placement.Tenancy" in error["Message"]
    nothing_launched(ec2)
    [instance_id] = launch(ec2, Placement={"GroupName": ""})
    assert instance_of(ec2, instance_id)["Placement"]["GroupName"] == ""


def test_private_ip_address_outside_the_subnet_launches_nothing(ec2: Any) -> None:
    subnet = ec2.describe_subnets()["Subnets"][0]
    error = error_of(launch, ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.99.0.10")
    assert error == {"Code": "InvalidParameterValue", "Status": 400,
                     "Message": "invalid value for parameter address: 10.99.0.10"}
    nothing_launched(ec2)


def test_unknown_instance_profile_launches_nothing(ec2: Any) -> None:
    error = error_of(launch, ec2, IamInstanceProfile={"Name": "no-such-profile"})
    assert error["Code"] == "InvalidParameterValue" and "no-such-profile" in error["Message"]
    nothing_launched(ec2)


def test_kernel_and_ramdisk_at_launch(ec2: Any) -> None:
    [instance_id] = launch(ec2, KernelId=KERNEL, RamdiskId=RAMDISK)
    instance = instance_of(ec2, instance_id)
    assert (instance["KernelId"], instance["RamdiskId"]) == (KERNEL, RAMDISK)
    kernel = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="kernel")["KernelId"]
    ramdisk = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="ramdisk")["RamdiskId"]
    assert (kernel, ramdisk) == ({"Value": KERNEL}, {"Value": RAMDISK})
    [plain] = launch(ec2)
    assert "KernelId" not in instance_of(ec2, plain)
    assert ec2.describe_instance_attribute(InstanceId=plain, Attribute="kernel")["KernelId"] == {}


def test_malformed_kernel_or_ramdisk_launches_nothing(ec2: Any) -> None:
    assert error_of(launch, ec2, KernelId="ami-0123456789abcdef0")["Code"] == "InvalidKernelId.Malformed"
    assert error_of(launch, ec2, RamdiskId="nope")["Code"] == "InvalidParameterValue"
    nothing_launched(ec2)


def test_modify_kernel_and_ramdisk_only_while_stopped(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(5)
    error = error_of(ec2.modify_instance_attribute, InstanceId=instance_id, Kernel={"Value": KERNEL})
    assert error["Code"] == "IncorrectInstanceState" and "stopped" in error["Message"]
    error = error_of(ec2.modify_instance_attribute, InstanceId=instance_id, Attribute="ramdisk", Value=RAMDISK)
    assert error["Code"] == "IncorrectInstanceState"
    ec2.stop_instances(InstanceIds=[instance_id])
    clock.advance(5)
    ec2.modify_instance_attribute(InstanceId=instance_id, Kernel={"Value": KERNEL})
    ec2.modify_instance_attribute(InstanceId=instance_id, Ramdisk={"Value": RAMDISK})
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="kernel")["KernelId"] == {
        "Value": KERNEL}
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="ramdisk")["RamdiskId"] == {
        "Value": RAMDISK}
    error = error_of(ec2.modify_instance_attribute, InstanceId=instance_id, Kernel={"Value": "aki-x"})
    assert error["Code"] == "InvalidKernelId.Malformed"
    assert instance_of(ec2, instance_id)["KernelId"] == KERNEL


def test_source_dest_check_is_the_primary_interfaces(ec2: Any) -> None:
    [instance_id] = launch(ec2)
    ec2.modify_instance_attribute(InstanceId=instance_id, SourceDestCheck={"Value": False})
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="sourceDestCheck")[
        "SourceDestCheck"] == {"Value": False}
    instance = instance_of(ec2, instance_id)
    assert instance["SourceDestCheck"] is False
    assert instance["NetworkInterfaces"][0]["SourceDestCheck"] is False
    interface_id = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=interface_id, SourceDestCheck={"Value": True})
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="sourceDestCheck")[
        "SourceDestCheck"] == {"Value": True}
    error = error_of(ec2.modify_instance_attribute, InstanceId=instance_id, Attribute="sourceDestCheck", Value="maybe")
    assert error["Code"] == "InvalidParameterValue"
    assert instance_of(ec2, instance_id)["SourceDestCheck"] is True


def test_ebs_optimized_at_launch_and_by_modify(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2, InstanceType="m5.large", EbsOptimized=True)
    assert instance_of(ec2, instance_id)["EbsOptimized"] is True
    ec2.modify_instance_attribute(InstanceId=instance_id, EbsOptimized={"Value": False})
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="ebsOptimized")["EbsOptimized"] == {
        "Value": False}


def test_modify_attributes_not_emulated_are_refused(ec2: Any) -> None:
    [instance_id] = launch(ec2)
    before = instance_of(ec2, instance_id)
    for error in (error_of(ec2.modify_instance_attribute, InstanceId=instance_id, SriovNetSupport={"Value": "simple"}),
                  error_of(ec2.modify_instance_attribute, InstanceId=instance_id, EnaSupport={"Value": False})):
        assert error["Code"] == "UnsupportedOperation" and error["Status"] == 400
    assert instance_of(ec2, instance_id) == before


def test_a_reservations_instances_are_in_launch_index_order(ec2: Any) -> None:
    reservation = ec2.run_instances(ImageId=image_id(ec2), InstanceType="t3.micro", MinCount=8, MaxCount=8)
    assert [i["AmiLaunchIndex"] for i in reservation["Instances"]] == list(range(8))
    [described] = ec2.describe_instances()["Reservations"]
    assert [i["AmiLaunchIndex"] for i in described["Instances"]] == list(range(8))
    assert [i["InstanceId"] for i in described["Instances"]] == [i["InstanceId"] for i in reservation["Instances"]]


@pytest.mark.parametrize(("member", "value"), [
    ("Ipv6Addresses", [{"Ipv6Address": "2600:1f18::1"}]),
    ("ElasticGpuSpecification", [{"Type": "eg1.medium"}]),
    ("ElasticInferenceAccelerators", [{"Type": "eia1.medium"}]),
    ("InstanceMarketOptions", {"MarketType": "spot"}),
    ("CpuOptions", {"CoreCount": 1, "ThreadsPerCore": 1}),
    ("LicenseSpecifications", [{"LicenseConfigurationArn": "arn:aws:license-manager:us-east-1:1:x"}]),
    ("PrivateDnsNameOptions", {"HostnameType": "resource-name"}),
    ("AdditionalInfo", "anything"),
    ("Ipv6AddressCount", 1),
    ("CapacityReservationSpecification", {"CapacityReservationPreference": "none"}),
    ("EnclaveOptions", {"Enabled": True}),
    ("MaintenanceOptions", {"AutoRecovery": "disabled"}),
    ("EnablePrimaryIpv6", True),
])
def test_members_not_honoured_are_refused_by_name(ec2: Any, member: str, value: Any) -> None:
    error = error_of(launch, ec2, **{member: value})
    assert error == {"Code": "UnsupportedOperation", "Status": 400,
                     "Message": f"The parameter {member} is not supported by this endpoint."}
    nothing_launched(ec2)


def test_members_at_their_defaults_are_accepted(ec2: Any) -> None:
    [instance_id] = launch(ec2, Ipv6AddressCount=0, EnablePrimaryIpv6=False, EnclaveOptions={"Enabled": False},
                           CapacityReservationSpecification={"CapacityReservationPreference": "open"},
                           MaintenanceOptions={"AutoRecovery": "default"})
    assert instance_of(ec2, instance_id)["EnclaveOptions"] == {"Enabled": False}


def test_disable_api_stop_by_modify_is_enforced(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(5)
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiStop={"Value": True})
    assert error_of(ec2.stop_instances, InstanceIds=[instance_id])["Code"] == "OperationNotPermitted"
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="disableApiStop")["DisableApiStop"] == {
        "Value": True}
