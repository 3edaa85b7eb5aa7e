"""Ansible's ``amazon.aws`` network modules against a real server: the playbook
``tests/clients/ansible/vpc_network.yml`` builds a VPC with DNS hostnames, a public
subnet, an internet gateway, a route table sending ``0.0.0.0/0`` to it for the subnet, a
security group admitting SSH from one address and a key pair, launches two instances into
the subnet with the group and the key, and reads them back (``--tags build``); then it
removes all of it in reverse order (``--tags teardown``). Each half changes nothing when
run again. What exists after each half is checked through boto3.

The instances take an IAM instance profile (a role in it, made by ``iam_role`` and
``iam_instance_profile``), their network interfaces are read back (``ec2_eni_info``) and
the first of them gets an Elastic IP (``ec2_eip``), released again in the teardown.

Of the test's wall time, 8 s are the modules' own fixed pauses (``ec2_vpc_route_table``
sleeps 5 s after a change, ``ec2_security_group`` 3 s after creating a group); the
server's transitions take no time (``instant_server``).
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

from tests.clients.ansible_play import message, play
from tests.conftest import ServerProcess

PLAYBOOK = "vpc_network.yml"
PROJECT = [{"Key": "Project", "Value": "ec2emu-network"}]


def inventory(ec2: Any, iam: Any) -> dict[str, list[str]]:
    """Every network resource, Elastic IP, key pair and instance profile of the account, by
    kind."""
    return {
        "addresses": sorted(a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]),
        "instance profiles": sorted(p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]),
        "vpcs": sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]),
        "subnets": sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]),
        "gateways": sorted(g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]),
        "route tables": sorted(t["RouteTableId"] for t in ec2.describe_route_tables()["RouteTables"]),
        "groups": sorted(g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]),
        "key pairs": sorted(k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]),
    }


def built(output: str) -> dict[str, str]:
    """The IDs the build half printed: ``vpc``, ``subnet``, ``igw``, ``rtb``, ``sg``, ``key``,
    ``instances`` (comma-separated)."""
    return dict(re.findall(r"(\w+)=(\S+)", message(output, "built")))


def tags(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((t["Key"], t["Value"]) for t in resource.get("Tags", []))


def check_network(ec2: Any, ids: dict[str, str]) -> None:
    [vpc] = ec2.describe_vpcs(VpcIds=[ids["vpc"]])["Vpcs"]
    assert vpc["CidrBlock"] == "10.42.0.0/16"
    assert tags(vpc) == [("Name", "ec2emu-network"), ("Project", "ec2emu-network")]
    for attribute, member in (("enableDnsHostnames", "EnableDnsHostnames"), ("enableDnsSupport", "EnableDnsSupport")):
        assert ec2.describe_vpc_attribute(VpcId=ids["vpc"], Attribute=attribute)[member] == {"Value": True}

    [subnet] = ec2.describe_subnets(SubnetIds=[ids["subnet"]])["Subnets"]
    assert (subnet["VpcId"], subnet["CidrBlock"], subnet["AvailabilityZone"]) == (
        ids["vpc"], "10.42.1.0/24", "us-east-1a")
    assert subnet["MapPublicIpOnLaunch"] is True

    [gateway] = ec2.describe_internet_gateways(InternetGatewayIds=[ids["igw"]])["InternetGateways"]
    assert gateway["Attachments"] == [{"State": "available", "VpcId": ids["vpc"]}]

    [table] = ec2.describe_route_tables(RouteTableIds=[ids["rtb"]])["RouteTables"]
    assert table["VpcId"] == ids["vpc"]
    assert sorted((r["DestinationCidrBlock"], r["GatewayId"], r["State"]) for r in table["Routes"]) == [
        ("0.0.0.0/0", ids["igw"], "active"), ("10.42.0.0/16", "local", "active")]
    assert [(a["SubnetId"], a["Main"]) for a in table["Associations"]] == [(ids["subnet"], False)]

    [group] = ec2.describe_security_groups(GroupIds=[ids["sg"]])["SecurityGroups"]
    assert (group["GroupName"], group["VpcId"]) == ("ec2emu-network-ssh", ids["vpc"])
    assert group["IpPermissions"] == [{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "UserIdGroupPairs": [], "Ipv6Ranges": [],
        "PrefixListIds": [], "IpRanges": [{"CidrIp": "203.0.113.10/32", "Description": "ssh"}],
    }]
    assert tags(group) == [("Project", "ec2emu-network")]

    [key] = ec2.describe_key_pairs(KeyNames=[ids["key"]])["KeyPairs"]
    assert tags(key) == [("Project", "ec2emu-network")]


def check_instances(ec2: Any, ids: dict[str, str]) -> list[str]:
    launched = sorted(ids["instances"].split(","))
    instances = [i for r in ec2.describe_instances(Filters=[{"Name": "tag:Project", "Values": ["ec2emu-network"]}])[
        "Reservations"] for i in r["Instances"]]
    assert sorted(i["InstanceId"] for i in instances) == launched and len(launched) == 2
    for instance in instances:
        assert instance["State"]["Name"] == "running"
        assert (instance["SubnetId"], instance["VpcId"], instance["KeyName"]) == (ids["subnet"], ids["vpc"], ids["key"])
        assert instance["SecurityGroups"] == [{"GroupId": ids["sg"], "GroupName": "ec2emu-network-ssh"}]
        assert ipaddress.ip_address(instance["PrivateIpAddress"]) in ipaddress.ip_network("10.42.1.0/24")
        assert "PublicIpAddress" in instance  # the subnet maps public addresses
        assert instance["Tags"] == PROJECT
        assert instance["IamInstanceProfile"]["Arn"].endswith(":instance-profile/ec2emu-network")
        [interface] = instance["NetworkInterfaces"]
        assert (interface["SubnetId"], interface["Groups"], interface["Attachment"]["DeviceIndex"]) == (
            ids["subnet"], instance["SecurityGroups"], 0)
    [address] = ec2.describe_addresses(Filters=[{"Name": "tag:Project", "Values": ["ec2emu-network"]}])["Addresses"]
    assert address["InstanceId"] == launched[0]
    [first] = ec2.describe_instances(InstanceIds=[launched[0]])["Reservations"][0]["Instances"]
    assert first["PublicIpAddress"] == address["PublicIp"]
    return launched


def test_build_a_network_launch_into_it_and_tear_it_down(instant_server: ServerProcess, tmp_path: Path) -> None:
    ec2, iam = instant_server.client(), instant_server.client(service="iam")
    before = inventory(ec2, iam)

    changed, output = play(instant_server, tmp_path, PLAYBOOK, "build")
    assert changed == 10  # VPC, subnet, gateway, route table, group, key pair, role, profile, instances, EIP
    ids = built(output)
    check_network(ec2, ids)
    launched = check_instances(ec2, ids)
    after_build = inventory(ec2, iam)
    assert {kind: sorted(set(after_build[kind]) - set(before[kind])) for kind in before} == {
        "vpcs": [ids["vpc"]], "subnets": [ids["subnet"]], "gateways": [ids["igw"]],
        "route tables": sorted([ids["rtb"], vpc_main_table(ec2, ids["vpc"])]),
        "groups": sorted([ids["sg"], vpc_default_group(ec2, ids["vpc"])]), "key pairs": [ids["key"]],
        "addresses": [a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]],
        "instance profiles": ["ec2emu-network"],
    }
    assert len(after_build["addresses"]) == 1

    changed, output = play(instant_server, tmp_path, PLAYBOOK, "build")
    assert (changed, built(output)) == (0, ids)
    assert inventory(ec2, iam) == after_build
    check_instances(ec2, ids)

    changed, output = play(instant_server, tmp_path, PLAYBOOK, "teardown")
    assert changed == 10  # EIP, instances, group, route table, gateway, subnet, VPC, profile, role, key pair
    assert sorted(message(output, "removed").split()) == launched
    assert inventory(ec2, iam) == before
    states = {i["InstanceId"]: i["State"]["Name"]
              for r in ec2.describe_instances(InstanceIds=launched)["Reservations"] for i in r["Instances"]}
    assert states == dict.fromkeys(launched, "terminated")

    changed, _ = play(instant_server, tmp_path, PLAYBOOK, "teardown")
    assert changed == 0
    assert inventory(ec2, iam) == before


def vpc_main_table(ec2: Any, vpc_id: str) -> str:
    [table] = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                 {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    return str(table["RouteTableId"])


def vpc_default_group(ec2: Any, vpc_id: str) -> str:
    [group] = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                    {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    return str(group["GroupId"])
