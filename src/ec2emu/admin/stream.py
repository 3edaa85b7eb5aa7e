"""``GET /_ec2emu/events/stream``: the event outbox as server-sent events, for the holder
of the admin token (401 without it, as every admin route).

The answer is ``text/event-stream``: each event (EC2's, EBS's and those PutEvents
accepted, of every account) as ``id: <sequence number>`` and ``data: <its JSON>`` and a
blank line, oldest first — first those already written after the starting point, then
each new one as it is written. The starting point is the ``Last-Event-ID`` header a
reconnecting client sends (the last sequence number it received), else ``?after=N``,
else the beginning; one that is not a whole number answers 400.

New events are found by reading the outbox (one indexed read of the rows after the last
sequence number sent, :meth:`ec2emu.store.outbox.OutboxRepository.after`) every
:data:`POLL_SECONDS`: a short read in the server's event loop, between which the loop
serves other requests, as every other request is served. A comment line (``: alive``)
goes out every :data:`KEEP_ALIVE_SECONDS` when nothing else has, so proxies keep the
connection. The stream ends when the client disconnects or the server shuts down (it
then ends the answer, so shutting down does not wait for the client).

The stream waits between reads, so it needs a server's event loop: in-process (where
nothing waits), the events are read from ``emulator.events`` instead.

Choices: the stream does not settle due transitions itself (the server's settler does,
on its timer; ``GET /_ec2emu/events`` settles first); the ``retry`` field is not sent
(clients reconnect after their own default).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from ec2emu.store.repository import Store

log = logging.getLogger("ec2emu")

PATH = "/_ec2emu/events/stream"
POLL_SECONDS = 0.25
KEEP_ALIVE_SECONDS = 15.0
BATCH = 1000
CONTENT_TYPE = b"text/event-stream; charset=utf-8"

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def start_after(headers: dict[str, str], query: bytes) -> int | None:
    """The sequence number to stream after (``None``: not a whole number)."""
    given = headers.get("last-event-id")
    if given is None:
        given = dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True)).get("after", "0")
    given = given.strip()
    if not (given.isascii() and given.isdigit()) or len(given) > 18:
        return None
    return int(given)


def frame(seq: int, event: dict[str, Any]) -> bytes:
    """One event as server-sent events write it (its JSON on one line)."""
    return f"id: {seq}\ndata: {json.dumps(event, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


class EventStream:
    """One client's stream of the outbox of ``store``, until ``closing`` is set."""

    def __init__(self, store: Store, closing: asyncio.Event) -> None:
        self.store = store
        self.closing = closing

    def read(self, after: int) -> list[tuple[int, dict[str, Any]]]:
        return self.store.transaction(lambda uow: uow.outbox.after(after, BATCH), read_only=True)

    async def serve(self, after: int, receive: Receive, send: Send, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", CONTENT_TYPE), (b"cache-control", b"no-cache"),
                                (b"x-accel-buffering", b"no"), *headers]})
        disconnected = asyncio.ensure_future(_disconnect(receive))
        closing = asyncio.ensure_future(self.closing.wait())
        sent_at = time.monotonic()
        try:
            while not disconnected.done() and not closing.done():
                try:
                    found = self.read(after)
                except Exception:
                    log.exception("event stream ended: the outbox could not be read")
                    break
                if found:
                    after = found[-1][0]
                    body = b"".join(frame(seq, event) for seq, event in found)
                    await send({"type": "http.response.body", "body": body, "more_body": True})
                    sent_at = time.monotonic()
                    if len(found) == BATCH:
                        continue
                elif time.monotonic() - sent_at >= KEEP_ALIVE_SECONDS:
                    await send({"type": "http.response.body", "body": b": alive\n\n", "more_body": True})
                    sent_at = time.monotonic()
                await asyncio.wait({disconnected, closing}, timeout=POLL_SECONDS)
            if not disconnected.done():
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            log.info("event stream ended: the client went away")
        finally:
            for task in (disconnected, closing):
                task.cancel()


async def _disconnect(receive: Receive) -> None:
    """Until the client disconnects (a request's body has been read already)."""
    while (await receive())["type"] != "http.disconnect":
        pass
