"""The model's constraints on request values, worded as AWS's JSON services word them.

botocore checks only that required members are there, their types and ``min``; a
value too long, out of range, off its ``pattern`` or outside its ``enum`` reaches the
server, which answers ``ValidationException``: ``1 validation error detected: Value 'a b'
at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern:
[\\.\\-_A-Za-z0-9]+``, several joined by ``; `` under ``N validation errors detected``
(the wave-2 fact sheet, C.1). The JSON protocols (:mod:`ec2emu.protocol.json_values`)
collect these problems here while they read a request, and answer them all at once;
the form protocols keep their own checks (:mod:`ec2emu.protocol.parser`).

A member is named as in those messages: its name in lower camel case, nested ones
joined by ``.``, a list's items ``<list>.<n>.member`` (from 1), a map's values
``<map>.<key>`` and its keys ``<map>.key`` (AWS's documents show no map path: a choice).
Choices where AWS's documents are silent:

* every constraint a value breaks is a problem of its own — length, then range, then
  pattern, then enum — and members are checked in the model's order;
* a value is shown as Java would print it (a list ``[a, b]``, a map ``{k=v}``, a blob as
  the ``HeapByteBuffer`` Kinesis's messages show); a ``sensitive`` member's value is not
  shown at all (``Value at 'password' failed …``);
* ``pattern`` is matched whole, as Java's ``matches`` does (the fact sheet's example
  pattern has no anchors yet refuses ``a b``); a pattern Python's ``re`` cannot compile
  (``\\p{…}`` classes) is not checked;
* a string holding U+0000 breaks a constraint of its own, checked first ("Member must
  not contain the character U+0000"): a store on PostgreSQL cannot hold the character,
  and the form protocols refuse it too (XML cannot carry it).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from botocore.model import Shape

Problems = list[str]

_SIZED = frozenset({"string", "blob", "list", "map"})
_NUMBERS = frozenset({"integer", "long", "float", "double"})


def child(path: str, member_name: str) -> str:
    """The path of a structure's member, as AWS's messages name it."""
    camel = member_name[:1].lower() + member_name[1:]
    return f"{path}.{camel}" if path else camel


def require(shape: Shape, present: dict[str, Any], path: str, problems: Problems, *, only: str = "") -> None:
    """A problem for each required member of ``shape`` (or just ``only``) missing from
    ``present``."""
    for name in (only,) if only else shape.required_members:
        if name not in present:
            problems.append(f"Value null at '{child(path, name)}' failed to satisfy constraint: "
                            "Member must not be null")


def check(shape: Shape, value: Any, path: str, problems: Problems) -> None:
    """A problem for each constraint of ``shape`` that ``value`` (already typed) breaks."""
    metadata = shape.metadata
    kind = shape.type_name
    found: list[str] = []
    low, high = metadata.get("min"), metadata.get("max")
    if kind in _SIZED:
        size = len(value)
        if low is not None and size < low:
            found.append(f"Member must have length greater than or equal to {low}")
        if high is not None and size > high:
            found.append(f"Member must have length less than or equal to {high}")
    elif kind in _NUMBERS:
        if low is not None and value < low:
            found.append(f"Member must have value greater than or equal to {low}")
        if high is not None and value > high:
            found.append(f"Member must have value less than or equal to {high}")
    if kind == "string":
        if "\x00" in value:
            found.append("Member must not contain the character U+0000")
        pattern = metadata.get("pattern")
        compiled = _compiled(pattern) if pattern else None
        if compiled is not None and compiled.fullmatch(value) is None:
            found.append(f"Member must satisfy regular expression pattern: {pattern}")
        if shape.enum and value not in shape.enum:
            found.append(f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
    if found:
        shown = "Value" if metadata.get("sensitive") else f"Value '{_java(value)}'"
        problems.extend(f"{shown} at '{path}' failed to satisfy constraint: {text}" for text in found)


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _java(value: Any) -> str:
    """``value`` as Java's ``toString`` prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray)):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    if isinstance(value, list):
        return "[" + ", ".join(_java(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_java(key)}={_java(item)}" for key, item in value.items()) + "}"
    return str(value)
