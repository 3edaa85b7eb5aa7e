"""StopInstances, StartInstances and RebootInstances through boto3: the timed state
changes, the no-op cases, every refusal with AWS's code and message, hibernation, and
all-or-nothing batches.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import error_of, image_id, launch, states

STORE_IMAGE = "amzn-ami-minimal-hvm-*"
SHUTDOWN_REASON = {
    "Code": "Client.UserInitiatedShutdown",
    "Message": "Client.UserInitiatedShutdown: User initiated shutdown",
}


def snapshot(ec2: Any) -> Any:
    return ec2.describe_instances()["Reservations"], ec2.describe_tags()["Tags"]


def record(ec2: Any, instance_id: str) -> dict[str, Any]:
    return dict(ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0])


def refused(ec2: Any, call: Any, **kwargs: Any) -> dict[str, Any]:
    before = snapshot(ec2)
    error = error_of(call, **kwargs)
    assert snapshot(ec2) == before
    return error


def change(instance_id: str, previous: tuple[int, str], current: tuple[int, str]) -> dict[str, Any]:
    return {
        "InstanceId": instance_id,
        "PreviousState": {"Code": previous[0], "Name": previous[1]},
        "CurrentState": {"Code": current[0], "Name": current[1]},
    }


RUNNING, STOPPING, STOPPED, PENDING = (16, "running"), (64, "stopping"), (80, "stopped"), (0, "pending")
TERMINATED, SHUTTING_DOWN = (48, "terminated"), (32, "shutting-down")


@pytest.fixture
def running(ec2: Any, clock: Any) -> str:
    instance_id = launch(ec2)[0]
    clock.advance(10)
    return instance_id


@pytest.fixture
def stopped(ec2: Any, clock: Any, running: str) -> str:
    ec2.stop_instances(InstanceIds=[running])
    clock.advance(10)
    assert states(ec2, [running]) == {running: "stopped"}
    return running


@pytest.fixture
def terminated(ec2: Any, clock: Any, running: str) -> str:
    ec2.terminate_instances(InstanceIds=[running])
    clock.advance(10)
    assert states(ec2, [running]) == {running: "terminated"}
    return running


# --------------------------------------------------------------------------- stop


def test_stop_goes_running_stopping_stopped_on_the_clock(ec2: Any, clock: Any, running: str) -> None:
    stopped_at = clock.now()
    response = ec2.stop_instances(InstanceIds=[running])
    assert response["StoppingInstances"] == [change(running, RUNNING, STOPPING)]
    clock.advance(4)
    stopping = record(ec2, running)
    assert stopping["State"] == {"Code": 64, "Name": "stopping"}
    clock.advance(2)
    after = record(ec2, running)
    assert after["State"] == {"Code": 80, "Name": "stopped"}
    assert after["StateTransitionReason"] == f"User initiated ({stopped_at:%Y-%m-%d %H:%M:%S} GMT)"
    assert after["StateReason"] == SHUTDOWN_REASON
    assert "PublicIpAddress" not in after
    assert after["PublicDnsName"] == ""
    assert after["PrivateIpAddress"] == stopping["PrivateIpAddress"]
    assert after["BlockDeviceMappings"] == stopping["BlockDeviceMappings"]


def test_reason_uses_gmt_and_the_time_of_the_call(ec2: Any, clock: Any, running: str) -> None:
    clock.advance(3723)
    now = clock.now()
    ec2.stop_instances(InstanceIds=[running])
    reason = record(ec2, running)["StateTransitionReason"]
    assert reason == f"User initiated ({now.strftime('%Y-%m-%d %H:%M:%S')} GMT)"


def test_stop_a_stopped_instance_is_a_no_op(ec2: Any, clock: Any, stopped: str) -> None:
    before = record(ec2, stopped)
    response = ec2.stop_instances(InstanceIds=[stopped])
    assert response["StoppingInstances"] == [change(stopped, STOPPED, STOPPED)]
    assert record(ec2, stopped) == before


def test_stop_a_stopping_instance_reports_stopping(ec2: Any, clock: Any, running: str) -> None:
    ec2.stop_instances(InstanceIds=[running])
    response = ec2.stop_instances(InstanceIds=[running])
    assert response["StoppingInstances"] == [change(running, STOPPING, STOPPING)]
    clock.advance(6)
    assert states(ec2, [running]) == {running: "stopped"}


def test_stop_a_pending_instance(ec2: Any) -> None:
    instance_id = launch(ec2)[0]
    error = refused(ec2, ec2.stop_instances, InstanceIds=[instance_id])
    assert error == {
        "Code": "IncorrectInstanceState",
        "Message": f"Instance '{instance_id}' cannot be stopped as it has never reached the 'running' state.",
        "Status": 400,
    }


def test_stop_a_terminated_instance(ec2: Any, terminated: str) -> None:
    error = refused(ec2, ec2.stop_instances, InstanceIds=[terminated])
    assert error == {
        "Code": "IncorrectInstanceState",
        "Message": f"This instance '{terminated}' is not in a state from which it can be stopped.",
        "Status": 400,
    }


def test_stop_a_shutting_down_instance(ec2: Any, running: str) -> None:
    ec2.terminate_instances(InstanceIds=[running])
    error = refused(ec2, ec2.stop_instances, InstanceIds=[running])
    assert error["Code"] == "IncorrectInstanceState"
    assert error["Message"] == f"This instance '{running}' is not in a state from which it can be stopped."


def test_stop_an_instance_store_backed_instance(ec2: Any, clock: Any) -> None:
    store = image_id(ec2, STORE_IMAGE, root="instance-store")
    instance_id = launch(ec2, ImageId=store, InstanceType="m3.medium")[0]
    clock.advance(10)
    error = refused(ec2, ec2.stop_instances, InstanceIds=[instance_id])
    assert error == {
        "Code": "UnsupportedOperation",
        "Message": f"The instance '{instance_id}' does not have an 'ebs' root device type and cannot be stopped.",
        "Status": 400,
    }


def test_disable_api_stop_blocks_stop(ec2: Any, clock: Any) -> None:
    instance_id = launch(ec2, DisableApiStop=True)[0]
    clock.advance(10)
    error = refused(ec2, ec2.stop_instances, InstanceIds=[instance_id])
    assert error == {
        "Code": "OperationNotPermitted",
        "Message": f"The instance '{instance_id}' may not be stopped. Modify its 'disableApiStop' "
                   "instance attribute and try again.",
        "Status": 400,
    }
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiStop={"Value": False})
    ec2.stop_instances(InstanceIds=[instance_id])
    assert states(ec2, [instance_id]) == {instance_id: "stopping"}


def test_termination_protection_does_not_block_stop(ec2: Any, clock: Any) -> None:
    instance_id = launch(ec2, DisableApiTermination=True)[0]
    clock.advance(10)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert states(ec2, [instance_id]) == {instance_id: "stopping"}


def test_hibernate_an_instance_not_configured_for_it(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.stop_instances, InstanceIds=[running], Hibernate=True)
    assert error == {
        "Code": "UnsupportedHibernationConfiguration",
        "Message": "The instance can't be hibernated because it was not configured at launch for "
                   f"hibernation: {running}",
        "Status": 400,
    }


def test_hibernate_an_instance_configured_for_it(ec2: Any, clock: Any) -> None:
    instance_id = launch(ec2, HibernationOptions={"Configured": True})[0]
    clock.advance(10)
    assert record(ec2, instance_id)["HibernationOptions"] == {"Configured": True}
    response = ec2.stop_instances(InstanceIds=[instance_id], Hibernate=True)
    assert response["StoppingInstances"] == [change(instance_id, RUNNING, STOPPING)]
    clock.advance(10)
    after = record(ec2, instance_id)
    assert after["State"]["Name"] == "stopped"
    assert after["StateReason"] == {
        "Code": "Client.UserInitiatedHibernate",
        "Message": "Client.UserInitiatedHibernate: User initiated hibernate",
    }


def test_hibernation_configured_instance_can_still_stop_normally(ec2: Any, clock: Any) -> None:
    instance_id = launch(ec2, HibernationOptions={"Configured": True})[0]
    clock.advance(10)
    ec2.stop_instances(InstanceIds=[instance_id], Hibernate=False)
    clock.advance(10)
    assert record(ec2, instance_id)["StateReason"] == SHUTDOWN_REASON


@pytest.mark.parametrize("options", [{"Force": True}, {"Force": False}, {"SkipOsShutdown": True}])
def test_force_and_skip_os_shutdown_are_accepted(ec2: Any, clock: Any, running: str, options: dict[str, Any]) -> None:
    response = ec2.stop_instances(InstanceIds=[running], **options)
    assert response["StoppingInstances"] == [change(running, RUNNING, STOPPING)]
    clock.advance(10)
    assert states(ec2, [running]) == {running: "stopped"}


def test_stop_batch_is_all_or_nothing(ec2: Any, clock: Any) -> None:
    ready = launch(ec2, 3)
    clock.advance(10)
    young = launch(ec2)[0]
    error = refused(ec2, ec2.stop_instances, InstanceIds=[*ready, young])
    assert error["Code"] == "IncorrectInstanceState"
    assert f"'{young}'" in error["Message"]
    assert set(states(ec2, [*ready, young]).values()) == {"running", "pending"}
    assert states(ec2, ready) == dict.fromkeys(ready, "running")


def test_stop_batch_with_a_protected_instance_stops_none(ec2: Any, clock: Any) -> None:
    free = launch(ec2, 2)
    protected = launch(ec2, DisableApiStop=True)[0]
    clock.advance(10)
    error = refused(ec2, ec2.stop_instances, InstanceIds=[free[0], protected, free[1]])
    assert error["Code"] == "OperationNotPermitted"
    assert states(ec2, [*free, protected]) == dict.fromkeys([*free, protected], "running")


def test_stop_with_unknown_ids_names_them_all(ec2: Any, running: str) -> None:
    missing = ["i-0123456789abcdef0", "i-0123456789abcdef1"]
    error = refused(ec2, ec2.stop_instances, InstanceIds=[running, *missing])
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": f"The instance IDs '{', '.join(missing)}' do not exist",
        "Status": 400,
    }


def test_stop_with_a_malformed_id(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.stop_instances, InstanceIds=[running, "i-bad"])
    assert error == {"Code": "InvalidInstanceID.Malformed", "Message": 'Invalid id: "i-bad"', "Status": 400}


def test_stop_several_and_duplicates(ec2: Any, clock: Any) -> None:
    ids = launch(ec2, 3)
    clock.advance(10)
    response = ec2.stop_instances(InstanceIds=[ids[0], ids[1], ids[0], ids[2]])
    assert response["StoppingInstances"] == [change(i, RUNNING, STOPPING) for i in ids]


def test_stop_dry_run(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.stop_instances, InstanceIds=[running], DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)


def test_stop_from_another_region_is_not_found(ec2: Any, make_client: Any, running: str) -> None:
    west = make_client("us-west-2")
    error = refused(ec2, west.stop_instances, InstanceIds=[running])
    assert error["Code"] == "InvalidInstanceID.NotFound"


# --------------------------------------------------------------------------- start


def test_start_goes_stopped_pending_running(ec2: Any, clock: Any, stopped: str) -> None:
    before = record(ec2, stopped)
    started_at = clock.now()
    response = ec2.start_instances(InstanceIds=[stopped])
    assert response["StartingInstances"] == [change(stopped, STOPPED, PENDING)]
    pending = record(ec2, stopped)
    assert pending["State"] == {"Code": 0, "Name": "pending"}
    clock.advance(4)
    assert states(ec2, [stopped]) == {stopped: "pending"}
    clock.advance(2)
    after = record(ec2, stopped)
    assert after["State"] == {"Code": 16, "Name": "running"}
    assert "StateReason" not in after
    assert after["StateTransitionReason"] == ""
    assert after["LaunchTime"] == started_at
    assert after["PrivateIpAddress"] == before["PrivateIpAddress"]
    assert after["BlockDeviceMappings"][0]["Ebs"]["VolumeId"] == before["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert "PublicIpAddress" in after


def test_start_a_running_instance_is_a_no_op(ec2: Any, running: str) -> None:
    before = record(ec2, running)
    response = ec2.start_instances(InstanceIds=[running])
    assert response["StartingInstances"] == [change(running, RUNNING, RUNNING)]
    assert record(ec2, running) == before


def test_start_a_terminated_instance(ec2: Any, terminated: str) -> None:
    error = refused(ec2, ec2.start_instances, InstanceIds=[terminated])
    assert error == {
        "Code": "IncorrectInstanceState",
        "Message": f"The instance '{terminated}' is not in a state from which it can be started.",
        "Status": 400,
    }


def test_start_a_stopping_instance(ec2: Any, running: str) -> None:
    ec2.stop_instances(InstanceIds=[running])
    error = refused(ec2, ec2.start_instances, InstanceIds=[running])
    assert error["Code"] == "IncorrectInstanceState"
    assert error["Message"] == f"The instance '{running}' is not in a state from which it can be started."


def test_start_batch_is_all_or_nothing(ec2: Any, clock: Any) -> None:
    ids = launch(ec2, 3)
    clock.advance(10)
    ec2.stop_instances(InstanceIds=ids[:2])
    ec2.terminate_instances(InstanceIds=[ids[2]])
    clock.advance(10)
    error = refused(ec2, ec2.start_instances, InstanceIds=ids)
    assert error["Code"] == "IncorrectInstanceState"
    assert f"'{ids[2]}'" in error["Message"]
    assert states(ec2, ids) == {ids[0]: "stopped", ids[1]: "stopped", ids[2]: "terminated"}


def test_start_dry_run(ec2: Any, stopped: str) -> None:
    error = refused(ec2, ec2.start_instances, InstanceIds=[stopped], DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)


def test_stop_start_cycle_twice(ec2: Any, clock: Any, running: str) -> None:
    for _ in range(2):
        ec2.stop_instances(InstanceIds=[running])
        clock.advance(10)
        assert states(ec2, [running]) == {running: "stopped"}
        ec2.start_instances(InstanceIds=[running])
        clock.advance(10)
        assert states(ec2, [running]) == {running: "running"}


# --------------------------------------------------------------------------- reboot


def test_reboot_keeps_running(ec2: Any, clock: Any, running: str) -> None:
    before = record(ec2, running)
    response = ec2.reboot_instances(InstanceIds=[running])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(response) == {"ResponseMetadata"}
    assert record(ec2, running) == before
    clock.advance(600)
    assert states(ec2, [running]) == {running: "running"}


def test_reboot_unknown_instance(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.reboot_instances, InstanceIds=[running, "i-0123456789abcdef0"])
    assert error == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": "The instance ID 'i-0123456789abcdef0' does not exist",
        "Status": 400,
    }


def test_reboot_a_terminated_instance_is_ignored(ec2: Any, terminated: str) -> None:
    ec2.reboot_instances(InstanceIds=[terminated])
    assert states(ec2, [terminated]) == {terminated: "terminated"}


def test_reboot_a_stopped_instance(ec2: Any, stopped: str) -> None:
    error = refused(ec2, ec2.reboot_instances, InstanceIds=[stopped])
    assert error["Code"] == "IncorrectInstanceState"


def test_reboot_dry_run(ec2: Any, running: str) -> None:
    error = refused(ec2, ec2.reboot_instances, InstanceIds=[running], DryRun=True)
    assert (error["Code"], error["Status"]) == ("DryRunOperation", 412)


@pytest.mark.parametrize("call", ["stop_instances", "start_instances", "reboot_instances"])
def test_no_instance_ids(ec2: Any, call: str) -> None:
    error = error_of(getattr(ec2, call), InstanceIds=[])
    assert error == {
        "Code": "MissingParameter",
        "Message": "The request must contain the parameter InstanceId",
        "Status": 400,
    }
