"""The leaf tests of an EventBridge event pattern: what one entry of a pattern's value
array (``"a"``, ``300``, ``{"prefix": ...}``, ``{"anything-but": ...}``, ...) becomes once
:mod:`ec2emu.services.events.pattern_compiler` has checked it, and how it tests one
scalar of an event; also the check of a CIDR block's text.

A leaf test is a plain function of one event scalar (``str``, ``int``, ``float``,
``bool`` or ``None``; never an object or an array, which the tree walk of
:mod:`ec2emu.services.events.patterns` unrolls) returning whether it matches. Each test
is built once when the pattern is compiled; matching reparses nothing.

The rules kept here, and the choices made where AWS's documentation is silent:

* JSON numbers compare as IEEE doubles, so ``300`` matches ``300.0``; a boolean is never
  a number (``true`` does not match ``1``). No ±5.0e9 range is enforced on numbers:
  EventBridge's matcher now reads them as doubles.
* ``prefix``, ``suffix``, ``equals-ignore-case`` and ``wildcard`` match strings only;
  case is folded with :py:meth:`str.lower`.
* Every form of ``anything-but`` matches a value that is not a string where it lists
  strings (numbers, booleans, ``null``), and the numeric form matches every non-number;
  it never matches an absent field (that is the tree walk's business).
* ``cidr`` matches only strings that read as an IP address of the same family; a mask
  of 32 (IPv4) or 128 (IPv6) is refused as EventBridge's matcher refuses it; the
  IPv6 wording of that refusal is ours.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from typing import Any

Test = Callable[[Any], bool]


class PatternError(ValueError):
    """A pattern AWS refuses with ``InvalidEventPatternException``; ``str()`` is AWS's message."""

    def __init__(self, reason: str, position: int | None = None) -> None:
        self.reason = reason
        self.position = position  # where in the text the fault was found, when it names one
        super().__init__(f"Event pattern is not valid. Reason: {reason}")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def double(value: int | float) -> float:
    """A JSON number as the IEEE double AWS reads it (integers too large for one become
    infinities rather than failing)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


# ------------------------------------------------------------------ exact values

def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if len(text) > 45 or ("." not in text and ":" not in text):
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def exact(value: Any) -> Test:
    """A literal of the pattern's array: a string, a number (compared as a double), a
    boolean or ``null``, each matching only its own JSON type. A string that is an IP
    address also matches the same address written otherwise (``2001:DB8::1`` for
    ``2001:db8::1``), as AWS's matcher compares addresses."""
    if isinstance(value, str):
        address = _ip(value)
        if address is None:
            return lambda v: isinstance(v, str) and v == value
        return lambda v: isinstance(v, str) and (v == value or _ip(v) == address)
    if isinstance(value, bool):
        return lambda v: v is value
    if value is None:
        return lambda v: v is None
    number = double(value)
    return lambda v: is_number(v) and double(v) == number


# ------------------------------------------------------------------ string operators

def prefix(text: str, folded: bool = False) -> Test:
    if folded:
        low = text.lower()
        return lambda v: isinstance(v, str) and v.lower().startswith(low)
    return lambda v: isinstance(v, str) and v.startswith(text)


def suffix(text: str, folded: bool = False) -> Test:
    if folded:
        low = text.lower()
        return lambda v: isinstance(v, str) and v.lower().endswith(low)
    return lambda v: isinstance(v, str) and v.endswith(text)


def equals_ignore_case(text: str) -> Test:
    low = text.lower()
    return lambda v: isinstance(v, str) and v.lower() == low


def wildcard(regex: re.Pattern[str]) -> Test:
    full = regex.fullmatch
    return lambda v: isinstance(v, str) and full(v) is not None


# ------------------------------------------------------------------ numeric

def numeric_equals(target: float) -> Test:
    return lambda v: is_number(v) and double(v) == target


def numeric_range(low: float | None, low_closed: bool, high: float | None, high_closed: bool) -> Test:
    """A range with either bound left out (``None``); only JSON numbers fall in one."""
    def within(v: Any) -> bool:
        if not is_number(v):
            return False
        number = double(v)
        if low is not None and (number < low if low_closed else number <= low):
            return False
        return high is None or (number <= high if high_closed else number < high)

    return within


# ------------------------------------------------------------------ cidr

def cidr(text: str) -> Test:
    """Checks a CIDR block as AWS does (its refusals name no position) and tests for it."""
    pieces = text.split("/")
    while len(pieces) > 1 and pieces[-1] == "":
        pieces.pop()  # a split that drops trailing empty fields, as AWS's does
    if len(pieces) != 2:
        raise PatternError("Malformed CIDR, one '/' required")
    address, mask = pieces
    if not re.fullmatch(r"[+-]?[0-9]+", mask):
        raise PatternError("Malformed CIDR, mask bits must be an integer")
    bits = int(mask)
    if bits < 0:
        raise PatternError("Malformed CIDR, mask bits must not be negative")
    ip = _ip(address)
    if ip is None:
        raise PatternError(f"Nonstandard IP address: {address}")
    if ip.version == 4 and bits > 31:
        raise PatternError("IPv4 mask bits must be < 32")
    if ip.version == 6 and bits > 127:
        raise PatternError("IPv6 mask bits must be < 128")
    network = ipaddress.ip_network(f"{ip}/{bits}", strict=False)

    def inside(v: Any) -> bool:
        candidate = _ip(v) if isinstance(v, str) else None
        return candidate is not None and candidate.version == network.version and candidate in network

    return inside


# ------------------------------------------------------------------ anything-but

def anything_but_values(items: list[Any]) -> Test:
    """Anything but these strings (or these numbers): every other value matches,
    ``null`` and values of the other type included."""
    if isinstance(items[0], str):
        texts = frozenset(items)
        return lambda v: not (isinstance(v, str) and v in texts)
    numbers = frozenset(double(item) for item in items)
    return lambda v: not (is_number(v) and double(v) in numbers)


def anything_but_prefix(texts: list[str]) -> Test:
    starts = tuple(texts)
    return lambda v: not (isinstance(v, str) and v.startswith(starts))


def anything_but_suffix(texts: list[str]) -> Test:
    ends = tuple(texts)
    return lambda v: not (isinstance(v, str) and v.endswith(ends))


def anything_but_ignore_case(texts: list[str]) -> Test:
    folded = frozenset(text.lower() for text in texts)
    return lambda v: not (isinstance(v, str) and v.lower() in folded)


def anything_but_wildcard(regexes: list[re.Pattern[str]]) -> Test:
    matchers = [regex.fullmatch for regex in regexes]
    return lambda v: not (isinstance(v, str) and any(full(v) is not None for full in matchers))
