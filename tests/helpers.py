"""Small helpers the tests share: launching instances, reading states, catching errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def image_id(ec2: Any, name: str = "al2023-ami-2023.*-x86_64", root: str = "ebs") -> str:
    images = ec2.describe_images(
        Owners=["amazon"],
        Filters=[{"Name": "name", "Values": [name]}, {"Name": "root-device-type", "Values": [root]}],
    )["Images"]
    assert images, f"no catalogue image matches {name}"
    return str(images[0]["ImageId"])


def launch(ec2: Any, count: int = 1, **kwargs: Any) -> list[str]:
    kwargs.setdefault("ImageId", image_id(ec2))
    kwargs.setdefault("InstanceType", "t3.micro")
    reservation = ec2.run_instances(MinCount=count, MaxCount=count, **kwargs)
    return [i["InstanceId"] for i in reservation["Instances"]]


def instance_of(ec2: Any, instance_id: str) -> dict[str, Any]:
    """One instance as DescribeInstances shows it."""
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return dict(reservation["Instances"][0])


def states(ec2: Any, ids: list[str]) -> dict[str, str]:
    result = {}
    for reservation in ec2.describe_instances(InstanceIds=ids)["Reservations"]:
        for instance in reservation["Instances"]:
            result[instance["InstanceId"]] = instance["State"]["Name"]
    return result


def error_of(call: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Call and return the AWS error (code, message, HTTP status); fail if none is raised."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    response = info.value.response
    return {
        "Code": response["Error"]["Code"],
        "Message": response["Error"]["Message"],
        "Status": response["ResponseMetadata"]["HTTPStatusCode"],
    }


EC2_ALL_POLICY = ('{"Version": "2012-10-17", '
                  '"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}')


def allow_ec2(iam: Any, user_name: str) -> None:
    """Give an IAM user every EC2 permission (an inline policy put through ``iam``)."""
    iam.put_user_policy(UserName=user_name, PolicyName="ec2-all", PolicyDocument=EC2_ALL_POLICY)
