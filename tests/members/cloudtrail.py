"""CloudTrail's operations: how each member of their inputs is honoured, accepted at AWS's
default only, or refused (format: :mod:`tests.members.rows`)."""

from __future__ import annotations

from tests.members.rows import Honoured, Refused, Row

LOOKUP = "tests/services/cloudtrail/test_lookup_events.py"

ROWS: dict[str, dict[str, Row]] = {
    "LookupEvents": {
        "LookupAttributes": Honoured(f"{LOOKUP}::test_each_lookup_attribute_finds_its_events"),
        "StartTime": Honoured(f"{LOOKUP}::test_a_time_window_holds_the_events_between_its_ends"),
        "EndTime": Honoured(f"{LOOKUP}::test_a_time_window_holds_the_events_between_its_ends"),
        "EventCategory": Refused("UnsupportedOperationException"),
        "MaxResults": Honoured(f"{LOOKUP}::test_pages_are_newest_first_and_tokens_keep_their_parameters"),
        "NextToken": Honoured(f"{LOOKUP}::test_pages_are_newest_first_and_tokens_keep_their_parameters"),
    },
}
