"""The leaf tests of an EventBridge event pattern: what one entry of a pattern's value
array (``"a"``, ``300``, ``{"prefix": ...}``, ``{"anything-but": ...}``, ...) becomes once
checked, and how it tests one scalar of an event.

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
  of 32 (IPv4) or 128 (IPv6) is refused as EventBridge's matcher refuses it. The
  IPv6 wording of that refusal, "Invalid escape character at pos N" for a wildcard
  backslash escaping another character, and the messages for an empty list inside
  ``anything-but`` are ours.
* A wildcard value is "too complex" when it holds more than ``MAX_WILDCARDS``
  wildcard characters; AWS's measure of complexity is not published, and this bound
  refuses AWS's documented refused example (``*:*:*:*:*:event-bus/*``) while accepting
  its documented accepted ones.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from typing import Any

Test = Callable[[Any], bool]

MAX_WILDCARDS = 5
TOO_COMPLEX = ("Rule is too complex - try using fewer wildcard characters or fewer repeating character "
               "sequences after a wildcard character")


class PatternError(ValueError):
    """A pattern AWS refuses with ``InvalidEventPatternException``; ``str()`` is AWS's message."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
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


def only_one_key(expression: dict[str, Any], message: str = "Only one key allowed in match expression") -> None:
    if len(expression) != 1:
        raise PatternError(message)


# ------------------------------------------------------------------ exact values

def exact(value: Any) -> Test:
    """A literal of the pattern's array: a string, a number (compared as a double), a
    boolean or ``null``, each matching only its own JSON type."""
    if isinstance(value, str):
        return lambda v: isinstance(v, str) and v == value
    if isinstance(value, bool):
        return lambda v: v is value
    if value is None:
        return lambda v: v is None
    if is_number(value):
        number = double(value)
        return lambda v: is_number(v) and double(v) == number
    raise PatternError("Match value must be String, number, true, false, or null")


# ------------------------------------------------------------------ string operators

def _string(value: Any, message: str) -> str:
    if not isinstance(value, str):
        raise PatternError(message)
    return value


def _affix(name: str, value: Any) -> Test:
    """``prefix``/``suffix`` with a string, or with ``{"equals-ignore-case": string}``."""
    message = f"{name} match pattern must be a string"
    folded = False
    if isinstance(value, dict):
        if set(value) != {"equals-ignore-case"}:
            raise PatternError(message)
        value, folded = value["equals-ignore-case"], True
    text = _string(value, message)
    if folded:
        low = text.lower()
        if name == "prefix":
            return lambda v: isinstance(v, str) and v.lower().startswith(low)
        return lambda v: isinstance(v, str) and v.lower().endswith(low)
    if name == "prefix":
        return lambda v: isinstance(v, str) and v.startswith(text)
    return lambda v: isinstance(v, str) and v.endswith(text)


def prefix(value: Any) -> Test:
    return _affix("prefix", value)


def suffix(value: Any) -> Test:
    return _affix("suffix", value)


def equals_ignore_case(value: Any) -> Test:
    low = _string(value, "equals-ignore-case match pattern must be a string").lower()
    return lambda v: isinstance(v, str) and v.lower() == low


def wildcard_regex(text: str) -> re.Pattern[str]:
    """Checks a wildcard value and turns it into an anchored regular expression: ``*``
    spans any run of characters (``/`` included), ``\\*`` is a literal star, ``\\\\`` a
    literal backslash. Positions in messages count UTF-8 bytes, as AWS's do; for two
    stars in a row AWS names the second."""
    parts: list[str] = []
    raw = text.encode("utf-8", "surrogatepass")
    stars = 0
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte == 0x2A:  # '*'
            if i + 1 < len(raw) and raw[i + 1] == 0x2A:
                raise PatternError(f"Consecutive wildcard characters at pos {i + 1}")
            parts.append(".*")
            stars += 1
            i += 1
            continue
        if byte == 0x5C:  # '\'
            if i + 1 < len(raw) and raw[i + 1] in (0x2A, 0x5C):
                parts.append(re.escape(chr(raw[i + 1])))
                i += 2
                continue
            raise PatternError(f"Invalid escape character at pos {i}")
        start = i
        while i < len(raw) and raw[i] not in (0x2A, 0x5C):
            i += 1
        parts.append(re.escape(raw[start:i].decode("utf-8", "surrogatepass")))
    if stars > MAX_WILDCARDS:
        raise PatternError(TOO_COMPLEX)
    return re.compile("".join(parts), re.DOTALL)


def wildcard(value: Any) -> Test:
    full = wildcard_regex(_string(value, "wildcard match pattern must be a string")).fullmatch
    return lambda v: isinstance(v, str) and full(v) is not None


# ------------------------------------------------------------------ numeric

_LOWER = {">": False, ">=": True}
_UPPER = {"<": False, "<=": True}


def _bound(items: list[Any], index: int, operator: str) -> float:
    if index >= len(items) or not is_number(items[index]):
        raise PatternError(f"Value of {'equals' if operator == '=' else operator} must be numeric")
    return double(items[index])


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{"
    if isinstance(value, list):
        return "["
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return repr(value)


def numeric(value: Any) -> Test:
    """``{"numeric": [op, n]}`` or ``[">"|">=", low, "<"|"<=", high]``; only JSON numbers match."""
    if not isinstance(value, list):
        raise PatternError("Value of numeric must be an array.")
    if not value or not isinstance(value[0], str):
        raise PatternError(f"Invalid member in numeric match: {_text(value[0]) if value else ']'}")
    operator = value[0]
    if operator == "=":
        target = _bound(value, 1, operator)
        if len(value) > 2:
            raise PatternError("Too many elements in numeric expression")
        return lambda v: is_number(v) and double(v) == target
    if operator in _UPPER:
        top = _bound(value, 1, operator)
        if len(value) > 2:
            raise PatternError("Too many elements in numeric expression")
        if _UPPER[operator]:
            return lambda v: is_number(v) and double(v) <= top
        return lambda v: is_number(v) and double(v) < top
    if operator not in _LOWER:
        raise PatternError(f"Unrecognized numeric range operator: {operator}")
    low = _bound(value, 1, operator)
    low_closed = _LOWER[operator]
    if len(value) == 2:
        if low_closed:
            return lambda v: is_number(v) and double(v) >= low
        return lambda v: is_number(v) and double(v) > low
    upper = value[2]
    if not isinstance(upper, str):
        raise PatternError(f"Bad value in numeric range: {_text(upper)}")
    if upper not in _UPPER:
        raise PatternError(f"Bad numeric range operator: {upper}")
    high = _bound(value, 3, upper)
    if len(value) > 4:
        raise PatternError("Too many terms in numeric range expression")
    high_closed = _UPPER[upper]

    def within(v: Any) -> bool:
        if not is_number(v):
            return False
        number = double(v)
        above = number >= low if low_closed else number > low
        below = number <= high if high_closed else number < high
        return above and below

    return within


# ------------------------------------------------------------------ cidr

def cidr(value: Any) -> Test:
    # AWS's matcher checks the string form with the same reason as prefix.
    text = _string(value, "prefix match pattern must be a string")
    pieces = [piece for piece in text.split("/")]
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
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise PatternError(f"Nonstandard IP address: {address}") from None
    if ip.version == 4 and bits > 31:
        raise PatternError("IPv4 mask bits must be < 32")
    if ip.version == 6 and bits > 127:
        raise PatternError("IPv6 mask bits must be < 128")
    network = ipaddress.ip_network(f"{ip}/{bits}", strict=False)

    def inside(v: Any) -> bool:
        if not isinstance(v, str):
            return False
        try:
            candidate = ipaddress.ip_address(v)
        except ValueError:
            return False
        return candidate.version == network.version and candidate in network

    return inside


# ------------------------------------------------------------------ anything-but

_ANYTHING_BUT_VALUE = "Value of anything-but must be an array or single string/number value."
_IGNORE_CASE_TYPES = "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."


def _strings(value: Any, message: str) -> list[str]:
    """A string, or a non-empty list of strings, as the inner operators of anything-but take."""
    if isinstance(value, dict):
        raise PatternError(_ANYTHING_BUT_VALUE)
    if isinstance(value, list):
        if not value:
            raise PatternError("Empty arrays are not allowed")
        return [_string(item, message) for item in value]
    return [_string(value, message)]


def _anything_but_values(value: Any) -> Test:
    """``"x"``, ``123``, or a list of all strings or all numbers."""
    if isinstance(value, list):
        if any(not isinstance(item, str) and not is_number(item) for item in value):
            raise PatternError("Inside anything but list, start|null|boolean is not supported.")
        kinds = {isinstance(item, str) for item in value}
        if len(kinds) != 1:
            raise PatternError("Inside anything but list, either all values are number or string, "
                               "mixed type is not supported")
        items = value
    elif isinstance(value, str) or is_number(value):
        items = [value]
    else:
        raise PatternError(_ANYTHING_BUT_VALUE)
    if isinstance(items[0], str):
        texts = frozenset(items)
        return lambda v: not (isinstance(v, str) and v in texts)
    numbers = frozenset(double(item) for item in items)
    return lambda v: not (is_number(v) and double(v) in numbers)


def anything_but(value: Any) -> Test:
    """Every form AWS documents: values, ``prefix``, ``suffix``, ``equals-ignore-case`` and
    ``wildcard`` (each with one string or a list of them)."""
    if not isinstance(value, dict):
        return _anything_but_values(value)
    if not value:
        raise PatternError("Anything-But expression name not found")
    operator = next(iter(value))
    inner = value[operator]
    if operator in ("prefix", "suffix"):
        affixes = _strings(inner, "prefix/suffix match pattern must be a string")
        if any(not affix for affix in affixes):
            raise PatternError("Null prefix/suffix not allowed")
        only_one_key(value)
        starts = tuple(affixes)
        if operator == "prefix":
            return lambda v: not (isinstance(v, str) and v.startswith(starts))
        return lambda v: not (isinstance(v, str) and v.endswith(starts))
    if operator == "equals-ignore-case":
        if isinstance(inner, dict):
            raise PatternError(_ANYTHING_BUT_VALUE)
        folded = frozenset(text.lower() for text in _strings(inner, _IGNORE_CASE_TYPES))
        only_one_key(value, "Too many elements in numeric expression")
        return lambda v: not (isinstance(v, str) and v.lower() in folded)
    if operator == "wildcard":
        regexes = [wildcard_regex(text).fullmatch
                   for text in _strings(inner, "wildcard match pattern must be a string")]
        only_one_key(value)
        return lambda v: not (isinstance(v, str) and any(full(v) is not None for full in regexes))
    raise PatternError(f"Unsupported anything-but pattern: {operator}")
