"""Protocol fuzzing at scale: every served operation, through the app and a real server.

``EC2EMU_FUZZ_REQUESTS`` requests in all (skipped when it is not set: ``make torture``
and ``make fuzz`` set it, 100,000 by default) go round every operation the registry
serves, each a request drawn from the operation's botocore input shape (well-typed or
junk-laden, signed by botocore) followed by :data:`MUTATIONS` raw mutations of it
(:mod:`tests.protocol.fuzzing`). ``EC2EMU_FUZZ_SERVER_SHARE`` (a fraction, 0.25 by
default) of them go over HTTP to a real ``ec2emu serve`` on SQLite in strict mode (every
signature verified; the requests signed with a root key of ``examples/accounts.toml``),
``EC2EMU_FUZZ_PG_SHARE`` (0.15) through the ASGI app in-process on PostgreSQL (skipped
without its binaries), the rest through the app in-process on SQLite. Nothing stops at the first failure: every answer is checked, the failures
are counted, and the figures — requests sent, 5xx answered, failures — are printed and
written to ``EC2EMU_FUZZ_REPORT`` (a JSON file) when it is set; the run fails if any
answer broke a rule or the server logged a traceback. ``EC2EMU_FUZZ_SEED`` varies the
examples (a run is reproducible with the same seed).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from ec2emu.app import build_app
from ec2emu.config import Settings
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from tests.conftest import DURATIONS, NO_RETRY, ServerProcess
from tests.protocol import fuzzing

REQUESTS = int(os.environ.get("EC2EMU_FUZZ_REQUESTS", "0"))
SERVER_SHARE = float(os.environ.get("EC2EMU_FUZZ_SERVER_SHARE", "0.25"))
PG_SHARE = float(os.environ.get("EC2EMU_FUZZ_PG_SHARE", "0.15"))
SEED = int(os.environ.get("EC2EMU_FUZZ_SEED", "22"))
MUTATIONS = 3  # raw mutations sent after each drawn request
ACCOUNTS = Path(__file__).resolve().parents[2] / "examples" / "accounts.toml"
ROOT_KEY = ("AKIADEVROOT000000001", "dev-root-secret")  # an account root's key in ACCOUNTS

pytestmark = pytest.mark.skipif(REQUESTS <= 0, reason="set EC2EMU_FUZZ_REQUESTS (make fuzz / make torture)")

TOTALS: dict[str, dict[str, Any]] = {}


def fuzz(send: fuzzing.Send, checker: fuzzing.Checker, pools: fuzzing.Pools, requests: int,
         after: Callable[[], None] = lambda: None, key: tuple[str, str] = ("test", "test")) -> None:
    """At least ``requests`` requests round every operation (rounds of fresh seeds until
    there are enough: hypothesis stops an operation early once its examples run out);
    what breaks a rule is kept in ``checker``."""
    operations = fuzzing.operations()
    start, round_ = checker.requests, 0
    while checker.requests - start < requests:
        missing = requests - (checker.requests - start)
        examples = max(1, math.ceil(missing / (len(operations) * (1 + MUTATIONS))))
        for service, action in operations:
            one_operation(send, checker, pools, service, action, examples, SEED + round_, key)
            after()
        round_ += 1


def one_operation(send: fuzzing.Send, checker: fuzzing.Checker, pools: fuzzing.Pools, service: str, action: str,
                  examples: int, seed_: int, key: tuple[str, str]) -> None:
    """``examples`` requests drawn for one operation, each followed by its mutations."""
    @seed(seed_)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=st.data(), junk=st.booleans())
    def one(data: st.DataObject, junk: bool) -> None:
        wire = data.draw(fuzzing.requests(service, action, pools, junk=junk, key=key))
        exchange(send, checker, wire)
        for _ in range(MUTATIONS):
            exchange(send, checker, data.draw(fuzzing.mutations(wire)))

    one()


def exchange(send: fuzzing.Send, checker: fuzzing.Checker, wire: fuzzing.Wire) -> None:
    try:
        status, headers, body = send(wire)
    except Exception as error:  # a connection the server dropped is a failure, not the end
        checker.requests += 1
        checker.failures.append(f"no answer: {error!r}\n{wire.describe()}")
        return
    checker.check(wire, status, headers, body)


def client_maker(endpoint: str, transport: InProcessTransport | None = None,
                 key: tuple[str, str] = ("test", "test")) -> Callable[[str], Any]:
    def make(service: str) -> Any:
        client = boto3.client(service, region_name=fuzzing.REGION, endpoint_url=endpoint,
                              aws_access_key_id=key[0], aws_secret_access_key=key[1], config=NO_RETRY)
        return transport.attach(client) if transport is not None else client
    return make


def summarise(name: str, checker: fuzzing.Checker, seconds: float) -> None:
    TOTALS[name] = {"requests": checker.requests, "5xx": checker.server_errors, "documented_503": checker.unavailable,
                    "failures": len(checker.failures), "seconds": round(seconds, 1),
                    "first_failures": checker.failures[:20],
                    "statuses": dict(sorted(checker.statuses.items())),
                    "codes": dict(checker.codes.most_common()), "kinds": checker.kinds}
    print(f"\nprotocol fuzz ({name}): {checker.report()} in {seconds:.0f} s")
    report = os.environ.get("EC2EMU_FUZZ_REPORT")
    if report:
        Path(report).write_text(json.dumps(TOTALS, indent=2))


@pytest.fixture
def watcher() -> Iterator[fuzzing.Tracebacks]:
    handler = fuzzing.watch_log()
    yield handler
    fuzzing.logging.getLogger("ec2emu").removeHandler(handler)


def fuzz_in_process(name: str, settings_: Settings, watcher: fuzzing.Tracebacks, requests: int) -> None:
    app = build_app(settings_, clock=ManualClock())
    transport = InProcessTransport(app)
    checker = fuzzing.Checker(watcher)
    started = time.monotonic()
    try:
        pools = fuzzing.world(client_maker(fuzzing.ENDPOINT, transport))
        fuzz(fuzzing.in_process(transport), checker, pools, requests,
             after=lambda: app.advance(7))  # launches settle, deliveries and the trail run
    finally:
        app.store.close()
        summarise(name, checker, time.monotonic() - started)
    assert not checker.failures, f"{checker.report()}\n\n" + "\n\n".join(checker.failures[:10])


def test_every_operation_fuzzed_in_process(tmp_path: Path, watcher: fuzzing.Tracebacks) -> None:
    fuzz_in_process("in-process, SQLite", Settings(state_dir=tmp_path, durations=DURATIONS), watcher,
                    round(REQUESTS * (1 - SERVER_SHARE - PG_SHARE)))


def test_every_operation_fuzzed_in_process_on_postgresql(tmp_path: Path, watcher: fuzzing.Tracebacks,
                                                         request: pytest.FixtureRequest) -> None:
    if round(REQUESTS * PG_SHARE) <= 0:
        pytest.skip("EC2EMU_FUZZ_PG_SHARE is 0")
    url = request.getfixturevalue("pg_migrated_url")
    fuzz_in_process("in-process, PostgreSQL", Settings(state_dir=tmp_path, durations=DURATIONS, db_url=url),
                    watcher, round(REQUESTS * PG_SHARE))


def test_every_operation_fuzzed_over_http(tmp_path: Path, watcher: fuzzing.Tracebacks) -> None:
    share = round(REQUESTS * SERVER_SHARE)
    if share <= 0:
        pytest.skip("EC2EMU_FUZZ_SERVER_SHARE is 0")
    server = ServerProcess(tmp_path, ["--pending-seconds", "1", "--stopping-seconds", "1",
                                      "--shutting-down-seconds", "1", "--auth", "strict",
                                      "--accounts", str(ACCOUNTS)]).start()
    send = fuzzing.OverHttp(server.port)
    checker = fuzzing.Checker(watcher)
    started = time.monotonic()
    try:
        pools = fuzzing.world(client_maker(server.endpoint, key=ROOT_KEY))
        fuzz(send, checker, pools, share, key=ROOT_KEY)
    finally:
        send.close()
        server.stop()
        summarise("real server, strict, SQLite", checker, time.monotonic() - started)
    log = (tmp_path / "server.log").read_text(errors="replace")
    logged = [line for line in log.splitlines() if "Traceback" in line or "InternalError" in line]
    assert not checker.failures and not logged, \
        f"{checker.report()}\n{logged[:5]}\n\n" + "\n\n".join(checker.failures[:10])
