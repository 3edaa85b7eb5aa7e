"""The ``rest-json`` protocol against botocore as the oracle: every request botocore's
serializer writes — labels in the path, query parameters and maps, headers and header
lists, ``jsonvalue`` headers, payloads — routes to its operation by method and path and
parses back to its params; every result we write parses with botocore's parser back to
the result; malformed values are refused with a ``SerializationException``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from botocore.model import OperationModel
from botocore.response import StreamingBody

from ec2emu.errors import Ec2Error
from ec2emu.protocol import constraints, spec
from ec2emu.protocol.http import Message
from ec2emu.protocol.protocols import protocol_for
from ec2emu.protocol.rest_json import RestJson, split_header_list
from tests.protocol.json_wire import parsed_answer, rest_message, sample

# Models with every location: labels, greedy labels, query lists and maps, header
# scalars, lists and timestamps, header maps, jsonvalue headers, blob and structure payloads.
MODELS = ("lambda", "apigateway", "dataexchange", "lex-runtime", "polly", "mediastore-data", "appconfig", "amp")
OPERATIONS = [(model, name) for model in MODELS for name in sorted(spec.operation_names(model))
              if not spec.operation(name, model).has_event_stream_output
              and not spec.operation(name, model).has_event_stream_input]
PROTOCOL = RestJson()
UTC = dt.timezone.utc


@pytest.fixture
def unconstrained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constraints, "check", lambda *args, **kwargs: None)
    monkeypatch.setattr(constraints, "require", lambda *args, **kwargs: None)


def _request_params(operation: OperationModel, seed: int) -> dict[str, Any]:
    """Sampled params a path can carry: a label is never empty, never only dots."""
    params = sample(operation.input_shape, seed, whole=True)
    shape = operation.input_shape
    for name, value in params.items():
        if shape.members[name].serialization.get("location") == "uri" and isinstance(value, str):
            if value.strip(".") == "" or value.startswith("/") or "//" in value:
                params[name] = f"label-{name}"
    return params


def _expected_request(operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as the protocol reads them back: header map keys lower-case (header
    names are case-insensitive), a blob payload always there."""
    shape = operation.input_shape
    expected = dict(params)
    for name, value in params.items():
        if shape.members[name].serialization.get("location") == "headers":
            expected[name] = {key.lower(): item for key, item in value.items()}
    payload = shape.serialization.get("payload") if shape is not None else None
    if payload is not None and shape.members[payload].type_name == "blob":
        expected.setdefault(payload, b"")
    return expected


@pytest.mark.usefixtures("unconstrained")
@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("model", "name"), OPERATIONS)
def test_every_request_routes_and_parses_back(model: str, name: str, seed: int) -> None:
    operation = spec.operation(name, model)
    params = _request_params(operation, seed)
    message = rest_message(operation, params)
    assert PROTOCOL.operation_name(model, message) == name
    assert PROTOCOL.params(operation, message) == _expected_request(operation, params)


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _expected_result(operation: OperationModel, result: dict[str, Any], reply: Any) -> dict[str, Any]:
    """``result`` as botocore reads it back: header text as a header can carry it, header
    map keys lower-case (a map of every header when its prefix is empty), the status in
    its member."""
    shape = operation.output_shape
    expected = dict(result)
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        if location == "statusCode":
            expected[name] = reply.status
        elif location == "headers" and not member.serialization.get("name"):
            expected[name] = {**reply.headers, "x-amzn-requestid": "req-1"}
        elif name not in result:
            continue
        elif location == "header" and not member.serialization.get("jsonvalue"):
            expected[name] = _header_safe(result[name])
        elif location == "headers":
            expected[name] = {key.lower(): _header_safe(item) for key, item in result[name].items()}
    payload = shape.serialization.get("payload")
    if payload and shape.members[payload].type_name == "structure" and payload not in result:
        expected[payload] = {}
    return expected


def _header_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)
    if isinstance(value, list):
        return [_header_safe(item) for item in value]
    return value


def _result(operation: OperationModel, seed: int) -> dict[str, Any]:
    """A sampled result whose header lists hold no item botocore's reader would split."""
    result = sample(operation.output_shape, seed, whole=True)
    for name, value in result.items():
        member = operation.output_shape.members[name]
        if member.serialization.get("location") == "header" and member.type_name == "list":
            result[name] = [item for item in value if not (isinstance(item, str) and ("," in item or '"' in item))]
        if member.serialization.get("location") == "statusCode":
            result[name] = 201
    return result


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize(("model", "name"), OPERATIONS)
def test_every_result_parses_back(model: str, name: str, seed: int) -> None:
    operation = spec.operation(name, model)
    shape = operation.output_shape
    result = _result(operation, seed)
    reply = PROTOCOL.result(operation, result, "req-1")
    if shape is None:
        assert parsed_answer("rest-json", reply, shape) == {}
        return
    payload = shape.serialization.get("payload")
    streaming = payload is not None and shape.members[payload].type_name in ("blob", "string")
    body = StreamingBody(io.BytesIO(reply.body), len(reply.body)) if streaming else reply.body
    parsed = parsed_answer("rest-json", reply._replace(body=body), shape)
    if streaming:
        read = parsed.pop(payload).read()
        assert read == (result.get(payload) or b"") if shape.members[payload].type_name == "blob" \
            else read.decode() == (result.get(payload) or "")
        result = {key: value for key, value in result.items() if key != payload}
    assert parsed == _expected_result(operation, result, reply)


def test_models_speak_rest_json() -> None:
    for model in MODELS:
        assert isinstance(protocol_for(model), RestJson)


# ------------------------------------------------------------------ routing

def _message(method: str, path: str, query: list[tuple[str, str]] | None = None,
             headers: dict[str, str] | None = None, body: bytes = b"") -> Message:
    return Message(method, path, query or [], headers or {}, body)


def test_routes_take_the_most_specific_template() -> None:
    assert PROTOCOL.operation_name("lambda", _message("GET", "/2015-03-31/functions")) == "ListFunctions"
    assert PROTOCOL.operation_name("lambda", _message("GET", "/2015-03-31/functions/")) == "ListFunctions"
    assert PROTOCOL.operation_name("lambda", _message("GET", "/2015-03-31/functions/f")) == "GetFunction"
    assert PROTOCOL.operation_name("lambda", _message("GET", "/2015-03-31/functions/f/configuration")) \
        == "GetFunctionConfiguration"
    assert PROTOCOL.operation_name("lambda", _message("POST", "/2015-03-31/functions/f/invocations")) == "Invoke"


def test_labels_are_percent_decoded() -> None:
    operation = spec.operation("GetFunction", "lambda")
    message = _message("GET", "/2015-03-31/functions/my-fn%3A1", [("Qualifier", "1")])
    assert PROTOCOL.params(operation, message) == {"FunctionName": "my-fn:1", "Qualifier": "1"}
    with pytest.raises(Ec2Error) as info:  # decoded first, then held to the pattern
        PROTOCOL.params(operation, _message("GET", "/2015-03-31/functions/my%20fn"))
    assert "Value 'my fn' at 'functionName'" in info.value.message


@pytest.mark.parametrize(("method", "path"), [("GET", "/nowhere"), ("DELETE", "/2015-03-31/functions/"),
                                              ("GET", "/2015-03-31/functions/a/b/c/d")])
def test_a_path_no_operation_has_is_unknown(method: str, path: str) -> None:
    with pytest.raises(Ec2Error) as info:
        PROTOCOL.operation_name("lambda", _message(method, path))
    assert (info.value.code, info.value.status) == ("UnknownOperationException", 404)
    assert not PROTOCOL.claims("lambda", _message(method, path))


def test_a_form_is_claimed_by_no_rest_service() -> None:
    form = {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}
    assert PROTOCOL.claims("lambda", _message("GET", "/2015-03-31/functions/"))
    assert not PROTOCOL.claims("lambda", _message("GET", "/2015-03-31/functions/", headers=form))


# ------------------------------------------------------------------ what is refused

@pytest.mark.parametrize(("query", "headers", "body"), [
    ([("MaxItems", "1.5")], {}, b""),
    ([("MaxItems", "99999999999")], {}, b""),
    ([("MaxItems", "ten")], {}, b""),
    ([("FunctionVersion", "ALL")], {}, b"{"),
])
def test_text_values_of_the_wrong_type_are_serialization_exceptions(
        query: list[tuple[str, str]], headers: dict[str, str], body: bytes) -> None:
    operation = spec.operation("ListFunctions", "lambda")
    with pytest.raises(Ec2Error) as info:
        PROTOCOL.params(operation, _message("GET", "/2015-03-31/functions/", query, headers, body))
    assert info.value.code == "SerializationException"


def test_a_label_that_is_not_utf8_is_a_serialization_exception() -> None:
    with pytest.raises(Ec2Error) as info:
        PROTOCOL.params(spec.operation("GetFunction", "lambda"), _message("GET", "/2015-03-31/functions/%FF"))
    assert info.value.code == "SerializationException"


@pytest.mark.parametrize(("header", "value", "read"), [
    ("allow-revert", "true", True), ("allow-revert", "false", False), ("allow-revert", "True", None),
    ("allow-revert", "1", None),
])
def test_header_booleans_are_exact(header: str, value: str, read: bool | None) -> None:
    operation = spec.operation("StopDeployment", "appconfig")
    message = _message("DELETE", "/applications/abcd123/environments/efgh456/deployments/3", headers={header: value})
    if read is None:
        with pytest.raises(Ec2Error) as info:
            PROTOCOL.params(operation, message)
        assert info.value.code == "SerializationException"
    else:
        assert PROTOCOL.params(operation, message) == {"ApplicationId": "abcd123", "EnvironmentId": "efgh456",
                                                       "DeploymentNumber": 3, "AllowRevert": read}


def test_constraints_of_located_members_are_checked() -> None:
    operation = spec.operation("ListFunctions", "lambda")
    with pytest.raises(Ec2Error) as info:
        PROTOCOL.params(operation, _message("GET", "/2015-03-31/functions/", [("MaxItems", "0")]))
    assert info.value.code == "ValidationException"
    assert "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1" \
        in info.value.message


def test_a_missing_required_body_member_is_a_validation_exception() -> None:
    operation = spec.operation("CreateAlias", "lambda")
    with pytest.raises(Ec2Error) as info:
        PROTOCOL.params(operation, _message("POST", "/2015-03-31/functions/f/aliases", body=b'{"Name": "a"}'))
    assert info.value.code == "ValidationException"
    assert info.value.message == ("1 validation error detected: Value null at 'functionVersion' failed to satisfy "
                                  "constraint: Member must not be null")


def test_header_lists_read_botocores_quoting() -> None:
    assert split_header_list('a, "b,c" ,"d\\"e",') == ["a", "b,c", 'd"e', ""]
    assert split_header_list("") == [""]


def test_errors_carry_their_code_in_a_header() -> None:
    reply = PROTOCOL.error("lambda", Ec2Error("ResourceNotFoundException", "Function not found: f", 404), "r")
    assert (reply.status, reply.headers["x-amzn-errortype"]) == (404, "ResourceNotFoundException")
    assert json.loads(reply.body) == {"message": "Function not found: f"}
