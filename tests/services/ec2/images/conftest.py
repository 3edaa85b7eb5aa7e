"""The image tests' fixtures: two accounts with keys of their own, in strict mode, on one
in-process app — the accounts of ``examples/accounts.toml`` (111111111111 and
222222222222, each signing with its root key)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY

ACCOUNTS = Path(__file__).resolve().parents[4] / "examples" / "accounts.toml"
ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
KEYS = {ACCOUNT_A: ("AKIADEVROOT000000001", "dev-root-secret"),
        ACCOUNT_B: ("AKIAPRODROOT00000001", "prod-root-secret")}


@pytest.fixture
def strict_app(tmp_path: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=tmp_path, durations=DURATIONS, admin_token="test-admin-token",
                        auth_mode="strict", accounts_file=ACCOUNTS)
    app = build_app(settings, clock=ManualClock())
    yield app
    app.store.close()


@pytest.fixture
def client_of(strict_app: Emulator) -> Iterator[Callable[..., Any]]:
    """``client_of(account, region="us-east-1")``: an EC2 client signing as the account's root."""
    transport = InProcessTransport(strict_app)

    def make(account: str, region: str = "us-east-1") -> Any:
        key, secret = KEYS[account]
        return transport.attach(boto3.client("ec2", region_name=region, endpoint_url="http://ec2emu.test",
                                             aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY))

    yield make
    transport.close()


@pytest.fixture
def owner(client_of: Callable[..., Any]) -> Any:
    return client_of(ACCOUNT_A)


@pytest.fixture
def other(client_of: Callable[..., Any]) -> Any:
    return client_of(ACCOUNT_B)


@pytest.fixture
def strict_clock(strict_app: Emulator) -> ManualClock:
    assert isinstance(strict_app.clock, ManualClock)
    return strict_app.clock
