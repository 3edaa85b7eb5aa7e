"""CPU credits through boto3: RunInstances ``CreditSpecification`` and each burstable
family's default, DescribeInstanceCreditSpecifications, ModifyInstanceCreditSpecification
and a type change through ModifyInstanceAttribute."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch


def credits_of(ec2: Any, instance_id: str) -> str:
    found = ec2.describe_instance_credit_specifications(InstanceIds=[instance_id])["InstanceCreditSpecifications"]
    assert [item["InstanceId"] for item in found] == [instance_id]
    return str(found[0]["CpuCredits"])


@pytest.mark.parametrize(("instance_type", "default"), [
    ("t2.micro", "standard"), ("t3.micro", "unlimited"), ("t3a.micro", "unlimited"),
])
def test_each_burstable_family_has_its_default(ec2: Any, instance_type: str, default: str) -> None:
    [instance_id] = launch(ec2, InstanceType=instance_type)
    assert credits_of(ec2, instance_id) == default


def test_t4g_defaults_to_unlimited(ec2: Any) -> None:
    [instance_id] = launch(ec2, ImageId=image_id(ec2, "al2023-ami-2023.*-arm64"), InstanceType="t4g.micro")
    assert credits_of(ec2, instance_id) == "unlimited"


@pytest.mark.parametrize(("instance_type", "asked"), [("t2.micro", "unlimited"), ("t3.micro", "standard")])
def test_credit_specification_at_launch(ec2: Any, instance_type: str, asked: str) -> None:
    [instance_id] = launch(ec2, InstanceType=instance_type, CreditSpecification={"CpuCredits": asked})
    assert credits_of(ec2, instance_id) == asked


def test_credit_specification_on_a_type_that_is_not_burstable_launches_nothing(ec2: Any) -> None:
    error = error_of(launch, ec2, InstanceType="m5.large", CreditSpecification={"CpuCredits": "unlimited"})
    assert error["Code"] == "InstanceCreditSpecification.NotSupported" and "m5.large" in error["Message"]
    error = error_of(launch, ec2, InstanceType="t3.micro", CreditSpecification={"CpuCredits": "lots"})
    assert error["Code"] == "InvalidParameterValue" and "lots" in error["Message"]
    assert ec2.describe_instances()["Reservations"] == []


def test_describe_without_ids_lists_the_unlimited_ones(ec2: Any) -> None:
    [unlimited] = launch(ec2, InstanceType="t3.micro")
    launch(ec2, InstanceType="t2.micro")
    launch(ec2, InstanceType="m5.large")
    found = ec2.describe_instance_credit_specifications()["InstanceCreditSpecifications"]
    assert found == [{"InstanceId": unlimited, "CpuCredits": "unlimited"}]
    filtered = ec2.describe_instance_credit_specifications(
        Filters=[{"Name": "instance-id", "Values": ["i-0123456789abcdef0"]}])["InstanceCreditSpecifications"]
    assert filtered == []


def test_describe_pages(ec2: Any) -> None:
    ids = launch(ec2, count=7, InstanceType="t3.micro")
    first = ec2.describe_instance_credit_specifications(MaxResults=5)
    second = ec2.describe_instance_credit_specifications(MaxResults=5, NextToken=first["NextToken"])
    listed = [item["InstanceId"] for page in (first, second) for item in page["InstanceCreditSpecifications"]]
    assert sorted(listed) == sorted(ids) and "NextToken" not in second


def test_describe_named_errors(ec2: Any) -> None:
    [plain] = launch(ec2, InstanceType="m5.large")
    error = error_of(ec2.describe_instance_credit_specifications, InstanceIds=[plain])
    assert error["Code"] == "InstanceCreditSpecification.NotSupported" and plain in error["Message"]
    error = error_of(ec2.describe_instance_credit_specifications, InstanceIds=["i-0123456789abcdef0"])
    assert error["Code"] == "InvalidInstanceID.NotFound"
    assert error_of(ec2.describe_instance_credit_specifications, DryRun=True)["Code"] == "DryRunOperation"


def test_modify_answers_per_instance(ec2: Any, clock: Any) -> None:
    [burstable] = launch(ec2, InstanceType="t3.micro")
    [plain] = launch(ec2, InstanceType="m5.large")
    [gone] = launch(ec2, InstanceType="t2.micro")
    ec2.terminate_instances(InstanceIds=[gone])
    answer = ec2.modify_instance_credit_specification(InstanceCreditSpecifications=[
        {"InstanceId": burstable, "CpuCredits": "standard"},
        {"InstanceId": plain, "CpuCredits": "standard"},
        {"InstanceId": gone, "CpuCredits": "standard"},
        {"InstanceId": "i-0123456789abcdef0", "CpuCredits": "standard"},
        {"InstanceId": "i-bad", "CpuCredits": "standard"},
    ])
    assert answer["SuccessfulInstanceCreditSpecifications"] == [{"InstanceId": burstable}]
    codes = {item["InstanceId"]: item["Error"]["Code"] for item in answer["UnsuccessfulInstanceCreditSpecifications"]}
    assert codes == {plain: "InstanceCreditSpecification.NotSupported", gone: "IncorrectInstanceState",
                     "i-0123456789abcdef0": "InvalidInstanceID.NotFound", "i-bad": "InvalidInstanceID.Malformed"}
    assert credits_of(ec2, burstable) == "standard"
    assert credits_of(ec2, gone) == "standard"  # the default of its family, unchanged


def test_modify_refusals_change_nothing(ec2: Any) -> None:
    [instance_id] = launch(ec2, InstanceType="t3.micro")
    error = error_of(ec2.modify_instance_credit_specification,
                     InstanceCreditSpecifications=[{"InstanceId": instance_id, "CpuCredits": "fast"}])
    assert error["Code"] == "InvalidParameterValue"
    error = error_of(ec2.modify_instance_credit_specification, InstanceCreditSpecifications=[
        {"InstanceId": instance_id, "CpuCredits": "standard"}, {"InstanceId": instance_id, "CpuCredits": "standard"}])
    assert error["Code"] == "InvalidInstanceCreditSpecification.DuplicateInstanceId"
    error = error_of(ec2.modify_instance_credit_specification, ClientToken="retry-1",
                     InstanceCreditSpecifications=[{"InstanceId": instance_id, "CpuCredits": "standard"}])
    assert error["Code"] == "UnsupportedOperation" and "ClientToken" in error["Message"]
    error = error_of(ec2.modify_instance_credit_specification, DryRun=True,
                     InstanceCreditSpecifications=[{"InstanceId": instance_id, "CpuCredits": "standard"}])
    assert error["Code"] == "DryRunOperation"
    assert credits_of(ec2, instance_id) == "unlimited"


def test_a_new_burstable_type_takes_its_default_and_an_option_is_kept(ec2: Any, clock: Any) -> None:
    [plain, burstable] = launch(ec2, count=2, InstanceType="m5.large")
    [t3] = launch(ec2, InstanceType="t3.micro", CreditSpecification={"CpuCredits": "standard"})
    clock.advance(5)
    ec2.stop_instances(InstanceIds=[burstable, t3])
    clock.advance(5)
    ec2.modify_instance_attribute(InstanceId=burstable, InstanceType={"Value": "t2.micro"})
    assert credits_of(ec2, burstable) == "standard"
    ec2.modify_instance_attribute(InstanceId=t3, InstanceType={"Value": "t3.large"})
    assert credits_of(ec2, t3) == "standard"
    assert error_of(ec2.describe_instance_credit_specifications, InstanceIds=[plain])["Code"] == (
        "InstanceCreditSpecification.NotSupported")
