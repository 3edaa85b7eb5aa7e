"""DescribeInstanceStatus through boto3: its documented filters (zone, zone ID, state,
statuses that follow the clock, events), ``InstanceIds``, ``IncludeAllInstances``,
``MaxResults`` with ``NextToken``, and ``DryRun``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, launch


def statuses(ec2: Any, *filters: tuple[str, list[str]], **params: Any) -> set[str]:
    response = ec2.describe_instance_status(
        IncludeAllInstances=True, Filters=[{"Name": n, "Values": v} for n, v in filters], **params)
    return {s["InstanceId"] for s in response["InstanceStatuses"]}


@pytest.fixture
def fleet(ec2: Any, clock: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    names["old"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})[0]
    names["stopped"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"})[0]
    clock.advance(120)
    ec2.stop_instances(InstanceIds=[names["stopped"]])
    names["young"] = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"})[0]
    clock.advance(5.5)  # running, still initializing (pending lasts 5 s here)
    return names


def test_status_filters_follow_the_clock(ec2: Any, fleet: dict[str, str]) -> None:
    shown = {s["InstanceId"]: s for s in ec2.describe_instance_status(IncludeAllInstances=True)["InstanceStatuses"]}
    assert shown[fleet["old"]]["InstanceStatus"]["Status"] == "ok"
    assert shown[fleet["young"]]["InstanceStatus"]["Status"] == "initializing"
    assert shown[fleet["stopped"]]["InstanceStatus"]["Status"] == "not-applicable"
    for name in ("instance-status.status", "system-status.status", "attached-ebs-status.status"):
        assert statuses(ec2, (name, ["ok"])) == {fleet["old"]}, name
        assert statuses(ec2, (name, ["initializing"])) == {fleet["young"]}, name
        assert statuses(ec2, (name, ["not-applicable", "ok"])) == {fleet["old"], fleet["stopped"]}, name
        assert statuses(ec2, (name, ["impaired"])) == set(), name
    for name in ("instance-status.reachability", "system-status.reachability"):
        assert statuses(ec2, (name, ["passed"])) == {fleet["old"]}, name
        assert statuses(ec2, (name, ["init*"])) == {fleet["young"]}, name
        assert statuses(ec2, (name, ["failed"])) == set(), name


def test_zone_state_and_event_filters(ec2: Any, fleet: dict[str, str]) -> None:
    zones = {z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    assert statuses(ec2, ("availability-zone", ["us-east-1b"])) == {fleet["stopped"], fleet["young"]}
    running = ec2.describe_instance_status(Filters=[{"Name": "availability-zone", "Values": ["us-east-1b"]}])
    assert [s["InstanceId"] for s in running["InstanceStatuses"]] == [fleet["young"]]
    assert statuses(ec2, ("availability-zone-id", [zones["us-east-1a"]])) == {fleet["old"]}
    assert statuses(ec2, ("instance-state-name", ["stopped"])) == {fleet["stopped"]}
    assert statuses(ec2, ("instance-state-code", ["16"])) == {fleet["old"], fleet["young"]}
    assert statuses(ec2, ("instance-id", [fleet["old"]])) == {fleet["old"]}
    for name in ("event.code", "event.description", "event.instance-event-id", "event.not-after",
                 "event.not-before", "event.not-before-deadline"):
        assert statuses(ec2, (name, ["*"])) == set(), name


def test_include_all_instances_and_instance_ids(ec2: Any, fleet: dict[str, str]) -> None:
    running = ec2.describe_instance_status()["InstanceStatuses"]
    assert {s["InstanceId"] for s in running} == {fleet["old"], fleet["young"]}
    assert statuses(ec2, InstanceIds=[fleet["stopped"], fleet["old"]]) == {fleet["stopped"], fleet["old"]}
    named = ec2.describe_instance_status(InstanceIds=[fleet["stopped"]])["InstanceStatuses"]
    assert named == []


def test_max_results_and_next_token_page_the_statuses(ec2: Any, fleet: dict[str, str]) -> None:
    first = ec2.describe_instance_status(IncludeAllInstances=True, MaxResults=5)
    assert len(first["InstanceStatuses"]) == 3 and "NextToken" not in first
    more = launch(ec2, 4)
    page = ec2.describe_instance_status(IncludeAllInstances=True, MaxResults=5)
    rest = ec2.describe_instance_status(IncludeAllInstances=True, MaxResults=5, NextToken=page["NextToken"])
    seen = [s["InstanceId"] for s in page["InstanceStatuses"] + rest["InstanceStatuses"]]
    assert sorted(seen) == sorted([*fleet.values(), *more])


def test_dry_run(ec2: Any, fleet: dict[str, str]) -> None:
    error = error_of(ec2.describe_instance_status, DryRun=True)
    assert error["Code"] == "DryRunOperation"


@pytest.mark.parametrize("name", ["operator.managed", "operator.principal", "tag:Name"])
def test_unmodelled_filters_are_refused(ec2: Any, fleet: dict[str, str], name: str) -> None:
    error = error_of(ec2.describe_instance_status, Filters=[{"Name": name, "Values": ["x"]}])
    assert error == {"Code": "InvalidParameterValue", "Message": f"The filter '{name}' is invalid", "Status": 400}
