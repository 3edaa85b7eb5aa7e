"""boto3's own EC2 waiters against the emulator.

The manual clock only moves when told to, so every API call a waiter makes advances it
by two seconds (a ``before-call`` hook on the client); the waiters poll with no delay, so
nothing sleeps, and a transition of five seconds completes within a few polls.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import WaiterError

from tests.helpers import launch, states

FAST = {"Delay": 0, "MaxAttempts": 20}
STEP_SECONDS = 2


@pytest.fixture
def ticking(ec2: Any, clock: Any) -> dict[str, int]:
    """Advance the clock on every call the client makes; counts the calls per operation."""
    calls: dict[str, int] = {}

    def tick(model: Any, **_: Any) -> None:
        calls[model.name] = calls.get(model.name, 0) + 1
        clock.advance(STEP_SECONDS)

    ec2.meta.events.register("before-call.ec2", tick)
    return calls


def test_instance_exists(ec2: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    ec2.get_waiter("instance_exists").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert ticking["DescribeInstances"] >= 1


def test_instance_exists_gives_up_on_an_unknown_id(ec2: Any, ticking: dict[str, int]) -> None:
    with pytest.raises(WaiterError) as info:
        ec2.get_waiter("instance_exists").wait(
            InstanceIds=["i-0123456789abcdef0"], WaiterConfig={"Delay": 0, "MaxAttempts": 3}
        )
    assert "Max attempts exceeded" in str(info.value)
    assert ticking["DescribeInstances"] == 3


def test_instance_running(ec2: Any, ticking: dict[str, int]) -> None:
    ids = launch(ec2, 3)
    assert set(states(ec2, ids).values()) == {"pending"}
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    assert states(ec2, ids) == dict.fromkeys(ids, "running")
    assert ticking["DescribeInstances"] >= 3  # it really had to poll


def test_instance_stopped(ec2: Any, clock: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    clock.advance(10)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert states(ec2, [instance_id]) == {instance_id: "stopping"}
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert states(ec2, [instance_id]) == {instance_id: "stopped"}


def test_instance_terminated(ec2: Any, clock: Any, ticking: dict[str, int]) -> None:
    ids = launch(ec2, 2)
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=ids)
    assert set(states(ec2, ids).values()) == {"shutting-down"}
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig=FAST)
    assert states(ec2, ids) == dict.fromkeys(ids, "terminated")


def test_instance_terminated_by_filter(ec2: Any, clock: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Job", "Value": "ci-42"}]}])[0]
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_terminated").wait(
        Filters=[{"Name": "tag:Job", "Values": ["ci-42"]}], WaiterConfig=FAST
    )
    assert states(ec2, [instance_id]) == {instance_id: "terminated"}


def test_start_then_wait_running(ec2: Any, clock: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    clock.advance(10)
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.start_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert states(ec2, [instance_id]) == {instance_id: "running"}


def test_instance_running_fails_fast_on_a_terminated_instance(ec2: Any, clock: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    ec2.terminate_instances(InstanceIds=[instance_id])
    with pytest.raises(WaiterError) as info:
        ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert "terminal failure state" in str(info.value)
    assert ticking["DescribeInstances"] == 1


def test_instance_stopped_fails_on_a_pending_instance(ec2: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    with pytest.raises(WaiterError) as info:
        ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert "terminal failure state" in str(info.value)


def test_instance_terminated_succeeds_for_an_instance_already_terminated(ec2: Any, clock: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    clock.advance(10)
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(60)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert ticking["DescribeInstances"] == 1


def test_instance_status_ok(ec2: Any, ticking: dict[str, int]) -> None:
    instance_id = launch(ec2)[0]
    ec2.get_waiter("instance_status_ok").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    status = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"][0]
    assert status["InstanceStatus"]["Status"] == "ok"
    assert status["SystemStatus"]["Status"] == "ok"
