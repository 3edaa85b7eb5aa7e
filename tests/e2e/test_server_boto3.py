"""The main flows through boto3 against a real ``ec2emu serve`` on a free port, with its
state in SQLite and, again, in PostgreSQL."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.conftest import ServerProcess
from tests.helpers import error_of, launch, states

pytestmark = pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)


def advance(server: ServerProcess, seconds: float) -> None:
    request = urllib.request.Request(
        f"{server.endpoint}/_ec2emu/clock",
        data=json.dumps({"advance_seconds": seconds}).encode(),
        headers={"Authorization": "Bearer test-admin-token"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


def test_lifecycle_through_a_real_server(server: ServerProcess) -> None:
    ec2 = server.client()
    ids = launch(ec2, 3, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}]}])
    assert set(states(ec2, ids).values()) == {"pending"}
    advance(server, 31)
    assert set(states(ec2, ids).values()) == {"running"}
    tagged = ec2.describe_instances(Filters=[{"Name": "tag:team", "Values": ["w*"]}])
    assert sorted(i["InstanceId"] for r in tagged["Reservations"] for i in r["Instances"]) == sorted(ids)
    stopping = ec2.stop_instances(InstanceIds=ids[:1])["StoppingInstances"][0]
    assert (stopping["PreviousState"]["Name"], stopping["CurrentState"]["Name"]) == ("running", "stopping")
    advance(server, 31)
    assert states(ec2, ids[:1]) == {ids[0]: "stopped"}
    result = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
    assert [r["PreviousState"]["Name"] for r in result] == ["stopped", "running", "running"]
    advance(server, 31)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 0, "MaxAttempts": 2})


def test_wire_details_of_a_real_server(server: ServerProcess) -> None:
    ec2 = server.client()
    response = ec2.describe_instances()
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["content-type"] == "text/xml;charset=UTF-8"
    assert headers["x-amzn-requestid"] == response["ResponseMetadata"]["RequestId"]
    # EC2's own server name only (repeated headers would be joined with a comma), and a date.
    assert headers["server"] == "AmazonEC2"
    assert headers["date"].endswith(" GMT")
    assert response["Reservations"] == []
    ids = launch(ec2, 1)
    error = error_of(ec2.terminate_instances, InstanceIds=ids, DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)
    assert states(ec2, ids) == {ids[0]: "pending"}


def test_regions_are_isolated_on_a_real_server(server: ServerProcess) -> None:
    east, west = server.client("us-east-1"), server.client("eu-west-1")
    ids = launch(east, 1)
    assert west.describe_instances()["Reservations"] == []
    assert error_of(west.describe_instances, InstanceIds=ids)["Code"] == "InvalidInstanceID.NotFound"


def test_unsigned_get_gets_an_xml_error(server: ServerProcess) -> None:
    url = f"{server.endpoint}/?Action=DescribeInstances&Version=2016-11-15"
    try:
        urllib.request.urlopen(url)
        raise AssertionError("expected an HTTP error")
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        assert error.code == 400
        assert "<Code>MissingParameter</Code>" in body
        assert "AWSAccessKeyId" in body
        assert error.headers["x-amzn-requestid"] in body
