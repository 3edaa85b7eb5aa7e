"""The pattern table (``pattern_cases.py``) through boto3's TestEventPattern: what the
matcher decides is what a client of the EventBridge API is told."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import error_of
from tests.services.events.pattern_cases import ERROR_CASES, EXACT_MESSAGES, MATCH_CASES


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One emulator for the whole table: TestEventPattern reads and stores nothing."""
    app = build_app(Settings(state_dir=tmp_path_factory.mktemp("patterns"), durations=DURATIONS,
                             admin_token="test-admin-token"), clock=ManualClock())
    transport = InProcessTransport(app)
    yield transport.attach(boto3.client("events", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                        aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY))
    transport.close()
    app.store.close()


# TestEventPattern reads an event whose ``detail`` is an object; a string is not an event.
_NOT_AN_EVENT = {"detail-string-not-parsed"}


@pytest.mark.parametrize(("name", "pattern", "event", "expected"),
                         [case for case in MATCH_CASES if case[0] not in _NOT_AN_EVENT],
                         ids=[case[0] for case in MATCH_CASES if case[0] not in _NOT_AN_EVENT])
def test_a_documented_case_matches_through_the_api(events: Any, name: str, pattern: Any,
                                                   event: dict[str, Any], expected: bool) -> None:
    text = pattern if isinstance(pattern, str) else json.dumps(pattern)  # a str: raw text (duplicate keys)
    answer = events.test_event_pattern(EventPattern=text, Event=json.dumps(event))
    assert answer["Result"] is expected


@pytest.mark.parametrize(("name", "pattern", "fragment"), ERROR_CASES, ids=[case[0] for case in ERROR_CASES])
def test_a_bad_pattern_is_refused_through_the_api(events: Any, name: str, pattern: Any, fragment: str) -> None:
    [(_, _, event, _)] = MATCH_CASES[:1]
    text = pattern if isinstance(pattern, str) else json.dumps(pattern)
    error = error_of(events.test_event_pattern, EventPattern=text, Event=json.dumps(event))
    assert (error["Code"], error["Status"]) == ("InvalidEventPatternException", 400)
    assert fragment in error["Message"]


@pytest.mark.parametrize(("name", "text", "reason"), EXACT_MESSAGES, ids=[case[0] for case in EXACT_MESSAGES])
def test_aws_recorded_message_is_given_whole(events: Any, name: str, text: str, reason: str) -> None:
    [(_, _, event, _)] = MATCH_CASES[:1]
    error = error_of(events.test_event_pattern, EventPattern=text, Event=json.dumps(event))
    assert error["Message"] == "Event pattern is not valid. Reason: " + reason
