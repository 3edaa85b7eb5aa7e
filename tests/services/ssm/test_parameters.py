"""Users' own parameters: PutParameter (types, versions, data types, patterns, tags, the
name rules), GetParameter with selectors, DeleteParameter(s), per account and region."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import error_of, image_id

VALIDATION = "ValidationException"


@pytest.fixture
def ssm(make_client: Callable[..., Any]) -> Any:
    return make_client(service="ssm")


def test_put_then_get_a_string(ssm: Any, clock: Any) -> None:
    put = ssm.put_parameter(Name="/app/db/host", Value="db.internal", Type="String")
    assert (put["Version"], put["Tier"]) == (1, "Standard")
    parameter = ssm.get_parameter(Name="/app/db/host")["Parameter"]
    assert (parameter["Name"], parameter["Value"], parameter["Type"], parameter["Version"], parameter["DataType"]) == (
        "/app/db/host", "db.internal", "String", 1, "text")
    assert parameter["ARN"] == "arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host"
    assert parameter["LastModifiedDate"].timestamp() == pytest.approx(clock.now().timestamp(), abs=1)
    one_level = ssm.put_parameter(Name="plain-name", Value="v", Type="StringList")
    assert (one_level["Version"], one_level["Tier"]) == (1, "Standard")
    assert ssm.get_parameter(Name="plain-name")["Parameter"]["ARN"].endswith(":parameter/plain-name")


def test_a_string_list_keeps_its_items(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/hosts", Value="a,b,c", Type="StringList")
    parameter = ssm.get_parameter(Name="/app/hosts")["Parameter"]
    assert (parameter["Type"], parameter["Value"].split(",")) == ("StringList", ["a", "b", "c"])


def test_overwrite_counts_versions_and_selectors_read_old_ones(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/v", Value="one", Type="String")
    assert error_of(ssm.put_parameter, Name="/app/v", Value="two", Type="String") == {
        "Code": "ParameterAlreadyExists", "Status": 400,
        "Message": "The parameter already exists. To overwrite this value, set the overwrite option in the "
                   "request to true."}
    assert ssm.put_parameter(Name="/app/v", Value="two", Overwrite=True)["Version"] == 2
    assert ssm.put_parameter(Name="/app/v", Value="three", Type="String", Overwrite=True)["Version"] == 3
    assert ssm.get_parameter(Name="/app/v")["Parameter"]["Value"] == "three"
    old = ssm.get_parameter(Name="/app/v:1")["Parameter"]
    assert (old["Name"], old["Value"], old["Version"], old["Selector"]) == ("/app/v", "one", 1, ":1")
    both = ssm.get_parameters(Names=["/app/v:2", "/app/v:9", "/app/v"])
    assert [(p["Value"], p["Version"]) for p in both["Parameters"]] == [("three", 3), ("two", 2)]
    assert both["InvalidParameters"] == ["/app/v:9"]
    error = error_of(ssm.get_parameter, Name="/app/v:9")
    assert (error["Code"], error["Message"]) == (
        "ParameterVersionNotFound",
        "Systems Manager could not find version 9 of /app/v. Verify the version and try again.")
    for selector in ("0", "99999999999999999999999", "²", "-1", "prod"):
        assert error_of(ssm.get_parameter, Name=f"/app/v:{selector}")["Code"] == "ParameterVersionNotFound"
    history = ssm.get_parameter_history(Name="/app/v", MaxResults=2)
    assert [p["Value"] for p in history["Parameters"]] == ["one", "two"]
    rest = ssm.get_parameter_history(Name="/app/v", NextToken=history["NextToken"])
    assert [p["Version"] for p in rest["Parameters"]] == [3] and "NextToken" not in rest
    forged = base64.urlsafe_b64encode(json.dumps({"after": 2**70}).encode()).decode()
    assert error_of(ssm.get_parameter_history, Name="/app/v", NextToken=forged)["Code"] == "InvalidNextToken"


def test_unknown_parameters_are_not_found(ssm: Any) -> None:
    assert error_of(ssm.get_parameter, Name="/missing") == {"Code": "ParameterNotFound", "Message": "",
                                                            "Status": 400}
    assert error_of(ssm.delete_parameter, Name="/missing")["Code"] == "ParameterNotFound"
    assert error_of(ssm.get_parameter_history, Name="/missing")["Code"] == "ParameterNotFound"


def test_delete_one_and_many(ssm: Any) -> None:
    for name in ("/a/1", "/a/2", "/a/3"):
        ssm.put_parameter(Name=name, Value="x", Type="String")
    ssm.delete_parameter(Name="/a/1")
    assert error_of(ssm.get_parameter, Name="/a/1")["Code"] == "ParameterNotFound"
    answer = ssm.delete_parameters(Names=["/a/2", "/a/3", "/a/9"])
    assert (answer["DeletedParameters"], answer["InvalidParameters"]) == (["/a/2", "/a/3"], ["/a/9"])
    assert ssm.describe_parameters()["Parameters"] == []
    ssm.put_parameter(Name="/a/2", Value="again", Type="String")
    assert ssm.get_parameter(Name="/a/2")["Parameter"]["Version"] == 1


@pytest.mark.parametrize("name", ["/aws/mine", "aws-thing", "AWSx", "/ssm/x", "ssm.thing", "/app/bad name",
                                  "/app//double", "/app/é"])
def test_reserved_and_malformed_names_are_refused(ssm: Any, name: str) -> None:
    error = error_of(ssm.put_parameter, Name=name, Value="x", Type="String")
    assert (error["Code"], error["Status"]) == (VALIDATION, 400)
    assert error["Message"].startswith('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).')
    assert error_of(ssm.get_parameter, Name=name)["Code"] == "ParameterNotFound"


def test_names_must_be_fully_qualified_and_at_most_15_levels_deep(ssm: Any) -> None:
    error = error_of(ssm.put_parameter, Name="app/db", Value="x", Type="String")
    assert (error["Code"], error["Message"]) == (VALIDATION, "Parameter name must be a fully qualified name.")
    deep = "/" + "/".join(f"l{n}" for n in range(16))
    assert error_of(ssm.put_parameter, Name=deep, Value="x", Type="String")["Code"] == (
        "HierarchyLevelLimitExceededException")
    ssm.put_parameter(Name="/" + "/".join(f"l{n}" for n in range(15)), Value="x", Type="String")


def test_a_new_parameter_needs_a_type(ssm: Any) -> None:
    error = error_of(ssm.put_parameter, Name="/app/untyped", Value="x")
    assert (error["Code"], error["Message"]) == (VALIDATION, "A parameter type is required when you create a parameter.")


def test_secure_strings_kms_keys_and_policies_are_refused_by_name(ssm: Any) -> None:
    error = error_of(ssm.put_parameter, Name="/app/secret", Value="x", Type="SecureString")
    assert (error["Code"], error["Message"]) == (
        "UnsupportedParameterType", "The parameter type SecureString is not supported by this endpoint.")
    error = error_of(ssm.put_parameter, Name="/app/secret", Value="x", Type="String", KeyId="alias/aws/ssm")
    assert (error["Code"], error["Message"]) == (VALIDATION, "The parameter KeyId is not supported by this endpoint.")
    error = error_of(ssm.put_parameter, Name="/app/secret", Value="x", Type="String", Policies="[]")
    assert "Policies" in error["Message"]
    assert error_of(ssm.get_parameter, Name="/app/secret")["Code"] == "ParameterNotFound"


def test_only_the_standard_tier(ssm: Any) -> None:
    assert ssm.put_parameter(Name="/app/t", Value="x", Type="String", Tier="Standard")["Tier"] == "Standard"
    error = error_of(ssm.put_parameter, Name="/app/u", Value="x", Type="String", Tier="Advanced")
    assert (error["Code"], error["Message"]) == (VALIDATION, "The parameter Tier is not supported by this endpoint.")
    assert error_of(ssm.put_parameter, Name="/app/v", Value="x" * 4097, Type="String")["Code"] == VALIDATION


def test_data_type_image_takes_available_image_ids(ssm: Any, ec2: Any) -> None:
    public = image_id(ec2)
    assert ssm.put_parameter(Name="/golden", Value=public, Type="String", DataType="aws:ec2:image")["Version"] == 1
    assert ssm.get_parameter(Name="/golden")["Parameter"]["DataType"] == "aws:ec2:image"
    for value in ("not-an-image", "ami-0123456789abcdef0"):
        error = error_of(ssm.put_parameter, Name="/golden", Value=value, Type="String", DataType="aws:ec2:image",
                         Overwrite=True)
        assert (error["Code"], value in error["Message"]) == (VALIDATION, True)
    assert ssm.get_parameter(Name="/golden")["Parameter"]["Value"] == public
    error = error_of(ssm.put_parameter, Name="/list", Value=public, Type="StringList", DataType="aws:ec2:image")
    assert error["Code"] == VALIDATION
    error = error_of(ssm.put_parameter, Name="/x", Value="1", Type="String", DataType="aws:ssm:integration")
    assert (error["Code"], "aws:ssm:integration" in error["Message"]) == (VALIDATION, True)
    assert ssm.put_parameter(Name="/x", Value="1", Type="String", DataType="text")["Version"] == 1


def test_allowed_pattern_checks_every_version(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/port", Value="8080", Type="String", AllowedPattern=r"^\d+$")
    error = error_of(ssm.put_parameter, Name="/app/port", Value="http", Type="String", Overwrite=True)
    assert (error["Code"], error["Message"]) == (
        "ParameterPatternMismatchException", r"Parameter value, cannot be validated against allowedPattern: ^\d+$")
    assert ssm.put_parameter(Name="/app/port", Value="9090", Overwrite=True)["Version"] == 2
    assert error_of(ssm.put_parameter, Name="/app/bad", Value="x", Type="String",
                    AllowedPattern="(")["Code"] == "InvalidAllowedPatternException"
    [described] = ssm.describe_parameters()["Parameters"]
    assert described["AllowedPattern"] == r"^\d+$"
    ssm.put_parameter(Name="/app/free", Value="anything", Type="String", AllowedPattern="")
    assert "AllowedPattern" not in ssm.describe_parameters(
        ParameterFilters=[{"Key": "Name", "Values": ["/app/free"]}])["Parameters"][0]


def test_description_and_tags_are_kept(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/d", Value="x", Type="String", Description="the d",
                      Tags=[{"Key": "team", "Value": "red"}])
    ssm.put_parameter(Name="/app/d", Value="y", Overwrite=True)
    [described] = ssm.describe_parameters()["Parameters"]
    assert (described["Description"], described["Version"], described["LastModifiedUser"]) == (
        "the d", 2, "arn:aws:iam::000000000000:root")
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/d")["TagList"]
    assert tags == [{"Key": "team", "Value": "red"}]
    error = error_of(ssm.put_parameter, Name="/app/d", Value="z", Overwrite=True, Tags=[{"Key": "a", "Value": "b"}])
    assert (error["Code"], error["Message"].startswith("Invalid request: tags and overwrite can't be used together")
            ) == (VALIDATION, True)
    too_many = [{"Key": f"k{n}", "Value": "v"} for n in range(51)]
    assert error_of(ssm.put_parameter, Name="/app/e", Value="x", Type="String", Tags=too_many)["Code"] == (
        "TooManyTagsError")


def test_parameters_are_per_region(make_client: Callable[..., Any]) -> None:
    east, west = make_client("us-east-1", "ssm"), make_client("us-west-2", "ssm")
    east.put_parameter(Name="/app/where", Value="east", Type="String")
    assert error_of(west.get_parameter, Name="/app/where")["Code"] == "ParameterNotFound"
    west.put_parameter(Name="/app/where", Value="west", Type="String")
    assert east.get_parameter(Name="/app/where")["Parameter"]["Value"] == "east"
    assert west.get_parameter(Name="arn:aws:ssm:us-west-2:000000000000:parameter/app/where")["Parameter"][
        "Value"] == "west"
    assert error_of(west.get_parameter, Name="arn:aws:ssm:us-east-1:000000000000:parameter/app/where")[
        "Code"] == "ParameterNotFound"
