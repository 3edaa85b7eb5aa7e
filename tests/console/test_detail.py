"""An instance's page: its attributes, block devices, interfaces, security groups,
editable tags and state history, each read or changed through EC2 as the principal."""

from __future__ import annotations

import re

from ec2emu.app import Emulator
from tests.console.client import ConsoleClient
from tests.console.conftest import OWNER, ROOT_A, ROOT_B, Make
from tests.helpers import launch


def section(text: str, title: str) -> str:
    return text.split(f"<h2>{title}</h2>")[1].split("<h2>")[0]


def test_detail_shows_every_part(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [one] = launch(ec2, DisableApiTermination=True)
    app.advance(10)
    described = ec2.describe_instances(InstanceIds=[one])["Reservations"][0]["Instances"][0]
    page = admin.get(f"instances/{one}?account={OWNER}")
    assert page.status == 200
    attributes = section(page.text, "Attributes")
    for name in described:  # every member DescribeInstances answers
        if name in ("BlockDeviceMappings", "NetworkInterfaces", "SecurityGroups", "Tags"):
            continue
        assert f"<dt>{name}" in attributes, name
    for name in ("Placement.AvailabilityZone", "State.Name", "MetadataOptions.HttpTokens"):
        assert f"<dt>{name}</dt>" in attributes, name
    assert f"<dd>{described['ImageId']}</dd>" in attributes
    devices = section(page.text, "Block devices")
    mapping = described["BlockDeviceMappings"][0]
    assert mapping["DeviceName"] in devices and mapping["Ebs"]["VolumeId"] in devices
    assert "<td>yes</td>" in devices  # the root volume goes with the instance
    interfaces = section(page.text, "Network interfaces")
    nic = described["NetworkInterfaces"][0]
    assert nic["NetworkInterfaceId"] in interfaces and nic["SubnetId"] in interfaces
    groups = section(page.text, "Security groups")
    assert described["SecurityGroups"][0]["GroupId"] in groups
    assert re.search(r"Termination protection: <strong>on</strong>", page.text)
    history = section(page.text, "State history")
    assert history.index(">running</span>") < history.index(">pending</span>")  # newest first


def test_tags_are_added_and_removed(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [one] = launch(ec2)
    csrf = admin.get(f"instances/{one}?account={OWNER}").csrf()
    added = admin.post(f"instances/{one}/tags", {"csrf": csrf, "account": OWNER, "op": "add", "key": "Name",
                                                  "value": "db <1>"})
    assert added.status == 303
    assert ec2.describe_tags()["Tags"][0]["Value"] == "db <1>"
    assert "db &lt;1&gt;" in section(admin.get(f"instances/{one}?account={OWNER}").text, "Tags")
    bad = admin.post(f"instances/{one}/tags", {"csrf": csrf, "account": OWNER, "op": "add", "key": "aws:x",
                                                "value": "v"})
    assert bad.status == 400 and "InvalidParameterValue" in bad.text
    removed = admin.post(f"instances/{one}/tags", {"csrf": csrf, "account": OWNER, "op": "delete", "key": "Name"})
    assert removed.status == 303 and ec2.describe_tags()["Tags"] == []


def test_history_is_only_the_accounts_own(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    [theirs] = launch(make(ROOT_B))
    page = admin.get(f"instances/{theirs}?account={OWNER}")
    assert page.status == 400 and "InvalidInstanceID.NotFound" in page.text
    assert ">pending</span>" in section(admin.get(f"instances/{theirs}?account=222222222222").text,
                                        "State history")


def test_values_are_checked_as_a_clients_are(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [one] = launch(ec2)
    csrf = admin.get(f"instances/{one}?account={OWNER}").csrf()
    for key, value in (("k" * 129, "v"), ("Name", "v" * 257)):
        refused = admin.post(f"instances/{one}/tags", {"csrf": csrf, "account": OWNER, "op": "add", "key": key,
                                                        "value": value})
        assert refused.status == 400 and "InvalidParameterValue" in refused.text
    assert ec2.describe_tags()["Tags"] == []
    empty = admin.post(f"instances/{one}/tags", {"csrf": csrf, "account": OWNER, "op": "add", "key": "",
                                                  "value": "v"})
    assert empty.status == 400 and ec2.describe_tags()["Tags"] == []


def test_attributes_naming_a_resource_link_to_its_table(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    ec2.create_key_pair(KeyName="deploy")
    [one] = launch(ec2, KeyName="deploy")
    described = ec2.describe_instances(InstanceIds=[one])["Reservations"][0]["Instances"][0]
    attributes = section(admin.get(f"instances/{one}?account={OWNER}").text, "Attributes")
    for name, path, filter_name in (("KeyName", "key-pairs", "key-name"), ("SubnetId", "subnets", "subnet-id"),
                                    ("VpcId", "vpcs", "vpc-id")):
        assert (f"<dt>{name}</dt><dd><a href=\"/_ec2emu/console/{path}?account={OWNER}&amp;region=us-east-1"
                f"&amp;filters={filter_name}%3D{described[name]}\">{described[name]}</a></dd>") in attributes
