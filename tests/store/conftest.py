"""Fixtures for the store contract tests.

Every test takes ``store_url`` and runs twice: on a fresh SQLite file and on a fresh
database of the session's throwaway PostgreSQL cluster; the same contract holds on
both. ``store_url``'s database is already migrated (a copy of one migrated once per
session); ``empty_store_url``'s is empty, for the tests of the migrations themselves.
``store`` is a migrated :class:`Store` on ``store_url``; ``instance_row`` builds a complete instance row.
:func:`downgraded` migrates a database to the newest revision and then back down, for
the tests of a migration's downgrade.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ec2emu.auth.managed_policies import managed_documents
from ec2emu.store.engine import alembic_config, create_engine, migrate
from ec2emu.store.queries import TAG_VALUE, Match, Pattern, Wildcard
from ec2emu.store.repository import Store

ACCOUNT = "000000000000"
REGION = "us-east-1"
_serial = itertools.count(1)


@contextmanager
def downgraded(url: str, revision: str) -> Iterator[sa.Connection]:
    """A connection (in a transaction) to the database at ``url``, migrated to the newest
    revision and then down to ``revision``."""
    from alembic import command

    engine = create_engine(url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
            yield connection
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_database: Path) -> str:
    if request.param == "sqlite":
        shutil.copyfile(migrated_database, tmp_path / "store.db")
        return f"sqlite:///{tmp_path / 'store.db'}"
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_migrated_url"))
    raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    opened.managed_policies = managed_documents()
    yield opened
    opened.close()


def make_instance_row(**overrides: Any) -> dict[str, Any]:
    serial = next(_serial)
    row: dict[str, Any] = {
        "instance_id": f"i-{serial:017x}",
        "account_id": ACCOUNT,
        "region": REGION,
        "reservation_id": f"r-{serial:017x}",
        "ami_launch_index": 0,
        "image_id": "ami-0123456789abcdef0",
        "instance_type": "t3.micro",
        "availability_zone": "us-east-1a",
        "subnet_id": "subnet-0123456789abcdef0",
        "vpc_id": "vpc-0123456789abcdef0",
        "private_ip": "172.31.0.10",
        "key_name": None,
        "client_token": None,
        "state": "running",
        "due_at": None,
        "launch_time": 1_000.0,
        "state_transition_reason": "",
        "state_reason_code": None,
        "state_reason_message": None,
        "disable_api_termination": False,
        "disable_api_stop": False,
        "shutdown_behavior": "stop",
        "user_data": None,
        "root_device_type": "ebs",
        "root_device_name": "/dev/xvda",
        "architecture": "x86_64",
        "virtualization_type": "hvm",
        "platform": None,
        "hibernation_configured": False,
        "ebs_optimized": False,
        "security_groups": [],
        "instance_store_mappings": None,
        "iam_association_id": None,
        "iam_instance_profile_arn": None,
        "iam_instance_profile_id": None,
        "iam_association_time": None,
        "public_ip_on_launch": True,
        "public_ip": None,
        "tenancy": "default",
        "cpu_credits": None,
        "kernel_id": None,
        "ramdisk_id": None,
        "monitoring_state": "disabled",
        "monitoring_due_at": None,
        "http_tokens": "required",
        "http_put_response_hop_limit": 2,
        "http_endpoint": "enabled",
        "http_protocol_ipv6": "disabled",
        "instance_metadata_tags": "disabled",
        "metadata_state": "applied",
        "metadata_due_at": None,
    }
    row.update(overrides)
    return row


def make_volume_row(instance_id: str | None, **overrides: Any) -> dict[str, Any]:
    serial = next(_serial)
    row: dict[str, Any] = {
        "volume_id": f"vol-{serial:017x}",
        "account_id": ACCOUNT,
        "region": REGION,
        "availability_zone": "us-east-1a",
        "size": 8,
        "volume_type": "gp3",
        "iops": 3000,
        "snapshot_id": None,
        "encrypted": False,
        "state": "in-use" if instance_id else "available",
        "create_time": 1_000.0,
        "instance_id": instance_id,
        "device": "/dev/xvda" if instance_id else None,
        "attach_time": 1_000.0 if instance_id else None,
        "delete_on_termination": True,
    }
    row.update(overrides)
    return row


def make_interface_row(instance_id: str | None, **overrides: Any) -> dict[str, Any]:
    """A network interface (attached to ``instance_id`` at device index 0 and marked
    DeleteOnTermination, or ``available``), with its ``addresses`` and ``groups``."""
    serial = next(_serial)
    row: dict[str, Any] = {
        "network_interface_id": f"eni-{serial:017x}", "account_id": ACCOUNT, "region": REGION,
        "subnet_id": "subnet-0123456789abcdef0", "vpc_id": "vpc-0123456789abcdef0",
        "availability_zone": "us-east-1a", "private_ip": "172.31.0.10", "mac_address": "02:00:00:00:00:01",
        "description": "", "source_dest_check": True, "interface_type": "interface", "requester_managed": False,
        "status": "in-use" if instance_id else "available",
        "attachment_id": f"eni-attach-{serial:017x}" if instance_id else None, "instance_id": instance_id,
        "device_index": 0 if instance_id else None, "attach_time": 1_000.0 if instance_id else None,
        "delete_on_termination": bool(instance_id), "attachment_status": "attached" if instance_id else None,
        "create_time": 1_000.0, "client_token": None, "groups": [],
    }
    row.update(overrides)
    row.setdefault("addresses", [row["private_ip"]])
    return row


@pytest.fixture
def instance_row() -> Callable[..., dict[str, Any]]:
    return make_instance_row


@pytest.fixture
def volume_row() -> Callable[..., dict[str, Any]]:
    return make_volume_row


def wildcards(*values: str) -> tuple[str | Pattern, ...]:
    """Criteria values written the way people write them, ``*`` and ``?`` as wildcards,
    turned into the store's neutral form (what a service hands over)."""
    def one(value: str) -> str | Pattern:
        if "*" not in value and "?" not in value:
            return value
        parts = re.split(r"([*?])", value)
        return Pattern(tuple({"*": Wildcard.ANY, "?": Wildcard.OPTIONAL}.get(p, p) for p in parts if p))

    return tuple(one(value) for value in values)


def tag_match(key: str, *values: str) -> Match:
    """Resources with a tag ``key`` whose value is one of ``values``."""
    return Match(TAG_VALUE, wildcards(*values), tag=key)
