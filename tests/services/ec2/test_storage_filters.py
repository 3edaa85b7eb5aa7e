"""DescribeVolumes' and DescribeSnapshots' time and zone-ID filters through boto3: each
selects exactly the resources whose view shows the value, with and without wildcards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.helpers import launch


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def volume_ids(ec2: Any, name: str, *values: str) -> set[str]:
    found = ec2.describe_volumes(Filters=[{"Name": name, "Values": list(values)}])["Volumes"]
    return {v["VolumeId"] for v in found}


def test_volume_times_and_zone_ids(ec2: Any, clock: Any) -> None:
    early = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    clock.advance(2.5)
    late = ec2.create_volume(AvailabilityZone="us-east-1b", Size=1)["VolumeId"]
    [instance] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"})
    clock.advance(30)
    ec2.attach_volume(VolumeId=late, InstanceId=instance, Device="/dev/sdf")
    clock.advance(30)
    views = {v["VolumeId"]: v for v in ec2.describe_volumes()["Volumes"]}
    for view in views.values():
        assert volume_ids(ec2, "create-time", iso(view["CreateTime"])) == {
            i for i, other in views.items() if iso(other["CreateTime"]) == iso(view["CreateTime"])}
    assert volume_ids(ec2, "create-time", iso(views[early]["CreateTime"])[:10] + "*") == set(views)
    attach_times = {v["VolumeId"]: iso(a["AttachTime"]) for v in views.values() for a in v["Attachments"]}
    assert late in attach_times and early not in attach_times
    for when in attach_times.values():
        assert volume_ids(ec2, "attachment.attach-time", when) == {
            i for i, other in attach_times.items() if other == when}
    assert volume_ids(ec2, "attachment.attach-time", "*") == set(attach_times)
    assert volume_ids(ec2, "create-time", "2001-01-01T00:00:00.000Z") == set()
    zones = {z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    assert volume_ids(ec2, "availability-zone-id", zones["us-east-1a"]) == {early}
    assert volume_ids(ec2, "availability-zone-id", zones["us-east-1b"]) == {
        i for i, v in views.items() if v["AvailabilityZone"] == "us-east-1b"}
    assert volume_ids(ec2, "availability-zone-id", "nowhere-az1") == set()
    both = ec2.describe_volumes(Filters=[{"Name": "availability-zone-id", "Values": [zones["us-east-1a"]]},
                                         {"Name": "create-time", "Values": ["*"]}])
    assert [v["VolumeId"] for v in both["Volumes"]] == [early]


def test_snapshot_start_time(ec2: Any, clock: Any) -> None:
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    clock.advance(60)
    first = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    clock.advance(1.25)
    second = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]

    def snapshots(*values: str) -> set[str]:
        found = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "start-time", "Values": list(values)}])
        return {s["SnapshotId"] for s in found["Snapshots"]}

    views = {s["SnapshotId"]: s for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert snapshots(iso(views[first]["StartTime"])) == {first}
    assert snapshots(iso(views[second]["StartTime"])) == {second}
    assert snapshots(iso(views[first]["StartTime"]), iso(views[second]["StartTime"])) == {first, second}
    assert snapshots(iso(views[first]["StartTime"])[:4] + "-*") == {first, second}
    assert snapshots("yesterday") == set()
