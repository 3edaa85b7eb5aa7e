"""Form-encoded Query requests to ``(operation name, params)``: EC2's ``ec2`` protocol
and the plain ``query`` protocol of IAM and STS.

The flat form (``InstanceId.1=i-…&Filter.1.Name=…``) is split once into a tree on ``.``
and then walked along the operation's input shape, by parse functions built once per
operation (``_Parsers``): each structure looks its members up by wire name in a table
and parses them in the model's order, so errors are reported in that order. Params use
botocore's member names (``InstanceIds``, ``Filters``), exactly what a boto3 user
passes. Type errors and
unknown parameters become AWS's errors (``InvalidParameterValue``, ``UnknownParameter``,
``MissingParameter``); nothing here knows about resources. Under the ``query`` protocol
(IAM, STS) a missing required member or a value outside its enum answers those
services' ``ValidationError`` instead ("1 validation error detected: Value null at
'userName' failed to satisfy constraint: Member must not be null"), naming the member
in lower camel case as their messages do.

Scalars are read strictly, through :mod:`ec2emu.protocol.scalars`: integers are plain
decimal within their model type's range (32-bit ``integer``, 64-bit ``long``), list
indexes are ``1``, ``2``, … without leading zeros, timestamps are ISO 8601 or epoch
seconds between the years 2 and 9998 and always come out as aware UTC datetimes, and a
value holding a character XML cannot carry is refused, since it could never be answered
back.

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
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from botocore.model import OperationModel, Shape

from ec2emu.errors import invalid_parameter_value, missing_parameter, not_form_data, unknown_parameter, validation_error
from ec2emu.protocol.scalars import ScalarError, parse_index, parse_integer, parse_number, parse_timestamp
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
_INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def decode_form(body: bytes) -> list[tuple[str, str]]:
    """Decode an ``application/x-www-form-urlencoded`` body strictly as UTF-8.

    The pairs are exactly ``urllib.parse.parse_qsl``'s with blank values kept: fields split
    on ``&`` (empty ones dropped), a field without ``=`` has the value ``""``, ``+`` is a
    space and ``%XX`` escapes are UTF-8 (a malformed escape stays as it is). Only fields
    holding a ``%`` go through ``unquote``.
    """
    if not body:
        return []
    try:
        text = body.decode("utf-8")
        if "+" in text:
            text = text.replace("+", " ")
        escaped = "%" in text
        pairs = []
        for field in text.split("&"):
            if field:
                name, _, value = field.partition("=")
                if escaped:
                    if "%" in name:
                        name = unquote(name, errors="strict")
                    if "%" in value:
                        value = unquote(value, errors="strict")
                pairs.append((name, value))
        return pairs
    except (UnicodeDecodeError, ValueError) as exc:
        raise not_form_data() from exc


def split_tree(pairs: list[tuple[str, str]]) -> Tree:
    """Split flat dotted keys into a nested tree of dicts with string leaves."""
    tree: Tree = {}
    for key, value in pairs:
        if key in ENVELOPE_KEYS or key.startswith("X-Amz-"):
            continue
        if "." not in key:  # the commonest key: a top-level scalar
            if not key or isinstance(tree.get(key), dict):
                raise unknown_parameter(key)
            tree[key] = value
            continue
        parts = key.split(".")
        node = tree
        for part in parts[:-1]:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif not isinstance(child, dict):
                raise unknown_parameter(key)
            node = child
        leaf = parts[-1]
        if isinstance(node.get(leaf), dict) or not all(parts):
            raise unknown_parameter(key)
        node[leaf] = value
    return tree


Parse = Callable[[Any, str], Any]
# Per operation: its input structure's parser, or None for an operation without input.
_OPERATIONS: dict[OperationModel, Parse | None] = {}
_BUILD_LOCK = threading.Lock()


def parse_params(operation: OperationModel, tree: Tree) -> dict[str, Any]:
    """Walk ``tree`` along the operation's input shape, giving botocore-named params."""
    try:
        parse = _OPERATIONS[operation]
    except KeyError:
        parse = _operation_parser(operation)
    if parse is None:
        if tree:
            raise unknown_parameter(next(iter(tree)))
        return {}
    params: dict[str, Any] = parse(tree, "")
    return params


def _operation_parser(operation: OperationModel) -> Parse | None:
    with _BUILD_LOCK:
        shape = operation.input_shape
        parse = None
        if shape is not None:
            query = operation.metadata.get("protocol") == "query"
            parse = _Parsers(query).structure(shape)
        _OPERATIONS[operation] = parse
        return parse


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _wire_name(member_name: str, shape: Shape, query: bool) -> str:
    if query:
        return str(shape.serialization.get("name") or member_name)
    return input_wire_name(member_name, shape)


class _Parsers:
    """Builds the parse functions of one operation's input, once: a structure's members
    are looked up by wire name in a table, each with a function made for its shape."""

    def __init__(self, query: bool) -> None:
        self.query = query
        self.structures: dict[str, Parse] = {}

    def structure(self, shape: Shape) -> Parse:
        """``parse(node, prefix)`` for a structure (by name: shapes can be recursive)."""
        found = self.structures.get(shape.name)
        if found is not None:
            return found
        query = self.query
        # wire name -> (model position, member name, wire name, path part, parse)
        by_wire: dict[str, tuple[int, str, str, str, Parse]] = {}
        required: list[tuple[str, str]] = []

        def parse_structure(node: Any, prefix: str) -> dict[str, Any]:
            if not isinstance(node, dict):
                raise unknown_parameter(prefix.rstrip("."))
            members = []
            unknown = None
            for wire in node:
                member = by_wire.get(wire)
                if member is None:
                    if unknown is None or wire < unknown:
                        unknown = wire
                else:
                    members.append(member)
            if len(members) > 1:
                members.sort()  # the model's order, as errors are reported in it
            result: dict[str, Any] = {}
            for _, member_name, wire, path, parse in members:
                result[member_name] = parse(node[wire], prefix + path)
            if unknown is not None:
                raise unknown_parameter(prefix + unknown)
            for member_name, wire in required:
                if member_name not in result:
                    if query:
                        raise validation_error(f"Value null at '{_camel(member_name)}' failed to satisfy "
                                               "constraint: Member must not be null")
                    raise missing_parameter(prefix + wire)
            return result

        self.structures[shape.name] = parse_structure
        for index, (member_name, member_shape) in enumerate(shape.members.items()):
            wire = _wire_name(member_name, member_shape, query)
            if wire not in by_wire:
                if member_shape.type_name == "structure":  # its members' prefix is its path and "."
                    by_wire[wire] = (index, member_name, wire, wire + ".", self.structure(member_shape))
                else:
                    by_wire[wire] = (index, member_name, wire, wire, self.value(member_shape))
        for member_name in shape.required_members:
            required.append((member_name, _wire_name(member_name, shape.members[member_name], query)))
        return parse_structure

    def value(self, shape: Shape) -> Parse:
        """``parse(node, path)`` for a member of ``shape``."""
        kind = shape.type_name
        query = self.query
        if kind == "structure":
            parse_structure = self.structure(shape)
            return lambda node, path: parse_structure(node, path + ".")
        if kind == "string" and query and shape.enum:
            return self._query_enum(shape, self._scalar(shape))
        if kind == "list":
            return self._query_list(shape) if query else self._list(shape)
        if kind == "map" and query:
            return self._query_map(shape)
        return self._scalar(shape)

    def _query_enum(self, shape: Shape, parse_scalar: Parse) -> Parse:
        enum = shape.enum

        def parse_enum(node: Any, path: str) -> Any:
            if node not in enum:
                raise validation_error(f"Value '{node}' at '{_camel(path.rsplit('.', 1)[-1])}' failed to "
                                       f"satisfy constraint: Member must satisfy enum value set: "
                                       f"[{', '.join(enum)}]")
            return parse_scalar(node, path)

        return parse_enum

    def _scalar(self, shape: Shape) -> Parse:
        kind = shape.type_name
        convert = _scalar_converter(shape)

        def parse_scalar(node: Any, path: str) -> Any:
            if isinstance(node, dict):
                raise unknown_parameter(path + "." + sorted(node)[0])
            if NOT_XML_CHAR.search(node):  # it could never be answered back
                raise invalid_parameter_value(
                    f"Value for parameter {path} is invalid. It contains a character that is not allowed."
                )
            return convert(node, path)

        if kind == "string" and not (shape.enum and shape.name not in _CATALOGUE_ENUMS):
            # The commonest member: a free string, told apart from the others without a call.
            def parse_string(node: Any, path: str) -> Any:
                if type(node) is str and node.isascii() and node.isprintable():
                    return node  # printable ASCII: nothing XML cannot carry
                return parse_scalar(node, path)

            return parse_string
        return parse_scalar

    def _list(self, shape: Shape) -> Parse:
        if shape.member.type_name == "structure":  # an item's members' prefix is its path and "."
            parse_item, suffix = self.structure(shape.member), "."
        else:
            parse_item, suffix = self.value(shape.member), ""

        def parse_list(node: Any, path: str) -> list[Any]:
            return [parse_item(value, f"{path}.{index}{suffix}") for index, value in _indexed(node, path)]

        return parse_list

    def _query_list(self, shape: Shape) -> Parse:
        parse_list = self._list(shape)
        flattened = bool(shape.serialization.get("flattened"))
        item = shape.member.serialization.get("name") or "member"

        def parse_query_list(node: Any, path: str) -> list[Any]:
            if node == "":
                return []
            if not flattened:
                if not isinstance(node, dict) or set(node) != {item}:
                    raise unknown_parameter(f"{path}.{sorted(node)[0]}" if isinstance(node, dict) and node else path)
                node, path = node[item], f"{path}.{item}"
            items: list[Any] = parse_list(node, path)
            return items

        return parse_query_list

    def _query_map(self, shape: Shape) -> Parse:
        flattened = bool(shape.serialization.get("flattened"))
        key_name = shape.key.serialization.get("name") or "key"
        value_name = shape.value.serialization.get("name") or "value"
        parse_key = self.value(shape.key)
        parse_item = self.value(shape.value)

        def parse_query_map(node: Any, path: str) -> dict[str, Any]:
            if node == "":
                return {}
            if not flattened:
                if not isinstance(node, dict) or set(node) != {"entry"}:
                    raise unknown_parameter(path)
                node, path = node["entry"], f"{path}.entry"
            result: dict[str, Any] = {}
            for index, entry in _indexed(node, path):
                entry_path = f"{path}.{index}"
                if not isinstance(entry, dict) or set(entry) - {key_name, value_name} or key_name not in entry:
                    raise unknown_parameter(entry_path)
                key = parse_key(entry[key_name], f"{entry_path}.{key_name}")
                result[key] = parse_item(entry.get(value_name, ""), f"{entry_path}.{value_name}")
            return result

        return parse_query_map


def _scalar_converter(shape: Shape) -> Parse:
    """The conversion of a scalar's text (already known to be a string XML can carry)."""
    kind = shape.type_name
    if kind == "string":
        enum = shape.enum
        if not enum or shape.name in _CATALOGUE_ENUMS:
            return lambda node, path: node

        def check_enum(node: str, path: str) -> str:
            if node not in enum:
                raise invalid_parameter_value(
                    f"Value ({node}) for parameter {path} is invalid. "
                    f"Expected one of: {', '.join(enum)}"
                )
            return node

        return check_enum
    if kind in ("integer", "long"):
        return lambda node, path: _parse_integer(kind, node, path)
    if kind == "boolean":
        return _parse_boolean
    if kind in ("double", "float"):
        return _parse_number
    if kind == "timestamp":
        return _parse_timestamp
    if kind == "blob":
        return _parse_blob

    def unknown(node: str, path: str) -> Any:
        raise unknown_parameter(path)

    return unknown


def _indexed(node: Any, path: str) -> list[tuple[int, Any]]:
    """The ``1``, ``2``, … children of ``node`` in index order."""
    if not isinstance(node, dict):
        raise unknown_parameter(path)
    indexed: list[tuple[int, Any]] = []
    for key, value in node.items():
        try:
            indexed.append((parse_index(key), value))
        except ScalarError:
            raise unknown_parameter(f"{path}.{key}") from None
    if len(indexed) > 1:
        indexed.sort(key=_first)
    return indexed


def _first(item: tuple[int, Any]) -> int:
    return item[0]


def _parse_boolean(node: str, path: str) -> bool:
    lowered = node.lower()
    if lowered not in ("true", "false"):
        raise invalid_parameter_value(
            f"Invalid value '{node}' for {path}: expected 'true' or 'false'"
        )
    return lowered == "true"


def _parse_number(node: str, path: str) -> float:
    try:
        return parse_number(node, special=True)
    except ScalarError:
        raise invalid_parameter_value(
            f"Invalid value '{node}' for {path}: expected a number"
        ) from None


def _parse_blob(node: str, path: str) -> bytes:
    try:
        return base64.b64decode(node, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_parameter_value(
            f"Invalid value for {path}: expected base64-encoded data"
        ) from None


def _parse_integer(kind: str, node: str, path: str) -> int:
    low, high = _INTEGER_RANGES[kind]
    try:
        return parse_integer(node, low, high)
    except ScalarError as error:
        if not error.out_of_range and not _INTEGER.fullmatch(node):
            raise invalid_parameter_value(f"Invalid value '{node}' for {path}: expected an integer") from None
        raise invalid_parameter_value(
            f"Value ({node}) for parameter {path} is invalid. "
            f"Expected an integer between {low} and {high}."
        ) from None


def _parse_timestamp(node: str, path: str) -> dt.datetime:
    """ISO 8601 (no zone means UTC) or epoch seconds, always as an aware UTC datetime
    between the years 2 and 9998."""
    try:
        return parse_timestamp(node)
    except ScalarError:
        raise invalid_parameter_value(
            f"Invalid value '{node}' for {path}: expected an ISO 8601 timestamp"
        ) from None
