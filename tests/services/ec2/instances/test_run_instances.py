"""RunInstances through boto3: counts, image and type checks, placement, launch options,
idempotency, DryRun, and the launched instance record as DescribeInstances shows it.

Every rejected request is checked twice: the exact AWS error (code, message, status)
and that nothing was launched, tagged or allocated.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
from typing import Any

import botocore.handlers
import pytest

from tests.helpers import error_of, image_id, states

UTC = dt.timezone.utc
ARM_IMAGE = "al2023-ami-2023.*-arm64"
STORE_IMAGE = "amzn-ami-minimal-hvm-*"


def snapshot(ec2: Any) -> tuple[Any, Any]:
    """Everything a failed call must leave alone: all instances and all tags."""
    return ec2.describe_instances()["Reservations"], ec2.describe_tags()["Tags"]


def only_instance(ec2: Any, instance_id: str) -> dict[str, Any]:
    reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    assert len(reservations) == 1 and len(reservations[0]["Instances"]) == 1
    return dict(reservations[0]["Instances"][0])


def run(ec2: Any, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("ImageId", image_id(ec2))
    kwargs.setdefault("InstanceType", "t3.micro")
    kwargs.setdefault("MinCount", 1)
    kwargs.setdefault("MaxCount", 1)
    return dict(ec2.run_instances(**kwargs))


def rejected(ec2: Any, **kwargs: Any) -> dict[str, Any]:
    """The error RunInstances answers for ``kwargs``; asserts nothing changed."""
    kwargs.setdefault("ImageId", image_id(ec2))
    kwargs.setdefault("InstanceType", "t3.micro")
    kwargs.setdefault("MinCount", 1)
    kwargs.setdefault("MaxCount", 1)
    before = snapshot(ec2)
    error = error_of(ec2.run_instances, **kwargs)
    assert snapshot(ec2) == before
    return error


# --------------------------------------------------------------------------- counts


def test_min_and_max_count_equal_launches_that_many_in_one_reservation(ec2: Any) -> None:
    reservation = run(ec2, MinCount=3, MaxCount=3)
    instances = reservation["Instances"]
    assert len(instances) == 3
    assert sorted(i["AmiLaunchIndex"] for i in instances) == [0, 1, 2]
    assert len({i["InstanceId"] for i in instances}) == 3
    described = ec2.describe_instances()["Reservations"]
    assert [r["ReservationId"] for r in described] == [reservation["ReservationId"]]
    assert len(described[0]["Instances"]) == 3


def test_max_count_above_min_launches_max_when_capacity_allows(ec2: Any) -> None:
    reservation = run(ec2, MinCount=1, MaxCount=4)
    assert len(reservation["Instances"]) == 4


def test_min_count_zero_is_rejected(ec2: Any) -> None:
    error = rejected(ec2, MinCount=0, MaxCount=1)
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "Value (0) for parameter minCount is invalid. Expecting a value greater than 0.",
        "Status": 400,
    }


def test_max_count_below_min_count_is_rejected(ec2: Any) -> None:
    error = rejected(ec2, MinCount=3, MaxCount=2)
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400
    assert "maxCount" in error["Message"]


def test_min_count_over_the_limit_launches_nothing(ec2: Any) -> None:
    error = rejected(ec2, MinCount=100000, MaxCount=100000)
    assert error["Code"] == "InstanceLimitExceeded"
    assert error["Status"] == 400


# --------------------------------------------------------------------------- image and type


@pytest.mark.parametrize("bad", ["ami-xyz", "ami-123", "img-0123456789abcdef0", "ami-0123456789ABCDEF0"])
def test_malformed_image_id(ec2: Any, bad: str) -> None:
    error = rejected(ec2, ImageId=bad)
    assert error == {
        "Code": "InvalidAMIID.Malformed",
        "Message": f'Invalid id: "{bad}" (expecting "ami-...")',
        "Status": 400,
    }


def test_unknown_image_id(ec2: Any) -> None:
    error = rejected(ec2, ImageId="ami-0123456789abcdef0")
    assert error == {
        "Code": "InvalidAMIID.NotFound",
        "Message": "The image id '[ami-0123456789abcdef0]' does not exist",
        "Status": 400,
    }


def test_image_of_another_region_is_not_found(ec2: Any, make_client: Any) -> None:
    west_image = image_id(make_client("us-west-2"))
    error = rejected(ec2, ImageId=west_image)
    assert error["Code"] == "InvalidAMIID.NotFound"


def test_unknown_instance_type(ec2: Any) -> None:
    error = rejected(ec2, InstanceType="t9.mega")
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid value 't9.mega' for InstanceType.",
        "Status": 400,
    }


def test_arm64_image_with_x86_type(ec2: Any) -> None:
    error = rejected(ec2, ImageId=image_id(ec2, ARM_IMAGE), InstanceType="t3.micro")
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400
    assert error["Message"].startswith(
        "The architecture 'x86_64' of the specified instance type does not match the "
        "architecture 'arm64' of the specified AMI."
    )


def test_x86_image_with_graviton_type(ec2: Any) -> None:
    error = rejected(ec2, InstanceType="t4g.micro")
    assert error["Code"] == "InvalidParameterValue"
    assert error["Message"].startswith(
        "The architecture 'arm64' of the specified instance type does not match the "
        "architecture 'x86_64' of the specified AMI."
    )


def test_arm64_image_with_graviton_type_launches(ec2: Any) -> None:
    instance = run(ec2, ImageId=image_id(ec2, ARM_IMAGE), InstanceType="t4g.micro")["Instances"][0]
    assert instance["Architecture"] == "arm64"
    assert instance["InstanceType"] == "t4g.micro"


def test_instance_store_image_needs_a_type_that_can_boot_it(ec2: Any) -> None:
    store = image_id(ec2, STORE_IMAGE, root="instance-store")
    error = rejected(ec2, ImageId=store, InstanceType="t3.micro")
    assert error == {
        "Code": "UnsupportedOperation",
        "Message": f"AMI '{store}' with an instance-store root device is not supported for "
                   "the instance type 't3.micro'.",
        "Status": 400,
    }


def test_instance_store_image_on_an_instance_storage_type(ec2: Any) -> None:
    store = image_id(ec2, STORE_IMAGE, root="instance-store")
    instance = run(ec2, ImageId=store, InstanceType="m3.medium")["Instances"][0]
    assert instance["RootDeviceType"] == "instance-store"
    assert instance["BlockDeviceMappings"] == []
    attribute = ec2.describe_instance_attribute(
        InstanceId=instance["InstanceId"], Attribute="instanceInitiatedShutdownBehavior"
    )
    assert attribute["InstanceInitiatedShutdownBehavior"] == {"Value": "terminate"}


def test_instance_store_image_rejects_a_shutdown_behavior(ec2: Any) -> None:
    store = image_id(ec2, STORE_IMAGE, root="instance-store")
    error = rejected(
        ec2, ImageId=store, InstanceType="m3.medium", InstanceInitiatedShutdownBehavior="stop"
    )
    assert error == {
        "Code": "InvalidParameterCombination",
        "Message": "The attribute instanceInitiatedShutdownBehavior can only be used for elastic images",
        "Status": 400,
    }


# --------------------------------------------------------------------------- placement


def test_placement_availability_zone(ec2: Any) -> None:
    instance = run(ec2, Placement={"AvailabilityZone": "us-east-1c"})["Instances"][0]
    assert instance["Placement"]["AvailabilityZone"] == "us-east-1c"
    subnet = ec2.describe_subnets(SubnetIds=[instance["SubnetId"]])["Subnets"][0]
    assert subnet["AvailabilityZone"] == "us-east-1c"
    assert subnet["DefaultForAz"] is True


def test_invalid_placement_availability_zone(ec2: Any) -> None:
    error = rejected(ec2, Placement={"AvailabilityZone": "us-east-1z"})
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid availability zone: [us-east-1z]",
        "Status": 400,
    }


def test_zone_of_another_region_is_invalid(ec2: Any) -> None:
    error = rejected(ec2, Placement={"AvailabilityZone": "us-west-2a"})
    assert error["Message"] == "Invalid availability zone: [us-west-2a]"


def test_subnet_id_lands_in_the_subnets_zone(ec2: Any) -> None:
    subnets = ec2.describe_subnets()["Subnets"]
    assert len(subnets) > 1
    for subnet in subnets:
        instance = run(ec2, SubnetId=subnet["SubnetId"])["Instances"][0]
        assert instance["Placement"]["AvailabilityZone"] == subnet["AvailabilityZone"]
        assert instance["SubnetId"] == subnet["SubnetId"]
        assert instance["VpcId"] == subnet["VpcId"]
        assert ipaddress.ip_address(instance["PrivateIpAddress"]) in ipaddress.ip_network(
            subnet["CidrBlock"]
        )


def test_unknown_subnet(ec2: Any) -> None:
    error = rejected(ec2, SubnetId="subnet-0123456789abcdef0")
    assert error == {
        "Code": "InvalidSubnetID.NotFound",
        "Message": "The subnet ID 'subnet-0123456789abcdef0' does not exist",
        "Status": 400,
    }


def test_subnet_and_a_different_zone_conflict(ec2: Any) -> None:
    subnet = ec2.describe_subnets(
        Filters=[{"Name": "availability-zone", "Values": ["us-east-1a"]}]
    )["Subnets"][0]
    error = rejected(
        ec2, SubnetId=subnet["SubnetId"], Placement={"AvailabilityZone": "us-east-1b"}
    )
    assert error["Code"] == "InvalidParameterCombination"


def test_launches_without_placement_spread_across_zones(ec2: Any) -> None:
    zones = {run(ec2)["Instances"][0]["Placement"]["AvailabilityZone"] for _ in range(4)}
    assert len(zones) > 1


# --------------------------------------------------------------------------- tags at launch


def test_tag_specifications_for_instance_and_volume(ec2: Any) -> None:
    reservation = run(
        ec2,
        MinCount=2,
        MaxCount=2,
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "Env", "Value": "ci"}]},
            {"ResourceType": "volume", "Tags": [{"Key": "Disk", "Value": "root"}]},
        ],
    )
    for instance in reservation["Instances"]:
        described = only_instance(ec2, instance["InstanceId"])
        assert sorted((t["Key"], t["Value"]) for t in described["Tags"]) == [("Env", "ci"), ("Name", "web")]
        volume_id = described["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
        volume_tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [volume_id]}])["Tags"]
        assert volume_tags == [
            {"Key": "Disk", "ResourceId": volume_id, "ResourceType": "volume", "Value": "root"}
        ]
    instance_tags = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["instance"]}])["Tags"]
    assert len(instance_tags) == 4


def test_tag_specification_with_reserved_key_is_rejected(ec2: Any) -> None:
    error = rejected(
        ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "aws:x", "Value": "1"}]}]
    )
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400


def test_tag_specification_for_an_untaggable_type_is_rejected(ec2: Any) -> None:
    error = rejected(
        ec2, TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "k", "Value": "v"}]}]
    )
    assert error["Code"] == "InvalidParameterValue"


# --------------------------------------------------------------------------- launch options


def test_disable_api_termination_and_stop_at_launch(ec2: Any) -> None:
    instance_id = run(ec2, DisableApiTermination=True, DisableApiStop=True)["Instances"][0]["InstanceId"]
    termination = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="disableApiTermination")
    stop = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="disableApiStop")
    assert termination["DisableApiTermination"] == {"Value": True}
    assert stop["DisableApiStop"] == {"Value": True}
    plain = run(ec2)["Instances"][0]["InstanceId"]
    assert ec2.describe_instance_attribute(
        InstanceId=plain, Attribute="disableApiTermination"
    )["DisableApiTermination"] == {"Value": False}


@pytest.mark.parametrize("behavior", ["stop", "terminate"])
def test_instance_initiated_shutdown_behavior(ec2: Any, behavior: str) -> None:
    instance_id = run(ec2, InstanceInitiatedShutdownBehavior=behavior)["Instances"][0]["InstanceId"]
    attribute = ec2.describe_instance_attribute(
        InstanceId=instance_id, Attribute="instanceInitiatedShutdownBehavior"
    )
    assert attribute["InstanceInitiatedShutdownBehavior"] == {"Value": behavior}


def test_shutdown_behavior_defaults_to_stop(ec2: Any) -> None:
    instance_id = run(ec2)["Instances"][0]["InstanceId"]
    attribute = ec2.describe_instance_attribute(
        InstanceId=instance_id, Attribute="instanceInitiatedShutdownBehavior"
    )
    assert attribute["InstanceInitiatedShutdownBehavior"] == {"Value": "stop"}


def test_invalid_shutdown_behavior(ec2: Any) -> None:
    error = rejected(ec2, InstanceInitiatedShutdownBehavior="hibernate")
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400


def test_user_data_is_stored_base64_encoded(ec2: Any) -> None:
    script = "#!/bin/bash\necho hello\n"
    instance_id = run(ec2, UserData=script)["Instances"][0]["InstanceId"]
    attribute = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")
    assert base64.b64decode(attribute["UserData"]["Value"]).decode() == script


def test_no_user_data(ec2: Any) -> None:
    instance_id = run(ec2)["Instances"][0]["InstanceId"]
    attribute = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")
    assert attribute["UserData"] == {}


def test_user_data_of_exactly_16_kib_is_accepted(ec2: Any) -> None:
    instance_id = run(ec2, UserData="x" * 16384)["Instances"][0]["InstanceId"]
    value = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")["UserData"]["Value"]
    assert len(base64.b64decode(value)) == 16384


def test_user_data_over_16_kib_is_rejected(ec2: Any) -> None:
    error = rejected(ec2, UserData="x" * 16385)
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "User data is limited to 16384 bytes",
        "Status": 400,
    }


def test_user_data_that_is_not_base64_is_rejected(ec2: Any) -> None:
    # boto3 base64-encodes UserData itself; switch that off to send raw text.
    ec2.meta.events.unregister(
        "before-parameter-build.ec2.RunInstances", botocore.handlers.base64_encode_user_data
    )
    error = rejected(ec2, UserData="not base64!")
    assert error == {
        "Code": "InvalidParameterValue",
        "Message": "Invalid BASE64 encoding of user data.",
        "Status": 400,
    }


def test_key_name(ec2: Any) -> None:
    ec2.create_key_pair(KeyName="deployer", KeyType="ed25519")
    instance_id = run(ec2, KeyName="deployer")["Instances"][0]["InstanceId"]
    assert only_instance(ec2, instance_id)["KeyName"] == "deployer"
    without = run(ec2)["Instances"][0]["InstanceId"]
    assert "KeyName" not in only_instance(ec2, without)


# --------------------------------------------------------------------------- idempotency, DryRun


def test_client_token_makes_run_instances_idempotent(ec2: Any) -> None:
    first = run(ec2, ClientToken="deploy-42", MinCount=2, MaxCount=2)
    second = run(ec2, ClientToken="deploy-42", MinCount=2, MaxCount=2)
    assert second["ReservationId"] == first["ReservationId"]
    assert [i["InstanceId"] for i in second["Instances"]] == [i["InstanceId"] for i in first["Instances"]]
    assert {i["ClientToken"] for i in second["Instances"]} == {"deploy-42"}
    described = ec2.describe_instances()["Reservations"]
    assert len(described) == 1 and len(described[0]["Instances"]) == 2
    other = run(ec2, ClientToken="deploy-43")
    assert other["ReservationId"] != first["ReservationId"]


def test_client_token_retry_reports_the_current_state(ec2: Any, clock: Any) -> None:
    first = run(ec2, ClientToken="retry-me")
    clock.advance(10)
    again = run(ec2, ClientToken="retry-me")
    assert again["Instances"][0]["InstanceId"] == first["Instances"][0]["InstanceId"]
    assert again["Instances"][0]["State"] == {"Code": 16, "Name": "running"}


def test_client_token_is_per_region(ec2: Any, make_client: Any) -> None:
    west = make_client("us-west-2")
    east_id = run(ec2, ClientToken="same-token")["Instances"][0]["InstanceId"]
    west_id = run(west, ClientToken="same-token")["Instances"][0]["InstanceId"]
    assert east_id != west_id


def test_dry_run_launches_nothing(ec2: Any) -> None:
    error = rejected(ec2, DryRun=True, MinCount=2, MaxCount=2)
    assert error == {
        "Code": "DryRunOperation",
        "Message": "Request would have succeeded, but DryRun flag is set.",
        "Status": 412,
    }
    assert ec2.describe_instances()["Reservations"] == []


def test_dry_run_still_validates_first(ec2: Any) -> None:
    error = rejected(ec2, DryRun=True, ImageId="ami-0123456789abcdef0")
    assert error["Code"] == "InvalidAMIID.NotFound"


# --------------------------------------------------------------------------- the record


def test_realistic_instance_record(ec2: Any, clock: Any) -> None:
    launched_at = clock.now()
    ami = image_id(ec2)
    reservation = run(ec2, ImageId=ami, Placement={"AvailabilityZone": "us-east-1b"})
    assert reservation["ReservationId"].startswith("r-")
    assert reservation["OwnerId"] == "000000000000"
    instance_id = reservation["Instances"][0]["InstanceId"]
    assert instance_id.startswith("i-") and len(instance_id) == 19

    described = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]
    assert described["ReservationId"] == reservation["ReservationId"]
    assert described["OwnerId"] == "000000000000"
    instance = described["Instances"][0]
    assert instance["ImageId"] == ami
    assert instance["InstanceType"] == "t3.micro"
    assert instance["State"] == {"Code": 0, "Name": "pending"}
    assert instance["StateReason"] == {"Code": "pending", "Message": "pending"}
    assert instance["LaunchTime"] == launched_at
    assert instance["AmiLaunchIndex"] == 0

    subnet = ec2.describe_subnets(SubnetIds=[instance["SubnetId"]])["Subnets"][0]
    assert subnet["AvailabilityZone"] == "us-east-1b"
    address = instance["PrivateIpAddress"]
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet["CidrBlock"])
    assert instance["PrivateDnsName"] == f"ip-{address.replace('.', '-')}.ec2.internal"
    assert instance["VpcId"] == subnet["VpcId"]
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]
    assert instance["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]

    image = ec2.describe_images(ImageIds=[ami])["Images"][0]
    assert instance["RootDeviceType"] == "ebs"
    assert instance["RootDeviceName"] == image["RootDeviceName"]
    assert instance["Architecture"] == image["Architecture"]
    mappings = instance["BlockDeviceMappings"]
    assert len(mappings) == 1
    assert mappings[0]["DeviceName"] == image["RootDeviceName"]
    ebs = mappings[0]["Ebs"]
    assert ebs["VolumeId"].startswith("vol-")
    assert ebs["Status"] == "attached"
    assert ebs["DeleteOnTermination"] is True
    assert ebs["AttachTime"] == launched_at
    assert "Tags" not in instance

    clock.advance(4)
    assert states(ec2, [instance_id]) == {instance_id: "pending"}
    clock.advance(2)
    running = only_instance(ec2, instance_id)
    assert running["State"] == {"Code": 16, "Name": "running"}
    assert "StateReason" not in running
    assert running["LaunchTime"] == launched_at
    assert running["PrivateIpAddress"] == address


def test_every_instance_gets_its_own_address_and_volume(ec2: Any) -> None:
    reservation = run(ec2, MinCount=5, MaxCount=5, Placement={"AvailabilityZone": "us-east-1a"})
    described = ec2.describe_instances(InstanceIds=[i["InstanceId"] for i in reservation["Instances"]])
    instances = described["Reservations"][0]["Instances"]
    assert len({i["PrivateIpAddress"] for i in instances}) == 5
    assert len({i["BlockDeviceMappings"][0]["Ebs"]["VolumeId"] for i in instances}) == 5
    more = run(ec2, Placement={"AvailabilityZone": "us-east-1a"})["Instances"][0]
    assert more["PrivateIpAddress"] not in {i["PrivateIpAddress"] for i in instances}


def test_root_volume_delete_on_termination_from_block_device_mapping(ec2: Any) -> None:
    ami = image_id(ec2)
    root = ec2.describe_images(ImageIds=[ami])["Images"][0]["RootDeviceName"]
    instance = run(
        ec2, ImageId=ami,
        BlockDeviceMappings=[{"DeviceName": root, "Ebs": {"DeleteOnTermination": False, "VolumeSize": 20}}],
    )["Instances"][0]
    described = only_instance(ec2, instance["InstanceId"])
    assert described["BlockDeviceMappings"][0]["Ebs"]["DeleteOnTermination"] is False


def test_run_instances_response_matches_describe(ec2: Any) -> None:
    reservation = run(ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}])
    described = ec2.describe_instances()["Reservations"][0]
    assert reservation["Instances"] == described["Instances"]
    assert reservation["Instances"][0]["Tags"] == [{"Key": "k", "Value": "v"}]


def test_root_volume_smaller_than_the_snapshot(ec2: Any) -> None:
    ami = image_id(ec2)
    image = ec2.describe_images(ImageIds=[ami])["Images"][0]
    root = next(m for m in image["BlockDeviceMappings"] if m["DeviceName"] == image["RootDeviceName"])
    size, snapshot_id = root["Ebs"]["VolumeSize"], root["Ebs"]["SnapshotId"]
    error = rejected(
        ec2, ImageId=ami,
        BlockDeviceMappings=[{"DeviceName": image["RootDeviceName"], "Ebs": {"VolumeSize": size - 1}}],
    )
    assert error == {
        "Code": "InvalidBlockDeviceMapping",
        "Message": f"Volume of size {size - 1}GB is smaller than  snapshot '{snapshot_id}', "
                   f"expect size >= {size}GB",
        "Status": 400,
    }


def test_client_token_with_different_arguments(ec2: Any) -> None:
    for name in ("one", "two"):
        ec2.create_key_pair(KeyName=name, KeyType="ed25519")
    run(ec2, ClientToken="token-x", KeyName="one")
    for changed in ({"KeyName": "two"}, {"InstanceType": "t3.small", "KeyName": "one"},
                    {"ImageId": image_id(ec2, "al2023-ami-minimal-*"), "KeyName": "one"}):
        error = rejected(ec2, ClientToken="token-x", **changed)
        assert error == {
            "Code": "IdempotentParameterMismatch",
            "Message": "Arguments on this idempotent request are inconsistent with arguments used "
                       "in previous request(s).",
            "Status": 400,
        }


def test_placement_by_availability_zone_id(ec2: Any) -> None:
    zone = ec2.describe_availability_zones(ZoneNames=["us-east-1d"])["AvailabilityZones"][0]
    instance = run(ec2, Placement={"AvailabilityZoneId": zone["ZoneId"]})["Instances"][0]
    assert instance["Placement"]["AvailabilityZone"] == "us-east-1d"


def test_security_groups(ec2: Any) -> None:
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]
    by_id = run(ec2, SecurityGroupIds=[group["GroupId"]])["Instances"][0]
    assert by_id["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]
    error = rejected(ec2, SecurityGroupIds=["sg-0123456789abcdef0"])
    assert error == {
        "Code": "InvalidGroup.NotFound",
        "Message": "The security group 'sg-0123456789abcdef0' does not exist",
        "Status": 400,
    }
    error = rejected(ec2, SecurityGroups=["web"])
    assert error == {
        "Code": "InvalidGroup.NotFound",
        "Message": f"The security group 'web' does not exist in default VPC '{group['VpcId']}'",
        "Status": 400,
    }


def test_a_dry_run_or_a_refused_launch_takes_no_zone_turn(ec2: Any) -> None:
    first = run(ec2)["Instances"][0]["Placement"]["AvailabilityZone"]
    for _ in range(2):
        assert error_of(run, ec2, DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(run, ec2, SecurityGroupIds=["sg-12345678"])["Code"] == "InvalidGroup.NotFound"
    second = run(ec2)["Instances"][0]["Placement"]["AvailabilityZone"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    assert zones.index(second) == (zones.index(first) + 1) % len(zones)
