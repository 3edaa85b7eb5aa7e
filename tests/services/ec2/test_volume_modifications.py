"""ModifyVolume and DescribeVolumesModifications through boto3: modifying → optimizing →
completed on the clock, the volume's new size, type, IOPS and throughput from
``optimizing``, the type rules, the in-progress and rate-limit refusals, filters and
paging."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, instance_of, launch

ZONE = "us-east-1a"
HOURS = 3600


def volume(ec2: Any, clock: Any, **kwargs: Any) -> str:
    kwargs.setdefault("Size", 8)
    volume_id = str(ec2.create_volume(AvailabilityZone=ZONE, **kwargs)["VolumeId"])
    clock.advance(1)
    return volume_id


def shown(ec2: Any, volume_id: str) -> dict[str, Any]:
    return dict(ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0])


def test_a_modification_runs_modifying_optimizing_completed_and_resizes_the_volume(ec2: Any, clock: Any) -> None:
    volume_id = volume(ec2, clock, VolumeType="gp2", Size=10)
    answered = ec2.modify_volume(VolumeId=volume_id, Size=20, VolumeType="gp3", Iops=4000, Throughput=250)[
        "VolumeModification"]
    assert (answered["ModificationState"], answered["Progress"]) == ("modifying", 0)
    assert (answered["OriginalSize"], answered["OriginalVolumeType"], answered["OriginalIops"]) == (10, "gp2", 100)
    assert (answered["TargetSize"], answered["TargetVolumeType"], answered["TargetIops"],
            answered["TargetThroughput"]) == (20, "gp3", 4000, 250)
    assert "EndTime" not in answered and "OriginalThroughput" not in answered
    assert (shown(ec2, volume_id)["Size"], shown(ec2, volume_id)["VolumeType"]) == (10, "gp2")
    clock.advance(2)  # volume_modifying
    [listed] = ec2.describe_volumes_modifications(VolumeIds=[volume_id])["VolumesModifications"]
    assert listed["ModificationState"] == "optimizing" and 0 < listed["Progress"] < 100
    now = shown(ec2, volume_id)
    assert (now["Size"], now["VolumeType"], now["Iops"], now["Throughput"]) == (20, "gp3", 4000, 250)
    clock.advance(4)  # volume_optimizing
    [done] = ec2.describe_volumes_modifications(VolumeIds=[volume_id])["VolumesModifications"]
    assert (done["ModificationState"], done["Progress"]) == ("completed", 100)
    assert (done["EndTime"] - done["StartTime"]).total_seconds() == 6
    assert shown(ec2, volume_id)["Size"] == 20


def test_iops_and_throughput_keep_the_volumes_or_take_the_new_types_defaults(ec2: Any, clock: Any) -> None:
    gp3 = volume(ec2, clock, VolumeType="gp3", Size=20, Iops=5000, Throughput=300)
    kept = ec2.modify_volume(VolumeId=gp3, Size=30)["VolumeModification"]
    assert (kept["TargetIops"], kept["TargetThroughput"], kept["TargetVolumeType"]) == (5000, 300, "gp3")
    gp2 = volume(ec2, clock, VolumeType="gp2", Size=100)
    to_io1 = ec2.modify_volume(VolumeId=gp2, VolumeType="io1")["VolumeModification"]
    assert (to_io1["TargetIops"], to_io1["TargetSize"], "TargetThroughput" in to_io1) == (3000, 100, False)


@pytest.mark.parametrize(("created", "change", "message"), [
    ({"Size": 10}, {"Size": 9}, "New size cannot be smaller than existing size"),
    ({"VolumeType": "gp3"}, {"Iops": 2000}, "Volume iops of 2000 is too low; minimum is 3000."),
    ({"VolumeType": "gp3", "Size": 100}, {"Iops": 17000}, "Volume iops of 17000 is too high; maximum is 16000."),
    ({"VolumeType": "gp3", "Size": 100}, {"Throughput": 1001},
     "Volume throughput of 1001 is too high; maximum is 1000."),
    ({"VolumeType": "gp3", "Size": 100}, {"Throughput": 100}, "Volume throughput of 100 is too low; minimum is 125."),
    ({"VolumeType": "gp3"}, {"VolumeType": "st1"},
     "Volume size is invalid for st1 volumes: 8 GiB. st1 volumes must be at least 125 GiB in size."),
    ({"VolumeType": "gp3"}, {"Size": 16385},
     "Volume of 16385GiB is too large for volume type gp3; maximum is 16384GiB."),
    ({"VolumeType": "io1", "Iops": 400}, {"Iops": 401},
     "Iops to volume size ratio of 50.125000 is too high; maximum is 50.000000"),
    ({"VolumeType": "io2", "Size": 10, "Iops": 1000}, {"Iops": 10001},
     "Iops to volume size ratio of 1000.100000 is too high; maximum is 1000.000000"),
    ({"VolumeType": "io2", "Iops": 100}, {"Iops": 256001}, "Volume iops of 256001 is too high; maximum is 256000."),
])
def test_bad_targets_are_refused_and_change_nothing(ec2: Any, clock: Any, created: dict[str, Any],
                                                    change: dict[str, Any], message: str) -> None:
    volume_id = volume(ec2, clock, **created)
    before = shown(ec2, volume_id)
    assert error_of(ec2.modify_volume, VolumeId=volume_id, **change) == {
        "Code": "InvalidParameterValue", "Message": message, "Status": 400}
    assert shown(ec2, volume_id) == before
    assert ec2.describe_volumes_modifications()["VolumesModifications"] == []


def test_other_refusals(ec2: Any, clock: Any) -> None:
    volume_id = volume(ec2, clock, VolumeType="gp2")
    assert error_of(ec2.modify_volume, VolumeId=volume_id, Iops=3000)["Code"] == "InvalidParameterCombination"
    assert error_of(ec2.modify_volume, VolumeId=volume_id)["Code"] == "InvalidParameterCombination"
    assert error_of(ec2.modify_volume, VolumeId=volume_id, Size=9, MultiAttachEnabled=True)["Code"] == \
        "UnsupportedOperation"
    assert error_of(ec2.modify_volume, VolumeId=volume_id, Size=9, DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.modify_volume, VolumeId="vol-0123456789abcdef0", Size=9)["Code"] == "InvalidVolume.NotFound"
    creating = ec2.create_volume(AvailabilityZone=ZONE, Size=1)["VolumeId"]
    assert error_of(ec2.modify_volume, VolumeId=creating, Size=2)["Code"] == "IncorrectState"
    magnetic = volume(ec2, clock, VolumeType="standard")
    assert error_of(ec2.modify_volume, VolumeId=magnetic, Size=9)["Code"] == "UnsupportedOperation"
    assert ec2.describe_volumes_modifications()["VolumesModifications"] == []


def test_one_modification_at_a_time_and_one_every_six_hours(ec2: Any, clock: Any) -> None:
    volume_id = volume(ec2, clock)
    ec2.modify_volume(VolumeId=volume_id, Size=9)
    assert error_of(ec2.modify_volume, VolumeId=volume_id, Size=10)["Code"] == "IncorrectModificationState"
    clock.advance(3)
    assert error_of(ec2.modify_volume, VolumeId=volume_id, Size=10)["Code"] == "IncorrectModificationState"
    clock.advance(3)
    assert error_of(ec2.modify_volume, VolumeId=volume_id, Size=10) == {
        "Code": "VolumeModificationRateExceeded", "Status": 400,
        "Message": "You've reached the maximum modification rate per volume limit. Wait at least 6 hours between "
                   "modifications per EBS volume."}
    clock.advance(6 * HOURS)
    assert ec2.modify_volume(VolumeId=volume_id, Size=10)["VolumeModification"]["OriginalSize"] == 9


def test_describe_volumes_modifications_filters_and_pages(ec2: Any, clock: Any) -> None:
    ids = [volume(ec2, clock, Size=size) for size in (8, 9, 10, 11, 12, 13)]
    never = volume(ec2, clock)
    for n, volume_id in enumerate(ids):
        ec2.modify_volume(VolumeId=volume_id, Size=20 + n % 2, **({"VolumeType": "gp3"} if n < 2 else {}))
    clock.advance(2)
    listed = ec2.describe_volumes_modifications(
        Filters=[{"Name": "target-size", "Values": ["21"]}])["VolumesModifications"]
    assert sorted(m["VolumeId"] for m in listed) == sorted(ids[1::2])
    by_type = ec2.describe_volumes_modifications(
        Filters=[{"Name": "target-volume-type", "Values": ["gp3"]},
                 {"Name": "modification-state", "Values": ["optimizing"]}])["VolumesModifications"]
    assert sorted(m["VolumeId"] for m in by_type) == sorted(ids[:2])
    assert ec2.describe_volumes_modifications(Filters=[{"Name": "original-size", "Values": ["9"]}])[
        "VolumesModifications"][0]["VolumeId"] == ids[1]
    assert ec2.describe_volumes_modifications(Filters=[{"Name": "volume-id", "Values": [ids[0]]}])[
        "VolumesModifications"][0]["VolumeId"] == ids[0]
    assert len(ec2.describe_volumes_modifications(Filters=[
        {"Name": "target-multi-attach-enabled", "Values": ["false"]},
        {"Name": "original-multi-attach-enabled", "Values": ["false"]}])["VolumesModifications"]) == 6
    assert ec2.describe_volumes_modifications(Filters=[
        {"Name": "target-multi-attach-enabled", "Values": ["true"]}])["VolumesModifications"] == []
    assert ec2.describe_volumes_modifications(VolumeIds=[never])["VolumesModifications"] == []
    assert error_of(ec2.describe_volumes_modifications, VolumeIds=["vol-0123456789abcdef0"])["Code"] == \
        "InvalidVolume.NotFound"
    assert error_of(ec2.describe_volumes_modifications, Filters=[{"Name": "nope", "Values": ["x"]}])["Code"] == \
        "InvalidParameterValue"
    assert error_of(ec2.describe_volumes_modifications, DryRun=True)["Code"] == "DryRunOperation"
    first = ec2.describe_volumes_modifications(MaxResults=5)
    second = ec2.describe_volumes_modifications(MaxResults=5, NextToken=first["NextToken"])
    assert sorted(m["VolumeId"] for m in first["VolumesModifications"] + second["VolumesModifications"]) == \
        sorted(ids) and "NextToken" not in second
    paged = [m["VolumeId"] for page in ec2.get_paginator("describe_volumes_modifications").paginate(
        PaginationConfig={"PageSize": 5}) for m in page["VolumesModifications"]]
    assert sorted(paged) == sorted(ids)


def test_deleting_a_volume_forgets_its_modification(ec2: Any, clock: Any) -> None:
    volume_id = volume(ec2, clock)
    ec2.modify_volume(VolumeId=volume_id, Size=9)
    clock.advance(6)
    ec2.delete_volume(VolumeId=volume_id)
    assert ec2.describe_volumes_modifications()["VolumesModifications"] == []


def test_a_volume_deleted_with_its_instance_takes_its_modification_with_it(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(5)
    root = instance_of(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    ec2.modify_volume(VolumeId=root, Size=20)
    clock.advance(6)
    assert ec2.describe_volumes_modifications()["VolumesModifications"][0]["VolumeId"] == root
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(5 + 1)
    assert ec2.describe_volumes()["Volumes"] == []
    assert ec2.describe_volumes_modifications()["VolumesModifications"] == []
