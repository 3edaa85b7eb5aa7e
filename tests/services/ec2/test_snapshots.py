"""EBS snapshots through boto3: create (pending → completed on the clock), describe
(filters, paging, owners), delete (refused while an image uses it), the waiter."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of

ZONE = "us-east-1a"


def available_volume(ec2: Any, clock: Any, size: int = 8, **kwargs: Any) -> str:
    volume_id = str(ec2.create_volume(AvailabilityZone=ZONE, Size=size, **kwargs)["VolumeId"])
    clock.advance(1)
    return volume_id


def test_snapshot_is_pending_then_completed(ec2: Any, clock: Any) -> None:
    volume_id = available_volume(ec2, clock, 12, Encrypted=True)
    created = ec2.create_snapshot(
        VolumeId=volume_id, Description="nightly",
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "k", "Value": "v"}]}])
    assert (created["State"], created["Progress"], created["VolumeSize"], created["Encrypted"]) == ("pending", "0%", 12, True)
    assert created["Description"] == "nightly" and created["OwnerId"] == "000000000000"
    snapshot_id = created["SnapshotId"]
    clock.advance(1)
    assert ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]["Progress"] == "50%"
    clock.advance(1)
    described = ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
    assert (described["State"], described["Progress"], described["Tags"]) == ("completed", "100%", [{"Key": "k", "Value": "v"}])
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id], WaiterConfig={"Delay": 0, "MaxAttempts": 1})


def test_a_snapshot_survives_its_volume_and_restores_to_a_new_volume(ec2: Any, clock: Any) -> None:
    volume_id = available_volume(ec2, clock, 9)
    snapshot_id = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    assert error_of(ec2.create_volume, AvailabilityZone=ZONE, SnapshotId=snapshot_id)["Code"] == "IncorrectState"
    clock.advance(2)
    ec2.delete_volume(VolumeId=volume_id)
    clock.advance(1)
    restored = ec2.create_volume(AvailabilityZone="us-east-1b", SnapshotId=snapshot_id)
    assert (restored["Size"], restored["SnapshotId"]) == (9, snapshot_id)
    assert error_of(ec2.create_volume, AvailabilityZone=ZONE, SnapshotId=snapshot_id, Size=4) == {
        "Code": "InvalidParameterValue",
        "Message": f"Volume of size 4GB is smaller than snapshot '{snapshot_id}', expect size >= 9GB",
        "Status": 400,
    }


def test_create_snapshot_errors_create_nothing(ec2: Any, clock: Any) -> None:
    assert error_of(ec2.create_snapshot, VolumeId="vol-0123456789abcdef0")["Code"] == "InvalidVolume.NotFound"
    assert error_of(ec2.create_snapshot, VolumeId="vol-x")["Code"] == "InvalidVolumeID.Malformed"
    creating = ec2.create_volume(AvailabilityZone=ZONE, Size=1)["VolumeId"]
    assert error_of(ec2.create_snapshot, VolumeId=creating) == {
        "Code": "IncorrectState", "Message": f"Volume '{creating}' is in the 'creating' state.", "Status": 400}
    clock.advance(1)
    assert error_of(ec2.create_snapshot, VolumeId=creating, Description="x" * 256)["Code"] == "InvalidParameterValue"
    assert error_of(ec2.create_snapshot, VolumeId=creating, DryRun=True)["Code"] == "DryRunOperation"
    assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []


def test_describe_snapshots_filters_owners_and_paging(ec2: Any, clock: Any) -> None:
    small = available_volume(ec2, clock, 3)
    big = available_volume(ec2, clock, 30)
    first = ec2.create_snapshot(VolumeId=small, Description="alpha")["SnapshotId"]
    clock.advance(2)
    second = ec2.create_snapshot(VolumeId=big, Description="beta")["SnapshotId"]

    def ids(**kwargs: Any) -> set[str]:
        return {s["SnapshotId"] for s in ec2.describe_snapshots(**kwargs)["Snapshots"]}

    def by(name: str, *values: str) -> set[str]:
        return ids(Filters=[{"Name": name, "Values": list(values)}])

    assert by("status", "completed") == {first} and by("status", "pending") == {second}
    assert by("volume-id", big) == {second}
    assert by("volume-size", "3") == {first}
    assert by("description", "al*") == {first}
    assert by("encrypted", "false") == {first, second}
    assert by("owner-id", "000000000000") == {first, second}
    assert by("progress", "100%") == {first}
    assert ids(OwnerIds=["self"]) == {first, second}
    assert ids(OwnerIds=["amazon"]) == set()
    assert error_of(ec2.describe_snapshots, Filters=[{"Name": "colour", "Values": ["x"]}])["Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_snapshots, SnapshotIds=["snap-0123456789abcdef0"]) == {
        "Code": "InvalidSnapshot.NotFound", "Message": "The snapshot 'snap-0123456789abcdef0' does not exist.",
        "Status": 400}
    assert error_of(ec2.describe_snapshots, SnapshotIds=["snap-1"])["Code"] == "InvalidSnapshotID.Malformed"
    assert error_of(ec2.describe_snapshots, SnapshotIds=[first], MaxResults=5)["Code"] == "InvalidParameterCombination"
    for _ in range(5):
        ec2.create_snapshot(VolumeId=small)
    pages = list(ec2.get_paginator("describe_snapshots").paginate(OwnerIds=["self"], PaginationConfig={"PageSize": 5}))
    assert [len(p["Snapshots"]) for p in pages] == [5, 2]
    assert error_of(ec2.describe_snapshots, DryRun=True)["Code"] == "DryRunOperation"


def test_delete_snapshot(ec2: Any, clock: Any) -> None:
    snapshot_id = ec2.create_snapshot(VolumeId=available_volume(ec2, clock))["SnapshotId"]
    assert error_of(ec2.delete_snapshot, SnapshotId=snapshot_id, DryRun=True)["Code"] == "DryRunOperation"
    ec2.delete_snapshot(SnapshotId=snapshot_id)
    assert error_of(ec2.describe_snapshots, SnapshotIds=[snapshot_id])["Code"] == "InvalidSnapshot.NotFound"
    assert error_of(ec2.delete_snapshot, SnapshotId=snapshot_id)["Code"] == "InvalidSnapshot.NotFound"


def test_a_snapshot_used_by_an_image_cannot_be_deleted(ec2: Any, clock: Any) -> None:
    snapshot_id = ec2.create_snapshot(VolumeId=available_volume(ec2, clock))["SnapshotId"]
    clock.advance(2)
    image = ec2.register_image(Name="from-snap", RootDeviceName="/dev/xvda", Architecture="x86_64",
                               VirtualizationType="hvm",
                               BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}])["ImageId"]
    assert error_of(ec2.delete_snapshot, SnapshotId=snapshot_id) == {
        "Code": "InvalidSnapshot.InUse",
        "Message": f"The snapshot {snapshot_id} is currently in use by {image}",
        "Status": 400,
    }
    ec2.deregister_image(ImageId=image)
    ec2.delete_snapshot(SnapshotId=snapshot_id)


def test_tags_on_snapshots(ec2: Any, clock: Any) -> None:
    snapshot_id = ec2.create_snapshot(VolumeId=available_volume(ec2, clock))["SnapshotId"]
    ec2.create_tags(Resources=[snapshot_id], Tags=[{"Key": "a", "Value": "b"}])
    assert ec2.describe_snapshots(Filters=[{"Name": "tag:a", "Values": ["b"]}])["Snapshots"][0]["SnapshotId"] == snapshot_id
    assert error_of(ec2.create_tags, Resources=["snap-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}])["Code"] == "InvalidSnapshot.NotFound"
