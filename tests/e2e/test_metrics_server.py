"""``ec2emu serve`` with ``EC2EMU_LOG_FORMAT=json``, over real sockets: ``/metrics``
refused without the admin token and served with it (requests counted, instances moving
with the admin clock, the settler's runs), and the server's log as JSON lines — an
access line per API request with its fields, and no secret made by CreateAccessKey or
CreateKeyPair anywhere in it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ServerProcess
from tests.helpers import error_of, launch

TOKEN = "test-admin-token"


def fetch(url: str, token: str | None = None, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="GET" if body is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def scrape(server: ServerProcess) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    status, body = fetch(f"{server.endpoint}/metrics", TOKEN)
    assert status == 200
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(body.decode()) for sample in family.samples}


def instance_states(found: dict[tuple[str, frozenset[tuple[str, str]]], float]) -> dict[str, float]:
    return {dict(labels)["state"]: n for (name, labels), n in found.items() if name == "ec2emu_instances" and n}


@pytest.fixture
def json_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("EC2EMU_LOG_FORMAT", "json")
    proc = ServerProcess(tmp_path, ["--pending-seconds", "30"]).start()
    yield proc
    proc.stop()


def test_metrics_and_json_access_log_of_a_server(json_server: ServerProcess) -> None:
    ec2 = json_server.client()
    iam = json_server.client(service="iam")
    launch(ec2)
    error_of(ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    iam.create_user(UserName="ops")
    secret = iam.create_access_key(UserName="ops")["AccessKey"]["SecretAccessKey"]
    private_key = ec2.create_key_pair(KeyName="deploy")["KeyMaterial"]

    assert fetch(f"{json_server.endpoint}/metrics")[0] == 401
    assert fetch(f"{json_server.endpoint}/metrics", "wrong")[0] == 401
    found = scrape(json_server)
    assert found[("ec2emu_requests_total", frozenset({("service", "ec2"), ("operation", "RunInstances"),
                                                      ("code", "")}))] == 1
    assert found[("ec2emu_requests_total", frozenset({("service", "ec2"), ("operation", "DescribeInstances"),
                                                      ("code", "InvalidInstanceID.NotFound")}))] == 1
    assert found[("ec2emu_request_duration_seconds_count", frozenset({("service", "iam"),
                                                                      ("operation", "CreateAccessKey")}))] == 1
    assert instance_states(found) == {"pending": 1}

    assert fetch(f"{json_server.endpoint}/_ec2emu/clock", TOKEN, {"advance_seconds": 60})[0] == 200
    found = scrape(json_server)
    assert instance_states(found) == {"running": 1}
    assert found[("ec2emu_settler_runs_total", frozenset())] >= 1
    assert found[("ec2emu_settler_lag_seconds", frozenset())] < 1
    assert ("ec2emu_database_retries_total", frozenset()) in found

    json_server.stop()
    log = (json_server.state_dir / "server.log").read_text()
    assert secret not in log
    assert all(line not in log for line in private_key.splitlines()[1:-1])
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    access = [record for record in records if record["logger"] == "ec2emu.access"]
    assert [record["operation"] for record in access] == [
        "DescribeImages", "RunInstances", "DescribeInstances", "CreateUser", "CreateAccessKey", "CreateKeyPair"]
    for record in access:
        assert {"time", "level", "message", "request_id", "service", "operation", "account_id", "principal_arn",
                "status", "error_code", "latency_ms", "remote_address"} <= set(record)
        assert record["account_id"] == "000000000000"
        assert record["principal_arn"] == "arn:aws:iam::000000000000:root"
        assert record["remote_address"] == "127.0.0.1"
        assert record["latency_ms"] > 0
    assert (access[2]["status"], access[2]["error_code"]) == (400, "InvalidInstanceID.NotFound")
    assert (access[4]["service"], access[4]["status"], access[4]["error_code"]) == ("iam", 200, "")
