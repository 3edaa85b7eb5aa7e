"""Request parsing, with botocore's own EC2 serializer as the oracle.

For every implemented operation (and a spread of 100 others from the model, to show the
parser is driven by the model rather than written per operation) params generated from
the input shape are serialised by botocore and must parse back to exactly the same
params. Then the wire rules the facts sheet lists, one by one, and the strict scalar
forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest

from ec2emu.errors import Ec2Error
from ec2emu.protocol import parser, spec
from ec2emu.services import registry
from tests.protocol.shapes import form_body, sample

OPERATIONS = registry.load()["ec2"].operations

UTC = dt.timezone.utc
IMPLEMENTED = sorted(OPERATIONS)
_OTHERS = sorted(set(spec.operation_names()) - set(OPERATIONS))
MODEL_SPREAD = _OTHERS[:: max(1, len(_OTHERS) // 100)][:100]


def parse(operation_name: str, body: bytes | str) -> dict[str, Any]:
    raw = body.encode() if isinstance(body, str) else body
    operation = spec.operation(operation_name)
    return parser.parse_params(operation, parser.split_tree(parser.decode_form(raw)))


def parse_error(operation_name: str, body: str) -> tuple[str, str]:
    with pytest.raises(Ec2Error) as info:
        parse(operation_name, body)
    assert info.value.status == 400
    return info.value.code, info.value.message


def round_trip(operation_name: str, seed: int) -> None:
    operation = spec.operation(operation_name)
    if operation.input_shape is None:
        assert parse(operation_name, form_body(operation, {})) == {}
        return
    params = sample(operation.input_shape, seed)
    body = form_body(operation, params)
    assert parse(operation_name, body) == params, body


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("operation_name", IMPLEMENTED)
def test_every_implemented_operation_round_trips(operation_name: str, seed: int) -> None:
    round_trip(operation_name, seed)


@pytest.mark.parametrize("operation_name", MODEL_SPREAD)
def test_operations_across_the_model_round_trip(operation_name: str) -> None:
    assert len(MODEL_SPREAD) == 100
    round_trip(operation_name, seed=len(operation_name))


def test_facts_sheet_run_instances_encoding() -> None:
    params = {
        "ImageId": "ami-12345678",
        "MinCount": 1,
        "MaxCount": 2,
        "InstanceType": "t3.micro",
        "Placement": {"AvailabilityZone": "us-east-1a"},
        "SecurityGroupIds": ["sg-1", "sg-2"],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda",
                                 "Ebs": {"DeleteOnTermination": False, "VolumeSize": 8}}],
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Env", "Value": "a b&c"}]}],
        "DisableApiTermination": True,
        "InstanceInitiatedShutdownBehavior": "terminate",
        "DryRun": False,
    }
    body = form_body(spec.operation("RunInstances"), params).decode()
    for wire in ("SecurityGroupId.2=sg-2", "BlockDeviceMapping.1.Ebs.DeleteOnTermination=false",
                 "BlockDeviceMapping.1.Ebs.VolumeSize=8", "Placement.AvailabilityZone=us-east-1a",
                 "TagSpecification.1.Tag.1.Key=Env", "DisableApiTermination=true", "DryRun=false"):
        assert wire in body
    assert parse("RunInstances", body) == params


def test_list_items_are_ordered_by_number_not_by_text() -> None:
    body = "&".join(f"InstanceId.{n}=i-{n:08x}" for n in (10, 2, 1, 11, 3))
    assert parse("TerminateInstances", body)["InstanceIds"] == [
        f"i-{n:08x}" for n in (1, 2, 3, 10, 11)
    ]


def test_empty_list_arrives_as_no_parameter() -> None:
    body = form_body(spec.operation("DescribeInstances"), {"InstanceIds": [], "Filters": []})
    assert body == b"Action=DescribeInstances&Version=2016-11-15"
    assert parse("DescribeInstances", body) == {}
    assert parse_error("TerminateInstances", body.decode().replace("Describe", "Terminate")) == (
        "MissingParameter", "The request must contain the parameter InstanceId")


def test_both_forms_of_modify_instance_attribute() -> None:
    nested = parse("ModifyInstanceAttribute",
                   "InstanceId=i-12345678&DisableApiTermination.Value=false")
    assert nested == {"InstanceId": "i-12345678", "DisableApiTermination": {"Value": False}}
    generic = parse("ModifyInstanceAttribute",
                    "InstanceId=i-12345678&Attribute=disableApiTermination&Value=false")
    assert generic == {"InstanceId": "i-12345678", "Attribute": "disableApiTermination",
                       "Value": "false"}


def test_filters_nest_names_and_values() -> None:
    body = ("Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Filter.1.Value.2=stopped"
            "&Filter.2.Name=tag%3AEnv&Filter.2.Value.1=a%2Bb+c")
    assert parse("DescribeInstances", body)["Filters"] == [
        {"Name": "instance-state-name", "Values": ["running", "stopped"]},
        {"Name": "tag:Env", "Values": ["a+b c"]},
    ]


def test_envelope_keys_are_not_parameters() -> None:
    body = ("Action=DescribeRegions&Version=2016-11-15&AWSAccessKeyId=AKID&SignatureVersion=2"
            "&X-Amz-Date=20260101T000000Z&X-Amz-Credential=a%2Fb&RegionName.1=us-east-1")
    assert parse("DescribeRegions", body) == {"RegionNames": ["us-east-1"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-06T07:08:09Z", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("2024-05-06T07:08:09.250Z", dt.datetime(2024, 5, 6, 7, 8, 9, 250000, tzinfo=UTC)),
        ("2024-05-06T09:08:09+02:00", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("2024-05-06T07:08:09", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("1715000000", dt.datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)),
    ],
)
def test_timestamps_become_aware_utc_datetimes(text: str, expected: dt.datetime) -> None:
    params = parse("DescribeSpotPriceHistory", f"StartTime={quote(text)}")
    assert params["StartTime"] == expected
    assert params["StartTime"].utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01T00:00:00Z", "1e999", "99999999999999999",
                                  "nan", ""])
def test_bad_timestamps_are_invalid_parameter_values(text: str) -> None:
    code, message = parse_error("DescribeSpotPriceHistory", f"StartTime={quote(text)}")
    assert code == "InvalidParameterValue"
    assert message == f"Invalid value '{text}' for StartTime: expected an ISO 8601 timestamp"


@pytest.mark.parametrize("text", ["abc", "5_0", " 5", "5 ", "+5", "1.5", "0x10", "\u0665", ""])
def test_integers_must_be_plain_decimal(text: str) -> None:
    code, message = parse_error("RunInstances", f"MinCount={quote(text)}&MaxCount=1")
    assert (code, message) == ("InvalidParameterValue",
                               f"Invalid value '{text}' for MinCount: expected an integer")


def test_integers_are_bounded_by_their_model_type() -> None:
    assert parse("RunInstances", f"MinCount={2**31 - 1}&MaxCount=-{2**31}") == {
        "MinCount": 2**31 - 1, "MaxCount": -(2**31)}
    code, message = parse_error("RunInstances", f"MinCount={2**31}&MaxCount=1")
    assert code == "InvalidParameterValue"
    assert message == (f"Value ({2**31}) for parameter MinCount is invalid. "
                       f"Expected an integer between -2147483648 and 2147483647.")
    # ``long`` members take 64-bit values.
    assert parse("DescribeReservedInstancesOfferings", f"MaxDuration={2**63 - 1}") == {
        "MaxDuration": 2**63 - 1}
    code, _ = parse_error("DescribeReservedInstancesOfferings", f"MaxDuration={2**63}")
    assert code == "InvalidParameterValue"


@pytest.mark.parametrize("text", ["yes", "1", "", "truee"])
def test_booleans_are_true_or_false(text: str) -> None:
    code, message = parse_error("DescribeRegions", f"DryRun={text}")
    assert (code, message) == ("InvalidParameterValue",
                               f"Invalid value '{text}' for DryRun: expected 'true' or 'false'")


def test_enum_values_come_from_the_model() -> None:
    code, message = parse_error("RunInstances",
                                "MinCount=1&MaxCount=1&InstanceInitiatedShutdownBehavior=explode")
    assert code == "InvalidParameterValue"
    assert message == ("Value (explode) for parameter InstanceInitiatedShutdownBehavior is invalid. "
                       "Expected one of: stop, terminate")


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("InstanceId.0=i-12345678", "InstanceId.0"),
        ("InstanceId.01=i-12345678", "InstanceId.01"),
        ("InstanceId.x=i-12345678", "InstanceId.x"),
        ("InstanceId.\u0661=i-12345678", "InstanceId.\u0661"),
        ("InstanceId=i-12345678", "InstanceId"),
        ("InstanceId.1.Foo=i-12345678", "InstanceId.1.Foo"),
        ("InstanceId.1=i-12345678&Bogus=1", "Bogus"),
        ("InstanceId.1=a&InstanceId.1.Deeper=b", "InstanceId.1.Deeper"),
        ("InstanceId..1=i-12345678", "InstanceId..1"),
        ("InstanceId.1.=i-12345678", "InstanceId.1."),
    ],
)
def test_malformed_keys_are_unknown_parameters(body: str, name: str) -> None:
    assert parse_error("TerminateInstances", body) == (
        "UnknownParameter", f"The parameter {name} is not recognized")


def test_required_members_are_named_with_their_wire_path() -> None:
    assert parse_error("CreateTags", "ResourceId.1=i-12345678") == (
        "MissingParameter", "The request must contain the parameter Tag")
    # A required member inside a list item: CreateCapacityReservation's InstanceCount is
    # top level; CreateFleet's LaunchTemplateConfigs items need nothing, so use the
    # nested TargetCapacitySpecification.TotalTargetCapacity.
    code, message = parse_error(
        "CreateFleet", "LaunchTemplateConfigs.1.Overrides.1.InstanceType=t3.micro"
        "&TargetCapacitySpecification.DefaultTargetCapacityType=spot")
    assert (code, message) == (
        "MissingParameter",
        "The request must contain the parameter TargetCapacitySpecification.TotalTargetCapacity")
    assert parse_error(
        "DescribeInstanceTypes", "InstanceType.1=t3.micro&Filter.1.Bogus=z") == (
        "UnknownParameter", "The parameter Filter.1.Bogus is not recognized")


def test_structure_sent_as_a_scalar_is_unknown() -> None:
    assert parse_error("RunInstances", "MinCount=1&MaxCount=1&Placement=us-east-1a") == (
        "UnknownParameter", "The parameter Placement is not recognized")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\ufffe"])
def test_values_xml_cannot_carry_are_rejected(char: str) -> None:
    body = f"ResourceId.1=i-12345678&Tag.1.Key=k&Tag.1.Value=a{quote(char)}b"
    assert parse_error("CreateTags", body) == (
        "InvalidParameterValue",
        "Value for parameter Tag.1.Value is invalid. It contains a character that is not allowed.",
    )


def test_whitespace_and_unicode_survive() -> None:
    value = "tab\there\r\nnew ünï ✓ 𝄞"
    body = form_body(spec.operation("CreateTags"),
                     {"Resources": ["i-12345678"], "Tags": [{"Key": "k", "Value": value}]})
    assert parse("CreateTags", body)["Tags"] == [{"Key": "k", "Value": value}]


@pytest.mark.parametrize("body", [b"Action=DescribeRegions&\xff=1", b"RegionName.1=%FF%FE",
                                  b"RegionName.1=%ED%A0%80"])
def test_bodies_that_are_not_utf8_are_rejected(body: bytes) -> None:
    with pytest.raises(Ec2Error) as info:
        parser.decode_form(body)
    assert (info.value.code, info.value.message) == (
        "InvalidParameterValue", "The request body is not valid UTF-8 form data.")


@pytest.mark.parametrize("body", [
    "", "&", "a=1&&b=2", "a", "a=", "=v", "a=b=c", "a+b=c+d", "a%20b=%41%42+%2B", "k=%zz%4", "k=%",
    "%C3%A9=%E2%9C%93", "k=ü+é%20x", "a=1;b=2", "k=%2526", "x.1.y=%3D&x.2.y=&&",
])
def test_form_decoding_gives_the_pairs_parse_qsl_gives(body: str) -> None:
    assert parser.decode_form(body.encode()) == parse_qsl(body, keep_blank_values=True, errors="strict")


def test_members_are_parsed_in_model_order_whatever_the_request_order() -> None:
    # Both values are bad: the error names the member the model lists first.
    members = list(spec.operation("DescribeInstances").input_shape.members)
    assert members.index("Filters") < members.index("MaxResults")
    code, message = parse_error("DescribeInstances", "MaxResults=x&Filter.1.Name=a&Filter.1.Bogus=b")
    assert (code, message) == ("UnknownParameter", "The parameter Filter.1.Bogus is not recognized")
    assert list(parse("DescribeInstances", "MaxResults=5&InstanceId.1=i-1&DryRun=true")) == [
        name for name in members if name in {"MaxResults", "InstanceIds", "DryRun"}]
