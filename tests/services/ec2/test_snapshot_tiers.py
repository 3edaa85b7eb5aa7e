"""The snapshot archive tier through boto3: ModifySnapshotTier (archival on the clock),
RestoreSnapshotTier (temporary and permanent restores, the temporary one's expiry),
DescribeSnapshotTierStatus (fields, filters), the tier on DescribeSnapshots, and what an
archived snapshot refuses (volumes, copies, sharing)."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of
from tests.services.ec2 import ebs_accounts
from tests.services.ec2.ebs_accounts import OTHER, OWNER, ZONE, completed_snapshot

strict_app, client_of, account, strict_clock = (ebs_accounts.strict_app, ebs_accounts.client_of, ebs_accounts.account,
                                              ebs_accounts.strict_clock)
ARCHIVE_SECONDS = RESTORE_SECONDS = 6  # Durations.snapshot_archive, snapshot_restore
DAY = 86400


def tier_of(ec2: Any, snapshot_id: str) -> dict[str, Any]:
    [status] = ec2.describe_snapshot_tier_status(Filters=[{"Name": "snapshot-id", "Values": [snapshot_id]}])[
        "SnapshotTierStatuses"]
    return dict(status)


def snapshot(ec2: Any, snapshot_id: str) -> dict[str, Any]:
    return dict(ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0])


def archived(ec2: Any, clock: Any, size: int = 8) -> str:
    snapshot_id = completed_snapshot(ec2, clock, size)
    ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
    clock.advance(ARCHIVE_SECONDS)
    return snapshot_id


def test_archival_runs_on_the_clock_and_moves_the_snapshot_to_the_archive_tier(ec2: Any, clock: Any) -> None:
    snapshot_id = completed_snapshot(ec2, clock)
    assert ec2.describe_snapshot_tier_status()["SnapshotTierStatuses"] == []
    started = ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
    assert started["SnapshotId"] == snapshot_id and "TieringStartTime" in started
    status = tier_of(ec2, snapshot_id)
    assert (status["LastTieringOperationStatus"], status["StorageTier"], status["LastTieringProgress"]) == (
        "archival-in-progress", "standard", 0)
    assert "ArchivalCompleteTime" not in status and status["Status"] == "completed"
    assert snapshot(ec2, snapshot_id)["StorageTier"] == "standard"
    clock.advance(3)
    assert tier_of(ec2, snapshot_id)["LastTieringProgress"] == 50
    clock.advance(3)
    status = tier_of(ec2, snapshot_id)
    assert (status["LastTieringOperationStatus"], status["StorageTier"], status["LastTieringProgress"]) == (
        "archival-completed", "archive", 100)
    assert (status["ArchivalCompleteTime"] - status["LastTieringStartTime"]).total_seconds() == ARCHIVE_SECONDS
    assert snapshot(ec2, snapshot_id)["StorageTier"] == "archive"
    by_tier = ec2.describe_snapshots(Filters=[{"Name": "storage-tier", "Values": ["archive"]}])["Snapshots"]
    assert [s["SnapshotId"] for s in by_tier] == [snapshot_id]
    assert ec2.describe_snapshots(Filters=[{"Name": "storage-tier", "Values": ["standard"]}])["Snapshots"] == []


def test_an_archived_snapshot_cannot_be_used_copied_shared_or_archived_again(ec2: Any, clock: Any) -> None:
    snapshot_id = archived(ec2, clock)
    for call, kwargs in (
        (ec2.create_volume, {"AvailabilityZone": ZONE, "SnapshotId": snapshot_id}),
        (ec2.copy_snapshot, {"SourceRegion": "us-east-1", "SourceSnapshotId": snapshot_id}),
        (ec2.modify_snapshot_attribute, {"SnapshotId": snapshot_id, "OperationType": "add",
                                         "Attribute": "createVolumePermission", "UserIds": [OTHER]}),
        (ec2.modify_snapshot_tier, {"SnapshotId": snapshot_id, "StorageTier": "archive"}),
    ):
        assert error_of(call, **kwargs)["Code"] == "IncorrectState"
    assert len(ec2.describe_snapshots()["Snapshots"]) == 1 and ec2.describe_volumes()["Volumes"][0][
        "SnapshotId"] == ""


def test_a_temporary_restore_returns_to_the_archive_when_it_expires(ec2: Any, clock: Any) -> None:
    snapshot_id = archived(ec2, clock)
    restored = ec2.restore_snapshot_tier(SnapshotId=snapshot_id, TemporaryRestoreDays=2)
    assert (restored["RestoreDuration"], restored["IsPermanentRestore"]) == (2, False)
    status = tier_of(ec2, snapshot_id)
    assert (status["LastTieringOperationStatus"], status["StorageTier"]) == ("temporary-restore-in-progress",
                                                                              "archive")
    clock.advance(RESTORE_SECONDS)
    status = tier_of(ec2, snapshot_id)
    assert (status["LastTieringOperationStatus"], status["StorageTier"]) == ("temporary-restore-completed",
                                                                              "standard")
    shown = snapshot(ec2, snapshot_id)
    assert shown["StorageTier"] == "standard"
    assert (shown["RestoreExpiryTime"] - restored["RestoreStartTime"]).total_seconds() == RESTORE_SECONDS + 2 * DAY
    assert ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)["SnapshotId"] == snapshot_id
    clock.advance(2 * DAY)
    assert snapshot(ec2, snapshot_id)["StorageTier"] == "archive" and "RestoreExpiryTime" not in snapshot(
        ec2, snapshot_id)
    assert error_of(ec2.create_volume, AvailabilityZone=ZONE, SnapshotId=snapshot_id)["Code"] == "IncorrectState"


def test_a_permanent_restore_and_the_restore_refusals(ec2: Any, clock: Any) -> None:
    standard = completed_snapshot(ec2, clock)
    assert error_of(ec2.restore_snapshot_tier, SnapshotId=standard, PermanentRestore=True)["Code"] == \
        "IncorrectState"
    snapshot_id = archived(ec2, clock)
    assert error_of(ec2.restore_snapshot_tier, SnapshotId=snapshot_id, PermanentRestore=True,
                    TemporaryRestoreDays=3)["Code"] == "InvalidParameterCombination"
    assert error_of(ec2.restore_snapshot_tier, SnapshotId=snapshot_id)["Code"] == "MissingParameter"
    assert error_of(ec2.restore_snapshot_tier, SnapshotId=snapshot_id, TemporaryRestoreDays=181)["Code"] == \
        "InvalidParameterValue"
    assert error_of(ec2.restore_snapshot_tier, SnapshotId=snapshot_id, PermanentRestore=True, DryRun=True)[
        "Code"] == "DryRunOperation"
    assert tier_of(ec2, snapshot_id)["LastTieringOperationStatus"] == "archival-completed"
    restored = ec2.restore_snapshot_tier(SnapshotId=snapshot_id, PermanentRestore=True)
    assert restored["IsPermanentRestore"] is True and "RestoreDuration" not in restored
    clock.advance(RESTORE_SECONDS + 365 * DAY)
    status = tier_of(ec2, snapshot_id)
    assert (status["LastTieringOperationStatus"], status["StorageTier"]) == ("permanent-restore-completed",
                                                                              "standard")
    assert "RestoreExpiryTime" not in status


def test_modify_snapshot_tier_refusals(ec2: Any, clock: Any) -> None:
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=8)["VolumeId"]
    clock.advance(1)
    pending = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    assert error_of(ec2.modify_snapshot_tier, SnapshotId=pending, StorageTier="archive")["Code"] == "IncorrectState"
    clock.advance(2)
    image = ec2.register_image(Name="tiered", RootDeviceName="/dev/xvda", Architecture="x86_64",
                               VirtualizationType="hvm",
                               BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": pending}}])
    assert error_of(ec2.modify_snapshot_tier, SnapshotId=pending, StorageTier="archive")["Code"] == \
        "InvalidSnapshot.InUse"
    ec2.deregister_image(ImageId=image["ImageId"])
    assert error_of(ec2.modify_snapshot_tier, SnapshotId=pending)["Code"] == "MissingParameter"
    assert error_of(ec2.modify_snapshot_tier, SnapshotId=pending, StorageTier="archive", DryRun=True)["Code"] == \
        "DryRunOperation"
    assert error_of(ec2.modify_snapshot_tier, SnapshotId="snap-0123456789abcdef0", StorageTier="archive")[
        "Code"] == "InvalidSnapshot.NotFound"
    assert ec2.describe_snapshot_tier_status()["SnapshotTierStatuses"] == []


def test_archiving_ends_sharing(account: Any, strict_clock: Any) -> None:
    owner, other = account(OWNER), account(OTHER)
    snapshot_id = completed_snapshot(owner, strict_clock)
    owner.modify_snapshot_attribute(SnapshotId=snapshot_id, OperationType="add", Attribute="createVolumePermission",
                                    UserIds=[OTHER])
    assert error_of(other.modify_snapshot_tier, SnapshotId=snapshot_id, StorageTier="archive")["Code"] == \
        "InvalidSnapshot.NotFound"
    owner.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
    assert other.describe_snapshots()["Snapshots"] == []
    assert owner.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")[
        "CreateVolumePermissions"] == []


def test_describe_snapshot_tier_status_filters_and_pages(ec2: Any, clock: Any) -> None:
    ids = [archived(ec2, clock, size) for size in range(1, 7)]
    ec2.restore_snapshot_tier(SnapshotId=ids[0], PermanentRestore=True)
    volume_of_first = snapshot(ec2, ids[0])["VolumeId"]
    by_operation = ec2.describe_snapshot_tier_status(
        Filters=[{"Name": "last-tiering-operation", "Values": ["permanent-restore-in-progress"]}])
    assert [s["SnapshotId"] for s in by_operation["SnapshotTierStatuses"]] == [ids[0]]
    by_volume = ec2.describe_snapshot_tier_status(Filters=[{"Name": "volume-id", "Values": [volume_of_first]}])
    assert [s["VolumeId"] for s in by_volume["SnapshotTierStatuses"]] == [volume_of_first]
    first = ec2.describe_snapshot_tier_status(MaxResults=5)
    second = ec2.describe_snapshot_tier_status(MaxResults=5, NextToken=first["NextToken"])
    assert sorted(s["SnapshotId"] for s in first["SnapshotTierStatuses"] + second["SnapshotTierStatuses"]) == \
        sorted(ids)
    assert error_of(ec2.describe_snapshot_tier_status, Filters=[{"Name": "nope", "Values": ["x"]}])["Code"] == \
        "InvalidParameterValue"
    assert error_of(ec2.describe_snapshot_tier_status, DryRun=True)["Code"] == "DryRunOperation"
