"""``GET /_ec2emu/events``: the outbox after a sequence number, behind the admin token;
and each account's events carry that account (two strict-mode accounts)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.helpers import launch
from tests.two_accounts import OTHER, OWNER

TOKEN = "test-admin-token"


def get(app: Emulator, query: str, token: str = TOKEN) -> tuple[int, dict[str, Any]]:
    transport = InProcessTransport(app)
    try:
        status, _, body = transport.request("GET", f"http://ec2emu.test/_ec2emu/events{query}",
                                            {"Authorization": f"Bearer {token}"}, b"")
    finally:
        transport.close()
    return status, json.loads(body)


def test_events_are_listed_after_a_sequence_number_a_page_at_a_time(
        strict_app: Emulator, client_of: Callable[..., Any], strict_clock: ManualClock) -> None:
    ids = launch(client_of(OWNER), 3)
    strict_clock.advance(10)  # not settled yet: the route settles first
    status, page = get(strict_app, "?limit=4")
    assert status == 200
    assert [item["event"]["detail"]["state"] for item in page["events"]] == ["pending"] * 3 + ["running"]
    sequences = [item["sequence"] for item in page["events"]]
    assert sequences == sorted(sequences) and page["last"] == sequences[-1]
    status, rest = get(strict_app, f"?after={page['last']}&limit=1000")
    assert [item["event"]["detail"]["state"] for item in rest["events"]] == ["running"] * 2
    assert {item["event"]["detail"]["instance-id"] for item in page["events"] + rest["events"]} == set(ids)
    status, empty = get(strict_app, f"?after={rest['last']}")
    assert status == 200 and empty == {"events": [], "last": rest["last"]}


def test_the_route_needs_the_admin_token_and_whole_numbers(strict_app: Emulator) -> None:
    assert get(strict_app, "", token="wrong")[0] == 401
    for query in ("?after=-1", "?after=x", "?limit=0", "?limit=1001", "?after=1.5", "?limit=%EF%BC%91"):
        assert get(strict_app, query)[0] == 400, query
    assert get(strict_app, "?after=0&limit=1000") == (200, {"events": [], "last": 0})


def test_each_accounts_events_carry_its_account_and_region(
        strict_app: Emulator, client_of: Callable[..., Any], strict_clock: ManualClock) -> None:
    [mine] = launch(client_of(OWNER))
    [theirs] = launch(client_of(OTHER, "eu-west-1"))
    strict_clock.advance(10)
    strict_app.settle()
    by_instance: dict[str, set[tuple[str, str]]] = {}
    for event in strict_app.events:
        instance = event["detail"]["instance-id"]
        by_instance.setdefault(instance, set()).add((event["account"], event["region"]))
        assert event["resources"] == [f"arn:aws:ec2:{event['region']}:{event['account']}:instance/{instance}"]
    assert by_instance == {mine: {(OWNER, "us-east-1")}, theirs: {(OTHER, "eu-west-1")}}
