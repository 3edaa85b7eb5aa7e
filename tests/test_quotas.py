"""Service quotas: AWS's defaults, an account's own from the accounts file, and files
that give quotas badly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from ec2emu.app import Emulator, build_app
from ec2emu.auth.credentials import AccountsFileError, configured_credentials
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.quotas import QUOTAS, Quotas, configured_quotas
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import error_of, image_id

ACCOUNTS = """
[[accounts]]
account_id = "111111111111"
[[accounts.root_keys]]
access_key_id = "AKIATIGHT00000000001"
secret_access_key = "tight"
[accounts.quotas]
vpcs-per-region = 2
subnets-per-vpc = 1
ipv4-cidr-blocks-per-vpc = 2
internet-gateways-per-region = 2
route-tables-per-vpc = 2
routes-per-route-table = 1
security-groups-per-region = 3
rules-per-security-group = 2
security-groups-per-interface = 2
elastic-ips-per-region = 1

[[accounts]]
account_id = "222222222222"
[[accounts.root_keys]]
access_key_id = "AKIALOOSE00000000001"
secret_access_key = "loose"
"""


def test_defaults_are_aws_s() -> None:
    quotas = Quotas()
    assert quotas.of("123456789012", "vpcs-per-region") == 5
    assert quotas.of("123456789012", "subnets-per-vpc") == 200
    assert quotas.of("123456789012", "ipv4-cidr-blocks-per-vpc") == 5
    assert quotas.of("123456789012", "internet-gateways-per-region") == 5
    assert quotas.of("123456789012", "route-tables-per-vpc") == 200
    assert quotas.of("123456789012", "routes-per-route-table") == 50
    assert quotas.of("123456789012", "security-groups-per-region") == 2500
    assert quotas.of("123456789012", "rules-per-security-group") == 60
    assert quotas.of("123456789012", "security-groups-per-interface") == 5
    assert quotas.of("123456789012", "elastic-ips-per-region") == 5
    assert quotas.of("123456789012", "launch-templates-per-region") == 5000
    assert quotas.of("123456789012", "event-connections-per-region") == 3000
    assert quotas.of("123456789012", "api-destinations-per-region") == 3000
    assert set(QUOTAS) == {"event-connections-per-region", "api-destinations-per-region","vpcs-per-region", "subnets-per-vpc", "ipv4-cidr-blocks-per-vpc",
                           "internet-gateways-per-region", "route-tables-per-vpc", "routes-per-route-table",
                           "security-groups-per-region", "rules-per-security-group", "security-groups-per-interface",
                           "elastic-ips-per-region", "launch-templates-per-region"}


def test_an_account_s_own_quotas(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(ACCOUNTS)
    quotas = configured_quotas(path)
    assert quotas.of("111111111111", "vpcs-per-region") == 2
    assert quotas.of("222222222222", "vpcs-per-region") == 5
    assert configured_quotas(None) == Quotas()


@pytest.mark.parametrize(("text", "message"), [
    ('[[accounts]]\naccount_id = "111111111111"\n[accounts.quotas]\nvpcs = 3\n', "unknown quota(s) vpcs"),
    ('[[accounts]]\naccount_id = "111111111111"\n[accounts.quotas]\nvpcs-per-region = -1\n',
     "vpcs-per-region must be a whole number"),
    ('[[accounts]]\naccount_id = "111111111111"\n[accounts.quotas]\nvpcs-per-region = "5"\n',
     "vpcs-per-region must be a whole number"),
    ('[[accounts]]\naccount_id = "111111111111"\nquotas = 5\n', "quotas must be a table"),
])
def test_bad_quotas_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(text)
    with pytest.raises(AccountsFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        configured_credentials(path)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Emulator]:
    path = tmp_path / "accounts.toml"
    path.write_text(ACCOUNTS)
    emulator = build_app(Settings(state_dir=tmp_path, durations=DURATIONS, accounts_file=path), clock=ManualClock())
    yield emulator
    emulator.store.close()


def _client(app: Emulator, key: str, secret: str) -> Any:
    transport = InProcessTransport(app)
    client = boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test", config=NO_RETRY,
                          aws_access_key_id=key, aws_secret_access_key=secret)
    return transport.attach(client)


def test_quotas_are_enforced_per_account(app: Emulator) -> None:
    tight = _client(app, "AKIATIGHT00000000001", "tight")
    loose = _client(app, "AKIALOOSE00000000001", "loose")
    vpc = tight.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert error_of(tight.create_vpc, CidrBlock="10.1.0.0/16")["Code"] == "VpcLimitExceeded"
    for second in range(4):
        loose.create_vpc(CidrBlock=f"10.{second}.0.0/16")
    tight.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")
    err = error_of(tight.create_subnet, VpcId=vpc, CidrBlock="10.0.1.0/24")
    assert err == {"Code": "SubnetLimitExceeded", "Message": "The maximum number of subnets has been reached.",
                   "Status": 400}
    tight.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.1.0.0/16")
    assert error_of(tight.associate_vpc_cidr_block, VpcId=vpc, CidrBlock="10.2.0.0/16")["Code"] == (
        "ResourceLimitExceeded")
    default_vpc = tight.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    zone = tight.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc["VpcId"]]}])["Subnets"][0]
    tight.delete_subnet(SubnetId=zone["SubnetId"])
    assert error_of(tight.create_default_subnet, AvailabilityZone=zone["AvailabilityZone"])["Code"] == (
        "SubnetLimitExceeded")


def test_gateway_route_table_and_route_quotas(app: Emulator) -> None:
    tight = _client(app, "AKIATIGHT00000000001", "tight")
    gateway = tight.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]  # the default VPC's is one
    err = error_of(tight.create_internet_gateway)
    assert err == {"Code": "InternetGatewayLimitExceeded",
                   "Message": "The maximum number of internet gateways has been reached.", "Status": 400}
    vpc = tight.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    tight.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    table = tight.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]  # the main table is the other
    err = error_of(tight.create_route_table, VpcId=vpc)
    assert err == {"Code": "RouteTableLimitExceeded", "Message": "The maximum number of route tables has been reached.",
                   "Status": 400}
    tight.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    err = error_of(tight.create_route, RouteTableId=table, DestinationCidrBlock="1.0.0.0/8", GatewayId=gateway)
    assert err == {"Code": "RouteLimitExceeded", "Message": "The maximum number of routes has been reached.",
                   "Status": 400}
    loose = _client(app, "AKIALOOSE00000000001", "loose")
    for _ in range(4):
        loose.create_internet_gateway()
    assert error_of(loose.create_internet_gateway)["Code"] == "InternetGatewayLimitExceeded"


def test_security_group_quotas(app: Emulator) -> None:
    tight = _client(app, "AKIATIGHT00000000001", "tight")
    loose = _client(app, "AKIALOOSE00000000001", "loose")
    # The default VPC's default group counts: two more groups, then the quota.
    first = tight.create_security_group(GroupName="a", Description="a")["GroupId"]
    second = tight.create_security_group(GroupName="b", Description="b")["GroupId"]
    err = error_of(tight.create_security_group, GroupName="c", Description="c")
    assert err == {"Code": "SecurityGroupLimitExceeded",
                   "Message": "The maximum number of security groups has been reached.", "Status": 400}
    for name in "cde":
        loose.create_security_group(GroupName=name, Description=name)
    # Two inbound rules, and (apart) two outbound ones: the default outbound rule and one more.
    tight.authorize_security_group_ingress(GroupId=first, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"},
                                                                          {"CidrIp": "10.1.0.0/16"}]}])
    err = error_of(tight.authorize_security_group_ingress, GroupId=first, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    assert err == {"Code": "RulesPerSecurityGroupLimitExceeded",
                   "Message": "The maximum number of rules per security group has been reached.", "Status": 400}
    tight.authorize_security_group_egress(GroupId=first, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    assert error_of(tight.authorize_security_group_egress, GroupId=first, IpPermissions=[
        {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
    ])["Code"] == "RulesPerSecurityGroupLimitExceeded"
    [default] = tight.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
    err = error_of(tight.run_instances, ImageId=image_id(tight), MinCount=1, MaxCount=1, InstanceType="t3.micro",
                   SecurityGroupIds=[first, second, default["GroupId"]])
    assert err == {"Code": "SecurityGroupsPerInterfaceLimitExceeded",
                   "Message": "The maximum number of security groups per interface has been reached.",
                   "Status": 400}
    assert tight.describe_instances()["Reservations"] == []


def test_elastic_ip_quota(app: Emulator) -> None:
    tight = _client(app, "AKIATIGHT00000000001", "tight")
    loose = _client(app, "AKIALOOSE00000000001", "loose")
    first = tight.allocate_address(Domain="vpc")["AllocationId"]
    err = error_of(tight.allocate_address, Domain="vpc")
    assert err == {"Code": "AddressLimitExceeded", "Message": "The maximum number of addresses has been reached.",
                   "Status": 400}
    assert [a["AllocationId"] for a in tight.describe_addresses()["Addresses"]] == [first]
    for _ in range(5):
        loose.allocate_address()
    assert error_of(loose.allocate_address)["Code"] == "AddressLimitExceeded"
    tight.release_address(AllocationId=first)
    tight.allocate_address()  # a released address no longer counts
