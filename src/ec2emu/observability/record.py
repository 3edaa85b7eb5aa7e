"""What one request leaves behind for the operator, and the counts the pipeline keeps.

:class:`Observed` is filled by :meth:`ec2emu.pipeline.Pipeline.handle` as the request
goes through its stages (the service once routed, the operation once named, the caller
once authenticated, the status and error code once answered, the time it took) and
handed to one observer at the end (:class:`Observers`: the metrics and the access log).
It holds no parameter and no part of the answer, so no secret a request or its answer
carries (a secret access key, a private key) can reach what observes it.

:class:`Tally` is the pipeline's own counts — the settler's runs and the rows it moved,
the requests that gave their transaction up for the settler, the events delivered to
targets, the attempts that failed and the dead letters — plain integers read at scrape
time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class Observed:
    """One request as answered ("" where a stage did not get that far)."""

    request_id: str
    remote_address: str | None
    service: str = ""  # the signing name the request was routed by
    operation: str = ""  # as the request named it (known to the service or not)
    account_id: str = ""
    principal_arn: str = ""
    status: int = 0
    code: str = ""  # the error code; "" for a success
    seconds: float = 0.0


@dataclass(slots=True)
class Tally:
    """Counts of the pipeline's work besides requests."""

    settler_runs: int = 0
    rows_settled: int = 0
    settle_retries: int = 0  # transactions given up for the settler, then run again
    events_delivered: int = 0  # deliveries of events to targets done
    events_failed: int = 0  # attempts to deliver that failed
    events_dead_lettered: int = 0  # deliveries ended as dead letters


Observer = Callable[[Observed], None]


class Observers:
    """Several observers called as one, in order."""

    def __init__(self, *observers: Observer) -> None:
        self.observers = observers

    def __call__(self, observed: Observed) -> None:
        for observer in self.observers:
            observer(observed)


def ignore(_: Observed) -> None:
    """The observer of a pipeline nobody watches."""
