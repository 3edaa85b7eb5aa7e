"""Request values made from botocore's shapes, for the walker to send through boto3.

:func:`request` gives an operation's required members valid-looking values and one
member a value of its own (different from a declared default); :func:`sample` makes a
value for one shape: an enum's first value (or the next, to differ), a string that
meets the shape's length and pattern, a list of one item, a structure with its required
members (or its first member, so that it is sent at all).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from botocore.model import OperationModel, Shape

# Candidates tried, in order, for a string with a pattern or length to meet.
_STRINGS = (
    "example", "x", "/", "/example/", "10.0.0.0/16", "arn:aws:iam::123456789012:role/example",
    "arn:aws:iam::123456789012:policy/example", '{"Version":"2012-10-17","Statement":[]}', "v1",
    "AKIAIOSFODNN7EXAMPLE", "123456789012", "000000", "https://example.com/",
)


def _string(shape: Shape, avoid: object) -> str:
    if shape.enum:
        choices = [value for value in shape.enum if value != avoid]
        return choices[0] if choices else shape.enum[0]
    low, high = shape.metadata.get("min", 0), shape.metadata.get("max", 1 << 16)
    pattern = shape.metadata.get("pattern")
    for candidate in _STRINGS:
        padded = candidate + "x" * max(0, low - len(candidate))
        if len(padded) > high or padded == avoid:
            continue
        if pattern is None or _matches(pattern, padded):
            return padded
    return "x" * max(low, 1)


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return True


def _number(shape: Shape, avoid: object) -> int | float:
    low = shape.metadata.get("min", 1)
    high = shape.metadata.get("max")
    value = low if low != avoid else low + 1
    if high is not None and value > high:
        value = high
    return float(value) if shape.type_name in ("float", "double") else int(value)


def sample(shape: Shape, avoid: object = None) -> Any:
    """A value for ``shape``, different from ``avoid`` where the shape allows."""
    kind = shape.type_name
    if kind == "string":
        return _string(shape, avoid)
    if kind == "boolean":
        return avoid is not True
    if kind in ("integer", "long", "float", "double"):
        return _number(shape, avoid)
    if kind == "timestamp":
        return datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    if kind == "blob":
        return b"example"
    if kind == "list":
        return [sample(shape.member)]
    if kind == "map":
        return {sample(shape.key): sample(shape.value)}
    if kind == "structure":
        if isinstance(avoid, dict) and avoid:
            return {name: sample(shape.members[name], value) for name, value in avoid.items()}
        names = list(shape.required_members) or list(shape.members)[:1]
        return {name: sample(shape.members[name]) for name in names}
    raise AssertionError(f"no sample for {kind}")


def request(operation: OperationModel, member: str, value: Any) -> dict[str, Any]:
    """The operation's required members, each with a sample value, and ``member`` with
    ``value``."""
    shape = operation.input_shape
    params = {name: sample(shape.members[name]) for name in shape.required_members if name != member}
    params[member] = value
    return params
