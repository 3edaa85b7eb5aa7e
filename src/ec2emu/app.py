"""The ASGI application: one request in, one EC2 response out.

The chain for an API request: request id → body read (1 MiB limit) → service routing by
the SigV4 credential scope → account and region → ``Action`` lookup → parameters parsed
by the operation's input shape → the handler inside one unit of work (due transitions
settled first; for a principal other than an account's root, the request's permissions
checked first in the same transaction: :mod:`ec2emu.service.permissions`) → the result
or error serialised. An unexpected fault answers
``InternalError`` (500) and is logged with the request id; a database that cannot be
reached answers ``ServiceUnavailable`` (503).

Admin routes live under ``/_ec2emu/`` and need ``Authorization: Bearer <token>``:

* ``GET /_ec2emu/clock`` and ``POST /_ec2emu/clock`` with ``{"advance_seconds": N}``;
* ``POST /_ec2emu/instances/{id}/shutdown``: a shutdown from inside the guest OS;
* ``GET /_ec2emu/instances``: every instance, for the CLI;
* ``POST /_ec2emu/reset``: forget all state.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import os
import random
import secrets
from dataclasses import dataclass, replace
from typing import Any, Awaitable, Callable

import sqlalchemy as sa

from ec2emu import service  # noqa: F401  (registers every operation)
from ec2emu.auth.authorization import needs_check
from ec2emu.auth.credentials import (
    CredentialChain,
    CredentialSource,
    Principal,
    StoreCredentials,
    configured_credentials,
    configured_users,
)
from ec2emu.auth.sigv4 import RawRequest, Signature, authenticate, missing_credentials, read_signature
from ec2emu.config import DEFAULT_REGION, MAX_BODY_BYTES, Settings
from ec2emu.errors import Ec2Error, internal_error, service_unavailable
from ec2emu.lifecycle.clock import Clock, SystemClock
from ec2emu.protocol import parser, serializer, spec
from ec2emu.protocol.scalars import ScalarError, parse_integer
from ec2emu.service import permissions
from ec2emu.service.context import RequestContext
from ec2emu.service.instance_states import guest_shutdown
from ec2emu.service.instances import instance_summary
from ec2emu.service.regions import is_valid_region
from ec2emu.service.registry import SERVICES
from ec2emu.store import schema
from ec2emu.store.repository import Store, UnitOfWork

log = logging.getLogger("ec2emu")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

ADMIN_PREFIX = "/_ec2emu/"
CLOCK_OFFSET_KEY = "clock_offset_seconds"


_UNAVAILABLE_HINTS = (
    "database is locked",
    "unable to open database",
    "disk i/o error",
    "could not connect",
    "connection refused",
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection failed",
    "timeout expired",
    "the database system is",
)
# PostgreSQL SQLSTATEs (classes by prefix) of an unreachable, restarting or overloaded
# database, and of a conflict still unresolved after every retry.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03", "57014", "40001", "40P01", "55P03")


def database_unavailable(error: sa.exc.OperationalError) -> bool:
    """True when the database cannot be reached or is busy (answered 503), not a fault
    of the query itself (answered 500)."""
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    if sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
        return True
    text = str(error.orig).lower()
    return any(hint in text for hint in _UNAVAILABLE_HINTS)


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


@dataclass
class Caller:
    access_key: str
    region: str
    service: str
    signature: Signature | None = None


def caller_of(headers: dict[str, str], query: list[tuple[str, str]]) -> Caller | None:
    """Who signed the request and for which region and service (from the SigV4 scope).

    ``None`` when the request carries no credentials; ``IncompleteSignature`` when its
    signature is malformed.
    """
    signature = read_signature(headers, query, DEFAULT_REGION)
    if signature is None:
        return None
    return Caller(signature.access_key_id, signature.region, signature.service, signature)


class Emulator:
    """The ASGI callable, with the store, clock and settings it serves."""

    def __init__(self, settings: Settings, store: Store | None = None, clock: Clock | None = None):
        self.settings = settings
        self.store = store or Store(settings.database_url)
        offset = self._load_clock_offset()
        self.clock: Clock = clock or SystemClock(offset)
        self.admin_token = settings.admin_token or secrets.token_urlsafe(24)
        self.credentials: CredentialSource = CredentialChain(
            configured_credentials(settings.accounts_file), StoreCredentials(self.store))
        self._add_configured_users()

    # ------------------------------------------------------------------ ASGI
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = new_request_id()
        body, too_large = await _read_body(receive)
        path = scope.get("path", "/")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if path.startswith(ADMIN_PREFIX):
            status, payload = self._admin(scope["method"], path, headers, body, request_id)
            await _respond(send, status, json.dumps(payload).encode(), "application/json", request_id)
            return
        query_string = scope.get("query_string", b"")
        client = scope.get("client") or (None,)
        status, payload = self.handle(scope["method"], headers, query_string, body, request_id, path=path,
                                      source_ip=client[0], body_error=_body_error(headers, too_large))
        await _respond(send, status, payload, serializer.CONTENT_TYPE, request_id)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    # ------------------------------------------------------------------ EC2 API
    def handle(self, method: str, headers: dict[str, str], query_string: bytes, body: bytes,
               request_id: str, *, path: str = "/", source_ip: str | None = None,
               body_error: Ec2Error | None = None) -> tuple[int, bytes]:
        """Answer one Query request (EC2, or STS by its signing scope): ``(status, XML)``.

        Errors use the envelope of the service the request was signed for; ``body_error``
        (a body too large, a malformed ``Content-Length``) is answered once that service
        is known, before the body is read as parameters.
        """
        served: list[str] = []

        def error_body(error: Ec2Error) -> bytes:
            if served and served[0] != "ec2":
                namespace = spec.service_model(served[0]).metadata.get("xmlNamespace", "")
                return serializer.serialize_query_error(error, request_id, namespace)
            return serializer.serialize_error(error, request_id)

        try:
            return 200, self._dispatch(method, headers, query_string, body, request_id, path, served,
                                       source_ip, body_error)
        except Ec2Error as error:
            return error.status, error_body(error)
        except sa.exc.OperationalError as error:
            if not database_unavailable(error):
                log.exception("request %s: internal error", request_id)
                return 500, error_body(internal_error())
            log.exception("request %s: database unavailable", request_id)
            return 503, error_body(service_unavailable())
        except Exception:
            log.exception("request %s: internal error", request_id)
            return 500, error_body(internal_error())

    def _dispatch(self, method: str, headers: dict[str, str], query_string: bytes, body: bytes,
                  request_id: str, path: str = "/", served: list[str] | None = None,
                  source_ip: str | None = None, body_error: Ec2Error | None = None) -> bytes:
        query = parser.decode_form(query_string)
        caller = caller_of(headers, query)
        if body_error is not None:
            if caller is not None and caller.service in SERVICES and served is not None:
                served.append(caller.service)
            raise body_error
        pairs = query + (parser.decode_form(body) if method == "POST" and body else [])
        if caller is None or caller.signature is None:
            raise missing_credentials()
        operations = SERVICES.get(caller.service)
        if operations is None:
            raise Ec2Error(
                "InvalidAction", f"The service '{caller.service}' is not served by this endpoint."
            )
        if served is not None:
            served.append(caller.service)
        if not is_valid_region(caller.region):
            raise Ec2Error("AuthFailure", f"The region '{caller.region}' is not valid.", 401)
        raw = RawRequest(method, headers.get("host", ""), path, query_string, headers, body)
        principal = authenticate(raw, caller.signature, self.credentials, self.settings.auth_mode,
                                 self.clock.wall_now(), self.clock.now())
        actions = [value for key, value in pairs if key == "Action"]
        if not actions or not actions[0]:
            raise Ec2Error("MissingAction", "The request must contain the parameter Action")
        action = actions[0]
        if action not in spec.operation_names(caller.service):
            raise Ec2Error("InvalidAction", f"The action {action} is not valid for this web service.")
        handler = operations.get(action)
        if handler is None:
            label = "EC2" if caller.service == "ec2" else caller.service.upper()
            raise Ec2Error(
                "InvalidAction",
                f"The action {action} is a valid {label} action but is not implemented by this endpoint.",
            )
        operation = spec.operation(action, caller.service)
        params = parser.parse_params(operation, parser.split_tree(pairs))
        if needs_check(principal):  # the root of an account loads no policy
            handler = permissions.guarded(caller.service, action, handler, source_ip)
        result = self.run(handler, params, principal.account_id, caller.region, request_id,
                          principal=principal)
        return serializer.serialize_result(operation, result, request_id)

    def run(self, handler: Callable[[RequestContext, dict[str, Any]], Any], params: dict[str, Any],
            account_id: str, region: str, request_id: str, *, principal: Principal | None = None) -> Any:
        """Run ``handler`` in one transaction, due transitions settled first.

        An :class:`Ec2Error` rolls the transaction back unless it is marked ``commit``.
        The time is read inside the transaction (:meth:`_now`); on PostgreSQL the whole
        of it runs again on a conflict with another transaction (``Store.transaction``).
        """

        def attempt(uow: UnitOfWork) -> tuple[Any, Ec2Error | None]:
            # The clock offset and the earliest due times in one statement (see _now).
            offset, due = uow.request_start(CLOCK_OFFSET_KEY)
            if isinstance(self.clock, SystemClock):
                self.clock.set_offset(float(offset or 0.0))
            now = self.clock.now()
            uow.instances.settle(now.timestamp(), self.settings.durations.terminated_retention,
                                 self.settings.durations.volume, due)
            ctx = RequestContext(request_id, account_id, region, now, self.settings.durations, uow,
                                 principal)
            try:
                return handler(ctx, params), None
            except Ec2Error as error:
                if not error.commit:
                    raise
                return None, error

        result, outcome = self.store.transaction(attempt)
        if outcome is not None:
            raise outcome
        return result

    # ------------------------------------------------------------------ admin
    def _admin(self, method: str, path: str, headers: dict[str, str], body: bytes,
               request_id: str) -> tuple[int, dict[str, Any]]:
        scheme, _, supplied = headers.get("authorization", "").strip().partition(" ")
        authorised = scheme.lower() == "bearer" and hmac.compare_digest(
            supplied.strip().encode(), self.admin_token.encode()
        )
        if not authorised:
            return 401, {"error": "admin token required", "request_id": request_id}
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise ValueError("expected an object")
        except ValueError:
            return 400, {"error": "body must be a JSON object", "request_id": request_id}
        try:
            return self._admin_route(method, path[len(ADMIN_PREFIX):].strip("/"), data)
        except Ec2Error as error:
            return error.status, {"error": error.code, "message": error.message}
        except sa.exc.OperationalError:
            log.exception("request %s: database unavailable", request_id)
            return 503, {"error": "ServiceUnavailable", "request_id": request_id}
        except Exception:
            log.exception("request %s: admin route failed", request_id)
            return 500, {"error": "InternalError", "request_id": request_id}

    def _admin_route(self, method: str, route: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if route == "clock" and method == "GET":
            return 200, self._clock_info()
        if route == "clock" and method == "POST":
            seconds = data.get("advance_seconds")
            if (not isinstance(seconds, (int, float)) or isinstance(seconds, bool)
                    or not 0 <= seconds < float("inf")):
                return 400, {"error": "advance_seconds must be a finite non-negative number"}
            try:
                self._shared_now() + dt.timedelta(seconds=seconds)
            except OverflowError:
                return 400, {"error": "advance_seconds takes the clock past the year 9999"}
            self.advance_clock(float(seconds))
            return 200, self._clock_info()
        if route == "instances" and method == "GET":
            with self.store.unit_of_work() as uow:
                uow.instances.settle(self._now(uow).timestamp(), self.settings.durations.terminated_retention,
                                     self.settings.durations.volume)
                rows = uow.conn.execute(sa.select(schema.instances).order_by(schema.instances.c.instance_id))
                items = [{**instance_summary(dict(r._mapping)), "account_id": r.account_id, "region": r.region}
                         for r in rows]
                scopes: dict[tuple[str, str], list[str]] = {}
                for item in items:
                    scopes.setdefault((item["account_id"], item["region"]), []).append(item["instance_id"])
                tags = {(account, region, resource_id): pairs
                        for (account, region), ids in scopes.items()
                        for resource_id, pairs in uow.tags.for_resources(account, region, ids).items()}
                for item in items:
                    pairs = tags.get((item["account_id"], item["region"], item["instance_id"]), [])
                    item["tags"] = {key: value for key, value in pairs}
            return 200, {"instances": items}
        parts = route.split("/")
        if len(parts) == 3 and parts[0] == "instances" and parts[2] == "shutdown" and method == "POST":
            return self._guest_shutdown(parts[1])
        if route == "reset" and method == "POST":
            self.reset()
            return 200, {"reset": True}
        return 404, {"error": f"no admin route {method} /{ADMIN_PREFIX.strip('/')}/{route}"}

    def _guest_shutdown(self, instance_id: str) -> tuple[int, dict[str, Any]]:
        """Shut an instance down from inside its guest OS (any account or region)."""
        with self.store.unit_of_work() as uow:
            # Settle first: an instance whose retention has just ended is gone.
            uow.instances.settle(self._now(uow).timestamp(), self.settings.durations.terminated_retention,
                                     self.settings.durations.volume)
            row = uow.conn.execute(
                sa.select(schema.instances.c.account_id, schema.instances.c.region)
                .where(schema.instances.c.instance_id == instance_id)
            ).first()
        if row is None:
            return 404, {"error": "InvalidInstanceID.NotFound",
                         "message": f"The instance ID '{instance_id}' does not exist"}
        change = self.run(lambda ctx, _: guest_shutdown(ctx, instance_id), {}, row.account_id,
                          row.region, new_request_id())
        return 200, {"instance_id": instance_id, "previous_state": change["PreviousState"]["Name"],
                     "current_state": change["CurrentState"]["Name"]}

    def reset(self) -> None:
        """Forget all state; a wall clock loses its offset (a manual clock keeps its time)."""
        with self.store.unit_of_work() as uow:
            for table in reversed(schema.metadata.sorted_tables):
                uow.conn.execute(table.delete())
        self._add_configured_users()
        if isinstance(self.clock, SystemClock):
            self.clock.set_offset(0)

    def _add_configured_users(self) -> None:
        """Make the accounts file's users IAM users, those not there yet (idempotent; nodes
        starting at once may race: the loser of an insert finds the rows on its retry)."""
        users = configured_users(self.settings.accounts_file)
        if not users:
            return
        created = self.clock.now().timestamp()
        rows = [{"user_id": principal.user_id, "account_id": principal.account_id,
                 "user_name": principal.user_name, "path": path, "arn": principal.arn,
                 "create_date": created} for principal, path in users]
        try:
            self.store.transaction(lambda uow: uow.iam.ensure_users(rows))
        except sa.exc.IntegrityError:
            self.store.transaction(lambda uow: uow.iam.ensure_users(rows))

    def shutdown_guest(self, instance_id: str) -> dict[str, Any]:
        """A shutdown from inside the instance's OS; ``InvalidInstanceID.NotFound`` if unknown."""
        status, payload = self._guest_shutdown(instance_id)
        if status != 200:
            raise Ec2Error(payload["error"], payload["message"], status)
        return payload

    def advance(self, seconds: float) -> None:
        """Move the emulator's time forward by ``seconds``; due transitions happen at once."""
        if (not isinstance(seconds, (int, float)) or isinstance(seconds, bool)
                or not 0 <= seconds < float("inf")):
            raise ValueError("seconds must be a finite non-negative number")
        self.advance_clock(float(seconds))

    def configure(self, *, pending_seconds: float | None = None, stopping_seconds: float | None = None,
                  shutting_down_seconds: float | None = None,
                  terminated_retention_seconds: float | None = None) -> None:
        """Change how long timed states last, from the next request on (``None``: unchanged)."""
        given = {"pending": pending_seconds, "stopping": stopping_seconds,
                 "shutting_down": shutting_down_seconds, "terminated_retention": terminated_retention_seconds}
        durations = replace(self.settings.durations,
                            **{name: float(value) for name, value in given.items() if value is not None})
        for name in given:
            if not 0 <= getattr(durations, name) < float("inf"):
                raise ValueError("durations must be finite non-negative numbers of seconds")
        self.settings = replace(self.settings, durations=durations)

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward; the new offset is stored first, so it survives a restart.

        A wall clock adds to the offset stored in the database (which every node sharing
        it reads), not to this process's copy, which may be behind another node's.
        """
        shared = isinstance(self.clock, SystemClock)

        def store_offset(uow: UnitOfWork) -> float:
            offset = float(uow.settings.get(CLOCK_OFFSET_KEY) or 0.0) if shared else self.clock.offset_seconds
            uow.settings.set(CLOCK_OFFSET_KEY, offset + seconds)
            return offset + seconds

        offset = self.store.transaction(store_offset)
        if isinstance(self.clock, SystemClock):
            self.clock.set_offset(offset)
        else:
            self.clock.advance(seconds)

    def _now(self, uow: UnitOfWork) -> dt.datetime:
        """The emulator's time within ``uow``: a wall clock takes the offset stored in the
        database (one primary-key read), so a clock advanced through any node sharing the
        database holds for every node; a manual clock is its own."""
        if isinstance(self.clock, SystemClock):
            self.clock.set_offset(float(uow.settings.get(CLOCK_OFFSET_KEY) or 0.0))
        return self.clock.now()

    def _shared_now(self) -> dt.datetime:
        if not isinstance(self.clock, SystemClock):
            return self.clock.now()
        return self.store.transaction(self._now)

    def _clock_info(self) -> dict[str, Any]:
        now = self._shared_now()
        return {"now": now.astimezone(dt.timezone.utc).isoformat(), "offset_seconds": self.clock.offset_seconds}

    def _load_clock_offset(self) -> float:
        with self.store.unit_of_work() as uow:
            return float(uow.settings.get(CLOCK_OFFSET_KEY) or 0.0)


def _body_error(headers: dict[str, str], too_large: bool) -> Ec2Error | None:
    """What is wrong with the request's body as a whole: larger than
    :data:`MAX_BODY_BYTES` (by its ``Content-Length`` or as received) → 413
    ``RequestEntityTooLarge``; a ``Content-Length`` that is not a whole number of bytes →
    400 ``InvalidRequest`` (an HTTP server refuses it before it reaches the app; a
    client in-process may still send one)."""
    declared = headers.get("content-length")
    if declared is not None:
        try:
            too_large = parse_integer(declared.strip(), 0, MAX_BODY_BYTES + 1) > MAX_BODY_BYTES or too_large
        except ScalarError as error:
            if not (error.out_of_range and not declared.strip().startswith("-")):
                return Ec2Error("InvalidRequest", "The request received was invalid: "
                                "its Content-Length is not a whole number of bytes.")
            too_large = True
    if too_large:
        return Ec2Error("RequestEntityTooLarge",
                        f"The request body exceeds the maximum size of {MAX_BODY_BYTES} bytes.", 413)
    return None


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    too_large = False
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            too_large = True
        elif chunk:
            chunks.append(chunk)
        if not message.get("more_body"):
            break
    return (b"" if too_large else b"".join(chunks)), too_large


async def _respond(send: Send, status: int, body: bytes, content_type: str, request_id: str) -> None:
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
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def build_app(settings: Settings | None = None, *, store: Store | None = None,
              clock: Clock | None = None) -> Emulator:
    """The ASGI application for ``settings`` (defaults from the environment)."""
    return Emulator(settings or Settings.from_env(), store=store, clock=clock)
