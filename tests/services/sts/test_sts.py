"""STS GetCallerIdentity on the endpoint's port, routed by the signing scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from tests.conftest import NO_RETRY, ServerProcess
from tests.helpers import error_of

ROOT = Path(__file__).resolve().parents[3]


def test_default_root_identity(make_client: Any) -> None:
    sts = make_client(service="sts")
    identity = sts.get_caller_identity()
    assert identity["Account"] == "000000000000"
    assert identity["Arn"] == "arn:aws:iam::000000000000:root"
    assert identity["UserId"] == "000000000000"


def test_sts_errors_use_the_query_envelope(make_client: Any) -> None:
    sts = make_client(service="sts")
    error = error_of(sts.get_session_token)
    assert error["Code"] == "InvalidAction"
    assert error["Status"] == 400
    assert "GetSessionToken" in error["Message"]


def test_a_user_key_from_the_accounts_file_on_a_real_server(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, ["--accounts", str(ROOT / "examples" / "accounts.toml")]).start()
    try:
        sts = boto3.client(
            "sts", region_name="eu-west-1", endpoint_url=server.endpoint, config=NO_RETRY,
            aws_access_key_id="AKIADEVALICE00000001", aws_secret_access_key="alice-secret",
        )
        identity = sts.get_caller_identity()
        assert identity["Account"] == "111111111111"
        assert identity["Arn"] == "arn:aws:iam::111111111111:user/alice"
        forged = boto3.client(
            "sts", region_name="eu-west-1", endpoint_url=server.endpoint, config=NO_RETRY,
            aws_access_key_id="AKIADEVALICE00000001", aws_secret_access_key="wrong",
        )
        error = error_of(forged.get_caller_identity)
        assert (error["Code"], error["Status"]) == ("SignatureDoesNotMatch", 403)
    finally:
        server.stop()
