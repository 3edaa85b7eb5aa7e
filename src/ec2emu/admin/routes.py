"""Admin routes under ``/_ec2emu/``, answered in JSON; each needs
``Authorization: Bearer <token>`` (compared in constant time), else 401.

* ``GET /_ec2emu/clock`` and ``POST /_ec2emu/clock`` with ``{"advance_seconds": N}``;
* ``POST /_ec2emu/instances/{id}/shutdown``: a shutdown from inside the guest OS;
* ``GET /_ec2emu/instances``: every instance, for the CLI;
* ``GET /_ec2emu/events?after=N&limit=M``: the events emitted (EC2's and EBS's, those
  PutEvents accepted, and the recorded calls' ``AWS API Call via CloudTrail``) after
  sequence number ``N`` (default 0), oldest first, at most ``M`` (1–1000, default 100):
  ``{"events": [{"sequence": S, "event": {…}}, …], "last": S}`` — ``last`` the sequence
  number to ask after next (``N`` when there are none); due transitions are settled
  first, so their events are there;
* ``GET /_ec2emu/dead-letters?after=N&limit=M``: the deliveries of events to rules'
  targets that ended as dead letters (:mod:`ec2emu.services.events.delivery`), after
  the dead letter ``N``, oldest first: ``{"dead_letters": [{"id", "event", "rule_arn",
  "target_id", "target_arn", "dead_letter_arn", "error_code", "error_message",
  "exhausted_retry_condition", "retry_attempts"}, …], "last": id}``;
* ``POST /_ec2emu/reset``: forget all state.

A body that is not a JSON object answers 400; a database that cannot be reached 503; a
fault 500, logged with the request ID.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any, Protocol
from urllib.parse import parse_qsl

from ec2emu.errors import Ec2Error
from ec2emu.services.ec2.instances.common import instance_summary
from ec2emu.store.errors import is_database_error, is_unavailable
from ec2emu.store.repository import Store

log = logging.getLogger("ec2emu")

# Events per answer of GET /_ec2emu/events: by default, at most.
EVENTS_PAGE = 100
MAX_EVENTS_PAGE = 1000


def _whole(text: str, low: int, high: int) -> int:
    """A whole number written in ASCII digits, from ``low`` to ``high`` (else ``ValueError``)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not low <= int(text) <= high:
        raise ValueError(text)
    return int(text)

_PAGE_ERROR = f"after must be a whole number of at least 0 and limit one from 1 to {MAX_EVENTS_PAGE}"


def _page(query: bytes) -> tuple[int, int]:
    """``after`` and ``limit`` of a listing's query (``ValueError`` when not valid)."""
    pairs = dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True, strict_parsing=False))
    return (_whole(pairs.get("after", "0"), 0, 2**63 - 1),
            _whole(pairs.get("limit", str(EVENTS_PAGE)), 1, MAX_EVENTS_PAGE))


PREFIX = "/_ec2emu/"

Answer = tuple[int, dict[str, Any]]


class Emulated(Protocol):
    """What the admin routes act on (the emulator)."""

    store: Store

    def settled_now_iso(self) -> tuple[str, float]: ...

    def advance(self, seconds: float) -> None: ...

    def shutdown_guest(self, instance_id: str) -> dict[str, Any]: ...

    def reset(self) -> None: ...

    def settle(self) -> int: ...

    def dead_letters(self, after: int = 0, limit: int = 100) -> list[dict[str, Any]]: ...


class AdminRoutes:
    def __init__(self, emulator: Emulated, token: str) -> None:
        self.emulator = emulator
        self.token = token

    def authorised(self, headers: dict[str, str]) -> bool:
        """Whether the request presents the admin token (also what ``/metrics`` needs)."""
        scheme, _, supplied = headers.get("authorization", "").strip().partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(supplied.strip().encode(), self.token.encode())

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes, request_id: str,
               query: bytes = b"") -> Answer:
        if not self.authorised(headers):
            return 401, {"error": "admin token required", "request_id": request_id}
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise ValueError("expected an object")
        except ValueError:
            return 400, {"error": "body must be a JSON object", "request_id": request_id}
        try:
            route = path[len(PREFIX):].strip("/")
            if route == "events" and method == "GET":
                return self.events(query)
            if route == "dead-letters" and method == "GET":
                return self.dead_letters(query)
            return self.route(method, route, data)
        except Ec2Error as error:
            return error.status, {"error": error.code, "message": error.message}
        except Exception as error:
            if is_database_error(error) and is_unavailable(error):
                log.exception("request %s: database unavailable", request_id)
                return 503, {"error": "ServiceUnavailable", "request_id": request_id}
            log.exception("request %s: admin route failed", request_id)
            return 500, {"error": "InternalError", "request_id": request_id}

    def route(self, method: str, route: str, data: dict[str, Any]) -> Answer:
        if route == "clock" and method == "GET":
            return 200, self.clock()
        if route == "clock" and method == "POST":
            return self.advance(data.get("advance_seconds"))
        if route == "instances" and method == "GET":
            return 200, {"instances": self.instances()}
        parts = route.split("/")
        if len(parts) == 3 and parts[0] == "instances" and parts[2] == "shutdown" and method == "POST":
            return 200, self.emulator.shutdown_guest(parts[1])
        if route == "reset" and method == "POST":
            self.emulator.reset()
            return 200, {"reset": True}
        return 404, {"error": f"no admin route {method} /{PREFIX.strip('/')}/{route}"}

    def dead_letters(self, query: bytes) -> Answer:
        """The dead letters after ``after``, at most ``limit`` of them (see the module's list)."""
        try:
            after, limit = _page(query)
        except ValueError:
            return 400, {"error": _PAGE_ERROR}
        found = self.emulator.dead_letters(after, limit)
        return 200, {"dead_letters": found, "last": found[-1]["id"] if found else after}

    def events(self, query: bytes) -> Answer:
        """The events after ``after``, at most ``limit`` of them (see the module's list)."""
        try:
            after, limit = _page(query)
        except ValueError:
            return 400, {"error": _PAGE_ERROR}
        self.emulator.settle()
        found = self.emulator.store.transaction(lambda uow: uow.outbox.after(after, limit), read_only=True)
        return 200, {"events": [{"sequence": seq, "event": event} for seq, event in found],
                     "last": found[-1][0] if found else after}

    def clock(self) -> dict[str, Any]:
        now, offset = self.emulator.settled_now_iso()
        return {"now": now, "offset_seconds": offset}

    def advance(self, seconds: Any) -> Answer:
        if (not isinstance(seconds, (int, float)) or isinstance(seconds, bool)
                or not 0 <= seconds < float("inf")):
            return 400, {"error": "advance_seconds must be a finite non-negative number"}
        try:
            self.emulator.advance(seconds)
        except OverflowError:
            return 400, {"error": "advance_seconds takes the clock past the year 9999"}
        return 200, self.clock()

    def instances(self) -> list[dict[str, Any]]:
        """Every instance of every account and region, with its tags."""
        self.emulator.settle()
        with self.emulator.store.unit_of_work() as uow:
            rows = uow.instances.every()
            items = [{**instance_summary(row), "account_id": row["account_id"], "region": row["region"]}
                     for row in rows]
            scopes: dict[tuple[str, str], list[str]] = {}
            for item in items:
                scopes.setdefault((item["account_id"], item["region"]), []).append(item["instance_id"])
            tags = {(account, region, resource_id): pairs
                    for (account, region), ids in scopes.items()
                    for resource_id, pairs in uow.tags.for_resources(account, region, ids).items()}
        for item in items:
            pairs = tags.get((item["account_id"], item["region"], item["instance_id"]), [])
            item["tags"] = dict(pairs)
        return items
