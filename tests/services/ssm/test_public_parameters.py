"""AWS's public parameters (``/aws/service/...``) name the catalogue's images, per region,
through GetParameter, GetParameters and GetParametersByPath."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import error_of

AL = "/aws/service/ami-amazon-linux-latest/"
AL2023 = AL + "al2023-ami-kernel-default-x86_64"
NOBLE = "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
WINDOWS = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"


@pytest.fixture
def ssm(make_client: Callable[..., Any]) -> Any:
    return make_client(service="ssm")


def image_named(ec2: Any, name: str) -> str:
    [image] = ec2.describe_images(Filters=[{"Name": "name", "Values": [name]}])["Images"]
    return str(image["ImageId"])


def test_amazon_linux_2023_names_the_catalogue_image_of_each_region(make_client: Callable[..., Any]) -> None:
    values = {}
    for region in ("us-east-1", "eu-west-1"):
        parameter = make_client(region, "ssm").get_parameter(Name=AL2023)["Parameter"]
        ec2 = make_client(region)
        assert parameter["Value"] == image_named(ec2, "al2023-ami-2023.*-kernel-6.1-x86_64")
        assert parameter["ARN"] == f"arn:aws:ssm:{region}::parameter{AL2023}"
        assert (parameter["Name"], parameter["Type"], parameter["DataType"]) == (AL2023, "String", "text")
        assert parameter["Version"] >= 1
        assert parameter["LastModifiedDate"] == dt.datetime(2024, 11, 20, 21, 37, 21, tzinfo=dt.timezone.utc)
        values[region] = parameter["Value"]
    assert values["us-east-1"] != values["eu-west-1"]


def test_each_family_names_an_image_of_its_architecture(ssm: Any, ec2: Any) -> None:
    wanted = {
        AL + "al2023-ami-kernel-6.1-arm64": ("arm64", "137112412989", "text"),
        AL + "amzn2-ami-hvm-x86_64-gp2": ("x86_64", "137112412989", "text"),
        NOBLE: ("x86_64", "099720109477", "aws:ec2:image"),
        NOBLE.replace("24.04", "noble").replace("amd64", "arm64"): ("arm64", "099720109477", "aws:ec2:image"),
        "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id":
            ("x86_64", "099720109477", "aws:ec2:image"),
        WINDOWS: ("x86_64", "801119661308", "text"),
    }
    found = ssm.get_parameters(Names=list(wanted))
    assert found["InvalidParameters"] == []
    assert [p["Name"] for p in found["Parameters"]] == sorted(wanted)
    for parameter in found["Parameters"]:
        [image] = ec2.describe_images(ImageIds=[parameter["Value"]])["Images"]
        assert (image["Architecture"], image["OwnerId"], parameter["DataType"]) == wanted[parameter["Name"]]
    [windows] = [p["Value"] for p in found["Parameters"] if p["Name"] == WINDOWS]
    assert ec2.describe_images(ImageIds=[windows])["Images"][0]["Platform"] == "windows"


def test_unknown_names_are_listed_as_invalid_and_get_parameter_refuses_them(ssm: Any) -> None:
    found = ssm.get_parameters(Names=[AL2023, AL + "no-such-image", "/app/none"])
    assert [p["Name"] for p in found["Parameters"]] == [AL2023]
    assert found["InvalidParameters"] == [AL + "no-such-image", "/app/none"]
    assert error_of(ssm.get_parameter, Name=AL + "no-such-image") == {
        "Code": "ParameterNotFound", "Message": "", "Status": 400}


def test_public_parameters_are_read_by_arn_and_version(ssm: Any) -> None:
    latest = ssm.get_parameter(Name=AL2023)["Parameter"]
    by_arn = ssm.get_parameter(Name=f"arn:aws:ssm:us-east-1::parameter{AL2023}")["Parameter"]
    assert by_arn["Value"] == latest["Value"]
    selected = ssm.get_parameter(Name=f"{AL2023}:{latest['Version']}")["Parameter"]
    assert (selected["Value"], selected["Selector"]) == (latest["Value"], f":{latest['Version']}")
    assert error_of(ssm.get_parameter, Name=f"{AL2023}:99")["Code"] == "ParameterVersionNotFound"


def test_by_path_one_level_or_recursive(ssm: Any) -> None:
    one_level = ssm.get_parameters_by_path(Path="/aws/service/ami-amazon-linux-latest", MaxResults=10)
    names = [p["Name"] for p in one_level["Parameters"]]
    assert AL2023 in names and all(name.startswith(AL) for name in names)
    assert names == sorted(names)
    assert ssm.get_parameters_by_path(Path="/aws/service/canonical")["Parameters"] == []
    deep = ssm.get_parameters_by_path(Path="/aws/service/canonical/ubuntu/server/24.04", Recursive=True)
    assert NOBLE in [p["Name"] for p in deep["Parameters"]]
    assert {p["DataType"] for p in deep["Parameters"]} == {"aws:ec2:image"}


def test_by_path_pages_with_max_results_and_next_token(ssm: Any) -> None:
    names: list[str] = []
    kwargs: dict[str, Any] = {"Path": "/aws/service", "Recursive": True, "MaxResults": 3}
    pages = 0
    while True:
        page = ssm.get_parameters_by_path(**kwargs)
        assert len(page["Parameters"]) <= 3
        names += [p["Name"] for p in page["Parameters"]]
        pages += 1
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages > 2 and names == sorted(set(names)) and AL2023 in names and WINDOWS in names
    assert error_of(ssm.get_parameters_by_path, Path="/aws/service", NextToken="garbage")["Code"] == "InvalidNextToken"


def test_by_path_parameter_filters(ssm: Any) -> None:
    images = ssm.get_parameters_by_path(Path="/aws/service", Recursive=True, ParameterFilters=[
        {"Key": "DataType", "Values": ["aws:ec2:image"]}])["Parameters"]
    assert images and all(p["Name"].startswith("/aws/service/canonical/") for p in images)
    typed = ssm.get_parameters_by_path(Path="/aws/service/ami-windows-latest", ParameterFilters=[
        {"Key": "Type", "Option": "Equals", "Values": ["StringList"]}])
    assert typed["Parameters"] == []
    assert error_of(ssm.get_parameters_by_path, Path="/aws/service", ParameterFilters=[
        {"Key": "Name", "Values": ["x"]}])["Code"] == "InvalidFilterKey"
    assert error_of(ssm.get_parameters_by_path, Path="/aws/service", ParameterFilters=[
        {"Key": "Type", "Option": "BeginsWith", "Values": ["S"]}])["Code"] == "InvalidFilterOption"


def test_with_decryption_changes_nothing_for_strings(ssm: Any) -> None:
    plain = ssm.get_parameter(Name=AL2023)["Parameter"]
    assert ssm.get_parameter(Name=AL2023, WithDecryption=True)["Parameter"] == plain
    assert ssm.get_parameters(Names=[AL2023], WithDecryption=True)["Parameters"] == [plain]
    by_path = ssm.get_parameters_by_path(Path=AL.rstrip("/"), WithDecryption=True)["Parameters"]
    assert plain in by_path
    [history] = ssm.get_parameter_history(Name=AL2023, WithDecryption=True)["Parameters"]
    assert (history["Value"], history["Version"]) == (plain["Value"], plain["Version"])


def test_a_path_must_be_fully_qualified(ssm: Any) -> None:
    error = error_of(ssm.get_parameters_by_path, Path="aws/service")
    assert (error["Code"], error["Status"]) == ("ValidationException", 400)
    assert "aws/service" in error["Message"]
