"""Shared set-up for the real-client tests: a server and a clean environment for a
client process (no user configuration, test credentials, the endpoint variable)."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerProcess

TOKEN = "test-admin-token"
FAST = ["--pending-seconds", "0.2", "--stopping-seconds", "0.2", "--shutting-down-seconds", "0.2"]


def client_env(home: Path, endpoint: str, **extra: str) -> dict[str, str]:
    """What a user's shell would have: credentials, a region and the endpoint, nothing else
    of AWS's or ec2emu's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "EC2EMU_"))}
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL_EC2=endpoint,
        AWS_PAGER="",
    )
    env.update(extra)
    return env


def advance(endpoint: str, seconds: float) -> None:
    """Move the server's clock with its admin route."""
    request = urllib.request.Request(
        f"{endpoint}/_ec2emu/clock", data=json.dumps({"advance_seconds": seconds}).encode(),
        headers={"Authorization": f"Bearer {TOKEN}"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


@pytest.fixture
def fast_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server whose transitions take 0.2 s, for clients that poll on their own."""
    state = tmp_path / "server"
    state.mkdir()
    server = ServerProcess(state, FAST).start()
    yield server
    server.stop()


@pytest.fixture
def instant_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server whose transitions take no time: a client polling with a fixed delay
    sees each change's end state at its first poll."""
    state = tmp_path / "server"
    state.mkdir()
    server = ServerProcess(state, ["--pending-seconds", "0", "--stopping-seconds", "0",
                                   "--shutting-down-seconds", "0"]).start()
    yield server
    server.stop()
