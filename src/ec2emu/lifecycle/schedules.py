"""Schedule expressions of EventBridge's scheduled rules: parsing ``rate(…)`` and
``cron(…)`` and the moments they fall on, in UTC, on the emulated clock.

``rate(value unit)``: ``value`` a positive whole number, ``unit`` ``minute``, ``hour`` or
``day`` when it is 1 and ``minutes``, ``hours`` or ``days`` otherwise, one space between.
A rate counts from the moment the rule was created or enabled: it first falls due one
period after it, then every period.

``cron(Minutes Hours Day-of-month Month Day-of-week Year)``: six fields separated by
white space, each a ``,`` list of values, ``a-b`` ranges and ``/`` increments (``*/15``,
``5/15``, ``10-40/10``), or ``*``; months ``1-12`` or ``JAN``–``DEC``, days of the week
``1-7`` or ``SUN``–``SAT`` (1 is Sunday), years 1970–2199. Exactly one of day-of-month
and day-of-week is ``?``. Day-of-month also takes ``L`` (the month's last day), ``LW``
(its last weekday) and ``nW`` (the weekday nearest day ``n`` within the month);
day-of-week takes ``L`` (Saturday, the week's last day), ``nL`` (the month's last such
day) and ``n#k`` (its ``k``-th such day, ``k`` 1–5). A cron schedule falls due at the
start of each matching minute.

Choices AWS's documentation leaves open: names are taken in either case; ``L``, ``W``
and ``#`` stand alone in their field (not in a list); a range runs upwards (``FRI-MON``
is not valid); an increment is at least 1 and at most the field's largest value
(``*/60`` in minutes is not valid, as AWS answers); an expression that can never fall
due again is valid and simply never fires.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

UTC = dt.timezone.utc
# The last moment a schedule may fall due (Python's datetimes end in the year 9999).
LAST = dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC).timestamp()

_RATE = re.compile(r"rate\(([1-9][0-9]{0,8}) (minute|minutes|hour|hours|day|days)\)")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_CRON = re.compile(r"cron\((.*)\)", re.DOTALL)
_MONTHS = {name: number for number, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_DAYS = {name: number for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), start=1)}


class ScheduleError(ValueError):
    """An expression that is not a valid schedule."""


@dataclass(frozen=True)
class Rate:
    """A ``rate(…)`` schedule: every ``seconds``."""

    seconds: int

    def first_after(self, start: float) -> float | None:
        """When the schedule first falls due for a rule created or enabled at ``start``."""
        return self.next_after(start)

    def next_after(self, previous: float) -> float | None:
        """When it falls due after falling due at ``previous``."""
        following = previous + self.seconds
        return following if following <= LAST else None


@dataclass(frozen=True)
class Cron:
    """A ``cron(…)`` schedule: each field's values (see the module's note)."""

    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    day_of_month: str | tuple[int, ...]  # "?", "L", "LW", "<n>W", or the days
    months: tuple[int, ...]
    day_of_week: str | tuple[int, ...]  # "?", "<n>L", "<n>#<k>", or the days (1 is Sunday)
    years: tuple[int, ...]

    def first_after(self, start: float) -> float | None:
        return self.next_after(start)

    def next_after(self, previous: float) -> float | None:
        """The start of the first matching minute after ``previous``."""
        if previous >= LAST:
            return None
        at = dt.datetime.fromtimestamp(math.floor(previous / 60) * 60 + 60, UTC)
        for year in self.years:
            if year < at.year:
                continue
            first_year = year == at.year
            for month in self.months:
                if first_year and month < at.month:
                    continue
                first_month = first_year and month == at.month
                for day in self._days(year, month):
                    if first_month and day < at.day:
                        continue
                    first_day = first_month and day == at.day
                    for hour in self.hours:
                        if first_day and hour < at.hour:
                            continue
                        first_hour = first_day and hour == at.hour
                        for minute in self.minutes:
                            if first_hour and minute < at.minute:
                                continue
                            return dt.datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()
        return None

    def _days(self, year: int, month: int) -> list[int]:
        """The days of ``month`` the day fields select, in order."""
        length = calendar.monthrange(year, month)[1]
        if self.day_of_month != "?":
            return _month_days(self.day_of_month, year, month, length)
        return _week_days(self.day_of_week, year, month, length)


def _weekday(year: int, month: int, day: int) -> int:
    """AWS's number of the day of the week: 1 is Sunday, 7 Saturday."""
    return (calendar.weekday(year, month, day) + 1) % 7 + 1


def _month_days(spec: str | tuple[int, ...], year: int, month: int, length: int) -> list[int]:
    if isinstance(spec, tuple):
        return [day for day in spec if day <= length]
    if spec == "L":
        return [length]
    if spec == "LW":
        day = length
        while _weekday(year, month, day) in (1, 7):
            day -= 1
        return [day]
    wanted = int(spec[:-1])  # "<n>W"
    if wanted > length:
        return []
    weekday = _weekday(year, month, wanted)
    if weekday == 7:  # Saturday: the Friday before, or the Monday after the 1st
        return [wanted - 1 if wanted > 1 else wanted + 2]
    if weekday == 1:  # Sunday: the Monday after, or the Friday before the month's end
        return [wanted + 1 if wanted < length else wanted - 2]
    return [wanted]


def _week_days(spec: str | tuple[int, ...], year: int, month: int, length: int) -> list[int]:
    if isinstance(spec, tuple):
        return [day for day in range(1, length + 1) if _weekday(year, month, day) in spec]
    if spec.endswith("L"):
        wanted = int(spec[:-1])
        last = [day for day in range(length, length - 7, -1) if _weekday(year, month, day) == wanted]
        return last
    weekday, nth = (int(part) for part in spec.split("#"))
    matching = [day for day in range(1, length + 1) if _weekday(year, month, day) == weekday]
    return matching[nth - 1:nth]


def _value(text: str, low: int, high: int, names: dict[str, int] | None) -> int:
    upper = text.upper()
    if names is not None and upper in names:
        return names[upper]
    if not text.isdigit() or not text.isascii():
        raise ScheduleError(text)
    number = int(text)
    if not low <= number <= high:
        raise ScheduleError(text)
    return number


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> tuple[int, ...]:
    """The values a plain field (lists, ranges, increments, ``*``) selects."""
    chosen: set[int] = set()
    for item in field.split(","):
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or not step_text.isascii():
                raise ScheduleError(item)
            step = int(step_text)
            if not 1 <= step <= high:
                raise ScheduleError(item)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _value(first, low, high, names), _value(last, low, high, names)
            if start > end:
                raise ScheduleError(item)
        else:
            start = _value(base, low, high, names)
            end = high if slash else start
        chosen.update(range(start, end + 1, step))
    return tuple(sorted(chosen))


def _day_of_month(field: str) -> str | tuple[int, ...]:
    if field in ("?", "L", "LW"):
        return field
    if field.endswith("W"):
        _value(field[:-1], 1, 31, None)
        return str(int(field[:-1])) + "W"
    return _values(field, 1, 31)


def _day_of_week(field: str) -> str | tuple[int, ...]:
    if field == "?":
        return field
    if field == "L":
        return (7,)
    if field.upper().endswith("L"):
        return f"{_value(field[:-1], 1, 7, _DAYS)}L"
    if "#" in field:
        day, _, nth = field.partition("#")
        return f"{_value(day, 1, 7, _DAYS)}#{_value(nth, 1, 5, None)}"
    return _values(field, 1, 7, _DAYS)


def _cron(fields: list[str]) -> Cron:
    if len(fields) != 6:
        raise ScheduleError("six fields")
    minutes, hours, dom, months, dow, years = fields
    if (dom == "?") == (dow == "?"):  # exactly one of the day fields is "?"
        raise ScheduleError("day fields")
    return Cron(_values(minutes, 0, 59), _values(hours, 0, 23), _day_of_month(dom), _values(months, 1, 12, _MONTHS),
                _day_of_week(dow), _values(years, 1970, 2199))


@lru_cache(maxsize=1024)
def parse(expression: str) -> Rate | Cron:
    """The schedule ``expression`` gives; :class:`ScheduleError` if it is not valid."""
    rate = _RATE.fullmatch(expression)
    if rate is not None:
        value, unit = int(rate.group(1)), rate.group(2)
        if (value == 1) != (not unit.endswith("s")):
            raise ScheduleError(expression)
        return Rate(value * _UNIT_SECONDS[unit.removesuffix("s")])
    cron = _CRON.fullmatch(expression)
    if cron is None:
        raise ScheduleError(expression)
    return _cron(cron.group(1).split())
