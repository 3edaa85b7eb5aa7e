"""Ansible's ``amazon.aws.ec2_instance`` module (from the ``ansible`` package's bundled
collections, run by the venv's Python with its boto3) against a real server: the
playbook ``tests/clients/ansible/ec2_instances.yml`` (shown in the README) launches
exactly two tagged instances, is idempotent when run again, and removes them with
``state: absent``.

The module waits with a fixed 15-second delay between polls, so this server's
transitions take no time: the first poll after a change sees its end state, and the
test never waits 15 s.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients.conftest import client_env
from tests.conftest import ServerProcess

PLAYBOOK = Path(__file__).resolve().parent / "ansible" / "ec2_instances.yml"
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")


@pytest.fixture
def instant_server(tmp_path: Path) -> Iterator[ServerProcess]:
    state = tmp_path / "server"
    state.mkdir()
    server = ServerProcess(state, ["--pending-seconds", "0", "--stopping-seconds", "0",
                                   "--shutting-down-seconds", "0"]).start()
    yield server
    server.stop()


def playbook(server: ServerProcess, home: Path, tag: str) -> tuple[int, list[str]]:
    """Run one half of the playbook; ``(tasks changed, instance IDs it printed)``."""
    env = client_env(home, server.endpoint, LC_ALL="C.UTF-8", ANSIBLE_HOME=str(home / "ansible"),
                     ANSIBLE_LOCAL_TEMP=str(home / "ansible" / "tmp"), ANSIBLE_NOCOLOR="1",
                     ANSIBLE_CONFIG=str(home / "no-ansible.cfg"))
    result = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), str(PLAYBOOK), "--tags", tag, "-e", f"ec2emu_endpoint={server.endpoint}",
         "-e", f"ansible_python_interpreter={sys.executable}"],
        capture_output=True, text=True, timeout=120, env=env, cwd=home,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    recap = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", result.stdout)
    assert recap, result.stdout
    printed = re.search(r'"msg": "(?:launched|removed) ([^"]*)"', result.stdout)
    assert printed, result.stdout
    return int(recap.group(1)), printed.group(1).split()


def test_launch_two_tagged_instances_then_remove_them(instant_server: ServerProcess, tmp_path: Path) -> None:
    ec2 = instant_server.client()

    changed, launched = playbook(instant_server, tmp_path, "launch")
    assert changed == 1
    assert len(launched) == 2
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert sorted(i["InstanceId"] for i in instances) == launched
    for instance in instances:
        assert instance["State"]["Name"] == "running"
        assert instance["InstanceType"] == "t3.micro"
        assert instance["Placement"]["AvailabilityZone"] == "us-east-1a"
        assert sorted((t["Key"], t["Value"]) for t in instance["Tags"]) == [
            ("Project", "ec2emu-demo"), ("Role", "web"),
        ]

    # exact_count: a second run finds the two and changes nothing.
    changed, again = playbook(instant_server, tmp_path, "launch")
    assert (changed, again) == (0, launched)
    assert sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"]) == 2

    changed, removed = playbook(instant_server, tmp_path, "remove")
    assert (changed, removed) == (1, launched)
    states = {i["InstanceId"]: i["State"]["Name"]
              for r in ec2.describe_instances(InstanceIds=launched)["Reservations"] for i in r["Instances"]}
    assert states == dict.fromkeys(launched, "terminated")
