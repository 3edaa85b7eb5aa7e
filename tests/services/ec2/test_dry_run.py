"""``DryRun`` on the networking, key pair, account and instance-state operations: a valid
request with ``DryRun=True`` answers ``DryRunOperation`` (412) and changes nothing.

One world (a VPC with a subnet, an attached and a detached internet gateway, a route
table with an association and a route, a security group with a rule, two network
interfaces — one attached — two Elastic IPs — one associated — a key pair and a running
instance) is built once; every case asks for one change to it as a dry run, and the
world described afterwards is the world described before. (CreateDefaultVpc and
CreateDefaultSubnet, which need a region without them, are in ``networking/test_default_network.py``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import xform_name

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import error_of, launch

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1Z2dhZ2VsdWdnYWdlbHVnZ2FnZWx1Z2dhZ2VsdWdn example")
RULE = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}

Params = Callable[[dict[str, str]], dict[str, Any]]

# Operation -> the request it is asked, made from the world's IDs.
CASES: dict[str, Params] = {
    "AllocateAddress": lambda w: {"Domain": "vpc"},
    "AssociateAddress": lambda w: {"AllocationId": w["free_address"], "NetworkInterfaceId": w["free_interface"]},
    "AssociateRouteTable": lambda w: {"RouteTableId": w["spare_table"], "SubnetId": w["spare_subnet"]},
    "AttachInternetGateway": lambda w: {"InternetGatewayId": w["detached_gateway"], "VpcId": w["spare_vpc"]},
    "AttachNetworkInterface": lambda w: {"NetworkInterfaceId": w["free_interface"], "InstanceId": w["instance"],
                                         "DeviceIndex": 2},
    "AuthorizeSecurityGroupEgress": lambda w: {"GroupId": w["group"], "IpPermissions": [
        {**RULE, "FromPort": 443, "ToPort": 443}]},
    "AuthorizeSecurityGroupIngress": lambda w: {"GroupId": w["group"], "IpPermissions": [
        {**RULE, "FromPort": 443, "ToPort": 443}]},
    "CreateInternetGateway": lambda w: {},
    "CreateKeyPair": lambda w: {"KeyName": "new"},
    "CreateNetworkInterface": lambda w: {"SubnetId": w["subnet"]},
    "CreateRoute": lambda w: {"RouteTableId": w["table"], "DestinationCidrBlock": "192.168.0.0/16",
                              "GatewayId": w["gateway"]},
    "CreateRouteTable": lambda w: {"VpcId": w["vpc"]},
    "CreateSecurityGroup": lambda w: {"GroupName": "new", "Description": "new", "VpcId": w["vpc"]},
    "CreateSubnet": lambda w: {"VpcId": w["vpc"], "CidrBlock": "10.0.9.0/24"},
    "CreateVpc": lambda w: {"CidrBlock": "10.9.0.0/16"},
    "DeleteInternetGateway": lambda w: {"InternetGatewayId": w["detached_gateway"]},
    "DeleteKeyPair": lambda w: {"KeyName": "pair"},
    "DeleteNetworkInterface": lambda w: {"NetworkInterfaceId": w["free_interface"]},
    "DeleteRoute": lambda w: {"RouteTableId": w["table"], "DestinationCidrBlock": "0.0.0.0/0"},
    "DeleteRouteTable": lambda w: {"RouteTableId": w["spare_table"]},
    "DeleteSecurityGroup": lambda w: {"GroupId": w["spare_group"]},
    "DeleteSubnet": lambda w: {"SubnetId": w["spare_subnet"]},
    "DeleteVpc": lambda w: {"VpcId": w["spare_vpc"]},
    "DescribeAccountAttributes": lambda w: {},
    "DescribeAddresses": lambda w: {},
    "DescribeInternetGateways": lambda w: {},
    "DescribeKeyPairs": lambda w: {},
    "DescribeNetworkInterfaceAttribute": lambda w: {"NetworkInterfaceId": w["free_interface"],
                                                    "Attribute": "description"},
    "DescribeNetworkInterfaces": lambda w: {},
    "DescribeRouteTables": lambda w: {},
    "DescribeSecurityGroupRules": lambda w: {},
    "DescribeSecurityGroups": lambda w: {},
    "DescribeSubnets": lambda w: {},
    "DescribeVpcAttribute": lambda w: {"VpcId": w["vpc"], "Attribute": "enableDnsSupport"},
    "DescribeVpcs": lambda w: {},
    "DetachInternetGateway": lambda w: {"InternetGatewayId": w["bare_gateway"], "VpcId": w["bare_vpc"]},
    "DetachNetworkInterface": lambda w: {"AttachmentId": w["attachment"]},
    "DisassociateAddress": lambda w: {"AssociationId": w["address_association"]},
    "DisassociateRouteTable": lambda w: {"AssociationId": w["table_association"]},
    "ImportKeyPair": lambda w: {"KeyName": "imported", "PublicKeyMaterial": PUBLIC_KEY.encode()},
    "ModifyNetworkInterfaceAttribute": lambda w: {"NetworkInterfaceId": w["free_interface"],
                                                  "Description": {"Value": "changed"}},
    "ModifySecurityGroupRules": lambda w: {"GroupId": w["group"], "SecurityGroupRules": [
        {"SecurityGroupRuleId": w["rule"], "SecurityGroupRule": {**_flat(RULE), "FromPort": 2222, "ToPort": 2222}}]},
    "RebootInstances": lambda w: {"InstanceIds": [w["instance"]]},
    "ReleaseAddress": lambda w: {"AllocationId": w["free_address"]},
    "ReplaceRoute": lambda w: {"RouteTableId": w["table"], "DestinationCidrBlock": "0.0.0.0/0",
                               "GatewayId": w["gateway"]},
    "ReplaceRouteTableAssociation": lambda w: {"AssociationId": w["table_association"],
                                               "RouteTableId": w["spare_table"]},
    "RevokeSecurityGroupEgress": lambda w: {"GroupId": w["group"], "SecurityGroupRuleIds": [w["egress_rule"]]},
    "RevokeSecurityGroupIngress": lambda w: {"GroupId": w["group"], "SecurityGroupRuleIds": [w["rule"]]},
    "StartInstances": lambda w: {"InstanceIds": [w["instance"]]},
    "StopInstances": lambda w: {"InstanceIds": [w["instance"]]},
    "TerminateInstances": lambda w: {"InstanceIds": [w["instance"]]},
    "UpdateSecurityGroupRuleDescriptionsEgress": lambda w: {"GroupId": w["group"], "SecurityGroupRuleDescriptions": [
        {"SecurityGroupRuleId": w["egress_rule"], "Description": "changed"}]},
    "UpdateSecurityGroupRuleDescriptionsIngress": lambda w: {"GroupId": w["group"], "SecurityGroupRuleDescriptions": [
        {"SecurityGroupRuleId": w["rule"], "Description": "changed"}]},
}


def _flat(rule: dict[str, Any]) -> dict[str, Any]:
    return {"IpProtocol": rule["IpProtocol"], "FromPort": rule["FromPort"], "ToPort": rule["ToPort"],
            "CidrIpv4": rule["IpRanges"][0]["CidrIp"]}


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="module")
def ec2(tmp_path_factory: pytest.TempPathFactory, clock: ManualClock) -> Iterator[Any]:
    settings = Settings(state_dir=Path(tmp_path_factory.mktemp("dry-run")), durations=DURATIONS,
                        admin_token="test-admin-token")
    app = build_app(settings, clock=clock)
    client = boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                          aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY)
    yield InProcessTransport(app).attach(client)
    app.store.close()


@pytest.fixture(scope="module")
def world(ec2: Any, clock: ManualClock) -> dict[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    spare_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    spare_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    detached = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    bare_vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    bare_gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=bare_gateway, VpcId=bare_vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    spare_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    association = ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)["AssociationId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    group = ec2.create_security_group(GroupName="g", Description="g", VpcId=vpc)["GroupId"]
    spare_group = ec2.create_security_group(GroupName="spare", Description="s", VpcId=vpc)["GroupId"]
    rule = ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[RULE])["SecurityGroupRules"][0]
    egress = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])[
        "SecurityGroupRules"]
    [instance] = launch(ec2, SubnetId=subnet, InstanceType="t3.large")  # three interfaces
    clock.advance(10)  # running
    ec2.import_key_pair(KeyName="pair", PublicKeyMaterial=PUBLIC_KEY.encode())
    free_interface = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    attached = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    attachment = ec2.attach_network_interface(NetworkInterfaceId=attached, InstanceId=instance, DeviceIndex=1)
    free_address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    held = ec2.allocate_address(Domain="vpc")["AllocationId"]
    held_association = ec2.associate_address(AllocationId=held, NetworkInterfaceId=attached)["AssociationId"]
    return {
        "vpc": vpc, "spare_vpc": spare_vpc, "subnet": subnet, "spare_subnet": spare_subnet, "gateway": gateway,
        "detached_gateway": detached, "bare_vpc": bare_vpc, "bare_gateway": bare_gateway, "table": table, "spare_table": spare_table, "table_association": association,
        "group": group, "spare_group": spare_group, "rule": rule["SecurityGroupRuleId"],
        "egress_rule": next(r["SecurityGroupRuleId"] for r in egress if r["IsEgress"]), "instance": instance,
        "free_interface": free_interface, "attachment": attachment["AttachmentId"], "free_address": free_address,
        "address_association": held_association,
    }


def _described(ec2: Any) -> list[Any]:
    return [
        ec2.describe_vpcs()["Vpcs"], ec2.describe_subnets()["Subnets"],
        ec2.describe_internet_gateways()["InternetGateways"], ec2.describe_route_tables()["RouteTables"],
        ec2.describe_security_groups()["SecurityGroups"], ec2.describe_security_group_rules()["SecurityGroupRules"],
        ec2.describe_network_interfaces()["NetworkInterfaces"], ec2.describe_addresses()["Addresses"],
        ec2.describe_key_pairs()["KeyPairs"],
        [(i["InstanceId"], i["State"]["Name"]) for r in ec2.describe_instances()["Reservations"]
         for i in r["Instances"]],
    ]


@pytest.mark.parametrize("operation", sorted(CASES))
def test_dry_run_answers_and_changes_nothing(ec2: Any, world: dict[str, str], operation: str) -> None:
    before = _described(ec2)
    call = getattr(ec2, xform_name(operation))
    assert error_of(call, DryRun=True, **CASES[operation](world)) == {
        "Code": "DryRunOperation", "Message": "Request would have succeeded, but DryRun flag is set.",
        "Status": 412}
    assert _described(ec2) == before
