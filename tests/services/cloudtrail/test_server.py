"""The audit trail on a real ``ec2emu serve``: the timer stores calls within a second, so
they survive ``kill -9`` of the server once that second has passed, and a graceful stop
stores what is still queued."""

from __future__ import annotations

import json
import time

from tests.conftest import ServerProcess


def test_calls_are_stored_within_a_second_and_survive_kill_9(server: ServerProcess) -> None:
    server.client().describe_vpcs()
    server.client("us-east-1", "ssm").put_parameter(Name="/app/host", Value="db", Type="String")
    time.sleep(1.6)  # the flusher's timer runs every second
    server.kill9()
    restarted = ServerProcess(server.state_dir, server.extra).start()
    try:
        events = restarted.client("us-east-1", "cloudtrail").lookup_events()["Events"]
        names = [event["EventName"] for event in events]
        assert names == ["PutParameter", "DescribeVpcs"]
        put = json.loads(events[0]["CloudTrailEvent"])
        assert (put["eventSource"], put["requestParameters"]["value"]) == ("ssm.amazonaws.com",
                                                                             "<sensitiveDataRemoved>")
        assert put["userIdentity"]["type"] == "Root" and put["sourceIPAddress"] == "127.0.0.1"
    finally:
        restarted.stop()


def test_a_graceful_stop_stores_what_is_queued(server: ServerProcess) -> None:
    server.client().describe_subnets()
    server.stop()
    restarted = ServerProcess(server.state_dir, server.extra).start()
    try:
        events = restarted.client("us-east-1", "cloudtrail").lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "DescribeSubnets"}])["Events"]
        assert [event["Username"] for event in events] == ["root"]
    finally:
        restarted.stop()
