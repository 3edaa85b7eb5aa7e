"""The snapshot operations' input members (DescribeSnapshots' ``Filters`` row is kept with
the filters' own rows)."""

from __future__ import annotations

from tests.members.rows import Honoured, Refused, Row

U = "UnsupportedOperation"
SNAPSHOTS = "tests/services/ec2/test_snapshots.py"
SHARING = "tests/services/ec2/test_snapshot_sharing.py"
COPIES = "tests/services/ec2/test_snapshot_copies.py"
TIERS = "tests/services/ec2/test_snapshot_tiers.py"

ROWS: dict[str, dict[str, Row]] = {
    "CreateSnapshot": {
        "Description": Honoured(f"{SNAPSHOTS}::test_snapshot_is_pending_then_completed"),
        "OutpostArn": Refused(U),
        "VolumeId": Honoured(f"{SNAPSHOTS}::test_snapshot_is_pending_then_completed"),
        "TagSpecifications": Honoured(f"{SNAPSHOTS}::test_snapshot_is_pending_then_completed"),
        "Location": Refused(U),
        "DryRun": Honoured(f"{SNAPSHOTS}::test_create_snapshot_errors_create_nothing"),
    },
    "DeleteSnapshot": {
        "SnapshotId": Honoured(f"{SNAPSHOTS}::test_delete_snapshot"),
        "DryRun": Honoured(f"{SNAPSHOTS}::test_delete_snapshot"),
    },
    "DescribeSnapshots": {
        "MaxResults": Honoured(f"{SHARING}::test_describe_snapshots_pages_over_own_and_shared_snapshots"),
        "NextToken": Honoured(f"{SHARING}::test_describe_snapshots_pages_over_own_and_shared_snapshots"),
        "OwnerIds": Honoured(f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "RestorableByUserIds": Honoured(
            f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "SnapshotIds": Honoured(f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "DryRun": Honoured(f"{SNAPSHOTS}::test_describe_snapshots_filters_owners_and_paging"),
    },
    "ModifySnapshotAttribute": {
        "Attribute": Honoured(f"{SHARING}::test_bad_permission_changes_are_refused_and_change_nothing"),
        "CreateVolumePermission": Honoured(
            f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "GroupNames": Honoured(
            f"{SHARING}::test_a_public_snapshot_is_listed_for_everyone_and_reset_makes_it_private"),
        "OperationType": Honoured(
            f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "SnapshotId": Honoured(f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "UserIds": Honoured(f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "DryRun": Honoured(f"{SHARING}::test_bad_permission_changes_are_refused_and_change_nothing"),
    },
    "DescribeSnapshotAttribute": {
        "Attribute": Honoured(
            f"{SHARING}::test_a_public_snapshot_is_listed_for_everyone_and_reset_makes_it_private"),
        "SnapshotId": Honoured(f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "DryRun": Honoured(f"{SHARING}::test_bad_permission_changes_are_refused_and_change_nothing"),
    },
    "ResetSnapshotAttribute": {
        "Attribute": Honoured(f"{SHARING}::test_bad_permission_changes_are_refused_and_change_nothing"),
        "SnapshotId": Honoured(
            f"{SHARING}::test_a_public_snapshot_is_listed_for_everyone_and_reset_makes_it_private"),
        "DryRun": Honoured(f"{SHARING}::test_bad_permission_changes_are_refused_and_change_nothing"),
    },
    "CopySnapshot": {
        "Description": Honoured(f"{COPIES}::test_a_copy_in_the_same_region_with_its_own_description_and_encryption"),
        "DestinationOutpostArn": Refused(U),
        "DestinationRegion": Honoured(f"{COPIES}::test_copy_refusals_copy_nothing"),
        "Encrypted": Honoured(f"{COPIES}::test_a_copy_in_the_same_region_with_its_own_description_and_encryption"),
        "KmsKeyId": Honoured(f"{COPIES}::test_a_copy_in_the_same_region_with_its_own_description_and_encryption"),
        "PresignedUrl": Honoured(
            f"{COPIES}::test_a_copy_in_the_same_region_with_its_own_description_and_encryption"),
        "SourceRegion": Honoured(f"{COPIES}::test_a_copy_across_regions_is_pending_then_completed"),
        "SourceSnapshotId": Honoured(f"{COPIES}::test_a_copy_across_regions_is_pending_then_completed"),
        "TagSpecifications": Honoured(f"{COPIES}::test_a_copy_across_regions_is_pending_then_completed"),
        "CompletionDurationMinutes": Refused(U),
        "DestinationAvailabilityZone": Refused(U),
        "DryRun": Honoured(f"{COPIES}::test_copy_refusals_copy_nothing"),
    },
    "CreateSnapshots": {
        "Description": Honoured(f"{COPIES}::test_create_snapshots_of_an_instances_volumes"),
        "InstanceSpecification": Honoured(f"{COPIES}::test_create_snapshots_of_an_instances_volumes"),
        "OutpostArn": Refused(U),
        "TagSpecifications": Honoured(f"{COPIES}::test_create_snapshots_of_an_instances_volumes"),
        "DryRun": Honoured(f"{COPIES}::test_create_snapshots_of_an_instances_volumes"),
        "CopyTagsFromSource": Honoured(f"{COPIES}::test_create_snapshots_of_an_instances_volumes"),
        "Location": Refused(U),
    },
    "ModifySnapshotTier": {
        "SnapshotId": Honoured(
            f"{TIERS}::test_archival_runs_on_the_clock_and_moves_the_snapshot_to_the_archive_tier"),
        "StorageTier": Honoured(
            f"{TIERS}::test_archival_runs_on_the_clock_and_moves_the_snapshot_to_the_archive_tier"),
        "DryRun": Honoured(f"{TIERS}::test_modify_snapshot_tier_refusals"),
    },
    "RestoreSnapshotTier": {
        "SnapshotId": Honoured(f"{TIERS}::test_a_temporary_restore_returns_to_the_archive_when_it_expires"),
        "TemporaryRestoreDays": Honoured(
            f"{TIERS}::test_a_temporary_restore_returns_to_the_archive_when_it_expires"),
        "PermanentRestore": Honoured(f"{TIERS}::test_a_permanent_restore_and_the_restore_refusals"),
        "DryRun": Honoured(f"{TIERS}::test_a_permanent_restore_and_the_restore_refusals"),
    },
    "DescribeSnapshotTierStatus": {
        "Filters": Honoured(f"{TIERS}::test_describe_snapshot_tier_status_filters_and_pages"),
        "DryRun": Honoured(f"{TIERS}::test_describe_snapshot_tier_status_filters_and_pages"),
        "NextToken": Honoured(f"{TIERS}::test_describe_snapshot_tier_status_filters_and_pages"),
        "MaxResults": Honoured(f"{TIERS}::test_describe_snapshot_tier_status_filters_and_pages"),
    },
}
