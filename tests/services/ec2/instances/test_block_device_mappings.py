"""Launch block device mappings, DeleteOnTermination and instance-store semantics, rule by
rule from the TerminateInstances reference page, through boto3."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id, launch, states

ZONE = "us-east-1a"


def instance_view(ec2: Any, instance: str) -> dict[str, Any]:
    return ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]  # type: ignore[no-any-return]


def mappings(ec2: Any, instance: str) -> dict[str, dict[str, Any]]:
    return {m["DeviceName"]: m["Ebs"] for m in instance_view(ec2, instance)["BlockDeviceMappings"]}


def volumes(ec2: Any, **filters: list[str]) -> dict[str, dict[str, Any]]:
    response = ec2.describe_volumes(Filters=[{"Name": k.replace("_", "-"), "Values": v} for k, v in filters.items()])
    return {v["VolumeId"]: v for v in response["Volumes"]}


def running(ec2: Any, clock: Any, **kwargs: Any) -> str:
    kwargs.setdefault("Placement", {"AvailabilityZone": ZONE})
    instance = launch(ec2, **kwargs)[0]
    clock.advance(10)
    return instance


# --------------------------------------------------------------------------- the reference page's rules


def test_volumes_attached_at_launch_are_deleted_on_termination_by_default(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20}}])
    launched = mappings(ec2, instance)
    assert {d: e["DeleteOnTermination"] for d, e in launched.items()} == {"/dev/xvda": True, "/dev/sdf": True}
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(5)
    ids = {e["VolumeId"] for e in launched.values()}
    assert {v["State"] for v in ec2.describe_volumes(VolumeIds=list(ids))["Volumes"]} == {"deleting"}
    clock.advance(1)
    assert not ids & set(volumes(ec2))


def test_volumes_attached_after_launch_keep_running_after_termination(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock)
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=5)["VolumeId"]
    clock.advance(1)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdg")
    clock.advance(1)
    assert mappings(ec2, instance)["/dev/sdg"]["DeleteOnTermination"] is False
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    described = ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]
    assert (described["State"], described["Attachments"]) == ("available", [])


def test_delete_on_termination_false_at_launch_keeps_the_volume_available(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": False}}])
    root = mappings(ec2, instance)["/dev/xvda"]
    assert root["DeleteOnTermination"] is False
    assert volumes(ec2, **{"attachment.delete-on-termination": ["false"]}).keys() == {root["VolumeId"]}
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    assert ec2.describe_volumes(VolumeIds=[root["VolumeId"]])["Volumes"][0]["State"] == "available"


def test_stop_keeps_every_ebs_volume_attached(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 4}}])
    before = mappings(ec2, instance)
    ec2.stop_instances(InstanceIds=[instance])
    clock.advance(10)
    assert states(ec2, [instance]) == {instance: "stopped"}
    assert mappings(ec2, instance) == before
    assert {v["State"] for v in volumes(ec2).values()} == {"in-use"}


def test_instance_store_backed_instances_can_only_be_terminated(ec2: Any, clock: Any) -> None:
    ami = image_id(ec2, "amzn-ami-minimal-hvm-*", root="instance-store")
    instance = running(ec2, clock, ImageId=ami, InstanceType="m3.medium")
    described = instance_view(ec2, instance)
    assert (described["RootDeviceType"], described["RootDeviceName"], described["BlockDeviceMappings"]) == (
        "instance-store", "/dev/sda1", [])
    assert ec2.describe_volumes()["Volumes"] == []
    assert error_of(ec2.stop_instances, InstanceIds=[instance]) == {
        "Code": "UnsupportedOperation",
        "Message": f"The instance '{instance}' does not have an 'ebs' root device type and cannot be stopped.",
        "Status": 400,
    }
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    assert states(ec2, [instance]) == {instance: "terminated"}


def test_instance_store_backed_instance_may_carry_ebs_volumes(ec2: Any, clock: Any) -> None:
    ami = image_id(ec2, "amzn-ami-minimal-hvm-*", root="instance-store")
    instance = running(ec2, clock, ImageId=ami, InstanceType="m3.medium",
                       BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 3}}])
    described = instance_view(ec2, instance)
    assert described["RootDeviceType"] == "instance-store"
    assert [m["DeviceName"] for m in described["BlockDeviceMappings"]] == ["/dev/sdf"]


# --------------------------------------------------------------------------- ModifyInstanceAttribute


def test_modify_delete_on_termination_of_an_attached_volume(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock)
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=5)["VolumeId"]
    clock.advance(1)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdh")
    ec2.modify_instance_attribute(
        InstanceId=instance,
        BlockDeviceMappings=[{"DeviceName": "/dev/sdh", "Ebs": {"DeleteOnTermination": True}},
                             {"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": False}}],
    )
    attribute = ec2.describe_instance_attribute(InstanceId=instance, Attribute="blockDeviceMapping")
    flags = {m["DeviceName"]: m["Ebs"]["DeleteOnTermination"] for m in attribute["BlockDeviceMappings"]}
    assert flags == {"/dev/sdh": True, "/dev/xvda": False}
    attachment = ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]["Attachments"][0]
    assert attachment["DeleteOnTermination"] is True
    root = mappings(ec2, instance)["/dev/xvda"]["VolumeId"]
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    assert set(volumes(ec2)) == {root}
    assert volumes(ec2)[root]["State"] == "available"


def test_modify_delete_on_termination_defaults_to_true(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": False}}])
    ec2.modify_instance_attribute(InstanceId=instance, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {}}])
    assert mappings(ec2, instance)["/dev/xvda"]["DeleteOnTermination"] is True


def test_modify_an_unmapped_device_changes_nothing(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock)
    error = error_of(ec2.modify_instance_attribute, InstanceId=instance, BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": False}},
        {"DeviceName": "/dev/sdz", "Ebs": {"DeleteOnTermination": False}}])
    assert error == {"Code": "InvalidInstanceAttributeValue", "Message": "No device is currently mapped at /dev/sdz",
                     "Status": 400}
    assert mappings(ec2, instance)["/dev/xvda"]["DeleteOnTermination"] is True
    dry = error_of(ec2.modify_instance_attribute, InstanceId=instance, DryRun=True,
                   BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": False}}])
    assert dry["Code"] == "DryRunOperation"
    assert mappings(ec2, instance)["/dev/xvda"]["DeleteOnTermination"] is True


# --------------------------------------------------------------------------- RunInstances mappings


def test_root_override_size_and_type(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock, BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30, "VolumeType": "io1", "Iops": 1000}}])
    root = ec2.describe_volumes(VolumeIds=[mappings(ec2, instance)["/dev/xvda"]["VolumeId"]])["Volumes"][0]
    assert (root["Size"], root["VolumeType"], root["Iops"], root["State"]) == (30, "io1", 1000, "in-use")
    assert root["SnapshotId"].startswith("snap-")


def test_root_never_below_the_snapshot_size(ec2: Any) -> None:
    error = error_of(launch, ec2, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 4}}])
    assert error["Code"] == "InvalidBlockDeviceMapping"
    assert error["Message"].startswith("Volume of size 4GB is smaller than  snapshot 'snap-")
    assert error["Message"].endswith("expect size >= 8GB")
    assert ec2.describe_instances()["Reservations"] == [] and ec2.describe_volumes()["Volumes"] == []


def test_ephemeral_devices_and_no_device(ec2: Any, clock: Any) -> None:
    instance = running(ec2, clock, InstanceType="m5d.large", BlockDeviceMappings=[
        {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"},
        {"DeviceName": "/dev/sdc", "NoDevice": ""},
        {"DeviceName": "/dev/sdd", "Ebs": {"VolumeSize": 2, "VolumeType": "gp3", "Throughput": 250}}])
    assert set(mappings(ec2, instance)) == {"/dev/xvda", "/dev/sdd"}
    extra = ec2.describe_volumes(VolumeIds=[mappings(ec2, instance)["/dev/sdd"]["VolumeId"]])["Volumes"][0]
    assert (extra["Size"], extra["Throughput"], extra["Attachments"][0]["DeleteOnTermination"]) == (2, 250, True)
    # The instance-store device is taken: nothing else can be attached there.
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=1)["VolumeId"]
    clock.advance(1)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance, Device="/dev/sdb")["Code"] == "InvalidParameterValue"


def test_volume_tag_specifications_tag_every_launch_volume(ec2: Any) -> None:
    launch(ec2, 2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 1}}],
           TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "cost", "Value": "a"}]}])
    tagged = volumes(ec2, **{"tag:cost": ["a"]})
    assert len(tagged) == 4


def test_bad_mappings_are_refused(ec2: Any) -> None:
    cases = [
        ([{"DeviceName": "/dev/sdf", "Ebs": {}}], "InvalidBlockDeviceMapping"),
        ([{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 1}}, {"DeviceName": "/dev/sdf", "NoDevice": ""}],
         "InvalidBlockDeviceMapping"),
        ([{"DeviceName": "/dev/xvda", "NoDevice": ""}], "InvalidBlockDeviceMapping"),
        ([{"DeviceName": "/dev/sdb", "VirtualName": "ephemeral99"}], "InvalidParameterValue"),
        ([{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}], "InvalidSnapshot.NotFound"),
        ([{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 10, "VolumeType": "gp2", "Iops": 300}}],
         "InvalidParameterCombination"),
    ]
    for mapping, code in cases:
        assert error_of(launch, ec2, BlockDeviceMappings=mapping)["Code"] == code, mapping
    assert ec2.describe_instances()["Reservations"] == [] and ec2.describe_volumes()["Volumes"] == []


def test_launch_from_a_stored_snapshot(ec2: Any, clock: Any) -> None:
    source = ec2.create_volume(AvailabilityZone=ZONE, Size=6)["VolumeId"]
    clock.advance(1)
    snapshot = ec2.create_snapshot(VolumeId=source)["SnapshotId"]
    pending = error_of(launch, ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": snapshot}}])
    assert pending["Code"] == "IncorrectState"
    clock.advance(5)
    instance = launch(ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": snapshot}}])[0]
    created = ec2.describe_volumes(VolumeIds=[mappings(ec2, instance)["/dev/sdf"]["VolumeId"]])["Volumes"][0]
    assert (created["Size"], created["SnapshotId"]) == (6, snapshot)
