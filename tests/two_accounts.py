"""Two accounts on one in-process app in strict mode — those of ``examples/accounts.toml``
(111111111111 and 222222222222, each signing with its root key) — for the tests of what
one account shares with another: the app, a client per account and the app's clock."""

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
from tests.conftest import DURATIONS, NO_RETRY, fresh_state

ACCOUNTS = Path(__file__).resolve().parents[1] / "examples" / "accounts.toml"
OWNER, OTHER = "111111111111", "222222222222"
KEYS = {OWNER: ("AKIADEVROOT000000001", "dev-root-secret"), OTHER: ("AKIAPRODROOT00000001", "prod-root-secret")}


@pytest.fixture
def strict_app(tmp_path: Path, migrated_database: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=fresh_state(tmp_path, migrated_database), durations=DURATIONS, admin_token="test-admin-token",
                        accounts_file=ACCOUNTS, auth_mode="strict")
    app = build_app(settings, clock=ManualClock())
    yield app
    app.store.close()


@pytest.fixture
def client_of(strict_app: Emulator) -> Iterator[Callable[..., Any]]:
    """``client_of(account, region="us-east-1", service="ec2")``: a client signing as the
    account's root."""
    transport = InProcessTransport(strict_app)

    def make(account: str, region: str = "us-east-1", service: str = "ec2") -> Any:
        key, secret = KEYS[account]
        return transport.attach(boto3.client(service, region_name=region, endpoint_url="http://ec2emu.test",
                                             aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY))

    yield make
    transport.close()


@pytest.fixture
def strict_clock(strict_app: Emulator) -> ManualClock:
    assert isinstance(strict_app.clock, ManualClock)
    return strict_app.clock
