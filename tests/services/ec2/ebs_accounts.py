"""Two accounts on one emulator in strict mode (``examples/accounts.toml``): their EC2
clients, for the sharing tests."""

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

ACCOUNTS = Path(__file__).resolve().parents[3] / "examples" / "accounts.toml"
OWNER, OTHER = "111111111111", "222222222222"
KEYS = {OWNER: ("AKIADEVROOT000000001", "dev-root-secret"), OTHER: ("AKIAPRODROOT00000001", "prod-root-secret")}
ZONE = "us-east-1a"


@pytest.fixture
def strict_app(tmp_path: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=tmp_path, durations=DURATIONS, admin_token="test-admin-token",
                        accounts_file=ACCOUNTS, auth_mode="strict")
    app = build_app(settings, clock=ManualClock())
    yield app
    app.store.close()


@pytest.fixture
def account(strict_app: Emulator) -> Iterator[Callable[..., Any]]:
    """``account(OWNER)``: that account's EC2 client (``region=`` another region)."""
    transport = InProcessTransport(strict_app)

    def client(account_id: str, region: str = "us-east-1") -> Any:
        key, secret = KEYS[account_id]
        return transport.attach(boto3.client("ec2", region_name=region, endpoint_url="http://ec2emu.test",
                                             aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY))

    yield client
    transport.close()


@pytest.fixture
def strict_clock(strict_app: Emulator) -> ManualClock:
    assert isinstance(strict_app.clock, ManualClock)
    return strict_app.clock


def completed_snapshot(ec2: Any, clock: Any, size: int = 8, **volume: Any) -> str:
    """A completed snapshot of a new volume of ``size`` GiB."""
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=size, **volume)["VolumeId"]
    clock.advance(1)
    snapshot_id = str(ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"])
    clock.advance(2)
    return snapshot_id
