"""The volume operations' input members (DescribeVolumes' ``Filters`` row is kept with the
filters' own rows)."""

from __future__ import annotations

from tests.members.rows import Default, Honoured, Refused, Row

U = "UnsupportedOperation"
VOLUMES = "tests/services/ec2/test_volumes.py"
REQUESTS = "tests/services/ec2/test_volume_requests.py"
SHARING = "tests/services/ec2/test_snapshot_sharing.py"
MODIFICATIONS = "tests/services/ec2/test_volume_modifications.py"
CREATED = f"{VOLUMES}::test_a_new_volume_is_creating_then_available"
ENCRYPTION = f"{VOLUMES}::test_create_volume_tags_and_encryption"

ROWS: dict[str, dict[str, Row]] = {
    "CreateVolume": {
        "AvailabilityZone": Honoured(CREATED),
        "AvailabilityZoneId": Honoured(f"{REQUESTS}::test_create_volume_in_a_zone_named_by_its_id"),
        "Encrypted": Honoured(ENCRYPTION),
        "Iops": Honoured(f"{VOLUMES}::test_provisioned_iops_volumes_within_their_limits"),
        "KmsKeyId": Honoured(
            f"{SHARING}::test_encrypted_snapshots_cannot_be_public_nor_shared_under_the_default_key"),
        "OutpostArn": Refused(U),
        "Size": Honoured(CREATED),
        "SnapshotId": Honoured(f"{SHARING}::test_sharing_with_an_account_lets_it_see_and_restore_the_snapshot"),
        "VolumeType": Honoured(CREATED),
        "TagSpecifications": Honoured(ENCRYPTION),
        "MultiAttachEnabled": Honoured(f"{VOLUMES}::test_provisioned_iops_volumes_within_their_limits"),
        "Throughput": Honoured(
            f"{MODIFICATIONS}::test_iops_and_throughput_keep_the_volumes_or_take_the_new_types_defaults"),
        "ClientToken": Honoured(f"{REQUESTS}::test_a_repeated_client_token_answers_the_first_volume"),
        "VolumeInitializationRate": Refused(U),
        "Operator": Refused(U),
        "DryRun": Honoured(f"{VOLUMES}::test_create_volume_dry_run_creates_nothing"),
    },
    "DeleteVolume": {
        "VolumeId": Honoured(f"{VOLUMES}::test_delete_unknown_malformed_and_dry_run"),
        "DryRun": Honoured(f"{VOLUMES}::test_delete_unknown_malformed_and_dry_run"),
    },
    "AttachVolume": {
        "Device": Honoured(f"{VOLUMES}::test_attach_device_name_rules"),
        "InstanceId": Honoured(f"{VOLUMES}::test_attach_unknown_volume_or_instance"),
        "VolumeId": Honoured(f"{VOLUMES}::test_attach_unknown_volume_or_instance"),
        "EbsCardIndex": Refused(U),
        "DryRun": Honoured(f"{VOLUMES}::test_attach_dry_run_changes_nothing"),
    },
    "DetachVolume": {
        "Device": Honoured(f"{REQUESTS}::test_detach_names_the_attachment_by_device"),
        "Force": Honoured(f"{VOLUMES}::test_root_volume_of_a_running_instance_cannot_be_detached"),
        "InstanceId": Honoured(f"{VOLUMES}::test_detach_from_the_wrong_instance"),
        "VolumeId": Honoured(f"{VOLUMES}::test_detach_goes_detaching_then_available"),
        "DryRun": Honoured(f"{VOLUMES}::test_detach_dry_run_changes_nothing"),
    },
    "DescribeVolumes": {
        "VolumeIds": Honoured(f"{VOLUMES}::test_describe_unknown_and_malformed_ids"),
        "IncludeManagedResources": Default(False),
        "DryRun": Honoured(f"{VOLUMES}::test_describe_volumes_dry_run"),
        "NextToken": Honoured(f"{VOLUMES}::test_describe_volumes_pages_with_max_results_and_next_token"),
        "MaxResults": Honoured(f"{VOLUMES}::test_describe_volumes_pages_with_max_results_and_next_token"),
    },
    "DescribeVolumeStatus": {
        "MaxResults": Honoured(f"{REQUESTS}::test_describe_volume_status_pages_with_max_results_and_next_token"),
        "NextToken": Honoured(f"{REQUESTS}::test_describe_volume_status_pages_with_max_results_and_next_token"),
        "VolumeIds": Honoured(f"{VOLUMES}::test_describe_volume_status"),
        "IncludeManagedResources": Default(False),
        "DryRun": Honoured(f"{VOLUMES}::test_describe_volume_status"),
        "Filters": Honoured(f"{VOLUMES}::test_describe_volume_status"),
    },
    "ModifyVolume": {
        "DryRun": Honoured(f"{MODIFICATIONS}::test_other_refusals"),
        "VolumeId": Honoured(
            f"{MODIFICATIONS}::test_a_modification_runs_modifying_optimizing_completed_and_resizes_the_volume"),
        "Size": Honoured(
            f"{MODIFICATIONS}::test_a_modification_runs_modifying_optimizing_completed_and_resizes_the_volume"),
        "VolumeType": Honoured(
            f"{MODIFICATIONS}::test_a_modification_runs_modifying_optimizing_completed_and_resizes_the_volume"),
        "Iops": Honoured(
            f"{MODIFICATIONS}::test_a_modification_runs_modifying_optimizing_completed_and_resizes_the_volume"),
        "Throughput": Honoured(
            f"{MODIFICATIONS}::test_a_modification_runs_modifying_optimizing_completed_and_resizes_the_volume"),
        "MultiAttachEnabled": Refused(U),
    },
    "DescribeVolumesModifications": {
        "DryRun": Honoured(f"{MODIFICATIONS}::test_describe_volumes_modifications_filters_and_pages"),
        "VolumeIds": Honoured(f"{MODIFICATIONS}::test_describe_volumes_modifications_filters_and_pages"),
        "Filters": Honoured(f"{MODIFICATIONS}::test_describe_volumes_modifications_filters_and_pages"),
        "NextToken": Honoured(f"{MODIFICATIONS}::test_describe_volumes_modifications_filters_and_pages"),
        "MaxResults": Honoured(f"{MODIFICATIONS}::test_describe_volumes_modifications_filters_and_pages"),
    },
}
