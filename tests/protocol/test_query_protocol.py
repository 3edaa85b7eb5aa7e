"""The ``query`` protocol of IAM and STS, with botocore's own serializer and parser as the
oracles: every IAM and STS operation's request parses back to the params botocore sent,
and every response we write parses back to the result we meant.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from botocore.awsrequest import AWSRequest
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from ec2emu.errors import Ec2Error
from ec2emu.protocol import parser, serializer, spec
from tests.protocol.shapes import Sampler

SERVICES = ("iam", "sts")
OPERATIONS = [(service, name) for service in SERVICES for name in sorted(spec.operation_names(service))]
QUERY_SERIALIZER = create_serializer("query", include_validation=False)
QUERY_PARSER = create_parser("query")


def _form_body(service: str, name: str, params: dict[str, Any]) -> bytes:
    operation = spec.operation(name, service)
    serialized = QUERY_SERIALIZER.serialize_to_request(params, operation)
    request = AWSRequest(method="POST", url="http://ec2emu.test/", data=serialized["body"],
                         headers=serialized["headers"])
    body = request.prepare().body
    return body if isinstance(body, bytes) else body.encode("utf-8")


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("service", "name"), OPERATIONS)
def test_every_request_parses_back(service: str, name: str, seed: int) -> None:
    operation = spec.operation(name, service)
    shape = operation.input_shape
    params = (Sampler(seed).structure(shape) or {}) if shape is not None else {}
    body = _form_body(service, name, params)
    parsed = parser.parse_params(operation, parser.split_tree(parser.decode_form(body)))
    assert parsed == params


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("service", "name"), OPERATIONS)
def test_every_response_parses_back(service: str, name: str, seed: int) -> None:
    operation = spec.operation(name, service)
    shape = operation.output_shape
    result = (Sampler(seed).structure(shape) or {}) if shape is not None else {}
    body = serializer.serialize_result(operation, result, "req-9")
    parsed = QUERY_PARSER.parse({"body": body, "headers": {}, "status_code": 200}, shape)
    assert parsed.pop("ResponseMetadata")["RequestId"] == "req-9"
    assert parsed == result


def test_response_layout() -> None:
    operation = spec.operation("GetCallerIdentity", "sts")
    body = serializer.serialize_result(
        operation, {"UserId": "AIDAEXAMPLE", "Account": "000000000000", "Arn": "arn:aws:iam::000000000000:root"}, "r-1"
    )
    root = ET.fromstring(body)
    assert root.tag == "{https://sts.amazonaws.com/doc/2011-06-15/}GetCallerIdentityResponse"
    children = [child.tag.split("}")[1] for child in root]
    assert children == ["GetCallerIdentityResult", "ResponseMetadata"]


def test_lists_are_member_items_and_empty_lists_empty_elements() -> None:
    operation = spec.operation("ListUsers", "iam")
    body = serializer.serialize_result(operation, {"Users": [], "IsTruncated": False}, "r-2").decode()
    assert "<Users/>" in body
    body = serializer.serialize_result(
        operation,
        {"Users": [{"Path": "/", "UserName": "a", "UserId": "AIDA1", "Arn": "arn:aws:iam::000000000000:user/a",
                    "CreateDate": "2026-01-01T00:00:00Z"}], "IsTruncated": False},
        "r-3",
    ).decode()
    assert "<Users><member><Path>/</Path>" in body


def test_error_envelope() -> None:
    body = serializer.serialize_query_error(
        Ec2Error("NoSuchEntity", "The user with name bob cannot be found.", 404),
        "r-4",
        "https://iam.amazonaws.com/doc/2010-05-08/",
    )
    parsed = QUERY_PARSER.parse({"body": body, "headers": {}, "status_code": 404}, None)
    assert parsed["Error"]["Code"] == "NoSuchEntity"
    assert parsed["Error"]["Type"] == "Sender"
    assert parsed["Error"]["Message"] == "The user with name bob cannot be found."
    assert parsed["ResponseMetadata"]["RequestId"] == "r-4"


def test_empty_list_and_map_forms_parse() -> None:
    operation = spec.operation("TagUser", "iam")
    body = _form_body("iam", "TagUser", {"UserName": "a", "Tags": []})
    assert parser.parse_params(operation, parser.split_tree(parser.decode_form(body))) == {
        "UserName": "a",
        "Tags": [],
    }


def test_query_list_without_member_level_is_unknown() -> None:
    operation = spec.operation("TagUser", "iam")
    tree = parser.split_tree([("UserName", "a"), ("Tags.1.Key", "k"), ("Tags.1.Value", "v")])
    with pytest.raises(Ec2Error) as info:
        parser.parse_params(operation, tree)
    assert info.value.code == "UnknownParameter"


def _parse_query(service: str, name: str, body: str) -> dict[str, Any]:
    operation = spec.operation(name, service)
    return parser.parse_params(operation, parser.split_tree(parser.decode_form(body.encode())))


def test_missing_required_member_is_a_validation_error() -> None:
    with pytest.raises(Ec2Error) as info:
        _parse_query("iam", "CreateUser", "Action=CreateUser&Version=2010-05-08")
    assert (info.value.code, info.value.status) == ("ValidationError", 400)
    assert info.value.message == ("1 validation error detected: Value null at 'userName' failed to "
                                  "satisfy constraint: Member must not be null")


def test_value_outside_the_enum_is_a_validation_error() -> None:
    body = "Action=UpdateAccessKey&Version=2010-05-08&AccessKeyId=AKIAEXAMPLE0000000&Status=Bogus"
    with pytest.raises(Ec2Error) as info:
        _parse_query("iam", "UpdateAccessKey", body)
    assert (info.value.code, info.value.status) == ("ValidationError", 400)
    assert info.value.message == ("1 validation error detected: Value 'Bogus' at 'status' failed to "
                                  "satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]")
