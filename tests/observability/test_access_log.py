"""The access log in-process: one record per API request on the ``ec2emu.access`` logger,
written by the JSON formatter as one parseable line with the request's ID, service,
operation, account, principal, status, error code, latency and remote address; no
secret made by a request (a secret access key, a private key) in any line; and the
``--log-format`` option of ``ec2emu serve`` with its variable."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from ec2emu.app import Emulator
from ec2emu.cli import main
from ec2emu.inprocess import InProcessTransport
from ec2emu.observability.access_log import JsonFormatter
from tests.conftest import NO_RETRY
from tests.helpers import error_of, launch

FIELDS = {"request_id", "service", "operation", "account_id", "principal_arn", "status", "error_code",
          "latency_ms", "remote_address"}


def lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The access records captured, each as the JSON formatter writes it, parsed again."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == "ec2emu.access"]


def test_one_json_line_per_request(caplog: pytest.LogCaptureFixture, ec2: Any) -> None:
    caplog.set_level(logging.INFO, logger="ec2emu.access")
    [instance_id] = launch(ec2)
    error_of(ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    logged = lines(caplog)
    assert [line["operation"] for line in logged] == ["DescribeImages", "RunInstances", "DescribeInstances"]
    for line in logged:
        assert FIELDS <= set(line)
        assert line["logger"] == "ec2emu.access" and line["level"] == "INFO"
        assert line["service"] == "ec2" and line["account_id"] == "000000000000"
        assert line["principal_arn"] == "arn:aws:iam::000000000000:root"
        assert line["remote_address"] == "127.0.0.1"
        assert isinstance(line["latency_ms"], float) and line["latency_ms"] > 0
        assert len(line["request_id"]) == 36
    run, failed = logged[1], logged[2]
    assert (run["status"], run["error_code"]) == (200, "")
    assert (failed["status"], failed["error_code"]) == (400, "InvalidInstanceID.NotFound")
    assert instance_id not in json.dumps(logged)  # no parameter, no answer


def test_no_secret_reaches_the_log(caplog: pytest.LogCaptureFixture, make_client: Callable[..., Any],
                                   ec2: Any) -> None:
    caplog.set_level(logging.DEBUG, logger="ec2emu")  # all of ec2emu's records (botocore's own show bodies)
    iam = make_client(service="iam")
    iam.create_user(UserName="ops")
    key = iam.create_access_key(UserName="ops")["AccessKey"]
    pair = ec2.create_key_pair(KeyName="deploy")
    text = "\n".join(JsonFormatter().format(record) for record in caplog.records) + caplog.text
    assert key["SecretAccessKey"] not in text
    assert pair["KeyMaterial"] not in text
    for secret_line in pair["KeyMaterial"].splitlines()[1:-1]:
        assert secret_line not in text
    logged = lines(caplog)
    assert {line["operation"] for line in logged} >= {"CreateUser", "CreateAccessKey", "CreateKeyPair"}
    assert next(line for line in logged if line["operation"] == "CreateAccessKey")["service"] == "iam"


def test_a_users_requests_name_the_user(caplog: pytest.LogCaptureFixture, make_client: Callable[..., Any],
                                        emulator: Emulator) -> None:
    iam = make_client(service="iam")
    iam.create_user(UserName="ops")
    key = iam.create_access_key(UserName="ops")["AccessKey"]
    caplog.set_level(logging.INFO, logger="ec2emu.access")
    sts = InProcessTransport(emulator).attach(boto3.client(
        "sts", region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"], config=NO_RETRY))
    sts.get_caller_identity()
    [line] = lines(caplog)
    assert line["principal_arn"] == "arn:aws:iam::000000000000:user/ops"
    assert key["SecretAccessKey"] not in json.dumps(line)


def test_the_access_log_is_off_unless_enabled(caplog: pytest.LogCaptureFixture, ec2: Any) -> None:
    caplog.set_level(logging.WARNING)
    launch(ec2)
    assert lines(caplog) == []


def test_json_formatter_writes_tracebacks() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("ec2emu", logging.ERROR, __file__, 1, "request %s: internal error", ("r-1",),
                                   sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request r-1: internal error" and line["level"] == "ERROR"
    assert "ValueError: boom" in line["exception"]


def test_serve_help_lists_the_log_format() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    option = next(line for line in result.output.splitlines() if "--log-format" in line)
    assert "[human|json]" in option
    text = " ".join(result.output.split())
    assert "env var: EC2EMU_LOG_FORMAT" in text and "default: human" in text


def test_serve_refuses_an_unknown_log_format() -> None:
    result = CliRunner().invoke(main, ["serve", "--log-format", "xml"])
    assert result.exit_code == 2 and "xml" in result.output
