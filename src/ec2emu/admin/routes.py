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

:data:`ROUTES` lists them all (method, path, answerer): a request is matched against it
only once its token is checked, so without the token every path, known or not, answers
the same 401. ``GET /_ec2emu/events/stream`` (:mod:`ec2emu.admin.stream`) and ``GET
/metrics`` take the same token through :meth:`AdminRoutes.authorised`.

A body that is not a JSON object answers 400; a database that cannot be reached 503; a
fault 500, logged with the request ID.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol
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


class Asked(NamedTuple):
    """What a route is given: the JSON body, the query string and the path's ``{id}``."""

    data: dict[str, Any]
    query: bytes
    argument: str


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
            found = match(method, route)
            if found is None:
                return 404, {"error": f"no admin route {method} /{PREFIX.strip('/')}/{route}"}
            answer, argument = found
            return answer(self, Asked(data, query, argument))
        except Ec2Error as error:
            return error.status, {"error": error.code, "message": error.message}
        except Exception as error:
            if is_database_error(error) and is_unavailable(error):
                log.exception("request %s: database unavailable", request_id)
                return 503, {"error": "ServiceUnavailable", "request_id": request_id}
            log.exception("request %s: admin route failed", request_id)
            return 500, {"error": "InternalError", "request_id": request_id}

    def get_clock(self, _: Asked) -> Answer:
        return 200, self.clock()

    def post_clock(self, asked: Asked) -> Answer:
        return self.advance(asked.data.get("advance_seconds"))

    def get_instances(self, _: Asked) -> Answer:
        return 200, {"instances": self.instances()}

    def shutdown(self, asked: Asked) -> Answer:
        return 200, self.emulator.shutdown_guest(asked.argument)

    def reset(self, _: Asked) -> Answer:
        self.emulator.reset()
        return 200, {"reset": True}

    def get_events(self, asked: Asked) -> Answer:
        return self.events(asked.query)

    def get_dead_letters(self, asked: Asked) -> Answer:
        return self.dead_letters(asked.query)

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


# Every admin route: (method, path under PREFIX with ``{id}`` for one segment, the
# method of :class:`AdminRoutes` that answers it). The one list the routes are matched
# against, and the one the tests walk to hold each to its token.
ROUTES: tuple[tuple[str, str, Callable[[AdminRoutes, Asked], Answer]], ...] = (
    ("GET", "clock", AdminRoutes.get_clock),
    ("POST", "clock", AdminRoutes.post_clock),
    ("GET", "instances", AdminRoutes.get_instances),
    ("POST", "instances/{id}/shutdown", AdminRoutes.shutdown),
    ("GET", "events", AdminRoutes.get_events),
    ("GET", "dead-letters", AdminRoutes.get_dead_letters),
    ("POST", "reset", AdminRoutes.reset),
)


def match(method: str, route: str) -> tuple[Callable[[AdminRoutes, Asked], Answer], str] | None:
    """The route's answerer and its ``{id}`` (empty when it has none), ``None`` when no
    route of :data:`ROUTES` is ``method`` ``route``."""
    parts = route.split("/")
    for verb, pattern, answer in ROUTES:
        shape = pattern.split("/")
        if verb != method or len(shape) != len(parts):
            continue
        argument = ""
        for expected, part in zip(shape, parts):
            if expected == "{id}" and part:
                argument = part
            elif expected != part:
                break
        else:
            return answer, argument
    return None
