"""The pytest plugin, registered through the ``pytest11`` entry point (``ec2emu``).

Fixtures:

* ``ec2emu`` — an in-process emulator for one test (``with ec2emu.mock()`` around
  it), yielding the :class:`ec2emu.Emulator`; clients created during the test are
  routed to it. ``@pytest.mark.ec2emu(pending_seconds=0, clock="system", ...)`` passes
  its keyword arguments to :func:`ec2emu.mock`.
* ``ec2_client`` — a boto3 EC2 client in ``us-east-1`` bound to ``ec2emu``.
* ``ec2emu_server`` — one real ``ec2emu serve`` process on a free port for the whole
  session, its state reset before each test that uses it; yields its endpoint URL as
  a :class:`ServerEndpoint` (a ``str``), which also has ``advance(seconds)``,
  ``reset()``, ``shutdown_guest(instance_id)``, ``admin_token`` and ``state_dir``.
  The ini option ``ec2emu_server_args`` adds arguments to ``ec2emu serve`` (for
  example ``--pending-seconds 0.1``).

Imports of boto3 and the app happen inside the fixtures, so the plugin costs nothing
to sessions that do not use it.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ec2emu.admin_client import AdminClient

SERVER_START_TIMEOUT = 60.0
_EXPORT_PREFIX = "export AWS_ENDPOINT_URL_EC2="


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("ec2emu_server_args", "extra arguments for `ec2emu serve` in the ec2emu_server fixture",
                  default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ec2emu(**options): options for ec2emu.mock() in the ec2emu fixture "
        "(clock and each timing of ec2emu serve: pending_seconds, volume_seconds, ...)",
    )


@pytest.fixture(name="ec2emu")
def _ec2emu(request: pytest.FixtureRequest) -> Iterator[Any]:
    """An in-process ec2emu for this test (ec2emu.mock()): yields the Emulator."""
    from ec2emu.mocking import mock

    marker = request.node.get_closest_marker("ec2emu")
    options = dict(marker.kwargs) if marker else {}
    with mock(**options) as emulator:
        yield emulator


@pytest.fixture
def ec2_client(ec2emu: Any) -> Any:
    """A boto3 EC2 client in us-east-1 bound to the ec2emu fixture."""
    import boto3

    return boto3.client("ec2", region_name="us-east-1")


class ServerEndpoint(str):
    """The endpoint URL of the session's server, with its admin controls."""

    admin: AdminClient
    state_dir: Path

    @property
    def admin_token(self) -> str:
        return self.admin.token

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward; due transitions happen at once."""
        self.admin.advance(seconds)

    def reset(self) -> None:
        """Forget all of the server's state."""
        self.admin.reset()

    def shutdown_guest(self, instance_id: str) -> dict[str, Any]:
        """A shutdown from inside the instance's OS."""
        return self.admin.shutdown_guest(instance_id)


class _ServerProcess:
    def __init__(self, state_dir: Path, extra_args: list[str]) -> None:
        self.state_dir = state_dir
        self.token = secrets.token_urlsafe(24)
        self.log_path = state_dir / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("EC2EMU_")}
        env["EC2EMU_ADMIN_TOKEN"] = self.token
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ec2emu", "serve", "--host", "127.0.0.1", "--port", "0",
             "--state-dir", str(state_dir), *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        self.endpoint = self._wait_for_endpoint()

    def _wait_for_endpoint(self) -> str:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            for line in self.log_path.read_text(errors="replace").splitlines():
                if line.startswith(_EXPORT_PREFIX):
                    return line[len(_EXPORT_PREFIX):].strip()
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        output = self.log_path.read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"ec2emu serve did not start:\n{output}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def _ec2emu_server_process(pytestconfig: pytest.Config,
                           tmp_path_factory: pytest.TempPathFactory) -> Iterator[_ServerProcess]:
    extra = shlex.split(str(pytestconfig.getini("ec2emu_server_args")))
    process = _ServerProcess(tmp_path_factory.mktemp("ec2emu-server"), extra)
    yield process
    process.stop()


@pytest.fixture
def ec2emu_server(_ec2emu_server_process: _ServerProcess) -> ServerEndpoint:
    """The endpoint URL of a real ec2emu server shared by the session, its state reset."""
    endpoint = ServerEndpoint(_ec2emu_server_process.endpoint)
    endpoint.admin = AdminClient(str(endpoint), _ec2emu_server_process.token)
    endpoint.state_dir = _ec2emu_server_process.state_dir
    endpoint.reset()
    return endpoint
