"""Endpoint conventions: boto3 reaches the server through ``AWS_ENDPOINT_URL_EC2``,
``AWS_ENDPOINT_URL`` or ``endpoint_url``, and the server answers a request whatever
form its ``Host`` header takes (sent raw over a socket, each one signed for that host)."""

from __future__ import annotations

import socket
from pathlib import Path

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.conftest import NO_RETRY, ServerProcess
from tests.helpers import launch


@pytest.mark.parametrize("how", ["AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL", "endpoint_url"])
def test_boto3_finds_the_server(server: ServerProcess, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                how: str) -> None:
    instance = launch(server.client())[0]
    for name in ("AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    kwargs = {}
    if how == "endpoint_url":
        kwargs["endpoint_url"] = server.endpoint
    else:
        monkeypatch.setenv(how, server.endpoint)
    ec2 = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test").client(
        "ec2", region_name="us-east-1", config=NO_RETRY, **kwargs)
    assert ec2.meta.endpoint_url == server.endpoint
    found = [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert found == [instance]


def raw_request(port: int, host: str, body: bytes) -> tuple[int, bytes]:
    """POST ``body`` with ``Host: host``, signed with that header as it is sent."""
    request = AWSRequest(method="POST", url=f"http://{host}/", data=body,
                         headers={"Host": host, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials("test", "test"), "ec2", "us-east-1").add_auth(request)
    lines = ["POST / HTTP/1.1"]
    lines += [f"{k}: {v}" for k, v in request.headers.items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1") + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, payload = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


@pytest.mark.parametrize("host", [
    "127.0.0.1:{port}",
    "localhost:{port}",
    "localhost",
    "[::1]:{port}",
    "ec2.us-east-1.amazonaws.com",
    "ec2.us-east-1.amazonaws.com:443",
    "EC2EMU.Example.Internal:8080",
    "10.0.0.7",
])
def test_any_host_header_is_answered(server: ServerProcess, host: str) -> None:
    value = host.format(port=server.port)
    body = b"Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-1"
    status, payload = raw_request(server.port, value, body)
    assert status == 200, payload
    assert b"<DescribeRegionsResponse" in payload
    assert b"<regionName>eu-west-1</regionName>" in payload
