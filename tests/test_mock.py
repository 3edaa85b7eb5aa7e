"""In-process mode, ``ec2emu.mock()``: which clients it catches and how, a fresh store
each time, the ``Emulator`` controls, and that it answers as ``ec2emu serve`` does."""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import EndpointConnectionError

import ec2emu
from ec2emu.errors import Ec2Error
from tests.conftest import ServerProcess, free_port
from tests.helpers import error_of, image_id, launch, states

ORIGINAL_CREATE_CLIENT = botocore.session.Session.create_client


def tagged(ec2: Any, zone: str, protected: bool = False) -> str:
    return launch(ec2, 1, Placement={"AvailabilityZone": zone}, DisableApiTermination=protected)[0]


# --------------------------------------------------------------------------- as a context manager


def test_clients_created_inside_reach_a_fresh_emulator_with_a_manual_clock() -> None:
    with ec2emu.mock() as emulator:
        assert isinstance(emulator, ec2emu.Emulator)
        ec2 = boto3.client("ec2", region_name="us-east-1")
        instance = launch(ec2)[0]
        assert states(ec2, [instance]) == {instance: "pending"}
        emulator.advance(1.5)
        assert states(ec2, [instance]) == {instance: "running"}
        # The waiter's first poll succeeds, so it returns without sleeping.
        ec2.get_waiter("instance_running").wait(InstanceIds=[instance])
    with ec2emu.mock():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        assert ec2.describe_instances()["Reservations"] == []
        assert error_of(ec2.describe_instances, InstanceIds=[instance])["Code"] == "InvalidInstanceID.NotFound"


def test_the_reference_example_in_process() -> None:
    with ec2emu.mock() as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        a, b = tagged(ec2, "us-east-1a"), tagged(ec2, "us-east-1a")
        c, d = tagged(ec2, "us-east-1b", protected=True), tagged(ec2, "us-east-1b")
        emulator.advance(2)
        error = error_of(ec2.terminate_instances, InstanceIds=[a, b, c, d])
        assert error["Code"] == "OperationNotPermitted"
        assert error["Status"] == 400
        emulator.advance(2)
        assert states(ec2, [a, b, c, d]) == {a: "terminated", b: "terminated", c: "running", d: "running"}


def test_every_way_of_making_a_client_is_caught() -> None:
    with ec2emu.mock():
        session_client = boto3.Session(region_name="eu-west-1").client("ec2")
        botocore_client = botocore.session.get_session().create_client("ec2", region_name="eu-west-1")
        resource = boto3.resource("ec2", region_name="eu-west-1")
        instance = launch(session_client)[0]
        assert states(botocore_client, [instance]) == {instance: "pending"}
        assert [i.id for i in resource.instances.all()] == [instance]


def test_the_clients_endpoint_url_does_not_matter() -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    with ec2emu.mock():
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=unreachable)
        assert launch(ec2)


def test_clients_created_before_the_block_are_left_alone() -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    before = boto3.client("ec2", region_name="us-east-1", endpoint_url=unreachable,
                          config=botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=2))
    with ec2emu.mock():
        with pytest.raises(EndpointConnectionError):
            before.describe_instances()


def test_a_client_used_after_its_block_raises_rather_than_reaching_aws() -> None:
    with ec2emu.mock():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        ec2.describe_instances()
    with pytest.raises(ec2emu.MockEndedError, match="created inside an ec2emu.mock\\(\\) block that has ended"):
        ec2.describe_instances()
    assert botocore.session.Session.create_client is ORIGINAL_CREATE_CLIENT


@pytest.mark.parametrize("service", ["iam", "sts", "ssm"])
def test_iam_sts_and_ssm_requests_are_routed_too(service: str) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    with ec2emu.mock():
        client = boto3.client(service, region_name="us-east-1", endpoint_url=unreachable)
        if service == "sts":
            assert client.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:root"
        elif service == "ssm":
            name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
            ami = client.get_parameter(Name=name)["Parameter"]["Value"]
            ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=unreachable)
            assert ec2.describe_images(ImageIds=[ami])["Images"][0]["OwnerId"] == "137112412989"
        else:
            client.create_user(UserName="mocked")
            assert [user["UserName"] for user in client.list_users()["Users"]] == ["mocked"]


def test_other_services_are_not_routed() -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    with ec2emu.mock():
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=unreachable,
                          config=botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=2))
        with pytest.raises(EndpointConnectionError):
            s3.list_buckets()


def test_test_credentials_inside_and_the_environment_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    default_before = boto3.DEFAULT_SESSION
    with ec2emu.mock():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "test"
        assert "AWS_SESSION_TOKEN" not in os.environ
        ec2 = boto3.client("ec2")  # no region configured: us-east-1
        assert ec2.meta.region_name == "us-east-1"
        assert launch(ec2)
        assert boto3.DEFAULT_SESSION is not default_before
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALKEY"
    assert os.environ["AWS_SESSION_TOKEN"] == "real-token"
    assert "AWS_DEFAULT_REGION" not in os.environ
    assert boto3.DEFAULT_SESSION is default_before


def test_a_configured_region_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    with ec2emu.mock():
        ec2 = boto3.client("ec2")
        assert ec2.meta.region_name == "ap-southeast-2"
        zone = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
        assert zone.startswith("ap-southeast-2")


def test_nested_blocks_are_separate() -> None:
    with ec2emu.mock():
        outer = boto3.client("ec2", region_name="us-east-1")
        outer_instance = launch(outer)[0]
        with ec2emu.mock():
            inner = boto3.client("ec2", region_name="us-east-1")
            assert inner.describe_instances()["Reservations"] == []
            assert states(outer, [outer_instance]) == {outer_instance: "pending"}
        assert states(outer, [outer_instance]) == {outer_instance: "pending"}


def test_clients_work_from_threads_and_inside_a_running_event_loop() -> None:
    with ec2emu.mock():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        image = image_id(ec2)
        launched: list[str] = []

        def worker() -> None:
            for _ in range(5):
                launched.extend(launch(ec2, 1, ImageId=image))

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(launched)) == 20

        async def from_a_coroutine() -> int:
            return len(ec2.describe_instances()["Reservations"])

        assert asyncio.run(from_a_coroutine()) == 20


# --------------------------------------------------------------------------- as a decorator


@ec2emu.mock()
def decorated(name: str) -> tuple[str, int]:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    count = sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])
    launch(ec2, 1, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}])
    ec2emu.current().advance(5)
    return name, count


def test_a_decorated_function_gets_a_fresh_emulator_on_each_call() -> None:
    assert decorated("first") == ("first", 0)
    assert decorated("second") == ("second", 0)


@ec2emu.mock(pending_seconds=0)
class TestADecoratedClass:
    def test_one(self) -> None:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        instance = launch(ec2)[0]
        assert states(ec2, [instance]) == {instance: "running"}

    def test_two_starts_empty(self) -> None:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        assert ec2.describe_instances()["Reservations"] == []


@ec2emu.mock()
async def decorated_coroutine() -> int:
    await asyncio.sleep(0)
    ec2 = boto3.client("ec2", region_name="us-east-1")
    launch(ec2, 2)
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


def test_a_decorated_coroutine_runs_inside_its_block() -> None:
    assert asyncio.run(decorated_coroutine()) == 2
    assert asyncio.run(decorated_coroutine()) == 2


def test_current_outside_any_block() -> None:
    with pytest.raises(RuntimeError, match="no ec2emu.mock\\(\\) is active"):
        ec2emu.current()


# --------------------------------------------------------------------------- the Emulator's controls


def test_settings_reset_and_guest_shutdown() -> None:
    with ec2emu.mock(pending_seconds=10, stopping_seconds=4, terminated_retention_seconds=60) as emulator:
        assert emulator.settings.durations.pending == 10
        ec2 = boto3.client("ec2", region_name="us-east-1")
        slow = launch(ec2)[0]
        emulator.configure(pending_seconds=0)
        fast = launch(ec2)[0]
        assert states(ec2, [slow, fast]) == {slow: "pending", fast: "running"}
        emulator.advance(10)

        change = emulator.shutdown_guest(slow)
        assert (change["previous_state"], change["current_state"]) == ("running", "stopping")
        emulator.advance(4)
        assert states(ec2, [slow]) == {slow: "stopped"}
        with pytest.raises(Ec2Error) as info:
            emulator.shutdown_guest("i-0123456789abcdef0")
        assert info.value.code == "InvalidInstanceID.NotFound"

        ec2.terminate_instances(InstanceIds=[fast])
        emulator.advance(1.5 + 60)
        assert error_of(ec2.describe_instances, InstanceIds=[fast])["Code"] == "InvalidInstanceID.NotFound"

        emulator.reset()
        assert ec2.describe_instances()["Reservations"] == []


def test_mock_takes_every_timing_option_that_serve_takes() -> None:
    from ec2emu.cli import serve

    options = {param.name for param in serve.params if param.name and param.name.endswith("_seconds")}
    assert options == {f"{name}_seconds" for name in vars(ec2emu.mock().emulator_durations())}
    # Each is honoured: a volume stays creating for volume_seconds, a snapshot pending
    # for snapshot_seconds.
    with ec2emu.mock(volume_seconds=7, snapshot_seconds=30) as emulator:
        assert emulator.settings.durations.volume == 7
        ec2 = boto3.client("ec2", region_name="us-east-1")
        volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
        emulator.advance(6)
        assert ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["State"] == "creating"
        emulator.advance(1)
        assert ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["State"] == "available"
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        emulator.advance(29)
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["State"] == "pending"
        emulator.advance(1)
        assert ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["State"] == "completed"


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="clock must be 'manual' or 'system'"):
        ec2emu.mock(clock="sundial")
    with pytest.raises(TypeError, match="unexpected settings: port"):
        ec2emu.mock(port=80)
    with pytest.raises(TypeError, match="unexpected settings: colour"):
        ec2emu.mock(colour="blue")
    with pytest.raises(ValueError, match="finite non-negative"):
        with ec2emu.mock(pending_seconds=float("nan")):
            pass
    assert botocore.session.Session.create_client is ORIGINAL_CREATE_CLIENT
    with ec2emu.mock() as emulator:
        with pytest.raises(ValueError, match="finite non-negative"):
            emulator.advance(-1)
        with pytest.raises(ValueError, match="finite non-negative"):
            emulator.configure(stopping_seconds=float("inf"))


def test_signatures_are_checked_as_the_auth_mode_says() -> None:
    with ec2emu.mock(auth_mode="strict"):
        assert boto3.client("ec2").describe_regions()["Regions"]  # test/test: the root of 000000000000
        unknown = boto3.client("ec2", aws_access_key_id="AKIAUNKNOWNKEY000000", aws_secret_access_key="x")
        assert error_of(unknown.describe_regions) == {
            "Code": "AuthFailure", "Message": "AWS was not able to validate the provided access credentials",
            "Status": 401,
        }
        wrong = boto3.client("ec2", aws_access_key_id="test", aws_secret_access_key="not-the-secret")
        assert error_of(wrong.describe_regions)["Code"] == "SignatureDoesNotMatch"


def test_the_system_clock_runs_on_its_own() -> None:
    with ec2emu.mock(clock="system", pending_seconds=3600) as emulator:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        instance = launch(ec2)[0]
        launched = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["LaunchTime"]
        emulator.advance(3600)
        assert states(ec2, [instance]) == {instance: "running"}
        now = emulator.clock.now()
        assert (now - launched).total_seconds() >= 3600


# --------------------------------------------------------------------------- the same answers as the server


def conversation(ec2: Any) -> list[Any]:
    """Bad input and a few answers, reduced to what does not depend on IDs or time."""
    instance = launch(ec2, 1, TagSpecifications=[{"ResourceType": "instance",
                                                  "Tags": [{"Key": "team", "Value": "a"}]}])[0]
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    return [
        error_of(ec2.terminate_instances, InstanceIds=["i-0123456789abcdef0"]),
        error_of(ec2.describe_instances, InstanceIds=["bogus"]),
        error_of(ec2.run_instances, ImageId=image_id(ec2), MinCount=1, MaxCount=1, DryRun=True),
        error_of(ec2.run_instances, ImageId="ami-00000000", MinCount=1, MaxCount=1),
        error_of(ec2.describe_instances, Filters=[{"Name": "colour", "Values": ["x"]}]),
        sorted(described),
        described["Tags"],
        described["State"],
    ]


def test_answers_as_ec2emu_serve_does(tmp_path: Any) -> None:
    server = ServerProcess(tmp_path).start()
    try:
        from_server = conversation(server.client())
    finally:
        server.stop()
    with ec2emu.mock():
        in_process = conversation(boto3.client("ec2", region_name="us-east-1"))
    assert in_process == from_server
