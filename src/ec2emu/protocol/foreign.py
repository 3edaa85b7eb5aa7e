"""Errors for AWS services this endpoint does not serve, in each service's own protocol.

A client of another service (``aws kms list-keys`` pointed here) should print a
readable error naming the service, not a raw body its parser cannot read. The request's
SigV4 credential scope names the service by its signing name; :func:`model_for_signing_name`
finds botocore's model for it in an index of every model's signing name, read once (the
model of that name when it signs with it, else the first that does): a name no model
has costs a dictionary look-up, however many a client invents. :func:`error_response`
writes the error the way that protocol's clients parse errors (the protocols served here
through their own :meth:`~ec2emu.protocol.protocols.WireProtocol.error`):

* ``query`` (and ``ec2``): the Query ``<ErrorResponse>`` (EC2's ``<Response><Errors>``);
* ``json``: ``{"__type": code, "message": …}`` as ``application/x-amz-json-1.0``/``1.1``;
* ``rest-json``: ``{"message": …}`` with ``x-amzn-ErrorType: code``;
* ``rest-xml``: ``<ErrorResponse><Error><Type>Sender</Type><Code>…`` as ``application/xml``;
* ``smithy-rpc-v2-cbor``: a CBOR map ``{"__type", "message"}`` with ``smithy-protocol:
  rpc-v2-cbor``.

A model that lists several protocols is answered in the one the request used (a CBOR
body, an ``X-Amz-Target`` header, a form), else its first. A signing name no botocore
model knows is answered in EC2's envelope.
"""

from __future__ import annotations

import gzip
import json
import os
from functools import cache
from xml.sax.saxutils import escape

from botocore.loaders import Loader

from ec2emu.errors import Ec2Error
from ec2emu.protocol import protocols
from ec2emu.protocol.serializer import serialize_error

Headers = dict[str, str]


@cache
def _signing_names() -> dict[str, str]:
    """Signing name → botocore model name, for every model botocore ships (read once)."""
    loader = Loader()
    found: dict[str, str] = {}
    own: set[str] = set()  # models whose signing name is their own name
    for name in sorted(loader.list_available_services("service-2")):
        versions = loader.list_api_versions(name, "service-2")
        if not versions:
            continue
        for directory in loader.search_paths:
            base = os.path.join(directory, name, versions[-1], "service-2.json")
            for path, opener in ((base, open), (base + ".gz", gzip.open)):
                if os.path.isfile(path):
                    with opener(path, "rb") as handle:
                        metadata = json.loads(handle.read())["metadata"]
                    signing_name = metadata.get("signingName") or metadata.get("endpointPrefix", name)
                    found.setdefault(signing_name, name)
                    if signing_name == name:
                        own.add(name)
                    break
            else:
                continue
            break
    return {**found, **{name: name for name in own}}


def model_for_signing_name(signing_name: str) -> str | None:
    """botocore's model name for a SigV4 signing name, ``None`` if none has it."""
    return _signing_names().get(signing_name)


def protocol_for(model: str, headers: Headers) -> str:
    """The protocol a request to ``model`` came in (see the module docstring)."""
    return protocols.used_protocol(protocols.model_protocols(model), headers)


def error_response(model: str, protocol: str, error: Ec2Error, request_id: str) -> tuple[bytes, Headers]:
    """The error's body and headers (``Content-Type`` among them) in ``protocol``: the
    served protocols write their own (:mod:`ec2emu.protocol.protocols`)."""
    served = protocols.SERVED.get(protocol)
    if served is not None:
        reply = served.error(model, error, request_id)
        return reply.body, reply.headers
    code, message = error.code, error.message
    if protocol == "rest-xml":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type>'
                f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
                f"<RequestId>{escape(request_id)}</RequestId></ErrorResponse>")
        return body.encode(), {"content-type": "application/xml"}
    return (cbor_text_map({"__type": code, "message": message}),
            {"content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})


def unserved_answer(signing_name: str, error: Ec2Error, headers: Headers,
                    request_id: str) -> tuple[int, bytes, Headers | None]:
    """``error`` (the service is not served) in the protocol of the service
    ``signing_name`` names, or in EC2's envelope when botocore has no model for it: the
    status, body and headers."""
    model = model_for_signing_name(signing_name)
    if model is None:
        return error.status, serialize_error(error, request_id), None
    body, answer_headers = error_response(model, protocol_for(model, headers), error, request_id)
    return error.status, body, answer_headers


def cbor_text_map(values: dict[str, str]) -> bytes:
    """A CBOR (RFC 8949) map of text strings to text strings, definite lengths."""
    out = bytearray(_cbor_head(5, len(values)))
    for key, value in values.items():
        for text in (key, value):
            data = text.encode("utf-8")
            out += _cbor_head(3, len(data)) + data
    return bytes(out)


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise ValueError("too long for CBOR")
