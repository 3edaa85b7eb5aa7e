"""The image calls' members that the older image tests do not show: the attributes
RegisterImage records, the members refused by name or accepted only at their default,
CreateImage's description and reboot choice, and DescribeImages' dry run."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id, launch


def _root_snapshot(ec2: Any) -> str:
    return str(ec2.describe_images(ImageIds=[image_id(ec2)])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]
               ["SnapshotId"])


def _register(ec2: Any, name: str = "golden", **kwargs: Any) -> str:
    return str(ec2.register_image(
        Name=name, RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": _root_snapshot(ec2)}}], **kwargs,
    )["ImageId"])


def test_register_image_records_its_attributes(ec2: Any) -> None:
    image = _register(ec2, BootMode="uefi", TpmSupport="v2.0", UefiData="QU1aTlVFRkk=", ImdsSupport="v2.0",
                      SriovNetSupport="simple")
    [described] = ec2.describe_images(ImageIds=[image])["Images"]
    assert (described["BootMode"], described["TpmSupport"], described["ImdsSupport"], described["SriovNetSupport"]) \
        == ("uefi", "v2.0", "v2.0", "simple")
    answers = {name: ec2.describe_image_attribute(ImageId=image, Attribute=name)
               for name in ("bootMode", "tpmSupport", "uefiData", "imdsSupport", "sriovNetSupport")}
    assert answers["bootMode"]["BootMode"] == {"Value": "uefi"}
    assert answers["tpmSupport"]["TpmSupport"] == {"Value": "v2.0"}
    assert answers["uefiData"]["UefiData"] == {"Value": "QU1aTlVFRkk="}
    assert answers["imdsSupport"]["ImdsSupport"] == {"Value": "v2.0"}
    assert answers["sriovNetSupport"]["SriovNetSupport"] == {"Value": "simple"}
    plain = _register(ec2, name="plain")
    assert "BootMode" not in ec2.describe_images(ImageIds=[plain])["Images"][0]


def test_members_not_honoured_are_refused_by_name(ec2: Any, clock: Any) -> None:
    for member, value in (("KernelId", "aki-12345678"), ("RamdiskId", "ari-12345678"),
                          ("BillingProducts", ["bp-6ba54002"])):
        err = error_of(_register, ec2, "refused", **{member: value})
        assert err["Code"] == "UnsupportedOperation" and member in err["Message"]
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    instance = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})[0]
    clock.advance(10)
    err = error_of(ec2.create_image, InstanceId=instance, Name="local", SnapshotLocation="local")
    assert err["Code"] == "UnsupportedOperation" and "SnapshotLocation" in err["Message"]
    err = error_of(ec2.describe_images, IncludeDisabled=True)
    assert err["Code"] == "UnsupportedOperation" and "IncludeDisabled" in err["Message"]
    assert ec2.describe_images(IncludeDisabled=False, Owners=["self"])["Images"] == []


def test_create_image_description_and_reboot_choice(ec2: Any, clock: Any) -> None:
    """Without ``NoReboot`` EC2 reboots the instance to image it; a reboot leaves it
    ``running``, as the instance is afterwards with ``NoReboot`` too."""
    instance = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})[0]
    clock.advance(10)
    rebooted = ec2.create_image(InstanceId=instance, Name="rebooted", Description="made with a reboot")["ImageId"]
    kept = ec2.create_image(InstanceId=instance, Name="kept", NoReboot=True)["ImageId"]
    images = {i["ImageId"]: i for i in ec2.describe_images(ImageIds=[rebooted, kept])["Images"]}
    assert images[rebooted]["Description"] == "made with a reboot" and "Description" not in images[kept]
    state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state == "running"
    err = error_of(ec2.create_image, InstanceId=instance, Name="long", Description="d" * 256)
    assert err["Code"] == "InvalidParameterValue"


def test_describe_images_dry_run(ec2: Any) -> None:
    err = error_of(ec2.describe_images, DryRun=True)
    assert err == {"Code": "DryRunOperation", "Message": "Request would have succeeded, but DryRun flag is set.",
                   "Status": 412}


def test_deregister_deletes_the_snapshots_no_other_image_uses(ec2: Any, clock: Any) -> None:
    instance = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"},
                      BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5}}])[0]
    clock.advance(10)
    image = ec2.create_image(InstanceId=instance, Name="backup")["ImageId"]
    clock.advance(5)
    mappings = ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"]
    snapshots = {m["DeviceName"]: m["Ebs"]["SnapshotId"] for m in mappings}
    # Another image uses the data volume's snapshot too.
    ec2.register_image(Name="data", RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm",
                       BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshots["/dev/sdf"]}}])
    err = error_of(ec2.deregister_image, ImageId=image, DeleteAssociatedSnapshots=True, DryRun=True)
    assert err["Code"] == "DryRunOperation"
    answer = ec2.deregister_image(ImageId=image, DeleteAssociatedSnapshots=True)
    assert answer["Return"] is True
    assert sorted((r["SnapshotId"], r["ReturnCode"]) for r in answer["DeleteSnapshotResults"]) == sorted(
        [(snapshots["/dev/xvda"], "success"), (snapshots["/dev/sdf"], "skipped")])
    left = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert left == {snapshots["/dev/sdf"]}
    # Without it (the default), the snapshots stay; a catalogue snapshot is never listed.
    kept = _register(ec2, name="kept")
    assert "DeleteSnapshotResults" not in ec2.deregister_image(ImageId=kept, DeleteAssociatedSnapshots=False)
    other = _register(ec2, name="other")
    assert ec2.deregister_image(ImageId=other, DeleteAssociatedSnapshots=True).get("DeleteSnapshotResults", []) == []
    assert {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]} == left
