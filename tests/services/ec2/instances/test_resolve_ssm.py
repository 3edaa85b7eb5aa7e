"""RunInstances with ``ImageId=resolve:ssm:NAME`` (and ``:VERSION``): the image ID held by a
public parameter or the caller's own, and the errors when there is none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.helpers import error_of, image_id, instance_of, launch

AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
NOBLE_ARM = "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id"


def test_a_public_parameter_launches_its_image(ec2: Any, make_client: Callable[..., Any]) -> None:
    ssm = make_client(service="ssm")
    [instance_id] = launch(ec2, ImageId=f"resolve:ssm:{AL2023}")
    expected = ssm.get_parameter(Name=AL2023)["Parameter"]["Value"]
    assert instance_of(ec2, instance_id)["ImageId"] == expected == image_id(ec2)
    [arm] = launch(ec2, ImageId=f"resolve:ssm:{NOBLE_ARM}", InstanceType="t4g.micro")
    assert instance_of(ec2, arm)["Architecture"] == "arm64"


def test_a_users_parameter_and_its_versions(ec2: Any, make_client: Callable[..., Any]) -> None:
    ssm = make_client(service="ssm")
    first = image_id(ec2)
    second = image_id(ec2, "Windows_Server-2022-*")
    ssm.put_parameter(Name="/golden/web", Value=first, Type="String", DataType="aws:ec2:image")
    ssm.put_parameter(Name="/golden/web", Value=second, Type="String", DataType="aws:ec2:image", Overwrite=True)
    [latest] = launch(ec2, ImageId="resolve:ssm:/golden/web")
    [pinned] = launch(ec2, ImageId="resolve:ssm:/golden/web:1")
    assert instance_of(ec2, latest)["ImageId"] == second
    assert instance_of(ec2, pinned)["ImageId"] == first


def test_a_parameter_that_does_not_exist(ec2: Any) -> None:
    before = ec2.describe_instances()["Reservations"]
    error = error_of(ec2.run_instances, ImageId="resolve:ssm:/no/such", MinCount=1, MaxCount=1)
    assert error == {"Code": "InvalidParameterValue", "Status": 400, "Message":
                     "Invalid value 'resolve:ssm:/no/such' for parameter ImageId: the Systems Manager parameter "
                     "/no/such does not exist."}
    assert error_of(ec2.run_instances, ImageId=f"resolve:ssm:{AL2023}:7", MinCount=1, MaxCount=1)[
        "Code"] == "InvalidParameterValue"
    for selector in ("prod", "99999999999999999999999", "0"):
        assert error_of(ec2.run_instances, ImageId=f"resolve:ssm:{AL2023}:{selector}", MinCount=1, MaxCount=1)[
            "Code"] == "InvalidParameterValue"
    assert ec2.describe_instances()["Reservations"] == before


def test_a_parameter_that_holds_no_image_id(ec2: Any, make_client: Callable[..., Any]) -> None:
    ssm = make_client(service="ssm")
    ssm.put_parameter(Name="/app/text", Value="hello", Type="String")
    assert error_of(ec2.run_instances, ImageId="resolve:ssm:/app/text", MinCount=1, MaxCount=1) == {
        "Code": "InvalidAMIID.Malformed", "Status": 400, "Message": 'Invalid id: "hello" (expecting "ami-...")'}
    ssm.put_parameter(Name="/app/gone", Value="ami-0123456789abcdef0", Type="String")
    assert error_of(ec2.run_instances, ImageId="resolve:ssm:/app/gone", MinCount=1, MaxCount=1)[
        "Code"] == "InvalidAMIID.NotFound"
    assert ec2.describe_instances()["Reservations"] == []


def test_parameters_of_another_region_do_not_resolve(make_client: Callable[..., Any]) -> None:
    east, west = make_client("us-east-1"), make_client("us-west-2")
    make_client("us-east-1", "ssm").put_parameter(Name="/golden", Value=image_id(east), Type="String")
    assert error_of(west.run_instances, ImageId="resolve:ssm:/golden", MinCount=1, MaxCount=1)[
        "Code"] == "InvalidParameterValue"
    [instance_id] = launch(west, ImageId=f"resolve:ssm:{AL2023}")
    assert instance_of(west, instance_id)["ImageId"] == image_id(west) != image_id(east)
