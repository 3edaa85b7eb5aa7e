"""What one client connection may take of a server: the HTTP/1.1 protocol ``ec2emu serve``
runs, uvicorn's httptools protocol held to the :class:`~ec2emu.config.Limits`.

- **Head.** A request's line and header fields together may take ``max_header_bytes``
  bytes, and it may have ``max_headers`` fields. Past either (and for bytes that are not
  HTTP/1.1 at all) it is answered 400 ``InvalidRequest`` in EC2's envelope and the
  connection closed. The bytes of a head still arriving are counted as they come, so a
  header that never ends is refused once it passes the limit, never buffered whole (with
  requests pipelined, the read a head begins in is counted whole: a bound, not a count).
- **Body.** Past ``max_body_bytes`` the application answers 413 ``RequestEntityTooLarge``
  as soon as it knows — from ``Content-Length`` before reading any of it, or once a
  chunked body passes the limit — and the rest of the body is read and dropped as it
  arrives (never kept), so a client that writes its whole body before reading, as the
  SDKs do, still reads the answer, on a connection it can go on using (one that sent
  ``Expect: 100-continue`` and was never told to continue is answered
  ``Connection: close``: its body may never come).
- **Time.** The head must arrive within ``header_timeout`` seconds of the connection's
  opening (on a kept-alive connection, of the request's first byte), the body within
  ``body_timeout`` seconds of the head; a kept-alive connection may wait
  ``idle_timeout`` seconds for its next request (uvicorn's keep-alive timer). A request
  cut part-way is answered 400 ``RequestTimeout`` (unless its answer has begun) and the
  connection closed, and nothing of it is done; a connection that has sent nothing is
  closed without a word. The time the application takes to answer is not limited.
- **Connections.** Past ``max_connections`` open at once, a new connection is answered at
  once 503 ``ServiceUnavailable`` with ``Retry-After: 1`` and closed: the SDKs retry a
  503 with back-off, and the connections already open are served as before. The log
  says so, at most once every :data:`CAP_WARNING_EVERY` seconds.

Choices where AWS says nothing: AWS documents no limit on an EC2 request's head or body,
nor what its front door answers past one. S3, the one service whose answer is widely
quoted, refuses a header section past 8 KiB with 400 (``RequestHeaderSectionTooLarge``),
and the services that name a body limit answer 413; here a head past its limits is 400
with EC2's generic ``InvalidRequest`` (no EC2 code names the case), a body 413
``RequestEntityTooLarge``. A timeout answers S3's code for the same case,
``RequestTimeout``, which botocore retries as a transient error. Every answer given here
is in EC2's XML envelope: it is given before the request's service is known.

A refusal made before the request is whole (a head refused, a connection past the cap)
closes lingering: the answer is written, the connection half-closed, and what the client
still sends is dropped until it closes or :data:`LINGER` seconds pass — closing at once
with unread input would reset the connection, and the client might never read the answer.

The hot path pays no timer per request: each connection has one deadline (a float, moved
as a request goes from head to body to done) and at most one timer, re-armed only when it
fires and finds the deadline moved on.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ec2emu.app import new_request_id
from ec2emu.config import Limits
from ec2emu.errors import Ec2Error, head_too_large, not_http, request_timeout, service_unavailable, too_many_headers
from ec2emu.protocol import serializer

# Seconds a refused connection is kept half-closed for the client to finish sending.
LINGER = 2.0
# What a connection past the cap is told to wait before it tries again.
RETRY_AFTER = b"1"
# Seconds between two warnings that connections are being refused at the cap.
CAP_WARNING_EVERY = 10.0

log = logging.getLogger("ec2emu")

class _Refused(Exception):
    """Raised in a parser callback: the request is refused by its head, parsing stops."""


def protocol_class(limits: Limits) -> type[LimitedHttp]:
    """The protocol class uvicorn makes each connection with, held to ``limits``."""
    return type("LimitedHttp", (LimitedHttp,), {"limits": limits})


def head_size(url: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    """The bytes of a request line and header fields as sent (method and version counted
    at their longest, each field with its ``": "`` and line end)."""
    return len(url) + 20 + sum(len(name) + len(value) + 4 for name, value in headers)


class LimitedHttp(HttpToolsProtocol):
    """One client connection, held to :attr:`limits` (see the module's docstring)."""

    limits: Limits = Limits()
    _cap_warned_at = float("-inf")  # (on the class: one clock for every connection)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refusal: Ec2Error | None = None
        self._draining = False  # refused: what arrives is dropped until the close
        self._heading = False  # a request's head has begun to arrive, and not ended
        # Bytes of the reads that ended with a head still arriving, since it began: a bound
        # on its size (the read it began in may have held the end of a request before it,
        # when requests are pipelined).
        self._head_bytes = 0
        self._chunk = 0  # bytes of the read being parsed
        self._awaiting = 0.0  # the seconds allowed for what is awaited (0: nothing is)
        self._deadline = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._linger: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------------ the connection
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            self.transport = transport
            self._refuse(service_unavailable(), (b"retry-after", RETRY_AFTER))
            now = self.loop.time()
            if now - LimitedHttp._cap_warned_at >= CAP_WARNING_EVERY:
                LimitedHttp._cap_warned_at = now
                log.warning("%d connections open, the most --max-connections allows: new ones are answered 503",
                            len(self.connections))
            return
        super().connection_made(transport)
        self._expect(self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._awaiting = 0.0
        for timer in (self._timer, self._linger):
            if timer is not None:
                timer.cancel()
        self._timer = self._linger = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return
        self._chunk = len(data)
        super().data_received(data)
        if self._heading and not self._draining:  # a head is still arriving: what came of it is kept
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_header_bytes:
                self._refuse(head_too_large(self.limits.max_header_bytes))

    def send_400_response(self, msg: str) -> None:
        """Bytes the parser could not take: the refusal a callback made, or not HTTP."""
        self._refuse(self._refusal or not_http())

    # ------------------------------------------------------------------ the parser's callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._heading = True
        if not self._awaiting:  # a kept-alive connection's next request: its head's time starts
            self._expect(self.limits.header_timeout)

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self.headers) >= self.limits.max_headers:  # before it is kept: no field past the count is
            self._stop(too_many_headers(self.limits.max_headers))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        limits = self.limits
        # At most what came before this read and all of it: counted exactly only past the limit.
        if (self._head_bytes + self._chunk > limits.max_header_bytes
                and head_size(self.url, self.headers) > limits.max_header_bytes):
            self._stop(head_too_large(limits.max_header_bytes))
        self._heading = False
        self._head_bytes = 0
        self._expect(limits.body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._awaiting = 0.0
        super().on_message_complete()
        cycle = self.cycle
        if (cycle is not None and cycle.response_complete and self.timeout_keep_alive_task is None
                and not self.pipeline and not self.transport.is_closing()):
            # Answered before its body had all come (a body past its limit): the
            # connection waits idle for its next request from here.
            self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive,
                                                                self.timeout_keep_alive_handler)

    def _stop(self, refusal: Ec2Error) -> None:
        self._refusal = refusal
        raise _Refused(refusal.message)

    # ------------------------------------------------------------------ the deadline
    def _expect(self, seconds: float) -> None:
        """What is awaited now must come within ``seconds``."""
        self._awaiting = seconds
        self._deadline = deadline = self.loop.time() + seconds
        timer = self._timer
        if timer is None or timer.when() > deadline:
            if timer is not None:
                timer.cancel()
            self._timer = self.loop.call_at(deadline, self._on_time)

    def _on_time(self) -> None:
        self._timer = None
        if not self._awaiting:
            return
        if self.loop.time() < self._deadline:
            self._timer = self.loop.call_at(self._deadline, self._on_time)
            return
        self._cut()

    def _cut(self) -> None:
        """The deadline has passed: answer the request begun, if its answer has not, and close."""
        transport = self.transport
        if transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and cycle.scope is self.scope:  # its body was awaited
            answer = not cycle.response_started
        else:  # its head was: begun (a scope) and nothing else being answered
            answer = self.scope is not None and (cycle is None or cycle.response_complete)
        if answer:
            self._answer(request_timeout(self._awaiting))
            if cycle is not None and cycle.scope is self.scope:
                self._abandon()
        self._awaiting = 0.0
        transport.close()

    def _abandon(self) -> None:
        """The request being read is answered here: to the application its client has left
        (what it sends is dropped, it is never asked for a 100 Continue)."""
        cycle = self.cycle
        cycle.waiting_for_100_continue = False
        cycle.disconnected = True
        cycle.message_event.set()

    # ------------------------------------------------------------------ answering
    def _answer(self, error: Ec2Error, *extra: tuple[bytes, bytes]) -> None:
        """``error`` in EC2's envelope, then the end of the connection."""
        request_id = new_request_id()
        body = serializer.serialize_error(error, request_id)
        status = HTTPStatus(error.status)
        lines = [b"HTTP/1.1 %d %s\r\n" % (status.value, status.phrase.encode())]
        for name, value in (*self.server_state.default_headers,
                            (b"content-type", serializer.CONTENT_TYPE.encode()),
                            (b"content-length", b"%d" % len(body)), (b"x-amzn-requestid", request_id.encode()),
                            (b"cache-control", b"no-cache, no-store"), (b"server", b"AmazonEC2"),
                            (b"connection", b"close"), *extra):
            lines += [name, b": ", value, b"\r\n"]
        self.transport.write(b"".join([*lines, b"\r\n", body]))

    def _refuse(self, error: Ec2Error, *extra: tuple[bytes, bytes]) -> None:
        """Answer ``error`` and close lingering (see the module's docstring). When an answer
        is already being made — an earlier pipelined request's, or this request's own (its
        body refused after the application answered) — that answer goes out whole and then
        the connection ends, with no other answer; a request whose body is refused before
        its answer began is answered, and the application sees the client leave."""
        transport = self.transport
        if transport.is_closing():
            return
        self._draining = True
        self._awaiting = 0.0
        cycle = self.cycle
        own = cycle is not None and cycle.scope is self.scope  # the refused request's own answer
        if cycle is not None and not cycle.response_complete and (cycle.response_started or not own):
            cycle.keep_alive = False
            return
        if not (own and cycle is not None and cycle.response_started):
            self._answer(error, *extra)
            if own:
                self._abandon()
        self._unset_keepalive_if_required()
        if transport.can_write_eof():
            transport.write_eof()
        if self.flow is not None:
            self.flow.resume_reading()
        self._linger = self.loop.call_later(LINGER, transport.close)
