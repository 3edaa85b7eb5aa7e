"""Readers only read: what a request shows between a transition falling due and the
settler persisting it is what it shows after, and showing it writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
import sqlalchemy as sa

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.store import schema
from ec2emu.store.errors import is_database_error
from ec2emu.store.repository import ReaderWrote, Store
from tests.conftest import DURATIONS, NO_RETRY, fresh_state
from tests.helpers import launch


def _stored(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the timed tables and of the tags, as stored."""
    with store.unit_of_work() as uow:
        return {table.name: sorted(tuple(row) for row in uow.conn.execute(sa.select(table)))
                for table in (schema.instances, schema.volumes, schema.snapshots, schema.images, schema.tags)}


def _reads(ec2: Any) -> dict[str, Any]:
    """What a client reads of everything, with the filters that read shown columns."""
    def call(name: str, **kwargs: Any) -> Any:
        answer = getattr(ec2, name)(**kwargs)
        answer.pop("ResponseMetadata")
        return answer

    reads: dict[str, Any] = {
        "instances": call("describe_instances"),
        "status": call("describe_instance_status", IncludeAllInstances=True),
        "volumes": call("describe_volumes"),
        "snapshots": call("describe_snapshots", OwnerIds=["self"]),
        "images": call("describe_images", Owners=["self"]),
        "tags": call("describe_tags"),
    }
    # By ID too: read as stored first, and as shown only when a due time has passed.
    listed = [i["InstanceId"] for r in reads["instances"]["Reservations"] for i in r["Instances"]]
    reads["instances by ID"] = call("describe_instances", InstanceIds=listed) if listed else None
    if reads["instances by ID"] is not None:
        assert reads["instances by ID"] == reads["instances"]
    volumes = [v["VolumeId"] for v in reads["volumes"]["Volumes"]]
    reads["volumes by ID"] = call("describe_volumes", VolumeIds=volumes) if volumes else None
    if reads["volumes by ID"] is not None:
        assert reads["volumes by ID"] == reads["volumes"]
    snapshots = [s["SnapshotId"] for s in reads["snapshots"]["Snapshots"]]
    reads["snapshots by ID"] = call("describe_snapshots", SnapshotIds=snapshots) if snapshots else None
    if reads["snapshots by ID"] is not None:
        assert reads["snapshots by ID"] == reads["snapshots"]
    for state in ("pending", "running", "shutting-down", "terminated", "stopping", "stopped", "run*", "*ing"):
        reads[f"instances {state}"] = call("describe_instances",
                                           Filters=[{"Name": "instance-state-name", "Values": [state]}])
    for state in ("creating", "available", "in-use", "deleting"):
        reads[f"volumes {state}"] = call("describe_volumes", Filters=[{"Name": "status", "Values": [state]}])
    for state in ("attaching", "attached", "detaching"):
        reads[f"attachments {state}"] = call(
            "describe_volumes", Filters=[{"Name": "attachment.status", "Values": [state]}])
    reads["delete on termination"] = call(
        "describe_volumes", Filters=[{"Name": "attachment.delete-on-termination", "Values": ["true"]}])
    reads["completed"] = call("describe_snapshots", OwnerIds=["self"],
                              Filters=[{"Name": "status", "Values": ["completed"]}])
    reads["available images"] = call("describe_images", Owners=["self"],
                                     Filters=[{"Name": "state", "Values": ["available"]}])
    return reads


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path: Path, migrated_database: Path) -> Any:
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_migrated_url")
    clock = ManualClock()
    app = build_app(Settings(state_dir=fresh_state(tmp_path, migrated_database), db_url=url, durations=DURATIONS, admin_token="t"), clock=clock)
    ec2 = InProcessTransport(app).attach(boto3.client(
        "ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test", aws_access_key_id="test",
        aws_secret_access_key="test", config=NO_RETRY))
    yield app, clock, ec2
    app.store.close()


def _step(world: Any, seconds: float) -> dict[str, Any]:
    """Move the clock alone; what readers see must need no settling, and write nothing."""
    app, clock, ec2 = world
    clock.advance(seconds)
    stored = _stored(app.store)
    shown = _reads(ec2)
    assert _stored(app.store) == stored  # reading wrote nothing
    assert app.settle() > 0  # something had fallen due
    assert _reads(ec2) == shown  # and it was shown as the settler made it
    return shown


def test_what_readers_show_before_settling_is_what_the_settler_makes(world: Any) -> None:
    app, clock, ec2 = world
    a, b = launch(ec2, count=2, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
    shown = _step(world, 60)  # pending → running
    assert [i["State"]["Name"] for i in shown["instances running"]["Reservations"][0]["Instances"]] == [
        "running", "running"]

    volume = ec2.create_volume(AvailabilityZone=_zone(ec2, a), Size=8)["VolumeId"]
    _step(world, 60)  # creating → available
    ec2.attach_volume(VolumeId=volume, InstanceId=a, Device="/dev/sdf")
    _step(world, 60)  # attaching → attached
    ec2.create_tags(Resources=[volume], Tags=[{"Key": "team", "Value": "db"}])
    ec2.create_snapshot(VolumeId=volume)
    ec2.create_image(InstanceId=b, Name="from-b")
    shown = _step(world, 60)  # snapshots complete, the image with them
    assert shown["available images"]["Images"]

    ec2.terminate_instances(InstanceIds=[a])
    ec2.stop_instances(InstanceIds=[b])
    shown = _step(world, 5.5)  # a terminated: its root volume deleting, the other detached; b stopped
    states = {v["VolumeId"]: v["State"] for v in shown["volumes"]["Volumes"]}
    assert states[volume] == "available" and "deleting" in states.values()
    _step(world, 2)  # the root volume gone, with its tags
    ec2.attach_volume(VolumeId=volume, InstanceId=b, Device="/dev/sdg")
    _step(world, 60)
    ec2.detach_volume(VolumeId=volume)
    _step(world, 60)  # detaching → available
    shown = _step(world, 4000)  # a's retention over: gone, with its tags
    assert [i["InstanceId"] for r in shown["instances"]["Reservations"] for i in r["Instances"]] == [b]
    assert {t["ResourceId"] for t in shown["tags"]["Tags"]} == {b, volume}


def _zone(ec2: Any, instance_id: str) -> str:
    [reservation] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    return str(reservation["Instances"][0]["Placement"]["AvailabilityZone"])


def test_a_readers_transaction_refuses_to_write(store: Store) -> None:
    with pytest.raises(Exception) as raised:
        store.transaction(lambda uow: uow.settings.set("written", 1), read_only=True)
    assert isinstance(raised.value, ReaderWrote) or is_database_error(raised.value)
    assert store.transaction(lambda uow: uow.settings.get("written")) is None
    store.transaction(lambda uow: uow.settings.set("written", 1))  # the connection serves on
    assert store.transaction(lambda uow: uow.settings.get("written"), read_only=True) == 1
