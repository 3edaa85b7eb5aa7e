"""Ansible's ``amazon.aws.ec2_launch_template`` and ``ec2_instance``'s ``launch_template``
against a real server: the playbook ``tests/clients/ansible/launch_template.yml`` makes a
template (image, type, instance tags, its own tags) and launches one instance from it
(``--tags build``), then removes both (``--tags teardown``). Each half changes nothing when
run again — the module compares the template data it would write with what
DescribeLaunchTemplateVersions answers, so the data must come back as it was given. What
exists after each half is checked through boto3."""

from __future__ import annotations

import re
from pathlib import Path

from tests.clients.ansible_play import message, play
from tests.conftest import ServerProcess

PLAYBOOK = "launch_template.yml"


def test_make_a_template_launch_from_it_and_remove_both(instant_server: ServerProcess, tmp_path: Path) -> None:
    ec2 = instant_server.client()

    changed, output = play(instant_server, tmp_path, PLAYBOOK, "build")
    assert changed == 2  # the template, the instance
    ids = dict(re.findall(r"(\w+)=(\S+)", message(output, "built")))
    [template] = ec2.describe_launch_templates(LaunchTemplateIds=[ids["template"]])["LaunchTemplates"]
    assert template["LaunchTemplateName"] == "ec2emu-template"
    assert template["Tags"] == [{"Key": "Project", "Value": "ec2emu-template"}]
    assert (template["DefaultVersionNumber"], template["LatestVersionNumber"]) == (1, 1)
    [instance_id] = ids["instances"].split(",")
    [instance] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"]
    assert instance["State"]["Name"] == "running" and instance["InstanceType"] == "t3.small"
    assert {t["Key"]: t["Value"] for t in instance["Tags"]} == {
        "Project": "ec2emu-template", "Role": "web", "aws:ec2launchtemplate:id": ids["template"],
        "aws:ec2launchtemplate:version": "1"}

    changed, output = play(instant_server, tmp_path, PLAYBOOK, "build")
    assert changed == 0
    assert dict(re.findall(r"(\w+)=(\S+)", message(output, "built"))) == ids
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["LatestVersionNumber"] == 1

    changed, _ = play(instant_server, tmp_path, PLAYBOOK, "teardown")
    assert changed == 2
    assert ec2.describe_launch_templates()["LaunchTemplates"] == []
    [instance] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"]
    assert instance["State"]["Name"] == "terminated"

    changed, _ = play(instant_server, tmp_path, PLAYBOOK, "teardown")
    assert changed == 0
