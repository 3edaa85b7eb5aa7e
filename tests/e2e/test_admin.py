"""Admin routes under ``/_ec2emu/``: the bearer token, the clock, guest-initiated
shutdown and the generated token file; in-process through the ASGI app and against a
real ``ec2emu serve``."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import ServerProcess, free_port
from tests.helpers import error_of, image_id, launch, states

TOKEN = "test-admin-token"
SLOW = ["--pending-seconds", "30", "--stopping-seconds", "30", "--shutting-down-seconds", "30"]

Reply = tuple[int, dict[str, Any]]


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def admin(emulator: Emulator) -> Iterator[Any]:
    """``admin(method, route, body=None, auth=...)`` through the app in-process."""
    transport = InProcessTransport(emulator)

    def call(method: str, route: str, body: Any = None, auth: str | None = f"Bearer {TOKEN}",
             raw: bytes | None = None) -> Reply:
        headers = {"Content-Type": "application/json"}
        if auth is not None:
            headers["Authorization"] = auth
        payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        status, _, answer = transport.request(method, f"http://ec2emu.test/_ec2emu/{route}", headers, payload)
        return status, json.loads(answer)

    yield call
    transport.close()


def http_admin(endpoint: str, method: str, route: str, body: Any = None,
               auth: str | None = f"Bearer {TOKEN}") -> Reply:
    """The same admin call over HTTP to a real server."""
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{endpoint}/_ec2emu/{route}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server whose transitions take 30 s: only the clock route moves them on."""
    proc = ServerProcess(tmp_path, SLOW).start()
    yield proc
    proc.stop()


BAD_AUTH = [None, "", "Bearer", "Bearer ", "Bearer wrong-token", f"Bearer {TOKEN}x", f"Basic {TOKEN}",
            TOKEN, f"Token {TOKEN}"]


# --------------------------------------------------------------------------- the token


@pytest.mark.parametrize("auth", BAD_AUTH)
def test_every_admin_route_refuses_a_missing_or_wrong_token_and_changes_nothing(
    ec2: Any, admin: Any, clock: ManualClock, auth: str | None
) -> None:
    [instance_id] = launch(ec2, 1, InstanceInitiatedShutdownBehavior="terminate")
    clock.advance(5)
    before_time = clock.now()
    calls = [
        ("GET", "clock", None),
        ("POST", "clock", {"advance_seconds": 100}),
        ("GET", "instances", None),
        ("POST", f"instances/{instance_id}/shutdown", None),
        ("POST", "reset", None),
        ("GET", "no-such-route", None),
    ]
    for method, route, body in calls:
        status, payload = admin(method, route, body, auth=auth)
        assert status == 401, (method, route)
        assert payload["error"] == "admin token required"
    assert clock.now() == before_time
    assert states(ec2, [instance_id]) == {instance_id: "running"}
    assert admin("GET", "clock") == (200, {"now": before_time.isoformat(), "offset_seconds": 5})


def test_the_scheme_is_case_insensitive(admin: Any) -> None:
    assert admin("GET", "clock", auth=f"bearer {TOKEN}")[0] == 200


def test_unknown_admin_route_is_404_with_the_token(admin: Any) -> None:
    status, payload = admin("GET", "nothing-here")
    assert status == 404 and "nothing-here" in payload["error"]
    assert admin("DELETE", "clock")[0] == 404


# --------------------------------------------------------------------------- the clock


def test_clock_route_advances_the_clock_and_instances_follow(ec2: Any, admin: Any, clock: ManualClock) -> None:
    start = clock.now()
    assert admin("GET", "clock") == (200, {"now": start.isoformat(), "offset_seconds": 0})
    ids = launch(ec2, 2)
    status, payload = admin("POST", "clock", {"advance_seconds": 4.5})
    assert status == 200 and payload["offset_seconds"] == 4.5
    assert set(states(ec2, ids).values()) == {"pending"}
    status, payload = admin("POST", "clock", {"advance_seconds": 0.5})
    assert payload == {"now": clock.now().isoformat(), "offset_seconds": 5.0}
    assert set(states(ec2, ids).values()) == {"running"}


@pytest.mark.parametrize(
    "raw",
    [b'{"advance_seconds": -1}', b'{"advance_seconds": "5"}', b'{"advance_seconds": true}',
     b'{"advance_seconds": NaN}', b'{"advance_seconds": Infinity}', b'{"advance_seconds": 1e300}',
     b'{"advance_seconds": null}', b"{}", b"[5]", b"not json", b"\xff\xfe", b'{"advance_seconds": 1e12}'],
)
def test_a_bad_clock_body_is_400_and_the_clock_stays(admin: Any, clock: ManualClock, raw: bytes) -> None:
    start = clock.now()
    status, payload = admin("POST", "clock", raw=raw)
    assert status == 400 and payload["error"]
    assert clock.now() == start
    assert admin("GET", "clock")[1]["offset_seconds"] == 0


def test_the_offset_is_stored_in_the_database(emulator: Emulator, admin: Any) -> None:
    admin("POST", "clock", {"advance_seconds": 90})
    admin("POST", "clock", {"advance_seconds": 10})
    with emulator.store.unit_of_work() as uow:
        assert uow.settings.get("clock_offset_seconds") == 100


# --------------------------------------------------------------------------- guest shutdown


def test_guest_shutdown_stops_an_instance_whose_behaviour_is_stop(
    ec2: Any, admin: Any, clock: ManualClock
) -> None:
    [instance_id, other] = launch(ec2, 2, InstanceInitiatedShutdownBehavior="stop", DisableApiStop=True)
    clock.advance(5)
    status, payload = admin("POST", f"instances/{instance_id}/shutdown")
    assert status == 200
    assert payload == {"instance_id": instance_id, "previous_state": "running", "current_state": "stopping"}
    assert states(ec2, [instance_id, other]) == {instance_id: "stopping", other: "running"}
    clock.advance(5)
    [instance] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"]
    assert instance["State"] == {"Code": 80, "Name": "stopped"}
    assert instance["StateReason"]["Code"] == "Client.InstanceInitiatedShutdown"
    assert instance["StateTransitionReason"].startswith("Client.InstanceInitiatedShutdown (")


def test_guest_shutdown_terminates_despite_termination_protection(
    ec2: Any, admin: Any, clock: ManualClock
) -> None:
    [instance_id] = launch(ec2, 1, InstanceInitiatedShutdownBehavior="terminate", DisableApiTermination=True)
    clock.advance(5)
    assert error_of(ec2.terminate_instances, InstanceIds=[instance_id])["Code"] == "OperationNotPermitted"
    status, payload = admin("POST", f"instances/{instance_id}/shutdown")
    assert (status, payload["current_state"]) == (200, "shutting-down")
    assert states(ec2, [instance_id]) == {instance_id: "shutting-down"}
    clock.advance(5)
    [instance] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"]
    assert instance["State"] == {"Code": 48, "Name": "terminated"}
    assert instance["StateReason"]["Code"] == "Client.InstanceInitiatedShutdown"


def test_guest_shutdown_of_an_instance_store_instance_terminates_it(
    ec2: Any, admin: Any, clock: ManualClock
) -> None:
    [instance_id] = launch(ec2, 1, ImageId=image_id(ec2, "*", root="instance-store"), InstanceType="m3.medium")
    clock.advance(5)
    status, payload = admin("POST", f"instances/{instance_id}/shutdown")
    assert (status, payload["current_state"]) == (200, "shutting-down")


def test_guest_shutdown_reaches_instances_in_any_region(make_client: Any, admin: Any, clock: ManualClock) -> None:
    west = make_client("eu-west-1")
    [instance_id] = launch(west, 1)
    clock.advance(5)
    assert admin("POST", f"instances/{instance_id}/shutdown")[0] == 200
    assert states(west, [instance_id]) == {instance_id: "stopping"}


@pytest.mark.parametrize("instance_id", ["i-0123456789abcdef0", "i-nope", "vol-0123456789abcdef0"])
def test_guest_shutdown_of_an_unknown_instance_is_404(ec2: Any, admin: Any, clock: ManualClock,
                                                       instance_id: str) -> None:
    [existing] = launch(ec2, 1)
    clock.advance(5)
    status, payload = admin("POST", f"instances/{instance_id}/shutdown")
    assert (status, payload["error"]) == (404, "InvalidInstanceID.NotFound")
    assert instance_id in payload["message"]
    assert states(ec2, [existing]) == {existing: "running"}


def test_guest_shutdown_after_retention_is_404(ec2: Any, admin: Any, clock: ManualClock) -> None:
    [instance_id] = launch(ec2, 1)
    clock.advance(5)
    ec2.terminate_instances(InstanceIds=[instance_id])
    clock.advance(5 + 3600)
    assert admin("POST", f"instances/{instance_id}/shutdown")[0] == 404


@pytest.mark.parametrize("stopped", [False, True], ids=["pending", "stopped"])
def test_guest_shutdown_when_not_running_is_refused_and_changes_nothing(
    ec2: Any, admin: Any, clock: ManualClock, stopped: bool
) -> None:
    [instance_id] = launch(ec2, 1)
    if stopped:
        clock.advance(5)
        ec2.stop_instances(InstanceIds=[instance_id])
        clock.advance(5)
    before = states(ec2, [instance_id])
    status, payload = admin("POST", f"instances/{instance_id}/shutdown")
    assert (status, payload["error"]) == (400, "IncorrectInstanceState")
    assert states(ec2, [instance_id]) == before


# --------------------------------------------------------------------------- a real server


def test_admin_routes_over_http_on_a_real_server(slow_server: ServerProcess) -> None:
    ec2 = slow_server.client()
    stop_id, term_id = launch(ec2, 1)[0], launch(ec2, 1, InstanceInitiatedShutdownBehavior="terminate",
                                                DisableApiTermination=True)[0]
    for auth in (None, "Bearer wrong"):
        for method, route, body in [("GET", "clock", None), ("POST", "clock", {"advance_seconds": 60}),
                                    ("GET", "instances", None), ("POST", f"instances/{stop_id}/shutdown", None),
                                    ("POST", "reset", None)]:
            assert http_admin(slow_server.endpoint, method, route, body, auth=auth)[0] == 401, (auth, route)
    assert set(states(ec2, [stop_id, term_id]).values()) == {"pending"}
    assert http_admin(slow_server.endpoint, "GET", "clock")[1]["offset_seconds"] == 0
    status, payload = http_admin(slow_server.endpoint, "POST", "clock", {"advance_seconds": 30})
    assert status == 200 and payload["offset_seconds"] == 30
    assert set(states(ec2, [stop_id, term_id]).values()) == {"running"}
    assert http_admin(slow_server.endpoint, "POST", f"instances/{stop_id}/shutdown")[0] == 200
    assert http_admin(slow_server.endpoint, "POST", f"instances/{term_id}/shutdown")[0] == 200
    assert http_admin(slow_server.endpoint, "POST", "instances/i-0123456789abcdef0/shutdown")[0] == 404
    assert states(ec2, [stop_id, term_id]) == {stop_id: "stopping", term_id: "shutting-down"}
    http_admin(slow_server.endpoint, "POST", "clock", {"advance_seconds": 30})
    assert states(ec2, [stop_id, term_id]) == {stop_id: "stopped", term_id: "terminated"}
    status, listing = http_admin(slow_server.endpoint, "GET", "instances")
    assert status == 200 and {i["account_id"] for i in listing["instances"]} == {"000000000000"}
    assert len(listing["instances"]) == 2


def test_the_clock_offset_survives_a_restart(tmp_path: Path) -> None:
    first = ServerProcess(tmp_path, SLOW).start()
    try:
        [instance_id] = launch(first.client(), 1)
        assert http_admin(first.endpoint, "POST", "clock", {"advance_seconds": 20})[0] == 200
        assert http_admin(first.endpoint, "POST", "clock", {"advance_seconds": 3600})[0] == 200
    finally:
        first.kill9()
        first.stop()
    second = ServerProcess(tmp_path, SLOW).start()
    try:
        status, payload = http_admin(second.endpoint, "GET", "clock")
        assert (status, payload["offset_seconds"]) == (200, 3620)
        assert states(second.client(), [instance_id]) == {instance_id: "running"}
    finally:
        second.stop()


def _start_without_token(state_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "EC2EMU_ADMIN_TOKEN"}
    log = open(state_dir / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ec2emu", "serve", "--port", str(port), "--state-dir", str(state_dir)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((state_dir / "server.log").read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


def test_without_a_configured_token_one_is_generated_into_the_state_dir(tmp_path: Path) -> None:
    stale = tmp_path / "admin-token"
    stale.write_text("stale\n")
    stale.chmod(0o644)
    proc, endpoint = _start_without_token(tmp_path)
    try:
        token = stale.read_text().strip()
        assert token and token not in ("stale", TOKEN)
        assert stat.S_IMODE(stale.stat().st_mode) == 0o600
        assert http_admin(endpoint, "GET", "clock")[0] == 401
        assert http_admin(endpoint, "GET", "clock", auth="Bearer stale")[0] == 401
        assert http_admin(endpoint, "GET", "clock", auth=f"Bearer {token}")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, endpoint = _start_without_token(tmp_path)
    try:
        regenerated = stale.read_text().strip()
        assert regenerated != token
        assert http_admin(endpoint, "GET", "clock", auth=f"Bearer {regenerated}")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
