"""A JSON service needs no pipeline of its own: an app serving, besides the registry's
services, a test-only ``Service`` for EventBridge's JSON 1.1 model (one ``ListRules``
handler) and one for Lambda's ``rest-json`` model (one ``GetFunction`` handler) answers
boto3's own clients through the very same pipeline — routing by the credential scope,
the ``X-Amz-Target`` or the path, the signature checked, errors in each protocol.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.errors import Ec2Error, json_validation_errors
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.services import registry
from ec2emu.services.registry import Service
from ec2emu.services.shared.context import RequestContext
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import error_of

ENDPOINT = "http://ec2emu.test/"
JSON_11 = "application/x-amz-json-1.1"


def _events() -> Service:
    events = Service(signing_name="events", model="events", modules=())

    @events.operation("ListRules")
    def list_rules(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix", "rule")
        if prefix == "boom":
            raise RuntimeError("a fault in a handler")
        if prefix == "refused":
            raise json_validation_errors(["Value 'refused' at 'namePrefix' failed to satisfy constraint: no"])
        rules = [{"Name": f"{prefix}-{n}", "Arn": f"arn:aws:events:{ctx.region}:{ctx.account_id}:rule/{prefix}-{n}",
                  "State": "ENABLED", "EventBusName": params.get("EventBusName", "default")}
                 for n in range(1, params.get("Limit", 2) + 1)]
        return {"Rules": rules, "NextToken": "next"}

    return events


def _lambda() -> Service:
    functions = Service(signing_name="lambda", model="lambda", modules=())

    @functions.operation("GetFunction")
    def get_function(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        name = params["FunctionName"]
        if name == "missing":
            raise Ec2Error("ResourceNotFoundException", f"Function not found: {name}", 404)
        return {"Configuration": {"FunctionName": name, "Version": params.get("Qualifier", "$LATEST")},
                "Tags": {"team": "a"}}

    return functions


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=tmp_path, durations=DURATIONS, admin_token="test-admin-token")
    services = {**registry.load(), "events": _events(), "lambda": _lambda()}
    emulator = build_app(settings, clock=ManualClock(), services=services)
    yield emulator
    emulator.store.close()


@pytest.fixture
def client(app: Emulator) -> Iterator[Callable[..., Any]]:
    transport = InProcessTransport(app)

    def make(service: str) -> Any:
        made = boto3.client(service, region_name="us-east-1", endpoint_url=ENDPOINT.rstrip("/"),
                            aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY)
        return transport.attach(made)

    yield make
    transport.close()


def _prepared(body: bytes, headers: dict[str, str], *, service: str = "events", sign: bool = True,
              method: str = "POST", url: str = ENDPOINT) -> tuple[str, str, dict[str, str], bytes]:
    """A request as botocore would send it, signed (every header given among the signed)."""
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    if sign:
        SigV4Auth(Credentials("test", "test"), service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    raw = prepared.body or b""
    return prepared.method, prepared.url, dict(prepared.headers), raw if isinstance(raw, bytes) else raw.encode()


def _raw(app: Emulator, body: bytes, headers: dict[str, str], **options: Any) -> tuple[int, dict[str, str], bytes]:
    return InProcessTransport(app).request(*_prepared(body, headers, **options))


# ------------------------------------------------------------------ JSON 1.1 through boto3

def test_a_json_service_answers_boto3(client: Callable[..., Any]) -> None:
    events = client("events")
    answer = events.list_rules(NamePrefix="app", Limit=3, EventBusName="bus")
    assert [rule["Name"] for rule in answer["Rules"]] == ["app-1", "app-2", "app-3"]
    assert answer["Rules"][0]["Arn"] == "arn:aws:events:us-east-1:000000000000:rule/app-1"
    assert answer["NextToken"] == "next"
    assert answer["ResponseMetadata"]["HTTPHeaders"]["content-type"] == JSON_11


def test_the_same_app_still_serves_ec2(client: Callable[..., Any]) -> None:
    assert client("ec2").describe_regions(RegionNames=["us-east-1"])["Regions"][0]["RegionName"] == "us-east-1"


def test_an_operation_not_implemented_is_named(client: Callable[..., Any]) -> None:
    error = error_of(client("events").describe_rule, Name="r")
    assert error == {"Code": "InvalidAction", "Status": 400, "Message": (
        "The action DescribeRule is a valid EventBridge action but is not implemented by this endpoint.")}


def test_values_botocore_lets_through_are_validated(client: Callable[..., Any]) -> None:
    error = error_of(client("events").list_rules, NamePrefix="a b", Limit=101)
    assert (error["Code"], error["Status"]) == ("ValidationException", 400)
    assert error["Message"].startswith("2 validation errors detected: Value 'a b' at 'namePrefix'")


def test_a_handlers_error_and_a_fault_are_answered_in_json(client: Callable[..., Any]) -> None:
    error = error_of(client("events").list_rules, NamePrefix="refused")
    assert (error["Code"], error["Status"]) == ("ValidationException", 400)
    error = error_of(client("events").list_rules, NamePrefix="boom")
    assert (error["Code"], error["Status"]) == ("InternalError", 500)


def test_a_bad_signature_is_answered_in_json(app: Emulator) -> None:
    transport = InProcessTransport(app)
    events = boto3.client("events", region_name="us-east-1", endpoint_url=ENDPOINT.rstrip("/"),
                          aws_access_key_id="test", aws_secret_access_key="wrong", config=NO_RETRY)
    error = error_of(transport.attach(events).list_rules)
    assert (error["Code"], error["Status"]) == ("InvalidSignatureException", 400)


# ------------------------------------------------------------------ JSON 1.1 on the wire

def _json_error(reply: tuple[int, dict[str, str], bytes]) -> tuple[int, str, str]:
    status, headers, body = reply
    assert headers["content-type"] == JSON_11, (headers, body)
    document = json.loads(body)
    assert set(document) == {"__type", "message"}
    assert headers["x-amzn-errortype"] == document["__type"]
    return status, document["__type"], document["message"]


@pytest.mark.parametrize(("body", "target", "code"), [
    (b"{", "AWSEvents.ListRules", "SerializationException"),
    (b"\xff", "AWSEvents.ListRules", "SerializationException"),
    (b'{"Limit": "two"}', "AWSEvents.ListRules", "SerializationException"),
    (b"[" * 50000, "AWSEvents.ListRules", "SerializationException"),
    (b"{}", "AWSEvents.NoSuchOperation", "UnknownOperationException"),
    (b"{}", "SomethingElse.ListRules", "UnknownOperationException"),
    (b"{}", "", "UnknownOperationException"),
])
def test_what_cannot_be_read_is_a_json_error_never_a_500(app: Emulator, body: bytes, target: str, code: str) -> None:
    headers = {"Content-Type": JSON_11, **({"X-Amz-Target": target} if target else {})}
    status, found, _ = _json_error(_raw(app, body, headers))
    assert (status, found) == (400, code)


def test_a_parse_error_waits_for_the_signature(app: Emulator) -> None:
    method, url, headers, body = _prepared(b"{", {"Content-Type": JSON_11, "X-Amz-Target": "AWSEvents.ListRules"})
    headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    status, code, _ = _json_error(InProcessTransport(app).request(method, url, headers, body))
    assert (status, code) == (400, "InvalidSignatureException")


def test_an_unsigned_request_is_routed_by_its_target(app: Emulator) -> None:
    reply = _raw(app, b"{}", {"Content-Type": JSON_11, "X-Amz-Target": "AWSEvents.ListRules"}, sign=False)
    assert _json_error(reply) == (400, "MissingAuthenticationTokenException", "Missing Authentication Token")


def test_an_unsigned_form_is_still_answered_as_ec2(app: Emulator) -> None:
    status, headers, body = _raw(app, b"Action=DescribeRegions", {
        "Content-Type": "application/x-www-form-urlencoded"}, sign=False)
    assert status == 400 and headers["content-type"].startswith("text/xml")
    assert b"<Code>MissingParameter</Code>" in body


# ------------------------------------------------------------------ rest-json through boto3

def test_a_rest_json_service_answers_boto3(client: Callable[..., Any]) -> None:
    functions = client("lambda")
    answer = functions.get_function(FunctionName="my-fn:live", Qualifier="live")
    assert answer["Configuration"] == {"FunctionName": "my-fn:live", "Version": "live"}
    assert answer["Tags"] == {"team": "a"}


def test_a_rest_json_error_carries_its_code_in_a_header(client: Callable[..., Any]) -> None:
    error = error_of(client("lambda").get_function, FunctionName="missing")
    assert error == {"Code": "ResourceNotFoundException", "Message": "Function not found: missing", "Status": 404}
    error = error_of(client("lambda").list_functions)
    assert (error["Code"], error["Status"]) == ("InvalidAction", 400)


def test_an_unsigned_request_is_routed_by_its_path(app: Emulator) -> None:
    status, headers, body = _raw(app, b"", {}, sign=False, method="GET",
                                 url=ENDPOINT + "2015-03-31/functions/f")
    assert (status, headers["content-type"], headers["x-amzn-errortype"]) == (
        400, "application/json", "MissingAuthenticationTokenException")
    assert json.loads(body) == {"message": "Missing Authentication Token"}


def test_a_path_no_operation_has_is_a_404(app: Emulator) -> None:
    status, headers, _ = _raw(app, b"", {}, service="lambda", method="GET", url=ENDPOINT + "nowhere")
    assert (status, headers["x-amzn-errortype"]) == (404, "UnknownOperationException")


# ------------------------------------------------------------------ not served: its own protocol still

def test_a_json_service_not_served_is_answered_in_json(make_client: Callable[..., Any]) -> None:
    error = error_of(make_client(service="logs").describe_log_groups)
    assert error == {"Code": "InvalidAction", "Status": 400,
                     "Message": "The service 'logs' is not served by this endpoint."}


# ------------------------------------------------------------------ never a 500

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12)
MEMBERS = st.sampled_from(["Name", "NamePrefix", "Limit", "EventBusName", "NextToken", "Rule", "Targets", "Id",
                           "Arn", "Input", "RetryPolicy", "MaximumRetryAttempts", "HttpParameters", "Entries"])


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(["AWSEvents.ListRules", "AWSEvents.PutTargets", "AWSEvents.PutEvents",
                               "AWSEvents.Bogus"]),
       document=st.dictionaries(MEMBERS, JSON_VALUES, max_size=4) | JSON_VALUES)
def test_any_json_body_is_answered_below_500_in_json(app: Emulator, target: str, document: Any) -> None:
    body = json.dumps(document).encode()
    status, headers, answer = _raw(app, body, {"Content-Type": JSON_11, "X-Amz-Target": target})
    assert status < 500, answer
    if status != 200:
        _json_error((status, headers, answer))


SEGMENTS = st.sampled_from(["2015-03-31", "functions", "f", "my-fn%3A1", "%FF", "%", "a%20b", "", "invocations",
                            "configuration", "..", "2017-03-31", "tags", "aliases"])
QUERY = st.lists(st.tuples(st.sampled_from(["Qualifier", "MaxItems", "Marker", "FunctionVersion", "X"]),
                           st.text(max_size=8)), max_size=3)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]), segments=st.lists(SEGMENTS, max_size=5),
       query=QUERY, body=st.sampled_from([b"", b"{", b"[]", b'{"Name": 1}', b'{"FunctionVersion": "1"}']))
def test_any_rest_request_is_answered_below_500(app: Emulator, method: str, segments: list[str],
                                                query: list[tuple[str, str]], body: bytes) -> None:
    url = ENDPOINT + "/".join(segments) + ("?" + urlencode(query) if query else "")
    status, headers, answer = _raw(app, body, {}, service="lambda", method=method, url=url)
    assert status < 500, answer
    if status not in (200, 201, 204):
        assert "x-amzn-errortype" in headers or headers["content-type"].startswith("text/xml"), (headers, answer)
