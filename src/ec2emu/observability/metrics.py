"""Prometheus metrics of one emulator, served at ``GET /metrics``.

Each emulator keeps its own :class:`prometheus_client.CollectorRegistry` (several
emulators may share a process: tests, ``ec2emu.mock()``); the library's global registry
is not used, so the process's own collectors (GC, platform) are not served either.

Kept as requests are answered (:meth:`Metrics.observe`, from the pipeline's one
observer call; plain numbers under a lock, written out when scraped):

* ``ec2emu_requests_total{service, operation, code}`` — requests answered. ``service``
  is the signing name (``ec2``, ``iam``, ``sts``, ``ssm``), ``operation`` the AWS name
  of the operation; both come from the table of served operations, and anything else
  (a service not served, an operation the service does not have, a request routed
  nowhere) is counted under the fixed value ``unknown``. ``code`` is the error code of
  the answer (from the error catalogues, a bounded set), ``""`` for a success;
* ``ec2emu_request_duration_seconds{service, operation}`` — a histogram of the time
  from the request's arrival in the pipeline to its answer being ready (routing,
  parsing, the transaction, serializing; not the body's transfer), buckets from
  0.25 ms to 10 s.

Computed when scraped, in one reader's transaction (:class:`_StateCollector`), at the
emulated time read in it:

* ``ec2emu_instances{account_id, region, state}`` — instances of each account and
  region in each state *as readers see them*: a launch whose ``pending`` is over counts
  as ``running`` before the settler has stored it, as DescribeInstances would show it;
  one statement (:meth:`~ec2emu.store.instances.InstanceRepository.count_by_state`,
  a ``GROUP BY`` over the scope-and-state index plus the due rows through the
  ``due_at`` index). Every state of the lifecycle is written for each account and
  region that has an instance, zero included, so a state emptying shows as 0;
* ``ec2emu_settler_lag_seconds`` — how far behind the emulated clock the oldest due,
  not yet settled transition is (of any timed resource), 0 when none is due;
* ``ec2emu_settler_runs_total``, ``ec2emu_settler_rows_total`` — runs of the settler (its
  timer, clock advances, requests waiting for it) and the rows it moved;
* ``ec2emu_settle_retries_total`` — writers' transactions given up because a row they
  read had a transition due, run again after the settler;
* ``ec2emu_events_emitted_total{source, detail_type}`` — events written to the outbox by
  this process's committed transactions (a request's, the settler's, the audit trail's
  flush), counted when they commit (:attr:`ec2emu.store.repository.Store.events_emitted`):
  ``source`` and ``detail_type`` are the event's (``aws.ec2`` and ``EC2 Instance
  State-change Notification``; ``aws.iam`` and ``AWS API Call via CloudTrail``), those of
  PutEvents' events the fixed ``custom`` (theirs are the caller's words, without bound);
* ``ec2emu_events_delivered_total``, ``ec2emu_events_failed_total``,
  ``ec2emu_events_dead_lettered_total`` — events delivered to rules' targets, attempts
  that failed, deliveries ended as dead letters (:mod:`ec2emu.services.events.delivery`);
* ``ec2emu_database_retries_total`` — transactions run again after PostgreSQL reported a
  serialization failure, a deadlock or a lock timeout (always 0 on SQLite).

Nodes sharing one database: each counts its own requests, settler runs, events emitted,
deliveries and retries
(sum them across nodes); the instance gauge and the settler's lag are read from the
database, the same from every node (take one node's, or the maximum, never the sum).

Access: the metrics name account IDs and tell what each account runs, so they are the
operator's, not the public's: ``/metrics`` is answered only with the admin token
(``Authorization: Bearer <token>``, as the admin routes take it; Prometheus's scrape
``authorization: {credentials_file: <state-dir>/admin-token}``); without it 401. The
format follows the scraper's ``Accept`` header as the library negotiates it: the text
format 0.0.4 unless OpenMetrics (or the text format 1.0.0) is asked for.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import astuple
from itertools import accumulate

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from ec2emu.lifecycle import settler
from ec2emu.lifecycle.clock import Clock
from ec2emu.lifecycle.machines import STATES, Durations
from ec2emu.observability.record import Observed, Tally
from ec2emu.store.repository import Moment, Store, UnitOfWork

PATH = "/metrics"
UNKNOWN = "unknown"  # the label of a service or operation not served
BUCKETS = (0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LE = [*(repr(bound) for bound in BUCKETS), "+Inf"]  # as the library writes them
INSTANCE_STATES = STATES["instance"]


class Metrics:
    """One emulator's registry, the request metrics kept for it, and its scrape."""

    def __init__(self, store: Store, clock: Clock, durations: Callable[[], Durations], tally: Tally,
                 operations: Mapping[str, Collection[str]]) -> None:
        self.registry = CollectorRegistry()
        self.requests = _RequestCollector(operations)
        self.registry.register(self.requests)
        self.registry.register(_StateCollector(store, clock, durations, tally))
        # Count one answered request and its time (the collector's own method: one call less).
        self.observe: Callable[[Observed], None] = self.requests.observe

    def exposition(self, accept: str) -> tuple[bytes, str]:
        """The registry in the format ``accept`` asks for, and its content type."""
        encoder, content_type = choose_encoder(accept)
        return encoder(self.registry), content_type


class _RequestCollector(Collector):
    """The requests' counts and latency histograms, kept as plain numbers under one lock
    and written out as the library's counter and histogram families when scraped: a
    request costs a dictionary look-up, a bisection and three additions, where the
    library's labelled children cost a lock per bucket passed."""

    def __init__(self, operations: Mapping[str, Collection[str]]) -> None:
        self.operations = {service: frozenset(names) for service, names in operations.items()}
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, str, str], int] = {}
        # Per (service, operation): a count per bucket (not cumulative; +Inf last), then the sum.
        self.latencies: dict[tuple[str, str], list[float]] = {}

    def observe(self, seen: Observed) -> None:
        names = self.operations.get(seen.service)
        service = seen.service if names is not None else UNKNOWN
        operation = seen.operation if names is not None and seen.operation in names else UNKNOWN
        bucket = bisect_left(BUCKETS, seen.seconds)  # the first bound the time is at or under
        key = (service, operation, seen.code)
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            latency = self.latencies.get(key[:2])
            if latency is None:
                latency = self.latencies[key[:2]] = [0.0] * (len(BUCKETS) + 2)
            latency[bucket] += 1
            latency[-1] += seen.seconds

    def collect(self) -> Iterator[Metric]:
        with self.lock:
            counts = sorted(self.counts.items())
            latencies = sorted((key, list(values)) for key, values in self.latencies.items())
        requests = CounterMetricFamily("ec2emu_requests", "API requests answered, by service, operation and "
                                       "error code (\"\" for a success).", labels=("service", "operation", "code"))
        for labels, n in counts:
            requests.add_metric(labels, n)
        yield requests
        duration = HistogramMetricFamily("ec2emu_request_duration_seconds", "Time from a request's arrival in "
                                         "the pipeline to its answer, by service and operation.",
                                         labels=("service", "operation"))
        for operation, values in latencies:
            duration.add_metric(operation, list(zip(_LE, accumulate(values[:-1]))), values[-1])
        yield duration


class _StateCollector(Collector):
    """The metrics read from the store and the pipeline's counts at scrape time."""

    def __init__(self, store: Store, clock: Clock, durations: Callable[[], Durations], tally: Tally) -> None:
        self.store = store
        self.clock = clock
        self.durations = durations
        self.tally = tally

    def collect(self) -> Iterator[Metric]:
        counts, lag = self.store.transaction(self._read, read_only=True)
        instances = GaugeMetricFamily("ec2emu_instances", "Instances by account, region and state, as "
                                      "DescribeInstances shows them at the emulated time.",
                                      labels=("account_id", "region", "state"))
        scopes: dict[tuple[str, str], dict[str, int]] = {}
        for account, region, state, n in counts:
            scopes.setdefault((account, region), dict.fromkeys(INSTANCE_STATES, 0))[state] = n
        for (account, region), states in sorted(scopes.items()):
            for state, n in states.items():
                instances.add_metric((account, region, state), n)
        yield instances
        yield GaugeMetricFamily("ec2emu_settler_lag_seconds", "How far behind the emulated clock the oldest "
                                "due, unsettled transition is (0 when none is due).", value=lag)
        emitted = CounterMetricFamily("ec2emu_events_emitted", "Events written to the outbox, by source and "
                                      "detail-type (PutEvents' under \"custom\").",
                                      labels=("source", "detail_type"))
        with self.store.emitted_lock:
            by_kind = sorted(self.store.events_emitted.items())
        for labels, n in by_kind:
            emitted.add_metric(labels, n)
        yield emitted
        tally = self.tally
        for name, text, value in (
            ("ec2emu_settler_runs", "Runs of the settler.", tally.settler_runs),
            ("ec2emu_settler_rows", "Rows the settler moved to their next state (or removed).",
             tally.rows_settled),
            ("ec2emu_settle_retries", "Writers' transactions given up for the settler and run again.",
             tally.settle_retries),
            ("ec2emu_events_delivered", "Events delivered to rules' targets.", tally.events_delivered),
            ("ec2emu_events_failed", "Attempts to deliver an event to a target that failed.", tally.events_failed),
            ("ec2emu_events_dead_lettered", "Deliveries of events ended as dead letters.",
             tally.events_dead_lettered),
            ("ec2emu_database_retries", "Transactions run again after a serialization failure, deadlock "
             "or lock timeout (PostgreSQL).", self.store.conflict_retries),
        ):
            yield CounterMetricFamily(name, text, value=value)

    def _read(self, uow: UnitOfWork) -> tuple[list[tuple[str, str, str, int]], float]:
        now, due = settler.now_and_due(uow, self.clock)
        at = now.timestamp()
        uow.moment = Moment(at, self.durations())
        earliest = [when for when in astuple(due) if when is not None]
        lag = max(0.0, at - min(earliest)) if earliest else 0.0
        return uow.instances.count_by_state(), lag
