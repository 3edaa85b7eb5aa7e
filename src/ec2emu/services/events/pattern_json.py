"""Reading an event pattern's JSON text: :func:`check_json` refuses text that is not
JSON with the reasons AWS's JSON reader gives (``Unexpected character (''' (code 39)):
was expecting double-quote to start field name``, ``Unrecognized token 'x': ...``),
followed by the location suffix ``\\n at [Source: (String)"<text>"; line: L, column: C]``
(:func:`location`; text past 500 characters is cut and counted, as that reader does);
:class:`Tokens` then reads the checked text token by token, standing where AWS's reader
stands.

Text after the first complete value is ignored, as AWS's reader ignores it; ``NaN`` and
``Infinity``, which Python's reader would take, are refused. The wording for faults other
than the common ones (an unterminated string, a bad escape, a control character) is ours.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ec2emu.services.events.pattern_values import PatternError

# A JSON number, in ASCII digits only (``json.scanner``'s own pattern takes any script's
# digits after the first).
NUMBER_RE = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SOURCE_LIMIT = 500
_VALUE_KINDS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


class _NonStandard(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonStandard(name)


def location(text: str, position: int) -> str:
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
    # Faults inside a string, which AWS's reader finds only when it reads the string through.
    if message.startswith("Unterminated string"):
        return "Unexpected end-of-input: was expecting closing quote for a string value", len(text)
    if message.startswith("Invalid control character"):
        return (f"Illegal unquoted character ((CTRL-CHAR, code {ord(char)})): has to be escaped using backslash "
                "to be included in string value"), position
    if message.startswith("Invalid \\escape") and position + 1 < len(text):
        return f"Unrecognized character escape {_character(text[position + 1])}", position + 1
    return f"Malformed JSON: {message}", position


def check_json(text: str) -> int:
    """Refuses text that is not JSON as AWS words it (the refusal's ``position`` is the
    fault's index); returns where the value starts."""
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if start == len(text):
        raise PatternError("Filter is not an object" + location(text, len(text)))
    try:
        decoder.raw_decode(text, start)
    except _NonStandard as error:
        position = text.find(str(error), start) + len(str(error))
        raise PatternError(f"Non-standard token '{error}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS "
                           f"to allow{location(text, position)}", position) from None
    except json.JSONDecodeError as error:
        reason, position = _reason(error, text)
        raise PatternError(reason + location(text, position), position) from None
    return start


# ------------------------------------------------------------------ tokens

START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY = "{", "}", "[", "]"
FIELD, STRING, NUMBER, LITERAL = "field", "string", "number", "literal"
_LITERALS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}
_WHITESPACE = " \t\r\n"


_STRING_BODY = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)


def _read_string(text: str, after_quote: int) -> tuple[str, int]:
    """A string's value and the index after its closing quote."""
    match = _STRING_BODY.match(text, after_quote)
    if match is None:
        raise ValueError("unterminated string")
    return json.loads(text[after_quote - 1:match.end()]), match.end()


class Tokens:
    """The tokens of JSON text already known to be well formed, read one at a time with
    the position AWS's reader reports: a field name is read together with the start of
    its value (a whole number or literal, a bracket, or a string's opening quote); a
    string's characters are passed over only when its text is asked for or the next
    token is read. :meth:`barf` refuses the pattern naming that position."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start
        self.kind = ""
        self.value: Any = None
        self._raw = ""
        self._contexts: list[str] = []
        self._pending: tuple[str, Any, str] | None = None
        self._string_open: int | None = None  # just past the opening quote of a string not yet read

    def barf(self, reason: str) -> PatternError:
        return PatternError(reason + location(self.text, self.pos), self.pos)

    def string(self) -> str:
        """The current string token's text (reading it moves past its closing quote)."""
        if self._string_open is not None:
            self.value, self.pos = _read_string(self.text, self._string_open)
            self._string_open = None
        return str(self.value)

    def raw(self) -> str:
        """The current token's text as AWS's reader gives it for messages."""
        return self.string() if self.kind == STRING else self._raw

    def _skip(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        self.pos = pos

    def _value_start(self) -> tuple[str, Any, str]:
        text = self.text
        char = text[self.pos]
        if char in "{[":
            self.pos += 1
            self._contexts.append(char)
            return char, None, char
        if char == '"':
            self.pos += 1
            self._string_open = self.pos
            return STRING, None, ""
        if char in _LITERALS:
            word, literal = _LITERALS[char]
            if not text.startswith(word, self.pos):
                raise ValueError("not a JSON literal")
            self.pos += len(word)
            return LITERAL, literal, word
        match = NUMBER_RE.match(text, self.pos)
        if match is None:
            raise ValueError("not a JSON value")
        integer, fraction, exponent = match.groups()
        self.pos = match.end()
        number = float(match.group()) if fraction or exponent else int(integer)
        return NUMBER, number, match.group()

    def next(self) -> str:
        if self._pending is not None:
            self.kind, self.value, self._raw = self._pending
            self._pending = None
            return self.kind
        if self._string_open is not None:
            self.string()
        self._skip()
        if self._contexts:
            if self.text[self.pos] == ",":
                self.pos += 1
                self._skip()
            char = self.text[self.pos]
            if char in "}]":
                self.pos += 1
                self._contexts.pop()
                self.kind, self.value, self._raw = char, None, char
                return char
            if self._contexts[-1] == "{":
                name, end = _read_string(self.text, self.pos + 1)
                self.pos = end
                self._skip()
                self.pos += 1  # the colon
                self._skip()
                self._pending = self._value_start()
                self.kind, self.value, self._raw = FIELD, name, name
                return FIELD
        self.kind, self.value, self._raw = self._value_start()
        return self.kind
