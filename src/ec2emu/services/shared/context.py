"""The request context every handler receives.

One :class:`RequestContext` per API request: who is asking (account), where (region),
the request id, one timestamp for the whole request (``now``, from the clock), the
lifecycle durations and the unit of work that is this request's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ec2emu.auth.credentials import Principal
from ec2emu.errors import dry_run_ok
from ec2emu.lifecycle.machines import Durations
from ec2emu.store.repository import UnitOfWork


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

    @property
    def now_ts(self) -> float:
        return self.now.timestamp()

    def dry_run(self, params: dict[str, Any]) -> None:
        """Answer ``DryRunOperation`` if asked to; call after validating, before acting."""
        if params.get("DryRun"):
            raise dry_run_ok()
