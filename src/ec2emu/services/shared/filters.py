"""EC2 ``Filter.N`` semantics shared by every Describe call.

Values within one filter are OR'd, separate filters are AND'd, and values may use the
``*`` and ``?`` wildcards. An unknown filter name answers ``InvalidParameterValue``
("The filter 'x' is invalid"), as EC2 does. Two ways in: :func:`store_matches` turns
filters into the store's neutral criteria for resources kept in the database (so
indexes serve them: EC2's ``tag:<Key>``, ``tag-key`` and ``tag-value`` become tag
criteria, a value with wildcards a :class:`~ec2emu.store.queries.Pattern`, see
:func:`store_values`), and :func:`apply_filters` filters small in-memory catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ec2emu.errors import filter_value_too_long, invalid_filter, invalid_parameter_value, too_many_filter_values
from ec2emu.store.queries import TAG_KEY, TAG_VALUE, Match, Pattern, Wildcard

Extractor = Callable[[dict[str, Any]], Iterable[Any]]

MAX_FILTER_VALUES = 200
MAX_FILTER_VALUE_LENGTH = 255


def normalized(filters: list[dict[str, Any]] | None) -> list[tuple[str, tuple[str, ...]]]:
    """``[(name, values)]`` with every filter checked to have a name and values.

    EC2's limits apply: at most 200 values across all filters of one call, each at most
    255 characters (``FilterLimitExceeded`` otherwise).
    """
    result = []
    total = 0
    for item in filters or []:
        name = item.get("Name")
        if not name:
            raise invalid_parameter_value("The filter name must not be empty")
        values = tuple(item.get("Values") or ())
        if not values:
            raise invalid_parameter_value(f"The filter '{name}' requires at least one value")
        total += len(values)
        if total > MAX_FILTER_VALUES:
            raise too_many_filter_values(MAX_FILTER_VALUES)
        if any(len(value) > MAX_FILTER_VALUE_LENGTH for value in values):
            raise filter_value_too_long(MAX_FILTER_VALUE_LENGTH)
        result.append((name, values))
    return result


def wildcard_match(pattern: str, value: str) -> bool:
    """EC2 wildcard match: ``*`` any run, ``?`` one character, everything else literal."""
    if "*" not in pattern and "?" not in pattern:
        return pattern == value
    regex = "".join(
        ".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern
    )
    return re.fullmatch(regex, value, re.DOTALL) is not None


_WILDCARDS = {"*": Wildcard.ANY, "?": Wildcard.ONE}
_SPLIT = re.compile(r"([*?])")


def store_value(value: str) -> str | Pattern:
    """An EC2 filter value as the store matches it: the text itself, or a
    :class:`Pattern` when it holds ``*`` or ``?``."""
    if "*" not in value and "?" not in value:
        return value
    return Pattern(tuple(_WILDCARDS.get(piece, piece) for piece in _SPLIT.split(value) if piece))


def store_values(values: Iterable[str]) -> tuple[str | Pattern, ...]:
    return tuple(store_value(value) for value in values)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class FilterSpec:
    """Filter names of one in-memory resource kind and how to read their values.

    ``tag:<Key>``, ``tag-key`` and ``tag-value`` are understood when ``tags`` is given
    (a function returning the resource's ``[{"Key", "Value"}]``).
    """

    def __init__(
        self,
        extractors: Mapping[str, Extractor],
        tags: Callable[[dict[str, Any]], list[dict[str, str]]] | None = None,
    ) -> None:
        self.extractors = extractors
        self.tags = tags

    def values_for(self, name: str, item: dict[str, Any]) -> list[str]:
        if self.tags is not None:
            if name.startswith("tag:"):
                key = name[4:]
                return [t["Value"] for t in self.tags(item) if t["Key"] == key]
            if name == "tag-key":
                return [t["Key"] for t in self.tags(item)]
            if name == "tag-value":
                return [t["Value"] for t in self.tags(item)]
        return [_text(v) for v in self.extractors[name](item) if v is not None]

    def knows(self, name: str) -> bool:
        if name in self.extractors:
            return True
        return self.tags is not None and (
            name.startswith("tag:") or name in ("tag-key", "tag-value")
        )


def apply_filters(
    spec: FilterSpec, items: list[dict[str, Any]], filters: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    checked = normalized(filters)
    for name, _ in checked:
        if not spec.knows(name):
            raise invalid_filter(name)
    return [
        item
        for item in items
        if all(
            any(wildcard_match(p, v) for p in patterns for v in spec.values_for(name, item))
            for name, patterns in checked
        )
    ]


def store_matches(
    filters: list[dict[str, Any]] | None,
    fields: dict[str, str | Callable[[tuple[str, ...]], Match]],
) -> list[Match]:
    """Store criteria for ``filters``: ``fields`` maps a filter name to a column name or
    to a function building the criterion; tag filters are always understood."""
    matches = []
    for name, values in normalized(filters):
        if name.startswith("tag:") and len(name) > 4:
            matches.append(Match(TAG_VALUE, store_values(values), tag=name[4:]))
        elif name == "tag-key":
            matches.append(Match(TAG_KEY, store_values(values)))
        elif name == "tag-value":
            matches.append(Match(TAG_VALUE, store_values(values)))
        elif name in fields:
            target = fields[name]
            matches.append(Match(target, store_values(values)) if isinstance(target, str) else target(values))
        else:
            raise invalid_filter(name)
    return matches


def keep_matching(
    find: Callable[[list[Match]], list[dict[str, Any]]],
    key: str,
    unique: list[str],
    matches: list[Match],
) -> list[str]:
    """The named resources ``unique`` (in order) that also match every criterion, looked
    up by ID through a repository's ``find``."""
    if not matches:
        return unique
    matching = {row[key] for row in find([*matches, Match(key, tuple(unique))])}
    return [value for value in unique if value in matching]
