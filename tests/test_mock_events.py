"""``emulator.events`` under ``ec2emu.mock()``: the EC2 instance state-change events a
launch, stop, start and termination emit, in order, with their times on the emulated
clock; nothing for what is rolled back; nothing written by a describe."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import boto3

import ec2emu
from tests.helpers import error_of, launch, states

START = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> str:
    return (START + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def instance_events(events: list[dict[str, Any]], instance_id: str) -> list[tuple[str, str]]:
    return [(event["detail"]["state"], event["time"]) for event in events
            if event["detail-type"] == "EC2 Instance State-change Notification"
            and event["detail"]["instance-id"] == instance_id]


def test_a_life_emits_each_state_once_in_order_at_its_moment_with_no_describe_between() -> None:
    with ec2emu.mock(pending_seconds=2, stopping_seconds=3, shutting_down_seconds=4) as emulator:
        assert emulator.now() == START
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        [instance] = launch(ec2)
        emulator.advance(10)  # running at +2, though settled at +10
        ec2.stop_instances(InstanceIds=[instance])  # +10
        emulator.advance(10)  # stopped at +13
        ec2.start_instances(InstanceIds=[instance])  # +20
        emulator.advance(100)  # running at +22
        ec2.terminate_instances(InstanceIds=[instance])  # +120
        emulator.advance(4)  # terminated at +124
        events = emulator.events
    assert instance_events(events, instance) == [
        ("pending", at(0)), ("running", at(2)), ("stopping", at(10)), ("stopped", at(13)),
        ("pending", at(20)), ("running", at(22)), ("shutting-down", at(120)), ("terminated", at(124)),
    ]
    first = events[0]
    assert set(first) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources",
                          "detail"}
    assert first["version"] == "0" and first["source"] == "aws.ec2"
    assert first["account"] == "000000000000" and first["region"] == "eu-west-1"
    assert first["resources"] == [f"arn:aws:ec2:eu-west-1:000000000000:instance/{instance}"]
    assert first["detail"] == {"instance-id": instance, "state": "pending"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["time"])
    ids = [event["id"] for event in events]
    assert len(set(ids)) == len(ids) and all(uuid.UUID(value).version == 4 for value in ids)


def test_a_clock_jump_over_a_chain_emits_every_step_with_its_own_time() -> None:
    with ec2emu.mock(pending_seconds=2, shutting_down_seconds=3, terminated_retention_seconds=5) as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        [instance] = launch(ec2)
        ec2.terminate_instances(InstanceIds=[instance])  # while pending: shutting-down at +0
        emulator.advance(1000)  # terminated at +3, gone at +8
        assert instance_events(emulator.events, instance) == [
            ("pending", at(0)), ("shutting-down", at(0)), ("terminated", at(3))]
        emulator.advance(1000)
        assert len(instance_events(emulator.events, instance)) == 3


def test_a_describe_of_a_due_instance_writes_no_event_the_settler_does() -> None:
    with ec2emu.mock(pending_seconds=2) as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        [instance] = launch(ec2)
        emulator.clock.advance(5)  # the clock alone: nothing settles
        assert states(ec2, [instance]) == {instance: "running"}  # shown, not stored
        assert instance_events(emulator.events, instance) == [("pending", at(0))]
        emulator.settle()
        assert instance_events(emulator.events, instance) == [("pending", at(0)), ("running", at(2))]


def test_a_refused_or_dry_run_request_emits_nothing() -> None:
    with ec2emu.mock(pending_seconds=1) as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        [protected] = launch(ec2, DisableApiTermination=True)
        emulator.advance(5)
        before = emulator.events
        assert error_of(ec2.terminate_instances, InstanceIds=[protected])["Code"] == "OperationNotPermitted"
        assert error_of(ec2.terminate_instances, InstanceIds=[protected], DryRun=True)["Code"] == "DryRunOperation"
        assert error_of(ec2.stop_instances, InstanceIds=[protected], DryRun=True)["Code"] == "DryRunOperation"
        image = ec2.describe_instances(InstanceIds=[protected])["Reservations"][0]["Instances"][0]["ImageId"]
        assert error_of(ec2.run_instances, ImageId=image, MinCount=1, MaxCount=1, DryRun=True)["Code"] == (
            "DryRunOperation")
        assert error_of(ec2.run_instances, ImageId="ami-00000000", MinCount=1, MaxCount=1)["Code"].startswith(
            "InvalidAMIID")
        assert error_of(ec2.start_instances, InstanceIds=[protected, "i-0123456789abcdef0"])["Code"] == (
            "InvalidInstanceID.NotFound")
        assert emulator.events == before
        assert error_of(ec2.reboot_instances, InstanceIds=[protected], DryRun=True)["Code"] == "DryRunOperation"
        ec2.reboot_instances(InstanceIds=[protected])  # no state change, no event
        assert emulator.events == before


def test_a_termination_partly_refused_by_protection_emits_for_the_zones_that_went_ahead() -> None:
    with ec2emu.mock(pending_seconds=1) as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        [protected] = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"}, DisableApiTermination=True)
        [free] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"})
        emulator.advance(5)
        assert error_of(ec2.terminate_instances, InstanceIds=[protected, free])["Code"] == "OperationNotPermitted"
        assert [state for state, _ in instance_events(emulator.events, free)][-1] == "shutting-down"
        assert [state for state, _ in instance_events(emulator.events, protected)] == ["pending", "running"]


def test_a_shutdown_from_inside_the_guest_emits_its_states() -> None:
    with ec2emu.mock(pending_seconds=1, stopping_seconds=1) as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        [instance] = launch(ec2)
        emulator.advance(1)
        emulator.shutdown_guest(instance)
        emulator.advance(1)
        assert [state for state, _ in instance_events(emulator.events, instance)] == [
            "pending", "running", "stopping", "stopped"]


def test_put_events_inside_a_mock_reaches_its_emulator_and_its_events() -> None:
    with ec2emu.mock() as emulator:
        events = boto3.client("events", region_name="us-east-1")
        [entry] = events.put_events(Entries=[{"Source": "my.app", "DetailType": "Ping", "Detail": '{"n": 1}'}])[
            "Entries"]
        [event] = emulator.events
        assert (event["id"], event["source"], event["detail"], event["time"]) == (
            entry["EventId"], "my.app", {"n": 1}, at(0))
