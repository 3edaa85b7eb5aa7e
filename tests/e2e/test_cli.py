"""The ``ec2emu`` commands other than ``serve``, run as a user runs them against a real
server: ``ls``, ``clock show``/``clock advance``, ``reset``, ``shutdown-guest`` and
``version``, how they find the server and its admin token, and what they say when
they cannot."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ec2emu import __version__
from tests.conftest import ServerProcess, free_port
from tests.helpers import launch, states

TOKEN = "test-admin-token"


def ec2emu_command() -> list[str]:
    installed = Path(sys.executable).with_name("ec2emu")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "ec2emu"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EC2EMU_", "AWS_ENDPOINT_URL")) and k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS")}
    env.update(extra)
    return env


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ec2emu_command(), *args], capture_output=True, text=True, timeout=60,
                          env=env if env is not None else clean_env(), cwd=cwd, input=stdin)


class Cli:
    """``ec2emu`` pointed at one server with ``--endpoint`` and ``--state-dir``."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return cli(*args, "--endpoint", self.server.endpoint, "--state-dir", str(self.server.state_dir),
                   env=clean_env(**env), stdin=stdin)


@pytest.fixture
def run(server: ServerProcess) -> Cli:
    return Cli(server)


def rows(output: str) -> dict[str, list[str]]:
    """The table's rows by instance ID (columns split on runs of two or more spaces)."""
    import re

    table: dict[str, list[str]] = {}
    for line in output.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells and cells[0].startswith("i-"):
            table[cells[0]] = cells
    return table


# --------------------------------------------------------------------------- ls


def test_ls_shows_id_state_zone_type_protection_and_tags(server: ServerProcess, run: Cli) -> None:
    ec2 = server.client()
    web = launch(ec2, 1, Placement={"AvailabilityZone": "us-east-1a"}, DisableApiTermination=True,
                 TagSpecifications=[{"ResourceType": "instance",
                                     "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "env", "Value": "dev"}]}])[0]
    db = launch(ec2, 1, InstanceType="t3.small", Placement={"AvailabilityZone": "us-east-1b"})[0]
    ec2.modify_instance_attribute(InstanceId=db, DisableApiStop={"Value": True})

    result = run("ls")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == ["Instance", "ID", "State", "Zone", "Type", "Protection", "Tags"]
    table = rows(result.stdout)
    assert table[web] == [web, "pending", "us-east-1a", "t3.micro", "termination", "Name=web, env=dev"]
    assert table[db] == [db, "pending", "us-east-1b", "t3.small", "stop", "-"]


def test_ls_colours_the_state_when_colour_is_forced(server: ServerProcess, run: Cli) -> None:
    ec2 = server.client()
    instance = launch(ec2)[0]
    server_advance(server, 60)
    assert states(ec2, [instance]) == {instance: "running"}
    result = run("ls", FORCE_COLOR="1")
    assert result.returncode == 0, result.stderr
    assert "\x1b[32mrunning\x1b[0m" in result.stdout  # green


def test_ls_filters_by_state_region_and_name_value(server: ServerProcess, run: Cli) -> None:
    east = server.client("us-east-1")
    west = server.client("us-west-2")
    web = launch(east, 1, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]}])[0]
    other = launch(east, 1, InstanceType="t3.small")[0]
    oregon = launch(west, 1)[0]
    east.terminate_instances(InstanceIds=[other])

    def listed(*args: str) -> set[str]:
        result = run("ls", *args)
        assert result.returncode == 0, result.stderr
        return set(rows(result.stdout))

    assert listed() == {web, other, oregon}
    assert listed("--region", "us-west-2") == {oregon}
    assert listed("--state", "shutting-down") == {other}
    assert listed("--state", "pending", "--region", "us-east-1") == {web}
    assert listed("--filter", "tag:Name=web-*") == {web}
    assert listed("--filter", "tag-key=Name") == {web}
    assert listed("--filter", "instance-type=t3.sm?ll") == {other}
    assert listed("--filter", "instance-type=t3.sm\\?ll") == set()
    assert listed("--filter", "instance-type=t3.sma?ll") == {other}
    assert listed("--filter", f"instance-id={web}", "--filter", f"instance-id={oregon}") == {web, oregon}
    assert listed("--filter", "availability-zone=us-west-2*", "--state", "pending") == {oregon}
    assert listed("--filter", "tag:Name=nothing") == set()
    assert run("ls", "--filter", "tag:Name=nothing").stdout.strip() == "No instances."


def test_ls_json_lists_every_field(server: ServerProcess, run: Cli) -> None:
    instance = launch(server.client("eu-west-1"), 1,
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "a"}]}])[0]
    result = run("ls", "--json")
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert item["instance_id"] == instance
    assert item["region"] == "eu-west-1"
    assert item["account_id"] == "000000000000"
    assert item["tags"] == {"team": "a"}
    assert item["state"] == "pending"


def test_ls_rejects_a_malformed_or_unknown_filter(run: Cli) -> None:
    result = run("ls", "--filter", "no-equals-sign")
    assert result.returncode == 2
    assert "'no-equals-sign' is not Name=Value" in result.stderr
    result = run("ls", "--filter", "colour=blue")
    assert result.returncode == 2
    assert "unknown filter name 'colour'" in result.stderr
    assert "tag:KEY" in result.stderr


# --------------------------------------------------------------------------- clock


def server_advance(server: ServerProcess, seconds: float) -> None:
    result = cli("clock", "advance", str(seconds), "--endpoint", server.endpoint,
                 env=clean_env(EC2EMU_ADMIN_TOKEN=TOKEN))
    assert result.returncode == 0, result.stderr


def test_clock_show_and_advance(server: ServerProcess, run: Cli) -> None:
    ec2 = server.client()
    instance = launch(ec2)[0]
    shown = run("clock", "show")
    assert shown.returncode == 0, shown.stderr
    assert "offset: 0s" in shown.stdout.splitlines()

    advanced = run("clock", "advance", "1h30m")
    assert advanced.returncode == 0, advanced.stderr
    assert advanced.stdout.splitlines()[0] == "advanced 1h 30m 0s"
    assert "offset: 1h 30m 0s" in advanced.stdout.splitlines()
    assert states(ec2, [instance]) == {instance: "running"}  # pending (30 s) is over

    for text, seconds in (("90", 90), ("45s", 45), ("2m", 120), ("1d", 86400), ("0.5h", 1800)):
        before = json.loads(admin_get(server, "clock"))["offset_seconds"]
        assert run("clock", "advance", text).returncode == 0
        after = json.loads(admin_get(server, "clock"))["offset_seconds"]
        assert after - before == pytest.approx(seconds)
    assert "offset: 1d 2h 4m 15s" in run("clock", "show").stdout.splitlines()


def test_clock_advance_rejects_what_is_not_a_duration(server: ServerProcess, run: Cli) -> None:
    for text in ("soon", "1w", "-5m", "1h-", ""):
        result = cli("clock", "advance", "--endpoint", server.endpoint, "--", text,
                     env=clean_env(EC2EMU_ADMIN_TOKEN=TOKEN))
        assert result.returncode == 2, text
        assert "is not a duration" in result.stderr
    assert json.loads(admin_get(server, "clock"))["offset_seconds"] == 0


def admin_get(server: ServerProcess, route: str) -> str:
    import urllib.request

    request = urllib.request.Request(f"{server.endpoint}/_ec2emu/{route}",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


# --------------------------------------------------------------------------- shutdown-guest and reset


def test_shutdown_guest_follows_the_shutdown_behaviour(server: ServerProcess, run: Cli) -> None:
    ec2 = server.client()
    stays = launch(ec2)[0]
    goes = launch(ec2, 1, InstanceInitiatedShutdownBehavior="terminate")[0]
    server_advance(server, 60)

    result = run("shutdown-guest", stays)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{stays}: running -> stopping"
    result = run("shutdown-guest", goes)
    assert result.stdout.strip() == f"{goes}: running -> shutting-down"
    assert states(ec2, [stays, goes]) == {stays: "stopping", goes: "shutting-down"}


def test_shutdown_guest_of_an_unknown_instance(run: Cli) -> None:
    result = run("shutdown-guest", "i-0123456789abcdef0")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ec2emu: InvalidInstanceID.NotFound: The instance ID 'i-0123456789abcdef0' does not exist"
    )


def test_reset_asks_first_and_forgets_everything_with_yes(server: ServerProcess, run: Cli) -> None:
    ec2 = server.client()
    instance = launch(ec2)[0]
    server_advance(server, 3600)

    declined = run("reset", stdin="n\n")
    assert declined.returncode == 1
    assert "Aborted" in declined.stderr
    assert states(ec2, [instance]) == {instance: "running"}

    result = run("reset", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"reset: all state forgotten at {server.endpoint}"
    assert ec2.describe_instances()["Reservations"] == []
    assert "offset: 0s" in run("clock", "show").stdout.splitlines()


# --------------------------------------------------------------------------- finding the server


def test_token_from_the_state_directory_in_the_working_directory(server: ServerProcess, tmp_path: Path) -> None:
    workdir = tmp_path / "project"
    (workdir / ".ec2emu").mkdir(parents=True)
    (workdir / ".ec2emu" / "admin-token").write_text(TOKEN + "\n")
    result = cli("clock", "show", "--endpoint", server.endpoint, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("now: ")


def test_endpoint_from_the_aws_endpoint_variables(server: ServerProcess) -> None:
    instance = launch(server.client())[0]
    for variable in ("EC2EMU_ENDPOINT", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL"):
        result = cli("ls", env=clean_env(**{variable: server.endpoint, "EC2EMU_ADMIN_TOKEN": TOKEN}))
        assert result.returncode == 0, (variable, result.stderr)
        assert instance in rows(result.stdout), variable


def test_helpful_error_when_no_server_is_running(tmp_path: Path) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    for args in (["ls"], ["clock", "show"], ["clock", "advance", "1h"], ["reset", "--yes"],
                 ["shutdown-guest", "i-0123456789abcdef0"]):
        result = cli(*args, "--endpoint", endpoint, env=clean_env(EC2EMU_ADMIN_TOKEN=TOKEN))
        assert result.returncode == 1, args
        assert result.stderr.startswith(f"ec2emu: No ec2emu server is answering at {endpoint} ("), args
        assert "Start one with `ec2emu serve`, or point --endpoint (or EC2EMU_ENDPOINT) at it." in result.stderr
        assert "Traceback" not in result.stderr


def test_helpful_error_without_a_token(server: ServerProcess, tmp_path: Path) -> None:
    result = cli("ls", "--endpoint", server.endpoint, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "ec2emu: No admin token: EC2EMU_ADMIN_TOKEN is not set and .ec2emu/admin-token does not exist. "
        "Run this command where the server keeps its state, pass --state-dir, or set EC2EMU_ADMIN_TOKEN."
    )


def test_helpful_error_with_a_wrong_token(server: ServerProcess) -> None:
    launch(server.client())
    result = cli("reset", "--yes", "--endpoint", server.endpoint, env=clean_env(EC2EMU_ADMIN_TOKEN="wrong"))
    assert result.returncode == 1
    assert f"ec2emu: The server at {server.endpoint} refused the admin token." in result.stderr
    assert server.client().describe_instances()["Reservations"] != []


@pytest.fixture
def not_ec2emu() -> Iterator[str]:
    """Some other web server, answering 404 with HTML."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *_: Any) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_helpful_error_when_something_else_answers(not_ec2emu: str) -> None:
    result = cli("ls", "--endpoint", not_ec2emu, env=clean_env(EC2EMU_ADMIN_TOKEN=TOKEN))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ec2emu: {not_ec2emu} answered GET /_ec2emu/instances with HTTP 404 and no JSON: is it an ec2emu server?"
    )


def test_version() -> None:
    result = cli("version")
    assert result.returncode == 0
    assert result.stdout.strip() == __version__
