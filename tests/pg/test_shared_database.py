"""Several ec2emu nodes on one database, in-process: each node is its own
:class:`~ec2emu.app.Emulator` (own engine and pool, wall clock) on the same database URL,
driven by boto3 through its own in-process transport, the way separate ``ec2emu serve``
processes would be. Every test runs on PostgreSQL and, for comparison, on one SQLite
file shared by the nodes: the guarantees are the same."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
import sqlalchemy as sa
from botocore.exceptions import ClientError

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.store.engine import create_engine
from tests.conftest import DURATIONS, NO_RETRY
from tests.helpers import launch, states

TOKEN = "test-admin-token"


class Node:
    def __init__(self, app: Emulator) -> None:
        self.app = app
        self.transport = InProcessTransport(app)

    def client(self) -> Any:
        client = boto3.client("ec2", region_name="us-east-1", endpoint_url="http://ec2emu.test",
                              aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY)
        return self.transport.attach(client)

    def admin(self, method: str, route: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        status, _, payload = self.transport.request(
            method, f"http://ec2emu.test/_ec2emu/{route}", {"Authorization": f"Bearer {TOKEN}"},
            json.dumps(body or {}).encode(),
        )
        return status, json.loads(payload)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_database: Path) -> str:
    if request.param == "sqlite":
        shutil.copyfile(migrated_database, tmp_path / "shared.db")
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return str(request.getfixturevalue("pg_migrated_url"))


@pytest.fixture
def nodes(database_url: str, tmp_path: Path) -> Iterator[list[Node]]:
    apps = [build_app(Settings(state_dir=tmp_path / f"node{i}", db_url=database_url, durations=DURATIONS,
                               admin_token=TOKEN))
            for i in range(3)]
    yield [Node(app) for app in apps]
    for app in apps:
        app.store.close()


def test_the_clock_advanced_through_one_node_holds_on_every_node(nodes: list[Node]) -> None:
    first, second, third = nodes
    ids = launch(second.client(), 2)
    assert first.admin("POST", "clock", {"advance_seconds": 3})[1]["offset_seconds"] == 3
    # The second advance adds to the shared offset, not to the second node's own copy.
    assert second.admin("POST", "clock", {"advance_seconds": 3})[1]["offset_seconds"] == 6
    for node in nodes:
        assert node.admin("GET", "clock")[1]["offset_seconds"] == 6
    assert states(third.client(), ids) == dict.fromkeys(ids, "running")
    # A reset through one node takes every node's clock back.
    assert third.admin("POST", "reset")[0] == 200
    assert first.admin("GET", "clock")[1]["offset_seconds"] == 0


def _race(calls: list[tuple[Any, dict[str, Any]]]) -> list[dict[str, Any] | ClientError]:
    start = threading.Barrier(len(calls), timeout=30)

    def call(item: tuple[Any, dict[str, Any]]) -> dict[str, Any] | ClientError:
        method, kwargs = item
        start.wait()
        try:
            return dict(method(**kwargs))
        except ClientError as error:
            return error

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(call, calls))


def test_four_racing_terminates_through_three_nodes_report_each_change_once(nodes: list[Node]) -> None:
    clients = [node.client() for node in nodes]
    ids = launch(clients[0], 6)
    nodes[0].admin("POST", "clock", {"advance_seconds": 6})
    results = _race([(clients[k % 3].terminate_instances, {"InstanceIds": ids[k:] + ids[:k]}) for k in range(4)])
    previous: dict[str, list[str]] = {value: [] for value in ids}
    for result in results:
        assert not isinstance(result, ClientError), result
        for change in result["TerminatingInstances"]:
            assert change["CurrentState"]["Name"] == "shutting-down"
            previous[change["InstanceId"]].append(change["PreviousState"]["Name"])
    for value in ids:
        assert sorted(previous[value]) == ["running", "shutting-down", "shutting-down", "shutting-down"], value


def test_a_client_token_launches_once_whichever_nodes_race_with_it(nodes: list[Node]) -> None:
    clients = [node.client() for node in nodes]
    image = clients[0].describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    request = {"ImageId": image, "InstanceType": "t3.micro", "MinCount": 2, "MaxCount": 2,
               "ClientToken": "shared-token-1"}
    results = _race([(clients[k % 3].run_instances, request) for k in range(6)])
    reservations = set()
    launched = set()
    for result in results:
        assert not isinstance(result, ClientError), result
        reservations.add(result["ReservationId"])
        launched.add(tuple(sorted(i["InstanceId"] for i in result["Instances"])))
    assert len(reservations) == 1 and len(launched) == 1
    listed = clients[1].describe_instances(Filters=[{"Name": "client-token", "Values": ["shared-token-1"]}])
    assert sorted(i["InstanceId"] for r in listed["Reservations"] for i in r["Instances"]) == list(launched.pop())


def test_nodes_starting_together_migrate_the_database_once(pg_url: str) -> None:
    """Six processes open one empty database at the same moment: the advisory lock lets
    one migrate while the others wait, and they then find the schema at head."""
    count = 6
    script = ("import sys, time; from ec2emu.store.repository import Store; "
              "start = float(sys.argv[2]); time.sleep(max(0.0, start - time.time())); "
              "Store(sys.argv[1]).close()")
    start = time.time() + 2.0  # every process is past its imports by then
    procs = [subprocess.Popen([sys.executable, "-c", script, pg_url, str(start)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
             for _ in range(count)]
    outputs = [proc.communicate(timeout=60)[0].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * count, outputs
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert len(versions) == 1
    assert {"instances", "volumes", "tags", "images", "settings"} <= tables
