"""Temporary credentials kept in the store (STS sessions): who they sign as, their
session token, and their expiry judged by the emulator's clock.

The sessions are written through the store's IAM repository, as AssumeRole writes them,
so these tests hold whatever issues them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3

from ec2emu.app import Emulator
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import NO_RETRY
from tests.helpers import error_of

ACCOUNT = "000000000000"
KEY, SECRET, TOKEN = "ASIAABCDEFGHIJKLMNOP", "s" * 40, "FwoGZXIvYXdzEXAMPLETOKEN"


def add_session(emulator: Emulator, clock: ManualClock, seconds: int = 900) -> None:
    now = clock.now().timestamp()
    row = {
        "access_key_id": KEY,
        "secret_access_key": SECRET,
        "session_token": TOKEN,
        "account_id": ACCOUNT,
        "role_name": "worker",
        "role_arn": f"arn:aws:iam::{ACCOUNT}:role/worker",
        "role_id": "AROAABCDEFGHIJKLMNOPQ",
        "session_name": "job-1",
        "expires_at": now + seconds,
        "source_identity_arn": f"arn:aws:iam::{ACCOUNT}:root",
        "create_date": now,
    }
    emulator.store.transaction(lambda uow: uow.iam.insert_session(row))


def client(emulator: Emulator, service: str, token: str | None = TOKEN, secret: str = SECRET) -> Any:
    made = boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url="http://ec2emu.test",
        config=NO_RETRY,
        aws_access_key_id=KEY,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )
    return InProcessTransport(emulator).attach(made)


def test_session_credentials_sign_as_the_assumed_role(emulator: Emulator, clock: ManualClock) -> None:
    add_session(emulator, clock)
    identity = client(emulator, "sts").get_caller_identity()
    assert identity == {
        **identity,
        "Account": ACCOUNT,
        "UserId": "AROAABCDEFGHIJKLMNOPQ:job-1",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/job-1",
    }
    credential = emulator.credentials.find(KEY)
    assert credential is not None
    principal = credential.principal
    assert (principal.kind, principal.role_name, principal.session_name) == (
        "assumed-role",
        "worker",
        "job-1",
    )
    assert credential.expires_at == clock.now() + dt.timedelta(seconds=900)


def test_a_session_key_needs_its_token_and_its_secret(emulator: Emulator, clock: ManualClock) -> None:
    add_session(emulator, clock)
    failure = {  # STS's answer (EC2's is AuthFailure, 401)
        "Code": "InvalidClientTokenId",
        "Message": "The security token included in the request is invalid.",
        "Status": 403,
    }
    assert error_of(client(emulator, "sts", token=None).get_caller_identity) == failure
    assert error_of(client(emulator, "sts", token="other-token").get_caller_identity) == failure
    assert error_of(client(emulator, "ec2", token=None).describe_regions)["Code"] == "AuthFailure"
    assert (
        error_of(client(emulator, "sts", secret="wrong").get_caller_identity)["Code"]
        == "SignatureDoesNotMatch"
    )


def test_a_session_expires_by_the_emulators_clock(emulator: Emulator, clock: ManualClock) -> None:
    add_session(emulator, clock, seconds=900)
    sts = client(emulator, "sts")
    clock.advance(899)
    assert sts.get_caller_identity()["Arn"].endswith(":assumed-role/worker/job-1")
    clock.advance(1)
    assert error_of(sts.get_caller_identity) == {
        "Code": "ExpiredToken",
        "Message": "The security token included in the request is expired",
        "Status": 403,
    }
    assert error_of(client(emulator, "iam").list_users) == {
        "Code": "ExpiredToken",
        "Message": "The security token included in the request is expired",
        "Status": 403,
    }
    assert error_of(client(emulator, "ec2").describe_instances) == {
        "Code": "RequestExpired",
        "Message": "Request has expired.",
        "Status": 400,
    }
