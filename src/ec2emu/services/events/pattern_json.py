"""Reading an event pattern's JSON text, and refusing text that is not JSON with the
reasons AWS's JSON reader gives (``Unexpected character ('''' (code 39)): was expecting
double-quote to start field name``, ``Unrecognized token 'x': ...``), followed by the
location suffix ``\\n at [Source: (String)"<text>"; line: L, column: C]`` (text past 500
characters is cut and counted, as that reader does).

Objects are handed to the caller's pair type (members in order, repeated keys kept);
text after the first complete value is ignored; ``NaN`` and ``Infinity``, which Python's
reader would take, are refused. The wording for faults other than the common ones
(an unterminated string, a bad escape, a control character) is ours.
"""

from __future__ import annotations

import json
from typing import Any

from ec2emu.services.events.pattern_values import PatternError

_SOURCE_LIMIT = 500
_VALUE_KINDS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


class _NonStandard(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonStandard(name)


def _location(text: str, position: int) -> str:
    """The suffix naming ``position`` (a 0-based index) as a 1-based line and column."""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    shown = text[:_SOURCE_LIMIT]
    cut = f"[truncated {len(text) - _SOURCE_LIMIT} chars]" if len(text) > _SOURCE_LIMIT else ""
    return f'\n at [Source: (String)"{shown}"{cut}; line: {line}, column: {column}]'


def _character(char: str) -> str:
    return f"'{char}' (code {ord(char)})"


def _container(text: str, position: int) -> str:
    """Whether ``position`` lies in an array or an object (a scan that skips strings)."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text[:position]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return "Array" if stack and stack[-1] == "[" else "Object"


def _reason(error: json.JSONDecodeError, text: str) -> tuple[str, int]:
    """AWS's wording for a JSON fault and the index of the character its location names."""
    position = error.pos
    char = text[position] if position < len(text) else ""
    message = error.msg
    if not char:
        return f"Unexpected end-of-input: expected close marker for {_container(text, position)}", position
    if message.startswith("Expecting property name"):
        return f"Unexpected character ({_character(char)}): was expecting double-quote to start field name", \
            position
    if message.startswith("Expecting value"):
        if char.isalpha():
            end = position
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            return f"Unrecognized token '{text[position:end]}': was expecting {_VALUE_KINDS}", end
        return f"Unexpected character ({_character(char)}): expected a valid value {_VALUE_KINDS}", position
    if message.startswith("Expecting ',' delimiter"):
        kind = _container(text, position)
        return (f"Unexpected character ({_character(char)}): was expecting comma to separate {kind} entries",
                position)
    if message.startswith("Expecting ':' delimiter"):
        return (f"Unexpected character ({_character(char)}): was expecting a colon to separate field name "
                "and value"), position
    return f"Malformed JSON: {message}", position


def read_pattern_json(text: str, pairs: type[list[tuple[str, Any]]]) -> Any:
    decoder = json.JSONDecoder(object_pairs_hook=pairs, parse_constant=_reject_constant)
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if start == len(text):
        raise PatternError("Filter is not an object" + _location(text, len(text)))
    try:
        document, _ = decoder.raw_decode(text, start)
    except _NonStandard as error:
        raise PatternError(f"Non-standard token '{error}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS "
                           f"to allow{_location(text, text.find(str(error)) + len(str(error)))}") from None
    except json.JSONDecodeError as error:
        reason, position = _reason(error, text)
        raise PatternError(reason + _location(text, position)) from None
    if not isinstance(document, pairs):
        raise PatternError("Filter is not an object" + _location(text, start + 1))
    return document
