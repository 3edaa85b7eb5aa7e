"""The ``rest-json`` protocol: an operation is a method and a path, its input spread over
the path, the query string, the headers and a JSON body (Lambda, API Gateway).

**Routing.** Each operation's ``http`` trait gives its method and ``requestUri``
template — ``/2015-03-31/functions/{FunctionName}/invocations``, a ``{Name+}`` label
spanning segments, literal query parameters after ``?`` that must be present. The
templates of a model are compiled once; a request takes the operation whose template
matches its method, its path as sent (percent-encoded) and its query string, the most
specific one when several do (the most literal query parameters, then the fewest greedy
labels, then the most literal characters); a trailing ``/`` the template lacks is
allowed. A label's value is percent-decoded (UTF-8).

**Reading** (each member by its ``location``): ``uri`` from its label; ``querystring``
from the parameter of its ``locationName`` (a list from every occurrence; a map takes
every parameter no other member or the template names, bar SigV4's presigning ones);
``header`` from the header of its name (case-insensitive; a list comma-separated, with
botocore's quoting of items holding ``,`` or ``"``; a ``jsonvalue`` string base64 JSON);
``headers`` every header under its prefix, keyed by the rest of the (lower-case) name;
the others from the JSON body (:mod:`ec2emu.protocol.json_values`), or the whole body
is the input's ``payload`` member (a structure as JSON, a blob as bytes — empty when
there is no body — a string as UTF-8 text). Text values are typed strictly through :mod:`ec2emu.protocol.scalars`;
timestamps are RFC 3339 in the path and query and HTTP dates in headers unless the
member names a ``timestampFormat``. A value of the wrong type is a
``SerializationException``; missing required members and broken constraints are one
``ValidationException`` (:mod:`ec2emu.protocol.constraints`).

**Writing.** The output's ``header`` members go out as headers (lower-case names;
control characters in text become spaces, as a header cannot carry them; a list's items
joined by commas, unquoted, as botocore reads them), ``headers`` under their prefix, a
``statusCode`` member as the status (else the operation's ``responseCode``, else 200),
then the ``payload`` member (a structure as JSON, a blob as
``application/octet-stream``, a string as ``text/plain``, unless a member sets
``Content-Type``) or the other members as a JSON object. An error is ``{"message": …}``
with its code in ``x-amzn-ErrorType``, which is where botocore reads it.

Choices where AWS's documents are silent: a method and path that match no operation
answer ``UnknownOperationException`` with 404; an unsigned request is this service's
when its method and path match one of its operations (:meth:`RestJson.claims`) and it is
not a form.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote

from botocore.model import OperationModel, Shape

from ec2emu.errors import Ec2Error, json_validation_errors, no_route, serialization_error
from ec2emu.protocol import constraints, json_values, spec
from ec2emu.protocol.http import Headers, Message, Reply
from ec2emu.protocol.scalars import (
    ScalarError,
    parse_date_time,
    parse_epoch_seconds,
    parse_http_date,
    parse_integer,
    parse_number,
)

CONTENT_TYPE = "application/json"
# SigV4's presigning parameters: never a member's.
_PRESIGN = frozenset({"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                      "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"})
_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


class _Route(NamedTuple):
    operation: str
    method: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]  # the label of each group g0, g1, …
    query: tuple[tuple[str, str], ...]  # literal parameters ("" value: any)
    rank: tuple[int, int, int]


def _route(operation: OperationModel) -> _Route:
    http = operation.http
    path, _, literal = http.get("requestUri", "/").partition("?")
    regex, literal_chars, greedy = "", 0, 0
    labels: list[str] = []
    for index, part in enumerate(re.split(r"\{([^}]+)\}", path)):
        if index % 2 == 0:
            regex += re.escape(part)
            literal_chars += len(part)
            continue
        greedy += part.endswith("+")
        regex += f"(?P<g{len(labels)}>{'.+' if part.endswith('+') else '[^/]+'})"
        labels.append(part.rstrip("+"))
    if not path.endswith("/"):
        regex += "/?"  # a trailing slash is not significant
    query = tuple(parse_qsl(literal, keep_blank_values=True))
    return _Route(operation.name, http.get("method", "POST").upper(), re.compile(regex), tuple(labels), query,
                  (len(query), -greedy, literal_chars))


@cache
def _routes(model: str) -> tuple[_Route, ...]:
    service = spec.service_model(model)
    return tuple(_route(service.operation_model(name)) for name in service.operation_names)


def _labels(route: _Route, message: Message) -> dict[str, str] | None:
    """The route's labels (still percent-encoded) if ``message`` is at it, else ``None``."""
    if route.method != message.method.upper():
        return None
    match = route.pattern.fullmatch(message.path)
    if match is None:
        return None
    keys = {key: value for key, value in message.query}
    for key, value in route.query:
        if key not in keys or (value and keys[key] != value):
            return None
    return {label: match[f"g{index}"] for index, label in enumerate(route.labels)}


def _find(model: str, message: Message) -> tuple[_Route, dict[str, str]] | None:
    best: tuple[_Route, dict[str, str]] | None = None
    for route in _routes(model):
        labels = _labels(route, message)
        if labels is not None and (best is None or route.rank > best[0].rank):
            best = route, labels
    return best


class RestJson:
    """The ``rest-json`` protocol, for any model that speaks it."""

    name = "rest-json"

    def receive(self, message: Message) -> Message:
        return message

    def claims(self, model: str, message: Message) -> bool:
        if "x-www-form-urlencoded" in message.headers.get("content-type", ""):
            return False
        return _find(model, message) is not None

    def operation_name(self, model: str, message: Message) -> str:
        found = _find(model, message)
        if found is None:
            raise no_route(message.method.upper(), message.path)
        return found[0].operation

    def params(self, operation: OperationModel, message: Message,
               unchecked: frozenset[str] = frozenset()) -> dict[str, Any]:
        shape = operation.input_shape
        if shape is None:
            return {}
        route = next(route for route in _routes(operation.service_model.service_name)
                     if route.operation == operation.name)
        labels = _labels(route, message) or {}
        problems: list[str] = []
        params = _Located(shape, route, message, problems).read(labels)
        params.update(_body(shape, message, problems, unchecked))
        constraints.require(shape, params, "", problems)
        if problems:
            raise json_validation_errors(problems)
        return params

    def result(self, operation: OperationModel, result: Any, request_id: str) -> Reply:
        status = int(operation.http.get("responseCode", 200))
        shape = operation.output_shape
        if shape is None:
            return Reply(status, b"" if status in (204, 304) else b"{}", {"content-type": CONTENT_TYPE})
        body, content_type = _payload(shape, result)
        headers: Headers = {}
        for key, value in result.items():
            member = shape.members[key]
            location = member.serialization.get("location")
            if value is None or location is None:
                continue
            wire = member.serialization.get("name", key).lower()
            if location == "header":
                headers[wire] = _CONTROL.sub(" ", header_text(member, value))
            elif location == "headers":
                headers.update({(wire + name).lower(): _CONTROL.sub(" ", str(item)) for name, item in value.items()})
            elif location == "statusCode":
                status = int(value)
        headers.setdefault("content-type", content_type)
        return Reply(status, body, headers)

    def error(self, model: str, error: Ec2Error, request_id: str) -> Reply:
        body = json.dumps({"message": error.message}).encode()
        return Reply(error.status, body, {"content-type": CONTENT_TYPE, "x-amzn-errortype": error.code})


def _payload(shape: Shape, result: dict[str, Any]) -> tuple[bytes, str]:
    """The body of a result and its content type (unless a member names another)."""
    payload = shape.serialization.get("payload")
    if payload is None:
        return json_values.dumps(json_values.write_structure(shape, result, body_only=True)), CONTENT_TYPE
    member, value = shape.members[payload], result.get(payload)
    if member.type_name == "blob":
        return (value.encode() if isinstance(value, str) else bytes(value or b"")), "application/octet-stream"
    if member.type_name == "string":
        return (value or "").encode("utf-8"), "text/plain"
    return (b"" if value is None else json_values.dumps(json_values.write_value(member, value))), CONTENT_TYPE


def _body(shape: Shape, message: Message, problems: list[str],
          unchecked: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The members read from the body: its payload member, or the JSON body's members."""
    payload = shape.serialization.get("payload")
    if payload is None:
        document = json_values.loads(message.body, empty={})
        return json_values.read_structure(shape, document, "", problems, body_only=True, unchecked=unchecked)
    member = shape.members[payload]
    if member.type_name == "blob":
        return {payload: message.body}
    if not message.body:
        return {}
    if member.type_name == "string":
        try:
            return {payload: message.body.decode("utf-8")}
        except UnicodeDecodeError:
            raise serialization_error("The request body is not UTF-8 text.") from None
    document = json_values.loads(message.body)
    if document is None:
        return {}
    return {payload: json_values.read_value(member, document, constraints.child("", payload), problems)}


class _Located:
    """The input members a request carries in its path, query string and headers."""

    def __init__(self, shape: Shape, route: _Route, message: Message, problems: list[str]) -> None:
        self.shape, self.route, self.message, self.problems = shape, route, message, problems

    def read(self, labels: dict[str, str]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        bound = {key for key, _ in self.route.query} | _PRESIGN
        for name, member in self.shape.members.items():
            if member.serialization.get("location") == "querystring" and member.type_name != "map":
                bound.add(member.serialization.get("name", name))
        for name, member in self.shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            path = constraints.child("", name)
            value: Any = None
            if location == "uri" and wire in labels:
                try:
                    text = unquote(labels[wire], errors="strict")
                except UnicodeDecodeError:
                    raise serialization_error(f"The path's value for '{path}' is not UTF-8.") from None
                value = self.text(member, text, path, "iso8601")
            elif location == "querystring":
                value = self.query(member, wire, path, bound)
            elif location == "header" and wire.lower() in self.message.headers:
                value = self.header(member, self.message.headers[wire.lower()], path)
            elif location == "headers":
                prefix = wire.lower()
                value = {key[len(prefix):]: item for key, item in self.message.headers.items()
                         if key.startswith(prefix)} or None
            if value is not None:
                if member.type_name in ("list", "map"):
                    constraints.check(member, value, path, self.problems)
                params[name] = value
        return params

    def query(self, member: Shape, wire: str, path: str, bound: set[str]) -> Any:
        pairs = self.message.query
        if member.type_name == "map":
            found: dict[str, Any] = {}
            for key, text in pairs:
                if key in bound:
                    continue
                if member.value.type_name == "list":
                    found.setdefault(key, []).append(self.text(member.value.member, text, f"{path}.{key}", "iso8601"))
                else:
                    found.setdefault(key, self.text(member.value, text, f"{path}.{key}", "iso8601"))
            return found or None
        texts = [text for key, text in pairs if key == wire]
        if not texts:
            return None
        if member.type_name == "list":
            return [self.text(member.member, text, f"{path}.{index}.member", "iso8601")
                    for index, text in enumerate(texts, 1)]
        return self.text(member, texts[0], path, "iso8601")

    def header(self, member: Shape, text: str, path: str) -> Any:
        if member.type_name != "list":
            if member.type_name == "string" and member.serialization.get("jsonvalue"):
                try:
                    return json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
                except (binascii.Error, ValueError, RecursionError):
                    raise serialization_error(f"Expected base64 JSON at '{path}'.") from None
            return self.text(member, text.strip(), path, "rfc822")
        item = member.member
        items = split_header_list(text)
        if item.type_name == "timestamp" and item.serialization.get("timestampFormat", "rfc822") == "rfc822":
            items = [f"{items[i]}, {items[i + 1]}" for i in range(0, len(items) - 1, 2)]  # "Mon, 01 Jan …"
        return [self.text(item, value, f"{path}.{index}.member", "rfc822") for index, value in enumerate(items, 1)]

    def text(self, shape: Shape, text: str, path: str, timestamps: str) -> Any:
        """A value of ``shape`` sent as text (a label, a query parameter, a header)."""
        kind = shape.type_name
        read = _TEXT.get(kind)
        if read is None:
            raise serialization_error(f"The member at '{path}' cannot be read from text.")
        try:
            value = read(shape, text, shape.serialization.get("timestampFormat", timestamps).lower())
        except (ScalarError, ValueError, binascii.Error):
            raise serialization_error(f"Expected {_EXPECTED.get(kind, kind)} at '{path}'.") from None
        constraints.check(shape, value, path, self.problems)
        return value


def _whole(shape: Shape, text: str, timestamps: str) -> int:
    low, high = _RANGES[shape.type_name]
    return parse_integer(text, low, high)


def _boolean(shape: Shape, text: str, timestamps: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(text)
    return text == "true"


def _timestamp(shape: Shape, text: str, timestamps: str) -> Any:
    if timestamps == "unixtimestamp":
        return parse_epoch_seconds(text)
    return parse_http_date(text) if timestamps == "rfc822" else parse_date_time(text)


_TEXT: dict[str, Callable[[Shape, str, str], Any]] = {
    "string": lambda shape, text, _: text,
    "integer": _whole,
    "long": _whole,
    "boolean": _boolean,
    "float": lambda shape, text, _: parse_number(text, special=True),
    "double": lambda shape, text, _: parse_number(text, special=True),
    "timestamp": _timestamp,
    "blob": lambda shape, text, _: base64.b64decode(text, validate=True),
}
_EXPECTED = {"integer": "an integer", "long": "an integer", "boolean": "true or false", "float": "a number",
             "double": "a number", "timestamp": "a date", "blob": "base64 text"}


def split_header_list(text: str) -> list[str]:
    """The items of a comma-separated header, an item in double quotes (``\\"`` inside)
    when it holds a comma or a quote, as botocore writes them."""
    items: list[str] = []
    index, size = 0, len(text)
    while index <= size:
        while index < size and text[index] in " \t":
            index += 1
        if index < size and text[index] == '"':
            index += 1
            value = []
            while index < size and text[index] != '"':
                if text[index] == "\\" and index + 1 < size:
                    index += 1
                value.append(text[index])
                index += 1
            items.append("".join(value))
            index = text.find(",", index)
            index = size + 1 if index < 0 else index + 1
            continue
        end = text.find(",", index)
        end = size if end < 0 else end
        items.append(text[index:end].strip())
        index = end + 1
    return items


def header_text(shape: Shape, value: Any) -> str:
    """A value of ``shape`` as a header's text, as botocore reads it back."""
    kind = shape.type_name
    if kind == "list":
        return ",".join(header_text(shape.member, item) for item in value)
    if kind == "string" and shape.serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode("ascii")
    if kind == "timestamp":
        return str(json_values.timestamp_value(value, shape.serialization.get("timestampFormat", "rfc822")))
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("double", "float", "blob"):
        return str(json_values.write_value(shape, value))
    return str(value)
