"""VPCs through boto3: CreateVpc and its CIDR rules, DescribeVpcs and its filters,
DeleteVpc, the attributes, secondary CIDR blocks, tags, and bad input (AWS's error,
nothing changed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of


def _vpc(ec2: Any, vpc_id: str) -> dict[str, Any]:
    [vpc] = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]
    return vpc


def _ids(ec2: Any, **kwargs: Any) -> list[str]:
    return sorted(vpc["VpcId"] for vpc in ec2.describe_vpcs(**kwargs)["Vpcs"])


def test_create_vpc(ec2: Any) -> None:
    created = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
    assert created["State"] == "pending"
    assert created["CidrBlock"] == "10.0.0.0/16"
    assert created["IsDefault"] is False
    assert created["InstanceTenancy"] == "default"
    assert created["OwnerId"] == "000000000000"
    assert created["VpcId"].startswith("vpc-") and len(created["VpcId"]) == 21
    [association] = created["CidrBlockAssociationSet"]
    assert association["CidrBlock"] == "10.0.0.0/16"
    assert association["CidrBlockState"] == {"State": "associated"}
    assert association["AssociationId"].startswith("vpc-cidr-assoc-")
    assert "Tags" not in created
    described = _vpc(ec2, created["VpcId"])
    assert described == {**created, "State": "available"}
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    assert described["DhcpOptionsId"] == default["DhcpOptionsId"]
    assert len(ec2.describe_vpcs()["Vpcs"]) == 2
    ec2.get_waiter("vpc_available").wait(VpcIds=[created["VpcId"]])


def test_a_block_with_host_bits_is_taken_as_its_network(ec2: Any) -> None:
    created = ec2.create_vpc(CidrBlock="100.68.0.18/18")["Vpc"]
    assert created["CidrBlock"] == "100.68.0.0/18"


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "10.0.0.0/15", "10.0.0.0/29", "10.0.0.0/32", "169.254.0.0/16",
                                  "169.254.10.0/24"])
def test_blocks_out_of_range_answer_invalid_vpc_range(ec2: Any, cidr: str) -> None:
    err = error_of(ec2.create_vpc, CidrBlock=cidr)
    assert err == {"Code": "InvalidVpc.Range", "Message": f"The CIDR '{cidr}' is invalid.", "Status": 400}
    assert len(ec2.describe_vpcs()["Vpcs"]) == 1


@pytest.mark.parametrize("cidr", ["10.0.0.0", "banana", "10.0.0.300/16", "10.0.0.0/33", "10.0.0.0/-1", "::/56"])
def test_unreadable_blocks_answer_invalid_parameter_value(ec2: Any, cidr: str) -> None:
    err = error_of(ec2.create_vpc, CidrBlock=cidr)
    assert err == {"Code": "InvalidParameterValue",
                   "Message": f"Value ({cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
                   "Status": 400}


def test_a_block_is_required(ec2: Any) -> None:
    err = error_of(ec2.create_vpc)
    assert err == {"Code": "MissingParameter", "Message": "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.",
                   "Status": 400}


@pytest.mark.parametrize(("extra", "name"), [
    ({"AmazonProvidedIpv6CidrBlock": True}, "AmazonProvidedIpv6CidrBlock"),
    ({"Ipv4IpamPoolId": "ipam-pool-0123456789abcdef0"}, "Ipv4IpamPoolId"),
    ({"Ipv6CidrBlock": "2600:1f18::/56", "Ipv6Pool": "ipv6pool-ec2-0123"}, "Ipv6Pool"),
])
def test_what_is_not_honoured_is_refused_by_name(ec2: Any, extra: dict[str, Any], name: str) -> None:
    err = error_of(ec2.create_vpc, CidrBlock="10.0.0.0/16", **extra)
    assert err == {"Code": "UnsupportedOperation", "Message": f"The parameter {name} is not supported by this endpoint.",
                   "Status": 400}
    err = error_of(ec2.create_vpc, CidrBlock="10.0.0.0/16", InstanceTenancy="dedicated")
    assert err["Code"] == "UnsupportedOperation" and "InstanceTenancy" in err["Message"]
    assert len(ec2.describe_vpcs()["Vpcs"]) == 1
    assert ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=False)["Vpc"]["CidrBlock"]


def test_vpcs_may_overlap_each_other(ec2: Any) -> None:
    first = ec2.create_vpc(CidrBlock="172.31.0.0/16")["Vpc"]["VpcId"]
    second = ec2.create_vpc(CidrBlock="172.31.0.0/16")["Vpc"]["VpcId"]
    assert first != second


def test_tags_at_creation_and_tag_filters(ec2: Any) -> None:
    tagged = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "blue"}, {"Key": "team", "Value": "web"}]}])["Vpc"]
    assert tagged["Tags"] == [{"Key": "Name", "Value": "blue"}, {"Key": "team", "Value": "web"}]
    plain = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    assert _ids(ec2, Filters=[{"Name": "tag:Name", "Values": ["blue"]}]) == [tagged["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "tag:Name", "Values": ["bl*"]}]) == [tagged["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "tag-key", "Values": ["team"]}]) == [tagged["VpcId"]]
    ec2.create_tags(Resources=[plain], Tags=[{"Key": "Name", "Value": "green"}])
    assert _ids(ec2, Filters=[{"Name": "tag:Name", "Values": ["green", "blue"]}]) == sorted([tagged["VpcId"], plain])
    described = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [plain]}])["Tags"]
    assert described == [{"Key": "Name", "ResourceId": plain, "ResourceType": "vpc", "Value": "green"}]
    ec2.delete_tags(Resources=[plain], Tags=[{"Key": "Name"}])
    assert "Tags" not in _vpc(ec2, plain)
    err = error_of(ec2.create_vpc, CidrBlock="10.3.0.0/16",
                   TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "a", "Value": "b"}]}])
    assert err["Code"] == "InvalidParameterValue"
    assert len(ec2.describe_vpcs()["Vpcs"]) == 3


def test_filters(ec2: Any) -> None:
    default = ec2.describe_vpcs()["Vpcs"][0]
    one = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
    two = ec2.create_vpc(CidrBlock="192.168.0.0/24")["Vpc"]
    secondary = ec2.associate_vpc_cidr_block(VpcId=two["VpcId"], CidrBlock="192.168.1.0/24")["CidrBlockAssociation"]
    assert _ids(ec2, Filters=[{"Name": "is-default", "Values": ["false"]}]) == sorted([one["VpcId"], two["VpcId"]])
    assert _ids(ec2, Filters=[{"Name": "isDefault", "Values": ["true"]}]) == [default["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "is-default", "Values": ["maybe"]}]) == []
    assert _ids(ec2, Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}]) == [one["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "cidr", "Values": ["192.168.1.0/24"]}]) == []
    # The primary block's other spellings, as DescribeSubnets has them (ec2_vpc_net uses the first).
    assert _ids(ec2, Filters=[{"Name": "cidr-block", "Values": ["10.0.0.0/16"]}]) == [one["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "cidrBlock", "Values": ["192.168.0.0/24"]}]) == [two["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "cidr-block", "Values": ["192.168.1.0/24"]}]) == []
    assert _ids(ec2, Filters=[{"Name": "cidr-block-association.cidr-block", "Values": ["192.168.1.0/24"]}]) == [
        two["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "cidr-block-association.cidr-block", "Values": ["192.168.*"]}]) == [
        two["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "cidr-block-association.association-id",
                               "Values": [secondary["AssociationId"]]}]) == [two["VpcId"]]
    assert len(_ids(ec2, Filters=[{"Name": "cidr-block-association.state", "Values": ["associated"]}])) == 3
    assert len(_ids(ec2, Filters=[{"Name": "state", "Values": ["available"]}])) == 3
    assert len(_ids(ec2, Filters=[{"Name": "owner-id", "Values": ["000000000000"]}])) == 3
    assert len(_ids(ec2, Filters=[{"Name": "dhcp-options-id", "Values": [default["DhcpOptionsId"]]}])) == 3
    assert _ids(ec2, Filters=[{"Name": "vpc-id", "Values": [one["VpcId"]]}]) == [one["VpcId"]]
    assert _ids(ec2, Filters=[{"Name": "ipv6-cidr-block-association.ipv6-cidr-block", "Values": ["*"]}]) == []
    assert _ids(ec2, Filters=[{"Name": "is-default", "Values": ["false"]},
                              {"Name": "cidr", "Values": ["10.*"]}]) == [one["VpcId"]]
    err = error_of(ec2.describe_vpcs, Filters=[{"Name": "colour", "Values": ["blue"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'colour' is invalid", "Status": 400}


def test_paging(ec2: Any) -> None:
    for second in range(4):
        ec2.create_vpc(CidrBlock=f"10.{second}.0.0/16")
    everything = _ids(ec2)
    first = ec2.describe_vpcs(MaxResults=5)
    assert len(first["Vpcs"]) == 5 and "NextToken" not in first
    assert [vpc["VpcId"] for vpc in first["Vpcs"]] == everything
    err = error_of(ec2.describe_vpcs, VpcIds=[everything[0]], MaxResults=5)
    assert err["Code"] == "InvalidParameterCombination"


def test_named_vpcs_answer_in_the_order_named(ec2: Any) -> None:
    one = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    two = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    assert [v["VpcId"] for v in ec2.describe_vpcs(VpcIds=[two, one, two])["Vpcs"]] == [two, one]
    assert ec2.describe_vpcs(VpcIds=[two], Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"] == []
    err = error_of(ec2.describe_vpcs, VpcIds=[one, "vpc-0123456789abcdef0", "vpc-0123456789abcdef1"])
    assert err["Message"] == "The vpc IDs 'vpc-0123456789abcdef0, vpc-0123456789abcdef1' do not exist"


def test_delete_vpc(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "gone"}]}])["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    err = error_of(ec2.delete_vpc, VpcId=vpc_id)
    assert err == {"Code": "DependencyViolation",
                   "Message": f"The vpc '{vpc_id}' has dependencies and cannot be deleted.", "Status": 400}
    assert _vpc(ec2, vpc_id)["VpcId"] == vpc_id
    ec2.delete_subnet(SubnetId=subnet_id)
    err = error_of(ec2.delete_vpc, VpcId=vpc_id, DryRun=True)
    assert err["Code"] == "DryRunOperation"
    ec2.delete_vpc(VpcId=vpc_id)
    err = error_of(ec2.describe_vpcs, VpcIds=[vpc_id])
    assert err == {"Code": "InvalidVpcID.NotFound", "Message": f"The vpc ID '{vpc_id}' does not exist",
                   "Status": 400}
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["Tags"] == []
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)["Code"] == "InvalidVpcID.NotFound"
    assert error_of(ec2.delete_vpc, VpcId="vpc-nope")["Code"] == "InvalidVpcID.Malformed"


def test_attributes(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]

    def attribute(name: str, member: str, vpc: str = vpc_id) -> bool:
        answer = ec2.describe_vpc_attribute(VpcId=vpc, Attribute=name)
        assert answer["VpcId"] == vpc
        return bool(answer[member]["Value"])

    assert attribute("enableDnsSupport", "EnableDnsSupport") is True
    assert attribute("enableDnsHostnames", "EnableDnsHostnames") is False
    assert attribute("enableNetworkAddressUsageMetrics", "EnableNetworkAddressUsageMetrics") is False
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    assert attribute("enableDnsHostnames", "EnableDnsHostnames", default) is True
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    assert attribute("enableDnsHostnames", "EnableDnsHostnames") is True
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableNetworkAddressUsageMetrics={"Value": True})
    assert attribute("enableNetworkAddressUsageMetrics", "EnableNetworkAddressUsageMetrics") is True
    ec2.modify_vpc_attribute(VpcId=default, EnableDnsSupport={"Value": False})
    assert attribute("enableDnsSupport", "EnableDnsSupport", default) is False
    err = error_of(ec2.modify_vpc_attribute, VpcId=default, EnableDnsHostnames={"Value": True})
    assert err["Code"] == "InvalidParameterValue"
    err = error_of(ec2.modify_vpc_attribute, VpcId=vpc_id, EnableDnsSupport={"Value": False},
                   EnableDnsHostnames={"Value": False})
    assert err == {"Code": "InvalidParameterCombination",
                   "Message": "Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames",
                   "Status": 400}
    assert attribute("enableDnsSupport", "EnableDnsSupport") is True
    assert error_of(ec2.modify_vpc_attribute, VpcId=vpc_id)["Code"] == "InvalidParameterCombination"
    assert error_of(ec2.describe_vpc_attribute, VpcId="vpc-0123456789abcdef0",
                    Attribute="enableDnsSupport")["Code"] == "InvalidVpcID.NotFound"
    assert error_of(ec2.describe_vpc_attribute, VpcId=vpc_id, Attribute="enableDnsSupport",
                    DryRun=True)["Code"] == "DryRunOperation"


def test_secondary_blocks(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    answer = ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.1.0.0/16")
    association = answer["CidrBlockAssociation"]
    assert answer["VpcId"] == vpc_id
    assert association["CidrBlock"] == "10.1.0.0/16" and association["CidrBlockState"] == {"State": "associating"}
    blocks = _vpc(ec2, vpc_id)["CidrBlockAssociationSet"]
    assert [(b["CidrBlock"], b["CidrBlockState"]["State"]) for b in blocks] == [
        ("10.0.0.0/16", "associated"), ("10.1.0.0/16", "associated")]
    for cidr in ("10.0.0.0/16", "10.1.128.0/17", "10.0.0.0/8", "10.5.0.0/29"):
        err = error_of(ec2.associate_vpc_cidr_block, VpcId=vpc_id, CidrBlock=cidr)
        assert err == {"Code": "InvalidVpc.Range", "Message": f"The CIDR '{cidr}' is invalid.", "Status": 400}
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.4.0/24")["Subnet"]["SubnetId"]
    err = error_of(ec2.disassociate_vpc_cidr_block, AssociationId=association["AssociationId"])
    assert err["Code"] == "DependencyViolation"
    ec2.delete_subnet(SubnetId=subnet_id)
    primary = blocks[0]["AssociationId"]
    err = error_of(ec2.disassociate_vpc_cidr_block, AssociationId=primary)
    assert err == {"Code": "OperationNotPermitted",
                   "Message": f"The vpc CIDR block with association ID {primary} may not be disassociated. "
                              "It is the primary IPv4 CIDR block of the VPC", "Status": 400}
    answer = ec2.disassociate_vpc_cidr_block(AssociationId=association["AssociationId"])
    assert answer["CidrBlockAssociation"]["CidrBlockState"] == {"State": "disassociating"}
    assert [b["CidrBlock"] for b in _vpc(ec2, vpc_id)["CidrBlockAssociationSet"]] == ["10.0.0.0/16"]
    err = error_of(ec2.disassociate_vpc_cidr_block, AssociationId=association["AssociationId"])
    assert err == {"Code": "InvalidAssociationID.NotFound",
                   "Message": f"The association ID '{association['AssociationId']}' does not exist", "Status": 400}
    err = error_of(ec2.associate_vpc_cidr_block, VpcId=vpc_id, AmazonProvidedIpv6CidrBlock=True)
    assert err["Code"] == "UnsupportedOperation" and "AmazonProvidedIpv6CidrBlock" in err["Message"]


def test_five_blocks_per_vpc(ec2: Any) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for second in range(1, 5):
        ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock=f"10.{second}.0.0/16")
    err = error_of(ec2.associate_vpc_cidr_block, VpcId=vpc_id, CidrBlock="10.9.0.0/16")
    assert err == {"Code": "ResourceLimitExceeded",
                   "Message": f"This network '{vpc_id}' has met its maximum number of allowed CIDRs: 5", "Status": 400}
    assert len(_vpc(ec2, vpc_id)["CidrBlockAssociationSet"]) == 5


def test_five_vpcs_per_region_the_default_one_included(ec2: Any, make_client: Any) -> None:
    for second in range(4):
        ec2.create_vpc(CidrBlock=f"10.{second}.0.0/16")
    err = error_of(ec2.create_vpc, CidrBlock="10.9.0.0/16")
    assert err == {"Code": "VpcLimitExceeded", "Message": "The maximum number of VPCs has been reached.",
                   "Status": 400}
    assert len(ec2.describe_vpcs()["Vpcs"]) == 5
    west = make_client(region="us-west-2")
    assert west.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]


def test_regions_never_see_each_others_vpcs(make_client: Any) -> None:
    east, west = make_client(region="us-east-1"), make_client(region="us-west-2")
    vpc_id = east.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert vpc_id not in _ids(west)
    assert error_of(west.describe_vpcs, VpcIds=[vpc_id])["Code"] == "InvalidVpcID.NotFound"
    assert error_of(west.delete_vpc, VpcId=vpc_id)["Code"] == "InvalidVpcID.NotFound"
    assert error_of(west.create_subnet, VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Code"] == "InvalidVpcID.NotFound"


def test_dry_run_changes_nothing(ec2: Any) -> None:
    err = error_of(ec2.create_vpc, CidrBlock="10.0.0.0/16", DryRun=True)
    assert err["Code"] == "DryRunOperation" and err["Status"] == 412
    assert len(ec2.describe_vpcs()["Vpcs"]) == 1
    assert error_of(ec2.create_vpc, CidrBlock="10.0.0.0/8", DryRun=True)["Code"] == "InvalidVpc.Range"
