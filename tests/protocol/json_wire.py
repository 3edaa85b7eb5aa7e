"""Helpers for the JSON protocols' tests: botocore's own serializers build the requests,
its own parsers read the answers.

:func:`json_message` and :func:`rest_message` turn params into the request botocore would
send (its serializer, its URL and query encoding) as a :class:`Message`;
:func:`parsed_answer` reads a :class:`Reply` with botocore's response parser for the
protocol. :class:`UnionSampler` samples values as :class:`tests.protocol.shapes.Sampler`
does, with one member of each union set; :func:`whole_seconds` truncates timestamps as
botocore's JSON serializer does (it sends whole epoch seconds).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import HeadersDict, create_request_object, prepare_request_dict
from botocore.model import OperationModel, Shape
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from ec2emu.protocol import parser
from ec2emu.protocol.http import Message, Reply
from tests.protocol.shapes import Sampler

ENDPOINT = "http://ec2emu.test"
SERIALIZERS = {name: create_serializer(name, include_validation=False) for name in ("json", "rest-json")}
PARSERS = {name: create_parser(name) for name in ("json", "rest-json")}


class UnionSampler(Sampler):
    """A :class:`Sampler` that sets exactly one member of a union (and, ``whole``, gives
    timestamps in whole seconds)."""

    def __init__(self, seed: int, whole: bool = False) -> None:
        super().__init__(seed)
        self.whole = whole

    def value(self, shape: Shape, stack: tuple[str, ...] = ()) -> Any:
        value = super().value(shape, stack)
        return value.replace(microsecond=0) if self.whole and isinstance(value, dt.datetime) else value

    def structure(self, shape: Shape, stack: tuple[str, ...] = ()) -> dict[str, Any] | None:
        value = super().structure(shape, stack)
        if value and shape.metadata.get("union"):
            first = next(iter(value))
            return {first: value[first]}
        return value


def sample(shape: Shape | None, seed: int, *, whole: bool = False) -> dict[str, Any]:
    if shape is None:
        return {}
    return UnionSampler(seed, whole).structure(shape) or {}


def _message(protocol: str, operation: OperationModel, params: dict[str, Any]) -> Message:
    serialized = SERIALIZERS[protocol].serialize_to_request(params, operation)
    prepare_request_dict(serialized, endpoint_url=ENDPOINT)
    request = create_request_object(serialized).prepare()
    parts = urlsplit(request.url)
    body = request.body or b""
    return Message(request.method, parts.path or "/", parser.decode_form(parts.query.encode()),
                   {key.lower(): value for key, value in request.headers.items()},
                   body if isinstance(body, bytes) else body.encode("utf-8"))


def json_message(operation: OperationModel, params: dict[str, Any]) -> Message:
    return _message("json", operation, params)


def rest_message(operation: OperationModel, params: dict[str, Any]) -> Message:
    return _message("rest-json", operation, params)


def parsed_answer(protocol: str, reply: Reply, shape: Shape | None, request_id: str = "req-1") -> dict[str, Any]:
    headers = HeadersDict({**reply.headers, "x-amzn-requestid": request_id})
    parsed: dict[str, Any] = PARSERS[protocol].parse(
        {"body": reply.body, "headers": headers, "status_code": reply.status}, shape)
    assert parsed.pop("ResponseMetadata")["RequestId"] == request_id
    return parsed


def whole_seconds(value: Any) -> Any:
    """``value`` with every datetime's fraction of a second dropped."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dict):
        return {key: whole_seconds(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_seconds(item) for item in value]
    return value
