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
``InvalidEventPatternException``: ``Event pattern is not valid. Reason: <reason>``, with
the position suffix AWS adds (:mod:`ec2emu.services.events.pattern_compiler` checks
well-formed text, :mod:`ec2emu.services.events.pattern_json` refuses text that is not
JSON).

Choices where AWS's documentation is silent:

* A pattern longer than ``MAX_PATTERN_CHARS`` (AWS's default quota) and one whose
  ``$or`` branches multiply past ``MAX_COMBINATIONS`` are refused with reasons worded here.
* A pattern key holding dots (``{"a.b": [...]}``) names the event's key ``a.b`` or,
  where there is none, the path ``a`` then ``b``, as AWS's matcher joins keys with dots;
  an event key holding dots is not split to meet a nested pattern (AWS says not to rely
  on either).
* Inside an array of objects, a sub-pattern that also matches present values is tried
  one element at a time, so an ``exists: false`` in it holds for the element the other
  fields matched in; a sub-pattern of ``exists: false`` alone must hold in every element.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ec2emu.services.events.pattern_compiler import Compiler, Node
from ec2emu.services.events.pattern_json import check_json
from ec2emu.services.events.pattern_values import PatternError, Test

__all__ = ["MAX_COMBINATIONS", "MAX_PATTERN_CHARS", "EventPattern", "PatternError", "compile_pattern"]

MAX_PATTERN_CHARS = 2048
MAX_COMBINATIONS = 1000

_MISSING = object()


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


_SCALARS = (str, int, float, type(None))  # bool is an int


def _leaf_matches(value: Any, tests: tuple[Test, ...], absent_ok: bool) -> bool:
    if isinstance(value, _SCALARS):
        for test in tests:
            if test(value):
                return True
        return False
    if isinstance(value, list):
        scalars = _scalars(value)
        if not scalars:
            return absent_ok
        return any(test(scalar) for scalar in scalars for test in tests)
    return absent_ok  # absent, or an object: not a leaf


_EMPTY: Mapping[str, Any] = {}


def _get(event: Mapping[str, Any], key: str) -> Any:
    """The event's value at a pattern key; a key holding dots that the event lacks is
    also read as a path through nested objects (``"a.b"`` as ``a`` then ``b``)."""
    value = event.get(key, _MISSING)
    if value is _MISSING and "." in key:
        value = event
        for step in key.split("."):
            if not isinstance(value, Mapping):
                return _MISSING
            value = value.get(step, _MISSING)
    return value


def _node_matches(node: Node, event: Mapping[str, Any]) -> bool:
    for key, (tests, absent_ok) in node.leaves.items():
        if not _leaf_matches(_get(event, key), tests, absent_ok):
            return False
    for key, child in node.children.items():
        value = _get(event, key)
        if isinstance(value, dict) or isinstance(value, Mapping):
            if not _node_matches(child, value):
                return False
        elif isinstance(value, list) and (elements := _objects(value)):
            if child.picks:
                if not any(_node_matches(child, element) for element in elements):
                    return False
            elif not all(_node_matches(child, element) for element in elements):
                return False
        elif not _node_matches(child, _EMPTY):
            return False
    for group in node.ors:
        if not any(_node_matches(branch, event) for branch in group):
            return False
    return True


class EventPattern:
    """A checked, compiled event pattern."""

    __slots__ = ("_root", "text")

    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self._root = root

    def matches(self, event: Mapping[str, Any]) -> bool:
        return _node_matches(self._root, event)

    def __repr__(self) -> str:
        return f"EventPattern({self.text!r})"


# ------------------------------------------------------------------ compiling

def _refuse_earlier_fault(text: str, syntax: PatternError) -> None:
    """AWS reads a pattern once, checking as it goes: a fault in the pattern before the
    point where the text stops being JSON is the one it names."""
    if syntax.position is None:
        return
    try:
        Compiler(text, len(text) - len(text.lstrip(" \t\r\n"))).pattern()
    except PatternError as fault:
        if fault.position is not None and fault.position <= syntax.position:
            raise fault from None
    except Exception:  # the reader went past the fault into text that is not JSON
        return


def compile_pattern(text: str) -> EventPattern:
    """Checks ``text`` as AWS checks an event pattern and compiles it; raises
    :class:`PatternError` with AWS's message when AWS would refuse it."""
    if len(text) > MAX_PATTERN_CHARS:
        raise PatternError(f"Event pattern is longer than the maximum of {MAX_PATTERN_CHARS} characters")
    try:
        start = check_json(text)
    except PatternError as fault:
        _refuse_earlier_fault(text, fault)
        raise
    root = Compiler(text, start).pattern()
    combinations = root.combinations()
    if combinations > MAX_COMBINATIONS:
        raise PatternError(f"The pattern's $or branches combine into {combinations} alternatives, "
                           f"more than the maximum of {MAX_COMBINATIONS}")
    return EventPattern(text, root)

