"""TerminateInstances, rule by rule from the AWS reference page, through boto3."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from tests.helpers import error_of, launch, states

ABCD_ZONES = {"A": "us-east-1a", "B": "us-east-1a", "C": "us-east-1b", "D": "us-east-1b"}


def _abcd(ec2: Any, protected: str = "DisableApiTermination") -> dict[str, str]:
    """The reference page's four instances: C (us-east-1b) is protected."""
    names = {}
    for name, zone in ABCD_ZONES.items():
        kwargs: dict[str, Any] = {"Placement": {"AvailabilityZone": zone}}
        if name == "C":
            kwargs[protected] = True
        names[name] = launch(ec2, **kwargs)[0]
    return names


@pytest.mark.parametrize("order", list(itertools.permutations("ABCD")))
def test_reference_example_in_every_order(ec2: Any, clock: Any, order: tuple[str, ...]) -> None:
    names = _abcd(ec2)
    clock.advance(10)
    ids = [names[n] for n in order]
    error = error_of(ec2.terminate_instances, InstanceIds=ids)
    assert error["Code"] == "OperationNotPermitted"
    assert error["Status"] == 400
    assert error["Message"] == (
        f"The instance '{names['C']}' may not be terminated. Modify its 'disableApiTermination' "
        "instance attribute and try again."
    )
    after = states(ec2, ids)
    assert after[names["A"]] == "shutting-down"
    assert after[names["B"]] == "shutting-down"
    assert after[names["C"]] == "running"
    assert after[names["D"]] == "running"
    clock.advance(10)
    after = states(ec2, ids)
    assert (after[names["A"]], after[names["B"]]) == ("terminated", "terminated")
    assert (after[names["C"]], after[names["D"]]) == ("running", "running")


def test_stop_protection_also_blocks_termination_per_zone(ec2: Any, clock: Any) -> None:
    names = _abcd(ec2, protected="DisableApiStop")
    clock.advance(10)
    error = error_of(ec2.terminate_instances, InstanceIds=list(names.values()))
    assert error["Code"] == "OperationNotPermitted"
    assert "Modify its 'disableApiStop' instance attribute" in error["Message"]
    after = states(ec2, list(names.values()))
    assert [after[names[n]] for n in "ABCD"] == ["shutting-down", "shutting-down", "running", "running"]


def test_three_zones_only_the_protected_zone_survives(ec2: Any, clock: Any) -> None:
    plan = [("us-east-1a", False), ("us-east-1a", False), ("us-east-1b", True),
            ("us-east-1b", False), ("us-east-1c", False), ("us-east-1c", False)]
    ids = [
        launch(ec2, Placement={"AvailabilityZone": zone}, DisableApiTermination=protect)[0]
        for zone, protect in plan
    ]
    clock.advance(10)
    error_of(ec2.terminate_instances, InstanceIds=list(reversed(ids)))
    after = states(ec2, ids)
    assert [after[i] for i in ids] == [
        "shutting-down", "shutting-down", "running", "running", "shutting-down", "shutting-down"
    ]


def test_two_protected_zones_names_the_first_protected_in_request_order(ec2: Any, clock: Any) -> None:
    first = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"}, DisableApiTermination=True)[0]
    second = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"}, DisableApiTermination=True)[0]
    free = launch(ec2, Placement={"AvailabilityZone": "us-east-1c"})[0]
    error = error_of(ec2.terminate_instances, InstanceIds=[second, free, first])
    assert f"'{second}'" in error["Message"]
    assert states(ec2, [first, second, free]) == {first: "pending", second: "pending", free: "shutting-down"}


def test_only_protected_instances_requested_changes_nothing(ec2: Any) -> None:
    protected = launch(ec2, DisableApiTermination=True)[0]
    error = error_of(ec2.terminate_instances, InstanceIds=[protected])
    assert error["Code"] == "OperationNotPermitted"
    assert states(ec2, [protected]) == {protected: "pending"}


def test_unprotected_instance_in_same_zone_is_not_terminated(ec2: Any) -> None:
    protected = launch(ec2, Placement={"AvailabilityZone": "us-east-1d"}, DisableApiTermination=True)[0]
    neighbour = launch(ec2, Placement={"AvailabilityZone": "us-east-1d"})[0]
    error_of(ec2.terminate_instances, InstanceIds=[neighbour, protected])
    assert states(ec2, [neighbour]) == {neighbour: "pending"}


def test_protection_of_an_instance_not_requested_does_not_matter(ec2: Any) -> None:
    launch(ec2, Placement={"AvailabilityZone": "us-east-1a"}, DisableApiTermination=True)
    target = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})[0]
    result = ec2.terminate_instances(InstanceIds=[target])
    assert result["TerminatingInstances"][0]["CurrentState"]["Name"] == "shutting-down"


def test_success_reports_states_and_reason(ec2: Any, clock: Any) -> None:
    ids = launch(ec2, 2)
    clock.advance(10)
    result = ec2.terminate_instances(InstanceIds=ids)
    assert result["TerminatingInstances"] == [
        {
            "InstanceId": i,
            "CurrentState": {"Code": 32, "Name": "shutting-down"},
            "PreviousState": {"Code": 16, "Name": "running"},
        }
        for i in ids
    ]
    instance = ec2.describe_instances(InstanceIds=ids[:1])["Reservations"][0]["Instances"][0]
    stamp = clock.now().strftime("%Y-%m-%d %H:%M:%S")
    assert instance["StateTransitionReason"] == f"User initiated ({stamp} GMT)"
    assert instance["StateReason"] == {
        "Code": "Client.UserInitiatedShutdown",
        "Message": "Client.UserInitiatedShutdown: User initiated shutdown",
    }


def test_terminate_pending_and_stopped_instances(ec2: Any, clock: Any) -> None:
    pending = launch(ec2)[0]
    stopped = launch(ec2)[0]
    clock.advance(10)
    ec2.stop_instances(InstanceIds=[stopped])
    clock.advance(10)
    result = ec2.terminate_instances(InstanceIds=[stopped])["TerminatingInstances"][0]
    assert result["PreviousState"]["Name"] == "stopped"
    fresh = launch(ec2)[0]
    result = ec2.terminate_instances(InstanceIds=[fresh])["TerminatingInstances"][0]
    assert (result["PreviousState"]["Name"], result["CurrentState"]["Name"]) == ("pending", "shutting-down")
    assert states(ec2, [pending])[pending] == "running"


def test_idempotent_while_shutting_down_and_terminated(ec2: Any, clock: Any) -> None:
    instance = launch(ec2)[0]
    ec2.terminate_instances(InstanceIds=[instance])
    again = ec2.terminate_instances(InstanceIds=[instance])["TerminatingInstances"][0]
    assert again["PreviousState"] == {"Code": 32, "Name": "shutting-down"}
    assert again["CurrentState"] == {"Code": 32, "Name": "shutting-down"}
    clock.advance(10)
    again = ec2.terminate_instances(InstanceIds=[instance])["TerminatingInstances"][0]
    assert again["PreviousState"] == {"Code": 48, "Name": "terminated"}
    assert again["CurrentState"] == {"Code": 48, "Name": "terminated"}


def test_duplicate_ids_are_reported_once(ec2: Any) -> None:
    a, b = launch(ec2, 2)
    result = ec2.terminate_instances(InstanceIds=[a, b, a, a])["TerminatingInstances"]
    assert [r["InstanceId"] for r in result] == [a, b]


def test_terminated_instance_visible_for_retention_then_not_found(ec2: Any, clock: Any) -> None:
    instance = launch(ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}])[0]
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert described["State"]["Name"] == "terminated"
    assert described["Tags"] == [{"Key": "k", "Value": "v"}]
    assert described["BlockDeviceMappings"] == []
    assert "PrivateIpAddress" not in described
    assert described["Placement"]["AvailabilityZone"].startswith("us-east-1")
    clock.advance(3600)
    assert ec2.describe_instances()["Reservations"] == []
    error = error_of(ec2.terminate_instances, InstanceIds=[instance])
    assert error["Code"] == "InvalidInstanceID.NotFound"


def test_root_volume_with_delete_on_termination_goes_away(ec2: Any, clock: Any) -> None:
    instance = launch(ec2)[0]
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    volume_id = described["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert described["BlockDeviceMappings"][0]["Ebs"]["DeleteOnTermination"] is True
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    error = error_of(ec2.create_tags, Resources=[volume_id], Tags=[{"Key": "a", "Value": "b"}])
    assert error["Code"] == "InvalidVolume.NotFound"
    assert volume_id not in {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
    assert error_of(ec2.describe_volumes, VolumeIds=[volume_id])["Code"] == "InvalidVolume.NotFound"


def test_one_unknown_id_fails_everything(ec2: Any) -> None:
    ids = launch(ec2, 2)
    ghost = "i-0123456789abcdef0"
    error = error_of(ec2.terminate_instances, InstanceIds=[ids[0], ghost, ids[1]])
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": f"The instance ID '{ghost}' does not exist",
        "Status": 400,
    }
    assert set(states(ec2, ids).values()) == {"pending"}


def test_several_unknown_ids_are_all_named(ec2: Any) -> None:
    ids = launch(ec2, 1)
    ghosts = ["i-0123456789abcdef0", "i-0123456789abcdef1", "i-12345678"]
    error = error_of(ec2.terminate_instances, InstanceIds=[ghosts[0], ids[0], ghosts[1], ghosts[2]])
    assert error["Message"] == f"The instance IDs '{', '.join(ghosts)}' do not exist"
    assert states(ec2, ids) == {ids[0]: "pending"}


@pytest.mark.parametrize("bad", ["i-123", "instance-1", "i-0123456789ABCDEF0", "i-0123456789abcdefg", "", "ami-12345678"])
def test_malformed_id_fails_everything(ec2: Any, bad: str) -> None:
    ids = launch(ec2, 1)
    error = error_of(ec2.terminate_instances, InstanceIds=[ids[0], bad])
    assert error == {"Code": "InvalidInstanceID.Malformed", "Message": f'Invalid id: "{bad}"', "Status": 400}
    assert states(ec2, ids) == {ids[0]: "pending"}


def test_malformed_wins_over_not_found(ec2: Any) -> None:
    error = error_of(ec2.terminate_instances, InstanceIds=["i-0123456789abcdef0", "bogus"])
    assert error["Code"] == "InvalidInstanceID.Malformed"


def test_unknown_id_with_protected_instance_changes_nothing(ec2: Any) -> None:
    free = launch(ec2, Placement={"AvailabilityZone": "us-east-1a"})[0]
    guarded = launch(ec2, Placement={"AvailabilityZone": "us-east-1b"}, DisableApiTermination=True)[0]
    error = error_of(ec2.terminate_instances, InstanceIds=[free, guarded, "i-0123456789abcdef0"])
    assert error["Code"] == "InvalidInstanceID.NotFound"
    assert states(ec2, [free, guarded]) == {free: "pending", guarded: "pending"}


def test_more_than_1000_ids_fails_and_changes_nothing(ec2: Any) -> None:
    ids = launch(ec2, 1)
    too_many = ids + [f"i-{n:017x}" for n in range(1000)]
    error = error_of(ec2.terminate_instances, InstanceIds=too_many)
    assert error["Code"] == "InvalidParameterValue"
    assert error["Status"] == 400
    assert "1000" in error["Message"]
    assert states(ec2, ids) == {ids[0]: "pending"}


def test_exactly_1000_ids_is_accepted(ec2: Any) -> None:
    ids = launch(ec2, 1000)
    result = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
    assert len(result) == 1000
    assert {r["CurrentState"]["Name"] for r in result} == {"shutting-down"}


def test_no_ids_is_missing_parameter(ec2: Any) -> None:
    error = error_of(ec2.terminate_instances, InstanceIds=[])
    assert error == {
        "Code": "MissingParameter",
        "Message": "The request must contain the parameter InstanceId",
        "Status": 400,
    }


def test_dry_run_answers_412_and_changes_nothing(ec2: Any) -> None:
    ids = launch(ec2, 1)
    error = error_of(ec2.terminate_instances, InstanceIds=ids, DryRun=True)
    assert error == {
        "Code": "DryRunOperation",
        "Message": "Request would have succeeded, but DryRun flag is set.",
        "Status": 412,
    }
    assert states(ec2, ids) == {ids[0]: "pending"}


def test_dry_run_still_validates_ids(ec2: Any) -> None:
    error = error_of(ec2.terminate_instances, InstanceIds=["i-0123456789abcdef0"], DryRun=True)
    assert error["Code"] == "InvalidInstanceID.NotFound"


def test_force_and_skip_os_shutdown_are_accepted(ec2: Any) -> None:
    ids = launch(ec2, 2)
    result = ec2.terminate_instances(InstanceIds=ids, Force=True, SkipOsShutdown=True)
    assert [r["CurrentState"]["Name"] for r in result["TerminatingInstances"]] == ["shutting-down"] * 2


def test_other_region_instance_is_not_found(make_client: Any) -> None:
    east = make_client("us-east-1")
    west = make_client("us-west-2")
    instance = launch(east)[0]
    error = error_of(west.terminate_instances, InstanceIds=[instance])
    assert error["Code"] == "InvalidInstanceID.NotFound"
    assert states(east, [instance]) == {instance: "pending"}


def test_terminated_instance_cannot_start_again(ec2: Any, clock: Any) -> None:
    instance = launch(ec2)[0]
    ec2.terminate_instances(InstanceIds=[instance])
    clock.advance(10)
    error = error_of(ec2.start_instances, InstanceIds=[instance])
    assert error["Code"] == "IncorrectInstanceState"
    assert states(ec2, [instance]) == {instance: "terminated"}


def test_reason_timestamp_is_gmt_formatted(ec2: Any) -> None:
    instance = launch(ec2)[0]
    ec2.terminate_instances(InstanceIds=[instance])
    reason = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0][
        "StateTransitionReason"
    ]
    assert re.fullmatch(r"User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)", reason)
