"""The no-silent-drops rows of key pairs, account attributes, instance state changes and
IAM instance profile associations (:mod:`tests.members.rows`)."""

from tests.members.rows import Honoured, Refused

INSTANCES = "tests/services/ec2/instances/"
EC2 = "tests/services/ec2/"
DRY_RUN = Honoured(EC2 + "test_dry_run.py::test_dry_run_answers_and_changes_nothing")

ROWS = {
    "AssociateIamInstanceProfile": {
        "IamInstanceProfile": Honoured(EC2 + "test_instance_profiles.py::test_associate_replace_and_disassociate"),
        "InstanceId": Honoured(EC2 + "test_instance_profiles.py::test_associate_replace_and_disassociate"),
    },
    "CreateKeyPair": {
        "KeyName": Honoured(EC2 + "test_key_pairs.py::test_every_pair_is_new"),
        "KeyType": Honoured(EC2 + "test_key_pairs.py::test_every_pair_is_new"),
        "TagSpecifications": Honoured(EC2 + "test_key_pairs.py::test_tags_on_key_pairs"),
        "KeyFormat": Honoured(EC2 + "test_key_pairs.py::test_puttygen_reads_the_ppk_files"),
        "DryRun": DRY_RUN,
    },
    "DeleteKeyPair": {
        "KeyName": Honoured(EC2 + "test_key_pairs.py::test_key_pair_actions_check_the_key_pair_arn"),
        "KeyPairId": Honoured(EC2 + "test_key_pairs.py::test_accounts_never_see_each_others_key_pairs"),
        "DryRun": DRY_RUN,
    },
    "DescribeAccountAttributes": {
        "DryRun": DRY_RUN,
        "AttributeNames": Honoured(EC2 + "test_account.py::test_the_default_vpc_is_the_regions"),
    },
    "DescribeIamInstanceProfileAssociations": {
        "AssociationIds": Honoured(EC2 + "test_instance_profiles.py::test_describe_by_ids_filters_and_pages"),
        "Filters": Honoured(EC2 + "test_instance_profiles.py::test_describe_by_ids_filters_and_pages"),
        "MaxResults": Honoured(EC2 + "test_instance_profiles.py::test_describe_by_ids_filters_and_pages"),
        "NextToken": Honoured(EC2 + "test_instance_profiles.py::test_describe_by_ids_filters_and_pages"),
    },
    "DescribeKeyPairs": {
        "KeyNames": Honoured(EC2 + "test_key_pairs.py::test_describe_by_name_and_id_and_both"),
        "KeyPairIds": Honoured(EC2 + "test_key_pairs.py::test_accounts_never_see_each_others_key_pairs"),
        "IncludePublicKey": Honoured(EC2 + "test_key_pairs.py::test_a_created_rsa_pair_is_pkcs1_pem_of_2048_bits_with_the_sha1_fingerprint"),
        "DryRun": DRY_RUN,
        "Filters": Honoured(EC2 + "test_key_pairs.py::test_describe_filters"),
    },
    "DisassociateIamInstanceProfile": {
        "AssociationId": Honoured(EC2 + "test_instance_profiles.py::test_regions_and_accounts_are_apart"),
    },
    "ImportKeyPair": {
        "TagSpecifications": Honoured(EC2 + "test_key_pairs.py::test_key_pair_actions_check_the_key_pair_arn"),
        "DryRun": DRY_RUN,
        "KeyName": Honoured(EC2 + "test_key_pairs.py::test_names_are_unique_per_account_and_region"),
        "PublicKeyMaterial": Honoured(EC2 + "test_key_pairs.py::test_names_are_unique_per_account_and_region"),
    },
    "RebootInstances": {
        "InstanceIds": Honoured(INSTANCES + "test_stop_start_reboot.py::test_reboot_dry_run"),
        "DryRun": DRY_RUN,
    },
    "ReplaceIamInstanceProfileAssociation": {
        "IamInstanceProfile": Honoured(EC2 + "test_instance_profiles.py::test_associate_replace_and_disassociate"),
        "AssociationId": Honoured(EC2 + "test_instance_profiles.py::test_associate_replace_and_disassociate"),
    },
    "StartInstances": {
        "InstanceIds": Honoured(INSTANCES + "test_stop_start_reboot.py::test_start_dry_run"),
        "AdditionalInfo": Refused("UnsupportedOperation"),
        "DryRun": DRY_RUN,
    },
    "StopInstances": {
        "InstanceIds": Honoured(INSTANCES + "test_stop_start_reboot.py::test_stop_dry_run"),
        "Hibernate": Honoured(INSTANCES + "test_stop_start_reboot.py::test_hibernate_an_instance_configured_for_it"),
        "SkipOsShutdown": Honoured(INSTANCES + "test_stop_start_reboot.py::test_force_and_skip_os_shutdown_are_accepted"),
        "DryRun": DRY_RUN,
        "Force": Honoured(INSTANCES + "test_stop_start_reboot.py::test_force_and_skip_os_shutdown_are_accepted"),
    },
    "TerminateInstances": {
        "InstanceIds": Honoured(INSTANCES + "test_terminate_instances.py::test_reference_example_in_every_order"),
        "Force": Honoured(INSTANCES + "test_terminate_instances.py::test_force_and_skip_os_shutdown_are_accepted"),
        "SkipOsShutdown": Honoured(INSTANCES + "test_terminate_instances.py::test_force_and_skip_os_shutdown_are_accepted"),
        "DryRun": DRY_RUN,
    },
}
