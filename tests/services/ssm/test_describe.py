"""DescribeParameters (``ParameterFilters``, the older ``Filters``, paging) and the tag
operations on parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import error_of


@pytest.fixture
def ssm(make_client: Callable[..., Any]) -> Any:
    client = make_client(service="ssm")
    client.put_parameter(Name="/app/db/host", Value="h", Type="String", Tags=[{"Key": "team", "Value": "red"}])
    client.put_parameter(Name="/app/db/port", Value="5432", Type="String")
    client.put_parameter(Name="/app/hosts", Value="a,b", Type="StringList", Tags=[{"Key": "team", "Value": "blue"}])
    client.put_parameter(Name="/other/x", Value="x", Type="String")
    client.put_parameter(Name="top", Value="t", Type="String")
    return client


def names(answer: dict[str, Any]) -> list[str]:
    return [p["Name"] for p in answer["Parameters"]]


def test_all_in_name_order_without_values(ssm: Any) -> None:
    answer = ssm.describe_parameters()
    assert names(answer) == ["/app/db/host", "/app/db/port", "/app/hosts", "/other/x", "top"]
    assert all("Value" not in p for p in answer["Parameters"])
    assert answer["Parameters"][0]["ARN"] == "arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host"
    assert {p["Tier"] for p in answer["Parameters"]} == {"Standard"}


def test_pages(ssm: Any) -> None:
    first = ssm.describe_parameters(MaxResults=2)
    assert names(first) == ["/app/db/host", "/app/db/port"]
    second = ssm.describe_parameters(MaxResults=2, NextToken=first["NextToken"])
    third = ssm.describe_parameters(MaxResults=2, NextToken=second["NextToken"])
    assert names(second) + names(third) == ["/app/hosts", "/other/x", "top"] and "NextToken" not in third
    assert error_of(ssm.describe_parameters, NextToken="nope")["Code"] == "InvalidNextToken"


def test_parameter_filters(ssm: Any) -> None:
    def described(*filters: dict[str, Any]) -> list[str]:
        return names(ssm.describe_parameters(ParameterFilters=list(filters)))

    assert described({"Key": "Name", "Option": "BeginsWith", "Values": ["/app/db"]}) == ["/app/db/host",
                                                                                          "/app/db/port"]
    assert described({"Key": "Name", "Values": ["top", "/other/x"]}) == ["/other/x", "top"]
    assert described({"Key": "Name", "Option": "Contains", "Values": ["host"]}) == ["/app/db/host", "/app/hosts"]
    assert described({"Key": "Path", "Values": ["/app"]}) == ["/app/hosts"]
    assert described({"Key": "Path", "Option": "Recursive", "Values": ["/app"]}) == [
        "/app/db/host", "/app/db/port", "/app/hosts"]
    assert described({"Key": "Type", "Values": ["StringList"]}) == ["/app/hosts"]
    assert described({"Key": "DataType", "Values": ["text"]}, {"Key": "Tier", "Values": ["Standard"]}) == names(
        ssm.describe_parameters())
    assert described({"Key": "tag:team", "Values": ["red"]}) == ["/app/db/host"]
    assert described({"Key": "tag:team"}) == ["/app/db/host", "/app/hosts"]
    assert described({"Key": "KeyId", "Values": ["alias/aws/ssm"]}) == []
    assert described({"Key": "Label", "Values": ["prod"]}) == []
    # The model's pattern for a key refuses one it does not know.
    assert error_of(ssm.describe_parameters, ParameterFilters=[{"Key": "Colour", "Values": ["x"]}])[
        "Code"] == "ValidationException"
    error = error_of(ssm.describe_parameters, ParameterFilters=[{"Key": "Path", "Option": "Equals",
                                                                 "Values": ["/app"]}])
    assert (error["Code"], error["Message"]) == (
        "InvalidFilterOption",
        "The following filter option is not valid: Equals. Valid options include: [OneLevel, Recursive].")


def test_the_older_filters(ssm: Any) -> None:
    assert names(ssm.describe_parameters(Filters=[{"Key": "Type", "Values": ["StringList"]}])) == ["/app/hosts"]
    assert names(ssm.describe_parameters(Filters=[{"Key": "Name", "Values": ["top"]}])) == ["top"]
    assert names(ssm.describe_parameters(Filters=[{"Key": "KeyId", "Values": ["k"]}])) == []
    error = error_of(ssm.describe_parameters, Filters=[{"Key": "Type", "Values": ["String"]}],
                     ParameterFilters=[{"Key": "Type", "Values": ["String"]}])
    assert error["Code"] == "ValidationException"


def test_shared_is_honoured_at_its_default_only(ssm: Any) -> None:
    assert len(ssm.describe_parameters(Shared=False)["Parameters"]) == 5
    error = error_of(ssm.describe_parameters, Shared=True)
    assert (error["Code"], error["Message"]) == (
        "ValidationException", "The parameter Shared is not supported by this endpoint.")


def test_tags_added_listed_and_removed(ssm: Any) -> None:
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/app/db/port",
                             Tags=[{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "prod"}])
    listed = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/db/port")["TagList"]
    assert sorted((t["Key"], t["Value"]) for t in listed) == [("env", "prod"), ("team", "red")]
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/app/db/port", TagKeys=["env"])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/db/port")["TagList"] == [
        {"Key": "team", "Value": "red"}]
    assert error_of(ssm.list_tags_for_resource, ResourceType="Document", ResourceId="x")[
        "Code"] == "InvalidResourceType"
    assert error_of(ssm.add_tags_to_resource, ResourceType="Parameter", ResourceId="/none",
                    Tags=[{"Key": "a", "Value": "b"}])["Code"] == "InvalidResourceId"
    assert error_of(ssm.remove_tags_from_resource, ResourceType="Parameter", ResourceId="/none",
                    TagKeys=["a"])["Code"] == "InvalidResourceId"
    many = [{"Key": f"k{n}", "Value": "v"} for n in range(50)]
    assert error_of(ssm.add_tags_to_resource, ResourceType="Parameter", ResourceId="/app/db/port",
                    Tags=many)["Code"] == "TooManyTagsError"
