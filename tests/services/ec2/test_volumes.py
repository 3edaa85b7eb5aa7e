"""EBS volumes through boto3: create, describe (filters, paging), attach, detach, delete,
volume status and the volume waiters, with AWS's errors and nothing changed on error."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import WaiterError

from tests.helpers import error_of, launch

ZONE = "us-east-1a"


def create(ec2: Any, **kwargs: Any) -> str:
    kwargs.setdefault("AvailabilityZone", ZONE)
    kwargs.setdefault("Size", 10)
    return str(ec2.create_volume(**kwargs)["VolumeId"])


def volume(ec2: Any, volume_id: str) -> dict[str, Any]:
    return ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]  # type: ignore[no-any-return]


def running_instance(ec2: Any, clock: Any, zone: str = ZONE) -> str:
    instance = launch(ec2, Placement={"AvailabilityZone": zone})[0]
    clock.advance(10)
    return instance


def all_volume_ids(ec2: Any) -> set[str]:
    return {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}


# --------------------------------------------------------------------------- CreateVolume


def test_a_new_volume_is_creating_then_available(ec2: Any, clock: Any) -> None:
    created = ec2.create_volume(AvailabilityZone=ZONE, Size=10, VolumeType="gp3")
    assert created["State"] == "creating"
    assert (created["Size"], created["VolumeType"], created["Iops"], created["Throughput"]) == (10, "gp3", 3000, 125)
    assert created["Encrypted"] is False and created["Attachments"] == []
    assert volume(ec2, created["VolumeId"])["State"] == "creating"
    clock.advance(1)
    assert volume(ec2, created["VolumeId"])["State"] == "available"


def test_default_type_is_gp2_with_baseline_iops(ec2: Any) -> None:
    created = ec2.create_volume(AvailabilityZone=ZONE, Size=100)
    assert (created["VolumeType"], created["Iops"]) == ("gp2", 300)
    assert "Throughput" not in created


def test_create_volume_tags_and_encryption(ec2: Any) -> None:
    created = ec2.create_volume(
        AvailabilityZone=ZONE, Size=8, Encrypted=True,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "team", "Value": "data"}]}],
    )
    assert created["Tags"] == [{"Key": "team", "Value": "data"}]
    assert created["Encrypted"] is True and created["KmsKeyId"].startswith("arn:aws:kms:us-east-1:000000000000:key/")
    assert volume(ec2, created["VolumeId"])["Tags"] == [{"Key": "team", "Value": "data"}]


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"VolumeType": "gp9"}, "InvalidParameterValue",
         "Value (gp9) for parameter VolumeType is invalid. Expected one of: standard, io1, io2, gp2, sc1, st1, gp3"),
        ({"Size": 0}, "InvalidParameterValue",
         "Volume size is invalid for gp2 volumes: 0 GiB. gp2 volumes must be at least 1 GiB in size."),
        ({"Size": 16385}, "InvalidParameterValue",
         "Volume of 16385GiB is too large for volume type gp2; maximum is 16384GiB."),
        ({"Size": 100, "VolumeType": "st1"}, "InvalidParameterValue",
         "Volume size is invalid for st1 volumes: 100 GiB. st1 volumes must be at least 125 GiB in size."),
        ({"Size": 2000, "VolumeType": "standard"}, "InvalidParameterValue",
         "Volume of 2000GiB is too large for volume type standard; maximum is 1024GiB."),
        ({"Size": 10, "VolumeType": "gp2", "Iops": 500}, "InvalidParameterCombination",
         "The parameter iops is not supported for gp2 volumes."),
        ({"Size": 10, "VolumeType": "io1"}, "MissingParameter", "The request must contain the parameter iops"),
        ({"Size": 10, "VolumeType": "io1", "Iops": 1000}, "InvalidParameterValue",
         "Iops to volume size ratio of 100.000000 is too high; maximum is 50.000000"),
        ({"Size": 10, "VolumeType": "io1", "Iops": 50}, "InvalidParameterValue",
         "Volume iops of 50 is too low; minimum is 100."),
        ({"Size": 100, "VolumeType": "gp3", "Iops": 20000}, "InvalidParameterValue",
         "Volume iops of 20000 is too high; maximum is 16000."),
        ({"Size": 100, "VolumeType": "gp3", "Throughput": 1001}, "InvalidParameterValue",
         "Volume throughput of 1001 is too high; maximum is 1000."),
        ({"Size": 100, "VolumeType": "gp3", "Throughput": 1000}, "InvalidParameterValue",
         "Throughput (MiBps) to iops ratio of 0.333333 is too high; maximum is 0.250000 MiBps per iops."),
        ({"Size": 100, "VolumeType": "gp2", "Throughput": 200}, "InvalidParameterCombination",
         "The parameter throughput is not supported for gp2 volumes."),
        ({"Size": 10, "MultiAttachEnabled": True}, "InvalidParameterCombination",
         "Multi-Attach is not supported for gp2 volumes."),
        ({"AvailabilityZone": "us-east-1z"}, "InvalidParameterValue", "Invalid availability zone: [us-east-1z]"),
        ({"KmsKeyId": "alias/mine"}, "InvalidParameterDependency",
         "The parameter KmsKeyId requires the parameter Encrypted to be set."),
        ({"Size": None}, "MissingParameter", "The request must contain the parameter size or snapshotId"),
        ({"SnapshotId": "snap-0123456789abcdef0"}, "InvalidSnapshot.NotFound",
         "The snapshot 'snap-0123456789abcdef0' does not exist."),
        ({"SnapshotId": "snap-xyz"}, "InvalidSnapshotID.Malformed", 'Invalid id: "snap-xyz" (expecting "snap-...")'),
    ],
)
def test_create_volume_rejects_bad_input_and_creates_nothing(
    ec2: Any, kwargs: dict[str, Any], code: str, message: str
) -> None:
    kwargs = {"AvailabilityZone": ZONE, "Size": 10, **kwargs}
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    assert error_of(ec2.create_volume, **kwargs) == {"Code": code, "Message": message, "Status": 400}
    assert ec2.describe_volumes()["Volumes"] == []


def test_provisioned_iops_volumes_within_their_limits(ec2: Any) -> None:
    io2 = ec2.create_volume(AvailabilityZone=ZONE, Size=100, VolumeType="io2", Iops=64000, MultiAttachEnabled=True)
    assert (io2["Iops"], io2["MultiAttachEnabled"]) == (64000, True)
    gp3 = ec2.create_volume(AvailabilityZone=ZONE, Size=1, VolumeType="gp3")
    assert gp3["Iops"] == 3000


def test_create_volume_dry_run_creates_nothing(ec2: Any) -> None:
    error = error_of(ec2.create_volume, AvailabilityZone=ZONE, Size=10, DryRun=True)
    assert error["Code"] == "DryRunOperation" and error["Status"] == 412
    assert ec2.describe_volumes()["Volumes"] == []


# --------------------------------------------------------------------------- DescribeVolumes


def test_describe_unknown_and_malformed_ids(ec2: Any) -> None:
    assert error_of(ec2.describe_volumes, VolumeIds=["vol-0123456789abcdef0"]) == {
        "Code": "InvalidVolume.NotFound",
        "Message": "The volume 'vol-0123456789abcdef0' does not exist.",
        "Status": 400,
    }
    assert error_of(ec2.describe_volumes, VolumeIds=["vol-nope"]) == {
        "Code": "InvalidVolumeID.Malformed",
        "Message": 'Invalid id: "vol-nope" (expecting "vol-...")',
        "Status": 400,
    }


def test_describe_volumes_filters(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    small = create(ec2, Size=5, TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "env", "Value": "prod"}]}])
    big = create(ec2, Size=50, VolumeType="gp3", AvailabilityZone="us-east-1b")
    clock.advance(1)
    ec2.attach_volume(VolumeId=small, InstanceId=instance, Device="/dev/sdf")
    root = volume_of(ec2, instance)

    def ids(*filters: tuple[str, list[str]]) -> set[str]:
        response = ec2.describe_volumes(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return {v["VolumeId"] for v in response["Volumes"]}

    assert ids(("volume-type", ["gp3"])) == {big, root}
    assert ids(("availability-zone", ["us-east-1b"])) == {big}
    assert ids(("size", ["5", "50"])) == {small, big}
    assert ids(("status", ["in-use"])) == {small, root}
    assert ids(("status", ["available"])) == {big}
    assert ids(("attachment.instance-id", [instance])) == {small, root}
    assert ids(("attachment.device", ["/dev/sdf"])) == {small}
    assert ids(("attachment.status", ["attaching"])) == {small}
    assert ids(("attachment.status", ["attached"])) == {root}
    assert ids(("attachment.delete-on-termination", ["true"])) == {root}
    assert ids(("attachment.delete-on-termination", ["false"])) == {small}
    assert ids(("tag:env", ["prod"])) == {small}
    assert ids(("tag-key", ["env"])) == {small}
    assert ids(("volume-id", [small, big])) == {small, big}
    assert ids(("encrypted", ["false"]), ("size", ["5"])) == {small}
    assert error_of(ec2.describe_volumes, Filters=[{"Name": "colour", "Values": ["red"]}]) == {
        "Code": "InvalidParameterValue", "Message": "The filter 'colour' is invalid", "Status": 400,
    }


def volume_of(ec2: Any, instance: str) -> str:
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    [root] = [m for m in described["BlockDeviceMappings"] if m["DeviceName"] == described["RootDeviceName"]]
    return str(root["Ebs"]["VolumeId"])


def test_describe_volumes_pages_with_max_results_and_next_token(ec2: Any) -> None:
    created = {create(ec2) for _ in range(12)}
    seen: list[str] = []
    response = ec2.describe_volumes(MaxResults=5)
    while True:
        assert len(response["Volumes"]) <= 5
        seen += [v["VolumeId"] for v in response["Volumes"]]
        if "NextToken" not in response:
            break
        response = ec2.describe_volumes(MaxResults=5, NextToken=response["NextToken"])
    assert len(seen) == 12 and set(seen) == created
    paginated = ec2.get_paginator("describe_volumes").paginate(PaginationConfig={"PageSize": 5})
    assert sum(len(page["Volumes"]) for page in paginated) == 12


def test_describe_volumes_paging_errors(ec2: Any) -> None:
    volume_id = create(ec2)
    assert error_of(ec2.describe_volumes, VolumeIds=[volume_id], MaxResults=5) == {
        "Code": "InvalidParameterCombination",
        "Message": "The parameter volumeSet cannot be used with the parameter maxResults",
        "Status": 400,
    }
    assert error_of(ec2.describe_volumes, MaxResults=3)["Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_volumes, NextToken="garbage")["Code"] == "InvalidParameterValue"
    assert len(ec2.describe_volumes(MaxResults=900)["Volumes"]) == 1


def test_describe_volumes_dry_run(ec2: Any) -> None:
    assert error_of(ec2.describe_volumes, DryRun=True)["Code"] == "DryRunOperation"


# --------------------------------------------------------------------------- AttachVolume


def test_attach_goes_attaching_then_attached_with_delete_on_termination_false(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    clock.advance(1)
    attachment = ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf")
    assert (attachment["State"], attachment["Device"], attachment["InstanceId"]) == ("attaching", "/dev/sdf", instance)
    assert attachment["DeleteOnTermination"] is False
    described = volume(ec2, volume_id)
    assert described["State"] == "in-use" and described["Attachments"][0]["State"] == "attaching"
    clock.advance(1)
    described = volume(ec2, volume_id)
    assert described["Attachments"][0]["State"] == "attached"
    assert described["Attachments"][0]["DeleteOnTermination"] is False
    mappings = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"]
    assert {m["DeviceName"]: m["Ebs"]["Status"] for m in mappings} == {"/dev/xvda": "attached", "/dev/sdf": "attached"}


def test_attach_to_a_stopped_instance_is_allowed(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    ec2.stop_instances(InstanceIds=[instance])
    clock.advance(10)
    volume_id = create(ec2)
    clock.advance(1)
    assert ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdg")["State"] == "attaching"


def test_attach_in_another_zone_is_a_zone_mismatch(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2, AvailabilityZone="us-east-1b")
    clock.advance(1)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf") == {
        "Code": "InvalidVolume.ZoneMismatch",
        "Message": f"The volume '{volume_id}' is not in the same availability zone as instance '{instance}'",
        "Status": 400,
    }
    assert volume(ec2, volume_id)["State"] == "available"


def test_attach_a_volume_in_use_elsewhere(ec2: Any, clock: Any) -> None:
    first, second = running_instance(ec2, clock), running_instance(ec2, clock)
    volume_id = create(ec2)
    clock.advance(1)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=first, Device="/dev/sdf")
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=second, Device="/dev/sdf") == {
        "Code": "VolumeInUse", "Message": f"{volume_id} is already attached to an instance", "Status": 400,
    }
    assert volume(ec2, volume_id)["Attachments"][0]["InstanceId"] == first


def test_attach_a_creating_volume_is_an_incorrect_state(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf") == {
        "Code": "IncorrectState", "Message": f"Volume '{volume_id}' is in the 'creating' state.", "Status": 400,
    }


def test_attach_device_name_rules(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    clock.advance(1)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance, Device="/dev/nvme1n1") == {
        "Code": "InvalidParameterValue",
        "Message": "Value (/dev/nvme1n1) for parameter device is invalid. /dev/nvme1n1 is not a valid EBS device name.",
        "Status": 400,
    }
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance, Device="/dev/xvda") == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid value '/dev/xvda' for unixDevice. Attachment point /dev/xvda is already in use",
        "Status": 400,
    }
    assert volume(ec2, volume_id)["State"] == "available"
    assert ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="xvdf")["Device"] == "xvdf"


def test_attach_to_a_pending_or_terminated_instance_is_refused(ec2: Any, clock: Any) -> None:
    pending = launch(ec2, Placement={"AvailabilityZone": ZONE})[0]
    volume_id = create(ec2)
    clock.advance(1)
    error = error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=pending, Device="/dev/sdf")
    assert error == {"Code": "IncorrectState", "Message": f"Instance '{pending}' is not 'running'.", "Status": 400}
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[pending])
    clock.advance(10)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=pending, Device="/dev/sdf")["Code"] == "IncorrectState"
    assert volume(ec2, volume_id)["State"] == "available"


def test_attach_unknown_volume_or_instance(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    assert error_of(ec2.attach_volume, VolumeId="vol-0123456789abcdef0", InstanceId=instance, Device="/dev/sdf")["Code"] == "InvalidVolume.NotFound"
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId="i-0123456789abcdef0", Device="/dev/sdf")["Code"] == "InvalidInstanceID.NotFound"
    assert error_of(ec2.attach_volume, VolumeId="vol-1", InstanceId=instance, Device="/dev/sdf")["Code"] == "InvalidVolumeID.Malformed"


def test_attach_dry_run_changes_nothing(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    clock.advance(1)
    error = error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf", DryRun=True)
    assert error["Code"] == "DryRunOperation"
    assert volume(ec2, volume_id)["State"] == "available"


# --------------------------------------------------------------------------- DetachVolume


def attached(ec2: Any, clock: Any) -> tuple[str, str]:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    clock.advance(1)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf")
    clock.advance(1)
    return instance, volume_id


def test_detach_goes_detaching_then_available(ec2: Any, clock: Any) -> None:
    instance, volume_id = attached(ec2, clock)
    detached = ec2.detach_volume(VolumeId=volume_id)
    assert (detached["State"], detached["InstanceId"], detached["Device"]) == ("detaching", instance, "/dev/sdf")
    assert volume(ec2, volume_id)["Attachments"][0]["State"] == "detaching"
    clock.advance(1)
    described = volume(ec2, volume_id)
    assert (described["State"], described["Attachments"]) == ("available", [])
    assert [m["DeviceName"] for m in ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]
            ["Instances"][0]["BlockDeviceMappings"]] == ["/dev/xvda"]


def test_detach_an_available_volume_is_an_incorrect_state(ec2: Any, clock: Any) -> None:
    volume_id = create(ec2)
    clock.advance(1)
    assert error_of(ec2.detach_volume, VolumeId=volume_id) == {
        "Code": "IncorrectState", "Message": f"Volume '{volume_id}' is in the 'available' state.", "Status": 400,
    }


def test_detach_from_the_wrong_instance(ec2: Any, clock: Any) -> None:
    instance, volume_id = attached(ec2, clock)
    other = running_instance(ec2, clock)
    assert error_of(ec2.detach_volume, VolumeId=volume_id, InstanceId=other)["Code"] == "InvalidAttachment.NotFound"
    assert volume(ec2, volume_id)["Attachments"][0]["State"] == "attached"


def test_root_volume_of_a_running_instance_cannot_be_detached(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    root = volume_of(ec2, instance)
    for force in (False, True):
        assert error_of(ec2.detach_volume, VolumeId=root, Force=force) == {
            "Code": "OperationNotPermitted",
            "Message": f"Unable to detach root volume '{root}' from instance '{instance}'",
            "Status": 400,
        }
    assert volume(ec2, root)["Attachments"][0]["State"] == "attached"


def test_root_volume_of_a_stopped_instance_can_be_detached(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    root = volume_of(ec2, instance)
    ec2.stop_instances(InstanceIds=[instance])
    clock.advance(10)
    assert ec2.detach_volume(VolumeId=root, InstanceId=instance)["State"] == "detaching"
    clock.advance(1)
    assert volume(ec2, root)["State"] == "available"


def test_detach_dry_run_changes_nothing(ec2: Any, clock: Any) -> None:
    _, volume_id = attached(ec2, clock)
    assert error_of(ec2.detach_volume, VolumeId=volume_id, DryRun=True)["Code"] == "DryRunOperation"
    assert volume(ec2, volume_id)["Attachments"][0]["State"] == "attached"


# --------------------------------------------------------------------------- DeleteVolume


def test_delete_goes_deleting_then_gone(ec2: Any, clock: Any) -> None:
    volume_id = create(ec2, TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "a", "Value": "b"}]}])
    clock.advance(1)
    assert ec2.delete_volume(VolumeId=volume_id)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert volume(ec2, volume_id)["State"] == "deleting"
    clock.advance(1)
    assert volume_id not in all_volume_ids(ec2)
    assert error_of(ec2.describe_volumes, VolumeIds=[volume_id])["Code"] == "InvalidVolume.NotFound"
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [volume_id]}])["Tags"] == []


def test_delete_an_attached_volume_is_volume_in_use(ec2: Any, clock: Any) -> None:
    instance, volume_id = attached(ec2, clock)
    assert error_of(ec2.delete_volume, VolumeId=volume_id) == {
        "Code": "VolumeInUse", "Message": f"Volume {volume_id} is currently attached to {instance}", "Status": 400,
    }
    assert volume(ec2, volume_id)["State"] == "in-use"


def test_delete_unknown_malformed_and_dry_run(ec2: Any, clock: Any) -> None:
    assert error_of(ec2.delete_volume, VolumeId="vol-0123456789abcdef0")["Code"] == "InvalidVolume.NotFound"
    assert error_of(ec2.delete_volume, VolumeId="volume-1")["Code"] == "InvalidVolumeID.Malformed"
    volume_id = create(ec2)
    clock.advance(1)
    assert error_of(ec2.delete_volume, VolumeId=volume_id, DryRun=True)["Code"] == "DryRunOperation"
    assert volume(ec2, volume_id)["State"] == "available"


# --------------------------------------------------------------------------- DescribeVolumeStatus


def test_describe_volume_status(ec2: Any, clock: Any) -> None:
    creating = create(ec2, VolumeType="gp3")
    assert ec2.describe_volume_status(VolumeIds=[creating])["VolumeStatuses"][0]["VolumeStatus"]["Status"] == "insufficient-data"
    clock.advance(1)
    plain = create(ec2)
    clock.advance(1)
    statuses = {s["VolumeId"]: s for s in ec2.describe_volume_status()["VolumeStatuses"]}
    assert statuses[creating]["VolumeStatus"] == {
        "Status": "ok",
        "Details": [{"Name": "io-enabled", "Status": "passed"}, {"Name": "io-performance", "Status": "normal"}],
    }
    assert statuses[plain]["VolumeStatus"]["Details"][1] == {"Name": "io-performance", "Status": "not-applicable"}
    filtered = ec2.describe_volume_status(Filters=[{"Name": "volume-status.status", "Values": ["ok"]}])
    assert {s["VolumeId"] for s in filtered["VolumeStatuses"]} == {creating, plain}
    assert error_of(ec2.describe_volume_status, Filters=[{"Name": "nope", "Values": ["x"]}])["Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_volume_status, DryRun=True)["Code"] == "DryRunOperation"


# --------------------------------------------------------------------------- waiters


FAST = {"Delay": 0, "MaxAttempts": 1}


def test_volume_available_and_in_use_and_deleted_waiters(ec2: Any, clock: Any) -> None:
    instance = running_instance(ec2, clock)
    volume_id = create(ec2)
    with pytest.raises(WaiterError):
        ec2.get_waiter("volume_available").wait(VolumeIds=[volume_id], WaiterConfig=FAST)
    clock.advance(1)
    ec2.get_waiter("volume_available").wait(VolumeIds=[volume_id], WaiterConfig=FAST)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf")
    ec2.get_waiter("volume_in_use").wait(VolumeIds=[volume_id], WaiterConfig=FAST)
    ec2.detach_volume(VolumeId=volume_id)
    clock.advance(1)
    ec2.delete_volume(VolumeId=volume_id)
    clock.advance(1)
    ec2.get_waiter("volume_deleted").wait(VolumeIds=[volume_id], WaiterConfig=FAST)
