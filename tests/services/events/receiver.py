"""A local HTTP receiver for the delivery tests: ``http.server`` in a thread, recording
every request (method, path, headers, body) and answering each path as told: 200 by
default, a queue of statuses per path, ``/token`` an OAuth token endpoint, ``/redirect``
a 302 to ``/hook``."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


class Receiver:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.lock = threading.Lock()
        self.requests: list[Received] = []
        self.token_requests: list[Received] = []
        self.statuses: dict[str, list[int]] = {}
        self.failing = False  # every request but a token's answers 503
        self.retry_after: str | None = None  # a Retry-After header on every 429 and 5xx
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                self.rfile.read(length))
                path = self.path.split("?")[0]
                if path == "/token":
                    with receiver.lock:
                        receiver.token_requests.append(seen)
                    self._answer(200, json.dumps({"access_token": f"tok-{len(receiver.token_requests)}",
                                                  "token_type": "Bearer", "expires_in": 3600}).encode())
                    return
                with receiver.lock:
                    receiver.requests.append(seen)
                    queue = receiver.statuses.get(path) or []
                    status = 503 if receiver.failing else (queue.pop(0) if queue else 200)
                if path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/hook")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._answer(status, b"{}")

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                if receiver.retry_after is not None and (status == 429 or status >= 500):
                    self.send_header("Retry-After", receiver.retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET = do_PUT = do_PATCH = do_DELETE = _any

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [seen for seen in self.requests if seen.path.split("?")[0] == path]

    def wait_for(self, path: str, count: int, timeout: float = 20.0) -> list[Received]:
        """The requests to ``path`` once there are ``count`` of them (polling; fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.at(path)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{len(self.at(path))} requests to {path}, not {count}")


def api_destination(events: Any, name: str, endpoint: str, auth_type: str, auth: dict[str, Any],
                    method: str = "POST") -> str:
    """A connection and an API destination named ``name``; the destination's ARN."""
    connection = events.create_connection(Name=name, AuthorizationType=auth_type, AuthParameters=auth)
    return str(events.create_api_destination(Name=name, ConnectionArn=connection["ConnectionArn"],
                                             InvocationEndpoint=endpoint, HttpMethod=method)["ApiDestinationArn"])


API_KEY = {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "key-s3cret"}}
BASIC = {"BasicAuthParameters": {"Username": "alice", "Password": "pw-s3cret"}}


def oauth(token_url: str) -> dict[str, Any]:
    return {"OAuthParameters": {"ClientParameters": {"ClientID": "client", "ClientSecret": "client-s3cret"},
                                "AuthorizationEndpoint": token_url, "HttpMethod": "POST"}}


def own_address() -> str:
    """This machine's address on its default route (no packet is sent to find it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        return str(probe.getsockname()[0])
