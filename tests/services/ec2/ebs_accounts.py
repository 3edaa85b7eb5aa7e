"""The snapshot sharing tests' two accounts (:mod:`tests.two_accounts`) and a completed
snapshot to share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.two_accounts import KEYS, OTHER, OWNER, client_of, strict_app, strict_clock

__all__ = ["KEYS", "OTHER", "OWNER", "ZONE", "account", "client_of", "completed_snapshot", "strict_app",
           "strict_clock"]

ZONE = "us-east-1a"


@pytest.fixture
def account(client_of: Callable[..., Any]) -> Callable[..., Any]:
    """``account(OWNER)``: that account's EC2 client (``region=`` another region)."""
    return client_of


def completed_snapshot(ec2: Any, clock: Any, size: int = 8, **volume: Any) -> str:
    """A completed snapshot of a new volume of ``size`` GiB."""
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=size, **volume)["VolumeId"]
    clock.advance(1)
    snapshot_id = str(ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"])
    clock.advance(2)
    return snapshot_id
