"""Input members of DescribeInstances, DescribeInstanceStatus, DescribeTags, CreateTags
and DeleteTags, and the ``Filters`` of DescribeVolumes, DescribeSnapshots and
DescribeImages (their other members are rowed with their families)."""

from __future__ import annotations

from tests.members.rows import Default, Honoured, Row

INSTANCES = "tests/services/ec2/instances/test_describe_instances.py"
INSTANCE_FILTERS = "tests/services/ec2/instances/test_instance_filters.py"
STATUS = "tests/services/ec2/instances/test_instance_status_filters.py"
TAGS = "tests/services/ec2/test_tags.py"
STORAGE = "tests/services/ec2/test_storage_filters.py"

ROWS: dict[str, dict[str, Row]] = {
    "DescribeInstances": {
        "InstanceIds": Honoured(f"{INSTANCES}::test_instance_ids_select_exactly_those"),
        "IncludeManagedResources": Default(False),
        "DryRun": Honoured(f"{INSTANCE_FILTERS}::test_dry_run_checks_the_filters_first"),
        "Filters": Honoured(f"{INSTANCE_FILTERS}::test_filters_combine_with_instance_ids"),
        "NextToken": Honoured(f"{INSTANCES}::test_next_token_pages_through_every_instance_once"),
        "MaxResults": Honoured(f"{INSTANCES}::test_next_token_pages_through_every_instance_once"),
    },
    "DescribeInstanceStatus": {
        "InstanceIds": Honoured(f"{STATUS}::test_include_all_instances_and_instance_ids"),
        "MaxResults": Honoured(f"{STATUS}::test_max_results_and_next_token_page_the_statuses"),
        "NextToken": Honoured(f"{STATUS}::test_max_results_and_next_token_page_the_statuses"),
        "IncludeManagedResources": Default(False),
        "DryRun": Honoured(f"{STATUS}::test_dry_run"),
        "Filters": Honoured(f"{STATUS}::test_zone_state_and_event_filters"),
        "IncludeAllInstances": Honoured(f"{INSTANCES}::test_instance_status_include_all_instances"),
    },
    "DescribeTags": {
        "DryRun": Honoured(f"{TAGS}::test_describe_tags_dry_run"),
        "Filters": Honoured(f"{TAGS}::test_describe_tags_filters"),
        "MaxResults": Honoured(f"{TAGS}::test_describe_tags_paging"),
        "NextToken": Honoured(f"{TAGS}::test_describe_tags_paging"),
    },
    "CreateTags": {
        "DryRun": Honoured(f"{TAGS}::test_create_tags_dry_run"),
        "Resources": Honoured(f"{TAGS}::test_create_tags_shows_in_describe_instances_and_tags"),
        "Tags": Honoured(f"{TAGS}::test_create_tags_shows_in_describe_instances_and_tags"),
    },
    "DeleteTags": {
        "DryRun": Honoured(f"{TAGS}::test_delete_dry_run"),
        "Resources": Honoured(f"{TAGS}::test_delete_by_key_any_value"),
        "Tags": Honoured(f"{TAGS}::test_delete_by_key_and_value"),
    },
    "DescribeVolumes": {"Filters": Honoured(f"{STORAGE}::test_volume_times_and_zone_ids")},
    "DescribeSnapshots": {"Filters": Honoured(f"{STORAGE}::test_snapshot_start_time")},
    "DescribeImages": {"Filters": Honoured("tests/services/ec2/test_filters.py::test_escapes_on_a_store_column_and_in_memory")},
}
