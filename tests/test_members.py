"""No silent drops: every input member of every served operation is honoured, accepted at
AWS's default only, or refused by name — walked from botocore's models.

The table is ``tests/members/`` (:mod:`tests.members.rows` describes its rows; an
operation more than one service serves is keyed ``signing:Name``). For each
served operation every member of its input shape has exactly one row, and each row is
checked: an ``Honoured`` row's test exists and names the member; a ``Default`` row is
declared by the operation's registration, its value passes the screen through boto3 and
another value is refused naming the member; a ``Refused`` row without a test is declared
``refuses`` and refused through boto3, naming the member. A member added to a model fails
here until it has a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError
from botocore.model import OperationModel

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.protocol import spec
from ec2emu.services.registry import Service, load
from tests.conftest import DURATIONS, NO_RETRY
from tests.members.rows import Default, Honoured, Refused
from tests.members.values import request, sample
from tests.members.walk import collect, source_of

# Operations whose rows are written elsewhere and have not landed yet: their members are
# not yet required to have rows (rows they do have are checked like any other).
AWAITING_ROWS: frozenset[str] = frozenset()

SERVICES = load()
TABLE, MERGE_PROBLEMS = collect()


def _key(service: Service, name: str) -> str:
    """An operation's key in the table: its name, or ``signing:Name`` when more than one
    service serves that name (SSM's and EventBridge's ``ListTagsForResource``)."""
    shared = sum(name in other.operations for other in SERVICES.values()) > 1
    return f"{service.signing_name}:{name}" if shared else name


def _name(key: str) -> str:
    return key.rsplit(":", 1)[-1]


# Operation's key -> the service serving it.
SERVING = {_key(service, name): service for service in SERVICES.values() for name in service.operations}


def _operation(key: str) -> OperationModel:
    return spec.operation(_name(key), SERVING[key].model)


def _inputs(name: str) -> list[str]:
    shape = _operation(name).input_shape
    return list(shape.members) if shape is not None else []


def _rows(kind: type) -> list[Any]:
    return [pytest.param(op, member, row, id=f"{op}.{member}")
            for op, members in sorted(TABLE.items()) for member, row in sorted(members.items())
            if isinstance(row, kind) and op in SERVING and member in _inputs(op)]


# ------------------------------------------------------------------ the table's shape

def test_rows_merge_without_duplicates() -> None:
    assert MERGE_PROBLEMS == []


def test_awaiting_operations_are_served() -> None:
    assert AWAITING_ROWS <= set(SERVING)


@pytest.mark.parametrize("operation", sorted(set(SERVING) - AWAITING_ROWS))
def test_every_member_has_a_row(operation: str) -> None:
    missing = [member for member in _inputs(operation) if member not in TABLE.get(operation, {})]
    assert missing == [], f"{operation}: members without a row"


def test_rows_name_served_operations_and_their_members() -> None:
    unknown = [f"{op}.{member}" for op, members in TABLE.items() for member in members
               if op not in SERVING or member not in _inputs(op)]
    assert unknown == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_declarations_have_rows_alike(service: str) -> None:
    """What a registration declares, the table says the same way."""
    unlike: list[str] = []
    for op, members in SERVICES[service].members.items():
        rows = TABLE.get(_key(SERVICES[service], op), {})
        for name in members.refuses:
            if not (isinstance(rows.get(name), Refused) and not rows[name].test):
                unlike.append(f"{op}.{name} is declared refused")
        for name, value in members.defaults.items():
            if rows.get(name) != Default(value):
                unlike.append(f"{op}.{name} is declared default {value!r}")
    assert unlike == []


# ------------------------------------------------------------------ each row

@pytest.mark.parametrize(("operation", "member", "row"), _rows(Honoured))
def test_honoured_member_has_its_test(operation: str, member: str, row: Honoured) -> None:
    source = source_of(row.test)
    assert source is not None, f"no test {row.test}"
    assert member in source, f"{row.test} does not mention {member}"


@pytest.mark.parametrize(("operation", "member", "row"), _rows(Refused))
def test_refused_member(operation: str, member: str, row: Refused, call: Callable[..., Any]) -> None:
    if row.test:
        source = source_of(row.test)
        assert source is not None, f"no test {row.test}"
        assert member in source, f"{row.test} does not mention {member}"
        return
    assert member in _declared(operation).refuses
    value = sample(_operation(operation).input_shape.members[member])
    assert call(operation, member, value) == (row.code, True)


@pytest.mark.parametrize(("operation", "member", "row"), _rows(Default))
def test_default_member(operation: str, member: str, row: Default, call: Callable[..., Any]) -> None:
    assert _declared(operation).defaults.get(member, row) == row.value
    unsupported = SERVING[operation].unsupported(member).code
    code, named = call(operation, member, row.value)
    assert not (code == unsupported and named), f"{operation}.{member}={row.value!r} is refused"
    other = sample(_operation(operation).input_shape.members[member], avoid=row.value)
    assert other != row.value
    assert call(operation, member, other) == (unsupported, True)


def _declared(operation: str) -> Any:
    members = SERVING[operation].members.get(_name(operation))
    assert members is not None, f"{operation} declares nothing"
    return members


# ------------------------------------------------------------------ the server

@pytest.fixture(scope="module")
def call(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Any]]:
    """``call(operation, member, value)``: the operation through boto3 with its required
    members and ``member`` at ``value``; the error code (``None`` on success) and whether
    the error's message names ``member``."""
    settings = Settings(state_dir=Path(tmp_path_factory.mktemp("members")), durations=DURATIONS,
                        admin_token="test-admin-token")
    app = build_app(settings, clock=ManualClock())
    transport = InProcessTransport(app)
    clients: dict[str, Any] = {}

    def client(service: Service) -> Any:
        if service.signing_name not in clients:
            made = boto3.client(service.signing_name, region_name="us-east-1", endpoint_url="http://ec2emu.test",
                                aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY)
            clients[service.signing_name] = transport.attach(made)
        return clients[service.signing_name]

    def send(operation: str, member: str, value: Any) -> tuple[str | None, bool]:
        params = request(_operation(operation), member, value)
        try:
            getattr(client(SERVING[operation]), xform_name(_name(operation)))(**params)
        except ClientError as error:
            return error.response["Error"]["Code"], member in error.response["Error"].get("Message", "")
        return None, False

    yield send
    app.store.close()


