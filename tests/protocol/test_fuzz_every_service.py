"""Every implemented operation of every served service, fuzzed through the app in-process.

For each operation the registry serves (:func:`tests.protocol.fuzzing.operations`: a new
operation is fuzzed without being listed), requests are drawn from its botocore input
shape — well-typed ones and junk-laden ones — serialised and signed by botocore, each
followed by raw mutations of the signed request (:func:`tests.protocol.fuzzing.mutations`).
Every answer must pass :class:`tests.protocol.fuzzing.Checker`: no 5xx, an error in the
service's own protocol, nothing about the server's insides, no traceback logged. The
examples are few and derandomised here; ``tests/torture/test_protocol_fuzz.py`` sends
hundreds of thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2emu.app import Emulator, build_app
from ec2emu.config import Settings
from ec2emu.errors import Ec2Error
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.services import registry
from ec2emu.services.registry import Service
from ec2emu.services.shared.context import RequestContext
from tests.conftest import DURATIONS, NO_RETRY
from tests.protocol import fuzzing

QUICK = settings(max_examples=2, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    yield from fuzzing.fuzzed_emulator(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def transport(app: Emulator) -> InProcessTransport:
    return InProcessTransport(app)


@pytest.fixture(scope="module")
def pools(transport: InProcessTransport) -> fuzzing.Pools:
    def make(service: str) -> Any:
        return transport.attach(boto3.client(service, region_name=fuzzing.REGION, endpoint_url=fuzzing.ENDPOINT,
                                             aws_access_key_id="test", aws_secret_access_key="test",
                                             config=NO_RETRY))
    return fuzzing.world(make)


@pytest.fixture(scope="module")
def checker() -> Iterator[fuzzing.Checker]:
    watcher = fuzzing.watch_log()
    yield fuzzing.Checker(watcher)
    fuzzing.logging.getLogger("ec2emu").removeHandler(watcher)


def exchange(transport: InProcessTransport, checker: fuzzing.Checker, wire: fuzzing.Wire) -> None:
    before = len(checker.failures)
    checker.check(wire, *fuzzing.in_process(transport)(wire))
    assert len(checker.failures) == before, checker.failures[-1]


@pytest.mark.parametrize(("service", "action"), fuzzing.operations(),
                         ids=[f"{s}:{a}" for s, a in fuzzing.operations()])
@QUICK
@given(data=st.data(), junk=st.booleans())
def test_a_request_and_its_mutations_are_answered_in_the_protocol(
        transport: InProcessTransport, pools: fuzzing.Pools, checker: fuzzing.Checker, service: str,
        action: str, data: st.DataObject, junk: bool) -> None:
    wire = data.draw(fuzzing.requests(service, action, pools, junk=junk), label="request")
    exchange(transport, checker, wire)
    exchange(transport, checker, data.draw(fuzzing.mutations(wire), label="mutated"))


def test_the_checks_catch_a_fault_a_leak_and_a_foreign_envelope(tmp_path: Any) -> None:
    """The rules bite: a handler that fails (a 500 and a logged traceback), one whose
    error names the server's insides, and one answered in another protocol's envelope
    are each counted as failures."""
    events = Service(signing_name="events", model="events", modules=())

    @events.operation("ListRules")
    def list_rules(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix")
        if prefix == "fault":
            raise RuntimeError("a fault")
        if prefix == "leak":
            raise Ec2Error("ValidationException", "KeyError in /src/ec2emu/store/x.py: SELECT * FROM rules", 400)
        return {"Rules": []}

    broken = build_app(Settings(state_dir=tmp_path, durations=DURATIONS), clock=ManualClock(),
                       services={**registry.load(), "events": events})
    watcher = fuzzing.watch_log()
    try:
        checker = fuzzing.Checker(watcher)
        send = fuzzing.in_process(InProcessTransport(broken))
        for prefix in ("fault", "leak", "fine"):
            wire = fuzzing.signed_wire("events", "ListRules", {"NamePrefix": prefix})
            checker.check(wire, *send(wire))
        ec2_error = fuzzing.signed_wire("events", "ListRules", {})
        checker.check(ec2_error, 400, {"content-type": fuzzing.XML_CONTENT_TYPE},
                      b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>X</Code>'
                      b"<Message>y</Message></Error></Errors><RequestID>1</RequestID></Response>")
    finally:
        fuzzing.logging.getLogger("ec2emu").removeHandler(watcher)
        broken.store.close()
    assert (checker.requests, checker.server_errors, len(checker.failures)) == (4, 1, 3)
    fault, leak, foreign = checker.failures
    assert fault.startswith("status 500") and "logged: request" in fault and "Traceback" in fault
    assert all(word in leak for word in ("leaks 'KeyError'", "leaks '/src/'", "leaks '.py'", "leaks 'SELECT '"))
    assert foreign.startswith("malformed answer")
