"""Wildcard values of event patterns: checking their text, turning them into anchored
regular expressions, and measuring how complex the wildcards of one field are.

``*`` spans any run of characters (``/`` included), ``\\*`` is a literal star, ``\\\\``
a literal backslash; any other escape, and two stars in a row, are refused with AWS's
reasons (positions count UTF-8 bytes; for two stars AWS names the second).

Complexity is the measure AWS describes for its matcher: the largest number of
wildcard-pattern states one input value can hold active at once, summed over all the
``wildcard`` values of one field. It is found here by running every value's automaton
(one state per literal byte position, a state after a star looping on any byte) over
the inputs that matter: each byte the literals use, and one byte they do not. AWS does
not publish its bound; ``MAX_COMPLEXITY`` is set so that AWS's documented accepted
wildcards pass and the ones AWS is recorded refusing (``*:*:*:*:*:event-bus/*`` alone;
``*.bif``, ``*.tiff``, ``*.tif`` and ``*.svs`` on one field) do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ec2emu.services.events.pattern_values import PatternError

MAX_COMPLEXITY = 5
_SUBSETS_EXPLORED = 4096
TOO_COMPLEX = ("Rule is too complex - try using fewer wildcard characters or fewer repeating character "
               "sequences after a wildcard character")


@dataclass(frozen=True)
class Wildcard:
    """A checked wildcard value: its regular expression, its literal bytes, and the byte
    positions a star precedes (where its automaton loops)."""

    regex: re.Pattern[str]
    literal: bytes
    loops: frozenset[int]


def parse(text: str) -> Wildcard:
    raw = text.encode("utf-8", "surrogatepass")
    parts: list[str] = []
    literal = bytearray()
    loops: set[int] = set()
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte == 0x2A:  # '*'
            if i + 1 < len(raw) and raw[i + 1] == 0x2A:
                raise PatternError(f"Consecutive wildcard characters at pos {i + 1}")
            parts.append(".*")
            loops.add(len(literal))
            i += 1
            continue
        if byte == 0x5C:  # '\'
            if i + 1 < len(raw) and raw[i + 1] in (0x2A, 0x5C):
                parts.append(re.escape(chr(raw[i + 1])))
                literal.append(raw[i + 1])
                i += 2
                continue
            raise PatternError(f"Invalid escape character at pos {i}")
        start = i
        while i < len(raw) and raw[i] not in (0x2A, 0x5C):
            i += 1
        parts.append(re.escape(raw[start:i].decode("utf-8", "surrogatepass")))
        literal.extend(raw[start:i])
    return Wildcard(re.compile("".join(parts), re.DOTALL), bytes(literal), frozenset(loops))


def complexity(wildcards: list[Wildcard]) -> int:
    """The most states the wildcards' automata hold at once for any input (explored
    until it passes ``MAX_COMPLEXITY``)."""
    if not wildcards:
        return 0
    alphabet: set[int | None] = {byte for wildcard in wildcards for byte in wildcard.literal}
    alphabet.add(None)  # a byte no literal uses
    start = frozenset((index, 0) for index in range(len(wildcards)))
    seen = {start}
    pending = [start]
    most = len(start)
    while pending and len(seen) < _SUBSETS_EXPLORED and most <= MAX_COMPLEXITY:
        states = pending.pop()
        for byte in alphabet:
            following: set[tuple[int, int]] = set()
            for index, position in states:
                wildcard = wildcards[index]
                if position in wildcard.loops:
                    following.add((index, position))
                if position < len(wildcard.literal) and wildcard.literal[position] == byte:
                    following.add((index, position + 1))
            if not following:
                continue
            subset = frozenset(following)
            most = max(most, len(subset))
            if subset not in seen:
                seen.add(subset)
                pending.append(subset)
    return most


def too_complex(wildcards: list[Wildcard]) -> bool:
    return complexity(wildcards) > MAX_COMPLEXITY
