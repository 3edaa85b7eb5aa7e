"""The state-change events the batch calls write in their own transactions: one per
instance moved, none for an instance a call leaves as it is, none for a launch repeated
with its client token."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ec2emu.app import Emulator
from tests.helpers import launch


def moved(emulator: Emulator) -> Counter[str]:
    return Counter(event["detail"]["state"] for event in emulator.events
                   if event["detail-type"] == "EC2 Instance State-change Notification")


def test_a_batch_emits_for_the_instances_it_moves_only(ec2: Any, emulator: Emulator) -> None:
    ids = launch(ec2, 4)
    emulator.advance(10)
    ec2.stop_instances(InstanceIds=ids[:2])
    emulator.advance(10)
    assert moved(emulator) == {"pending": 4, "running": 4, "stopping": 2, "stopped": 2}
    ec2.stop_instances(InstanceIds=ids[:2])  # already stopped: no change, no event
    ec2.start_instances(InstanceIds=ids)  # two stopped start; two running stay
    assert moved(emulator) == {"pending": 6, "running": 4, "stopping": 2, "stopped": 2}
    ec2.terminate_instances(InstanceIds=ids)  # the two starting ones never reach running
    ec2.terminate_instances(InstanceIds=ids)  # shutting-down already: reported, not moved
    emulator.advance(10)
    assert moved(emulator) == {"pending": 6, "running": 4, "stopping": 2, "stopped": 2, "shutting-down": 4,
                               "terminated": 4}


def test_a_launch_repeated_with_its_client_token_emits_nothing_more(ec2: Any, emulator: Emulator) -> None:
    first = launch(ec2, 2, ClientToken="once")
    again = launch(ec2, 2, ClientToken="once")
    assert first == again
    assert moved(emulator) == {"pending": 2}
