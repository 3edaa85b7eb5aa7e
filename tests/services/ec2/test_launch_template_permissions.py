"""What the launch-template actions ask permission for, through boto3 as IAM users of
the accounts file: ``launch-template/<id>`` with its tags, ``launch-template/*`` for a
creation, the template of a launch, and ``CreatedBy`` as the caller's ARN."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id
from tests.services.shared import test_permissions
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, new_user

app, make = test_permissions.app, test_permissions.make
ARN = f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:launch-template/"
DATA = {"ImageId": "ami-12345678", "InstanceType": "t3.micro"}


def refused(call: Any, **kwargs: Any) -> bool:
    error = error_of(call, **kwargs)
    return (error["Code"], error["Status"]) == ("UnauthorizedOperation", 403)


def test_policies_allow_or_deny_launch_template_actions_by_arn_and_tag(make: Any) -> None:
    root = make(ROOT_A)
    mine = root.create_launch_template(LaunchTemplateName="mine", LaunchTemplateData=DATA, TagSpecifications=[
        {"ResourceType": "launch-template", "Tags": [{"Key": "owner", "Value": "builder"}]}])["LaunchTemplate"]
    theirs = root.create_launch_template(LaunchTemplateName="theirs", LaunchTemplateData=DATA)["LaunchTemplate"]
    keys = new_user(make, "builder",
                    {"Effect": "Allow", "Action": "ec2:CreateLaunchTemplate", "Resource": ARN + "*",
                     "Condition": {"StringEquals": {"aws:RequestTag/owner": "builder"}}},
                    {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": ARN + "*"},
                    {"Effect": "Allow", "Action": ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
                                                   "ec2:DeleteLaunchTemplate", "ec2:DeleteLaunchTemplateVersions"],
                     "Resource": ARN + "*", "Condition": {"StringEquals": {"ec2:ResourceTag/owner": "builder"}}},
                    {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})
    user = make(keys)
    tagged = [{"ResourceType": "launch-template", "Tags": [{"Key": "owner", "Value": "builder"}]}]
    made = user.create_launch_template(LaunchTemplateName="new", LaunchTemplateData=DATA,
                                       TagSpecifications=tagged)["LaunchTemplate"]
    assert made["CreatedBy"] == f"arn:aws:iam::{ACCOUNT_A}:user/builder"
    assert refused(user.create_launch_template, LaunchTemplateName="untagged", LaunchTemplateData=DATA)
    version = user.create_launch_template_version(LaunchTemplateName="mine", LaunchTemplateData=DATA)
    assert version["LaunchTemplateVersion"]["CreatedBy"] == f"arn:aws:iam::{ACCOUNT_A}:user/builder"
    assert refused(user.create_launch_template_version, LaunchTemplateId=theirs["LaunchTemplateId"],
                   LaunchTemplateData=DATA)
    user.modify_launch_template(LaunchTemplateId=mine["LaunchTemplateId"], DefaultVersion="2")
    assert refused(user.modify_launch_template, LaunchTemplateName="theirs", DefaultVersion="1")
    assert refused(user.delete_launch_template_versions, LaunchTemplateName="theirs", Versions=["1"])
    assert refused(user.delete_launch_template, LaunchTemplateId=theirs["LaunchTemplateId"])
    user.delete_launch_template(LaunchTemplateName="mine")
    assert sorted(t["LaunchTemplateName"] for t in user.describe_launch_templates()["LaunchTemplates"]) == [
        "new", "theirs"]
    assert error_of(user.delete_launch_template, LaunchTemplateName="gone")["Code"] == (
        "InvalidLaunchTemplateName.NotFoundException")


def test_a_launch_from_a_template_asks_for_the_template(make: Any) -> None:
    root = make(ROOT_A)
    data = {"ImageId": image_id(root), "InstanceType": "t3.micro"}
    allowed = root.create_launch_template(LaunchTemplateName="allowed", LaunchTemplateData=data)["LaunchTemplate"]
    root.create_launch_template(LaunchTemplateName="denied", LaunchTemplateData=data)
    keys = new_user(make, "launcher", {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": ARN + "*",
                     "Condition": {"StringNotEquals": {"aws:ResourceTag/use": "ok"}}})
    root.create_tags(Resources=[allowed["LaunchTemplateId"]], Tags=[{"Key": "use", "Value": "ok"}])
    user = make(keys)
    assert refused(user.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "denied"})
    assert user.describe_instances()["Reservations"] == []
    user.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "allowed"})
    assert len(user.describe_instances()["Reservations"]) == 1


def test_tags_on_launch_templates_are_checked_on_the_template(make: Any) -> None:
    root = make(ROOT_A)
    template_id = root.create_launch_template(LaunchTemplateName="tag-me", LaunchTemplateData=DATA)["LaunchTemplate"][
        "LaunchTemplateId"]
    keys = new_user(make, "tagger", {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": ARN + template_id})
    assert refused(make(keys).create_tags, Resources=[template_id], Tags=[{"Key": "k", "Value": "v"}])
    assert root.describe_tags(Filters=[{"Name": "resource-id", "Values": [template_id]}])["Tags"] == []


def test_get_launch_template_data_asks_for_the_instance(make: Any) -> None:
    root = make(ROOT_A)
    instance_id = root.run_instances(MinCount=1, MaxCount=1, ImageId=image_id(root), InstanceType="t3.micro")[
        "Instances"][0]["InstanceId"]
    instance_arn = f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/"
    keys = new_user(make, "reader", {"Effect": "Allow", "Action": "ec2:GetLaunchTemplateData",
                                     "Resource": instance_arn + instance_id})
    data = make(keys).get_launch_template_data(InstanceId=instance_id)["LaunchTemplateData"]
    assert data["InstanceType"] == "t3.micro"
    denied = new_user(make, "other", {"Effect": "Allow", "Action": "ec2:GetLaunchTemplateData",
                                      "Resource": instance_arn + "i-none"})
    assert refused(make(denied).get_launch_template_data, InstanceId=instance_id)


def test_a_launch_from_a_template_is_checked_with_the_templates_data(make: Any) -> None:
    root = make(ROOT_A)
    root.create_launch_template(LaunchTemplateName="large", LaunchTemplateData={
        "ImageId": image_id(root), "InstanceType": "t3.large"})
    keys = new_user(make, "small-only", {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ec2:RunInstances",
                     "Resource": f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/*",
                     "Condition": {"StringNotEquals": {"ec2:InstanceType": "t3.micro"}}})
    user = make(keys)
    assert refused(user.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "large"})
    assert user.describe_instances()["Reservations"] == []
    launched = user.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "large"},
                                  InstanceType="t3.micro")["Instances"][0]
    assert launched["InstanceType"] == "t3.micro"
