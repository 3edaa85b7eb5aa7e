"""Two nodes (two apps, each its own store and pool) on one PostgreSQL database settling
the same due transitions at the same time: each transition is emitted exactly once
(writers take turns, so the second settler finds nothing left due)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import launch


@pytest.fixture
def two_nodes(pg_url: str, tmp_path: Path) -> Iterator[list[Emulator]]:
    # Manual clocks started at the same moment: each node keeps its own, moved alike.
    apps = [build_app(Settings(state_dir=tmp_path / f"node{i}", db_url=pg_url, durations=DURATIONS,
                               admin_token="test-admin-token"), clock=ManualClock())
            for i in range(2)]
    yield apps
    for app in apps:
        app.store.close()


def settle_together(nodes: list[Emulator], rounds: int = 3) -> None:
    start = threading.Barrier(len(nodes))

    def run(node: Emulator) -> None:
        start.wait()
        for _ in range(rounds):
            node.settle()

    threads = [threading.Thread(target=run, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_two_nodes_settling_the_same_transitions_emit_each_once(two_nodes: list[Emulator]) -> None:
    transport = InProcessTransport(two_nodes[0])
    ec2 = transport.attach(boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                        aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY))
    ids = launch(ec2, 40)
    for node in two_nodes:
        node.clock.advance(10)  # every launch's pending is over; nobody has settled
    settle_together(two_nodes)
    ec2.terminate_instances(InstanceIds=ids[:20])
    for node in two_nodes:
        node.clock.advance(10)
    settle_together(two_nodes)
    transport.close()
    events = two_nodes[1].events
    assert events == two_nodes[0].events
    counted = Counter((event["detail"]["instance-id"], event["detail"]["state"]) for event in events
                      if event["detail-type"] == "EC2 Instance State-change Notification")
    assert set(counted.values()) == {1}
    assert Counter(state for _, state in counted) == {"pending": 40, "running": 40, "shutting-down": 20,
                                                      "terminated": 20}
    deleted = Counter(event["resources"][0] for event in events if event["detail-type"] == "EBS Volume Notification")
    assert len(deleted) == 20 and set(deleted.values()) == {1}  # each terminated instance's root volume
    assert len({event["id"] for event in events}) == len(events)
