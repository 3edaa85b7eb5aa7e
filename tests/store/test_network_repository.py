"""The VPC and subnet repositories' contract, on SQLite and PostgreSQL: rows with their
CIDR blocks, criteria on those blocks, updates and deletes (tags go too), the scopes
whose network is stored, and the addresses held as the clock shows them."""

from __future__ import annotations

from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import Match, Moment, Store
from tests.store.conftest import ACCOUNT, REGION, make_instance_row, make_interface_row
from tests.store.test_network_query_plans import subnet_row, vpc_row


def test_vpcs_with_their_blocks(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert uow.vpcs.is_stored(ACCOUNT, REGION) is False
        uow.vpcs.mark_stored(ACCOUNT, REGION)
        uow.vpcs.insert(vpc_row("vpc-00000000000000001", "10.1.0.0/16"))
        uow.vpcs.insert(vpc_row("vpc-00000000000000002", "10.2.0.0/16"))
        uow.vpcs.add_cidr_block({"association_id": "vpc-cidr-assoc-9", "vpc_id": "vpc-00000000000000002",
                                 "account_id": ACCOUNT, "region": REGION, "cidr_block": "10.9.0.0/16",
                                 "state": "associated", "position": 1})
        uow.tags.put(ACCOUNT, REGION, "vpc-00000000000000002", "vpc", [("Name", "two")])
    with store.unit_of_work() as uow:
        assert uow.vpcs.is_stored(ACCOUNT, REGION) is True
        assert uow.vpcs.is_stored(ACCOUNT, "us-west-2") is False
        assert uow.vpcs.count(ACCOUNT, REGION) == 2
        two = uow.vpcs.get(ACCOUNT, REGION, ["vpc-00000000000000002"])["vpc-00000000000000002"]
        assert [b["cidr_block"] for b in two["cidr_blocks"]] == ["10.2.0.0/16", "10.9.0.0/16"]
        found = uow.vpcs.find(ACCOUNT, REGION, [Match("cidr_blocks.cidr_block", ("10.9.0.0/16",))])
        assert [row["vpc_id"] for row in found] == ["vpc-00000000000000002"]
        assert uow.vpcs.get(ACCOUNT, "us-west-2", ["vpc-00000000000000002"]) == {}
        assert uow.vpcs.cidr_block(ACCOUNT, REGION, "vpc-cidr-assoc-9")["cidr_block"] == "10.9.0.0/16"
        assert uow.vpcs.cidr_block("111111111111", REGION, "vpc-cidr-assoc-9") is None
        uow.vpcs.update("vpc-00000000000000001", {"enable_dns_hostnames": True})
        uow.vpcs.remove_cidr_block("vpc-cidr-assoc-9")
        uow.vpcs.delete("vpc-00000000000000002")
    with store.unit_of_work() as uow:
        assert [row["vpc_id"] for row in uow.vpcs.find(ACCOUNT, REGION)] == ["vpc-00000000000000001"]
        assert uow.vpcs.find(ACCOUNT, REGION)[0]["enable_dns_hostnames"] is True
        assert uow.vpcs.cidr_block(ACCOUNT, REGION, "vpc-cidr-assoc-9") is None
        assert uow.tags.for_resources(ACCOUNT, REGION, ["vpc-00000000000000002"]) == {}


def test_subnets_and_the_addresses_their_instances_hold(store: Store) -> None:
    subnet = "subnet-00000000000000001"
    with store.unit_of_work() as uow:
        uow.subnets.insert([subnet_row(subnet, "vpc-00000000000000001", "10.1.0.0/24", "us-east-1a"),
                            subnet_row("subnet-00000000000000002", "vpc-00000000000000001", "10.1.1.0/24", "us-east-1b")])
        instances = [
            make_instance_row(subnet_id=subnet, private_ip="10.1.0.4", state="running"),
            make_instance_row(subnet_id=subnet, private_ip="10.1.0.5", state="shutting-down", due_at=100.0),
        ]
        uow.instances.insert(instances)
        uow.network_interfaces.insert([make_interface_row(row["instance_id"], subnet_id=subnet,
                                                          private_ip=row["private_ip"]) for row in instances])
        uow.tags.put(ACCOUNT, REGION, subnet, "subnet", [("tier", "web")])
    with store.unit_of_work() as uow:
        assert uow.subnets.count_in_vpc(ACCOUNT, REGION, "vpc-00000000000000001") == 2
        assert [row["subnet_id"] for row in uow.subnets.in_vpc(ACCOUNT, REGION, "vpc-00000000000000001")] == [
            subnet, "subnet-00000000000000002"]
        assert uow.subnets.addresses_held([subnet]) == {subnet: 2}
        # Once the termination is due, readers see the address free (the settler has not run).
        uow.moment = Moment(200.0, Durations())
        assert uow.subnets.addresses_held([subnet]) == {subnet: 1}
        assert uow.subnets.held_among(subnet, ["10.1.0.4", "10.1.0.5"]) == {"10.1.0.4"}
        uow.moment = Moment(200.0 + Durations().terminated_retention + 1, Durations())
        assert uow.subnets.addresses_held([subnet]) == {subnet: 1}
    with store.unit_of_work() as uow:
        uow.subnets.update(subnet, {"map_public_ip_on_launch": True})
        uow.subnets.delete("subnet-00000000000000002")
    with store.unit_of_work() as uow:
        [row] = uow.subnets.find(ACCOUNT, REGION)
        assert row["map_public_ip_on_launch"] is True
        uow.subnets.delete(subnet)
        assert uow.tags.for_resources(ACCOUNT, REGION, [subnet]) == {}
