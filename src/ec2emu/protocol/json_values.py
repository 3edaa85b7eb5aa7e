"""JSON documents read and written along botocore shapes: the bodies of the ``json`` and
``rest-json`` protocols (:mod:`ec2emu.protocol.json_rpc`, :mod:`ec2emu.protocol.rest_json`).

Reading (:func:`loads`, then :func:`read_structure`) gives params keyed by botocore's
member names, typed as a boto3 user passes them, and refuses what AWS's JSON services
refuse (Smithy's published malformed-request cases for these protocols):

* a body that is not UTF-8 JSON (a string escaping half a UTF-16 surrogate pair is not
  text), or whose top is not an object, and any value of the
  wrong JSON type — a string for an integer, ``1.5`` or ``true`` for an integer, a
  ``null`` list item or map value, a blob that is not base64 — is a
  ``SerializationException``, answered at the first one found;
* integers are whole JSON numbers within their type (32-bit ``integer``, 64-bit
  ``long``); any number in the document is read through :mod:`ec2emu.protocol.scalars`
  (at most 64-bit integers, at most 64 characters);
* timestamps follow the member's ``timestampFormat``, by default a JSON number of epoch
  seconds (fractions allowed), else an RFC 3339 string in UTC (``iso8601``) or an HTTP
  date (``rfc822``); all are aware UTC datetimes between the years 2 and 9998;
* doubles are JSON numbers or the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``
  (botocore sends those; a bare ``NaN`` is taken too);
* a member that is ``null`` is absent; a member the shape does not know is ignored,
  as AWS's JSON services do — unlike the form protocols, which refuse one;
* a missing required member, and each broken ``min``/``max``/``pattern``/``enum``
  (:mod:`ec2emu.protocol.constraints`), are problems collected over the whole document
  in the model's order of members and answered together as one ``ValidationException``
  by the caller;
* a ``document`` member is any JSON value, kept as it is; a union must have exactly
  one member set.

Writing (:func:`write_structure`, then :func:`dumps`) walks a result dict by the output
shape: members under their wire names, ``None`` left out, timestamps as epoch seconds
(whole, or to the millisecond) unless the member says otherwise, blobs base64, doubles
that are not finite as those strings. A key the shape does not know is a programming
error and raises ``KeyError``. The text is ASCII (``\\uXXXX`` escapes), so any string a
handler returns can be sent.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import json
import math
import re
from collections.abc import Callable, Collection
from typing import Any

from botocore.model import Shape

from ec2emu.errors import Ec2Error, serialization_error
from ec2emu.protocol import constraints
from ec2emu.protocol.scalars import (
    ScalarError,
    parse_date_time,
    parse_epoch_number,
    parse_http_date,
    parse_integer,
    parse_number,
)
from ec2emu.protocol.serializer import format_timestamp

Problems = list[str]

_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The escape of a UTF-16 surrogate: paired, JSON reads two as one character; alone, it is
# no character at all and the body is refused.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Malformed(ValueError):
    """A number in the document that no member could hold."""


def _integer(text: str) -> int:
    try:
        return parse_integer(text)
    except ScalarError:
        raise _Malformed(f"The number {text[:40]} is out of range.") from None


def _number(text: str) -> float:
    try:
        return parse_number(text)
    except ScalarError:
        raise _Malformed(f"The number {text[:40]}… is too long.") from None


def _constant(text: str) -> float:
    return _SPECIAL_FLOATS[text]


def loads(body: bytes, *, empty: Any = None) -> Any:
    """The JSON document ``body`` holds (``empty`` when there is none)."""
    if not body.strip():
        return empty
    try:
        text = body.decode("utf-8")
        document = json.loads(text, parse_int=_integer, parse_float=_number, parse_constant=_constant)
        if "\\u" in text and _SURROGATE_ESCAPE.search(text):
            json.dumps(document, ensure_ascii=False).encode("utf-8")  # an unpaired one cannot be encoded
        return document
    except UnicodeEncodeError:
        raise serialization_error("The request body holds an unpaired surrogate escape.") from None
    except _Malformed as error:
        raise serialization_error(str(error)) from None
    except UnicodeDecodeError:
        raise serialization_error("The request body is not UTF-8 text.") from None
    except (ValueError, RecursionError):
        raise serialization_error("The request body is not a well-formed JSON document.") from None


def dumps(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def describe(path: str) -> str:
    return f"'{path}'" if path else "the request body"


def _wrong(path: str, expected: str) -> Ec2Error:
    return serialization_error(f"Expected {expected} at {describe(path)}.")


# ------------------------------------------------------------------ reading

def read_structure(shape: Shape, value: Any, path: str, problems: Problems, *,
                   body_only: bool = False, unchecked: Collection[str] = ()) -> dict[str, Any]:
    """The members of a structure; ``body_only`` skips those the ``rest-json`` protocol
    reads from the path, query or headers, and leaves the required check to it; the
    members ``unchecked`` names are typed, their constraints left to the handler."""
    if not isinstance(value, dict):
        raise _wrong(path, "an object")
    if shape.metadata.get("document"):
        return value
    result: dict[str, Any] = {}
    required = () if body_only else shape.required_members
    for name, member in shape.members.items():
        if body_only and "location" in member.serialization:
            continue
        raw = value.get(member.serialization.get("name", name))
        if raw is not None:
            result[name] = read_value(member, raw, constraints.child(path, name),
                                      [] if name in unchecked else problems)
        elif name in required:
            constraints.require(shape, result, path, problems, only=name)
    if shape.metadata.get("union") and len(result) != 1:
        raise serialization_error(f"Exactly one member of {describe(path)} must be set.")
    return result


def read_value(shape: Shape, value: Any, path: str, problems: Problems) -> Any:
    """``value`` (not ``None``) read as a value of ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        return read_structure(shape, value, path, problems)
    if kind == "list":
        if not isinstance(value, list):
            raise _wrong(path, "a list")
        items = []
        for index, item in enumerate(value, 1):
            item_path = f"{path}.{index}.member"
            if item is None:
                raise serialization_error(f"A list item at '{item_path}' is null.")
            items.append(read_value(shape.member, item, item_path, problems))
        result: Any = items
    elif kind == "map":
        if not isinstance(value, dict):
            raise _wrong(path, "an object")
        result = {}
        for key, item in value.items():
            if item is None:
                raise serialization_error(f"A map value at '{path}.{key}' is null.")
            result[read_value(shape.key, key, f"{path}.key", problems)] = read_value(
                shape.value, item, f"{path}.{key}", problems)
    else:
        result = _SCALARS.get(kind, _unknown)(shape, value, path)
    constraints.check(shape, result, path, problems)
    return result


def _instance(kind: type, expected: str) -> Callable[[Shape, Any, str], Any]:
    """A reader of values that are already of a JSON type (``str``, ``bool``)."""

    def read(shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, kind):
            raise _wrong(path, expected)
        return value

    return read


def _whole(shape: Shape, value: Any, path: str) -> int:
    low, high = _RANGES[shape.type_name]
    if type(value) is not int:
        raise _wrong(path, f"an {shape.type_name}")
    if not low <= value <= high:
        raise serialization_error(f"The number at '{path}' is out of range for an {shape.type_name}.")
    return value


def _float(shape: Shape, value: Any, path: str) -> float:
    if isinstance(value, str) and value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong(path, "a number")
    return float(value)


def _timestamp(shape: Shape, value: Any, path: str) -> dt.datetime:
    form = shape.serialization.get("timestampFormat", "unixtimestamp").lower()
    try:
        if form == "unixtimestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _wrong(path, "a number of seconds since 1970")
            return parse_epoch_number(value)
        if not isinstance(value, str):
            raise _wrong(path, "a date string")
        return parse_http_date(value) if form == "rfc822" else parse_date_time(value)
    except ScalarError as error:
        raise serialization_error(f"Expected {error.expected} at '{path}'.") from None


def _blob(shape: Shape, value: Any, path: str) -> bytes:
    if not isinstance(value, str):
        raise _wrong(path, "base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _wrong(path, "base64 text") from None


def _unknown(shape: Shape, value: Any, path: str) -> Any:
    raise serialization_error(f"The member at '{path}' cannot be read.")


_SCALARS: dict[str, Callable[[Shape, Any, str], Any]] = {
    "string": _instance(str, "a string"), "integer": _whole, "long": _whole,
    "boolean": _instance(bool, "true or false"), "float": _float,
    "double": _float, "timestamp": _timestamp, "blob": _blob,
}


# ------------------------------------------------------------------ writing

def write_structure(shape: Shape, value: dict[str, Any], *, body_only: bool = False) -> dict[str, Any]:
    """A result dict as a JSON object; ``body_only`` leaves out the members the
    ``rest-json`` protocol sends in headers or the status."""
    if shape.metadata.get("document"):
        return value
    members = shape.members
    out: dict[str, Any] = {}
    for key, item in value.items():
        if item is None:
            continue
        member = members[key]
        if body_only and "location" in member.serialization:
            continue
        out[member.serialization.get("name", key)] = write_value(member, item)
    return out


def write_value(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return write_structure(shape, value)
    if kind == "list":
        return [write_value(shape.member, item) for item in value]
    if kind == "map":
        return {str(key): write_value(shape.value, item) for key, item in value.items()}
    if kind == "string":
        return value if isinstance(value, str) else str(value)
    if kind in ("integer", "long"):
        return int(value)
    if kind == "boolean":
        return bool(value)
    if kind in ("double", "float"):
        number = float(value)
        if math.isfinite(number):
            return number
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    if kind == "timestamp":
        return timestamp_value(value, shape.serialization.get("timestampFormat", "unixtimestamp"))
    if kind == "blob":
        raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode("ascii")
    return value


def timestamp_value(value: Any, form: str) -> Any:
    """A datetime in ``form`` (``unixtimestamp``: seconds, whole or to the millisecond;
    ``iso8601``; ``rfc822``); anything else as it is."""
    if not isinstance(value, dt.datetime):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    form = form.lower()
    if form == "iso8601":
        return format_timestamp(value)
    if form == "rfc822":
        return email.utils.format_datetime(value.astimezone(dt.UTC), usegmt=True)
    seconds = (value - _EPOCH) // dt.timedelta(milliseconds=1) / 1000
    return int(seconds) if seconds.is_integer() else seconds
