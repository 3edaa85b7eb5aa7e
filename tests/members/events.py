"""EventBridge's operations: how each member of their inputs is honoured, accepted at AWS's
default only, or refused (format: :mod:`tests.members.rows`)."""

from __future__ import annotations

from tests.members.rows import Honoured, Refused, Row

RULES = "tests/services/events/test_rules.py"
TARGETS = "tests/services/events/test_targets.py"
PUBLISHING = "tests/services/events/test_publishing.py"
TAGGING = "tests/services/events/test_tags.py"
SCHEDULES = "tests/services/events/test_schedules.py::test_put_describe_and_list_a_scheduled_rule"

PUT_DESCRIBE = f"{RULES}::test_put_describe_and_replace_a_rule"
STATES = f"{RULES}::test_enable_disable_and_delete"
PAGES = f"{RULES}::test_list_rules_by_prefix_in_pages"
# EventBusName: the default bus by name or ARN; any other is a bus that does not exist.
BUS = Honoured(f"{RULES}::test_put_rule_refusals_change_nothing")
KEPT = f"{TARGETS}::test_targets_are_kept_as_given"
TARGET_PAGES = f"{TARGETS}::test_remove_and_list_in_pages"
TAGS = f"{TAGGING}::test_tags_given_added_listed_and_removed"
CONNECTIONS = "tests/services/events/test_connections.py"
DESTINATIONS = "tests/services/events/test_api_destinations.py"
CREATED = Honoured(f"{CONNECTIONS}::test_each_type_is_created_and_described_without_its_secrets")
UPDATED = Honoured(f"{CONNECTIONS}::test_update_deauthorize_and_authorize_again")
LISTED = Honoured(f"{CONNECTIONS}::test_list_by_prefix_state_and_in_pages")
DELETED = Honoured(f"{CONNECTIONS}::test_delete_answers_deleting_and_forgets")
DESTINATION = Honoured(f"{DESTINATIONS}::test_create_describe_update_and_delete")
DESTINATION_PAGES = Honoured(f"{DESTINATIONS}::test_list_by_prefix_connection_and_in_pages")
# KMS keys for the secret and private endpoints through VPC Lattice are not served.
# (A sample ``ResourceConfigurationArn`` fails the model's pattern first: the test sends "".)
NOT_SERVED = {"KmsKeyIdentifier": Refused("ValidationException"),
              "InvocationConnectivityParameters": Refused(
                  "ValidationException", f"{CONNECTIONS}::test_refusals_change_nothing")}

ROWS: dict[str, dict[str, Row]] = {
    "PutRule": {
        "Name": Honoured(PUT_DESCRIBE),
        "ScheduleExpression": Honoured(SCHEDULES),
        "EventPattern": Honoured(PUT_DESCRIBE),
        "State": Honoured(PUT_DESCRIBE),
        "Description": Honoured(PUT_DESCRIBE),
        "RoleArn": Refused("ValidationException"),
        "Tags": Honoured(TAGS),
        "EventBusName": BUS,
    },
    "DescribeRule": {
        "Name": Honoured(PUT_DESCRIBE),
        "EventBusName": Honoured(PUT_DESCRIBE),
    },
    "ListRules": {
        "NamePrefix": Honoured(PAGES),
        "EventBusName": BUS,
        "NextToken": Honoured(PAGES),
        "Limit": Honoured(PAGES),
    },
    "EnableRule": {
        "Name": Honoured(STATES),
        "EventBusName": BUS,
    },
    "DisableRule": {
        "Name": Honoured(STATES),
        "EventBusName": BUS,
    },
    "DeleteRule": {
        "Name": Honoured(STATES),
        "EventBusName": BUS,
        "Force": Honoured(f"{RULES}::test_a_rule_with_targets_is_not_deleted_even_with_force"),
    },
    "PutTargets": {
        "Rule": Honoured(KEPT),
        "EventBusName": BUS,
        "Targets": Honoured(KEPT),
    },
    "RemoveTargets": {
        "Rule": Honoured(TARGET_PAGES),
        "EventBusName": BUS,
        "Ids": Honoured(TARGET_PAGES),
        "Force": Honoured(TARGET_PAGES),
    },
    "ListTargetsByRule": {
        "Rule": Honoured(TARGET_PAGES),
        "EventBusName": BUS,
        "NextToken": Honoured(TARGET_PAGES),
        "Limit": Honoured(TARGET_PAGES),
    },
    "PutEvents": {
        "Entries": Honoured(f"{PUBLISHING}::test_accepted_entries_become_events_matched_against_enabled_rules"),
        "EndpointId": Refused("ValidationException", f"{PUBLISHING}::test_an_endpoint_id_is_refused"),
    },
    "TagResource": {
        "ResourceARN": Honoured(TAGS),
        "Tags": Honoured(TAGS),
    },
    "UntagResource": {
        "ResourceARN": Honoured(TAGS),
        "TagKeys": Honoured(TAGS),
    },
    "events:ListTagsForResource": {
        "ResourceARN": Honoured(TAGS),
    },
    "CreateConnection": {
        "Name": CREATED,
        "Description": CREATED,
        "AuthorizationType": CREATED,
        "AuthParameters": CREATED,
        **NOT_SERVED,
    },
    "DescribeConnection": {"Name": CREATED},
    "ListConnections": {
        "NamePrefix": LISTED,
        "ConnectionState": LISTED,
        "NextToken": LISTED,
        "Limit": LISTED,
    },
    "UpdateConnection": {
        "Name": UPDATED,
        "Description": UPDATED,
        "AuthorizationType": UPDATED,
        "AuthParameters": UPDATED,
        **NOT_SERVED,
    },
    "DeleteConnection": {"Name": DELETED},
    "DeauthorizeConnection": {"Name": UPDATED},
    "CreateApiDestination": {
        "Name": DESTINATION,
        "Description": DESTINATION,
        "ConnectionArn": DESTINATION,
        "InvocationEndpoint": DESTINATION,
        "HttpMethod": DESTINATION,
        "InvocationRateLimitPerSecond": DESTINATION,
    },
    "DescribeApiDestination": {"Name": DESTINATION},
    "ListApiDestinations": {
        "NamePrefix": DESTINATION_PAGES,
        "ConnectionArn": DESTINATION_PAGES,
        "NextToken": DESTINATION_PAGES,
        "Limit": DESTINATION_PAGES,
    },
    "UpdateApiDestination": {
        "Name": DESTINATION,
        "Description": DESTINATION,
        "ConnectionArn": DESTINATION,
        "InvocationEndpoint": DESTINATION,
        "HttpMethod": DESTINATION,
        "InvocationRateLimitPerSecond": DESTINATION,
    },
    "DeleteApiDestination": {"Name": DESTINATION},
    "TestEventPattern": {
        "EventPattern": Honoured(f"{PUBLISHING}::test_test_event_pattern"),
        "Event": Honoured(f"{PUBLISHING}::test_test_event_pattern"),
    },
}
