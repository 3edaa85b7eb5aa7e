"""Bad requests through the app: each gets EC2's error (code, message, status) and changes nothing.

Raw bodies are signed as botocore signs them and sent in-process through the ASGI app
(a few over real HTTP to ``ec2emu serve``). Every case starts from a valid RunInstances
body that is shown to work, changes one thing, and checks both the error envelope and
that no instance or tag appeared.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from ec2emu.config import MAX_BODY_BYTES
from ec2emu.protocol import spec
from tests.conftest import ServerProcess
from tests.helpers import error_of, image_id, launch, states
from tests.protocol.wire import RawEc2, Reply, error_envelope, signed

RESOURCE_TYPES = ", ".join(
    spec.operation("RunInstances").input_shape.members["TagSpecifications"].member
    .members["ResourceType"].enum
)


@pytest.fixture
def raw(emulator: Any) -> Iterator[RawEc2]:
    client = RawEc2(emulator)
    yield client
    client.close()


@pytest.fixture
def run_body(ec2: Any) -> str:
    return (f"Action=RunInstances&Version=2016-11-15&ImageId={image_id(ec2)}"
            "&InstanceType=t3.micro&MinCount=1&MaxCount=1")


def world(ec2: Any) -> tuple[Any, ...]:
    """Everything a bad request could have changed: instances, their states, tags."""
    instances = sorted(
        (i["InstanceId"], i["State"]["Name"], i["InstanceType"],
         tuple(sorted((t["Key"], t["Value"]) for t in i.get("Tags", []))))
        for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
    )
    tags = sorted((t["ResourceId"], t["Key"], t["Value"]) for t in ec2.describe_tags()["Tags"])
    return tuple(instances), tuple(tags)


def assert_error(reply: Reply, code: str, message: str, status: int = 400) -> None:
    envelope = reply.error
    assert (reply.status, envelope["Code"], envelope["Message"]) == (status, code, message)
    assert reply.headers["content-type"] == "text/xml;charset=UTF-8"
    assert reply.headers["x-amzn-requestid"] == envelope["RequestID"]


def test_the_base_request_works(ec2: Any, raw: RawEc2, run_body: str) -> None:
    reply = raw.post(run_body)
    assert reply.status == 200, reply.body
    [(instance_id, state, _, _)] = world(ec2)[0]
    assert state == "pending" and instance_id.encode() in reply.body


BAD_RUN_VARIANTS = [
    # malformed keys
    ("&Placement=us-east-1a", "UnknownParameter", "The parameter Placement is not recognized"),
    ("&SecurityGroupId=sg-12345678", "UnknownParameter", "The parameter SecurityGroupId is not recognized"),
    ("&TagSpecification.0.ResourceType=instance", "UnknownParameter",
     "The parameter TagSpecification.0 is not recognized"),
    ("&TagSpecification..ResourceType=instance", "UnknownParameter",
     "The parameter TagSpecification..ResourceType is not recognized"),
    ("&BlockDeviceMapping.1.Ebs=x&BlockDeviceMapping.1.Ebs.VolumeSize=8", "UnknownParameter",
     "The parameter BlockDeviceMapping.1.Ebs.VolumeSize is not recognized"),
    ("&%ZZ=1", "UnknownParameter", "The parameter %ZZ is not recognized"),
    ("&Bad%01Key=1", "UnknownParameter", "The parameter Bad\ufffdKey is not recognized"),
    # unknown parameters
    ("&Bogus=1", "UnknownParameter", "The parameter Bogus is not recognized"),
    ("&Placement.Planet=mars", "UnknownParameter", "The parameter Placement.Planet is not recognized"),
    ("&TagSpecification.1.ResourceType=instance&TagSpecification.1.Colour=red", "UnknownParameter",
     "The parameter TagSpecification.1.Colour is not recognized"),
    # wrong types
    ("&MinCount=abc", "InvalidParameterValue", "Invalid value 'abc' for MinCount: expected an integer"),
    ("&MaxCount=1.0", "InvalidParameterValue", "Invalid value '1.0' for MaxCount: expected an integer"),
    ("&MaxCount=4294967297", "InvalidParameterValue",
     "Value (4294967297) for parameter MaxCount is invalid. Expected an integer between -2147483648 and 2147483647."),
    ("&DisableApiTermination=maybe", "InvalidParameterValue",
     "Invalid value 'maybe' for DisableApiTermination: expected 'true' or 'false'"),
    ("&DryRun=1", "InvalidParameterValue", "Invalid value '1' for DryRun: expected 'true' or 'false'"),
    ("&BlockDeviceMapping.1.DeviceName=/dev/xvda&BlockDeviceMapping.1.Ebs.VolumeSize=big",
     "InvalidParameterValue", "Invalid value 'big' for BlockDeviceMapping.1.Ebs.VolumeSize: expected an integer"),
    # bad enums
    ("&InstanceInitiatedShutdownBehavior=explode", "InvalidParameterValue",
     "Value (explode) for parameter InstanceInitiatedShutdownBehavior is invalid. Expected one of: stop, terminate"),
    ("&TagSpecification.1.ResourceType=spaceship", "InvalidParameterValue",
     f"Value (spaceship) for parameter TagSpecification.1.ResourceType is invalid. Expected one of: {RESOURCE_TYPES}"),
    # a value XML cannot carry
    ("&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=a%01",
     "InvalidParameterValue",
     "Value for parameter TagSpecification.1.Tag.1.Value is invalid. It contains a character that is not allowed."),
]


@pytest.mark.parametrize(("suffix", "code", "message"), BAD_RUN_VARIANTS,
                         ids=[v[0][:40] for v in BAD_RUN_VARIANTS])
def test_bad_run_instances_changes_nothing(ec2: Any, raw: RawEc2, run_body: str, suffix: str,
                                           code: str, message: str) -> None:
    before = world(ec2)
    body = run_body
    for pair in suffix.strip("&").split("&"):  # a replaced member is replaced, not repeated
        name = pair.split("=")[0]
        body = "&".join(p for p in body.split("&") if p.split("=")[0] != name)
    assert_error(raw.post(body + suffix), code, message)
    assert world(ec2) == before == ((), ())


@pytest.mark.parametrize("member", ["MinCount", "MaxCount"])
def test_missing_required_parameter(ec2: Any, raw: RawEc2, run_body: str, member: str) -> None:
    body = "&".join(p for p in run_body.split("&") if not p.startswith(member))
    assert_error(raw.post(body), "MissingParameter", f"The request must contain the parameter {member}")
    assert world(ec2) == ((), ())


def test_missing_required_parameters_of_other_operations(ec2: Any, raw: RawEc2) -> None:
    [instance] = launch(ec2)
    before = world(ec2)
    assert_error(raw.post("Action=TerminateInstances&Version=2016-11-15"),
                 "MissingParameter", "The request must contain the parameter InstanceId")
    assert_error(raw.post(f"Action=CreateTags&Version=2016-11-15&ResourceId.1={instance}"),
                 "MissingParameter", "The request must contain the parameter Tag")
    assert_error(raw.post("Action=CreateTags&Version=2016-11-15&Tag.1.Key=k&Tag.1.Value=v"),
                 "MissingParameter", "The request must contain the parameter ResourceId")
    assert world(ec2) == before


@pytest.mark.parametrize("bad", [b"\xff", b"%FF", b"%C3%28", b"%ED%A0%80"])
def test_non_utf8_body_changes_nothing(ec2: Any, raw: RawEc2, run_body: str, bad: bytes) -> None:
    body = run_body.encode() + b"&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=k" \
        b"&TagSpecification.1.Tag.1.Value=" + bad
    assert_error(raw.post(body), "InvalidParameterValue", "The request body is not valid UTF-8 form data.")
    assert world(ec2) == ((), ())


def test_body_over_one_mebibyte_is_request_entity_too_large(ec2: Any, raw: RawEc2, run_body: str) -> None:
    padding = "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=k" \
              "&TagSpecification.1.Tag.1.Value="
    body = run_body + padding
    body += "x" * (MAX_BODY_BYTES + 1 - len(body))
    assert len(body) == MAX_BODY_BYTES + 1
    assert_error(raw.post(body), "RequestEntityTooLarge",
                 f"The request body exceeds the maximum size of {MAX_BODY_BYTES} bytes.", 413)
    assert world(ec2) == ((), ())


def test_body_of_exactly_one_mebibyte_is_read_and_validated(raw: RawEc2) -> None:
    body = "Action=DescribeTags&Version=2016-11-15&Filter.1.Name=key&Filter.1.Value.1="
    body += "x" * (MAX_BODY_BYTES - len(body))
    assert_error(raw.post(body), "FilterLimitExceeded",
                 "The maximum length for a filter value is 255 characters")


@pytest.mark.parametrize("body", ["Version=2016-11-15", "Action=&Version=2016-11-15", "", "%%%&&&==",
                                  "InstanceId.1=i-12345678"])
def test_missing_action(ec2: Any, raw: RawEc2, body: str) -> None:
    assert_error(raw.post(body), "MissingAction", "The request must contain the parameter Action")
    assert world(ec2) == ((), ())


@pytest.mark.parametrize("action", ["Bogus", "describeinstances", "DescribeInstances ", "RunInstances.1"])
def test_unknown_action(raw: RawEc2, action: str) -> None:
    body = f"Action={urllib.parse.quote(action)}&Version=2016-11-15"
    assert_error(raw.post(body), "InvalidAction", f"The action {action} is not valid for this web service.")


def test_real_ec2_operation_that_is_not_implemented(ec2: Any) -> None:
    vpcs = ec2.describe_vpcs()["Vpcs"]
    error = error_of(ec2.create_placement_group, GroupName="web", Strategy="cluster")
    assert error == {
        "Code": "InvalidAction",
        "Message": "The action CreatePlacementGroup is a valid EC2 action but is not implemented by this endpoint.",
        "Status": 400,
    }
    assert ec2.describe_vpcs()["Vpcs"] == vpcs


def test_unsigned_request_is_missing_the_access_key(ec2: Any, raw: RawEc2, run_body: str) -> None:
    assert_error(raw.post(run_body, sign=False), "MissingParameter",
                 "The request must contain the parameter AWSAccessKeyId")
    assert_error(raw.get(run_body, sign=False), "MissingParameter",
                 "The request must contain the parameter AWSAccessKeyId")
    assert world(ec2) == ((), ())


def test_get_with_a_query_string_is_served(ec2: Any, raw: RawEc2, run_body: str) -> None:
    reply = raw.get("Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-1")
    assert reply.status == 200, reply.body
    assert b"<regionName>eu-west-1</regionName>" in reply.body
    assert b"us-east-1" not in reply.body
    reply = raw.get(run_body)
    assert reply.status == 200, reply.body
    [(instance_id, _, _, _)] = world(ec2)[0]
    assert instance_id.encode() in reply.body
    assert states(ec2, [instance_id]) == {instance_id: "pending"}


def test_bad_parameter_in_a_get_query_changes_nothing(ec2: Any, raw: RawEc2, run_body: str) -> None:
    assert_error(raw.get(run_body + "&MaxCount=lots"), "InvalidParameterValue",
                 "Invalid value 'lots' for MaxCount: expected an integer")
    assert world(ec2) == ((), ())


def test_bad_parameters_leave_existing_instances_alone(ec2: Any, raw: RawEc2) -> None:
    [instance] = launch(ec2)
    before = world(ec2)
    for body, code in [
        (f"InstanceId.1={instance}&Force=perhaps", "InvalidParameterValue"),
        (f"InstanceId.1={instance}&Bogus=1", "UnknownParameter"),
        (f"InstanceId.1={instance}&InstanceId.0={instance}", "UnknownParameter"),
    ]:
        reply = raw.post(f"Action=TerminateInstances&Version=2016-11-15&{body}")
        assert (reply.status, reply.error["Code"]) == (400, code)
    reply = raw.post(f"Action=CreateTags&Version=2016-11-15&ResourceId.1={instance}"
                     "&Tag.1.Key=k&Tag.1.Value=%00")
    assert (reply.status, reply.error["Code"]) == (400, "InvalidParameterValue")
    assert world(ec2) == before
    assert before[0][0][1] == "pending"


# ------------------------------------------------------------------ over real HTTP

def http_request(server: ServerProcess, method: str, body: bytes = b"", query: str = "") -> Reply:
    url = f"{server.endpoint}/" + (f"?{query}" if query else "")
    method, url, headers, body = signed(method, url, body)
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, f"{parts.path}?{parts.query}" if parts.query else parts.path,
                           body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def test_real_server_rejects_a_large_body_and_serves_get(server: ServerProcess) -> None:
    ec2 = server.client()
    run = (f"Action=RunInstances&Version=2016-11-15&ImageId={image_id(ec2)}&InstanceType=t3.micro"
           "&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance"
           "&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=").encode()
    reply = http_request(server, "POST", run + b"x" * MAX_BODY_BYTES)
    assert reply.status == 413
    assert error_envelope(reply.body)["Code"] == "RequestEntityTooLarge"
    assert ec2.describe_instances()["Reservations"] == []
    reply = http_request(server, "GET", query="Action=DescribeRegions&Version=2016-11-15")
    assert reply.status == 200, reply.body
    assert reply.headers["content-type"] == "text/xml;charset=UTF-8"
    assert b"<regionName>us-east-1</regionName>" in reply.body
    reply = http_request(server, "POST", b"Action=DescribeRegions&DryRun=yes")
    assert reply.status == 400
    assert error_envelope(reply.body)["Code"] == "InvalidParameterValue"


def test_too_many_filter_values_are_refused_not_a_server_error(ec2: Any, raw: RawEc2) -> None:
    launch(ec2)
    before = world(ec2)
    body = "Action=DescribeInstances&Version=2016-11-15&" + "&".join(
        f"Filter.{n}.Name=tag%3Ak{n}&Filter.{n}.Value.1=v" for n in range(1, 1001))
    assert_error(raw.post(body), "FilterLimitExceeded",
                 "The maximum number of filter values specified on a single call is 200")
    assert world(ec2) == before


def test_numbers_beyond_any_column_in_filters_match_nothing(ec2: Any) -> None:
    """A filter value wider than 64 bits (or a digit no ASCII reader takes) matches
    nothing, as any value that cannot be the attribute's does; it never reaches the
    database as a number it cannot hold."""
    huge = "9" * 30
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    for value in (huge, "²", "-1"):
        assert ec2.describe_volumes(Filters=[{"Name": "size", "Values": [value]}])["Volumes"] == []
        assert ec2.describe_snapshots(OwnerIds=["self"],
                                      Filters=[{"Name": "volume-size", "Values": [value]}])["Snapshots"] == []
    assert [v["VolumeId"] for v in ec2.describe_volumes(
        Filters=[{"Name": "size", "Values": [huge, "8"]}])["Volumes"]] == [volume]
    [instance] = launch(ec2)
    assert ec2.describe_instances(Filters=[{"Name": "instance-state-code", "Values": [huge, "²"]}])[
        "Reservations"] == []
    found = ec2.describe_instances(Filters=[{"Name": "instance-state-code", "Values": [huge, "0"]}])
    assert [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]] == [instance]


def test_a_policy_version_beyond_any_number_is_not_found(make_client: Any) -> None:
    iam = make_client(service="iam")
    arn = iam.create_policy(PolicyName="p", PolicyDocument='{"Version": "2012-10-17", "Statement": '
                            '[{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}')["Policy"]["Arn"]
    for version in ("v" + "9" * 30, "v99999999999"):
        error = error_of(iam.get_policy_version, PolicyArn=arn, VersionId=version)
        assert (error["Code"], error["Status"]) == ("NoSuchEntity", 404)
        assert error["Message"] == f"Policy {arn} version {version} does not exist."
