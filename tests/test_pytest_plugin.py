"""The pytest plugin, as a user's test suite meets it: a fresh pytest process (so the
``pytest11`` entry point must load it) running a small test file with the fixtures
``ec2emu``, ``ec2_client`` and ``ec2emu_server``."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

IN_PROCESS = '''
import boto3
import pytest


def image(ec2):
    return ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]


def test_ec2_client_is_bound_to_the_emulator(ec2emu, ec2_client):
    reservation = ec2_client.run_instances(ImageId=image(ec2_client), MinCount=2, MaxCount=2)
    ids = [i["InstanceId"] for i in reservation["Instances"]]
    ec2emu.advance(5)
    described = ec2_client.describe_instances(InstanceIds=ids)["Reservations"][0]["Instances"]
    assert {i["State"]["Name"] for i in described} == {"running"}
    # Any client made during the test reaches the same emulator.
    other = boto3.client("ec2", region_name="us-east-1")
    assert len(other.describe_instances()["Reservations"][0]["Instances"]) == 2


def test_each_test_starts_empty(ec2_client):
    assert ec2_client.describe_instances()["Reservations"] == []


@pytest.mark.ec2emu(pending_seconds=0)
def test_the_marker_sets_the_durations(ec2emu, ec2_client):
    assert ec2emu.settings.durations.pending == 0
    reservation = ec2_client.run_instances(ImageId=image(ec2_client), MinCount=1, MaxCount=1)
    instance = reservation["Instances"][0]["InstanceId"]
    state = ec2_client.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]
    assert state["Name"] == "running"
'''

SERVER = '''
import boto3
import pytest

PORTS = set()


def client(endpoint):
    return boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


@pytest.mark.parametrize("round", [1, 2])
def test_one_server_for_the_session_reset_between_tests(ec2emu_server, round):
    assert isinstance(ec2emu_server, str) and ec2emu_server.startswith("http://127.0.0.1:")
    PORTS.add(ec2emu_server)
    assert len(PORTS) == 1
    ec2 = client(ec2emu_server)
    assert ec2.describe_instances()["Reservations"] == []
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2emu_server.advance(3600)
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance], WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    change = ec2emu_server.shutdown_guest(instance)
    assert change["current_state"] == "stopping"
    assert (ec2emu_server.state_dir / "admin-token").read_text().strip() == ec2emu_server.admin_token
'''


def test_in_process_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user_code=IN_PROCESS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=3)


def test_server_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user_code=SERVER)
    # Long transitions: the test moves the server's clock instead of waiting.
    pytester.makeini("[pytest]\nec2emu_server_args = --pending-seconds 600 --stopping-seconds 600\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_plugin_is_registered_and_its_marker_documented(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.ec2emu(**options): options for ec2emu.mock()*"])
    result = pytester.runpytest_subprocess("--fixtures")
    for name, summary in (("ec2emu", "An in-process ec2emu for this test*"),
                          ("ec2_client", "A boto3 EC2 client in us-east-1 bound to the ec2emu fixture."),
                          ("ec2emu_server", "The endpoint URL of a real ec2emu server shared by the session*")):
        result.stdout.fnmatch_lines([f"{name} -- *", f"    {summary}"])
