"""Delivery by a real ``ec2emu serve`` to a local HTTP receiver: a launch, stop, start and
terminate arrive in order at three API destinations (API key, Basic, OAuth), with no
request reading the instance; an event whose delivery a kill -9 interrupted is
delivered after the restart with the same ``id``; two nodes on PostgreSQL deliver each
transition once per target; the metrics count deliveries and the admin route lists dead
letters."""

from __future__ import annotations

import base64
import json
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ServerProcess
from tests.e2e.test_admin import http_admin
from tests.helpers import image_id
from tests.services.events.receiver import API_KEY, BASIC, Receiver, api_destination, oauth, own_address

QUICK = ["--pending-seconds", "0", "--stopping-seconds", "0", "--shutting-down-seconds", "0"]
STATES = json.dumps({"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]})
LIFE = ["pending", "running", "stopping", "stopped", "pending", "running", "shutting-down", "terminated"]


def _rule(events: Any, *targets: dict[str, Any]) -> None:
    events.put_rule(Name="states", EventPattern=STATES)
    events.put_targets(Rule="states", Targets=list(targets))


def _states(seen: list[Any]) -> list[str]:
    return [request.event["detail"]["state"] for request in seen]


def _metric(endpoint: str, name: str) -> float:
    request = urllib.request.Request(f"{endpoint}/metrics", headers={"Authorization": "Bearer test-admin-token"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise AssertionError(f"no {name}")


def test_a_lifecycle_reaches_each_destination_in_order_with_its_authorisation(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, QUICK).start()
    try:
        with Receiver() as receiver:
            events, ec2 = server.client(service="events"), server.client()
            _rule(events,
                  {"Id": "key", "Arn": api_destination(events, "key", receiver.url("/key"), "API_KEY", API_KEY)},
                  {"Id": "basic", "Arn": api_destination(events, "basic", receiver.url("/basic"), "BASIC", BASIC)},
                  {"Id": "oauth", "Arn": api_destination(events, "oauth", receiver.url("/oauth"),
                                                         "OAUTH_CLIENT_CREDENTIALS", oauth(receiver.url("/token")))})
            instance = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
            receiver.wait_for("/key", 2)
            ec2.stop_instances(InstanceIds=[instance])
            receiver.wait_for("/key", 4)
            ec2.start_instances(InstanceIds=[instance])
            receiver.wait_for("/key", 6)
            ec2.terminate_instances(InstanceIds=[instance])
            emitted = [found["event"] for found in http_admin(server.endpoint, "GET", "events")[1]["events"]
                       if found["event"]["detail-type"] == "EC2 Instance State-change Notification"]
            for path in ("/key", "/basic", "/oauth"):
                seen = receiver.wait_for(path, len(LIFE))
                assert _states(seen) == LIFE
                assert [request.event for request in seen] == emitted
                assert {request.event["detail"]["instance-id"] for request in seen} == {instance}
            assert {r.headers["x-api-key"] for r in receiver.at("/key")} == {"key-s3cret"}
            basic = "Basic " + base64.b64encode(b"alice:pw-s3cret").decode()
            assert {r.headers["authorization"] for r in receiver.at("/basic")} == {basic}
            assert {r.headers["authorization"] for r in receiver.at("/oauth")} == {"Bearer tok-1"}
            assert len(receiver.token_requests) == 1
            assert _metric(server.endpoint, "ec2emu_events_delivered_total") == 3 * len(LIFE)
            assert _metric(server.endpoint, "ec2emu_events_failed_total") == 0
        log = (tmp_path / "server.log").read_text()
        for secret in ("key-s3cret", "pw-s3cret", "client-s3cret", "tok-1"):
            assert secret not in log
    finally:
        server.stop()


def test_a_delivery_a_kill_interrupted_arrives_after_the_restart_with_the_same_id(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, QUICK).start()
    with Receiver() as receiver:
        try:
            receiver.failing = True
            events, ec2 = server.client(service="events"), server.client()
            _rule(events, {"Id": "hook", "Arn": api_destination(events, "hook", receiver.url(), "API_KEY", API_KEY)})
            events.put_rule(Name="states", EventPattern=json.dumps({"detail": {"state": ["terminated"]}}))
            instance = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
            ec2.terminate_instances(InstanceIds=[instance])
            first = receiver.wait_for("/hook", 1)[0].event  # tried, and failed (503)
            assert first["detail"] == {"instance-id": instance, "state": "terminated"}
            server.kill9()
            receiver.failing = False
            server.start()
            http_admin(server.endpoint, "POST", "clock", {"advance_seconds": 600})
            # (A kill during the attempt leaves its lease to run out first: at most 12 s.)
            seen = receiver.wait_for("/hook", 2, timeout=40)
            ids = {request.event["id"] for request in seen}
            assert ids == {first["id"]}
            emitted = [found["event"] for found in http_admin(server.endpoint, "GET", "events")[1]["events"]]
            assert [e["id"] for e in emitted if e["detail"].get("state") == "terminated"] == [first["id"]]
            status, listed = http_admin(server.endpoint, "GET", "dead-letters")
            assert status == 200 and listed["dead_letters"] == []
        finally:
            server.stop()


def test_serve_delivers_to_a_host_its_option_allows(tmp_path: Path) -> None:
    address = own_address()
    if address.startswith("127."):
        pytest.skip("no address but loopback")
    server = ServerProcess(tmp_path, [*QUICK, "--events-allow-host", address]).start()
    try:
        with Receiver(host="0.0.0.0") as receiver:
            events, ec2 = server.client(service="events"), server.client()
            _rule(events, {"Id": "hook", "Arn": api_destination(events, "hook", receiver.url(host=address),
                                                                "API_KEY", API_KEY)})
            events.put_rule(Name="states", EventPattern=json.dumps({"detail": {"state": ["pending"]}}))
            instance = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
            [seen] = receiver.wait_for("/hook", 1)
            assert seen.event["detail"]["instance-id"] == instance
    finally:
        server.stop()


def test_a_refused_delivery_is_listed_by_the_admin_route(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, QUICK).start()
    try:
        with Receiver() as receiver:
            receiver.statuses["/hook"] = [400]
            events, ec2 = server.client(service="events"), server.client()
            dlq = "arn:aws:sqs:us-east-1:000000000000:dlq"
            _rule(events, {"Id": "hook", "Arn": api_destination(events, "hook", receiver.url(), "API_KEY", API_KEY),
                           "DeadLetterConfig": {"Arn": dlq}})
            events.put_rule(Name="states", EventPattern=json.dumps({"detail": {"state": ["pending"]}}))
            ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
            [seen] = receiver.wait_for("/hook", 1)
            assert http_admin(server.endpoint, "GET", "dead-letters", auth=None)[0] == 401
            for _ in range(100):
                listed = http_admin(server.endpoint, "GET", "dead-letters")[1]["dead_letters"]
                if listed:
                    break
                receiver.wait_for("/hook", 1, timeout=0.1)
            [dead] = listed
            assert dead["event"]["id"] == seen.event["id"]
            assert dead["dead_letter_arn"] == dlq and dead["error_code"] == "CLIENT_ERROR"
            assert "key-s3cret" not in json.dumps(dead)
            assert _metric(server.endpoint, "ec2emu_events_dead_lettered_total") == 1
    finally:
        server.stop()


def test_two_nodes_on_postgresql_deliver_each_transition_once_per_target(tmp_path: Path, pg_url: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    nodes = [ServerProcess(tmp_path / name, [*QUICK, "--db", pg_url]).start() for name in ("a", "b")]
    try:
        with Receiver() as receiver:
            events = nodes[0].client(service="events")
            _rule(events, {"Id": "one", "Arn": api_destination(events, "one", receiver.url("/one"), "API_KEY", API_KEY)},
                  {"Id": "two", "Arn": api_destination(events, "two", receiver.url("/two"), "BASIC", BASIC)})
            instances = []
            for i in range(4):
                ec2 = nodes[i % 2].client()
                instances += [item["InstanceId"] for item in
                              ec2.run_instances(ImageId=image_id(ec2), MinCount=2, MaxCount=2)["Instances"]]
            for i, instance in enumerate(instances):
                nodes[(i + 1) % 2].client().terminate_instances(InstanceIds=[instance])
            expected = len(instances) * 4  # pending, running, shutting-down, terminated
            for path in ("/one", "/two"):
                seen = receiver.wait_for(path, expected, timeout=60)
                counts = Counter(request.event["id"] for request in seen)
                assert len(counts) == expected
                assert set(counts.values()) == {1}
            emitted = {found["event"]["id"] for found in
                       http_admin(nodes[1].endpoint, "GET", "events?limit=1000")[1]["events"]
                       if found["event"]["detail-type"] == "EC2 Instance State-change Notification"}
            assert emitted == set(counts)
    finally:
        for node in nodes:
            node.stop()
