"""Tags on rules: PutRule's ``Tags``, TagResource, UntagResource and ListTagsForResource by
the rule's ARN, and their errors."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import error_of

ARN = "arn:aws:events:us-east-1:000000000000:rule/"
PATTERN = json.dumps({"source": ["my.app"]})


def test_tags_given_added_listed_and_removed(events: Any) -> None:
    arn = events.put_rule(Name="tagged", EventPattern=PATTERN, Tags=[{"Key": "team", "Value": "red"}])["RuleArn"]
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "red"}]
    events.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "dev"}])
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "dev"}]
    events.put_rule(Name="tagged", EventPattern=PATTERN, Tags=[{"Key": "ignored", "Value": "x"}])
    events.untag_resource(ResourceARN=arn, TagKeys=["team", "absent"])
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]


def test_tag_errors(events: Any) -> None:
    arn = events.put_rule(Name="few", EventPattern=PATTERN)["RuleArn"]
    assert error_of(events.list_tags_for_resource, ResourceARN=ARN + "none") == {
        "Code": "ResourceNotFoundException", "Status": 400, "Message": "Rule none does not exist on EventBus default."}
    other = "arn:aws:events:us-east-1:123456789012:rule/few"
    assert error_of(events.tag_resource, ResourceARN=other, Tags=[{"Key": "k", "Value": "v"}]) == {
        "Code": "ResourceNotFoundException", "Status": 400, "Message": f"Resource {other} does not exist."}
    bus = "arn:aws:events:us-east-1:000000000000:event-bus/default"
    assert error_of(events.untag_resource, ResourceARN=bus, TagKeys=["k"])["Message"] == (
        f"The value {bus} of parameter ResourceARN is not supported by this endpoint.")
    many = [{"Key": f"k{n}", "Value": "v"} for n in range(51)]
    assert error_of(events.tag_resource, ResourceARN=arn, Tags=many)["Code"] == "LimitExceededException"
    assert events.list_tags_for_resource(ResourceARN=arn)["Tags"] == []
