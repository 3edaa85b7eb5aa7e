"""Two nodes on one PostgreSQL database settling a scheduled rule at the same time: each
moment of its schedule is emitted exactly once (the settlers take writers' turns and
move the rule's next due time in the transaction that emits it)."""

from __future__ import annotations

from collections import Counter

import boto3

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from tests.conftest import NO_RETRY
from tests.pg.test_outbox_settling import settle_together, two_nodes  # noqa: F401


def test_two_nodes_emit_each_scheduled_moment_once(two_nodes: list[Emulator]) -> None:  # noqa: F811
    transport = InProcessTransport(two_nodes[0])
    events = transport.attach(boto3.client("events", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                           aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY))
    events.put_rule(Name="minutely", ScheduleExpression="rate(1 minute)")
    events.put_rule(Name="quarterly", ScheduleExpression="cron(0/15 * * * ? *)")
    for node in two_nodes:
        node.clock.advance(3600)  # nobody has settled
    settle_together(two_nodes)
    transport.close()
    found = [e for e in two_nodes[1].events if e["detail-type"] == "Scheduled Event"]
    assert found == [e for e in two_nodes[0].events if e["detail-type"] == "Scheduled Event"]
    counted = Counter((e["resources"][0].rsplit("/", 1)[1], e["time"]) for e in found)
    assert set(counted.values()) == {1}
    assert Counter(rule for rule, _ in counted) == {"minutely": 60, "quarterly": 4}
    assert len({e["id"] for e in found}) == len(found)
