"""Delivery to API destinations under ``ec2emu.mock()``, to a local HTTP receiver: each
kind of authorisation, the target's and the connection's HTTP parameters, retries of a
5xx with the same event ``id``, no redirect followed, a host that is not loopback refused
unless allowed, no secret in what is recorded."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import boto3
import pytest

import ec2emu
from tests.helpers import image_id
from tests.services.events.receiver import API_KEY, BASIC, Receiver, api_destination, oauth, own_address

PENDING = json.dumps({"detail": {"state": ["pending"]}})


def _launch(events: Any, *targets: dict[str, Any]) -> str:
    events.put_rule(Name="launches", EventPattern=PENDING)
    events.put_targets(Rule="launches", Targets=list(targets))
    ec2 = boto3.client("ec2", region_name="us-east-1")
    return str(ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"])


def test_each_authorisation_and_the_http_parameters_reach_the_receiver(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="ec2emu")
    with Receiver() as receiver, ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        keyed = api_destination(events, "keyed", receiver.url("/key/*"), "API_KEY",
                                {**API_KEY, "InvocationHttpParameters": {
                                    "HeaderParameters": [{"Key": "x-conn", "Value": "c", "IsValueSecret": False}],
                                    "QueryStringParameters": [{"Key": "q", "Value": "conn", "IsValueSecret": True}]}})
        basic = api_destination(events, "basic", receiver.url("/basic"), "BASIC", BASIC, method="PUT")
        bearer = api_destination(events, "bearer", receiver.url("/bearer"), "OAUTH_CLIENT_CREDENTIALS",
                                 oauth(receiver.url("/token")))
        instance = _launch(events,
                           {"Id": "key", "Arn": keyed, "HttpParameters": {
                               "PathParameterValues": ["seg"], "HeaderParameters": {"x-target": "t"},
                               "QueryStringParameters": {"q": "target", "r": "1"}}},
                           {"Id": "basic", "Arn": basic}, {"Id": "bearer", "Arn": bearer})
        assert receiver.requests == []
        emulator.deliver()
        [event] = [e for e in emulator.events if e["detail-type"] == "EC2 Instance State-change Notification"]
        [key] = receiver.at("/key/seg")
        assert key.method == "POST" and key.event == event and event["detail"]["instance-id"] == instance
        assert key.headers["x-api-key"] == "key-s3cret"
        assert key.headers["content-type"] == "application/json; charset=utf-8"
        assert key.headers["user-agent"] == "Amazon/EventBridge/ApiDestinations"
        assert key.headers["x-target"] == "t" and key.headers["x-conn"] == "c"
        assert sorted(key.path.split("?")[1].split("&")) == ["q=conn", "r=1"]  # the connection's wins
        [put] = receiver.at("/basic")
        assert put.method == "PUT" and put.event["id"] == event["id"]
        assert put.headers["authorization"] == "Basic " + base64.b64encode(b"alice:pw-s3cret").decode()
        [token] = receiver.token_requests
        assert token.headers["authorization"] == "Basic " + base64.b64encode(b"client:client-s3cret").decode()
        assert b"grant_type=client_credentials" in token.body
        [bearing] = receiver.at("/bearer")
        assert bearing.headers["authorization"] == "Bearer tok-1"
        # A second event reuses the token until it expires.
        emulator.configure(pending_seconds=0)
        ec2 = boto3.client("ec2", region_name="us-east-1")
        ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)
        emulator.deliver()
        assert [seen.headers["authorization"] for seen in receiver.wait_for("/bearer", 2)] == ["Bearer tok-1"] * 2
        assert len(receiver.token_requests) == 1
        assert emulator.dead_letters() == []
    ours = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("ec2emu"))
    assert ours  # the requests were logged
    for secret in ("key-s3cret", "pw-s3cret", "client-s3cret", "tok-1"):
        assert secret not in ours


def test_a_server_error_is_retried_with_the_same_id_after_the_backoff() -> None:
    with Receiver() as receiver, ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        receiver.statuses["/hook"] = [500, 429]
        target = api_destination(events, "hook", receiver.url(), "API_KEY", API_KEY)
        _launch(events, {"Id": "hook", "Arn": target})
        emulator.deliver()
        assert len(receiver.at("/hook")) == 1
        emulator.deliver()
        assert len(receiver.at("/hook")) == 1  # not before its time on the emulated clock
        emulator.advance(1)
        emulator.advance(2)
        seen = receiver.at("/hook")
        assert len(seen) == 3
        assert len({request.event["id"] for request in seen}) == 1
        assert seen[0].event["id"] == emulator.events[0]["id"]
        emulator.advance(600)
        assert len(receiver.at("/hook")) == 3  # delivered: never again
        assert emulator.dead_letters() == []


def test_retry_after_holds_a_retry_back_and_a_401_fetches_a_new_token() -> None:
    with Receiver() as receiver, ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        receiver.statuses["/hook"] = [503]
        receiver.retry_after = "30"
        receiver.statuses["/bearer"] = [401]
        hook = api_destination(events, "hook", receiver.url(), "API_KEY", API_KEY)
        bearer = api_destination(events, "bearer", receiver.url("/bearer"), "OAUTH_CLIENT_CREDENTIALS",
                                 oauth(receiver.url("/token")))
        _launch(events, {"Id": "hook", "Arn": hook}, {"Id": "bearer", "Arn": bearer})
        emulator.deliver()
        emulator.advance(10)
        assert len(receiver.at("/hook")) == 1  # Retry-After: 30 beats the back-off's second
        assert [r.headers["authorization"] for r in receiver.at("/bearer")] == ["Bearer tok-1", "Bearer tok-2"]
        emulator.advance(20)
        assert len(receiver.at("/hook")) == 2
        assert emulator.dead_letters() == []


def test_a_redirect_is_not_followed_and_ends_as_a_dead_letter() -> None:
    with Receiver() as receiver, ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        target = api_destination(events, "moved", receiver.url("/redirect?k=v"), "API_KEY", API_KEY)
        _launch(events, {"Id": "moved", "Arn": target})
        emulator.deliver()
        emulator.advance(600)
        assert len(receiver.at("/redirect")) == 1
        assert receiver.at("/hook") == []
        [dead] = emulator.dead_letters()
        assert dead["error_code"] == "REDIRECT"
        assert "302" in dead["error_message"] and "k=v" not in dead["error_message"]
        assert "key-s3cret" not in json.dumps(dead)


@pytest.mark.parametrize("allowed", [False, True])
def test_a_host_that_is_not_loopback_is_refused_unless_allowed(allowed: bool) -> None:
    address = own_address()
    if address.startswith("127."):
        pytest.skip("no address but loopback")
    with Receiver(host="0.0.0.0") as receiver, \
            ec2emu.mock(events_allow_hosts=(address,) if allowed else ()) as emulator:
        events = boto3.client("events", region_name="us-east-1")
        target = api_destination(events, "remote", receiver.url(host=address), "API_KEY", API_KEY)
        _launch(events, {"Id": "remote", "Arn": target})
        emulator.deliver()
        if allowed:
            assert len(receiver.at("/hook")) == 1
            assert emulator.dead_letters() == []
        else:
            assert receiver.requests == []
            [dead] = emulator.dead_letters()
            assert dead["error_code"] == "NO_PERMISSIONS"
            assert address in dead["error_message"]


def test_the_allowed_hosts_come_from_the_option_or_its_variable() -> None:
    from click.testing import CliRunner

    from ec2emu.cli import main
    from ec2emu.config import Settings

    assert Settings.from_env({"EC2EMU_EVENTS_ALLOW_HOSTS": "a.example b.example"}).events_allow_hosts == (
        "a.example", "b.example")
    assert Settings.from_env({}).events_allow_hosts == ()
    text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--events-allow-host" in text and "EC2EMU_EVENTS_ALLOW_HOSTS" in text
