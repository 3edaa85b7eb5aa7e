"""The outbox's and the deliveries' retention on the emulated clock, in-process: matched
events and deliveries done more than a week ago are forgotten, while events not yet
matched, and dead letters, are kept however old."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ec2emu.app import Emulator
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.services.events import delivery
from tests.helpers import image_id
from tests.services.shared.test_permissions import ACCOUNT_A, ROOT_A, Make

WEEK = 7 * 86_400


def _fails(event: Any) -> None:
    raise RuntimeError("down")


def test_matched_events_and_done_deliveries_go_after_a_week_dead_letters_stay(
        make: Make, app: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(app.clock, ManualClock)
    monkeypatch.setattr(delivery, "PRUNE_BATCH", 1)  # a row a transaction: every one still goes
    app.functions["ok"], app.functions["fails"] = (lambda event: None), _fails
    events = make(ROOT_A, "events")
    events.put_rule(Name="launches", EventPattern=json.dumps({"detail": {"state": ["pending"]}}))
    function = f"arn:aws:lambda:us-east-1:{ACCOUNT_A}:function:"
    events.put_targets(Rule="launches", Targets=[
        {"Id": "ok", "Arn": function + "ok"},
        {"Id": "fails", "Arn": function + "fails", "RetryPolicy": {"MaximumRetryAttempts": 0}}])
    ec2 = make(ROOT_A)
    instance = ec2.run_instances(ImageId=image_id(ec2), MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    app.advance(60)  # running; the pending event delivered to one target, dead-lettered for the other
    assert len(app.dead_letters()) == 1
    ec2.stop_instances(InstanceIds=[instance])  # its stopping event: not matched until delivery runs
    assert app.delivery.prune() == (0, 0)  # nothing a week old
    app.clock.advance(WEEK + 60)  # no delivery, no settler: the stopping event stays unmatched
    forgotten, done = app.delivery.prune()
    assert forgotten >= 2 and done == 1  # pending, running and the calls' events; the one delivery done
    assert [(e["detail-type"], e["detail"]["state"]) for e in app.events] == [
        ("EC2 Instance State-change Notification", "stopping")]
    [dead] = app.dead_letters()
    assert dead["target_id"] == "fails"
    app.deliver()  # now matched (with the settled stopped and the stop call's events): a week old too
    assert {e["detail-type"] for e in app.events} == {"EC2 Instance State-change Notification",
                                                        "AWS API Call via CloudTrail"}
    app.delivery.prune()
    assert app.events == []
    assert len(app.dead_letters()) == 1
