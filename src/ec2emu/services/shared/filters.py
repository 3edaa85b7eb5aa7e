"""EC2 ``Filter.N``: from a request's filters to the neutral criteria of a query, and
those criteria matched on resources held in memory.

Values within one filter are OR'd, separate filters are AND'd, and values may use the
``*`` and ``?`` wildcards: ``*`` stands for any run of characters (none included) and
``?`` for one character or none, as EC2's user guide documents it (``web-?`` matches
``web-1`` and ``web-``). A backslash makes the next ``*``, ``?`` or ``\\`` literal
(``\\*amazon\\?\\\\`` matches the text ``*amazon?\\``); a backslash before any other
character, or at the end, is itself (AWS leaves this open; the user's text is kept). Values
are case-sensitive. An unknown filter name answers ``InvalidParameterValue``
("The filter 'x' is invalid"), as EC2 does. :func:`criteria` turns filters into
:class:`~ec2emu.store.queries.Match` criteria through a family's filter table, which
maps a filter name to a field — a stored column, or a dotted path into an in-memory view
(``"NetworkInfo.EnaSupport"``) — or to a function building the criterion (none: the
filter holds for every resource) from the values, or from the request and the values
(:class:`InContext`); builders for booleans, whole numbers, times (:func:`times`),
what every resource shows alike (:func:`constant`) and texts a column implies
(:func:`chosen`) are here. EC2's
``tag:<Key>``, ``tag-key`` and ``tag-value`` become tag criteria (:func:`resource_tags`)
where the family has tags, and a value with wildcards a
:class:`~ec2emu.store.queries.Pattern` (:func:`store_values`). The store matches the
criteria on its indexes; :func:`matching` matches the same criteria on views held in
memory (the built-in catalogues, or filters that only a view can answer).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ec2emu.errors import filter_value_too_long, invalid_filter, invalid_parameter_value, too_many_filter_values
from ec2emu.protocol.scalars import ScalarError, integer_values, parse_iso_datetime
from ec2emu.store.queries import TAG_KEY, TAG_VALUE, Between, Match, Pattern, TimeText, Wildcard

# A builder's ``None``: the filter holds for every resource (no criterion).
Builder = Callable[[tuple[str, ...]], "Match | None"]


@dataclass(frozen=True)
class InContext:
    """A builder that needs the request (its region, say): ``build(ctx, values)``."""

    build: Callable[[Any, tuple[str, ...]], Match | None]


# Filter name -> the field it matches (a column, or a path into a view), or a builder.
FilterTable = Mapping[str, "str | Builder | InContext"]
# How a tag filter (its name and values) becomes criteria; ``None`` for another filter.
TagRule = Callable[[str, tuple[str, ...]], "list[Match] | None"]
Extractor = Callable[[Any], Iterable[Any]]
Checked = list[tuple[str, tuple[str, ...]]]

MAX_FILTER_VALUES = 200
MAX_FILTER_VALUE_LENGTH = 255


def normalized(filters: list[dict[str, Any]] | None) -> Checked:
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


_WILDCARDS = {"*": Wildcard.ANY, "?": Wildcard.OPTIONAL}
# An escaped wildcard or backslash (group 1: the literal), or a wildcard (group 2).
_TOKENS = re.compile(r"\\([*?\\])|([*?])")


def store_value(value: str) -> str | Pattern:
    """An EC2 filter value as the store matches it: the text itself (escapes read), or a
    :class:`Pattern` when it holds an unescaped ``*`` or ``?``."""
    if "*" not in value and "?" not in value and "\\" not in value:
        return value
    parts: list[str | Wildcard] = []
    literal: list[str] = []
    position = 0
    for token in _TOKENS.finditer(value):
        literal.append(value[position:token.start()])
        position = token.end()
        if token.group(1) is not None:
            literal.append(token.group(1))
            continue
        if any(literal):
            parts.append("".join(literal))
        literal = []
        parts.append(_WILDCARDS[token.group(2)])
    literal.append(value[position:])
    text = "".join(literal)
    if not any(isinstance(part, Wildcard) for part in parts):
        return text
    if text:
        parts.append(text)
    return Pattern(tuple(parts))


def store_values(values: Iterable[str]) -> tuple[str | Pattern, ...]:
    return tuple(store_value(value) for value in values)


# --------------------------------------------------------------------------- filters to criteria


def resource_tags(name: str, values: tuple[str, ...]) -> list[Match] | None:
    """EC2's tag filters of a resource: ``tag:<Key>`` (that key's values), ``tag-key``
    and ``tag-value``."""
    if name.startswith("tag:") and len(name) > 4:
        return [Match(TAG_VALUE, store_values(values), tag=name[4:])]
    if name == "tag-key":
        return [Match(TAG_KEY, store_values(values))]
    if name == "tag-value":
        return [Match(TAG_VALUE, store_values(values))]
    return None


def criteria(checked: Checked, table: FilterTable, tags: TagRule | None = resource_tags,
             ctx: Any = None) -> list[Match]:
    """The criteria of normalized filters: ``table`` gives each name's field or builder,
    ``tags`` the tag filters understood (none for ``None``); ``ctx``: the request, for
    builders :class:`InContext`."""
    matches: list[Match] = []
    for name, values in checked:
        tagged = None if tags is None else tags(name, values)
        if tagged is not None:
            matches += tagged
        elif name in table:
            target = table[name]
            built = (Match(target, store_values(values)) if isinstance(target, str)
                     else target.build(ctx, values) if isinstance(target, InContext) else target(values))
            if built is not None:
                matches.append(built)
        else:
            raise invalid_filter(name)
    return matches


def nothing(field: str) -> Match:
    """A criterion nothing meets (no ID or value is ``-``): a filter value that cannot match."""
    return Match(field, ("-",))


def booleans(column: str, id_field: str) -> Builder:
    """A filter of ``true``/``false`` on a boolean column; other values match nothing."""

    def build(values: tuple[str, ...]) -> Match:
        wanted = tuple({"true": True, "false": False}[v] for v in values if v in ("true", "false"))
        return Match(column, wanted) if wanted else nothing(id_field)

    return build


def integers(column: str, id_field: str) -> Builder:
    """A filter of whole numbers on a numeric column; other values match nothing."""

    def build(values: tuple[str, ...]) -> Match:
        wanted = integer_values(values, 0)
        return Match(column, wanted) if wanted else nothing(id_field)

    return build


def met_by(values: tuple[str, ...], candidate: str) -> bool:
    """Whether one of a filter's values (wildcards and escapes read) meets ``candidate``."""
    return any(_meets(value, candidate) for value in store_values(values))


def constant(shown: str, id_field: str) -> Builder:
    """A filter on what every resource of the family shows alike (``xen``): all of them
    when a value meets it, none otherwise."""

    def build(values: tuple[str, ...]) -> Match | None:
        return None if met_by(values, shown) else nothing(id_field)

    return build


def chosen(column: str, id_field: str, shown: Mapping[str, Any]) -> Builder:
    """A filter on a text a column's value implies (``shown``: text -> the stored value):
    the resources whose column holds a value whose text a filter value meets."""

    def build(values: tuple[str, ...]) -> Match | None:
        wanted = tuple(stored for text, stored in shown.items() if met_by(values, text))
        if len(set(wanted)) == len(set(shown.values())):
            return None
        return Match(column, wanted) if wanted else nothing(id_field)

    return build


def _time_span(value: str) -> Between | None:
    """The span of stored times an ISO-8601 value names: the millisecond (or the second,
    when written without a fraction) it names; ``None`` for text that is no time."""
    try:
        moment = parse_iso_datetime(value)
    except ScalarError:
        return None
    start = moment.timestamp()
    step = 0.001 if "." in value else 1.0
    start = round(start / step) * step
    return Between(start - 0.0000005, start + step - 0.0000005)


# A time's leading fields as EC2 writes it, each with the separator that follows it.
_TIME_PREFIX = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2})(?::([0-9]{2}))?)?)?)?([-T:]?)")
_NEXT_SEPARATOR = ("-", "-", "T", ":", ":")


def _prefix_span(pattern: Pattern) -> Between | None:
    """The span of times a value of whole leading fields and a final ``*`` names
    (``2021-09-29T*``: that day), so that an index serves it; ``None`` for another pattern."""
    parts = pattern.parts
    if len(parts) != 2 or not isinstance(parts[0], str) or parts[1] is not Wildcard.ANY:
        return None
    found = _TIME_PREFIX.fullmatch(parts[0])
    if found is None:
        return None
    fields = [int(group) for group in found.groups()[:5] if group is not None]
    if found.group(6) not in ("", _NEXT_SEPARATOR[len(fields) - 1]):
        return None
    year, month, day, hour, minute = [*fields, *(1, 1, 0, 0)[len(fields) - 1:]]
    try:
        start = dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    if len(fields) == 1:
        end = start.replace(year=start.year + 1)
    elif len(fields) == 2:
        end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    else:
        end = start + (dt.timedelta(days=1), dt.timedelta(hours=1), dt.timedelta(minutes=1))[len(fields) - 3]
    return Between(start.timestamp() - 0.0000005, end.timestamp() - 0.0000005)


def times(column: str, id_field: str) -> Builder:
    """A filter on a time column: a value with wildcards meets the time written as EC2
    writes it (``2021-09-29T11:04:43.305Z``, so ``2021-09-29T*`` is a whole day: a value
    of whole leading fields and a final ``*`` is that span, which an index serves); one
    without is read as an ISO-8601 time and meets the millisecond it names (the whole
    second when it has no fraction); text that is no time meets nothing."""

    def build(values: tuple[str, ...]) -> Match:
        wanted: list[Any] = []
        for value in store_values(values):
            if isinstance(value, Pattern):
                wanted.append(_prefix_span(value) or TimeText(value))
            elif (span := _time_span(value)) is not None:
                wanted.append(span)
        return Match(column, tuple(wanted)) if wanted else nothing(id_field)

    return build


# --------------------------------------------------------------------------- criteria in memory


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def values_at(item: Any, path: str) -> list[Any]:
    """The values at a dotted path into a view, lists along the way walked into; a
    missing member gives none."""
    found = [item]
    for step in path.split("."):
        below: list[Any] = []
        for value in found:
            inner = value.get(step) if isinstance(value, Mapping) else None
            below.extend(inner if isinstance(inner, list) else [inner])
        found = below
    return [value for value in found if value is not None]


@cache
def _regex(pattern: Pattern) -> re.Pattern[str]:
    parts = {Wildcard.ANY: ".*", Wildcard.OPTIONAL: ".?"}
    return re.compile(
        "".join(parts[part] if isinstance(part, Wildcard) else re.escape(part) for part in pattern.parts),
        re.DOTALL,
    )


def _meets(pattern: Any, text: str) -> bool:
    """Whether a value's text meets a criterion's value: a pattern, or a value compared as
    text (``True`` as ``"true"``, as a boolean builder's criterion meets a view)."""
    if isinstance(pattern, Pattern):
        return _regex(pattern).fullmatch(text) is not None
    return _text(pattern) == text


def _values(item: Any, match: Match, computed: Mapping[str, Extractor]) -> list[str]:
    if match.field in (TAG_KEY, TAG_VALUE):
        tags = item.get("Tags") or []
        if match.field == TAG_KEY:
            return [tag["Key"] for tag in tags]
        return [tag["Value"] for tag in tags if match.tag is None or tag["Key"] == match.tag]
    extract = computed.get(match.field)
    found = values_at(item, match.field) if extract is None else [v for v in extract(item) if v is not None]
    return [_text(value) for value in found]


def matching(items: list[Any], matches: list[Match], computed: Mapping[str, Extractor] | None = None) -> list[Any]:
    """The views meeting every criterion, in order: a criterion's field is a path into the
    view (its ``Tags`` for tag criteria) or one of ``computed``'s fields."""
    if not matches:
        return items
    fields = computed or {}
    return [
        item for item in items
        if all(any(_meets(p, v) for v in _values(item, m, fields) for p in m.patterns) for m in matches)
    ]
