"""The lifecycle's table names the notification of every transition that emits one, and
the events are made in AWS's shapes from their parts."""

from __future__ import annotations

from ec2emu.lifecycle.machines import NEW, STATE_CODES, TRANSITIONS, notification_of
from ec2emu.lifecycle.notifications import INSTANCE_STATE, NOTIFICATIONS, SNAPSHOT_SHARED, arn, aws_time, event


def test_every_instance_state_change_emits_the_state_change_notification_and_nothing_else_does() -> None:
    for transition in TRANSITIONS:
        if transition.resource != "instance":
            assert transition.notification != INSTANCE_STATE
            continue
        changes = transition.next_state is not None and transition.next_state != transition.state
        assert (transition.notification == INSTANCE_STATE) == changes, transition
    entered = {t.next_state for t in TRANSITIONS if t.notification == INSTANCE_STATE}
    assert entered == set(STATE_CODES)
    assert notification_of("instance", "RunInstances") == INSTANCE_STATE
    assert notification_of("instance", "RebootInstances") is None
    assert [t.event for t in TRANSITIONS if t.state == NEW] == ["RunInstances"]


def test_every_named_notification_is_known_and_each_ebs_one_is_declared_once() -> None:
    named = [t.notification for t in TRANSITIONS if t.notification is not None]
    assert set(named) | {SNAPSHOT_SHARED} == set(NOTIFICATIONS)  # sharing is a call's, not a transition's
    ebs = [name for name in named if name != INSTANCE_STATE]
    assert len(ebs) == len(set(ebs))


def test_an_event_from_its_parts() -> None:
    parts = {"event_id": "0b7e4c8e-1111-4aaa-8bbb-123456789012", "account_id": "123456789012",
             "region": "us-east-1", "time": 1796378405.9, "notification": "instance-state",
             "resource_id": "i-0123456789abcdef0", "state": "running", "event": None,
             "source": None, "start_time": None, "request_id": None}
    assert event(parts) == {
        "version": "0", "id": parts["event_id"], "detail-type": "EC2 Instance State-change Notification",
        "source": "aws.ec2", "account": "123456789012", "time": "2026-12-04T10:00:05Z", "region": "us-east-1",
        "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"],
        "detail": {"instance-id": "i-0123456789abcdef0", "state": "running"},
    }
    assert aws_time(0) == "1970-01-01T00:00:00Z"
    assert arn("us-west-2", "123456789012", "snapshot", "snap-1") == "arn:aws:ec2:us-west-2::snapshot/snap-1"
