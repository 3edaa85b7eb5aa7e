"""One API request, from the bytes received to the bytes answered, read top to bottom.

:meth:`Pipeline.handle` runs the stages in order:

1. **route** — the query string's pairs are read, the signature found
   (``Authorization`` or the presigned query) and the request routed by its credential
   scope's service to that service's package (:mod:`ec2emu.services.registry`); an
   unsigned request goes to the served service its ``X-Amz-Target``, its path or its
   form's ``Version`` names (else EC2 answers it). The service's botocore model gives the
   wire protocol (:func:`ec2emu.protocol.protocols.protocol_for`: ``ec2``, ``query``,
   ``json``, ``rest-json``), which reads a form's pairs here; the region must be one AWS has.
   From here on errors use that service's protocol. A body refused whole (too large, a
   bad ``Content-Length``) is answered right after the signature is read, in the
   envelope of the service it names; a malformed signature is answered first, in the
   protocol of the service its credential scope names (else the one the request is
   addressed to), as is a query string or a form body that cannot be read.
2. **parse** — the protocol finds the operation the request names (``Action``,
   ``X-Amz-Target``, the method and path) in the service's botocore model and its table,
   and parses the parameters by the operation's input shape; a member the operation
   declares it does not honour is refused by name (``Service.screen``). A parse error waits until
   the caller is authenticated, so an unauthenticated request learns nothing about its
   parameters.
3. **unit of work** — one transaction holds everything below; on PostgreSQL the whole
   of it is tried again on a serialization conflict (recognised by SQLSTATE,
   :mod:`ec2emu.store.errors`). The emulated time is read inside it. Readers only read:
   an operation that describes, gets or lists (:meth:`Service.reads`) runs in a
   reader's transaction and sees what ``(state, due_at)`` and the clock imply
   (:mod:`ec2emu.store.shown`) without settling anything. A writer that reads a row
   whose transition has fallen due (terminating an instance whose launch is over) gives
   its transaction up; the settler (:mod:`ec2emu.lifecycle.settler`) applies what is
   due in a transaction of its own, and the request starts again (at most
   :data:`SETTLE_ROUNDS` times), so a write builds on the transitions it depends on.
   Writers take turns (:mod:`ec2emu.store.repository`). A reader that finds it must
   write after all (a signing secret made on first use) starts again as a writer.
4. **authenticate** — the key is looked up (in the same transaction) and the SigV4
   signature verified (:mod:`ec2emu.auth.sigv4`): the one place a key becomes a principal.
5. **authorize** — for a principal other than an account's root, the resources the
   request touches are checked against its policies (:mod:`ec2emu.services.shared.permissions`).
6. **handler** — the operation's ``handler(ctx, params)``; then the hooks
   :attr:`Hooks.after_handler` (the place of an audit record) and :attr:`Hooks.at_commit`,
   both inside the transaction. (The events a change emits are not a hook's: the store
   writes them to its outbox with the change, :mod:`ec2emu.store.outbox`, so the
   settler's transitions, which no request makes, emit theirs the same way.)
7. **commit** — an :class:`Ec2Error` rolls everything back unless it is marked
   ``commit`` (TerminateInstances' zones that went ahead).
8. **serialize** — the result by the operation's output shape, or the error in the
   service's protocol (EC2's ``<Response><Errors>``, the Query services'
   ``<ErrorResponse>``, the JSON services' ``__type``). A fault answers ``InternalError``
   (500), logged with the request ID; a database that cannot be reached or is busy
   ``ServiceUnavailable`` (503).

Each request's :class:`~ec2emu.observability.record.Observed` (service, operation, caller,
status, error code, time taken) goes to the one observer given (the metrics and the access
log) once answered; :attr:`Pipeline.tally` counts the settler's runs and the turns given up.

Once answered, a call whose caller was authenticated is handed to the hooks
:attr:`Hooks.finished` as a :class:`Finished` — allowed, denied, failed or a ``DryRun``
alike, outside the transaction (the audit trail: :mod:`ec2emu.trail`); a hook there must
be cheap, as it runs on every call. :attr:`Hooks.before_work` sees each parsed call
before its transaction begins.

Adding a service that speaks one of those protocols changes nothing here. Changing what
an operation does means changing its handler module; how long a state lasts, the
lifecycle's table. Nothing here knows either.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from botocore.model import OperationModel

from ec2emu.auth.authorization import needs_check
from ec2emu.auth.credentials import CredentialChain, CredentialSource, Principal, StoreCredentials
from ec2emu.auth.errors import in_protocol, invalid_region, missing_credentials
from ec2emu.auth.sigv4 import RawRequest, Signature, authenticate, claimed_service, read_signature
from ec2emu.config import DEFAULT_REGION, Settings
from ec2emu.errors import (
    Ec2Error,
    internal_error,
    service_unavailable,
    unimplemented_action,
    unserved_service,
)
from ec2emu.lifecycle import settler
from ec2emu.lifecycle.clock import Clock
from ec2emu.observability.record import Observed, Observer, Tally, ignore
from ec2emu.protocol import foreign, parser, serializer, spec
from ec2emu.protocol.http import Message, Reply
from ec2emu.protocol.protocols import WireProtocol, protocol_for
from ec2emu.quotas import Quotas
from ec2emu.services.ec2.regions import is_valid_region
from ec2emu.services.registry import Handler, Service
from ec2emu.services.shared import permissions
from ec2emu.services.shared.context import NeedsWrite, RequestContext, Turns
from ec2emu.store.errors import is_database_error, is_unavailable
from ec2emu.store.repository import DueFirst, Moment, Store, UnitOfWork

log = logging.getLogger("ec2emu")

# How often a writer lets the settler run before it goes ahead (time moves on while it
# runs, so more may fall due; the last round shows those as due, unsettled).
SETTLE_ROUNDS = 3


class Request(NamedTuple):
    """An API request as received. (This and the request's other records are named
    tuples: made on every request, they cost a third of a frozen dataclass.)"""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    query_string: bytes
    body: bytes
    request_id: str
    source_ip: str | None = None
    body_error: Ec2Error | None = None  # a body refused whole (too large, bad length)


class Route(NamedTuple):
    """Where a request goes: the service and its protocol, who signed it for which
    region, and the request as that protocol has read it so far."""

    service: Service
    signature: Signature
    protocol: WireProtocol
    message: Message


class Call(NamedTuple):
    """The operation a request calls, and its parameters."""

    service: str
    action: str
    operation: OperationModel
    handler: Handler
    params: dict[str, Any]


Hook = Callable[[RequestContext, Call, Any], None]


class Finished(NamedTuple):
    """A call as it was answered: the request's ID, the client's address and
    ``User-Agent``, what it called (``params``: ``None`` when they could not be parsed),
    its outcome (a write's result, or the :class:`Ec2Error` answered; ``None`` for a
    read's result, which no hook keeps), who called, with which key, in which region, at
    which emulated time, and whether the operation only reads (``service``: the signing
    name, ``model``: botocore's name of its model)."""

    request_id: str
    source_ip: str | None
    user_agent: str
    service: str
    model: str
    action: str
    params: dict[str, Any] | None
    outcome: Any
    principal: Principal
    access_key_id: str
    region: str
    now: dt.datetime
    reads: bool


@dataclass
class Hooks:
    """Named points where later stages attach. ``after_handler`` and ``at_commit`` are
    called inside the transaction with the context, the call and the handler's result (or
    the :class:`Ec2Error` it raised); ``before_work`` with each parsed call before its
    transaction; ``finished`` with each answered call of an authenticated caller."""

    after_handler: list[Hook] = field(default_factory=list)
    at_commit: list[Hook] = field(default_factory=list)
    before_work: list[Callable[[Call], None]] = field(default_factory=list)
    finished: list[Callable[[Finished], None]] = field(default_factory=list)


@dataclass(slots=True)
class Seen(Observed):
    """What the stages learn of a request on the way: what is observed of it, and for
    :class:`Finished` its caller and the emulated time it was served at."""

    principal: Principal | None = None
    now: dt.datetime | None = None


class Pipeline:
    """The stages above, for one emulator's settings, store and clock."""

    def __init__(self, settings: Settings, store: Store, clock: Clock, services: dict[str, Service],
                 configured: CredentialSource, hooks: Hooks | None = None, quotas: Quotas | None = None,
                 observe: Observer = ignore) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.services = services
        self.configured = configured
        self.hooks = hooks or Hooks()
        self.quotas = quotas or Quotas()
        self.turns = Turns()
        self.observe = observe
        self.tally = Tally()
        self.lookout = settler.Lookout()

    def handle(self, request: Request) -> Answer:
        """The answer to one request; never raises. What it was is observed once it is
        answered."""
        started = time.perf_counter()
        seen = Seen(request.request_id, request.source_ip)
        answer = self.answer(request, seen)
        seen.status, seen.seconds = answer.status, time.perf_counter() - started
        try:
            self.observe(seen)
        except Exception:  # what watches the request does not change its answer
            log.exception("request %s: observer failed", request.request_id)
        return answer

    def answer(self, request: Request, seen: Seen) -> Answer:
        route: Route | None = None
        call: Call | None = None
        outcome: Any = None
        reads = True
        try:
            route = self.route(request)
            seen.service = route.service.signing_name
            call, refused = self.parse(route, seen)
            reads = call is None or route.service.reads(call.action)
            if call is not None:
                for before in self.hooks.before_work:
                    before(call)
            result = self.unit_of_work(
                lambda uow, settles: self.transact(uow, request, route, call, refused, settles, seen), reads=reads)
            outcome, answer = result, self.serialize(route, call, result, request.request_id)
        except _Unserved as unserved:
            seen.service = unserved.signing_name
            return self.unserved(unserved, request, seen)
        except Ec2Error as error:
            if isinstance(error, _Routed) and error.service is not None:
                seen.service = error.service.signing_name
            outcome = self.answered(route, error, request)
            answer = self.error_answer(route, outcome, request)
        except Exception as error:
            if is_database_error(error) and is_unavailable(error):
                log.exception("request %s: database unavailable", request.request_id)
                outcome = service_unavailable()
            else:
                log.exception("request %s: internal error", request.request_id)
                outcome = internal_error()
            answer = self.error_answer(route, outcome, request)
        seen.code = outcome.code if isinstance(outcome, Ec2Error) else ""
        if seen.principal is not None and seen.now is not None and route is not None and seen.operation \
                and self.hooks.finished:
            self.finish(request, route, call, outcome, seen, reads)
        return answer

    def finish(self, request: Request, route: Route, call: Call | None, outcome: Any, seen: Seen, reads: bool) -> None:
        """The call as answered, to the hooks :attr:`Hooks.finished` (the audit trail)."""
        assert seen.principal is not None and seen.now is not None
        finished = Finished(request.request_id, request.source_ip, request.headers.get("user-agent", ""),
                            route.service.signing_name, route.service.model, seen.operation,
                            call.params if call is not None else None,
                            None if reads and not isinstance(outcome, Ec2Error) else outcome, seen.principal,
                            route.signature.access_key_id, route.signature.region, seen.now,
                            reads if call is not None else route.service.reads(seen.operation))
        for hook in self.hooks.finished:
            try:
                hook(finished)
            except Exception:  # the answer stands; the hook's fault is logged
                log.exception("request %s: a finished hook failed", request.request_id)

    # ------------------------------------------------------------------ 1. route
    def route(self, request: Request) -> Route:
        message = Message(request.method, request.path, [], request.headers, request.body)
        try:
            query = parser.decode_form(request.query_string)
            message = Message(request.method, request.path, query, request.headers, request.body)
            signature = read_signature(request.headers, query, DEFAULT_REGION)
        except Ec2Error as error:  # unreadable: answered in the protocol of the service it names
            claimed = claimed_service(request.headers, message.query)
            raise _Routed(self.services.get(claimed) if claimed else self.claimant(message), error) from None
        service = self.claimant(message) if signature is None else self.services.get(signature.service)
        if request.body_error is not None:
            raise _Routed(service, request.body_error)
        if signature is not None and service is None:
            raise _Unserved(signature.service)  # before its body, which may be JSON or CBOR
        protocol = protocol_for(service.model if service is not None else "ec2", request.headers)
        try:
            message = protocol.receive(message)  # a form's pairs
        except Ec2Error as error:  # unreadable: answered in the envelope of the service it is for
            raise _Routed(service, error) from None
        if signature is None or service is None:
            raise _Routed(service, missing_credentials())
        if not is_valid_region(signature.region):
            raise _Routed(service, invalid_region(signature.region))
        return Route(service, signature, protocol, message)

    def claimant(self, message: Message) -> Service | None:
        """The served service an unsigned request is addressed to by its ``X-Amz-Target``
        or its path, if any (a form is no service's: EC2 answers it)."""
        for service in self.services.values():
            if protocol_for(service.model, message.headers).claims(service.model, message):
                return service
        return None

    @staticmethod
    def unserved(unserved: _Unserved, request: Request, seen: Observed) -> Answer:
        """A service we do not serve, answered in its own protocol (:mod:`ec2emu.protocol.foreign`)."""
        error = unserved_service(unserved.signing_name)
        seen.code = error.code
        return Answer(*foreign.unserved_answer(unserved.signing_name, error, request.headers, request.request_id))

    # ------------------------------------------------------------------ 2. parse
    def parse(self, route: Route, seen: Seen) -> tuple[Call | None, Ec2Error | None]:
        """The call, or the error that refuses it (answered once the caller is known)."""
        name, model = route.service.signing_name, route.service.model
        try:
            action = seen.operation = route.protocol.operation_name(model, route.message)
            handler = route.service.operations.get(action)
            if handler is None:
                raise unimplemented_action(action, spec.service_model(model).metadata.get("serviceId", name.upper()))
            operation = spec.operation(action, model)
            params = route.protocol.params(operation, route.message,
                                           route.service.own_checks.get(action, frozenset()))
            route.service.screen(action, params)
        except Ec2Error as error:
            return None, error
        return Call(name, action, operation, handler, params), None

    # ------------------------------------------------------------------ 3–7. in one transaction
    def unit_of_work(self, work: Callable[[UnitOfWork, bool], Any], *, reads: bool) -> Any:
        """``work`` in the request's one transaction: a reader's, or a writer's, which
        gives its transaction up when it reads a row whose transition has fallen due —
        the settler then runs and the request starts again (``work``'s second argument:
        whether to give up for that; at most :data:`SETTLE_ROUNDS` times)."""
        if reads:
            try:
                return self.store.transaction(lambda uow: work(uow, False), read_only=True)
            except NeedsWrite:
                pass
        for round_ in range(1, SETTLE_ROUNDS + 1):
            try:
                return self.store.transaction(lambda uow: work(uow, round_ < SETTLE_ROUNDS))
            except DueFirst:
                self.tally.settle_retries += 1
                self.settle()
        raise AssertionError("unreachable")

    def settle_if_due(self) -> int:
        """The timer's tick: the settler, only when its look has found something due
        (:class:`~ec2emu.lifecycle.settler.Lookout`); the number of rows moved."""
        return self.settle() if self.lookout.due(self.store, self.clock) else 0

    def settle(self) -> int:
        """Run the settler in a transaction of its own; the number of rows it moved."""
        moved: int = self.store.settling_transaction(
            lambda uow: settler.settle(uow, self.clock, self.settings.durations))
        self.tally.settler_runs += 1
        self.tally.rows_settled += moved
        return moved

    def transact(self, uow: UnitOfWork, request: Request, route: Route, call: Call | None,
                 refused: Ec2Error | None, settles: bool, seen: Seen) -> Any:
        ctx = self.context(uow, request.request_id, DEFAULT_REGION, settles=settles)
        principal = self.authenticate(uow, request, route.signature, ctx)
        seen.account_id, seen.principal_arn = principal.account_id, principal.arn
        seen.principal, seen.now = principal, ctx.now
        if refused is not None:
            raise refused
        assert call is not None
        ctx.account_id, ctx.region, ctx.principal = principal.account_id, route.signature.region, principal
        return self.call(ctx, call, lambda: self.authorize(ctx, call, principal, request.source_ip))

    def context(self, uow: UnitOfWork, request_id: str, region: str, account_id: str = "", *,
                settles: bool = False) -> RequestContext:
        """The request's context: the time read in its transaction (the clock's offset as
        every node sharing the database stored it), which the unit of work's reads show
        rows at; ``settles``: a read of a row whose transition is due raises
        :class:`DueFirst`."""
        now = settler.now_of(uow, self.clock)
        uow.moment = Moment(now.timestamp(), self.settings.durations, settles)
        return RequestContext(request_id, account_id, region, now, self.settings.durations, uow, turns=self.turns,
                              quotas=self.quotas)

    # ------------------------------------------------------------------ 4. authenticate
    def authenticate(self, uow: UnitOfWork, request: Request, signature: Signature,
                     ctx: RequestContext) -> Principal:
        credentials = CredentialChain(self.configured, StoreCredentials(lambda read: read(uow.iam)))
        raw = RawRequest(request.method, request.headers.get("host", ""), request.path, request.query_string,
                         request.headers, request.body)
        return authenticate(raw, signature, credentials, self.settings.auth_mode, self.clock.wall_now(), ctx.now)

    # ------------------------------------------------------------------ 5. authorize
    @staticmethod
    def authorize(ctx: RequestContext, call: Call, principal: Principal, source_ip: str | None) -> None:
        if needs_check(principal):  # the root of an account loads no policy
            ctx.source_ip = source_ip
            permissions.check(ctx, call.service, call.action, call.params, source_ip)

    # ------------------------------------------------------------------ 6–7. handler, commit
    def call(self, ctx: RequestContext, call: Call, authorize: Callable[[], None]) -> Any:
        """Authorization, the handler and the hooks; an error marked ``commit`` is
        returned, not raised, so that its changes are committed (it is raised once they
        are): a denial keeps the key its encoded message was signed with."""
        try:
            authorize()
            outcome = call.handler(ctx, call.params)
        except Ec2Error as error:
            if not error.commit:
                raise
            outcome = error
        for hook in self.hooks.after_handler:
            hook(ctx, call, outcome)
        for hook in self.hooks.at_commit:
            hook(ctx, call, outcome)
        return outcome

    def run(self, handler: Handler, params: dict[str, Any], account_id: str, region: str, request_id: str) -> Any:
        """``handler`` in a transaction of its own, as the emulator itself (the admin
        routes' guest shutdown): stages 3, 6 and 7 without a caller."""

        def attempt(uow: UnitOfWork, settles: bool) -> Any:
            ctx = self.context(uow, request_id, region, account_id, settles=settles)
            try:
                return handler(ctx, params)
            except Ec2Error as error:
                if not error.commit:
                    raise
                return error

        return _raised(self.unit_of_work(attempt, reads=False))

    # ------------------------------------------------------------------ 8. serialize
    @staticmethod
    def serialize(route: Route, call: Call | None, result: Any, request_id: str) -> Answer:
        assert call is not None
        return Answer(*route.protocol.result(call.operation, _raised(result), request_id))

    @staticmethod
    def answered(route: Route | None, error: Ec2Error, request: Request) -> Ec2Error:
        """``error`` in the code its service's protocol gives it (:func:`in_protocol`)."""
        routed = error if isinstance(error, _Routed) else None
        service = routed.service if routed is not None else route.service if route is not None else None
        found = route.protocol if route else protocol_for(service.model, request.headers) if service else None
        inner = in_protocol(routed.error if routed is not None else error, found.name if found else "ec2")
        return _Routed(service, inner) if routed is not None else inner

    @staticmethod
    def error_answer(route: Route | None, error: Ec2Error, request: Request) -> Answer:
        """The error in the protocol of the service the request was routed to (EC2's
        envelope when it was routed nowhere)."""
        service = route.service if route is not None else None
        if isinstance(error, _Routed):
            service, error = error.service, error.error
        if service is None:
            reply = Reply(error.status, serializer.serialize_error(error, request.request_id), {})
        elif route is not None:
            reply = route.protocol.error(service.model, error, request.request_id)
        else:
            reply = protocol_for(service.model, request.headers).error(service.model, error, request.request_id)
        return Answer(reply.status, reply.body, reply.headers or None)


class Answer(NamedTuple):
    """What the shell sends: a status, a body and its headers (``content-type`` among
    them; EC2's XML when none are given)."""

    status: int
    body: bytes
    headers: dict[str, str] | None = None


class _Unserved(Exception):
    def __init__(self, signing_name: str) -> None:
        super().__init__(signing_name)
        self.signing_name = signing_name


class _Routed(Ec2Error):
    """An error found while routing, once the service it is answered for is known."""

    def __init__(self, service: Service | None, error: Ec2Error) -> None:
        super().__init__(error.code, error.message, error.status)
        self.service = service
        self.error = error


def _raised(outcome: Any) -> Any:
    """The handler's result, or its committed error raised now."""
    if isinstance(outcome, Ec2Error):
        raise outcome
    return outcome
