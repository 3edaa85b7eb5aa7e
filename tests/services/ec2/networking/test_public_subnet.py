"""The usual public-subnet setup end to end, as a script or an infrastructure tool builds
it and tears it down: VPC, subnet, internet gateway attached, a route table sending
``0.0.0.0/0`` to the gateway associated with the subnet, an instance launched there; then
teardown in the right order, meeting each ``DependencyViolation`` on the way."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, launch


def test_public_subnet_setup_and_teardown(ec2: Any, clock: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "demo"}]}])["Vpc"]["VpcId"]
    ec2.get_waiter("vpc_available").wait(VpcIds=[vpc_id])
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
    gateway_id = ec2.create_internet_gateway(TagSpecifications=[
        {"ResourceType": "internet-gateway", "Tags": [{"Key": "Name", "Value": "demo"}]}])[
        "InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    table_id = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=[
        {"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "public"}]}])["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway_id)
    association_id = ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)["AssociationId"]

    # What a tool reads back to check its work.
    [table] = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}])[
        "RouteTables"]
    assert table["RouteTableId"] == table_id and table["Tags"] == [{"Key": "Name", "Value": "public"}]
    assert [(r["DestinationCidrBlock"], r["GatewayId"], r["State"]) for r in table["Routes"]] == [
        ("10.20.0.0/16", "local", "active"), ("0.0.0.0/0", gateway_id, "active")]
    [gateway] = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])[
        "InternetGateways"]
    assert gateway["InternetGatewayId"] == gateway_id
    [instance_id] = launch(ec2, SubnetId=subnet_id)
    clock.advance(6)

    # Teardown, in the order a careful script does it, meeting what is still in the way.
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "DependencyViolation"
    assert error_of(ec2.delete_internet_gateway, InternetGatewayId=gateway_id)["Code"] == "DependencyViolation"
    assert error_of(ec2.delete_route_table, RouteTableId=table_id)["Code"] == "DependencyViolation"
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert error_of(ec2.delete_subnet, SubnetId=subnet_id)["Code"] == "DependencyViolation"
    clock.advance(6)
    ec2.disassociate_route_table(AssociationId=association_id)
    ec2.delete_route_table(RouteTableId=table_id)
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "DependencyViolation"  # the subnet
    ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
    ec2.delete_subnet(SubnetId=subnet_id)
    ec2.delete_vpc(VpcId=vpc_id)
    assert vpc_id not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    assert [t["VpcId"] for t in ec2.describe_route_tables()["RouteTables"]] == [
        v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
    assert gateway_id not in {g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]}
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc_id, gateway_id, table_id]}])[
        "Tags"] == []
