"""Rows of the no-silent-drops table for RunInstances (but ``LaunchTemplate``), the
instance attributes, detailed monitoring, the metadata options and their account
defaults, and CPU credits."""

from __future__ import annotations

from tests.members.rows import Default, Honoured, Refused, Row

_I = "tests/services/ec2/instances/"
_RUN = _I + "test_run_instances.py::"
_OPTIONS = _I + "test_launch_options.py::"
_ATTRIBUTES = _I + "test_instance_attributes.py::"
_MONITORING = _I + "test_monitoring.py::"
_METADATA = _I + "test_metadata_options.py::"
_CREDITS = _I + "test_credits.py::"
_UNSUPPORTED = Refused("UnsupportedOperation")
_REFUSED_ATTRIBUTES = _OPTIONS + "test_modify_attributes_not_emulated_are_refused"

ROWS: dict[str, dict[str, Row]] = {
    "RunInstances": {
        "BlockDeviceMappings": Honoured(_RUN + "test_root_volume_delete_on_termination_from_block_device_mapping"),
        "ImageId": Honoured(_RUN + "test_unknown_image_id"),
        "InstanceType": Honoured("tests/services/ec2/test_instance_types.py::"
                                 "test_run_instances_checks_the_type_against_the_image_architecture"),
        "Ipv6AddressCount": Default(0),
        "Ipv6Addresses": _UNSUPPORTED,
        "KernelId": Honoured(_OPTIONS + "test_kernel_and_ramdisk_at_launch"),
        "KeyName": Honoured(_RUN + "test_key_name"),
        "MaxCount": Honoured(_RUN + "test_max_count_above_min_launches_max_when_capacity_allows"),
        "MinCount": Honoured(_RUN + "test_min_and_max_count_equal_launches_that_many_in_one_reservation"),
        "Monitoring": Honoured(_MONITORING + "test_launch_with_monitoring_enabled_is_pending_then_enabled"),
        "Placement": Honoured(_OPTIONS + "test_tenancy_is_stored_shown_and_filtered"),
        "RamdiskId": Honoured(_OPTIONS + "test_kernel_and_ramdisk_at_launch"),
        "SecurityGroupIds": Honoured("tests/services/ec2/networking/test_security_groups.py::test_launch_with_groups"),
        "SecurityGroups": Honoured(_RUN + "test_security_groups"),
        "SubnetId": Honoured(_RUN + "test_subnet_id_lands_in_the_subnets_zone"),
        "UserData": Honoured(_RUN + "test_user_data_is_stored_base64_encoded"),
        "ElasticGpuSpecification": _UNSUPPORTED,
        "ElasticInferenceAccelerators": _UNSUPPORTED,
        "TagSpecifications": Honoured(_RUN + "test_tag_specifications_for_instance_and_volume"),
        "InstanceMarketOptions": _UNSUPPORTED,
        "CreditSpecification": Honoured(_CREDITS + "test_credit_specification_at_launch"),
        "CpuOptions": _UNSUPPORTED,
        "CapacityReservationSpecification": Default({"CapacityReservationPreference": "open"}),
        "HibernationOptions": Honoured(_I + "test_stop_start_reboot.py::test_hibernate_an_instance_configured_for_it"),
        "LicenseSpecifications": _UNSUPPORTED,
        "MetadataOptions": Honoured(_METADATA + "test_launch_options_are_stored_and_pending_then_applied"),
        "EnclaveOptions": Default({"Enabled": False}),
        "PrivateDnsNameOptions": _UNSUPPORTED,
        "MaintenanceOptions": Default({"AutoRecovery": "default"}),
        "DisableApiStop": Honoured(_RUN + "test_disable_api_termination_and_stop_at_launch"),
        "EnablePrimaryIpv6": Default(False),
        "NetworkPerformanceOptions": Default({"BandwidthWeighting": "default"}),
        "Operator": _UNSUPPORTED,
        "SecondaryInterfaces": _UNSUPPORTED,
        "DryRun": Honoured(_RUN + "test_dry_run_launches_nothing"),
        "DisableApiTermination": Honoured(_RUN + "test_disable_api_termination_and_stop_at_launch"),
        "InstanceInitiatedShutdownBehavior": Honoured(_RUN + "test_instance_initiated_shutdown_behavior"),
        "PrivateIpAddress": Honoured("tests/services/ec2/networking/test_launch_interfaces.py::test_private_ip_address"),
        "ClientToken": Honoured(_RUN + "test_client_token_makes_run_instances_idempotent"),
        "AdditionalInfo": _UNSUPPORTED,
        "NetworkInterfaces": Honoured("tests/services/ec2/networking/test_launch_interfaces.py::"
                                      "test_private_ip_address"),
        "IamInstanceProfile": Honoured("tests/services/ec2/test_instance_profiles.py::"
                                       "test_a_launch_with_a_profile_associates_each_instance"),
        "EbsOptimized": Honoured(_OPTIONS + "test_ebs_optimized_at_launch_and_by_modify"),
    },
    "ModifyInstanceAttribute": {
        "SourceDestCheck": Honoured(_OPTIONS + "test_source_dest_check_is_the_primary_interfaces"),
        "DisableApiStop": Honoured(_OPTIONS + "test_disable_api_stop_by_modify_is_enforced"),
        "DryRun": Honoured(_ATTRIBUTES + "test_modify_dry_run"),
        "InstanceId": Honoured(_ATTRIBUTES + "test_modify_unknown_instance"),
        "Attribute": Honoured(_ATTRIBUTES + "test_shutdown_behavior_in_both_forms"),
        "Value": Honoured(_ATTRIBUTES + "test_shutdown_behavior_in_both_forms"),
        "BlockDeviceMappings": Honoured(_I + "test_block_device_mappings.py::"
                                        "test_modify_delete_on_termination_of_an_attached_volume"),
        "DisableApiTermination": Honoured(_ATTRIBUTES + "test_termination_protection_set_by_modify_is_enforced"),
        "InstanceType": Honoured(_ATTRIBUTES + "test_instance_type_in_both_forms_while_stopped"),
        "Kernel": Honoured(_OPTIONS + "test_modify_kernel_and_ramdisk_only_while_stopped"),
        "Ramdisk": Honoured(_OPTIONS + "test_modify_kernel_and_ramdisk_only_while_stopped"),
        "UserData": Honoured(_ATTRIBUTES + "test_user_data_in_both_forms_while_stopped"),
        "InstanceInitiatedShutdownBehavior": Honoured(_ATTRIBUTES + "test_shutdown_behavior_in_both_forms"),
        "Groups": Honoured("tests/services/ec2/networking/test_security_groups.py::test_modify_instance_groups"),
        "EbsOptimized": Honoured(_OPTIONS + "test_ebs_optimized_at_launch_and_by_modify"),
        "SriovNetSupport": Refused("UnsupportedOperation", test=_REFUSED_ATTRIBUTES),
        "EnaSupport": Refused("UnsupportedOperation", test=_REFUSED_ATTRIBUTES),
    },
    "DescribeInstanceAttribute": {
        "DryRun": Honoured(_ATTRIBUTES + "test_describe_dry_run"),
        "InstanceId": Honoured(_ATTRIBUTES + "test_describe_unknown_instance"),
        "Attribute": Honoured(_OPTIONS + "test_kernel_and_ramdisk_at_launch"),
    },
    "MonitorInstances": {
        "InstanceIds": Honoured(_MONITORING + "test_monitor_then_unmonitor_on_the_clock"),
        "DryRun": Honoured(_MONITORING + "test_dry_run_changes_nothing"),
    },
    "UnmonitorInstances": {
        "InstanceIds": Honoured(_MONITORING + "test_monitor_then_unmonitor_on_the_clock"),
        "DryRun": Honoured(_MONITORING + "test_dry_run_changes_nothing"),
    },
    "ModifyInstanceMetadataOptions": {
        "InstanceId": Honoured(_METADATA + "test_modify_metadata_options_pending_then_applied"),
        "HttpTokens": Honoured(_METADATA + "test_modify_metadata_options_pending_then_applied"),
        "HttpPutResponseHopLimit": Honoured(_METADATA + "test_modify_metadata_options_pending_then_applied"),
        "HttpEndpoint": Honoured(_METADATA + "test_modify_metadata_options_pending_then_applied"),
        "HttpProtocolIpv6": Honoured(_METADATA + "test_modify_metadata_options_pending_then_applied"),
        "InstanceMetadataTags": Honoured(_METADATA + "test_modify_metadata_options_pending_then_applied"),
        "DryRun": Honoured(_METADATA + "test_modify_refusals_change_nothing"),
    },
    "GetInstanceMetadataDefaults": {
        "DryRun": Honoured(_METADATA + "test_account_defaults_refusals_change_nothing"),
    },
    "ModifyInstanceMetadataDefaults": {
        "HttpTokens": Honoured(_METADATA + "test_get_and_modify_account_defaults_per_region"),
        "HttpPutResponseHopLimit": Honoured(_METADATA + "test_get_and_modify_account_defaults_per_region"),
        "HttpEndpoint": Honoured(_METADATA + "test_get_and_modify_account_defaults_per_region"),
        "InstanceMetadataTags": Honoured(_METADATA + "test_get_and_modify_account_defaults_per_region"),
        "DryRun": Honoured(_METADATA + "test_account_defaults_refusals_change_nothing"),
        "HttpTokensEnforced": _UNSUPPORTED,
    },
    "DescribeInstanceCreditSpecifications": {
        "DryRun": Honoured(_CREDITS + "test_describe_named_errors"),
        "Filters": Honoured(_CREDITS + "test_describe_without_ids_lists_the_unlimited_ones"),
        "InstanceIds": Honoured(_CREDITS + "test_describe_named_errors"),
        "MaxResults": Honoured(_CREDITS + "test_describe_pages"),
        "NextToken": Honoured(_CREDITS + "test_describe_pages"),
    },
    "ModifyInstanceCreditSpecification": {
        "DryRun": Honoured(_CREDITS + "test_modify_refusals_change_nothing"),
        "ClientToken": _UNSUPPORTED,
        "InstanceCreditSpecifications": Honoured(_CREDITS + "test_modify_answers_per_instance"),
    },
}
