"""What one account learns of another's EC2 resources: nothing. For every Describe (and
Get) operation EC2 serves — the table below, checked against the registry so that a new
one without a row fails — the other account probes the owner's resources by ID, by an ID
filter and by the owner's tag. By ID the answer is the one a well-formed ID that exists
nowhere gets (the resource type's ``…NotFound``, or nothing), the ID aside; by filter and
tag, nothing. No answer names the owner's account, resources or tag values. A resource
the other account can see but does not own (a shared image, the owner's address) answers
``AuthFailure`` where AWS documents it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.services import registry
from tests.conftest import NO_RETRY
from tests.helpers import error_of, image_id, launch
from tests.two_accounts import KEYS, OTHER, OWNER

SECRET_TAG = {"Key": "Secret", "Value": "owner-only-tag-value"}
NOWHERE = "0123456789abcdef0"


@dataclass(frozen=True)
class Row:
    """How the other account probes one operation: the parameters naming the owner's
    resource ``kind`` (``by_id(resource_id)``), the ID filter's name, whether it takes
    ``tag:`` filters; ``fresh``: an ID of the same form that exists nowhere."""

    kind: str = ""
    by_id: Callable[[str], dict[str, Any]] | None = None
    fresh: str = ""
    id_filter: str = ""
    tags: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    filter_of: str = ""  # the resource the ID filter names, when not ``kind``


def ids(name: str) -> Callable[[str], dict[str, Any]]:
    return lambda found: {name: [found]}


def one(name: str, **more: Any) -> Callable[[str], dict[str, Any]]:
    return lambda found: {name: found, **more}


# Every Describe/Get operation EC2 serves. A row without ``kind`` is of no account's
# resources (a catalogue, or the caller's own settings): only the no-leak check applies.
ROWS: dict[str, Row] = {
    "DescribeInstances": Row("instance", ids("InstanceIds"), f"i-{NOWHERE}", "instance-id", True),
    "DescribeInstanceStatus": Row("instance", ids("InstanceIds"), f"i-{NOWHERE}", "instance-id",
                                  params={"IncludeAllInstances": True}),
    "DescribeInstanceAttribute": Row("instance", one("InstanceId", Attribute="instanceType"), f"i-{NOWHERE}"),
    "DescribeInstanceCreditSpecifications": Row("instance", ids("InstanceIds"), f"i-{NOWHERE}", "instance-id"),
    "GetLaunchTemplateData": Row("instance", one("InstanceId"), f"i-{NOWHERE}"),
    "DescribeIamInstanceProfileAssociations": Row("association", ids("AssociationIds"), f"iip-assoc-{NOWHERE}",
                                                  "instance-id"),
    "DescribeVolumes": Row("volume", ids("VolumeIds"), f"vol-{NOWHERE}", "volume-id", True),
    "DescribeVolumeStatus": Row("volume", ids("VolumeIds"), f"vol-{NOWHERE}"),  # AWS has no volume-id filter
    "DescribeVolumesModifications": Row("volume", ids("VolumeIds"), f"vol-{NOWHERE}", "volume-id"),
    "DescribeSnapshots": Row("snapshot", ids("SnapshotIds"), f"snap-{NOWHERE}", "snapshot-id", True),
    "DescribeSnapshotAttribute": Row("snapshot", one("SnapshotId", Attribute="createVolumePermission"),
                                     f"snap-{NOWHERE}"),
    "DescribeSnapshotTierStatus": Row("snapshot", None, "", "snapshot-id"),
    "DescribeImages": Row("image", ids("ImageIds"), f"ami-{NOWHERE}", "image-id", True),
    "DescribeImageAttribute": Row("image", one("ImageId", Attribute="description"), f"ami-{NOWHERE}"),
    "DescribeKeyPairs": Row("key_pair", ids("KeyPairIds"), f"key-{NOWHERE}", "key-pair-id", True),
    "DescribeSecurityGroups": Row("group", ids("GroupIds"), f"sg-{NOWHERE}", "group-id", True),
    "DescribeSecurityGroupRules": Row("rule", ids("SecurityGroupRuleIds"), f"sgr-{NOWHERE}",
                                      "security-group-rule-id", True),
    "DescribeVpcs": Row("vpc", ids("VpcIds"), f"vpc-{NOWHERE}", "vpc-id", True),
    "DescribeVpcAttribute": Row("vpc", one("VpcId", Attribute="enableDnsSupport"), f"vpc-{NOWHERE}"),
    "DescribeSubnets": Row("subnet", ids("SubnetIds"), f"subnet-{NOWHERE}", "subnet-id", True),
    "DescribeNetworkInterfaces": Row("interface", ids("NetworkInterfaceIds"), f"eni-{NOWHERE}",
                                     "network-interface-id", True),
    "DescribeNetworkInterfaceAttribute": Row("interface", one("NetworkInterfaceId", Attribute="description"),
                                             f"eni-{NOWHERE}"),
    "DescribeAddresses": Row("address", ids("AllocationIds"), f"eipalloc-{NOWHERE}", "allocation-id", True),
    "DescribeLaunchTemplates": Row("template", ids("LaunchTemplateIds"), f"lt-{NOWHERE}", "launch-template-name",
                                   True, filter_of="template_name"),
    "DescribeLaunchTemplateVersions": Row("template", one("LaunchTemplateId"), f"lt-{NOWHERE}"),
    "DescribeInternetGateways": Row("gateway", ids("InternetGatewayIds"), f"igw-{NOWHERE}",
                                    "internet-gateway-id", True),
    "DescribeRouteTables": Row("route_table", ids("RouteTableIds"), f"rtb-{NOWHERE}", "route-table-id", True),
    "DescribeTags": Row("instance", None, "", "resource-id"),
    # Of no account's resources.
    "DescribeAccountAttributes": Row(),
    "DescribeAvailabilityZones": Row(),
    "DescribeRegions": Row(),
    "DescribeInstanceTypes": Row(),
    "DescribeInstanceTypeOfferings": Row(),
    "GetImageBlockPublicAccessState": Row(),
    "GetInstanceMetadataDefaults": Row(),
}


def test_every_describe_operation_ec2_serves_has_a_row() -> None:
    served = {name for name in registry.load()["ec2"].operations if name.startswith(("Describe", "Get"))}
    assert served == set(ROWS)


def client(transport: InProcessTransport, account: str, service: str = "ec2") -> Any:
    key, secret = KEYS[account]
    return transport.attach(boto3.client(service, region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                         aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY))


def make_resources(app: Emulator, transport: InProcessTransport) -> dict[str, str]:
    """One of each of the owner's resources, tagged with :data:`SECRET_TAG` where taggable."""
    ec2, iam = client(transport, OWNER), client(transport, OWNER, "iam")
    tag = [SECRET_TAG]
    made: dict[str, str] = {}
    made["vpc"] = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    made["subnet"] = ec2.create_subnet(VpcId=made["vpc"], CidrBlock="10.9.1.0/24",
                                       AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    made["group"] = ec2.create_security_group(GroupName="owners", Description="owners", VpcId=made["vpc"])["GroupId"]
    made["rule"] = ec2.authorize_security_group_ingress(
        GroupId=made["group"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                               "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
    )["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    made["interface"] = ec2.create_network_interface(SubnetId=made["subnet"])["NetworkInterface"]["NetworkInterfaceId"]
    allocated = ec2.allocate_address(Domain="vpc")
    made["address"], made["public_ip"] = allocated["AllocationId"], allocated["PublicIp"]
    made["gateway"] = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    made["route_table"] = ec2.create_route_table(VpcId=made["vpc"])["RouteTable"]["RouteTableId"]
    made["template"] = ec2.create_launch_template(
        LaunchTemplateName="owners-template-x1", LaunchTemplateData={"InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    made["template_name"] = "owners-template-x1"
    made["key_pair"] = ec2.create_key_pair(KeyName="owners-key-x1")["KeyPairId"]
    [made["instance"]] = launch(ec2)
    made["volume"] = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    app.advance(60)
    ec2.modify_volume(VolumeId=made["volume"], Size=2)
    made["snapshot"] = ec2.create_snapshot(VolumeId=made["volume"])["SnapshotId"]
    root = ec2.describe_images(ImageIds=[image_id(ec2)])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    made["image"] = ec2.register_image(Name="owners", RootDeviceName="/dev/xvda", Architecture="x86_64",
                                       VirtualizationType="hvm", BlockDeviceMappings=[
                                           {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": root}}])["ImageId"]
    iam.create_role(RoleName="owners", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.create_instance_profile(InstanceProfileName="owners")
    iam.add_role_to_instance_profile(InstanceProfileName="owners", RoleName="owners")
    made["association"] = ec2.associate_iam_instance_profile(
        InstanceId=made["instance"], IamInstanceProfile={"Name": "owners"})["IamInstanceProfileAssociation"][
        "AssociationId"]
    taggable = [v for k, v in made.items() if k not in ("public_ip", "association", "template_name")]
    ec2.create_tags(Resources=taggable, Tags=tag)
    return made


def answer(call: Callable[..., Any], **params: Any) -> tuple[str, Any]:
    """``("ok", result)`` or ``("error", (code, message, status))``."""
    try:
        result = call(**params)
    except ClientError as error:
        response = error.response
        return "error", (response["Error"]["Code"], response["Error"]["Message"],
                         response["ResponseMetadata"]["HTTPStatusCode"])
    result.pop("ResponseMetadata", None)
    return "ok", result


def listed(result: dict[str, Any]) -> list[Any]:
    """The resources a Describe answer lists (its list members, together)."""
    return [item for value in result.values() if isinstance(value, list) for item in value]


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def test_the_other_account_learns_nothing_of_the_owners_resources(strict_app: Emulator) -> None:
    transport = InProcessTransport(strict_app)
    made = make_resources(strict_app, transport)
    other = client(transport, OTHER)
    owner = client(transport, OWNER)
    secrets = {OWNER, SECRET_TAG["Value"], *made.values()}
    problems: list[str] = []
    for operation, row in ROWS.items():
        call = getattr(other, snake(operation))
        named = row.by_id(row.fresh) if row.by_id is not None else {}
        takes_no_name = all(isinstance(v, list) for v in named.values())  # the names are optional
        probes: list[tuple[str, dict[str, Any]]] = [("plain", dict(row.params))] if takes_no_name else []
        if row.kind and row.by_id is not None:
            outcome = answer(call, **row.params, **row.by_id(made[row.kind]))
            nowhere = answer(call, **row.params, **row.by_id(row.fresh))
            if outcome[0] == "error":
                code, message, status = outcome[1]
                same = (code, message.replace(made[row.kind], row.fresh), status)
                if nowhere != ("error", same) or not code.endswith("NotFound"):
                    problems.append(f"{operation} by ID: {outcome} (an ID nowhere: {nowhere})")
            elif listed(outcome[1]) or nowhere[0] != "ok":
                problems.append(f"{operation} by ID: {outcome} (an ID nowhere: {nowhere})")
            else:
                probes.append(("by id", row.by_id(made[row.kind])))
            # the owner, asking the same, is answered (the probe names a real resource)
            mine = answer(getattr(owner, snake(operation)), **row.params, **row.by_id(made[row.kind]))
            if mine[0] != "ok":
                problems.append(f"{operation}: the owner's own probe failed: {mine}")
        if row.id_filter:
            value = made[row.filter_of or row.kind]
            probes.append(("id filter", {**row.params, "Filters": [{"Name": row.id_filter, "Values": [value]}]}))
        if row.tags:
            probes.append(("tag filter", {**row.params, "Filters": [
                {"Name": f"tag:{SECRET_TAG['Key']}", "Values": [SECRET_TAG["Value"]]}]}))
            probes.append(("tag-value filter", {**row.params, "Filters": [
                {"Name": "tag-value", "Values": [SECRET_TAG["Value"]]}]}))
        for probe, params in probes:
            outcome = answer(call, **params)
            if outcome[0] != "ok":
                problems.append(f"{operation} {probe}: {outcome}")
                continue
            if probe != "plain" and listed(outcome[1]):
                problems.append(f"{operation} {probe}: lists {listed(outcome[1])}")
            text = json.dumps(outcome[1], default=str)
            leaked = sorted(s for s in secrets if s in text)
            if leaked:
                problems.append(f"{operation} {probe}: names {leaked}")
    transport.close()
    assert problems == [], "\n".join(problems)


def test_a_visible_resource_the_caller_does_not_own_is_not_its_to_change(strict_app: Emulator) -> None:
    """A shared image: the other account sees it, may not read its attributes or change
    or deregister it (``AuthFailure``). The owner's address: the other account cannot
    see it, nor release or associate it."""
    transport = InProcessTransport(strict_app)
    owner, other = client(transport, OWNER), client(transport, OTHER)
    made = make_resources(strict_app, transport)
    image = made["image"]
    owner.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": OTHER}]})
    assert [i["ImageId"] for i in other.describe_images(ImageIds=[image])["Images"]] == [image]
    assert other.describe_images(ImageIds=[image])["Images"][0].get("Tags", []) == []
    for call, params in [(other.describe_image_attribute, {"Attribute": "launchPermission"}),
                         (other.modify_image_attribute, {"Description": {"Value": "mine now"}}),
                         (other.deregister_image, {})]:
        try:
            call(ImageId=image, **params)
            raise AssertionError(f"{call} was allowed")
        except ClientError as refused:
            error = refused.response["Error"]
        assert error["Code"] == "AuthFailure", (call, error)
    assert owner.describe_images(ImageIds=[image])["Images"][0]["State"] == "available"
    address = made["address"]
    assert error_of(other.describe_addresses, AllocationIds=[address])["Code"] == "InvalidAllocationID.NotFound"
    assert other.describe_addresses(Filters=[{"Name": "public-ip", "Values": [made["public_ip"]]}])["Addresses"] == []
    [theirs] = launch(other)
    strict_app.advance(60)
    for call, params in [(other.release_address, {"AllocationId": address}),
                         (other.associate_address, {"AllocationId": address, "InstanceId": theirs})]:
        try:
            call(**params)
            raise AssertionError(f"{call} was allowed")
        except ClientError as refused:
            error = refused.response["Error"]
        assert error["Code"] == "InvalidAllocationID.NotFound", (call, error)
    [mine] = owner.describe_addresses(AllocationIds=[address])["Addresses"]
    assert "AssociationId" not in mine
    transport.close()
