"""Response serialisation, with botocore's own EC2 response parser as the oracle.

For every implemented operation (and 100 others across the model) a result generated
from the output shape is serialised by us, parsed by botocore and must come back equal.
Then the facts sheet's details: the document root and namespace, ``requestId`` first,
empty lists as ``<x/>``, absent members absent, ``<return>true</return>`` for operations
without output, the error envelope, escaping, and, through the app, the headers and the
raw XML of real calls (no ``tagSet`` on an untagged instance).
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from botocore.parsers import create_parser

from ec2emu.errors import Ec2Error
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.protocol import serializer, spec
from ec2emu.services import registry
from tests.helpers import error_of, launch
from tests.protocol.shapes import Sampler
from tests.protocol.wire import NAMESPACE, error_envelope

OPERATIONS = registry.load()["ec2"].operations

UTC = dt.timezone.utc
IMPLEMENTED = sorted(OPERATIONS)
WITH_OUTPUT = [name for name in IMPLEMENTED if spec.operation(name).output_shape is not None]
WITHOUT_OUTPUT = [name for name in IMPLEMENTED if spec.operation(name).output_shape is None]
_OTHERS = sorted(name for name in set(spec.operation_names()) - set(OPERATIONS)
                 if spec.operation(name).output_shape is not None)
MODEL_SPREAD = _OTHERS[:: max(1, len(_OTHERS) // 100)][:100]
PARSER = create_parser("ec2")


def botocore_parse(operation_name: str, body: bytes, status: int = 200) -> dict[str, Any]:
    shape = spec.operation(operation_name).output_shape
    return PARSER.parse({"body": body, "headers": {}, "status_code": status}, shape)


def round_trip(operation_name: str, result: dict[str, Any]) -> bytes:
    body = serializer.serialize_result(spec.operation(operation_name), result, "req-1")
    parsed = botocore_parse(operation_name, body)
    assert parsed.pop("ResponseMetadata")["RequestId"] == "req-1"
    assert parsed == result
    return body


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("operation_name", WITH_OUTPUT)
def test_every_implemented_result_round_trips(operation_name: str, seed: int) -> None:
    result = Sampler(seed).structure(spec.operation(operation_name).output_shape)
    assert result, f"nothing sampled for {operation_name}"
    round_trip(operation_name, result)


@pytest.mark.parametrize("operation_name", MODEL_SPREAD)
def test_results_across_the_model_round_trip(operation_name: str) -> None:
    assert len(MODEL_SPREAD) == 100
    result = Sampler(len(operation_name)).structure(spec.operation(operation_name).output_shape)
    round_trip(operation_name, result or {})


def test_document_root_namespace_and_request_id_first() -> None:
    body = serializer.serialize_result(
        spec.operation("DescribeRegions"),
        {"Regions": [{"RegionName": "us-east-1", "Endpoint": "ec2.us-east-1.amazonaws.com"}]},
        "4ac0e4f0-1111-2222-3333-444455556666",
    )
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                           b'<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                           b"<requestId>4ac0e4f0-1111-2222-3333-444455556666</requestId>")
    root = ET.fromstring(body)
    assert root.tag == f"{{{NAMESPACE}}}DescribeRegionsResponse"
    assert [child.tag.split("}")[1] for child in root] == ["requestId", "regionInfo"]
    assert [child.tag.split("}")[1] for child in root.find(f"{{{NAMESPACE}}}regionInfo")] == ["item"]


def test_empty_list_is_an_empty_element_and_parses_to_an_empty_list() -> None:
    body = round_trip("DescribeInstances", {"Reservations": []})
    assert b"<reservationSet/>" in body
    assert botocore_parse("DescribeInstances", body)["Reservations"] == []


def test_absent_or_none_members_are_absent_elements() -> None:
    instance = {"InstanceId": "i-0123456789abcdef0", "Tags": None, "State": {"Code": 16, "Name": "running"}}
    body = serializer.serialize_result(spec.operation("DescribeInstances"),
                                       {"Reservations": [{"Instances": [instance]}]}, "r")
    assert b"tagSet" not in body
    parsed = botocore_parse("DescribeInstances", body)["Reservations"][0]["Instances"][0]
    assert "Tags" not in parsed
    assert parsed["State"] == {"Code": 16, "Name": "running"}
    # Renamed members use their locationName.
    assert b"<instanceState><code>16</code><name>running</name></instanceState>" in body


def test_empty_string_is_an_empty_element() -> None:
    body = round_trip("DescribeInstances",
                      {"Reservations": [{"Instances": [{"InstanceId": "i-1", "PublicDnsName": ""}]}]})
    assert b"<dnsName/>" in body


@pytest.mark.parametrize("operation_name", WITHOUT_OUTPUT)
def test_operations_without_output_answer_return_true(operation_name: str) -> None:
    body = serializer.serialize_result(spec.operation(operation_name), {}, "req-2")
    root = ET.fromstring(body)
    assert root.tag == f"{{{NAMESPACE}}}{operation_name}Response"
    assert [(c.tag.split("}")[1], c.text) for c in root] == [("requestId", "req-2"), ("return", "true")]
    parsed = PARSER.parse({"body": body, "headers": {}, "status_code": 200}, None)
    assert parsed.pop("ResponseMetadata")["RequestId"] == "req-2"
    assert parsed == {}


def test_no_output_operations_include_reboot_and_modify_attribute() -> None:
    assert {"RebootInstances", "ModifyInstanceAttribute"} <= set(WITHOUT_OUTPUT)


def test_error_envelope_parses_as_botocore_expects() -> None:
    error = Ec2Error("InvalidInstanceID.NotFound", "The instance ID 'i-1 <&> \"x\"' does not exist")
    body = serializer.serialize_error(error, "req-3")
    assert body == (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                    b"<Code>InvalidInstanceID.NotFound</Code>"
                    b"<Message>The instance ID 'i-1 &lt;&amp;&gt; \"x\"' does not exist</Message>"
                    b"</Error></Errors><RequestID>req-3</RequestID></Response>")
    assert error_envelope(body)["Message"] == error.message
    parsed = PARSER.parse({"body": body, "headers": {}, "status_code": 400}, None)
    assert parsed["Error"] == {"Code": "InvalidInstanceID.NotFound", "Message": error.message}
    assert parsed["ResponseMetadata"]["RequestId"] == "req-3"


def test_special_characters_in_values_are_escaped() -> None:
    nasty = "a & b < c > d \"e\" 'f' ]]> &amp; \r\n\ttab ünï ✓ 𝄞"
    body = round_trip("DescribeTags", {"Tags": [{"Key": nasty, "Value": nasty, "ResourceId": "i-1",
                                                 "ResourceType": "instance"}]})
    assert b"&amp;amp;" in body and b"&lt;" in body and b"&#13;" in body
    assert b"<key>a & b" not in body


def test_characters_xml_cannot_carry_never_break_the_document() -> None:
    error = Ec2Error("UnknownParameter", "The parameter Bad\x00\x01\x1bKey is not recognized")
    envelope = error_envelope(serializer.serialize_error(error, "r"))
    assert envelope["Message"] == "The parameter Bad\ufffd\ufffd\ufffdKey is not recognized"
    body = serializer.serialize_result(spec.operation("DescribeTags"),
                                       {"Tags": [{"Key": "k\x02", "Value": "v\ufffe"}]}, "r")
    assert botocore_parse("DescribeTags", body)["Tags"] == [{"Key": "k\ufffd", "Value": "v\ufffd"}]


def test_timestamps_are_utc_with_milliseconds() -> None:
    aware = dt.datetime(2013, 5, 8, 20, 44, 16, 987654, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert serializer.format_timestamp(aware) == "2013-05-08T18:44:16.987Z"
    assert serializer.format_timestamp(dt.datetime(2013, 5, 8, 18, 44, 16)) == "2013-05-08T18:44:16.000Z"
    body = round_trip("DescribeInstances", {"Reservations": [{"Instances": [
        {"InstanceId": "i-1", "LaunchTime": dt.datetime(2013, 5, 8, 18, 44, 16, tzinfo=UTC)}]}]})
    assert b"<launchTime>2013-05-08T18:44:16.000Z</launchTime>" in body


def test_scalars_render_as_ec2_does() -> None:
    body = round_trip("DescribeInstances", {"Reservations": [{"Instances": [
        {"InstanceId": "i-1", "AmiLaunchIndex": 0, "EbsOptimized": False, "EnaSupport": True}]}]})
    assert b"<amiLaunchIndex>0</amiLaunchIndex>" in body
    assert b"<ebsOptimized>false</ebsOptimized>" in body and b"<enaSupport>true</enaSupport>" in body


def test_unknown_result_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="Bogus"):
        serializer.serialize_result(spec.operation("DescribeInstances"), {"Bogus": 1}, "r")


def test_members_follow_the_result_dicts_key_order_for_any_layout() -> None:
    # More key layouts of one shape than the emitters compile straight-line code for:
    # every one still serialises in its own order and parses back.
    shape = spec.operation("DescribeInstances").output_shape.members["Reservations"].member \
        .members["Instances"].member
    names = ["InstanceId", "ImageId", "InstanceType", "KeyName", "PrivateDnsName", "Architecture"]
    orders = {tuple(permutation[:size]) for size in (2, 3, 6) for permutation in itertools.permutations(names)}
    assert len(orders) > 40
    for order in sorted(orders)[::10]:
        instance = {name: f"{name}-{len(order)}" for name in order}
        body = round_trip("DescribeInstances", {"Reservations": [{"Instances": [instance]}]})
        elements = ET.fromstring(body).find(f"{{{NAMESPACE}}}reservationSet")[0][0][0]
        assert [child.tag.split("}")[1] for child in elements] == [
            spec.output_wire_name(name, shape.members[name]) for name in order]


def test_unknown_key_raises_whatever_layouts_were_seen_before() -> None:
    operation = spec.operation("DescribeInstances")
    good = {"Reservations": [{"Instances": [{"InstanceId": "i-1", "ImageId": "ami-1"}]}]}
    serializer.serialize_result(operation, good, "r")
    with pytest.raises(KeyError, match="Instance has no member 'Bogus'"):
        serializer.serialize_result(operation, {"Reservations": [{"Instances": [
            {"InstanceId": "i-1", "Bogus": 1}]}]}, "r")
    # A key the shape does not know is no error when its value is None, as for any member.
    body = serializer.serialize_result(operation, {"Reservations": [{"Instances": [
        {"InstanceId": "i-1", "Bogus": None}]}]}, "r")
    assert b"<instanceId>i-1</instanceId>" in body and b"Bogus" not in body


_RUN_PLAIN = {"InstanceId": "i-1", "ClientToken": "tok", "EbsOptimized": True, "AmiLaunchIndex": 3,
              "LaunchTime": dt.datetime(2013, 5, 8, 18, 44, 16, 7000, tzinfo=UTC)}
_RUN_XML = {"InstanceId": "<instanceId>i-1</instanceId>", "ClientToken": "<clientToken>tok</clientToken>",
            "EbsOptimized": "<ebsOptimized>true</ebsOptimized>",
            "AmiLaunchIndex": "<amiLaunchIndex>3</amiLaunchIndex>",
            "LaunchTime": "<launchTime>2013-05-08T18:44:16.007Z</launchTime>"}


@pytest.mark.parametrize(("member", "value", "expected"), [
    (None, None, ""),
    ("ClientToken", "", "<clientToken/>"),
    ("ClientToken", None, ""),
    ("ClientToken", "a&b<c>\r", "<clientToken>a&amp;b&lt;c&gt;&#13;</clientToken>"),
    ("ClientToken", "\x00ü", "<clientToken>\ufffdü</clientToken>"),
    ("ClientToken", 42, "<clientToken>42</clientToken>"),
    ("EbsOptimized", 0, "<ebsOptimized>false</ebsOptimized>"),
    ("EbsOptimized", None, ""),
    ("AmiLaunchIndex", True, "<amiLaunchIndex>1</amiLaunchIndex>"),
    ("AmiLaunchIndex", "7", "<amiLaunchIndex>7</amiLaunchIndex>"),
    ("LaunchTime", dt.datetime(2013, 5, 8, 20, 44, 16, tzinfo=dt.timezone(dt.timedelta(hours=2))),
     "<launchTime>2013-05-08T18:44:16.000Z</launchTime>"),
    ("LaunchTime", dt.datetime(2013, 5, 8, 18, 44, 16), "<launchTime>2013-05-08T18:44:16.000Z</launchTime>"),
    ("LaunchTime", dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
     "<launchTime>0999-01-02T03:04:05.000Z</launchTime>"),
    ("LaunchTime", "yesterday", "<launchTime>yesterday</launchTime>"),
])
def test_consecutive_scalars_render_alike_whatever_their_values(member: str | None, value: Any,
                                                                expected: str) -> None:
    # Consecutive scalar members are written together when their values are plain; any
    # other value in the run must come out exactly as it would on its own.
    instance, xml = dict(_RUN_PLAIN), dict(_RUN_XML)
    if member is not None:
        instance[member], xml[member] = value, expected
    body = serializer.serialize_result(spec.operation("DescribeInstances"),
                                       {"Reservations": [{"Instances": [instance]}]}, "r")
    assert f"<instancesSet><item>{''.join(xml.values())}</item></instancesSet>".encode() in body
    if member is None:
        assert botocore_parse("DescribeInstances", body)["Reservations"][0]["Instances"] == [instance]

# ------------------------------------------------------------------ through the app

class Captured:
    """The raw HTTP responses of a boto3 client, by operation name."""

    def __init__(self, client: Any) -> None:
        self.responses: list[tuple[str, Any]] = []
        client.meta.events.register("after-call.ec2", self._record)

    def _record(self, http_response: Any, model: Any, **_: Any) -> None:
        self.responses.append((model.name, http_response))

    def last(self, name: str) -> Any:
        return [response for op, response in self.responses if op == name][-1]


@pytest.fixture
def captured(ec2: Any) -> Captured:
    return Captured(ec2)


def test_headers_and_request_id_of_a_success(ec2: Any, captured: Captured) -> None:
    parsed = ec2.describe_regions()
    raw = captured.last("DescribeRegions")
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "text/xml;charset=UTF-8"
    request_id = raw.headers["x-amzn-requestid"]
    assert parsed["ResponseMetadata"]["RequestId"] == request_id
    root = ET.fromstring(raw.content)
    assert root.tag == f"{{{NAMESPACE}}}DescribeRegionsResponse"
    assert root[0].tag == f"{{{NAMESPACE}}}requestId" and root[0].text == request_id


def test_headers_and_request_id_of_an_error(ec2: Any, captured: Captured) -> None:
    error = error_of(ec2.terminate_instances, InstanceIds=["i-0123456789abcdef0"])
    assert (error["Code"], error["Status"]) == ("InvalidInstanceID.NotFound", 400)
    raw = captured.last("TerminateInstances")
    assert raw.headers["content-type"] == "text/xml;charset=UTF-8"
    assert error_envelope(raw.content)["RequestID"] == raw.headers["x-amzn-requestid"]


def test_untagged_instance_has_no_tag_set_on_the_wire(ec2: Any, captured: Captured) -> None:
    [plain] = launch(ec2)
    [tagged] = launch(ec2, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "a<b>&c"}]}])
    reply = ec2.describe_instances(InstanceIds=[plain])
    assert "Tags" not in reply["Reservations"][0]["Instances"][0]
    assert b"tagSet" not in captured.last("DescribeInstances").content
    reply = ec2.describe_instances(InstanceIds=[tagged])
    assert reply["Reservations"][0]["Instances"][0]["Tags"] == [{"Key": "Name", "Value": "a<b>&c"}]
    assert b"<tagSet><item><key>Name</key><value>a&lt;b&gt;&amp;c</value></item></tagSet>" in (
        captured.last("DescribeInstances").content)


def test_no_instances_is_an_empty_reservation_set(ec2: Any, captured: Captured) -> None:
    assert ec2.describe_instances()["Reservations"] == []
    assert b"<reservationSet/>" in captured.last("DescribeInstances").content


@pytest.mark.parametrize("call", ["reboot", "modify"])
def test_no_output_operations_answer_return_true_on_the_wire(ec2: Any, captured: Captured,
                                                              clock: ManualClock, call: str) -> None:
    [instance] = launch(ec2)
    clock.advance(10)  # past pending: a reboot needs a running instance
    if call == "reboot":
        ec2.reboot_instances(InstanceIds=[instance])
        name = "RebootInstances"
    else:
        ec2.modify_instance_attribute(InstanceId=instance, DisableApiTermination={"Value": True})
        name = "ModifyInstanceAttribute"
    raw = captured.last(name)
    root = ET.fromstring(raw.content)
    assert root.tag == f"{{{NAMESPACE}}}{name}Response"
    assert [(c.tag.split("}")[1], c.text) for c in root] == [
        ("requestId", raw.headers["x-amzn-requestid"]), ("return", "true")]


def test_special_characters_survive_a_tag_round_trip(ec2: Any) -> None:
    [instance] = launch(ec2)
    value = "x & y < z > \"q\" 'p' \r\n\t ünï ✓ 𝄞 ]]>"
    ec2.create_tags(Resources=[instance], Tags=[{"Key": "odd<&>", "Value": value}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [instance]}])["Tags"]
    assert [(t["Key"], t["Value"]) for t in tags] == [("odd<&>", value)]
