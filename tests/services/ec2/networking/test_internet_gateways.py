"""Internet gateways through boto3: create, attach, detach, delete, describe with its
filters and pages, the default VPC's gateway, tags, and bad input (AWS's error, nothing
changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of


def _gateway(ec2: Any, gateway_id: str) -> dict[str, Any]:
    [gateway] = ec2.describe_internet_gateways(InternetGatewayIds=[gateway_id])["InternetGateways"]
    return gateway


def _ids(ec2: Any, **kwargs: Any) -> list[str]:
    return sorted(g["InternetGatewayId"] for g in ec2.describe_internet_gateways(**kwargs)["InternetGateways"])


def _default_vpc_id(ec2: Any) -> str:
    return str(ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"])


def test_the_default_vpc_has_its_gateway_derived_then_stored(ec2: Any) -> None:
    [derived] = ec2.describe_internet_gateways()["InternetGateways"]
    assert derived["Attachments"] == [{"State": "available", "VpcId": _default_vpc_id(ec2)}]
    assert derived["InternetGatewayId"].startswith("igw-") and derived["OwnerId"] == "000000000000"
    ec2.create_vpc(CidrBlock="10.0.0.0/16")  # the scope's network is stored from here on
    assert _gateway(ec2, derived["InternetGatewayId"]) == derived


def test_create_attach_detach_delete(ec2: Any) -> None:
    created = ec2.create_internet_gateway(
        TagSpecifications=[{"ResourceType": "internet-gateway", "Tags": [{"Key": "Name", "Value": "gw"}]}])
    gateway = created["InternetGateway"]
    gateway_id = gateway["InternetGatewayId"]
    assert gateway == {"Attachments": [], "InternetGatewayId": gateway_id, "OwnerId": "000000000000",
                       "Tags": [{"Key": "Name", "Value": "gw"}]}
    assert len(gateway_id) == 21
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert _gateway(ec2, gateway_id)["Attachments"] == [{"State": "available", "VpcId": vpc_id}]
    err = error_of(ec2.delete_internet_gateway, InternetGatewayId=gateway_id)
    assert err == {"Code": "DependencyViolation",
                   "Message": f"The internetGateway '{gateway_id}' has dependencies and cannot be deleted.",
                   "Status": 400}
    err = error_of(ec2.detach_internet_gateway, InternetGatewayId=gateway_id, VpcId=vpc_id, DryRun=True)
    assert err["Code"] == "DryRunOperation"
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert _gateway(ec2, gateway_id)["Attachments"] == []
    ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
    err = error_of(ec2.describe_internet_gateways, InternetGatewayIds=[gateway_id])
    assert err == {"Code": "InvalidInternetGatewayID.NotFound",
                   "Message": f"The internetGateway ID '{gateway_id}' does not exist", "Status": 400}
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [gateway_id]}])["Tags"] == []


def test_one_gateway_per_vpc_and_one_vpc_per_gateway(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    first = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    second = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=first, VpcId=vpc_id)
    err = error_of(ec2.attach_internet_gateway, InternetGatewayId=second, VpcId=vpc_id)
    assert err == {"Code": "InvalidParameterValue",
                   "Message": f"Network {vpc_id} already has an internet gateway attached", "Status": 400}
    for target in (vpc_id, _default_vpc_id(ec2)):
        err = error_of(ec2.attach_internet_gateway, InternetGatewayId=first, VpcId=target)
        assert err == {"Code": "Resource.AlreadyAssociated",
                       "Message": f"resource {first} is already attached to network {vpc_id}", "Status": 400}
    err = error_of(ec2.detach_internet_gateway, InternetGatewayId=second, VpcId=vpc_id)
    assert err == {"Code": "Gateway.NotAttached",
                   "Message": f"resource {second} is not attached to network {vpc_id}", "Status": 400}
    assert _gateway(ec2, second)["Attachments"] == []


@pytest.mark.parametrize(("call", "kwargs", "code"), [
    ("attach_internet_gateway", {"InternetGatewayId": "igw-nope", "VpcId": "vpc-12345678"},
     "InvalidInternetGatewayId.Malformed"),
    ("attach_internet_gateway", {"InternetGatewayId": "igw-0123456789abcdef0", "VpcId": "vpc-12345678"},
     "InvalidInternetGatewayID.NotFound"),
    ("delete_internet_gateway", {"InternetGatewayId": "igw-12345678"}, "InvalidInternetGatewayID.NotFound"),
    ("describe_internet_gateways", {"InternetGatewayIds": ["igw-x"]}, "InvalidInternetGatewayId.Malformed"),
])
def test_bad_ids(ec2: Any, call: str, kwargs: dict[str, Any], code: str) -> None:
    assert error_of(getattr(ec2, call), **kwargs)["Code"] == code


def test_attaching_to_an_unknown_vpc(ec2: Any) -> None:
    gateway_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    err = error_of(ec2.attach_internet_gateway, InternetGatewayId=gateway_id, VpcId="vpc-0123456789abcdef0")
    assert err["Code"] == "InvalidVpcID.NotFound"
    assert _gateway(ec2, gateway_id)["Attachments"] == []


def test_filters_and_pages(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    attached = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=attached, VpcId=vpc_id)
    loose = ec2.create_internet_gateway(TagSpecifications=[
        {"ResourceType": "internet-gateway", "Tags": [{"Key": "tier", "Value": "spare"}]}])["InternetGateway"]
    loose_id = loose["InternetGatewayId"]
    default_id = _ids(ec2, Filters=[{"Name": "attachment.vpc-id", "Values": [_default_vpc_id(ec2)]}])
    assert _ids(ec2, Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]) == [attached]
    assert _ids(ec2, Filters=[{"Name": "attachment.state", "Values": ["available"]}]) == sorted(
        [attached, *default_id])
    assert _ids(ec2, Filters=[{"Name": "internet-gateway-id", "Values": [loose_id]}]) == [loose_id]
    assert _ids(ec2, Filters=[{"Name": "tag:tier", "Values": ["sp*"]}]) == [loose_id]
    assert _ids(ec2, Filters=[{"Name": "owner-id", "Values": ["000000000000"]}]) == sorted(
        [attached, loose_id, *default_id])
    assert _ids(ec2, InternetGatewayIds=[loose_id], Filters=[{"Name": "attachment.state", "Values": ["*"]}]) == []
    assert error_of(ec2.describe_internet_gateways, Filters=[{"Name": "vpc-id", "Values": ["x"]}]) == {
        "Code": "InvalidParameterValue", "Message": "The filter 'vpc-id' is invalid", "Status": 400}
    first = ec2.describe_internet_gateways(MaxResults=5)
    assert len(first["InternetGateways"]) == 3 and "NextToken" not in first
    paged = ec2.get_paginator("describe_internet_gateways").paginate(PaginationConfig={"PageSize": 5})
    assert sum(len(page["InternetGateways"]) for page in paged) == 3
    assert error_of(ec2.describe_internet_gateways, MaxResults=1001)["Code"] == "InvalidParameterValue"


def test_tags_on_gateways(ec2: Any) -> None:
    gateway_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.create_tags(Resources=[gateway_id], Tags=[{"Key": "team", "Value": "net"}])
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [gateway_id]}])["Tags"] == [
        {"Key": "team", "ResourceId": gateway_id, "ResourceType": "internet-gateway", "Value": "net"}]
    ec2.delete_tags(Resources=[gateway_id], Tags=[{"Key": "team"}])
    assert "Tags" not in _gateway(ec2, gateway_id)
    err = error_of(ec2.create_tags, Resources=["igw-0123456789abcdef0"], Tags=[{"Key": "k", "Value": "v"}])
    assert err["Code"] == "InvalidInternetGatewayID.NotFound"
    err = error_of(ec2.create_internet_gateway, TagSpecifications=[{"ResourceType": "vpc", "Tags": [
        {"Key": "k", "Value": "v"}]}])
    assert err["Code"] == "InvalidParameterValue"
    assert len(ec2.describe_internet_gateways()["InternetGateways"]) == 2


def test_the_default_vpc_keeps_its_gateway_until_detached(ec2: Any) -> None:
    vpc_id = _default_vpc_id(ec2)
    [gateway_id] = _ids(ec2)
    for subnet in ec2.describe_subnets()["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "DependencyViolation"
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    ec2.delete_vpc(VpcId=vpc_id)
    assert _gateway(ec2, gateway_id)["Attachments"] == []
    ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
    made = ec2.create_default_vpc()["Vpc"]["VpcId"]
    [gateway] = ec2.describe_internet_gateways()["InternetGateways"]
    assert gateway["Attachments"] == [{"State": "available", "VpcId": made}]
    [table] = ec2.describe_route_tables()["RouteTables"]
    assert [(r["DestinationCidrBlock"], r["GatewayId"]) for r in table["Routes"]] == [
        ("172.31.0.0/16", "local"), ("0.0.0.0/0", gateway["InternetGatewayId"])]


def test_regions_and_accounts_are_apart(make_client: Any) -> None:
    east, west = make_client(), make_client("us-west-2")
    gateway_id = east.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert gateway_id not in _ids(west)
    assert error_of(west.delete_internet_gateway, InternetGatewayId=gateway_id)["Code"] == (
        "InvalidInternetGatewayID.NotFound")
