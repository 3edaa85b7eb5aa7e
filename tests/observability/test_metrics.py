"""``GET /metrics`` on the in-process app: who may read it, its format, the requests
counted by service, operation and error code with their latency histograms, the
instances by account, region and state as the clock moves, and the settler's and the
store's counters. Read back through the library's own text-format parser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from ec2emu.app import Emulator
from ec2emu.auth.errors import in_protocol, missing_credentials
from ec2emu.inprocess import InProcessTransport
from ec2emu.lifecycle.clock import ManualClock
from ec2emu.observability.metrics import BUCKETS
from tests.helpers import error_of, launch
from tests.two_accounts import OTHER, OWNER, client_of, strict_app, strict_clock  # noqa: F401

TOKEN = "test-admin-token"
URL = "http://ec2emu.test/metrics"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(app: Emulator, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return InProcessTransport(app).request("GET", URL, {"Authorization": f"Bearer {TOKEN}", **headers}, b"")


def samples(app: Emulator) -> Samples:
    """Every sample of the scrape, by name and labels (parsed by prometheus_client)."""
    status, _, body = scrape(app)
    assert status == 200
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(body.decode()) for sample in family.samples}


def value(found: Samples, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset(labels.items())))


def instances(found: Samples, account: str = "000000000000", region: str = "us-east-1") -> dict[str, float]:
    """The instance gauge of one account and region, by state (zeros left out)."""
    return {dict(labels)["state"]: n for (name, labels), n in found.items()
            if name == "ec2emu_instances" and dict(labels)["account_id"] == account
            and dict(labels)["region"] == region and n}


# ---------------------------------------------------------------------------- access


def test_metrics_need_the_admin_token(emulator: Emulator, ec2: Any) -> None:
    launch(ec2)
    transport = InProcessTransport(emulator)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        status, response_headers, body = transport.request("GET", URL, headers, b"")
        assert status == 401, headers
        assert response_headers["content-type"] == "application/json"
        assert b"000000000000" not in body and b"ec2emu_" not in body
    status, _, _ = transport.request("POST", URL, {"Authorization": f"Bearer {TOKEN}"}, b"")
    assert status == 405
    status, headers, body = scrape(emulator)
    assert status == 200
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert body.endswith(b"\n") and b'account_id="000000000000"' in body


def test_openmetrics_when_the_scraper_asks(emulator: Emulator, ec2: Any) -> None:
    launch(ec2)
    status, headers, body = scrape(emulator, Accept="application/openmetrics-text; version=1.0.0")
    assert status == 200
    assert headers["content-type"].startswith("application/openmetrics-text; version=1.0.0")
    assert body.endswith(b"# EOF\n")


# ---------------------------------------------------------------------------- requests


def test_requests_are_counted_by_service_operation_and_code(emulator: Emulator, ec2: Any,
                                                           make_client: Callable[..., Any]) -> None:
    [instance_id] = launch(ec2)
    ec2.describe_instances(InstanceIds=[instance_id])
    assert error_of(ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])["Code"] == \
        "InvalidInstanceID.NotFound"
    make_client(service="sts").get_caller_identity()
    assert error_of(ec2.describe_fleets)["Code"] == "InvalidAction"  # an operation not served
    found = samples(emulator)
    assert value(found, "ec2emu_requests_total", service="ec2", operation="RunInstances", code="") == 1
    assert value(found, "ec2emu_requests_total", service="ec2", operation="DescribeInstances", code="") == 1
    assert value(found, "ec2emu_requests_total", service="ec2", operation="DescribeInstances",
                 code="InvalidInstanceID.NotFound") == 1
    assert value(found, "ec2emu_requests_total", service="sts", operation="GetCallerIdentity", code="") == 1
    assert value(found, "ec2emu_requests_total", service="ec2", operation="unknown", code="InvalidAction") == 1
    assert not any(name == "ec2emu_requests_total" and ("operation", "DescribeFleets") in labels
                   for name, labels in found)


def test_latency_histogram_per_operation(emulator: Emulator, ec2: Any) -> None:
    [instance_id] = launch(ec2)
    for _ in range(3):
        ec2.describe_instances(InstanceIds=[instance_id])
    error_of(ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    found = samples(emulator)
    labels = {"service": "ec2", "operation": "DescribeInstances"}
    bounds = [repr(bound) for bound in BUCKETS] + ["+Inf"]
    counts = [value(found, "ec2emu_request_duration_seconds_bucket", le=le, **labels) for le in bounds]
    assert None not in counts
    assert counts == sorted(counts)  # cumulative
    assert counts[-1] == value(found, "ec2emu_request_duration_seconds_count", **labels) == 4
    total = value(found, "ec2emu_request_duration_seconds_sum", **labels)
    assert total is not None and 0 < total < 4 * BUCKETS[-1]


def test_requests_routed_nowhere_are_counted_under_unknown(emulator: Emulator,
                                                          make_client: Callable[..., Any]) -> None:
    status, _, _ = InProcessTransport(emulator).request(
        "POST", "http://ec2emu.test/", {"Content-Type": "application/x-www-form-urlencoded"},
        b"Action=DescribeInstances&Version=2016-11-15")  # unsigned
    assert status == missing_credentials().status
    unserved = error_of(make_client(service="lambda").list_functions)["Code"]
    found = samples(emulator)
    assert value(found, "ec2emu_requests_total", service="unknown", operation="unknown",
                 code=missing_credentials().code) == 1
    assert value(found, "ec2emu_requests_total", service="unknown", operation="unknown", code=unserved) == 1
    assert not any(("service", "lambda") in labels for _, labels in found)


def test_an_unsigned_request_is_counted_for_the_service_it_names(emulator: Emulator) -> None:
    status, _, _ = InProcessTransport(emulator).request(
        "POST", "http://ec2emu.test/", {"Content-Type": "application/x-amz-json-1.1",
                                        "X-Amz-Target": "AmazonSSM.GetParameter"}, b'{"Name": "x"}')
    answered = in_protocol(missing_credentials(), "json")  # counted with the code SSM answers
    assert (status, answered.code) == (400, "MissingAuthenticationTokenException")
    assert value(samples(emulator), "ec2emu_requests_total", service="ssm", operation="unknown",
                 code=answered.code) == 1


def test_a_failing_observer_changes_no_answer(emulator: Emulator, ec2: Any) -> None:
    def broken(_: object) -> None:
        raise RuntimeError("observer down")

    emulator.pipeline.observe = broken
    assert launch(ec2)


# ---------------------------------------------------------------------------- instances


def test_instances_by_state_follow_the_clock(emulator: Emulator, ec2: Any, clock: ManualClock,
                                             make_client: Callable[..., Any]) -> None:
    launched = launch(ec2, 3)
    launch(make_client("eu-west-1"), 1)
    found = samples(emulator)
    assert instances(found) == {"pending": 3}
    assert instances(found, region="eu-west-1") == {"pending": 1}
    assert value(found, "ec2emu_instances", account_id="000000000000", region="us-east-1", state="running") == 0
    assert value(found, "ec2emu_settler_lag_seconds") == 0

    clock.advance(8)  # past the launches' pending (5 s), with no settler run: shown as readers see it
    found = samples(emulator)
    assert instances(found) == {"running": 3}
    assert value(found, "ec2emu_settler_lag_seconds") >= 3
    runs = value(found, "ec2emu_settler_runs_total")

    emulator.advance(0)  # the settler catches up
    found = samples(emulator)
    assert instances(found) == {"running": 3}
    assert value(found, "ec2emu_settler_lag_seconds") == 0
    assert value(found, "ec2emu_settler_runs_total") == runs + 1
    assert value(found, "ec2emu_settler_rows_total") >= 4

    ec2.stop_instances(InstanceIds=launched[:1])
    ec2.terminate_instances(InstanceIds=launched[1:2])
    assert instances(samples(emulator)) == {"running": 1, "stopping": 1, "shutting-down": 1}
    emulator.advance(6)
    assert instances(samples(emulator)) == {"running": 1, "stopped": 1, "terminated": 1}
    clock.advance(3600)  # the terminated one's retention is over: gone before the settler removes it
    assert instances(samples(emulator)) == {"running": 1, "stopped": 1}


def test_instances_are_labelled_by_account(strict_app: Emulator, client_of: Callable[..., Any]) -> None:  # noqa: F811
    launch(client_of(OWNER), 2)
    launch(client_of(OTHER), 1)
    found = samples(strict_app)
    assert instances(found, OWNER) == {"pending": 2}
    assert instances(found, OTHER) == {"pending": 1}


# ---------------------------------------------------------------------------- retries


def test_settle_retries_and_database_retries(emulator: Emulator, ec2: Any, clock: ManualClock) -> None:
    found = samples(emulator)
    assert value(found, "ec2emu_settle_retries_total") == 0
    assert value(found, "ec2emu_database_retries_total") == 0  # SQLite writers take turns: never a conflict
    [instance_id] = launch(ec2)
    clock.advance(6)  # the launch is due, not settled: terminating it waits for the settler
    ec2.terminate_instances(InstanceIds=[instance_id])
    found = samples(emulator)
    assert value(found, "ec2emu_settle_retries_total") == 1
    assert value(found, "ec2emu_settler_runs_total") >= 1


# ---------------------------------------------------------------------------- events

STATE_CHANGE, CALL = "EC2 Instance State-change Notification", "AWS API Call via CloudTrail"


def test_events_emitted_delivered_failed_and_dead_lettered(emulator: Emulator, ec2: Any,
                                                          make_client: Callable[..., Any]) -> None:
    found = samples(emulator)
    assert [name for name, _ in found if name == "ec2emu_events_emitted_total"] == []
    assert value(found, "ec2emu_events_delivered_total") == 0
    launched = launch(ec2, 2)
    assert value(samples(emulator), "ec2emu_events_emitted_total", source="aws.ec2",
                 detail_type=STATE_CHANGE) == 2  # the request's: pending
    emulator.advance(6)  # the settler's: running
    assert value(samples(emulator), "ec2emu_events_emitted_total", source="aws.ec2",
                 detail_type=STATE_CHANGE) == 4
    assert error_of(ec2.terminate_instances, InstanceIds=launched, DryRun=True)["Code"] == "DryRunOperation"
    events = make_client(service="events")
    emulator.functions["ok"] = lambda event: None

    def fails(event: Any) -> None:
        raise RuntimeError("down")

    emulator.functions["fails"] = fails
    events.put_rule(Name="mine", EventPattern='{"source": ["my.app"]}')
    events.put_targets(Rule="mine", Targets=[
        {"Id": "ok", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:ok"},
        {"Id": "fails", "Arn": "arn:aws:lambda:us-east-1:000000000000:function:fails",
         "RetryPolicy": {"MaximumRetryAttempts": 0}}])
    events.put_events(Entries=[{"Source": "my.app", "DetailType": "thing", "Detail": "{}"}])
    emulator.deliver()  # flushes the trail: the calls' events are written, and counted, then
    found = samples(emulator)
    emitted = {tuple(sorted(dict(labels).items())): n for (name, labels), n in found.items()
               if name == "ec2emu_events_emitted_total"}
    assert emitted == {
        (("detail_type", STATE_CHANGE), ("source", "aws.ec2")): 4,  # none for the DryRun
        (("detail_type", "custom"), ("source", "custom")): 1,
        (("detail_type", CALL), ("source", "aws.ec2")): 2,  # RunInstances and the refused TerminateInstances
        (("detail_type", CALL), ("source", "aws.events")): 3}  # PutRule, PutTargets, PutEvents
    assert len(emulator.events) == sum(emitted.values())
    assert value(found, "ec2emu_events_delivered_total") == 1
    assert value(found, "ec2emu_events_failed_total") == 1
    assert value(found, "ec2emu_events_dead_lettered_total") == 1


FAMILIES = {"ec2emu_requests_total": "counter", "ec2emu_request_duration_seconds": "histogram",
            "ec2emu_instances": "gauge", "ec2emu_settler_lag_seconds": "gauge",
            "ec2emu_settler_runs_total": "counter", "ec2emu_settler_rows_total": "counter",
            "ec2emu_settle_retries_total": "counter", "ec2emu_database_retries_total": "counter",
            "ec2emu_events_delivered_total": "counter", "ec2emu_events_failed_total": "counter",
            "ec2emu_events_dead_lettered_total": "counter", "ec2emu_events_emitted_total": "counter"}


def test_each_family_has_help_and_type(emulator: Emulator, ec2: Any) -> None:
    launch(ec2)
    _, _, body = scrape(emulator)
    lines = body.decode().splitlines()
    for name, kind in FAMILIES.items():
        assert any(line.startswith(f"# HELP {name} ") for line in lines), name
        assert f"# TYPE {name} {kind}" in lines, name
    assert {line.split()[2] for line in lines if line.startswith("# TYPE")} == set(FAMILIES)
