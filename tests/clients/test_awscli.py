"""The AWS CLI (the ``awscli`` package, version 1) against a real server, configured
only by environment variables: run-instances, describe-instances with ``--filters`` and
``--query``, modify-instance-attribute, terminate-instances, the waiters, and what a
failed call prints and exits with. ``examples/aws_cli.sh`` (shown in the README) runs
here too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.clients.conftest import advance, client_env
from tests.conftest import CLIENT_VERSION, ServerProcess
from tests.helpers import states

ROOT = Path(__file__).resolve().parents[2]
AWS = Path(sys.executable).with_name("aws")


class Aws:
    """``aws ...`` in a subprocess with a user's environment."""

    def __init__(self, home: Path, endpoint: str) -> None:
        self.env = client_env(home, endpoint)

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(AWS), *args], capture_output=True, text=True, timeout=60,
                              env={**self.env, **env})

    def __call__(self, *args: str) -> Any:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    def text(self, *args: str) -> str:
        result = self.run(*args, "--output", "text")
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture
def aws(server: ServerProcess, tmp_path: Path) -> Aws:
    return Aws(tmp_path, server.endpoint)


def image(aws: Aws) -> str:
    return aws.text("ec2", "describe-images", "--owners", "amazon", "--filters",
                    "Name=name,Values=al2023-ami-2023.*-x86_64", "--query", "Images[0].ImageId")


def test_awscli_pins_the_same_botocore(record_property: pytest.RecordProperty) -> None:
    import awscli
    import botocore

    result = subprocess.run([sys.executable, str(AWS), "--version"], capture_output=True, text=True, timeout=60)
    print(result.stdout.strip())
    record_property(CLIENT_VERSION, (result.stdout + result.stderr).strip())
    assert f"aws-cli/{awscli.__version__} " in result.stdout + result.stderr
    assert f"botocore/{botocore.__version__}" in result.stdout + result.stderr


def test_launch_filter_query_modify_terminate_and_wait(server: ServerProcess, aws: Aws) -> None:
    ec2 = server.client()
    launched = aws("ec2", "run-instances", "--image-id", image(aws), "--instance-type", "t3.micro",
                   "--count", "2", "--placement", "AvailabilityZone=us-east-1b",
                   "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=team,Value=a}]")
    ids = sorted(i["InstanceId"] for i in launched["Instances"])
    assert [i["State"]["Name"] for i in launched["Instances"]] == ["pending", "pending"]
    other = aws("ec2", "run-instances", "--image-id", image(aws), "--count", "1")["Instances"][0]["InstanceId"]

    advance(server.endpoint, 60)
    assert aws.run("ec2", "wait", "instance-running", "--instance-ids", *ids, other).returncode == 0

    # --filters (two filters, AND'ed; values OR'ed) and a --query projection.
    found = aws("ec2", "describe-instances",
                "--filters", "Name=tag:Name,Values=web", "Name=instance-state-name,Values=pending,running",
                "--query", "Reservations[].Instances[].{id: InstanceId, zone: Placement.AvailabilityZone, "
                           "state: State.Name, name: Tags[?Key=='Name'] | [0].Value}")
    assert sorted(found, key=lambda i: i["id"]) == [
        {"id": i, "zone": "us-east-1b", "state": "running", "name": "web"} for i in ids
    ]
    assert aws.text("ec2", "describe-instances", "--filters", "Name=tag:team,Values=a",
                    "--query", "length(Reservations[].Instances[])") == "2"

    # modify-instance-attribute, read back by describe-instance-attribute and by boto3.
    protected = ids[0]
    assert aws("ec2", "modify-instance-attribute", "--instance-id", protected,
               "--disable-api-termination") is None
    assert aws.text("ec2", "describe-instance-attribute", "--instance-id", protected,
                    "--attribute", "disableApiTermination", "--query", "DisableApiTermination.Value") == "True"

    # A protected instance: the CLI prints the error and exits 255; the other instance
    # in the same zone is not terminated either (protection is per zone).
    result = aws.run("ec2", "terminate-instances", "--instance-ids", *ids)
    assert result.returncode == 255
    assert result.stderr.strip() == (
        "An error occurred (OperationNotPermitted) when calling the TerminateInstances operation: "
        f"The instance '{protected}' may not be terminated. Modify its 'disableApiTermination' "
        "instance attribute and try again."
    )
    assert states(ec2, ids) == {ids[0]: "running", ids[1]: "running"}

    aws("ec2", "modify-instance-attribute", "--instance-id", protected, "--no-disable-api-termination")
    terminated = aws("ec2", "terminate-instances", "--instance-ids", *ids)
    assert sorted((t["InstanceId"], t["PreviousState"]["Name"], t["CurrentState"]["Name"])
                  for t in terminated["TerminatingInstances"]) == [
        (i, "running", "shutting-down") for i in ids
    ]
    advance(server.endpoint, 60)
    assert aws.run("ec2", "wait", "instance-terminated", "--instance-ids", *ids).returncode == 0
    assert states(ec2, ids) == dict.fromkeys(ids, "terminated")


def test_modify_instance_type_needs_a_stopped_instance(server: ServerProcess, aws: Aws) -> None:
    instance = aws("ec2", "run-instances", "--image-id", image(aws), "--count", "1")["Instances"][0]["InstanceId"]
    advance(server.endpoint, 60)
    result = aws.run("ec2", "modify-instance-attribute", "--instance-id", instance,
                     "--instance-type", "Value=t3.large")
    assert result.returncode == 255
    assert "An error occurred (IncorrectInstanceState) when calling the ModifyInstanceAttribute operation" \
        in result.stderr

    aws("ec2", "stop-instances", "--instance-ids", instance)
    advance(server.endpoint, 60)
    assert aws.run("ec2", "wait", "instance-stopped", "--instance-ids", instance).returncode == 0
    aws("ec2", "modify-instance-attribute", "--instance-id", instance, "--instance-type", "Value=t3.large")
    assert aws.text("ec2", "describe-instances", "--instance-ids", instance,
                    "--query", "Reservations[0].Instances[0].InstanceType") == "t3.large"


def test_an_unknown_instance_error_and_exit_code(aws: Aws) -> None:
    result = aws.run("ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0")
    assert result.returncode == 255
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "An error occurred (InvalidInstanceID.NotFound) when calling the TerminateInstances operation: "
        "The instance ID 'i-0123456789abcdef0' does not exist"
    )
    result = aws.run("ec2", "describe-instances", "--instance-ids", "i-123")
    assert result.returncode == 255
    assert "(InvalidInstanceID.Malformed)" in result.stderr


def test_the_endpoint_from_each_convention(server: ServerProcess, tmp_path: Path) -> None:
    aws = Aws(tmp_path, server.endpoint)
    instance = aws("ec2", "run-instances", "--image-id", image(aws), "--count", "1")["Instances"][0]["InstanceId"]
    query = ["ec2", "describe-instances", "--query", "Reservations[].Instances[].InstanceId", "--output", "text"]
    without = {k: v for k, v in aws.env.items() if k != "AWS_ENDPOINT_URL_EC2"}
    for env, extra in (({**without, "AWS_ENDPOINT_URL": server.endpoint}, []),
                       (without, ["--endpoint-url", server.endpoint])):
        result = subprocess.run([sys.executable, str(AWS), *query, *extra], capture_output=True, text=True,
                                timeout=60, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == instance


def test_the_readme_script(fast_server: ServerProcess, tmp_path: Path) -> None:
    env = client_env(tmp_path, fast_server.endpoint)
    env["PATH"] = f"{AWS.parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(["bash", str(ROOT / "examples" / "aws_cli.sh")], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    instance = lines[-1].split()[0]
    assert lines == [f"{instance}\trunning", "shutting-down", f"{instance} terminated"]
    assert states(fast_server.client(), [instance]) == {instance: "terminated"}


def test_least_privilege_user_made_with_the_cli(server: ServerProcess, aws: Aws) -> None:
    """IAM through the CLI: a cleanup user who may not terminate production. Its DryRun
    and its refused terminate, then the refusal decoded with decode-authorization-message."""
    everywhere = {"AWS_ENDPOINT_URL": server.endpoint}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
         "Condition": {"StringEquals": {"ec2:ResourceTag/env": "prod"}}}]})
    for args in (["iam", "create-user", "--user-name", "cleanup"],
                 ["iam", "put-user-policy", "--user-name", "cleanup", "--policy-name", "no-prod",
                  "--policy-document", policy]):
        assert aws.run(*args, **everywhere).returncode == 0
    created = aws.run("iam", "create-access-key", "--user-name", "cleanup", **everywhere)
    key = json.loads(created.stdout)["AccessKey"]
    prod = aws("ec2", "run-instances", "--image-id", image(aws), "--tag-specifications",
               "ResourceType=instance,Tags=[{Key=env,Value=prod}]")["Instances"][0]["InstanceId"]
    dev = aws("ec2", "run-instances", "--image-id", image(aws))["Instances"][0]["InstanceId"]
    as_cleanup = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}

    allowed = aws.run("ec2", "terminate-instances", "--instance-ids", dev, "--dry-run", **as_cleanup)
    assert allowed.returncode == 255 and "(DryRunOperation)" in allowed.stderr
    refused = aws.run("ec2", "terminate-instances", "--instance-ids", dev, prod, **as_cleanup)
    assert refused.returncode == 255 and "(UnauthorizedOperation)" in refused.stderr
    assert states(server.client(), [dev, prod]) == {dev: "pending", prod: "pending"}

    encoded = refused.stderr.split("Encoded authorization failure message: ", 1)[1].strip()
    answer = aws.run("sts", "decode-authorization-message", "--encoded-message", encoded, **everywhere)
    assert answer.returncode == 0, answer.stderr
    message = json.loads(json.loads(answer.stdout)["DecodedMessage"])
    assert (message["allowed"], message["explicitDeny"]) == (False, True)
    assert message["context"]["action"] == "ec2:TerminateInstances"
    assert message["context"]["resource"].endswith(f":instance/{prod}")


def test_a_service_not_served_is_an_error_the_cli_prints(server: ServerProcess, aws: Aws) -> None:
    result = aws.run("kms", "list-keys", "--endpoint-url", server.endpoint)
    assert result.returncode != 0
    assert ("An error occurred (InvalidAction) when calling the ListKeys operation: "
            "The service 'kms' is not served by this endpoint.") in result.stderr
