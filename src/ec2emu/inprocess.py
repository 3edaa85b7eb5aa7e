"""Serving botocore clients in-process, through the very same ASGI application.

:class:`InProcessTransport` drives the ASGI callable with a request's raw bytes and
hands botocore an ``AWSResponse``, from a ``before-send`` hook on a client: no socket,
no server thread, and the same parsing, dispatch and serialisation as ``ec2emu serve``.
The request's headers go as signed, plus ``Host`` as an HTTP client adds it, so the
signature is verified in-process exactly as over a socket.

The app's coroutine is driven directly rather than on an event loop: the app awaits
nothing but the ``receive`` and ``send`` given here, so it runs to completion in one
step, and a client works the same from plain code, from threads and from inside a
running event loop (an async test calling boto3). Requests through one transport are
served one at a time, as an in-memory database has a single connection.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse


class _RawBody:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _run_to_completion(coroutine: Any) -> None:
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError("the ASGI app awaited something other than receive/send in-process")


class InProcessTransport:
    """Send HTTP requests to an ASGI app in this process."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._lock = threading.Lock()

    def close(self) -> None:
        """Nothing to release; kept so callers can treat the transport as a resource."""

    def request(
        self, method: str, url: str, headers: Mapping[str, str] | Sequence[tuple[str, str]], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """One request; ``headers`` as a mapping, or as pairs when a name repeats."""
        parts = urlsplit(url)
        pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        if not any(k.lower() == "host" for k, _ in pairs):  # as an HTTP client would send it
            pairs.insert(0, ("Host", parts.netloc))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": parts.scheme or "http",
            "path": unquote(parts.path or "/"),
            "raw_path": (parts.path or "/").encode(),
            "query_string": parts.query.encode(),
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs],
            "client": ("127.0.0.1", 0),
            "server": (parts.hostname or "localhost", parts.port or 80),
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        with self._lock:
            _run_to_completion(self.app(scope, receive, send))
        start = next(m for m in sent if m["type"] == "http.response.start")
        payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        response_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}
        return start["status"], response_headers, payload

    def before_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        body = request.body
        if body is None:
            raw = b""
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        elif isinstance(body, (bytes, bytearray)):
            raw = bytes(body)
        else:
            raw = body.read()
        headers = {k: (v.decode("latin-1") if isinstance(v, bytes) else v) for k, v in request.headers.items()}
        status, response_headers, payload = self.request(request.method, request.url, headers, raw)
        return AWSResponse(request.url, status, response_headers, _RawBody(payload))

    def attach(self, client: Any) -> Any:
        """Route every request of a botocore/boto3 ``client`` through the app."""
        client.meta.events.register("before-send", self.before_send)
        return client
