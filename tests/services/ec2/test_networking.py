"""Default networking through boto3: the default VPC, one default subnet per zone, the
default security group, their filters and errors, per-account/per-region IDs, and
RunInstances placing an instance in a subnet's zone."""

from __future__ import annotations

import ipaddress
from typing import Any

from tests.helpers import error_of, instance_of, launch


def test_default_vpc(ec2: Any) -> None:
    [vpc] = ec2.describe_vpcs()["Vpcs"]
    assert vpc["CidrBlock"] == "172.31.0.0/16"
    assert vpc["IsDefault"] is True
    assert vpc["State"] == "available"
    assert vpc["InstanceTenancy"] == "default"
    assert vpc["OwnerId"] == "000000000000"
    assert vpc["VpcId"].startswith("vpc-") and len(vpc["VpcId"]) == 21
    assert vpc["CidrBlockAssociationSet"][0]["CidrBlock"] == "172.31.0.0/16"
    assert vpc["CidrBlockAssociationSet"][0]["CidrBlockState"] == {"State": "associated"}
    assert vpc["DhcpOptionsId"].startswith("dopt-")
    assert "Tags" not in vpc
    assert ec2.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"] == [vpc]
    assert ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"] == [vpc]
    assert ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["false"]}])["Vpcs"] == []
    assert ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["172.31.0.0/16"]}])["Vpcs"] == [vpc]


def test_unknown_and_malformed_vpc_ids(ec2: Any) -> None:
    err = error_of(ec2.describe_vpcs, VpcIds=["vpc-0123456789abcdef0"])
    assert err == {"Code": "InvalidVpcID.NotFound", "Message": "The vpc ID 'vpc-0123456789abcdef0' does not exist",
                   "Status": 400}
    err = error_of(ec2.describe_vpcs, VpcIds=["not-a-vpc"])
    assert err == {"Code": "InvalidVpcID.Malformed", "Message": 'Invalid id: "not-a-vpc" (expecting "vpc-...")',
                   "Status": 400}


def test_one_default_subnet_per_zone(ec2: Any) -> None:
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    subnets = ec2.describe_subnets()["Subnets"]
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert sorted(s["AvailabilityZone"] for s in subnets) == sorted(zones)
    vpc = ipaddress.ip_network("172.31.0.0/16")
    networks = [ipaddress.ip_network(s["CidrBlock"]) for s in subnets]
    for subnet, network in zip(subnets, networks):
        assert network.prefixlen == 20 and network.subnet_of(vpc)
        assert subnet["DefaultForAz"] is True
        assert subnet["MapPublicIpOnLaunch"] is True
        assert subnet["VpcId"] == vpc_id
        assert subnet["State"] == "available"
        assert subnet["AvailableIpAddressCount"] == 4091
        assert subnet["AvailabilityZoneId"].startswith("use1-az")
        assert subnet["SubnetArn"] == f"arn:aws:ec2:us-east-1:000000000000:subnet/{subnet['SubnetId']}"
    assert len(set(networks)) == len(networks)
    assert not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1:])


def test_subnet_filters(ec2: Any) -> None:
    subnets = ec2.describe_subnets()["Subnets"]
    vpc_id = subnets[0]["VpcId"]

    def zones(*filters: tuple[str, list[str]]) -> list[str]:
        found = ec2.describe_subnets(Filters=[{"Name": n, "Values": v} for n, v in filters])["Subnets"]
        return sorted(s["AvailabilityZone"] for s in found)

    assert zones(("availability-zone", ["us-east-1b"])) == ["us-east-1b"]
    assert zones(("availability-zone", ["us-east-1a", "us-east-1c"])) == ["us-east-1a", "us-east-1c"]
    assert zones(("default-for-az", ["true"])) == sorted(s["AvailabilityZone"] for s in subnets)
    assert zones(("default-for-az", ["false"])) == []
    assert len(zones(("vpc-id", [vpc_id]))) == len(subnets)
    assert zones(("vpc-id", ["vpc-0123456789abcdef0"])) == []
    target = subnets[2]
    assert zones(("subnet-id", [target["SubnetId"]])) == [target["AvailabilityZone"]]
    assert zones(("cidr-block", [target["CidrBlock"]])) == [target["AvailabilityZone"]]
    assert zones(("availability-zone", ["us-east-1*"]), ("default-for-az", ["true"])) == zones()
    err = error_of(ec2.describe_subnets, Filters=[{"Name": "colour", "Values": ["blue"]}])
    assert err == {"Code": "InvalidParameterValue", "Message": "The filter 'colour' is invalid", "Status": 400}


def test_subnet_ids_select_and_unknown_ids_are_rejected(ec2: Any) -> None:
    subnets = ec2.describe_subnets()["Subnets"]
    wanted = [subnets[1]["SubnetId"], subnets[3]["SubnetId"]]
    found = ec2.describe_subnets(SubnetIds=wanted)["Subnets"]
    assert sorted(s["SubnetId"] for s in found) == sorted(wanted)
    err = error_of(ec2.describe_subnets, SubnetIds=[wanted[0], "subnet-0000000000000000f"])
    assert err == {"Code": "InvalidSubnetID.NotFound",
                   "Message": "The subnet ID 'subnet-0000000000000000f' does not exist", "Status": 400}
    err = error_of(ec2.describe_subnets, SubnetIds=["subnet-0000000000000000e", "subnet-0000000000000000f"])
    assert err["Message"] == "The subnet IDs 'subnet-0000000000000000e, subnet-0000000000000000f' do not exist"
    err = error_of(ec2.describe_subnets, SubnetIds=["subnet-xyz"])
    assert err == {"Code": "InvalidSubnetID.Malformed", "Message": 'Invalid id: "subnet-xyz" (expecting "subnet-...")',
                   "Status": 400}


def test_subnet_paging(ec2: Any) -> None:
    everything = sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"])
    first = ec2.describe_subnets(MaxResults=5)
    assert len(first["Subnets"]) == 5 and "NextToken" in first
    second = ec2.describe_subnets(MaxResults=5, NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert [s["SubnetId"] for s in first["Subnets"] + second["Subnets"]] == everything
    err = error_of(ec2.describe_subnets, SubnetIds=[everything[0]], MaxResults=5)
    assert err["Code"] == "InvalidParameterCombination"


def test_default_security_group(ec2: Any) -> None:
    [group] = ec2.describe_security_groups()["SecurityGroups"]
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert group["GroupName"] == "default"
    assert group["Description"] == "default VPC security group"
    assert group["VpcId"] == vpc_id
    assert group["OwnerId"] == "000000000000"
    assert group["GroupId"].startswith("sg-")
    # Default rules: all traffic from members of the group in, everything out.
    assert group["IpPermissions"][0]["IpProtocol"] == "-1"
    assert group["IpPermissions"][0]["UserIdGroupPairs"] == [{"GroupId": group["GroupId"], "UserId": "000000000000"}]
    assert group["IpPermissionsEgress"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]
    assert ec2.describe_security_groups(GroupIds=[group["GroupId"]])["SecurityGroups"] == [group]
    assert ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"] == [group]
    for name, values in [("group-name", ["default"]), ("vpc-id", [vpc_id]), ("group-id", [group["GroupId"]]),
                         ("egress.ip-permission.cidr", ["0.0.0.0/0"]), ("description", ["default*"])]:
        found = ec2.describe_security_groups(Filters=[{"Name": name, "Values": values}])["SecurityGroups"]
        assert found == [group], name
    assert ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["web"]}]
    )["SecurityGroups"] == []


def test_unknown_security_groups(ec2: Any) -> None:
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    err = error_of(ec2.describe_security_groups, GroupIds=["sg-0123456789abcdef0"])
    assert err == {"Code": "InvalidGroup.NotFound", "Message": "The security group 'sg-0123456789abcdef0' does not exist",
                   "Status": 400}
    err = error_of(ec2.describe_security_groups, GroupNames=["web"])
    assert err == {"Code": "InvalidGroup.NotFound",
                   "Message": f"The security group 'web' does not exist in default VPC '{vpc_id}'", "Status": 400}
    err = error_of(ec2.describe_security_groups, GroupIds=["sg-zz"])
    assert err == {"Code": "InvalidGroupId.Malformed", "Message": 'Invalid id: "sg-zz" (expecting "sg-...")',
                   "Status": 400}


def test_ids_differ_per_account_and_region_and_are_stable(make_client: Any) -> None:
    east = make_client(region="us-east-1")
    west = make_client(region="us-west-2")
    east_vpc = east.describe_vpcs()["Vpcs"][0]["VpcId"]
    west_vpc = west.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert east_vpc != west_vpc
    assert east.describe_vpcs()["Vpcs"][0]["VpcId"] == east_vpc
    east_subnets = {s["SubnetId"] for s in east.describe_subnets()["Subnets"]}
    west_subnets = west.describe_subnets()["Subnets"]
    assert east_subnets.isdisjoint(s["SubnetId"] for s in west_subnets)
    assert all(s["AvailabilityZone"].startswith("us-west-2") and s["VpcId"] == west_vpc for s in west_subnets)
    assert len(west_subnets) == 4
    err = error_of(west.describe_vpcs, VpcIds=[east_vpc])
    assert err["Code"] == "InvalidVpcID.NotFound"
    err = error_of(west.describe_subnets, SubnetIds=[sorted(east_subnets)[0]])
    assert err["Code"] == "InvalidSubnetID.NotFound"
    east_group = east.describe_security_groups()["SecurityGroups"][0]["GroupId"]
    assert west.describe_security_groups()["SecurityGroups"][0]["GroupId"] != east_group
    err = error_of(west.describe_security_groups, GroupIds=[east_group])
    assert err["Code"] == "InvalidGroup.NotFound"


def test_run_instances_with_subnet_id_lands_in_the_subnets_zone(ec2: Any) -> None:
    subnets = ec2.describe_subnets()["Subnets"]
    for subnet in (subnets[0], subnets[4]):
        [instance_id] = launch(ec2, SubnetId=subnet["SubnetId"])
        instance = instance_of(ec2, instance_id)
        assert instance["Placement"]["AvailabilityZone"] == subnet["AvailabilityZone"]
        assert instance["SubnetId"] == subnet["SubnetId"]
        assert instance["VpcId"] == subnet["VpcId"]
        address = ipaddress.ip_address(instance["PrivateIpAddress"])
        assert address in ipaddress.ip_network(subnet["CidrBlock"])
        assert instance["PrivateDnsName"] == f"ip-{str(address).replace('.', '-')}.ec2.internal"
        group = ec2.describe_security_groups()["SecurityGroups"][0]
        assert instance["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]


def test_launched_instances_use_subnet_addresses(ec2: Any, clock: Any) -> None:
    subnet = ec2.describe_subnets()["Subnets"][1]
    ids = launch(ec2, 3, SubnetId=subnet["SubnetId"])
    after = ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]
    assert after["AvailableIpAddressCount"] == 4091 - 3
    ec2.terminate_instances(InstanceIds=ids[:2])
    clock.advance(6)
    after = ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]
    assert after["AvailableIpAddressCount"] == 4091 - 1


def test_run_instances_rejects_bad_subnets_and_launches_nothing(ec2: Any) -> None:
    subnets = {s["AvailabilityZone"]: s for s in ec2.describe_subnets()["Subnets"]}
    err = error_of(launch, ec2, SubnetId="subnet-0000000000000000f")
    assert err == {"Code": "InvalidSubnetID.NotFound",
                   "Message": "The subnet ID 'subnet-0000000000000000f' does not exist", "Status": 400}
    err = error_of(launch, ec2, SubnetId=subnets["us-east-1a"]["SubnetId"],
                   Placement={"AvailabilityZone": "us-east-1b"})
    assert err["Code"] == "InvalidParameterCombination"
    assert ec2.describe_instances()["Reservations"] == []


def test_tags_on_default_networking(ec2: Any, make_client: Any) -> None:
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet_id = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    ec2.create_tags(Resources=[vpc_id, subnet_id], Tags=[{"Key": "Name", "Value": "main"}])
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["main"]}])["Vpcs"]
    assert vpc["Tags"] == [{"Key": "Name", "Value": "main"}]
    tagged = ec2.describe_subnets(Filters=[{"Name": "tag-key", "Values": ["Name"]}])["Subnets"]
    assert [s["SubnetId"] for s in tagged] == [subnet_id]
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["other"]}])["Vpcs"] == []
    west = make_client(region="us-west-2")
    assert "Tags" not in west.describe_vpcs()["Vpcs"][0]


def test_dry_run_changes_nothing(ec2: Any) -> None:
    for call in (ec2.describe_vpcs, ec2.describe_subnets, ec2.describe_security_groups):
        err = error_of(call, DryRun=True)
        assert err["Code"] == "DryRunOperation" and err["Status"] == 412
    err = error_of(ec2.describe_vpcs, DryRun=True, VpcIds=["vpc-0123456789abcdef0"])
    assert err["Code"] == "InvalidVpcID.NotFound"
