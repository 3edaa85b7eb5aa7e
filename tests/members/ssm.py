"""Systems Manager's operations: how each member of their inputs is honoured, accepted at
AWS's default only, or refused (format: :mod:`tests.members.rows`)."""

from __future__ import annotations

from tests.members.rows import Default, Honoured, Refused, Row

PUBLIC = "tests/services/ssm/test_public_parameters.py"
OWN = "tests/services/ssm/test_parameters.py"
DESCRIBE = "tests/services/ssm/test_describe.py"

DECRYPTION = Honoured(f"{PUBLIC}::test_with_decryption_changes_nothing_for_strings")
TAGS = Honoured(f"{DESCRIBE}::test_tags_added_listed_and_removed")
HISTORY = Honoured(f"{OWN}::test_overwrite_counts_versions_and_selectors_read_old_ones")
PAGES = Honoured(f"{PUBLIC}::test_by_path_pages_with_max_results_and_next_token")

ROWS: dict[str, dict[str, Row]] = {
    "GetParameter": {
        "Name": Honoured(f"{OWN}::test_put_then_get_a_string"),
        "WithDecryption": DECRYPTION,
    },
    "GetParameters": {
        "Names": Honoured(f"{PUBLIC}::test_unknown_names_are_listed_as_invalid_and_get_parameter_refuses_them"),
        "WithDecryption": DECRYPTION,
    },
    "GetParametersByPath": {
        "Path": Honoured(f"{PUBLIC}::test_by_path_one_level_or_recursive"),
        "Recursive": Honoured(f"{PUBLIC}::test_by_path_one_level_or_recursive"),
        "ParameterFilters": Honoured(f"{PUBLIC}::test_by_path_parameter_filters"),
        "WithDecryption": DECRYPTION,
        "MaxResults": PAGES,
        "NextToken": PAGES,
    },
    "PutParameter": {
        "Name": Honoured(f"{OWN}::test_put_then_get_a_string"),
        "Description": Honoured(f"{OWN}::test_description_and_tags_are_kept"),
        "Value": Honoured(f"{OWN}::test_put_then_get_a_string"),
        "Type": Honoured(f"{OWN}::test_a_string_list_keeps_its_items"),
        "KeyId": Refused("ValidationException"),
        "Overwrite": HISTORY,
        "AllowedPattern": Honoured(f"{OWN}::test_allowed_pattern_checks_every_version"),
        "Tags": Honoured(f"{OWN}::test_description_and_tags_are_kept"),
        "Tier": Default("Standard"),
        "Policies": Refused("ValidationException"),
        "DataType": Honoured(f"{OWN}::test_data_type_image_takes_available_image_ids"),
    },
    "DeleteParameter": {
        "Name": Honoured(f"{OWN}::test_delete_one_and_many"),
    },
    "DeleteParameters": {
        "Names": Honoured(f"{OWN}::test_delete_one_and_many"),
    },
    "DescribeParameters": {
        "Filters": Honoured(f"{DESCRIBE}::test_the_older_filters"),
        "ParameterFilters": Honoured(f"{DESCRIBE}::test_parameter_filters"),
        "MaxResults": Honoured(f"{DESCRIBE}::test_pages"),
        "NextToken": Honoured(f"{DESCRIBE}::test_pages"),
        "Shared": Default(False),
    },
    "GetParameterHistory": {
        "Name": HISTORY,
        "WithDecryption": DECRYPTION,
        "MaxResults": HISTORY,
        "NextToken": HISTORY,
    },
    "AddTagsToResource": {"ResourceType": TAGS, "ResourceId": TAGS, "Tags": TAGS},
    "ssm:ListTagsForResource": {"ResourceType": TAGS, "ResourceId": TAGS},
    "RemoveTagsFromResource": {"ResourceType": TAGS, "ResourceId": TAGS, "TagKeys": TAGS},
}
