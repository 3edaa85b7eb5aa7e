"""Durability: every acknowledged change survives ``kill -9`` of the server, and a
request answered with an error leaves nothing behind, before and after a restart."""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ServerProcess
from tests.helpers import error_of, image_id, launch, states

SLOW = ["--pending-seconds", "30", "--stopping-seconds", "30", "--shutting-down-seconds", "30"]


def advance(server: ServerProcess, seconds: float) -> None:
    request = urllib.request.Request(
        f"{server.endpoint}/_ec2emu/clock", data=json.dumps({"advance_seconds": seconds}).encode(),
        headers={"Authorization": "Bearer test-admin-token"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


class Servers:
    """The current server on one state directory; ``restart()`` kills it with SIGKILL."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.current = ServerProcess(state_dir, SLOW).start()

    def restart(self) -> ServerProcess:
        self.current.kill9()
        self.current.stop()
        self.current = ServerProcess(self.state_dir, SLOW).start()
        return self.current


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    holder = Servers(tmp_path)
    yield holder
    holder.current.stop()


def snapshot(ec2: Any, ids: list[str]) -> dict[str, Any]:
    """Everything the API says about ``ids``: records, tags and attributes."""
    instances = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": ids}])["Tags"]
    attributes = {}
    for instance_id in ids:
        for attribute in ("disableApiTermination", "disableApiStop", "instanceInitiatedShutdownBehavior",
                          "instanceType", "userData"):
            answer = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute=attribute)
            answer.pop("ResponseMetadata")
            attributes[(instance_id, attribute)] = answer
    return {"instances": instances, "tags": tags, "attributes": attributes}


def test_every_acknowledged_change_survives_kill_9(servers: Servers) -> None:
    ec2 = servers.current.client()
    ids = launch(ec2, 4, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}, {"Key": "tier", "Value": "1"}]},
    ])
    key_pair = ec2.create_key_pair(KeyName="my-key", KeyType="ed25519")
    protected = launch(ec2, 1, DisableApiTermination=True, UserData="echo hi", KeyName="my-key")[0]
    tokened = ec2.run_instances(ImageId=image_id(ec2), InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                ClientToken="durable-token")["Instances"][0]["InstanceId"]
    west = servers.current.client("eu-west-1")
    [west_id] = launch(west, 1)
    advance(servers.current, 30)
    terminated, stopped, modified, untouched = ids
    ec2.terminate_instances(InstanceIds=[terminated])
    ec2.stop_instances(InstanceIds=[stopped])
    ec2.modify_instance_attribute(InstanceId=modified, DisableApiStop={"Value": True})
    ec2.modify_instance_attribute(InstanceId=modified, InstanceInitiatedShutdownBehavior={"Value": "terminate"})
    ec2.create_tags(Resources=[modified, protected], Tags=[{"Key": "owner", "Value": "alice"}])
    ec2.delete_tags(Resources=[modified], Tags=[{"Key": "tier"}])
    advance(servers.current, 30)
    ec2.modify_instance_attribute(InstanceId=stopped, InstanceType={"Value": "t3.large"})
    ec2.modify_instance_attribute(InstanceId=stopped, UserData={"Value": b"#!/bin/sh\necho stopped\n"})
    all_ids = [*ids, protected, tokened]
    expected = states(ec2, all_ids)
    assert expected == {terminated: "terminated", stopped: "stopped", modified: "running",
                        untouched: "running", protected: "running", tokened: "running"}
    before = snapshot(ec2, all_ids)
    before_west = west.describe_instances()["Reservations"]
    # The very last acknowledged request before the kill must survive too.
    ec2.create_tags(Resources=[untouched], Tags=[{"Key": "last", "Value": "write"}])

    again = servers.restart().client()
    after = snapshot(again, all_ids)
    last = after["tags"].pop(next(i for i, t in enumerate(after["tags"]) if t["Key"] == "last"))
    assert (last["ResourceId"], last["Value"]) == (untouched, "write")
    for reservation in after["instances"]:
        for instance in reservation["Instances"]:
            if instance["InstanceId"] == untouched:
                instance["Tags"].remove({"Key": "last", "Value": "write"})
    assert after == before
    [kept] = again.describe_key_pairs(KeyNames=["my-key"])["KeyPairs"]
    assert (kept["KeyPairId"], kept["KeyFingerprint"]) == (key_pair["KeyPairId"], key_pair["KeyFingerprint"])
    assert servers.current.client("eu-west-1").describe_instances()["Reservations"] == before_west
    assert servers.current.client("eu-west-1").describe_instances()["Reservations"][0]["Instances"][0][
        "InstanceId"] == west_id
    # Attribute values, spelled out.
    attrs = after["attributes"]
    assert attrs[(modified, "disableApiStop")]["DisableApiStop"] == {"Value": True}
    assert attrs[(modified, "instanceInitiatedShutdownBehavior")]["InstanceInitiatedShutdownBehavior"] == {
        "Value": "terminate"}
    assert attrs[(stopped, "instanceType")]["InstanceType"] == {"Value": "t3.large"}
    assert base64.b64decode(attrs[(stopped, "userData")]["UserData"]["Value"]) == b"#!/bin/sh\necho stopped\n"
    assert attrs[(protected, "disableApiTermination")]["DisableApiTermination"] == {"Value": True}
    # Idempotency tokens survive: the same ClientToken gives the same instance.
    replay = again.run_instances(ImageId=image_id(again), InstanceType="t3.micro", MinCount=1, MaxCount=1,
                                 ClientToken="durable-token")
    assert [i["InstanceId"] for i in replay["Instances"]] == [tokened]
    # Protection still holds, and timed transitions resume from the stored state.
    assert error_of(again.terminate_instances, InstanceIds=[protected])["Code"] == "OperationNotPermitted"
    again.start_instances(InstanceIds=[stopped])
    advance(servers.current, 30)
    assert states(again, [stopped, terminated]) == {stopped: "running", terminated: "terminated"}


def test_transitions_in_flight_at_the_kill_complete_after_restart(servers: Servers) -> None:
    ec2 = servers.current.client()
    ids = launch(ec2, 3)
    advance(servers.current, 30)
    ec2.stop_instances(InstanceIds=ids[:1])
    ec2.terminate_instances(InstanceIds=ids[1:2])
    assert states(ec2, ids) == {ids[0]: "stopping", ids[1]: "shutting-down", ids[2]: "running"}
    again = servers.restart().client()
    assert states(again, ids) == {ids[0]: "stopping", ids[1]: "shutting-down", ids[2]: "running"}
    advance(servers.current, 30)
    assert states(again, ids) == {ids[0]: "stopped", ids[1]: "terminated", ids[2]: "running"}


def test_requests_answered_with_an_error_change_nothing_even_after_restart(servers: Servers) -> None:
    ec2 = servers.current.client()
    ids = launch(ec2, 2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}])
    advance(servers.current, 30)
    before = snapshot(ec2, ids)
    unknown = "i-0123456789abcdef0"
    error = error_of(ec2.terminate_instances, InstanceIds=[ids[0], unknown, ids[1]])
    assert (error["Code"], error["Status"]) == ("InvalidInstanceID.NotFound", 400)
    assert unknown in error["Message"]
    assert error_of(ec2.terminate_instances, InstanceIds=ids, DryRun=True)["Code"] == "DryRunOperation"
    assert error_of(ec2.stop_instances, InstanceIds=[ids[0], unknown])["Code"] == "InvalidInstanceID.NotFound"
    assert error_of(ec2.create_tags, Resources=[ids[0], unknown],
                    Tags=[{"Key": "new", "Value": "x"}])["Code"] == "InvalidInstanceID.NotFound"
    assert error_of(ec2.modify_instance_attribute, InstanceId=ids[0],
                    InstanceType={"Value": "t3.large"})["Code"] == "IncorrectInstanceState"
    assert error_of(ec2.run_instances, ImageId="ami-0123456789abcdef0", InstanceType="t3.micro",
                    MinCount=1, MaxCount=1)["Code"] == "InvalidAMIID.NotFound"
    assert snapshot(ec2, ids) == before
    assert sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"]) == 2
    again = servers.restart().client()
    assert snapshot(again, ids) == before
    assert sum(len(r["Instances"]) for r in again.describe_instances()["Reservations"]) == 2
