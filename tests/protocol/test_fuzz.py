"""Random requests into every implemented operation: never a 5xx, always a well-formed answer.

Two flavours per operation. *Well-typed*: params drawn from the input shape with real
IDs from a seeded world where IDs go, as a correct client could send them. *Roughened*:
the same plus junk text and numbers, junk keys and swapped values on the wire. Every
answer must be below 500; an error must be EC2's exact error envelope; a success must
parse with botocore's parser for that operation.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.parsers import create_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2emu.lifecycle.clock import ManualClock
from ec2emu.protocol import spec
from ec2emu.services import registry
from tests.helpers import image_id, launch
from tests.protocol.shapes import form_body, junk_text, strategy
from tests.protocol.wire import RawEc2, error_envelope

OPERATIONS = registry.load()["ec2"].operations

IMPLEMENTED = sorted(OPERATIONS)
PARSER = create_parser("ec2")

STATIC_STRINGS = [
    "i-12345678", "i-0123456789abcdef0", "ami-12345678", "t3.micro", "m5.large", "x9.bogus",
    "us-east-1", "us-east-1a", "eu-west-1", "instance", "running", "stopped", "terminated",
    "amazon", "self", "ebs", "instance-store", "x86_64", "disableApiTermination", "disableApiStop",
    "instanceInitiatedShutdownBehavior", "instanceType", "userData", "stop", "terminate", "*", "?",
    "al2023-ami-2023.*-x86_64", "dXNlciBkYXRh", "true", "16", "5", "",
]
FILTER_NAMES = [
    "instance-state-name", "instance-state-code", "availability-zone", "instance-id", "image-id",
    "instance-type", "tag:Name", "tag-key", "tag-value", "vpc-id", "subnet-id", "reservation-id",
    "name", "owner-alias", "root-device-type", "architecture", "state", "resource-id", "key", "value",
    "resource-type", "region-name", "zone-name", "group-id", "default-for-az", "is-default", "bogus",
]
FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


class Pools:
    """Strings for a member, by its name: real IDs where an ID goes, anything elsewhere."""

    MARKERS = (("InstanceId", "instance"), ("ImageId", "image"), ("SubnetId", "subnet"),
               ("VpcId", "vpc"), ("GroupId", "group"), ("Resource", "instance"))

    def __init__(self, ids: dict[str, list[str]]) -> None:
        self.ids = ids
        self.general = st.sampled_from(sorted({v for vs in ids.values() for v in vs}) + STATIC_STRINGS)

    def __call__(self, member: str) -> st.SearchStrategy[str]:
        for marker, key in self.MARKERS:
            if marker in member:
                return st.one_of(st.sampled_from(self.ids[key]), self.general)
        if member == "Name":
            return st.one_of(st.sampled_from(FILTER_NAMES), self.general)
        if member in ("Key", "Value", "Values"):
            return st.one_of(st.sampled_from(["Name", "web", "env", "w*", "*"]), self.general)
        return self.general


@pytest.fixture
def raw(emulator: Any) -> Iterator[RawEc2]:
    client = RawEc2(emulator)
    yield client
    client.close()


@pytest.fixture
def pools(ec2: Any, clock: ManualClock) -> Pools:
    """A small world: a tagged and a protected instance (running), a pending one, images, network."""
    tagged = launch(ec2, 1, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
    protected = launch(ec2, 1, DisableApiTermination=True)
    clock.advance(10)
    pending = launch(ec2, 1)
    return Pools({
        "instance": tagged + protected + pending + ["i-12345678", "i-0123456789abcdef0"],
        "image": [image_id(ec2), image_id(ec2, name="*", root="instance-store"), "ami-12345678"],
        "subnet": [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2],
        "vpc": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]],
        "group": [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]],
    })


def wire_names(shape: Any, prefix: str = "", depth: int = 0) -> list[str]:
    """Wire keys an operation knows (list items as ``.1``), for plausible junk."""
    names: list[str] = []
    if shape is None or depth > 3:
        return names
    for member_name, member in shape.members.items():
        key = prefix + spec.input_wire_name(member_name, member)
        if member.type_name == "list":
            key += ".1"
            member = member.member
        names.append(key)
        if member.type_name == "structure":
            names += wire_names(member, key + ".", depth + 1)
    return names


@st.composite
def well_typed(draw: Any, operation_name: str, pools: Pools) -> bytes:
    """What a correct client could send: right types, real IDs where IDs go."""
    operation = spec.operation(operation_name)
    params: dict[str, Any] = {}
    if operation.input_shape is not None:
        params = draw(strategy(operation.input_shape, pools, junk=False))
        members = operation.input_shape.members
        # An image is optional in the model but needed to launch anything; and a launch
        # with MaxCount below MinCount never gets past the first check.
        if "ImageId" in members and "ImageId" not in params:
            params["ImageId"] = draw(pools("ImageId"))
        if {"MinCount", "MaxCount"} <= set(params) and draw(st.booleans()):
            params["MaxCount"] = max(params["MinCount"], params["MaxCount"])
    return form_body(operation, params)


@st.composite
def roughened(draw: Any, operation_name: str, pools: Pools) -> bytes:
    """Anything a broken client could send: junk text and numbers, junk keys, swapped values."""
    operation = spec.operation(operation_name)
    params = draw(strategy(operation.input_shape, pools)) if operation.input_shape else {}
    pairs = urllib.parse.parse_qsl(form_body(operation, params).decode(), keep_blank_values=True)
    head, rest = pairs[:2], pairs[2:]  # Action and Version stay first
    names = wire_names(operation.input_shape) or ["Bogus"]
    values = st.one_of(junk_text(), pools.general)
    for index in draw(st.lists(st.integers(0, max(len(rest) - 1, 0)), max_size=2)):
        if rest:
            rest[index] = (rest[index][0], draw(values))
    junk_keys = st.one_of(st.sampled_from(names), junk_text(),
                          st.sampled_from(names).map(lambda n: n + ".2.Extra"))
    rest += draw(st.lists(st.tuples(junk_keys, values), max_size=2))
    if draw(st.booleans()):
        rest = list(draw(st.permutations(rest)))
    return urllib.parse.urlencode(head + rest).encode()


def check(operation_name: str, raw: RawEc2, body: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    reply = raw.post(body)
    assert reply.status < 500, f"{operation_name} {body!r} → {reply.status}\n{caplog.text}"
    assert reply.headers["content-type"] == "text/xml;charset=UTF-8"
    if reply.status >= 300:
        envelope = error_envelope(reply.body)
        assert envelope["RequestID"] == reply.headers["x-amzn-requestid"]
    else:
        shape = spec.operation(operation_name).output_shape
        parsed = PARSER.parse({"body": reply.body, "headers": {}, "status_code": 200}, shape)
        assert parsed["ResponseMetadata"]["RequestId"] == reply.headers["x-amzn-requestid"]


@pytest.mark.parametrize("operation_name", IMPLEMENTED)
@FUZZ
@given(data=st.data())
def test_well_typed_random_requests_never_fail_the_server(
        operation_name: str, raw: RawEc2, pools: Pools, caplog: pytest.LogCaptureFixture,
        data: st.DataObject) -> None:
    caplog.set_level(logging.ERROR, logger="ec2emu")
    check(operation_name, raw, data.draw(well_typed(operation_name, pools), label="body"), caplog)


@pytest.mark.parametrize("operation_name", IMPLEMENTED)
@FUZZ
@given(data=st.data())
def test_roughened_random_requests_never_fail_the_server(
        operation_name: str, raw: RawEc2, pools: Pools, caplog: pytest.LogCaptureFixture,
        data: st.DataObject) -> None:
    caplog.set_level(logging.ERROR, logger="ec2emu")
    check(operation_name, raw, data.draw(roughened(operation_name, pools), label="body"), caplog)
