"""Raw EC2 Query requests for the protocol tests, and strict checks of what comes back.

:class:`RawEc2` signs a request exactly as botocore does (SigV4, credential scope
``…/<region>/ec2/aws4_request``) and sends it through the ASGI app in-process, so a test
can put any bytes on the wire. :func:`error_envelope` reads an error body and fails
unless it is exactly EC2's ``<Response><Errors><Error>`` envelope.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from ec2emu.inprocess import InProcessTransport

ENDPOINT = "http://ec2emu.test/"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def error(self) -> dict[str, str]:
        return error_envelope(self.body)


def signed(method: str, url: str, body: bytes = b"", *, region: str = "us-east-1",
           service: str = "ec2", content_type: str | None = FORM) -> tuple[str, str, dict[str, str], bytes]:
    """``(method, url, headers, body)`` signed with SigV4 the way botocore signs."""
    headers = {"Content-Type": content_type} if content_type and body else {}
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(Credentials("test", "test"), service, region).add_auth(request)
    prepared = request.prepare()
    raw = prepared.body or b""
    return prepared.method, prepared.url, dict(prepared.headers), raw if isinstance(raw, bytes) else raw.encode()


class RawEc2:
    """Send arbitrary EC2 Query requests through the app in-process."""

    def __init__(self, app: Any) -> None:
        self.transport = InProcessTransport(app)

    def close(self) -> None:
        self.transport.close()

    def post(self, body: bytes | str, *, region: str = "us-east-1", sign: bool = True,
             service: str = "ec2") -> Reply:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        if sign:
            method, url, headers, raw = signed("POST", ENDPOINT, raw, region=region, service=service)
        else:
            method, url, headers = "POST", ENDPOINT, {"Content-Type": FORM}
        return Reply(*self.transport.request(method, url, headers, raw))

    def get(self, query: str, *, region: str = "us-east-1", sign: bool = True) -> Reply:
        url = f"{ENDPOINT}?{query}"
        headers: dict[str, str] = {}
        if sign:
            _, url, headers, _ = signed("GET", url, region=region)
        return Reply(*self.transport.request("GET", url, headers, b""))


def error_envelope(body: bytes) -> dict[str, str]:
    """``{Code, Message, RequestID}`` of an EC2 error body; asserts the exact envelope."""
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), body[:80]
    root = ET.fromstring(body)
    assert root.tag == "Response", root.tag
    assert [child.tag for child in root] == ["Errors", "RequestID"], body
    errors = root.find("Errors")
    assert errors is not None and [child.tag for child in errors] == ["Error"], body
    error = errors.find("Error")
    assert error is not None and [child.tag for child in error] == ["Code", "Message"], body
    code = error.findtext("Code") or ""
    message = error.findtext("Message") or ""
    request_id = root.findtext("RequestID") or ""
    assert code and message and request_id, body
    return {"Code": code, "Message": message, "RequestID": request_id}
