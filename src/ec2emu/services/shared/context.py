"""The request context every handler receives.

One :class:`RequestContext` per API request: who is asking (account), where (region),
the request id, one timestamp for the whole request (``now``, from the clock), the
lifecycle durations and the unit of work that is this request's transaction.

``turns`` hands out numbers per key (``next_turn("zone:…")``), kept by the emulator's
process rather than stored: what needs only to rotate (the zone a launch without one
lands in) then writes no row that every request, on every node, would contend on.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from ec2emu.auth.credentials import Principal
from ec2emu.errors import dry_run_ok
from ec2emu.lifecycle.machines import Durations
from ec2emu.quotas import Quotas
from ec2emu.store.repository import UnitOfWork


class Turns:
    """Counters per key, each starting at 0 (``itertools.count`` is atomic under the GIL)."""

    def __init__(self) -> None:
        self._counters: dict[str, itertools.count[int]] = {}

    def next(self, key: str) -> int:
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters.setdefault(key, itertools.count())
        return next(counter)


class NeedsWrite(Exception):
    """Raised by a reader that must write after all: the request starts again as a writer."""


@dataclass
class RequestContext:
    request_id: str
    account_id: str
    region: str
    now: dt.datetime
    durations: Durations
    uow: UnitOfWork
    principal: Principal | None = None
    # The client's address (``aws:SourceIp``), set for requests whose permissions are checked.
    source_ip: str | None = None
    turns: Turns | None = None
    quotas: Quotas = field(default_factory=Quotas)

    def quota(self, name: str) -> int:
        """The value of the quota ``name`` (:data:`ec2emu.quotas.QUOTAS`) for the request's account."""
        return self.quotas.of(self.account_id, name)

    def next_turn(self, key: str) -> int:
        """The next number under ``key`` (0, 1, 2, … per emulator process)."""
        if self.turns is None:
            self.turns = Turns()
        return self.turns.next(key)

    @property
    def now_ts(self) -> float:
        return self.now.timestamp()

    def writing(self) -> None:
        """Call before a write a reader may need (a secret made on first use): in a
        reader's transaction, the request starts again as a writer."""
        if self.uow.read_only:
            raise NeedsWrite()

    def dry_run(self, params: dict[str, Any]) -> None:
        """Answer ``DryRunOperation`` if asked to; call after validating, before acting."""
        if params.get("DryRun"):
            raise dry_run_ok()
