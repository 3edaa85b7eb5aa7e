"""CreateVolume's ``ClientToken`` (idempotency) and the members the volume calls take only
at their defaults or refuse by name."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, launch

ZONE = "us-east-1a"


def test_a_repeated_client_token_answers_the_first_volume(ec2: Any, clock: Any) -> None:
    first = ec2.create_volume(AvailabilityZone=ZONE, Size=8, ClientToken="tok-1")
    clock.advance(1)
    again = ec2.create_volume(AvailabilityZone=ZONE, Size=8, ClientToken="tok-1")
    assert (again["VolumeId"], again["State"]) == (first["VolumeId"], "available")
    other = ec2.create_volume(AvailabilityZone=ZONE, Size=8, ClientToken="tok-2")
    assert other["VolumeId"] != first["VolumeId"]
    assert error_of(ec2.create_volume, AvailabilityZone=ZONE, Size=9, ClientToken="tok-1") == {
        "Code": "IdempotentParameterMismatch", "Status": 400,
        "Message": "Arguments on this idempotent request are inconsistent with arguments used in previous "
                   "request(s)."}
    assert len(ec2.describe_volumes()["Volumes"]) == 2


def test_members_taken_only_at_their_defaults_or_refused(ec2: Any, clock: Any) -> None:
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=8)["VolumeId"]
    for member, value in (("OutpostArn", "arn:aws:outposts:us-east-1:000000000000:outpost/op-1"),
                          ("VolumeInitializationRate", 300), ("Operator", {"Principal": "x"})):
        refused = error_of(ec2.create_volume, AvailabilityZone=ZONE, Size=8, **{member: value})
        assert refused["Code"] == "UnsupportedOperation" and member in refused["Message"]
    assert error_of(ec2.describe_volumes, IncludeManagedResources=True)["Code"] == "UnsupportedOperation"
    assert ec2.describe_volumes(IncludeManagedResources=False)["Volumes"][0]["VolumeId"] == volume_id
    assert error_of(ec2.describe_volume_status, IncludeManagedResources=True)["Code"] == "UnsupportedOperation"
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId="i-0123456789abcdef0", Device="/dev/sdf",
                    EbsCardIndex=1)["Code"] == "UnsupportedOperation"
    assert len(ec2.describe_volumes()["Volumes"]) == 1


def test_create_volume_in_a_zone_named_by_its_id(ec2: Any) -> None:
    zone = ec2.describe_availability_zones(ZoneNames=[ZONE])["AvailabilityZones"][0]["ZoneId"]
    created = ec2.create_volume(AvailabilityZoneId=zone, Size=8)
    assert created["AvailabilityZone"] == ZONE
    assert error_of(ec2.create_volume, AvailabilityZoneId="use1-az99", Size=8)["Message"] == \
        "Invalid availability zone ID: [use1-az99]"
    assert len(ec2.describe_volumes()["Volumes"]) == 1


def test_describe_volume_status_pages_with_max_results_and_next_token(ec2: Any, clock: Any) -> None:
    ids = {ec2.create_volume(AvailabilityZone=ZONE, Size=1)["VolumeId"] for _ in range(7)}
    clock.advance(1)
    first = ec2.describe_volume_status(MaxResults=5)
    second = ec2.describe_volume_status(MaxResults=5, NextToken=first["NextToken"])
    assert len(first["VolumeStatuses"]) == 5 and "NextToken" not in second
    assert {s["VolumeId"] for s in first["VolumeStatuses"] + second["VolumeStatuses"]} == ids


def test_detach_names_the_attachment_by_device(ec2: Any, clock: Any) -> None:
    [instance] = launch(ec2, Placement={"AvailabilityZone": ZONE})
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=8)["VolumeId"]
    clock.advance(5)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance, Device="/dev/sdf")
    clock.advance(1)
    assert error_of(ec2.detach_volume, VolumeId=volume_id, Device="/dev/sdg")["Code"] == "InvalidAttachment.NotFound"
    detached = ec2.detach_volume(VolumeId=volume_id, Device="/dev/sdf", InstanceId=instance)
    assert (detached["State"], detached["Device"]) == ("detaching", "/dev/sdf")
