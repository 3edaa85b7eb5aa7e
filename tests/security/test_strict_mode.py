"""Strict mode refuses, for every service the port serves (the registry's, so a service
added is covered), a request that is unsigned, signed by a key nobody knows, forged
(a known key, the wrong secret), dated outside ±15 minutes of now (a replay, or a
client clock far ahead), or whose credential scope was changed after signing to another
region or another service — each with the code that service's protocol answers
(:func:`ec2emu.auth.errors.in_protocol`), in its envelope, and with nothing done."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.auth
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.protocol.protocols import protocol_for
from ec2emu.services import registry
from tests.conftest import NO_RETRY
from tests.helpers import error_of
from tests.two_accounts import KEYS, OWNER

ENDPOINT = "http://ec2emu.test"

# One call per served service that a signed root key is allowed to make (each reads).
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "ec2": ("describe_key_pairs", {}),
    "iam": ("list_users", {}),
    "sts": ("get_caller_identity", {}),
    "ssm": ("describe_parameters", {}),
    "events": ("list_rules", {}),
    "cloudtrail": ("lookup_events", {}),
}

MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")
EXPIRED = re.compile(r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)")
NOT_YET = re.compile(r"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z "
                     r"\(\d{8}T\d{6}Z \+ 15 min\.\)")

# What each protocol answers: (status, code, message or a pattern of it).
ANSWERS: dict[str, dict[str, tuple[int, str, str | re.Pattern[str]]]] = {
    "ec2": {
        "unsigned": (400, "MissingParameter", "The request must contain the parameter AWSAccessKeyId"),
        "unknown": (401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
        "forged": (403, "SignatureDoesNotMatch", MISMATCH),
        "old": (400, "RequestExpired", "Request has expired."),
        "new": (400, "RequestExpired", "Request has expired."),
    },
    "query": {
        "unsigned": (403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
        "unknown": (403, "InvalidClientTokenId", "The security token included in the request is invalid."),
        "forged": (403, "SignatureDoesNotMatch", MISMATCH),
        "old": (403, "SignatureDoesNotMatch", EXPIRED),
        "new": (403, "SignatureDoesNotMatch", NOT_YET),
    },
    "json": {
        "unsigned": (400, "MissingAuthenticationTokenException", "Missing Authentication Token"),
        "unknown": (400, "UnrecognizedClientException", "The security token included in the request is invalid."),
        "forged": (400, "InvalidSignatureException", MISMATCH),
        "old": (400, "InvalidSignatureException", EXPIRED),
        "new": (400, "InvalidSignatureException", NOT_YET),
    },
}

SERVED = registry.load()


def protocol_of(service: str) -> str:
    return protocol_for(SERVED[service].model).name


def test_every_served_service_has_a_call_and_its_protocol_an_answer() -> None:
    assert set(CALLS) == set(SERVED)
    assert {protocol_of(name) for name in SERVED} <= set(ANSWERS)


class Wire:
    """Clients whose requests may be changed after signing, and the last reply as sent."""

    def __init__(self, app: Emulator) -> None:
        self.transport = InProcessTransport(app)
        self.replies: list[tuple[int, dict[str, str], bytes]] = []

    def client(self, service: str, key: str = KEYS[OWNER][0], secret: str = KEYS[OWNER][1], *,
               unsigned: bool = False, change: Callable[[Any], None] | None = None) -> Any:
        config = NO_RETRY.merge(Config(signature_version=UNSIGNED)) if unsigned else NO_RETRY
        client = boto3.client(service, region_name="us-east-1", endpoint_url=ENDPOINT, aws_access_key_id=key,
                              aws_secret_access_key=secret, config=config)

        def send(request: Any, **_: Any) -> Any:
            if change is not None:
                change(request)
            response = self.transport.before_send(request)
            self.replies.append((response.status_code, dict(response.headers), response.content))
            return response

        client.meta.events.register_first("before-send", send)
        return client


@pytest.fixture
def wire(strict_app: Emulator) -> Iterator[Wire]:
    wire = Wire(strict_app)
    yield wire
    wire.transport.close()


def envelope(protocol: str, reply: tuple[int, dict[str, str], bytes]) -> tuple[int, str, str]:
    """The status, code and message of an error reply, failing unless it is in the
    protocol's own envelope."""
    status, headers, body = reply
    if protocol == "json":
        assert headers["content-type"].startswith("application/x-amz-json"), headers
        document = json.loads(body)
        assert headers["x-amzn-errortype"] == document["__type"]
        return status, document["__type"], document["message"]
    root = ET.fromstring(body)
    if protocol == "ec2":
        assert root.tag == "Response", body
        error = root.find("Errors/Error")
    else:
        assert root.tag.endswith("ErrorResponse"), body
        error = root.find("{*}Error")
    assert error is not None
    return status, error.findtext("{*}Code") or error.findtext("Code") or "", \
        error.findtext("{*}Message") or error.findtext("Message") or ""


def assert_answer(wire: Wire, service: str, case: str, call: Callable[[], Any]) -> None:
    status, code, message = ANSWERS[protocol_of(service)][case]
    error = error_of(call)
    assert (error["Status"], error["Code"]) == (status, code), (service, case, error)
    found = envelope(protocol_of(service), wire.replies[-1])
    assert found[:2] == (status, code)
    if isinstance(message, str):
        assert found[2] == message == error["Message"], (service, case)
    else:
        assert message.fullmatch(found[2]), (service, case, found[2])


def call_of(client: Any, service: str) -> Callable[[], Any]:
    name, params = CALLS[service]
    return lambda: getattr(client, name)(**params)


@pytest.mark.parametrize("service", sorted(CALLS))
def test_a_signed_call_works_and_every_refusal_is_the_services_own(
        wire: Wire, service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    call_of(wire.client(service), service)()  # the call itself is allowed
    assert_answer(wire, service, "unsigned", call_of(wire.client(service, unsigned=True), service))
    assert_answer(wire, service, "unknown", call_of(wire.client(service, "AKIAUNKNOWN000000000", "x"), service))
    assert_answer(wire, service, "forged", call_of(wire.client(service, secret="not-the-secret"), service))
    real = botocore.auth.get_current_datetime
    for case, minutes in (("old", -16), ("new", 16)):
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda m=minutes: real() + dt.timedelta(minutes=m))
        assert_answer(wire, service, case, call_of(wire.client(service), service))
    for minutes in (-14, 14):  # inside the window
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda m=minutes: real() + dt.timedelta(minutes=m))
        call_of(wire.client(service), service)()


def rescope(region: str | None = None, service: str | None = None) -> Callable[[Any], None]:
    """Change the credential scope's region or service after the request was signed."""
    def change(request: Any) -> None:
        header = request.headers["Authorization"]
        header = header.decode() if isinstance(header, bytes) else header
        key, date, scope_region, scope_service, rest = header.split("Credential=")[1].split("/", 4)
        new = f"{key}/{date}/{region or scope_region}/{service or scope_service}/{rest}"
        request.headers["Authorization"] = (header.replace(
            f"{key}/{date}/{scope_region}/{scope_service}/{rest}", new))
    return change


@pytest.mark.parametrize("service", sorted(CALLS))
def test_a_scope_changed_to_another_region_is_forged(wire: Wire, service: str) -> None:
    for region in ("eu-west-1", "us-west-2"):
        assert_answer(wire, service, "forged", call_of(wire.client(service, change=rescope(region=region)), service))


@pytest.mark.parametrize("service", sorted(CALLS))
def test_a_scope_changed_to_another_service_is_refused_by_that_service(wire: Wire, service: str) -> None:
    """The scope names the service a request is for: changed after signing, the request
    goes to the other service, which refuses it as forged, in its own protocol."""
    for other in sorted(set(CALLS) - {service}):
        with pytest.raises(Exception):  # noqa: B017 - the client cannot read another protocol's error
            call_of(wire.client(service, change=rescope(service=other)), service)()
        status, code, message = ANSWERS[protocol_of(other)]["forged"]
        found = envelope(protocol_of(other), wire.replies[-1])
        assert found == (status, code, message), (service, other)


def test_nothing_refused_was_done(wire: Wire, strict_app: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused writes change nothing: no key pair, user, parameter or rule is made, and
    the audit trail records no call of an unauthenticated caller."""
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("ec2", "create_key_pair", {"KeyName": "refused"}),
        ("iam", "create_user", {"UserName": "refused"}),
        ("ssm", "put_parameter", {"Name": "refused", "Value": "v", "Type": "String"}),
        ("events", "put_rule", {"Name": "refused", "ScheduleExpression": "rate(1 minute)"}),
    ]
    users = wire.client("iam").list_users()["Users"]
    real = botocore.auth.get_current_datetime
    for service, name, params in writes:
        clients = [wire.client(service, unsigned=True), wire.client(service, "AKIAUNKNOWN000000000", "x"),
                   wire.client(service, secret="nope"), wire.client(service, change=rescope(region="eu-west-1"))]
        for client in clients:
            error_of(getattr(client, name), **params)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: real() - dt.timedelta(minutes=20))
        error_of(getattr(wire.client(service), name), **params)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", real)
    assert wire.client("ec2").describe_key_pairs()["KeyPairs"] == []
    assert wire.client("iam").list_users()["Users"] == users
    assert wire.client("ssm").describe_parameters()["Parameters"] == []
    assert wire.client("events").list_rules()["Rules"] == []
    strict_app.flush_trail()
    names = [e["EventName"] for e in wire.client("cloudtrail").lookup_events()["Events"]]
    assert not {"CreateKeyPair", "CreateUser", "PutParameter", "PutRule"} & set(names), names
