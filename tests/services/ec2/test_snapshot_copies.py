"""CopySnapshot (same Region, across Regions, from a shared snapshot) and CreateSnapshots
(an instance's volumes, exclusions, tags) through boto3."""

from __future__ import annotations

from typing import Any

from botocore.handlers import inject_presigned_url_ec2

from tests.helpers import error_of, instance_of, launch
from tests.services.ec2 import ebs_accounts
from tests.services.ec2.ebs_accounts import OTHER, OWNER, completed_snapshot

strict_app, client_of, account, strict_clock = (ebs_accounts.strict_app, ebs_accounts.client_of, ebs_accounts.account,
                                              ebs_accounts.strict_clock)
TAGS = [{"ResourceType": "snapshot", "Tags": [{"Key": "team", "Value": "db"}]}]


def test_a_copy_across_regions_is_pending_then_completed(make_client: Any, clock: Any) -> None:
    east = make_client("us-east-1")
    west = make_client("us-west-2")
    source = completed_snapshot(east, clock, 11, Encrypted=True)
    east.create_tags(Resources=[source], Tags=[{"Key": "origin", "Value": "east"}])
    copied = west.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=source, TagSpecifications=TAGS)
    assert copied["Tags"] == [{"Key": "team", "Value": "db"}]
    [copy] = west.describe_snapshots(SnapshotIds=[copied["SnapshotId"]])["Snapshots"]
    assert (copy["State"], copy["VolumeId"], copy["VolumeSize"], copy["Encrypted"]) == (
        "pending", "vol-ffffffff", 11, True)
    assert copy["Description"] == f"[Copied {source} from us-east-1]"
    assert copy["KmsKeyId"].startswith("arn:aws:kms:us-west-2:")
    assert copy["Tags"] == [{"Key": "team", "Value": "db"}]  # the source's tags are not copied
    clock.advance(2)
    assert west.describe_snapshots(SnapshotIds=[copied["SnapshotId"]])["Snapshots"][0]["State"] == "completed"
    assert east.describe_snapshots(OwnerIds=["self"])["Snapshots"][0]["SnapshotId"] == source


def test_a_copy_in_the_same_region_with_its_own_description_and_encryption(ec2: Any, clock: Any) -> None:
    source = completed_snapshot(ec2, clock, 5)
    copied = ec2.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=source, Description="mine",
                               Encrypted=True, DestinationRegion="us-east-1",
                               PresignedUrl="https://ec2.us-east-1.amazonaws.com/?Action=CopySnapshot")
    [copy] = ec2.describe_snapshots(SnapshotIds=[copied["SnapshotId"]])["Snapshots"]
    assert (copy["Description"], copy["Encrypted"], copy["VolumeSize"]) == ("mine", True, 5)
    assert "Tags" not in copied
    key = "arn:aws:kms:us-east-1:000000000000:key/0b9c3a44-9f0e-4b7a-9d0c-1a2b3c4d5e6f"
    keyed = ec2.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=source, Encrypted=True, KmsKeyId=key)
    assert ec2.describe_snapshots(SnapshotIds=[keyed["SnapshotId"]])["Snapshots"][0]["KmsKeyId"] == key
    plain = ec2.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=source, Encrypted=False)
    assert ec2.describe_snapshots(SnapshotIds=[plain["SnapshotId"]])["Snapshots"][0]["Encrypted"] is False


def test_copy_refusals_copy_nothing(ec2: Any, clock: Any) -> None:
    source = completed_snapshot(ec2, clock)
    pending = ec2.create_snapshot(VolumeId=ec2.describe_volumes()["Volumes"][0]["VolumeId"])["SnapshotId"]
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=pending)["Code"] == \
        "IncorrectState"
    assert error_of(ec2.copy_snapshot, SourceRegion="us-west-2", SourceSnapshotId=source)["Code"] == \
        "InvalidSnapshot.NotFound"
    assert error_of(ec2.copy_snapshot, SourceRegion="mars-1", SourceSnapshotId=source)["Code"] == "InvalidRegion"
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId="snap-x")["Code"] == \
        "InvalidSnapshotID.Malformed"
    # The SDK sets DestinationRegion to the client's Region: sent as given without its handler.
    ec2.meta.events.unregister("before-call.ec2.CopySnapshot", inject_presigned_url_ec2)
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source,
                    DestinationRegion="eu-west-1")["Code"] == "InvalidParameterValue"
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source,
                    KmsKeyId="alias/x")["Code"] == "InvalidParameterDependency"
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source,
                    Description="x" * 256)["Code"] == "InvalidParameterValue"
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source,
                    TagSpecifications=[{"ResourceType": "volume", "Tags": []}])["Code"] == "InvalidParameterValue"
    for member, value in (("DestinationOutpostArn", "arn:aws:outposts:us-east-1:000000000000:outpost/op-1"),
                          ("DestinationAvailabilityZone", "us-east-1a"), ("CompletionDurationMinutes", 60)):
        assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source,
                        **{member: value})["Code"] == "UnsupportedOperation"
    assert error_of(ec2.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source, DryRun=True)["Code"] == \
        "DryRunOperation"
    assert sorted(s["SnapshotId"] for s in ec2.describe_snapshots()["Snapshots"]) == sorted([source, pending])


def test_a_shared_snapshot_can_be_copied_by_the_other_account(account: Any, strict_clock: Any) -> None:
    owner, other = account(OWNER), account(OTHER)
    source = completed_snapshot(owner, strict_clock, 7)
    assert error_of(other.copy_snapshot, SourceRegion="us-east-1", SourceSnapshotId=source)["Code"] == \
        "InvalidSnapshot.NotFound"
    owner.modify_snapshot_attribute(SnapshotId=source, OperationType="add", Attribute="createVolumePermission",
                                    UserIds=[OTHER])
    copied = other.copy_snapshot(SourceRegion="us-east-1", SourceSnapshotId=source)
    [copy] = other.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert (copy["SnapshotId"], copy["OwnerId"], copy["VolumeSize"]) == (copied["SnapshotId"], OTHER, 7)


def test_create_snapshots_of_an_instances_volumes(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(5)
    root = instance_of(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    data = []
    for device in ("/dev/sdf", "/dev/sdg"):
        volume_id = ec2.create_volume(AvailabilityZone=instance_of(ec2, instance_id)["Placement"][
            "AvailabilityZone"], Size=4, TagSpecifications=[
            {"ResourceType": "volume", "Tags": [{"Key": "disk", "Value": device}, {"Key": "team", "Value": "x"}]}])[
            "VolumeId"]
        clock.advance(1)
        ec2.attach_volume(VolumeId=volume_id, InstanceId=instance_id, Device=device)
        data.append(volume_id)
    clock.advance(1)
    every = ec2.create_snapshots(InstanceSpecification={"InstanceId": instance_id}, Description="all")["Snapshots"]
    assert sorted(s["VolumeId"] for s in every) == sorted([root, *data])
    assert {(s["State"], s["Description"], s["OwnerId"]) for s in every} == {("pending", "all", "000000000000")}
    some = ec2.create_snapshots(
        InstanceSpecification={"InstanceId": instance_id, "ExcludeBootVolume": True,
                               "ExcludeDataVolumeIds": [data[0]]},
        CopyTagsFromSource="volume", TagSpecifications=TAGS)["Snapshots"]
    assert [s["VolumeId"] for s in some] == [data[1]]
    assert sorted((t["Key"], t["Value"]) for t in some[0]["Tags"]) == [("disk", "/dev/sdg"), ("team", "db")]
    described = ec2.describe_snapshots(SnapshotIds=[some[0]["SnapshotId"]])["Snapshots"][0]
    assert (described["VolumeSize"], described["VolumeId"]) == (4, data[1])
    untagged = ec2.create_snapshots(InstanceSpecification={"InstanceId": instance_id, "ExcludeBootVolume": True},
                                    TagSpecifications=TAGS)["Snapshots"]
    assert {tuple((t["Key"], t["Value"]) for t in s["Tags"]) for s in untagged} == {(("team", "db"),)}
    assert error_of(ec2.create_snapshots, InstanceSpecification={"InstanceId": instance_id,
                                                                 "ExcludeDataVolumeIds": [root]})["Code"] == \
        "InvalidParameterValue"
    assert error_of(ec2.create_snapshots, InstanceSpecification={"InstanceId": "i-0123456789abcdef0"})["Code"] == \
        "InvalidInstanceID.NotFound"
    assert error_of(ec2.create_snapshots, InstanceSpecification={"InstanceId": instance_id},
                    OutpostArn="arn:aws:outposts:us-east-1:000000000000:outpost/op-1")["Code"] == \
        "UnsupportedOperation"
    assert error_of(ec2.create_snapshots, InstanceSpecification={"InstanceId": instance_id},
                    Location="regional")["Code"] == "UnsupportedOperation"
    assert error_of(ec2.create_snapshots, InstanceSpecification={"InstanceId": instance_id},
                    DryRun=True)["Code"] == "DryRunOperation"
    assert len(ec2.describe_snapshots()["Snapshots"]) == 3 + 1 + 2
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert error_of(ec2.create_snapshots, InstanceSpecification={"InstanceId": instance_id})["Code"] == \
        "IncorrectInstanceState"
