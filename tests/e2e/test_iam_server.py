"""IAM against a real ``ec2emu serve``: a user and key created through IAM sign requests,
and still do after the server is killed with ``kill -9`` and started again."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.conftest import NO_RETRY, ServerProcess
from tests.helpers import error_of


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_an_iam_key_survives_kill_9(server: ServerProcess) -> None:
    iam = server.client(service="iam")
    iam.create_user(UserName="deployer", Path="/ci/")
    iam.attach_user_policy(UserName="deployer", PolicyArn="arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
    key = iam.create_access_key(UserName="deployer")["AccessKey"]
    server.kill9()
    restarted = ServerProcess(server.state_dir, server.extra).start()
    try:

        def client(service: str, secret: str = key["SecretAccessKey"]) -> Any:
            return boto3.client(
                service,
                region_name="us-east-1",
                endpoint_url=restarted.endpoint,
                aws_access_key_id=key["AccessKeyId"],
                aws_secret_access_key=secret,
                config=NO_RETRY,
            )

        sts = client("sts")
        assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:user/ci/deployer"
        assert client("ec2").describe_instances()["Reservations"] == []
        forged = client("sts", secret="not-the-secret")
        assert error_of(forged.get_caller_identity)["Code"] == "SignatureDoesNotMatch"
        admin = restarted.client(service="iam")
        assert [u["UserName"] for u in admin.list_users()["Users"]] == ["deployer"]
    finally:
        restarted.stop()
