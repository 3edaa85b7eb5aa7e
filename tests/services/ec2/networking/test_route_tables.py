"""Route tables through boto3: every VPC's main table and its local routes, CreateRouteTable,
routes to internet gateways (created, replaced, deleted, blackholed), associations,
DescribeRouteTables with its filters and pages, DeleteRouteTable and DeleteVpc, tags, and
bad input (AWS's error, nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of


def _table(ec2: Any, table_id: str) -> dict[str, Any]:
    [table] = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"]
    return table


def _routes(ec2: Any, table_id: str) -> list[tuple[str, str, str]]:
    return [(r["DestinationCidrBlock"], r["GatewayId"], r["State"]) for r in _table(ec2, table_id)["Routes"]]


def _ids(ec2: Any, *filters: tuple[str, list[str]]) -> list[str]:
    found = ec2.describe_route_tables(Filters=[{"Name": name, "Values": values} for name, values in filters])
    return sorted(table["RouteTableId"] for table in found["RouteTables"])


def _main(ec2: Any, vpc_id: str) -> dict[str, Any]:
    [table] = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                 {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    return table


@pytest.fixture
def vpc_id(ec2: Any) -> str:
    return str(ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])


@pytest.fixture
def gateway_id(ec2: Any, vpc_id: str) -> str:
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc_id)
    return str(gateway)


def test_every_vpc_has_a_main_table_with_its_local_routes(ec2: Any, vpc_id: str) -> None:
    main = _main(ec2, vpc_id)
    assert main["RouteTableId"].startswith("rtb-") and main["OwnerId"] == "000000000000"
    [association] = main["Associations"]
    assert association["Main"] is True and "SubnetId" not in association
    assert association["RouteTableAssociationId"].startswith("rtbassoc-")
    assert association["AssociationState"] == {"State": "associated"}
    assert main["Routes"] == [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local",
                               "Origin": "CreateRouteTable", "State": "active"}]
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.1.0.0/16")
    assert _routes(ec2, main["RouteTableId"]) == [("10.0.0.0/16", "local", "active"),
                                                  ("10.1.0.0/16", "local", "active")]
    block = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["CidrBlockAssociationSet"][1]["AssociationId"]
    ec2.disassociate_vpc_cidr_block(AssociationId=block)
    assert _routes(ec2, main["RouteTableId"]) == [("10.0.0.0/16", "local", "active")]


def test_the_default_vpc_main_table_routes_to_its_gateway(ec2: Any) -> None:
    [table] = ec2.describe_route_tables()["RouteTables"]
    [gateway] = ec2.describe_internet_gateways()["InternetGateways"]
    assert table["VpcId"] == gateway["Attachments"][0]["VpcId"]
    assert table["Routes"] == [
        {"DestinationCidrBlock": "172.31.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable",
         "State": "active"},
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": gateway["InternetGatewayId"], "Origin": "CreateRoute",
         "State": "active"}]
    ec2.create_tags(Resources=[table["RouteTableId"]], Tags=[{"Key": "Name", "Value": "main"}])
    assert _table(ec2, table["RouteTableId"]) == {**table, "Tags": [{"Key": "Name", "Value": "main"}]}


def test_create_route_table(ec2: Any, vpc_id: str) -> None:
    created = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=[
        {"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "public"}]}])
    table = created["RouteTable"]
    assert table == {"Associations": [], "PropagatingVgws": [], "RouteTableId": table["RouteTableId"],
                     "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local",
                                 "Origin": "CreateRouteTable", "State": "active"}],
                     "VpcId": vpc_id, "OwnerId": "000000000000", "Tags": [{"Key": "Name", "Value": "public"}]}
    assert created["ClientToken"]
    assert _table(ec2, table["RouteTableId"]) == table
    again = ec2.create_route_table(VpcId=vpc_id, ClientToken="same")["RouteTable"]
    assert ec2.create_route_table(VpcId=vpc_id, ClientToken="same")["RouteTable"] == again
    other = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    assert error_of(ec2.create_route_table, VpcId=other, ClientToken="same")["Code"] == "IdempotentParameterMismatch"
    assert len(_ids(ec2, ("vpc-id", [vpc_id]))) == 3
    assert error_of(ec2.create_route_table, VpcId="vpc-0123456789abcdef0")["Code"] == "InvalidVpcID.NotFound"
    assert error_of(ec2.create_route_table, VpcId=vpc_id, DryRun=True)["Code"] == "DryRunOperation"
    assert len(_ids(ec2, ("vpc-id", [vpc_id]))) == 3


def test_routes_to_a_gateway(ec2: Any, vpc_id: str, gateway_id: str) -> None:
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    assert ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway_id)[
        "Return"] is True
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="192.168.7.9/24", GatewayId=gateway_id)
    assert _table(ec2, table_id)["Routes"][1:] == [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": gateway_id, "Origin": "CreateRoute", "State": "active"},
        {"DestinationCidrBlock": "192.168.7.0/24", "GatewayId": gateway_id, "Origin": "CreateRoute",
         "State": "active"}]
    err = error_of(ec2.create_route, RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway_id)
    assert err == {"Code": "RouteAlreadyExists", "Message": "The route identified by 0.0.0.0/0 already exists.",
                   "Status": 400}
    ec2.replace_route(RouteTableId=table_id, DestinationCidrBlock="192.168.7.0/24", GatewayId=gateway_id)
    ec2.delete_route(RouteTableId=table_id, DestinationCidrBlock="192.168.7.0/24")
    assert _routes(ec2, table_id) == [("10.0.0.0/16", "local", "active"), ("0.0.0.0/0", gateway_id, "active")]
    err = error_of(ec2.delete_route, RouteTableId=table_id, DestinationCidrBlock="192.168.7.0/24")
    assert err == {"Code": "InvalidRoute.NotFound",
                   "Message": f"no route with destination-cidr-block 192.168.7.0/24 in route table {table_id}",
                   "Status": 400}
    err = error_of(ec2.replace_route, RouteTableId=table_id, DestinationCidrBlock="192.168.7.0/24",
                   GatewayId=gateway_id)
    assert err == {"Code": "InvalidParameterValue", "Status": 400, "Message":
                   "There is no route defined for '192.168.7.0/24' in the route table. Use CreateRoute instead."}


def test_a_route_to_a_detached_gateway_is_a_blackhole(ec2: Any, vpc_id: str, gateway_id: str) -> None:
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway_id)
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert _routes(ec2, table_id)[1] == ("0.0.0.0/0", gateway_id, "blackhole")
    assert _ids(ec2, ("route.state", ["blackhole"])) == [table_id]
    err = error_of(ec2.create_route, RouteTableId=table_id, DestinationCidrBlock="1.0.0.0/8", GatewayId=gateway_id)
    assert err == {"Code": "InvalidParameterValue", "Status": 400,
                   "Message": f"route table {table_id} and network gateway {gateway_id} belong to different networks"}
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert _routes(ec2, table_id)[1] == ("0.0.0.0/0", gateway_id, "active")
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
    assert _routes(ec2, table_id)[1] == ("0.0.0.0/0", gateway_id, "blackhole")
    ec2.delete_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0")


def test_the_local_route_stays(ec2: Any, vpc_id: str, gateway_id: str) -> None:
    table_id = _main(ec2, vpc_id)["RouteTableId"]
    err = error_of(ec2.delete_route, RouteTableId=table_id, DestinationCidrBlock="10.0.0.0/16")
    assert err == {"Code": "InvalidParameterValue", "Status": 400,
                   "Message": f"cannot remove local route 10.0.0.0/16 in route table {table_id}"}
    err = error_of(ec2.replace_route, RouteTableId=table_id, DestinationCidrBlock="10.0.0.0/16", GatewayId=gateway_id)
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.create_route, RouteTableId=table_id, DestinationCidrBlock="10.0.0.0/16", GatewayId=gateway_id)
    assert err["Code"] == "RouteAlreadyExists"
    err = error_of(ec2.create_route, RouteTableId=table_id, DestinationCidrBlock="10.0.1.0/24", GatewayId=gateway_id)
    assert err["Code"] == "InvalidParameterValue" and "more specific" in err["Message"]
    assert _routes(ec2, table_id) == [("10.0.0.0/16", "local", "active")]


@pytest.mark.parametrize(("kwargs", "code", "message"), [
    ({}, "MissingParameter",
     "The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock"),
    ({"DestinationCidrBlock": "banana"}, "InvalidParameterValue",
     "Value (banana) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."),
    ({"DestinationCidrBlock": "0.0.0.0/0"}, "MissingParameter",
     "The request must contain exactly one route target: gatewayId"),
    ({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0123456789abcdef0"}, "InvalidGatewayID.NotFound",
     "The gateway ID 'igw-0123456789abcdef0' does not exist"),
    ({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-bad"}, "InvalidGatewayID.NotFound",
     "The gateway ID 'igw-bad' does not exist"),
    ({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "vgw-0123456789abcdef0"}, "UnsupportedOperation",
     "The gateway ID 'vgw-0123456789abcdef0' is not supported by this endpoint: only internet gateways are route "
     "targets here."),
    ({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0123456789abcdef0"}, "UnsupportedOperation",
     "The parameter NatGatewayId is not supported by this endpoint."),
    ({"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-0123456789abcdef0"}, "UnsupportedOperation",
     "The parameter DestinationIpv6CidrBlock is not supported by this endpoint."),
])
def test_bad_routes_change_nothing(ec2: Any, vpc_id: str, kwargs: dict[str, Any], code: str,
                                   message: str) -> None:
    table_id = _main(ec2, vpc_id)["RouteTableId"]
    assert error_of(ec2.create_route, RouteTableId=table_id, **kwargs) == {
        "Code": code, "Message": message, "Status": 400}
    assert _routes(ec2, table_id) == [("10.0.0.0/16", "local", "active")]


def test_unknown_and_malformed_tables(ec2: Any) -> None:
    err = error_of(ec2.create_route, RouteTableId="rtb-0123456789abcdef0", DestinationCidrBlock="0.0.0.0/0")
    assert err == {"Code": "InvalidRouteTableID.NotFound",
                   "Message": "The routeTable ID 'rtb-0123456789abcdef0' does not exist", "Status": 400}
    err = error_of(ec2.delete_route_table, RouteTableId="rtb-x")
    assert err == {"Code": "InvalidRouteTableId.Malformed", "Message": 'Invalid id: "rtb-x" (expecting "rtb-...")',
                   "Status": 400}
    err = error_of(ec2.describe_route_tables, RouteTableIds=["rtb-12345678", "rtb-87654321"])
    assert err["Message"] == "The routeTable IDs 'rtb-12345678, rtb-87654321' do not exist"


def test_associations(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    main_id = _main(ec2, vpc_id)["RouteTableId"]
    associated = ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet)
    association_id = associated["AssociationId"]
    assert association_id.startswith("rtbassoc-") and associated["AssociationState"] == {"State": "associated"}
    assert _table(ec2, table_id)["Associations"] == [
        {"Main": False, "RouteTableAssociationId": association_id, "RouteTableId": table_id, "SubnetId": subnet,
         "AssociationState": {"State": "associated"}}]
    assert _ids(ec2, ("association.subnet-id", [subnet])) == [table_id]
    assert _ids(ec2, ("association.route-table-association-id", [association_id])) == [table_id]
    for target in (table_id, main_id):
        err = error_of(ec2.associate_route_table, RouteTableId=target, SubnetId=subnet)
        assert err == {"Code": "Resource.AlreadyAssociated", "Status": 400, "Message":
                       f"the specified association for route table {target} conflicts with an existing association"}
    err = error_of(ec2.delete_route_table, RouteTableId=table_id)
    assert err == {"Code": "DependencyViolation", "Status": 400,
                   "Message": f"The routeTable '{table_id}' has dependencies and cannot be deleted."}
    replaced = ec2.replace_route_table_association(AssociationId=association_id, RouteTableId=main_id)
    assert replaced["NewAssociationId"] != association_id
    assert _ids(ec2, ("association.subnet-id", [subnet])) == [main_id]
    ec2.disassociate_route_table(AssociationId=replaced["NewAssociationId"])
    assert _ids(ec2, ("association.subnet-id", [subnet])) == []
    err = error_of(ec2.disassociate_route_table, AssociationId=replaced["NewAssociationId"])
    assert err == {"Code": "InvalidAssociationID.NotFound", "Status": 400,
                   "Message": f"The association ID '{replaced['NewAssociationId']}' does not exist"}
    ec2.delete_route_table(RouteTableId=table_id)
    assert error_of(ec2.describe_route_tables, RouteTableIds=[table_id])["Code"] == "InvalidRouteTableID.NotFound"


def test_the_main_association(ec2: Any, vpc_id: str) -> None:
    main = _main(ec2, vpc_id)
    main_association = main["Associations"][0]["RouteTableAssociationId"]
    err = error_of(ec2.disassociate_route_table, AssociationId=main_association)
    assert err == {"Code": "InvalidParameterValue", "Status": 400,
                   "Message": f"cannot disassociate the main route table association {main_association}"}
    err = error_of(ec2.delete_route_table, RouteTableId=main["RouteTableId"])
    assert err["Code"] == "DependencyViolation"
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    new = ec2.replace_route_table_association(AssociationId=main_association, RouteTableId=table_id)
    assert _main(ec2, vpc_id)["RouteTableId"] == table_id
    assert _main(ec2, vpc_id)["Associations"][0]["RouteTableAssociationId"] == new["NewAssociationId"]
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "DependencyViolation"  # the former main table
    ec2.delete_route_table(RouteTableId=main["RouteTableId"])
    ec2.delete_vpc(VpcId=vpc_id)
    assert error_of(ec2.describe_route_tables, RouteTableIds=[table_id])["Code"] == "InvalidRouteTableID.NotFound"


def test_association_errors_change_nothing(ec2: Any, vpc_id: str) -> None:
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    default_subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    err = error_of(ec2.associate_route_table, RouteTableId=table_id, SubnetId=default_subnet["SubnetId"])
    assert err == {"Code": "InvalidParameterValue", "Status": 400, "Message":
                   f"route table {table_id} and subnet {default_subnet['SubnetId']} belong to different networks"}
    assert error_of(ec2.associate_route_table, RouteTableId=table_id, SubnetId="subnet-0123456789abcdef0")[
        "Code"] == "InvalidSubnetID.NotFound"
    err = error_of(ec2.associate_route_table, RouteTableId=table_id, GatewayId="igw-0123456789abcdef0")
    assert err["Code"] == "UnsupportedOperation" and "GatewayId" in err["Message"]
    assert error_of(ec2.associate_route_table, RouteTableId=table_id)["Code"] == "MissingParameter"
    assert error_of(ec2.disassociate_route_table, AssociationId="rtbassoc-0123456789abcdef0")["Code"] == (
        "InvalidAssociationID.NotFound")
    assert _table(ec2, table_id)["Associations"] == []


def test_deleting_a_subnet_removes_its_association(ec2: Any, vpc_id: str) -> None:
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet)
    ec2.delete_subnet(SubnetId=subnet)
    assert _table(ec2, table_id)["Associations"] == []
    ec2.delete_route_table(RouteTableId=table_id)


def test_filters_and_pages(ec2: Any, vpc_id: str, gateway_id: str) -> None:
    public = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=[
        {"ResourceType": "route-table", "Tags": [{"Key": "tier", "Value": "public"}]}])["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway_id)
    main_id = _main(ec2, vpc_id)["RouteTableId"]
    default_main = _ids(ec2, ("association.main", ["true"]), ("route.destination-cidr-block", ["172.31.0.0/16"]))
    assert len(default_main) == 1
    assert _ids(ec2, ("vpc-id", [vpc_id])) == sorted([public, main_id])
    assert _ids(ec2, ("route-table-id", [public])) == [public]
    assert _ids(ec2, ("association.main", ["false"])) == []
    assert _ids(ec2, ("association.main", ["true"])) == sorted([main_id, *default_main])
    assert _ids(ec2, ("route.gateway-id", [gateway_id])) == [public]
    assert _ids(ec2, ("route.destination-cidr-block", ["0.0.0.0/0"]), ("vpc-id", [vpc_id])) == [public]
    assert _ids(ec2, ("route.origin", ["CreateRoute"]), ("vpc-id", [vpc_id])) == [public]
    assert _ids(ec2, ("route.state", ["active"]), ("vpc-id", [vpc_id])) == sorted([public, main_id])
    assert _ids(ec2, ("tag:tier", ["public"])) == [public]
    assert _ids(ec2, ("owner-id", ["000000000000"])) == sorted([public, main_id, *default_main])
    assert _ids(ec2, ("route.nat-gateway-id", ["nat-0123456789abcdef0"])) == []
    assert error_of(ec2.describe_route_tables, Filters=[{"Name": "route.banana", "Values": ["x"]}])["Code"] == (
        "InvalidParameterValue")
    pages = list(ec2.get_paginator("describe_route_tables").paginate(PaginationConfig={"PageSize": 5}))
    assert sum(len(page["RouteTables"]) for page in pages) == 3
    assert error_of(ec2.describe_route_tables, MaxResults=101)["Code"] == "InvalidParameterValue"
    assert error_of(ec2.describe_route_tables, RouteTableIds=[public], MaxResults=5)["Code"] == (
        "InvalidParameterCombination")
    for _ in range(3):
        ec2.create_route_table(VpcId=vpc_id)
    first = ec2.describe_route_tables(MaxResults=5)
    rest = ec2.describe_route_tables(MaxResults=5, NextToken=first["NextToken"])
    assert (len(first["RouteTables"]), len(rest["RouteTables"]), "NextToken" in rest) == (5, 1, False)
    assert ({t["RouteTableId"] for t in first["RouteTables"]} | {t["RouteTableId"] for t in rest["RouteTables"]}
            ) >= {public, main_id, *default_main}


def test_delete_vpc_waits_for_its_gateway_and_tables(ec2: Any, vpc_id: str, gateway_id: str) -> None:
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    main_id = _main(ec2, vpc_id)["RouteTableId"]
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    err = error_of(ec2.delete_vpc, VpcId=vpc_id)
    assert err == {"Code": "DependencyViolation", "Status": 400,
                   "Message": f"The vpc '{vpc_id}' has dependencies and cannot be deleted."}
    ec2.delete_route_table(RouteTableId=table_id)
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "DependencyViolation"
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    ec2.delete_vpc(VpcId=vpc_id)
    assert error_of(ec2.describe_route_tables, RouteTableIds=[main_id])["Code"] == "InvalidRouteTableID.NotFound"
