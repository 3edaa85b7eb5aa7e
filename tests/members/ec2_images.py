"""How the image calls treat each input member: CreateImage, RegisterImage,
DeregisterImage, DescribeImages (its ``Filters`` row is the filter table's), sharing
(Modify/Describe/ResetImageAttribute), block public access, CopyImage and deprecation."""

from __future__ import annotations

from tests.members.rows import Default, Honoured, Refused, Row

OLD = "tests/services/ec2/test_images.py"
SHARING = "tests/services/ec2/images/test_image_sharing.py"
COPY = "tests/services/ec2/images/test_image_copy.py"
DEPRECATION = "tests/services/ec2/images/test_image_deprecation.py"
MEMBERS = "tests/services/ec2/images/test_image_members.py"
UNSUPPORTED = "UnsupportedOperation"

_REGISTERED = Honoured(f"{OLD}::test_register_ebs_image_from_a_catalogue_snapshot")
_ATTRIBUTES = Honoured(f"{MEMBERS}::test_register_image_records_its_attributes")

ROWS: dict[str, dict[str, Row]] = {
    "CreateImage": {
        "InstanceId": Honoured(f"{OLD}::test_create_image_mirrors_the_instance_volumes"),
        "Name": Honoured(f"{OLD}::test_create_image_mirrors_the_instance_volumes"),
        "Description": Honoured(f"{MEMBERS}::test_create_image_description_and_reboot_choice"),
        "NoReboot": Honoured(f"{MEMBERS}::test_create_image_description_and_reboot_choice"),
        "BlockDeviceMappings": Honoured(f"{OLD}::test_create_image_with_no_device_and_a_larger_root"),
        "TagSpecifications": Honoured(f"{OLD}::test_create_image_mirrors_the_instance_volumes"),
        "SnapshotLocation": Refused(UNSUPPORTED),
        "DryRun": Honoured(f"{OLD}::test_create_image_errors_change_nothing"),
    },
    "RegisterImage": {
        "Name": _REGISTERED,
        "Description": _REGISTERED,
        "Architecture": _REGISTERED,
        "VirtualizationType": _REGISTERED,
        "EnaSupport": _REGISTERED,
        "RootDeviceName": _REGISTERED,
        "BlockDeviceMappings": _REGISTERED,
        "TagSpecifications": _REGISTERED,
        "ImageLocation": Honoured(f"{OLD}::test_register_instance_store_image"),
        "BootMode": _ATTRIBUTES,
        "TpmSupport": _ATTRIBUTES,
        "UefiData": _ATTRIBUTES,
        "ImdsSupport": _ATTRIBUTES,
        "SriovNetSupport": _ATTRIBUTES,
        "KernelId": Refused(UNSUPPORTED),
        "RamdiskId": Refused(UNSUPPORTED),
        "BillingProducts": Refused(UNSUPPORTED),
        "DryRun": Honoured(f"{OLD}::test_register_dry_run_and_bad_tag_specifications_change_nothing"),
    },
    "DeregisterImage": {
        "ImageId": Honoured(f"{OLD}::test_deregister_own_image"),
        "DeleteAssociatedSnapshots": Honoured(f"{MEMBERS}::test_deregister_deletes_the_snapshots_no_other_image_uses"),
        "DryRun": Honoured(f"{OLD}::test_deregister_errors_change_nothing"),
    },
    "DescribeImages": {
        "ExecutableUsers": Honoured(
            f"{SHARING}::test_sharing_with_an_account_makes_the_image_visible_and_launchable_until_removed"),
        "ImageIds": Honoured(f"{OLD}::test_image_ids"),
        "Owners": Honoured(f"{OLD}::test_owners"),
        "IncludeDeprecated": Honoured(
            f"{DEPRECATION}::test_a_deprecated_image_is_hidden_from_other_accounts_unless_asked_for"),
        "IncludeDisabled": Default(False),
        "MaxResults": Honoured(f"{OLD}::test_paging"),
        "NextToken": Honoured(f"{OLD}::test_paging"),
        "DryRun": Honoured(f"{MEMBERS}::test_describe_images_dry_run"),
    },
    "ModifyImageAttribute": {
        "ImageId": Honoured(f"{SHARING}::test_sharing_with_an_account_makes_the_image_visible_and_launchable_until_removed"),
        "LaunchPermission": Honoured(
            f"{SHARING}::test_sharing_with_an_account_makes_the_image_visible_and_launchable_until_removed"),
        "Attribute": Honoured(f"{SHARING}::test_the_flat_form_adds_and_removes_users_and_groups"),
        "OperationType": Honoured(f"{SHARING}::test_the_flat_form_adds_and_removes_users_and_groups"),
        "UserIds": Honoured(f"{SHARING}::test_the_flat_form_adds_and_removes_users_and_groups"),
        "UserGroups": Honoured(f"{SHARING}::test_the_flat_form_adds_and_removes_users_and_groups"),
        "Description": Honoured(f"{SHARING}::test_description_and_imds_support"),
        "Value": Honoured(f"{SHARING}::test_description_and_imds_support"),
        "ImdsSupport": Honoured(f"{SHARING}::test_description_and_imds_support"),
        "ProductCodes": Refused(UNSUPPORTED),
        "OrganizationArns": Refused(UNSUPPORTED),
        "OrganizationalUnitArns": Refused(UNSUPPORTED),
        "DryRun": Honoured(f"{SHARING}::test_bad_launch_permissions_change_nothing"),
    },
    "DescribeImageAttribute": {
        "ImageId": Honoured(f"{SHARING}::test_reported_attributes"),
        "Attribute": Honoured(f"{SHARING}::test_reported_attributes"),
        "DryRun": Honoured(f"{SHARING}::test_reported_attributes"),
    },
    "ResetImageAttribute": {
        "ImageId": Honoured(f"{SHARING}::test_reset_makes_the_image_private_again"),
        "Attribute": Honoured(f"{SHARING}::test_reset_makes_the_image_private_again"),
        "DryRun": Honoured(f"{SHARING}::test_reset_makes_the_image_private_again"),
    },
    "GetImageBlockPublicAccessState": {
        "DryRun": Honoured(f"{SHARING}::test_public_sharing_follows_block_public_access"),
    },
    "EnableImageBlockPublicAccess": {
        "ImageBlockPublicAccessState": Honoured(f"{SHARING}::test_public_sharing_follows_block_public_access"),
        "DryRun": Honoured(f"{SHARING}::test_public_sharing_follows_block_public_access"),
    },
    "DisableImageBlockPublicAccess": {
        "DryRun": Honoured(f"{SHARING}::test_public_sharing_follows_block_public_access"),
    },
    "CopyImage": {
        "SourceRegion": Honoured(f"{COPY}::test_copy_across_regions_is_made_in_the_region_called"),
        "SourceImageId": Honoured(f"{COPY}::test_copy_across_regions_is_made_in_the_region_called"),
        "Name": Honoured(f"{COPY}::test_copy_within_the_region_makes_new_snapshots_and_becomes_available_on_the_clock"),
        "Description": Honoured(
            f"{COPY}::test_copy_within_the_region_makes_new_snapshots_and_becomes_available_on_the_clock"),
        "CopyImageTags": Honoured(f"{COPY}::test_tags_are_copied_only_when_asked"),
        "TagSpecifications": Honoured(f"{COPY}::test_tags_are_copied_only_when_asked"),
        "ClientToken": Honoured(f"{COPY}::test_client_token_makes_the_copy_once"),
        "Encrypted": Honoured(f"{COPY}::test_encrypted_copies"),
        "KmsKeyId": Honoured(f"{COPY}::test_encrypted_copies"),
        "DestinationOutpostArn": Refused(UNSUPPORTED),
        "SnapshotCopyCompletionDurationMinutes": Refused(UNSUPPORTED),
        "DestinationAvailabilityZone": Refused(UNSUPPORTED),
        "DestinationAvailabilityZoneId": Refused(UNSUPPORTED),
        "DryRun": Honoured(f"{COPY}::test_copy_errors_change_nothing"),
    },
    "EnableImageDeprecation": {
        "ImageId": Honoured(f"{DEPRECATION}::test_deprecation_time_is_rounded_to_the_minute_and_shown"),
        "DeprecateAt": Honoured(f"{DEPRECATION}::test_deprecation_time_is_rounded_to_the_minute_and_shown"),
        "DryRun": Honoured(f"{DEPRECATION}::test_deprecation_limits_change_nothing"),
    },
    "DisableImageDeprecation": {
        "ImageId": Honoured(f"{DEPRECATION}::test_deprecation_time_is_rounded_to_the_minute_and_shown"),
        "DryRun": Honoured(f"{DEPRECATION}::test_deprecation_limits_change_nothing"),
    },
}
