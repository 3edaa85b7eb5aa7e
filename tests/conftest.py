"""Shared fixtures: the app in-process (manual clock, fresh SQLite) and a real server.

``emulator``: an :class:`ec2emu.app.Emulator` on a fresh SQLite file with a manual clock.
The file is a copy of one migrated once per session (``migrated_database``): a copy at
the newest revision starts in a few milliseconds, where migrating afresh takes a
quarter of a second. ``tests/store`` migrates for real.
``ec2``: a boto3 EC2 client whose requests go through that app in-process.
``make_client``: more clients on the same app (other regions).
``server``: a real ``ec2emu serve`` process on a free port (see ``tests/e2e``).
``pg_cluster``: one throwaway PostgreSQL server for the session (skipped when its
binaries are absent); ``pg_url``: a fresh empty database on it for one test;
``pg_migrated_url``: a fresh one already migrated (a copy of a database migrated once).
The real-client tests record each client's own version (``record_property`` with
``CLIENT_VERSION``); the run's summary lists them under "client versions".
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import Store
from tests.pgcluster import PgCluster, pg_bin_dir

os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.pop("AWS_PROFILE", None)

CLIENT_VERSION = "client version"
DURATIONS = Durations(pending=5, stopping=5, shutting_down=5, terminated_retention=3600)
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated to the newest revision, once per session."""
    path = tmp_path_factory.mktemp("migrated") / "ec2emu.db"
    Store(f"sqlite:///{path}").close()
    return path


def fresh_state(state_dir: Path, migrated: Path) -> Path:
    """``state_dir`` holding a copy of the migrated empty database (what ``Settings`` opens)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated, state_dir / "ec2emu.db")
    return state_dir


@pytest.fixture
def emulator(tmp_path: Path, migrated_database: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=fresh_state(tmp_path, migrated_database), durations=DURATIONS,
                        admin_token="test-admin-token")
    app = build_app(settings, clock=ManualClock())
    yield app
    app.store.close()


@pytest.fixture
def make_client(emulator: Emulator) -> Iterator[Callable[..., Any]]:
    transport = InProcessTransport(emulator)

    def make(region: str = "us-east-1", service: str = "ec2") -> Any:
        client = boto3.client(
            service,
            region_name=region,
            endpoint_url="http://ec2emu.test",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=NO_RETRY,
        )
        return transport.attach(client)

    yield make
    transport.close()


@pytest.fixture
def ec2(make_client: Callable[..., Any]) -> Any:
    return make_client()


@pytest.fixture
def clock(emulator: Emulator) -> ManualClock:
    assert isinstance(emulator.clock, ManualClock)
    return emulator.clock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A real ``ec2emu serve`` subprocess."""

    def __init__(self, state_dir: Path, extra: list[str] | None = None) -> None:
        self.state_dir = state_dir
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.extra = extra or []
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        env = dict(os.environ, EC2EMU_ADMIN_TOKEN="test-admin-token")
        self.log = open(self.state_dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ec2emu", "serve", "--port", str(self.port),
             "--state-dir", str(self.state_dir), *self.extra],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.state_dir / "server.log").read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        if hasattr(self, "log"):
            self.log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if hasattr(self, "log"):
            self.log.close()

    def client(self, region: str = "us-east-1", service: str = "ec2") -> Any:
        return boto3.client(
            service, region_name=region, endpoint_url=self.endpoint,
            aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY,
        )


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """On SQLite; parametrised indirectly with ``"postgresql"``, on a fresh PostgreSQL database."""
    # Long transitions: tests move time with the admin clock route, never by waiting.
    slow = ["--pending-seconds", "30", "--stopping-seconds", "30", "--shutting-down-seconds", "30"]
    if getattr(request, "param", "sqlite") == "postgresql":
        slow += ["--db", str(request.getfixturevalue("pg_migrated_url"))]
    proc = ServerProcess(tmp_path, slow).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are absent: apt-get install postgresql")
    cluster = PgCluster(bin_dir).start()
    yield cluster
    cluster.destroy()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(scope="session")
def pg_migrated_template(pg_cluster: PgCluster) -> str:
    """The name of a database migrated to the newest revision, once per session (nobody
    stays connected to it, so databases can be made from it)."""
    url = pg_cluster.create_database("migrated")
    Store(url).close()
    return url.rsplit("/", 1)[1]


@pytest.fixture
def pg_migrated_url(pg_cluster: PgCluster, pg_migrated_template: str) -> Iterator[str]:
    """A fresh database already at the newest revision: a copy of ``pg_migrated_template``."""
    url = pg_cluster.create_database(template=pg_migrated_template)
    yield url
    pg_cluster.drop_database(url)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The versions of the real clients the tests ran (reports carry them from xdist workers)."""
    versions = sorted({str(value) for reports in terminalreporter.stats.values() for report in reports
                       for name, value in getattr(report, "user_properties", ()) if name == CLIENT_VERSION})
    if versions:
        terminalreporter.section("client versions")
        for version in versions:
            terminalreporter.write_line(version)
