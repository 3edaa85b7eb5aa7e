"""The console's fixtures: an app with two accounts (``examples/accounts.toml``, strict
mode, a manual clock), clients signing as their roots, and a browser-like client."""

from __future__ import annotations

import json
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
from tests.console.client import ConsoleClient

ACCOUNTS = Path(__file__).resolve().parents[2] / "examples" / "accounts.toml"
OWNER, OTHER = "111111111111", "222222222222"
ROOT_A = ("AKIADEVROOT000000001", "dev-root-secret")
ROOT_B = ("AKIAPRODROOT00000001", "prod-root-secret")
TOKEN = "test-admin-token"

Make = Callable[..., Any]


@pytest.fixture
def app(tmp_path: Path, migrated_database: Path) -> Iterator[Emulator]:
    settings = Settings(state_dir=fresh_state(tmp_path, migrated_database), durations=DURATIONS,
                        admin_token=TOKEN, accounts_file=ACCOUNTS, auth_mode="strict")
    emulator = build_app(settings, clock=ManualClock())
    yield emulator
    emulator.store.close()


@pytest.fixture
def make(app: Emulator) -> Make:
    transport = InProcessTransport(app)

    def client(keys: tuple[str, str], service: str = "ec2", region: str = "us-east-1") -> Any:
        return transport.attach(boto3.client(service, region_name=region, endpoint_url="http://ec2emu.test",
                                             config=NO_RETRY, aws_access_key_id=keys[0],
                                             aws_secret_access_key=keys[1]))

    return client


@pytest.fixture
def browser(app: Emulator) -> ConsoleClient:
    return ConsoleClient(app)


@pytest.fixture
def admin(app: Emulator) -> ConsoleClient:
    signed_in = ConsoleClient(app)
    assert signed_in.sign_in(token=TOKEN).status == 303
    return signed_in


def new_user(make: Make, name: str, *statements: dict[str, Any]) -> tuple[str, str]:
    """An IAM user of account 111111111111 with an inline policy: its key pair."""
    iam = make(ROOT_A, "iam")
    iam.create_user(UserName=name)
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": list(statements)}))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]
