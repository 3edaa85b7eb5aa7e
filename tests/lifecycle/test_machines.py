"""The instance state machine's table: codes, names, successors and durations."""

from __future__ import annotations

import pytest

from ec2emu.lifecycle.machines import (
    NEXT_STATE,
    STATE_CODES,
    STATE_NAMES,
    Durations,
    state_dict,
)


def test_state_codes_are_ec2s() -> None:
    assert STATE_CODES == {
        "pending": 0, "running": 16, "shutting-down": 32,
        "terminated": 48, "stopping": 64, "stopped": 80,
    }
    assert {STATE_NAMES[code]: code for code in STATE_NAMES} == STATE_CODES


@pytest.mark.parametrize("name", list(STATE_CODES))
def test_state_dict_is_the_wire_instance_state(name: str) -> None:
    assert state_dict(name) == {"Code": STATE_CODES[name], "Name": name}


def test_timed_states_and_where_they_lead() -> None:
    assert NEXT_STATE == {
        "pending": "running", "stopping": "stopped",
        "shutting-down": "terminated", "terminated": None,
    }
    assert "running" not in NEXT_STATE and "stopped" not in NEXT_STATE


def test_default_durations_are_short_but_not_zero() -> None:
    durations = Durations()
    for state in ("pending", "stopping", "shutting-down"):
        seconds = durations.for_state(state)
        assert seconds is not None and 0 < seconds <= 2
    assert durations.terminated_retention == 3600


def test_for_state_gives_each_timed_state_its_duration() -> None:
    durations = Durations(pending=1, stopping=2, shutting_down=3, terminated_retention=4)
    assert [durations.for_state(s) for s in ("pending", "stopping", "shutting-down", "terminated")] == [
        1, 2, 3, 4
    ]
    assert durations.for_state("running") is None
    assert durations.for_state("stopped") is None
    assert durations.for_state("rebooting") is None
