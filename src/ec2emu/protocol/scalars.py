"""Numbers and dates read from request text, always within bounds.

Every place that turns a string a client sent — a header, a signature field, a query or
body parameter, a filter value, a policy condition — into a number or a date goes
through this module. Python's own conversions accept more than a client can mean
(``int("²")`` raises, ``int("5_000")`` and ``float(" 7")`` succeed, ``int`` of a
20,000-digit string is slow) and hand back values that fail later, far from the input:
a year 9999 date overflows when fifteen minutes are added to it, an integer wider than
64 bits cannot be bound to a database column. Here each value is checked where it is
read and either fits or raises :class:`ScalarError`, which the caller turns into the
error its protocol gives for that input.

Bounds, where the caller names none:

* integers are ASCII decimal (an optional ``-`` and digits) within ``low``/``high`` (a
  signed 64-bit range by default); one of more than 40 characters is out of range
  without being converted;
* numbers are the forms botocore writes (``1``, ``-0.5``, ``1e3``, and ``Infinity`` /
  ``NaN`` only where the caller allows them), at most 64 characters;
* dates and times are aware UTC datetimes between :data:`EARLIEST` and :data:`LATEST`
  (years 2 to 9998), so that adding or taking away any span this emulator uses — a
  signature's fifteen minutes of skew, a presigned URL's seven days, a session's
  twelve hours, a year of retention — cannot leave Python's datetime range.

:class:`ScalarError` says whether the text was malformed or well formed but out of
range (``out_of_range``), since AWS answers those differently: SigV4 answers
``IncompleteSignature`` for a malformed date and ``RequestExpired`` for one too far away.

Where a value is only compared, never added to (an IAM policy condition's dates and
numbers), ``bounded=False`` takes every date Python can hold (years 1 to 9999: "never
expires" is often written ``9999-12-31``) and ``plus=True`` a number with a leading
``+``, as AWS's policy language does.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re

UTC = dt.timezone.utc
EARLIEST = dt.datetime(2, 1, 1, tzinfo=UTC)
LATEST = dt.datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)
INT64 = (-(2**63), 2**63 - 1)
INT32 = (-(2**31), 2**31 - 1)

MAX_INTEGER_CHARS = 40
MAX_NUMBER_CHARS = 64
MAX_DATE_CHARS = 64

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_NUMBERS = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}
_EPOCH = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?Z")
_AMZ_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z")
_EPOCH_ORIGIN = dt.datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_RANGE = ((EARLIEST - _EPOCH_ORIGIN).total_seconds(), (LATEST - _EPOCH_ORIGIN).total_seconds())


class ScalarError(ValueError):
    """Request text that is not a number or date within bounds."""

    def __init__(self, text: str, expected: str, *, out_of_range: bool = False) -> None:
        super().__init__(f"{text[:80]!r}: expected {expected}")
        self.text = text
        self.expected = expected
        self.out_of_range = out_of_range


def parse_integer(text: str, low: int = INT64[0], high: int = INT64[1]) -> int:
    """A plain decimal integer from ``low`` to ``high``."""
    if not _INTEGER.fullmatch(text):
        raise ScalarError(text, "an integer")
    if len(text) > MAX_INTEGER_CHARS:  # well formed, but wider than any bound (and slow to convert)
        raise ScalarError(text, f"an integer from {low} to {high}", out_of_range=True)
    value = int(text)
    if not low <= value <= high:
        raise ScalarError(text, f"an integer from {low} to {high}", out_of_range=True)
    return value


def parse_index(text: str, high: int = INT32[1]) -> int:
    """A list position as the Query protocols number them: ``1``, ``2``, … with no sign
    and no leading zero."""
    if not text or text[0] in "-0" or not text.isascii():
        raise ScalarError(text, "a list index")
    return parse_integer(text, 1, high)


def parse_number(text: str, *, special: bool = False, plus: bool = False, low: float = -math.inf,
                 high: float = math.inf) -> float:
    """A decimal or exponent number within ``[low, high]``; ``Infinity``, ``-Infinity``
    and ``NaN`` only when ``special``; a leading ``+`` only when ``plus``."""
    if special and text in _SPECIAL_NUMBERS:
        return _SPECIAL_NUMBERS[text]
    if plus and text.startswith("+") and not text.startswith("+-"):
        text = text[1:]
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        raise ScalarError(text, "a number")
    value = float(text)
    if not low <= value <= high:
        raise ScalarError(text, f"a number from {low} to {high}", out_of_range=True)
    return value


def within_dates(value: dt.datetime, text: str = "", *, bounded: bool = True) -> dt.datetime:
    """``value`` as an aware UTC datetime (naive means UTC) if it lies between
    :data:`EARLIEST` and :data:`LATEST` (anywhere Python can hold it, unless
    ``bounded``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if bounded and not EARLIEST <= value <= LATEST:  # aware comparisons never overflow
        raise ScalarError(text or value.isoformat(), "a date from year 2 to 9998", out_of_range=True)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # an offset that carries the year past 1 or 9999
        raise ScalarError(text, "a date from year 1 to 9999", out_of_range=True) from None


def parse_epoch_seconds(text: str, *, bounded: bool = True) -> dt.datetime:
    """Seconds since 1970 (``1700000000`` or ``1700000000.5``)."""
    if len(text) > MAX_NUMBER_CHARS or not _EPOCH.fullmatch(text):
        raise ScalarError(text, "epoch seconds")
    seconds = float(text)
    if not _EPOCH_RANGE[0] <= seconds <= _EPOCH_RANGE[1]:
        if bounded:
            raise ScalarError(text, "epoch seconds from year 2 to 9998", out_of_range=True)
        try:
            return _EPOCH_ORIGIN + dt.timedelta(seconds=seconds)
        except OverflowError:
            raise ScalarError(text, "epoch seconds from year 1 to 9999", out_of_range=True) from None
    return _EPOCH_ORIGIN + dt.timedelta(seconds=seconds)


def parse_epoch_number(value: float) -> dt.datetime:
    """Seconds since 1970 sent as a number (a JSON body's timestamp), not as text."""
    if not math.isfinite(value):
        raise ScalarError(repr(value), "epoch seconds")
    if not _EPOCH_RANGE[0] <= value <= _EPOCH_RANGE[1]:
        raise ScalarError(repr(value), "epoch seconds from year 2 to 9998", out_of_range=True)
    return _EPOCH_ORIGIN + dt.timedelta(seconds=value)


def parse_date_time(text: str) -> dt.datetime:
    """RFC 3339 in UTC, ``2024-05-06T07:08:09Z`` with any fraction of a second: the form
    the JSON protocols give an ``iso8601`` timestamp (no other offset, no other layout)."""
    if len(text) > MAX_DATE_CHARS or not _DATE_TIME.fullmatch(text):
        raise ScalarError(text, "an RFC 3339 date-time in UTC")
    return parse_iso_datetime(text)


def parse_iso_datetime(text: str, *, bounded: bool = True) -> dt.datetime:
    """ISO 8601 as :meth:`datetime.fromisoformat` reads it (``Z`` allowed; no zone means
    UTC)."""
    if len(text) > MAX_DATE_CHARS:
        raise ScalarError(text, "an ISO 8601 timestamp")
    try:
        value = dt.datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        raise ScalarError(text, "an ISO 8601 timestamp") from None
    return within_dates(value, text, bounded=bounded)


def parse_timestamp(text: str, *, bounded: bool = True) -> dt.datetime:
    """A timestamp parameter: epoch seconds or ISO 8601."""
    if _EPOCH.fullmatch(text):
        return parse_epoch_seconds(text, bounded=bounded)
    return parse_iso_datetime(text, bounded=bounded)


def parse_amz_date(text: str) -> dt.datetime:
    """SigV4's ``X-Amz-Date``: ``YYYYMMDDTHHMMSSZ`` exactly."""
    match = _AMZ_DATE.fullmatch(text)
    if match is None:
        raise ScalarError(text, "an ISO 8601 basic-format date")
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        value = dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:  # month 13, day 32, hour 25, year 0
        raise ScalarError(text, "an ISO 8601 basic-format date") from None
    return within_dates(value, text)


def parse_http_date(text: str) -> dt.datetime:
    """An HTTP ``Date`` header (RFC 5322 / RFC 7231: ``Fri, 31 Dec 2027 23:59:59 GMT``)."""
    if len(text) > MAX_DATE_CHARS:
        raise ScalarError(text, "an HTTP date")
    try:
        fields = email.utils.parsedate_tz(text)
    except (TypeError, ValueError, IndexError):
        fields = None
    if fields is None:
        raise ScalarError(text, "an HTTP date")
    year, offset = fields[0], fields[9] or 0
    if not EARLIEST.year <= year <= LATEST.year or abs(offset) >= 24 * 3600:
        raise ScalarError(text, "an HTTP date from year 2 to 9998", out_of_range=True)
    try:
        value = dt.datetime(*fields[:6], tzinfo=dt.timezone(dt.timedelta(seconds=offset)))
    except (ValueError, OverflowError):
        raise ScalarError(text, "an HTTP date") from None
    return within_dates(value, text)


def integer_values(values: tuple[str, ...] | list[str], low: int = INT64[0],
                   high: int = INT64[1]) -> tuple[int, ...]:
    """Those of ``values`` that are integers from ``low`` to ``high``, in order (a filter
    value that is not one matches nothing, as in EC2)."""
    wanted = []
    for value in values:
        try:
            wanted.append(parse_integer(value, low, high))
        except ScalarError:
            continue
    return tuple(wanted)
