"""Bounded numbers and dates from request text, and the guard that keeps every
conversion of request text going through them."""

from __future__ import annotations

import ast
import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2emu.protocol import scalars
from ec2emu.protocol.scalars import ScalarError

SRC = Path(__file__).resolve().parents[2] / "src" / "ec2emu"


@pytest.mark.parametrize(("text", "low", "high", "expected"), [
    ("0", 0, 10, 0), ("-5", -10, 10, -5), ("10", 0, 10, 10), (str(2**63 - 1), *scalars.INT64, 2**63 - 1),
])
def test_integers_in_range(text: str, low: int, high: int, expected: int) -> None:
    assert scalars.parse_integer(text, low, high) == expected


@pytest.mark.parametrize(("text", "out_of_range"), [
    ("", False), (" 7", False), ("5_000", False), ("²", False), ("١٢", False), ("0x10", False), ("1e3", False),
    ("+1", False), ("11", True), ("-1", True), ("9" * 41, True), ("9" * 100_000, True), (str(2**63), True),
])
def test_integers_refused(text: str, out_of_range: bool) -> None:
    with pytest.raises(ScalarError) as info:
        scalars.parse_integer(text, 0, 10 if len(text) < 5 else 2**63 - 1)
    assert info.value.out_of_range is out_of_range


@pytest.mark.parametrize("text", ["", "0", "01", "-1", "²", str(2**31)])
def test_list_indexes_refused(text: str) -> None:
    with pytest.raises(ScalarError):
        scalars.parse_index(text)


def test_numbers() -> None:
    assert scalars.parse_number("1e3") == 1000.0
    assert scalars.parse_number("-.5") == -0.5
    assert math.isnan(scalars.parse_number("NaN", special=True))
    for text in ["NaN", "Infinity", "1e3e3", " 1", "1_0", "٣", "1" * 65]:
        with pytest.raises(ScalarError):
            scalars.parse_number(text)
    with pytest.raises(ScalarError) as info:
        scalars.parse_number("5", high=4)
    assert info.value.out_of_range


@pytest.mark.parametrize(("text", "expected"), [
    ("20261203T101112Z", dt.datetime(2026, 12, 3, 10, 11, 12, tzinfo=dt.timezone.utc)),
    ("99981231T235959Z", dt.datetime(9998, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)),
])
def test_amz_dates(text: str, expected: dt.datetime) -> None:
    assert scalars.parse_amz_date(text) == expected


@pytest.mark.parametrize(("text", "out_of_range"), [
    ("99991231T235959Z", True), ("00010101T000000Z", True), ("00000101T000000Z", False),
    ("20261303T000000Z", False), ("20261203T250000Z", False), ("2026-12-03T10:11:12Z", False), ("", False),
])
def test_amz_dates_refused(text: str, out_of_range: bool) -> None:
    with pytest.raises(ScalarError) as info:
        scalars.parse_amz_date(text)
    assert info.value.out_of_range is out_of_range


def test_http_dates() -> None:
    assert scalars.parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == dt.datetime(
        1994, 11, 6, 8, 49, 37, tzinfo=dt.timezone.utc)
    assert scalars.parse_http_date("Thu, 31 Dec 2026 23:00:00 -0230") == dt.datetime(
        2027, 1, 1, 1, 30, tzinfo=dt.timezone.utc)
    for text in ["Fri, 31 Dec 9999 23:59:59 -2359", "Fri, 31 Dec 99999999999999999999 23:59:59 GMT"]:
        with pytest.raises(ScalarError) as info:
            scalars.parse_http_date(text)
        assert info.value.out_of_range
    for text in ["", "yesterday", "Fri, 99 Foo 2026 99:99:99 GMT"]:
        with pytest.raises(ScalarError) as info:
            scalars.parse_http_date(text)
        assert not info.value.out_of_range


def test_timestamps() -> None:
    assert scalars.parse_timestamp("0") == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert scalars.parse_timestamp("2026-12-03T10:00:00+02:00") == dt.datetime(
        2026, 12, 3, 8, tzinfo=dt.timezone.utc)
    for text in ["9" * 30, "-" + "9" * 30, "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "1e9"]:
        with pytest.raises(ScalarError):
            scalars.parse_timestamp(text)


UTC = dt.timezone.utc


def test_epoch_numbers() -> None:
    """A JSON body's timestamp: a number of seconds, within the years 2 to 9998."""
    assert scalars.parse_epoch_number(1700000000.25) == dt.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)
    assert scalars.parse_epoch_number(0) == dt.datetime(1970, 1, 1, tzinfo=UTC)
    for value, out_of_range in ((math.inf, False), (math.nan, False), (1e300, True), (-(2**62), True)):
        with pytest.raises(ScalarError) as info:
            scalars.parse_epoch_number(value)
        assert info.value.out_of_range is out_of_range


def test_date_times_are_rfc3339_in_utc() -> None:
    assert scalars.parse_date_time("1985-04-12T23:20:50.52Z") == dt.datetime(1985, 4, 12, 23, 20, 50, 520000,
                                                                             tzinfo=UTC)
    for text in ("1996-12-19T16:39:57-08:00", "1996-12-19T16:39:57", "19961219T163957Z", "1996-12-19 16:39:57Z",
                 "1996-13-19T16:39:57Z", "0000-01-01T00:00:00Z"):
        with pytest.raises(ScalarError):
            scalars.parse_date_time(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_the_one_error(text: str) -> None:
    """Whatever the text, each parser gives a value within its bounds or a ScalarError."""
    for parse in (scalars.parse_integer, scalars.parse_index, scalars.parse_number, scalars.parse_timestamp,
                  scalars.parse_amz_date, scalars.parse_http_date):
        try:
            value = parse(text)  # type: ignore[operator]
        except ScalarError:
            continue
        if isinstance(value, dt.datetime):
            assert scalars.EARLIEST <= value <= scalars.LATEST
            value + dt.timedelta(days=366)
            value - dt.timedelta(days=366)


def test_integer_values_keep_only_integers_in_range() -> None:
    assert scalars.integer_values(["1", "x", "9" * 50, "-2", "3"], 0) == (1, 3)


# --------------------------------------------------------------------------- the guard

# Conversions of text or numbers outside the helper, each with why its input is not
# request text. A new conversion of a string from a request must use
# ec2emu.protocol.scalars instead; one of another kind is added here with its reason.
NOT_REQUEST_TEXT = {
    ("store/shown.py", "_duration_binds"): "the emulator's durations",
    ("lifecycle/clock.py", "stored_offset"): "the clock offset stored by the emulator",
    ("lifecycle/clock.py", "adopt"): "the clock offset stored by the emulator",
    ("app.py", "advance"): "a Python number checked finite and non-negative",
    ("app.py", "configure"): "Python numbers from mock().configure",
    ("auth/authorization.py", "global_keys"): "the emulator's clock",
    ("auth/credentials.py", "session_credential"): "an expiry stored by the emulator",
    ("cli.py", "parse_duration"): "a command-line argument, matched by a pattern first",
    ("cli.py", "format_duration"): "a number for display",
    ("cli.py", "_print_clock"): "the admin route's own answer",
    ("config.py", "from_env"): "the operator's environment",
    ("lifecycle/clock.py", "__init__"): "a Python number",
    ("lifecycle/clock.py", "set_offset"): "a Python number",
    ("lifecycle/clock.py", "advance"): "a Python number",
    ("server.py", "run"): "the bound socket's port",
    ("services/iam/common.py", "timestamp"): "a time stored by the emulator",
    ("services/iam/common.py", "max_items"): "a parameter the parser already read as a bounded integer",
    ("services/iam/policies.py", "list_policy_versions"): "version IDs the store wrote",
    ("services/shared/ids.py", "next"): "the system clock",
    ("services/ec2/images/common.py", "iso"): "a time stored by the emulator",
    ("services/ec2/snapshots.py", "_progress"): "a fraction computed from the clock",
    ("services/sts/operations.py", "assume_role"): "a role setting stored by the emulator",
    ("services/ec2/views.py", "timestamp"): "a time stored by the emulator",
    ("store/iam.py", "attachment_count"): "a count from the database",
    ("store/prepared.py", "_id_index"): "a bind parameter name the store made",
    ("store/settings.py", "next_counter"): "a counter stored by the emulator",
    ("store/settlement.py", "earliest_due"): "a due time from the database",
    ("store/settlement.py", "settle"): "due times from the database",
    ("lifecycle/machines.py", "for_state"): "a duration setting",
    ("protocol/json_values.py", "_float"): "a JSON number the document's reader already read through scalars",
    ("protocol/json_values.py", "write_value"): "a handler's result",
    ("protocol/json_values.py", "timestamp_value"): "a handler's result",
    ("protocol/rest_json.py", "result"): "the model's response code and a handler's result",
    ("services/ec2/networking/addresses.py", "check_requested"): "an address ipaddress has already read",
    ("services/ec2/images/copy.py", "_source_snapshot"): "a volume size stored by the emulator",
    ("services/ec2/images/copy.py", "copy_image"): "the emulator's clock",
    ("services/ec2/images/deprecation.py", "enable_image_deprecation"): "the clock and a stored creation date",
    ("services/ec2/images/resolve.py", "_value"): "a version matched as ASCII digits first",
    ("services/ec2/launch_templates/common.py", "number_in"): "a version matched as ASCII digits first",
    ("services/ec2/snapshot_tiers.py", "_progress"): "a fraction computed from the clock",
    ("services/ec2/tier_state.py", "restore_expiry"): "a time stored by the emulator",
    ("services/ec2/volume_modifications.py", "_progress"): "a fraction computed from the clock",
    ("services/shared/filters.py", "_prefix_span"): "fields matched as ASCII digits first",
    ("services/shared/public_images.py", "_parameter"): "the catalogue's own dates",
    ("services/ssm/common.py", "moment"): "the emulator's clock",
    ("services/ssm/common.py", "version_number"): "a version matched as ASCII digits first",
    ("store/patterns.py", "iso_time"): "a time stored by the emulator",
    ("services/events/pattern_values.py", "cidr"): "mask bits matched as ASCII digits first",
    ("services/events/pattern_values.py", "double"): "a number the JSON reader has already made",
    ("services/events/pattern_json.py", "_value_start"): "a JSON number matched as ASCII digits first",
    ("observability/access_log.py", "format"): "a log record's own creation time",
    ("store/event_rules.py", "count"): "a count the database returned",
    ("store/instances.py", "count_by_state"): "a count the database returned",
    ("admin/routes.py", "_whole"): "admin query text matched as ASCII digits first",
    ("lifecycle/notifications.py", "aws_time"): "a time stored by the emulator",
    ("lifecycle/schedules.py", "_value"): "a cron field matched as ASCII digits first",
    ("lifecycle/schedules.py", "_values"): "a cron step matched as ASCII digits first",
    ("lifecycle/schedules.py", "_day_of_month"): "a cron field _value has checked",
    ("lifecycle/schedules.py", "_month_days"): "a parsed schedule's own day field",
    ("lifecycle/schedules.py", "_week_days"): "a parsed schedule's own day field",
    ("lifecycle/schedules.py", "next_after"): "a parsed schedule's own fields",
    ("lifecycle/schedules.py", "parse"): "a rate matched as ASCII digits first",
    ("store/scheduled_rules.py", "earliest"): "a due time from the database",
    ("store/scheduled_rules.py", "fire_due"): "due times from the database",
    ("store/outbox.py", "write_scheduled"): "due times from the database",
    ("store/repository.py", "request_start"): "due times from the database",
    ("console/clock.py", "route"): "form text matched as ASCII digits first",
    ("console/routes.py", "signin"): "the wall clock",
    ("console/sessions.py", "issue"): "the wall clock",
    ("console/sessions.py", "pre_session"): "the wall clock",
    ("console/sessions.py", "verify"): "a cookie's field matched as ASCII digits first",
    ("console/sessions.py", "pre_ok"): "a cookie's field matched as ASCII digits first",
    ("services/events/connections.py", "moment"): "a time stored by the emulator",
    ("store/event_connections.py", "count"): "a count the database returned",
    ("store/event_connections.py", "destination_count"): "a count the database returned",
    ("store/outbox.py", "_rows"): "the emulator's clock",
    ("store/outbox.py", "due_rows"): "due times stored by the emulator",
    ("store/outbox.py", "of_instance"): "places the outbox stored in an instance's row",
    ("store/outbox.py", "_id_start"): "hex digits of a random UUID",
    ("store/outbox.py", "_later_id"): "hex digits of a UUID the outbox made",
    ("store/outbox.py", "shared"): "the emulator's clock",
    ("admin/stream.py", "start_after"): "a stream position matched as ASCII digits first",
    ("admin_client.py", "events"): "the client's own integers",
    ("services/events/target_input.py", "select"): "a path index matched as ASCII digits first",
    ("store/outbox.py", "custom"): "the emulator's clock",
    ("services/events/delivery.py", "_send"): "a rate limit stored by the emulator",
    ("services/events/outbound.py", "_retry_after"): "a receiver's header matched as ASCII digits first",
    ("services/events/outbound.py", "_seconds"): "a JSON number the token endpoint gave",
    ("store/deliveries.py", "cursor"): "a sequence number the database returned",
    ("store/deliveries.py", "waiting"): "a time stored by the emulator",
    ("services/cloudtrail/record_text.py", "iso"): "an event's or a session's time stored by the emulator",
    ("store/trail.py", "first_of_second"): "an event's time stored by the emulator, or a look-up's, parsed already",
    ("trail/records.py", "rows"): "the emulator's clock",
    ("trail/shapes.py", "_millis"): "a handler's result",
    ("services/cloudtrail/events.py", "_view"): "an event time stored by the emulator",
}
_CONVERTERS = {"int", "float", "Decimal"}
_PARSING_METHODS = {"fromisoformat", "strptime", "parsedate", "parsedate_tz", "parsedate_to_datetime",
                    "fromtimestamp", "utcfromtimestamp"}


def _conversions() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or path == SRC / "protocol" / "scalars.py":
            continue
        module = path.relative_to(SRC).as_posix()
        stack: list[str] = []

        class Visitor(ast.NodeVisitor):
            def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
                stack.append(node.name)
                self.generic_visit(node)
                stack.pop()

            visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

            def visit_Call(self, node: ast.Call) -> None:
                func = node.func
                converts = ((isinstance(func, ast.Name) and func.id in _CONVERTERS)
                            or (isinstance(func, ast.Attribute) and func.attr in _PARSING_METHODS))
                if converts and node.args and not all(isinstance(a, ast.Constant) for a in node.args):
                    found.add((module, ".".join(stack) or "<module>"))
                self.generic_visit(node)

        Visitor().visit(ast.parse(path.read_text()))
    return found


def test_request_text_is_converted_only_through_the_helper() -> None:
    found = _conversions()
    assert found - NOT_REQUEST_TEXT.keys() == set(), "convert request text with ec2emu.protocol.scalars"
    assert NOT_REQUEST_TEXT.keys() - found == set(), "stale entries in NOT_REQUEST_TEXT"
