"""No two instances show the same public IPv4 address of Amazon's pool: thousands launched
in batches into one subnet that maps public addresses each show their own, and after a
stop and a start each shows a new one, still its own; an Elastic IP moving off an
instance gives it an address no other instance shows."""

from __future__ import annotations

import ipaddress
from typing import Any

from tests.helpers import launch

BATCHES, PER_BATCH = 4, 1000


def _public_ips(ec2: Any, vpc_id: str) -> dict[str, str | None]:
    """Every instance of the VPC that is not terminated, with the public address it shows."""
    shown: dict[str, str | None] = {}
    pages = ec2.get_paginator("describe_instances").paginate(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}], PaginationConfig={"PageSize": 1000})
    for page in pages:
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                shown[instance["InstanceId"]] = instance.get("PublicIpAddress")
    return shown


def _mapping_subnet(ec2: Any) -> tuple[str, str]:
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.40.0.0/16")["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
    return vpc_id, subnet_id


def _assert_distinct_in_pool(shown: dict[str, str | None], count: int) -> None:
    addresses = [ip for ip in shown.values() if ip is not None]
    assert len(shown) == count and len(addresses) == count
    assert len(set(addresses)) == count
    assert all(ipaddress.IPv4Address(ip) in ipaddress.IPv4Network("3.80.0.0/12") for ip in addresses)


def test_thousands_of_running_instances_show_distinct_addresses_new_after_stop_and_start(
        ec2: Any, clock: Any) -> None:
    vpc_id, subnet_id = _mapping_subnet(ec2)
    ids = [instance_id for _ in range(BATCHES) for instance_id in launch(ec2, PER_BATCH, SubnetId=subnet_id)]
    clock.advance(6)
    first = _public_ips(ec2, vpc_id)
    _assert_distinct_in_pool(first, BATCHES * PER_BATCH)
    for start in range(0, len(ids), PER_BATCH):
        ec2.stop_instances(InstanceIds=ids[start:start + PER_BATCH])
    clock.advance(6)
    assert set(_public_ips(ec2, vpc_id).values()) == {None}
    for start in range(0, len(ids), PER_BATCH):
        ec2.start_instances(InstanceIds=ids[start:start + PER_BATCH])
    clock.advance(6)
    second = _public_ips(ec2, vpc_id)
    _assert_distinct_in_pool(second, BATCHES * PER_BATCH)
    assert all(second[instance_id] != first[instance_id] for instance_id in ids)


def test_an_elastic_ip_moving_off_gives_an_address_no_other_instance_shows(ec2: Any, clock: Any) -> None:
    vpc_id, subnet_id = _mapping_subnet(ec2)
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc_id)
    ids = launch(ec2, 200, SubnetId=subnet_id)
    clock.advance(6)
    before = _public_ips(ec2, vpc_id)
    allocation = ec2.allocate_address(Domain="vpc")
    association = ec2.associate_address(AllocationId=allocation["AllocationId"], InstanceId=ids[0])
    assert _public_ips(ec2, vpc_id)[ids[0]] == allocation["PublicIp"]
    ec2.disassociate_address(AssociationId=association["AssociationId"])
    after = _public_ips(ec2, vpc_id)
    assert after[ids[0]] not in (None, before[ids[0]], allocation["PublicIp"])
    assert {key: value for key, value in after.items() if key != ids[0]} == {
        key: value for key, value in before.items() if key != ids[0]}
    _assert_distinct_in_pool(after, 200)
    clock.advance(6)
    assert _public_ips(ec2, vpc_id)[ids[0]] == after[ids[0]]  # stable within the run
