"""Values of a criterion beyond exact ones, and the SQL that matches them.

A :class:`Pattern` is literal text with :class:`Wildcard` markers (any run of characters;
one character or none); a :class:`Between` a span of numbers; a :class:`TimeText` a
pattern met by a column of times written as ISO-8601 UTC text with milliseconds
(:class:`IsoTime`, :func:`iso_time`). :func:`pattern_clause` writes a criterion's values
as one clause: exact values as ``=``/``IN`` (an index serves them), spans as a range (an
index serves it too), patterns as case-sensitive ``LIKE`` texts — a run of ``n`` optional
characters spelled ``n + 1`` ways — or, past :data:`MAX_LIKE_SPELLINGS`, as a regular
expression both SQLite (``REGEXP``, registered by SQLAlchemy's driver) and PostgreSQL
(``~``) read alike. :func:`value_matches` answers the same for a value in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class Wildcard(Enum):
    ANY = "any"  # any run of characters, the empty one included
    OPTIONAL = "optional"  # one character or none


@dataclass(frozen=True)
class Pattern:
    """Text with wildcards: literal pieces and :class:`Wildcard` markers, in order."""

    parts: tuple[str | Wildcard, ...]


@dataclass(frozen=True)
class Between:
    """A number from ``low`` (included) to ``high`` (excluded): a span of stored times."""

    low: float
    high: float


@dataclass(frozen=True)
class TimeText:
    """A :class:`Pattern` met by a column of times (seconds since the epoch) written as
    ISO-8601 UTC text with milliseconds (``2021-09-29T11:04:43.305Z``)."""

    pattern: Pattern


# A pattern whose optional characters would take more ``LIKE`` spellings than this is
# matched by a regular expression instead (SQLite's ``REGEXP``, PostgreSQL's ``~``).
MAX_LIKE_SPELLINGS = 16


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_spellings(pattern: Pattern) -> list[str] | None:
    """The ``LIKE`` texts that together match ``pattern``, literal pieces escaped with
    ``\\``: a run of ``n`` optional characters is spelled ``n + 1`` ways (none to ``n``
    ``_``), one beside an ``ANY`` is absorbed by it; ``None`` when that makes more than
    :data:`MAX_LIKE_SPELLINGS`."""
    parts = pattern.parts
    spellings = [""]
    index = 0
    while index < len(parts):
        part = parts[index]
        if part is Wildcard.OPTIONAL:
            end = index
            while end < len(parts) and parts[end] is Wildcard.OPTIONAL:
                end += 1
            beside_any = (index > 0 and parts[index - 1] is Wildcard.ANY) or (
                end < len(parts) and parts[end] is Wildcard.ANY)
            runs = [""] if beside_any else ["_" * count for count in range(end - index + 1)]
            spellings = [spelling + run for spelling in spellings for run in runs]
            if len(spellings) > MAX_LIKE_SPELLINGS:
                return None
            index = end
            continue
        text = "%" if part is Wildcard.ANY else _escaped(str(part))
        spellings = [spelling + text for spelling in spellings]
        index += 1
    return spellings


def _regex_text(pattern: Pattern) -> str:
    """A regular expression both Python and PostgreSQL read alike for ``pattern``."""
    pieces = {Wildcard.ANY: ".*", Wildcard.OPTIONAL: ".?"}
    body = "".join(pieces[part] if isinstance(part, Wildcard) else re.escape(part) for part in pattern.parts)
    return f"(?s)\\A{body}\\Z"


def _pattern_clause(column: sa.ColumnElement[Any], pattern: Pattern) -> sa.ColumnElement[bool]:
    spellings = _like_spellings(pattern)
    if spellings is None:
        return column.regexp_match(_regex_text(pattern))
    likes = [column.like(spelling, escape="\\") for spelling in spellings]
    return sa.or_(*likes) if len(likes) > 1 else likes[0]


class IsoTime(FunctionElement[str]):
    """A column of seconds since the epoch as ISO-8601 UTC text with milliseconds."""

    name = "iso_time"
    inherit_cache = True
    type = sa.String()


@compiles(IsoTime)
def compile_iso_time(element: IsoTime, compiler: Any, **kw: Any) -> str:
    micros = f"CAST(round(({compiler.process(element.clauses, **kw)}) * 1000000) AS BIGINT)"
    return (f"to_char(to_timestamp({micros} / 1000000) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || '.' || lpad(CAST(mod({micros} / 1000, 1000) AS TEXT), 3, '0') || 'Z'")


@compiles(IsoTime, "sqlite")
def compile_iso_time_sqlite(element: IsoTime, compiler: Any, **kw: Any) -> str:
    micros = f"CAST(round(({compiler.process(element.clauses, **kw)}) * 1000000) AS INTEGER)"
    return (f"strftime('%Y-%m-%dT%H:%M:%S', {micros} / 1000000, 'unixepoch')"
            f" || '.' || printf('%03d', ({micros} / 1000) % 1000) || 'Z'")


def iso_time(value: float) -> str:
    """``value`` (seconds since the epoch) as :class:`IsoTime` writes it."""
    micros = round(value * 1000000)
    moment = dt.datetime.fromtimestamp(micros // 1000000, dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{micros // 1000 % 1000:03d}Z"


def pattern_clause(column: sa.ColumnElement[Any], patterns: Iterable[Any]) -> sa.ColumnElement[bool]:
    values = list(patterns)
    exact = [p for p in values if not isinstance(p, Pattern | Between | TimeText)]
    clauses: list[sa.ColumnElement[bool]] = []
    if exact:
        clauses.append(column == exact[0] if len(exact) == 1 else column.in_(exact))
    for value in values:
        if isinstance(value, Pattern):
            clauses.append(_pattern_clause(column, value))
        elif isinstance(value, Between):
            clauses.append(sa.and_(column >= value.low, column < value.high))
        elif isinstance(value, TimeText):
            clauses.append(_pattern_clause(IsoTime(column), value.pattern))
    if not clauses:
        return sa.false()
    return sa.or_(*clauses) if len(clauses) > 1 else clauses[0]


def value_matches(pattern: Any, value: Any) -> bool:
    """Whether a criterion's value (exact or a :class:`Pattern`) matches ``value``."""
    if isinstance(pattern, Between):
        return isinstance(value, int | float) and pattern.low <= value < pattern.high
    if isinstance(pattern, TimeText):
        if not isinstance(value, int | float):
            return False
        value, pattern = iso_time(value), pattern.pattern
    if not isinstance(pattern, Pattern):
        return bool(pattern == value)
    if not isinstance(value, str):
        return False
    return re.match(_regex_text(pattern), value) is not None
