"""IAM on internet gateways and route tables: ``internet-gateway/<id>`` and
``route-table/<id>`` (with ``ec2:Vpc``) in their actions, tags at creation and on
existing ones, and accounts never seeing each other's."""

from __future__ import annotations

from tests.helpers import error_of
from tests.services.shared.test_permissions import ACCOUNT_A, EC2_ALL, ROOT_A, ROOT_B, Make, decoded, new_user

DESCRIBE = {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}


def _arn(kind: str, resource_id: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:{kind}/{resource_id}"


def test_gateway_actions_name_the_gateway_and_the_vpc(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    mine = root.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    other = root.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2 = make(new_user(make, "gateways", DESCRIBE, {
        "Effect": "Allow", "Resource": [_arn("internet-gateway", mine), _arn("vpc", vpc)],
        "Action": ["ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"]}))
    error = error_of(ec2.attach_internet_gateway, InternetGatewayId=other, VpcId=vpc)
    assert error["Code"] == "UnauthorizedOperation"
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _arn("internet-gateway", other)
    ec2.attach_internet_gateway(InternetGatewayId=mine, VpcId=vpc)
    ec2.detach_internet_gateway(InternetGatewayId=mine, VpcId=vpc)
    assert error_of(ec2.delete_internet_gateway, InternetGatewayId=other)["Code"] == "UnauthorizedOperation"
    assert error_of(ec2.create_internet_gateway)["Code"] == "UnauthorizedOperation"
    ec2.delete_internet_gateway(InternetGatewayId=mine)
    assert error_of(ec2.delete_internet_gateway, InternetGatewayId=mine)["Code"] == "InvalidInternetGatewayID.NotFound"


def test_route_table_actions_name_the_table_with_its_vpc(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    other_vpc = root.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    gateway = root.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    root.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    subnet = root.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    ec2 = make(new_user(make, "router", DESCRIBE, {
        "Effect": "Allow", "Resource": "*",
        "Action": ["ec2:CreateRouteTable", "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute",
                   "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:DeleteRouteTable"],
        "Condition": {"ArnEquals": {"ec2:Vpc": _arn("vpc", vpc)}}}, {
        "Effect": "Allow", "Resource": [_arn("vpc", vpc), _arn("subnet", subnet)],
        "Action": ["ec2:CreateRouteTable", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable"]}))
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    error = error_of(ec2.create_route_table, VpcId=other_vpc)
    assert error["Code"] == "UnauthorizedOperation"
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    association = ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)["AssociationId"]
    ec2.disassociate_route_table(AssociationId=association)
    ec2.delete_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0")
    ec2.delete_route_table(RouteTableId=table)
    other_table = root.create_route_table(VpcId=other_vpc)["RouteTable"]["RouteTableId"]
    error = error_of(ec2.delete_route_table, RouteTableId=other_table)
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _arn("route-table", other_table)


def test_tags_at_creation_and_on_existing_ones(make: Make) -> None:
    root = make(ROOT_A)
    vpc = root.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    creator = make(new_user(make, "creator", {"Effect": "Allow", "Resource": "*",
                                              "Action": ["ec2:CreateInternetGateway", "ec2:CreateRouteTable"]}))
    gateway = creator.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    tags = [{"ResourceType": "internet-gateway", "Tags": [{"Key": "team", "Value": "red"}]}]
    error = error_of(creator.create_internet_gateway, TagSpecifications=tags)
    assert decoded(make, ROOT_A, error["Message"])["context"]["action"] == "ec2:CreateTags"
    error = error_of(creator.create_route_table, VpcId=vpc, TagSpecifications=[
        {"ResourceType": "route-table", "Tags": [{"Key": "team", "Value": "red"}]}])
    assert decoded(make, ROOT_A, error["Message"])["context"]["action"] == "ec2:CreateTags"
    tagger = make(new_user(make, "tagger", {"Effect": "Allow", "Action": "ec2:CreateTags",
                                            "Resource": _arn("internet-gateway", "*")}))
    table = root.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    tagger.create_tags(Resources=[gateway], Tags=[{"Key": "k", "Value": "v"}])
    error = error_of(tagger.create_tags, Resources=[table], Tags=[{"Key": "k", "Value": "v"}])
    assert decoded(make, ROOT_A, error["Message"])["context"]["resource"] == _arn("route-table", table)
    everything = make(new_user(make, "everything", EC2_ALL))
    assert everything.create_internet_gateway(TagSpecifications=tags)["InternetGateway"]["Tags"]


def test_accounts_never_see_each_others_gateways_and_tables(make: Make) -> None:
    a, b = make(ROOT_A), make(ROOT_B)
    vpc = a.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    gateway = a.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    table = a.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    assert gateway not in {g["InternetGatewayId"] for g in b.describe_internet_gateways()["InternetGateways"]}
    assert table not in {t["RouteTableId"] for t in b.describe_route_tables()["RouteTables"]}
    assert error_of(b.delete_route_table, RouteTableId=table)["Code"] == "InvalidRouteTableID.NotFound"
    assert error_of(b.delete_internet_gateway, InternetGatewayId=gateway)["Code"] == (
        "InvalidInternetGatewayID.NotFound")
    assert error_of(b.create_tags, Resources=[table], Tags=[{"Key": "k", "Value": "v"}])["Code"] == (
        "InvalidRouteTableID.NotFound")
    b_vpc = b.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert error_of(b.attach_internet_gateway, InternetGatewayId=gateway, VpcId=b_vpc)["Code"] == (
        "InvalidInternetGatewayID.NotFound")
    assert [t["VpcId"] for t in b.describe_route_tables()["RouteTables"]] == [b_vpc]
