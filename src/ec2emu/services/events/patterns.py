"""Event patterns: compiling a pattern's JSON text and matching events against it.

:func:`compile_pattern` reads a pattern (``InvalidEventPatternException``'s message, AWS's
``Event pattern is not valid. Reason: ...``, in :class:`PatternError` otherwise) and
:meth:`EventPattern.matches` says whether an event (a JSON object) matches.

This is the matcher of exact values: a pattern is a JSON object whose fields are nested
objects or arrays of values (strings, numbers, booleans, ``null``); fields are AND-ed,
the values of an array OR-ed; a field the pattern names must be in the event (fields it
does not name are ignored); an array in the event matches when any of its items does; a
number equals the same number however written (``300`` is ``300.0``); strings compare
exactly, case included. Content filters (objects in a pattern's arrays: ``prefix``,
``anything-but``, ``numeric``, ``exists`` and the others) are not read by this matcher:
a pattern using one is refused as not valid.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PREFIX = "Event pattern is not valid. Reason: "


class PatternError(ValueError):
    """A pattern that is not valid; ``str()`` is AWS's whole message."""

    def __init__(self, reason: str) -> None:
        super().__init__(PREFIX + reason)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


@dataclass(frozen=True)
class _Node:
    """A pattern object: leaf fields (their allowed values) and nested fields."""

    leaves: tuple[tuple[str, tuple[Any, ...]], ...]
    nested: tuple[tuple[str, _Node], ...]


def _compile(value: dict[str, Any]) -> _Node:
    if not value:
        raise PatternError("Empty objects are not allowed")
    leaves: list[tuple[str, tuple[Any, ...]]] = []
    nested: list[tuple[str, _Node]] = []
    for key, item in value.items():
        if isinstance(item, dict):
            nested.append((key, _compile(item)))
        elif isinstance(item, list):
            if not item:
                raise PatternError("Empty arrays are not allowed")
            for allowed in item:
                if isinstance(allowed, dict):
                    first = next(iter(allowed), "")
                    raise PatternError(f"Unrecognized match type {first}")
                if not _scalar(allowed):
                    raise PatternError("Match value must be String, number, true, false, or null")
            leaves.append((key, tuple(item)))
        else:
            raise PatternError(f'"{key}" must be an object or an array')
    return _Node(tuple(leaves), tuple(nested))


def _equal(allowed: Any, value: Any) -> bool:
    if isinstance(allowed, bool) or isinstance(value, bool):
        return isinstance(allowed, bool) and isinstance(value, bool) and allowed == value
    if isinstance(allowed, int | float) and isinstance(value, int | float):
        return float(allowed) == float(value)
    if allowed is None or value is None:
        return allowed is None and value is None
    return type(allowed) is type(value) and bool(allowed == value)


def _leaf_matches(allowed: tuple[Any, ...], value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(_scalar(item) and _equal(choice, item) for item in values for choice in allowed)


def _matches(node: _Node, event: Mapping[str, Any]) -> bool:
    for key, allowed in node.leaves:
        if key not in event or not _leaf_matches(allowed, event[key]):
            return False
    for key, child in node.nested:
        value = event.get(key)
        candidates = value if isinstance(value, list) else [value]
        if not any(isinstance(item, Mapping) and _matches(child, item) for item in candidates):
            return False
    return True


@dataclass(frozen=True)
class EventPattern:
    """A compiled pattern."""

    root: _Node

    def matches(self, event: Mapping[str, Any]) -> bool:
        return _matches(self.root, event)


def compile_pattern(text: str) -> EventPattern:
    """The pattern ``text`` holds; :class:`PatternError` when it is not valid."""
    try:
        value = json.loads(text)
    except ValueError as error:
        raise PatternError(f"Unexpected character: {error}") from None
    except RecursionError:
        raise PatternError("Pattern nesting is too deep") from None
    if not isinstance(value, dict):
        raise PatternError("Filter is not an object")
    return EventPattern(_compile(value))
