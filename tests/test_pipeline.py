"""The request pipeline (:mod:`ec2emu.pipeline`): the routing cases the protocol fuzzer
found, each named by its input — an error found before the signature is verified is
still answered in the protocol of the service the request is for."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from ec2emu.inprocess import InProcessTransport
from tests.protocol.wire import signed

ENDPOINT = "http://ec2emu.test/"
IAM_NAMESPACE = "{https://iam.amazonaws.com/doc/2010-05-08/}"


@pytest.fixture
def transport(emulator: Any) -> Iterator[InProcessTransport]:
    yield InProcessTransport(emulator)


def query_error(body: bytes) -> tuple[str, str]:
    root = ET.fromstring(body)
    assert root.tag == f"{IAM_NAMESPACE}ErrorResponse", body
    return root.findtext(f"{IAM_NAMESPACE}Error/{IAM_NAMESPACE}Code") or "", \
        root.findtext(f"{IAM_NAMESPACE}Error/{IAM_NAMESPACE}Message") or ""


def test_an_iam_form_body_with_invalid_utf8_xed_xa0_x80_is_answered_in_iam_envelope(
        transport: InProcessTransport) -> None:
    body = b"Action=CreateUser&Version=2010-05-08&UserName=a\xed\xa0\x80b"
    method, url, headers, raw = signed("POST", ENDPOINT, body, service="iam")
    status, _, reply = transport.request(method, url, headers, raw)
    assert (status, *query_error(reply)) == (400, "InvalidParameterValue",
                                             "The request body is not valid UTF-8 form data.")


def test_an_iam_signature_without_x_amz_date_is_answered_in_iam_envelope(transport: InProcessTransport) -> None:
    method, url, headers, raw = signed("POST", ENDPOINT, b"Action=ListUsers&Version=2010-05-08", service="iam")
    headers = {k: v for k, v in headers.items() if k.lower() != "x-amz-date"}
    status, _, reply = transport.request(method, url, headers, raw)
    code, message = query_error(reply)
    assert (status, code) == (400, "IncompleteSignature")
    assert message.startswith("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")


def test_an_events_signature_without_x_amz_date_is_answered_in_json(transport: InProcessTransport) -> None:
    method, url, headers, raw = signed("POST", ENDPOINT, b"{}", service="events",
                                       content_type="application/x-amz-json-1.1")
    headers = {k: v for k, v in headers.items() if k.lower() != "x-amz-date"}
    headers["X-Amz-Target"] = "AWSEvents.ListRules"
    status, reply_headers, reply = transport.request(method, url, headers, raw)
    assert (status, reply_headers["content-type"]) == (400, "application/x-amz-json-1.1")
    assert json.loads(reply)["__type"] == "IncompleteSignatureException"


def test_an_unreadable_credential_scope_is_answered_as_ec2_answers(transport: InProcessTransport) -> None:
    headers = {"Authorization": "AWS4-HMAC-SHA256 Credential=test, SignedHeaders=host, Signature=00",
               "Content-Type": "application/x-www-form-urlencoded"}
    status, _, reply = transport.request("POST", ENDPOINT, headers, b"Action=DescribeRegions&Version=2016-11-15")
    root = ET.fromstring(reply)
    assert (status, root.tag, root.findtext("Errors/Error/Code")) == (400, "Response", "IncompleteSignature")


def test_an_iam_query_string_with_invalid_utf8_c3_28_is_answered_in_iam_envelope(
        transport: InProcessTransport) -> None:
    method, url, headers, _ = signed("GET", f"{ENDPOINT}?Action=ListUsers&Version=2010-05-08&PathPrefix=%C3%28",
                                     service="iam")
    status, _, reply = transport.request(method, url, headers, b"")
    assert (status, *query_error(reply)) == (400, "InvalidParameterValue",
                                             "The request body is not valid UTF-8 form data.")
