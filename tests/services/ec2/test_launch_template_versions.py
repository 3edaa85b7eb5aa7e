"""A launch template's versions through boto3: CreateLaunchTemplateVersion (numbering,
``SourceVersion``, tokens, the limit), DescribeLaunchTemplateVersions (numbers,
``$Latest``/``$Default``, ranges, filters, pages, account-wide aliases) and
DeleteLaunchTemplateVersions (partial failures with AWS's response codes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ec2emu.app import Emulator
from ec2emu.store import schema
from tests.helpers import error_of

DATA = {"ImageId": "ami-12345678", "InstanceType": "t3.micro"}


def template(ec2: Any, name: str = "web", data: dict[str, Any] | None = None) -> str:
    made = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data or DATA)
    return str(made["LaunchTemplate"]["LaunchTemplateId"])


def versions(ec2: Any, **kwargs: Any) -> list[int]:
    found = ec2.describe_launch_template_versions(**kwargs)["LaunchTemplateVersions"]
    return [version["VersionNumber"] for version in found]


def new_version(ec2: Any, template_id: str, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("LaunchTemplateData", DATA)
    return dict(ec2.create_launch_template_version(LaunchTemplateId=template_id, **kwargs)["LaunchTemplateVersion"])


def test_versions_are_numbered_from_1_and_never_reused(ec2: Any) -> None:
    template_id = template(ec2)
    second = new_version(ec2, template_id, VersionDescription="second")
    assert second["VersionNumber"] == 2 and second["DefaultVersion"] is False
    assert second["VersionDescription"] == "second" and second["LaunchTemplateName"] == "web"
    assert second["CreatedBy"] == "arn:aws:iam::000000000000:root"
    new_version(ec2, template_id)
    ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["3"])
    [described] = ec2.describe_launch_templates()["LaunchTemplates"]
    assert described["LatestVersionNumber"] == 2 and described["DefaultVersionNumber"] == 1
    assert new_version(ec2, template_id)["VersionNumber"] == 4
    assert versions(ec2, LaunchTemplateId=template_id) == [1, 2, 4]


def test_source_version_inherits_then_overrides(ec2: Any) -> None:
    template_id = template(ec2, data={"ImageId": "ami-11111111", "InstanceType": "t3.micro", "KeyName": "k",
                                      "Monitoring": {"Enabled": True}})
    made = new_version(ec2, template_id, SourceVersion="1",
                       LaunchTemplateData={"InstanceType": "m5.large", "Monitoring": {"Enabled": False}})
    assert made["LaunchTemplateData"] == {"ImageId": "ami-11111111", "InstanceType": "m5.large", "KeyName": "k",
                                          "Monitoring": {"Enabled": False}}
    alone = new_version(ec2, template_id, LaunchTemplateData={"InstanceType": "c5.large"})
    assert alone["LaunchTemplateData"] == {"InstanceType": "c5.large"}
    latest = new_version(ec2, template_id, SourceVersion="$Latest", LaunchTemplateData={"KeyName": "other"})
    assert latest["LaunchTemplateData"] == {"InstanceType": "c5.large", "KeyName": "other"}
    err = error_of(ec2.create_launch_template_version, LaunchTemplateId=template_id, SourceVersion="9",
                   LaunchTemplateData=DATA)
    assert err == {"Code": "InvalidLaunchTemplateId.VersionNotFound", "Status": 400,
                   "Message": f"Could not find the specified version 9 for the launch template with ID {template_id}."}
    assert versions(ec2, LaunchTemplateId=template_id) == [1, 2, 3, 4]


def test_create_version_names_its_template_and_refuses_what_it_does_not_honour(ec2: Any) -> None:
    template_id = template(ec2)
    assert new_version(ec2, template_id, ResolveAlias=False)["VersionNumber"] == 2
    by_name = ec2.create_launch_template_version(LaunchTemplateName="web", LaunchTemplateData=DATA)
    assert by_name["LaunchTemplateVersion"]["VersionNumber"] == 3
    assert error_of(ec2.create_launch_template_version, LaunchTemplateName="nope", LaunchTemplateData=DATA)[
        "Code"] == "InvalidLaunchTemplateName.NotFoundException"
    assert error_of(ec2.create_launch_template_version, LaunchTemplateData=DATA)["Code"] == "MissingParameter"
    assert error_of(ec2.create_launch_template_version, LaunchTemplateId=template_id, LaunchTemplateData=DATA,
                    ResolveAlias=True)["Code"] == "UnsupportedOperation"
    assert error_of(ec2.create_launch_template_version, LaunchTemplateId=template_id, LaunchTemplateData=DATA,
                    DryRun=True)["Code"] == "DryRunOperation"
    assert versions(ec2, LaunchTemplateId=template_id) == [1, 2, 3]


def test_a_repeated_client_token_answers_the_version_it_made(ec2: Any) -> None:
    template_id = template(ec2)
    first = new_version(ec2, template_id, ClientToken="same")
    assert new_version(ec2, template_id, ClientToken="same") == first
    assert versions(ec2, LaunchTemplateId=template_id) == [1, 2]


def test_10000_versions_per_template(ec2: Any, emulator: Emulator) -> None:
    template_id = template(ec2)
    with emulator.store.unit_of_work() as uow:
        uow.conn.execute(schema.launch_template_versions.insert(), [
            {"launch_template_id": template_id, "version_number": number, "account_id": "000000000000",
             "region": "us-east-1", "created_by": "x", "create_time": 0.0, "data": "{}"}
            for number in range(2, 10001)])
        uow.conn.execute(sa.update(schema.launch_templates).values(latest_version=10000, issued_version=10000))
    assert error_of(ec2.create_launch_template_version, LaunchTemplateId=template_id, LaunchTemplateData=DATA) == {
        "Code": "MaxTemplateVersionLimitExceeded", "Status": 400,
        "Message": "You've reached the maximum number of versions (10000) for this launch template."}
    ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["5"])
    assert new_version(ec2, template_id)["VersionNumber"] == 10001


def test_describe_versions_by_number_alias_and_range(ec2: Any) -> None:
    template_id = template(ec2)
    for _ in range(4):
        new_version(ec2, template_id)
    ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="3")
    assert versions(ec2, LaunchTemplateId=template_id, Versions=["$Latest", "$Default", "1"]) == [1, 3, 5]
    assert versions(ec2, LaunchTemplateName="web", MinVersion="2", MaxVersion="4") == [2, 3, 4]
    assert versions(ec2, LaunchTemplateName="web", MinVersion="4") == [4, 5]
    assert versions(ec2, LaunchTemplateName="web", MaxVersion="1") == [1]
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, Versions=["7"]) == {
        "Code": "InvalidLaunchTemplateId.VersionNotFound", "Status": 400,
        "Message": f"Could not find the specified version 7 for the launch template with ID {template_id}."}
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, MinVersion="x")[
        "Code"] == "InvalidParameterValue"
    huge = "9" * 30
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, Versions=[huge])[
        "Code"] == "InvalidLaunchTemplateId.VersionNotFound"
    assert error_of(ec2.modify_launch_template, LaunchTemplateId=template_id, DefaultVersion=huge)[
        "Code"] == "InvalidLaunchTemplateId.VersionNotFound"
    assert versions(ec2, LaunchTemplateName="web", MinVersion=huge) == []
    assert versions(ec2, LaunchTemplateName="web", MaxVersion=huge) == [1, 2, 3, 4, 5]
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, Versions=["latest"])[
        "Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, DryRun=True)[
        "Code"] == "DryRunOperation"
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id,
                    IncludeManagedResources=True)["Code"] == "UnsupportedOperation"
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, ResolveAlias=True)[
        "Code"] == "UnsupportedOperation"
    assert versions(ec2, LaunchTemplateId=template_id, ResolveAlias=False, IncludeManagedResources=False) == [
        1, 2, 3, 4, 5]


def test_describe_versions_pages(ec2: Any) -> None:
    template_id = template(ec2)
    for _ in range(4):
        new_version(ec2, template_id)
    first = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, MaxResults=2)
    assert [v["VersionNumber"] for v in first["LaunchTemplateVersions"]] == [1, 2]
    second = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, MaxResults=2,
                                                   NextToken=first["NextToken"])
    assert [v["VersionNumber"] for v in second["LaunchTemplateVersions"]] == [3, 4]
    third = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, MaxResults=2,
                                                  NextToken=second["NextToken"])
    assert [v["VersionNumber"] for v in third["LaunchTemplateVersions"]] == [5] and "NextToken" not in third
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, MaxResults=201)[
        "Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id, NextToken="junk")[
        "Code"] == "InvalidParameterValue"


def test_without_a_template_only_latest_and_default_of_every_template(ec2: Any) -> None:
    first, second, third = template(ec2, "one"), template(ec2, "two"), template(ec2, "three")
    new_version(ec2, first)
    new_version(ec2, second)
    ec2.modify_launch_template(LaunchTemplateId=second, DefaultVersion="2")
    found = ec2.describe_launch_template_versions(Versions=["$Latest", "$Default"])["LaunchTemplateVersions"]
    pairs = sorted((v["LaunchTemplateName"], v["VersionNumber"]) for v in found)
    assert pairs == [("one", 1), ("one", 2), ("three", 1), ("two", 2)]
    defaults = ec2.describe_launch_template_versions(Versions=["$Default"])["LaunchTemplateVersions"]
    assert sorted((v["LaunchTemplateName"], v["VersionNumber"]) for v in defaults) == [
        ("one", 1), ("three", 1), ("two", 2)]
    page = ec2.describe_launch_template_versions(Versions=["$Latest"], MaxResults=2)
    rest = ec2.describe_launch_template_versions(Versions=["$Latest"], MaxResults=2, NextToken=page["NextToken"])
    ids = [v["LaunchTemplateId"] for v in page["LaunchTemplateVersions"] + rest["LaunchTemplateVersions"]]
    assert sorted(ids) == sorted([first, second, third])
    assert error_of(ec2.describe_launch_template_versions, Versions=["1"]) == {
        "Code": "InvalidParameterValue", "Status": 400,
        "Message": "Without a launch template ID or name, only the versions $Latest and $Default may be "
                   "specified."}
    assert error_of(ec2.describe_launch_template_versions)["Code"] == "MissingParameter"


def test_describe_versions_filters(ec2: Any, clock: Any) -> None:
    template_id = template(ec2, data={"ImageId": "ami-11111111", "InstanceType": "t3.micro", "EbsOptimized": True,
                                      "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
                                      "IamInstanceProfile": {"Arn": "arn:aws:iam::000000000000:instance-profile/p"},
                                      "NetworkInterfaces": [{"DeviceIndex": 0, "NetworkCardIndex": 0}]})
    clock.advance(30)
    made = new_version(ec2, template_id, LaunchTemplateData={"ImageId": "ami-22222222", "InstanceType": "m5.large",
                                                             "KernelId": "aki-1", "RamDiskId": "ari-1"})

    def filtered(name: str, *values: str) -> list[int]:
        return versions(ec2, LaunchTemplateId=template_id, Filters=[{"Name": name, "Values": list(values)}])

    assert filtered("image-id", "ami-2*") == [2]
    assert filtered("instance-type", "t3.micro", "m5.large") == [1, 2]
    assert filtered("ebs-optimized", "true") == [1]
    assert filtered("http-tokens", "required") == [1]
    assert filtered("http-endpoint", "enabled") == [1]
    assert filtered("http-protocol-ipv4", "enabled") == [1]
    assert filtered("iam-instance-profile", "arn:aws:iam::000000000000:instance-profile/p") == [1]
    assert filtered("is-default-version", "false") == [2]
    assert filtered("kernel-id", "aki-1") == [2]
    assert filtered("ram-disk-id", "ari-1") == [2]
    assert filtered("network-card-index", "0") == [1]
    assert filtered("host-resource-group-arn", "arn:x") == []
    assert filtered("license-configuration-arn", "arn:x") == []
    stamp = made["CreateTime"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert filtered("create-time", stamp) == [2]
    assert error_of(ec2.describe_launch_template_versions, LaunchTemplateId=template_id,
                    Filters=[{"Name": "tag:Name", "Values": ["x"]}])["Message"] == "The filter 'tag:Name' is invalid"


def test_delete_versions_answers_each_failure_with_aws_codes(ec2: Any) -> None:
    template_id = template(ec2)
    for _ in range(3):
        new_version(ec2, template_id)
    result = ec2.delete_launch_template_versions(LaunchTemplateName="web", Versions=["2", "4", "1", "9", "x",
                                                                                     "9" * 30])
    assert result["SuccessfullyDeletedLaunchTemplateVersions"] == [
        {"LaunchTemplateId": template_id, "LaunchTemplateName": "web", "VersionNumber": 2},
        {"LaunchTemplateId": template_id, "LaunchTemplateName": "web", "VersionNumber": 4}]
    codes = [(item.get("VersionNumber"), item["ResponseError"]["Code"])
             for item in result["UnsuccessfullyDeletedLaunchTemplateVersions"]]
    assert codes == [(1, "unexpectedError"), (9, "launchTemplateVersionDoesNotExist"),
                     (None, "launchTemplateVersionDoesNotExist"), (None, "launchTemplateVersionDoesNotExist")]
    assert versions(ec2, LaunchTemplateId=template_id) == [1, 3]
    [described] = ec2.describe_launch_templates()["LaunchTemplates"]
    assert described["LatestVersionNumber"] == 3


def test_delete_versions_of_a_template_that_is_not_there(ec2: Any) -> None:
    def codes(**named: Any) -> list[str]:
        result = ec2.delete_launch_template_versions(Versions=["1", "2"], **named)
        assert result["SuccessfullyDeletedLaunchTemplateVersions"] == []
        return [item["ResponseError"]["Code"] for item in result["UnsuccessfullyDeletedLaunchTemplateVersions"]]

    assert codes(LaunchTemplateId="lt-0123456789abcdef0") == ["launchTemplateIdDoesNotExist"] * 2
    assert codes(LaunchTemplateId="lt-zz") == ["launchTemplateIdMalformed"] * 2
    assert codes(LaunchTemplateName="nope") == ["launchTemplateNameDoesNotExist"] * 2
    assert codes(LaunchTemplateName="a b") == ["launchTemplateNameMalformed"] * 2
    template_id = template(ec2)
    new_version(ec2, template_id)
    assert error_of(ec2.delete_launch_template_versions, LaunchTemplateId=template_id,
                    Versions=[str(n) for n in range(1, 202)])["Code"] == "InvalidParameterValue"
    assert error_of(ec2.delete_launch_template_versions, LaunchTemplateId=template_id, Versions=["2"],
                    DryRun=True)["Code"] == "DryRunOperation"
    assert versions(ec2, LaunchTemplateId=template_id) == [1, 2]
