"""IAM policies enforced on Systems Manager: an IAM user's ``ssm:*`` actions are checked on
the parameters' ARNs and denied with SSM's ``AccessDeniedException``; a launch with
``resolve:ssm:`` needs ``ssm:GetParameters`` on the parameter."""

from __future__ import annotations

from tests.helpers import error_of
from tests.services.shared.test_permissions import ACCOUNT_A, EC2_ALL, ROOT_A, ROOT_B, Make, new_user

AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def _parameter_arn(name: str) -> str:
    return f"arn:aws:ssm:us-east-1:{ACCOUNT_A}:parameter{name}"


def test_a_user_reads_only_the_parameters_its_policy_names(make: Make) -> None:
    make(ROOT_A, "ssm").put_parameter(Name="/app/db", Value="x", Type="String")
    make(ROOT_A, "ssm").put_parameter(Name="/other/db", Value="y", Type="String")
    keys = new_user(make, "reader", {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"],
                                     "Resource": [_parameter_arn("/app/*"),
                                                  "arn:aws:ssm:us-east-1::parameter/aws/service/*"]})
    ssm = make(keys, "ssm")
    assert ssm.get_parameter(Name="/app/db")["Parameter"]["Value"] == "x"
    assert ssm.get_parameter(Name=AL2023)["Parameter"]["Value"].startswith("ami-")
    error = error_of(ssm.get_parameter, Name="/other/db")
    assert error == {"Code": "AccessDeniedException", "Status": 400, "Message":
                     f"User: arn:aws:iam::{ACCOUNT_A}:user/reader is not authorized to perform: ssm:GetParameter "
                     f"on resource: {_parameter_arn('/other/db')} because no identity-based policy allows the "
                     "ssm:GetParameter action"}
    assert error_of(ssm.get_parameters, Names=["/app/db", "/other/db"])["Code"] == "AccessDeniedException"
    assert error_of(ssm.put_parameter, Name="/app/new", Value="z", Type="String")["Code"] == "AccessDeniedException"
    assert error_of(make(ROOT_A, "ssm").get_parameter, Name="/app/new")["Code"] == "ParameterNotFound"


def test_an_explicit_deny_and_describe_on_star(make: Make) -> None:
    keys = new_user(make, "writer", {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "ssm:DeleteParameter", "Resource": _parameter_arn("/keep")})
    ssm = make(keys, "ssm")
    ssm.put_parameter(Name="/keep", Value="x", Type="String")
    assert [p["Name"] for p in ssm.describe_parameters()["Parameters"]] == ["/keep"]
    assert ssm.describe_parameters()["Parameters"][0]["LastModifiedUser"] == f"arn:aws:iam::{ACCOUNT_A}:user/writer"
    error = error_of(ssm.delete_parameter, Name="/keep")
    assert (error["Code"], error["Message"].endswith("with an explicit deny in an identity-based policy")) == (
        "AccessDeniedException", True)
    nothing = new_user(make, "nobody")
    error = error_of(make(nothing, "ssm").describe_parameters)
    assert error["Message"] == (f"User: arn:aws:iam::{ACCOUNT_A}:user/nobody is not authorized to perform: "
                                "ssm:DescribeParameters because no identity-based policy allows the "
                                "ssm:DescribeParameters action")


def test_tag_conditions_on_parameters(make: Make) -> None:
    root = make(ROOT_A, "ssm")
    root.put_parameter(Name="/red", Value="r", Type="String", Tags=[{"Key": "team", "Value": "red"}])
    root.put_parameter(Name="/blue", Value="b", Type="String", Tags=[{"Key": "team", "Value": "blue"}])
    keys = new_user(make, "red", {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*",
                                  "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}})
    ssm = make(keys, "ssm")
    assert ssm.get_parameter(Name="/red")["Parameter"]["Value"] == "r"
    assert error_of(ssm.get_parameter, Name="/blue")["Code"] == "AccessDeniedException"


def test_resolve_ssm_needs_get_parameters_on_the_parameter(make: Make) -> None:
    denied = new_user(make, "launcher", EC2_ALL)
    error = error_of(make(denied).run_instances, ImageId=f"resolve:ssm:{AL2023}", MinCount=1, MaxCount=1)
    assert error["Code"] == "UnauthorizedOperation"
    allowed = new_user(make, "launcher2", EC2_ALL, {"Effect": "Allow", "Action": "ssm:GetParameters",
                                                    "Resource": f"arn:aws:ssm:us-east-1::parameter{AL2023}"})
    reservation = make(allowed).run_instances(ImageId=f"resolve:ssm:{AL2023}", MinCount=1, MaxCount=1)
    assert reservation["Instances"][0]["ImageId"].startswith("ami-")



def test_an_arn_of_another_account_is_checked_as_given(make: Make) -> None:
    keys = new_user(make, "arns", {"Effect": "Allow", "Action": "ssm:GetParameter",
                                   "Resource": "arn:aws:ssm:us-east-1:222222222222:parameter/shared"})
    ssm = make(keys, "ssm")
    other = "arn:aws:ssm:us-east-1:222222222222:parameter/shared"
    assert error_of(ssm.get_parameter, Name=other)["Code"] == "ParameterNotFound"
    assert error_of(ssm.get_parameter, Name=f"{other}:3")["Code"] == "ParameterNotFound"
    error = error_of(ssm.get_parameter, Name="arn:aws:ssm:us-east-1:222222222222:parameter/private")
    assert (error["Code"], error["Message"].split(" on resource: ")[1].split(" ")[0]) == (
        "AccessDeniedException", "arn:aws:ssm:us-east-1:222222222222:parameter/private")


def test_parameters_are_per_account(make: Make) -> None:
    dev, prod = make(ROOT_A, "ssm"), make(ROOT_B, "ssm")
    dev.put_parameter(Name="/app/stage", Value="dev", Type="String")
    assert error_of(prod.get_parameter, Name="/app/stage")["Code"] == "ParameterNotFound"
    prod.put_parameter(Name="/app/stage", Value="prod", Type="String")
    assert dev.get_parameter(Name="/app/stage")["Parameter"]["Value"] == "dev"
    assert [p["ARN"] for p in prod.describe_parameters()["Parameters"]] == [
        "arn:aws:ssm:us-east-1:222222222222:parameter/app/stage"]
    assert error_of(prod.get_parameter, Name=f"arn:aws:ssm:us-east-1:{ACCOUNT_A}:parameter/app/stage")[
        "Code"] == "ParameterNotFound"
