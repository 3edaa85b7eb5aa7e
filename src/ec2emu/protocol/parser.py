"""Form-encoded Query requests to ``(operation name, params)``: EC2's ``ec2`` protocol
and the plain ``query`` protocol of IAM and STS.

The flat form (``InstanceId.1=i-…&Filter.1.Name=…``) is split once into a tree on ``.``
and then walked along the operation's input shape. Params use botocore's member names
(``InstanceIds``, ``Filters``), exactly what a boto3 user passes. Type errors and
unknown parameters become AWS's errors (``InvalidParameterValue``, ``UnknownParameter``,
``MissingParameter``); nothing here knows about resources. Under the ``query`` protocol
(IAM, STS) a missing required member or a value outside its enum answers those
services' ``ValidationError`` instead ("1 validation error detected: Value null at
'userName' failed to satisfy constraint: Member must not be null"), naming the member
in lower camel case as their messages do.

Scalars are read strictly: integers are plain decimal within their model type's range
(32-bit ``integer``, 64-bit ``long``), list indexes are ``1``, ``2``, … without leading
zeros, timestamps are ISO 8601 or epoch seconds and always come out as aware UTC
datetimes, and a value holding a character XML cannot carry is refused, since it could
never be answered back.

The two protocols differ only in names and collections: ``ec2`` names a member by its
``queryName`` or capitalised ``locationName`` and flattens every list (``Name.N``);
``query`` names it by its ``locationName``, nests lists under ``member``
(``Name.member.N``, or ``Name.N`` for a flattened list), sends an empty list as
``Name=``, and has maps (``Name.entry.N.key`` / ``.value``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl

from botocore.model import OperationModel, Shape

from ec2emu.errors import Ec2Error, invalid_parameter_value, missing_parameter
from ec2emu.protocol.spec import NOT_XML_CHAR, input_wire_name

# Request keys that belong to the envelope (the action, the version and the signature)
# rather than to an operation's input shape.
ENVELOPE_KEYS = frozenset(
    {
        "Action",
        "Version",
        "AWSAccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "Timestamp",
        "Expires",
        "SecurityToken",
    }
)

# Shapes whose values are checked against a live catalogue by the service instead of
# the model's (sometimes outdated) enum list.
_CATALOGUE_ENUMS = frozenset({"InstanceType"})

Tree = dict[str, Any]

# Scalars are checked against the exact forms botocore emits, not against whatever
# Python's int()/float() would tolerate ("5_000", " 7", "١٢").
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|-?Infinity|NaN")
_LIST_INDEX = re.compile(r"[1-9][0-9]*")
_EPOCH = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_EPOCH_ORIGIN = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def decode_form(body: bytes) -> list[tuple[str, str]]:
    """Decode an ``application/x-www-form-urlencoded`` body strictly as UTF-8."""
    try:
        text = body.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise Ec2Error(
            "InvalidParameterValue", "The request body is not valid UTF-8 form data."
        ) from exc


def split_tree(pairs: list[tuple[str, str]]) -> Tree:
    """Split flat dotted keys into a nested tree of dicts with string leaves."""
    tree: Tree = {}
    for key, value in pairs:
        if key in ENVELOPE_KEYS or key.startswith("X-Amz-"):
            continue
        parts = key.split(".")
        node = tree
        for part in parts[:-1]:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif not isinstance(child, dict):
                raise _unknown(key)
            node = child
        leaf = parts[-1]
        if isinstance(node.get(leaf), dict) or not all(parts):
            raise _unknown(key)
        node[leaf] = value
    return tree


def parse_params(operation: OperationModel, tree: Tree) -> dict[str, Any]:
    """Walk ``tree`` along the operation's input shape, giving botocore-named params."""
    shape = operation.input_shape
    if shape is None:
        if tree:
            raise _unknown(next(iter(tree)))
        return {}
    query = operation.metadata.get("protocol") == "query"
    return _parse_structure(shape, tree, "", query)


def _unknown(name: str) -> Ec2Error:
    return Ec2Error("UnknownParameter", f"The parameter {name} is not recognized")


def validation_error(detail: str) -> Ec2Error:
    """The ``query`` services' (IAM, STS) answer to a value their model refuses."""
    return Ec2Error("ValidationError", f"1 validation error detected: {detail}")


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _wire_name(member_name: str, shape: Shape, query: bool) -> str:
    if query:
        return str(shape.serialization.get("name") or member_name)
    return input_wire_name(member_name, shape)


def _parse_structure(shape: Shape, node: Any, prefix: str, query: bool) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise _unknown(prefix.rstrip("."))
    remaining = dict(node)
    result: dict[str, Any] = {}
    for member_name, member_shape in shape.members.items():
        wire = _wire_name(member_name, member_shape, query)
        if wire not in remaining:
            continue
        value = remaining.pop(wire)
        result[member_name] = _parse_value(member_shape, value, f"{prefix}{wire}", query)
    if remaining:
        raise _unknown(prefix + sorted(remaining)[0])
    for required in shape.required_members:
        if required not in result:
            if query:
                raise validation_error(f"Value null at '{_camel(required)}' failed to satisfy "
                                       "constraint: Member must not be null")
            wire = _wire_name(required, shape.members[required], query)
            raise missing_parameter(prefix + wire)
    return result


def _parse_value(shape: Shape, node: Any, path: str, query: bool) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _parse_structure(shape, node, path + ".", query)
    if kind == "string" and query and shape.enum and node not in shape.enum:
        raise validation_error(f"Value '{node}' at '{_camel(path.rsplit('.', 1)[-1])}' failed to satisfy "
                               f"constraint: Member must satisfy enum value set: [{', '.join(shape.enum)}]")
    if kind == "list":
        if query:
            return _parse_query_list(shape, node, path)
        return _parse_list(shape, node, path, query)
    if kind == "map" and query:
        return _parse_query_map(shape, node, path)
    if isinstance(node, dict):
        raise _unknown(path + "." + sorted(node)[0])
    if NOT_XML_CHAR.search(node):  # it could never be answered back
        raise invalid_parameter_value(
            f"Value for parameter {path} is invalid. It contains a character that is not allowed."
        )
    if kind == "string":
        if shape.enum and shape.name not in _CATALOGUE_ENUMS and node not in shape.enum:
            raise invalid_parameter_value(
                f"Value ({node}) for parameter {path} is invalid. "
                f"Expected one of: {', '.join(shape.enum)}"
            )
        return node
    if kind in ("integer", "long"):
        return _parse_integer(kind, node, path)
    if kind == "boolean":
        lowered = node.lower()
        if lowered not in ("true", "false"):
            raise invalid_parameter_value(
                f"Invalid value '{node}' for {path}: expected 'true' or 'false'"
            )
        return lowered == "true"
    if kind in ("double", "float"):
        if not _NUMBER.fullmatch(node):
            raise invalid_parameter_value(
                f"Invalid value '{node}' for {path}: expected a number"
            )
        return float(node)
    if kind == "timestamp":
        return _parse_timestamp(node, path)
    if kind == "blob":
        try:
            return base64.b64decode(node, validate=True)
        except (binascii.Error, ValueError):
            raise invalid_parameter_value(
                f"Invalid value for {path}: expected base64-encoded data"
            ) from None
    raise _unknown(path)


def _indexed(node: Any, path: str) -> list[tuple[int, Any]]:
    """The ``1``, ``2``, … children of ``node`` in index order."""
    if not isinstance(node, dict):
        raise _unknown(path)
    indexed: list[tuple[int, Any]] = []
    for key, value in node.items():
        if not _LIST_INDEX.fullmatch(key):
            raise _unknown(f"{path}.{key}")
        indexed.append((int(key), value))
    indexed.sort(key=lambda item: item[0])
    return indexed


def _parse_list(shape: Shape, node: Any, path: str, query: bool = False) -> list[Any]:
    return [
        _parse_value(shape.member, value, f"{path}.{index}", query)
        for index, value in _indexed(node, path)
    ]


def _parse_query_list(shape: Shape, node: Any, path: str) -> list[Any]:
    if node == "":
        return []
    if not shape.serialization.get("flattened"):
        item = shape.member.serialization.get("name") or "member"
        if not isinstance(node, dict) or set(node) != {item}:
            raise _unknown(f"{path}.{sorted(node)[0]}" if isinstance(node, dict) and node else path)
        node, path = node[item], f"{path}.{item}"
    return _parse_list(shape, node, path, True)


def _parse_query_map(shape: Shape, node: Any, path: str) -> dict[str, Any]:
    if node == "":
        return {}
    if not shape.serialization.get("flattened"):
        if not isinstance(node, dict) or set(node) != {"entry"}:
            raise _unknown(path)
        node, path = node["entry"], f"{path}.entry"
    key_name = shape.key.serialization.get("name") or "key"
    value_name = shape.value.serialization.get("name") or "value"
    result: dict[str, Any] = {}
    for index, entry in _indexed(node, path):
        entry_path = f"{path}.{index}"
        if not isinstance(entry, dict) or set(entry) - {key_name, value_name} or key_name not in entry:
            raise _unknown(entry_path)
        key = _parse_value(shape.key, entry[key_name], f"{entry_path}.{key_name}", True)
        result[key] = _parse_value(
            shape.value, entry.get(value_name, ""), f"{entry_path}.{value_name}", True
        )
    return result


def _parse_integer(kind: str, node: str, path: str) -> int:
    if not _INTEGER.fullmatch(node):
        raise invalid_parameter_value(f"Invalid value '{node}' for {path}: expected an integer")
    value = int(node)
    low, high = _INTEGER_RANGES[kind]
    if not low <= value <= high:
        raise invalid_parameter_value(
            f"Value ({node}) for parameter {path} is invalid. "
            f"Expected an integer between {low} and {high}."
        )
    return value


def _parse_timestamp(node: str, path: str) -> dt.datetime:
    """ISO 8601 (no zone means UTC) or epoch seconds, always as an aware UTC datetime."""
    try:
        if _EPOCH.fullmatch(node):
            return _EPOCH_ORIGIN + dt.timedelta(seconds=float(node))
        value = dt.datetime.fromisoformat(node)
    except (ValueError, OverflowError):
        raise invalid_parameter_value(
            f"Invalid value '{node}' for {path}: expected an ISO 8601 timestamp"
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        raise invalid_parameter_value(
            f"Invalid value '{node}' for {path}: expected an ISO 8601 timestamp"
        ) from None
