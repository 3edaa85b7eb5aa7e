"""The ``ec2emu`` command line, run as a user runs it: ``ec2emu serve`` with its options
and their ``EC2EMU_*`` environment variables, and ``ec2emu version``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import click
import pytest

from ec2emu import __version__
from tests.conftest import NO_RETRY, free_port
from tests.helpers import error_of, launch, states

TOKEN = "test-admin-token"
_EXPORT = re.compile(r"^export AWS_ENDPOINT_URL_EC2=(http://\S+)$", re.MULTILINE)


def ec2emu_command() -> list[str]:
    installed = Path(sys.executable).with_name("ec2emu")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "ec2emu"]


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EC2EMU_")}
    env["EC2EMU_ADMIN_TOKEN"] = TOKEN
    env.update(extra)
    return env


class Serve:
    """``ec2emu serve ARGS`` in a subprocess; ready once it has printed the export line."""

    def __init__(self, workdir: Path, args: list[str], env: dict[str, str] | None = None) -> None:
        self.workdir = workdir
        self.args = args
        self.env = env or base_env()
        self.output_path = workdir / f"serve-{free_port()}.out"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Serve:
        with open(self.output_path, "wb") as out:
            self.proc = subprocess.Popen([*ec2emu_command(), "serve", *self.args], stdout=out,
                                         stderr=subprocess.STDOUT, env=self.env, cwd=self.workdir)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = _EXPORT.search(self.output)
            if match:
                self.endpoint = match.group(1)
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(self.output)
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("no export line: " + self.output)

    @property
    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> Serve:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def client(self, region: str = "us-east-1") -> Any:
        return boto3.client("ec2", region_name=region, endpoint_url=self.endpoint, aws_access_key_id="test",
                            aws_secret_access_key="test", config=NO_RETRY)

    def advance(self, seconds: float) -> None:
        request = urllib.request.Request(
            f"{self.endpoint}/_ec2emu/clock", data=json.dumps({"advance_seconds": seconds}).encode(),
            headers={"Authorization": f"Bearer {TOKEN}"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200


def listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a socket listening on ``port``, from /proc/net/tcp."""
    path = Path("/proc/net/tcp")
    if not path.exists():
        pytest.skip("needs Linux /proc/net/tcp")
    found = set()
    for line in path.read_text().splitlines()[1:]:
        fields = line.split()
        address, hex_port = fields[1].split(":")
        if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
            found.add(".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ec2emu_command(), *args], capture_output=True, text=True, timeout=60,
                          env=env or base_env(), cwd=cwd)


# --------------------------------------------------------------------------- serve


def test_serve_announces_the_endpoint_and_binds_loopback_by_default(tmp_path: Path) -> None:
    port = free_port()
    state = tmp_path / "state"
    with Serve(tmp_path, ["--port", str(port), "--state-dir", str(state)]) as serve:
        lines = serve.output.splitlines()
        assert f"ec2emu listening on http://127.0.0.1:{port}" in lines
        assert f"export AWS_ENDPOINT_URL_EC2=http://127.0.0.1:{port}" in lines
        assert f"console: http://127.0.0.1:{port}/_ec2emu/console/" in lines
        assert listening_addresses(port) == {"127.0.0.1"}
        assert (state / "ec2emu.db").exists()
        assert (state / "admin-token").read_text().strip() == TOKEN
        # The printed line works as printed: a client configured only by it connects.
        script = "import boto3; print(len(boto3.client('ec2').describe_availability_zones()['AvailabilityZones']))"
        env = dict(base_env(), AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="test",
                   AWS_SECRET_ACCESS_KEY="test", AWS_ENDPOINT_URL_EC2=serve.endpoint)
        env.pop("AWS_PROFILE", None)
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                                timeout=60, check=True)
        assert int(result.stdout) > 0


def test_state_dir_defaults_to_dot_ec2emu_in_the_working_directory(tmp_path: Path) -> None:
    with Serve(tmp_path, ["--port", "0"]) as serve:
        assert (tmp_path / ".ec2emu" / "ec2emu.db").exists()
        assert launch(serve.client(), 1)


def test_host_option_and_port_zero(tmp_path: Path) -> None:
    with Serve(tmp_path, ["--host", "0.0.0.0", "--port", "0", "--state-dir", str(tmp_path)]) as serve:
        port = int(serve.endpoint.rsplit(":", 1)[1])
        assert port > 0
        assert serve.endpoint == f"http://127.0.0.1:{port}"  # a wildcard bind is announced as loopback
        assert listening_addresses(port) == {"0.0.0.0"}
        assert serve.client().describe_instances()["Reservations"] == []


def test_a_port_in_use_fails_without_announcing_an_endpoint(tmp_path: Path) -> None:
    with Serve(tmp_path, ["--port", "0", "--state-dir", str(tmp_path / "a")]) as first:
        port = first.endpoint.rsplit(":", 1)[1]
        result = run_cli("serve", "--port", port, "--state-dir", str(tmp_path / "b"))
        assert result.returncode != 0
        assert "AWS_ENDPOINT_URL_EC2" not in result.stdout + result.stderr
        assert first.client().describe_instances()["Reservations"] == []


def _check_durations(serve: Serve) -> None:
    """The server was started with pending 0 s, stopping and shutting-down 10000 s,
    retention 20000 s; the clock route moves time (margins dwarf any wall time)."""
    ec2 = serve.client()
    ids = launch(ec2, 2)
    serve.advance(0.001)
    assert states(ec2, ids) == {ids[0]: "running", ids[1]: "running"}
    ec2.stop_instances(InstanceIds=ids[:1])
    ec2.terminate_instances(InstanceIds=ids[1:])
    serve.advance(9000)
    assert states(ec2, ids) == {ids[0]: "stopping", ids[1]: "shutting-down"}
    serve.advance(1000)
    assert states(ec2, ids) == {ids[0]: "stopped", ids[1]: "terminated"}
    serve.advance(19000)
    assert states(ec2, ids[1:]) == {ids[1]: "terminated"}
    serve.advance(1000)
    assert error_of(ec2.describe_instances, InstanceIds=ids[1:])["Code"] == "InvalidInstanceID.NotFound"


def test_duration_options(tmp_path: Path) -> None:
    args = ["--port", "0", "--state-dir", str(tmp_path), "--pending-seconds", "0", "--stopping-seconds", "10000",
            "--shutting-down-seconds", "10000", "--terminated-retention-seconds", "20000"]
    with Serve(tmp_path, args) as serve:
        _check_durations(serve)


def test_environment_variables(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "elsewhere" / "custom.db"
    env = base_env(
        EC2EMU_HOST="127.0.0.1", EC2EMU_PORT=str(port), EC2EMU_STATE_DIR=str(tmp_path / "state"),
        EC2EMU_DB=f"sqlite:///{db}", EC2EMU_PENDING_SECONDS="0", EC2EMU_STOPPING_SECONDS="10000",
        EC2EMU_SHUTTING_DOWN_SECONDS="10000", EC2EMU_TERMINATED_RETENTION_SECONDS="20000",
    )
    with Serve(tmp_path, [], env) as serve:
        assert serve.endpoint == f"http://127.0.0.1:{port}"
        assert listening_addresses(port) == {"127.0.0.1"}
        assert db.exists() and not (tmp_path / "state" / "ec2emu.db").exists()
        assert (tmp_path / "state" / "admin-token").exists()
        _check_durations(serve)


def test_an_option_beats_its_environment_variable(tmp_path: Path) -> None:
    env = base_env(EC2EMU_PENDING_SECONDS="0", EC2EMU_STATE_DIR=str(tmp_path / "from-env"))
    with Serve(tmp_path, ["--port", "0", "--state-dir", str(tmp_path / "from-option"),
                          "--pending-seconds", "10000"], env) as serve:
        ec2 = serve.client()
        ids = launch(ec2, 1)
        serve.advance(1)
        assert states(ec2, ids) == {ids[0]: "pending"}
        assert (tmp_path / "from-option" / "ec2emu.db").exists()
        assert not (tmp_path / "from-env").exists()


def test_db_option_chooses_the_database(tmp_path: Path) -> None:
    db = tmp_path / "db" / "chosen.db"
    args = ["--port", "0", "--state-dir", str(tmp_path / "state"), "--db", f"sqlite:///{db}"]
    with Serve(tmp_path, args) as serve:
        ids = launch(serve.client(), 1)
        assert f"state: sqlite:///{db}" in serve.output.splitlines()
    with Serve(tmp_path, args) as serve:
        assert set(states(serve.client(), ids)) == set(ids)
    with Serve(tmp_path, args[:4]) as serve:  # same state dir, default database: a different store
        assert serve.client().describe_instances()["Reservations"] == []


@pytest.mark.parametrize(
    "args",
    [["--pending-seconds", "-1"], ["--port", "http"], ["--port", "70000"],
     ["--terminated-retention-seconds", "soon"], ["--stopping-seconds", "nan"],
     ["--shutting-down-seconds", "inf"], ["--no-such-option"]],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run_cli("serve", "--state-dir", str(tmp_path / "state"), *args)
    assert result.returncode == 2
    assert "Usage:" in result.stderr
    assert "AWS_ENDPOINT_URL_EC2" not in result.stdout
    assert not (tmp_path / "state").exists()


def test_bad_environment_value_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("serve", "--state-dir", str(tmp_path), env=base_env(EC2EMU_PENDING_SECONDS="-5"))
    assert result.returncode == 2 and "pending-seconds" in result.stderr


def test_serve_help_lists_every_option_with_its_variable_and_default() -> None:
    """Each option of ``serve`` (read from the command itself) is in ``--help`` with its
    ``EC2EMU_*`` variable and its default, in the ``[env var: ...; default: ...]`` note
    that follows the option's own text."""
    from ec2emu.cli import serve

    help_text = re.sub(r"\s+", " ", run_cli("serve", "--help").stdout)
    options = [p for p in serve.params if isinstance(p, click.Option) and p.name != "help"]
    assert len(options) >= 20
    for option in options:
        flag = max(option.opts, key=len)
        match = re.search(rf" {re.escape(flag)} .*?\[env var: (\S+); default: ([^\]]+?)(?:; [^;\]]*)?\]",
                          help_text)
        assert match, f"{flag} is not listed with its variable and default"
        assert match.group(1) == option.envvar and option.envvar.startswith("EC2EMU_")
        assert match.group(2)
    assert "[env var: EC2EMU_HOST; default: 127.0.0.1]" in help_text
    assert "[envvar:EC2EMU_DB;default:(sqlite:///<state-dir>/ec2emu.db)]" in help_text.replace(" ", "")


def test_python_m_ec2emu_serve(tmp_path: Path) -> None:
    env = base_env(EC2EMU_PORT="0", EC2EMU_STATE_DIR=str(tmp_path / "state"))
    with open(tmp_path / "out", "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ec2emu", "serve"], stdout=out, stderr=subprocess.STDOUT,
                                env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 30
        while not (match := _EXPORT.search((tmp_path / "out").read_text())):
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "out").read_text()
            time.sleep(0.05)
        ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=match.group(1), config=NO_RETRY)
        assert ec2.describe_instances()["Reservations"] == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --------------------------------------------------------------------------- version


def test_version_command_and_option() -> None:
    assert run_cli("version").stdout.strip() == __version__
    assert run_cli("--version").stdout.strip() == f"ec2emu, version {__version__}"
    module = subprocess.run([sys.executable, "-m", "ec2emu", "version"], capture_output=True, text=True,
                            timeout=60, check=True)
    assert module.stdout.strip() == __version__


def test_the_installed_command_exists() -> None:
    assert Path(sys.executable).with_name("ec2emu").exists() or shutil.which("ec2emu")
