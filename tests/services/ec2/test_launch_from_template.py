"""RunInstances with ``LaunchTemplate`` through boto3 (the template's data merged with the
call's own parameters, tag specifications merged per key, the interface combinations EC2
refuses, the ``aws:ec2launchtemplate:*`` tags) and GetLaunchTemplateData."""

from __future__ import annotations

import base64
from typing import Any

from tests.helpers import error_of, image_id, instance_of


def template(ec2: Any, data: dict[str, Any], name: str = "web") -> str:
    made = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data)
    return str(made["LaunchTemplate"]["LaunchTemplateId"])


def run(ec2: Any, **kwargs: Any) -> dict[str, Any]:
    return dict(ec2.run_instances(MinCount=1, MaxCount=1, **kwargs)["Instances"][0])


def tags_of(instance: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in instance.get("Tags") or []}


def count(ec2: Any) -> int:
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


def test_a_launch_takes_the_templates_data_by_id_or_name_and_version(ec2: Any) -> None:
    image = image_id(ec2)
    template_id = template(ec2, {"ImageId": image, "InstanceType": "t3.micro"})
    ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1",
                                       LaunchTemplateData={"InstanceType": "t3.small"})
    ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1",
                                       LaunchTemplateData={"InstanceType": "t3.large"})
    by_default = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id})
    assert by_default["ImageId"] == image and by_default["InstanceType"] == "t3.micro"
    assert tags_of(by_default) == {"aws:ec2launchtemplate:id": template_id, "aws:ec2launchtemplate:version": "1"}
    assert run(ec2, LaunchTemplate={"LaunchTemplateName": "web", "Version": "2"})["InstanceType"] == "t3.small"
    latest = run(ec2, LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"})
    assert latest["InstanceType"] == "t3.large"
    assert tags_of(latest)["aws:ec2launchtemplate:version"] == "3"
    ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="2")
    default = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id, "Version": "$Default"})
    assert default["InstanceType"] == "t3.small"
    described = instance_of(ec2, default["InstanceId"])
    assert tags_of(described) == {"aws:ec2launchtemplate:id": template_id, "aws:ec2launchtemplate:version": "2"}


def test_the_calls_own_parameters_win(ec2: Any) -> None:
    image = image_id(ec2)
    ec2.create_key_pair(KeyName="template-key", KeyType="ed25519")
    ec2.create_key_pair(KeyName="call-key", KeyType="ed25519")
    template_id = template(ec2, {
        "ImageId": image, "InstanceType": "t3.micro", "KeyName": "template-key", "DisableApiTermination": True,
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20}}],
    })
    own = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id}, InstanceType="t3.small", KeyName="call-key",
              DisableApiTermination=False,
              BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}])
    assert own["InstanceType"] == "t3.small" and own["KeyName"] == "call-key"
    attribute = ec2.describe_instance_attribute(InstanceId=own["InstanceId"], Attribute="disableApiTermination")
    assert attribute["DisableApiTermination"]["Value"] is False
    [volume] = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [own["InstanceId"]]}])[
        "Volumes"]
    assert volume["Size"] == 30
    theirs = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id})
    assert theirs["InstanceType"] == "t3.micro" and theirs["KeyName"] == "template-key"
    attribute = ec2.describe_instance_attribute(InstanceId=theirs["InstanceId"], Attribute="disableApiTermination")
    assert attribute["DisableApiTermination"]["Value"] is True
    [volume] = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [theirs["InstanceId"]]}])[
        "Volumes"]
    assert volume["Size"] == 20


def test_tag_specifications_merge_per_resource_type_and_key(ec2: Any) -> None:
    template_id = template(ec2, {"ImageId": image_id(ec2), "InstanceType": "t3.micro", "TagSpecifications": [
        {"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}, {"Key": "env", "Value": "test"}]},
        {"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "daily"}]}]})
    launched = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id}, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "Name", "Value": "a"}]}])
    assert tags_of(launched) == {"team": "web", "env": "prod", "Name": "a", "aws:ec2launchtemplate:id": template_id,
                                 "aws:ec2launchtemplate:version": "1"}
    [volume] = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [launched["InstanceId"]]}])[
        "Volumes"]
    assert tags_of(volume) == {"backup": "daily"}


def test_launch_template_tags_cannot_be_changed_or_deleted(ec2: Any) -> None:
    template_id = template(ec2, {"ImageId": image_id(ec2), "InstanceType": "t3.micro"})
    instance_id = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id})["InstanceId"]
    reserved = {"Code": "InvalidParameterValue", "Status": 400,
                "Message": "Tag keys starting with 'aws:' are reserved for internal use"}
    assert error_of(ec2.create_tags, Resources=[instance_id],
                    Tags=[{"Key": "aws:ec2launchtemplate:version", "Value": "9"}]) == reserved
    assert error_of(ec2.delete_tags, Resources=[instance_id], Tags=[{"Key": "aws:ec2launchtemplate:id"}]) == reserved
    assert tags_of(instance_of(ec2, instance_id)) == {"aws:ec2launchtemplate:id": template_id,
                                                      "aws:ec2launchtemplate:version": "1"}


def test_template_interfaces_refuse_an_instance_level_subnet_or_groups(ec2: Any) -> None:
    template_id = template(ec2, {"ImageId": image_id(ec2), "InstanceType": "t3.micro",
                                 "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}]})
    subnet_id = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    group_id = ec2.describe_security_groups()["SecurityGroups"][0]["GroupId"]
    spec = {"LaunchTemplateId": template_id}
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate=spec, SubnetId=subnet_id) == {
        "Code": "InvalidParameterCombination", "Status": 400,
        "Message": "Network interfaces and an instance-level subnet ID may not be specified on the same request"}
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate=spec, SecurityGroupIds=[group_id]) == {
        "Code": "InvalidParameterCombination", "Status": 400,
        "Message": "Network interfaces and an instance-level security groups may not be specified on the same "
                   "request"}
    assert count(ec2) == 0
    launched = run(ec2, LaunchTemplate=spec)
    assert len(launched["NetworkInterfaces"]) == 1
    own = run(ec2, LaunchTemplate=spec, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet_id}])
    assert own["SubnetId"] == subnet_id


def test_bad_templates_and_versions_launch_nothing(ec2: Any) -> None:
    template_id = template(ec2, {"InstanceType": "t3.micro", "KeyName": "no-such-key"})
    missing = "lt-0123456789abcdef0"
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": missing}) == {
        "Code": "InvalidLaunchTemplateId.NotFound", "Status": 400,
        "Message": f"The specified launch template, with template ID {missing}, does not exist."}
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "nope"})[
        "Code"] == "InvalidLaunchTemplateName.NotFoundException"
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1,
                    LaunchTemplate={"LaunchTemplateId": template_id, "Version": "5"})[
        "Code"] == "InvalidLaunchTemplateId.VersionNotFound"
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1,
                    LaunchTemplate={"LaunchTemplateId": template_id, "LaunchTemplateName": "web"})[
        "Code"] == "InvalidParameterCombination"
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id}) == {
        "Code": "MissingParameter", "Status": 400, "Message": "The request must contain the parameter ImageId"}
    err = error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id},
                   ImageId=image_id(ec2))
    assert err["Code"] == "InvalidKeyPair.NotFound"
    assert count(ec2) == 0


def test_template_members_runinstances_does_not_take_are_refused_at_launch(ec2: Any) -> None:
    template_id = template(ec2, {"ImageId": image_id(ec2), "InstanceRequirements": {
        "VCpuCount": {"Min": 1}, "MemoryMiB": {"Min": 512}}})
    assert error_of(ec2.run_instances, MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id}) == {
        "Code": "UnsupportedOperation", "Status": 400,
        "Message": "The parameter InstanceRequirements is not supported by this endpoint."}
    assert count(ec2) == 0


def test_get_launch_template_data_of_an_instance_launches_its_like(ec2: Any) -> None:
    ec2.create_key_pair(KeyName="k", KeyType="ed25519")
    instance_id = run(ec2, ImageId=image_id(ec2), InstanceType="t3.small", KeyName="k", DisableApiStop=True,
                      UserData="echo hi", TagSpecifications=[{"ResourceType": "instance",
                                                             "Tags": [{"Key": "Name", "Value": "a"}]}],
                      BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 12}}])["InstanceId"]
    data = ec2.get_launch_template_data(InstanceId=instance_id)["LaunchTemplateData"]
    assert data["ImageId"] == image_id(ec2) and data["InstanceType"] == "t3.small" and data["KeyName"] == "k"
    assert data["DisableApiStop"] is True and data["DisableApiTermination"] is False
    assert data["TagSpecifications"] == [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "a"}]}]
    assert data["BlockDeviceMappings"][0]["DeviceName"] == "/dev/xvda"
    assert data["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 12
    assert data["NetworkInterfaces"][0]["DeviceIndex"] == 0
    assert data["Placement"]["AvailabilityZone"] == instance_of(ec2, instance_id)["Placement"]["AvailabilityZone"]
    assert data["UserData"] == base64.b64encode(b"echo hi").decode()
    for interface in data["NetworkInterfaces"]:
        interface.pop("PrivateIpAddresses")
    template_id = template(ec2, data, name="copy")
    copy = run(ec2, LaunchTemplate={"LaunchTemplateId": template_id})
    assert copy["InstanceType"] == "t3.small" and copy["KeyName"] == "k"
    assert tags_of(copy)["Name"] == "a"
    user_data = ec2.describe_instance_attribute(InstanceId=copy["InstanceId"], Attribute="userData")["UserData"]
    assert user_data == {"Value": data["UserData"]}
    assert error_of(ec2.get_launch_template_data, InstanceId=instance_id, DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.get_launch_template_data, InstanceId="i-0123456789abcdef0")[
        "Code"] == "InvalidInstanceID.NotFound"
