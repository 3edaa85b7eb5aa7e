"""Three ``ec2emu serve`` processes on one PostgreSQL database, boto3 clients racing
through all three; and one node living through a restart of its database.

The invariants checked after a race, per instance: the state changes that the
successful responses report form one chain from the state before the race (each
change leaves the state the previous one reached, so every change is reported exactly
once: of four racing TerminateInstances exactly one shows ``PreviousState`` running);
the chain ends in the state DescribeInstances then shows, through any node; attribute
changes made at the same moment are all kept; a ClientToken launches once.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
import sqlalchemy as sa
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.conftest import ServerProcess
from tests.helpers import error_of, launch, states
from tests.pgcluster import PgCluster, pg_bin_dir

SLOW = ["--pending-seconds", "30", "--stopping-seconds", "30", "--shutting-down-seconds", "30"]
Call = tuple[Callable[..., Any], dict[str, Any]]


def admin(server: ServerProcess, method: str, route: str, body: dict[str, Any] | None = None
          ) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{server.endpoint}/_ec2emu/{route}", data=json.dumps(body or {}).encode(),
        headers={"Authorization": "Bearer test-admin-token"}, method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def start_nodes(base: Path, url: str, count: int) -> list[ServerProcess]:
    """``count`` nodes started at the same moment on one database (they migrate it together)."""
    procs = []
    for i in range(count):
        (base / f"node{i}").mkdir(parents=True, exist_ok=True)
        procs.append(ServerProcess(base / f"node{i}", [*SLOW, "--db", url]))
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(ServerProcess.start, procs))


@pytest.fixture
def nodes(pg_url: str, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    procs = start_nodes(tmp_path, pg_url, 3)
    yield procs
    for proc in procs:
        proc.stop()


def warm(clients: list[Any]) -> list[Any]:
    """Clients with their connection open, so that racing calls leave at the same moment."""
    for client in clients:
        client.describe_availability_zones()
    return clients


def race(calls: list[Call]) -> list[dict[str, Any] | ClientError]:
    """Make every call at the same moment, each from its own thread."""
    start = threading.Barrier(len(calls), timeout=60)

    def call(item: Call) -> dict[str, Any] | ClientError:
        method, kwargs = item
        start.wait()
        try:
            return dict(method(**kwargs))
        except ClientError as error:
            return error

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(call, calls))


def changes_of(results: list[dict[str, Any] | ClientError]) -> dict[str, list[tuple[str, str]]]:
    """Every (previous, current) state change reported by a successful response, per instance."""
    found: dict[str, list[tuple[str, str]]] = {}
    for result in results:
        if isinstance(result, ClientError):
            continue
        for key in ("TerminatingInstances", "StoppingInstances", "StartingInstances"):
            for change in result.get(key, []):
                found.setdefault(change["InstanceId"], []).append(
                    (change["PreviousState"]["Name"], change["CurrentState"]["Name"]))
    return found


def chain_end(start: str, changes: list[tuple[str, str]]) -> str:
    """The state that the reported changes lead to, asserting they form one chain from
    ``start``: each real change leaves exactly the state the one before reached."""
    state, seen = start, {start}
    moves = [change for change in changes if change[0] != change[1]]
    while moves:
        following = [move for move in moves if move[0] == state]
        assert len(following) == 1, (start, changes)
        moves.remove(following[0])
        state = following[0][1]
        seen.add(state)
    for previous, current in changes:
        if previous == current:  # a no-op reports a state the instance was in
            assert previous in seen, (start, changes)
    return state


def test_racing_state_changes_through_three_nodes_are_each_reported_once(nodes: list[ServerProcess]) -> None:
    clients = [warm([node.client() for _ in range(4)]) for node in nodes]  # one client per thread
    ids = launch(clients[0][0], 18)
    assert admin(nodes[1], "POST", "clock", {"advance_seconds": 31})[0] == 200
    assert set(states(clients[2][0], ids).values()) == {"running"}
    terminated, mixed, modified = ids[:12], ids[12:15], ids[15:]

    calls: list[Call] = []
    # Four TerminateInstances over the same three instances, in different orders.
    for k in range(4):
        client = clients[k % 3][0] if k < 3 else clients[0][1]
        calls.append((client.terminate_instances, {"InstanceIds": terminated[3 * k:] + terminated[:3 * k]}))
    # Stops, a terminate and a start over overlapping instances.
    calls.append((clients[0][2].stop_instances, {"InstanceIds": mixed[1:]}))
    calls.append((clients[1][1].stop_instances, {"InstanceIds": mixed[::-1]}))
    calls.append((clients[2][1].terminate_instances, {"InstanceIds": mixed[:1]}))
    calls.append((clients[1][2].start_instances, {"InstanceIds": mixed[1:]}))
    # Three attributes of the same instances changed at once, through three nodes.
    calls.append((clients[0][3].modify_instance_attribute,
                  {"InstanceId": modified[0], "DisableApiTermination": {"Value": True}}))
    calls.append((clients[1][3].modify_instance_attribute,
                  {"InstanceId": modified[0], "InstanceInitiatedShutdownBehavior": {"Value": "terminate"}}))
    calls.append((clients[2][2].modify_instance_attribute,
                  {"InstanceId": modified[0], "DisableApiStop": {"Value": True}}))
    calls.append((clients[2][3].terminate_instances, {"InstanceIds": modified[1:]}))
    results = race(calls)

    for result in results:
        if isinstance(result, ClientError):  # only a state rule may refuse a call, never a 5xx
            assert result.response["Error"]["Code"] == "IncorrectInstanceState", result.response
    reported = changes_of(results)
    for value in terminated:
        assert sorted(reported[value]) == [("running", "shutting-down")] + [("shutting-down", "shutting-down")] * 3
    shown = {}
    for k, node in enumerate(nodes):
        shown[k] = states(node.client(), ids)
    assert shown[0] == shown[1] == shown[2]
    for value in ids:
        end = chain_end("running", reported.get(value, []))
        assert shown[0][value] == end, (value, reported.get(value))
        leaving_running = [c for c in reported.get(value, []) if c[0] == "running" and c[1] != "running"]
        assert len(leaving_running) == (0 if end == "running" else 1)
    # The attribute changes made at the same moment are all kept.
    client = nodes[1].client()
    attribute = client.describe_instance_attribute
    assert attribute(InstanceId=modified[0], Attribute="disableApiTermination")["DisableApiTermination"]["Value"]
    assert attribute(InstanceId=modified[0], Attribute="disableApiStop")["DisableApiStop"]["Value"]
    assert attribute(InstanceId=modified[0], Attribute="instanceInitiatedShutdownBehavior")[
        "InstanceInitiatedShutdownBehavior"]["Value"] == "terminate"
    assert shown[0][modified[0]] == "running"

    # The clock moves on through one node; racing starts of the stopped instances.
    assert admin(nodes[2], "POST", "clock", {"advance_seconds": 31})[0] == 200
    now = states(nodes[0].client(), ids)
    assert {now[value] for value in terminated} == {"terminated"}
    stopped = [value for value in mixed if now[value] == "stopped"]
    assert stopped == mixed[1:], now  # the first stop is refused by no state
    results = race([(clients[k % 3][k // 3].start_instances, {"InstanceIds": stopped}) for k in range(4)])
    assert not [r for r in results if isinstance(r, ClientError)]
    for pairs in changes_of(results).values():
        assert sorted(pairs) == [("pending", "pending")] * 3 + [("stopped", "pending")]


def test_a_client_token_launches_once_across_nodes(nodes: list[ServerProcess]) -> None:
    clients = warm([node.client() for node in nodes for _ in range(2)])
    image = clients[0].describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for round_ in range(4):
        token = f"multinode-token-{round_}"
        request = {"ImageId": image, "InstanceType": "t3.micro", "MinCount": 3, "MaxCount": 3,
                   "ClientToken": token}
        results = race([(client.run_instances, request) for client in clients])
        assert not [r for r in results if isinstance(r, ClientError)]
        assert len({r["ReservationId"] for r in results}) == 1  # type: ignore[index]
        launched = {tuple(sorted(i["InstanceId"] for i in r["Instances"])) for r in results}  # type: ignore[index]
        assert len(launched) == 1
        listed = clients[3].describe_instances(Filters=[{"Name": "client-token", "Values": [token]}])
        assert tuple(sorted(i["InstanceId"] for r in listed["Reservations"] for i in r["Instances"])) == launched.pop()


def test_transitions_fall_due_while_no_node_runs(pg_url: str, tmp_path: Path) -> None:
    first = start_nodes(tmp_path / "before", pg_url, 3)
    ids = launch(first[0].client(), 3)
    admin(first[1], "POST", "clock", {"advance_seconds": 31})
    assert set(states(first[2].client(), ids).values()) == {"running"}
    first[0].client().terminate_instances(InstanceIds=ids[:1])
    first[1].client().stop_instances(InstanceIds=ids[1:2])
    # Every node goes, then the clock moves past both transitions while none runs (time
    # passing while the fleet is down: an advance through a node would settle them).
    for proc in first:
        proc.kill9()
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE settings SET value = '62.0' WHERE key = 'clock_offset_seconds'"))
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT instance_id, state FROM instances")).all())
    engine.dispose()
    assert stored == {ids[0]: "shutting-down", ids[1]: "stopping", ids[2]: "running"}  # nothing settled yet
    fresh = ServerProcess(tmp_path / "before" / "node0", [*SLOW, "--db", pg_url]).start()
    try:
        assert states(fresh.client(), ids) == {ids[0]: "terminated", ids[1]: "stopped", ids[2]: "running"}
        assert admin(fresh, "GET", "clock")[1]["offset_seconds"] == 62
    finally:
        fresh.stop()


@pytest.fixture
def own_cluster() -> Iterator[PgCluster]:
    """A cluster of its own, since the test stops and restarts it."""
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are absent: apt-get install postgresql")
    cluster = PgCluster(bin_dir).start()
    yield cluster
    cluster.destroy()


def test_a_node_answers_503_while_its_database_is_down_and_recovers(own_cluster: PgCluster, tmp_path: Path) -> None:
    node = ServerProcess(tmp_path, [*SLOW, "--db", own_cluster.create_database()]).start()
    try:
        # The client would give up after 60 s: every answer below comes well before.
        bounded = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=60)
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=node.endpoint,
                           aws_access_key_id="test", aws_secret_access_key="test", config=bounded)
        ids = launch(ec2, 2)
        image = ec2.describe_instances(InstanceIds=ids)["Reservations"][0]["Instances"][0]["ImageId"]
        own_cluster.stop()
        for call, kwargs in ((ec2.describe_instances, {}),
                             (ec2.describe_instances, {"InstanceIds": ids}),
                             (ec2.terminate_instances, {"InstanceIds": ids[:1]}),
                             (ec2.run_instances, {"ImageId": image, "InstanceType": "t3.micro",
                                                  "MinCount": 1, "MaxCount": 1})):
            error = error_of(call, **kwargs)
            assert (error["Code"], error["Status"]) == ("ServiceUnavailable", 503), error
        assert admin(node, "GET", "clock")[0] == 503
        own_cluster.start()
        assert states(ec2, ids) == dict.fromkeys(ids, "pending")  # nothing changed during the outage
        more = launch(ec2, 1)
        assert set(states(ec2, ids + more).values()) == {"pending"}
        assert admin(node, "GET", "clock")[0] == 200
    finally:
        node.stop()


def test_racing_volume_attachments_through_three_nodes(nodes: list[ServerProcess]) -> None:
    clients = [warm([node.client() for _ in range(3)]) for node in nodes]
    zone = "us-east-1a"
    ids = launch(clients[0][0], 3, Placement={"AvailabilityZone": zone})
    volumes = [clients[1][0].create_volume(AvailabilityZone=zone, Size=10)["VolumeId"] for _ in range(4)]
    assert admin(nodes[2], "POST", "clock", {"advance_seconds": 31})[0] == 200
    assert set(states(clients[0][0], ids).values()) == {"running"}

    # One volume, three instances: three nodes race to attach it.
    contested = volumes[0]
    results = race([(clients[k][1].attach_volume,
                     {"VolumeId": contested, "InstanceId": ids[k], "Device": "/dev/sdf"}) for k in range(3)])
    won = [r for r in results if not isinstance(r, ClientError)]
    assert len(won) == 1, results
    for lost in results:
        if isinstance(lost, ClientError):
            assert lost.response["Error"]["Code"] in ("VolumeInUse", "IncorrectState"), lost.response
    # Three volumes, one instance, one device name: only one may take it.
    results = race([(clients[k][2].attach_volume,
                     {"VolumeId": volumes[k + 1], "InstanceId": ids[0], "Device": "/dev/sdg"}) for k in range(3)])
    device_winners = [r for r in results if not isinstance(r, ClientError)]
    assert len(device_winners) == 1, results
    for lost in results:
        if isinstance(lost, ClientError):
            assert lost.response["Error"]["Code"] == "InvalidParameterValue", lost.response

    # Every node shows the same attachments, and only the winners'.
    seen = []
    for node in nodes:
        described = node.client().describe_volumes(VolumeIds=volumes)["Volumes"]
        seen.append(sorted(
            (v["VolumeId"], a["InstanceId"], a["Device"]) for v in described for a in v.get("Attachments", [])
        ))
    assert seen[0] == seen[1] == seen[2]
    assert seen[0] == sorted([
        (won[0]["VolumeId"], won[0]["InstanceId"], "/dev/sdf"),
        (device_winners[0]["VolumeId"], ids[0], "/dev/sdg"),
    ])
