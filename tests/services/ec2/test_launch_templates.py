"""Launch templates through boto3: CreateLaunchTemplate, ModifyLaunchTemplate,
DescribeLaunchTemplates, DeleteLaunchTemplate, tags on ``lt-`` IDs and the quota. Every
refused request is checked for AWS's error and for having changed nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from ec2emu.app import Emulator
from tests.helpers import error_of

LT_ID = re.compile(r"lt-[0-9a-f]{17}")
DATA = {"ImageId": "ami-12345678", "InstanceType": "t3.micro"}
MALFORMED_NAME = {"Code": "InvalidLaunchTemplateName.MalformedException", "Status": 400,
                  "Message": "A launch template name must be between 3 and 128 characters, and may contain "
                             "letters, numbers, and the following characters: - ( ) . / _."}


def create(ec2: Any, name: str = "web", **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("LaunchTemplateData", DATA)
    return dict(ec2.create_launch_template(LaunchTemplateName=name, **kwargs)["LaunchTemplate"])


def names(ec2: Any, **kwargs: Any) -> list[str]:
    return [t["LaunchTemplateName"] for t in ec2.describe_launch_templates(**kwargs)["LaunchTemplates"]]


def test_a_created_template_has_an_id_version_1_and_the_callers_arn(ec2: Any, clock: Any) -> None:
    made = create(ec2, "web-(1).a/b_c")
    assert LT_ID.fullmatch(made["LaunchTemplateId"])
    assert made["LaunchTemplateName"] == "web-(1).a/b_c"
    assert made["DefaultVersionNumber"] == 1 and made["LatestVersionNumber"] == 1
    assert made["CreatedBy"] == "arn:aws:iam::000000000000:root"
    assert made["CreateTime"] == clock.now()
    [described] = ec2.describe_launch_templates(LaunchTemplateIds=[made["LaunchTemplateId"]])["LaunchTemplates"]
    assert described == made
    [version] = ec2.describe_launch_template_versions(LaunchTemplateId=made["LaunchTemplateId"])[
        "LaunchTemplateVersions"]
    assert version["VersionNumber"] == 1 and version["DefaultVersion"] is True
    assert version["LaunchTemplateData"] == DATA


def test_the_data_is_kept_as_given_and_echoed_back(ec2: Any) -> None:
    data = {
        "ImageId": "ami-12345678", "InstanceType": "m5.large", "KeyName": "nowhere",
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3",
                                                                    "DeleteOnTermination": True}}],
        "NetworkInterfaces": [{"DeviceIndex": 0, "Groups": ["sg-12345678"], "AssociatePublicIpAddress": True}],
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 3},
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}],
        "UserData": "ZWNobyBoaQ==", "DisableApiTermination": True, "Monitoring": {"Enabled": True},
    }
    made = create(ec2, LaunchTemplateData=data, VersionDescription="first")
    [version] = ec2.describe_launch_template_versions(LaunchTemplateId=made["LaunchTemplateId"])[
        "LaunchTemplateVersions"]
    assert version["LaunchTemplateData"] == data
    assert version["VersionDescription"] == "first"


@pytest.mark.parametrize("name", ["has space", "star*", "ümlaut", "a,b"])
def test_names_are_up_to_128_characters_of_the_pattern(ec2: Any, name: str) -> None:
    assert error_of(ec2.create_launch_template, LaunchTemplateName=name, LaunchTemplateData=DATA) == MALFORMED_NAME
    assert names(ec2) == []
    create(ec2, "x" * 128)


def test_names_are_unique_per_account_and_region_and_free_again_once_deleted(ec2: Any, make_client: Any) -> None:
    made = create(ec2)
    assert error_of(ec2.create_launch_template, LaunchTemplateName="web", LaunchTemplateData=DATA) == {
        "Code": "InvalidLaunchTemplateName.AlreadyExistsException", "Status": 400,
        "Message": "Launch template name already in use."}
    assert names(ec2) == ["web"]
    create(make_client("us-west-2"))
    create(ec2, "Web")  # names are case-sensitive
    ec2.delete_launch_template(LaunchTemplateId=made["LaunchTemplateId"])
    assert create(ec2)["LaunchTemplateId"] != made["LaunchTemplateId"]


def test_operator_is_refused_by_name(ec2: Any) -> None:
    err = error_of(ec2.create_launch_template, LaunchTemplateName="web", LaunchTemplateData=DATA,
                   Operator={"Principal": "elb"})
    assert err == {"Code": "UnsupportedOperation", "Status": 400,
                   "Message": "The parameter Operator is not supported by this endpoint."}
    assert names(ec2) == []


def test_a_repeated_client_token_answers_the_template_it_made(ec2: Any) -> None:
    first = create(ec2, ClientToken="token-1")
    assert create(ec2, ClientToken="token-1") == first
    assert names(ec2) == ["web"]
    assert error_of(ec2.create_launch_template, LaunchTemplateName="other", LaunchTemplateData=DATA,
                    ClientToken="token-1")["Code"] == "IdempotentParameterMismatch"
    assert names(ec2) == ["web"]


def test_dry_run_creates_modifies_and_deletes_nothing(ec2: Any) -> None:
    assert error_of(ec2.create_launch_template, LaunchTemplateName="web", LaunchTemplateData=DATA,
                    DryRun=True)["Code"] == "DryRunOperation"
    assert names(ec2) == []
    made = create(ec2)
    ec2.create_launch_template_version(LaunchTemplateId=made["LaunchTemplateId"], LaunchTemplateData=DATA)
    assert error_of(ec2.modify_launch_template, LaunchTemplateId=made["LaunchTemplateId"], DefaultVersion="2",
                    DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.delete_launch_template, LaunchTemplateName="web", DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.describe_launch_templates, DryRun=True)["Code"] == "DryRunOperation"
    [kept] = ec2.describe_launch_templates()["LaunchTemplates"]
    assert kept["DefaultVersionNumber"] == 1


def test_tag_specifications_tag_the_template_only(ec2: Any) -> None:
    tags = [{"Key": "team", "Value": "web"}]
    made = create(ec2, TagSpecifications=[{"ResourceType": "launch-template", "Tags": tags}])
    assert made["Tags"] == tags
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [made["LaunchTemplateId"]]}])["Tags"] == [
        {"Key": "team", "Value": "web", "ResourceId": made["LaunchTemplateId"], "ResourceType": "launch-template"}]
    err = error_of(ec2.create_launch_template, LaunchTemplateName="other", LaunchTemplateData=DATA,
                   TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])
    assert err["Code"] == "InvalidParameterValue"
    assert names(ec2) == ["web"]


def test_create_tags_and_delete_tags_work_on_launch_template_ids(ec2: Any) -> None:
    made = create(ec2)
    template_id = made["LaunchTemplateId"]
    ec2.create_tags(Resources=[template_id], Tags=[{"Key": "env", "Value": "prod"}])
    assert names(ec2, Filters=[{"Name": "tag:env", "Values": ["prod"]}]) == ["web"]
    assert names(ec2, Filters=[{"Name": "tag-key", "Values": ["env"]}]) == ["web"]
    ec2.delete_tags(Resources=[template_id], Tags=[{"Key": "env"}])
    assert names(ec2, Filters=[{"Name": "tag-key", "Values": ["env"]}]) == []
    missing = "lt-0123456789abcdef0"
    err = error_of(ec2.create_tags, Resources=[missing], Tags=[{"Key": "env", "Value": "x"}])
    assert err["Code"] == "InvalidLaunchTemplateId.NotFound"


def test_modify_sets_the_default_version(ec2: Any) -> None:
    made = create(ec2)
    template_id = made["LaunchTemplateId"]
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": "ami-2"})
    changed = ec2.modify_launch_template(LaunchTemplateName="web", DefaultVersion="2", ClientToken="t-1")[
        "LaunchTemplate"]
    assert changed["DefaultVersionNumber"] == 2 and changed["LatestVersionNumber"] == 2
    again = ec2.modify_launch_template(LaunchTemplateName="web", DefaultVersion="2", ClientToken="t-1")[
        "LaunchTemplate"]
    assert again == changed
    [default] = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["$Default"])[
        "LaunchTemplateVersions"]
    assert default["VersionNumber"] == 2 and default["DefaultVersion"] is True
    assert error_of(ec2.modify_launch_template, LaunchTemplateId=template_id, DefaultVersion="9") == {
        "Code": "InvalidLaunchTemplateId.VersionNotFound", "Status": 400,
        "Message": f"Could not find the specified version 9 for the launch template with ID {template_id}."}
    assert error_of(ec2.modify_launch_template, LaunchTemplateId=template_id, DefaultVersion="two")[
        "Code"] == "InvalidParameterValue"
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["DefaultVersionNumber"] == 2


def test_templates_are_named_by_id_or_name_and_unknown_ones_answer_aws_errors(ec2: Any) -> None:
    made = create(ec2)
    missing = "lt-0123456789abcdef0"
    assert error_of(ec2.delete_launch_template, LaunchTemplateId=missing) == {
        "Code": "InvalidLaunchTemplateId.NotFound", "Status": 400,
        "Message": f"The specified launch template, with template ID {missing}, does not exist."}
    assert error_of(ec2.delete_launch_template, LaunchTemplateName="timski") == {
        "Code": "InvalidLaunchTemplateName.NotFoundException", "Status": 400,
        "Message": "The specified launch template, with template name timski, does not exist."}
    assert error_of(ec2.delete_launch_template, LaunchTemplateId="lt-nope")["Code"] == (
        "InvalidLaunchTemplateId.Malformed")
    assert error_of(ec2.delete_launch_template, LaunchTemplateName="a b") == MALFORMED_NAME
    assert error_of(ec2.delete_launch_template)["Code"] == "MissingParameter"
    assert error_of(ec2.delete_launch_template, LaunchTemplateId=made["LaunchTemplateId"],
                    LaunchTemplateName="web")["Code"] == "InvalidParameterCombination"
    assert names(ec2) == ["web"]


def test_delete_forgets_the_template_its_versions_and_tags(ec2: Any) -> None:
    made = create(ec2, TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "k", "Value": "v"}]}])
    template_id = made["LaunchTemplateId"]
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData=DATA)
    deleted = ec2.delete_launch_template(LaunchTemplateId=template_id)["LaunchTemplate"]
    assert deleted["LaunchTemplateId"] == template_id and deleted["LatestVersionNumber"] == 2
    assert names(ec2) == []
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [template_id]}])["Tags"] == []
    assert ec2.describe_launch_template_versions(Versions=["$Latest"])["LaunchTemplateVersions"] == []


def test_describe_names_ids_filters_and_pages(ec2: Any, clock: Any) -> None:
    made = [create(ec2, f"app-{index}") for index in range(5)]
    clock.advance(60)
    later = create(ec2, "later")
    ids = [template["LaunchTemplateId"] for template in made]
    assert names(ec2, LaunchTemplateNames=["app-3", "app-1"]) == ["app-3", "app-1"]
    assert names(ec2, LaunchTemplateIds=[ids[2]]) == ["app-2"]
    assert sorted(names(ec2, Filters=[{"Name": "launch-template-name", "Values": ["app-*"]}])) == [
        f"app-{index}" for index in range(5)]
    stamp = later["CreateTime"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert names(ec2, Filters=[{"Name": "create-time", "Values": [stamp]}]) == ["later"]
    seen: list[str] = []
    token = None
    while True:
        page = ec2.describe_launch_templates(MaxResults=2, **({"NextToken": token} if token else {}))
        assert len(page["LaunchTemplates"]) <= 2
        seen += [template["LaunchTemplateName"] for template in page["LaunchTemplates"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(seen) == sorted(names(ec2)) and len(seen) == 6
    assert error_of(ec2.describe_launch_templates, MaxResults=201)["Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_launch_templates, Filters=[{"Name": "image-id", "Values": ["x"]}]) == {
        "Code": "InvalidParameterValue", "Status": 400, "Message": "The filter 'image-id' is invalid"}
    assert error_of(ec2.describe_launch_templates, LaunchTemplateNames=["nothing"])["Code"] == (
        "InvalidLaunchTemplateName.NotFoundException")
    assert error_of(ec2.describe_launch_templates, LaunchTemplateIds=["lt-0123456789abcdef0"])["Code"] == (
        "InvalidLaunchTemplateId.NotFound")
    assert ec2.describe_launch_templates(IncludeManagedResources=False)["LaunchTemplates"]
    assert error_of(ec2.describe_launch_templates, IncludeManagedResources=True)["Code"] == "UnsupportedOperation"


def test_the_quota_is_5000_templates_per_account_and_region(ec2: Any, emulator: Emulator, make_client: Any) -> None:
    with emulator.store.unit_of_work() as uow:
        for index in range(5000):
            uow.launch_templates.insert({
                "launch_template_id": f"lt-{index:017x}", "account_id": "000000000000", "region": "us-east-1",
                "launch_template_name": f"bulk-{index}", "created_by": "x", "create_time": 0.0,
                "default_version": 1, "latest_version": 1, "issued_version": 1, "client_token": None})
    assert error_of(ec2.create_launch_template, LaunchTemplateName="one-more", LaunchTemplateData=DATA) == {
        "Code": "MaxTemplateLimitExceeded", "Status": 400,
        "Message": "You've reached the maximum number of launch templates (5000) for this Region."}
    assert names(ec2, LaunchTemplateNames=["bulk-0"]) == ["bulk-0"]
    create(make_client("us-west-2"), "one-more")
    ec2.delete_launch_template(LaunchTemplateName="bulk-0")
    create(ec2, "one-more")
