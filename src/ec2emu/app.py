"""The ASGI shell: bytes in, bytes out.

:class:`Emulator` reads a request's body (at most the settings' ``limits.max_body_bytes``)
and headers, gives a request under ``/_ec2emu/`` to the admin routes
(:mod:`ec2emu.admin.routes`) and every other to the request pipeline
(:mod:`ec2emu.pipeline`), and sends the answer with its request ID. It also holds what
one emulator is — settings, store, clock, the configured credentials — and the calls
that act on it from outside a request: :meth:`Emulator.advance`,
:meth:`Emulator.configure`, :meth:`Emulator.reset`, :meth:`Emulator.shutdown_guest`,
:meth:`Emulator.deliver` (what ``ec2emu.mock()`` and the admin routes use). Requests
under ``/_ec2emu/console/`` go to the web console (:mod:`ec2emu.console`). Its
:class:`~ec2emu.trail.recorder.Recorder` records every call in the audit trail; a server flushes it every second
(:meth:`Emulator.flush_trail` flushes it at once).

A body past its limit is answered 413 at once: from its ``Content-Length`` before any
of it is read, or as soon as a chunked body passes the limit (the server drops the
rest, :mod:`ec2emu.connections`). A request whose client leaves before its body is
whole is dropped: no part of a request is ever acted on.

``GET /_ec2emu/events/stream`` streams the event outbox as server-sent events
(:mod:`ec2emu.admin.stream`): a streaming answer, the one answer not sent whole; the
streams end when :meth:`Emulator.close_streams` is called (the server does at shutdown).

A server delivers events to rules' targets on a thread of its own
(:mod:`ec2emu.services.events.delivery`); otherwise delivery runs when the clock is
advanced or :meth:`Emulator.deliver` is called.

``GET /metrics`` answers the emulator's Prometheus metrics
(:mod:`ec2emu.observability.metrics`) to a scraper presenting the admin token, 401
otherwise; every API request the pipeline answers is observed by the metrics and the
access log (:mod:`ec2emu.observability.access_log`).

The pipeline gets the request's path as the client sent it, percent-encoded (ASGI's
``raw_path``): the form its signature covers and its ``rest-json`` labels are read from.
The services served are those of :mod:`ec2emu.services.registry` unless others are given.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import random
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import fields, replace
from typing import Any
from urllib.parse import parse_qs, quote

from ec2emu.admin.routes import PREFIX as ADMIN_PREFIX
from ec2emu.admin.routes import AdminRoutes
from ec2emu.admin.stream import PATH as STREAM_PATH
from ec2emu.admin.stream import EventStream, start_after
from ec2emu.auth.credentials import CredentialChain, CredentialSource, StoreCredentials, configured_credentials
from ec2emu.auth.managed_policies import managed_documents
from ec2emu.config import Settings
from ec2emu.console.html import PREFIX as CONSOLE_PREFIX
from ec2emu.console.routes import Console
from ec2emu.console.routes import Request as ConsoleRequest
from ec2emu.errors import Ec2Error, invalid_content_length, request_entity_too_large
from ec2emu.lifecycle import settler
from ec2emu.lifecycle.clock import Clock, SystemClock, adopt, advance_stored, follow, stored_offset
from ec2emu.lifecycle.machines import Durations
from ec2emu.lifecycle.settler import INTERVAL as SETTLE_INTERVAL
from ec2emu.observability.access_log import log_access
from ec2emu.observability.metrics import PATH as METRICS_PATH
from ec2emu.observability.metrics import Metrics
from ec2emu.observability.record import Observers
from ec2emu.pipeline import Pipeline, Request
from ec2emu.protocol import serializer
from ec2emu.protocol.scalars import ScalarError, parse_integer
from ec2emu.quotas import configured_quotas
from ec2emu.services import registry
from ec2emu.services.ec2.errors import admin_instance_not_found
from ec2emu.services.ec2.instances.states import guest_shutdown
from ec2emu.services.events.delivery import Deliverer
from ec2emu.services.iam.seed import add_configured_users
from ec2emu.services.shared.context import Turns
from ec2emu.store.leadership import Leadership
from ec2emu.store.repository import Store, UnitOfWork
from ec2emu.trail.recorder import Recorder

log = logging.getLogger("ec2emu")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

# Request IDs come from a generator of their own (seeded by the OS, and again in a forked
# child), so that code sharing the process and seeding ``random`` neither repeats them
# nor sees its own sequence consumed.
_REQUEST_IDS = random.Random()
os.register_at_fork(after_in_child=_REQUEST_IDS.seed)

# A version 4 UUID's fixed bits (RFC 9562): the version nibble 4, the variant bits 10.
_UUID4_CLEAR = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID4_SET = (0x4 << 76) | (0x2 << 62)


def new_request_id() -> str:
    """A version 4 UUID in its text form: a request ID must be unique, not secret, and
    this costs no system call per request as ``uuid.uuid4`` does (nor a ``uuid.UUID``)."""
    text = f"{_REQUEST_IDS.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class Emulator:
    """The ASGI callable, with the store, clock and settings it serves."""

    def __init__(self, settings: Settings, store: Store | None = None, clock: Clock | None = None,
                 services: dict[str, registry.Service] | None = None):
        self.store = store or Store(settings.database_url)
        self.store.managed_policies = managed_documents()
        with self.store.unit_of_work() as uow:
            offset = stored_offset(uow.settings)
        self.clock: Clock = clock or SystemClock(offset)
        self.admin_token = settings.admin_token or secrets.token_urlsafe(24)
        self.configured = configured_credentials(settings.accounts_file)
        self.pipeline = Pipeline(settings, self.store, self.clock, registry.load() if services is None else services,
                                 self.configured, quotas=configured_quotas(settings.accounts_file))
        self.recorder = Recorder(self.store, lambda uow: settler.now_of(uow, self.clock))
        self.pipeline.hooks.finished.append(self.recorder.note)
        self.pipeline.hooks.before_work.append(self.recorder.before_work)
        self.admin = AdminRoutes(self, self.admin_token)
        self.console = Console(self)
        self.closing = asyncio.Event()
        self.metrics = Metrics(self.store, self.clock, lambda: self.pipeline.settings.durations, self.pipeline.tally,
                               {name: service.operations for name, service in self.pipeline.services.items()})
        self.pipeline.observe = Observers(self.metrics.observe, log_access)
        self.delivery = Deliverer(self.store, self.clock, lambda: self.settings.state_dir,
                                  lambda: self.settings.events_allow_hosts, tally=self.pipeline.tally)
        # Whether this node runs the settler's timer and the delivery thread.
        self.leadership = Leadership(self.store.engine)
        # The server's delivery thread while it runs (None: delivery runs when asked).
        self._delivering: tuple[threading.Thread, threading.Event] | None = None
        add_configured_users(self.store, settings.accounts_file, self.clock.now())

    @property
    def settings(self) -> Settings:
        return self.pipeline.settings

    @property
    def credentials(self) -> CredentialSource:
        """Every key this emulator knows, each store look-up in a transaction of its own."""
        return CredentialChain(self.configured, StoreCredentials(
            lambda read: self.store.transaction(lambda uow: read(uow.iam))))

    # ------------------------------------------------------------------ ASGI
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = new_request_id()
        path = scope.get("path", "/")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        limit = self.settings.limits.max_body_bytes
        refused = _length_error(headers, limit)
        unread = refused is not None  # the client has not been asked for its body
        body = b""
        if refused is None:
            read = await _read_body(receive, limit)
            if read is None:
                return  # the client left before its body was whole: nothing is done
            body, refused = read
        if path == STREAM_PATH:
            await self.stream(scope, headers, receive, send, request_id)
            return
        if path.startswith(CONSOLE_PREFIX) or path == CONSOLE_PREFIX.rstrip("/"):
            client = scope.get("client") or ("",)
            page = self.console.handle(ConsoleRequest(
                scope["method"], path[len(CONSOLE_PREFIX):], parse_qs(scope.get("query_string", b"").decode("latin-1")),
                headers, body, client[0] or "", request_id, scope.get("scheme") == "https"))
            await _respond(send, page.status, page.body, page.content_type, request_id,
                           [(k.encode(), v.encode("latin-1")) for k, v in page.headers])
            return
        if path.startswith(ADMIN_PREFIX):
            status, answer = self.admin.handle(scope["method"], path, headers, body, request_id,
                                               scope.get("query_string", b""))
            await _respond(send, status, json.dumps(answer).encode(), "application/json", request_id)
            return
        if path == METRICS_PATH:
            status, payload, content_type = self.scrape(scope["method"], headers, request_id)
            await _respond(send, status, payload, content_type, request_id)
            return
        client = scope.get("client") or (None,)
        raw_path = scope.get("raw_path")
        sent_path = raw_path.decode("latin-1") if raw_path else quote(path, safe="/~")
        request = Request(scope["method"], sent_path, headers, scope.get("query_string", b""), body, request_id,
                          client[0], refused)
        reply = self.pipeline.handle(request)
        answered = reply.headers or {"content-type": serializer.CONTENT_TYPE}
        extra = [(k.encode(), v.encode()) for k, v in answered.items() if k != "content-type"]
        if unread and "100-continue" in headers.get("expect", "").lower():
            # Refused before the client was told to send its body: it may never come.
            extra.append((b"connection", b"close"))
        await _respond(send, reply.status, reply.body, answered["content-type"], request_id, extra)

    async def stream(self, scope: Scope, headers: dict[str, str], receive: Receive, send: Send,
                     request_id: str) -> None:
        """``GET /_ec2emu/events/stream``: the outbox as server-sent events, for the holder
        of the admin token."""
        async def refuse(status: int, error: str) -> None:
            body = json.dumps({"error": error, "request_id": request_id}).encode()
            await _respond(send, status, body, "application/json", request_id)

        if not self.admin.authorised(headers):
            return await refuse(401, "admin token required")
        if scope["method"] != "GET":
            return await refuse(405, f"use GET {STREAM_PATH}")
        after = start_after(headers, scope.get("query_string", b""))
        if after is None:
            return await refuse(400, "Last-Event-ID and after must be whole numbers of at least 0")
        await EventStream(self.store, self.closing).serve(
            after, receive, send, [(b"x-amzn-requestid", request_id.encode()), (b"server", b"AmazonEC2")])

    def close_streams(self) -> None:
        """End every event stream (at the server's shutdown, which would wait for them)."""
        self.closing.set()

    def scrape(self, method: str, headers: dict[str, str], request_id: str) -> tuple[int, bytes, str]:
        """``GET /metrics``: the metrics for the holder of the admin token (they name
        accounts), in the format its ``Accept`` asks for."""
        def refused(status: int, error: str) -> tuple[int, bytes, str]:
            return status, json.dumps({"error": error, "request_id": request_id}).encode(), "application/json"

        if not self.admin.authorised(headers):
            return refused(401, "admin token required")
        if method != "GET":
            return refused(405, "use GET /metrics")
        try:
            payload, content_type = self.metrics.exposition(headers.get("accept", ""))
        except Exception:
            log.exception("request %s: metrics could not be read", request_id)
            return refused(503, "ServiceUnavailable")
        return 200, payload, content_type

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """A server's lifespan: the settler's and the audit trail's timers and the delivery
        thread run from start-up to shutdown (the trail flushed once more then; delivery
        in a thread of its own: it waits on receivers, never on the event loop answering
        requests)."""
        timers: list[asyncio.Task[None]] = []
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                loop = asyncio.get_running_loop()
                timers = [loop.create_task(self._settle_on_timer()), loop.create_task(self.recorder.run_timer())]
                stop = threading.Event()
                thread = threading.Thread(target=self.delivery.run, args=(stop, self.leadership.held),
                                          name="ec2emu-delivery",
                                          daemon=True)
                self._delivering = (thread, stop)
                thread.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close_streams()
                for timer in timers:
                    timer.cancel()
                if self._delivering is not None:
                    self._delivering[1].set()
                    self.store.news.set()  # wakes the delivery thread to see it stop
                    self._delivering = None
                await asyncio.gather(*timers, return_exceptions=True)
                self.leadership.release()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _settle_on_timer(self) -> None:
        """Every :data:`~ec2emu.lifecycle.settler.INTERVAL` seconds, the settler, so a
        transition happens at its time even when no request comes — on the node on duty
        (:mod:`ec2emu.store.leadership`); a failure (the database away) is logged once
        until it settles again."""
        failing = False
        while True:
            await asyncio.sleep(SETTLE_INTERVAL)
            try:
                if self.leadership.held():
                    self.pipeline.settle_if_due()
                failing = False
            except Exception:
                if not failing:
                    log.exception("settler failed; retrying every %s s", SETTLE_INTERVAL)
                failing = True

    # ------------------------------------------------------------------ acting from outside
    def run(self, handler: Callable[..., Any], params: dict[str, Any], account_id: str, region: str,
            request_id: str) -> Any:
        """``handler(ctx, params)`` in one transaction of its own, as the emulator itself."""
        return self.pipeline.run(handler, params, account_id, region, request_id)

    def flush_trail(self) -> int:
        """Store every call recorded so far in the audit trail (and forget what is past
        its retention); the number of events stored."""
        return self.recorder.flush(prune=True)

    def settle(self) -> int:
        """Persist every transition that has fallen due (the settler, in a transaction of
        its own); the number of rows moved."""
        return self.pipeline.settle()

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event emitted so far (EC2's and EBS's, the custom events PutEvents
        accepted and the recorded calls' ``AWS API Call via CloudTrail`` events, of every
        account and region), in AWS's shape, oldest first: the outbox
        (:mod:`ec2emu.store.outbox`), read as a reader reads. Due transitions are emitted
        when the settler applies them, and calls' events when the audit trail is flushed:
        advance the clock (or call :meth:`settle`, :meth:`flush_trail` or
        :meth:`deliver`) before expecting them."""
        return [found for _, found in self.store.transaction(lambda uow: uow.outbox.after(), read_only=True)]

    @property
    def functions(self) -> dict[str, Callable[[Any], Any]]:
        """The Lambda functions events may be delivered to, by name: Python callables,
        each called with the event (or its target's input) parsed from JSON; raising is a
        failed attempt (:mod:`ec2emu.services.events.sinks`)."""
        return self.delivery.functions

    def deliver(self) -> int:
        """Match the events not yet matched against the rules and make every delivery
        attempt due on the emulated clock, here and now; the attempts made. The audit
        trail is flushed first, so every call answered so far has its ``AWS API Call via
        CloudTrail`` event. (A server delivers on a thread of its own; under ``mock()``
        this, and each ``advance``, which flushes the trail too.)"""
        self.settle()
        self.recorder.flush()
        return self.delivery.pump()

    def dead_letters(self, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """The deliveries that ended as dead letters, oldest first."""
        return self.delivery.dead_letters(after, limit)

    def now(self) -> dt.datetime:
        """The emulated time, as every node sharing the database sees it."""
        if not isinstance(self.clock, SystemClock):
            return self.clock.now()

        def read(uow: UnitOfWork) -> dt.datetime:
            adopt(self.clock, stored_offset(uow.settings))
            return self.clock.now()

        return self.store.transaction(read)

    def settled_now_iso(self) -> tuple[str, float]:
        now = self.now()
        return now.astimezone(dt.timezone.utc).isoformat(), self.clock.offset_seconds

    def shutdown_guest(self, instance_id: str) -> dict[str, Any]:
        """A shutdown from inside the instance's OS (any account or region);
        ``InvalidInstanceID.NotFound`` (404) if unknown."""
        self.settle()  # an instance whose retention has just ended is gone
        with self.store.unit_of_work() as uow:
            scope = uow.instances.scope_of(instance_id)
        if scope is None:
            raise admin_instance_not_found(instance_id)
        change = self.run(lambda ctx, _: guest_shutdown(ctx, instance_id), {}, scope[0], scope[1],
                          new_request_id())
        return {"instance_id": instance_id, "previous_state": change["PreviousState"]["Name"],
                "current_state": change["CurrentState"]["Name"]}

    def reset(self) -> None:
        """Forget all state; a wall clock loses its offset (a manual clock keeps its time)."""
        self.recorder.discard()
        with self.store.unit_of_work() as uow:
            uow.clear_everything()
        add_configured_users(self.store, self.settings.accounts_file, self.clock.now())
        self.pipeline.turns = Turns()
        if isinstance(self.clock, SystemClock):
            self.clock.set_offset(0)

    def advance(self, seconds: float) -> None:
        """Move the emulator's time forward by ``seconds``; due transitions happen at once.
        The new offset is stored first, so it survives a restart and holds for every
        node sharing the database. ``OverflowError`` past the year 9999."""
        if (not isinstance(seconds, (int, float)) or isinstance(seconds, bool)
                or not 0 <= seconds < float("inf")):
            raise ValueError("seconds must be a finite non-negative number")
        self.now() + dt.timedelta(seconds=seconds)  # raises OverflowError before anything is stored
        self.advance_clock(float(seconds))

    def advance_clock(self, seconds: float) -> None:
        offset = self.store.transaction(lambda uow: advance_stored(self.clock, uow.settings, seconds))
        follow(self.clock, offset, seconds)
        self.settle()
        if self._delivering is None:
            self.recorder.flush()
            self.delivery.pump()

    def configure(self, **seconds: float | None) -> None:
        """Change how long timed states last, from the next request on: a
        ``<timing>_seconds`` keyword per field of :class:`Durations` (``None``:
        unchanged)."""
        names = {f"{f.name}_seconds": f.name for f in fields(Durations)}
        unknown = sorted(set(seconds) - set(names))
        if unknown:
            raise TypeError(f"configure() got unexpected timings: {', '.join(unknown)}")
        given = {names[key]: value for key, value in seconds.items()}
        durations = replace(self.settings.durations,
                            **{name: float(value) for name, value in given.items() if value is not None})
        for name in names.values():
            if not 0 <= getattr(durations, name) < float("inf"):
                raise ValueError("durations must be finite non-negative numbers of seconds")
        self.pipeline.settings = replace(self.settings, durations=durations)


def _length_error(headers: dict[str, str], limit: int) -> Ec2Error | None:
    """What the request's ``Content-Length`` alone refuses, before any of its body is read:
    more than ``limit`` bytes → 413 ``RequestEntityTooLarge``; not a whole number of bytes
    → 400 ``InvalidRequest`` (an HTTP server refuses it before it reaches the app; a client
    in-process may still send one)."""
    declared = headers.get("content-length")
    if declared is None:
        return None
    try:
        if parse_integer(declared.strip(), 0, limit + 1) <= limit:
            return None
    except ScalarError as error:
        if not (error.out_of_range and not declared.strip().startswith("-")):
            return invalid_content_length()
    return request_entity_too_large(limit)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, Ec2Error | None] | None:
    """The request's body, or 413 ``RequestEntityTooLarge`` as soon as it passes ``limit``
    bytes (what follows is not read: the server drops it); ``None`` when the client left
    before the body was whole, so that no part of a request is ever acted on."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", request_entity_too_large(limit)
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks), None


async def _respond(send: Send, status: int, body: bytes, content_type: str, request_id: str,
                   extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"x-amzn-requestid", request_id.encode()),
                (b"cache-control", b"no-cache, no-store"),
                (b"server", b"AmazonEC2"),
                *(extra or ()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def build_app(settings: Settings | None = None, *, store: Store | None = None, clock: Clock | None = None,
              services: dict[str, registry.Service] | None = None) -> Emulator:
    """The ASGI application for ``settings`` (defaults from the environment), serving
    ``services`` by signing name (the registry's when not given)."""
    return Emulator(settings or Settings.from_env(), store=store, clock=clock, services=services)
