"""Values generated from botocore shapes, for the protocol round-trip and fuzz tests.

:func:`sample` builds a deterministic, representative value for any botocore shape
(every member of a structure, a few list items, tricky strings, enum values, edge
integers, timestamps, blobs), seeded so each call can vary. :func:`strategy` builds the
matching hypothesis strategy, whose strings mix realistic values with junk.
:func:`form_body` serialises params with botocore's own EC2 serializer into the exact
form body botocore would send.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSRequest
from botocore.model import OperationModel, Shape
from botocore.serialize import create_serializer
from hypothesis import strategies as st

UTC = dt.timezone.utc

# Strings that stress the form encoding and XML escaping.
TRICKY_STRINGS = (
    "plain",
    "with space",
    "a&b=c+d%20e/f?g#h",
    "<tag attr=\"x\">&amp;</tag>",
    "ünïcødé ✓ 日本語",
    "",
    "dots.in.value",
    "'quotes' \"double\"",
    "tab\tand\nnewline",
)
INTEGERS = (0, 1, 5, 1000, 2**31 - 1, -1)
LONGS = (0, 7, 2**40, 2**63 - 1)
DOUBLES = (0.0, 1.5, -2.25, 12345.125)
TIMESTAMPS = (
    dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
    dt.datetime(2013, 5, 8, 18, 44, 16, 123000, tzinfo=UTC),
)
BLOBS = (b"\x00\x01binary\xff", b"user data\n", b"")

_EC2_SERIALIZER = create_serializer("ec2", include_validation=False)


class Sampler:
    """Deterministic representative values for shapes, driven by a seeded RNG."""

    def __init__(self, seed: int, max_depth: int = 7, max_items: int = 2) -> None:
        self.rnd = random.Random(seed)
        self.max_depth = max_depth
        self.max_items = max_items

    def value(self, shape: Shape, stack: tuple[str, ...] = ()) -> Any:
        """A value for ``shape``; ``None`` when nothing can be built (depth/recursion)."""
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, stack)
        if kind == "list":
            if len(stack) >= self.max_depth:
                return None
            items = []
            for _ in range(self.rnd.randint(1, self.max_items)):
                item = self.value(shape.member, stack + (shape.name,))
                if item is not None:
                    items.append(item)
            return items or None
        if kind == "map":
            if len(stack) >= self.max_depth:
                return None
            entries = {}
            for _ in range(self.rnd.randint(1, self.max_items)):
                key = self.value(shape.key, stack + (shape.name,))
                item = self.value(shape.value, stack + (shape.name,))
                if key is not None and item is not None:
                    entries[key] = item
            return entries or None
        if kind == "string":
            if shape.enum:
                return self.rnd.choice(shape.enum)
            return self.rnd.choice(TRICKY_STRINGS)
        if kind == "integer":
            return self.rnd.choice(INTEGERS)
        if kind == "long":
            return self.rnd.choice(LONGS)
        if kind in ("double", "float"):
            return self.rnd.choice(DOUBLES)
        if kind == "boolean":
            return self.rnd.choice((True, False))
        if kind == "timestamp":
            return self.rnd.choice(TIMESTAMPS)
        if kind == "blob":
            return self.rnd.choice(BLOBS)
        raise AssertionError(f"no sample for shape type {kind}")

    def structure(self, shape: Shape, stack: tuple[str, ...] = ()) -> dict[str, Any] | None:
        if shape.name in stack or len(stack) >= self.max_depth:
            return None
        result: dict[str, Any] = {}
        for name, member in shape.members.items():
            value = self.value(member, stack + (shape.name,))
            if value is not None:
                result[name] = value
        missing = [name for name in shape.required_members if name not in result]
        if missing or not result:
            return None
        return result


def sample(shape: Shape, seed: int = 0) -> dict[str, Any]:
    """A representative params dict for a structure shape."""
    value = Sampler(seed).structure(shape)
    assert value is not None, f"cannot sample {shape.name}"
    return value


def form_body(operation: OperationModel, params: dict[str, Any]) -> bytes:
    """The form body botocore sends for ``params`` (its serializer, its urlencoding)."""
    serialized = _EC2_SERIALIZER.serialize_to_request(params, operation)
    request = AWSRequest(method="POST", url="http://ec2emu.test/", data=serialized["body"],
                         headers=serialized["headers"])
    body = request.prepare().body
    return body if isinstance(body, bytes) else body.encode("utf-8")


# ----------------------------------------------------------------------- hypothesis

def junk_text() -> st.SearchStrategy[str]:
    """Any text that can be UTF-8 encoded (control characters included)."""
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=24)


StringPool = Callable[[str], st.SearchStrategy[str]]


def strategy(shape: Shape, strings: StringPool, *, junk: bool = True, name: str = "",
             stack: tuple[str, ...] = (), max_depth: int = 5,
             max_optional: int = 4) -> st.SearchStrategy[Any]:
    """Values for ``shape``: well-typed, strings from ``strings(member name)`` (and junk).

    A structure gets its required members and a few of its optional ones, so a request
    with dozens of optional members still tends to be one a handler gets to see. Without
    ``junk``, lists are never empty and numbers stay small.
    """
    kind = shape.type_name
    if kind == "structure":
        if shape.name in stack or len(stack) >= max_depth:
            return st.just({})
        inner = stack + (shape.name,)
        members = {member_name: strategy(member, strings, junk=junk, name=member_name, stack=inner,
                                         max_depth=max_depth, max_optional=2)
                   for member_name, member in shape.members.items()}
        required = [n for n in shape.required_members if n in members]
        optional = sorted(n for n in members if n not in required)

        @st.composite
        def structure(draw: Any) -> dict[str, Any]:
            chosen = draw(st.lists(st.sampled_from(optional), max_size=max_optional, unique=True)) \
                if optional else []
            return {member: draw(members[member]) for member in required + chosen}

        return structure()
    if kind == "list":
        if len(stack) >= max_depth:
            return st.just([])
        item = strategy(shape.member, strings, junk=junk, name=name, stack=stack + (shape.name,),
                        max_depth=max_depth, max_optional=2)
        return st.lists(item, min_size=0 if junk else 1, max_size=3)
    if kind == "map":
        if len(stack) >= max_depth:
            return st.just({})
        keys = strategy(shape.key, strings, junk=junk, name=name, stack=stack + (shape.name,), max_depth=max_depth)
        values = strategy(shape.value, strings, junk=junk, name=name, stack=stack + (shape.name,),
                          max_depth=max_depth, max_optional=2)
        return st.dictionaries(keys, values, min_size=0 if junk else 1, max_size=3)
    if kind == "string":
        choices = [strings(name)]
        if shape.enum:
            choices.insert(0, st.sampled_from(shape.enum))
        if junk:
            choices.append(junk_text())
        return st.one_of(*choices)
    if kind in ("integer", "long"):
        small = st.integers(-1, 12)
        if not junk:
            return small
        return st.one_of(small,
                         st.sampled_from((0, 5, 1000, 1001, 2**31, -(2**31) - 1, 2**63, 2**70)),
                         st.integers(-(2**70), 2**70))
    if kind in ("double", "float"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1),
                            timezones=st.just(UTC))
    if kind == "blob":
        return st.binary(max_size=32)
    raise AssertionError(f"no strategy for shape type {kind}")
