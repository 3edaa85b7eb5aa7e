"""Launch templates' members: the eight launch-template operations and RunInstances'
``LaunchTemplate``."""

from __future__ import annotations

from tests.members.rows import Default, Honoured, Refused, Row

T = "tests/services/ec2/test_launch_templates.py::"
V = "tests/services/ec2/test_launch_template_versions.py::"
L = "tests/services/ec2/test_launch_from_template.py::"

ROWS: dict[str, dict[str, Row]] = {
    "CreateLaunchTemplate": {
        "DryRun": Honoured(T + "test_dry_run_creates_modifies_and_deletes_nothing"),
        "ClientToken": Honoured(T + "test_a_repeated_client_token_answers_the_template_it_made"),
        "LaunchTemplateName": Honoured(T + "test_names_are_unique_per_account_and_region_and_free_again_once_deleted"),
        "VersionDescription": Honoured(T + "test_the_data_is_kept_as_given_and_echoed_back"),
        "LaunchTemplateData": Honoured(T + "test_the_data_is_kept_as_given_and_echoed_back"),
        "Operator": Refused("UnsupportedOperation"),
        "TagSpecifications": Honoured(T + "test_tag_specifications_tag_the_template_only"),
    },
    "CreateLaunchTemplateVersion": {
        "DryRun": Honoured(V + "test_create_version_names_its_template_and_refuses_what_it_does_not_honour"),
        "ClientToken": Honoured(V + "test_a_repeated_client_token_answers_the_version_it_made"),
        "LaunchTemplateId": Honoured(V + "test_versions_are_numbered_from_1_and_never_reused"),
        "LaunchTemplateName": Honoured(V + "test_create_version_names_its_template_and_refuses_what_it_does_not_honour"),
        "SourceVersion": Honoured(V + "test_source_version_inherits_then_overrides"),
        "VersionDescription": Honoured(V + "test_versions_are_numbered_from_1_and_never_reused"),
        "LaunchTemplateData": Honoured(V + "test_source_version_inherits_then_overrides"),
        "ResolveAlias": Default(False),
    },
    "ModifyLaunchTemplate": {
        "DryRun": Honoured(T + "test_dry_run_creates_modifies_and_deletes_nothing"),
        "ClientToken": Honoured(T + "test_modify_sets_the_default_version"),
        "LaunchTemplateId": Honoured(T + "test_modify_sets_the_default_version"),
        "LaunchTemplateName": Honoured(T + "test_modify_sets_the_default_version"),
        "DefaultVersion": Honoured(T + "test_modify_sets_the_default_version"),
    },
    "DescribeLaunchTemplates": {
        "DryRun": Honoured(T + "test_dry_run_creates_modifies_and_deletes_nothing"),
        "LaunchTemplateIds": Honoured(T + "test_describe_names_ids_filters_and_pages"),
        "LaunchTemplateNames": Honoured(T + "test_describe_names_ids_filters_and_pages"),
        "Filters": Honoured(T + "test_describe_names_ids_filters_and_pages"),
        "NextToken": Honoured(T + "test_describe_names_ids_filters_and_pages"),
        "MaxResults": Honoured(T + "test_describe_names_ids_filters_and_pages"),
        "IncludeManagedResources": Default(False),
    },
    "DescribeLaunchTemplateVersions": {
        "DryRun": Honoured(V + "test_describe_versions_by_number_alias_and_range"),
        "LaunchTemplateId": Honoured(V + "test_describe_versions_by_number_alias_and_range"),
        "LaunchTemplateName": Honoured(V + "test_describe_versions_by_number_alias_and_range"),
        "Versions": Honoured(V + "test_describe_versions_by_number_alias_and_range"),
        "MinVersion": Honoured(V + "test_describe_versions_by_number_alias_and_range"),
        "MaxVersion": Honoured(V + "test_describe_versions_by_number_alias_and_range"),
        "NextToken": Honoured(V + "test_describe_versions_pages"),
        "MaxResults": Honoured(V + "test_describe_versions_pages"),
        "Filters": Honoured(V + "test_describe_versions_filters"),
        "ResolveAlias": Default(False),
        "IncludeManagedResources": Default(False),
    },
    "DeleteLaunchTemplate": {
        "DryRun": Honoured(T + "test_dry_run_creates_modifies_and_deletes_nothing"),
        "LaunchTemplateId": Honoured(T + "test_delete_forgets_the_template_its_versions_and_tags"),
        "LaunchTemplateName": Honoured(T + "test_templates_are_named_by_id_or_name_and_unknown_ones_answer_aws_errors"),
    },
    "DeleteLaunchTemplateVersions": {
        "DryRun": Honoured(V + "test_delete_versions_of_a_template_that_is_not_there"),
        "LaunchTemplateId": Honoured(V + "test_delete_versions_of_a_template_that_is_not_there"),
        "LaunchTemplateName": Honoured(V + "test_delete_versions_answers_each_failure_with_aws_codes"),
        "Versions": Honoured(V + "test_delete_versions_answers_each_failure_with_aws_codes"),
    },
    "GetLaunchTemplateData": {
        "DryRun": Honoured(L + "test_get_launch_template_data_of_an_instance_launches_its_like"),
        "InstanceId": Honoured(L + "test_get_launch_template_data_of_an_instance_launches_its_like"),
    },
    "RunInstances": {
        "LaunchTemplate": Honoured(L + "test_a_launch_takes_the_templates_data_by_id_or_name_and_version"),
    },
}
