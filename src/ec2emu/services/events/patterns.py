"""EventBridge event patterns: :func:`compile_pattern` checks a pattern's JSON text as AWS
does and turns it into an :class:`EventPattern` whose :meth:`EventPattern.matches` tests
events (parsed JSON objects) against it. Checking and compiling happen once; matching
walks the compiled tree with the leaf tests of
:mod:`ec2emu.services.events.pattern_values` and reparses nothing.

Structure, as AWS documents it: a pattern mirrors the event; fields listed are ANDed,
the values of a field's array are ORed; every leaf is an array. ``$or`` (at any level,
two branches or more) ORs whole sub-patterns. An event array matches when any of its
elements does; objects inside event arrays are matched one element at a time, so all
fields of one sub-pattern come from the same element. ``exists: false`` holds where the
path is absent, ends at an object, or ends at an empty array; ``anything-but`` never
matches an absent field but does match ``null``.

A refused pattern raises :class:`PatternError`, whose ``str()`` is the message of AWS's
``InvalidEventPatternException``: ``Event pattern is not valid. Reason: <reason>``.

Choices where AWS's documentation is silent:

* For text that is not JSON, the reason and its ``\\n at [Source: ...; line, column]``
  suffix are worded as AWS's JSON reader words them for the common faults (a field name
  not in double quotes, an unrecognised token, a missing comma or colon); line and
  column are the position of the fault. AWS also appends that location suffix to some
  refusals of well-formed JSON; those carry the reason alone here. Text after the
  pattern's closing brace is ignored, as AWS's reader ignores it.
* A pattern longer than ``MAX_PATTERN_CHARS`` (AWS's default quota) and one whose
  ``$or`` branches multiply past ``MAX_COMBINATIONS`` are refused with reasons worded here.
* A key repeated in one object: the last one counts (each is still checked).
* Keys holding dots are not joined with the nesting (``{"a.b": [...]}`` is the key
  ``a.b``, not ``a`` then ``b``); AWS says not to rely on that joining.
* Ruler's undocumented ``exactly`` operator is accepted as an exact string match.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ec2emu.services.events import pattern_values as values
from ec2emu.services.events.pattern_json import read_pattern_json
from ec2emu.services.events.pattern_values import PatternError, Test

__all__ = ["MAX_COMBINATIONS", "MAX_PATTERN_CHARS", "EventPattern", "PatternError", "compile_pattern"]

MAX_PATTERN_CHARS = 2048
MAX_COMBINATIONS = 1000

OR = "$or"
_RESERVED_IN_OR = frozenset({
    "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric",
    "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
    "date-on-or-after", "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range",
    "ip-address-not-in-range"})
_MISSING = object()


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as read: its members in order, repeated keys kept."""


# ------------------------------------------------------------------ the compiled tree

class _Node:
    """One object level of a pattern: its leaves (key, tests, whether absence matches),
    its nested objects, and its ``$or`` groups (each a list of alternative nodes)."""

    __slots__ = ("children", "leaves", "ors")

    def __init__(self) -> None:
        self.leaves: dict[str, tuple[tuple[Test, ...], bool]] = {}
        self.children: dict[str, _Node] = {}
        self.ors: list[list[_Node]] = []

    def combinations(self) -> int:
        total = 1
        for child in self.children.values():
            total *= child.combinations()
        for group in self.ors:
            total *= sum(branch.combinations() for branch in group)
        return total


def _scalars(items: list[Any]) -> list[Any]:
    """The leaf values of an event array (nested arrays unrolled, objects left out)."""
    found: list[Any] = []
    for item in items:
        if isinstance(item, list):
            found.extend(_scalars(item))
        elif not isinstance(item, Mapping):
            found.append(item)
    return found


def _objects(items: list[Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for item in items:
        if isinstance(item, list):
            found.extend(_objects(item))
        elif isinstance(item, Mapping):
            found.append(item)
    return found


def _leaf_matches(value: Any, tests: tuple[Test, ...], absent_ok: bool) -> bool:
    if value is _MISSING or isinstance(value, Mapping):
        return absent_ok
    if isinstance(value, list):
        scalars = _scalars(value)
        if not scalars:
            return absent_ok
        return any(test(scalar) for scalar in scalars for test in tests)
    return any(test(value) for test in tests)


_EMPTY: Mapping[str, Any] = {}


def _node_matches(node: _Node, event: Mapping[str, Any]) -> bool:
    for key, (tests, absent_ok) in node.leaves.items():
        if not _leaf_matches(event.get(key, _MISSING), tests, absent_ok):
            return False
    for key, child in node.children.items():
        value = event.get(key, _MISSING)
        if isinstance(value, Mapping):
            if not _node_matches(child, value):
                return False
        elif isinstance(value, list) and (elements := _objects(value)):
            if not any(_node_matches(child, element) for element in elements):
                return False
        elif not _node_matches(child, _EMPTY):
            return False
    return all(any(_node_matches(branch, event) for branch in group) for group in node.ors)


class EventPattern:
    """A checked, compiled event pattern."""

    __slots__ = ("_root", "text")

    def __init__(self, text: str, root: _Node) -> None:
        self.text = text
        self._root = root

    def matches(self, event: Mapping[str, Any]) -> bool:
        return _node_matches(self._root, event)

    def __repr__(self) -> str:
        return f"EventPattern({self.text!r})"


# ------------------------------------------------------------------ checking and compiling

def _plain(value: Any) -> Any:
    """A match expression's operand with its objects as dicts (the last repeated key wins)."""
    if isinstance(value, _Pairs):
        return {key: _plain(item) for key, item in value}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_OPERATORS: dict[str, Callable[[Any], Test]] = {
    "prefix": values.prefix,
    "suffix": values.suffix,
    "equals-ignore-case": values.equals_ignore_case,
    "wildcard": values.wildcard,
    "numeric": values.numeric,
    "anything-but": values.anything_but,
    "cidr": values.cidr,
}


def _exactly(value: Any) -> Test:
    if not isinstance(value, str):
        raise PatternError("exact match pattern must be a string")
    return values.exact(value)


def _expression(pairs: _Pairs) -> tuple[Test | None, bool]:
    """One ``{operator: operand}`` entry of a value array: its test (``None`` for
    ``exists: false``, which only absence satisfies) and whether absence matches."""
    if not pairs:
        raise PatternError("Match expression name not found")
    operator, operand = pairs[0]
    extra = "Only one key allowed in match expression"
    if operator == "exists":
        if not isinstance(operand, bool):
            raise PatternError("exists match pattern must be either true or false.")
        if len(pairs) > 1:
            raise PatternError(extra)
        return (lambda v: True, False) if operand else (None, True)
    if operator == "exactly":
        test = _exactly(operand)
    elif operator in _OPERATORS:
        test = _OPERATORS[operator](_plain(operand))
        if operator in ("numeric", "anything-but"):
            extra = "Too many elements in numeric expression"
    else:
        raise PatternError(f"Unrecognized match type {operator}")
    if len(pairs) > 1:
        raise PatternError(extra)
    return test, False


def _leaf(items: list[Any]) -> tuple[tuple[Test, ...], bool]:
    tests: list[Test] = []
    absent_ok = False
    for item in items:
        if isinstance(item, _Pairs):
            test, absent = _expression(item)
            absent_ok = absent_ok or absent
            if test is not None:
                tests.append(test)
        elif isinstance(item, list):
            raise PatternError("Match value must be String, number, true, false, or null")
        else:
            tests.append(values.exact(item))
    if not items:
        raise PatternError("Empty arrays are not allowed")
    return tuple(tests), absent_ok


def _object(pairs: _Pairs, in_or: bool) -> _Node:
    if not pairs:
        raise PatternError("Empty objects are not allowed")
    node = _Node()
    for key, value in pairs:
        if key == OR:
            node.ors.append(_or_group(value))
            continue
        if in_or and key in _RESERVED_IN_OR:
            raise PatternError(f"{key} is Ruler reserved fieldName which cannot be used inside {OR}.")
        node.leaves.pop(key, None)
        node.children.pop(key, None)
        if isinstance(value, _Pairs):
            node.children[key] = _object(value, in_or)
        elif isinstance(value, list):
            node.leaves[key] = _leaf(value)
        else:
            raise PatternError(f'"{key}" must be an object or an array')
    return node


def _or_group(value: Any) -> list[_Node]:
    if not isinstance(value, list) or isinstance(value, _Pairs):
        raise PatternError(f"It must be an Array followed with {OR}.")
    branches: list[_Node] = []
    for branch in value:
        if not isinstance(branch, _Pairs):
            raise PatternError(f"Only JSON object is allowed in array of {OR} relationship.")
        branches.append(_object(branch, True))
    if len(branches) < 2:
        raise PatternError(f"There must have at least 2 Objects in {OR} relationship.")
    return branches


def compile_pattern(text: str) -> EventPattern:
    """Checks ``text`` as AWS checks an event pattern and compiles it; raises
    :class:`PatternError` with AWS's message when AWS would refuse it."""
    if len(text) > MAX_PATTERN_CHARS:
        raise PatternError(f"Event pattern is longer than the maximum of {MAX_PATTERN_CHARS} characters")
    document = read_pattern_json(text, _Pairs)
    root = _object(document, False)
    combinations = root.combinations()
    if combinations > MAX_COMBINATIONS:
        raise PatternError(f"The pattern's {OR} branches combine into {combinations} alternatives, "
                           f"more than the maximum of {MAX_COMBINATIONS}")
    return EventPattern(text, root)

