"""The AWS CLI's ``aws ssm`` against a real server: a public AMI parameter and a user's own,
read with ``get-parameters``, and launched from with ``resolve:ssm:``."""

from __future__ import annotations

from tests.clients.test_awscli import Aws, aws  # noqa: F401  (the CLI and its fixture)
from tests.conftest import ServerProcess

AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def test_get_parameters_public_and_own(server: ServerProcess, aws: Aws) -> None:  # noqa: F811
    aws.env["AWS_ENDPOINT_URL_SSM"] = server.endpoint  # as a user points the CLI's ssm here
    put = aws("ssm", "put-parameter", "--name", "/app/db/host", "--value", "db.internal", "--type", "String")
    assert put == {"Version": 1, "Tier": "Standard"}
    found = aws("ssm", "get-parameters", "--names", AL2023, "/app/db/host", "/app/none")
    by_name = {p["Name"]: p for p in found["Parameters"]}
    assert found["InvalidParameters"] == ["/app/none"]
    assert by_name["/app/db/host"]["Value"] == "db.internal"
    image = by_name[AL2023]["Value"]
    described = server.client().describe_images(ImageIds=[image])["Images"]
    assert described[0]["Name"].startswith("al2023-ami-2023.")
    launched = aws("ec2", "run-instances", "--image-id", f"resolve:ssm:{AL2023}", "--instance-type", "t3.micro")
    assert launched["Instances"][0]["ImageId"] == image
    missing = aws.run("ssm", "get-parameter", "--name", "/app/none")
    assert missing.returncode != 0
    assert "An error occurred (ParameterNotFound) when calling the GetParameter operation" in missing.stderr
