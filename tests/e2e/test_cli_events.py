"""``ec2emu events`` against a real server: the events emitted, one coloured line each or
JSON lines, and with ``--follow`` the new ones as they come until interrupted."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import threading
import time
from typing import Any

from tests.conftest import ServerProcess
from tests.e2e.test_admin import http_admin
from tests.e2e.test_cli import Cli, clean_env, ec2emu_command, run  # noqa: F401
from tests.helpers import launch

STATE_CHANGE = "EC2 Instance State-change Notification"
CALL = "AWS API Call via CloudTrail"


def lines_of(output: str) -> list[list[str]]:
    """The lines' fields, but those of the calls' events (written as the trail is flushed)."""
    return [line.split("  ") for line in output.splitlines() if line.strip() and CALL not in line]


def test_events_prints_a_line_per_event_and_json_lines(server: ServerProcess, run: Cli) -> None:  # noqa: F811
    ec2 = server.client()
    first, second = launch(ec2, 2)
    run("clock", "advance", "30s")
    ec2.terminate_instances(InstanceIds=[first])
    server.client(service="events").put_events(
        Entries=[{"Source": "my.app", "DetailType": "Job Finished", "Detail": '{"state": "done"}',
                  "Resources": ["arn:aws:s3:::bucket"]}])
    result = run("events")
    assert result.returncode == 0, result.stderr
    rows = lines_of(result.stdout)
    assert [row[5] for row in rows if row[3] == first] == ["pending", "running", "shutting-down"]
    assert [row[5] for row in rows if row[3] == second] == ["pending", "running"]
    assert (rows[-1][3], rows[-1][5]) == ("arn:aws:s3:::bucket", "done") and len(rows) == 6
    assert {(row[1], row[2]) for row in rows} == {("000000000000", "us-east-1")}
    assert [row[4] for row in rows] == [STATE_CHANGE] * 5 + ["Job Finished"]
    assert all(row[0].endswith("Z") and len(row[0]) == 20 for row in rows)

    as_json = run("events", "--json")
    events = [event for event in map(json.loads, as_json.stdout.splitlines()) if event["detail-type"] != CALL]
    assert [event["detail"].get("state") for event in events] == [row[5] for row in rows]
    assert events[0]["detail"] == {"instance-id": first, "state": "pending"} and events[-1]["source"] == "my.app"


def test_a_calls_event_shows_its_name_and_error(server: ServerProcess, run: Cli) -> None:  # noqa: F811
    ec2 = server.client()
    try:
        ec2.terminate_instances(InstanceIds=["i-0123456789abcdef0"])
    except ec2.exceptions.ClientError:
        pass
    for _ in range(100):  # the server flushes the trail every second
        listed = http_admin(server.endpoint, "GET", "events")[1]["events"]
        if any(item["event"]["detail-type"] == CALL for item in listed):
            break
        time.sleep(0.1)
    calls = [line.split("  ") for line in run("events").stdout.splitlines() if CALL in line]
    assert [(row[3], row[5]) for row in calls] == [("TerminateInstances", "Client.InvalidInstanceID.NotFound")]


def test_events_colours_each_line_by_its_state(server: ServerProcess, run: Cli) -> None:  # noqa: F811
    [instance] = launch(server.client())
    run("clock", "advance", "30s")
    server.client().terminate_instances(InstanceIds=[instance])
    run("clock", "advance", "30s")
    coloured = [line for line in run("events", FORCE_COLOR="1", TERM="xterm-256color").stdout.splitlines()
                if CALL not in line]
    styles = {"pending": "\x1b[33m", "running": "\x1b[32m", "shutting-down": "\x1b[38;5;208m",
              "terminated": "\x1b[31m"}
    assert len(coloured) == 4
    for line, state in zip(coloured, ["pending", "running", "shutting-down", "terminated"]):
        assert line.startswith(styles[state]) and state in line, (line, state)


class Lines:
    """A process's output lines as they come (read by a thread of their own)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stdout = process.stdout
        threading.Thread(target=lambda: [self.queue.put(line) for line in stdout], daemon=True).start()

    def next(self, timeout: float = 10) -> str:
        return self.queue.get(timeout=timeout)


def test_follow_prints_new_events_as_they_come_until_interrupted(server: ServerProcess) -> None:
    [instance] = launch(server.client())
    command = [*ec2emu_command(), "events", "--follow", "--json", "--interval", "0.1",
               "--endpoint", server.endpoint, "--state-dir", str(server.state_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env())
    lines = Lines(process)
    try:
        first: dict[str, Any] = json.loads(lines.next())
        assert first["detail"] == {"instance-id": instance, "state": "pending"}
        time.sleep(0.3)  # a few polls with nothing new
        Cli(server)("clock", "advance", "30s")
        server.client().terminate_instances(InstanceIds=[instance])
        following: list[dict[str, Any]] = []
        while len(following) < 2:
            event = json.loads(lines.next())
            if event["detail-type"] != CALL:  # the calls' events come as the trail is flushed
                following.append(event)
        assert [event["detail"]["state"] for event in following] == ["running", "shutting-down"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        time.sleep(0.1)
        assert lines.queue.empty()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
