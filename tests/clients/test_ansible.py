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

from importlib.metadata import version
from pathlib import Path

import pytest

from tests.clients.ansible_play import message, play
from tests.conftest import CLIENT_VERSION, ServerProcess


def playbook(server: ServerProcess, home: Path, tag: str) -> tuple[int, list[str]]:
    """Run one half of the playbook; ``(tasks changed, instance IDs it printed)``."""
    changed, output = play(server, home, "ec2_instances.yml", tag)
    return changed, message(output, "launched" if tag == "launch" else "removed").split()


def test_launch_two_tagged_instances_then_remove_them(instant_server: ServerProcess, tmp_path: Path,
                                                      record_property: pytest.RecordProperty) -> None:
    record_property(CLIENT_VERSION, f"ansible/{version('ansible')} ansible-core/{version('ansible-core')}")
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
