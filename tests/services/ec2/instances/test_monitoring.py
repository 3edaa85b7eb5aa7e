"""Detailed monitoring through boto3: RunInstances ``Monitoring.Enabled``, MonitorInstances
and UnmonitorInstances, the ``pending`` / ``disabling`` states on the clock, and the
``monitoring-state`` filter."""

from __future__ import annotations

from typing import Any

from tests.helpers import error_of, image_id, instance_of, launch


def monitoring(ec2: Any, instance_id: str) -> str:
    return str(instance_of(ec2, instance_id)["Monitoring"]["State"])


def test_launch_with_monitoring_enabled_is_pending_then_enabled(ec2: Any, clock: Any) -> None:
    reservation = ec2.run_instances(ImageId=image_id(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                    Monitoring={"Enabled": True})
    instance_id = reservation["Instances"][0]["InstanceId"]
    assert reservation["Instances"][0]["Monitoring"] == {"State": "pending"}
    assert monitoring(ec2, instance_id) == "pending"
    clock.advance(1.1)
    assert monitoring(ec2, instance_id) == "enabled"


def test_launch_without_monitoring_is_disabled(ec2: Any) -> None:
    [plain] = launch(ec2)
    [off] = launch(ec2, Monitoring={"Enabled": False})
    assert monitoring(ec2, plain) == monitoring(ec2, off) == "disabled"


def test_monitor_then_unmonitor_on_the_clock(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(5)
    answer = ec2.monitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"]
    assert answer == [{"InstanceId": instance_id, "Monitoring": {"State": "pending"}}]
    assert monitoring(ec2, instance_id) == "pending"
    clock.advance(1.1)
    assert monitoring(ec2, instance_id) == "enabled"
    again = ec2.monitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"]
    assert again[0]["Monitoring"] == {"State": "enabled"}
    answer = ec2.unmonitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"]
    assert answer == [{"InstanceId": instance_id, "Monitoring": {"State": "disabling"}}]
    assert monitoring(ec2, instance_id) == "disabling"
    clock.advance(1.1)
    assert monitoring(ec2, instance_id) == "disabled"
    assert ec2.unmonitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"][0]["Monitoring"] == {
        "State": "disabled"}


def test_monitoring_a_stopped_instance(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    clock.advance(5)
    ec2.stop_instances(InstanceIds=[instance_id])
    clock.advance(5)
    assert ec2.monitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"][0]["Monitoring"]["State"] == (
        "pending")


def test_monitoring_state_filter(ec2: Any, clock: Any) -> None:
    [watched] = launch(ec2, Monitoring={"Enabled": True})
    [plain] = launch(ec2)

    def having(state: str) -> list[str]:
        found = ec2.describe_instances(Filters=[{"Name": "monitoring-state", "Values": [state]}])["Reservations"]
        return sorted(i["InstanceId"] for r in found for i in r["Instances"])

    assert having("pending") == [watched]
    assert having("disabled") == [plain]
    clock.advance(1.1)
    assert having("enabled") == [watched]
    assert having("pending") == []


def test_unknown_and_malformed_ids_change_nothing(ec2: Any) -> None:
    [instance_id] = launch(ec2)
    error = error_of(ec2.monitor_instances, InstanceIds=[instance_id, "i-0123456789abcdef0"])
    assert error["Code"] == "InvalidInstanceID.NotFound" and "i-0123456789abcdef0" in error["Message"]
    assert error_of(ec2.unmonitor_instances, InstanceIds=["i-xyz"])["Code"] == "InvalidInstanceID.Malformed"
    assert error_of(ec2.monitor_instances, InstanceIds=[])["Code"] == "MissingParameter"
    assert monitoring(ec2, instance_id) == "disabled"


def test_terminated_instance_is_refused(ec2: Any, clock: Any) -> None:
    [instance_id] = launch(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])
    error = error_of(ec2.monitor_instances, InstanceIds=[instance_id])
    assert error["Code"] == "IncorrectInstanceState" and error["Status"] == 400
    assert monitoring(ec2, instance_id) == "disabled"


def test_dry_run_changes_nothing(ec2: Any) -> None:
    [instance_id] = launch(ec2)
    assert error_of(ec2.monitor_instances, InstanceIds=[instance_id], DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.unmonitor_instances, InstanceIds=[instance_id], DryRun=True)["Code"] == "DryRunOperation"
    assert monitoring(ec2, instance_id) == "disabled"
