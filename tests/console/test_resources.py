"""The volumes, snapshots, images, key pairs, VPCs, subnets and security groups tables:
each its Describe operation as the principal, with EC2's filters and paging, linked to
what uses each resource."""

from __future__ import annotations

import re

import pytest

from ec2emu.app import Emulator
from tests.console.client import ConsoleClient
from tests.console.conftest import OWNER, ROOT_A, ROOT_B, Make, new_user
from tests.helpers import launch

TABLES = ["volumes", "snapshots", "images", "key-pairs", "vpcs", "subnets", "security-groups"]


def cells(text: str) -> list[list[str]]:
    body = text.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def hrefs(text: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', text)]


@pytest.mark.parametrize("path", TABLES)
def test_every_table_answers_only_with_a_session(browser: ConsoleClient, admin: ConsoleClient, path: str) -> None:
    assert browser.get(path).status == 303
    page = admin.get(f"{path}?account={OWNER}")
    assert page.status == 200 and "<table" in page.text


def test_volumes_and_snapshots_link_to_each_other_and_to_instances(app: Emulator, make: Make,
                                                                   admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    [instance] = launch(ec2)
    app.advance(10)
    volume = ec2.describe_volumes()["Volumes"][0]["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume, Description="nightly")["SnapshotId"]
    detail = admin.get(f"instances/{instance}?account={OWNER}")
    to_volume = next(h for h in hrefs(detail.text) if "/volumes?" in h and "filters=" in h)
    volumes = admin.get(to_volume)
    assert [row[0] for row in cells(volumes.text)] == [volume]
    assert f"/_ec2emu/console/instances/{instance}?account={OWNER}&region=us-east-1" in hrefs(volumes.text)
    snapshots = admin.get(f"snapshots?account={OWNER}")
    [row] = cells(snapshots.text)
    assert row[0] == snapshot and "nightly" in row
    back = next(h for h in hrefs(snapshots.text) if "/volumes?" in h and "filters=" in h)
    assert [r[0] for r in cells(admin.get(back).text)] == [volume]


def test_networking_tables_link_vpcs_subnets_groups_and_instances(app: Emulator, make: Make,
                                                                  admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    [instance] = launch(ec2, SubnetId=subnet)
    vpcs = admin.get(f"vpcs?account={OWNER}&filters=vpc-id%3D{vpc}")
    [row] = cells(vpcs.text)
    assert row[0] == vpc and "10.9.0.0/16" in row
    links = hrefs(vpcs.text)
    subnets = admin.get(next(h for h in links if "/subnets?" in h and "filters=" in h))
    assert [r[0] for r in cells(subnets.text)] == [subnet]
    groups = admin.get(next(h for h in links if "/security-groups?" in h and "filters=" in h))
    [group] = cells(groups.text)
    assert group[1] == "default"
    instances = admin.get(next(h for h in links if "/instances?" in h and "filters=" in h))
    assert re.findall(r'<tr data-id="(i-[0-9a-f]+)"', instances.text) == [instance]
    by_subnet = admin.get(next(h for h in hrefs(subnets.text) if "/instances?" in h and "filters=" in h))
    assert re.findall(r'<tr data-id="(i-[0-9a-f]+)"', by_subnet.text) == [instance]


def test_key_pairs_and_images_are_the_accounts_own(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    ec2.create_key_pair(KeyName="deploy")
    make(ROOT_B).create_key_pair(KeyName="theirs")
    [instance] = launch(ec2)
    app.advance(10)
    image = ec2.create_image(InstanceId=instance, Name="golden")["ImageId"]
    keys = admin.get(f"key-pairs?account={OWNER}")
    assert [row[0] for row in cells(keys.text)] == ["deploy"] and "secret" not in keys.text.lower()
    images = admin.get(f"images?account={OWNER}")
    assert [row[0] for row in cells(images.text)] == [image]  # not the public catalogue


def test_paging_and_a_bad_filter(app: Emulator, make: Make, admin: ConsoleClient) -> None:
    ec2 = make(ROOT_A)
    for n in range(55):
        ec2.create_security_group(GroupName=f"g{n}", Description="d")
    first = admin.get(f"security-groups?account={OWNER}")
    assert len(cells(first.text)) == 50
    second = admin.get(next(h for h in hrefs(first.text) if "next=" in h))
    assert len(cells(second.text)) == 6  # 55 and the default group
    bad = admin.get(f"subnets?account={OWNER}&filters=bogus%3D1")
    assert "InvalidParameterValue" in bad.text and "bogus" in bad.text


def test_a_user_denied_a_describe_sees_aws_reason(app: Emulator, make: Make) -> None:
    key = new_user(make, "instances-only", {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"})
    user = ConsoleClient(app)
    user.sign_in(access_key_id=key[0], secret_access_key=key[1])
    page = user.get("volumes")
    assert page.status == 200 and "UnauthorizedOperation" in page.text
