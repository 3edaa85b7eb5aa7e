"""The EBS Volume and Snapshot Notifications volumes and snapshots emit: created,
modified, detached, deleted; a snapshot's and a copy's completion — each at the moment
of its transition on the emulated clock, in AWS's shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ec2emu.app import Emulator
from tests.helpers import launch
from tests.services.ec2 import ebs_accounts
from tests.services.ec2.ebs_accounts import OTHER, OWNER, completed_snapshot

strict_app, client_of, strict_clock = ebs_accounts.strict_app, ebs_accounts.client_of, ebs_accounts.strict_clock

ACCOUNT = "000000000000"


def at(emulator: Emulator, seconds_ago: float = 0) -> str:
    return (emulator.now() - dt.timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def ebs_events(emulator: Emulator) -> list[dict[str, Any]]:
    return [event for event in emulator.events if event["detail-type"].startswith("EBS ")]


def test_a_volume_emits_created_modified_detached_and_deleted(ec2: Any, emulator: Emulator) -> None:
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    created = at(emulator, -1)
    emulator.advance(30)
    arn = f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/{volume}"
    [event] = ebs_events(emulator)
    assert event == {
        "version": "0", "id": event["id"], "detail-type": "EBS Volume Notification", "source": "aws.ec2",
        "account": ACCOUNT, "time": created, "region": "us-east-1", "resources": [arn],
        "detail": {"event": "createVolume", "result": "available", "cause": "", "request-id": ""},
    }
    ec2.modify_volume(VolumeId=volume, Size=16)
    optimizing = at(emulator, -2)
    emulator.advance(30)
    [instance] = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})
    emulator.advance(30)
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    emulator.advance(30)
    ec2.detach_volume(VolumeId=volume)
    detached = at(emulator, -1)
    emulator.advance(30)
    ec2.delete_volume(VolumeId=volume)
    deleted = at(emulator, -1)
    emulator.advance(30)
    assert [(e["detail"]["event"], e["detail"]["result"], e["time"], e["resources"]) for e in ebs_events(emulator)] == [
        ("createVolume", "available", created, [arn]),
        ("modifyVolume", "optimizing", optimizing, [arn]),
        ("detachVolume", "available", detached, [arn]),
        ("deleteVolume", "deleted", deleted, [arn]),
    ]


def test_a_volume_deleted_with_its_instance_emits_deleted(ec2: Any, emulator: Emulator) -> None:
    [instance] = launch(ec2)
    emulator.advance(30)
    [volume] = [m["Ebs"]["VolumeId"] for m in
                ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"]]
    ec2.terminate_instances(InstanceIds=[instance])
    emulator.advance(3600)
    assert [(e["detail"]["event"], e["resources"]) for e in ebs_events(emulator)] == [
        ("deleteVolume", [f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/{volume}"])]


def test_a_snapshot_and_its_copy_emit_succeeded_with_their_start_and_end(make_client: Any,
                                                                         emulator: Emulator) -> None:
    east, west = make_client("us-east-1"), make_client("us-west-2")
    volume = east.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    emulator.advance(5)
    started = at(emulator)
    snapshot = east.create_snapshot(VolumeId=volume)["SnapshotId"]
    emulator.advance(100)
    [event] = [e for e in ebs_events(emulator) if e["detail-type"] == "EBS Snapshot Notification"]
    snapshot_arn = f"arn:aws:ec2:us-east-1::snapshot/{snapshot}"
    ended = (dt.datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ") + dt.timedelta(seconds=2)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert event == {
        "version": "0", "id": event["id"], "detail-type": "EBS Snapshot Notification", "source": "aws.ec2",
        "account": ACCOUNT, "time": ended, "region": "us-east-1", "resources": [snapshot_arn],
        "detail": {"event": "createSnapshot", "result": "succeeded", "cause": "", "request-id": "",
                   "snapshot_id": snapshot_arn, "source": f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/{volume}",
                   "startTime": started, "endTime": ended},
    }
    copy = west.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=snapshot)["SnapshotId"]
    emulator.advance(100)
    [copied] = [e for e in ebs_events(emulator) if e["region"] == "us-west-2"]
    assert copied["resources"] == [f"arn:aws:ec2:us-west-2::snapshot/{copy}"]
    assert (copied["detail"]["event"], copied["detail"]["result"], copied["detail"]["source"]) == (
        "copySnapshot", "succeeded", snapshot_arn)


def test_sharing_a_snapshot_tells_the_account_it_is_shared_with(strict_app: Emulator, client_of: Any,
                                                                strict_clock: Any) -> None:
    owner = client_of(OWNER)
    snapshot = completed_snapshot(owner, strict_clock)
    shared_at = at(strict_app)
    owner.modify_snapshot_attribute(SnapshotId=snapshot, Attribute="createVolumePermission", OperationType="add",
                                    UserIds=[OTHER])
    owner.modify_snapshot_attribute(SnapshotId=snapshot, Attribute="createVolumePermission", OperationType="add",
                                    GroupNames=["all"])  # public: no account to tell
    owner.modify_snapshot_attribute(SnapshotId=snapshot, Attribute="createVolumePermission",
                                    OperationType="remove", UserIds=[OTHER])
    strict_app.settle()
    [shared] = [e for e in strict_app.events if e["account"] == OTHER]
    snapshot_arn = f"arn:aws:ec2:us-east-1::snapshot/{snapshot}"
    assert shared["detail-type"] == "EBS Snapshot Notification" and shared["resources"] == [snapshot_arn]
    assert shared["time"] == shared_at
    assert shared["detail"] == {"event": "shareSnapshot", "result": "succeeded", "cause": "", "request-id": "",
                                "snapshot_id": snapshot_arn, "source": OWNER, "startTime": shared_at,
                                "endTime": shared_at}
