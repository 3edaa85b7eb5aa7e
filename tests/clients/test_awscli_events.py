"""The AWS CLI's ``aws events`` against a real server: a rule put, listed and described,
and an event put."""

from __future__ import annotations

import json

from tests.clients.test_awscli import Aws, aws  # noqa: F401  (the CLI and its fixture)
from tests.conftest import ServerProcess


def test_put_and_list_a_rule(server: ServerProcess, aws: Aws) -> None:  # noqa: F811
    aws.env["AWS_ENDPOINT_URL_EVENTBRIDGE"] = server.endpoint  # as a user points the CLI's events here
    pattern = json.dumps({"source": ["my.app"]})
    put = aws("events", "put-rule", "--name", "from-cli", "--event-pattern", pattern)
    assert put["RuleArn"].endswith(":rule/from-cli")
    listed = aws("events", "list-rules", "--name-prefix", "from")
    assert [(rule["Name"], rule["EventPattern"], rule["State"]) for rule in listed["Rules"]] == [
        ("from-cli", pattern, "ENABLED")]
    sent = aws("events", "put-events", "--entries", json.dumps([{"Source": "my.app", "DetailType": "t",
                                                                  "Detail": "{}"}]))
    assert sent["FailedEntryCount"] == 0
    missing = aws.run("events", "describe-rule", "--name", "none")
    assert missing.returncode != 0
    assert "An error occurred (ResourceNotFoundException) when calling the DescribeRule operation" in missing.stderr
